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
use actionlog_models::CONTRACTS;
use actionlog_models::Contract;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
    /// How many threads check documents; 0 means one per core.
    pub threads: usize,
}

/// Compiled schemas, each compiled on first use (by whichever thread needs
/// it first): a run that checks one contract compiles one.
pub struct Schemas {
    compiled: Vec<OnceLock<Result<CompiledSchema, String>>>,
}

impl Default for Schemas {
    fn default() -> Self {
        Schemas {
            compiled: CONTRACTS.iter().map(|_| OnceLock::new()).collect(),
        }
    }
}

impl Schemas {
    /// The compiled schema of `contract`.
    pub fn get(&self, contract: &'static Contract) -> Result<&CompiledSchema, String> {
        let index = CONTRACTS
            .iter()
            .position(|known| known.id == contract.id)
            .ok_or_else(|| format!("{} is not a registered contract", contract.id))?;
        self.compiled[index]
            .get_or_init(|| CompiledSchema::compile(contract).map_err(|error| error.to_string()))
            .as_ref()
            .map_err(Clone::clone)
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
    let schemas = Schemas::default();
    let mut summary = Summary::default();
    // Coverage counts into one table: that run stays on one thread.
    let threads = match (options.threads, &coverage) {
        (_, Some(_)) => 1,
        (0, None) => std::thread::available_parallelism().map_or(1, usize::from),
        (threads, None) => threads,
    };
    let pool = if threads > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(io::Error::other)?,
        )
    } else {
        None
    };
    let inputs = input::expand(paths);
    match &pool {
        Some(pool) => {
            check_in_parallel(pool, inputs, options, &schemas, &mut summary, reporter, out)?
        }
        // One thread: each file is reported as soon as it is checked.
        None => {
            for input in inputs {
                let judged = judge(input, options, &schemas, coverage.as_deref_mut(), false);
                report_all([judged], &mut summary, reporter, out)?;
            }
        }
    }
    reporter.finish(out, &summary)?;
    Ok(summary)
}

/// Checks the inputs on `pool` in tasks of a few consecutive files, each
/// task started as soon as the walk has found its files, and reports them in
/// input order as they complete: tasks that finish early wait in a small map.
/// At most [`IN_FLIGHT`] tasks are read and not yet reported, so memory does
/// not grow with the corpus, and no batch boundary leaves a core idle behind
/// one large file.
fn check_in_parallel(
    pool: &rayon::ThreadPool,
    inputs: impl Iterator<Item = Input>,
    options: &Options,
    schemas: &Schemas,
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Vec<Judged>)>();
    let mut waiting: BTreeMap<usize, Vec<Judged>> = BTreeMap::new();
    let mut next = 0;
    let mut failed: Option<io::Error> = None;
    // Waits for finished tasks, reporting those whose turn it is, until at
    // most `left` of the `sent` tasks are not reported yet.
    let mut report_until = |left: usize, sent: usize| {
        while sent - next > left {
            let Ok((index, files)) = receiver.recv() else {
                break;
            };
            waiting.insert(index, files);
            while let Some(files) = waiting.remove(&next) {
                next += 1;
                if failed.is_none()
                    && let Err(error) = report_all(files, summary, reporter, out)
                {
                    failed = Some(error);
                }
            }
        }
        failed.is_some()
    };
    let mut inputs = inputs.peekable();
    pool.in_place_scope(|scope| {
        let mut sent = 0;
        while inputs.peek().is_some() {
            // Keep the number of tasks in flight bounded.
            if report_until(IN_FLIGHT - 1, sent) {
                break;
            }
            // A line-delimited file or a HAR capture is a task of its own:
            // its documents are checked in parallel already, and reporting
            // it then overlaps with checking the next file.
            let mut task: Vec<Input> = Vec::new();
            let size = task_size(sent);
            while task.len() < size
                && let Some(input) = inputs.next_if(|input| task.is_empty() || !holds_many(input))
            {
                let alone = holds_many(&input);
                task.push(input);
                if alone {
                    break;
                }
            }
            let sender = sender.clone();
            let index = sent;
            scope.spawn(move |_| {
                let judged = task
                    .into_iter()
                    .map(|input| judge(input, options, schemas, None, true))
                    .collect();
                // The receiver outlives every task of the scope.
                let _ = sender.send((index, judged));
            });
            sent += 1;
        }
        report_until(0, sent);
    });
    failed.map_or(Ok(()), Err)
}

/// Whether `input` is a file of many documents (NDJSON, HAR).
fn holds_many(input: &Input) -> bool {
    matches!(input, Input::File(path) if input::is_line_delimited(path) || input::is_har(path))
}

