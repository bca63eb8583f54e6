//! Generated events of every type, drawn from our schemas (their documented
//! fields, `x-known-values`, quirk values, nulls, absent fields, values of
//! the wrong type, undocumented fields), convert into OCSF events that pass
//! the vendored class JSON Schema and the checks it cannot make, and rebuild
//! into the original event, `Value`-equal.

mod common;

use std::collections::BTreeMap;

use aperture_events_ocsf::{Converted, Converter, Error, Options, Unknown};
use aperture_events_schema::SchemaSet;
use aperture_events_schema::documented;
use common::problems;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

const STRINGS: &[&str] = &[
    "",
    "My File",
    "jane.doe@example.com",
    "not an email",
    "198.51.100.23",
    "2001:db8::1",
    "ip address",
    "Unknown",
    "Other",
    "é ünïcødé \u{1F600}",
    "x\ny",
    "https://example.com/a%20b",
];

/// A field of an event type: its name, its JSON types, its known values.
struct Field {
    name: String,
    types: Vec<String>,
    known: Vec<String>,
}

fn event_types() -> Vec<(String, Vec<Field>)> {
    let set = SchemaSet::embedded().expect("schemas");
    set.event_types()
        .into_iter()
        .map(|(log_type, doc)| {
            let fields = documented::fields(&set, doc)
                .into_iter()
                .map(|f| {
                    let types = f
                        .parts
                        .iter()
                        .find_map(|p| match p.get("type") {
                            Some(Value::String(t)) => Some(vec![t.clone()]),
                            Some(Value::Array(l)) => Some(
                                l.iter()
                                    .filter_map(|t| t.as_str().map(str::to_owned))
                                    .collect(),
                            ),
                            _ => None,
                        })
                        .unwrap_or_default();
                    Field {
                        name: f.name.to_owned(),
                        types,
                        known: f
                            .known_values
                            .unwrap_or_default()
                            .into_iter()
                            .map(str::to_owned)
                            .collect(),
                    }
                })
                .collect();
            (log_type.to_owned(), fields)
        })
        .collect()
}

