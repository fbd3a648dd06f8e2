//! The human and JSON reports for every file under `fixtures/`, as insta
//! snapshots in `fixtures/snapshots/`. A change in any message is a snapshot
//! diff to review (`cargo insta review`); adding a fixture adds its
//! snapshots.

use actionlog_validator::report::{self, Color, Format};
use actionlog_validator::run::{self, Options};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The report of one file in `format`, with paths as a user at the
/// repository root would see them.
fn report(relative: &str, format: Format) -> String {
    let options = Options {
        max_file_size: actionlog_validator::input::DEFAULT_MAX_FILE_SIZE,
        ..Options::default()
    };
    let mut reporter = report::reporter(format, Color::Never);
    let mut out = Vec::new();
    let path = root().join(relative);
    run::run(
        std::slice::from_ref(&path),
        &options,
        reporter.as_mut(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out)
        .unwrap()
        .replace(&path.display().to_string(), relative)
}

fn fixture_files() -> Vec<String> {
    let fixtures = root().join("fixtures");
    walkdir::WalkDir::new(&fixtures)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| {
            entry.file_type().is_file()
                && matches!(
                    entry.path().extension().and_then(|e| e.to_str()),
                    Some("json" | "ndjson" | "jsonl" | "har")
                )
                && !entry
                    .path()
                    .components()
                    .any(|c| c.as_os_str() == "snapshots" || c.as_os_str() == "bad-input")
        })
        .map(|entry| {
            let relative = entry.path().strip_prefix(root()).unwrap();
            relative.display().to_string().replace('\\', "/")
        })
        .collect()
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    let files = fixture_files();
    assert!(files.len() > 50, "only {} fixture files found", files.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("fixtures/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for file in &files {
            let name = file.trim_start_matches("fixtures/").replace('/', "__");
            insta::assert_snapshot!(format!("{name}.human"), report(file, Format::Human));
            insta::assert_snapshot!(format!("{name}.json"), report(file, Format::Json));
        }
    });
}
