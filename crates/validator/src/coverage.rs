//! Contract coverage: which documented members, nulls and enum values the
//! checked documents actually exercise. Counted in the same pass as
//! validation, from the same parsed value.
//!
//! A member is addressed by a pointer pattern in which `*` stands for any
//! array item (`/results/*/ended_at`); counts are occurrences, so each item
//! of an array counts once.

use actionlog_models::Contract;
use actionlog_models::registry::Fact;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Counts for every contract seen in a run.
#[derive(Debug, Default)]
pub struct Coverage {
    contracts: BTreeMap<&'static str, ContractCoverage>,
}

/// One contract's counts.
#[derive(Debug)]
struct ContractCoverage {
    contract: &'static Contract,
    documents: usize,
    fields: BTreeMap<String, FieldCount>,
    values: BTreeMap<(String, String), ValueCount>,
    undocumented: BTreeMap<String, usize>,
    /// HAR exchanges: response statuses seen, the documented one listed even
    /// when never seen.
    statuses: BTreeMap<String, ValueCount>,
    /// HAR exchanges: query parameters seen, the documented ones listed even
    /// when never seen.
    query: BTreeMap<String, ValueCount>,
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
struct FieldCount {
    present: usize,
    null: usize,
    absent: usize,
    #[serde(skip)]
    nullable: bool,
}

#[derive(Debug, Clone, Copy)]
struct ValueCount {
    seen: usize,
    documented: bool,
}

/// One member of a contract's schema: where, whether it may be null, and its
/// enum values.
struct Member {
    pattern: String,
    nullable: bool,
    values: Vec<String>,
}

impl Coverage {
    /// Adds one document judged against `contract`.
    pub fn add(&mut self, contract: &'static Contract, schema: &Value, document: &Value) {
        let coverage = self
            .contracts
            .entry(contract.id)
            .or_insert_with(|| ContractCoverage::new(contract, schema));
        coverage.documents += 1;
        let mut walk = Walk {
            root: schema,
            coverage,
        };
        walk.object_or_array(schema, document, &mut String::new());
    }

    /// Adds one HAR exchange's request and status (its body is added with
    /// [`Coverage::add`]).
    pub fn add_exchange(
        &mut self,
        contract: &'static Contract,
        schema: &Value,
        status: Option<i64>,
        query: &[(String, String)],
    ) {
        let coverage = self
            .contracts
            .entry(contract.id)
            .or_insert_with(|| ContractCoverage::new(contract, schema));
        if let Some(status) = status {
            coverage
                .statuses
                .entry(status.to_string())
                .or_insert(ValueCount {
                    seen: 0,
                    documented: false,
                })
                .seen += 1;
        }
        for (name, _) in query {
            coverage
                .query
                .entry(name.clone())
                .or_insert(ValueCount {
                    seen: 0,
                    documented: false,
                })
                .seen += 1;
        }
    }

    /// Whether every contract reaches `percent` in fields, values and nulls.
    pub fn meets(&self, percent: f64) -> bool {
        self.contracts.values().all(|coverage| {
            let summary = coverage.summary();
            [summary.fields, summary.values, summary.nulls]
                .iter()
                .all(|ratio| ratio.percent() + 1e-9 >= percent)
        })
    }

    /// The JSON report (documented in README.md).
    pub fn to_json(&self) -> Value {
        let contracts: Vec<Value> = self
            .contracts
            .values()
            .map(ContractCoverage::to_json)
            .collect();
        serde_json::json!({ "contracts": contracts })
    }