/// How many consecutive files the task numbered `sent` checks: one at
/// first, one more every second task, up to [`FILES_PER_TASK`]. A few files
/// (a pre-commit hook's) are spread over every thread; a large tree pays for
/// few wake-ups.
fn task_size(sent: usize) -> usize {
    (sent / 2 + 1).min(FILES_PER_TASK)
}

/// The most consecutive files one task checks. Each task costs a wake-up of
/// a worker and of the reporting thread: with one file a task, about a tenth
/// of a two-thread run went to switching between them. Two threads on the
/// bench tree (20,000 files, `perf stat -e context-switches`): tasks of 16,
/// 3,100 switches a run; of 32, 1,800; ramped up to 64, 1,290. (Their CPU
/// times moved by ±15% between identical runs on the shared machine.)
const FILES_PER_TASK: usize = 64;

/// How many tasks the parallel run holds at most between reading and
/// reporting.
const IN_FLIGHT: usize = 16;

/// Hands judged files to the reporter, in order.
fn report_all(
    files: impl IntoIterator<Item = Judged>,
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<()> {
    for mut file in files {
        let report = file.report();
        summary.add(&report);
        reporter.file(out, &report)?;
    }
    Ok(())
}

/// One input, judged: what its report is made of.
struct Judged {
    shown: String,
    text: Option<String>,
    checked: Checked,
}

impl Judged {
    fn report(&mut self) -> FileReport<'_> {
        let checked = std::mem::take(&mut self.checked);
        FileReport {
            path: &self.shown,
            text: self.text.as_deref(),
            documents: checked.documents,
            problems: checked.problems,
            skipped: checked.skipped,
        }
    }
}

/// Reads and checks one input. `parallel`: the documents of a
/// line-delimited file are checked on the pool's threads too.
fn judge(
    input: Input,
    options: &Options,
    schemas: &Schemas,
    coverage: Option<&mut Coverage>,
    parallel: bool,
) -> Judged {
    let unreadable = |shown: String, why: Problem| Judged {
        shown,
        text: None,
        checked: Checked {
            problems: vec![why],
            ..Checked::default()
        },
    };
    let path = match input {
        Input::Unreadable(path, reason) => return unreadable(path, Problem::from(reason)),
        Input::File(path) => path,
    };
    let shown = display(&path);
    if input::is_line_delimited(&path) {
        let checked = check_lines(&path, options, schemas, coverage, parallel);
        return Judged {
            shown,
            text: None,
            checked,
        };
    }
    let text = match input::read(&path, options.max_file_size) {
        Ok(text) => text,
        Err(error) => return unreadable(shown, Problem::from(error)),
    };
    let checked = if input::is_har(&path) {
        check_har(&path, &text, options, schemas, coverage)
    } else {
        check_file(&path, &text, options, schemas, coverage)
    };
    // The text is kept only for the reporter's snippets of findings: a clean
    // file's is freed here, on the thread that read it.
    let quoted = checked
        .documents
        .iter()
        .any(|document| !document.diagnostics.is_empty());
    let text = if quoted {
        Some(text)
    } else {
        input::recycle(text);
        None
    };
    Judged {
        shown,
        text,
        checked,
    }
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
    schemas: &Schemas,
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
                    source: None,
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
            source: None,
        });
    }
    checked
}

/// The contract the documents of `path` are held to, unless each is to be
/// detected from its shape.
fn chosen(options: &Options, path: &Path) -> Option<&'static Contract> {
    options
        .contract
        .or_else(|| {
            options
                .config
                .as_ref()
                .and_then(|config| config.contract_for(path))
        })
        .or_else(|| select::by_path_segment(path))
}

/// Why a file holds no document.
fn no_document(empty: bool) -> Problem {
    Problem::from(if empty {
        "the file is empty".to_owned()
    } else {
        "the file has only whitespace".to_owned()
    })
}

/// A file that is one document.
fn check_file(
    path: &Path,
    text: &str,
    options: &Options,
    schemas: &Schemas,
    coverage: Option<&mut Coverage>,
) -> Checked {
    let policy = policy_for(options, path);
    let mut checked = Checked::default();
    let Some(piece) = input::document(text) else {
        checked.problems.push(no_document(text.is_empty()));
        return checked;
    };
    match check_piece(
        &piece,
        chosen(options, path),
        &policy,
        options,
        schemas,
        coverage,
    ) {
        Ok(document) => checked.documents.push(document),
        Err(problem) => checked.problems.push(problem),
    }
    checked
}

