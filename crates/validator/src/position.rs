//! From a JSON pointer to where its value starts in the text.
//!
//! Positions are computed only for documents that have something to report:
//! a valid document never pays for them. A pointer is placed by reading the
//! text along it with the fast path's parser ([`crate::parser::locate`]),
//! which builds nothing. Where that parser refuses the text, and for
//! repeated keys, the positioned parse is jsonc-parser's AST (byte ranges
//! for every value and member), built once and walked along the pointer; it
//! runs only on text serde_json has already accepted, so its leniencies
//! (comments, trailing commas) never matter and its recursion is bounded by
//! serde_json's depth limit. Building that AST for every broken document was
//! 5% of a run.

use crate::diagnostic::Position;
use jsonc_parser::ast::{ObjectPropName, Value};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashSet;

/// Where the values of one document are, found when asked for.
pub struct SourceMap<'a> {
    text: &'a str,
    /// The positioned parse, built on first need.
    tree: OnceCell<Option<Value<'a>>>,
    /// Where each line starts, found on first need.
    lines: OnceCell<Vec<usize>>,
    /// How many pointers were placed by reading the text.
    reads: std::cell::Cell<usize>,
    /// Whether a key may repeat in an object of the text.
    repeats: bool,
}

/// How many pointers of one document are placed by reading its text, each
/// a read of up to all of it, before the positioned parse is built and
/// walked instead (a document with a hundred findings in a million items).
const DIRECT_READS: usize = 8;

/// A member whose key already appeared in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The pointer of the member (both occurrences share it).
    pub pointer: String,
    /// Byte range of the second occurrence's key, within the document.
    pub key_range: (usize, usize),
}

impl<'a> SourceMap<'a> {
    /// A map of `text`, a document serde_json has accepted. A lookup is
    /// `None` only where neither the reader nor the positioned parse can
    /// read the text.
    pub fn new(text: &'a str) -> Self {
        SourceMap {
            text,
            tree: OnceCell::new(),
            lines: OnceCell::new(),
            reads: std::cell::Cell::new(0),
            repeats: true,
        }
    }

    /// [`SourceMap::new`] for a text serde_json found no repeated key in:
    /// a pointer's read stops at the first member of its name.
    pub fn without_repeated_keys(text: &'a str) -> Self {
        SourceMap {
            repeats: false,
            ..SourceMap::new(text)
        }
    }

    fn tree(&self) -> Option<&Value<'a>> {
        self.tree
            .get_or_init(|| {
                let options = jsonc_parser::ParseOptions {
                    allow_comments: false,
                    allow_loose_object_property_names: false,
                    allow_trailing_commas: false,
                    ..Default::default()
                };
                jsonc_parser::parse_to_ast(
                    self.text,
                    &jsonc_parser::CollectOptions::default(),
                    &options,
                )
                .ok()
                .and_then(|parsed| parsed.value)
            })
            .as_ref()
    }

    /// Where the value at `pointer` starts. Falls back to the nearest
    /// ancestor that exists (a missing member's object).
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let direct = self.reads.get() < DIRECT_READS && self.tree.get().is_none();
        let range = if direct {
            self.reads.set(self.reads.get() + 1);
            crate::parser::locate(self.text, pointer, self.repeats)
                .or_else(|| self.locate_in_tree(pointer))
        } else {
            self.locate_in_tree(pointer)
        }?;
        Some(self.position(range.start, range.end - range.start))
    }

    /// [`SourceMap::locate`] on the positioned parse: a byte range.
    fn locate_in_tree(&self, pointer: &str) -> Option<std::ops::Range<usize>> {
        let mut value = self.tree()?;
        for token in pointer.split('/').skip(1) {
            let next = match value {
                // A repeated key's last value: the one serde_json keeps and
                // the schema judged.
                Value::Object(object) => {
                    let key = unescape(token);
                    object
                        .properties
                        .iter()
                        .rev()
                        .find(|property| property_name(&property.name) == key)
                        .map(|property| &property.value)
                }
                Value::Array(array) => {
                    array_index(token).and_then(|index| array.elements.get(index))
                }
                _ => None,
            };
            match next {
                Some(next) => value = next,
                None => break,
            }
        }
        let range = range(value);
        Some(range.start..range.end)
    }

    /// The members that repeat a key of their object, in text order.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        let mut found = Vec::new();
        if let Some(root) = self.tree() {
            duplicates(root, &mut String::new(), &mut found);
        }
        found
    }

    /// Line, column (in characters) and offset of a byte offset.
    pub fn position(&self, offset: usize, len: usize) -> Position {
        let lines = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        });
        let line = lines.partition_point(|&start| start <= offset);
        let line_start = lines[line - 1];
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

