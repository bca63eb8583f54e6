//! Hostile input against the libraries: the validator's classifier, the
//! generated `LogEvent`, and the code generator. Each must answer with an
//! error that says what is wrong, never panic, never overflow the stack, and
//! agree with the others. (The binary, with files, memory and exit codes, is
//! tested in `validator/tests/hostile.rs`.)
//!
//! Crashes or disagreements the fuzz targets (`tests/fuzz/`) find are added
//! here as regression cases, each with a comment naming what it found.

use std::sync::LazyLock;

use aperture_events::LogEvent;
use aperture_events_codegen::{Config, DateTimeMapping, SchemaSource};
use aperture_events_schema::embedded::SCHEMA_FILES;
use aperture_events_validator::{Class, Options, Reading, Validator};
use serde_json::Value;

static TOLERANT: LazyLock<Validator> = LazyLock::new(|| compile(Reading::Tolerant));
static STRICT: LazyLock<Validator> = LazyLock::new(|| compile(Reading::Strict));

fn compile(reading: Reading) -> Validator {
    Validator::embedded(Options {
        reading,
        show_values: false,
    })
    .expect("embedded schemas compile")
}

/// The validator of `reading`, compiled once.
fn validator(reading: Reading) -> &'static Validator {
    match reading {
        Reading::Tolerant => &TOLERANT,
        Reading::Strict => &STRICT,
    }
}

const EVENT_HEAD: &str =
    r#"{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x""#;

