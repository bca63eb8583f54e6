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
use serde::de::DeserializeSeed;

use crate::doc::Doc;

mod seed;

use seed::{Check, Ctx, Seed};

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
#[cfg(test)]
pub(crate) fn parse<'a>(bytes: &'a [u8], arena: &'a Bump) -> Result<Doc<'a>, ParseError> {
    parse_within(bytes, arena, budget_of(bytes.len())).map(|parsed| parsed.doc)
}

/// `parse`, refusing a document that would take more than `budget` bytes
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
