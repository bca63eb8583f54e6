//! Parsing one record's bytes into a [`Doc`], refusing duplicate keys.
//!
//! `serde_json::Value` silently keeps the last of two equal keys; the
//! generated types reject such an object. To agree with them, records are
//! parsed with a seed that fails on a repeated key and says where it is.
//!
//! # Design
//! A duplicate key is reported as an *invalid* record (not malformed): the
//! text is JSON by the grammar, and the object is an event that breaks a rule
//! of the contract, like a wrong type. The error's pointer is the duplicated
//! key's (`/serial`, or `/a/b` when nested).

use std::cell::RefCell;
use std::fmt;

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use crate::doc::Doc;

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
/// What the document does not borrow from `bytes` is allocated in `arena`.
pub fn parse<'a>(bytes: &'a [u8], arena: &'a Bump) -> Result<Doc<'a>, ParseError> {
    let duplicate = RefCell::new(None);
    let seed = Seed {
        duplicate: &duplicate,
        arena,
    };
    // Checking UTF-8 once for the whole record is cheaper than string by
    // string, and says where the first bad byte is.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = (valid.len() - line_start) as u64 + 1;
            let message = "not valid UTF-8 text".to_owned();
            return Err(ParseError::Syntax {
                message,
                line,
                column,
            });
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(value) => Ok(value),
        Err(error) => match duplicate.into_inner() {
            // The parse stops at a repeated key: the rest must be JSON too for
            // the record to be an invalid event rather than malformed text.
            // A full `Value` parse, not `IgnoredAny`: skipping a string does
            // not check its escapes (a lone surrogate `\ud800` passes), and
            // this path is taken only for records with a repeated key.
            Some(mut path) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(_) => {
                    path.reverse();
                    Err(ParseError::DuplicateKey {
                        pointer: pointer(&path),
                    })
                }
                Err(error) => Err(ParseError::Syntax {
                    message: message_of(&error),
                    line: error.line() as u64,
                    column: error.column() as u64,
                }),
            },
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

/// Builds a [`Doc`] in `arena`; on a duplicate key, records the path (innermost first) in `duplicate`.
#[derive(Clone, Copy)]
struct Seed<'s, 'a> {
    duplicate: &'s RefCell<Option<Vec<String>>>,
    arena: &'a Bump,
}

impl Seed<'_, '_> {
    fn push(&self, segment: impl FnOnce() -> String) {
        if let Some(path) = self.duplicate.borrow_mut().as_mut() {
            path.push(segment());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = Doc<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Doc<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = Doc<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Doc<'de>, E> {
        Ok(Doc::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Doc<'de>, E> {
        Ok(Doc::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Doc<'de>, E> {
        Ok(Doc::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Doc<'de>, E> {
        Ok(Number::from_f64(v).map_or(Doc::Null, Doc::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Doc<'de>, E> {
        Ok(Doc::String(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Doc<'de>, E> {
        Ok(Doc::String(self.arena.alloc_str(v)))
    }

    fn visit_none<E>(self) -> Result<Doc<'de>, E> {
        Ok(Doc::Null)
    }

    fn visit_unit<E>(self) -> Result<Doc<'de>, E> {
        Ok(Doc::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc<'de>, A::Error> {
        let mut items = BumpVec::new_in(self.arena);
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Doc::Array(items.into_bump_slice())),
                Err(error) => {
                    let index = items.len();
                    self.push(|| index.to_string());
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Doc<'de>, A::Error> {
        // Events have a few dozen members: room for them all at once.
        let mut members = BumpVec::with_capacity_in(32, self.arena);
        // A one-word filter of the keys seen: a key whose bit is not set yet
        // cannot be a repeat, so the members are scanned only on a collision.
        let mut seen = 0u64;
        while let Some(key) = access.next_key_seed(Key(self.arena))? {
            let bit = key_bit(key);
            if seen & bit != 0 && members.iter().any(|(k, _)| *k == key) {
                *self.duplicate.borrow_mut() = Some(vec![key.to_owned()]);
                return Err(de::Error::custom("duplicate key"));
            }
            seen |= bit;
            match access.next_value_seed(self) {
                Ok(value) => members.push((key, value)),
                Err(error) => {
                    self.push(|| key.to_owned());
                    return Err(error);
                }
            }
        }
        Ok(Doc::Object(members.into_bump_slice()))
    }
}

/// The bit of `key` in a 64-bit filter: from its length and its last byte,
/// which tell apart most keys of an event (`item_name` and `item_type` share a length).
#[inline]
fn key_bit(key: &str) -> u64 {
    let last = key.as_bytes().last().copied().unwrap_or(0) as usize;
    1 << ((key.len().wrapping_mul(7) ^ last) % 64)
}

/// An object key, borrowed from the record when it has no escapes, else allocated in the arena.
struct Key<'a>(&'a Bump);

impl<'de> DeserializeSeed<'de> for Key<'de> {
    type Value = &'de str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'de str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'de> {
    type Value = &'de str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<&'de str, E> {
        Ok(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<&'de str, E> {
        Ok(self.0.alloc_str(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Parses in an arena of its own, and gives the document as a `Value`.
    fn parsed(bytes: &[u8]) -> Result<Value, ParseError> {
        let arena = Bump::new();
        parse(bytes, &arena).map(|doc| doc.to_value())
    }

    #[test]
    fn parses_like_serde_json() {
        let text = br#"{"a": [1, -2, 2.5, "x\\u00e9", null, true], "b": {"c": {}}}"#;
        let expected: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(parsed(text).unwrap(), expected);
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_pointer() {
        assert_eq!(
            parsed(br#"{"serial": "a", "serial": null}"#),
            Err(ParseError::DuplicateKey {
                pointer: "/serial".into()
            })
        );
        assert_eq!(
            parsed(br#"{"a": [0, {"b/c": {"x": 1, "x": 2}}]}"#),
            Err(ParseError::DuplicateKey {
                pointer: "/a/1/b~1c/x".into()
            })
        );
    }

    #[test]
    fn a_repeated_key_before_a_lone_surrogate_is_a_syntax_error() {
        // Found by the validate_input fuzz target: a repeated key, then a
        // string whose escape is a lone surrogate, which is not JSON text.
        let text = br#"{"a": 1, "a": 2, "b": "x\ud800e"}"#;
        assert!(serde_json::from_slice::<serde_json::Value>(text).is_err());
        assert!(matches!(parsed(text), Err(ParseError::Syntax { .. })));
    }

    #[test]
    fn syntax_errors_have_a_line_and_column() {
        let Err(ParseError::Syntax {
            message,
            line,
            column,
        }) = parsed(b"{\n\"a\": 1,\n}")
        else {
            panic!("expected a syntax error");
        };
        assert_eq!((line, column), (3, 1));
        assert_eq!(message, "trailing comma");
        assert!(matches!(parsed(b"{} {}"), Err(ParseError::Syntax { .. })));
        assert!(matches!(parsed(b""), Err(ParseError::Syntax { .. })));
        let Err(ParseError::Syntax {
            message,
            line,
            column,
        }) = parsed(b"{\n\"a\": \"caf\xE9\"}")
        else {
            panic!("expected a syntax error");
        };
        assert_eq!(
            (message.as_str(), line, column),
            ("not valid UTF-8 text", 2, 10)
        );
    }

    #[test]
    fn equal_keys_in_different_objects_are_fine() {
        assert_eq!(
            parsed(br#"{"a": {"a": 1}}"#).unwrap(),
            json!({"a": {"a": 1}})
        );
    }
}
