//! `--validate`: the validator's library classifies what is captured, and
//! its report (summary, errors with places, drift) is printed on exit.

mod common;

use aperture_events_mock::{Fault, Faults, MockConfig, MockServer};
use common::*;

#[test]
fn validate_classifies_what_is_captured_and_reports_on_exit() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/captures/events.ndjson"
    );
    let events = split_lines(&std::fs::read(path).expect("fixture captures/events.ndjson"));
    let n = events.len();
    let faults = Faults::every(3, Fault::Malformed);
    let mock = MockServer::start(
        MockConfig {
            faults,
            ..mock_config()
        },
        events,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "4",
        "--validate",
    ]));
    assert_success(&out);
    let err = stderr(&out);
    let log = mock.log();
    let malformed = events_responses(&log)
        .iter()
        .filter(|e| e.status == 200 && e.fault == Some(Fault::Malformed))
        .count();
    let in_bad_bodies: usize = events_responses(&log)
        .iter()
        .filter(|e| e.status == 200 && e.fault == Some(Fault::Malformed))
        .map(|e| e.events.len())
        .sum();
    assert!(malformed >= 1);
    let records = n - in_bad_bodies + malformed;
    let summary = err
        .lines()
        .find(|l| l.starts_with("summary (tolerant reading)"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(summary.contains(&format!("{records} records")), "{summary}");
    assert!(
        summary.contains(&format!("{malformed} malformed")),
        "{summary}"
    );
    let unknown = delivered(&log)
        .iter()
        .filter(|e| {
            let v: serde_json::Value = serde_json::from_slice(e).unwrap();
            !matches!(
                v["log_type"].as_str(),
                Some(
                    "activity_monitoring"
                        | "incident"
                        | "policy_violation"
                        | "remediation"
                        | "admin_audit"
                )
            )
        })
        .count();
    assert!(
        summary.ends_with(&format!("{malformed} malformed, {unknown} unknown_type")),
        "{summary}"
    );
    assert!(err.contains("drift"), "{err}");
    // The journal is untouched by validation.
    assert_eq!(lines(&journal), delivered(&log));
}
