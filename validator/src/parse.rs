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

use std::cell::{Cell, RefCell};
use std::fmt;

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use crate::doc::Doc;

/// The memory a record may take to be parsed and checked, as a multiple of
/// its length: its document in the arena (and the detailed errors of a
/// failing record, see [`crate::classify`]) must fit in
/// `BUDGET_FACTOR × length + BUDGET_SLACK` bytes.
pub const BUDGET_FACTOR: usize = 16;
/// What every record may take besides [`BUDGET_FACTOR`] times its length:
/// room for a small event's fixed costs (its first members).
pub const BUDGET_SLACK: usize = 1 << 20;

/// The memory budget of a record of `len` bytes.
pub fn budget_of(len: usize) -> usize {
    len.saturating_mul(BUDGET_FACTOR)
        .saturating_add(BUDGET_SLACK)
}

/// Objects with more members than this check repeated keys by sorting them;
/// smaller ones use a one-word filter and a scan of their members.
const SMALL_OBJECT: usize = 32;

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
    /// Its document would take more memory than the record's budget
    /// ([`budget_of`]): a record built to be costly (`[1,1,1,…]`, `[{},{},…]`).
    OverBudget { budget: usize },
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
            ParseError::OverBudget { budget } => write!(
                f,
                "the record's values would take more than {budget} bytes of memory to check \
                 ({BUDGET_FACTOR} times its length and 1 MiB)"
            ),
        }
    }
}

/// A parsed record: its document, and what it cost.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub doc: Doc<'a>,
    /// Values in the document (each scalar, array and object, keys not counted).
    pub nodes: usize,
    /// Bytes of the budget the document took.
    pub charged: usize,
}

/// Parses `bytes` as exactly one JSON value, rejecting duplicate keys.
/// What the document does not borrow from `bytes` is allocated in `arena`.
pub fn parse<'a>(bytes: &'a [u8], arena: &'a Bump) -> Result<Doc<'a>, ParseError> {
    parse_within(bytes, arena, budget_of(bytes.len())).map(|parsed| parsed.doc)
}

