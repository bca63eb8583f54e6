//! The report's JSON Schema (`validator/report.schema.json`): it is what
//! `aperture-validate --report-schema` prints today (on a difference the test
//! fails and prints the command that rewrites it), every `--format json`
//! report the binary writes on the fixtures (each file and each directory, in
//! both readings, and merged) validates against it with the `jsonschema`
//! crate, and the reports it refuses are those `merge` refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aperture_events_validator::merge;
use serde_json::{Value, json};

/// The command that rewrites `report.schema.json`.
const REFRESH: &str =
    "UPDATE_REPORT_SCHEMA=1 cargo test -p aperture-events-validator --test report_schema";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aperture-validate"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

fn published() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("report.schema.json");
    let text = std::fs::read_to_string(&path).expect("validator/report.schema.json");
    serde_json::from_str(&text).expect("the published schema is JSON")
}

fn checker() -> jsonschema::Validator {
    jsonschema::validator_for(&published()).expect("the published schema compiles")
}

/// The problems `checker` finds in `report`, one a line.
fn problems(checker: &jsonschema::Validator, report: &Value) -> String {
    checker
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_published_schema_is_what_the_binary_prints() {
    let output = validate(&["--report-schema"]);
    assert_eq!(output.status.code(), Some(0));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("report.schema.json");
    let current = std::fs::read(&path).unwrap_or_default();
    if current == output.stdout {
        return;
    }
    if std::env::var_os("UPDATE_REPORT_SCHEMA").is_some() {
        std::fs::write(&path, &output.stdout).expect("write validator/report.schema.json");
        return;
    }
    panic!(
        "validator/report.schema.json is out of date with the report types; rewrite it with:\n\n    {REFRESH}\n"
    );
}

#[test]
fn the_published_schema_is_a_draft_2020_12_schema() {
    let schema = published();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&schema).expect("valid against its metaschema");
}

#[test]
fn the_flag_takes_no_other_argument() {
    let output = validate(&["--report-schema", "tests/fixtures/valid"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The inputs the reports are made of: every fixture file and directory.
fn inputs() -> Vec<String> {
    let mut inputs = vec!["tests/fixtures".to_owned()];
    let mut stack = vec![
        repo().join("tests/fixtures"),
        repo().join("validator/tests/data"),
    ];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path.clone());
            }
            let relative = path.strip_prefix(repo()).unwrap();
            inputs.push(relative.to_str().unwrap().to_owned());
        }
    }
    inputs
}

