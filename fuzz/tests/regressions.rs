//! Replays saved inputs through the same checks the fuzz targets run, as an
//! ordinary test: no cargo-fuzz, no libFuzzer run, any toolchain.
//!
//! ```sh
//! cargo test --manifest-path fuzz/Cargo.toml
//! ```
//!
//! - `fixtures/bad-input/fuzz/<target>/`: crash inputs whose bug is fixed;
//!   they must keep passing.
//! - `fuzz/regressions/<target>/`: inputs of bugs not yet fixed, each
//!   described in that folder's `README.md`; the test over them is ignored
//!   (`cargo test --manifest-path fuzz/Cargo.toml -- --ignored` runs it).
//!   Once one passes, it moves to `fixtures/bad-input/fuzz/<target>/` (with
//!   a `.bad` suffix).

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The input files in `folder/<target>/`, sorted (not notes, not hidden).
fn saved_inputs(folder: &Path, target: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder.join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            path.is_file() && !name.starts_with('.') && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    files
}

/// Runs every saved input under `folder`; returns how many ran and the
/// failures (each target's panic message is printed as it happens).
fn replay(folder: &Path) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failed = Vec::new();
    for target in actionlog_fuzz::TARGETS {
        for path in saved_inputs(folder, target) {
            let data = std::fs::read(&path).unwrap();
            ran += 1;
            match std::panic::catch_unwind(|| actionlog_fuzz::run(target, &data)) {
                Ok(Some(())) => {}
                Ok(None) => failed.push(format!("{target}: not a fuzz target")),
                Err(_) => failed.push(format!("{target}: {}", path.display())),
            }
        }
    }
    (ran, failed)
}

#[test]
fn fixed_crashes_stay_fixed() {
    let (_, failed) = replay(&root().join("../fixtures/bad-input/fuzz"));
    assert!(
        failed.is_empty(),
        "inputs that fail again:\n{}",
        failed.join("\n")
    );
}

/// Inputs of bugs still open fail by design, so this is ignored; it tells
/// which of them a fix has made pass (to move to
/// `fixtures/bad-input/fuzz/<target>/`) and which still fail.
#[test]
#[ignore = "open bugs: the inputs under fuzz/regressions/ may still fail (see its README.md files)"]
fn open_crashes() {
    let (ran, failed) = replay(&root().join("regressions"));
    eprintln!(
        "{} of {ran} input(s) under fuzz/regressions/ pass: move those to fixtures/bad-input/fuzz/<target>/",
        ran - failed.len()
    );
    assert!(
        failed.is_empty(),
        "inputs that still fail:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_target_runs() {
    for target in actionlog_fuzz::TARGETS {
        assert_eq!(actionlog_fuzz::run(target, b"{}"), Some(()));
    }
    assert_eq!(actionlog_fuzz::run("no-such-target", b"{}"), None);
}
