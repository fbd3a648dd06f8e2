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
use proptest::sample::Index;
use proptest::test_runner::Config;
use serde_json::{Map, Number, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn config() -> Config {
    Config {
        // PROPTEST_CASES=10000 for a longer hunt.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..Config::default()
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ---------------------------------------------------------------------------
// Inputs

/// One committed fixture document: its contract and its text (an NDJSON
/// file gives one document per line).
struct Fixture {
    contract: &'static Contract,
    name: String,
    text: String,
}

/// Shown by name: proptest prints the mutated text beside it.
impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Every document under `fixtures/<contract-id>/`, in a stable order.
fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut found = Vec::new();
        for contract in CONTRACTS {
            let folder = root().join("fixtures").join(contract.id);
            for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
                let entry = entry.unwrap();
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
                    continue;
                };
                let name = path.strip_prefix(root()).unwrap().display().to_string();
                let text = std::fs::read_to_string(path).unwrap();
                match extension {
                    "json" => found.push(Fixture {
                        contract,
                        name,
                        text,
                    }),
                    "ndjson" | "jsonl" => {
                        for (index, line) in
                            text.lines().filter(|l| !l.trim().is_empty()).enumerate()
                        {
                            found.push(Fixture {
                                contract,
                                name: format!("{name} line {}", index + 1),
                                text: line.to_owned(),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(found.len() > 50, "only {} fixture documents", found.len());
        found
    })
}

/// Every member name any contract's schema documents, for JSON values that
/// reach past the top level of a schema.
fn member_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        fn collect(schema: &Value, names: &mut Vec<String>) {
            match schema {
                Value::Object(members) => {
                    if let Some(Value::Object(properties)) = members.get("properties") {
                        names.extend(properties.keys().cloned());
                    }
                    members.values().for_each(|value| collect(value, names));
                }
                Value::Array(items) => items.iter().for_each(|value| collect(value, names)),
                _ => {}
            }
        }
        let mut names = Vec::new();
        for contract in CONTRACTS {
            let schema = serde_json::to_value((contract.response.schema)()).unwrap();
            collect(&schema, &mut names);
        }
        names.sort();
        names.dedup();
        names
    })
}

/// Strings that mean something to the contracts: timestamps good and bad,
/// enum values, secrets, and awkward characters.
fn telling_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024-06-03T08:14:22.329Z"),
        Just("2024-02-30T00:00:00Z"),
        Just("2024-06-03 08:14:22"),
        Just("9999-12-31T23:59:60+23:59"),
        Just("final"),
        Just("SUCCESSFUL"),
        Just("action"),
        Just("post-login"),
        Just("Bearer abc.def.ghi"),
        Just("Basic dXNlcjpwYXNz"),
        Just(""),
        Just("\u{feff}"),
        Just("\u{0}"),
        Just("é\u{301}\u{1F600}"),
        Just("\r\n"),
        Just("~1/~0"),
    ]
    .prop_map(str::to_owned)
}

/// Any JSON value: scalars of every kind (big, negative, fractional
/// numbers; odd strings), arrays and objects up to 6 deep whose keys are
/// mostly the contracts' own member names.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        3 => proptest::sample::select(member_names()),
        1 => ".{0,8}",
        1 => telling_string(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        ".{0,12}".prop_map(Value::String),
        telling_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// What replaces a byte range of a fixture: JSON punctuation and literals,
/// numbers at the edges, odd characters, or anything.
fn replacement() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[\\[\\]{}\":,0-9eE+. \\-\\\\a-z\n]{1,6}",
        prop_oneof![
            Just("null"),
            Just("true"),
            Just("\"\""),
            Just("-0"),
            Just("1e400"),
            Just("18446744073709551616"),
            Just("0.1e-400"),
            Just("NaN"),
            Just("["),
            Just("{"),
            Just("}"),
            Just("\\u0000"),
            Just("\\ud800"),
            Just("\u{feff}"),
            Just("\"2024-02-30T00:00:00Z\""),
            Just("\"Bearer x\""),
            Just("\r\n"),
        ]
        .prop_map(str::to_owned),
        ".{1,4}",
    ]
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A fixture document with up to three byte ranges replaced.
fn mutated_fixture() -> impl Strategy<Value = (&'static Fixture, String)> {
    (
        0..fixtures().len(),
        proptest::collection::vec((any::<Index>(), 0usize..24, replacement()), 1..4),
    )
        .prop_map(|(index, edits)| {
            let fixture = &fixtures()[index];
            let mut text = fixture.text.clone();
            for (at, length, with) in edits {
                let start = floor_boundary(&text, at.index(text.len() + 1));
                let end = floor_boundary(&text, start + length);
                text.replace_range(start..end, &with);
            }
            (fixture, text)
        })
}

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
    ) {
        let pieces = input::documents(&text, line_delimited);
        if !line_delimited {
            // The whole text is the one document; a blank text has none.
            prop_assert_eq!(pieces.len(), usize::from(!text.trim().is_empty()));
            for piece in &pieces {
                prop_assert_eq!(piece.line, None);
                prop_assert_eq!(piece.text, text.as_str());
            }
        } else {
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