fn timestamp(seed: u64) -> String {
    let secs = (seed % 4_000_000_000) as i64;
    let t = chrono_like(secs);
    match seed % 5 {
        0 => format!("{t}Z"),
        1 => format!("{t}.{:03}Z", seed % 1000),
        2 => format!("{t}.5Z"),
        3 => format!("{t}+02:00"),
        _ => format!("{t}.123456-07:30"),
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of seconds since the epoch (proleptic Gregorian, UTC).
fn chrono_like(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn value(field: &Field, choice: u8, seed: u64) -> Option<Value> {
    let pick = |list: &[&str]| list[(seed as usize) % list.len()].to_owned();
    let has = |t: &str| field.types.iter().any(|x| x == t);
    Some(match choice % 10 {
        0..=2 => return None,
        3 => Value::Null,
        4..=6 if !field.known.is_empty() => {
            let known = &field.known[(seed as usize) % field.known.len()];
            // Known values in another case too (the case-insensitive ones).
            if choice % 10 == 5 {
                known.to_ascii_uppercase().into()
            } else {
                known.clone().into()
            }
        }
        6 => json!([0.0, 1.0, 3.0, 5.0, 2.5, 7.0][(seed % 6) as usize]),
        7 if has("integer") => json!(seed % 6),
        8 => json!(seed % 100_000),
        _ => pick(STRINGS).into(),
    })
}

fn event(
    types: &[(String, Vec<Field>)],
    which: usize,
    choices: &[(u8, u64)],
    extra: bool,
) -> Value {
    let (log_type, fields) = &types[which % types.len()];
    let mut event = Map::new();
    for (field, (choice, seed)) in fields.iter().zip(choices.iter().cycle()) {
        let v = match field.name.as_str() {
            "log_type" => Some(log_type.clone().into()),
            "timestamp" => Some(timestamp(*seed).into()),
            "datetime_edited" if choice % 2 == 0 => Some(timestamp(seed / 7).into()),
            _ => value(field, *choice, *seed),
        };
        if let Some(v) = v {
            event.insert(field.name.clone(), v);
        }
    }
    if extra {
        event.insert("remoteAddress".to_owned(), "203.0.113.9".into());
    }
    Value::Object(event)
}

#[test]
fn generated_events_of_every_type_conform_and_rebuild() {
    let types = event_types();
    assert_eq!(types.len(), 5);
    let converter = Converter::new(Options::default());
    let strategy = (
        0..types.len(),
        prop::collection::vec((any::<u8>(), any::<u64>()), 1..32),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 4000,
        ..Config::default()
    });
    let counts = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
    runner
        .run(&strategy, |(which, choices, extra)| {
            let event = event(&types, which, &choices, extra);
            let Ok(Converted::Event(ocsf)) = converter.convert(&event) else {
                return Err(TestCaseError::fail(format!("not converted: {event}")));
            };
            let found = problems(&ocsf);
            prop_assert!(found.is_empty(), "{found:#?}\n{event}\n{ocsf:#}");
            prop_assert_eq!(converter.rebuild(&ocsf), Some(event.clone()), "{:#}", ocsf);
            common::assert_fast_path_agrees(&converter, event.to_string().as_bytes());
            *counts
                .borrow_mut()
                .entry(ocsf["class_name"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
            // For a second opinion (the issue's note): the events, one file per class.
            if let Some(dir) = std::env::var_os("OCSF_DUMP_DIR") {
                use std::io::Write;
                let path = std::path::Path::new(&dir).join(format!("{}.ndjson", ocsf["class_uid"]));
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .expect("dump file");
                writeln!(file, "{ocsf}").expect("dump");
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let counts = counts.into_inner();
    #[allow(clippy::print_stderr)]
    {
        eprintln!("generated events per class: {counts:?}");
    }
    for class in [
        "File Hosting Activity",
        "Data Security Finding",
        "Detection Finding",
        "File Remediation Activity",
        "Authentication",
        "Entity Management",
        "Account Change",
    ] {
        assert!(
            counts.get(class).is_some_and(|n| *n >= 3),
            "too few of {class}: {counts:?}"
        );
    }
}

proptest! {
    #[test]
    fn unknown_types_become_base_events_or_are_skipped(name in "[a-z_]{1,12}", seed in any::<u64>()) {
        prop_assume!(!["activity_monitoring", "incident", "remediation", "policy_violation", "admin_audit"].contains(&name.as_str()));
        let event = json!({"log_type": name, "timestamp": timestamp(seed), "anything": [1, {"a": null}]});
        let converter = Converter::new(Options::default());
        let Ok(Converted::Event(ocsf)) = converter.convert(&event) else { panic!("not converted") };
        prop_assert_eq!(&ocsf["class_uid"], &json!(0));
        prop_assert!(problems(&ocsf).is_empty(), "{:?}", problems(&ocsf));
        prop_assert_eq!(converter.rebuild(&ocsf), Some(event.clone()));
        let skip = Converter::new(Options { unknown: Unknown::Skip, ..Options::default() });
        prop_assert_eq!(skip.convert(&event), Ok(Converted::Skipped { log_type: name }));
        common::assert_fast_path_agrees(&converter, event.to_string().as_bytes());
        common::assert_fast_path_agrees(&skip, event.to_string().as_bytes());
    }
}

#[test]
fn an_event_without_a_usable_timestamp_is_an_error_not_a_guess() {
    let converter = Converter::default();
    for event in [
        json!({"log_type": "incident", "incident_id": "x"}),
        json!({"log_type": "incident", "incident_id": "x", "timestamp": "yesterday"}),
        json!({"log_type": "dlp_scan"}),
    ] {
        assert_eq!(converter.convert(&event), Err(Error::NoTime), "{event}");
    }
    assert_eq!(converter.convert(&json!([1])), Err(Error::NotAnObject));
    assert!(matches!(
        converter.convert_json(b"{"),
        Err(Error::NotJson(_))
    ));
}

#[test]
fn the_same_event_gets_the_same_uid_whatever_its_member_order() {
    let converter = Converter::default();
    let a = br#"{"log_type":"incident","incident_id":"x","timestamp":"2020-05-08T23:50:55Z"}"#;
    let b = br#"{"timestamp":"2020-05-08T23:50:55Z", "incident_id":"x","log_type":"incident"}"#;
    let c = br#"{"timestamp":"2020-05-08T23:50:56Z", "incident_id":"x","log_type":"incident"}"#;
    let uid = |t: &[u8]| match converter.convert_json(t) {
        Ok(Converted::Event(e)) => e["metadata"]["uid"].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(uid(a), uid(b));
    assert_ne!(uid(a), uid(c));
    assert_eq!(uid(a).as_str().map(str::len), Some(32));
}

#[test]
fn options_change_raw_data_and_severity() {
    let text = br#"{"log_type":"policy_violation","incident_id":"x","severity":3.0,"item_type":"File","timestamp":"2017-01-06T19:04:06Z"}"#;
    let Ok(Converted::Event(on)) = Converter::default().convert_json(text) else {
        panic!()
    };
    assert_eq!(on["raw_data"], std::str::from_utf8(text).unwrap());
    assert_eq!(
        (on["severity_id"].clone(), on["severity"].clone()),
        (json!(3), json!("Medium"))
    );
    let options = Options {
        raw_data: false,
        severity: "3=4".parse().unwrap(),
        ..Options::default()
    };
    let converter = Converter::new(options);
    let Ok(Converted::Event(off)) = converter.convert_json(text) else {
        panic!()
    };
    assert!(off.get("raw_data").is_none());
    assert_eq!(
        (off["severity_id"].clone(), off["severity"].clone()),
        (json!(4), json!("High"))
    );
    assert_eq!(
        converter.rebuild(&off),
        Some(serde_json::from_slice(text).unwrap())
    );
}

/// Any JSON value, nested a little, with the numbers and strings that trip converters.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(vec![-0.0, 1.0, 1e308, -1e-300, 5.0, 2.5]).prop_map(Value::from),
        prop::sample::select(STRINGS.to_vec()).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// Hostile values in the fields the mapping reads never panic, never
    /// give an event the class schema refuses, and never lose anything.
    #[test]
    fn hostile_values_in_mapped_fields_are_kept_whole(
        which in 0usize..5,
        values in prop::collection::vec(any_json(), 24),
        seed in any::<u64>(),
    ) {
        let types = ["activity_monitoring", "incident", "remediation", "policy_violation", "admin_audit"];
        let fields = [
            "action", "action_taken", "action_taken_by", "admin_id", "asset_id", "cloud_app_instance",
            "datetime_edited", "exposure", "incident_id", "ip", "item_creator_email", "item_name",
            "item_owner", "item_owner_email", "item_sha256", "item_size", "item_type", "occurrences_by_rule",
            "policy_rule_name", "resource_value_new", "serial", "severity", "source_ip", "user",
        ];
        let mut event = Map::new();
        event.insert("log_type".to_owned(), types[which].into());
        event.insert("timestamp".to_owned(), timestamp(seed).into());
        for (name, value) in fields.iter().zip(values) {
            event.insert((*name).to_owned(), value);
        }
        let event = Value::Object(event);
        let converter = Converter::default();
        let Ok(Converted::Event(ocsf)) = converter.convert(&event) else { panic!("not converted: {event}") };
        let found = problems(&ocsf);
        prop_assert!(found.is_empty(), "{:#?}\n{}", found, ocsf);
        prop_assert_eq!(converter.rebuild(&ocsf), Some(event.clone()));
        let text = event.to_string();
        common::assert_fast_path_agrees(&converter, text.as_bytes());
        let no_raw = Converter::new(Options { raw_data: false, severity: "0=1,5=6".parse().expect("a table"), ..Options::default() });
        common::assert_fast_path_agrees(&no_raw, text.as_bytes());
    }
}
