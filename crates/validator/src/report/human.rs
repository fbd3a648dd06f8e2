//! The default format: grouped by file, each finding as a rustc-style source
//! snippet with the offending value underlined, then one summary line.

use super::{FileReport, Reporter, Summary, file_line, printable};
use crate::diagnostic::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::io::{self, IsTerminal, Write};

/// Whether to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

pub(super) struct Human {
    renderer: Renderer,
}

impl Human {
    pub(super) fn new(color: Color) -> Self {
        let styled = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
            }
        };
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human { renderer }
    }
}

impl Reporter for Human {
    fn file(&mut self, out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
        write_problems(out, file)?;
        for document in &file.documents {
            for diagnostic in &document.diagnostics {
                let rendered = self.render(file, document, diagnostic);
                writeln!(out, "{rendered}")?;
            }
            if document.omitted > 0 {
                let at = document
                    .line
                    .map(|line| format!(":{line}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "… and {} more in {}{at} (only the first {} of a document are shown)",
                    document.omitted,
                    file.path,
                    crate::check::MAX_DIAGNOSTICS
                )?;
            }
        }
        for entry in &file.skipped {
            writeln!(
                out,
                "skipped {}: {} matches no contract",
                printable(file.path),
                printable(entry)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut extra = vec![plural(summary.warnings, "warning")];
        if summary.problems > 0 {
            extra.push(format!("{} could not be checked", summary.problems));
        }
        if summary.skipped > 0 {
            extra.push(format!("{} HAR entries skipped", summary.skipped));
        }
        writeln!(
            out,
            "{} passed, {} failed ({})",
            summary.passed,
            summary.failed,
            extra.join(", ")
        )
    }
}

impl Human {
    fn render(
        &self,
        file: &FileReport<'_>,
        document: &super::DocumentReport,
        diagnostic: &Diagnostic,
    ) -> String {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = printable(&diagnostic.message);
        let title = level
            .primary_title(message.as_ref())
            .id(diagnostic.rule.id());
        let mut contract = if document.detected {
            format!("{} (detected)", document.contract)
        } else {
            document.contract.to_owned()
        };
        if let Some(entry) = &document.entry {
            contract = format!("{contract}, {}", entry.describe());
        }
        // A HAR entry's body positions are inside the body, not the file;
        // a line-delimited file's document brings its own line. Each text
        // comes with the number of the file line it starts on.
        let (source_text, first_line, source_name) = match (&document.entry, &document.source) {
            (Some(entry), _) => (
                entry
                    .body
                    .as_deref()
                    .filter(|_| diagnostic.position.is_some()),
                1,
                format!("{} [entry {} body]", file.path, entry.index),
            ),
            (None, Some(source)) => (
                Some(source.as_str()),
                document.line.unwrap_or(1),
                file.path.to_owned(),
            ),
            (None, None) => (file.text, 1, file.path.to_owned()),
        };
        let pointer = if diagnostic.instance_path.is_empty() {
            "(the document root)"
        } else {
            diagnostic.instance_path.as_str()
        };
        let notes = Group::with_title(Level::NOTE.secondary_title(format!(
            "at {} in {}\nexpected: {}\n   found: {}",
            printable(pointer),
            printable(&contract),
            printable(&diagnostic.expected),
            printable(&diagnostic.found)
        )));
        let snippet =
            source_text
                .zip(file_line(document, diagnostic))
                .and_then(|(text, (line, column))| {
                    // A minified document can be one line of megabytes:
                    // quoting it would cost that much per finding.
                    let source = text
                        .lines()
                        .nth(line.checked_sub(first_line)?)
                        .filter(|source| source.len() <= LONGEST_QUOTED_LINE)?;
                    let source = crate::secret::mask_line(source);
                    let start = source
                        .char_indices()
                        .nth(column - 1)
                        .map_or(source.len(), |(at, _)| at);
                    // An object or array is marked by its opening bracket alone.
                    let container = source[start..].starts_with(['{', '[']);
                    let length = diagnostic
                        .position
                        .filter(|_| !container)
                        .map_or(1, |position| position.len.max(1))
                        .min(source.len().saturating_sub(start).max(1));
                    Some((source, line, start, length))
                });
        let report = match &snippet {
            Some((source, line, start, length)) => vec![
                title.element(
                    Snippet::source(source.as_ref())
                        .line_start(*line)
                        .path(source_name.as_str())
                        .annotation(
                            AnnotationKind::Primary
                                .span(*start..(*start + *length).min(source.len()))
                                .label(short_label(diagnostic)),
                        ),
                ),
                notes,
            ],
            None => vec![
                title.element(Level::NOTE.message(format!(
                        "in {}{}",
                        printable(&source_name),
                        match file_line(document, diagnostic) {
                            Some((line, column)) => format!(":{line}:{column}"),
                            None => document
                                .line
                                .map(|line| format!(" (line {line})"))
                                .unwrap_or_default(),
                        }
                    ))),
                notes,
            ],
        };
        self.renderer.render(&report)
    }
}

/// The underline's label: what was expected, without the description, which
/// the note below gives in full.
/// Lines longer than this (in bytes) are located, not quoted.
const LONGEST_QUOTED_LINE: usize = 4096;

/// `could not check FILE:LINE:COLUMN: reason`, one line per problem.
pub(super) fn write_problems(out: &mut dyn Write, file: &FileReport<'_>) -> io::Result<()> {
    for problem in &file.problems {
        let location = match (problem.line, problem.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", file.path),
            (Some(line), None) => format!("{}:{line}", file.path),
            _ => file.path.to_owned(),
        };
        writeln!(
            out,
            "could not check {}: {}",
            printable(&location),
            printable(&problem.message)
        )?;
    }
    Ok(())
}

fn short_label(diagnostic: &Diagnostic) -> String {
    let expected = diagnostic.expected.split(" — ").next().unwrap_or_default();
    format!("expected {}", crate::check::shorten(expected))
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
