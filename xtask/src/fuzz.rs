//! `cargo xtask fuzz [--seconds N]`: every cargo-fuzz target under `fuzz/`
//! for N seconds each (60 by default), its corpus seeded from `fixtures/`.
//!
//! The targets are built with `--sanitizer none`, which needs no unstable
//! flag, so the stable toolchain builds them as it is: no nightly and no
//! `RUSTC_BOOTSTRAP` (cargo-fuzz's default, AddressSanitizer, passes
//! `-Zsanitizer=address`, which stable rustc refuses). The code fuzzed forbids
//! `unsafe`, so the sanitizer would add little; `fuzz/README.md` says how to
//! turn it on anyway.
//!
//! Exit code: 0 when every target ran its time without a failure, 1 when one
//! found a crash, a timeout or an out-of-memory input (each reported with
//! where its input was written and what to do with it), 2 when the fuzzing
//! could not be done (no cargo-fuzz, a build failure, bad arguments).

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Seconds each target runs when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;

/// Fixtures larger than this are not copied into a corpus: libFuzzer sizes
/// its inputs after the largest seed, and small inputs run faster.
const MAX_SEED_BYTES: u64 = 16 * 1024;

/// An input that runs longer than this many seconds is reported as a hang.
const INPUT_TIMEOUT_SECONDS: u64 = 30;

/// The fixtures each target is seeded with, by how their names end. Files
/// under `fixtures/bad-input/fuzz/<target>/` (crash inputs of fixed bugs) are
/// always added; `fuzz/regressions/<target>/` (bugs still open) are not, as
/// they would stop the run on its first input.
const SEEDS: &[(&str, &[&str])] = &[
    ("json", &[".json", ".json.bad", ".har"]),
    (
        "ndjson",
        &[
            ".ndjson",
            ".jsonl",
            ".ndjson.bad",
            ".jsonl.bad",
            "/minimal.json",
        ],
    ),
    ("har", &[".har", ".har.bad"]),
    ("validate", &[".json", ".json.bad"]),
];

/// `--seconds N` (or nothing, for [`DEFAULT_SECONDS`]).
pub fn parse_seconds(rest: &[String]) -> Result<u64> {
    match rest {
        [] => Ok(DEFAULT_SECONDS),
        [flag, value] if flag == "--seconds" => match value.parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(seconds),
            _ => bail!("--seconds takes a whole number of seconds above 0, not {value:?}"),
        },
        [flag] if flag.starts_with("--seconds=") => parse_seconds(&[
            "--seconds".to_owned(),
            flag["--seconds=".len()..].to_owned(),
        ]),
        other => bail!("unexpected arguments {other:?}; the only flag is --seconds N"),
    }
}

/// What one target's run came to.
enum Verdict {
    Passed,
    /// libFuzzer stopped on an input; the files it wrote.
    Failed(Vec<PathBuf>),
}

