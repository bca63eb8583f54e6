//! Parses a schema file into a `serde_json::Value` and records the order of
//! the keys of every object.
//!
//! `serde_json::Map` is sorted unless the whole build turns on serde_json's
//! `preserve_order`, which would change `Value` for every crate sharing the
//! build. The generator needs schema order only for a few keywords
//! (`properties`, `$defs`), so it records it on the side instead, keyed by
//! JSON pointer. Duplicate keys are rejected, as in every JSON the toolkit reads.

use std::collections::BTreeMap;
use std::fmt;

use serde_core::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The key order of every object of a document, by JSON pointer.
pub type KeyOrder = BTreeMap<String, Vec<String>>;

/// Parses `text`, recording key orders.
pub fn parse(text: &str) -> Result<(Value, KeyOrder), serde_json::Error> {
    let mut order = KeyOrder::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Seed {
        pointer: String::new(),
        order: &mut order,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, order))
}

/// Escapes a key for use as a JSON pointer token.
pub fn escape_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Seed<'a> {
    pointer: String,
    order: &'a mut KeyOrder,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any json value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = Seed {
                pointer: format!("{}/{}", self.pointer, items.len()),
                order: self.order,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let seed = Seed {
                pointer: format!("{}/{}", self.pointer, escape_token(&key)),
                order: self.order,
            };
            let value = map.next_value_seed(seed)?;
            keys.push(key.clone());
            out.insert(key, value);
        }
        self.order.insert(self.pointer, keys);
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_is_recorded_per_pointer() {
        let (value, order) =
            parse(r#"{"z": 1, "a": {"y/x": [{"q": 1, "b": 2}], "c": null}}"#).expect("parse");
        assert_eq!(value["a"]["c"], Value::Null);
        assert_eq!(order[""], ["z", "a"]);
        assert_eq!(order["/a"], ["y/x", "c"]);
        assert_eq!(order["/a/y~1x/0"], ["q", "b"]);
    }

    #[test]
    fn duplicate_keys_and_trailing_text_are_rejected() {
        let err = parse(r#"{"a": 1, "a": 2}"#).expect_err("duplicate");
        assert!(err.to_string().contains("duplicate key `a`"), "{err}");
        assert!(parse("{} x").is_err());
    }
}
