//! The agreement and lossless promises against the *validator library*, in
//! both readings, by property test over mutated events.
//!
//! `types_agreement.rs` checks `LogEvent` against `jsonschema` on the union
//! schema. This file extends it to what users run: the validator library's
//! verdict (per-type dispatch, its own date-time rule, duplicate keys refused,
//! any JSON text including hostile numbers and strings), and to the strict
//! reading. Events start from the fixtures (real and documented payloads) and
//! go through random edits drawn from the schemas' value space (known values,
//! quirk values, nulls, bounds) and from hostile JSON (`-0`, `1e308`,
//! `u64::MAX`, NUL, nested containers, a repeated key).
//!
//! Properties:
//! 1. agreement: the tolerant validator accepts (class `valid`, or
//!    `unknown_type`) exactly the texts `LogEvent` deserializes;
//! 2. lossless: an accepted text serializes back to equal JSON (numbers
//!    compared as numbers: `1.0` and `1` are the same JSON number, see
//!    [`json_eq`]), and an unknown type is kept whole as `LogEvent::Unknown`;
//! 3. strict ⊆ tolerant: the strict validator accepts only `valid` events
//!    that the tolerant one accepts too, with only documented fields;
//! 4. classes: a text is `malformed` exactly when it is not JSON or not an
//!    object, and a report's classes add up to the records observed.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use aperture_events::LogEvent;
use aperture_events_schema::embedded::EVENT_TYPES;
use aperture_events_tests::{all_json, schema_values};
use aperture_events_validator::{Class, Options, Place, Reading, Tally, Validator};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

static TOLERANT: LazyLock<Validator> = LazyLock::new(|| validator(Reading::Tolerant));
static STRICT: LazyLock<Validator> = LazyLock::new(|| validator(Reading::Strict));

fn validator(reading: Reading) -> Validator {
    Validator::embedded(Options {
        reading,
        show_values: false,
    })
    .expect("embedded schemas compile")
}

/// The documented properties of each event type, and the known values of every property.
struct Space {
    properties: BTreeMap<String, Vec<String>>,
    known: BTreeMap<String, Vec<Value>>,
}

static SPACE: LazyLock<Space> = LazyLock::new(|| {
    let files = schema_values(Reading::Tolerant);
    let mut properties = BTreeMap::new();
    let mut known: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (log_type, file) in EVENT_TYPES {
        let props = files[file]["properties"].as_object().expect("properties");
        properties.insert(
            (*log_type).to_owned(),
            props.keys().cloned().collect::<Vec<_>>(),
        );
        for (name, schema) in props {
            let values = known.entry(name.clone()).or_default();
            collect_known(&files, file, schema, values);
        }
    }
    Space { properties, known }
});

/// The `x-known-values`, `const`s and bounds reachable from `schema` (following `$ref`s).
fn collect_known(files: &BTreeMap<&str, Value>, file: &str, schema: &Value, out: &mut Vec<Value>) {
    if let Some(values) = schema.get("x-known-values").and_then(Value::as_array) {
        out.extend(values.iter().cloned());
    }
    for key in ["const", "minimum", "maximum"] {
        if let Some(v) = schema.get(key) {
            out.push(v.clone());
        }
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let (target, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target.is_empty() { file } else { target };
        if let Some(next) = files.get(target).and_then(|f| f.pointer(pointer)) {
            collect_known(files, target, next, out);
        }
    }
}

/// The starting events: every fixture that is a JSON object.
static BASES: LazyLock<Vec<Map<String, Value>>> = LazyLock::new(|| {
    ["valid", "invalid", "unknown_type"]
        .iter()
        .flat_map(|kind| all_json(kind))
        .filter_map(|(_, v)| match v {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .collect()
});

/// Values any field may be given: JSON's corners and the schemas' favourite forms.
fn hostile_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..8).prop_map(Value::from),
        (-2i64..8).prop_map(|n| json!(n as f64)),
        Just(json!(-0.0)),
        Just(json!(5.5)),
        Just(json!(1e308)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!("")),
        Just(json!("\u{0}")),
        Just(json!("é\u{1F600}")),
        Just(json!("2017-08-14T23:20:57Z")),
        Just(json!("2017-08-14T23:20:57.123+05:30")),
        Just(json!("2017-02-30T00:00:00Z")),
        Just(json!("2017-08-14 23:20:57Z")),
        Just(json!("1335")),
        Just(json!([])),
        Just(json!(["x", null])),
        Just(json!({})),
        Just(json!({"log_type": "incident", "a": [1, {"b": null}]})),
        "[a-zA-Z_]{1,8}".prop_map(Value::String),
    ]
    .boxed()
}

