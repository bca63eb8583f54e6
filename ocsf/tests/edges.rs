//! Hostile events, from the edges: numbers and times at their limits,
//! strings JSON refuses, nesting past serde_json's limit, duplicate keys,
//! odd `log_type`s, a huge `unmapped`. Each is converted by both paths (the
//! `Value` converter and `convert_json_to`, which must agree byte for
//! byte), and each event converted rebuilds to the original.

mod common;

use aperture_events_ocsf::{Converted, Converter, Error, Options, Unknown};
use common::{assert_fast_path_agrees, problems};
use serde_json::{Value, json};

const TIME: &str = r#""timestamp":"2020-05-08T23:50:55Z""#;

/// Converts `text` by both paths; the event, rebuilt and checked, or the error.
fn convert(converter: &Converter, text: &str) -> Result<Converted, Error> {
    assert_fast_path_agrees(converter, text.as_bytes());
    let converted = converter.convert_json(text.as_bytes());
    if let Ok(Converted::Event(event)) = &converted {
        let original: Value = serde_json::from_str(text).expect("converted, so JSON");
        assert_eq!(converter.rebuild(event), Some(original), "{text}");
        assert_eq!(problems(event), Vec::<String>::new(), "{text}");
    }
    converted
}

fn event(converter: &Converter, text: &str) -> Value {
    match convert(converter, text) {
        Ok(Converted::Event(event)) => event,
        other => panic!("{text}: {other:?}"),
    }
}