/// A line-delimited file, a batch of lines at a time (see [`input::Lines`]):
/// a document's line is kept only when it has findings, for the snippets.
/// `parallel`: each batch's documents are checked on the pool's threads.
fn check_lines(
    path: &Path,
    options: &Options,
    schemas: &Schemas,
    mut coverage: Option<&mut Coverage>,
    parallel: bool,
) -> Checked {
    let mut checked = Checked::default();
    let mut lines = match input::lines(path, options.max_file_size) {
        Ok(lines) => lines,
        Err(error) => {
            checked.problems.push(Problem::from(error));
            return checked;
        }
    };
    let policy = policy_for(options, path);
    let chosen = chosen(options, path);
    let piece = |piece: &input::Piece<'_>, coverage: Option<&mut Coverage>| {
        check_piece(piece, chosen, &policy, options, schemas, coverage).map(|mut document| {
            if !document.diagnostics.is_empty() {
                document.source = Some(piece.text.to_owned());
            }
            document
        })
    };
    // Whether the file had a byte, no line but blank ones, and an error
    // part-way.
    let (mut empty, mut blank, mut failed) = (true, true, false);
    // The text of the batch before last, read into again.
    let mut spare = String::new();
    let mut next = lines.next_batch(String::new());
    loop {
        let batch = match next {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            Err(error) => {
                checked.problems.push(Problem::from(error));
                failed = true;
                break;
            }
        };
        empty = false;
        let pieces = batch.documents();
        // A line that is not UTF-8 is reported as such, not as blank.
        blank &= pieces.is_empty() && batch.bad_lines.is_empty();
        let results: Vec<Result<DocumentReport, Problem>>;
        if parallel && pieces.len() > 1 {
            // The next batch is read while this one is checked: reading
            // between batches left all threads but one idle.
            (results, next) = rayon::join(
                || pieces.par_iter().map(|one| piece(one, None)).collect(),
                || lines.next_batch(std::mem::take(&mut spare)),
            );
        } else {
            results = pieces
                .iter()
                .map(|one| piece(one, coverage.as_deref_mut()))
                .collect();
            next = lines.next_batch(std::mem::take(&mut spare));
        }
        for result in results {
            match result {
                Ok(document) => checked.documents.push(document),
                Err(problem) => checked.problems.push(problem),
            }
        }
        drop(pieces);
        checked
            .problems
            .extend(batch.bad_lines.into_iter().map(Problem::from));
        spare = batch.text;
    }
    if blank && !failed {
        checked.problems.push(no_document(empty));
    }
    checked.problems.sort_by_key(|problem| problem.line);
    checked
}

/// Checks one document of a file: its report, or why it could not be judged.
fn check_piece(
    piece: &input::Piece<'_>,
    chosen: Option<&'static Contract>,
    policy: &Policy,
    options: &Options,
    schemas: &Schemas,
    coverage: Option<&mut Coverage>,
) -> Result<DocumentReport, Problem> {
    let not_json = |error: crate::json::SyntaxError| Problem {
        line: Some(
            piece
                .line
                .map_or(error.line, |first| first + error.line - 1),
        ),
        column: Some(error.column),
        message: format!("not JSON: {}", error.message),
    };
    let (contract, detected, outcome) = match chosen {
        Some(contract) => {
            let schema = schemas.get(contract).map_err(Problem::from)?;
            let outcome = check::check_text(
                schema,
                policy,
                piece.text,
                None,
                coverage,
                !options.full_path_only,
            )
            .map_err(not_json)?;
            (contract, false, outcome)
        }
        // Detection reads the document's members: the full path.
        None => {
            let parsed = crate::json::parse(piece.text).map_err(not_json)?;
            let contract = select::detect(&parsed.value).map_err(|reason| Problem {
                line: piece.line,
                column: None,
                message: reason,
            })?;
            let schema = schemas.get(contract).map_err(Problem::from)?;
            let outcome = check::check_parsed(schema, policy, piece.text, &parsed, None);
            check::count(coverage, schema, &parsed.value, &outcome);
            (contract, true, outcome)
        }
    };
    Ok(DocumentReport {
        line: piece.line,
        contract: contract.id,
        detected,
        diagnostics: outcome.diagnostics,
        omitted: outcome.omitted,
        entry: None,
        source: None,
    })
}

/// A path as reports show it: as given, with `/` separators.
fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_owned();
    }
    path.display().to_string().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files in tasks of `task_size`, in order: how many tasks `files` make.
    fn tasks_for(files: usize) -> usize {
        let (mut sent, mut dealt) = (0, 0);
        while dealt < files {
            dealt += task_size(sent);
            sent += 1;
        }
        sent
    }

    #[test]
    fn a_few_files_are_spread_and_a_tree_is_dealt_in_large_tasks() {
        // A pre-commit hook's handful: no task holds more than two files.
        assert_eq!(
            (0..6).map(task_size).collect::<Vec<_>>(),
            [1, 1, 2, 2, 3, 3]
        );
        assert_eq!(tasks_for(4), 3);
        // The bench tree: about one task per 64 files once the ramp is done.
        assert_eq!(task_size(10_000), FILES_PER_TASK);
        let tasks = tasks_for(20_000);
        assert!((300..450).contains(&tasks), "{tasks} tasks");
    }
}
