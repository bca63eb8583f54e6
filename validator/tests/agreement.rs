//! Agreement with the generated types: every record the validator accepts
//! (tolerant reading) deserializes into `aperture_events::LogEvent`, and every
//! record it rejects does not. Checked on every fixture event and on each
//! record of this crate's test inputs.

use std::path::Path;

use aperture_events::LogEvent;
use aperture_events_validator::{Class, Options, Validator};

fn check(validator: &Validator, name: &str, bytes: &[u8]) {
    let verdict = validator.classify(bytes);
    let accepted = matches!(verdict.class, Class::Valid | Class::UnknownType);
    let typed = serde_json::from_slice::<LogEvent>(bytes);
    assert_eq!(
        accepted,
        typed.is_ok(),
        "{name}: validator says {:?} {:?}, the generated types say {:?}",
        verdict.class,
        verdict.problems,
        typed.err().map(|e| e.to_string())
    );
}

#[test]
fn accepted_records_deserialize_and_rejected_ones_do_not() {
    let validator = Validator::embedded(Options::default()).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut checked = 0;
    for kind in ["valid", "invalid", "unknown_type"] {
        for entry in std::fs::read_dir(fixtures.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "index.json") {
                continue;
            }
            check(
                &validator,
                &path.display().to_string(),
                &std::fs::read(&path).unwrap(),
            );
            checked += 1;
        }
    }
    // Lines of the NDJSON test inputs, one record each (bulk and array lines excluded).
    for name in ["duplicate.ndjson", "crlf_bom.ndjson"] {
        let text = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name),
        )
        .unwrap();
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            let line = line
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(line)
                .trim_ascii();
            if line.starts_with(b"{") && !line.starts_with(b"{\"events\"") {
                check(&validator, &format!("{name}:{}", i + 1), line);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} records checked");
}
