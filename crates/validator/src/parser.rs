//! The fast path's JSON reader: a [`serde::Deserializer`] over the text
//! that the walk in [`crate::fast`] drives in place of serde_json's.
//!
//! It exists for speed on the common case. Runs of indentation and of plain
//! string content are skipped eight bytes at a time, member names and
//! strings without escapes are borrowed from the text, and a value the walk
//! drops (`deserialize_ignored_any`) is checked without a visitor per value.
//!
//! It reads a text the way serde_json does or not at all. Whatever it is not
//! sure to read identically it refuses with [`Stop`]: fractions, exponents,
//! `-0` and integers past 64 bits are handed to serde_json's own number
//! parser, and lone surrogates, malformed escapes, control characters,
//! nesting deeper than [`MAX_DEPTH`] and anything after the root value stop
//! the read. A refusal only sends the document to the full path, which reads
//! it with serde_json; the tests below hold every acceptance to serde_json's.

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Nesting deeper than this stops the read; serde_json's limit is 128.
pub const MAX_DEPTH: u32 = 100;

/// `0x0101…01`: a byte repeated across a word.
const ONES: u64 = u64::MAX / 255;
/// The high bit of every byte of a word.
const HIGHS: u64 = ONES << 7;

/// Why a read stopped. It carries nothing: the full path says what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the full path")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Stop {
        Stop
    }
}

/// Reads one JSON text; see the module documentation.
pub struct Parser<'de> {
    text: &'de str,
    at: usize,
    /// How many containers are open.
    depth: u32,
    /// A string with escapes, decoded.
    scratch: String,
    /// Whether a skipped object may not repeat a name.
    unique_names: bool,
}

