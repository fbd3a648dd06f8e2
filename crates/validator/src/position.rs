//! From a JSON pointer to where its value starts in the text.
//!
//! Positions are computed only for documents that have something to report:
//! a valid document never pays for them. The positioned parse is
//! jsonc-parser's AST (byte ranges for every value and member), walked once
//! into a pointer index; it runs only on text serde_json has already accepted,
//! so its leniencies (comments, trailing commas) never matter and its
//! recursion is bounded by serde_json's depth limit.

use crate::diagnostic::Position;
use jsonc_parser::ast::{ObjectPropName, Value};
use std::collections::HashMap;

/// Where every value of one document is, by JSON pointer, and which members
/// repeat a key of their object.
pub struct SourceMap<'a> {
    text: &'a str,
    ranges: HashMap<String, (usize, usize)>,
    duplicates: Vec<Duplicate>,
    lines: Vec<usize>,
}

/// A member whose key already appeared in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The pointer of the member (both occurrences share it).
    pub pointer: String,
    /// Byte range of the second occurrence's key, within the document.
    pub key_range: (usize, usize),
}

impl<'a> SourceMap<'a> {
    /// Indexes `text`, a document serde_json has accepted. Returns an empty
    /// map (every lookup `None`) if the positioned parse disagrees.
    pub fn new(text: &'a str) -> Self {
        let mut map = SourceMap {
            text,
            ranges: HashMap::new(),
            duplicates: Vec::new(),
            lines: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(at, _)| at + 1))
                .collect(),
        };
        let options = jsonc_parser::ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            ..Default::default()
        };
        let parsed =
            jsonc_parser::parse_to_ast(text, &jsonc_parser::CollectOptions::default(), &options);
        if let Ok(jsonc_parser::ParseResult {
            value: Some(value), ..
        }) = &parsed
        {
            let mut pointer = String::new();
            map.index(value, &mut pointer);
        }
        map
    }

    fn index(&mut self, value: &Value<'_>, pointer: &mut String) {
        let range = match value {
            Value::Object(object) => {
                let mut seen = std::collections::HashSet::new();
                for property in &object.properties {
                    let key = property_name(&property.name);
                    let length = pointer.len();
                    push_segment(pointer, &key);
                    if !seen.insert(key) {
                        let name = match &property.name {
                            ObjectPropName::String(literal) => literal.range,
                            ObjectPropName::Word(word) => word.range,
                        };
                        self.duplicates.push(Duplicate {
                            pointer: pointer.clone(),
                            key_range: (name.start, name.end),
                        });
                    }
                    // Indexed even when repeated: the later occurrence
                    // overwrites the earlier, as serde_json keeps the last
                    // value, which is the one the schema judged.
                    self.index(&property.value, pointer);
                    pointer.truncate(length);
                }
                object.range
            }
            Value::Array(array) => {
                for (index, element) in array.elements.iter().enumerate() {
                    let length = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    self.index(element, pointer);
                    pointer.truncate(length);
                }
                array.range
            }
            Value::StringLit(literal) => literal.range,
            Value::NumberLit(literal) => literal.range,
            Value::BooleanLit(literal) => literal.range,
            Value::NullKeyword(keyword) => keyword.range,
        };
        self.ranges
            .insert(pointer.clone(), (range.start, range.end));
    }

    /// Where the value at `pointer` starts. Falls back to the nearest
    /// ancestor that exists (a missing member's object).
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        loop {
            if let Some(&(start, end)) = self.ranges.get(pointer) {
                return Some(self.position(start, end - start));
            }
            let cut = pointer.rfind('/')?;
            pointer = &pointer[..cut];
        }
    }

    /// The members that repeat a key of their object, in text order.
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// Line, column (in characters) and offset of a byte offset.
    pub fn position(&self, offset: usize, len: usize) -> Position {
        let line = self.lines.partition_point(|&start| start <= offset);
        let line_start = self.lines[line - 1];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(1, |before| before.chars().count() + 1);
        Position {
            line,
            column,
            offset,
            len,
        }
    }
}

fn property_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(literal) => literal.value.to_string(),
        ObjectPropName::Word(word) => word.value.to_string(),
    }
}

/// Appends one RFC 6901 reference token (`~` → `~0`, `/` → `~1`).
pub fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_members_and_missing_members() {
        let text = "{\n  \"a\": [1, {\"b/c\": \"x\"}],\n  \"é\": null\n}";
        let map = SourceMap::new(text);
        let at = |pointer: &str| map.locate(pointer).map(|p| (p.line, p.column));
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/a"), Some((2, 8)));
        assert_eq!(at("/a/1/b~1c"), Some((2, 20)));
        assert_eq!(at("/é"), Some((3, 8)));
        // A missing member points at the object that lacks it.
        assert_eq!(at("/a/1/missing"), Some((2, 12)));
    }

    #[test]
    fn finds_duplicate_keys_at_their_second_occurrence() {
        let text = r#"{"s": 1, "t": {"u": 1, "u": 2}, "s": 3}"#;
        let map = SourceMap::new(text);
        let found: Vec<_> = map
            .duplicates()
            .iter()
            .map(|d| (d.pointer.as_str(), d.key_range.0))
            .collect();
        assert_eq!(found, vec![("/t/u", 23), ("/s", 32)]);
    }
}
