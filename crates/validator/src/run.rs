//! A validation run: inputs in, one report per file out, as it goes.

use crate::check;
use crate::config::Config;
use crate::coverage::Coverage;
use crate::diagnostic::Diagnostic;
use crate::input::{self, Input};
use crate::policy::Policy;
use crate::report::{DocumentReport, EntryInfo, FileReport, Problem, Reporter, Summary};
use crate::rules::Rule;
use crate::schema::CompiledSchema;
use crate::select;
use actionlog_models::Contract;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a run is asked to do.
#[derive(Debug, Default)]
pub struct Options {
    /// `--contract`: the contract for every document.
    pub contract: Option<&'static Contract>,
    /// The command line's policy, before configuration.
    pub policy: Policy,
    /// `actionlog.toml`, if one was found or given.
    pub config: Option<Config>,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
    /// `--require-match`: a HAR entry that matches no contract is an error.
    pub require_match: bool,
    /// `--full-path-only`: judge every document with the full path (the
    /// fast path's verdicts are the same; this is for comparing them).
    pub full_path_only: bool,
}

/// Compiled schemas, each compiled on first use: a run that checks one
/// contract compiles one.
#[derive(Default)]
pub struct Schemas {
    compiled: HashMap<&'static str, CompiledSchema>,
}

impl Schemas {
    /// The compiled schema of `contract`.
    pub fn get(&mut self, contract: &'static Contract) -> Result<&CompiledSchema, String> {
        if !self.compiled.contains_key(contract.id) {
            let compiled = CompiledSchema::compile(contract).map_err(|error| error.to_string())?;
            self.compiled.insert(contract.id, compiled);
        }
        self.compiled
            .get(contract.id)
            .ok_or_else(|| format!("the schema of {} was not kept", contract.id))
    }
}

/// Checks every input and hands each file's results to `reporter`.
pub fn run(
    paths: &[PathBuf],
    options: &Options,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    run_counting(paths, options, reporter, out, None)
}

/// [`run`], also counting contract coverage into `coverage` from the same
/// parsed documents.
pub fn run_counting(
    paths: &[PathBuf],
    options: &Options,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    mut coverage: Option<&mut Coverage>,
) -> io::Result<Summary> {
    let mut schemas = Schemas::default();
    let mut summary = Summary::default();
    for input in input::expand(paths) {
        match input {
            Input::Unreadable(path, reason) => {
                let file = FileReport::unreadable(&path, reason);
                summary.add(&file);
                reporter.file(out, &file)?;
            }
            Input::File(path) => {
                let shown = display(&path);
                match input::read(
                    &path,
                    options.max_file_size,
                    input::is_line_delimited(&path),
                ) {
                    Ok(read) => {
                        let counter = coverage.as_deref_mut();
                        let mut checked = if input::is_har(&path) {
                            check_har(&path, &read.text, options, &mut schemas, counter)
                        } else {
                            check_file(&path, &read.text, options, &mut schemas, counter)
                        };
                        checked
                            .problems
                            .extend(read.bad_lines.into_iter().map(Problem::from));
                        checked.problems.sort_by_key(|problem| problem.line);
                        let file = FileReport {
                            path: &shown,
                            text: Some(&read.text),
                            documents: checked.documents,
                            problems: checked.problems,
                            skipped: checked.skipped,
                        };
                        summary.add(&file);
                        reporter.file(out, &file)?;
                    }
                    Err(error) => {
                        let file = FileReport::unreadable(&shown, error);
                        summary.add(&file);
                        reporter.file(out, &file)?;
                    }
                }
            }
        }
    }
    reporter.finish(out, &summary)?;
    Ok(summary)
}

/// What checking one file found.
#[derive(Default)]
struct Checked {
    documents: Vec<DocumentReport>,
    problems: Vec<Problem>,
    skipped: Vec<String>,
}

fn policy_for(options: &Options, path: &Path) -> Policy {
    match &options.config {
        Some(config) => config.policy_for(&options.policy, path),
        None => options.policy.clone(),
    }
}

