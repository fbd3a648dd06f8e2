//! Reports: one emitter per output format behind [`Reporter`], so a new
//! format is one file. The engine hands each file's results to the reporter
//! as soon as the file is checked; formats that need the whole run (JSON,
//! JUnit, SARIF) keep only the diagnostics, never the files' text.

use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::io::{self, Write};

mod github;
mod human;
mod json;
mod junit;
mod sarif;

pub use human::Color;

/// Where a document sits in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentReport {
    /// 1-based line of the document in an NDJSON file; `None` for a whole-file
    /// document.
    pub line: Option<usize>,
    /// The contract it was checked against.
    pub contract: &'static str,
    /// Whether the contract was detected from the document's shape.
    pub detected: bool,
    /// What was found, sorted by position (at most
    /// [`crate::check::MAX_DIAGNOSTICS`]).
    pub diagnostics: Vec<Diagnostic>,
    /// How many more findings there were than `diagnostics` holds.
    pub omitted: usize,
    /// For a HAR entry: which one, and its body, which body positions are in.
    pub entry: Option<EntryInfo>,
    /// For a document of a line-delimited file that has findings: its line,
    /// for snippets (such a file is read in batches, never held whole).
    pub source: Option<String>,
}

/// A HAR entry checked as one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryInfo {
    /// 0-based index in `log.entries`.
    pub index: usize,
    /// The request method.
    pub method: String,
    /// The request URL, credentials masked.
    pub url: String,
    /// The decoded response body, for source snippets.
    #[serde(skip)]
    pub body: Option<String>,
}

impl EntryInfo {
    /// `entry 3 (GET https://…)`.
    pub fn describe(&self) -> String {
        format!("entry {} ({} {})", self.index, self.method, self.url)
    }
}

impl DocumentReport {
    /// Whether the document passes: no error-severity diagnostic.
    pub fn ok(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// Something that kept a file or a document from being judged (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line, where there is one.
    pub line: Option<usize>,
    /// 1-based column, where there is one.
    pub column: Option<usize>,
    /// One line saying why.
    pub message: String,
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem {
            line: None,
            column: None,
            message,
        }
    }
}

impl From<crate::input::ReadError> for Problem {
    fn from(error: crate::input::ReadError) -> Self {
        Problem {
            line: error.line,
            column: error.column,
            message: error.message,
        }
    }
}

/// The results for one input file (or standard input).
pub struct FileReport<'a> {
    /// The path as the user gave it (or found under a directory).
    pub path: &'a str,
    /// The file's text, for source snippets; `None` when it could not be read.
    pub text: Option<&'a str>,
    /// The documents checked, in file order.
    pub documents: Vec<DocumentReport>,
    /// What could not be judged, in file order.
    pub problems: Vec<Problem>,
    /// HAR entries that match no contract, described.
    pub skipped: Vec<String>,
}

impl<'a> FileReport<'a> {
    /// A file that could not be read or walked, and why.
    pub fn unreadable(path: &'a str, why: impl Into<Problem>) -> Self {
        FileReport {
            path,
            text: None,
            documents: Vec::new(),
            problems: vec![why.into()],
            skipped: Vec::new(),
        }
    }
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Documents checked.
    pub documents: usize,
    /// Documents without errors.
    pub passed: usize,
    /// Documents with at least one error.
    pub failed: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Files or documents that could not be judged.
    pub problems: usize,
    /// HAR entries that match no contract.
    pub skipped: usize,
}

impl Summary {
    /// Adds one file's counts.
    pub fn add(&mut self, file: &FileReport<'_>) {
        for document in &file.documents {
            self.documents += 1;
            if document.ok() {
                self.passed += 1;
            } else {
                self.failed += 1;
            }
            for diagnostic in &document.diagnostics {
                match diagnostic.severity {
                    Severity::Error => self.errors += 1,
                    Severity::Warning => self.warnings += 1,
                }
            }
        }
        self.problems += file.problems.len();
        self.skipped += file.skipped.len();
    }
}

/// An output format.
pub trait Reporter {
    /// Called once per file, in input order, right after it was checked.
    fn file(&mut self, out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()>;
    /// Called once at the end of the run.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by file, with source snippets; for people.
    Human,
    /// One JSON report on stdout; for programs.
    Json,
    /// JUnit XML: a test suite per contract, a test case per document.
    Junit,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions workflow commands, for inline annotations.
    Github,
}

/// The reporter for a format.
pub fn reporter(format: Format, color: Color) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human::new(color)),
        Format::Json => Box::new(json::Json::default()),
        Format::Junit => Box::new(junit::Junit::default()),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
    }
}

/// Several reports from one run: `main` writes to the run's output, each of
/// `extra` to its own file, written through a temporary file and renamed
/// into place when the run finishes, so a report file is never half-written.
pub struct Tee {
    main: Box<dyn Reporter>,
    extra: Vec<(
        Box<dyn Reporter>,
        std::path::PathBuf,
        tempfile::NamedTempFile,
    )>,
}

impl Tee {
    /// `main` plus one reporter per `(format, path)`.
    pub fn new(main: Box<dyn Reporter>, extra: &[(Format, std::path::PathBuf)]) -> io::Result<Tee> {
        let mut reporters = Vec::new();
        for (format, path) in extra {
            let folder = match path.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => std::path::Path::new("."),
            };
            let temporary = tempfile::NamedTempFile::new_in(folder)?;
            reporters.push((reporter(*format, Color::Never), path.clone(), temporary));
        }
        Ok(Tee {
            main,
            extra: reporters,
        })
    }
}

impl Reporter for Tee {
    fn file(&mut self, out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        self.main.file(out, file)?;
        for (reporter, _, temporary) in &mut self.extra {
            reporter.file(temporary.as_file_mut(), file)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.main.finish(out, summary)?;
        for (mut reporter, path, mut temporary) in self.extra.drain(..) {
            reporter.finish(temporary.as_file_mut(), summary)?;
            temporary.as_file_mut().flush()?;
            temporary.persist(&path).map_err(|error| error.error)?;
        }
        Ok(())
    }
}

/// A reporter that writes only what could not be checked (as the human
/// format does) and nothing else: for `actionlog coverage`.
pub fn problems_only() -> Box<dyn Reporter> {
    Box::new(ProblemsOnly)
}

struct ProblemsOnly;

impl Reporter for ProblemsOnly {
    fn file(&mut self, out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        human::write_problems(out, file)
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Text that came from a document (member names, ids, pointers), made safe
/// to print: control characters such as a newline or ESC are shown escaped,
/// so a capture can neither break a one-line message nor drive the terminal.
///
/// ```
/// use actionlog_validator::report::printable;
/// assert_eq!(printable("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
/// assert_eq!(printable("plain"), "plain");
/// ```
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            safe.extend(c.escape_default());
        } else {
            safe.push(c);
        }
    }
    std::borrow::Cow::Owned(safe)
}

/// The location a diagnostic names: in file coordinates (an NDJSON
/// document's positions are relative to its line), or, for a HAR entry's
/// body, inside the body text.
pub fn file_line(document: &DocumentReport, diagnostic: &Diagnostic) -> Option<(usize, usize)> {
    diagnostic.position.map(|position| {
        (
            position.line + document.line.map_or(0, |line| line - 1),
            position.column,
        )
    })
}
