//! Finding and reading the inputs: files, directories (walked lazily in a
//! stable order), standard input; and splitting a file into documents.

use std::ffi::{OsStr, OsString};
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
            let walk = Walk::new(path).inspect(move |input| {
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

/// A depth-first walk of one folder, each folder's entries in file-name
/// order, following symbolic links: what `walkdir`'s sorted walk yields,
/// with less kept per entry. To sort a folder, all its entries are read
/// before the first is yielded; a [`Listing`] keeps only their names and
/// kinds (walkdir kept a whole `DirEntry`, full path included, for each),
/// and only the folders on the current path are held.
struct Walk {
    /// The folder as given, where an error without a path of its own is
    /// reported.
    root: PathBuf,
    /// The folders being walked, outermost first.
    stack: Vec<Folder>,
    /// Problems to report before the next entry, the first last.
    pending: Vec<Input>,
}

struct Folder {
    path: PathBuf,
    listing: Listing,
}

/// The reason given for a symbolic link to a folder the walk is inside.
const LOOP: &str = "a symbolic link loops back to a folder above it";

impl Walk {
    fn new(root: &Path) -> Walk {
        let mut walk = Walk {
            root: root.to_path_buf(),
            stack: Vec::new(),
            pending: Vec::new(),
        };
        if let Some(problem) = walk.descend(root.to_path_buf(), false) {
            walk.pending.push(problem);
        }
        walk
    }

    /// Opens a folder and, unless it is one the walk skips, lists it. Like
    /// walkdir, a skipped folder is still opened, so one that cannot be is
    /// reported.
    fn descend(&mut self, path: PathBuf, skipped: bool) -> Option<Input> {
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(error) => return Some(unreadable(&path, &error)),
        };
        if skipped {
            return None;
        }
        let (listing, problems) = Listing::read(entries, &self.root);
        // walkdir sorts a folder's unreadable entries before the others.
        self.pending.extend(problems.into_iter().rev());
        self.stack.push(Folder { path, listing });
        None
    }

    /// What an entry of the innermost folder gives: a file to check, a
    /// problem, or nothing (a folder, now descended into).
    fn visit(&mut self, path: PathBuf, name: &OsStr, kind: Kind) -> Option<Input> {
        let is_dir = match kind {
            Kind::Folder => true,
            Kind::Other => false,
            Kind::Link => match std::fs::metadata(&path) {
                Ok(metadata) if metadata.is_dir() => {
                    match self.loops_back(&path) {
                        Ok(false) => {}
                        Ok(true) => return Some(Input::Unreadable(shown(&path), LOOP.to_owned())),
                        Err(error) => return Some(unreadable(&self.root, &error)),
                    }
                    true
                }
                Ok(_) => false,
                Err(error) => return Some(unreadable(&path, &error)),
            },
        };
        if is_dir {
            self.descend(path, is_skipped_folder(name))
        } else {
            has_taken_extension(&path).then_some(Input::File(path))
        }
    }

    /// Whether the folder at `path` is one the walk is inside, or one above
    /// the folder it started from.
    fn loops_back(&self, path: &Path) -> std::io::Result<bool> {
        let target = identity(path)?;
        for folder in self.stack.iter().rev() {
            if identity(&folder.path)? == target {
                return Ok(true);
            }
        }
        let Ok(root) = self.root.canonicalize() else {
            return Ok(false);
        };
        for above in root.ancestors().skip(1) {
            if identity(above)? == target {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Iterator for Walk {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(problem) = self.pending.pop() {
                return Some(problem);
            }
            let folder = self.stack.last_mut()?;
            let Some((name, kind)) = folder.listing.next() else {
                self.stack.pop();
                continue;
            };
            let path = folder.path.join(&name);
            if let Some(input) = self.visit(path, &name, kind) {
                return Some(input);
            }
        }
    }
}

/// What an entry is, from the folder listing alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Folder,
    /// A symbolic link, followed when the walk reaches it.
    Link,
    Other,
}

/// A folder's entries in file-name order, compactly: names in one buffer,
/// and 8 bytes for each entry. Walking folders of 40,000 files instead of
/// 4,000 took peak memory up by about 30 bytes a file this way, against
/// about 190 with walkdir's sorted `DirEntry` lists.
struct Listing {
    /// The UTF-8 names, one after the other.
    names: String,
    /// Names that are not UTF-8, or too long for an [`Entry`].
    others: Vec<OsString>,
    /// In reverse file-name order, so the next one is popped off the end.
    entries: Vec<Entry>,
}

#[derive(Clone, Copy)]
struct Entry {
    /// Where the name starts in `names`, or its index in `others`.
    at: u32,
    /// The name's length in bytes, in `names`.
    len: u16,
    other: bool,
    kind: Kind,
}

impl Listing {
    /// Reads a folder, and the problems met on the way (each located at
    /// the entry, or at `root` when the entry has no name).
    fn read(entries: std::fs::ReadDir, root: &Path) -> (Listing, Vec<Input>) {
        let mut listing = Listing {
            names: String::new(),
            others: Vec::new(),
            entries: Vec::new(),
        };
        let mut problems = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    problems.push(unreadable(root, &error));
                    continue;
                }
            };
            let kind = match entry.file_type() {
                Ok(ty) if ty.is_symlink() => Kind::Link,
                Ok(ty) if ty.is_dir() => Kind::Folder,
                Ok(_) => Kind::Other,
                Err(error) => {
                    problems.push(unreadable(&entry.path(), &error));
                    continue;
                }
            };
            listing.push(entry.file_name(), kind);
        }
        let mut entries = std::mem::take(&mut listing.entries);
        entries.sort_unstable_by(|a, b| listing.bytes(b).cmp(listing.bytes(a)));
        entries.shrink_to_fit();
        listing.entries = entries;
        listing.names.shrink_to_fit();
        (listing, problems)
    }

    fn push(&mut self, name: OsString, kind: Kind) {
        let at = u32::try_from(self.names.len()).ok();
        let compact = name
            .to_str()
            .and_then(|text| Some((at?, u16::try_from(text.len()).ok()?, text)));
        let entry = match compact {
            Some((at, len, text)) => {
                self.names.push_str(text);
                Entry {
                    at,
                    len,
                    other: false,
                    kind,
                }
            }
            None => {
                // Four billion names that are not UTF-8 in one folder do
                // not happen; past that, an entry would go unlisted.
                let Ok(at) = u32::try_from(self.others.len()) else {
                    return;
                };
                self.others.push(name);
                Entry {
                    at,
                    len: 0,
                    other: true,
                    kind,
                }
            }
        };
        self.entries.push(entry);
    }

    /// An entry's name as walkdir compares names: by their bytes.
    fn bytes(&self, entry: &Entry) -> &[u8] {
        self.name(entry).map_or(&[], OsStr::as_encoded_bytes)
    }

    fn name(&self, entry: &Entry) -> Option<&OsStr> {
        let at = entry.at as usize;
        if entry.other {
            self.others.get(at).map(OsString::as_os_str)
        } else {
            self.names
                .get(at..at + usize::from(entry.len))
                .map(OsStr::new)
        }
    }

    /// The next entry in file-name order.
    fn next(&mut self) -> Option<(OsString, Kind)> {
        loop {
            let entry = self.entries.pop()?;
            if let Some(name) = self.name(&entry) {
                return Some((name.to_os_string(), entry.kind));
            }
        }
    }
}

