//! JSON Schema generation: one function, so every schema in `schemas/` comes
//! out of the same settings.

use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, generate::SchemaSettings};

/// The draft 2020-12 schema of `T`, with named nested types under `$defs`.
///
/// Keys come out sorted and the output has no timestamps or paths: the same
/// models give the same bytes on every machine.
pub fn generate<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(keep_standard_formats))
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The formats this project asserts. schemars also writes OpenAPI's `int64`,
/// `uint32`, `double` and the like; JSON Schema does not define them, and
/// validators skip them, so they are taken out rather than left to look like
/// checks.
pub const ASSERTED_FORMATS: &[&str] = &["date-time"];

fn keep_standard_formats(schema: &mut Schema) {
    let unasserted = schema
        .get("format")
        .and_then(|format| format.as_str())
        .is_some_and(|format| !ASSERTED_FORMATS.contains(&format));
    if unasserted {
        schema.remove("format");
    }
}

/// The text written to `schemas/<id>.schema.json`: pretty-printed with a
/// trailing newline.
pub fn to_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_else(|error| {
        // A `Schema` is a `serde_json::Value`; serializing one cannot fail.
        unreachable!("a JSON Schema failed to serialize: {error}")
    });
    text.push('\n');
    text
}
