//! The fast path: a contract's schema compiled into a tree that a
//! [`serde::de::DeserializeSeed`] walks while [`crate::parser`] reads the text, so a
//! valid document is judged without building a `serde_json::Value`.
//!
//! The walk checks what the schema checks (types, enums, `date-time`,
//! required members, nullability, the items of arrays and the values of
//! maps), notices undocumented members and repeated keys, and stops at the
//! first thing it does not like. Its only verdicts are "clean" and "not
//! decided here": a document it stops on, for any reason, goes through the
//! full path, which finds and places every diagnostic. So the fast path can
//! make a run slower, never different; `tests/fast_path.rs` holds it to that.
//!
//! Arbitrary-JSON members (Arklow `input`, Tines `payload`) are read, not
//! built. The members the semantic rules, the error-envelope markers or
//! coverage need are written on the way to a flat tape of tokens that borrow
//! the text's strings ([`Kept`], the *kept* value); everything else is
//! dropped as soon as it is checked.
//!
//! A schema the compiler does not fully understand (a keyword it does not
//! implement) is not compiled: that contract always takes the full path.

use crate::kept::{Kept, Token};
use crate::parser::{Names, Parser, hash_name};
use crate::position::{array_index, unescape};
use actionlog_models::{Contract, Timestamp};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// Keywords that only annotate: they never make a value invalid.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$defs",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The most documented members one object may have (a bit each in a mask).
const MAX_PROPERTIES: usize = 128;

/// How deep `$ref`s may nest before the schema counts as recursive.
const MAX_SCHEMA_DEPTH: usize = 32;

/// A contract's schema, compiled for the fast path.
#[derive(Debug)]
pub struct FastSchema {
    nodes: Vec<Node>,
    /// Whether the root object must have at least one documented member
    /// (otherwise the document is not the resource at all).
    root_needs_a_member: bool,
}

/// Why a schema cannot be compiled for the fast path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the fast path does not handle {0}")]
pub struct Unsupported(String);

type NodeId = usize;

/// One position in the document: every `$ref` is inlined, so a node is one
/// pointer pattern (`/events/*/created_at`), with what must be kept there.
#[derive(Debug)]
struct Node {
    types: Types,
    /// Allowed string values; a value of another type fails any `enum`.
    values: Option<Vec<Box<str>>>,
    date_time: bool,
    /// Documented members, sorted by name; `None` when the schema says
    /// nothing of an object's members.
    properties: Option<Vec<(Box<str>, NodeId)>>,
    /// The members' positions in `properties`, plus one, hashed by name
    /// (open addressing; a power of two long, at most half full), so a key
    /// costs one hash and usually one comparison.
    slots: Box<[u8]>,
    required: u128,
    /// The schema of members not in `properties` (`additionalProperties`).
    additional: Option<NodeId>,
    items: Option<NodeId>,
    keep: Keep,
    /// Undocumented members to keep whole: an error envelope's markers.
    keep_unknown: Vec<Box<str>>,
}

/// What the kept value holds at a node (what the walk writes to the tape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Keep {
    /// Nothing: the value is checked and dropped.
    Drop,
    /// Only whether it is null: `null`, or `true` for any other value (an
    /// error envelope's `Present` and `Null` markers).
    Presence,
    /// The containers on the way to kept values, holding only those.
    Path,
    /// For coverage: every documented member, arbitrary JSON as a
    /// placeholder (`true`, or `null` when it is null), undocumented
    /// members as `null`.
    Shape,
    /// The value as it is.
    Whole,
}

