//! The fast path can never be wrong: its verdict equals the full path's on
//! every document tried here. The committed fixtures, each contract's
//! generated documents, and those documents broken at every depth (a value
//! of another type, an enum value, a date, a missing or repeated member, a
//! null, an undocumented member) and byte by byte, are judged both ways under
//! the default policy and with undocumented members allowed.
//!
//! "Equals" is exact in one direction: whatever the fast path passes, the
//! full path finds nothing in. In the other direction the fast path may only
//! give up (and hand the document to the full path) on documents the typed
//! models cannot read, which `the_full_path_wins_where_the_models_cannot_read`
//! shows. The values the fast path keeps for the semantic rules, the error
//! envelopes and coverage give those the same answers as the whole document.

mod common;

use actionlog_models::{CONTRACTS, Contract};
use actionlog_validator::check;
use actionlog_validator::coverage::Coverage;
use actionlog_validator::semantic::{self, Document};
use actionlog_validator::{CompiledSchema, Policy, Rule};
use common::{config, fixtures, json_value, mutated_fixture};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

fn schema(contract: &'static Contract) -> &'static CompiledSchema {
    static SCHEMAS: OnceLock<HashMap<&'static str, CompiledSchema>> = OnceLock::new();
    &SCHEMAS.get_or_init(|| {
        CONTRACTS
            .iter()
            .map(|contract| (contract.id, CompiledSchema::compile(contract).unwrap()))
            .collect()
    })[contract.id]
}

/// The default policy, then one that allows undocumented members; both with
/// `time.sane` off, since generated timestamps fall anywhere in time and a
/// document with a finding tells nothing about the fast path.
fn policies() -> [Policy; 2] {
    let mut quiet = Policy::default();
    quiet.overrides.insert(Rule::TimeSane, None);
    [
        quiet.clone(),
        Policy {
            allow_unknown: true,
            ..quiet
        },
    ]
}

/// Judges `text` both ways under both policies and fails on any difference.
/// Says whether the fast path passed it under the default policy.
fn same_verdict(contract: &'static Contract, text: &str) -> Result<bool, TestCaseError> {
    let schema = schema(contract);
    let mut passed = Vec::new();
    for policy in policies() {
        let full = check::check_text(schema, &policy, text, None, None, false);
        let full_clean = full
            .as_ref()
            .is_ok_and(|outcome| outcome.diagnostics.is_empty() && outcome.omitted == 0);
        let fast = check::fast_path(schema, &policy, text, None, false);
        let shaped = check::fast_path(schema, &policy, text, None, true);
        prop_assert_eq!(fast.is_some(), shaped.is_some());
        passed.push(fast.is_some());
        if fast.is_some() {
            prop_assert!(
                full_clean,
                "{}: the fast path passed what the full path finds {:?} in (allow_unknown: {}):\n{text}",
                contract.id,
                full,
                policy.allow_unknown
            );
        } else if full_clean {
            let value: Value = serde_json::from_str(text).unwrap();
            prop_assert!(
                semantic::read(contract, Document::Parsed(&value), None).is_none(),
                "{}: the fast path gave up on a clean document its model reads:\n{text}",
                contract.id
            );
        }
        if let Some(kept) = shaped {
            let value: Value = serde_json::from_str(text).unwrap();
            let counted = |document: &Value| {
                let mut coverage = Coverage::default();
                coverage.add(contract, &schema.schema, document);
                coverage.to_json()
            };
            prop_assert_eq!(
                counted(&kept.to_value()),
                counted(&value),
                "coverage of {}",
                text
            );
        }
    }
    Ok(passed[0])
}

/// What the fast path keeps for the semantic rules and the error envelopes
/// gives them the same answers as the whole document, whatever the rules
/// find (the rules' own failing fixtures are the test).
fn same_reading(contract: &'static Contract, text: &str) {
    let schema = schema(contract);
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let plain = schema.fast.get(contract, &schema.schema, false).unwrap();
    let Some(kept) = plain.judge(text, false) else {
        return;
    };
    // Where the model reads the document, the rules find the same in what
    // was kept (elsewhere the full path leaves the rules out).
    if let Some(whole) = semantic::read(contract, Document::Parsed(&value), None) {
        assert_eq!(
            semantic::read(contract, Document::Kept(&kept), None),
            Some(whole),
            "{}: the rules read the kept value differently:\n{text}",
            contract.id
        );
    }
    assert_eq!(
        actionlog_validator::response::error_body(contract, &kept).map(|found| found.message),
        actionlog_validator::response::error_body(contract, &value).map(|found| found.message),
        "{text}"
    );
}

#[test]
fn every_fixture_gets_the_same_verdict_both_ways() {
    let mut passed = 0;
    for fixture in fixtures() {
        passed += usize::from(
            same_verdict(fixture.contract, &fixture.text)
                .unwrap_or_else(|error| panic!("{}: {error}", fixture.name)),
        );
        same_reading(fixture.contract, &fixture.text);
    }
    // The valid fixtures (a good share of them) take the fast path.
    assert!(passed >= 40, "only {passed} fixtures took the fast path");
}

#[test]
fn the_full_path_wins_where_the_models_cannot_read() {
    // 1.0 is an integer to JSON Schema, but not an i64 to serde: the schema
    // passes it, the model does not read it, and the semantic rules cannot
    // run. The fast path gives up, the full path says it is clean.
    let contract = actionlog_models::registry::find("tines.action-events").unwrap();
    let text = r#"{"events": [{"id": 1.0}]}"#;
    let schema = schema(contract);
    let policy = Policy::default();
    assert!(check::fast_path(schema, &policy, text, None, false).is_none());
    let outcome = check::check_text(schema, &policy, text, None, None, true).unwrap();
    assert_eq!(outcome, check::Outcome::default());
}

/// A generated document of `contract`, drawn with `seed`.
fn generated(contract: &'static Contract, seed: u64) -> String {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        proptest::test_runner::Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    (contract.response.generate)(&mut runner)
}

/// One way to break a document at one place.
#[derive(Debug, Clone)]
enum Break {
    Replace(Value),
    Remove,
    AddMember(String, Value),
    Null,
}

fn a_break() -> impl Strategy<Value = Break> {
    prop_oneof![
        3 => json_value().prop_map(Break::Replace),
        1 => Just(Break::Remove),
        1 => ("[a-z_]{1,10}", json_value()).prop_map(|(name, value)| Break::AddMember(name, value)),
        1 => Just(Break::Null),
    ]
}

/// Every place in `value`, as paths of member names and indices.
fn places(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                path.push(Value::from(name.as_str()));
                places(member, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Value::from(index));
                places(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn apply(document: &mut Value, path: &[Value], how: Break) {
    let Some((last, above)) = path.split_last() else {
        if let Break::Replace(value) = how {
            *document = value;
        }
        return;
    };
    let mut parent = &mut *document;
    for step in above {
        parent = match step {
            Value::String(name) => &mut parent[name.as_str()],
            Value::Number(index) => &mut parent[index.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    match (how, parent, last) {
        (Break::Remove, Value::Object(members), Value::String(name)) => {
            members.remove(name);
        }
        (Break::Remove, Value::Array(items), Value::Number(index)) => {
            items.remove(index.as_u64().unwrap() as usize);
        }
        (Break::AddMember(name, value), target, step) => {
            let target = match (target, step) {
                (Value::Object(members), Value::String(name)) => &mut members[name.as_str()],
                (Value::Array(items), Value::Number(index)) => {
                    &mut items[index.as_u64().unwrap() as usize]
                }
                _ => unreachable!(),
            };
            if let Value::Object(members) = target {
                members.insert(name, value);
            }
        }
        (how, target, step) => {
            let value = match how {
                Break::Replace(value) => value,
                _ => Value::Null,
            };
            match (target, step) {
                (Value::Object(members), Value::String(name)) => {
                    members.insert(name.clone(), value);
                }
                (Value::Array(items), Value::Number(index)) => {
                    items[index.as_u64().unwrap() as usize] = value;
                }
                _ => unreachable!(),
            }
        }
    }
}

/// A generated document with up to three places broken, pretty or compact.
fn broken_document() -> impl Strategy<Value = (&'static Contract, String)> {
    (
        0..CONTRACTS.len(),
        any::<u64>(),
        proptest::collection::vec((any::<Index>(), a_break()), 0..4),
        any::<bool>(),
    )
        .prop_map(|(contract, seed, breaks, pretty)| {
            let contract = &CONTRACTS[contract];
            let mut document: Value = serde_json::from_str(&generated(contract, seed)).unwrap();
            for (at, how) in breaks {
                let mut all = Vec::new();
                places(&document, &mut Vec::new(), &mut all);
                let path = all[at.index(all.len())].clone();
                apply(&mut document, &path, how);
            }
            let text = if pretty {
                serde_json::to_string_pretty(&document).unwrap()
            } else {
                document.to_string()
            };
            (contract, text)
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_documents_get_the_same_verdict((contract, text) in broken_document()) {
        same_verdict(contract, &text)?;
        same_reading(contract, &text);
    }

    #[test]
    fn mutated_fixtures_get_the_same_verdict((fixture, text) in mutated_fixture()) {
        same_verdict(fixture.contract, &text)?;
        same_reading(fixture.contract, &text);
    }

    #[test]
    fn arbitrary_json_gets_the_same_verdict(value in json_value(), contract in 0..CONTRACTS.len()) {
        same_verdict(&CONTRACTS[contract], &value.to_string())?;
    }
}

#[test]
fn forty_generated_documents_of_each_contract_get_the_same_verdict() {
    for contract in CONTRACTS {
        let mut passed = 0;
        for seed in 0..40 {
            let text = generated(contract, seed);
            passed += usize::from(
                same_verdict(contract, &text).unwrap_or_else(|error| panic!("{error}")),
            );
            same_reading(contract, &text);
        }
        // Many generated documents are clean (random ids and times break the
        // semantic rules in the rest): the comparison is not empty.
        assert!(
            passed >= 10,
            "{}: only {passed} of 40 took the fast path",
            contract.id
        );
    }
}

#[test]
fn every_place_of_generated_documents_broken_every_way() {
    // Values that break (or happen to fit) a type, an enum, a date, a
    // number: put at every place of a few generated documents of each
    // contract, with nulls, removals and undocumented members.
    let breaks = [
        // Every fixture gets these six at every place; generated documents all.
        Break::Replace(Value::from("2024-02-30T00:00:00Z")),
        Break::Replace(Value::from(12345)),
        Break::Replace(Value::from("not-a-documented-value")),
        Break::Null,
        Break::Remove,
        Break::AddMember("undocumented_member".to_owned(), Value::from(1)),
        Break::Replace(Value::from(-1.5)),
        Break::Replace(Value::from("2024-06-03T08:14:22.329Z")),
        Break::Replace(Value::Object(serde_json::Map::new())),
        Break::Replace(Value::Array(Vec::new())),
        Break::Replace(Value::Bool(true)),
    ];
    let (mut tried, mut passed) = (0, 0);
    for contract in CONTRACTS {
        // Clean documents, where a break makes the difference: the first two
        // generated ones, and the clean fixtures, which between them have
        // every documented member (CI gates their coverage at 100%).
        let generated = (0..)
            .map(|seed| generated(contract, seed))
            .filter(|text| same_verdict(contract, text).unwrap())
            .take(2)
            .map(|text| (text, &breaks[..]));
        let fixtures = fixtures()
            .iter()
            // The large pages repeat what the small ones have.
            .filter(|fixture| fixture.contract.id == contract.id && fixture.text.len() < 16_384)
            .map(|fixture| fixture.text.clone())
            .filter(|text| same_verdict(contract, text).unwrap())
            .map(|text| (text, &breaks[..6]));
        for (text, breaks) in generated.chain(fixtures) {
            let document: Value = serde_json::from_str(&text).unwrap();
            let mut all = Vec::new();
            places(&document, &mut Vec::new(), &mut all);
            for path in &all {
                for how in breaks {
                    let mut broken = document.clone();
                    apply(&mut broken, path, how.clone());
                    let text = broken.to_string();
                    passed +=
                        usize::from(same_verdict(contract, &text).unwrap_or_else(|error| {
                            panic!("{} at {path:?}: {error}", contract.id)
                        }));
                    same_reading(contract, &text);
                    tried += 1;
                }
            }
        }
    }
    // Many breaks are harmless (a value the member allows anyway): those
    // must pass the fast path too.
    assert!(tried > 1_000, "only {tried} broken documents");
    assert!(
        passed * 10 > tried,
        "only {passed} of {tried} passed: the seeds' documents are not clean"
    );
}

#[test]
fn a_member_written_twice_anywhere_gets_the_same_verdict() {
    // In every object of the clean fixtures (documented objects, maps and
    // arbitrary JSON alike), the first member written twice: `{"a": 1`
    // becomes `{"a": null, "a": 1`, which the full path reports as
    // json.duplicate-key (its `Value` keeps only the last).
    let mut tried = 0;
    for fixture in fixtures() {
        let text = fixture.text.as_str();
        if text.len() >= 16_384 || !same_verdict(fixture.contract, text).unwrap() {
            continue;
        }
        for (open, _) in text.match_indices('{') {
            let rest = text[open + 1..].trim_start();
            let Some(name) = rest
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            let repeated = format!("{}{{\"{name}\": null, {rest}", &text[..open]);
            let passed = same_verdict(fixture.contract, &repeated)
                .unwrap_or_else(|error| panic!("{}: {error}", fixture.name));
            assert!(
                !passed,
                "{}: a repeated `{name}` passed:\n{repeated}",
                fixture.name
            );
            tried += 1;
        }
    }
    assert!(tried > 200, "only {tried} objects");
}
