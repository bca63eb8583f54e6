//! The `aperture-ocsf` command as a user runs it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use common::{problems, repo};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aperture-ocsf"))
        .args(args)
        .output()
        .expect("runs")
}

fn events(stdout: &[u8]) -> Vec<Value> {
    stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn captures_convert_with_a_summary_per_class() {
    let captures = repo().join("tests/fixtures/captures");
    let out = run(&[captures.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let events = events(&out.stdout);
    assert!(events.len() > 10);
    for e in &events {
        assert_eq!(problems(e), Vec::<String>::new());
        assert!(e["raw_data"].is_string());
    }
    assert!(
        stderr.contains(&format!("aperture-ocsf: {} OCSF events", events.len())),
        "{stderr}"
    );
    assert!(stderr.contains("File Hosting Activity (6006)"), "{stderr}");
}

#[test]
fn a_malformed_record_is_reported_with_its_place_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(
        &input,
        concat!(
            r#"{"log_type":"incident","incident_id":"a","timestamp":"2020-05-08T23:50:55Z"}"#,
            "\n{\"log_type\": \n",
            r#"{"log_type":"incident","incident_id":"b"}"#,
            "\n",
            r#"{"log_type":"dlp_scan","timestamp":"2020-05-08T23:50:55Z"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = run(&["--unknown", "skip", input.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(events(&out.stdout).len(), 1);
    let name = input.display().to_string();
    assert!(stderr.contains(&format!("{name}:2")), "{stderr}");
    assert!(
        stderr.contains(&format!("{name}:3:1: no `timestamp`")),
        "{stderr}"
    );
    assert!(stderr.contains("1  skipped (unknown log_type)"), "{stderr}");
    assert!(stderr.contains("2  records not converted"), "{stderr}");
}

#[test]
fn output_file_is_0600_and_options_apply() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.ndjson");
    let fixture = repo().join("tests/fixtures/valid/doc_policy_violation.json");
    let out = run(&[
        "--no-raw-data",
        "--severity-table",
        "3=4",
        "-q",
        "-o",
        output.to_str().unwrap(),
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let mode = std::fs::metadata(&output).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let events = events(&std::fs::read(&output).unwrap());
    assert_eq!(events.len(), 1);
    assert!(events[0].get("raw_data").is_none());
    assert_eq!(events[0]["severity"], "High");
    let bad = run(&["--severity-table", "9=1", fixture.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a vendor severity"));
}

#[test]
fn har_and_http_transcripts_are_read_as_the_validator_reads_them() {
    let har = repo().join("validator/tests/data/capture.har");
    let http = repo().join("tests/fixtures/captures/transcripts.http");
    let out = run(&[har.to_str().unwrap(), http.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The HAR file holds one entry that is not JSON, on purpose: reported, and the run goes on.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("capture.har (HAR entry 4): not JSON"),
        "{stderr}"
    );
    let events = events(&out.stdout);
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| problems(e).is_empty()));
}
