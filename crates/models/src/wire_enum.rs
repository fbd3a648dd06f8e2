//! String enums as the vendors' SDKs treat them: open.
//!
//! A page lists the values it knows, and the schema lists exactly those, but a
//! vendor ships new values before it updates its page (Auth0 added triggers,
//! Buddy statuses). A model that failed to deserialize on a new value would
//! lose the whole document, so every enum keeps an unknown value in
//! `Other(String)`; whether that value is acceptable is the validator's call.

/// Defines an open string enum: one variant per documented wire value, plus
/// `Other(String)` for any other string.
///
/// The generated type has `DOCUMENTED` (the page's values in page order),
/// `as_str`, `from_wire`, `is_documented`, serde impls that use the wire names,
/// a schema that lists only the documented values, and (with the `proptest`
/// feature) an `Arbitrary` impl that yields documented values only, so that
/// generated models always satisfy their schema.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $variant_doc:literal])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $variant_doc])* #[doc = concat!("Wire value `", $wire, "`.")] $variant, )+
            /// A value the page does not list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented wire values, in the page's order.
            pub const DOCUMENTED: &'static [&'static str] = &[$($wire),+];

            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(other) => other,
                }
            }

            /// The variant for a wire value; undocumented values become `Other`.
            pub fn from_wire(wire: &str) -> Self {
                match wire {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }

            /// Whether the value is one the page lists.
            pub fn is_documented(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let wire = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from_wire(&wire))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let description = $crate::wire_enum::doc_text(&[$($doc),*]);
                let mut schema = ::schemars::json_schema!({
                    "type": "string",
                    "enum": $name::DOCUMENTED,
                });
                if !description.is_empty() {
                    schema.insert("description".into(), description.into());
                }
                schema
            }
        }

        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy;
                ::proptest::sample::select($name::DOCUMENTED)
                    .prop_map($name::from_wire)
                    .boxed()
            }
        }
    };
}

/// Joins `///` lines the way rustdoc and schemars do: trimmed, paragraphs kept.
#[doc(hidden)]
pub fn doc_text(lines: &[&str]) -> String {
    let mut text = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            text.push_str("\n\n");
        } else {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push(' ');
            }
            text.push_str(line);
        }
    }
    text.trim().to_owned()
}

/// A strategy for values that no page lists, for round-trip tests of
/// `Other`: lowercase words that are not in `documented`.
#[cfg(feature = "proptest")]
pub fn undocumented_value(
    documented: &'static [&'static str],
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    "[a-z][a-z0-9-]{0,24}".prop_filter("documented values are not `Other`", move |value| {
        !documented.contains(&value.as_str())
    })
}
