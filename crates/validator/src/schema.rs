//! A contract's generated JSON Schema, compiled once, and walked alongside a
//! document: to find the documented description of a value, and the members
//! the contract does not document.

use actionlog_models::{Contract, Timestamp};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A contract's schema, compiled with format assertions on.
pub struct CompiledSchema {
    /// The contract.
    pub contract: &'static Contract,
    /// The schema as generated from the models.
    pub schema: Value,
    /// The jsonschema validator, compiled on first use.
    validator: OnceLock<Result<jsonschema::Validator, CompileError>>,
    /// The fast path's forms of the schema, compiled on first use.
    pub fast: crate::fast::Compiled,
}

/// The schema did not compile: a defect in the models, not in the input.
#[derive(Debug, thiserror::Error)]
#[error("the schema of contract {id} does not compile: {reason}")]
pub struct CompileError {
    id: &'static str,
    reason: String,
}

impl CompiledSchema {
    /// Reads `contract`'s schema. The jsonschema validator is compiled on
    /// first use ([`CompiledSchema::validator`]): a run whose documents all
    /// pass the fast path never needs it, and building it (with the draft
    /// 2020-12 meta-schema it checks the schema against) is most of a
    /// one-file run's start-up.
    pub fn compile(contract: &'static Contract) -> Result<Self, CompileError> {
        let schema = value(contract).map_err(|error| CompileError {
            id: contract.id,
            reason: error.to_string(),
        })?;
        Ok(CompiledSchema {
            contract,
            schema,
            validator: OnceLock::new(),
            fast: crate::fast::Compiled::default(),
        })
    }

    /// The compiled jsonschema validator, formats asserted. `date-time` is
    /// checked by the models' own [`Timestamp`] parser, so the schema, the
    /// models and the validator agree on what a timestamp is.
    pub fn validator(&self) -> Result<&jsonschema::Validator, &CompileError> {
        self.validator
            .get_or_init(|| {
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .with_format("date-time", Timestamp::is_valid)
                    .build(&self.schema)
                    .map_err(|error| CompileError {
                        id: self.contract.id,
                        reason: error.to_string(),
                    })
            })
            .as_ref()
    }

    /// The schema that applies at `pointer` in `instance`, following `$ref`s
    /// and choosing the `anyOf` branch that fits the value; `None` past an
    /// arbitrary-JSON member or an undocumented one.
    pub fn at(&self, instance: &Value, pointer: &str) -> Option<&Value> {
        let mut schema = self.resolve(&self.schema, Some(instance));
        let mut value = Some(instance);
        for token in pointer.split('/').skip(1) {
            let token = crate::position::unescape(token);
            let (next_schema, next_value) = match value {
                Some(Value::Array(items)) => (
                    schema.get("items")?,
                    token
                        .parse::<usize>()
                        .ok()
                        .and_then(|index| items.get(index)),
                ),
                Some(Value::Object(members)) => (
                    schema.get("properties")?.get(token.as_ref())?,
                    members.get(token.as_ref()),
                ),
                _ => return None,
            };
            schema = self.resolve(next_schema, next_value);
            value = next_value;
        }
        Some(schema)
    }

    /// The documented description at `pointer`: the property's own first,
    /// then the description of the type it refers to.
    pub fn description(&self, instance: &Value, pointer: &str) -> Option<&str> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let last = crate::position::unescape(last);
        let parent_value = resolve_pointer(instance, parent);
        let parent_schema = self.at(instance, parent)?;
        let property = parent_schema.get("properties")?.get(last.as_ref());
        let property = match (property, parent_value) {
            (Some(property), _) => property,
            (None, Some(Value::Array(_))) => parent_schema.get("items")?,
            (None, _) => return None,
        };
        property
            .get("description")
            .or_else(|| self.resolve(property, None).get("description"))
            .and_then(Value::as_str)
    }

    /// The description of member `name` of the object at `pointer`.
    pub fn member_description(&self, instance: &Value, pointer: &str, name: &str) -> Option<&str> {
        let object = self.at(instance, pointer)?;
        let property = object.get("properties")?.get(name)?;
        property
            .get("description")
            .or_else(|| self.resolve(property, None).get("description"))
            .and_then(Value::as_str)
    }

    /// Follows `$ref` (within `$defs`) and picks the `anyOf` branch that fits
    /// `value`'s JSON type (the non-null branch when the value is unknown).
    fn resolve<'s>(&'s self, mut schema: &'s Value, value: Option<&Value>) -> &'s Value {
        // The generated schemas nest at most a `$ref` inside an `anyOf`; the
        // bound only guards against a cycle of references.
        for _ in 0..8 {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                match reference
                    .strip_prefix("#")
                    .and_then(|path| self.schema.pointer(path))
                {
                    Some(target) => {
                        schema = target;
                        continue;
                    }
                    None => return schema,
                }
            }
            if let Some(Value::Array(branches)) = schema.get("anyOf") {
                let fits = |branch: &&Value| {
                    let branch = self.resolve_ref(branch);
                    match value {
                        Some(value) => type_fits(branch, value),
                        None => branch.get("type").is_none_or(|t| t != "null"),
                    }
                };
                match branches.iter().find(fits) {
                    Some(branch) => {
                        schema = branch;
                        continue;
                    }
                    None => return schema,
                }
            }
            return schema;
        }
        schema
    }

    fn resolve_ref<'s>(&'s self, schema: &'s Value) -> &'s Value {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|path| self.schema.pointer(path))
            .unwrap_or(schema)
    }

    /// Members of `instance` the contract does not document, as pointers.
    /// Members typed as arbitrary JSON (Arklow `input`, Tines `payload`) are
    /// not looked into.
    pub fn undocumented_members(&self, instance: &Value) -> Vec<String> {
        let mut found = Vec::new();
        let mut pointer = String::new();
        self.walk_undocumented(&self.schema, instance, &mut pointer, &mut found);
        found
    }

    fn walk_undocumented(
        &self,
        schema: &Value,
        instance: &Value,
        pointer: &mut String,
        found: &mut Vec<String>,
    ) {
        let schema = self.resolve(schema, Some(instance));
        match instance {
            Value::Object(members) => {
                let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                    return;
                };
                for (key, value) in members {
                    let length = pointer.len();
                    crate::position::push_segment(pointer, key);
                    match properties.get(key) {
                        Some(property) => self.walk_undocumented(property, value, pointer, found),
                        None => found.push(pointer.clone()),
                    }
                    pointer.truncate(length);
                }
            }
            Value::Array(items) => {
                let Some(item_schema) = schema.get("items") else {
                    return;
                };
                for (index, item) in items.iter().enumerate() {
                    let length = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    self.walk_undocumented(item_schema, item, pointer, found);
                    pointer.truncate(length);
                }
            }
            _ => {}
        }
    }
}

