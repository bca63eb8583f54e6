//! The one order-keeping JSON reader of the toolkit.
//!
//! # Design
//! `serde_json::Value` keeps object keys in the order the `preserve_order`
//! feature says, and Cargo unifies that feature across whatever else happens
//! to be in the build. The generator keeps the schemas' own property order
//! (the field order of the generated structs, and of Python and TypeScript
//! models of the exported files), and exported files must be byte-for-byte
//! the same whatever else is in the build. So schema text is read into this
//! small tree, which always keeps keys in source order, through serde's
//! ordinary visitor API; [`parse`] also refuses duplicate keys, and a tree
//! gives its `Value` and its key orders by pointer for code that wants those.

use std::fmt;

use std::collections::BTreeMap;

use serde_core::de::{
    self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_core::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

/// One JSON value whose objects keep their keys in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, keys in source order (a repeated key keeps its first place
    /// and its last value, as `serde_json` would).
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// Follows a JSON pointer (already decoded from any URI fragment escaping).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match node {
                Node::Object(_) => node.get(&token),
                Node::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
        })
    }

    /// Sets `key` on an object, keeping its place when it is already there.
    pub fn insert(entries: &mut Vec<(String, Node)>, key: String, value: Node) {
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => entries.push((key, value)),
        }
    }

    /// Pretty JSON text (two-space indent, as `serde_json` writes it) and a final newline.
    pub fn to_pretty(&self) -> String {
        // Writing a tree of strings, numbers and vectors into a String cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Escapes one JSON pointer token (`~` and `/`).
pub use crate::vocabulary::escape_token;

/// The key order of every object of a document, by JSON pointer.
pub type KeyOrder = BTreeMap<String, Vec<String>>;

/// Parses `text` (one JSON value, nothing after it), refusing an object
/// that holds a key twice, as every JSON the toolkit reads.
pub fn parse(text: &str) -> Result<Node, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let node = NodeSeed { unique: true }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(node)
}

impl Node {
    /// The same value as a `serde_json::Value` (whose objects may sort their keys).
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.clone()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The key order of every object inside, by JSON pointer (`""` for this one).
    pub fn key_orders(&self) -> KeyOrder {
        fn walk(node: &Node, pointer: &str, out: &mut KeyOrder) {
            match node {
                Node::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, &format!("{pointer}/{i}"), out);
                    }
                }
                Node::Object(entries) => {
                    out.insert(
                        pointer.to_owned(),
                        entries.iter().map(|(k, _)| k.clone()).collect(),
                    );
                    for (key, value) in entries {
                        walk(value, &format!("{pointer}/{}", escape_token(key)), out);
                    }
                }
                _ => {}
            }
        }
        let mut out = KeyOrder::new();
        walk(self, "", &mut out);
        out
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => n.serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeSeed { unique: false })
    }
}

/// Reads a [`Node`]; `unique` refuses an object holding a key twice.
#[derive(Clone, Copy)]
struct NodeSeed {
    unique: bool,
}

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.unique && entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(self)?;
            Node::insert(&mut entries, key, value);
        }
        Ok(Node::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_source_order_through_a_round_trip() {
        let text = r#"{"z": 1, "a": [true, null, 1.0, "s"], "m": {"y": 2, "b": -3}}"#;
        let node: Node = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"z":1,"a":[true,null,1.0,"s"],"m":{"y":2,"b":-3}}"#
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        let node: Node = serde_json::from_str(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(serde_json::to_string(&node).unwrap(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn pointers_follow_objects_arrays_and_escapes() {
        let node: Node =
            serde_json::from_str(r#"{"$defs": {"a/b": {"x": [10, 20]}, "t~": 5}}"#).unwrap();
        let twenty = Node::Number(20.into());
        assert_eq!(node.pointer("/$defs/a~1b/x/1"), Some(&twenty));
        assert_eq!(node.pointer("/$defs/t~0"), Some(&Node::Number(5.into())));
        assert_eq!(node.pointer(""), Some(&node));
        assert_eq!(node.pointer("/$defs/missing"), None);
        assert_eq!(node.pointer("/$defs/a~1b/x/9"), None);
        assert_eq!(node.pointer("no-slash"), None);
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn parse_refuses_duplicates_and_gives_value_and_key_orders() {
        let err = parse(r#"{"a": 1, "a": 2}"#).expect_err("duplicate");
        assert!(err.to_string().contains("duplicate key `a`"), "{err}");
        assert!(parse("{} x").is_err());
        let node =
            parse(r#"{"z": 1, "a": {"y/x": [{"q": 1, "b": 2}], "c": null}}"#).expect("parse");
        let order = node.key_orders();
        assert_eq!(order[""], ["z", "a"]);
        assert_eq!(order["/a"], ["y/x", "c"]);
        assert_eq!(order["/a/y~1x/0"], ["q", "b"]);
        assert_eq!(node.to_value()["a"]["c"], Value::Null);
        assert_eq!(node.to_value()["a"]["y/x"][0]["b"], 2);
    }
}