/// What tells two paths to the same folder apart from two folders, as
/// walkdir's loop check does (an open handle's device and inode).
#[cfg(unix)]
fn identity(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = File::open(path)?.metadata()?;
    Ok((metadata.dev(), metadata.ino()))
}

/// What tells two paths to the same folder apart from two folders.
#[cfg(not(unix))]
fn identity(path: &Path) -> std::io::Result<PathBuf> {
    path.canonicalize()
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn unreadable(path: &Path, error: &std::io::Error) -> Input {
    Input::Unreadable(shown(path), error.to_string())
}

fn is_skipped_folder(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name == "target"
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

/// Reads a file (or standard input for `-`) as UTF-8 text, refusing what is
/// not a regular file (a FIFO would block forever), what is larger than
/// `max_size`, and what is not UTF-8. A line-delimited file is read with
/// [`lines`] instead.
pub fn read(path: &Path, max_size: u64) -> Result<String, ReadError> {
    let mut bytes = SPARE.with_borrow_mut(std::mem::take);
    bytes.clear();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| ReadError::new(format!("cannot read standard input: {error}")))?;
        if bytes.len() as u64 > max_size {
            return Err(ReadError::new(format!(
                "standard input is over the {max_size}-byte limit; raise it with --max-file-size"
            )));
        }
    } else {
        let (file, len) = open_regular(path)?;
        if len > max_size {
            return Err(too_large(len, max_size));
        }
        read_sized(file, len, max_size, &mut bytes).map_err(|error| describe_io(&error))?;
        if bytes.len() as u64 > max_size {
            return Err(too_large(bytes.len() as u64, max_size));
        }
    }
    String::from_utf8(bytes).map_err(|error| not_utf8(error.as_bytes(), 0))
}