impl Keep {
    /// What a documented scalar keeps: its value, or only that it is there.
    fn scalar<'de>(self, value: impl FnOnce() -> Token<'de>) -> Option<Token<'de>> {
        match self {
            Keep::Drop => None,
            Keep::Presence | Keep::Path => Some(Token::Bool(true)),
            Keep::Shape | Keep::Whole => Some(value()),
        }
    }

    /// What a documented object or array keeps: what was kept of it, or
    /// only that it is there.
    fn container(self) -> Leaves {
        match self {
            Keep::Drop => Leaves::Nothing,
            Keep::Presence => Leaves::Placeholder,
            Keep::Path | Keep::Shape | Keep::Whole => Leaves::Whole,
        }
    }

    /// What a value inside arbitrary JSON keeps: all of it when whole, a
    /// placeholder for presence and coverage's shape.
    fn arbitrary<'de>(self, value: impl FnOnce() -> Token<'de>) -> Option<Token<'de>> {
        match self {
            Keep::Drop | Keep::Path => None,
            Keep::Presence | Keep::Shape => Some(Token::Bool(true)),
            Keep::Whole => Some(value()),
        }
    }

    /// What an object or array inside arbitrary JSON keeps.
    fn arbitrary_container(self) -> Leaves {
        match self {
            Keep::Drop | Keep::Path => Leaves::Nothing,
            Keep::Presence | Keep::Shape => Leaves::Placeholder,
            Keep::Whole => Leaves::Whole,
        }
    }

    /// What the items and members of arbitrary JSON keep.
    fn inside_arbitrary(self) -> Keep {
        if self == Keep::Whole {
            Keep::Whole
        } else {
            Keep::Drop
        }
    }
}

/// A set of JSON Schema types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Types(u8);

impl Types {
    const NULL: u8 = 1;
    const BOOLEAN: u8 = 2;
    const INTEGER: u8 = 4;
    const NUMBER: u8 = 8;
    const STRING: u8 = 16;
    const ARRAY: u8 = 32;
    const OBJECT: u8 = 64;
    const ANY: Types = Types(127);

    fn parse(name: &str) -> Result<u8, Unsupported> {
        Ok(match name {
            "null" => Self::NULL,
            "boolean" => Self::BOOLEAN,
            // A number with no fractional part is an integer (draft 2020-12).
            "integer" => Self::INTEGER,
            "number" => Self::NUMBER | Self::INTEGER,
            "string" => Self::STRING,
            "array" => Self::ARRAY,
            "object" => Self::OBJECT,
            other => return Err(Unsupported(format!("type `{other}`"))),
        })
    }

    fn allows(self, ty: u8) -> bool {
        self.0 & ty != 0
    }
}

/// What to build while judging a document.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Pointer patterns (`*` for any array item) whose values are kept whole.
    pub whole: Vec<String>,
    /// Pointer patterns whose values are kept only as null or not.
    pub presence: Vec<String>,
    /// Keep every documented member's shape, for coverage.
    pub shape: bool,
}

impl FastSchema {
    /// Compiles `schema` (a generated contract schema), keeping what `needs`
    /// asks for.
    pub fn compile(schema: &Value, needs: &Needs) -> Result<FastSchema, Unsupported> {
        let mut compiler = Compiler {
            root: schema,
            nodes: Vec::new(),
        };
        let root = compiler.node(schema, 0)?;
        debug_assert_eq!(root, 0);
        let mut fast = FastSchema {
            root_needs_a_member: compiler.nodes[root].required == 0
                && compiler.nodes[root].properties.is_some(),
            nodes: compiler.nodes,
        };
        if needs.shape {
            for node in &mut fast.nodes {
                node.keep = node.keep.max(Keep::Shape);
            }
        }
        for pattern in &needs.presence {
            fast.keep_at(pattern, Keep::Presence);
        }
        for pattern in &needs.whole {
            fast.keep_at(pattern, Keep::Whole);
        }
        // The root is kept, so rules and envelopes read an object.
        fast.nodes[0].keep = fast.nodes[0].keep.max(Keep::Path);
        Ok(fast)
    }

