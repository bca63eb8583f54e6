//! JSON equality (`const`, `enum`, `uniqueItems`) and string length
//! (`minLength`, `maxLength`), with the verdicts of the `jsonschema` crate
//! 0.61.2: numbers are equal by value (`1` equals `1.0`, `-0` equals `0`,
//! exactly, as `serde_json` stores them), objects by their members whatever
//! the order, and a length counts code points.
//!
//! Equality compares numbers with [`crate::numbers::compare`].

use crate::numbers::{Num, compare};

/// Whether `a` and `b` are the same JSON value in JSON Schema's sense.
pub fn equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => {
            compare(Num::of(a), Num::of(b)) == std::cmp::Ordering::Equal
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| equal(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| equal(a, b)))
        }
        _ => false,
    }
}

/// Whether no two of `items` are [`equal`] (`uniqueItems: true`).
pub fn all_unique(items: &[serde_json::Value]) -> bool {
    let mut seen = std::collections::HashMap::<u64, Vec<&serde_json::Value>>::new();
    for item in items {
        let bucket = seen.entry(hash_value(item)).or_default();
        if bucket.iter().any(|other| equal(item, other)) {
            return false;
        }
        bucket.push(item);
    }
    true
}

/// A hash on which [`equal`] values agree (numbers by their `f64`, `-0` as `0`).
fn hash_value(value: &serde_json::Value) -> u64 {
    use serde_json::Value;
    use std::hash::{Hash, Hasher};
    let mut state = std::collections::hash_map::DefaultHasher::new();
    match value {
        Value::Null => 0_u8.hash(&mut state),
        Value::Bool(b) => b.hash(&mut state),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            (if f == 0.0 { 0 } else { f.to_bits() }).hash(&mut state);
        }
        Value::String(s) => s.hash(&mut state),
        Value::Array(items) => items
            .iter()
            .for_each(|item| hash_value(item).hash(&mut state)),
        Value::Object(members) => {
            let mixed = members.iter().fold(0_u64, |acc, (key, member)| {
                let mut inner = std::collections::hash_map::DefaultHasher::new();
                key.hash(&mut inner);
                hash_value(member).hash(&mut inner);
                acc ^ inner.finish()
            });
            mixed.hash(&mut state);
        }
    }
    state.finish()
}

/// The length of `text` for `minLength`/`maxLength`: Unicode code points.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}