/// [`parse`], refusing a document that would take more than `budget` bytes
/// of the arena (counted as reserved: every array and member list, every
/// string with escapes, the key sets of large objects).
pub fn parse_within<'a>(
    bytes: &'a [u8],
    arena: &'a Bump,
    budget: usize,
) -> Result<Parsed<'a>, ParseError> {
    let ctx = Ctx {
        duplicate: RefCell::new(None),
        remaining: Cell::new(budget),
        nodes: Cell::new(0),
        over: Cell::new(false),
    };
    let seed = Seed {
        ctx: &ctx,
        arena,
        depth: 0,
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
    let syntax = |error: &serde_json::Error| ParseError::Syntax {
        message: message_of(error),
        line: error.line() as u64,
        column: error.column() as u64,
    };
    match result {
        Ok(doc) => Ok(Parsed {
            doc,
            nodes: ctx.nodes.get(),
            charged: budget - ctx.remaining.get(),
        }),
        Err(_) if ctx.over.get() => Err(ParseError::OverBudget { budget }),
        Err(error) => match ctx.duplicate.into_inner() {
            // The parse stops at a repeated key: the rest must be JSON too for
            // the record to be an invalid event rather than malformed text.
            // Checked by a visitor that decodes every string (skipping one
            // with `IgnoredAny` does not check its escapes: a lone surrogate
            // `\ud800` would pass) and keeps nothing.
            Some(mut path) => {
                let mut de = serde_json::Deserializer::from_str(text);
                match Check.deserialize(&mut de).and_then(|()| de.end()) {
                    Ok(()) => {
                        path.reverse();
                        Err(ParseError::DuplicateKey {
                            pointer: pointer(&path),
                        })
                    }
                    Err(error) => Err(syntax(&error)),
                }
            }
            None => Err(syntax(&error)),
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

/// What one parse shares between its seeds.
struct Ctx {
    /// On a duplicate key, the path to it (innermost first).
    duplicate: RefCell<Option<Vec<String>>>,
    /// Bytes of the budget left.
    remaining: Cell<usize>,
    nodes: Cell<usize>,
    /// The budget ran out: the error is that, whatever serde_json says.
    over: Cell<bool>,
}

/// Builds a [`Doc`] in `arena`.
#[derive(Clone, Copy)]
struct Seed<'s, 'a> {
    ctx: &'s Ctx,
    arena: &'a Bump,
    /// Nesting depth (0: the record itself).
    depth: u32,
}

impl Seed<'_, '_> {
    fn push(&self, segment: impl FnOnce() -> String) {
        if let Some(path) = self.ctx.duplicate.borrow_mut().as_mut() {
            path.push(segment());
        }
    }

    /// Takes `bytes` from the budget, or fails.
    #[inline]
    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let remaining = self.ctx.remaining.get();
        if bytes > remaining {
            self.ctx.over.set(true);
            return Err(E::custom("over the memory budget"));
        }
        self.ctx.remaining.set(remaining - bytes);
        Ok(())
    }

    /// The error of a repeated `key`, its path started.
    fn duplicate<E: de::Error>(&self, key: &str) -> E {
        *self.ctx.duplicate.borrow_mut() = Some(vec![key.to_owned()]);
        E::custom("duplicate key")
    }

    #[inline]
    fn node(&self) {
        self.ctx.nodes.set(self.ctx.nodes.get() + 1);
    }

    /// Makes room for one more item in `items`, charging what is reserved.
    /// Capacity grows from `first` by doubling; every reservation is charged
    /// whole, since an arena does not give back the buffers a vector leaves.
    #[inline]
    fn room<T, E: de::Error>(&self, items: &mut BumpVec<'_, T>, first: usize) -> Result<(), E> {
        if items.len() == items.capacity() {
            let more = items.capacity().max(first);
            self.charge((items.capacity() + more) * std::mem::size_of::<T>())?;
            items.reserve_exact(more);
        }
        Ok(())
    }

    fn with_depth(self) -> Self {
        Seed {
            depth: self.depth + 1,
            ..self
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
        self.node();
        Ok(Doc::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Number::from_f64(v).map_or(Doc::Null, Doc::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::String(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Doc<'de>, E> {
        self.node();
        self.charge(v.len())?;
        Ok(Doc::String(self.arena.alloc_str(v)))
    }

    fn visit_none<E>(self) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Null)
    }

    fn visit_unit<E>(self) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc<'de>, A::Error> {
        self.node();
        let inner = self.with_depth();
        let mut items = BumpVec::new_in(self.arena);
        loop {
            match seq.next_element_seed(inner) {
                Ok(Some(item)) => {
                    self.room(&mut items, 4)?;
                    items.push(item);
                }
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
        self.node();
        let inner = self.with_depth();
        // An event has a few dozen members: room for them all at once; a
        // nested object starts small (`[{}, {}, …]` must not cost much).
        let first = if self.depth == 0 { SMALL_OBJECT } else { 4 };
        let mut members = BumpVec::new_in(self.arena);
        // A one-word filter of the keys seen: a key whose bit is not set yet
        // cannot be a repeat, so the members are scanned only on a collision.
        // Past `SMALL_OBJECT` members, keys are not checked one by one (a
        // scan per collision would be quadratic): the object's keys are
        // sorted once it ends, and a repeat is two equal neighbours. Sorting
        // is O(n log n) whatever the keys, and takes a `&str` per key, freed at once.
        let mut seen = 0u64;
        while let Some(key) = access.next_key_seed(Key(self))? {
            if members.len() < SMALL_OBJECT {
                let bit = key_bit(key);
                if seen & bit != 0 && members.iter().any(|(k, _)| *k == key) {
                    return Err(self.duplicate(key));
                }
                seen |= bit;
            }
            match access.next_value_seed(inner) {
                Ok(value) => {
                    self.room(&mut members, first)?;
                    members.push((key, value));
                }
                Err(error) => {
                    self.push(|| key.to_owned());
                    return Err(error);
                }
            }
        }
        if members.len() > SMALL_OBJECT {
            self.charge(members.len() * std::mem::size_of::<&str>())?;
            let mut keys: Vec<&str> = members.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            if let Some(pair) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
                return Err(self.duplicate(pair[0]));
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
struct Key<'s, 'a>(Seed<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Key<'_, 'de> {
    type Value = &'de str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'de str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, 'de> {
    type Value = &'de str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<&'de str, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<&'de str, E> {
        self.0.charge(v.len())?;
        Ok(self.0.arena.alloc_str(v))
    }
}

/// Checks that a text is JSON, keeping nothing (every string decoded, so
/// its escapes are checked).
#[derive(Clone, Copy)]
struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        while access.next_key_seed(Check)?.is_some() {
            access.next_value_seed(Check)?;
        }
        Ok(())
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
    fn many_keys_and_repeats_after_the_small_filter() {
        let keys: Vec<String> = (0..1000).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}}}", keys.join(","));
        assert_eq!(
            parsed(text.as_bytes()).unwrap().as_object().unwrap().len(),
            1000
        );
        let text = format!("{{\"a\": {{{}, \"k7\": 0}}}}", keys.join(","));
        assert_eq!(
            parsed(text.as_bytes()),
            Err(ParseError::DuplicateKey {
                pointer: "/a/k7".into()
            })
        );
    }

    #[test]
    fn a_costly_document_is_refused_within_its_budget() {
        let items = vec!["{}"; 100_000].join(",");
        let text = format!("[{items}]");
        let arena = Bump::new();
        let parsed = parse_within(text.as_bytes(), &arena, 40 * text.len()).unwrap();
        assert_eq!(parsed.nodes, 100_001);
        assert!(parsed.charged <= 40 * text.len());
        let arena = Bump::new();
        let budget = text.len();
        assert_eq!(
            parse_within(text.as_bytes(), &arena, budget).unwrap_err(),
            ParseError::OverBudget { budget }
        );
        assert!(arena.allocated_bytes() <= 2 * budget + 64 * 1024);
        // An escaped string is charged too.
        let text = format!("\"{}\"", "\\n".repeat(1000));
        assert!(parse_within(text.as_bytes(), &Bump::new(), 500).is_err());
        assert!(parse_within(text.as_bytes(), &Bump::new(), 5000).is_ok());
    }

    #[test]
    fn equal_keys_in_different_objects_are_fine() {
        assert_eq!(
            parsed(br#"{"a": {"a": 1}}"#).unwrap(),
            json!({"a": {"a": 1}})
        );
    }
}