    /// A table per contract, what was never exercised first.
    pub fn to_human(&self) -> String {
        let mut text = String::new();
        for coverage in self.contracts.values() {
            let summary = coverage.summary();
            let _ = writeln!(
                text,
                "{} ({} documents): fields {}, values {}, nulls {}",
                coverage.contract.id,
                coverage.documents,
                summary.fields,
                summary.values,
                summary.nulls
            );
            let mut fields: Vec<_> = coverage.fields.iter().collect();
            fields.sort_by_key(|(pattern, count)| (count.present > 0, *pattern));
            let _ = writeln!(
                text,
                "  {:<58} {:>7} {:>6} {:>7}",
                "field", "present", "null", "absent"
            );
            for (pattern, count) in fields {
                let null = if count.nullable {
                    count.null.to_string()
                } else {
                    "-".to_owned()
                };
                let _ = writeln!(
                    text,
                    "  {pattern:<58} {:>7} {null:>6} {:>7}",
                    count.present, count.absent
                );
            }
            if !coverage.values.is_empty() {
                let mut values: Vec<_> = coverage.values.iter().collect();
                values.sort_by_key(|((pattern, value), count)| {
                    (count.seen > 0, pattern.clone(), value.clone())
                });
                let _ = writeln!(text, "  {:<58} {:>7}", "value", "seen");
                for ((pattern, value), count) in values {
                    let layer = if count.documented { "" } else { " (observed)" };
                    let _ = writeln!(
                        text,
                        "  {:<58} {:>7}",
                        format!("{pattern} = {value}{layer}"),
                        count.seen
                    );
                }
            }
            for (pattern, seen) in &coverage.undocumented {
                let _ = writeln!(text, "  undocumented {pattern} seen {seen}");
            }
            let exchanges: usize = coverage.statuses.values().map(|count| count.seen).sum();
            if exchanges > 0 {
                for (label, counts) in [
                    ("status", &coverage.statuses),
                    ("query parameter", &coverage.query),
                ] {
                    for (name, count) in counts {
                        let layer = if count.documented {
                            ""
                        } else {
                            " (undocumented)"
                        };
                        let _ = writeln!(text, "  HAR {label} {name}{layer} seen {}", count.seen);
                    }
                }
            }
        }
        text
    }

    /// A compact table for a pull-request comment.
    pub fn to_markdown(&self) -> String {
        let mut text = String::from(
            "| contract | documents | fields | values | nulls | never seen |\n|---|---:|---:|---:|---:|---|\n",
        );
        for coverage in self.contracts.values() {
            let summary = coverage.summary();
            let mut never: Vec<String> = coverage
                .fields
                .iter()
                .filter(|(_, count)| count.present == 0)
                .map(|(pattern, _)| format!("`{pattern}`"))
                .chain(
                    coverage
                        .values
                        .iter()
                        .filter(|(_, count)| count.seen == 0 && count.documented)
                        .map(|((pattern, value), _)| format!("`{pattern}={value}`")),
                )
                .collect();
            if never.len() > 8 {
                let rest = never.len() - 8;
                never.truncate(8);
                never.push(format!("and {rest} more"));
            }
            let _ = writeln!(
                text,
                "| `{}` | {} | {} | {} | {} | {} |",
                coverage.contract.id,
                coverage.documents,
                summary.fields,
                summary.values,
                summary.nulls,
                if never.is_empty() {
                    "—".to_owned()
                } else {
                    never.join(", ")
                }
            );
        }
        text
    }
}

/// `seen / of (percent)`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratio {
    /// How many were exercised.
    pub seen: usize,
    /// How many there are.
    pub of: usize,
}

impl Ratio {
    fn percent(self) -> f64 {
        if self.of == 0 {
            100.0
        } else {
            self.seen as f64 * 100.0 / self.of as f64
        }
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} ({:.0}%)", self.seen, self.of, self.percent())
    }
}

struct Summary {
    fields: Ratio,
    values: Ratio,
    nulls: Ratio,
}

impl ContractCoverage {
    fn new(contract: &'static Contract, schema: &Value) -> Self {
        let mut members = Vec::new();
        collect_members(schema, schema, &mut String::new(), &mut members, 0);
        let mut fields = BTreeMap::new();
        let mut values = BTreeMap::new();
        for member in members {
            for value in &member.values {
                values.insert(
                    (member.pattern.clone(), value.clone()),
                    ValueCount {
                        seen: 0,
                        documented: true,
                    },
                );
            }
            fields.insert(
                member.pattern,
                FieldCount {
                    nullable: member.nullable,
                    ..FieldCount::default()
                },
            );
        }
        for observed in contract.observed {
            if let Fact::Value { value } = observed.fact {
                values
                    .entry((observed.pointer.to_owned(), value.to_owned()))
                    .or_insert(ValueCount {
                        seen: 0,
                        documented: false,
                    });
            }
        }
        let documented = ValueCount {
            seen: 0,
            documented: true,
        };
        let statuses = BTreeMap::from([(contract.success_status.to_string(), documented)]);
        let query = contract
            .query_params
            .iter()
            .map(|param| (param.name.to_owned(), documented))
            .collect();
        ContractCoverage {
            contract,
            documents: 0,
            fields,
            values,
            undocumented: BTreeMap::new(),
            statuses,
            query,
        }
    }