impl<'de> Parser<'de> {
    /// A parser at the start of `text`.
    pub fn new(text: &'de str) -> Parser<'de> {
        Parser {
            text,
            at: 0,
            depth: 0,
            scratch: String::new(),
            unique_names: true,
        }
    }

    /// Checks that only whitespace follows the value read.
    pub fn end(&mut self) -> Result<(), Stop> {
        self.skip_whitespace();
        if self.at == self.text.len() {
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        let bytes = self.bytes();
        loop {
            match bytes.get(self.at) {
                Some(b' ' | b'\t' | b'\r') => self.at += 1,
                // Indentation follows a line break in pretty-printed text.
                Some(b'\n') => self.at = spaces_end(bytes, self.at + 1),
                _ => return,
            }
        }
    }

    /// Skips whitespace and then `byte`, or stops.
    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Stop)
        }
    }

    /// Opens a container whose first byte has been read.
    fn enter(&mut self) -> Result<(), Stop> {
        if self.depth == MAX_DEPTH {
            return Err(Stop);
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// Before the next member or item of a container: `Ok(true)` when there
    /// is one, `Ok(false)` once `close` has been read.
    fn next_in(&mut self, first: &mut bool, close: u8) -> Result<bool, Stop> {
        self.skip_whitespace();
        let byte = self.peek();
        if byte == Some(close) {
            // Never right after a comma: the comma branch below refuses a
            // trailing one.
            self.at += 1;
            self.depth -= 1;
            return Ok(false);
        }
        if *first {
            *first = false;
            return Ok(true);
        }
        if byte != Some(b',') {
            return Err(Stop);
        }
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            return Err(Stop);
        }
        Ok(true)
    }

    /// Reads a string whose opening quote is next: `Some` when it is
    /// borrowed from the text, `None` when it had escapes and is decoded in
    /// `scratch`.
    fn string(&mut self) -> Result<Option<&'de str>, Stop> {
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut end = plain_end(bytes, start);
        if bytes.get(end) == Some(&b'"') {
            self.at = end + 1;
            return Ok(Some(self.text.get(start..end).ok_or(Stop)?));
        }
        self.scratch.clear();
        let mut from = start;
        loop {
            match bytes.get(end) {
                Some(b'"') => {
                    self.scratch.push_str(self.text.get(from..end).ok_or(Stop)?);
                    self.at = end + 1;
                    return Ok(None);
                }
                Some(b'\\') => {
                    self.scratch.push_str(self.text.get(from..end).ok_or(Stop)?);
                    end = self.escape(end + 1)?;
                    from = end;
                }
                // A control character, or the end of the text.
                _ => return Err(Stop),
            }
            end = plain_end(bytes, end);
        }
    }

    /// Reads a member's name and the colon after it: `Some` when the name
    /// is borrowed from the text, `None` when it is decoded in `scratch`.
    fn name(&mut self) -> Result<Option<&'de str>, Stop> {
        if self.peek() != Some(b'"') {
            return Err(Stop);
        }
        let name = self.string()?;
        self.expect(b':')?;
        Ok(name)
    }

    /// Decodes the escape after the backslash at `at - 1` into `scratch`:
    /// where the string goes on.
    fn escape(&mut self, at: usize) -> Result<usize, Stop> {
        let bytes = self.bytes();
        let decoded = match bytes.get(at).ok_or(Stop)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = hex4(bytes, at + 1)?;
                let (code, next) = match unit {
                    0xD800..=0xDBFF => {
                        // A leading surrogate pairs with a trailing one;
                        // anything else is serde_json's to refuse.
                        if bytes.get(at + 5..at + 7) != Some(b"\\u") {
                            return Err(Stop);
                        }
                        let low = hex4(bytes, at + 7)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(Stop);
                        }
                        (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), at + 11)
                    }
                    0xDC00..=0xDFFF => return Err(Stop),
                    _ => (unit, at + 5),
                };
                self.scratch.push(char::from_u32(code).ok_or(Stop)?);
                return Ok(next);
            }
            _ => return Err(Stop),
        };
        self.scratch.push(decoded);
        Ok(at + 1)
    }

    /// Reads a number: plain integers here, everything else with serde_json's
    /// own parser, so a value is always the one serde_json would give.
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Stop> {
        let bytes = self.bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits = start + usize::from(negative);
        let mut at = digits;
        let mut value = Some(0u64);
        while let Some(&byte) = bytes.get(at).filter(|byte| byte.is_ascii_digit()) {
            value = value
                .and_then(|value| value.checked_mul(10))
                .and_then(|value| value.checked_add(u64::from(byte - b'0')));
            at += 1;
        }
        if at == digits || (bytes.get(digits) == Some(&b'0') && at > digits + 1) {
            // No digits, or a leading zero.
            return Err(Stop);
        }
        let fraction_or_exponent = matches!(bytes.get(at), Some(b'.' | b'e' | b'E'));
        match value {
            Some(value) if !fraction_or_exponent && !negative => {
                self.at = at;
                return visitor.visit_u64(value);
            }
            Some(value @ 1..=0x7FFF_FFFF_FFFF_FFFF) if !fraction_or_exponent => {
                self.at = at;
                return visitor.visit_i64(-i64::try_from(value).map_err(|_| Stop)?);
            }
            _ => {}
        }
        if bytes.get(at) == Some(&b'.') {
            at = digits_end(bytes, at + 1);
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            at = digits_end(bytes, at);
        }
        let number: serde_json::Number = self
            .text
            .get(start..at)
            .ok_or(Stop)?
            .parse()
            .map_err(|_| Stop)?;
        self.at = at;
        if let Some(value) = number.as_u64() {
            visitor.visit_u64(value)
        } else if let Some(value) = number.as_i64() {
            visitor.visit_i64(value)
        } else {
            visitor.visit_f64(number.as_f64().ok_or(Stop)?)
        }
    }

    /// `value`, read from a container opened at depth `outside`, if the
    /// visitor read the container to its end: one that left members or
    /// items unread is not judged here.
    fn closed<T>(&self, outside: u32, value: T) -> Result<T, Stop> {
        if self.depth == outside {
            Ok(value)
        } else {
            Err(Stop)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        if self.bytes().get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(Stop)
        }
    }

    /// Reads a value nobody keeps: its syntax, its numbers and, in each
    /// object, that no name repeats (the full path reports repeats).
    fn skip_value(&mut self) -> Result<(), Stop> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{') => {
                self.enter()?;
                let mut first = true;
                let mut names = Names::default();
                while self.next_in(&mut first, b'}')? {
                    let hash = match self.name()? {
                        Some(name) => hash_name(name),
                        None => hash_name(&self.scratch),
                    };
                    if !names.insert_hash(hash) && self.unique_names {
                        return Err(Stop);
                    }
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.enter()?;
                let mut first = true;
                while self.next_in(&mut first, b']')? {
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(IgnoredAny).map(drop),
            _ => Err(Stop),
        }
    }
}

