//! Every event in the repository (fixtures, captures) converts into an OCSF
//! event that passes its class's vendored JSON Schema and the checks the
//! schema cannot make, and rebuilds into the original, `Value`-equal.

mod common;

use std::collections::BTreeMap;

use aperture_events_ocsf::{Converted, Converter, Options};
use common::{problems, records, repo};
use serde_json::Value;

/// Converts every record under `tests/fixtures/<dir>`; the count per class.
fn conform(dirs: &[&str]) -> BTreeMap<String, usize> {
    let converter = Converter::new(Options::default());
    let mut counts = BTreeMap::new();
    let mut failures = Vec::new();
    for dir in dirs {
        for record in records(&repo().join("tests/fixtures").join(dir)) {
            let event: Value = match serde_json::from_slice(&record.bytes) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let ocsf = match converter.convert_json(&record.bytes) {
                Ok(Converted::Event(ocsf)) => ocsf,
                other => {
                    failures.push(format!("{}: {other:?}", record.place));
                    continue;
                }
            };
            for p in problems(&ocsf) {
                failures.push(format!("{}: {p}\n{ocsf:#}", record.place));
            }
            if converter.rebuild(&ocsf).as_ref() != Some(&event) {
                failures.push(format!("{}: does not rebuild\n{ocsf:#}", record.place));
            }
            *counts
                .entry(ocsf["class_name"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    counts
}

#[test]
fn every_valid_fixture_and_capture_conforms() {
    let counts = conform(&["valid", "unknown_type", "captures"]);
    #[allow(clippy::print_stderr)]
    {
        eprintln!("conformance counts per class: {counts:?}");
    }
    // The fixtures hold no policy violation on a user and no admin change
    // to a user: Detection Finding and Account Change come from the
    // generated events (`generated.rs`).
    assert_eq!(counts.values().sum::<usize>(), 55, "{counts:?}");
}

#[test]
fn the_generated_types_convert_as_their_json_does() {
    let converter = Converter::new(Options::default());
    let mut n = 0;
    for record in records(&repo().join("tests/fixtures/valid")) {
        let event: aperture_events::LogEvent =
            serde_json::from_slice(&record.bytes).expect("a valid fixture");
        let Ok(Converted::Event(ocsf)) = converter.convert_event(&event) else {
            panic!("{}: not converted", record.place)
        };
        assert_eq!(problems(&ocsf), Vec::<String>::new(), "{}", record.place);
        let value = serde_json::to_value(&event).expect("serializes");
        assert_eq!(converter.rebuild(&ocsf), Some(value), "{}", record.place);
        let from_json: Value = serde_json::from_slice(&record.bytes).expect("JSON");
        let Ok(Converted::Event(direct)) = converter.convert(&from_json) else {
            panic!()
        };
        assert_eq!(ocsf["type_uid"], direct["type_uid"], "{}", record.place);
        n += 1;
    }
    assert!(n >= 20);
}
