//! A lower bound for any validator that parses with serde_json: tokenize
//! each event, look every key up among the documented fields, keep the
//! scalar values borrowed, and check nothing. One thread.
//!
//! `cargo run --release -p aperture-events-validator --example fused_bound -- FILE.ndjson`
//!
//! The benchmark's 5× goal leaves a validator's workers about 0.53 µs of CPU
//! per event on two cores (see `validator/README.md`); this prints what is
//! gone before the first check is made.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;
use std::time::Instant;

use aperture_events_validator::SchemaSet;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use strset::StrSet;

/// The validator's table of documented names (internal to the library):
/// compiled in here, so that the bound looks names up as the validator does.
#[path = "../src/strset.rs"]
#[allow(dead_code)]
mod strset;

/// A value as a checker would see it: scalars borrowed, containers skipped.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)]
enum Token<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(&'a str),
    Other,
}

struct Value;

impl<'de> DeserializeSeed<'de> for Value {
    type Value = Token<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Token<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Value {
    type Value = Token<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Token<'de>, E> {
        Ok(Token::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Token<'de>, E> {
        Ok(Token::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Token<'de>, E> {
        Ok(Token::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Token<'de>, E> {
        Ok(Token::Signed(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Token<'de>, E> {
        Ok(Token::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Token<'de>, E> {
        Ok(Token::Str(v))
    }
    fn visit_str<E>(self, _: &str) -> Result<Token<'de>, E> {
        Ok(Token::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Token<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Token::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Token<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Token::Other)
    }
}

/// The event object: each key looked up, each documented field's value kept in its slot.
struct Event<'s>(&'s StrSet);

impl<'de> Visitor<'de> for Event<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut slots: Vec<Option<Token<'de>>> = vec![None; self.0.len()];
        let mut present = 0;
        while let Some(key) = map.next_key::<&str>()? {
            let value = map.next_value_seed(Value)?;
            if let Some(slot) = self.0.position(key).and_then(|i| slots.get_mut(i)) {
                if slot.replace(value).is_some() {
                    return Err(de::Error::custom("duplicate key"));
                }
                present += 1;
            }
        }
        Ok(present)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: fused_bound FILE.ndjson")?;
    let data = std::fs::read(&path)?;
    let lines: Vec<&[u8]> = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let set = SchemaSet::embedded()?;
    let mut names: Vec<String> = set
        .event_types()
        .iter()
        .filter_map(|&(_, doc)| set.documents()[doc].value.get("properties")?.as_object())
        .flat_map(|properties| properties.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    let fields = StrSet::new(names);
    for _ in 0..3 {
        let start = Instant::now();
        let mut events = 0u64;
        for line in &lines {
            let Ok(text) = std::str::from_utf8(line) else {
                continue;
            };
            let mut de = serde_json::Deserializer::from_str(text);
            if de.deserialize_map(Event(&fields)).is_ok() && de.end().is_ok() {
                events += 1;
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{events} events, {:.0} events/s, {:.3} µs per event",
            lines.len() as f64 / seconds,
            seconds * 1e6 / lines.len() as f64
        );
    }
    Ok(())
}