/// Where the value at `pointer` is in `text`: its byte range, or that of
/// its deepest ancestor that exists (a missing member's object). A repeated
/// name's last value is the one serde_json keeps. `None` where the parser
/// refuses the text (see the module documentation): the caller has a
/// slower way. One read of the text, and nothing built.
/// `repeats`: whether a name may repeat in the text; when not, the read
/// stops at the first match instead of looking for a later one.
pub fn locate(text: &str, pointer: &str, repeats: bool) -> Option<std::ops::Range<usize>> {
    let mut parser = Parser::new(text);
    parser.unique_names = false;
    parser.locate(&mut pointer.split('/').skip(1), repeats).ok()
}

impl Parser<'_> {
    fn locate<'p>(
        &mut self,
        tokens: &mut impl Iterator<Item = &'p str>,
        repeats: bool,
    ) -> Result<std::ops::Range<usize>, Stop> {
        self.skip_whitespace();
        let start = self.at;
        let token = match (tokens.next(), self.peek()) {
            (Some(token), Some(b'{' | b'[')) => token,
            _ => {
                self.skip_value()?;
                return Ok(start..self.at);
            }
        };
        let object = self.peek() == Some(b'{');
        let name = crate::position::unescape(token);
        let index = crate::position::array_index(token);
        self.enter()?;
        let inside = self.depth;
        let close = if object { b'}' } else { b']' };
        let (mut first, mut count, mut found) = (true, 0, None);
        while self.next_in(&mut first, close)? {
            let this = if object {
                match self.name()? {
                    Some(key) => key == name,
                    None => self.scratch == name,
                }
            } else {
                count += 1;
                index == Some(count - 1)
            };
            self.skip_whitespace();
            if this {
                found = Some(self.at);
                if !repeats {
                    break;
                }
            }
            self.skip_value()?;
        }
        match found {
            // Back to the member's value, and down the rest of the pointer,
            // inside the container again (a scan for a repeated name read
            // to its end, which counted it closed).
            Some(at) => {
                self.at = at;
                self.depth = inside;
                self.locate(tokens, repeats)
            }
            None => Ok(start..self.at),
        }
    }
}

/// Where a run of plain string content starting at `at` ends: the first
/// `"`, `\` or control character, or the end of the text.
fn plain_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quotes = word ^ (ONES * u64::from(b'"'));
        let backslashes = word ^ (ONES * u64::from(b'\\'));
        // A byte's high bit is set where it is below 0x20, a quote or a
        // backslash; a borrow can only mark bytes after a true match, so
        // the lowest mark is exact.
        let found = (word.wrapping_sub(ONES * 0x20) & !word
            | quotes.wrapping_sub(ONES) & !quotes
            | backslashes.wrapping_sub(ONES) & !backslashes)
            & HIGHS;
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        at += 1;
    }
    at
}

/// Where a run of spaces starting at `at` ends.
fn spaces_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let other =
            u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ (ONES * u64::from(b' '));
        if other != 0 {
            return at + other.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at
}

fn digits_end(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    at
}

/// Four hex digits at `at`, either case, as serde_json reads them.
fn hex4(bytes: &[u8], at: usize) -> Result<u32, Stop> {
    let digits = bytes.get(at..at + 4).ok_or(Stop)?;
    digits.iter().try_fold(0, |code, &digit| {
        let value = char::from(digit).to_digit(16).ok_or(Stop)?;
        Ok(code << 4 | value)
    })
}

impl<'de> Deserializer<'de> for &mut Parser<'de> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => match self.string()? {
                Some(text) => visitor.visit_borrowed_str(text),
                None => visitor.visit_str(&self.scratch),
            },
            Some(b'{') => {
                let outside = self.depth;
                self.enter()?;
                let value = visitor.visit_map(Members {
                    parser: &mut *self,
                    first: true,
                })?;
                self.closed(outside, value)
            }
            Some(b'[') => {
                let outside = self.depth;
                self.enter()?;
                let value = visitor.visit_seq(Items {
                    parser: &mut *self,
                    first: true,
                })?;
                self.closed(outside, value)
            }
            Some(b't') => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            Some(b'n') => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            Some(b'-' | b'0'..=b'9') => self.number(visitor),
            _ => Err(Stop),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// An object's members, as the walk asks for them.
