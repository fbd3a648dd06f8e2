//! The models against the captured fixtures: every valid (and drift) document
//! reads into its contract's model and satisfies the generated schema with
//! formats asserted; every invalid one is rejected by the schema. Documents
//! are found by walking `fixtures/<contract-id>/`, so adding a case is adding
//! a file.

use actionlog_models::{CONTRACTS, Contract};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every document under `fixtures/<id>/<folder>/`: one per `.json` file, one
/// per line of an `.ndjson` file.
fn documents(contract: &Contract, folder: &str) -> Vec<(String, String)> {
    let root = fixtures().join(contract.id).join(folder);
    let mut found = Vec::new();
    if !root.exists() {
        return found;
    }
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.strip_prefix(fixtures()).unwrap().display().to_string();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("json" | "ndjson" | "jsonl") => std::fs::read_to_string(path).unwrap(),
            _ => continue,
        };
        if path.extension().is_some_and(|e| e == "json") {
            found.push((name, text));
        } else {
            for (index, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                found.push((format!("{name}:{}", index + 1), line.to_owned()));
            }
        }
    }
    found
}

fn validator(contract: &Contract) -> jsonschema::Validator {
    let schema = serde_json::to_value((contract.response.schema)()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn valid_and_drift_documents_read_into_their_model_and_satisfy_the_schema() {
    for contract in CONTRACTS {
        let validator = validator(contract);
        let mut count = 0;
        for folder in ["valid", "drift"] {
            for (name, text) in documents(contract, folder) {
                count += 1;
                if let Err(error) = (contract.response.round_trip)(&text) {
                    panic!(
                        "{name} does not read into {}: {error}",
                        contract.response.type_name
                    );
                }
                let instance: serde_json::Value = serde_json::from_str(&text).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&instance)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{name} fails its schema: {errors:#?}");
            }
        }
        assert!(count >= 3, "{}: only {count} valid documents", contract.id);
    }
}

#[test]
fn observed_documents_read_into_their_model() {
    // What the vendor sends beyond the page (new enum values, fractional
    // `progress`) must never make a document unreadable: the models are open.
    let mut count = 0;
    for contract in CONTRACTS {
        for (name, text) in documents(contract, "observed") {
            count += 1;
            if let Err(error) = (contract.response.round_trip)(&text) {
                panic!(
                    "{name} does not read into {}: {error}",
                    contract.response.type_name
                );
            }
        }
    }
    assert!(count >= 20, "only {count} observed documents");
}

#[test]
fn the_model_writes_back_what_it_read() {
    // The page examples round-trip through the model to the same JSON value:
    // nothing documented is dropped, nothing absent is invented.
    for contract in CONTRACTS {
        for (name, text) in documents(contract, "valid") {
            let written = (contract.response.round_trip)(&text).unwrap();
            let before: serde_json::Value = serde_json::from_str(&text).unwrap();
            let after: serde_json::Value = serde_json::from_str(&written).unwrap();
            // Integral floats (`356` read as f64) come back as `356.0`; compare as numbers.
            assert_eq!(
                normalize(before),
                normalize(after),
                "{name} changed on a round trip"
            );
        }
    }
}

fn normalize(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => n
            .as_f64()
            .map_or(Value::Number(n), |f| serde_json::json!(f)),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `invalid/schema.*` documents break the schema itself. (`invalid/response.*`
/// ones are error bodies, which a schema of all-optional members may well
/// accept: that is why the validator has `response.*` rules.)
#[test]
fn invalid_documents_are_rejected_by_the_schema() {
    for contract in CONTRACTS {
        let validator = validator(contract);
        let invalid: Vec<_> = documents(contract, "invalid")
            .into_iter()
            .filter(|(name, _)| {
                name.rsplit('/')
                    .next()
                    .is_some_and(|file| file.starts_with("schema."))
            })
            .collect();
        assert!(
            invalid.len() >= 3,
            "{}: only {} invalid documents",
            contract.id,
            invalid.len()
        );
        for (name, text) in invalid {
            let instance: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(
                !validator.is_valid(&instance),
                "{name} should be rejected by its schema"
            );
        }
    }
}
