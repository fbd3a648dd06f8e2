//! Which contract applies to a document, first match wins: `--contract`, the
//! `actionlog.toml` mapping, a path segment equal to a contract id, and last
//! detection from the document's shape.

use actionlog_models::{CONTRACTS, Contract};
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// The contract whose id is a segment of `path` (`fixtures/tines.action-events/x.json`).
pub fn by_path_segment(path: &Path) -> Option<&'static Contract> {
    path.components().find_map(|component| {
        let segment = component.as_os_str().to_str()?;
        actionlog_models::registry::find(segment)
    })
}

/// The one contract a document's shape fits, or why none can be chosen.
///
/// A contract fits when the document is an object that has every member the
/// contract requires, shares at least one documented top-level member with it,
/// and more than half of its own top-level members are documented there. Two
/// or more fits is an error, not a guess.
pub fn detect(document: &Value) -> Result<&'static Contract, String> {
    let Some(members) = document.as_object() else {
        return Err(format!(
            "cannot tell which contract applies to a top-level {}; name one with --contract",
            crate::schema::json_type(document)
        ));
    };
    let fits: Vec<&'static Contract> = shapes()
        .iter()
        .filter(|shape| {
            let required_present = shape.required.iter().all(|name| members.contains_key(name));
            let shared = members
                .keys()
                .filter(|key| shape.documented.contains(key))
                .count();
            required_present && shared >= 1 && shared * 2 > members.len()
        })
        .map(|shape| shape.contract)
        .collect();
    match fits.as_slice() {
        [only] => Ok(only),
        [] => Err(format!(
            "no contract fits a document with top-level members {}; name one with --contract or map the path in actionlog.toml",
            list_keys(members)
        )),
        several => Err(format!(
            "the document fits several contracts ({}); name one with --contract or map the path in actionlog.toml",
            several
                .iter()
                .map(|contract| contract.id)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A contract's top level: what detection compares a document with.
struct Shape {
    contract: &'static Contract,
    documented: Vec<String>,
    required: Vec<String>,
}

/// Every contract's top level, read once per process.
fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        CONTRACTS
            .iter()
            .map(|contract| {
                // A schema that does not parse fits nothing; the schema
                // tests prove that every committed one parses.
                let schema = crate::schema::value(contract).unwrap_or_default();
                let names = |key: &str| -> Vec<String> {
                    match schema.get(key) {
                        Some(Value::Object(properties)) => properties.keys().cloned().collect(),
                        Some(Value::Array(names)) => names
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                        _ => Vec::new(),
                    }
                };
                Shape {
                    contract,
                    documented: names("properties"),
                    required: names("required"),
                }
            })
            .collect()
    })
}

fn list_keys(members: &serde_json::Map<String, Value>) -> String {
    if members.is_empty() {
        return "(none)".to_owned();
    }
    let mut keys: Vec<String> = members
        .keys()
        .take(8)
        .map(|key| format!("`{key}`"))
        .collect();
    if members.len() > 8 {
        keys.push(format!("and {} more", members.len() - 8));
    }
    keys.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_each_contract_from_its_shape() {
        let id = |document: Value| detect(&document).map(|contract| contract.id);
        assert_eq!(
            id(json!({"log_id": "a", "log_type": "action", "action_run_id": "b"})),
            Ok("stackone.action-log")
        );
        assert_eq!(
            id(json!({"data": {}, "errors": null})),
            Ok("arklow.action-records")
        );
        assert_eq!(
            id(json!({"events": [], "meta": {}})),
            Ok("tines.action-events")
        );
        assert_eq!(
            id(json!({"trigger_id": "post-login", "results": []})),
            Ok("auth0.execution")
        );
        assert_eq!(
            id(json!({"action": {}, "log": [], "progress": 100})),
            Ok("buddy.action-execution")
        );
    }

    #[test]
    fn refuses_to_guess() {
        assert!(
            detect(&json!({"status": "x"}))
                .unwrap_err()
                .contains("several contracts")
        );
        assert!(
            detect(&json!({"statusCode": 404, "message": "Not Found"}))
                .unwrap_err()
                .contains("no contract fits")
        );
        assert!(detect(&json!([1])).unwrap_err().contains("top-level array"));
    }

    #[test]
    fn finds_the_contract_in_the_path() {
        let path = Path::new("fixtures/tines.action-events/valid/page-example.json");
        assert_eq!(
            by_path_segment(path).map(|contract| contract.id),
            Some("tines.action-events")
        );
        assert!(by_path_segment(Path::new("captures/x.json")).is_none());
    }
}
