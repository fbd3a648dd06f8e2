//! What the property tests share: the committed fixture documents, JSON
//! values that reach into the contracts, and near-miss mutations of the
//! fixtures. Each test file uses part of it.
#![allow(dead_code)]

use actionlog_models::{CONTRACTS, Contract};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use serde_json::{Map, Number, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn config() -> Config {
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

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ---------------------------------------------------------------------------
// Inputs

/// One committed fixture document: its contract and its text (an NDJSON
/// file gives one document per line).
pub struct Fixture {
    pub contract: &'static Contract,
    pub name: String,
    pub text: String,
}

/// Shown by name: proptest prints the mutated text beside it.
impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Every document under `fixtures/<contract-id>/`, in a stable order.
pub fn fixtures() -> &'static [Fixture] {
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
pub fn member_names() -> &'static [String] {
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
pub fn telling_string() -> impl Strategy<Value = String> {
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
pub fn json_value() -> impl Strategy<Value = Value> {
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
pub fn replacement() -> impl Strategy<Value = String> {
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

pub fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A fixture document with up to three byte ranges replaced.
pub fn mutated_fixture() -> impl Strategy<Value = (&'static Fixture, String)> {
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
