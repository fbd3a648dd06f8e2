//! `--format json`: one stable report object on stdout, documented in
//! README.md. Diagnostics carry file coordinates (an NDJSON document's line
//! already added).

use super::{FileReport, Problem, Reporter, Summary, file_line};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Default)]
pub(super) struct Json {
    documents: Vec<JsonDocument>,
    problems: Vec<JsonProblem>,
    skipped: Vec<JsonSkipped>,
}

#[derive(Serialize)]
struct JsonSkipped {
    file: String,
    entry: String,
}

#[derive(Serialize)]
struct JsonDocument {
    file: String,
    line: Option<usize>,
    contract: &'static str,
    detected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<super::EntryInfo>,
    ok: bool,
    diagnostics: Vec<JsonDiagnostic>,
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Serialize)]
struct JsonDiagnostic {
    severity: crate::Severity,
    rule: crate::Rule,
    instance_path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    expected: String,
    found: String,
}

#[derive(Serialize)]
struct JsonProblem {
    file: String,
    #[serde(flatten)]
    problem: Problem,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    summary: &'a Summary,
    documents: &'a [JsonDocument],
    problems: &'a [JsonProblem],
    skipped: &'a [JsonSkipped],
}

impl Reporter for Json {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        for document in &file.documents {
            self.documents.push(JsonDocument {
                file: file.path.to_owned(),
                line: document.line,
                contract: document.contract,
                detected: document.detected,
                entry: document.entry.clone(),
                ok: document.ok(),
                omitted: document.omitted,
                diagnostics: document
                    .diagnostics
                    .iter()
                    .map(|diagnostic| {
                        let position = file_line(document, diagnostic);
                        JsonDiagnostic {
                            severity: diagnostic.severity,
                            rule: diagnostic.rule,
                            instance_path: diagnostic.instance_path.clone(),
                            line: position.map(|(line, _)| line),
                            column: position.map(|(_, column)| column),
                            message: diagnostic.message.clone(),
                            expected: diagnostic.expected.clone(),
                            found: diagnostic.found.clone(),
                        }
                    })
                    .collect(),
            });
        }
        self.problems
            .extend(file.problems.iter().map(|problem| JsonProblem {
                file: file.path.to_owned(),
                problem: problem.clone(),
            }));
        self.skipped
            .extend(file.skipped.iter().map(|entry| JsonSkipped {
                file: file.path.to_owned(),
                entry: entry.clone(),
            }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let report = JsonReport {
            summary,
            documents: &self.documents,
            problems: &self.problems,
            skipped: &self.skipped,
        };
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)
    }
}