/// One edit of an event.
#[derive(Debug, Clone)]
enum Edit {
    /// Sets the n-th documented field (of the event's type) to a known value.
    Known(usize, usize),
    /// Sets the n-th documented field to any value.
    Set(usize, Value),
    /// Removes the n-th field present.
    Remove(usize),
    /// Adds an undocumented field.
    Extra(String, Value),
    /// Replaces `log_type`.
    LogType(Value),
}

fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(f, v)| Edit::Known(f, v)),
        3 => (any::<usize>(), hostile_value()).prop_map(|(f, v)| Edit::Set(f, v)),
        2 => any::<usize>().prop_map(Edit::Remove),
        1 => ("x_[a-z]{1,5}", hostile_value()).prop_map(|(k, v)| Edit::Extra(k, v)),
        1 => prop_oneof![
            proptest::sample::select(EVENT_TYPES.iter().map(|(t, _)| json!(t)).collect::<Vec<_>>()),
            Just(json!("dlp_scan")),
            Just(json!("Incident")),
            Just(json!(3)),
            Just(Value::Null),
        ]
        .prop_map(Edit::LogType),
    ]
    .boxed()
}

fn apply(event: &mut Map<String, Value>, edit: &Edit) {
    let log_type = event
        .get("log_type")
        .and_then(Value::as_str)
        .unwrap_or("incident");
    let documented = SPACE
        .properties
        .get(log_type)
        .or_else(|| SPACE.properties.get("incident"));
    let field = |n: usize| documented.map(|d| d[n % d.len()].clone());
    match edit {
        Edit::Known(f, v) => {
            if let Some(name) = field(*f) {
                if let Some(values) = SPACE.known.get(&name).filter(|v| !v.is_empty()) {
                    event.insert(name, values[v % values.len()].clone());
                }
            }
        }
        Edit::Set(f, value) => {
            if let Some(name) = field(*f) {
                event.insert(name, value.clone());
            }
        }
        Edit::Remove(n) => {
            if !event.is_empty() {
                let key = event.keys().nth(n % event.len()).cloned().expect("a key");
                event.remove(&key);
            }
        }
        Edit::Extra(key, value) => {
            event.insert(key.clone(), value.clone());
        }
        Edit::LogType(value) => {
            event.insert("log_type".to_owned(), value.clone());
        }
    }
}

/// How the event is written out.
#[derive(Debug, Clone, Copy)]
enum Form {
    Compact,
    Pretty,
    /// With its first key repeated at the end.
    DuplicateKey,
}

/// A JSON text: a fixture, edited, written in some form.
fn record() -> BoxedStrategy<String> {
    let form = prop_oneof![
        6 => Just(Form::Compact),
        2 => Just(Form::Pretty),
        1 => Just(Form::DuplicateKey),
    ];
    (
        0..BASES.len(),
        proptest::collection::vec(edit(), 0..5),
        form,
    )
        .prop_map(|(base, edits, form)| {
            let mut event = BASES[base].clone();
            for edit in &edits {
                apply(&mut event, edit);
            }
            let compact = serde_json::to_string(&event).expect("serialize");
            match form {
                Form::Compact => compact,
                Form::Pretty => serde_json::to_string_pretty(&event).expect("serialize"),
                Form::DuplicateKey => match event.iter().next() {
                    Some((key, value)) if compact.len() > 2 => format!(
                        "{},{}:{}}}",
                        &compact[..compact.len() - 1],
                        serde_json::to_string(key).expect("key"),
                        value
                    ),
                    _ => compact,
                },
            }
        })
        .boxed()
}

