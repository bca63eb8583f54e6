//! The `aperture-validate` binary: every exit code, masking, and insta
//! snapshots of each output format on `tests/fixtures/captures` (paths
//! normalised to `[FIXTURES]` and `[DATA]`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aperture-validate"))
        .args(args)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone())
        .expect("utf-8 output")
        .replace("tests/fixtures/", "[FIXTURES]/")
        .replace("validator/tests/data/", "[DATA]/")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

const CAPTURES: &str = "tests/fixtures/captures";

#[test]
fn text_format_on_the_captures() {
    let output = validate(&[CAPTURES]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("captures_text", stdout(&output));
}

#[test]
fn json_format_on_the_captures() {
    let output = validate(&["--format", "json", CAPTURES]);
    assert_eq!(code(&output), 0);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    let summary = &report["summary"];
    let sum: u64 = ["valid", "invalid", "malformed", "unknown_type"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum();
    assert_eq!(summary["total"].as_u64(), Some(sum));
    insta::assert_snapshot!("captures_json", stdout(&output));
}

#[test]
fn github_format_on_the_captures_strict() {
    let output = validate(&["--format", "github", "--strict", CAPTURES]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("captures_github_strict", stdout(&output));
}

#[test]
fn junit_format_on_the_captures_strict() {
    let output = validate(&["--format", "junit", "--strict", CAPTURES]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("captures_junit_strict", stdout(&output));
}

#[test]
fn text_format_on_invalid_and_malformed_inputs() {
    let output = validate(&[
        "tests/fixtures/malformed/doc_remediation.json",
        "validator/tests/data/transcripts.http",
    ]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!("errors_text", stdout(&output));
}

#[test]
fn exit_0_when_every_record_is_accepted() {
    assert_eq!(code(&validate(&["validator/tests/data/single.json"])), 0);
    // Unknown event types are accepted by the tolerant reading.
    assert_eq!(code(&validate(&["tests/fixtures/unknown_type"])), 0);
}

#[test]
fn exit_1_when_a_record_is_invalid_or_malformed() {
    assert_eq!(
        code(&validate(&[
            "tests/fixtures/invalid/incident_severity_too_high.json"
        ])),
        1
    );
    assert_eq!(
        code(&validate(&["tests/fixtures/malformed/doc_incident.json"])),
        1
    );
}

#[test]
fn exit_1_for_unknown_types_in_strict_mode() {
    assert_eq!(
        code(&validate(&[
            "--strict",
            "tests/fixtures/unknown_type/dlp_scan.json"
        ])),
        1
    );
}

#[test]
fn exit_1_for_drift_only_with_fail_on_drift() {
    let args = ["tests/fixtures/valid/activity_undocumented_field.json"];
    assert_eq!(code(&validate(&args)), 0);
    assert_eq!(code(&validate(&["--fail-on-drift", args[0]])), 1);
}

#[test]
fn exit_2_for_usage_errors() {
    let output = validate(&[]);
    assert_eq!(code(&output), 2, "no input");
    assert_eq!(
        code(&validate(&["--format", "yaml", CAPTURES])),
        2,
        "unknown format"
    );
    let output = validate(&["--schema-dir", "validator/tests", CAPTURES]);
    assert_eq!(code(&output), 2, "a schema directory without event schemas");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("validator/tests: no *.schema.json file in the schema directory")
    );
}

#[test]
fn exit_2_for_an_unreadable_input_and_the_rest_is_still_reported() {
    let output = validate(&[
        "--format",
        "json",
        "no/such/file.ndjson",
        "validator/tests/data/single.json",
    ]);
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["valid"], 1);
    assert_eq!(report["inputs"][0]["source"], "no/such/file.ndjson");
}

#[test]
fn values_are_masked_unless_asked_for() {
    let path = "validator/tests/data/array.json";
    let masked = stdout(&validate(&[path]));
    assert!(
        masked.contains("/severity: must be at most 5, found an integer"),
        "{masked}"
    );
    assert!(
        masked.contains("found a string of 8 characters"),
        "{masked}"
    );
    assert!(!masked.contains("a string\""), "{masked}");
    let shown = stdout(&validate(&["--show-values", path]));
    assert!(shown.contains("found 7.0"), "{shown}");
    assert!(shown.contains("found \"a string\""), "{shown}");
}

#[test]
fn the_embedded_schemas_equal_a_schema_dir_of_the_same_files() {
    let embedded = validate(&["--format", "json", "--strict", CAPTURES]);
    let from_dir = validate(&[
        "--format",
        "json",
        "--strict",
        "--schema-dir",
        "schema",
        CAPTURES,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&embedded.stdout),
        String::from_utf8_lossy(&from_dir.stdout)
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_aperture-validate"))
        .args(["--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let event = br#"{"log_type": "remediation", "incident_id": "x", "timestamp": "2017-02-17T00:18:55.581Z"}"#;
    child.stdin.take().unwrap().write_all(event).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 0);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["valid"], 1);
}
