//! Hostile and broken inputs, run through the real `actionlog` binary: it
//! never panics (exit 101), never hangs (every run is killed after
//! [`TIMEOUT`]), never reads a file past `--max-file-size`, and always says
//! why, with the documented exit code (0 all valid, 1 contract violations,
//! 2 the run could not be done) and a one-line reason naming the file, and
//! the line and column where there is one. A good document beside a bad one
//! is still checked.
//!
//! The small inputs are committed under `fixtures/bad-input/<contract-id>/`
//! with a `.bad` suffix, so that no directory walk (`actionlog validate
//! fixtures`, `cargo xtask validate`) ever takes them; each run copies them
//! into a temporary folder under their real extension. The big and the
//! special ones (a 200 MB file, 100,000-deep nesting, a million-element
//! array, a symbolic-link loop, a FIFO, an unreadable file) are made there at
//! test time. `fixtures/bad-input/README.md` lists each committed file and its
//! outcome.
//!
//! The tests at the end of this file each pin a bug this suite found when it
//! was written (and that was then fixed): an NDJSON line that is not UTF-8,
//! member names with control characters, a repeated key's position, long
//! minified lines in the human report, standard input over the limit.

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest any one run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The good document placed beside every bad one (StackOne's
/// `valid/minimal.json`); its folder names its contract.
const GOOD: &str = "good/stackone.action-log/good.json";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn committed() -> PathBuf {
    root().join("fixtures/bad-input")
}

// ---------------------------------------------------------------------------
// Running the binary with a time limit

/// What one run of the binary did.
struct Ran {
    /// The exit code; `None` when a signal ended it.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Ran {
    /// The `could not check …` lines of the human report.
    fn problem_lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|line| line.starts_with("could not check "))
            .collect()
    }

    /// The human report's last line, `N passed, N failed (…)`.
    fn summary_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }
}

/// Runs `actionlog validate --no-config ARGS` in `dir`, with `stdin` as its
/// standard input (or nothing), and kills it if it runs past [`TIMEOUT`].
/// Output goes to files, not pipes, so a run that prints a lot can never
/// block on a full pipe while this waits for it.
fn validate(dir: &Path, args: &[OsString], stdin: Option<&Path>) -> Result<Ran, String> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let outputs = dir.join(format!(".runs/{run}"));
    fs::create_dir_all(&outputs).map_err(|error| error.to_string())?;
    let stdout_path = outputs.join("stdout");
    let stderr_path = outputs.join("stderr");
    let file = |path: &Path| File::create(path).map_err(|error| error.to_string());
    let input = match stdin {
        Some(path) => Stdio::from(File::open(path).map_err(|error| error.to_string())?),
        None => Stdio::null(),
    };
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .arg("validate")
        .arg("--no-config")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(input)
        .stdout(file(&stdout_path)?)
        .stderr(file(&stderr_path)?)
        .spawn()
        .map_err(|error| format!("cannot start actionlog: {error}"))?;
    let status = loop {
        match child.try_wait().map_err(|error| error.to_string())? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("hung: still running after {TIMEOUT:?}; killed"));
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let elapsed = started.elapsed();
    let read = |path: &Path| {
        fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| error.to_string())
    };
    Ok(Ran {
        code: status.code(),
        stdout: read(&stdout_path)?,
        stderr: read(&stderr_path)?,
        elapsed,
    })
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

// ---------------------------------------------------------------------------
// The cases

/// One bad input and what the binary must do with it.
struct Case {
    name: String,
    /// Arguments after `validate --no-config`.
    args: Vec<OsString>,
    /// A file to feed on standard input.
    stdin: Option<PathBuf>,
    /// The exit code.
    code: i32,
    /// Substrings the human report's stdout must contain.
    stdout: Vec<String>,
    /// Substrings stderr must contain (for errors before any file is read).
    stderr: Vec<String>,
    /// `(passed, failed)` of the summary, in the human and the JSON report.
    counts: Option<(usize, usize)>,
}

impl Case {
    fn new(name: impl Into<String>, args: Vec<OsString>, code: i32) -> Case {
        Case {
            name: name.into(),
            args,
            stdin: None,
            code,
            stdout: Vec::new(),
            stderr: Vec::new(),
            counts: None,
        }
    }

    /// A committed `fixtures/bad-input/<relative>.bad` file, checked beside
    /// the good document; its report must hold `reason`.
    fn fixture(relative: &str, code: i32, reason: &str) -> Case {
        Case::new(
            format!("fixture {relative}"),
            os(&[&format!("bad/{relative}"), GOOD]),
            code,
        )
        .stdout(reason)
    }

    fn stdout(mut self, text: impl Into<String>) -> Case {
        self.stdout.push(text.into());
        self
    }

    fn stderr(mut self, text: impl Into<String>) -> Case {
        self.stderr.push(text.into());
        self
    }