/// An incident whose extra field `field` holds `raw` (JSON text, or not).
fn incident_with(field: &str, raw: &str) -> Vec<u8> {
    format!(r#"{EVENT_HEAD}, "{field}": {raw}}}"#).into_bytes()
}

/// The verdicts on `bytes`: tolerant class, strict class, and whether `LogEvent` accepts it.
fn verdicts(bytes: &[u8]) -> (Class, Class, Result<LogEvent, String>) {
    let tolerant = validator(Reading::Tolerant).classify(bytes);
    let strict = validator(Reading::Strict).classify(bytes);
    let typed = serde_json::from_slice::<LogEvent>(bytes).map_err(|e| e.to_string());
    assert_eq!(
        typed.is_ok(),
        tolerant.class.is_accepted(Reading::Tolerant),
        "agreement on {:?}: LogEvent {:?}, validator {:?} {:?}",
        String::from_utf8_lossy(bytes),
        typed.as_ref().err(),
        tolerant.class,
        tolerant.problems
    );
    if !tolerant.class.is_accepted(Reading::Tolerant) {
        assert!(!tolerant.problems.is_empty(), "a rejection says why");
    }
    (tolerant.class, strict.class, typed)
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    for text in [
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        format!("{}{}", r#"{"a":"#.repeat(depth), "}".repeat(depth)),
        String::from_utf8(incident_with(
            "extra",
            &format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ))
        .expect("utf-8"),
        // Unclosed: the input ends 100,000 levels down.
        "[".repeat(depth),
    ] {
        let (class, _, _) = verdicts(text.as_bytes());
        assert_eq!(class, Class::Malformed);
        let problems = validator(Reading::Tolerant)
            .classify(text.as_bytes())
            .problems;
        assert!(
            problems[0].message.contains("recursion limit") || problems[0].message.contains("EOF"),
            "{problems:?}"
        );
    }
    // Nesting that serde_json's limit (128) allows is an ordinary value.
    let nested = incident_with("extra", &format!("{}1{}", "[".repeat(100), "]".repeat(100)));
    let (class, strict, typed) = verdicts(&nested);
    assert_eq!((class, strict), (Class::Valid, Class::Invalid));
    let back = serde_json::to_value(typed.expect("accepted")).expect("serialize");
    assert_eq!(
        back,
        serde_json::from_slice::<Value>(&nested).expect("json")
    );
}

#[test]
fn numbers_at_the_edges_of_json() {
    // 1e400 does not fit an f64: serde_json refuses it, so it is not JSON we can hold.
    let (class, _, _) = verdicts(&incident_with("severity", "1e400"));
    assert_eq!(class, Class::Malformed);
    let message = &validator(Reading::Tolerant)
        .classify(&incident_with("severity", "1e400"))
        .problems[0]
        .message;
    assert!(message.contains("number out of range"), "{message}");
    // -0, -0.0, 5e0 and 1e-400 (0) are integers 0..5 in JSON Schema's sense.
    for raw in ["-0", "-0.0", "5e0", "1e-400", "0.0", "1.0"] {
        let (class, strict, typed) = verdicts(&incident_with("severity", raw));
        assert_eq!(
            (class, strict),
            (Class::Valid, Class::Valid),
            "severity {raw}"
        );
        let LogEvent::Incident(incident) = typed.expect("accepted") else {
            panic!("an incident");
        };
        let expected = raw.parse::<f64>().expect("a number");
        let got = incident.severity.map(|s| f64::from(s.get()));
        assert_eq!(got, Some(expected), "severity {raw}");
    }
    for raw in [
        "5.5",
        "6",
        "-1",
        "1e308",
        "18446744073709551616",
        "-9223372036854775809",
    ] {
        let (class, _, _) = verdicts(&incident_with("severity", raw));
        assert_eq!(class, Class::Invalid, "severity {raw}");
    }
    // Unknown fields keep huge and tiny numbers as JSON does.
    for raw in [
        "1e308",
        "-1.7976931348623157e308",
        "5e-324",
        "18446744073709551615",
        "-9223372036854775808",
    ] {
        let text = incident_with("x_number", raw);
        let (class, _, typed) = verdicts(&text);
        assert_eq!(class, Class::Valid, "{raw}");
        let back = serde_json::to_value(typed.expect("accepted")).expect("serialize");
        assert_eq!(
            back,
            serde_json::from_slice::<Value>(&text).expect("json"),
            "{raw}"
        );
    }
}

#[test]
fn duplicate_keys_are_refused_by_both() {
    for text in [
        format!(r#"{EVENT_HEAD}, "serial": "a", "serial": null}}"#),
        format!(r#"{EVENT_HEAD}, "log_type": "incident"}}"#),
        format!(r#"{EVENT_HEAD}, "x_extra": 1, "x_extra": 1}}"#),
        r#"{"log_type": "dlp_scan", "a": 1, "a": 2}"#.to_owned(),
    ] {
        let (class, strict, _) = verdicts(text.as_bytes());
        assert_eq!((class, strict), (Class::Invalid, Class::Invalid), "{text}");
    }
}

#[test]
fn bytes_that_are_not_json_text() {
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   \n\t ".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        [&b"\xEF\xBB\xBF"[..], EVENT_HEAD.as_bytes(), b"}"].concat(),
        b"\0".to_vec(),
        incident_with("item_name", "\"a\0b\""),
        [EVENT_HEAD.as_bytes(), b", \"item_name\": \"caf\xE9\"}"].concat(),
        [EVENT_HEAD.as_bytes(), b", \"item_name\": \"\xFF\xFE\"}"].concat(),
        incident_with("item_name", r#""\ud800""#),
        incident_with("item_name", r#""\udc00\ud800""#),
        incident_with("item_name", "NaN"),
        incident_with("item_name", "Infinity"),
        [EVENT_HEAD.as_bytes(), b"}", b"\0"].concat(),
        [EVENT_HEAD.as_bytes(), b"} {}"].concat(),
        EVENT_HEAD.as_bytes().to_vec(),
        // Found by the validate_input fuzz target: a repeated key, then a
        // syntax error further on. Not JSON, so malformed (it was `invalid`,
        // the parser stopping at the repeated key).
        incident_with("x", r#"{"y": 1, "y":s 2}"#),
        [EVENT_HEAD.as_bytes(), br#", "log_type": "incident""#].concat(),
    ];
    for bytes in cases {
        let (class, strict, _) = verdicts(&bytes);
        assert_eq!(
            (class, strict),
            (Class::Malformed, Class::Malformed),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    // JSON, but not an event object.
    for text in ["null", "0", "\"incident\"", "[]", "[{}]", "true"] {
        let (class, _, _) = verdicts(text.as_bytes());
        assert_eq!(class, Class::Malformed, "{text}");
    }
    // Escaped NULs and surrogate pairs are ordinary strings.
    for raw in [r#""a\u0000b""#, r#""\ud83d\ude00""#, "\"\u{10FFFF}\""] {
        let text = incident_with("item_name", raw);
        let (class, _, typed) = verdicts(&text);
        assert_eq!(class, Class::Valid, "{raw}");
        let back = serde_json::to_value(typed.expect("accepted")).expect("serialize");
        assert_eq!(back, serde_json::from_slice::<Value>(&text).expect("json"));
    }
}

#[test]
fn odd_log_types() {
    for (raw, expected) in [
        (r#""""#, Class::UnknownType),
        (r#""incident ""#, Class::UnknownType),
        (r#""\u0000""#, Class::UnknownType),
        ("null", Class::Invalid),
        ("1", Class::Invalid),
        (r#"["incident"]"#, Class::Invalid),
        (r#"{"log_type": "incident"}"#, Class::Invalid),
    ] {
        let text = format!(r#"{{"log_type": {raw}, "timestamp": "2020-05-08T23:50:55Z"}}"#);
        let (class, strict, typed) = verdicts(text.as_bytes());
        assert_eq!(class, expected, "{raw}");
        if class == Class::UnknownType {
            assert!(matches!(typed, Ok(LogEvent::Unknown(_))));
            assert_eq!(strict, Class::UnknownType);
            assert!(!strict.is_accepted(Reading::Strict));
        }
    }
}

/// Found by the `log_event` fuzz target and the agreement property.
///
/// `item_size` and `occurrences_by_rule` were `integer, minimum 0` with no
/// maximum: JSON Schema's integers are unbounded, so the validator accepted
/// `1e20` (an integral float) while the generated `u64` could not hold it.
/// The schemas now bound both at 2^53 - 1, the largest integer every JSON
/// consumer reads exactly, and both sides agree on either side of the bound.
#[test]
fn integers_at_and_beyond_the_bound_agree() {
    for field in ["item_size", "occurrences_by_rule"] {
        for raw in ["9007199254740991", "9007199254740991.0"] {
            let (class, _, typed) = verdicts(&incident_with(field, raw));
            assert_eq!(class, Class::Valid, "{field}: {raw}");
            assert!(typed.is_ok());
        }
        for raw in [
            "9007199254740992",
            "18446744073709551615",
            "18446744073709551616",
            "19446744073709551615",
            "1e20",
            "1e308",
        ] {
            let (class, _, _) = verdicts(&incident_with(field, raw));
            assert_eq!(class, Class::Invalid, "{field}: {raw}");
        }
    }
}

/// Generates code for `sources`; panics if the code does not parse as Rust.
fn generate(sources: &[SchemaSource], mapping: DateTimeMapping) -> Result<String, String> {
    match Config::new().date_time(mapping).generate(sources) {
        Ok(output) => {
            if let Err(e) = syn::parse_file(&output.code) {
                panic!("generated code does not parse: {e}\n{}", output.code);
            }
            Ok(output.code)
        }
        Err(error) => {
            let text = error.to_string();
            assert!(!text.is_empty(), "an error without a message");
            Err(text)
        }
    }
}

/// The stock schemas with `name` replaced by `schema`.
fn with_replaced(name: &str, schema: &Value) -> Vec<SchemaSource> {
    SCHEMA_FILES
        .iter()
        .map(|f| {
            let text = if f.name == name {
                serde_json::to_string_pretty(schema).expect("json")
            } else {
                f.text.to_owned()
            };
            SchemaSource::new(f.name, text)
        })
        .collect()
}

fn stock(name: &str) -> Value {
    let file = SCHEMA_FILES
        .iter()
        .find(|f| f.name == name)
        .expect("stock file");
    serde_json::from_str(file.text).expect("json")
}

#[test]
fn the_generator_answers_any_json_with_an_error_or_parsable_code() {
    let mut cases: Vec<(String, Vec<SchemaSource>)> = Vec::new();
    for raw in [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1e308",
        "\"\"",
        "[]",
        "{}",
        "[{}]",
        r##"{"$ref": "#"}"##,
        r##"{"$id": "https://schemas.aperture-events.dev/v1/x.schema.json", "$ref": "#"}"##,
        r#"{"$ref": "https://example.com/remote.schema.json"}"#,
        r#"{"type": "object", "properties": {"": {}, "type": {}, "self": {"type": "string"}, "1a": {"type": "integer"}, "é": {"type": "null"}}}"#,
        r#"{"type": "object", "title": "", "properties": {"a-b": {"type": "string"}, "a_b": {"type": "string"}, "A B": {"type": "string"}}}"#,
        r#"{"type": "string", "x-known-values": ["a", "A", "a b", "", "*/", "\u0000"]}"#,
        r#"{"type": "integer", "minimum": 1e400}"#,
        r#"{"type": "integer", "minimum": 5, "maximum": 1}"#,
        r#"{"type": "integer", "minimum": -1e30, "maximum": 1e30}"#,
        r#"{"description": "*/ ``` #[doc = \"x\"] \u0000 \\ /*", "type": "object"}"#,
        "{\"type\": [\"string\", \"integer\", \"null\", \"object\", \"array\", \"boolean\", \"number\"]}",
        r#"{"oneOf": []}"#,
        r##"{"oneOf": [{"$ref": "#"}, {"$ref": "#"}]}"##,
        r#"{"x-strict": {"type": 7}, "x-quirk": 3}"#,
        "not json",
        "",
    ] {
        cases.push((
            format!("alone: {raw}"),
            vec![SchemaSource::new("fuzz.schema.json", raw)],
        ));
        for file in [
            "incident.schema.json",
            "common.schema.json",
            "log_event.schema.json",
        ] {
            let sources = SCHEMA_FILES
                .iter()
                .map(|f| SchemaSource::new(f.name, if f.name == file { raw } else { f.text }))
                .collect();
            cases.push((format!("{file} replaced by {raw}"), sources));
        }
    }
    // Edits of a stock schema: a property referring to itself, a $ref cycle
    // across files, a title that is a Rust keyword, a log_type const that is
    // not a string, two event types with the same log_type.
    let mut incident = stock("incident.schema.json");
    incident["properties"]["severity"] = serde_json::json!({"$ref": "#/properties/severity"});
    cases.push((
        "self ref".into(),
        with_replaced("incident.schema.json", &incident),
    ));
    let mut incident = stock("incident.schema.json");
    incident["title"] = "Self".into();
    cases.push((
        "title Self".into(),
        with_replaced("incident.schema.json", &incident),
    ));
    let mut incident = stock("incident.schema.json");
    incident["properties"]["log_type"]["const"] = serde_json::json!(3);
    cases.push((
        "const 3".into(),
        with_replaced("incident.schema.json", &incident),
    ));
    let mut incident = stock("incident.schema.json");
    incident["properties"]["log_type"]["const"] = "remediation".into();
    cases.push((
        "duplicate log_type".into(),
        with_replaced("incident.schema.json", &incident),
    ));
    let mut common = stock("common.schema.json");
    common["$defs"]["severity"] =
        serde_json::json!({"$ref": "incident.schema.json#/properties/severity"});
    cases.push((
        "cycle across files".into(),
        with_replaced("common.schema.json", &common),
    ));
    for (name, sources) in &cases {
        for mapping in [DateTimeMapping::Chrono, DateTimeMapping::String] {
            let result = std::panic::catch_unwind(|| generate(sources, mapping));
            assert!(result.is_ok(), "the generator panicked on: {name}");
        }
    }
    // Deep (but parsable: serde_json stops at 128 levels) nesting.
    let mut nested = serde_json::json!({"type": "string"});
    for _ in 0..60 {
        nested = serde_json::json!({"type": "object", "properties": {"a": nested}});
    }
    let sources = vec![SchemaSource::new("x.schema.json", nested.to_string())];
    let result = std::panic::catch_unwind(|| generate(&sources, DateTimeMapping::Chrono));
    assert!(
        result.is_ok(),
        "the generator panicked on 60 nested objects"
    );
    // The stock schemas still generate.
    generate(&SchemaSource::embedded(), DateTimeMapping::Chrono).expect("stock schemas generate");
}

/// Found by this file's generator cases: a chain of 20,000 `$ref`s (each
/// `$defs` entry referring to the next) overflowed the generator's stack,
/// aborting the build script instead of reporting an error. 5,000 is enough
/// to overflow a test thread's stack without the bound, and keeps the test
/// short (every `$defs` entry is lowered, each up to the bound).
#[test]
fn a_long_ref_chain_is_an_error_not_a_stack_overflow() {
    let mut defs = serde_json::Map::new();
    let length = 5_000;
    for i in 0..length {
        defs.insert(
            format!("d{i}"),
            serde_json::json!({"$ref": format!("#/$defs/d{}", i + 1)}),
        );
    }
    defs.insert(format!("d{length}"), serde_json::json!({"type": "string"}));
    let chain = serde_json::json!({
        "$id": "https://schemas.aperture-events.dev/v1/chain.schema.json",
        "title": "Chain",
        "type": "object",
        "properties": {"log_type": {"const": "chain"}, "a": {"$ref": "#/$defs/d0"}},
        "$defs": defs,
    });
    let sources = vec![SchemaSource::new("chain.schema.json", chain.to_string())];
    let error = generate(&sources, DateTimeMapping::Chrono).expect_err("too deep to generate");
    assert!(error.contains("$ref"), "{error}");
    // A short chain is fine.
    let mut defs = serde_json::Map::new();
    for i in 0..10 {
        defs.insert(
            format!("d{i}"),
            serde_json::json!({"$ref": format!("#/$defs/d{}", i + 1)}),
        );
    }
    defs.insert("d10".into(), serde_json::json!({"type": "string"}));
    let mut short = chain;
    short["$defs"] = Value::Object(defs);
    let sources = vec![SchemaSource::new("chain.schema.json", short.to_string())];
    generate(&sources, DateTimeMapping::Chrono).expect("a chain of 10 generates");
}
