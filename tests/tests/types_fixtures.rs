//! The generated types against the fixtures: every valid fixture round-trips
//! losslessly through `LogEvent` (`serde_json::Value`-equal, no normalisation:
//! `1.0` stays `1.0`), every invalid one is rejected with an error naming the
//! field at fault, and events of unknown types are kept whole.
//!
//! Each fixture goes through both ways in: `serde_json::from_str` (streaming,
//! the fast path) and `serde_json::from_value` (an already parsed `Value`).

use aperture_events::LogEvent;
use aperture_events_tests::{InvalidEntry, all_json, fixtures, index};
use serde_json::Value;

/// The fixture's text as on disk.
fn text(kind: &str, name: &str) -> String {
    std::fs::read_to_string(fixtures(kind).join(name)).expect("fixture text")
}

#[test]
fn every_valid_fixture_round_trips_losslessly() {
    let valid = all_json("valid");
    assert!(
        valid.len() >= 10,
        "expected the valid fixtures, found {}",
        valid.len()
    );
    for (name, value) in valid {
        let streamed: LogEvent = serde_json::from_str(&text("valid", &name))
            .unwrap_or_else(|e| panic!("{name}: rejected by LogEvent: {e}"));
        let from_value: LogEvent = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{name}: rejected from a Value: {e}"));
        assert_eq!(
            streamed, from_value,
            "{name}: both ways in give the same event"
        );
        assert!(
            !matches!(streamed, LogEvent::Unknown(_)),
            "{name}: a documented type, not Unknown"
        );
        assert_eq!(
            Some(streamed.log_type()),
            value["log_type"].as_str(),
            "{name}"
        );
        let back = serde_json::to_value(&streamed).expect("serialize");
        assert_eq!(back, value, "{name}: not lossless");
    }
}

#[test]
fn every_invalid_fixture_is_rejected_naming_the_field() {
    let entries = index::<InvalidEntry>("invalid");
    let invalid = all_json("invalid");
    assert_eq!(
        entries.len(),
        invalid.len(),
        "index.json lists every invalid fixture"
    );
    for (name, value) in invalid {
        let entry = &entries[&name];
        let streamed = serde_json::from_str::<LogEvent>(&text("invalid", &name));
        let from_value = serde_json::from_value::<LogEvent>(value);
        for (way, result) in [("from_str", streamed), ("from_value", from_value)] {
            let error = match result {
                Ok(event) => panic!(
                    "{name} ({}): accepted by LogEvent ({way}): {event:?}",
                    entry.why
                ),
                Err(error) => error.to_string(),
            };
            // The field at fault: the first token of the pointer, or (for a
            // missing property, pointer "") the word "missing".
            let expected = match entry.pointer.split('/').nth(1) {
                Some(field) => format!("`{field}`"),
                None => "missing field".to_owned(),
            };
            assert!(
                error.contains(&expected),
                "{name} ({way}): error {error:?} does not name {expected}"
            );
        }
    }
}

#[test]
fn events_of_unknown_types_are_kept_whole() {
    let unknown = all_json("unknown_type");
    assert!(!unknown.is_empty());
    for (name, value) in unknown {
        let event: LogEvent = serde_json::from_str(&text("unknown_type", &name))
            .unwrap_or_else(|e| panic!("{name}: rejected: {e}"));
        let LogEvent::Unknown(map) = &event else {
            panic!("{name}: not kept as Unknown: {event:?}")
        };
        assert_eq!(&Value::Object(map.clone()), &value, "{name}: kept whole");
        assert_eq!(Some(event.log_type()), value["log_type"].as_str());
        assert_eq!(
            serde_json::to_value(&event).expect("serialize"),
            value,
            "{name}: round trip"
        );
    }
}

#[test]
fn the_capture_corpus_round_trips() {
    let corpus =
        std::fs::read_to_string(fixtures("captures").join("events.ndjson")).expect("events.ndjson");
    let mut count = 0;
    for (number, line) in corpus
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: Value = serde_json::from_str(line).expect("captures are JSON");
        let Ok(event) = serde_json::from_str::<LogEvent>(line) else {
            continue;
        };
        count += 1;
        let back = serde_json::to_value(&event).expect("serialize");
        assert_eq!(
            back,
            value,
            "events.ndjson line {}: not lossless",
            number + 1
        );
    }
    assert!(count > 0, "some captured events are accepted");
}

#[test]
fn duplicate_keys_are_rejected_at_any_depth() {
    let base = r#""log_type": "incident", "incident_id": "a", "timestamp": "2020-05-08T23:50:55Z""#;
    for (text, key) in [
        (
            format!(r#"{{{base}, "severity": 1, "severity": 2}}"#),
            "severity",
        ),
        (format!(r#"{{{base}, "x": 1, "x": 1}}"#), "x"),
        (format!(r#"{{{base}, "x": {{"y": 1, "y": 1}}}}"#), "y"),
        (format!(r#"{{"x": [{{"y": 1, "y": 1}}], {base}}}"#), "y"),
        (format!(r#"{{{base}, "log_type": "incident"}}"#), "log_type"),
        (
            r#"{"log_type": "dlp_scan", "x": 1, "x": 2}"#.to_owned(),
            "x",
        ),
    ] {
        let error = serde_json::from_str::<LogEvent>(&text).expect_err(&text);
        assert!(
            error
                .to_string()
                .contains(&format!("duplicate field `{key}`")),
            "{text}: {error}"
        );
    }
}

#[test]
fn non_objects_and_bad_tags_are_rejected() {
    for (text, expected) in [
        ("[]", "expected a LogEvent object"),
        ("\"incident\"", "expected a LogEvent object"),
        ("null", "expected a LogEvent object"),
        (r#"{"log_type": null}"#, "invalid `log_type`"),
        (r#"{"log_type": ["incident"]}"#, "invalid `log_type`"),
        (
            r#"{"timestamp": "2020-05-08T23:50:55Z"}"#,
            "missing field `log_type`",
        ),
    ] {
        let error = serde_json::from_str::<LogEvent>(text).expect_err(text);
        assert!(error.to_string().contains(expected), "{text}: {error}");
    }
}
