//! `--format sarif`: one SARIF 2.1.0 log for code-scanning uploads, built
//! with `serde-sarif`'s object model. One run; `tool.driver.rules` is the
//! whole rule catalogue plus [`UNREADABLE`] for what could not be checked; a
//! result per diagnostic (and per problem), in input order.
//!
//! Locations: `artifactLocation.uri` is the path as given, percent-encoded
//! where a URI needs it, relative to `%SRCROOT%` (an absolute path becomes a
//! `file:` URI); standard input has no URI, only a description. Columns count
//! characters, as the run's `columnKind` says. A HAR entry's body positions
//! are in the body, not the file: its results have no region, and carry the
//! entry and the body position in `properties` and the message instead.
//!
//! What is not a finding goes to the invocation's
//! `toolExecutionNotifications`: findings left out past
//! [`crate::check::MAX_DIAGNOSTICS`] a document, and HAR entries that match
//! no contract.
//!
//! Only the results and notifications are kept across files, never the
//! files' text.

use super::{DocumentReport, FileReport, Problem, Reporter, Summary, file_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;
use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif as SarifLog, Tool, ToolComponent,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The `$schema` of the log.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The tool's home page.
const INFORMATION_URI: &str = "https://github.com/actionlog-contracts/actionlog-contracts";

/// The rule id of a file or document that could not be checked; its
/// descriptor follows the catalogue's in `tool.driver.rules`.
const UNREADABLE: &str = "actionlog.unreadable";

/// The base that relative artifact URIs resolve against.
const SRCROOT: &str = "%SRCROOT%";

/// What `run.rs` shows for standard input.
const STDIN: &str = "<stdin>";

#[derive(Default)]
pub(super) struct Sarif {
    results: Vec<SarifResult>,
    notifications: Vec<Notification>,
}

impl Reporter for Sarif {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        for document in &file.documents {
            for diagnostic in &document.diagnostics {
                self.results
                    .push(diagnostic_result(file.path, document, diagnostic));
            }
            if document.omitted > 0 {
                let at = match (&document.entry, document.line) {
                    (Some(entry), _) => format!(", {}", entry.describe()),
                    (None, Some(line)) => format!(", line {line}"),
                    (None, None) => String::new(),
                };
                self.notifications.push(notification(
                    "warning",
                    format!(
                        "{} more findings in {}{at} were not reported (only the first {} of a document are)",
                        document.omitted,
                        file.path,
                        crate::check::MAX_DIAGNOSTICS
                    ),
                    file.path,
                ));
            }
        }
        for problem in &file.problems {
            self.results.push(problem_result(file.path, problem));
        }
        for entry in &file.skipped {
            self.notifications.push(notification(
                "note",
                format!("skipped {}: {entry} matches no contract", file.path),
                file.path,
            ));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let driver = ToolComponent::builder()
            .name("actionlog")
            .version(env!("CARGO_PKG_VERSION"))
            .information_uri(INFORMATION_URI)
            .rules(rules())
            .build();
        let mut invocation = Invocation::builder()
            .execution_successful(summary.problems == 0)
            .build();
        if !self.notifications.is_empty() {
            invocation.tool_execution_notifications = Some(std::mem::take(&mut self.notifications));
        }
        let run = Run::builder()
            .tool(Tool::builder().driver(driver).build())
            .invocations(vec![invocation])
            .column_kind(Value::from("unicodeCodePoints"))
            .results(std::mem::take(&mut self.results))
            .build();
        let log = SarifLog::builder()
            .schema(SCHEMA)
            .version(Value::from("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// `tool.driver.rules`: [`Rule::ALL`] in order, so a rule's `ruleIndex` is
/// its position there, then [`UNREADABLE`].
fn rules() -> Vec<ReportingDescriptor> {
    let mut rules: Vec<_> = Rule::ALL
        .iter()
        .map(|rule| {
            let info = rule.info();
            descriptor(
                info.id,
                info.summary,
                info.explain,
                info.default_severity,
                format!(
                    "{}\n\nRun `actionlog explain {}` for this text in a terminal.",
                    info.explain, info.id
                ),
            )
        })
        .collect();
    rules.push(descriptor(
        UNREADABLE,
        "a file or document could not be checked",
        "The file could not be read, is empty, is not JSON, or its contract could not be \
chosen, so nothing in it was judged; the run exits with status 2.",
        Severity::Error,
        "Fix the file (or pass `--contract`), then run actionlog again. The result's message \
says why it could not be checked."
            .to_owned(),
    ));
    rules
}

fn descriptor(
    id: &str,
    summary: &str,
    explain: &str,
    severity: Severity,
    help: String,
) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(id)
        .short_description(text(summary))
        .full_description(text(explain))
        .help(text(&help))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(Value::from(severity.to_string()))
                .build(),
        )
        .build()
}

fn text(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    }
}

/// The index of `rule` in [`rules`].
fn rule_index(rule: Rule) -> i64 {
    let index = Rule::ALL
        .iter()
        .position(|candidate| *candidate == rule)
        .unwrap_or(Rule::ALL.len());
    i64::try_from(index).unwrap_or(i64::MAX)
}

fn diagnostic_result(
    path: &str,
    document: &DocumentReport,
    diagnostic: &Diagnostic,
) -> SarifResult {
    let pointer = if diagnostic.instance_path.is_empty() {
        "(the document root)"
    } else {
        diagnostic.instance_path.as_str()
    };
    let position = file_line(document, diagnostic);
    let mut properties = BTreeMap::from([
        (
            "instancePath".to_owned(),
            Value::from(diagnostic.instance_path.as_str()),
        ),
        ("contract".to_owned(), Value::from(document.contract)),
    ]);
    let mut at = format!("at {pointer} in {}", document.contract);
    // A HAR entry's positions are in its body: no region in the HAR file.
    let region = match &document.entry {
        Some(entry) => {
            at.push_str(&format!(", {}", entry.describe()));
            properties.insert("harEntry".to_owned(), Value::from(entry.index));
            properties.insert("harMethod".to_owned(), Value::from(entry.method.as_str()));
            properties.insert("harUrl".to_owned(), Value::from(entry.url.as_str()));
            if let Some((line, column)) = position {
                at.push_str(&format!(", body line {line}, column {column}"));
                properties.insert("bodyLine".to_owned(), Value::from(line));
                properties.insert("bodyColumn".to_owned(), Value::from(column));
            }
            None
        }
        None => position,
    };
    let message = format!(
        "{}\n{at}\nexpected: {}\nfound: {}",
        diagnostic.message, diagnostic.expected, diagnostic.found
    );
    let properties = PropertyBag::builder()
        .additional_properties(properties)
        .build();
    SarifResult::builder()
        .rule_id(diagnostic.rule.id())
        .rule_index(rule_index(diagnostic.rule))
        .level(level(diagnostic.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location(
            path,
            region.map(|(line, _)| line),
            region.map(|(_, column)| column),
        )])
        .properties(properties)
        .build()
}

fn problem_result(path: &str, problem: &Problem) -> SarifResult {
    SarifResult::builder()
        .rule_id(UNREADABLE)
        .rule_index(i64::try_from(Rule::ALL.len()).unwrap_or(i64::MAX))
        .level(ResultLevel::Error)
        .message(
            Message::builder()
                .text(format!("could not check: {}", problem.message))
                .build(),
        )
        .locations(vec![location(path, problem.line, problem.column)])
        .build()
}

/// A notification of the run (not a finding) about `path`.
fn notification(level: &str, text: String, path: &str) -> Notification {
    Notification::builder()
        .level(Value::from(level))
        .message(Message::builder().text(text).build())
        .locations(vec![location(path, None, None)])
        .build()
}

/// The one physical location of a result; the region only where the line is
/// known.
fn location(path: &str, line: Option<usize>, column: Option<usize>) -> Location {
    let mut physical = PhysicalLocation::builder()
        .artifact_location(artifact(path))
        .build();
    physical.region = line.map(|line| Region {
        start_line: i64::try_from(line).ok(),
        start_column: column.and_then(|column| i64::try_from(column).ok()),
        ..Region::default()
    });
    Location::builder().physical_location(physical).build()
}

/// The artifact of `path` as `run.rs` shows it: as given, `/`-separated.
fn artifact(path: &str) -> ArtifactLocation {
    let (uri, uri_base_id) = if path == STDIN {
        return ArtifactLocation {
            description: Some(Message::builder().text("standard input").build()),
            ..ArtifactLocation::default()
        };
    } else if path.starts_with("//") {
        // A UNC path, `//host/share/…`: `file://host/share/…`.
        (format!("file:{}", encode(path)), None)
    } else if path.starts_with('/') {
        (format!("file://{}", encode(path)), None)
    } else if let Some((drive, rest)) = windows_drive(path) {
        (format!("file:///{drive}:{}", encode(rest)), None)
    } else {
        (encode(path), Some(SRCROOT.to_owned()))
    };
    ArtifactLocation {
        uri: Some(uri),
        uri_base_id,
        ..ArtifactLocation::default()
    }
}

/// The drive letter and the rest of a Windows absolute path (`C:/dir/file`).
fn windows_drive(path: &str) -> Option<(char, &str)> {
    let mut chars = path.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(drive), Some(':'), Some('/')) if drive.is_ascii_alphabetic() => {
            Some((drive, &path[2..]))
        }
        _ => None,
    }
}

