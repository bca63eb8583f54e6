//! The input: an event's members, borrowed from its text.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::check::type_of;
use crate::plan::{Kind, Target};
use crate::uid;

use super::escape::*;
use super::slots::*;

/// the text when they hold no escape; arrays and objects (rare in events)
/// are `Value`s.
#[derive(Debug)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Json(Value),
}

impl Val<'_> {
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn is_str(&self) -> bool {
        matches!(self, Val::Str(_))
    }

    pub(super) fn view(&self) -> View<'_> {
        match self {
            Val::Null => View::Null,
            Val::Bool(b) => View::Bool(*b),
            Val::Num(n) => View::Num(n.clone()),
            Val::Str(s) => View::Str(s),
            Val::Json(v) => View::of(v),
        }
    }

    /// As `check::type_of`.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(n) => type_of(&Value::Number(n.clone())),
            Val::Str(_) => "string",
            Val::Json(v) => type_of(v),
        }
    }

    /// As `convert::fits`.
    pub(super) fn fits(&self, target: &Target) -> bool {
        match (target.kind, self) {
            (Kind::Json, _) => true,
            (Kind::String, Val::Str(s)) => {
                target
                    .pattern
                    .as_ref()
                    .is_none_or(|p| p.is_match(s.as_bytes()))
                    && target.max_len.is_none_or(|m| s.chars().count() <= m)
            }
            (Kind::Integer, Val::Num(n)) => {
                n.is_i64() && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
            }
            (Kind::Long, Val::Num(n)) => n.is_i64(),
            (Kind::Boolean, Val::Bool(_)) => true,
            (Kind::Float, Val::Num(_)) => true,
            _ => false,
        }
    }

    /// As `convert::integral`.
    pub(super) fn integral(&self) -> Option<i64> {
        match self {
            Val::Num(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            }),
            _ => None,
        }
    }

    /// Writes the value as serde_json writes its `Value`.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        // Writing to a `Vec` cannot fail.
        let _ = match self {
            Val::Null => serde_json::to_writer(&mut *out, &()),
            Val::Bool(b) => serde_json::to_writer(&mut *out, b),
            Val::Num(n) => serde_json::to_writer(&mut *out, n),
            Val::Str(s) => {
                write_parsed(out, s);
                Ok(())
            }
            Val::Json(v) => serde_json::to_writer(&mut *out, v),
        };
    }

    /// Writes the value's canonical text (`uid::canonical`).
    pub(super) fn canonical(&self, out: &mut Vec<u8>) {
        match self {
            Val::Json(v) => uid::canonical(v, out),
            other => other.write(out),
        }
    }
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValVisitor)
    }
}

/// The calls serde_json's `Value` visitor takes, giving the same values.
pub(super) struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Val<'de>, E> {
        Ok(Val::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Val<'de>, E> {
        Ok(Val::Num(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Val<'de>, E> {
        Ok(Val::Num(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Val<'de>, E> {
        Ok(Number::from_f64(v).map_or(Val::Null, Val::Num))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Val<'de>, E> {
        Ok(Val::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Null)
    }

    fn visit_none<E>(self) -> Result<Val<'de>, E> {
        Ok(Val::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Val<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Val::Json)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Val<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Val::Json)
    }
}

/// A member name, borrowed when it holds no escape.
pub(super) struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// A top-level object's members, in the order of the text, read into the
/// (empty) vector it holds.
pub(super) struct Fields<'a>(pub(super) Vec<(Cow<'a, str>, Val<'a>)>);

impl<'de> DeserializeSeed<'de> for Fields<'de> {
    type Value = Vec<(Cow<'de, str>, Val<'de>)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'de> {
    type Value = Vec<(Cow<'de, str>, Val<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = self.0;
        while let Some(Name(name)) = map.next_key()? {
            fields.push((name, map.next_value()?));
        }
        Ok(fields)
    }
}

/// Writes a string as the parser gave it, as a JSON string. One borrowed
/// from the text is copied as it is: serde_json borrows a string only when
/// it holds no escape sequence, and refuses a control character in one, so
/// it holds no byte that needs an escape.
#[expect(clippy::ptr_arg, reason = "whether it is borrowed is what counts")]
pub(super) fn write_parsed(out: &mut Vec<u8>, text: &Cow<'_, str>) {
    match text {
        Cow::Borrowed(text) => {
            debug_assert!(text.bytes().all(|b| ESCAPE[usize::from(b)] == 0));
            out.push(b'"');
            out.extend_from_slice(text.as_bytes());
            out.push(b'"');
        }
        Cow::Owned(text) => write_str(out, text),
    }
}