    fn counts(mut self, passed: usize, failed: usize) -> Case {
        self.counts = Some((passed, failed));
        self
    }

    fn stdin(mut self, path: PathBuf) -> Case {
        self.stdin = Some(path);
        self
    }

    /// Runs the case in `dir` (human report, then JSON report) and returns
    /// what is wrong, if anything.
    fn check(&self, dir: &Path) -> Result<(), String> {
        let human = validate(dir, &self.args, self.stdin.as_deref())?;
        let mut wrong = Vec::new();
        universal(&human, true, &mut wrong);
        if human.code != Some(self.code) {
            wrong.push(format!(
                "exit code {:?}, expected {}",
                human.code, self.code
            ));
        }
        for text in &self.stdout {
            if !human.stdout.contains(text.as_str()) {
                wrong.push(format!("stdout lacks {text:?}"));
            }
        }
        for text in &self.stderr {
            if !human.stderr.contains(text.as_str()) {
                wrong.push(format!("stderr lacks {text:?}"));
            }
        }
        if let Some((passed, failed)) = self.counts {
            let expected = format!("{passed} passed, {failed} failed (");
            if !human.summary_line().starts_with(&expected) {
                wrong.push(format!(
                    "summary {:?}, expected it to start with {expected:?}",
                    human.summary_line()
                ));
            }
        }
        let own_format = self.args.iter().any(|arg| arg == OsStr::new("--format"));
        if human.stderr.is_empty() && !own_format {
            self.check_json(dir, &human, &mut wrong)?;
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}\n--- stdout (first 2000 bytes):\n{}\n--- stderr:\n{}",
                wrong.join("\n"),
                human.stdout.chars().take(2000).collect::<String>(),
                human.stderr
            ))
        }
    }

    /// The same run with `--format json`: the same exit code and counts, and
    /// every problem a one-line message naming its file.
    fn check_json(&self, dir: &Path, human: &Ran, wrong: &mut Vec<String>) -> Result<(), String> {
        let mut args = os(&["--format", "json"]);
        args.extend(self.args.iter().cloned());
        let json = validate(dir, &args, self.stdin.as_deref())?;
        universal(&json, false, wrong);
        if json.code != human.code {
            wrong.push(format!(
                "--format json exits {:?}, the human format {:?}",
                json.code, human.code
            ));
        }
        let report: Value = match serde_json::from_str(&json.stdout) {
            Ok(report) => report,
            Err(error) => {
                wrong.push(format!("--format json is not JSON ({error})"));
                return Ok(());
            }
        };
        let count = |name: &str| report["summary"][name].as_u64().unwrap_or(u64::MAX);
        if let Some((passed, failed)) = self.counts
            && (count("passed"), count("failed")) != (passed as u64, failed as u64)
        {
            wrong.push(format!(
                "json summary {}, expected passed {passed} and failed {failed}",
                report["summary"]
            ));
        }
        let problems = report["problems"].as_array().cloned().unwrap_or_default();
        if problems.len() as u64 != count("problems") {
            wrong.push(format!(
                "json summary.problems {} but {} problems listed",
                count("problems"),
                problems.len()
            ));
        }
        if (json.code == Some(2)) == problems.is_empty() {
            wrong.push(format!(
                "exit {:?} with {} problems in the JSON report",
                json.code,
                problems.len()
            ));
        }
        for problem in &problems {
            let file = problem["file"].as_str().unwrap_or_default();
            let message = problem["message"].as_str().unwrap_or_default();
            if file.is_empty() || message.trim().is_empty() || message.contains('\n') {
                wrong.push(format!(
                    "problem without a file or a one-line reason: {problem}"
                ));
            }
        }
        Ok(())
    }
}

/// What holds for every run: no panic, no signal, no backtrace, and a run
/// that could not be done says why on one line naming the file.
fn universal(ran: &Ran, human: bool, wrong: &mut Vec<String>) {
    match ran.code {
        None => wrong.push("ended by a signal".to_owned()),
        Some(101) => wrong.push("panicked (exit 101)".to_owned()),
        Some(0..=2) => {}
        Some(code) => wrong.push(format!("undocumented exit code {code}")),
    }
    if ran.stderr.contains("panicked") || ran.stderr.contains("RUST_BACKTRACE") {
        wrong.push("a panic message on stderr".to_owned());
    }
    if human
        && ran.code == Some(2)
        && ran.stderr.trim().is_empty()
        && ran.problem_lines().is_empty()
    {
        wrong.push("exit 2 without a `could not check` line or an error on stderr".to_owned());
    }
    for line in ran.problem_lines() {
        let reason = line.split_once(": ").map(|(_, reason)| reason.trim());
        if reason.is_none_or(str::is_empty) {
            wrong.push(format!("a problem line without a reason: {line:?}"));
        }
    }
    if ran.elapsed > TIMEOUT {
        wrong.push(format!("took {:?}", ran.elapsed));
    }
}

