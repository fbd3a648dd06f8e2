//! Reading one document's text into a `serde_json::Value`, noticing on the
//! way whether any object repeats a key (serde_json's own `Value` silently
//! keeps the last one). Where the duplicates are is left to
//! [`crate::position::SourceMap`], built only for documents that have one.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A document that is not JSON: where and why, as serde_json says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line} column {column}")]
pub struct SyntaxError {
    /// 1-based line in the document text.
    pub line: usize,
    /// 1-based column in the document text.
    pub column: usize,
    /// serde_json's reason, without its position suffix.
    pub message: String,
}

/// A parsed document.
#[derive(Debug)]
pub struct Parsed {
    /// The value, with the last of any duplicate keys.
    pub value: Value,
    /// Whether some object repeated a key.
    pub has_duplicate_keys: bool,
}

/// Parses one JSON document (with nothing but whitespace after it).
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let mut has_duplicate_keys = false;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        duplicates: &mut has_duplicate_keys,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value))
    .map_err(|error| syntax_error(text, &error))?;
    Ok(Parsed {
        value,
        has_duplicate_keys,
    })
}

fn syntax_error(text: &str, error: &serde_json::Error) -> SyntaxError {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_owned(),
        None => full,
    };
    let message = if error.line() == 1 && error.column() <= 1 && text.starts_with('\u{feff}') {
        "the document starts with a byte-order mark (U+FEFF), which JSON does not allow".to_owned()
    } else if text.trim().is_empty() {
        "the document is empty".to_owned()
    } else {
        message
    };
    // serde_json counts a position after the character that broke the parse;
    // when that character ended a line it reports column 0 of the next line.
    // Point at the end of the line where the value broke off instead.
    let (line, column) = match (error.line(), error.column()) {
        (line, 0) if line > 1 => {
            let previous = text.split('\n').nth(line - 2).unwrap_or_default();
            (
                line - 1,
                previous.trim_end_matches('\r').chars().count() + 1,
            )
        }
        (line, column) => (line.max(1), column.max(1)),
    };
    SyntaxError {
        line,
        column,
        message,
    }
}

/// Builds a `Value` exactly as serde_json's own impl does (numbers as `u64`,
/// `i64` or `f64`; the last of duplicate keys wins) and flags duplicates.
struct ValueSeed<'a> {
    duplicates: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed {
            duplicates: &mut *self.duplicates,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed {
                duplicates: &mut *self.duplicates,
            })?;
            if members.insert(key, value).is_some() {
                *self.duplicates = true;
            }
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_values_as_serde_json_does() {
        let text = r#"{"a": [1, -2, 3.5, 18446744073709551615, "x", true, null], "b": {}}"#;
        let ours = parse(text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours.value, theirs);
        assert!(!ours.has_duplicate_keys);
    }

    #[test]
    fn flags_duplicates_and_keeps_the_last() {
        let parsed = parse(r#"{"a": {"b": 1, "b": 2}}"#).unwrap();
        assert!(parsed.has_duplicate_keys);
        assert_eq!(parsed.value["a"]["b"], 2);
    }

    #[test]
    fn says_where_and_why_the_syntax_breaks() {
        let error = parse("{\n  \"a\": 1,\n  \"b\": tru\n}").unwrap_err();
        assert_eq!((error.line, error.column), (3, 11));
        assert_eq!(error.message, "expected ident");
        assert_eq!(parse("").unwrap_err().message, "the document is empty");
        assert!(parse("{} x").is_err());
        assert!(
            parse("\u{feff}{}")
                .unwrap_err()
                .message
                .contains("byte-order mark")
        );
        assert!(
            parse(&"[".repeat(100_000))
                .unwrap_err()
                .message
                .contains("recursion limit")
        );
    }
}
