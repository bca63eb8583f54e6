//! Parsing one record's bytes into a JSON value, refusing duplicate keys.
//!
//! `serde_json::Value` silently keeps the last of two equal keys; the
//! generated types reject such an object. To agree with them, records are
//! parsed with a seed that builds the same `Value` but fails on a repeated
//! key and says where it is.
//!
//! # Design
//! A duplicate key is reported as an *invalid* record (not malformed): the
//! text is JSON by the grammar, and the object is an event that breaks a rule
//! of the contract, like a wrong type. The error's pointer is the duplicated
//! key's (`/serial`, or `/a/b` when nested).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// Why a record's bytes are not a JSON value we accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON: the message, and the 1-based line and column within the record.
    Syntax {
        message: String,
        line: u64,
        column: u64,
    },
    /// An object repeats a key; the JSON pointer of the repeated key.
    DuplicateKey { pointer: String },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Syntax {
                message,
                line,
                column,
            } => {
                write!(f, "{message} at line {line} column {column}")
            }
            ParseError::DuplicateKey { pointer } => write!(f, "duplicate key at {pointer}"),
        }
    }
}

/// Parses `bytes` as exactly one JSON value, rejecting duplicate keys.
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    let duplicate = RefCell::new(None);
    let seed = Seed {
        duplicate: &duplicate,
    };
    // Checking UTF-8 once for the whole record is cheaper than string by
    // string; invalid UTF-8 takes the slice path, which says where it is.
    let result = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v))
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v))
        }
    };
    match result {
        Ok(value) => Ok(value),
        Err(error) => match duplicate.into_inner() {
            Some(mut path) => {
                path.reverse();
                Err(ParseError::DuplicateKey {
                    pointer: pointer(&path),
                })
            }
            None => Err(ParseError::Syntax {
                message: message_of(&error),
                line: error.line() as u64,
                column: error.column() as u64,
            }),
        },
    }
}

/// serde_json's message without its " at line L column C" suffix (we give the place ourselves).
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// A JSON pointer from unescaped segments.
pub fn pointer(segments: &[String]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// Builds a `Value`; on a duplicate key, records the path (innermost first) in `duplicate`.
#[derive(Clone, Copy)]
struct Seed<'a> {
    duplicate: &'a RefCell<Option<Vec<String>>>,
}

impl Seed<'_> {
    fn push(&self, segment: impl FnOnce() -> String) {
        if let Some(path) = self.duplicate.borrow_mut().as_mut() {
            path.push(segment());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Value::Array(items)),
                Err(error) => {
                    let index = items.len();
                    self.push(|| index.to_string());
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = match access.next_value_seed(self) {
                Ok(value) => value,
                Err(error) => {
                    self.push(|| key);
                    return Err(error);
                }
            };
            // One search of the map both detects a duplicate and inserts.
            match map.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(slot) => {
                    *self.duplicate.borrow_mut() = Some(vec![slot.key().clone()]);
                    return Err(de::Error::custom("duplicate key"));
                }
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_like_serde_json() {
        let text = br#"{"a": [1, -2, 2.5, "x", null, true], "b": {"c": {}}}"#;
        let expected: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(parse(text).unwrap(), expected);
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_pointer() {
        assert_eq!(
            parse(br#"{"serial": "a", "serial": null}"#),
            Err(ParseError::DuplicateKey {
                pointer: "/serial".into()
            })
        );
        assert_eq!(
            parse(br#"{"a": [0, {"b/c": {"x": 1, "x": 2}}]}"#),
            Err(ParseError::DuplicateKey {
                pointer: "/a/1/b~1c/x".into()
            })
        );
    }

    #[test]
    fn syntax_errors_have_a_line_and_column() {
        let Err(ParseError::Syntax {
            message,
            line,
            column,
        }) = parse(b"{\n\"a\": 1,\n}")
        else {
            panic!("expected a syntax error");
        };
        assert_eq!((line, column), (3, 1));
        assert_eq!(message, "trailing comma");
        assert!(matches!(parse(b"{} {}"), Err(ParseError::Syntax { .. })));
        assert!(matches!(parse(b""), Err(ParseError::Syntax { .. })));
    }

    #[test]
    fn equal_keys_in_different_objects_are_fine() {
        assert_eq!(
            parse(br#"{"a": {"a": 1}}"#).unwrap(),
            json!({"a": {"a": 1}})
        );
    }
}
