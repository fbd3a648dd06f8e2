//! A validation run: inputs in, one report per file out, as it goes.

use crate::check;
use crate::config::Config;
use crate::input::{self, Input};
use crate::policy::Policy;
use crate::report::{DocumentReport, FileReport, Problem, Reporter, Summary};
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
    let mut schemas = Schemas::default();
    let mut summary = Summary::default();
    for input in input::expand(paths) {
        match input {
            Input::Unreadable(path, reason) => {
                let file = FileReport {
                    path: &path,
                    text: None,
                    documents: Vec::new(),
                    problems: vec![problem(reason)],
                };
                summary.add(&file);
                reporter.file(out, &file)?;
            }
            Input::File(path) => {
                let shown = display(&path);
                let file = match input::read(&path, options.max_file_size) {
                    Ok(text) => {
                        let (documents, problems) = check_file(&path, &text, options, &mut schemas);
                        let file = FileReport {
                            path: &shown,
                            text: Some(&text),
                            documents,
                            problems,
                        };
                        summary.add(&file);
                        reporter.file(out, &file)?;
                        continue;
                    }
                    Err(reason) => FileReport {
                        path: &shown,
                        text: None,
                        documents: Vec::new(),
                        problems: vec![problem(reason)],
                    },
                };
                summary.add(&file);
                reporter.file(out, &file)?;
            }
        }
    }
    reporter.finish(out, &summary)?;
    Ok(summary)
}

fn check_file(
    path: &Path,
    text: &str,
    options: &Options,
    schemas: &mut Schemas,
) -> (Vec<DocumentReport>, Vec<Problem>) {
    let policy = match &options.config {
        Some(config) => config.policy_for(&options.policy, path),
        None => options.policy.clone(),
    };
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
        problems.push(problem(if text.is_empty() {
            "the file is empty".to_owned()
        } else {
            "the file has only blank lines".to_owned()
        }));
    }
    for piece in pieces {
        let at_line = |line: usize| piece.line.map_or(line, |first| first + line - 1);
        let parsed = match crate::json::parse(piece.text) {
            Ok(parsed) => parsed,
            Err(error) => {
                problems.push(Problem {
                    line: Some(at_line(error.line)),
                    column: Some(error.column),
                    message: format!("not JSON: {}", error.message),
                });
                continue;
            }
        };
        let (contract, detected) = match chosen {
            Some(contract) => (contract, false),
            None => match select::detect(&parsed.value) {
                Ok(contract) => (contract, true),
                Err(reason) => {
                    problems.push(Problem {
                        line: piece.line,
                        column: None,
                        message: reason,
                    });
                    continue;
                }
            },
        };
        match schemas.get(contract) {
            Ok(schema) => documents.push(DocumentReport {
                line: piece.line,
                contract: contract.id,
                detected,
                diagnostics: check::check_parsed(schema, &policy, piece.text, &parsed),
            }),
            Err(reason) => problems.push(problem(reason)),
        }
    }
    (documents, problems)
}

fn problem(message: String) -> Problem {
    Problem {
        line: None,
        column: None,
        message,
    }
}

/// A path as reports show it: as given, with `/` separators.
fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_owned();
    }
    path.display().to_string().replace('\\', "/")
}