/// Percent-encodes what may not stand in a URI path: everything but the
/// unreserved characters, `/`, and the sub-delimiters and `@` (RFC 3986).
/// `:` is encoded too, so a relative path's first segment never reads as a
/// scheme.
fn encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_srcroot_unless_absolute() {
        let relative = artifact("fixtures/a b#1.json");
        assert_eq!(relative.uri.as_deref(), Some("fixtures/a%20b%231.json"));
        assert_eq!(relative.uri_base_id.as_deref(), Some(SRCROOT));

        let absolute = artifact("/tmp/captures/ü.json");
        assert_eq!(
            absolute.uri.as_deref(),
            Some("file:///tmp/captures/%C3%BC.json")
        );
        assert_eq!(absolute.uri_base_id, None);

        let windows = artifact("C:/captures/a.json");
        assert_eq!(windows.uri.as_deref(), Some("file:///C:/captures/a.json"));

        let unc = artifact("//server/share/a.json");
        assert_eq!(unc.uri.as_deref(), Some("file://server/share/a.json"));

        let stdin = artifact(STDIN);
        assert_eq!(stdin.uri, None);
        assert!(stdin.description.is_some());

        assert_eq!(encode("a:b.json"), "a%3Ab.json");
    }

    #[test]
    fn rule_indexes_point_into_the_descriptors() {
        let rules = rules();
        assert_eq!(rules.len(), Rule::ALL.len() + 1);
        for rule in Rule::ALL {
            let index = usize::try_from(rule_index(*rule)).unwrap_or(usize::MAX);
            assert_eq!(
                rules.get(index).map(|descriptor| descriptor.id.as_str()),
                Some(rule.id())
            );
        }
        assert_eq!(
            rules.last().map(|descriptor| descriptor.id.as_str()),
            Some(UNREADABLE)
        );
    }
}