fn not_json(converter: &Converter, text: &str) -> String {
    match convert(converter, text) {
        Err(Error::NotJson(message)) => message,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn severities_at_the_limits_of_numbers() {
    let converter = Converter::default();
    let cases: [(&str, Value); 15] = [
        ("3", json!(3)),
        ("1.0", json!(1)),
        ("3e0", json!(3)),
        ("-0", json!(0)),
        ("-0.0", json!(0)),
        ("5.0000000000000001", json!(5)),
        // Out of the table, or not an integer: Unknown, and kept in `unmapped`.
        ("-1", json!(0)),
        ("6", json!(0)),
        ("0.5", json!(0)),
        ("1e15", json!(0)),
        ("1000000000000000000000000000000", json!(0)),
        ("18446744073709551615", json!(0)),
        ("-9223372036854775809", json!(0)),
        ("\"3\"", json!(0)),
        ("true", json!(0)),
    ];
    for (severity, id) in cases {
        let text =
            format!(r#"{{"log_type":"incident","incident_id":"a","severity":{severity},{TIME}}}"#);
        let ocsf = event(&converter, &text);
        assert_eq!(ocsf["severity_id"], id, "{severity}");
        let original: Value = serde_json::from_str(&text).unwrap();
        if id == json!(0) && severity != "-0" && severity != "-0.0" {
            assert_eq!(
                ocsf["unmapped"]["severity"], original["severity"],
                "{severity}"
            );
        }
    }
    // Past f64: not JSON serde_json reads, by both paths.
    let text = format!(r#"{{"log_type":"incident","severity":1e400,{TIME}}}"#);
    assert!(not_json(&converter, &text).contains("number out of range"));
}

#[test]
fn timestamps_at_the_limits_of_time() {
    let converter = Converter::default();
    let at = |timestamp: &str| {
        format!(
            r#"{{"log_type":"activity_monitoring","action":"download","timestamp":"{timestamp}"}}"#
        )
    };
    for (timestamp, ms, kept) in [
        ("0000-01-01T00:00:00Z", -62_167_219_200_000_i64, false),
        ("1969-12-31T23:59:59.999Z", -1, false),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999, false),
        // A leap second is the next second's start; the text is kept.
        ("2016-12-31T23:59:60Z", 1_483_228_800_000, true),
        // Milliseconds of twenty digits of fraction (Exabeam drops these).
        (
            "2020-05-08T23:50:55.12345678901234567890Z",
            1_588_981_855_123,
            true,
        ),
        ("2020-05-08T23:50:55+23:59", 1_588_895_515_000, true),
        ("2020-05-08t23:50:55z", 1_588_981_855_000, true),
    ] {
        let ocsf = event(&converter, &at(timestamp));
        assert_eq!(ocsf["time"], ms, "{timestamp}");
        let unmapped = ocsf.pointer("/unmapped/timestamp");
        assert_eq!(
            unmapped,
            kept.then(|| json!(timestamp)).as_ref(),
            "{timestamp}"
        );
    }
    // Beyond what RFC 3339 writes (four-digit years): no time, an error, not a guess.
    for timestamp in [
        "+275760-09-13T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "",
    ] {
        assert_eq!(
            convert(&converter, &at(timestamp)),
            Err(Error::NoTime),
            "{timestamp}"
        );
    }
}

#[test]
fn text_json_refuses_is_refused_by_both_paths() {
    let converter = Converter::default();
    let with_id = |id: &str| format!(r#"{{"log_type":"incident","incident_id":"{id}",{TIME}}}"#);
    // Lone surrogates, a raw NUL, invalid UTF-8 inside a string.
    assert!(not_json(&converter, &with_id(r"\ud800")).contains("hex escape"));
    assert!(not_json(&converter, &with_id(r"\udfff\ud800x")).contains("surrogate"));
    assert!(not_json(&converter, &with_id("a\0b")).contains("control character"));
    let (head, tail) = with_id("a\u{1}")
        .split_once('\u{1}')
        .map(|(h, t)| (h.to_owned(), t.to_owned()))
        .unwrap();
    let bytes = [head.as_bytes(), b"\xff\xfe", tail.as_bytes()].concat();
    assert_fast_path_agrees(&converter, &bytes);
    let refused = converter.convert_json(&bytes);
    assert!(
        matches!(&refused, Err(Error::NotJson(m)) if m.contains("invalid unicode")),
        "{refused:?}"
    );
    // An escaped NUL is a character like another: kept, and read back.
    let ocsf = event(&converter, &with_id(r"a\u0000b"));
    assert_eq!(ocsf["finding_info"]["uid"], "a\u{0}b");
    // A BOM, a second value, nothing, no object.
    for text in ["\u{feff}{}", r#"{"log_type":"incident"} {}"#, "", "  "] {
        not_json(&converter, text);
    }
    for text in ["[]", "null", "\"incident\"", "7"] {
        assert_eq!(convert(&converter, text), Err(Error::NotAnObject), "{text}");
    }
}

#[test]
fn nesting_past_the_parser_limit_is_an_error_and_below_it_is_kept() {
    let converter = Converter::default();
    let nested = |depth: usize| {
        let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        format!(r#"{{"log_type":"incident","item_name":{value},{TIME}}}"#)
    };
    assert!(not_json(&converter, &nested(200)).contains("recursion limit"));
    assert!(not_json(&converter, &nested(1_000_000)).contains("recursion limit"));
    let ocsf = event(&converter, &nested(100));
    assert!(ocsf["unmapped"]["item_name"].is_array());
    let objects = |depth: usize| {
        let value = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        format!(r#"{{"log_type":"incident","exposure":{value},{TIME}}}"#)
    };
    event(&converter, &objects(120));
    assert!(not_json(&converter, &objects(100_000)).contains("recursion limit"));
}

#[test]
fn duplicate_keys_keep_the_last_as_serde_json_does() {
    let converter = Converter::default();
    let text = format!(
        r#"{{"log_type":"incident","log_type":"remediation","action":"quarantine","incident_id":"a","incident_id":"b",{TIME},{TIME}}}"#
    );
    let ocsf = event(&converter, &text);
    assert_eq!(ocsf["class_uid"], 7002);
    assert_eq!(ocsf["raw_data"], text.as_str());
}

#[test]
fn odd_log_types_are_base_events_or_skipped() {
    let base = Converter::default();
    let skip = Converter::new(Options {
        unknown: Unknown::Skip,
        ..Options::default()
    });
    for log_type in [
        "\"\"",
        "7",
        "null",
        "[\"incident\"]",
        "{}",
        "\"INCIDENT\"",
        "\"incident\\u0000\"",
    ] {
        let text = format!(r#"{{"log_type":{log_type},{TIME}}}"#);
        let ocsf = event(&base, &text);
        assert_eq!(ocsf["class_uid"], 0, "{log_type}");
        let original: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(ocsf["unmapped"], original, "{log_type}");
        let expected = original["log_type"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            convert(&skip, &text),
            Ok(Converted::Skipped { log_type: expected }),
            "{log_type}"
        );
    }
    // No log_type at all.
    assert_eq!(event(&base, &format!("{{{TIME}}}"))["class_uid"], 0);
}

#[test]
fn a_huge_unmapped_object_is_kept_whole() {
    let converter = Converter::default();
    let mut fields: Vec<String> = (0..100_000).map(|i| format!(r#""f{i}":{i}"#)).collect();
    fields.push(r#""log_type":"incident","incident_id":"a""#.to_owned());
    fields.push(TIME.to_owned());
    let text = format!("{{{}}}", fields.join(","));
    let ocsf = event(&converter, &text);
    assert_eq!(
        ocsf["unmapped"].as_object().map(serde_json::Map::len),
        Some(100_000)
    );
}