    /// Marks the node at `pattern` with `keep` (`Whole` or `Presence`) and
    /// the nodes above it as paths.
    fn keep_at(&mut self, pattern: &str, keep: Keep) {
        let mut id = 0;
        let mut above = Vec::new();
        let mut whole = Some(0);
        for token in pattern.split('/').skip(1) {
            let token = unescape(token);
            let node = &self.nodes[id];
            let member = node.properties.as_ref().and_then(|properties| {
                let index = node.member(&token, hash_name(&token))?;
                Some(properties[index].1)
            });
            let next = match (member, node.items) {
                (Some(member), _) => member,
                (None, Some(items)) if token == "*" || array_index(&token).is_some() => items,
                (None, _) if node.properties.is_some() && node.additional.is_none() => {
                    // A member the schema does not document (an error
                    // envelope's): keep it, whatever it holds.
                    self.nodes[id].keep_unknown.push(token.as_ref().into());
                    above.push(id);
                    whole = None;
                    break;
                }
                // Into arbitrary JSON or a map: keep all of it.
                (None, _) => break,
            };
            above.push(id);
            id = next;
            whole = Some(id);
        }
        match whole {
            Some(id) if keep == Keep::Whole => self.mark_whole(id),
            Some(id) => self.nodes[id].keep = self.nodes[id].keep.max(keep),
            None => {}
        }
        for id in above {
            let node = &mut self.nodes[id];
            node.keep = node.keep.max(Keep::Path);
        }
    }

    fn mark_whole(&mut self, id: NodeId) {
        self.nodes[id].keep = Keep::Whole;
        let children: Vec<NodeId> = self.children(id).collect();
        for child in children {
            self.mark_whole(child);
        }
    }

    fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let node = &self.nodes[id];
        node.properties
            .iter()
            .flatten()
            .map(|(_, child)| *child)
            .chain(node.additional)
            .chain(node.items)
    }

    /// Judges `text`: `Some(kept)` when the full path would find nothing in
    /// it (before semantic rules and error envelopes, which the caller runs
    /// on the kept value), `None` when the full path must decide.
    /// `report_unknown`: whether undocumented members are reported (they are
    /// then left to the full path).
    pub fn judge<'de>(&self, text: &'de str, report_unknown: bool) -> Option<Kept<'de>> {
        let mut parser = Parser::new(text);
        // Room for what a document of this size usually keeps, so the tape
        // is not copied over and over as it grows.
        let mut tokens = Vec::with_capacity((text.len() / 64).clamp(16, 4096));
        let walk = Walk {
            schema: self,
            id: 0,
            report_unknown,
            root: true,
            tape: &mut tokens,
        };
        walk.deserialize(&mut parser).ok()?;
        parser.end().ok()?;
        Some(Kept { tokens })
    }
}

/// A contract's fast-path schemas, each compiled on first use: one that keeps
/// what the semantic rules and error envelopes read, and one that also keeps
/// every documented member for coverage. `None` when the schema uses a
/// keyword the fast path does not implement.
#[derive(Debug, Default)]
pub struct Compiled {
    plain: OnceLock<Option<FastSchema>>,
    shaped: OnceLock<Option<FastSchema>>,
}

impl Compiled {
    /// The fast schema of `contract` (whose generated schema is `schema`),
    /// with coverage's shape when `shape`.
    pub fn get(&self, contract: &Contract, schema: &Value, shape: bool) -> Option<&FastSchema> {
        let cell = if shape { &self.shaped } else { &self.plain };
        cell.get_or_init(|| {
            let mut needs = Needs {
                whole: crate::semantic::reads(contract)
                    .iter()
                    .map(|pattern| (*pattern).to_owned())
                    .collect(),
                presence: Vec::new(),
                shape,
            };
            for (pointer, presence_only) in crate::response::reads(contract) {
                let list = if presence_only {
                    &mut needs.presence
                } else {
                    &mut needs.whole
                };
                list.push(pointer.to_owned());
            }
            FastSchema::compile(schema, &needs).ok()
        })
        .as_ref()
    }
}

struct Compiler<'s> {
    root: &'s Value,
    nodes: Vec<Node>,
}

