//! Pins the converter's output, byte for byte: every record of the fixtures
//! and captures (`tests/fixtures/{valid,invalid,unknown_type,captures}`,
//! read as the validator reads them), converted with the default options
//! and with every option changed, serialized as `aperture-ocsf` writes a
//! line, must equal `tests/golden/fixtures.ndjson`. A change of the
//! converter's code that changes one byte fails here; a deliberate change
//! of the mapping rewrites the file with `UPDATE_OCSF_GOLDEN=1 cargo test -p
//! aperture-events-ocsf --test golden` (and the diff shows what changed).

mod common;

use aperture_events_ocsf::{Converted, Converter, Options, Unknown};

fn golden() -> String {
    let options = [
        ("defaults", Options::default()),
        (
            "no raw_data, skip, severity 0=1,5=6",
            Options {
                raw_data: false,
                unknown: Unknown::Skip,
                severity: "0=1,5=6".parse().expect("a table"),
            },
        ),
    ];
    let mut records = Vec::new();
    for kind in ["valid", "invalid", "unknown_type", "captures"] {
        records.extend(common::records(
            &common::repo().join("tests/fixtures").join(kind),
        ));
    }
    let repo = common::repo().to_string_lossy().into_owned();
    let mut out = String::new();
    for (name, options) in options {
        let converter = Converter::new(options);
        for record in &records {
            let place = record.place.replace(&repo, "");
            common::assert_fast_path_agrees(&converter, &record.bytes);
            let line = match converter.convert_json(&record.bytes) {
                Ok(Converted::Event(event)) => {
                    String::from_utf8(serde_json::to_vec(&event).expect("serializes"))
                        .expect("UTF-8")
                }
                Ok(Converted::Skipped { log_type }) => format!("skipped {log_type:?}"),
                Err(e) => format!("error: {e}"),
            };
            out.push_str(&format!("# {name} {place}\n{line}\n"));
        }
    }
    out
}

#[test]
fn the_output_for_the_fixtures_is_pinned() {
    let path = common::crate_dir().join("tests/golden/fixtures.ndjson");
    let fresh = golden();
    if std::env::var_os("UPDATE_OCSF_GOLDEN").is_some() {
        std::fs::write(&path, &fresh).expect("write the golden file");
        return;
    }
    let pinned = std::fs::read_to_string(&path).expect("tests/golden/fixtures.ndjson");
    if pinned != fresh {
        let first = pinned
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "the output changed (first at line {}):\n  pinned: {}\n  now:    {}\n\
             rewrite with UPDATE_OCSF_GOLDEN=1 if the change is meant",
            first + 1,
            pinned.lines().nth(first).unwrap_or(""),
            fresh.lines().nth(first).unwrap_or("")
        );
    }
}
