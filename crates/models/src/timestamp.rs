//! RFC 3339 timestamps that keep their wire spelling.
//!
//! The vendors send 0 to 9 fractional digits (Auth0 nanoseconds, Buddy
//! milliseconds, StackOne whole seconds) and a capture must round-trip digit
//! for digit, so a [`Timestamp`] stores the text it was read from next to the
//! instant it denotes. `chrono::NaiveDateTime` is avoided on purpose: schemars
//! gives it the non-standard format `partial-date-time`, which no validator
//! checks.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
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
        match Fields::usual(text) {
            // Every field is in range: only the date can still not exist.
            Some(fields) => fields.date.is_some(),
            None => Self::read_by_chrono(text).is_ok(),
        }
    }

    fn instant_of(text: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
        if let Some(instant) = Self::usual(text) {
            return Ok(instant);
        }
        Self::read_by_chrono(text)
    }

    /// chrono's reading, and its reason for a refusal.
    fn read_by_chrono(text: &str) -> Result<DateTime<FixedOffset>, TimestampError> {
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

    /// Reads the usual spelling, `YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm)` with
    /// one to nine fraction digits, field by field; chrono only checks the
    /// calendar. chrono's general parser took ten times as long, and a run
    /// reads every timestamp of every document. `None` for anything else
    /// (lowercase `t` or `z`, a leap second, more fraction digits, a date
    /// that does not exist), which chrono then reads or refuses with its
    /// reason. The tests hold every instant read here to chrono's.
    fn usual(text: &str) -> Option<DateTime<FixedOffset>> {
        let fields = Fields::usual(text)?;
        let time = NaiveTime::from_hms_nano_opt(
            fields.hour,
            fields.minute,
            fields.second,
            fields.nanosecond,
        )?;
        FixedOffset::east_opt(fields.east)?
            .from_local_datetime(&fields.date?.and_time(time))
            .single()
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

/// The fields of a timestamp in the usual spelling (see [`Timestamp::usual`]),
/// each in its range.
struct Fields {
    /// `None` when the day does not exist in that month.
    date: Option<NaiveDate>,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    /// The offset east of UTC, in seconds.
    east: i32,
}

impl Fields {
    fn usual(text: &str) -> Option<Fields> {
        let bytes = text.as_bytes();
        // A fixed-size head: its fields are read without a bounds check each.
        let head: &[u8; 19] = bytes.get(..19)?.try_into().ok()?;
        if head[4] != b'-'
            || head[7] != b'-'
            || head[10] != b'T'
            || head[13] != b':'
            || head[16] != b':'
        {
            return None;
        }
        let digit = |byte: u8| {
            let value = byte.wrapping_sub(b'0');
            (value < 10).then_some(u32::from(value))
        };
        let two = |first: u8, second: u8| Some(digit(first)? * 10 + digit(second)?);
        let year = two(head[0], head[1])? * 100 + two(head[2], head[3])?;
        let (month, day) = (two(head[5], head[6])?, two(head[8], head[9])?);
        let (hour, minute, second) = (
            two(head[11], head[12])?,
            two(head[14], head[15])?,
            two(head[17], head[18])?,
        );
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &bytes[19..];
        let mut nanosecond = 0;
        if let [b'.', fraction @ ..] = rest {
            // Up to nine digits, each worth a tenth of the one before.
            let mut scale = 100_000_000;
            let mut digits = 0;
            while let Some(value) = fraction.get(digits).and_then(|&byte| digit(byte)) {
                if scale == 0 {
                    return None;
                }
                nanosecond += value * scale;
                scale /= 10;
                digits += 1;
            }
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
        let east = match *rest {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (hours, minutes) = (two(h1, h2)?, two(m1, m2)?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
                if sign == b'-' { -seconds } else { seconds }
            }
            _ => return None,
        };
        Some(Fields {
            date: NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day),
            hour,
            minute,
            second,
            nanosecond,
            east,
        })
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

    /// Text near the RFC 3339 grammar: each field in and out of range,
    /// every separator and offset spelling, up to twelve fraction digits.
    fn near_rfc_3339() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let two = |high: u32| (0..=high).prop_map(|n| format!("{n:02}"));
        (
            (0u32..=9999, two(13), two(32)),
            prop::sample::select(vec!["T", "t", " ", "TT", ""]),
            (two(25), two(61), two(61)),
            prop::option::of("[0-9]{0,12}"),
            prop_oneof![
                Just("Z".to_owned()),
                Just("z".to_owned()),
                Just(String::new()),
                ("[+-]", two(25), two(61)).prop_map(|(sign, h, m)| format!("{sign}{h}:{m}")),
                ("[+-]", two(25), two(61)).prop_map(|(sign, h, m)| format!("{sign}{h}{m}")),
            ],
        )
            .prop_map(|((y, mo, d), t, (h, mi, s), fraction, offset)| {
                let fraction = fraction
                    .map(|digits| format!(".{digits}"))
                    .unwrap_or_default();
                format!("{y:04}-{mo}-{d}{t}{h}:{mi}:{s}{fraction}{offset}")
            })
    }

    #[test]
    fn the_usual_spelling_reads_as_chrono_reads_it() {
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 20_000,
            failure_persistence: None,
            ..Config::default()
        });
        let read_here = std::cell::Cell::new(0);
        runner
            .run(&near_rfc_3339(), |text| {
                // The direct validity check is chrono's verdict, always.
                proptest::prop_assert_eq!(
                    Timestamp::is_valid(&text),
                    Timestamp::read_by_chrono(&text).is_ok(),
                    "{}",
                    text
                );
                if let Some(instant) = Timestamp::usual(&text) {
                    read_here.set(read_here.get() + 1);
                    let chrono = Timestamp::read_by_chrono(&text).map_err(|error| error.reason);
                    proptest::prop_assert_eq!(Ok(instant), chrono.clone(), "{}", text);
                    proptest::prop_assert_eq!(
                        Some(instant.offset()),
                        chrono.as_ref().ok().map(chrono::DateTime::offset),
                        "{}",
                        text
                    );
                }
                Ok(())
            })
            .unwrap();
        // Not vacuous: many texts take the direct read.
        assert!(
            read_here.get() > 400,
            "only {} read directly",
            read_here.get()
        );
    }

    #[test]
    fn the_usual_spelling_is_read_directly_and_the_rest_by_chrono() {
        for text in [
            "2021-01-01T00:00:00Z",
            "2025-05-28T09:51:38.709Z",
            "2021-01-01T00:00:00.123456789Z",
            "2021-01-01T00:00:00+05:30",
            "2021-01-01T00:00:00-00:00",
            "0000-01-01T00:00:00Z",
        ] {
            assert!(Timestamp::usual(text).is_some(), "{text}");
        }
        for text in [
            "2021-01-01t00:00:00z",
            "2016-12-31T23:59:60Z",
            "2021-01-01T00:00:00.1234567891Z",
            "2021-02-30T00:00:00Z",
            "2021-01-01T00:00:00+24:00",
        ] {
            assert!(Timestamp::usual(text).is_none(), "{text}");
        }
        assert!(Timestamp::is_valid("2016-12-31T23:59:60Z"));
        assert!(Timestamp::is_valid("2021-01-01T00:00:00.1234567891Z"));
    }
}
