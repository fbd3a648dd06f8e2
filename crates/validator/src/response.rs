//! Bodies that are not the resource: the vendor's error envelope, or a
//! document that shares nothing with the contract. Either is one error at the
//! root instead of a pass with drift warnings (every member of most
//! contracts is optional) or a flood of schema errors.

use actionlog_models::Contract;
use actionlog_models::registry::Marker;
use serde_json::Value;

/// Why a document is not the resource, in words, with the rule it breaks.
pub struct NotTheResource {
    /// `response.error-body` or `response.not-a-resource`.
    pub rule: crate::Rule,
    /// The message.
    pub message: String,
    /// What was expected instead.
    pub expected: String,
}

/// Judges `document` against the contract's error envelopes and its
/// documented top-level members.
pub fn judge(contract: &Contract, root_schema: &Value, document: &Value) -> Option<NotTheResource> {
    error_body(contract, document).or_else(|| not_a_resource(contract, root_schema, document))
}

/// What [`error_body`] reads a document through: the parsed document, or
/// what the fast path kept of it.
pub trait Members {
    /// Whether the member at `pointer` is there, and what it is.
    fn shape(&self, pointer: &str) -> Option<Shape>;
    /// The member at `pointer`.
    fn value(&self, pointer: &str) -> Option<Value>;
}

/// Of a member, what an envelope's markers ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `null`.
    Null,
    /// An array of this many items.
    Array(usize),
    /// Anything else.
    Other,
}

impl Members for Value {
    fn shape(&self, pointer: &str) -> Option<Shape> {
        self.pointer(pointer).map(|member| match member {
            Value::Null => Shape::Null,
            Value::Array(items) => Shape::Array(items.len()),
            _ => Shape::Other,
        })
    }

    fn value(&self, pointer: &str) -> Option<Value> {
        self.pointer(pointer).cloned()
    }
}

/// The vendor's error envelope, when `document` is one. It reads only the
/// envelopes' marker, status and message members.
pub fn error_body(contract: &Contract, document: &impl Members) -> Option<NotTheResource> {
    let envelope = contract.error_bodies.iter().find(|envelope| {
        envelope.markers.iter().all(|(pointer, marker)| {
            let member = document.shape(pointer);
            match marker {
                Marker::Present => member.is_some_and(|shape| shape != Shape::Null),
                Marker::Null => member == Some(Shape::Null),
                Marker::NonEmptyArray => matches!(member, Some(Shape::Array(len)) if len > 0),
            }
        })
    });
    if let Some(envelope) = envelope {
        let resource =
            crate::check::with_article(&format!("{} {}", contract.vendor, contract.resource));
        let status = envelope
            .status
            .and_then(|pointer| document.value(pointer))
            .map(|status| format!("status {status}, "))
            .unwrap_or_default();
        let message = document.value(envelope.message).map_or_else(
            || "no message".to_owned(),
            |message| crate::check::shorten(&message.to_string()),
        );
        return Some(NotTheResource {
            rule: crate::Rule::ResponseErrorBody,
            message: format!(
                "this is the {} body ({status}message {message}), not {resource}",
                envelope.name
            ),
            expected: format!(
                "{resource}; this error shape is documented in {}",
                envelope.source
            ),
        });
    }
    None
}

/// Every member [`error_body`] reads, as pointers, each with whether only
/// its being null or not matters (a `Present` or `Null` marker).
pub fn reads(contract: &Contract) -> impl Iterator<Item = (&'static str, bool)> {
    contract.error_bodies.iter().flat_map(|envelope| {
        envelope
            .markers
            .iter()
            .map(|(pointer, marker)| (*pointer, *marker != Marker::NonEmptyArray))
            .chain(envelope.status.map(|pointer| (pointer, false)))
            .chain([(envelope.message, false)])
    })
}

/// A document that has none of the contract's documented top-level members
/// (when none is required).
fn not_a_resource(
    contract: &Contract,
    root_schema: &Value,
    document: &Value,
) -> Option<NotTheResource> {
    let resource =
        crate::check::with_article(&format!("{} {}", contract.vendor, contract.resource));
    let members = document.as_object()?;
    let documented = root_schema.get("properties").and_then(Value::as_object)?;
    let required = root_schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|required| !required.is_empty());
    if required || members.keys().any(|key| documented.contains_key(key)) {
        return None;
    }
    let mut names: Vec<&str> = documented.keys().map(String::as_str).collect();
    names.truncate(6);
    Some(NotTheResource {
        rule: crate::Rule::ResponseNotAResource,
        message: format!("the document has none of the members of {resource}"),
        expected: format!("at least one of {}", names.join(", ")),
    })
}
