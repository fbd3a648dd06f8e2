//! `--format junit`: JUnit XML for CI test views, written with `quick-junit`
//! (nextest's writer). A test suite per contract, in order of first
//! appearance; a test case per document, named by its file (and line, in
//! NDJSON; and entry, in a HAR) with the contract as class name. A document
//! with errors fails: the failure's message is its first error, its text every
//! diagnostic, one per line. Warnings of a passing document go to its
//! `system-out`. What could not be checked becomes an `<error>` test case in
//! the `actionlog` suite, and a HAR entry that matches no contract a
//! `<skipped>` one there.
//!
//! Only the test cases are kept across files, never the files' text.

use super::{DocumentReport, FileReport, Problem, Reporter, Summary, file_line};
use crate::diagnostic::{Diagnostic, Severity};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

/// The suite (and class name) of the files and documents that could not be
/// checked; no contract id looks like it (they are `vendor.resource`).
const PROBLEMS_SUITE: &str = "actionlog";

/// The failure `type` of a problem; the rule id SARIF reports it under.
const PROBLEM_TYPE: &str = "actionlog.unreadable";

#[derive(Default)]
pub(super) struct Junit {
    /// The suites in order of first appearance, by contract id (or
    /// [`PROBLEMS_SUITE`]). A run checks a handful of contracts, so a linear
    /// search is all the lookup needs.
    suites: Vec<(&'static str, TestSuite)>,
}

impl Junit {
    fn suite(&mut self, name: &'static str) -> &mut TestSuite {
        let index = match self.suites.iter().position(|(id, _)| *id == name) {
            Some(index) => index,
            None => {
                self.suites.push((name, TestSuite::new(name)));
                self.suites.len() - 1
            }
        };
        &mut self.suites[index].1
    }
}

impl Reporter for Junit {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        for document in &file.documents {
            let case = document_case(file.path, document);
            self.suite(document.contract).add_test_case(case);
        }
        for problem in &file.problems {
            let case = problem_case(file.path, problem);
            self.suite(PROBLEMS_SUITE).add_test_case(case);
        }
        for entry in &file.skipped {
            let case = skipped_case(file.path, entry);
            self.suite(PROBLEMS_SUITE).add_test_case(case);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        let mut report = Report::new("actionlog");
        report.add_test_suites(self.suites.drain(..).map(|(_, suite)| suite));
        report.serialize(&mut *out).map_err(io::Error::other)
    }
}

/// `path` for a whole-file document, `path:LINE` for an NDJSON one, `path
/// entry N (METHOD URL)` for a HAR entry.
fn case_name(path: &str, document: &DocumentReport) -> String {
    match (&document.entry, document.line) {
        (Some(entry), _) => format!("{path} {}", entry.describe()),
        (None, Some(line)) => format!("{path}:{line}"),
        (None, None) => path.to_owned(),
    }
}

fn document_case(path: &str, document: &DocumentReport) -> TestCase {
    let lines = |wanted: Option<Severity>| {
        let mut lines: Vec<String> = document
            .diagnostics
            .iter()
            .filter(|diagnostic| wanted.is_none_or(|severity| diagnostic.severity == severity))
            .map(|diagnostic| diagnostic_line(path, document, diagnostic))
            .collect();
        if document.omitted > 0 {
            lines.push(format!(
                "… and {} more (only the first {} findings of a document are reported)",
                document.omitted,
                crate::check::MAX_DIAGNOSTICS
            ));
        }
        lines.join("\n")
    };
    let first_error = document
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == Severity::Error);
    let status = match first_error {
        Some(error) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(super::printable(&error.message).as_ref())
                .set_type(error.rule.id())
                .set_description(lines(None));
            status
        }
        None => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(case_name(path, document), status);
    case.set_classname(document.contract);
    if first_error.is_none() && !document.diagnostics.is_empty() {
        case.set_system_out(lines(Some(Severity::Warning)));
    }
    case
}

/// `path:line:col: severity[rule] message (at POINTER; expected: …; found: …)`,
/// in file coordinates; without a position, the document's line (NDJSON) or
/// the bare path. A HAR entry's body positions are in the body, not the file,
/// so they follow `path [entry N body]` instead.
fn diagnostic_line(path: &str, document: &DocumentReport, diagnostic: &Diagnostic) -> String {
    let location = match (
        &document.entry,
        file_line(document, diagnostic),
        document.line,
    ) {
        (Some(entry), Some((line, column)), _) => {
            format!("{path} [entry {} body]:{line}:{column}", entry.index)
        }
        (Some(entry), None, _) => format!("{path} [entry {}]", entry.index),
        (None, Some((line, column)), _) => format!("{path}:{line}:{column}"),
        (None, None, Some(line)) => format!("{path}:{line}"),
        (None, None, None) => path.to_owned(),
    };
    let pointer = if diagnostic.instance_path.is_empty() {
        "(the document root)"
    } else {
        diagnostic.instance_path.as_str()
    };
    let line = format!(
        "{location}: {}[{}] {} (at {pointer}; expected: {}; found: {})",
        diagnostic.severity,
        diagnostic.rule,
        diagnostic.message,
        diagnostic.expected,
        diagnostic.found
    );
    super::printable(&line).into_owned()
}