    fn summary(&self) -> Summary {
        let fields = Ratio {
            seen: self
                .fields
                .values()
                .filter(|count| count.present > 0)
                .count(),
            of: self.fields.len(),
        };
        let documented_values = self.values.values().filter(|count| count.documented);
        let values = Ratio {
            seen: documented_values
                .clone()
                .filter(|count| count.seen > 0)
                .count(),
            of: documented_values.count(),
        };
        let nullable = self.fields.values().filter(|count| count.nullable);
        let nulls = Ratio {
            seen: nullable.clone().filter(|count| count.null > 0).count(),
            of: nullable.count(),
        };
        Summary {
            fields,
            values,
            nulls,
        }
    }

    fn to_json(&self) -> Value {
        let summary = self.summary();
        serde_json::json!({
            "contract": self.contract.id,
            "documents": self.documents,
            "fields": self.fields.iter().map(|(pointer, count)| serde_json::json!({
                "pointer": pointer, "present": count.present, "null": count.null, "absent": count.absent,
            })).collect::<Vec<_>>(),
            "values": self.values.iter().map(|((pointer, value), count)| serde_json::json!({
                "pointer": pointer, "value": value, "seen": count.seen, "documented": count.documented,
            })).collect::<Vec<_>>(),
            "undocumented": self.undocumented.iter().map(|(pointer, seen)| serde_json::json!({
                "pointer": pointer, "seen": seen,
            })).collect::<Vec<_>>(),
            "statuses": self.statuses.iter().map(|(status, count)| serde_json::json!({
                "status": status, "seen": count.seen, "documented": count.documented,
            })).collect::<Vec<_>>(),
            "query": self.query.iter().map(|(name, count)| serde_json::json!({
                "name": name, "seen": count.seen, "documented": count.documented,
            })).collect::<Vec<_>>(),
            "summary": {
                "fields": summary.fields, "values": summary.values, "nulls": summary.nulls,
            },
        })
    }
}

/// Every documented member under `schema`, as pointer patterns.
fn collect_members(
    root: &Value,
    schema: &Value,
    pattern: &mut String,
    out: &mut Vec<Member>,
    depth: usize,
) {
    if depth > 16 {
        return; // the generated schemas are far shallower; this only stops a cycle
    }
    let (schema, _) = resolve(root, schema);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let length = pattern.len();
            crate::position::push_segment(pattern, name);
            let (resolved, nullable) = resolve(root, property);
            let values = resolved
                .get("enum")
                .and_then(Value::as_array)
                .map(|values| {
                    values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            out.push(Member {
                pattern: pattern.clone(),
                nullable,
                values,
            });
            collect_members(root, property, pattern, out, depth + 1);
            pattern.truncate(length);
        }
    }
    if let Some(items) = schema.get("items") {
        let length = pattern.len();
        pattern.push_str("/*");
        collect_members(root, items, pattern, out, depth + 1);
        pattern.truncate(length);
    }
}

/// Follows `$ref` and a nullable `anyOf` to the value's schema, and says
/// whether `null` is allowed on the way.
fn resolve<'s>(root: &'s Value, mut schema: &'s Value) -> (&'s Value, bool) {
    let mut nullable = false;
    for _ in 0..8 {
        if let Some(types) = schema.get("type").and_then(Value::as_array) {
            nullable |= types.iter().any(|t| t == "null");
        }
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|path| root.pointer(path))
        {
            schema = target;
            continue;
        }
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            nullable |= branches
                .iter()
                .any(|branch| branch.get("type").is_some_and(|t| t == "null"));
            if let Some(branch) = branches
                .iter()
                .find(|branch| branch.get("type").is_none_or(|t| t != "null"))
            {
                schema = branch;
                continue;
            }
        }
        break;
    }
    (schema, nullable)
}

struct Walk<'a> {
    root: &'a Value,
    coverage: &'a mut ContractCoverage,
}

