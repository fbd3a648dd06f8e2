//! Replays saved inputs through the same checks the fuzz targets run, as an
//! ordinary test: no cargo-fuzz, no libFuzzer run, any toolchain.
//!
//! ```sh
//! cargo test --manifest-path fuzz/Cargo.toml
//! ```
//!
//! - `fixtures/bad-input/fuzz/<target>/`: crash inputs whose bug is fixed;
//!   they must keep passing.
//! - `fuzz/regressions/<target>/`: inputs that still fail, each described in
//!   that folder's `README.md`; the test over them is ignored (`cargo test
//!   --manifest-path fuzz/Cargo.toml -- --ignored` runs it) until the bug is
//!   fixed and the input moves to `fixtures/bad-input/fuzz/<target>/`.

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

#[test]
#[ignore = "bug: the inputs in fuzz/regressions/ still fail (see its README.md files)"]
fn open_crashes() {
    let (ran, failed) = replay(&root().join("regressions"));
    assert!(
        ran > 0,
        "no inputs under fuzz/regressions/: remove this test's #[ignore]"
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