/// Reads `file`, whose metadata says it has `len` bytes, into `bytes`, up
/// to one byte past `max_size`: one read for the whole file and the one that
/// finds its end, into one allocation. A file that has grown since is read
/// on, in doubling steps.
fn read_sized(mut file: File, len: u64, max_size: u64, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    let limit = usize::try_from(max_size.saturating_add(1)).unwrap_or(usize::MAX);
    let mut want = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .min(limit);
    bytes.clear();
    loop {
        let asked = want - bytes.len();
        // Fewer bytes than asked for: the end of the file.
        if read_up_to(&mut file, bytes, asked)? < asked || bytes.len() == limit {
            return Ok(());
        }
        want = want.saturating_mul(2).min(limit);
    }
}

/// Appends up to `count` bytes of `file` to `bytes`, fewer only at its end:
/// how many. The reads go straight into `bytes`, as large as they are
/// asked for (`read_to_end` through `take` does not know the size: it read
/// 8 KB, then 16 KB, and so on).
fn read_up_to(file: &mut impl Read, bytes: &mut Vec<u8>, count: usize) -> std::io::Result<usize> {
    let start = bytes.len();
    bytes.resize(start + count, 0);
    let mut filled = start;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                bytes.truncate(filled);
                return Err(error);
            }
        }
    }
    bytes.truncate(filled);
    Ok(filled - start)
}

/// Opens a regular file: the file and its size.
fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let file = open(path).map_err(|error| describe_io(&error))?;
    let metadata = file.metadata().map_err(|error| describe_io(&error))?;
    if !metadata.is_file() {
        return Err(ReadError::new(NOT_A_FILE.to_owned()));
    }
    Ok((file, metadata.len()))
}

/// How many bytes a [`Lines`] batch reads at a time: a batch is this much
/// and the rest of the line it ends in.
pub const BATCH: usize = 1 << 20;

/// A line-delimited file read a batch of whole lines at a time, so that a
/// file of any size is held about [`BATCH`] bytes at a time. Reading a
/// 100 MB file whole cost a page fault per 4 KB of it: a fifth of the run.
/// The size limit holds each line, not the file: an export of millions of
/// lines is read whatever its size, and a line over the limit ends the read
/// there, the lines before it checked. A run reads a [`File`] (see
/// [`lines`]); any other reader serves tests and the fuzzer.
pub struct Lines<R = File> {
    reader: R,
    /// The start of a line whose end the next read brings.
    carry: Vec<u8>,
    /// The 1-based number of the next batch's first line.
    line: usize,
    max_size: u64,
    /// How many bytes a read asks for: [`BATCH`] in a run.
    batch: usize,
    done: bool,
    /// A line over the limit, reported after the lines before it.
    over: Option<ReadError>,
}

