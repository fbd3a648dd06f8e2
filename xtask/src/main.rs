//! `cargo xtask`: how the repository maintains itself.
//!
//! - `cargo xtask schemas [--check]`: regenerate `schemas/` from the models,
//!   or prove the committed files fresh without writing anything.
//! - `cargo xtask validate [PATHS...]`: run the validator, over `fixtures/` by
//!   default.
//!
//! Generators are plain functions returning text ([`generated::schema_files`]);
//! writing, checking and the freshness test all call the same ones.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod examples;
mod expectations;
mod fuzz;
mod generated;
mod openapi;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let root = repository_root()?;
    match command.as_str() {
        "schemas" => {
            let check = parse_check_flag(&rest)?;
            generated::sync(&root, &generated::schema_files(), check)
        }
        "validate" => validate(&root, &rest),
        "coverage" => coverage(&root, &rest),
        "fuzz" => fuzz::run(&root, fuzz::parse_seconds(&rest)?),
        "fixtures" => fixtures(&root, parse_check_flag(&rest)?),
        "bench" => bench::run(&root, &rest),
        // Hidden: the parse-only and scan-only baselines `bench` times.
        "bench-baseline" => bench::baseline(&rest),
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  schemas [--check]     regenerate schemas/ from the models (--check: compare only, write nothing)
  fixtures [--check]    regenerate fixtures/<id>/generated/ and the report snapshots in fixtures/snapshots/
                        (--check: compare only, write nothing)
  validate [PATHS...]   run `actionlog validate` (default: fixtures/); other flags pass through
  coverage [PATHS...]   run `actionlog coverage` (default: fixtures/); e.g. --fail-under 100
  fuzz [--seconds N]    run every cargo-fuzz target for N seconds (default 60); see fuzz/README.md
  bench [--documents N] [--quick] [--scale] [--keep]
                        measure throughput against a serde_json parse; writes BENCHMARKS.md";

fn parse_check_flag(rest: &[String]) -> Result<bool> {
    match rest {
        [] => Ok(false),
        [flag] if flag == "--check" => Ok(true),
        other => bail!("unexpected arguments {other:?}; the only flag is --check"),
    }
}

/// Regenerates (or with `check`, compares) the generated example fixtures,
/// then the insta snapshots of every fixture's reports, by running the
/// snapshot test with `INSTA_UPDATE=always` (or `no`, which fails on any
/// difference and writes nothing).
fn fixtures(root: &Path, check: bool) -> Result<ExitCode> {
    let examples = generated::sync(root, &examples::files()?, check)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "-p",
            "actionlog-validator",
            "--test",
            "snapshots",
        ])
        .env("INSTA_UPDATE", if check { "no" } else { "always" })
        .current_dir(root)
        .status()
        .context("running the snapshot test")?;
    if !status.success() {
        eprintln!(
            "report snapshots are stale: run `cargo xtask fixtures` and review with `git diff` or `cargo insta review`"
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(examples)
}

/// Whether the arguments name a path, as opposed to only flags and their
/// values (`--format json` names none).
fn names_a_path(args: &[String]) -> bool {
    const TAKES_VALUE: &[&str] = &[
        "--format",
        "--color",
        "--contract",
        "--config",
        "--coverage",
        "--fail-under",
        "--max-file-size",
    ];
    args.iter().enumerate().any(|(index, arg)| {
        let after_flag = index > 0 && TAKES_VALUE.contains(&args[index - 1].as_str());
        !arg.starts_with('-') && !after_flag || arg == "-"
    })
}

/// `actionlog coverage`, over `fixtures/` unless paths are given.
fn coverage(root: &Path, rest: &[String]) -> Result<ExitCode> {
    let mut args = vec!["actionlog".to_owned(), "coverage".to_owned()];
    args.extend(rest.iter().cloned());
    if !names_a_path(rest) {
        std::env::set_current_dir(root).with_context(|| format!("entering {}", root.display()))?;
        args.push("fixtures".to_owned());
    }
    Ok(actionlog_validator::cli::run_from(args))
}

/// With paths, exactly `actionlog validate PATHS…`. Without, the main job:
/// the validator's report over `fixtures/`, then a check that every fixture
/// got the verdict its folder promises (see [`expectations`]).
fn validate(root: &Path, rest: &[String]) -> Result<ExitCode> {
    let mut args = vec!["actionlog".to_owned(), "validate".to_owned()];
    args.extend(rest.iter().cloned());
    if names_a_path(rest) {
        return Ok(actionlog_validator::cli::run_from(args));
    }
    // Relative paths keep the report the same on every machine.
    std::env::set_current_dir(root).with_context(|| format!("entering {}", root.display()))?;
    args.push("fixtures".to_owned());
    let report_code = actionlog_validator::cli::run_from(args);
    let mismatches = expectations::check(Path::new("fixtures"))?;
    if mismatches.is_empty() {
        println!("every fixture got the verdict its folder promises");
        Ok(ExitCode::SUCCESS)
    } else {
        for mismatch in &mismatches {
            eprintln!("unexpected verdict: {mismatch}");
        }
        eprintln!(
            "{} fixture(s) did not get their expected verdict (the report above exited {report_code:?})",
            mismatches.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// The workspace root: xtask's manifest directory's parent.
fn repository_root() -> Result<PathBuf> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .context("xtask's manifest has no parent directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_paths_from_flag_values() {
        let args = |list: &[&str]| list.iter().map(|arg| arg.to_string()).collect::<Vec<_>>();
        assert!(!names_a_path(&args(&["--format", "json", "--strict"])));
        assert!(names_a_path(&args(&["--format", "json", "captures"])));
        assert!(names_a_path(&args(&["-"])));
        assert!(!names_a_path(&args(&["--fail-under", "100"])));
    }

    /// Fails, naming the command that fixes it, when a generated file
    /// differs from what its generator gives now.
    fn assert_fresh(files: &[generated::GeneratedFile], command: &str) {
        let root = repository_root().unwrap();
        let stale: Vec<String> = generated::stale(&root, files)
            .unwrap()
            .iter()
            .map(|(file, _)| file.path.display().to_string())
            .collect();
        assert!(
            stale.is_empty(),
            "stale generated files {stale:?}: run `{command}` and commit the result"
        );
    }

    #[test]
    fn generated_examples_are_fresh() {
        assert_fresh(&examples::files().unwrap(), "cargo xtask fixtures");
    }

    #[test]
    fn committed_schemas_are_fresh() {
        assert_fresh(&generated::schema_files(), "cargo xtask schemas");
    }
}
