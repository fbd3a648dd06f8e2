//! `--format json`: one stable report object on stdout, documented in
//! README.md. Diagnostics carry file coordinates (an NDJSON document's line
//! already added).
//!
//! The summary comes first but is known last, and a run may check millions
//! of documents: each document's entry is written as it comes, already
//! formatted, to an anonymous temporary file, and copied out after the
//! summary. Problems and skipped HAR entries, a handful in a run, are kept.

use super::{FileReport, Problem, Reporter, Summary, file_line};
use serde::Serialize;
use std::io::{self, BufWriter, Seek, Write};

#[derive(Default)]
pub(super) struct Json {
    /// The `documents` array's elements so far, formatted at their depth;
    /// `None` before the first.
    documents: Option<Spool>,
    problems: Vec<JsonProblem>,
    skipped: Vec<JsonSkipped>,
    buffers: Buffers,
}

/// Where the formatted documents wait for the summary: a temporary file,
/// or memory when no temporary file can be made.
enum Spool {
    File(BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Spool {
    fn new() -> Spool {
        match tempfile::tempfile() {
            Ok(file) => Spool::File(BufWriter::new(file)),
            Err(_) => Spool::Memory(Vec::new()),
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Spool::File(file) => file,
            Spool::Memory(bytes) => bytes,
        }
    }

    /// Writes what was spooled to `out`.
    fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::Memory(bytes) => out.write_all(&bytes),
            Spool::File(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                io::copy(&mut file, out).map(drop)
            }
        }
    }
}

/// Where a value is printed before it is written: serde_json's pretty
/// printer writes a few bytes at a time, and indenting each piece on its way
/// to the spool cost more than checking the document did.
#[derive(Default)]
struct Buffers {
    printed: Vec<u8>,
    indented: Vec<u8>,
}

impl Buffers {
    /// Writes `value` pretty-printed as serde_json prints it nested under
    /// `indent`: printed from the left margin, then indented after every
    /// newline (a newline is never inside a JSON string: it is escaped).
    fn write_at(
        &mut self,
        out: &mut dyn Write,
        indent: &[u8],
        value: &impl Serialize,
    ) -> io::Result<()> {
        self.printed.clear();
        serde_json::to_writer_pretty(&mut self.printed, value).map_err(io::Error::from)?;
        self.indented.clear();
        for (index, line) in self.printed.split(|byte| *byte == b'\n').enumerate() {
            if index > 0 {
                self.indented.push(b'\n');
                self.indented.extend_from_slice(indent);
            }
            self.indented.extend_from_slice(line);
        }
        out.write_all(&self.indented)
    }

    /// Writes the entry of a document with nothing to say, as
    /// [`Buffers::write_at`] would at the `documents` array's depth, without
    /// the pretty printer: most documents are this, and printing them was
    /// most of the report's cost. `path` is the file's, already escaped.
    fn write_clean(
        &mut self,
        out: &mut dyn Write,
        path: &str,
        document: &super::DocumentReport,
    ) -> io::Result<()> {
        use std::io::Write as _;
        let entry = &mut self.indented;
        entry.clear();
        write!(entry, "{{\n      \"file\": {path},\n      \"line\": ")?;
        match document.line {
            Some(line) => write!(entry, "{line}")?,
            None => entry.extend_from_slice(b"null"),
        }
        entry.extend_from_slice(b",\n      \"contract\": ");
        serde_json::to_writer(&mut *entry, document.contract).map_err(io::Error::from)?;
        write!(
            entry,
            ",\n      \"detected\": {},\n      \"ok\": true,\n      \"diagnostics\": []\n    }}",
            document.detected
        )?;
        out.write_all(entry)
    }
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

/// A document's element of the `documents` array.
fn document_entry(file: &FileReport<'_>, document: &super::DocumentReport) -> JsonDocument {
    JsonDocument {
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
    }
}

impl Reporter for Json {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        // The path, escaped once for all of the file's documents.
        let path = serde_json::to_string(file.path).map_err(io::Error::from)?;
        for document in &file.documents {
            let first = self.documents.is_none();
            let spool = self.documents.get_or_insert_with(Spool::new).writer();
            spool.write_all(if first { b"\n    " } else { b",\n    " })?;
            if document.diagnostics.is_empty() && document.entry.is_none() && document.omitted == 0
            {
                self.buffers.write_clean(spool, &path, document)?;
            } else {
                self.buffers
                    .write_at(spool, b"    ", &document_entry(file, document))?;
            }
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

    /// Writes what `serde_json::to_writer_pretty` writes for `{summary,
    /// documents, problems, skipped}`, byte for byte.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(b"{\n  \"summary\": ")?;
        self.buffers.write_at(out, b"  ", summary)?;
        out.write_all(b",\n  \"documents\": [")?;
        if let Some(documents) = self.documents.take() {
            documents.copy_to(out)?;
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n  \"problems\": ")?;
        self.buffers.write_at(out, b"  ", &self.problems)?;
        out.write_all(b",\n  \"skipped\": ")?;
        self.buffers.write_at(out, b"  ", &self.skipped)?;
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Position, Severity};
    use crate::report::{DocumentReport, EntryInfo};
    use crate::rules::Rule;

