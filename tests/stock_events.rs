//! Events drawn from the stock schemas' own value spaces (nulls, absent
//! optionals, quirk forms, unknown fields, unknown enum values, bad values of
//! every kind): the instances of the differential checks of the stock types,
//! `jsonschema` being the oracle. Used by `tests/tests/types_agreement.rs`
//! (the types deserialize exactly what the schema accepts) and by
//! `generated/tests/schemars.rs` (`schema_for!` agrees with the source
//! schema); each includes this file by path, as the types crate cannot
//! depend on the tests crate.
//!
//! The generator does not decide what is valid: it draws from a mix of good
//! and bad values for each property's schema, and the caller's oracle judges.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A property schema with its `$ref`s followed (the referenced schema's
/// keywords, under the referring schema's own).
fn resolve(files: &BTreeMap<&str, Value>, file: &str, schema: &Value) -> Value {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return schema.clone();
    };
    let (target_file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let target_file = if target_file.is_empty() {
        file
    } else {
        target_file
    };
    let target = files[target_file]
        .pointer(pointer)
        .expect("ref target")
        .clone();
    let mut merged = resolve(files, target_file, &target);
    if let (Value::Object(out), Value::Object(own)) = (&mut merged, schema) {
        for (k, v) in own {
            if k != "$ref" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    merged
}

/// Any short string, including case variants and blanks.
fn any_string() -> BoxedStrategy<Value> {
    prop_oneof![Just(String::new()), "[a-zA-Z0-9 _.@-]{1,12}"]
        .prop_map(Value::String)
        .boxed()
}

/// Values of other JSON types than the schema wants.
fn off_type() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..100).prop_map(Value::from),
        Just(json!(2.5)),
        Just(json!([])),
        Just(json!({"a": 1})),
        Just(json!(["x"])),
    ]
    .boxed()
}

/// Date-time strings in RFC 3339 (with and without fractions, any offset).
fn good_date_time() -> BoxedStrategy<Value> {
    let parts = (
        (1990u32..2031, 1u32..13, 1u32..29),
        (0u32..24, 0u32..60, 0u32..60),
        prop_oneof![Just(""), Just(".961"), Just(".5"), Just(".123456789")],
        prop_oneof![Just("Z"), Just("z"), Just("+05:30"), Just("-00:00")],
        prop_oneof![4 => Just('T'), 1 => Just('t')],
    );
    parts
        .prop_map(|((y, mo, d), (h, mi, s), frac, off, sep)| {
            Value::String(format!(
                "{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{off}"
            ))
        })
        .boxed()
}

/// Date-time strings just outside RFC 3339 (or just inside: the oracle decides).
fn bad_date_time() -> BoxedStrategy<Value> {
    let parts = (
        (1990u32..2031, 0u32..14, 0u32..33),
        (0u32..26, 0u32..61, 0u32..62),
        prop_oneof![Just(""), Just(".961"), Just("."), Just(",5")],
        prop_oneof![
            Just("Z"),
            Just(""),
            Just("+24:00"),
            Just("+05"),
            Just("UTC")
        ],
        prop_oneof![Just('T'), Just(' '), Just('_')],
    );
    let built = parts.prop_map(|((y, mo, d), (h, mi, s), frac, off, sep)| {
        Value::String(format!(
            "{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{off}"
        ))
    });
    prop_oneof![
        6 => built,
        1 => Just(json!("2017-02-30T00:00:00Z")),
        1 => Just(json!("yesterday")),
        1 => Just(json!(1_483_729_446)),
    ]
    .boxed()
}

/// Integers within the bounds, written as integers and as floats (`3.0`).
fn good_integer(min: Option<i64>, max: Option<i64>) -> BoxedStrategy<Value> {
    let lo = min.unwrap_or(-50);
    let hi = max.unwrap_or(100_000) + 1;
    prop_oneof![
        (lo..hi).prop_map(Value::from),
        (lo..hi).prop_map(|n| json!(n as f64))
    ]
    .boxed()
}

/// Numbers around and outside the bounds, fractions, and numbers as strings.
fn bad_integer(min: Option<i64>, max: Option<i64>) -> BoxedStrategy<Value> {
    let lo = min.unwrap_or(-50) - 3;
    let hi = max.unwrap_or(1000) + 4;
    prop_oneof![
        (lo..hi).prop_map(Value::from),
        (lo..hi).prop_map(|n| json!(n as f64 + 0.5)),
        (lo..hi).prop_map(|n| Value::String(n.to_string())),
    ]
    .boxed()
}