/// Whole lines of a line-delimited file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The lines, each ended by `\n` except a file's last; a line that is
    /// not UTF-8 is blank here (spaces, as many as its bytes) and listed in
    /// `bad_lines`.
    pub text: String,
    /// Lines that were not UTF-8, located in the file.
    pub bad_lines: Vec<ReadError>,
    /// Each non-blank line's number in the file and its place in `text`.
    lines: Vec<(usize, std::ops::Range<usize>)>,
}

impl Batch {
    /// One document per non-blank line, numbered as in the file.
    pub fn documents(&self) -> Vec<Piece<'_>> {
        self.lines
            .iter()
            .map(|(line, range)| Piece {
                line: Some(*line),
                text: self.text.get(range.clone()).unwrap_or_default(),
            })
            .collect()
    }
}

/// Opens a line-delimited file to be read in batches (see [`Lines`]),
/// refusing what is not a regular file.
pub fn lines(path: &Path, max_size: u64) -> Result<Lines, ReadError> {
    let (file, _) = open_regular(path)?;
    Ok(Lines::new(file, max_size, BATCH))
}

impl<R: Read> Lines<R> {
    /// Lines of `reader`, each held to `max_size` bytes, read `batch` bytes
    /// at a time (and the rest of the line a read ends in).
    pub fn new(reader: R, max_size: u64, batch: usize) -> Self {
        Lines {
            reader,
            carry: Vec::new(),
            line: 1,
            max_size,
            batch: batch.max(1),
            done: false,
            over: None,
        }
    }

