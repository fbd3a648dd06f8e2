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
            let found = std::rc::Rc::new(std::cell::Cell::new(false));
            let seen = std::rc::Rc::clone(&found);
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
                })
                .inspect(move |input| {
                    if matches!(input, Input::File(_)) {
                        seen.set(true);
                    }
                });
            // A folder with nothing to check is almost always a mistyped path:
            // say so instead of passing with nothing checked.
            let shown = path.display().to_string();
            let empty = std::iter::once_with(move || {
                (!found.get()).then(|| {
                    Input::Unreadable(
                        shown,
                        format!("no .{} files in this folder", EXTENSIONS.join(", .")),
                    )
                })
            })
            .flatten();
            Box::new(walk.chain(empty))
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

/// Why a file could not be read, placed where there is a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// One line saying why.
    pub message: String,
    /// 1-based line of the first bad byte, for encoding errors.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the first bad byte.
    pub column: Option<usize>,
}

impl ReadError {
    fn new(message: String) -> Self {
        ReadError {
            message,
            line: None,
            column: None,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{} at line {line} column {column}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

/// A file's text. In a line-delimited file a line that is not UTF-8 does not
/// stop the others: it is blanked in `text` and listed in `bad_lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text.
    pub text: String,
    /// Lines of a line-delimited file that were not UTF-8, located.
    pub bad_lines: Vec<ReadError>,
}

/// Reads a file (or standard input for `-`) as UTF-8 text, refusing what is
/// not a regular file (a FIFO would block forever), what is larger than
/// `max_size`, and what is not UTF-8 (only the bad lines, for a
/// line-delimited file).
pub fn read(path: &Path, max_size: u64, line_delimited: bool) -> Result<Text, ReadError> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| ReadError::new(format!("cannot read standard input: {error}")))?;
        if bytes.len() as u64 > max_size {
            return Err(ReadError::new(format!(
                "standard input is over the {max_size}-byte limit; raise it with --max-file-size"
            )));
        }
    } else {
        let metadata = std::fs::metadata(path).map_err(|error| describe_io(&error))?;
        if !metadata.is_file() {
            return Err(ReadError::new(
                "not a regular file (a FIFO, device or socket is not read)".to_owned(),
            ));
        }
        if metadata.len() > max_size {
            return Err(too_large(metadata.len(), max_size));
        }
        File::open(path)
            .and_then(|file| file.take(max_size + 1).read_to_end(&mut bytes))
            .map_err(|error| describe_io(&error))?;
        if bytes.len() as u64 > max_size {
            return Err(too_large(bytes.len() as u64, max_size));
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Text {
            text,
            bad_lines: Vec::new(),
        }),
        Err(error) if line_delimited => Ok(decode_lines(error.as_bytes())),
        Err(error) => Err(not_utf8(error.as_bytes(), 0)),
    }
}

/// Decodes a line-delimited file line by line, blanking the lines that are
/// not UTF-8.
fn decode_lines(bytes: &[u8]) -> Text {
    let mut text = String::with_capacity(bytes.len());
    let mut bad_lines = Vec::new();
    for (index, line) in bytes.split(|byte| *byte == b'\n').enumerate() {
        if index > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(line) => text.push_str(line),
            Err(_) => bad_lines.push(not_utf8(line, index)),
        }
    }
    Text { text, bad_lines }
}

/// Where the first byte that is not UTF-8 is, `lines_before` lines into the
/// text that `bytes` starts.
fn not_utf8(bytes: &[u8], lines_before: usize) -> ReadError {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |error| error.valid_up_to());
    let before = String::from_utf8_lossy(&bytes[..at]);
    let line = lines_before + before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    ReadError {
        message: "not UTF-8: a byte sequence that is not valid UTF-8".to_owned(),
        line: Some(line),
        column: Some(column),
    }
}

fn too_large(size: u64, max_size: u64) -> ReadError {
    ReadError::new(format!(
        "{size} bytes is over the {max_size}-byte limit; raise it with --max-file-size if the file is genuine"
    ))
}

fn describe_io(error: &std::io::Error) -> ReadError {
    ReadError::new(match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    })
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