impl Walk<'_> {
    fn object_or_array(&mut self, schema: &Value, value: &Value, pattern: &mut String) {
        let (schema, _) = resolve(self.root, schema);
        match value {
            Value::Object(members) => {
                let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                    return;
                };
                for (name, property) in properties {
                    let length = pattern.len();
                    crate::position::push_segment(pattern, name);
                    let member = members.get(name);
                    if let Some(count) = self.coverage.fields.get_mut(pattern.as_str()) {
                        match member {
                            None => count.absent += 1,
                            Some(Value::Null) => count.null += 1,
                            Some(_) => count.present += 1,
                        }
                    }
                    if let Some(Value::String(text)) = member
                        && let Some(count) = self
                            .coverage
                            .values
                            .get_mut(&(pattern.clone(), text.clone()))
                    {
                        count.seen += 1;
                    }
                    if let Some(member) = member {
                        self.object_or_array(property, member, pattern);
                    }
                    pattern.truncate(length);
                }
                for name in members
                    .keys()
                    .filter(|name| !properties.contains_key(*name))
                {
                    let length = pattern.len();
                    crate::position::push_segment(pattern, name);
                    *self
                        .coverage
                        .undocumented
                        .entry(pattern.clone())
                        .or_default() += 1;
                    pattern.truncate(length);
                }
            }
            Value::Array(items) => {
                let Some(item_schema) = schema.get("items") else {
                    return;
                };
                let length = pattern.len();
                pattern.push_str("/*");
                for item in items {
                    self.object_or_array(item_schema, item, pattern);
                }
                pattern.truncate(length);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn coverage_of(id: &str, documents: &[Value]) -> Value {
        let contract = actionlog_models::registry::find(id).unwrap();
        let schema = serde_json::to_value((contract.response.schema)()).unwrap();
        let mut coverage = Coverage::default();
        for document in documents {
            coverage.add(contract, &schema, document);
        }
        coverage.to_json()["contracts"][0].clone()
    }

    fn field<'v>(report: &'v Value, pointer: &str) -> &'v Value {
        report["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["pointer"] == pointer)
            .unwrap()
    }

    #[test]
    fn counts_each_array_item_and_tells_null_from_absent() {
        let report = coverage_of(
            "auth0.execution",
            &[
                json!({"status": "final", "results": [{"ended_at": "2021-01-01T00:00:00Z"}, {}, {"action_name": "a"}]}),
                json!({"status": "pending", "extra": 1}),
            ],
        );
        assert_eq!(report["documents"], 2);
        let ended = field(&report, "/results/*/ended_at");
        assert_eq!(
            (ended["present"].as_u64(), ended["absent"].as_u64()),
            (Some(1), Some(2))
        );
        let results = field(&report, "/results");
        assert_eq!(
            (results["present"].as_u64(), results["absent"].as_u64()),
            (Some(1), Some(1))
        );
        let seen = |value: &str| {
            report["values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["pointer"] == "/status" && v["value"] == value)
                .unwrap()["seen"]
                .clone()
        };
        assert_eq!(seen("final"), 1);
        assert_eq!(seen("canceled"), 0);
        assert_eq!(
            report["undocumented"][0],
            json!({"pointer": "/extra", "seen": 1})
        );
        let observed = report["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == "post-credential-validation")
            .unwrap();
        assert_eq!(observed["documented"], false);
    }

    #[test]
    fn counts_nulls_of_nullable_members_in_nested_arrays() {
        let report = coverage_of(
            "tines.action-events",
            &[json!({"events": [{"id": 1}], "meta": {"next_page": null, "previous_page": "p"}})],
        );
        let next = field(&report, "/meta/next_page");
        assert_eq!(
            (next["present"].as_u64(), next["null"].as_u64()),
            (Some(0), Some(1))
        );
        assert_eq!(report["summary"]["nulls"]["of"], 3);
        assert_eq!(report["summary"]["nulls"]["seen"], 1);
        assert_eq!(field(&report, "/events/*/id")["present"], 1);
        assert_eq!(field(&report, "/events/*/agent_id")["absent"], 1);
    }

    #[test]
    fn counts_har_statuses_and_query_parameters_documented_ones_first() {
        let contract = actionlog_models::registry::find("tines.action-events").unwrap();
        let schema = serde_json::to_value((contract.response.schema)()).unwrap();
        let mut coverage = Coverage::default();
        let query = vec![
            ("page".to_owned(), "2".to_owned()),
            ("limit".to_owned(), "5".to_owned()),
        ];
        coverage.add_exchange(contract, &schema, Some(200), &query);
        coverage.add_exchange(contract, &schema, Some(404), &[]);
        let report = &coverage.to_json()["contracts"][0];
        assert_eq!(
            report["statuses"],
            json!([{"status": "200", "seen": 1, "documented": true}, {"status": "404", "seen": 1, "documented": false}])
        );
        let query: Vec<(String, u64, bool)> = report["query"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["name"].as_str().unwrap().to_owned(),
                    q["seen"].as_u64().unwrap(),
                    q["documented"].as_bool().unwrap(),
                )
            })
            .collect();
        assert!(query.contains(&("page".to_owned(), 1, true)));
        assert!(query.contains(&("per_page".to_owned(), 0, true)));
        assert!(query.contains(&("limit".to_owned(), 1, false)));
    }
}
