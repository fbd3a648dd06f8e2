//! How a member's presence is modelled: the wire has three states (absent,
//! `null`, a value) and the pages distinguish them, so the models do too.
//!
//! | page says                   | Rust type                 | schema                       |
//! |-----------------------------|---------------------------|------------------------------|
//! | required                    | `T`                       | `T`, listed in `required`    |
//! | required, may be null       | `Option<T>` + [`required_nullable`] | `T \| null`, in `required` |
//! | optional                    | `Option<T>` + [`non_null`] + [`forbid_null`] | `T`, not required |
//! | optional, may be null       | [`Nullable<T>`]           | `T \| null`, not required    |
//!
//! A plain `Option<T>` is never used on its own: serde would read both a
//! missing member and `null` as `None`, and schemars would allow both.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// A member that the page marks as optional *and* nullable: it may be absent,
/// present as `null`, or present with a value, and all three survive a round
/// trip.
///
/// Use it with `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`.
///
/// ```
/// use actionlog_models::Nullable;
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Log {
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     risk_level: Nullable<String>,
/// }
/// for wire in [r#"{}"#, r#"{"risk_level":null}"#, r#"{"risk_level":"low"}"#] {
///     let log: Log = serde_json::from_str(wire).unwrap();
///     assert_eq!(serde_json::to_string(&log).unwrap(), wire);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Nullable<T> {
    /// The member is not in the object.
    #[default]
    Absent,
    /// The member is present with the value `null`.
    Null,
    /// The member is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the member was missing; the `skip_serializing_if` predicate.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Borrows the value, keeping the state.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Maps the value, keeping the state.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// The value, if the member held one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // `skip_serializing_if` keeps an absent member out of its object;
            // serialized on its own, absent has no better spelling than null.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only called when the member is present; `#[serde(default)]` supplies
        // `Absent` otherwise.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Nullable<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <Option<T>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <Option<T>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Option<T>>::json_schema(generator)
    }
}

/// `deserialize_with` for an optional member that may not be `null`: reads
/// the value itself, so `null` is a type error instead of a silent `None`.
/// Pair it with `#[serde(default)]` and [`forbid_null`].
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// `deserialize_with` for a member that is required but may be `null`: with a
/// `deserialize_with`, serde no longer treats a missing `Option` as `None`,
/// so a missing member is an error. Pair it with [`require_member`] in a
/// container `transform` (schemars' own `required` would also forbid `null`).
pub fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Adds `name` to an object schema's `required` list, for a member that is
/// required but may be `null` (schemars leaves every `Option` out of it).
pub fn require_member(schema: &mut Schema, name: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let required = object
        .entry("required")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if let serde_json::Value::Array(names) = required
        && !names.iter().any(|existing| existing == name)
    {
        names.push(name.into());
    }
}

/// schemars `transform` for an `Option<T>` member that may be absent but not
/// `null`: takes `null` back out of the schema schemars derives for `Option`.
pub fn forbid_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    // Simple types come out as `"type": ["string", "null"]`.
    if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".into(), only);
        }
    }
    // References come out as `"anyOf": [{"$ref": …}, {"type": "null"}]`.
    if let Some(serde_json::Value::Array(branches)) = object.get("anyOf") {
        let rest: Vec<_> = branches
            .iter()
            .filter(|branch| branch.get("type").is_none_or(|t| t != "null"))
            .cloned()
            .collect();
        if let [only] = rest.as_slice() {
            object.remove("anyOf");
            if let serde_json::Value::Object(only) = only {
                for (key, value) in only {
                    object.insert(key.clone(), value.clone());
                }
            }
        } else {
            object.insert("anyOf".into(), serde_json::Value::Array(rest));
        }
    }
}

#[cfg(feature = "proptest")]
impl<T: proptest::arbitrary::Arbitrary + Clone + 'static> proptest::arbitrary::Arbitrary
    for Nullable<T>
{
    type Parameters = T::Parameters;
    type Strategy = proptest::strategy::BoxedStrategy<Self>;

    fn arbitrary_with(parameters: Self::Parameters) -> Self::Strategy {
        use proptest::strategy::Strategy;
        crate::strategy::nullable(proptest::arbitrary::any_with::<T>(parameters).boxed())
    }
}
