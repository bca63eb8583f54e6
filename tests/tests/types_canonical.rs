//! The generated types compare by value and round-trip by spelling: open
//! value sets read every spelling of a value as that value (quirk spellings,
//! and any ASCII case in `x-case-insensitive` sets) and the event writes back
//! the spelling it received; integers compare by value and keep `1.0`;
//! timestamps compare by instant; `Other` never holds a known value.
//!
//! The property: two events that differ only in how values are spelled or
//! written compare equal and hash equal, and each serializes back to its own
//! JSON.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, RandomState};

use aperture_events::{
    ActivityMonitoring, AdminAudit, Exposure, Incident, ItemType, ItemVerdict, LogEvent,
    OccurrencesByRule, Severity, Timestamp,
};
use aperture_events_tests::read_json;
use proptest::prelude::*;
use serde_json::{Value, json};

/// `text` with the case of each ASCII letter flipped where `mask` has a bit set.
fn recase(text: &str, mask: u64) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            } else {
                c
            }
        })
        .collect()
}

fn parse(value: &Value) -> LogEvent {
    let text = serde_json::to_string(value).expect("serialize input");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn incident(event: &LogEvent) -> &Incident {
    match event {
        LogEvent::Incident(incident) => incident,
        other => panic!("an incident: {other:?}"),
    }
}

/// An incident with the given spellings and number forms.
fn incident_json(exposure: &str, item_type: &str, severity: Value, occurrences: Value) -> Value {
    json!({
        "log_type": "incident",
        "incident_id": "5eb5ed492021c32b37588a6c",
        "timestamp": "2020-05-08T23:50:55Z",
        "exposure": exposure,
        "item_type": item_type,
        "severity": severity,
        "occurrences_by_rule": occurrences,
        "item_size": 1335,
        "x_undocumented": [1.0, "PUBLIC"]
    })
}

/// A number written as an integer or as a float.
fn number(n: u64, float: bool) -> Value {
    if float { json!(n as f64) } else { json!(n) }
}

proptest! {
    #[test]
    fn events_differing_only_in_spelling_are_equal_and_keep_their_own(
        exposure in prop::sample::select(vec!["Public", "External", "Company", "Internal"]),
        item_type in prop::sample::select(vec!["File", "Folder", "User"]),
        masks in any::<[u64; 4]>(),
        severity in 0u64..6,
        occurrences in 0u64..1_000_000,
        floats in any::<[bool; 4]>(),
    ) {
        let a = incident_json(
            &recase(exposure, masks[0]),
            &recase(item_type, masks[1]),
            number(severity, floats[0]),
            number(occurrences, floats[1]),
        );
        let b = incident_json(
            &recase(exposure, masks[2]),
            &recase(item_type, masks[3]),
            number(severity, floats[2]),
            number(occurrences, floats[3]),
        );
        let (event_a, event_b) = (parse(&a), parse(&b));
        prop_assert_eq!(&event_a, &event_b);
        let hasher = RandomState::new();
        prop_assert_eq!(hasher.hash_one(&event_a), hasher.hash_one(&event_b));
        prop_assert_eq!(serde_json::to_value(&event_a).expect("serialize"), a.clone());
        prop_assert_eq!(serde_json::to_value(&event_b).expect("serialize"), b.clone());
        let incident_a = incident(&event_a);
        prop_assert_eq!(incident_a.exposure.as_ref().map(Exposure::as_str), Some(exposure));
        prop_assert_eq!(incident_a.exposure_spelling(), a["exposure"].as_str());
        prop_assert_eq!(incident_a.item_type_spelling(), a["item_type"].as_str());
    }

    #[test]
    fn other_never_holds_a_known_value(text in "[a-zA-Z ]{0,12}", mask in any::<u64>()) {
        for value in [Exposure::from(text.as_str()), Exposure::from(recase(&text, mask))] {
            let known = Exposure::VALUES.iter().any(|v| v.eq_ignore_ascii_case(&text));
            prop_assert_eq!(value.is_known(), known, "{}", text);
        }
    }
}

#[test]
fn quirk_spellings_and_case_variants_read_as_the_value() {
    for spelling in ["Public", "PUBLIC", "public", "pUbLiC"] {
        assert_eq!(Exposure::from(spelling), Exposure::Public, "{spelling}");
        assert_eq!(spelling.parse::<Exposure>(), Ok(Exposure::Public));
    }
    assert_eq!(ItemType::from("FILE"), ItemType::File);
    // A set the schema does not mark case-insensitive reads only its listed spellings.
    assert_eq!(ItemVerdict::from("malware"), ItemVerdict::Malware);
    assert!(!ItemVerdict::from("Malware").is_known());
    assert_eq!(ItemVerdict::from("Malware").as_str(), "Malware");
    let all: BTreeSet<Exposure> = ["PUBLIC", "Public", "public", "COMPANY", "Company", "secret"]
        .into_iter()
        .map(Exposure::from)
        .collect();
    assert_eq!(all.len(), 3, "one value per spelling group: {all:?}");
    assert_eq!(Exposure::Public.to_string(), "Public");
    assert!(Exposure::Public < Exposure::from("secret"));
    assert!(matches!(Exposure::from("secret"), Exposure::Other(v) if v == "secret"));
}

#[test]
fn a_value_changed_after_reading_is_written_in_its_own_spelling() {
    let mut event = parse(&incident_json("PUBLIC", "file", json!(3.0), json!(2)));
    let LogEvent::Incident(incident) = &mut event else {
        panic!("an incident")
    };
    incident.exposure = Some(Exposure::Company);
    incident.severity = Severity::new(4);
    let back = serde_json::to_value(&event).expect("serialize");
    assert_eq!(
        back["exposure"], "Company",
        "the kept spelling is of another value"
    );
    assert_eq!(back["severity"], json!(4.0), "the number form is kept");
    assert_eq!(back["item_type"], "file");
}

#[test]
fn severity_is_a_small_copy_integer() {
    const THREE: Option<Severity> = Severity::new(3);
    let three = THREE.expect("in range");
    let copy = three;
    assert_eq!((three, copy), (copy, three));
    assert!(three >= 3 && three == 3);
    assert!(three < 4 && three > 2);
    assert_eq!(Severity::try_from(5).map(Severity::get), Ok(5));
    let error = Severity::try_from(6).expect_err("out of range");
    assert_eq!(
        error.to_string(),
        "6 is out of range: expected an integer from 0 to 5"
    );
    assert_eq!(Severity::new(6), None);
    let one: Severity = serde_json::from_str("1.0").expect("1.0 is an integer");
    assert_eq!(Some(one), Severity::new(1));
    assert!(OccurrencesByRule::new(9_007_199_254_740_992).is_none());
}

#[test]
fn timestamps_compare_by_instant_and_keep_their_text() {
    let utc: Timestamp = "2017-08-14T23:20:57Z".parse().expect("valid");
    let millis: Timestamp = "2017-08-14T23:20:57.000Z".parse().expect("valid");
    let offset: Timestamp = "2017-08-15T01:20:57+02:00".parse().expect("valid");
    let later: Timestamp = "2017-08-14T23:20:58Z".parse().expect("valid");
    assert_eq!(utc, millis);
    assert_eq!(utc, offset);
    let hasher = RandomState::new();
    assert_eq!(hasher.hash_one(&utc), hasher.hash_one(&offset));
    assert!(offset < later);
    assert_eq!(offset.to_utc(), utc.to_utc());
    assert_eq!(offset.as_str(), "2017-08-15T01:20:57+02:00");
    assert_eq!(
        serde_json::to_value(&offset).expect("serialize"),
        "2017-08-15T01:20:57+02:00"
    );
    assert!("2017-08-14 23:20:57Z".parse::<Timestamp>().is_err());
}

#[test]
fn log_event_accessors_reach_the_shared_fields() {
    let activity = parse(&read_json("valid", "activity_severity.json"));
    assert_eq!(activity.severity(), Severity::new(1));
    assert_eq!(activity.serial(), Some("1234567890"));
    assert_eq!(activity.incident_id(), None);
    assert_eq!(
        activity.timestamp().map(Timestamp::as_str),
        Some("2023-03-02T10:15:00Z")
    );
    let LogEvent::ActivityMonitoring(typed) = &activity else {
        panic!("an activity event")
    };
    assert!(
        typed.extras.is_empty(),
        "severity is a field now: {typed:?}"
    );

    let incident = parse(&read_json("valid", "doc_incident.json"));
    assert_eq!(incident.incident_id(), Some("5eb5ed492021c32b37588a6c"));
    assert_eq!(incident.serial(), None, "null in the vendor's example");
    let unknown = parse(&json!({"log_type": "dlp_scan", "timestamp": "2020-05-08T23:50:55Z"}));
    assert_eq!((unknown.timestamp(), unknown.serial()), (None, None));
}

#[test]
fn nullable_optional_fields_have_flattening_getters() {
    let null = parse(
        &json!({"log_type": "admin_audit", "timestamp": "2020-05-08T23:50:55Z", "serial": null, "field": "x"}),
    );
    let LogEvent::AdminAudit(audit) = &null else {
        panic!("admin audit")
    };
    assert_eq!((audit.serial.clone(), audit.serial()), (Some(None), None));
    assert_eq!(audit.field(), Some("x"));
    assert_eq!(audit.resource_value_old(), None);
}

#[test]
fn constructors_take_the_required_fields() {
    let timestamp: Timestamp = "2020-05-08T23:50:55Z".parse().expect("valid");
    let mut incident = Incident::new(timestamp.clone(), "abc");
    incident.severity = Severity::new(2);
    assert_eq!(
        serde_json::to_value(LogEvent::from(incident)).expect("serialize"),
        json!({"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "abc", "severity": 2})
    );
    let activity = ActivityMonitoring::new(timestamp.clone());
    assert_eq!(
        serde_json::to_value(&activity).expect("serialize"),
        json!({"log_type": "activity_monitoring", "timestamp": "2020-05-08T23:50:55Z"})
    );
    assert_eq!(AdminAudit::new(timestamp).serial(), None);
}
