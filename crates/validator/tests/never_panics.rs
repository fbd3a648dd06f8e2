//! The library never panics, whatever the input: arbitrary text, arbitrary
//! JSON values and near-miss mutations of the committed fixtures go through
//! [`actionlog_validator::validate`] for every contract in
//! [`actionlog_models::CONTRACTS`], through the input splitter, the parser and
//! contract detection, and through a whole run with every report format.
//! A panic anywhere fails the property with the input that caused it.
//!
//! Each property runs 64 cases, so the file takes a few seconds in debug.
//! Failures are not persisted to `proptest-regressions/`: the failing input
//! is printed instead, to be added to `fixtures/bad-input/` by hand.

use actionlog_models::{CONTRACTS, Contract};
use actionlog_validator::input;
use actionlog_validator::report::{self, Color, Format};
use actionlog_validator::run::{self, Options};
use proptest::prelude::*;
use serde_json::Value;

mod common;

use common::{config, json_value, mutated_fixture};

// ---------------------------------------------------------------------------
// What must hold

/// `validate` returns (an `Ok` with diagnostics or an `Err` saying why)
/// for every contract; a diagnostic's position is inside the text.
fn validates_everywhere(text: &str) -> Result<(), TestCaseError> {
    for contract in CONTRACTS {
        validates(contract, text)?;
    }
    Ok(())
}

fn validates(contract: &'static Contract, text: &str) -> Result<(), TestCaseError> {
    match actionlog_validator::validate(contract, text) {
        Ok(diagnostics) => {
            for diagnostic in diagnostics {
                if let Some(position) = diagnostic.position {
                    prop_assert!(
                        position.offset <= text.len() && position.line >= 1 && position.column >= 1,
                        "{}: {diagnostic:?} is outside a {}-byte text",
                        contract.id,
                        text.len()
                    );
                }
            }
        }
        Err(actionlog_validator::ValidateError::Syntax(error)) => {
            prop_assert!(error.line >= 1 && error.column >= 1, "{error:?}");
            prop_assert!(
                error.line <= text.split('\n').count(),
                "{error:?} past the last line"
            );
        }
        Err(other) => prop_assert!(false, "{}: {other}", contract.id),
    }
    Ok(())
}

/// A whole run over `text` saved as `<contract-id>/doc.json`, in every
/// report format: no panic, and the JSON report is JSON.
fn reports(contract: &Contract, text: &str) -> Result<(), TestCaseError> {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join(contract.id).join("doc.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let options = Options {
        max_file_size: input::DEFAULT_MAX_FILE_SIZE,
        ..Options::default()
    };
    for format in [
        Format::Human,
        Format::Json,
        Format::Junit,
        Format::Sarif,
        Format::Github,
    ] {
        let mut reporter = report::reporter(format, Color::Always);
        let mut out = Vec::new();
        run::run(
            std::slice::from_ref(&path),
            &options,
            reporter.as_mut(),
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out);
        prop_assert!(out.is_ok(), "{format:?} wrote bytes that are not UTF-8");
        if format == Format::Json {
            let parsed = serde_json::from_str::<Value>(&out.unwrap_or_default());
            prop_assert!(parsed.is_ok(), "the JSON report is not JSON: {parsed:?}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validate_never_panics_on_any_line_of_text(text in ".*") {
        validates_everywhere(&text)?;
    }

    #[test]
    fn validate_never_panics_on_any_string(text in any::<String>()) {
        validates_everywhere(&text)?;
    }

    #[test]
    fn validate_never_panics_on_any_json_value(value in json_value()) {
        validates_everywhere(&value.to_string())?;
        validates_everywhere(&serde_json::to_string_pretty(&value).unwrap())?;
        // Detection says why it cannot choose. (That the reason can span
        // lines is `bug_member_names_are_printed_raw` in bad_input.rs.)
        if let Err(reason) = actionlog_validator::select::detect(&value) {
            prop_assert!(!reason.trim().is_empty());
        }
    }

    #[test]
    fn validate_never_panics_on_a_mutated_fixture((fixture, text) in mutated_fixture()) {
        validates(fixture.contract, &text).map_err(|error| {
            TestCaseError::fail(format!("{error}\nmutated from {}:\n{text}", fixture.name))
        })?;
    }

    #[test]
    fn a_run_never_panics_in_any_format_on_a_mutated_fixture(
        (fixture, text) in mutated_fixture()
    ) {
        reports(fixture.contract, &text).map_err(|error| {
            TestCaseError::fail(format!("{error}\nmutated from {}:\n{text}", fixture.name))
        })?;
    }

    #[test]
    fn documents_never_panics_and_splits_lines_faithfully(
        text in prop_oneof![any::<String>(), "[ \t\r\n{}a]{0,40}"],
        line_delimited in any::<bool>(),
        batch in 1usize..64,
    ) {
        if !line_delimited {
            // The whole text is the one document; a blank text has none.
            let pieces: Vec<_> = input::document(&text).into_iter().collect();
            prop_assert_eq!(pieces.len(), usize::from(!text.trim().is_empty()));
            for piece in &pieces {
                prop_assert_eq!(piece.line, None);
                prop_assert_eq!(piece.text, text.as_str());
            }
        } else {
            // As a run reads an NDJSON file: in batches, here of a few bytes.
            let mut reader = input::Lines::new(text.as_bytes(), u64::MAX, batch);
            let mut batches = Vec::new();
            while let Some(batch) = reader.next_batch(String::new()).unwrap() {
                prop_assert!(batch.bad_lines.is_empty());
                batches.push(batch);
            }
            let pieces: Vec<_> = batches.iter().flat_map(|batch| batch.documents()).collect();
            let lines: Vec<&str> = text.split('\n').collect();
            let mut previous = 0;
            for piece in &pieces {
                let line = piece.line.unwrap_or(0);
                prop_assert!(line > previous, "lines out of order: {line} after {previous}");
                previous = line;
                let source = lines[line - 1];
                prop_assert_eq!(piece.text, source.strip_suffix('\r').unwrap_or(source));
                prop_assert!(!piece.text.trim().is_empty());
            }
            let non_blank = lines.iter().filter(|line| !line.trim().is_empty()).count();
            prop_assert_eq!(pieces.len(), non_blank);
        }
    }
}