    /// The report as one `serde_json::to_writer_pretty` call writes it: what
    /// the spooling reporter must write byte for byte.
    #[derive(Serialize)]
    struct Whole<'a> {
        summary: &'a Summary,
        documents: &'a [JsonDocument],
        problems: &'a [JsonProblem],
        skipped: &'a [JsonSkipped],
    }

    fn document(line: Option<usize>, diagnostics: Vec<Diagnostic>) -> DocumentReport {
        DocumentReport {
            line,
            contract: "auth0.execution",
            detected: line.is_some(),
            diagnostics,
            omitted: usize::from(line == Some(3)),
            entry: None,
            source: None,
        }
    }

    fn diagnostic(severity: Severity, message: &str) -> Diagnostic {
        Diagnostic {
            rule: Rule::SchemaEnum,
            severity,
            instance_path: "/status".to_owned(),
            position: Some(Position {
                line: 2,
                column: 5,
                offset: 7,
                len: 3,
            }),
            message: message.to_owned(),
            expected: "one of \"a\", \"b\"".to_owned(),
            found: "\"c\"\nwith a newline and \u{1b} escape".to_owned(),
        }
    }

    fn files() -> Vec<FileReport<'static>> {
        let mut har = document(None, vec![diagnostic(Severity::Warning, "drift")]);
        har.entry = Some(EntryInfo {
            index: 4,
            method: "GET".to_owned(),
            url: "https://example.com/x?y=z".to_owned(),
            body: Some("{}".to_owned()),
        });
        vec![
            FileReport {
                path: "a/ok.json",
                text: Some("{}"),
                documents: vec![document(None, Vec::new())],
                problems: Vec::new(),
                skipped: Vec::new(),
            },
            FileReport {
                path: "a/lines.ndjson",
                text: Some("{}\n{}\n{}"),
                documents: vec![
                    document(Some(1), vec![diagnostic(Severity::Error, "bad")]),
                    document(
                        Some(3),
                        vec![
                            diagnostic(Severity::Error, "one"),
                            diagnostic(Severity::Warning, "two"),
                        ],
                    ),
                    document(Some(4), Vec::new()),
                ],
                problems: vec![Problem {
                    line: Some(2),
                    column: Some(1),
                    message: "not JSON".to_owned(),
                }],
                skipped: Vec::new(),
            },
            FileReport::unreadable("gone.json", "no such file or directory".to_owned()),
            FileReport {
                path: "b/a \"quoted\" \\ name\u{1b}.ndjson",
                text: None,
                documents: vec![document(Some(1), Vec::new()), document(Some(2), Vec::new())],
                problems: Vec::new(),
                skipped: Vec::new(),
            },
            FileReport {
                path: "c.har",
                text: Some("{}"),
                documents: vec![har],
                problems: Vec::new(),
                skipped: vec!["entry 1 (GET https://example.com/)".to_owned()],
            },
        ]
    }

    fn spooled(files: &[FileReport<'_>], summary: &Summary) -> String {
        let mut reporter = Json::default();
        let mut out = Vec::new();
        for file in files {
            reporter.file(&mut out, file).unwrap();
        }
        assert!(out.is_empty(), "nothing is written before the summary");
        reporter.finish(&mut out, summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(files: &[FileReport<'_>], summary: &Summary) -> String {
        let mut documents = Vec::new();
        let mut problems = Vec::new();
        let mut skipped = Vec::new();
        for file in files {
            documents.extend(file.documents.iter().map(|d| document_entry(file, d)));
            problems.extend(file.problems.iter().map(|problem| JsonProblem {
                file: file.path.to_owned(),
                problem: problem.clone(),
            }));
            skipped.extend(file.skipped.iter().map(|entry| JsonSkipped {
                file: file.path.to_owned(),
                entry: entry.clone(),
            }));
        }
        let report = Whole {
            summary,
            documents: &documents,
            problems: &problems,
            skipped: &skipped,
        };
        serde_json::to_string_pretty(&report).unwrap() + "\n"
    }

    #[test]
    fn writes_what_one_pretty_print_of_the_whole_report_writes() {
        let files = files();
        let mut summary = Summary::default();
        for file in &files {
            summary.add(file);
        }
        for count in 0..=files.len() {
            let files = &files[..count];
            assert_eq!(
                spooled(files, &summary),
                whole(files, &summary),
                "{count} files"
            );
        }
        let no_documents = [FileReport::unreadable("x", "y".to_owned())];
        assert_eq!(
            spooled(&no_documents, &summary),
            whole(&no_documents, &summary)
        );
    }

    #[test]
    fn indents_after_every_newline_only() {
        let mut out = Vec::new();
        let value = serde_json::json!({"a": [1], "b": "x\ny"});
        Buffers::default()
            .write_at(&mut out, b"  ", &value)
            .unwrap();
        let expected = "{\n    \"a\": [\n      1\n    ],\n    \"b\": \"x\\ny\"\n  }";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
