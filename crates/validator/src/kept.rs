//! What the fast path keeps of a document it judges: the members the
//! semantic rules, the error envelopes or coverage read, as a flat list of
//! tokens in document order, with strings borrowed from the text where they
//! have no escapes.
//!
//! A tape instead of a `serde_json::Value`: the rules read whole pages of
//! records (ids, org ids, timestamps of every event), and building those as
//! maps of owned keys, then dropping them, was a fifth of a one-thread run.
//! The rules' views read the tape through [`Kept::view`], a serde
//! `Deserializer` over it; the error envelopes and coverage read small
//! `Value`s made from it ([`Kept::pointer`], [`Kept::to_value`]).

use crate::position::{array_index, unescape};
use crate::response::{Members, Shape};
use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;

/// The kept members of one document.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Kept<'de> {
    pub(crate) tokens: Vec<Token<'de>>,
}

/// One token of the tape. A container's header says how many members or
/// items follow and where its tokens end, so a reader can skip it whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
    /// A member's name; its value follows.
    Key(Cow<'de, str>),
    /// An object, its members (a `Key` and a value each) up to token `end`.
    Map {
        end: usize,
    },
    /// An array, its items up to token `end`.
    Seq {
        end: usize,
    },
}

/// The index just past the value that starts at `at`.
fn end_of(tokens: &[Token<'_>], at: usize) -> usize {
    match tokens[at] {
        Token::Map { end } | Token::Seq { end } => end,
        _ => at + 1,
    }
}

impl<'de> Kept<'de> {
    /// Reads `T` (a rule's view) from what was kept.
    pub fn view<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        T::deserialize(&mut Reader::new(&self.tokens))
    }

    /// Everything kept, as a `Value` (`null` when nothing was).
    pub fn to_value(&self) -> Value {
        self.view().unwrap_or(Value::Null)
    }

    /// The kept value at `pointer`, as a `Value`.
    pub fn pointer(&self, pointer: &str) -> Option<Value> {
        let at = self.locate(pointer)?;
        Reader::new(&self.tokens[at..]).value()
    }

    /// Where the value at `pointer` starts on the tape.
    fn locate(&self, pointer: &str) -> Option<usize> {
        let mut at = 0;
        if self.tokens.is_empty() {
            return None;
        }
        for token in pointer.split('/').skip(1) {
            at = match self.tokens[at] {
                Token::Map { .. } => {
                    let name = unescape(token);
                    self.entries(at)
                        .find(|&key| matches!(&self.tokens[key], Token::Key(key) if *key == name))?
                        + 1
                }
                Token::Seq { .. } => self.entries(at).nth(array_index(token)?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// Where each member (its `Key`) or item of the container at `at` starts.
    fn entries(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let end = end_of(&self.tokens, at);
        let is_map = matches!(self.tokens[at], Token::Map { .. });
        let mut next = at + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let entry = next;
                next = end_of(&self.tokens, if is_map { entry + 1 } else { entry });
                entry
            })
        })
    }
}

impl Members for Kept<'_> {
    fn shape(&self, pointer: &str) -> Option<Shape> {
        let at = self.locate(pointer)?;
        Some(match self.tokens[at] {
            Token::Null => Shape::Null,
            Token::Seq { .. } => Shape::Array(self.entries(at).count()),
            _ => Shape::Other,
        })
    }

    fn value(&self, pointer: &str) -> Option<Value> {
        self.pointer(pointer)
    }
}

/// A serde `Deserializer` over tokens, from the one at `at`.
struct Reader<'de, 'tx> {
    tokens: &'de [Token<'tx>],
    at: usize,
}

impl<'de, 'tx> Reader<'de, 'tx> {
    fn new(tokens: &'de [Token<'tx>]) -> Self {
        Reader { tokens, at: 0 }
    }

    fn value(&mut self) -> Option<Value> {
        (self.at < self.tokens.len())
            .then(|| Value::deserialize(&mut *self).ok())
            .flatten()
    }

    fn next(&mut self) -> Result<&'de Token<'tx>, serde_json::Error> {
        let token = self
            .tokens
            .get(self.at)
            .ok_or_else(|| de::Error::custom("the kept value ends early"))?;
        self.at += 1;
        Ok(token)
    }
}