/// `contract`'s schema as JSON: the committed `schemas/<id>.schema.json`,
/// parsed, or generated from the models for a contract without one.
pub fn value(contract: &Contract) -> Result<Value, serde_json::Error> {
    match committed_text(contract.id) {
        Some(text) => serde_json::from_str(text),
        None => serde_json::to_value((contract.response.schema)()),
    }
}

/// `contract`'s schema as `schemas/<id>.schema.json` holds it.
pub fn text(contract: &Contract) -> Cow<'static, str> {
    match committed_text(contract.id) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(actionlog_models::schema::to_text(&(contract
            .response
            .schema)())),
    }
}

/// The committed schema files, compiled in: a one-file run starts faster
/// parsing one than generating it with schemars (in a fresh process, about
/// 0.1 ms against 0.3 ms for `stackone.action-log`; 0.3 ms against 0.6 ms
/// for all five, which shape detection reads). `cargo xtask schemas --check`
/// keeps the files equal to the models' output, and
/// `committed_schemas_are_the_models` below proves these copies equal to it
/// in this crate's own tests.
fn committed_text(id: &str) -> Option<&'static str> {
    Some(match id {
        "arklow.action-records" => {
            include_str!("../../../schemas/arklow.action-records.schema.json")
        }
        "auth0.execution" => include_str!("../../../schemas/auth0.execution.schema.json"),
        "buddy.action-execution" => {
            include_str!("../../../schemas/buddy.action-execution.schema.json")
        }
        "stackone.action-log" => include_str!("../../../schemas/stackone.action-log.schema.json"),
        "tines.action-events" => include_str!("../../../schemas/tines.action-events.schema.json"),
        _ => return None,
    })
}

fn type_fits(schema: &Value, value: &Value) -> bool {
    let name = json_type(value);
    match schema.get("type") {
        Some(Value::String(ty)) => ty == name || (ty == "number" && name == "integer"),
        Some(Value::Array(types)) => types
            .iter()
            .any(|ty| ty == name || (ty == "number" && name == "integer")),
        _ => true,
    }
}

/// The JSON Schema type name of a value (`integer` for whole numbers).
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `Value::pointer` for a pointer that may be the empty string.
pub fn resolve_pointer<'v>(instance: &'v Value, pointer: &str) -> Option<&'v Value> {
    instance.pointer(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actionlog_models::CONTRACTS;

    #[test]
    fn every_validator_compiles() {
        for contract in CONTRACTS {
            let schema = CompiledSchema::compile(contract).unwrap();
            if let Err(error) = schema.validator() {
                panic!("{error}");
            }
        }
    }

    #[test]
    fn committed_schemas_are_the_models() {
        for contract in CONTRACTS {
            let generated = (contract.response.schema)();
            let committed = committed_text(contract.id)
                .unwrap_or_else(|| panic!("no compiled-in schema for {}", contract.id));
            assert!(
                committed == actionlog_models::schema::to_text(&generated),
                "schemas/{}.schema.json is not what the models generate: run `cargo xtask schemas`",
                contract.id
            );
            assert_eq!(
                value(contract).unwrap(),
                serde_json::to_value(&generated).unwrap(),
                "{}",
                contract.id
            );
        }
    }
}
