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

mod generated;

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
  validate [PATHS...]   run `actionlog validate` (default: fixtures/); other flags pass through";

fn parse_check_flag(rest: &[String]) -> Result<bool> {
    match rest {
        [] => Ok(false),
        [flag] if flag == "--check" => Ok(true),
        other => bail!("unexpected arguments {other:?}; the only flag is --check"),
    }
}

/// Runs the validator in-process over `fixtures/` (or the given paths), with
/// the CLI's own argument parsing, output and exit codes.
fn validate(root: &Path, rest: &[String]) -> Result<ExitCode> {
    let mut args = vec!["actionlog".to_owned(), "validate".to_owned()];
    args.extend(rest.iter().cloned());
    if !rest.iter().any(|arg| !arg.starts_with('-')) {
        args.push(root.join("fixtures").display().to_string());
    }
    Ok(actionlog_validator::cli::run_from(args))
}

/// The workspace root: xtask's manifest directory's parent.
fn repository_root() -> Result<PathBuf> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .context("xtask's manifest has no parent directory")
}