fn problem_case(path: &str, problem: &Problem) -> TestCase {
    let location = match (problem.line, problem.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path.to_owned(),
    };
    let name = match problem.line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_owned(),
    };
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(super::printable(&problem.message).as_ref())
        .set_type(PROBLEM_TYPE)
        .set_description(
            super::printable(&format!("{location}: could not check: {}", problem.message))
                .into_owned(),
        );
    let mut case = TestCase::new(name, status);
    case.set_classname(PROBLEMS_SUITE);
    case
}

/// A HAR entry that matches no contract (`entry` is its description).
fn skipped_case(path: &str, entry: &str) -> TestCase {
    let mut status = TestCaseStatus::skipped();
    status.set_message("matches no contract");
    let mut case = TestCase::new(format!("{path} {entry}"), status);
    case.set_classname(PROBLEMS_SUITE);
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;
    use crate::rules::Rule;

    fn diagnostic(severity: Severity, line: usize) -> Diagnostic {
        Diagnostic {
            rule: Rule::SchemaEnum,
            severity,
            instance_path: "/status".to_owned(),
            position: Some(Position {
                line,
                column: 13,
                offset: 0,
                len: 0,
            }),
            message: "not a documented status".to_owned(),
            expected: "one of final, pending".to_owned(),
            found: "\"done\"".to_owned(),
        }
    }

    fn render(junit: &mut Junit) -> String {
        let mut out = Vec::new();
        junit
            .finish(&mut out, &Summary::default())
            .unwrap_or_else(|error| panic!("{error}"));
        String::from_utf8(out).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn ndjson_documents_are_named_by_line_and_located_in_file_coordinates() {
        let mut junit = Junit::default();
        let file = FileReport {
            path: "captures/a.ndjson",
            text: None,
            documents: vec![DocumentReport {
                line: Some(4),
                contract: "auth0.execution",
                detected: false,
                diagnostics: vec![diagnostic(Severity::Error, 1)],
                omitted: 0,
                entry: None,
                source: None,
            }],
            problems: Vec::new(),
            skipped: Vec::new(),
        };
        junit
            .file(&mut io::sink(), &file)
            .unwrap_or_else(|error| panic!("{error}"));
        let xml = render(&mut junit);
        assert!(
            xml.contains(r#"<testcase name="captures/a.ndjson:4" classname="auth0.execution""#),
            "{xml}"
        );
        assert!(
            xml.contains("captures/a.ndjson:4:13: error[schema.enum] not a documented status (at /status; expected: one of final, pending; found: &quot;done&quot;)"),
            "{xml}"
        );
    }

    #[test]
    fn warnings_of_a_passing_document_go_to_system_out() {
        let mut junit = Junit::default();
        let file = FileReport {
            path: "a.json",
            text: None,
            documents: vec![DocumentReport {
                line: None,
                contract: "auth0.execution",
                detected: true,
                diagnostics: vec![diagnostic(Severity::Warning, 2)],
                omitted: 0,
                entry: None,
                source: None,
            }],
            problems: vec![Problem {
                line: None,
                column: None,
                message: "the file is empty".to_owned(),
            }],
            skipped: Vec::new(),
        };
        junit
            .file(&mut io::sink(), &file)
            .unwrap_or_else(|error| panic!("{error}"));
        let xml = render(&mut junit);
        assert!(!xml.contains("<failure"), "{xml}");
        assert!(
            xml.contains("<system-out>a.json:2:13: warning[schema.enum]"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error message="the file is empty" type="actionlog.unreadable">"#),
            "{xml}"
        );
    }

    #[test]
    fn har_entries_are_named_by_entry_and_located_in_their_body() {
        let mut junit = Junit::default();
        let file = FileReport {
            path: "captures/a.har",
            text: None,
            documents: vec![DocumentReport {
                line: None,
                contract: "auth0.execution",
                detected: false,
                diagnostics: vec![diagnostic(Severity::Error, 7)],
                omitted: 3,
                entry: Some(crate::report::EntryInfo {
                    index: 2,
                    method: "GET".to_owned(),
                    url: "https://example.com/x".to_owned(),
                    body: None,
                }),
                source: None,
            }],
            problems: Vec::new(),
            skipped: vec!["entry 5 (GET https://example.com/favicon.ico)".to_owned()],
        };
        junit
            .file(&mut io::sink(), &file)
            .unwrap_or_else(|error| panic!("{error}"));
        let xml = render(&mut junit);
        assert!(
            xml.contains(r#"<testcase name="captures/a.har entry 2 (GET https://example.com/x)" classname="auth0.execution""#),
            "{xml}"
        );
        assert!(
            xml.contains("captures/a.har [entry 2 body]:7:13: error[schema.enum]"),
            "{xml}"
        );
        assert!(xml.contains("… and 3 more"), "{xml}");
        assert!(
            xml.contains(r#"<testcase name="captures/a.har entry 5 (GET https://example.com/favicon.ico)" classname="actionlog">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<skipped message="matches no contract"/>"#),
            "{xml}"
        );
    }
}