#[test]
fn every_report_of_the_fixtures_validates_and_so_does_their_merge() {
    let checker = checker();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut saved = Vec::new();
    for (i, input) in inputs().iter().enumerate() {
        for flags in [&[][..], &["--strict", "--show-values"][..]] {
            let mut args = vec!["--format", "json"];
            args.extend_from_slice(flags);
            args.push(input);
            let output = validate(&args);
            let report: Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{input} {flags:?}: not JSON: {e}"));
            let found = problems(&checker, &report);
            assert!(found.is_empty(), "{input} {flags:?}:\n{found}");
            checked += 1;
            if flags.is_empty() {
                let path = dir.path().join(format!("{i}.json"));
                std::fs::write(&path, &output.stdout).unwrap();
                saved.push(path.to_str().unwrap().to_owned());
            }
        }
    }
    // An unreadable input is listed in `inputs`.
    let missing = validate(&["--format", "json", "tests/fixtures/valid", "no/such/file"]);
    assert_eq!(missing.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(report["inputs"].as_array().map(Vec::len), Some(1));
    assert_eq!(problems(&checker, &report), "");
    // The reports of every input, merged.
    let mut args = vec!["merge", "--format", "json"];
    args.extend(saved.iter().map(String::as_str));
    let merged = validate(&args);
    assert!(
        merged.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    let report: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert!(report["summary"]["total"].as_u64().unwrap() > 0);
    assert!(!report["errors"].as_array().unwrap().is_empty());
    assert!(
        !report["drift"]["quirk_forms"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(problems(&checker, &report), "");
    assert!(checked > 100, "{checked} reports checked");
}

/// Reports of hostile input validate too: texts with control characters,
/// bidi overrides and forged lines (in keys, `log_type` and values, which
/// `--show-values` quotes), a 200,000-character value, repeated keys, bytes
/// that are not UTF-8, records over `--max-record-size`, errors past
/// `--max-errors` (`errors_omitted`), and the merge of such reports.
#[test]
fn every_report_of_hostile_input_validates() {
    let checker = checker();
    let evil = "x\u{1b}[2J\u{7}\r\nok: every record is accepted\n::error file=f,line=1::pwned\u{202e}\u{0}";
    let long = "y".repeat(200_000);
    let records = [
        serde_json::json!({"log_type": evil, evil: evil}).to_string(),
        serde_json::json!({"log_type": "incident", evil: 1, "severity": long}).to_string(),
        serde_json::json!({"log_type": "incident", "timestamp": evil, "incident_id": evil})
            .to_string(),
        r#"{"log_type": "incident", "log_type": "incident"}"#.to_owned(),
        "{".to_owned(),
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]".to_owned(),
        format!(
            "{{\"log_type\": \"activity_monitoring\", \"{}\": 1}}",
            "z".repeat(5000)
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = records.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n{\"log_type\": \"\xff\xfe\"}\n");
    let input = dir
        .path()
        .join(format!("{}.ndjson", evil.replace(['/', '\0'], "_")));
    std::fs::write(&input, &bytes).unwrap();
    let input = input.to_str().unwrap();
    let mut saved = Vec::new();
    for flags in [
        &[][..],
        &["--show-values"][..],
        &["--strict", "--show-values", "--max-errors", "1"][..],
        &["--max-record-size", "100"][..],
    ] {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(flags);
        args.push(input);
        let output = validate(&args);
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{flags:?}: not JSON: {e}"));
        assert_eq!(report["summary"]["total"], records.len() + 1, "{flags:?}");
        assert_eq!(problems(&checker, &report), "", "{flags:?}");
        // `merge` takes reports of one reading: the tolerant ones.
        if !flags.contains(&"--strict") {
            let path = dir.path().join(format!("{}.json", saved.len()));
            std::fs::write(&path, &output.stdout).unwrap();
            saved.push(path.to_str().unwrap().to_owned());
        }
    }
    let mut args = vec!["merge", "--format", "json", "--max-errors", "2"];
    args.extend(saved.iter().map(String::as_str));
    let merged = validate(&args);
    let report: Value = serde_json::from_slice(&merged.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&merged.stderr)));
    assert!(report["errors_omitted"].as_u64().unwrap() > 0);
    assert_eq!(problems(&checker, &report), "");
}

/// Whether `merge` reads `report` back.
fn merge_reads(report: &Value) -> bool {
    merge::read(report.to_string().as_bytes(), usize::MAX).is_ok()
}

/// A report with an error, a note, an unreadable input and each drift table.
fn full_report() -> Value {
    let output = validate(&[
        "--format",
        "json",
        "tests/fixtures",
        "validator/tests/data/transcripts.http",
        "no/such/file",
    ]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    for list in ["errors", "notes", "inputs"] {
        assert!(!report[list].as_array().unwrap().is_empty(), "{list}");
    }
    for table in [
        "undocumented_fields",
        "unknown_values",
        "quirk_forms",
        "unknown_types",
        "fields",
    ] {
        assert!(
            !report["drift"][table].as_array().unwrap().is_empty(),
            "{table}"
        );
    }
    report
}

/// Changes to a valid report, and whether the result is still a report.
/// The schema and `merge` agree on each.
#[test]
fn the_schema_refuses_what_merge_refuses_and_accepts_what_it_reads() {
    let checker = checker();
    let report = full_report();
    assert!(checker.is_valid(&report) && merge_reads(&report));
    type Change = fn(&mut Value);
    let cases: &[(&str, Change, bool)] = &[
        (
            "a count as a string",
            |r| r["summary"]["total"] = json!("3"),
            false,
        ),
        (
            "a negative count",
            |r| r["errors_omitted"] = json!(-1),
            false,
        ),
        (
            "an unknown reading",
            |r| r["summary"]["reading"] = json!("lenient"),
            false,
        ),
        (
            "an unknown class",
            |r| r["errors"][0]["class"] = json!("bogus"),
            false,
        ),
        (
            "no summary",
            |r| drop(r.as_object_mut().unwrap().remove("summary")),
            false,
        ),
        (
            "no drift",
            |r| drop(r.as_object_mut().unwrap().remove("drift")),
            false,
        ),
        ("errors as an object", |r| r["errors"] = json!({}), false),
        (
            "an error without a source",
            |r| drop(r["errors"][0].as_object_mut().unwrap().remove("source")),
            false,
        ),
        (
            "a problem without a message",
            |r| {
                drop(
                    r["errors"][0]["problems"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("message"),
                )
            },
            false,
        ),
        (
            "a line as a string",
            |r| r["errors"][0]["line"] = json!("7"),
            false,
        ),
        (
            "a drift entry without a count",
            |r| {
                drop(
                    r["drift"]["quirk_forms"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("count"),
                )
            },
            false,
        ),
        (
            "a rate as a string",
            |r| r["drift"]["fields"][0]["null_rate"] = json!("0.5"),
            false,
        ),
        (
            "a note without a message",
            |r| drop(r["notes"][0].as_object_mut().unwrap().remove("message")),
            false,
        ),
        (
            "counts of a type as a list",
            |r| r["summary"]["by_log_type"] = json!({"incident": "many"}),
            false,
        ),
        (
            "a member unknown to readers",
            |r| r["generator"] = json!("elsewhere"),
            true,
        ),
        (
            "no notes, inputs or errors_omitted",
            |r| {
                let object = r.as_object_mut().unwrap();
                for member in ["notes", "inputs", "errors_omitted"] {
                    object.remove(member);
                }
            },
            true,
        ),
        ("an empty drift report", |r| r["drift"] = json!({}), true),
        (
            "a null log_type in an error",
            |r| r["errors"][0]["log_type"] = json!(null),
            true,
        ),
        (
            "a place without a line",
            |r| drop(r["errors"][0].as_object_mut().unwrap().remove("line")),
            true,
        ),
        (
            "a long text",
            |r| r["errors"][0]["source"] = json!("x".repeat(100_000)),
            true,
        ),
    ];
    for (what, change, accepted) in cases {
        let mut changed = report.clone();
        change(&mut changed);
        assert_eq!(
            checker.is_valid(&changed),
            *accepted,
            "the schema, on {what}"
        );
        assert_eq!(merge_reads(&changed), *accepted, "merge, on {what}");
    }
}