/// Good values of one (resolved) property schema: its value space, with the
/// quirk forms, known values and other strings of an open set, and null where allowed.
fn good_value(schema: &Value) -> BoxedStrategy<Value> {
    if let Some(constant) = schema.get("const") {
        return Just(constant.clone()).boxed();
    }
    let types = types(schema);
    let min = schema.get("minimum").and_then(Value::as_i64);
    let max = schema.get("maximum").and_then(Value::as_i64);
    let mut options: Vec<(u32, BoxedStrategy<Value>)> = Vec::new();
    for t in &types {
        match *t {
            "null" => options.push((1, Just(Value::Null).boxed())),
            "integer" => options.push((3, good_integer(min, max))),
            "string" if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
                options.push((4, good_date_time()));
            }
            "string" => {
                let known: Vec<Value> = schema
                    .get("x-known-values")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !known.is_empty() {
                    options.push((3, proptest::sample::select(known.clone()).boxed()));
                }
                if schema.get("x-case-insensitive") == Some(&Value::Bool(true)) && !known.is_empty()
                {
                    // Any ASCII case of a known value (`pUBLIC`): the same value to the types.
                    let recased =
                        (proptest::sample::select(known), any::<u64>()).prop_map(|(v, mask)| {
                            let text = v.as_str().unwrap_or_default();
                            Value::String(
                                text.chars()
                                    .enumerate()
                                    .map(|(i, c)| {
                                        if mask >> (i % 64) & 1 == 1 {
                                            c.to_ascii_uppercase()
                                        } else {
                                            c.to_ascii_lowercase()
                                        }
                                    })
                                    .collect(),
                            )
                        });
                    options.push((2, recased.boxed()));
                }
                options.push((2, any_string()));
                if types.contains(&"integer") {
                    options.push((
                        1,
                        (0u64..5000)
                            .prop_map(|n| Value::String(n.to_string()))
                            .boxed(),
                    ));
                }
            }
            _ => {}
        }
    }
    if options.is_empty() {
        return off_type();
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// Bad values for a property schema: other types, out of range, not a
/// date-time, another constant (some turn out valid: the oracle decides).
fn bad_value(schema: &Value) -> BoxedStrategy<Value> {
    let types = types(schema);
    let min = schema.get("minimum").and_then(Value::as_i64);
    let max = schema.get("maximum").and_then(Value::as_i64);
    let mut options: Vec<(u32, BoxedStrategy<Value>)> = vec![(2, off_type())];
    if schema.get("const").is_some() {
        options.push((1, any_string()));
    }
    if types.contains(&"integer") {
        options.push((3, bad_integer(min, max)));
    }
    if schema.get("format").and_then(Value::as_str) == Some("date-time") {
        options.push((3, bad_date_time()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// The `type` keyword as a list.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// One event: a documented type's properties (each present or not, mostly
/// good, about one event in three with a bad one), unknown extra properties,
/// and sometimes an unknown `log_type`.
pub fn event(files: &BTreeMap<&str, Value>, event_types: &[(&str, &str)]) -> BoxedStrategy<Value> {
    let mut per_type = Vec::new();
    for (_, file) in event_types {
        let schema = &files[file];
        let required: Vec<String> = schema["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let properties = schema["properties"].as_object().expect("properties");
        let bad_weight = 1;
        let good_weight = u32::try_from(properties.len() * 3).expect("few properties");
        let mut props: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, property) in properties {
            let resolved = resolve(files, file, property);
            let present = if required.contains(name) { 0.98 } else { 0.6 };
            let value = proptest::strategy::Union::new_weighted(vec![
                (good_weight, good_value(&resolved)),
                (bad_weight, bad_value(&resolved)),
            ]);
            let name = name.clone();
            props.push(
                proptest::option::weighted(present, value)
                    .prop_map(move |v| v.map(|v| (name.clone(), v)))
                    .boxed(),
            );
        }
        per_type.push(
            props
                .prop_map(|entries| {
                    entries
                        .into_iter()
                        .flatten()
                        .collect::<Map<String, Value>>()
                })
                .boxed(),
        );
    }
    let documented = proptest::strategy::Union::new(per_type);
    let extras = proptest::collection::vec(
        ("x_[a-z]{1,6}", prop_oneof![any_string(), off_type()]),
        0..3,
    );
    let log_type = prop_oneof![
        14 => Just(None),
        1 => Just(Some(json!("dlp_scan"))),
        1 => Just(Some(json!("INCIDENT"))),
    ];
    (documented, extras, log_type)
        .prop_map(|(mut map, extras, log_type)| {
            for (k, v) in extras {
                map.insert(k, v);
            }
            if let Some(log_type) = log_type {
                map.insert("log_type".into(), log_type);
            }
            Value::Object(map)
        })
        .boxed()
}