fn property_name<'v>(name: &'v ObjectPropName<'_>) -> &'v str {
    match name {
        ObjectPropName::String(literal) => &literal.value,
        ObjectPropName::Word(word) => word.value,
    }
}

fn range(value: &Value<'_>) -> jsonc_parser::common::Range {
    match value {
        Value::Object(object) => object.range,
        Value::Array(array) => array.range,
        Value::StringLit(literal) => literal.range,
        Value::NumberLit(literal) => literal.range,
        Value::BooleanLit(literal) => literal.range,
        Value::NullKeyword(keyword) => keyword.range,
    }
}

/// Collects the members under `value` that repeat a key of their object;
/// `pointer` is `value`'s, and only a repeated member's is copied.
fn duplicates(value: &Value<'_>, pointer: &mut String, found: &mut Vec<Duplicate>) {
    match value {
        Value::Object(object) => {
            let mut seen = HashSet::new();
            for property in &object.properties {
                let key = property_name(&property.name);
                let length = pointer.len();
                push_segment(pointer, key);
                if !seen.insert(key) {
                    let name = match &property.name {
                        ObjectPropName::String(literal) => literal.range,
                        ObjectPropName::Word(word) => word.range,
                    };
                    found.push(Duplicate {
                        pointer: pointer.clone(),
                        key_range: (name.start, name.end),
                    });
                }
                duplicates(&property.value, pointer, found);
                pointer.truncate(length);
            }
        }
        Value::Array(array) => {
            for (index, element) in array.elements.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                duplicates(element, pointer, found);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

/// A reference token's member name (`~1` → `/`, `~0` → `~`).
pub(crate) fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// A reference token's array index: decimal digits, no leading zero.
pub(crate) fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.starts_with('+'));
    canonical.then(|| token.parse().ok()).flatten()
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
        // An index is decimal with no leading zero; past the end is missing.
        assert_eq!(at("/a/01"), Some((2, 8)));
        assert_eq!(at("/a/2"), Some((2, 8)));
    }

    #[test]
    fn the_direct_read_places_pointers_where_the_tree_does() {
        let text = "{\n  \"a\": [1, {\"b/c\": \"x\", \"e\\u0301\": [true, {}]}],\n  \"é\": null,\n  \"a\": [2]\n}";
        let map = SourceMap::new(text);
        for pointer in [
            "",
            "/a",
            "/a/0",
            "/a/1",
            "/a/2",
            "/a/01",
            "/a/-",
            "/a/1/b~1c",
            "/a/1/e\u{301}",
            "/a/1/e\u{301}/1",
            "/a/1/e\u{301}/1/x",
            "/a/0/deeper",
            "/é",
            "/é/x",
            "/missing",
            "/a/1/missing",
        ] {
            // The first `a` is repeated: both ways place its last value.
            assert_eq!(
                crate::parser::locate(text, pointer, true),
                map.locate_in_tree(pointer),
                "{pointer}"
            );
            if !pointer.starts_with("/a") {
                // Without the repeated `a`, the first match is the one.
                assert_eq!(
                    crate::parser::locate(text, pointer, false),
                    map.locate_in_tree(pointer),
                    "{pointer}"
                );
            }
        }
        // Where the parser refuses the text (nesting deeper than it reads,
        // which serde_json accepts), the tree places the pointer.
        let deep = format!(r#"{{"a": {}{}, "b": 1}}"#, "[".repeat(110), "]".repeat(110));
        assert!(serde_json::from_str::<serde_json::Value>(&deep).is_ok());
        assert_eq!(crate::parser::locate(&deep, "/b", true), None);
        assert_eq!(
            SourceMap::new(&deep).locate("/b").map(|p| p.column),
            Some(234)
        );
    }

    #[test]
    fn finds_duplicate_keys_at_their_second_occurrence() {
        let text = r#"{"s": 1, "t": {"u": 1, "u": 2}, "s": 3}"#;
        let map = SourceMap::new(text);
        let duplicates = map.duplicates();
        let found: Vec<_> = duplicates
            .iter()
            .map(|d| (d.pointer.as_str(), d.key_range.0))
            .collect();
        assert_eq!(found, vec![("/t/u", 23), ("/s", 32)]);
        // A repeated key's pointer is its last value, the one serde_json keeps.
        assert_eq!(map.locate("/s").map(|p| p.column), Some(38));
    }
}