/// Runs every fuzz target for `seconds` each; see the module documentation.
pub fn run(root: &Path, seconds: u64) -> Result<ExitCode> {
    let fuzz_dir = root.join("fuzz");
    if !fuzz_dir.join("Cargo.toml").is_file() {
        eprintln!("xtask fuzz: no fuzz/Cargo.toml under {}", root.display());
        return Ok(ExitCode::from(2));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    if let Err(reason) = cargo_fuzz_version(&cargo) {
        eprintln!(
            "xtask fuzz: cargo-fuzz is not installed ({reason}).\n\
             Install it once with:\n\n    cargo install cargo-fuzz\n\n\
             then run `cargo xtask fuzz` again. It needs no nightly toolchain (see fuzz/README.md)."
        );
        return Ok(ExitCode::from(2));
    }

    let targets = list_targets(&cargo, &fuzz_dir)?;
    if targets.is_empty() {
        eprintln!("xtask fuzz: `cargo fuzz list` names no target in fuzz/");
        return Ok(ExitCode::from(2));
    }
    for target in &targets {
        let seeded = seed_corpus(root, &fuzz_dir, target)?;
        println!("{target}: corpus seeded with {seeded} file(s) from fixtures/");
    }

    // One build of every target first: a compile error is "could not run",
    // not a fuzzing failure, and the runs below then only link-check.
    println!("building the fuzz targets (the first build takes several minutes)");
    let status = cargo_fuzz(&cargo, &fuzz_dir)
        .args(["build", "--sanitizer", "none"])
        .status()
        .context("running `cargo fuzz build`")?;
    if !status.success() {
        eprintln!(
            "xtask fuzz: `cargo fuzz build --sanitizer none` failed ({status}); \
             libFuzzer is C++ and needs a C++ compiler (g++ or clang++)"
        );
        return Ok(ExitCode::from(2));
    }

    let mut results = Vec::new();
    for target in &targets {
        println!("\n=== fuzzing `{target}` for {seconds} s ===");
        let (verdict, rate) = run_target(&cargo, &fuzz_dir, target, seconds)?;
        results.push((target.clone(), verdict, rate));
    }

    println!("\n=== summary ===");
    let mut failed = 0;
    for (target, verdict, rate) in &results {
        let rate = rate
            .as_deref()
            .map_or_else(String::new, |rate| format!(" ({rate} exec/s)"));
        match verdict {
            Verdict::Passed => println!("{target}: passed, {seconds} s without a failure{rate}"),
            Verdict::Failed(inputs) => {
                failed += 1;
                println!("{target}: FAILED{rate}");
                if inputs.is_empty() {
                    println!(
                        "  libFuzzer stopped without writing an input; see fuzz/logs/{target}.log"
                    );
                }
                for input in inputs {
                    let shown = input.strip_prefix(root).unwrap_or(input).display();
                    let name = input
                        .file_name()
                        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
                    println!("  input: {shown}");
                    println!(
                        "  reproduce: cargo fuzz run --fuzz-dir fuzz --sanitizer none {target} {shown}"
                    );
                    println!(
                        "  minimize:  cargo fuzz tmin --fuzz-dir fuzz --sanitizer none {target} {shown}"
                    );
                    println!(
                        "  then add it as a regression fixture with the fix: cp {shown} fixtures/bad-input/fuzz/{target}/<what-it-is>.bad"
                    );
                    println!(
                        "  (`cargo test --manifest-path fuzz/Cargo.toml` replays every file there; until the fix, keep it in fuzz/regressions/{target}/ with a note in its README.md; `{name}` is libFuzzer's name for it)"
                    );
                }
            }
        }
    }
    println!("full libFuzzer logs: fuzz/logs/<target>.log");
    if failed == 0 {
        println!("{} target(s) passed", results.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{failed} of {} target(s) failed", results.len());
        Ok(ExitCode::FAILURE)
    }
}

/// `cargo fuzz` in `fuzz/`, for the targets there.
fn cargo_fuzz(cargo: &OsString, fuzz_dir: &Path) -> Command {
    let mut command = Command::new(cargo);
    command.arg("fuzz").current_dir(fuzz_dir);
    command
}

/// `cargo fuzz --version`, or why it did not answer.
fn cargo_fuzz_version(cargo: &OsString) -> std::result::Result<String, String> {
    let output = Command::new(cargo)
        .args(["fuzz", "--version"])
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        Err(said
            .lines()
            .next()
            .unwrap_or("`cargo fuzz --version` failed")
            .trim()
            .to_owned())
    }
}

fn list_targets(cargo: &OsString, fuzz_dir: &Path) -> Result<Vec<String>> {
    let output = cargo_fuzz(cargo, fuzz_dir)
        .arg("list")
        .stdin(Stdio::null())
        .output()
        .context("running `cargo fuzz list`")?;
    if !output.status.success() {
        bail!(
            "`cargo fuzz list` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Copies the target's seeds into `fuzz/corpus/<target>/` (kept between
/// runs; git ignores it). Returns how many files were copied.
fn seed_corpus(root: &Path, fuzz_dir: &Path, target: &str) -> Result<usize> {
    let corpus = fuzz_dir.join("corpus").join(target);
    std::fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
    let endings = SEEDS
        .iter()
        .find(|(name, _)| *name == target)
        .map_or(&[][..], |(_, endings)| *endings);
    let mut seeds = Vec::new();
    let fixtures = root.join("fixtures");
    for file in files_under(&fixtures)? {
        let relative = file.strip_prefix(root).unwrap_or(&file);
        let shown = relative.to_string_lossy().replace('\\', "/");
        if shown.starts_with("fixtures/snapshots/") || shown.starts_with("fixtures/bad-input/fuzz/")
        {
            continue;
        }
        let small = std::fs::metadata(&file).is_ok_and(|meta| meta.len() <= MAX_SEED_BYTES);
        if small && endings.iter().any(|ending| shown.ends_with(ending)) {
            seeds.push((file, shown));
        }
    }
    let fixed = fixtures.join("bad-input").join("fuzz").join(target);
    if fixed.is_dir() {
        for file in files_under(&fixed)? {
            let relative = file.strip_prefix(root).unwrap_or(&file);
            let shown = relative.to_string_lossy().replace('\\', "/");
            if !shown.ends_with(".md") {
                seeds.push((file, shown));
            }
        }
    }
    for (file, shown) in &seeds {
        let name = format!("seed--{}", shown.replace('/', "__"));
        std::fs::copy(file, corpus.join(name))
            .with_context(|| format!("copying {} into {}", file.display(), corpus.display()))?;
    }
    Ok(seeds.len())
}

/// Every regular file under `folder`, recursively, skipping hidden entries.
fn files_under(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries =
            std::fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", folder.display()))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// One target for `seconds`: libFuzzer's progress lines go to its log only,
/// everything else (start, end, panics and backtraces) to the terminal too.
/// Returns the verdict and the last exec/s libFuzzer reported.
fn run_target(
    cargo: &OsString,
    fuzz_dir: &Path,
    target: &str,
    seconds: u64,
) -> Result<(Verdict, Option<String>)> {
    let logs = fuzz_dir.join("logs");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let log_path = logs.join(format!("{target}.log"));
    let mut log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    let corpus = fuzz_dir.join("corpus").join(target);
    let mut child = cargo_fuzz(cargo, fuzz_dir)
        .args(["run", "--sanitizer", "none", target])
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1")
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running `cargo fuzz run {target}`"))?;
    let mut written = Vec::new();
    let mut rate = None;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line.context("reading libFuzzer's output")?;
            writeln!(log, "{line}").context("writing the fuzz log")?;
            if let Some(found) = exec_rate(&line) {
                rate = Some(found);
            }
            if let Some((_, path)) = line.split_once("Test unit written to ") {
                written.push(PathBuf::from(path.trim()));
            }
            if !is_progress(&line) {
                eprintln!("{line}");
            }
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `cargo fuzz run {target}`"))?;
    let verdict = if status.success() {
        Verdict::Passed
    } else {
        written.sort();
        written.dedup();
        Verdict::Failed(written)
    };
    Ok((verdict, rate))
}

/// libFuzzer's per-input progress lines (`#123 NEW cov: …`, `NEW_FUNC[1/2]:
/// …`) and its recommended dictionary: useful in the log, noise on a
/// terminal.
fn is_progress(line: &str) -> bool {
    if line.trim_start().starts_with("NEW_FUNC[") {
        return true;
    }
    let Some(rest) = line.strip_prefix('#') else {
        return line.starts_with('"') && line.contains("# Uses:");
    };
    let mut words = rest.split_whitespace();
    let counter = words.next().unwrap_or_default();
    let event = words.next().unwrap_or_default();
    counter.bytes().all(|byte| byte.is_ascii_digit())
        && matches!(event, "NEW" | "REDUCE" | "RELOAD")
}

/// The `exec/s: N` of a libFuzzer status line.
fn exec_rate(line: &str) -> Option<String> {
    let (_, after) = line.split_once("exec/s: ")?;
    let number: String = after.chars().take_while(char::is_ascii_digit).collect();
    (!number.is_empty() && number != "0").then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seconds_flag() {
        let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_seconds(&[]).unwrap(), DEFAULT_SECONDS);
        assert_eq!(parse_seconds(&args(&["--seconds", "30"])).unwrap(), 30);
        assert_eq!(parse_seconds(&args(&["--seconds=5"])).unwrap(), 5);
        assert!(parse_seconds(&args(&["--seconds", "0"])).is_err());
        assert!(parse_seconds(&args(&["--seconds", "x"])).is_err());
        assert!(parse_seconds(&args(&["--check"])).is_err());
    }

    #[test]
    fn tells_progress_from_news() {
        assert!(is_progress(
            "#1234\tNEW    cov: 1 ft: 2 corp: 3/4b lim: 5 exec/s: 6 rss: 7Mb L: 8/9 MS: 1 Copy-"
        ));
        assert!(!is_progress(
            "#107606\tDONE   cov: 4906 ft: 13304 corp: 1136/1661Kb exec/s: 3471 rss: 61Mb"
        ));
        assert!(is_progress("\tNEW_FUNC[1/3]: 0x56300aa0e731"));
        assert!(!is_progress(
            "thread '<unnamed>' panicked at src/lib.rs:67:5:"
        ));
        assert_eq!(
            exec_rate("#107606\tDONE   cov: 4906 exec/s: 3471 rss: 61Mb").as_deref(),
            Some("3471")
        );
        assert_eq!(
            exec_rate("#168\tINITED cov: 4014 exec/s: 0 rss: 61Mb"),
            None
        );
    }

    /// Every target in fuzz/Cargo.toml has its seeds listed here.
    #[test]
    fn every_target_has_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let manifest = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
        for line in manifest.lines() {
            if let Some(name) = line.strip_prefix("name = \"") {
                let name = name.trim_end_matches('"');
                if name != "actionlog-fuzz" {
                    assert!(
                        SEEDS.iter().any(|(target, _)| *target == name),
                        "no seeds for {name}"
                    );
                }
            }
        }
    }
}