// ---------------------------------------------------------------------------
// Building the inputs

fn write(dir: &Path, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

/// A valid StackOne action log (`fixtures/stackone.action-log/valid/minimal.json`).
fn good_document() -> String {
    fs::read_to_string(root().join("fixtures/stackone.action-log/valid/minimal.json")).unwrap()
}

/// Copies every committed `fixtures/bad-input/**.bad` file to `dir/bad/…`
/// under its real extension; returns the relative names, `.bad` included.
fn copy_committed(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in walkdir::WalkDir::new(committed()).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(committed()).unwrap();
        let relative = relative.to_str().unwrap().replace('\\', "/");
        if let Some(real) = relative.strip_suffix(".bad") {
            write(dir, &format!("bad/{real}"), fs::read(entry.path()).unwrap());
            names.push(relative);
        }
    }
    names
}

/// The cases on the committed fixtures: `(relative name without .bad, case)`.
fn committed_cases() -> Vec<(&'static str, Case)> {
    let so = "bad/stackone.action-log";
    let ti = "bad/tines.action-events";
    let au = "bad/auth0.execution";
    let not_checked = |what: &str| format!("could not check {so}/{what}");
    vec![
        (
            "stackone.action-log/empty.json",
            Case::fixture(
                "stackone.action-log/empty.json",
                2,
                &format!("{}: the file is empty", not_checked("empty.json")),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/whitespace-only.json",
            Case::fixture(
                "stackone.action-log/whitespace-only.json",
                2,
                &format!(
                    "{}: the file has only whitespace",
                    not_checked("whitespace-only.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/truncated.json",
            Case::fixture(
                "stackone.action-log/truncated.json",
                2,
                &format!(
                    "{}:4:26: not JSON: EOF while parsing a string",
                    not_checked("truncated.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/trailing-garbage.json",
            Case::fixture(
                "stackone.action-log/trailing-garbage.json",
                2,
                &format!(
                    "{}:6:1: not JSON: trailing characters",
                    not_checked("trailing-garbage.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/bom.json",
            Case::fixture(
                "stackone.action-log/bom.json",
                2,
                &format!(
                    "{}:1:1: not JSON: the document starts with a byte-order mark (U+FEFF), which JSON does not allow",
                    not_checked("bom.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/invalid-utf8.json",
            Case::fixture(
                "stackone.action-log/invalid-utf8.json",
                2,
                &format!(
                    "{}:3:20: not UTF-8: a byte sequence that is not valid UTF-8",
                    not_checked("invalid-utf8.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/nul-in-string.json",
            Case::fixture(
                "stackone.action-log/nul-in-string.json",
                2,
                &format!(
                    "{}:3:20: not JSON: control character (\\u0000-\\u001F) found while parsing a string",
                    not_checked("nul-in-string.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/nul-after-document.json",
            Case::fixture(
                "stackone.action-log/nul-after-document.json",
                2,
                &format!(
                    "{}:6:1: not JSON: trailing characters",
                    not_checked("nul-after-document.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/number-1e400.json",
            Case::fixture(
                "stackone.action-log/number-1e400.json",
                2,
                &format!(
                    "{}:5:22: not JSON: number out of range",
                    not_checked("number-1e400.json")
                ),
            )
            .counts(1, 0),
        ),
        (
            // -0 is a number (and, as an integer-valued number, an integer).
            "stackone.action-log/number-negative-zero.json",
            Case::fixture(
                "stackone.action-log/number-negative-zero.json",
                0,
                "2 passed, 0 failed (0 warnings)",
            )
            .counts(2, 0),
        ),
        (
            // 2^64 is past u64 and i64: serde_json keeps it as the f64
            // 1.8446744073709552e19, still a number.
            "stackone.action-log/number-2-pow-64.json",
            Case::fixture(
                "stackone.action-log/number-2-pow-64.json",
                0,
                "2 passed, 0 failed (0 warnings)",
            )
            .counts(2, 0),
        ),
        (
            "stackone.action-log/nan.json",
            Case::fixture(
                "stackone.action-log/nan.json",
                2,
                &format!("{}:5:18: not JSON: expected value", not_checked("nan.json")),
            )
            .counts(1, 0),
        ),
        (
            "stackone.action-log/infinity.json",
            Case::fixture(
                "stackone.action-log/infinity.json",
                2,
                &format!("{}:5:19: not JSON: invalid number", not_checked("infinity.json")),
            )
            .counts(1, 0),
        ),
        (
            // A repeated key is a warning by default; the last value is checked.
            "stackone.action-log/duplicate-key.json",
            Case::fixture(
                "stackone.action-log/duplicate-key.json",
                0,
                "warning[json.duplicate-key]: key `log_type` appears twice in the same object",
            )
            .stdout(format!("--> {so}/duplicate-key.json:5:3"))
            .counts(2, 0),
        ),
        (
            // The last value ("request") is the one checked: an enum error.
            "stackone.action-log/duplicate-key-last-invalid.json",
            Case::fixture(
                "stackone.action-log/duplicate-key-last-invalid.json",
                1,
                "error[schema.enum]: \"request\" is not a documented value",
            )
            .stdout("warning[json.duplicate-key]")
            .counts(1, 1),
        ),
        (
            "tines.action-events/integer-1e400.json",
            Case::fixture(
                "tines.action-events/integer-1e400.json",
                2,
                &format!(
                    "could not check {ti}/integer-1e400.json:4:17: not JSON: number out of range"
                ),
            )
            .counts(1, 0),
        ),
        (
            // JSON Schema's integer is any number with no fractional part.
            "tines.action-events/integer-negative-zero.json",
            Case::fixture(
                "tines.action-events/integer-negative-zero.json",
                0,
                "2 passed, 0 failed (0 warnings)",
            )
            .counts(2, 0),
        ),
        (
            // 2^64 is integer-valued, so an integer (kept as an f64).
            "tines.action-events/integer-2-pow-64.json",
            Case::fixture(
                "tines.action-events/integer-2-pow-64.json",
                0,
                "2 passed, 0 failed (0 warnings)",
            )
            .counts(2, 0),
        ),
        (
            // The broken line is reported at its line; the three good lines
            // (and the good file) are still checked.
            "auth0.execution/one-broken-line.ndjson",
            Case::fixture(
                "auth0.execution/one-broken-line.ndjson",
                2,
                &format!(
                    "could not check {au}/one-broken-line.ndjson:2:127: not JSON: EOF while parsing an object"
                ),
            )
            .counts(4, 0),
        ),
        (
            // The bad line is located; the other lines are still checked
            // (`an_ndjson_line_that_is_not_utf8_does_not_stop_the_other_lines`).
            "auth0.execution/one-line-not-utf8.ndjson",
            Case::fixture(
                "auth0.execution/one-line-not-utf8.ndjson",
                2,
                &format!(
                    "could not check {au}/one-line-not-utf8.ndjson:2:166: not UTF-8: a byte sequence that is not valid UTF-8"
                ),
            ),
        ),
    ]
}

/// The cases made at test time in `dir`.
fn generated_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let good = good_document();
    let so = "stackone.action-log";

    // A 200 MB document, sparse so it costs nothing to make: refused from
    // its size alone. The size in the reason is the file's real size, which
    // only its metadata can give: reading stops at the limit plus one byte.
    let huge = dir.join(format!("big/{so}/huge.json"));
    fs::create_dir_all(huge.parent().unwrap()).unwrap();
    File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    cases.push(
        Case::new(
            "200 MB document, default --max-file-size",
            os(&[&format!("big/{so}/huge.json"), GOOD]),
            2,
        )
        .stdout(format!(
            "could not check big/{so}/huge.json: 209715200 bytes is over the 67108864-byte limit"
        ))
        .stdout("--max-file-size")
        .counts(1, 0),
    );

    // Just over a small limit, and exactly at it.
    let padded = format!("{good:<1001}");
    assert_eq!(padded.len(), 1001);
    write(dir, &format!("limit/{so}/1001.json"), &padded);
    cases.push(
        Case::new(
            "1001 bytes over --max-file-size 1000",
            os(&[
                "--max-file-size",
                "1000",
                &format!("limit/{so}/1001.json"),
                GOOD,
            ]),
            2,
        )
        .stdout(format!(
            "could not check limit/{so}/1001.json: 1001 bytes is over the 1000-byte limit"
        ))
        .stdout("--max-file-size")
        .counts(1, 0),
    );
    cases.push(
        Case::new(
            "1001 bytes at --max-file-size 1001",
            os(&["--max-file-size", "1001", &format!("limit/{so}/1001.json")]),
            0,
        )
        .counts(1, 0),
    );
    let spaces = write(dir, "stdin/2000-spaces", " ".repeat(2000));
    cases.push(
        Case::new(
            "2000 bytes on stdin over --max-file-size 1000",
            os(&["--max-file-size", "1000", "--contract", so, "-"]),
            2,
        )
        .stdin(spaces)
        .stdout("could not check <stdin>: ")
        .stdout("over the 1000-byte limit")
        .stdout("--max-file-size"),
    );

    // An NDJSON file is held to the limit line by line, not as a whole.
    let line =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&good).unwrap()).unwrap();
    let limit = (line.len() + 1).to_string();
    write(
        dir,
        &format!("limit/{so}/lines.ndjson"),
        format!("{line}\n").repeat(4),
    );
    cases.push(
        Case::new(
            "an NDJSON file over --max-file-size, each line under it",
            os(&[
                "--max-file-size",
                &limit,
                &format!("limit/{so}/lines.ndjson"),
            ]),
            0,
        )
        .counts(4, 0),
    );
    let long = format!("{line:<width$}", width = line.len() + 2);
    write(
        dir,
        &format!("limit/{so}/long-line.ndjson"),
        format!("{line}\n{long}\n{line}\n"),
    );
    cases.push(
        Case::new(
            "an NDJSON line over --max-file-size",
            os(&["--max-file-size", &limit, &format!("limit/{so}/long-line.ndjson")]),
            2,
        )
        .stdout(format!(
            "could not check limit/{so}/long-line.ndjson:2: the line is over the {limit}-byte limit, \
             and the file is not read past it"
        ))
        .stdout("--max-file-size")
        .counts(1, 0),
    );

    // 100,000-deep nesting: serde_json's recursion limit, not a stack overflow.
    write(dir, &format!("deep/{so}/arrays.json"), "[".repeat(100_000));
    cases.push(
        Case::new(
            "100,000 unclosed [",
            os(&[&format!("deep/{so}/arrays.json"), GOOD]),
            2,
        )
        .stdout(format!(
            "could not check deep/{so}/arrays.json:1:128: not JSON: recursion limit exceeded"
        ))
        .counts(1, 0),
    );
    write(
        dir,
        &format!("deep/{so}/balanced.json"),
        "[".repeat(100_000) + &"]".repeat(100_000),
    );
    cases.push(
        Case::new(
            "100,000-deep balanced arrays",
            os(&[&format!("deep/{so}/balanced.json")]),
            2,
        )
        .stdout(format!(
            "could not check deep/{so}/balanced.json:1:128: not JSON: recursion limit exceeded"
        )),
    );
    write(
        dir,
        &format!("deep/{so}/objects.json"),
        "{\"a\":".repeat(100_000) + "1" + &"}".repeat(100_000),
    );
    cases.push(
        Case::new(
            "100,000-deep objects",
            os(&[&format!("deep/{so}/objects.json")]),
            2,
        )
        .stdout(format!("could not check deep/{so}/objects.json:1:"))
        .stdout("not JSON: recursion limit exceeded"),
    );
    let lines: Vec<String> =
        fs::read_to_string(root().join("fixtures/auth0.execution/valid/every-trigger.ndjson"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
    write(
        dir,
        "deep/auth0.execution/line-2.ndjson",
        format!("{}\n{}\n{}\n", lines[0], "[".repeat(100_000), lines[1]),
    );
    cases.push(
        Case::new(
            "100,000-deep line in NDJSON",
            os(&["deep/auth0.execution/line-2.ndjson"]),
            2,
        )
        .stdout(
            "could not check deep/auth0.execution/line-2.ndjson:2:128: not JSON: recursion limit exceeded",
        )
        .counts(2, 0),
    );

    // A million-element array where the contract expects an array of strings.
    let million = |element: &dyn Fn(usize) -> String| {
        let items: Vec<String> = (0..1_000_000).map(element).collect();
        format!("{{\"status\":\"ENQUEUED\",\"log\":[{}]}}", items.join(","))
    };
    write(
        dir,
        "million/buddy.action-execution/strings.json",
        million(&|_| "\"x\"".to_owned()),
    );
    cases.push(
        Case::new(
            "1,000,000 log lines",
            os(&["million/buddy.action-execution/strings.json"]),
            0,
        )
        .counts(1, 0),
    );
    write(
        dir,
        "million/buddy.action-execution/one-wrong.json",
        million(&|index| {
            if index == 500_000 {
                "42".to_owned()
            } else {
                "\"x\"".to_owned()
            }
        }),
    );
    cases.push(
        Case::new(
            "1,000,000 log lines, one a number",
            os(&["million/buddy.action-execution/one-wrong.json"]),
            1,
        )
        .stdout("error[schema.type]")
        .stdout("at /log/500000 in buddy.action-execution")
        .counts(0, 1),
    );

    // Every one of a million elements wrong: at most 100 findings are kept
    // (README, Limits), so the report and the memory stay small. (The human
    // report on long lines is `the_human_report_locates_long_lines_instead_of_quoting_them`.)
    write(
        dir,
        "million/buddy.action-execution/numbers.json",
        million(&|_| "1".to_owned()),
    );
    cases.push(
        Case::new(
            "1,000,000 log lines, all numbers (--format json)",
            os(&[
                "--format",
                "json",
                "million/buddy.action-execution/numbers.json",
            ]),
            1,
        )
        .stdout("\"omitted\": 999900")
        .stdout("\"instance_path\": \"/log/99\"")
        .stdout("\"passed\": 0,\n    \"failed\": 1"),
    );

    // A symbolic link to a folder above it: reported, and the rest walked.
    write(dir, &format!("loop/{so}/a.json"), &good);
    write(dir, &format!("loop/{so}/z.json"), &good);
    fs::create_dir_all(dir.join(format!("loop/{so}/sub"))).unwrap();
    std::os::unix::fs::symlink("..", dir.join(format!("loop/{so}/sub/back"))).unwrap();
    cases.push(
        Case::new("symbolic-link loop", os(&["loop"]), 2)
            .stdout(format!(
                "could not check loop/{so}/sub/back: a symbolic link loops back to a folder above it"
            ))
            .counts(2, 0),
    );

    // A FIFO, given and found by a walk: never opened, so never a hang.
    write(dir, &format!("fifo/{so}/good.json"), &good);
    let fifo = dir.join(format!("fifo/{so}/pipe.json"));
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.as_ref().is_ok_and(|status| status.success()) {
        cases.push(
            Case::new(
                "FIFO given",
                os(&[&format!("fifo/{so}/pipe.json"), GOOD]),
                2,
            )
            .stdout(format!(
                "could not check fifo/{so}/pipe.json: not a regular file"
            ))
            .counts(1, 0),
        );
        cases.push(
            Case::new("FIFO in a walked folder", os(&["fifo"]), 2)
                .stdout(format!(
                    "could not check fifo/{so}/pipe.json: not a regular file"
                ))
                .counts(1, 0),
        );
    } else {
        eprintln!("note: mkfifo failed ({made:?}); the FIFO cases are skipped");
    }
    if Path::new("/dev/zero").exists() {
        cases.push(
            Case::new("/dev/zero (endless)", os(&["/dev/zero", GOOD]), 2)
                .stdout("could not check /dev/zero: not a regular file")
                .counts(1, 0),
        );
    }

    // Unreadable: a file and a folder with no permissions. Root reads them
    // anyway, so these are skipped when the file is still readable.
    let secret = write(dir, &format!("locked/{so}/secret.json"), &good);
    write(dir, &format!("locked/{so}/open.json"), &good);
    write(dir, &format!("locked/{so}/shut/inner.json"), &good);
    set_mode(&secret, 0o000);
    set_mode(&dir.join(format!("locked/{so}/shut")), 0o000);
    if fs::read(&secret).is_ok() {
        eprintln!(
            "note: a mode-000 file is readable (running as root?); the unreadable cases are skipped"
        );
    } else {
        cases.push(
            Case::new(
                "unreadable file given",
                os(&[&format!("locked/{so}/secret.json"), GOOD]),
                2,
            )
            .stdout(format!(
                "could not check locked/{so}/secret.json: permission denied"
            ))
            .counts(1, 0),
        );
        cases.push(
            Case::new("unreadable file and folder walked", os(&["locked"]), 2)
                .stdout(format!(
                    "could not check locked/{so}/secret.json: permission denied"
                ))
                .stdout(format!("could not check locked/{so}/shut: "))
                .counts(1, 0),
        );
    }

    // No contract named, and none or several fit the shape.
    write(dir, "nocontract/members.json", "{\"foo\": 1}");
    cases.push(
        Case::new("no contract fits", os(&["nocontract/members.json", GOOD]), 2)
            .stdout(
                "could not check nocontract/members.json: no contract fits a document with top-level members `foo`",
            )
            .counts(1, 0),
    );
    write(dir, "nocontract/array.json", "[]");
    cases.push(
        Case::new("top-level array", os(&["nocontract/array.json", GOOD]), 2)
            .stdout(
                "could not check nocontract/array.json: cannot tell which contract applies to a top-level array",
            )
            .counts(1, 0),
    );

    cases.push(
        Case::new("missing path", os(&["does/not/exist.json", GOOD]), 2)
            .stdout("could not check does/not/exist.json: no such file or directory")
            .counts(1, 0),
    );

    // Errors before any file is read: stderr, one line, exit 2.
    cases.push(
        Case::new(
            "unknown --contract",
            os(&["--contract", "nope.example", GOOD]),
            2,
        )
        .stderr("actionlog: unknown contract `nope.example`; the contracts are "),
    );
    cases.push(
        Case::new(
            "--max-file-size not a number",
            os(&["--max-file-size", "lots", GOOD]),
            2,
        )
        .stderr("invalid value 'lots' for '--max-file-size <BYTES>'"),
    );
    write(dir, "config/broken.toml", "[contracts\n");
    cases.push(
        Case::new(
            "broken --config",
            os(&["--config", "config/broken.toml", GOOD]),
            2,
        )
        .stderr("actionlog: config/broken.toml: TOML parse error at line 1, column 11"),
    );
    cases.push(
        Case::new(
            "missing --config",
            os(&["--config", "config/missing.toml", GOOD]),
            2,
        )
        .stderr("actionlog: config/missing.toml: "),
    );
    cases
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Undoes [`set_mode`] so the temporary folder can be removed.
fn unlock(dir: &Path) {
    for path in [
        "locked/stackone.action-log/secret.json",
        "locked/stackone.action-log/shut",
    ] {
        if dir.join(path).exists() {
            set_mode(&dir.join(path), 0o755);
        }
    }
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn every_bad_input_gets_its_documented_exit_code_and_reason() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(dir, GOOD, good_document());
    let copied = copy_committed(dir);

    let mut cases: Vec<Case> = Vec::new();
    let mut covered = Vec::new();
    for (name, case) in committed_cases() {
        covered.push(format!("{name}.bad"));
        cases.push(case);
    }
    let uncovered: Vec<&String> = copied
        .iter()
        .filter(|name| !covered.contains(name))
        .collect();
    assert!(
        uncovered.is_empty(),
        "committed bad inputs without a case: {uncovered:?}"
    );
    cases.extend(generated_cases(dir));

    // `--config` conflicts with `--no-config`, which `validate` always
    // passes; the config case runs through a plain command instead.
    let (config_cases, cases): (Vec<Case>, Vec<Case>) = cases
        .into_iter()
        .partition(|case| case.args.iter().any(|arg| arg == OsStr::new("--config")));

    let started = Instant::now();
    let mut failures = Vec::new();
    for case in &cases {
        let one = Instant::now();
        let checked = case.check(dir);
        eprintln!("{:>8.2?}  {}", one.elapsed(), case.name);
        if let Err(why) = checked {
            failures.push(format!("== {}: {why}", case.name));
        }
    }
    for case in &config_cases {
        if let Err(why) = check_with_config(dir, case) {
            failures.push(format!("== {}: {why}", case.name));
        }
    }
    unlock(dir);
    eprintln!(
        "{} cases in {:?}",
        cases.len() + config_cases.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A `--config` case: run without `--no-config` (they conflict).
fn check_with_config(dir: &Path, case: &Case) -> Result<(), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_actionlog"))
        .arg("validate")
        .args(&case.args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| error.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut wrong = Vec::new();
    if output.status.code() != Some(case.code) {
        wrong.push(format!(
            "exit {:?}, expected {}",
            output.status.code(),
            case.code
        ));
    }
    let first = stderr.lines().next().unwrap_or_default();
    for text in &case.stderr {
        if !first.contains(text.as_str()) {
            wrong.push(format!("stderr's first line {first:?} lacks {text:?}"));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("\n"))
    }
}

#[test]
fn a_good_document_beside_a_bad_one_is_still_checked() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(dir, GOOD, good_document());
    copy_committed(dir);
    let ran = validate(
        dir,
        &os(&[
            "--format",
            "json",
            "bad/stackone.action-log/truncated.json",
            GOOD,
        ]),
        None,
    )
    .unwrap();
    assert_eq!(ran.code, Some(2), "{}", ran.stdout);
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(report["summary"]["passed"], 1, "{report}");
    assert_eq!(report["summary"]["problems"], 1, "{report}");
    let problem = &report["problems"][0];
    assert_eq!(problem["file"], "bad/stackone.action-log/truncated.json");
    assert_eq!(
        (&problem["line"], &problem["column"]),
        (&4.into(), &26.into())
    );
    assert_eq!(problem["message"], "not JSON: EOF while parsing a string");
    assert_eq!(report["documents"][0]["file"], GOOD);
}

#[test]
fn the_committed_bad_inputs_are_never_walked_and_are_all_listed() {
    // No file under fixtures/bad-input has an extension a directory walk
    // takes, so `actionlog validate fixtures` never meets them.
    let walked: Vec<String> = actionlog_validator::input::expand(&[committed()])
        .map(|input| match input {
            actionlog_validator::input::Input::File(path) => path.display().to_string(),
            actionlog_validator::input::Input::Unreadable(path, reason) => {
                format!("{path}: {reason}")
            }
        })
        .collect();
    // The walk takes no file; it says the folder has none to check.
    assert_eq!(walked.len(), 1, "a walk takes {walked:?}");
    assert!(
        walked[0].ends_with("no .json, .ndjson, .jsonl, .har files in this folder"),
        "{walked:?}"
    );

    let readme = fs::read_to_string(committed().join("README.md")).unwrap();
    let mut size = 0;
    for entry in walkdir::WalkDir::new(committed()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            size += entry.metadata().unwrap().len();
            let name = entry.path().strip_prefix(committed()).unwrap();
            let name = name.to_str().unwrap().replace('\\', "/");
            assert!(
                name == "README.md" || name.ends_with(".bad"),
                "{name}: committed bad inputs end in .bad"
            );
            assert!(
                name == "README.md" || readme.contains(&format!("`{name}`")),
                "{name} is not listed in fixtures/bad-input/README.md"
            );
        }
    }
    assert!(size < 100 * 1024, "fixtures/bad-input holds {size} bytes");
}

// ---------------------------------------------------------------------------
// Bugs: the expected behaviour, ignored until the library is fixed

#[test]

fn the_human_report_locates_long_lines_instead_of_quoting_them() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // One 30 MB line (a compact capture): 100 wrong log entries and a long
    // URL. Checking it is fast (the JSON report takes a fraction of a
    // second); only showing each finding's source line is slow.
    let items = vec!["1"; 100].join(",");
    let url = "x".repeat(30 * 1024 * 1024);
    let file = "long/buddy.action-execution/one-line.json";
    write(
        dir,
        file,
        format!("{{\"status\":\"ENQUEUED\",\"log\":[{items}],\"html_url\":\"{url}\"}}"),
    );
    let json = validate(dir, &os(&["--format", "json", file]), None).unwrap();
    assert_eq!(json.code, Some(1));
    let human = validate(dir, &os(&[file]), None).unwrap();
    assert_eq!(human.code, Some(1), "{}", human.stderr);
    assert!(human.summary_line().starts_with("0 passed, 1 failed"));
}

#[test]

fn an_ndjson_line_that_is_not_utf8_does_not_stop_the_other_lines() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    copy_committed(dir);
    let file = "bad/auth0.execution/one-line-not-utf8.ndjson";
    let ran = validate(dir, &os(&["--format", "json", file]), None).unwrap();
    assert_eq!(ran.code, Some(2));
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    // Lines 1, 3 and 4 are good documents.
    assert_eq!(report["summary"]["passed"], 3, "{report}");
    assert_eq!(report["problems"][0]["line"], 2, "{report}");
}

#[test]
fn an_ndjson_file_of_bad_lines_alone_is_not_called_blank() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("auth0.execution")).unwrap();
    let file = "auth0.execution/bad.ndjson";
    fs::write(dir.join(file), b"\xff\xfe\n\n").unwrap();
    let ran = validate(dir, &os(&["--format", "json", file]), None).unwrap();
    assert_eq!(ran.code, Some(2));
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    // The line that is not UTF-8, and not "the file has only whitespace".
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["line"], 1, "{report}");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("not UTF-8"),
        "{report}"
    );
}

#[test]

fn not_utf8_is_located_like_a_syntax_error() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    copy_committed(dir);
    let file = "bad/stackone.action-log/invalid-utf8.json";
    let human = validate(dir, &os(&[file]), None).unwrap();
    assert!(
        human
            .stdout
            .contains(&format!("could not check {file}:3:20: not UTF-8")),
        "{}",
        human.stdout
    );
    let json = validate(dir, &os(&["--format", "json", file]), None).unwrap();
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    let problem = &report["problems"][0];
    assert_eq!(
        (&problem["line"], &problem["column"]),
        (&3.into(), &20.into())
    );
}

#[test]

fn an_error_in_a_repeated_keys_last_value_points_at_that_value() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    copy_committed(dir);
    let file = "bad/stackone.action-log/duplicate-key-last-invalid.json";
    let ran = validate(dir, &os(&[file]), None).unwrap();
    assert_eq!(ran.code, Some(1));
    // Line 5 is `  "log_type": "request"`; line 3 holds the first, valid value.
    assert!(
        ran.stdout.contains(&format!(
            "error[schema.enum]: \"request\" is not a documented value\n --> {file}:5:15"
        )),
        "{}",
        ran.stdout
    );
}

#[test]

fn member_names_are_printed_escaped() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // No contract fits: the reason lists the keys.
    write(dir, "keys/none.json", r#"{"a\r\nforged: line": 1}"#);
    // An undocumented member, named with a newline and a screen-clearing
    // escape sequence.
    let good = good_document();
    let extra = good.replacen('{', r#"{"x\nforged\u001b[2J": 1,"#, 1);
    write(dir, "keys/stackone.action-log/undocumented.json", extra);
    for format in ["human", "github"] {
        let ran = validate(
            dir,
            &os(&[
                "--format",
                format,
                "keys/none.json",
                "keys/stackone.action-log/undocumented.json",
            ]),
            None,
        )
        .unwrap();
        assert_eq!(ran.code, Some(2));
        assert!(
            !ran.stdout.contains('\u{1b}'),
            "{format}: a raw ESC byte in the report:\n{}",
            ran.stdout
        );
        assert!(
            !ran.stdout.lines().any(|line| line.starts_with("forged")),
            "{format}: a member name split the report's lines:\n{}",
            ran.stdout
        );
    }
}

#[test]

fn stdin_over_the_limit_does_not_claim_a_wrong_size() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let spaces = write(dir, "2000-spaces", " ".repeat(2000));
    let ran = validate(
        dir,
        &os(&[
            "--max-file-size",
            "1000",
            "--contract",
            "stackone.action-log",
            "-",
        ]),
        Some(&spaces),
    )
    .unwrap();
    assert_eq!(ran.code, Some(2));
    assert!(ran.stdout.contains("1000-byte limit"), "{}", ran.stdout);
    assert!(
        !ran.stdout.contains("1001 bytes"),
        "2000 bytes were sent: {}",
        ran.stdout
    );
}