    /// The next batch, read into `buffer` (a spent batch's text, so its
    /// allocation serves again); `None` at the end of the file.
    pub fn next_batch(&mut self, buffer: String) -> Result<Option<Batch>, ReadError> {
        if let Some(over) = self.over.take() {
            return Err(over);
        }
        let mut bytes = buffer.into_bytes();
        bytes.clear();
        bytes.append(&mut self.carry);
        while !self.done {
            let before = bytes.len();
            let read = read_up_to(&mut self.reader, &mut bytes, self.batch)
                .map_err(|error| describe_io(&error))?;
            if read == 0 {
                self.done = true;
            } else if let Some(last) = bytes[before..].iter().rposition(|&byte| byte == b'\n') {
                let end = before + last + 1;
                self.carry.extend_from_slice(&bytes[end..]);
                bytes.truncate(end);
                break;
            }
            // No line break yet: all of `bytes` is one line, still going,
            // and it may end in the `\r` of a `\r\n`, which is not content.
            if bytes.len() as u64 > self.max_size.saturating_add(1) {
                self.done = true;
                return Err(line_too_long(self.line, self.max_size));
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        let first_line = self.line;
        let (text, mut bad_lines) = match String::from_utf8(bytes) {
            Ok(text) => (text, Vec::new()),
            Err(error) => decode_lines(error.as_bytes(), first_line),
        };
        // One pass over the text both finds the documents and counts the
        // lines; counting them apart was a tenth of a run.
        let mut lines = Vec::new();
        let mut last = 0;
        for (index, range) in segments(&text) {
            last = index;
            if range.len() as u64 > self.max_size {
                // Nothing past this line is read, bad lines included.
                bad_lines.retain(|bad| bad.line < Some(first_line + index));
                self.over = Some(line_too_long(first_line + index, self.max_size));
                self.done = true;
                break;
            }
            if !text[range.clone()].trim().is_empty() {
                lines.push((first_line + index, range));
            }
        }
        self.line = first_line + last;
        Ok(Some(Batch {
            text,
            bad_lines,
            lines,
        }))
    }
}

thread_local! {
    /// A buffer for [`read`] to reuse, given back by [`recycle`]: reading
    /// thousands of files into fresh allocations of tens of KB each made
    /// the allocator trim and grow its heap all run long.
    static SPARE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest buffer [`recycle`] keeps for the next [`read`] on its thread.
const LARGEST_SPARE: usize = 4 << 20;

/// Gives `text`'s buffer back for the next [`read`] on this thread, unless it
/// is larger than a few MB.
pub fn recycle(text: String) {
    let bytes = text.into_bytes();
    if bytes.capacity() <= LARGEST_SPARE {
        SPARE.with_borrow_mut(|spare| {
            if bytes.capacity() > spare.capacity() {
                *spare = bytes;
            }
        });
    }
}

/// Decodes lines of a line-delimited file, the first of them line
/// `first_line`, one by one: the text with the lines that are not UTF-8
/// blanked, and those lines, located in the file. A blanked line keeps its
/// length in spaces (and its `\r`), so the size limit still holds it.
fn decode_lines(bytes: &[u8], first_line: usize) -> (String, Vec<ReadError>) {
    let mut text = String::with_capacity(bytes.len());
    let mut bad_lines = Vec::new();
    for (index, line) in bytes.split(|byte| *byte == b'\n').enumerate() {
        if index > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(line) => text.push_str(line),
            Err(_) => {
                bad_lines.push(not_utf8(line, first_line - 1 + index));
                let content = line.strip_suffix(b"\r").unwrap_or(line);
                text.extend(std::iter::repeat_n(' ', content.len()));
                if content.len() < line.len() {
                    text.push('\r');
                }
            }
        }
    }
    (text, bad_lines)
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

/// Opens `path` for reading without waiting: opening a FIFO blocks until
/// something writes to it, so it is opened non-blocking (a regular file
/// ignores that) and refused once its metadata says what it is. One path
/// lookup, where a `stat` before the `open` took two.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Opens `path` for reading once its metadata says it is a regular file.
#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    if std::fs::metadata(path)?.is_file() {
        File::open(path)
    } else {
        Err(std::io::Error::other(NOT_A_FILE))
    }
}

/// Why an input that is not a regular file is not read.
const NOT_A_FILE: &str = "not a regular file (a FIFO, device or socket is not read)";

fn line_too_long(line: usize, max_size: u64) -> ReadError {
    ReadError {
        line: Some(line),
        ..ReadError::new(format!(
            "the line is over the {max_size}-byte limit, and the file is not read past it; raise it with --max-file-size if the line is genuine"
        ))
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

/// The document of a file that holds one: its whole text, none when the
/// text is blank.
pub fn document(text: &str) -> Option<Piece<'_>> {
    (!text.trim().is_empty()).then_some(Piece { line: None, text })
}

/// Every line of `text`, blank or not: its 0-based index and its place in
/// `text`, without the line break or a `\r` before it.
fn segments(text: &str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + '_ {
    let mut start = 0;
    text.split('\n').enumerate().map(move |(index, line)| {
        let at = start;
        start += line.len() + 1;
        (
            index,
            at..at + line.strip_suffix('\r').unwrap_or(line).len(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// The walk as it was, on walkdir's sorted walk: what [`expand`] must
    /// still yield.
    fn walkdir_expand(path: &Path) -> Vec<String> {
        walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(entry.file_type().is_dir() && is_skipped_folder(entry.file_name()))
            })
            .filter_map(|entry| match entry {
                Ok(entry) if entry.file_type().is_dir() => None,
                Ok(entry) => has_taken_extension(entry.path())
                    .then(|| format!("file {}", entry.path().display())),
                Err(error) => {
                    let shown = error
                        .path()
                        .map_or_else(|| path.display().to_string(), shown);
                    let reason = if error.loop_ancestor().is_some() {
                        LOOP.to_owned()
                    } else {
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), ToString::to_string)
                    };
                    Some(format!("unreadable {shown}: {reason}"))
                }
            })
            .collect()
    }

    fn listed(path: &Path) -> Vec<String> {
        Walk::new(path)
            .map(|input| match input {
                Input::File(path) => format!("file {}", path.display()),
                Input::Unreadable(shown, reason) => format!("unreadable {shown}: {reason}"),
            })
            .collect()
    }

    fn touch(root: &Path, relative: &str) {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "{}").unwrap();
    }

    #[test]
    fn walks_as_walkdir_did() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("captures");
        for relative in [
            "b.json",
            "a.ndjson",
            "B.jsonl",
            "notes.txt",
            "x.har",
            ".hidden-file.json",
            ".hidden/skipped.json",
            "target/skipped.json",
            "nested/target.json",
            "nested/deeper/z.json",
            "nested/deeper/a.json",
            "nested/a-b/c.json",
            "nested/a.json",
            "ünïcode/é.json",
            "empty/.keep",
        ] {
            touch(&root, relative);
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            use std::os::unix::fs::symlink;
            let not_utf8 = OsStr::from_bytes(b"caf\xe9.json");
            fs::write(root.join("nested").join(not_utf8), "{}").unwrap();
            symlink("nested/a.json", root.join("link-to-file.json")).unwrap();
            symlink("nested", root.join("link-to-folder")).unwrap();
            symlink("..", root.join("nested/deeper/back")).unwrap();
            symlink("../..", root.join("nested/above")).unwrap();
            symlink("nowhere", root.join("broken.json")).unwrap();
            symlink("nowhere", root.join("broken.txt")).unwrap();
            symlink("nested", root.join(".hidden-link")).unwrap();
        }
        let expected = walkdir_expand(&root);
        assert!(expected.len() > 10, "{expected:#?}");
        assert_eq!(listed(&root), expected);
        // Through a link to the folder, and with a trailing separator.
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&root, &link).unwrap();
            assert_eq!(listed(&link), walkdir_expand(&link));
        }
        let slash = PathBuf::from(format!("{}/", root.display()));
        assert_eq!(listed(&slash), walkdir_expand(&slash));
    }

    #[test]
    fn keeps_names_compactly_in_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for index in (0..300).rev() {
            touch(dir.path(), &format!("{index:04}.json"));
        }
        let entries = fs::read_dir(dir.path()).unwrap();
        let (mut listing, problems) = Listing::read(entries, dir.path());
        assert!(problems.is_empty());
        assert_eq!(listing.names.len(), 300 * "0000.json".len());
        assert!(listing.others.is_empty());
        let names: Vec<_> = std::iter::from_fn(|| listing.next())
            .map(|(name, kind)| {
                assert_eq!(kind, Kind::Other);
                name.into_string().unwrap()
            })
            .collect();
        let sorted: Vec<_> = (0..300).map(|index| format!("{index:04}.json")).collect();
        assert_eq!(names, sorted);
    }

    #[test]
    fn an_unreadable_folder_is_reported_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let listed = Walk::new(&missing).collect::<Vec<_>>();
        assert!(matches!(
            listed.as_slice(),
            [Input::Unreadable(shown, _)] if *shown == missing.display().to_string()
        ));
    }

    #[test]
    fn a_reused_buffer_holds_only_the_file_read_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let large = dir.path().join("large.json");
        let small = dir.path().join("small.json");
        fs::write(&large, format!("[{}1]", "1,".repeat(50_000))).unwrap();
        fs::write(&small, "{}").unwrap();
        let first = read(&large, u64::MAX).unwrap();
        let capacity = first.capacity();
        recycle(first);
        let second = read(&small, u64::MAX).unwrap();
        assert_eq!(second, "{}");
        // The large file's buffer was reused, not a fresh one allocated.
        assert_eq!(second.capacity(), capacity);
        recycle(second);
        // A file over the limit is still refused from the same buffer.
        assert!(read(&large, 10).is_err());
        assert_eq!(read(&small, 10).unwrap(), "{}");
    }

    #[test]
    fn a_file_is_read_whole_whatever_its_metadata_said_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grown.json");
        let text = "x".repeat(10_000);
        fs::write(&path, &text).unwrap();
        let read = |said: u64, max_size: u64| {
            let mut bytes = b"left over".to_vec();
            read_sized(File::open(&path).unwrap(), said, max_size, &mut bytes).unwrap();
            bytes
        };
        // As said, or grown since (read on in doubling steps), or shrunk.
        for said in [10_000, 0, 3, 9_999, 20_000] {
            assert_eq!(read(said, 1 << 20), text.as_bytes(), "{said}");
        }
        // Never more than one byte past the limit.
        assert_eq!(read(10_000, 99).len(), 100);
        assert_eq!(read(0, 99).len(), 100);
    }

    /// Every batch of `path`, read as the run reads them.
    fn batches(path: &Path) -> Vec<Batch> {
        let mut lines = lines(path, u64::MAX).unwrap();
        let mut batches = Vec::new();
        let mut buffer = String::new();
        while let Some(batch) = lines.next_batch(buffer).unwrap() {
            buffer = batch.text.clone();
            batches.push(batch);
        }
        batches
    }

    #[test]
    fn batches_hold_whole_lines_numbered_as_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ndjson");
        // Lines of every length around a word, past three batches, blank
        // ones among them, the last without its line break, one longer than
        // a batch.
        let mut text = String::new();
        let mut expected = Vec::new();
        for n in 0..40_000 {
            if n % 1000 == 999 {
                text.push_str(if n % 2000 == 999 { "\n" } else { " \r\n" });
                continue;
            }
            let line = format!("{{\"n\":{n},\"pad\":\"{}\"}}", "x".repeat(n % 97));
            text.push_str(&line);
            text.push_str(if n % 3 == 0 { "\r\n" } else { "\n" });
            expected.push((n + 1, line));
        }
        let long = format!("\"{}\"", "y".repeat(BATCH + 10));
        text.push_str(&long);
        text.push('\n');
        expected.push((40_001, long));
        text.push_str("[\"last\"]");
        expected.push((40_002, "[\"last\"]".to_owned()));
        fs::write(&path, &text).unwrap();
        assert!(text.len() > 3 * BATCH);

        let batches = batches(&path);
        assert!(batches.len() > 3, "{} batches", batches.len());
        let mut read = Vec::new();
        for batch in &batches {
            assert!(batch.bad_lines.is_empty());
            for piece in batch.documents() {
                read.push((piece.line.unwrap(), piece.text.to_owned()));
            }
        }
        assert_eq!(read, expected);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_located_in_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.ndjson");
        let line = format!("{{\"pad\":\"{}\"}}\n", "x".repeat(1000));
        let lines_before = BATCH / line.len() + 5;
        let mut bytes = line.repeat(lines_before).into_bytes();
        bytes.extend_from_slice(b"{\"a\":\"\xff\"}\n");
        bytes.extend_from_slice(line.as_bytes());
        fs::write(&path, &bytes).unwrap();

        let batches = batches(&path);
        let bad: Vec<_> = batches
            .iter()
            .flat_map(|batch| batch.bad_lines.clone())
            .collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(
            (bad[0].line, bad[0].column),
            (Some(lines_before + 1), Some(7))
        );
        let pieces: usize = batches.iter().map(|batch| batch.documents().len()).sum();
        assert_eq!(
            pieces,
            lines_before + 1,
            "the bad line is blank, the others are there"
        );
    }

    #[test]
    fn the_size_limit_holds_each_line_of_a_line_delimited_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ndjson");
        // Three lines of 8 bytes under a limit of 10: the file is larger.
        fs::write(&path, "[1,2,3]\n[4,5,6]\n[7,8,9]\n").unwrap();
        let read = |max_size| {
            let mut lines = lines(&path, max_size).unwrap();
            let mut documents = 0;
            loop {
                match lines.next_batch(String::new()) {
                    Ok(Some(batch)) => documents += batch.documents().len(),
                    Ok(None) => return Ok(documents),
                    Err(error) => return Err((documents, error)),
                }
            }
        };
        assert_eq!(read(10), Ok(3));
        // A longer line stops the read there, located, the lines before it
        // read.
        fs::write(&path, "[1,2,3]\n[4,5,6,7,8,9]\n[7,8,9]\n").unwrap();
        let (documents, error) = read(10).unwrap_err();
        assert_eq!((documents, error.line), (1, Some(2)));
        assert!(
            error
                .message
                .starts_with("the line is over the 10-byte limit"),
            "{}",
            error.message
        );
        // A line that outgrows the limit before it ends is not read to its
        // end (it could be larger than memory).
        fs::write(&path, format!("[1]\n{}\n[2]\n", "x".repeat(2 * BATCH))).unwrap();
        let (documents, error) = read(10).unwrap_err();
        assert_eq!((documents, error.line), (1, Some(2)));
        // So does a last line without its line break.
        fs::write(&path, "[1,2,3]\n[4,5,6,7,8,9]").unwrap();
        assert_eq!(read(10).unwrap_err().1.line, Some(2));
        // A line that is not UTF-8 past it is not read either.
        fs::write(&path, b"[1]\n[4,5,6,7,8,9]\n\xff\n").unwrap();
        let mut lines = lines(&path, 10).unwrap();
        let batch = lines.next_batch(String::new()).unwrap().unwrap();
        assert_eq!((batch.documents().len(), batch.bad_lines), (1, Vec::new()));
        assert_eq!(lines.next_batch(String::new()).unwrap_err().line, Some(2));
        let empty = dir.path().join("empty.ndjson");
        fs::write(&empty, "").unwrap();
        assert!(batches(&empty).is_empty());
    }

    /// What a line-delimited file holds, by its definition rather than by
    /// [`Lines`]: lines end at `\n` (a `\r` before it is not content);
    /// each non-blank line is a document, numbered from 1; a line that is
    /// not UTF-8 is a bad line; the first line whose content is over
    /// `max_size` bytes ends the file there.
    #[derive(Debug, PartialEq)]
    struct Held {
        documents: Vec<(usize, String)>,
        bad_lines: Vec<usize>,
        too_long: Option<usize>,
    }

    fn by_definition(bytes: &[u8], max_size: u64) -> Held {
        let mut read = Held {
            documents: Vec::new(),
            bad_lines: Vec::new(),
            too_long: None,
        };
        for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
            let content = line.strip_suffix(b"\r").unwrap_or(line);
            if content.len() as u64 > max_size {
                read.too_long = Some(index + 1);
                break;
            }
            match std::str::from_utf8(content) {
                Err(_) => read.bad_lines.push(index + 1),
                Ok(text) if !text.trim().is_empty() => {
                    read.documents.push((index + 1, text.to_owned()));
                }
                Ok(_) => {}
            }
        }
        read
    }

    fn by_batches(bytes: &[u8], max_size: u64, batch: usize) -> Held {
        let mut lines = Lines::new(bytes, max_size, batch);
        let mut read = Held {
            documents: Vec::new(),
            bad_lines: Vec::new(),
            too_long: None,
        };
        loop {
            match lines.next_batch(String::new()) {
                Ok(Some(batch)) => {
                    read.bad_lines
                        .extend(batch.bad_lines.iter().map(|bad| bad.line.unwrap()));
                    read.documents.extend(
                        batch
                            .documents()
                            .iter()
                            .map(|piece| (piece.line.unwrap(), piece.text.to_owned())),
                    );
                }
                Ok(None) => return read,
                Err(error) => {
                    read.too_long = error.line;
                    return read;
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]
        /// Files pieced from line breaks, blanks, JSON bytes and bytes that
        /// are not UTF-8, read in batches of every size from one byte up,
        /// under limits that some lines pass and some do not: what the
        /// batches hold is what the file holds. (The run's batches are
        /// 1 MiB, which a fuzzer's inputs never reach.)
        #[test]
        fn batches_of_any_size_read_a_file_as_it_is_defined(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"\n"[..], b"\r\n", b"\r", b" ", b"[1]", b"{}", b"\"x\"",
                    b"\xff", b"\xc3\xa9", b"\xc3", b"\t",
                ]),
                0..60,
            ),
            batch in 1usize..24,
            max_size in proptest::prop_oneof![1u64..12, proptest::strategy::Just(u64::MAX)],
        ) {
            let bytes = pieces.concat();
            let expected = by_definition(&bytes, max_size);
            proptest::prop_assert_eq!(by_batches(&bytes, max_size, batch), expected);
        }
    }
}