struct Members<'p, 'de> {
    parser: &'p mut Parser<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        let parser = &mut *self.parser;
        if !parser.next_in(&mut self.first, b'}')? {
            return Ok(None);
        }
        match parser.name()? {
            Some(name) => seed.deserialize(BorrowedStrDeserializer::<Stop>::new(name)),
            None => seed.deserialize(StrDeserializer::<Stop>::new(&parser.scratch)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        seed.deserialize(&mut *self.parser)
    }
}

/// An array's items.
struct Items<'p, 'de> {
    parser: &'p mut Parser<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        if !self.parser.next_in(&mut self.first, b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.parser).map(Some)
    }
}

/// The names seen in one object, to notice a repeated one, kept as 64-bit
/// hashes: inline for a small object, in a set for a large one, never the
/// names themselves. Two names with the same hash count as a repeat, which
/// only sends the document to the full path.
pub struct Names {
    few: [u64; Names::FEW],
    len: usize,
    many: Option<HashSet<u64, BuildHasherDefault<Hashed>>>,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            few: [0; Names::FEW],
            len: 0,
            many: None,
        }
    }
}

impl Names {
    const FEW: usize = 16;

    /// Adds a name by its [`hash_name`] hash; `false` when that hash was there
    /// already.
    pub fn insert_hash(&mut self, hash: u64) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(hash);
        }
        if self.few[..self.len].contains(&hash) {
            return false;
        }
        if self.len < Self::FEW {
            self.few[self.len] = hash;
            self.len += 1;
        } else {
            let mut many: HashSet<u64, _> = self.few.iter().copied().collect();
            many.insert(hash);
            self.many = Some(many);
        }
        true
    }
}

/// The hasher of [`Names`]' set: its keys are hashes already, so it passes
/// them through instead of hashing them again.
#[derive(Default)]
struct Hashed(u64);

impl Hasher for Hashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; anything else is folded in, still a hash.
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// A 64-bit hash of a member name, read a word at a time: most names take
/// one multiplication (wyhash's folded multiply). FNV-1a, a byte at a time,
/// was 4% of a run. A collision only costs time: members are compared by
/// name once found by hash, and a repeat by hash sends the document to the
/// full path.
pub fn hash_name(name: &str) -> u64 {
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    let bytes = name.as_bytes();
    let len = bytes.len();
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|word| word.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let half = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|half| half.try_into().ok())
            .map_or(0, |half| u64::from(u32::from_le_bytes(half)))
    };
    // The length is mixed in first: XORed into the words it cancelled
    // against their last characters (`k1220` and `k12220`).
    let start = fold(K0 ^ len as u64, K1);
    let (a, b, seed) = match len {
        0 => (0, 0, start),
        1..=3 => {
            let spread = u64::from(bytes[0]) << 16
                | u64::from(bytes[len / 2]) << 8
                | u64::from(bytes[len - 1]);
            (spread, 0, start)
        }
        4..=7 => (half(0), half(len - 4), start),
        8..=16 => (word(0), word(len - 8), start),
        _ => {
            let mut seed = start;
            let mut at = 0;
            while len - at > 16 {
                seed = fold(word(at) ^ K1, word(at + 8) ^ seed);
                at += 16;
            }
            (word(len - 16), word(len - 8), seed)
        }
    };
    fold(a ^ K1, b ^ seed)
}

