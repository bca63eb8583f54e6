//! The fixtures of `tests/fixtures/`, each against its expected verdict in
//! both readings: valid ones (and where strict fails), invalid ones (at which
//! pointer), unknown types, and the vendor's malformed bodies (at which line).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

use aperture_events_validator::input::Source;
use aperture_events_validator::{Class, Options, Reading, RunOptions, Validator, run};
use serde_json::Value;

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(kind)
}

fn index(kind: &str) -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(fixtures(kind).join("index.json")).expect("index.json");
    match serde_json::from_str(&text).expect("index.json is JSON") {
        Value::Object(map) => map,
        _ => panic!("index.json is not an object"),
    }
}

/// Every `*.json` of a fixture directory but its index, with its bytes.
fn files(kind: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures(kind))
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.ends_with("index.json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {kind}");
    out
}

fn validator(reading: Reading) -> Validator {
    Validator::embedded(Options {
        reading,
        show_values: false,
    })
    .expect("embedded schemas compile")
}

fn pointers(problems: &[aperture_events_validator::Problem]) -> BTreeSet<String> {
    problems.iter().map(|p| p.pointer.to_string()).collect()
}

#[test]
fn valid_fixtures_pass_tolerant_and_strict_as_indexed() {
    let (tolerant, strict) = (validator(Reading::Tolerant), validator(Reading::Strict));
    let index = index("valid");
    for (name, bytes) in files("valid") {
        let verdict = tolerant.classify(&bytes);
        assert_eq!(
            verdict.class,
            Class::Valid,
            "{name} (tolerant): {:?}",
            verdict.problems
        );
        let expected = index
            .get(&name)
            .unwrap_or_else(|| panic!("{name} missing from index.json"));
        let verdict = strict.classify(&bytes);
        if expected["strict"] == Value::Bool(true) {
            assert_eq!(
                verdict.class,
                Class::Valid,
                "{name} (strict): {:?}",
                verdict.problems
            );
        } else {
            assert_eq!(verdict.class, Class::Invalid, "{name} (strict)");
            let found = pointers(&verdict.problems);
            let pointer = expected["pointer"].as_str().expect("pointer");
            assert!(
                found.contains(pointer),
                "{name} (strict): {pointer} not among {found:?}"
            );
            if let Some(all) = expected.get("pointers").and_then(Value::as_array) {
                let all: BTreeSet<String> = all
                    .iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect();
                assert_eq!(found, all, "{name} (strict): every failing pointer");
            }
        }
    }
}

#[test]
fn invalid_fixtures_fail_at_their_pointer_in_both_readings() {
    let index = index("invalid");
    for reading in [Reading::Tolerant, Reading::Strict] {
        let validator = validator(reading);
        for (name, bytes) in files("invalid") {
            let expected = index
                .get(&name)
                .unwrap_or_else(|| panic!("{name} missing from index.json"));
            let pointer = expected["pointer"].as_str().expect("pointer");
            let verdict = validator.classify(&bytes);
            assert_eq!(verdict.class, Class::Invalid, "{name} ({reading:?})");
            assert!(
                pointers(&verdict.problems).contains(pointer),
                "{name} ({reading:?}): {pointer} not among {:?}",
                verdict.problems
            );
        }
    }
}

#[test]
fn unknown_types_are_accepted_tolerantly_and_rejected_strictly() {
    let (tolerant, strict) = (validator(Reading::Tolerant), validator(Reading::Strict));
    for (name, bytes) in files("unknown_type") {
        let verdict = tolerant.classify(&bytes);
        assert_eq!(verdict.class, Class::UnknownType, "{name}");
        assert!(verdict.class.is_accepted(Reading::Tolerant));
        assert!(
            verdict.problems.is_empty(),
            "{name}: {:?}",
            verdict.problems
        );
        let verdict = strict.classify(&bytes);
        assert_eq!(verdict.class, Class::UnknownType, "{name}");
        assert!(!verdict.class.is_accepted(Reading::Strict));
        assert_eq!(
            pointers(&verdict.problems),
            BTreeSet::from(["/log_type".to_owned()])
        );
    }
}

#[test]
fn malformed_doc_bodies_are_reported_at_their_line() {
    let validator = validator(Reading::Tolerant);
    let index = index("malformed");
    for (name, expected) in index {
        let path = fixtures("malformed").join(&name);
        let report = run(
            &validator,
            &[Source::File(path)],
            &RunOptions::default(),
            &AtomicU64::new(0),
        );
        assert_eq!(report.summary.total, 1, "{name}: one record");
        assert_eq!(report.summary.malformed, 1, "{name}: malformed");
        let at = report.errors[0].place.locus.position();
        let line = at.map(|at| at.line);
        assert_eq!(
            line,
            expected["line"].as_u64(),
            "{name}: {:?}",
            report.errors[0]
        );
        assert!(
            at.and_then(|at| at.column).is_some(),
            "{name}: a column too"
        );
    }
}
