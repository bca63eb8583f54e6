//! Instances of a derived schema: near its edges, sometimes of another type,
//! written with the spellings `serde_json::Value` would normalise.

use serde_json::{Map, Value, json};

use crate::Source;
use crate::schemas::pool;

/// Strings that exercise the derived patterns, formats and lengths.
const STRINGS: &[&str] = &[
    "",
    "a",
    "ab",
    "abc",
    "x1",
    "12",
    "123",
    "\u{1F600}",
    "\u{1F600}\u{1F600}",
    "é",
    "aa",
    "xa",
    "a b",
    "\u{0663}\u{0664}",
    "2024-02-29T12:00:00Z",
    "1998-12-31T23:59:60Z",
    "1998-12-31T23:58:60Z",
    "2024-02-29",
    "2023-02-29",
    "23:59:60Z",
    "12:00:00",
    "a@b.c",
    "a@b",
    "123e4567-e89b-12d3-a456-426614174000",
    "127.0.0.1",
    "256.0.0.1",
    "::1",
    "1::2::3",
    "https://x.y/z",
    "a b:c",
    "#frag",
    "//h/p",
    "xn--bcher-kva.ch",
    "-a.com",
    "\u{C2E4}\u{B840}.\u{D14C}\u{C2A4}\u{D2B8}",
    "\u{C2E4}@\u{C2E4}.\u{D14C}",
    "P1D",
    "PT",
    "/a~1b",
    "/a~2",
    "0/a",
    "1#",
    "{a}",
    "{a",
    "^a+$",
    "(",
    "Not Available",
];

/// `count` instance texts for `schema` (a root with its `$defs`).
pub fn instances(schema: &Value, source: &mut Source<'_>, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            let value = if source.one_in(4) {
                pool(source)
            } else {
                instance(schema, schema, source, 4)
            };
            let mut text = String::new();
            write(&value, source, &mut text);
            text
        })
        .collect()
}

fn number(source: &mut Source<'_>, schema: &Value, integer: bool) -> Value {
    // The schema's own bounds and steps, and their neighbours. Integers
    // beyond 64 bits are the hand-written corpus' business: here they would
    // drown every other finding.
    let mut candidates: Vec<f64> = vec![0.0, 1.0, -1.0, 2.5, 0.3];
    if !integer {
        candidates.push(1e308);
    }
    for keyword in [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ] {
        if let Some(b) = schema.get(keyword).and_then(Value::as_f64) {
            candidates.extend([b, b - 1.0, b + 1.0, b * 3.0, b + 0.5]);
        }
    }
    let x = *source.pick(&candidates);
    if x.fract() == 0.0 && x.abs() < 1e15 {
        // An integral value: an integer in the JSON.
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn instance(schema: &Value, root: &Value, source: &mut Source<'_>, depth: usize) -> Value {
    if depth == 0 {
        return pool(source);
    }
    let Some(map) = schema.as_object() else {
        return pool(source);
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        if target == "#" {
            return instance(root, root, source, depth - 1);
        }
        let name = target.trim_start_matches("#/$defs/");
        return match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => instance(target, root, source, depth - 1),
            None => pool(source),
        };
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if !values.is_empty() && !source.one_in(4) {
            return source.pick(values).clone();
        }
    }
    if let Some(value) = map.get("const") {
        if !source.one_in(3) {
            return value.clone();
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(parts)) = map.get(keyword) {
            if !parts.is_empty() {
                return instance(source.pick(parts), root, source, depth - 1);
            }
        }
    }
    let ty = match map.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) if !types.is_empty() => {
            source.pick(types).as_str().unwrap_or("null")
        }
        // Typeless: any kind of value.
        _ => *source.pick(&["integer", "number", "string", "array", "object", "null"]),
    };
    match ty {
        "null" => Value::Null,
        "boolean" => json!(source.below(2) == 0),
        "integer" => number(source, schema, true),
        "number" => number(source, schema, false),
        "string" => json!(source.pick(STRINGS)),
        "array" => {
            let n = source.below(4);
            let prefix = map.get("prefixItems").and_then(Value::as_array);
            let items = map.get("items").cloned().unwrap_or(json!(true));
            let mut out = Vec::new();
            for i in 0..n {
                let item = prefix.and_then(|p| p.get(i)).unwrap_or(&items);
                out.push(instance(item, root, source, depth - 1));
            }
            if map.contains_key("uniqueItems") && n > 0 && source.one_in(3) {
                out.push(out[0].clone());
            }
            Value::Array(out)
        }
        "object" => {
            let mut out = Map::new();
            if let Some(Value::Object(properties)) = map.get("properties") {
                for (name, property) in properties {
                    if !source.one_in(4) {
                        out.insert(name.clone(), instance(property, root, source, depth - 1));
                    }
                }
            }
            if source.one_in(3) {
                let name = *source.pick(&["x-y", "zz", "b", "abc"]);
                let extra = match map.get("additionalProperties") {
                    Some(extra @ Value::Object(_)) if source.below(2) == 0 => {
                        instance(extra, root, source, depth - 1)
                    }
                    _ => pool(source),
                };
                out.insert(name.to_owned(), extra);
            }
            Value::Object(out)
        }
        _ => pool(source),
    }
}

/// Writes `value` as JSON, an integral number sometimes as `1.0` or `-0`.
fn write(value: &Value, source: &mut Source<'_>, out: &mut String) {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            out.push_str(&n.to_string());
            if source.one_in(6) {
                out.push_str(".0");
            } else if n.as_i64() == Some(0) && source.one_in(4) {
                out.insert(out.len() - 1, '-');
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, source, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write(item, source, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