impl<'de, 'tx: 'de> Deserializer<'de> for &mut Reader<'de, 'tx> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.next()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(value) => visitor.visit_bool(*value),
            Token::I64(value) => visitor.visit_i64(*value),
            Token::U64(value) => visitor.visit_u64(*value),
            Token::F64(value) => visitor.visit_f64(*value),
            Token::Str(text) | Token::Key(text) => visitor.visit_borrowed_str(text.as_ref()),
            Token::Map { end } => {
                let end = *end;
                let value = visitor.visit_map(Entries {
                    reader: &mut *self,
                    end,
                })?;
                self.at = end;
                Ok(value)
            }
            Token::Seq { end } => {
                let end = *end;
                let value = visitor.visit_seq(Entries {
                    reader: &mut *self,
                    end,
                })?;
                self.at = end;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if matches!(self.tokens.get(self.at), Some(Token::Null)) {
            self.at += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.at >= self.tokens.len() {
            return Err(de::Error::custom("the kept value ends early"));
        }
        self.at = end_of(self.tokens, self.at);
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// The members or the items of one container, read up to its `end`.
struct Entries<'r, 'de, 'tx> {
    reader: &'r mut Reader<'de, 'tx>,
    end: usize,
}

impl Entries<'_, '_, '_> {
    fn done(&self) -> bool {
        self.reader.at >= self.end
    }
}

impl<'de, 'tx: 'de> MapAccess<'de> for Entries<'_, 'de, 'tx> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        if self.done() {
            return Ok(None);
        }
        match self.reader.next()? {
            Token::Key(name) => seed
                .deserialize(BorrowedStrDeserializer::new(name.as_ref()))
                .map(Some),
            _ => Err(de::Error::custom("a member without a name")),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de, 'tx: 'de> SeqAccess<'de> for Entries<'_, 'de, 'tx> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        if self.done() {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tape() -> Kept<'static> {
        // {"a": [1, {"b~/c": "x"}], "n": null, "f": 1.5}
        Kept {
            tokens: vec![
                Token::Map { end: 11 },
                Token::Key("a".into()),
                Token::Seq { end: 7 },
                Token::U64(1),
                Token::Map { end: 7 },
                Token::Key("b~/c".into()),
                Token::Str("x".into()),
                Token::Key("n".into()),
                Token::Null,
                Token::Key("f".into()),
                Token::F64(1.5),
            ],
        }
    }

    #[test]
    fn reads_back_as_the_value_it_holds() {
        assert_eq!(
            tape().to_value(),
            json!({"a": [1, {"b~/c": "x"}], "n": null, "f": 1.5})
        );
        assert_eq!(Kept::default().to_value(), Value::Null);
    }

    #[test]
    fn finds_a_pointer_and_skips_what_comes_before() {
        let kept = tape();
        assert_eq!(kept.pointer("/a/1/b~0~1c"), Some(json!("x")));
        assert_eq!(kept.pointer("/f"), Some(json!(1.5)));
        assert_eq!(kept.pointer("/n"), Some(Value::Null));
        assert_eq!(kept.pointer(""), Some(kept.to_value()));
        assert_eq!(kept.pointer("/a/2"), None);
        // Indexes are read as everywhere else: no leading zero.
        assert_eq!(kept.pointer("/a/01"), None);
        assert_eq!(Members::shape(&kept, "/a"), Some(Shape::Array(2)));
        assert_eq!(Members::shape(&kept, "/n"), Some(Shape::Null));
        assert_eq!(kept.pointer("/missing"), None);
        assert_eq!(kept.pointer("/f/x"), None);
    }

    #[test]
    fn a_view_borrows_its_strings_and_skips_what_it_does_not_name() {
        #[derive(Deserialize)]
        struct View<'a> {
            #[serde(borrow)]
            a: (u64, Inner<'a>),
            #[serde(default)]
            n: Option<i64>,
        }
        #[derive(Deserialize)]
        struct Inner<'a> {
            #[serde(rename = "b~/c")]
            name: &'a str,
        }
        let kept = tape();
        let view: View<'_> = kept.view().unwrap();
        assert_eq!(view.a.0, 1);
        assert_eq!(view.a.1.name, "x");
        assert_eq!(view.n, None);
        // A type the tape does not hold is an error, not a guess.
        assert!(kept.view::<Vec<i64>>().is_err());
    }
}