/// Multiplies into 128 bits and folds the halves together.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ (product >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::Value;

    /// What the parser reads `text` as, if it reads it.
    fn read(text: &str) -> Option<Value> {
        let mut parser = Parser::new(text);
        let value = Value::deserialize(&mut parser).ok()?;
        parser.end().ok()?;
        Some(value)
    }

    /// Whether the parser's skip takes `text`.
    fn skips(text: &str) -> bool {
        let mut parser = Parser::new(text);
        IgnoredAny::deserialize(&mut parser).is_ok() && parser.end().is_ok()
    }

    /// The parser reads `text` as serde_json does, or refuses it; the same
    /// goes for its skip. Numbers are compared as written back, so `-0.0`
    /// and `0`, or `1.0` and `1`, differ.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        let expected = serde_json::from_str::<Value>(text).ok();
        if let Some(value) = read(text) {
            let written = |value: &Value| serde_json::to_string(value).ok();
            prop_assert_eq!(
                written(&value),
                expected.as_ref().and_then(written),
                "{:?}",
                text
            );
        }
        if skips(text) {
            prop_assert!(
                expected.is_some(),
                "skipped what serde_json refuses: {:?}",
                text
            );
        }
        Ok(())
    }

    #[test]
    fn reads_what_serde_json_reads_the_same_way() {
        let texts = [
            "{}",
            "[]",
            " {\n  \"a\": [1, -2, 3.5, true, false, null],\n\t\"b\": {\"c\": \"d\"}\r\n} ",
            "\"plain\"",
            r#""esc\"aped \\ \/ \b\f\n\r\t \u0041\u00e9\u20AC \ud83d\ude00""#,
            "\"déjà vu, 日本\"",
            "0",
            "18446744073709551615",
            "-9223372036854775808",
            "-9223372036854775807",
            "123456789012345678901234567890",
        ];
        for text in texts {
            assert!(read(text).is_some(), "refused {text:?}");
            assert!(skips(text), "skip refused {text:?}");
            agrees(text).unwrap();
        }
        // Handed to serde_json's number parser: the same values, kinds included.
        for text in [
            "-0",
            "0.0",
            "1e2",
            "1E+2",
            "-1.5e-3",
            "18446744073709551616",
            "-9223372036854775809",
        ] {
            assert!(read(text).is_some(), "refused {text:?}");
            agrees(text).unwrap();
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let texts = [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "[,1]",
            "{,}",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e400",
            "tru",
            "nul",
            "\"unterminated",
            "\"tab\there\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "\u{feff}{}",
            "{} {}",
            "[] x",
        ];
        for text in texts {
            assert!(
                serde_json::from_str::<Value>(text).is_err(),
                "serde_json reads {text:?}"
            );
            assert_eq!(read(text), None, "read {text:?}");
            assert!(!skips(text), "skipped {text:?}");
        }
    }

    #[test]
    fn nesting_stops_below_serde_jsons_limit() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let deepest = MAX_DEPTH as usize;
        assert!(read(&nested(deepest)).is_some());
        assert!(skips(&nested(deepest)));
        assert_eq!(read(&nested(deepest + 1)), None);
        assert!(!skips(&nested(deepest + 1)));
        assert!(serde_json::from_str::<Value>(&nested(deepest + 1)).is_ok());
    }

    #[test]
    fn a_pointer_read_holds_the_nesting_limit_whether_or_not_names_repeat() {
        // `{"a":{"a":…1…}}`, each object with a second member after the one
        // the pointer goes down, so that a scan for repeats reads past it.
        let nested =
            |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), ",\"b\":0}".repeat(depth));
        let pointer = |depth: usize| "/a".repeat(depth);
        let deepest = MAX_DEPTH as usize;
        for repeats in [false, true] {
            let text = nested(deepest);
            let at = locate(&text, &pointer(deepest), repeats);
            assert_eq!(at, Some(deepest * 5..deepest * 5 + 1), "{repeats}");
            assert_eq!(
                locate(&nested(deepest + 1), &pointer(deepest + 1), repeats),
                None,
                "{repeats}"
            );
        }
    }

    #[test]
    fn the_skip_refuses_a_repeated_name_at_any_depth() {
        assert!(skips(
            r#"{"a": {"b": 1, "c": 2}, "d": [{"b": 1}, {"b": 2}]}"#
        ));
        assert!(!skips(r#"{"a": 1, "a": 2}"#));
        assert!(!skips(r#"[{"x": {"a": 1, "\u0061": 2}}]"#));
        let many = (0..40)
            .map(|i| format!("\"k{i}\": {i}"))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(skips(&format!("{{{many}}}")));
        assert!(!skips(&format!("{{{many}, \"k39\": 0}}")));
    }

    #[test]
    fn names_hash_apart() {
        let mut names: Vec<String> = (0..50_000).map(|n| format!("k{n}")).collect();
        names.extend((0..40).map(|len| "a".repeat(len)));
        names.extend((0..40).map(|len| format!("{}b", "a".repeat(len))));
        names.extend(["id", "di", "created_at", "updated_at", "é", "e\u{301}"].map(String::from));
        names.sort();
        names.dedup();
        let mut seen = std::collections::HashMap::new();
        for name in &names {
            if let Some(other) = seen.insert(hash_name(name), name) {
                panic!("{other:?} and {name:?} hash alike");
            }
        }
        assert_eq!(
            hash_name("created_at"),
            hash_name(&String::from("created_at"))
        );
    }

    #[test]
    fn a_container_left_half_read_is_not_judged() {
        /// Reads the first member or item and stops.
        struct First;
        impl<'de> Visitor<'de> for First {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a container")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                map.next_entry::<IgnoredAny, IgnoredAny>().map(drop)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                seq.next_element::<IgnoredAny>().map(drop)
            }
        }
        let first = |text| Parser::new(text).deserialize_any(First);
        assert_eq!(first(r#"{"a": 1, "b": 2}"#), Err(Stop));
        assert_eq!(first("[1, 2]"), Err(Stop));
        // Read to their end, the same containers are judged.
        assert!(read(r#"{"a": 1, "b": 2}"#).is_some());
        assert!(read("[1, 2]").is_some());
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        struct Borrowed;
        impl<'de> Visitor<'de> for Borrowed {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<bool, E> {
                Ok(true)
            }
            fn visit_str<E>(self, _: &str) -> Result<bool, E> {
                Ok(false)
            }
        }
        let borrowed = |text| Parser::new(text).deserialize_any(Borrowed);
        assert_eq!(
            borrowed("\"a long plain string, longer than a word\""),
            Ok(true)
        );
        assert_eq!(borrowed("\"with \\n an escape\""), Ok(false));
    }

    #[test]
    fn runs_are_found_at_every_offset_of_a_word() {
        for len in 0..20 {
            for stop in ["\"", "\\", "\u{1f}"] {
                let text = format!("{}{stop}", "é".repeat(len / 2) + &"a".repeat(len % 2));
                assert_eq!(plain_end(text.as_bytes(), 0), text.len() - 1, "{text:?}");
            }
            // Whole words only: the caller reads a shorter tail a byte at a time.
            let spaces = format!("{}x", " ".repeat(len));
            let end = spaces_end(spaces.as_bytes(), 0);
            assert!(spaces[..end].bytes().all(|byte| byte == b' '), "{spaces:?}");
            assert!(end == len || spaces.len() - end < 8, "{spaces:?}: {end}");
        }
    }

    /// Pieces of JSON text, valid and not, for texts serde_json mostly
    /// refuses.
    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n  ",
            "\t",
            "\"",
            "\"a\"",
            "\"a\":",
            "\\",
            "\\u",
            "\\n",
            "d83d",
            "de00",
            "0041",
            "00",
            "1",
            "-",
            "0",
            ".",
            "5",
            "e",
            "E",
            "+",
            "null",
            "true",
            "fals",
            "\u{1}",
            "é",
            "1e309",
            "18446744073709551616",
        ])
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn reads_any_value_serde_json_writes(value in json_value()) {
            for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                prop_assert!(read(&text).is_some(), "refused {:?}", text);
                prop_assert!(skips(&text), "skip refused {:?}", text);
                agrees(&text)?;
            }
        }

    }

    #[test]
    fn agrees_with_serde_json_on_pieced_texts() {
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 4096,
            failure_persistence: None,
            ..Config::default()
        });
        let read_some = std::cell::Cell::new(0);
        runner
            .run(&prop::collection::vec(fragment(), 0..24), |pieces| {
                let text = pieces.concat();
                for text in [
                    text.clone(),
                    format!("\"{text}\""),
                    format!("{{\"a\": {text}}}"),
                    format!("[{text}]"),
                ] {
                    agrees(&text)?;
                    if read(&text).is_some() {
                        read_some.set(read_some.get() + 1);
                    }
                }
                Ok(())
            })
            .unwrap();
        // The pieces make texts both ways: the property is not vacuous.
        assert!(read_some.get() > 200, "only {} texts read", read_some.get());
    }
}
