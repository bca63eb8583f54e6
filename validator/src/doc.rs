//! A borrowed JSON document: the fast representation records are checked in.
//!
//! Building a `serde_json::Value` for every record costs more than checking
//! it: a `String` per key and per string, a `BTreeMap` insertion per member.
//! A [`Doc`] borrows every string without escapes straight from the record's
//! bytes, and everything else (strings with escapes, arrays, object members
//! in input order) from an arena that is emptied between records: a `Doc`
//! has nothing to free. jsonschema validates it directly through its
//! [`Json`] trait (the [`Fast`] representation), so the common case, a valid
//! event, never builds a `Value`. Only a failing record is parsed again into
//! a `Value`, for the detailed errors.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::{Map, Number, Value};

/// One JSON value, borrowing from the record and the parse's arena.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(&'a [Doc<'a>]),
    /// Members in input order; keys are unique (the parser refuses duplicates).
    Object(&'a [(&'a str, Doc<'a>)]),
}

impl<'a> Doc<'a> {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Doc<'a>> {
        match self {
            Doc::Object(members) => members.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Doc::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Doc::Null)
    }

    /// The JSON Schema type name (`integer` for integral numbers).
    pub fn type_name(&self) -> &'static str {
        match self {
            Doc::Null => "null",
            Doc::Bool(_) => "boolean",
            Doc::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Doc::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
            Doc::Number(_) => "number",
            Doc::String(_) => "string",
            Doc::Array(_) => "array",
            Doc::Object(_) => "object",
        }
    }

    /// The same value as a `serde_json::Value` (for messages and cold paths).
    pub fn to_value(&self) -> Value {
        match self {
            Doc::Null => Value::Null,
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Number(n) => Value::Number(n.clone()),
            Doc::String(s) => Value::String((*s).to_owned()),
            Doc::Array(items) => Value::Array(items.iter().map(Doc::to_value).collect()),
            Doc::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_value()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

/// The [`Doc`] representation, for `jsonschema::Validator<Fast>`.
#[derive(Debug)]
pub struct Fast;

impl Json for Fast {
    type Node<'a> = &'a Doc<'a>;
    type PreparedKey = String;
    type StringBuffer = ();

    // Lookups scan the members, so a members pass is worth it early.
    const KEYS_PER_LOOKUP: usize = 16;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Self::Node<'_>) -> T) -> T {
        f(&Doc::String(string))
    }
}

impl<'a> Node<'a, Fast> for &'a Doc<'a> {
    type Object = &'a [(&'a str, Doc<'a>)];
    type Array = &'a [Doc<'a>];
    type Number = &'a Number;

    fn as_object(&self) -> Option<Self::Object> {
        match self {
            Doc::Object(members) => Some(members),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Self::Array> {
        match self {
            Doc::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self {
            Doc::String(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&'a Number> {
        match self {
            Doc::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            Doc::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Doc::Null)
    }

    fn json_type(&self) -> JsonType {
        match self {
            Doc::Null => JsonType::Null,
            Doc::Bool(_) => JsonType::Boolean,
            Doc::Number(_) => JsonType::Number,
            Doc::String(_) => JsonType::String,
            Doc::Array(_) => JsonType::Array,
            Doc::Object(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        // `const` on `log_type` is checked for every event: compare strings without a `Value`.
        match (self, expected) {
            (Doc::String(s), Value::String(e)) => s == e,
            (Doc::String(_), _) | (_, Value::String(_)) => false,
            _ => jsonschema::json::cmp::equal(&Doc::to_value(self), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(Doc::to_value(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(
            std::ptr::from_ref::<Doc<'a>>(*self) as usize
        ))
    }
}

/// Iterates an object's members as `(name, value)`.
#[derive(Debug)]
pub struct Members<'a>(std::slice::Iter<'a, (&'a str, Doc<'a>)>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a Doc<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (*k, v))
    }
}

impl<'a> Object<'a, Fast> for &'a [(&'a str, Doc<'a>)] {
    type Node = &'a Doc<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        <[_]>::len(self)
    }

    fn get(&self, key: &String) -> Option<&'a Doc<'a>> {
        self.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn members(&self) -> Members<'a> {
        Members(self.iter())
    }
}

impl<'a> Array<'a, Fast> for &'a [Doc<'a>] {
    type Node = &'a Doc<'a>;
    type ElementsIter = std::slice::Iter<'a, Doc<'a>>;

    fn len(&self) -> usize {
        <[_]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Doc<'a>> {
        self.iter()
    }
}