impl<'s> Compiler<'s> {
    fn node(&mut self, schema: &'s Value, depth: usize) -> Result<NodeId, Unsupported> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(Unsupported("a recursive schema".to_owned()));
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            types: Types::ANY,
            values: None,
            date_time: false,
            properties: None,
            slots: Box::default(),
            required: 0,
            additional: None,
            items: None,
            keep: Keep::Drop,
            keep_unknown: Vec::new(),
        });
        let object = match schema {
            Value::Bool(true) => return Ok(id),
            Value::Bool(false) => {
                self.nodes[id].types = Types(0);
                return Ok(id);
            }
            Value::Object(object) => object,
            _ => return Err(Unsupported("a schema that is not an object".to_owned())),
        };
        if let Some(reference) = object.get("$ref") {
            let target = reference
                .as_str()
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|path| self.root.pointer(path))
                .ok_or_else(|| Unsupported(format!("the reference {reference}")))?;
            if let Some(other) = object
                .keys()
                .find(|key| *key != "$ref" && !ANNOTATIONS.contains(&key.as_str()))
            {
                return Err(Unsupported(format!("`{other}` beside `$ref`")));
            }
            // The target takes this node's place.
            self.nodes.pop();
            return self.node(target, depth + 1);
        }
        let mut properties = None;
        let mut required = Vec::new();
        for (keyword, value) in object {
            let unsupported = || Unsupported(format!("`{keyword}`: {value}"));
            match keyword.as_str() {
                "type" => {
                    let names: Vec<&str> = match value {
                        Value::String(name) => vec![name.as_str()],
                        Value::Array(names) => names
                            .iter()
                            .map(|name| name.as_str().ok_or_else(unsupported))
                            .collect::<Result<_, _>>()?,
                        _ => return Err(unsupported()),
                    };
                    let mut types = 0;
                    for name in names {
                        types |= Types::parse(name)?;
                    }
                    self.nodes[id].types = Types(types);
                }
                "enum" => {
                    let values = value
                        .as_array()
                        .ok_or_else(unsupported)?
                        .iter()
                        .map(|value| value.as_str().map(Box::from).ok_or_else(unsupported))
                        .collect::<Result<_, _>>()?;
                    self.nodes[id].values = Some(values);
                }
                "format" => match value.as_str() {
                    Some("date-time") => self.nodes[id].date_time = true,
                    _ => return Err(unsupported()),
                },
                "properties" => properties = Some(value.as_object().ok_or_else(unsupported)?),
                "required" => {
                    required = value
                        .as_array()
                        .ok_or_else(unsupported)?
                        .iter()
                        .map(|name| name.as_str().ok_or_else(unsupported))
                        .collect::<Result<_, _>>()?;
                }
                "additionalProperties" => {
                    let child = self.node(value, depth + 1)?;
                    self.nodes[id].additional = Some(child);
                }
                "items" => {
                    let child = self.node(value, depth + 1)?;
                    self.nodes[id].items = Some(child);
                }
                keyword if ANNOTATIONS.contains(&keyword) => {}
                _ => return Err(unsupported()),
            }
        }
        let mut members = Vec::new();
        if let Some(properties) = properties {
            if properties.len() > MAX_PROPERTIES {
                return Err(Unsupported(format!(
                    "an object of {} members",
                    properties.len()
                )));
            }
            for (name, property) in properties {
                let child = self.node(property, depth + 1)?;
                members.push((Box::<str>::from(name.as_str()), child));
            }
            members.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let mut mask = 0u128;
        for name in required {
            match members
                .iter()
                .position(|(member, _)| member.as_ref() == name)
            {
                Some(index) => mask |= 1 << index,
                // A required member the schema does not describe: rare
                // enough to leave to the full path.
                None => return Err(Unsupported(format!("required `{name}` without properties"))),
            }
        }
        let node = &mut self.nodes[id];
        node.required = mask;
        if properties.is_some() {
            node.slots = slots(&members)?;
            node.properties = Some(members);
        }
        Ok(id)
    }
}

/// The hash table of [`Node::slots`] for `members`.
fn slots(members: &[(Box<str>, NodeId)]) -> Result<Box<[u8]>, Unsupported> {
    let mut slots = vec![0u8; (members.len() * 2).next_power_of_two().max(2)];
    let mask = slots.len() - 1;
    for (index, (name, _)) in members.iter().enumerate() {
        let mut slot = hash_name(name) as usize & mask;
        while slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        slots[slot] = u8::try_from(index + 1)
            .map_err(|_| Unsupported(format!("an object of {} members", members.len())))?;
    }
    Ok(slots.into_boxed_slice())
}