/// JSON equality with numbers compared by value, as JSON Schema's `const`
/// and `enum` compare them (`1.0` equals `1`; `-0` equals `0`).
///
/// # Design
/// The generated types keep an integer field's value, not its spelling: the
/// vendor's `"severity": 1.0` comes back as `1`. That is the same JSON number,
/// and every consumer's parser reads the same value, so it counts as lossless.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(i), Some(j), _, _) => i == j,
                (_, _, Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64() && (x.is_f64() || y.is_f64()),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Promises 1 and 2 against the validator library, and the strict reading inside the tolerant one.
    #[test]
    fn the_validator_and_the_types_agree_and_round_trips_are_lossless(text in record()) {
        let tolerant = TOLERANT.classify(text.as_bytes());
        let strict = STRICT.classify(text.as_bytes());
        let typed = serde_json::from_str::<LogEvent>(&text);
        let accepted = tolerant.class.is_accepted(Reading::Tolerant);
        prop_assert_eq!(
            typed.is_ok(), accepted,
            "agreement: LogEvent {:?}, validator {:?} {:?}, on {}",
            typed.as_ref().err().map(ToString::to_string), tolerant.class, tolerant.problems, text
        );
        if let Ok(event) = &typed {
            let input: Value = serde_json::from_str(&text).expect("accepted text is JSON");
            let output = serde_json::to_value(event).expect("serialize");
            prop_assert!(json_eq(&output, &input), "not lossless:\n in  {}\n out {}", input, output);
            let unknown = tolerant.class == Class::UnknownType;
            prop_assert_eq!(matches!(event, LogEvent::Unknown(_)), unknown, "{}", text);
        }
        if strict.class.is_accepted(Reading::Strict) {
            prop_assert_eq!(strict.class, Class::Valid);
            prop_assert_eq!(tolerant.class, Class::Valid, "strict accepts what tolerant rejects: {}", text);
            let input: Value = serde_json::from_str(&text).expect("JSON");
            let log_type = input["log_type"].as_str().expect("a valid event has a log_type");
            let documented = &SPACE.properties[log_type];
            for key in input.as_object().expect("object").keys() {
                prop_assert!(documented.contains(key), "strict accepts undocumented `{}`", key);
            }
        }
        // The reading does not change what is JSON, nor what type an event claims.
        prop_assert_eq!(strict.class == Class::Malformed, tolerant.class == Class::Malformed);
        prop_assert_eq!(&strict.log_type, &tolerant.log_type);
    }

    /// Property 4: the malformed class is exactly "not a JSON object", and a
    /// report counts every record once, in one class, whatever the mix.
    #[test]
    fn classes_partition_the_records(records in proptest::collection::vec(
        prop_oneof![
            6 => record(),
            1 => "[\\[\\]{}\":,a-z0-9 .e+-]{0,24}",
            1 => Just("\u{feff}{}".to_owned()),
            1 => Just("{\"log_type\": \"incident\", \"severity\": 1e400}".to_owned()),
        ],
        1..24,
    )) {
        for validator in [&*TOLERANT, &*STRICT] {
            let reading = validator.options().reading;
            let mut tally = Tally::new(reading);
            for (line, text) in records.iter().enumerate() {
                let place = Place::new("generated", aperture_events_validator::Locus::at_line(line as u64 + 1));
                let verdict = tally.observe(validator, place, text.as_bytes());
                let object = matches!(serde_json::from_str::<Value>(text), Ok(Value::Object(_)));
                prop_assert_eq!(verdict.class == Class::Malformed, !object, "{:?}: {}", verdict.class, text);
                if !verdict.class.is_accepted(reading) {
                    prop_assert!(!verdict.problems.is_empty(), "rejected without a problem: {}", text);
                }
            }
            let report = tally.finish(validator);
            let s = &report.summary;
            prop_assert_eq!(s.total, records.len() as u64);
            prop_assert_eq!(s.valid + s.invalid + s.malformed + s.unknown_type, s.total);
            let typed: u64 = s.by_log_type.values().map(|c| c.total).sum();
            prop_assert!(typed <= s.total - s.malformed);
        }
    }
}

#[test]
fn json_eq_compares_numbers_by_value() {
    assert!(json_eq(&json!({"a": [1.0]}), &json!({"a": [1]})));
    assert!(json_eq(&json!(-0.0), &json!(0)));
    assert!(!json_eq(&json!(1.5), &json!(1)));
    assert!(!json_eq(&json!(u64::MAX), &json!(-1)));
    assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": 1})));
    assert!(!json_eq(&json!("1"), &json!(1)));
}

/// The generated records reach every verdict the properties speak of, so the
/// properties above are not vacuous.
#[test]
fn generated_records_reach_every_class() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = record();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let text = strategy.new_tree(&mut runner).expect("a record").current();
        let tolerant = TOLERANT.classify(text.as_bytes()).class;
        let strict = STRICT.classify(text.as_bytes()).class;
        seen.insert(format!("tolerant {}", tolerant.name()));
        if tolerant == Class::Valid && strict != Class::Valid {
            seen.insert("quirk form".to_owned());
        }
        if tolerant == Class::Invalid && text.matches("\"log_type\"").count() < 2 {
            seen.insert("invalid without a repeated key".to_owned());
        }
    }
    for expected in [
        "tolerant valid",
        "tolerant invalid",
        "tolerant unknown_type",
        "quirk form",
        "invalid without a repeated key",
    ] {
        assert!(
            seen.contains(expected),
            "never generated: {expected} ({seen:?})"
        );
    }
}