/// A HAR capture: every entry against the contract its URL matches.
fn check_har(
    path: &Path,
    text: &str,
    options: &Options,
    schemas: &mut Schemas,
    mut coverage: Option<&mut Coverage>,
) -> Checked {
    let policy = policy_for(options, path);
    let mut checked = Checked::default();
    let har = match crate::json::parse(text) {
        Ok(parsed) => parsed.value,
        Err(error) => {
            checked.problems.push(Problem {
                line: Some(error.line),
                column: Some(error.column),
                message: format!("not JSON: {}", error.message),
            });
            return checked;
        }
    };
    let exchanges = match crate::har::exchanges(&har, &policy) {
        Ok(exchanges) => exchanges,
        Err(reason) => {
            checked.problems.push(Problem::from(reason));
            return checked;
        }
    };
    for exchange in exchanges {
        let info = EntryInfo {
            index: exchange.index,
            method: exchange.method.clone(),
            url: exchange.url.clone(),
            body: None,
        };
        if let Some(reason) = exchange.problem {
            checked
                .problems
                .push(Problem::from(format!("{}: {reason}", info.describe())));
            continue;
        }
        let Some(contract) = exchange.contract else {
            match policy
                .severity(Rule::HarUnmatchedEntry)
                .filter(|_| options.require_match)
            {
                Some(severity) => checked.documents.push(DocumentReport {
                    line: None,
                    contract: "(none)",
                    detected: false,
                    diagnostics: vec![Diagnostic {
                        rule: Rule::HarUnmatchedEntry,
                        severity,
                        instance_path: format!("/log/entries/{}", info.index),
                        position: None,
                        message: format!("{} matches no contract", info.describe()),
                        expected: "a request to one of the contracts' endpoints".to_owned(),
                        found: format!("{} {}", info.method, info.url),
                    }],
                    omitted: 0,
                    entry: Some(info),
                }),
                None => checked.skipped.push(info.describe()),
            }
            continue;
        };
        if let (Some(coverage), Ok(schema)) = (coverage.as_deref_mut(), schemas.get(contract)) {
            coverage.add_exchange(
                contract,
                &schema.schema,
                exchange.status,
                &exchange.request.query,
            );
        }
        let mut diagnostics = exchange.diagnostics;
        let mut omitted = 0;
        if let Some(body) = &exchange.body {
            // A request whose path parameters break their form is not one
            // the body can be held to.
            let trusted = !diagnostics.iter().any(|d| d.rule == Rule::RequestPathParam);
            let request = trusted.then_some(&exchange.request);
            let checked_body = schemas.get(contract).map(|schema| {
                check::check_text(
                    schema,
                    &policy,
                    body,
                    request,
                    coverage.as_deref_mut(),
                    !options.full_path_only,
                )
            });
            match checked_body {
                Ok(Ok(outcome)) => {
                    diagnostics.extend(outcome.diagnostics);
                    omitted = outcome.omitted;
                }
                Ok(Err(error)) => {
                    if let Some(severity) = policy.severity(Rule::ResponseContentType) {
                        diagnostics.push(Diagnostic {
                            rule: Rule::ResponseContentType,
                            severity,
                            instance_path: format!(
                                "/log/entries/{}/response/content/text",
                                info.index
                            ),
                            position: None,
                            message: format!(
                                "the body is not JSON: {} at line {} column {} of the body",
                                error.message, error.line, error.column
                            ),
                            expected: "a JSON body".to_owned(),
                            found: "text that does not parse".to_owned(),
                        });
                    }
                }
                Err(reason) => checked.problems.push(Problem::from(reason)),
            }
        }
        checked.documents.push(DocumentReport {
            line: None,
            contract: contract.id,
            detected: false,
            diagnostics,
            omitted,
            entry: Some(EntryInfo {
                body: exchange.body,
                ..info
            }),
        });
    }
    checked
}

fn check_file(
    path: &Path,
    text: &str,
    options: &Options,
    schemas: &mut Schemas,
    mut coverage: Option<&mut Coverage>,
) -> Checked {
    let policy = policy_for(options, path);
    let chosen = options
        .contract
        .or_else(|| {
            options
                .config
                .as_ref()
                .and_then(|config| config.contract_for(path))
        })
        .or_else(|| select::by_path_segment(path));

    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let pieces = input::documents(text, input::is_line_delimited(path));
    if pieces.is_empty() {
        problems.push(Problem::from(if text.is_empty() {
            "the file is empty".to_owned()
        } else {
            "the file has only whitespace".to_owned()
        }));
    }
    for piece in pieces {
        let at_line = |line: usize| piece.line.map_or(line, |first| first + line - 1);
        let not_json = |error: crate::json::SyntaxError| Problem {
            line: Some(at_line(error.line)),
            column: Some(error.column),
            message: format!("not JSON: {}", error.message),
        };
        let judged = match chosen {
            Some(contract) => schemas.get(contract).map(|schema| {
                check::check_text(
                    schema,
                    &policy,
                    piece.text,
                    None,
                    coverage.as_deref_mut(),
                    !options.full_path_only,
                )
                .map(|outcome| (contract, false, outcome))
            }),
            // Detection reads the document's members: the full path.
            None => match crate::json::parse(piece.text) {
                Err(error) => Ok(Err(error)),
                Ok(parsed) => match select::detect(&parsed.value) {
                    Err(reason) => {
                        problems.push(Problem {
                            line: piece.line,
                            column: None,
                            message: reason,
                        });
                        continue;
                    }
                    Ok(contract) => schemas.get(contract).map(|schema| {
                        let outcome =
                            check::check_parsed(schema, &policy, piece.text, &parsed, None);
                        count(coverage.as_deref_mut(), schema, &parsed.value, &outcome);
                        Ok((contract, true, outcome))
                    }),
                },
            },
        };
        match judged {
            Ok(Ok((contract, detected, outcome))) => documents.push(DocumentReport {
                line: piece.line,
                contract: contract.id,
                detected,
                diagnostics: outcome.diagnostics,
                omitted: outcome.omitted,
                entry: None,
            }),
            Ok(Err(error)) => problems.push(not_json(error)),
            Err(reason) => problems.push(Problem::from(reason)),
        }
    }
    Checked {
        documents,
        problems,
        skipped: Vec::new(),
    }
}

/// Counts a document for coverage, unless it is not the resource at all (an
/// error body would only inflate the absences).
fn count(
    coverage: Option<&mut Coverage>,
    schema: &CompiledSchema,
    document: &serde_json::Value,
    outcome: &check::Outcome,
) {
    let not_the_resource = outcome
        .diagnostics
        .iter()
        .any(|d| matches!(d.rule, Rule::ResponseErrorBody | Rule::ResponseNotAResource));
    if let (Some(coverage), false) = (coverage, not_the_resource) {
        coverage.add(schema.contract, &schema.schema, document);
    }
}

/// A path as reports show it: as given, with `/` separators.
fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_owned();
    }
    path.display().to_string().replace('\\', "/")
}
