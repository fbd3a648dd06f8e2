//! RFC 3339 timestamps that keep their wire spelling.
//!
//! The vendors send 0 to 9 fractional digits (Auth0 nanoseconds, Buddy
//! milliseconds, StackOne whole seconds) and a capture must round-trip digit
//! for digit, so a [`Timestamp`] stores the text it was read from next to the
//! instant it denotes. `chrono::NaiveDateTime` is avoided on purpose: schemars
//! gives it the non-standard format `partial-date-time`, which no validator
//! checks.

use chrono::{DateTime, FixedOffset};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// An RFC 3339 `date-time` (JSON Schema format `date-time`), kept as written.
///
/// Equality and hashing follow the text, so a round trip is exact; ordering
/// between instants is [`Timestamp::instant`]'s.
///
/// ```
/// use actionlog_models::Timestamp;
/// let t: Timestamp = "2021-01-01T00:00:00.123456789Z".parse().unwrap();
/// assert_eq!(t.as_str(), "2021-01-01T00:00:00.123456789Z");
/// assert!("2021-02-30T00:00:00Z".parse::<Timestamp>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    instant: DateTime<FixedOffset>,
}

/// Why a string is not an RFC 3339 `date-time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    reason: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: {}", self.reason)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// Reads an RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`,
    /// with `T`/`Z` in either case as RFC 3339 §5.6 allows. The space separator
    /// that chrono also accepts is refused: JSON Schema's `date-time` is the
    /// ABNF's `date-time`, and the validator uses this same function as its
    /// `date-time` format check, so the models and the schemas agree.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        Ok(Timestamp {
            instant: Self::instant_of(text)?,
            text: text.to_owned(),
        })
    }

    /// Whether `text` is an RFC 3339 `date-time` (see [`Timestamp::parse`]).
    /// Nothing is allocated: this is the validator's `date-time` check.
    pub fn is_valid(text: &str) -> bool {
        Self::instant_of(text).is_ok()
    }

    fn instant_of(text: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
        let separator = text.as_bytes().get(10).copied();
        if !matches!(separator, Some(b'T' | b't')) {
            return Err(TimestampError {
                reason: "expected `T` between the date and the time".into(),
            });
        }
        DateTime::parse_from_rfc3339(text).map_err(|error| TimestampError {
            reason: error.to_string(),
        })
    }

    /// The text as it was on the wire.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, with the offset it was written in.
    pub fn instant(&self) -> DateTime<FixedOffset> {
        self.instant
    }

    /// Compares the instants, ignoring how they were written.
    pub fn cmp_instant(&self, other: &Timestamp) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Reads the text where it lies, borrowed or not: only the
        /// timestamp's own copy is allocated.
        struct Text;

        impl Visitor<'_> for Text {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Timestamp::parse(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Text)
    }
}

impl JsonSchema for Timestamp {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }
}

#[cfg(feature = "proptest")]
mod strategies {
    use super::Timestamp;
    use proptest::prelude::*;

    impl Arbitrary for Timestamp {
        type Parameters = ();
        type Strategy = BoxedStrategy<Self>;

        /// Every spelling the vendors use: 0 to 9 fractional digits, `Z`,
        /// lowercase `t`/`z` and numeric offsets, across years 1970..2100.
        fn arbitrary_with((): ()) -> Self::Strategy {
            (
                (1970u32..2100, 1u32..=12, 1u32..=28),
                (0u32..24, 0u32..60, 0u32..60),
                prop::option::of((1usize..=9, 0u64..1_000_000_000)),
                prop_oneof![
                    Just("Z".to_owned()),
                    Just("z".to_owned()),
                    (-14i32..=14, prop_oneof![Just(0u32), Just(30), Just(45)]).prop_map(
                        |(hours, minutes)| {
                            let sign = if hours < 0 { '-' } else { '+' };
                            format!("{sign}{:02}:{minutes:02}", hours.abs())
                        }
                    ),
                ],
                any::<bool>(),
            )
                .prop_map(|((y, mo, d), (h, mi, s), fraction, offset, lower_t)| {
                    let fraction = fraction
                        .map(|(digits, nanos)| {
                            let all = format!("{nanos:09}");
                            format!(".{}", &all[..digits])
                        })
                        .unwrap_or_default();
                    let t = if lower_t { 't' } else { 'T' };
                    let text =
                        format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{fraction}{offset}");
                    match Timestamp::parse(&text) {
                        Ok(timestamp) => timestamp,
                        Err(error) => {
                            panic!("the strategy built an invalid timestamp {text}: {error}")
                        }
                    }
                })
                .boxed()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn accepts_what_rfc_3339_allows() {
        for text in [
            "2021-01-01T00:00:00Z",
            "2021-01-01T00:00:00.1Z",
            "2025-05-28T09:51:38.709Z",
            "2021-01-01T00:00:00.123456789Z",
            "2021-01-01t00:00:00z",
            "2021-01-01T00:00:00+05:30",
            "2021-01-01T00:00:00-00:00",
            "2016-12-31T23:59:60Z",
            "2024-02-29T12:00:00Z",
        ] {
            assert!(Timestamp::is_valid(text), "{text} should be valid");
        }
    }

    #[test]
    fn refuses_what_rfc_3339_does_not() {
        for text in [
            "",
            "2021-01-01",
            "2021-01-01 00:00:00Z",
            "2021-01-01T00:00:00",
            "2021-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-01-01T24:00:00Z",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00+0530",
            "21-01-01T00:00:00Z",
            "yesterday",
        ] {
            assert!(!Timestamp::is_valid(text), "{text} should be invalid");
        }
    }

    #[test]
    fn keeps_the_spelling_and_orders_by_instant() {
        let a: Timestamp = "2021-01-01T01:00:00+01:00".parse().unwrap();
        let b: Timestamp = "2021-01-01T00:00:00.000Z".parse().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.cmp_instant(&b), std::cmp::Ordering::Equal);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#""2021-01-01T01:00:00+01:00""#
        );
    }
}
