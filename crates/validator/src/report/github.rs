//! `--format github`: GitHub Actions workflow commands, one per diagnostic,
//! which the runner turns into inline annotations on the pull request.

use super::{FileReport, Reporter, Summary, file_line};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub(super) struct Github;

impl Reporter for Github {
    fn file(&mut self, out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        let path = escape_property(file.path);
        for problem in &file.problems {
            let mut location = format!("file={path}");
            if let Some(line) = problem.line {
                location.push_str(&format!(",line={line}"));
            }
            if let Some(column) = problem.column {
                location.push_str(&format!(",col={column}"));
            }
            writeln!(
                out,
                "::error {location},title=could not check::{}",
                escape_data(&problem.message)
            )?;
        }
        for document in &file.documents {
            for diagnostic in &document.diagnostics {
                let command = match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut location = format!("file={path}");
                // A HAR entry's body positions are inside the body, not the
                // file: the annotation names the file, the message the place.
                let mut place = String::new();
                match (&document.entry, file_line(document, diagnostic)) {
                    (None, Some((line, column))) => {
                        location.push_str(&format!(",line={line},col={column}"))
                    }
                    (Some(entry), Some((line, column))) => {
                        place =
                            format!(" ({}, body line {line} column {column})", entry.describe());
                    }
                    (Some(entry), None) => place = format!(" ({})", entry.describe()),
                    (None, None) => {}
                }
                let title =
                    escape_property(&format!("{} ({})", diagnostic.rule, document.contract));
                let message = format!(
                    "{}{place} at {}\nexpected: {}\nfound: {}",
                    diagnostic.message,
                    if diagnostic.instance_path.is_empty() {
                        "/"
                    } else {
                        &diagnostic.instance_path
                    },
                    diagnostic.expected,
                    diagnostic.found
                );
                writeln!(
                    out,
                    "::{command} {location},title={title}::{}",
                    escape_data(&message)
                )?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(
            out,
            "{} passed, {} failed ({} warnings, {} could not be checked)",
            summary.passed, summary.failed, summary.warnings, summary.problems
        )
    }
}

/// Workflow-command message escaping: `%`, CR and LF, and other control
/// characters.
fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    // Any other control character (from a capture's member names) is shown
    // escaped rather than sent to the log viewer.
    super::printable(&escaped).into_owned()
}

/// Property values also escape `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_end_the_command() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
