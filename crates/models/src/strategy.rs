//! Shared proptest strategies for member types that have no `Arbitrary` of
//! their own (arbitrary JSON, bounded lists, finite numbers). Each model's
//! own strategy is derived beside it with `proptest-derive`.

use crate::Nullable;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// A list of 0 to `max` items, so that empty and long lists are both reached
/// without nested lists multiplying into huge documents.
pub fn list<T: Arbitrary + Clone + 'static>(max: usize) -> BoxedStrategy<Vec<T>> {
    prop_oneof![
        1 => Just(Vec::new()),
        4 => prop::collection::vec(any::<T>(), 1..=max),
    ]
    .boxed()
}

/// [`list`] for an optional member: absent, or a list.
pub fn optional_list<T: Arbitrary + Clone + 'static>(max: usize) -> BoxedStrategy<Option<Vec<T>>> {
    prop::option::of(list(max)).boxed()
}

/// A finite `f64` (JSON has no NaN or infinity), including fractions and
/// integral values.
pub fn finite() -> BoxedStrategy<f64> {
    prop_oneof![
        (-1_000_000i64..1_000_000).prop_map(|n| n as f64),
        (-1.0e9f64..1.0e9f64),
        prop::num::f64::NORMAL,
    ]
    .boxed()
}

/// A free-form string map such as `tags` or `headers`.
pub fn string_map() -> BoxedStrategy<BTreeMap<String, String>> {
    prop::collection::btree_map("[a-z][a-z0-9_-]{0,12}", ".{0,16}", 0..4).boxed()
}

/// Arbitrary JSON for members the page types as unknown (Arklow `input`,
/// Tines `payload`), nested a few levels deep.
pub fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        finite().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// A [`Nullable`] whose value comes from `values`: absent, null, or a value.
pub fn nullable<T: std::fmt::Debug + Clone + 'static>(
    values: BoxedStrategy<T>,
) -> BoxedStrategy<Nullable<T>> {
    prop_oneof![
        1 => Just(Nullable::Absent),
        1 => Just(Nullable::Null),
        3 => values.prop_map(Nullable::Value),
    ]
    .boxed()
}

/// A whole percentage as `f64`, or absent: what the page's integer `progress`
/// allows, held in the model's wider type.
pub fn optional_percent() -> BoxedStrategy<Option<f64>> {
    prop::option::of((0i64..=100).prop_map(|percent| percent as f64)).boxed()
}
