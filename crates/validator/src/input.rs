//! Finding and reading the inputs: files, directories (walked lazily in a
//! stable order), standard input; and splitting a file into documents.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The extensions a directory walk takes.
pub const EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "har"];

/// The default largest file read, in bytes; `--max-file-size` raises it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// One input to check, or why a path could not be expanded.
pub enum Input {
    /// A file to read (or `-` for standard input).
    File(PathBuf),
    /// A path that could not be walked: its display name and the reason.
    Unreadable(String, String),
}

/// Expands the command-line paths lazily: files as given, directories
/// recursively in file-name order, skipping hidden folders and `target/`, and
/// taking only [`EXTENSIONS`].
pub fn expand(paths: &[PathBuf]) -> impl Iterator<Item = Input> + '_ {
    paths
        .iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = Input>> {
            if path.as_os_str() == "-" || !path.is_dir() {
                return Box::new(std::iter::once(Input::File(path.clone())));
            }
            let walk = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| entry.depth() == 0 || !is_skipped_folder(entry))
                .filter_map(|entry| match entry {
                    Ok(entry) if entry.file_type().is_dir() => None,
                    Ok(entry) => {
                        has_taken_extension(entry.path()).then(|| Input::File(entry.into_path()))
                    }
                    Err(error) => {
                        let shown = error.path().map_or_else(
                            || path.display().to_string(),
                            |path| path.display().to_string(),
                        );
                        let reason = if error.loop_ancestor().is_some() {
                            "a symbolic link loops back to a folder above it".to_owned()
                        } else {
                            error
                                .io_error()
                                .map_or_else(|| error.to_string(), ToString::to_string)
                        };
                        Some(Input::Unreadable(shown, reason))
                    }
                });
            Box::new(walk)
        })
}

fn is_skipped_folder(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir() && {
        let name = entry.file_name().to_string_lossy();
        name.starts_with('.') || name == "target"
    }
}

fn has_taken_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| EXTENSIONS.contains(&extension))
}

/// Whether a file is a HAR capture.
pub fn is_har(path: &Path) -> bool {
    path.extension().and_then(|extension| extension.to_str()) == Some("har")
}

/// Whether a file holds one document per line.
pub fn is_line_delimited(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("ndjson" | "jsonl")
    )
}

/// Reads a file (or standard input for `-`) as UTF-8 text, refusing what is
/// not a regular file (a FIFO would block forever), what is larger than
/// `max_size`, and what is not UTF-8.
pub fn read(path: &Path, max_size: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
    } else {
        let metadata = std::fs::metadata(path).map_err(|error| describe_io(&error))?;
        if !metadata.is_file() {
            return Err("not a regular file (a FIFO, device or socket is not read)".to_owned());
        }
        if metadata.len() > max_size {
            return Err(too_large(metadata.len(), max_size));
        }
        File::open(path)
            .and_then(|file| file.take(max_size + 1).read_to_end(&mut bytes))
            .map_err(|error| describe_io(&error))?;
    }
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64, max_size));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&error.as_bytes()[..at]);
        let line = text.matches('\n').count() + 1;
        let column = text
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count())
            + 1;
        format!("not UTF-8: invalid byte at line {line} column {column} (byte offset {at})")
    })
}

fn too_large(size: u64, max_size: u64) -> String {
    format!(
        "{size} bytes is over the {max_size}-byte limit; raise it with --max-file-size if the file is genuine"
    )
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// One document inside a file's text.
pub struct Piece<'a> {
    /// 1-based line of the document in an NDJSON file.
    pub line: Option<usize>,
    /// The document's text.
    pub text: &'a str,
}

/// The documents of a file: the whole text, or one per non-blank line;
/// none when the text is blank.
pub fn documents(text: &str, line_delimited: bool) -> Vec<Piece<'_>> {
    if !line_delimited {
        if text.trim().is_empty() {
            return Vec::new();
        }
        return vec![Piece { line: None, text }];
    }
    text.split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Piece {
            line: Some(index + 1),
            text: line.strip_suffix('\r').unwrap_or(line),
        })
        .collect()
}