impl Node {
    /// Whether a value of type `ty` can be valid here: of an allowed type,
    /// and not where only listed strings are.
    fn admits(&self, ty: u8) -> bool {
        self.types.allows(ty) && self.values.is_none()
    }

    /// The position in `properties` of the member called `key`, whose
    /// [`hash_name`] hash is `hash`.
    fn member(&self, key: &str, hash: u64) -> Option<usize> {
        let properties = self.properties.as_deref()?;
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let index = usize::from(self.slots[slot]).checked_sub(1)?;
            if properties[index].0.as_ref() == key {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// Stops the walk: the full path decides.
fn stop<E: de::Error>() -> E {
    E::custom("left to the full path")
}

/// The seed that judges one value at one node, writing what the node keeps
/// to the tape.
struct Walk<'s, 't, 'de> {
    schema: &'s FastSchema,
    id: NodeId,
    report_unknown: bool,
    root: bool,
    tape: &'t mut Vec<Token<'de>>,
}

impl<'s, 'de> Walk<'s, '_, 'de> {
    fn node(&self) -> &'s Node {
        &self.schema.nodes[self.id]
    }

    fn child(&mut self, id: NodeId) -> Walk<'_, '_, 'de> {
        Walk {
            schema: self.schema,
            id,
            report_unknown: self.report_unknown,
            root: false,
            tape: &mut *self.tape,
        }
    }

    fn scalar<E: de::Error>(self, ty: u8, token: impl FnOnce() -> Token<'de>) -> Result<(), E> {
        let node = self.node();
        if !node.admits(ty) {
            return Err(stop());
        }
        if let Some(token) = node.keep.scalar(token) {
            self.tape.push(token);
        }
        Ok(())
    }

    fn string<E: de::Error>(
        self,
        value: &str,
        token: impl FnOnce() -> Cow<'de, str>,
    ) -> Result<(), E> {
        let node = self.node();
        if !node.types.allows(Types::STRING)
            || node
                .values
                .as_ref()
                .is_some_and(|values| !values.iter().any(|allowed| allowed.as_ref() == value))
            || (node.date_time && !Timestamp::is_valid(value))
        {
            return Err(stop());
        }
        if let Some(token) = node.keep.scalar(|| Token::Str(token())) {
            self.tape.push(token);
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value the contract documents")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<(), E> {
        self.scalar(Types::BOOLEAN, || Token::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.scalar(Types::INTEGER, || Token::I64(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.scalar(Types::INTEGER, || Token::U64(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<(), E> {
        let ty = if value.is_finite() && value.fract() == 0.0 {
            Types::INTEGER
        } else {
            Types::NUMBER
        };
        self.scalar(ty, || Token::F64(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        let node = self.node();
        if !node.admits(Types::NULL) {
            return Err(stop());
        }
        if node.keep > Keep::Drop {
            self.tape.push(Token::Null);
        }
        Ok(())
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<(), E> {
        self.string(value, || Cow::Borrowed(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.string(value, || Cow::Owned(value.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let node = self.node();
        if !node.admits(Types::ARRAY) {
            return Err(stop());
        }
        let keep = node.keep;
        let Some(items) = node.items else {
            return seq_of_any(seq, any_keep(keep), self.tape);
        };
        let start = open(self.tape, Token::Seq { end: 0 });
        loop {
            let before = self.tape.len();
            if seq.next_element_seed(self.child(items))?.is_none() {
                break;
            }
            if keep >= Keep::Path && self.tape.len() == before {
                // An item that keeps nothing still holds its place.
                self.tape.push(Token::Null);
            }
        }
        close(self.tape, start, keep.container());
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let node = self.node();
        if !node.admits(Types::OBJECT) {
            return Err(stop());
        }
        let keep = node.keep;
        let start = open(self.tape, Token::Map { end: 0 });
        let Some(properties) = &node.properties else {
            let Some(additional) = node.additional else {
                self.tape.truncate(start);
                return map_of_any(map, any_keep(keep), self.tape);
            };
            // A map of documented values (`tags`, `headers`).
            let mut keys = Names::default();
            while let Some(key) = map.next_key_seed(KeySeed)? {
                let hash = hash_name(&key);
                if keep >= Keep::Path {
                    let at = self.tape.len();
                    self.tape.push(Token::Key(key));
                    map.next_value_seed(self.child(additional))?;
                    if self.tape.len() == at + 1 {
                        self.tape.push(Token::Null);
                    }
                } else {
                    map.next_value_seed(self.child(additional))?;
                }
                if !keys.insert_hash(hash) {
                    return Err(stop());
                }
            }
            close(self.tape, start, keep.container());
            return Ok(());
        };
        let mut seen = 0u128;
        let mut unknown = Names::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let hash = hash_name(&key);
            let member = node.member(&key, hash);
            let whole = member.is_none()
                && (keep == Keep::Whole
                    || node.keep_unknown.iter().any(|name| name.as_ref() == key));
            let nodes = &self.schema.nodes;
            // Whether anything of the value can be kept, so its name is.
            let kept = match member {
                Some(index) => nodes[properties[index].1].keep > Keep::Drop,
                None => {
                    whole
                        || keep >= Keep::Shape
                        || node
                            .additional
                            .is_some_and(|additional| nodes[additional].keep > Keep::Drop)
                }
            };
            let at = self.tape.len();
            if kept {
                self.tape.push(Token::Key(key));
            }
            match member {
                Some(index) => {
                    let bit = 1u128 << index;
                    if seen & bit != 0 {
                        return Err(stop());
                    }
                    seen |= bit;
                    let child = properties[index].1;
                    map.next_value_seed(self.child(child))?;
                }
                None => {
                    // Undocumented even when `additionalProperties` would
                    // take it, as the full path's walk sees it.
                    if self.report_unknown {
                        return Err(stop());
                    }
                    match node.additional {
                        Some(additional) => map.next_value_seed(self.child(additional))?,
                        None => map.next_value_seed(AnySeed {
                            keep: if whole { Keep::Whole } else { Keep::Drop },
                            tape: &mut *self.tape,
                        })?,
                    }
                    if kept && self.tape.len() == at + 1 && keep >= Keep::Shape {
                        // Coverage counts it as undocumented, whatever it holds.
                        self.tape.push(Token::Null);
                    }
                    if !unknown.insert_hash(hash) {
                        return Err(stop());
                    }
                }
            }
            if !kept {
                debug_assert_eq!(self.tape.len(), at, "a value kept without its name");
            } else if self.tape.len() == at + 1 {
                // Nothing of the value was kept: nor is its name.
                self.tape.truncate(at);
            }
        }
        if seen & node.required != node.required {
            return Err(stop());
        }
        if self.root && seen == 0 && self.schema.root_needs_a_member {
            // None of the contract's members: not the resource (the full
            // path says so).
            return Err(stop());
        }
        close(self.tape, start, keep.container());
        Ok(())
    }
}

/// Starts a container on the tape at `header`: where it starts.
fn open<'de>(tape: &mut Vec<Token<'de>>, header: Token<'de>) -> usize {
    tape.push(header);
    tape.len() - 1
}

/// Ends the container started at `start`: kept as it is, replaced by a
/// placeholder, or dropped with all it holds.
fn close(tape: &mut Vec<Token<'_>>, start: usize, leaves: Leaves) {
    match leaves {
        Leaves::Whole => {
            let end = tape.len();
            if let Token::Map { end: at } | Token::Seq { end: at } = &mut tape[start] {
                *at = end;
            }
        }
        Leaves::Placeholder => {
            tape.truncate(start);
            tape.push(Token::Bool(true));
        }
        Leaves::Nothing => tape.truncate(start),
    }
}

/// What a container leaves on the tape once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaves {
    /// Its header and what it holds.
    Whole,
    /// `true`, for "there and not null".
    Placeholder,
    /// Nothing.
    Nothing,
}

/// What an arbitrary-JSON value keeps, given its node's keep.
fn any_keep(keep: Keep) -> Keep {
    match keep {
        Keep::Drop | Keep::Path => Keep::Drop,
        // A placeholder for what is not null.
        Keep::Presence | Keep::Shape => Keep::Shape,
        Keep::Whole => Keep::Whole,
    }
}

/// An arbitrary JSON value: read (strings decoded, numbers checked, keys
/// compared for repeats), written to the tape only when kept.
struct AnySeed<'t, 'de> {
    keep: Keep,
    tape: &'t mut Vec<Token<'de>>,
}

impl<'de> AnySeed<'_, 'de> {
    fn scalar<E>(self, token: impl FnOnce() -> Token<'de>) -> Result<(), E> {
        if let Some(token) = self.keep.arbitrary(token) {
            self.tape.push(token);
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for AnySeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.keep == Keep::Drop {
            // Nothing of it is kept: the parser checks it without a visitor
            // per value, repeated names included.
            deserializer.deserialize_ignored_any(de::IgnoredAny)?;
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnySeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        self.scalar(|| Token::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        self.scalar(|| Token::I64(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.scalar(|| Token::U64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        self.scalar(|| Token::F64(value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<(), E> {
        self.scalar(|| Token::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        self.scalar(|| Token::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        // A null stands for itself wherever anything is kept.
        if self.keep.arbitrary(|| Token::Null).is_some() {
            self.tape.push(Token::Null);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        seq_of_any(seq, self.keep, self.tape)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        map_of_any(map, self.keep, self.tape)
    }
}

fn seq_of_any<'de, A: SeqAccess<'de>>(
    mut seq: A,
    keep: Keep,
    tape: &mut Vec<Token<'de>>,
) -> Result<(), A::Error> {
    let inner = keep.inside_arbitrary();
    let start = open(tape, Token::Seq { end: 0 });
    while seq
        .next_element_seed(AnySeed {
            keep: inner,
            tape: &mut *tape,
        })?
        .is_some()
    {}
    close(tape, start, keep.arbitrary_container());
    Ok(())
}

fn map_of_any<'de, A: MapAccess<'de>>(
    mut map: A,
    keep: Keep,
    tape: &mut Vec<Token<'de>>,
) -> Result<(), A::Error> {
    let inner = keep.inside_arbitrary();
    let start = open(tape, Token::Map { end: 0 });
    let mut keys = Names::default();
    while let Some(key) = map.next_key_seed(KeySeed)? {
        let hash = hash_name(&key);
        if inner == Keep::Whole {
            tape.push(Token::Key(key));
        }
        map.next_value_seed(AnySeed {
            keep: inner,
            tape: &mut *tape,
        })?;
        if !keys.insert_hash(hash) {
            return Err(stop());
        }
    }
    close(tape, start, keep.arbitrary_container());
    Ok(())
}

/// A member name, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(schema: Value) -> FastSchema {
        FastSchema::compile(&schema, &Needs::default()).unwrap()
    }

    #[test]
    fn every_contract_compiles() {
        for contract in actionlog_models::CONTRACTS {
            let schema = serde_json::to_value((contract.response.schema)()).unwrap();
            FastSchema::compile(&schema, &Needs::default())
                .unwrap_or_else(|error| panic!("{}: {error}", contract.id));
        }
    }

    #[test]
    fn refuses_keywords_it_does_not_implement() {
        for schema in [
            json!({"type": "string", "pattern": "^a"}),
            json!({"anyOf": [{"type": "string"}]}),
            json!({"type": "string", "format": "uuid"}),
            json!({"$ref": "#/$defs/A", "type": "object", "$defs": {"A": {}}}),
            json!({"type": "integer", "minimum": 1}),
        ] {
            assert!(
                FastSchema::compile(&schema, &Needs::default()).is_err(),
                "{schema}"
            );
        }
    }

    #[test]
    fn judges_types_enums_formats_and_members() {
        let fast = compile(json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "state": {"type": ["string", "null"], "enum": ["a", "b"]},
                "at": {"type": "string", "format": "date-time"},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "input": {"description": "anything"},
                "list": {"type": "array", "items": {"$ref": "#/$defs/Item"}}
            },
            "$defs": {"Item": {"type": "object", "properties": {"n": {"type": "number"}}}}
        }));
        let clean = |text: &str| fast.judge(text, true).is_some();
        assert!(clean(
            r#"{"id": 1, "state": "a", "at": "2021-01-01T00:00:00Z"}"#
        ));
        assert!(clean(
            r#"{"id": 1.0, "input": {"x": [1, {"y": "\u00e9"}]}, "list": [{"n": 1.5}]}"#
        ));
        assert!(clean(r#"{"id": 1, "tags": {"a": "b"}}"#));
        assert!(!clean(r#"{"id": 1.5}"#));
        assert!(!clean(r#"{"state": "a"}"#), "required");
        assert!(!clean(r#"{"id": 1, "state": "c"}"#), "enum");
        assert!(
            !clean(r#"{"id": 1, "state": null}"#),
            "null is not in the enum"
        );
        assert!(
            !clean(r#"{"id": 1, "at": "2021-01-01 00:00:00Z"}"#),
            "format"
        );
        assert!(!clean(r#"{"id": 1, "other": 1}"#), "undocumented member");
        assert!(fast.judge(r#"{"id": 1, "other": 1}"#, false).is_some());
        assert!(!clean(r#"{"id": 1, "id": 2}"#), "repeated key");
        assert!(
            !clean(r#"{"id": 1, "input": {"a": 1, "a": 1}}"#),
            "repeated key inside"
        );
        assert!(!clean(r#"{"id": 1, "input": "\ud800"}"#), "lone surrogate");
        assert!(!clean(r#"{"id": 1, "tags": {"a": 1}}"#));
        assert!(!clean(r#"{"id": 1, "list": [{"n": "1"}]}"#));
        assert!(!clean(r#"{"id": 1} x"#));
        assert!(!clean(r#"[]"#));
    }

    #[test]
    fn keeps_what_is_asked_and_drops_the_rest() {
        let schema = json!({
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {"type": ["array", "null"]},
                "events": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "payload": {}, "name": {"type": "string"}
                }}}
            }
        });
        let needs = Needs {
            whole: vec!["/events/*/id".to_owned(), "/message".to_owned()],
            presence: vec!["/events".to_owned()],
            shape: false,
        };
        let fast = FastSchema::compile(&schema, &needs).unwrap();
        let kept = fast
            .judge(
                r#"{"errors": null, "message": "x", "events": [{"id": 1, "payload": {"a": 1}, "name": "n"}]}"#,
                false,
            )
            .unwrap();
        // `errors` is required, but nothing asked for it.
        assert_eq!(
            kept.to_value(),
            json!({"message": "x", "events": [{"id": 1}]})
        );
        // Read through the tape: the envelope's pointers and a rule's view.
        assert_eq!(kept.pointer("/events/0/id"), Some(json!(1)));
        assert_eq!(kept.pointer("/events/0/name"), None);
        assert_eq!(
            crate::response::Members::shape(&kept, "/events"),
            Some(crate::response::Shape::Array(1))
        );
        #[derive(serde::Deserialize)]
        struct Event {
            id: i64,
        }
        #[derive(serde::Deserialize)]
        struct Page<'a> {
            message: &'a str,
            events: Vec<Event>,
        }
        let page: Page<'_> = kept.view().unwrap();
        assert_eq!((page.message, page.events[0].id), ("x", 1));
        // An escaped string is kept decoded.
        let escaped = fast
            .judge(r#"{"errors": null, "message": "a\"b"}"#, false)
            .unwrap();
        assert_eq!(escaped.pointer("/message"), Some(json!("a\"b")));
        let shape = FastSchema::compile(
            &schema,
            &Needs {
                shape: true,
                ..Needs::default()
            },
        )
        .unwrap();
        let kept = shape
            .judge(
                r#"{"errors": null, "events": [{"id": 1, "payload": {"a": 1}, "name": "n"}]}"#,
                true,
            )
            .unwrap();
        assert_eq!(
            kept.to_value(),
            json!({"errors": null, "events": [{"id": 1, "payload": true, "name": "n"}]})
        );
    }
}