/// An event's text, for `raw_data`, with the spans of it that need no
/// escape: the strings the parser borrowed from it (see [`write_parsed`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a> {
    pub(super) text: &'a [u8],
    /// In order, apart.
    pub(super) clean: &'a [Range<usize>],
}

impl<'a> Raw<'a> {
    /// The spans of `text` of the members' borrowed names and strings,
    /// into `clean`; `fields` in the order of the text.
    pub(super) fn spans(
        text: &[u8],
        fields: &[(Cow<'a, str>, Val<'a>)],
        clean: &mut Vec<Range<usize>>,
    ) {
        let mut end = 0;
        let mut add = |s: &str| {
            // Where the parser borrowed it from: always inside `text`, and
            // after the last, but only ever taken when it is.
            let start = s.as_ptr().addr().wrapping_sub(text.as_ptr().addr());
            let span = start..start.wrapping_add(s.len());
            if span.start >= end && span.end <= text.len() && span.start <= span.end {
                debug_assert!(s.bytes().all(|b| ESCAPE[usize::from(b)] == 0));
                end = span.end;
                clean.push(span);
            }
        };
        for (name, value) in fields {
            if let Cow::Borrowed(name) = name {
                add(name);
            }
            if let Val::Str(Cow::Borrowed(value)) = value {
                add(value);
            }
        }
    }

    /// Writes the text as a JSON string, escaped as serde_json escapes it.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        let mut at = 0;
        // Valid JSON: a byte that needs an escape gets two bytes at most
        // (a control character here is whitespace between tokens).
        out.reserve(2 * self.text.len() + 1);
        for span in self.clean {
            write_gap(out, &self.text[at..span.start]);
            out.extend_from_slice(&self.text[span.clone()]);
            at = span.end;
        }
        write_gap(out, &self.text[at..]);
        out.push(b'"');
    }
}

/// Escapes what lies between two borrowed strings of an event's text:
/// mostly a few bytes, such as `":"` or `,"`, a byte at a time.
fn write_gap(out: &mut Vec<u8>, gap: &[u8]) {
    if gap.len() > 16 {
        return write_str_body(out, gap);
    }
    for &b in gap {
        if ESCAPE[usize::from(b)] == 0 {
            out.push(b);
        } else {
            escape(out, b);
        }
    }
}

thread_local! {
    /// The vectors of the thread's last event, empty: their allocations
    /// serve the next one.
    pub(super) static SPARE_FIELDS: RefCell<Vec<(Cow<'static, str>, Val<'static>)>> =
        const { RefCell::new(Vec::new()) };
    pub(super) static SPARE_SPANS: RefCell<Vec<Range<usize>>> = const { RefCell::new(Vec::new()) };
    pub(super) static SPARE_SLOTS: RefCell<Vec<Out<'static>>> = const { RefCell::new(Vec::new()) };
}

/// An empty vector of the same element type with another lifetime, in the
/// same allocation (`collect` reuses it in place); a large one is dropped.
pub(super) fn respan<T, U>(mut items: Vec<T>) -> Vec<U> {
    items.clear();
    if items.capacity() > 4096 {
        return Vec::new();
    }
    items.into_iter().filter_map(|_| None).collect()
}

/// An event's members sorted by name, one of each name.
pub(crate) struct Event<'a>(pub(super) &'a [(Cow<'a, str>, Val<'a>)]);

impl<'a> Event<'a> {
    pub(super) fn get(&self, name: &str) -> Option<&'a Val<'a>> {
        let i = self
            .0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()?;
        Some(&self.0[i].1)
    }

    /// `uid::content_hash` of the event as a `Value`, in hex digits.
    pub(super) fn content_hash(&self) -> [u8; 32] {
        thread_local! {
            /// The canonical text, one buffer per thread.
            static TEXT: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(4096));
        }
        TEXT.with_borrow_mut(|text| {
            text.clear();
            text.push(b'{');
            for (i, (name, value)) in self.0.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                write_parsed(text, name);
                text.push(b':');
                value.canonical(text);
            }
            text.push(b'}');
            let hash = uid::digest_hex_bytes(text);
            // A text that once was huge is not kept.
            if text.capacity() > 1 << 20 {
                *text = Vec::new();
            }
            hash
        })
    }
}
