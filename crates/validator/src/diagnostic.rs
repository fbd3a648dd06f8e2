//! What the validator finds, as data. Rendering into text, JSON, SARIF, JUnit
//! or workflow commands is the reporters' job (`report/`).

use crate::rules::Rule;
use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Drift the maintainer should see; the document still passes (unless
    /// `--strict`).
    Warning,
    /// The document breaks its contract.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where in a file a value starts: 1-based line and column (in characters),
/// and the byte offset, all relative to the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte offset from the start of the file.
    #[serde(skip)]
    pub offset: usize,
    /// Length in bytes of the value that starts here (0 when unknown).
    #[serde(skip)]
    pub len: usize,
}

/// One finding about one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule that was broken.
    pub rule: Rule,
    /// Error or warning, after the run's policy (`--strict`, config) applied.
    pub severity: Severity,
    /// JSON pointer (RFC 6901) of the offending value; for a missing member,
    /// of the object that lacks it.
    pub instance_path: String,
    /// Where the offending value starts in the file, when it could be found.
    pub position: Option<Position>,
    /// One line saying what is wrong.
    pub message: String,
    /// What the contract expects there, with the page's description.
    pub expected: String,
    /// What the document has there: the value, shortened, with secrets masked.
    pub found: String,
}
