//! The bounds of every number `aperture-validate` takes, and of what an input
//! may decompress to (issue 26, items 4, 13 and 14).
//!
//! Each numeric flag is attacked with 10^10 and 2^64-1: it is either a
//! number the run handles whatever its size (`--max-errors`), or refused
//! before anything is read, with exit 2 and a message that gives the range;
//! never an abort, a panic or a minute spent starting threads. A compression
//! bomb (gzip inside gzip, built here by streaming through flate2 twice) is an
//! unreadable input after the records before it, and the run goes on.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::AtomicU64;

use aperture_events_validator::input::{
    DEFAULT_MAX_DECOMPRESSION_RATIO, LARGEST_MAX_DECOMPRESSION_RATIO, LARGEST_MAX_RECORD_SIZE,
    MAX_GZIP_LAYERS, Source,
};
use aperture_events_validator::{Jobs, Options, Report, RunOptions, Validator, run};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_aperture-validate");

/// One valid event on one line.
const GOOD_EVENT: &str = r#"{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "5eb5ed492021c32b37588a6c", "severity": 1.0}"#;

/// The two numbers of the issue's attacks.
const ATTACKS: [&str; 2] = ["10000000000", "18446744073709551615"];

fn good_file(dir: &Path) -> PathBuf {
    let path = dir.join("good.ndjson");
    fs::write(&path, format!("{GOOD_EVENT}\n")).unwrap();
    path
}

fn validate(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(BIN)
        .args(["--format", "json"])
        .args(args)
        .args(paths)
        .output()
        .expect("spawn aperture-validate")
}

/// The exit code; a signal (an abort) fails the test.
fn code(output: &Output) -> i32 {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal ({:?}): {stderr}", output.status))
}

fn report_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a report ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Runs with `flag value` and checks it is a usage error that gives the range.
fn refused(flag: &str, value: &str, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let good = good_file(dir.path());
    let output = validate(&[flag, value], &[&good]);
    assert_eq!(code(&output), 2, "{flag} {value}");
    assert!(
        output.stdout.is_empty(),
        "{flag} {value}: a report was printed"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(expected),
        "{flag} {value}: {stderr:?} does not say {expected:?}"
    );
}

#[test]
fn jobs_past_the_bound_are_a_usage_error() {
    let max = Jobs::max();
    for value in ATTACKS.iter().copied().chain([&*(max + 1).to_string()]) {
        refused(
            "-j",
            value,
            &format!(
                "-j/--jobs: {value} is out of range: give 0 to {max} worker threads \
                 (0: one per core)"
            ),
        );
    }
}

#[test]
fn the_most_jobs_allowed_run() {
    let dir = tempfile::tempdir().unwrap();
    let good = good_file(dir.path());
    let output = validate(&["-j", &Jobs::max().to_string()], &[&good]);
    assert_eq!(code(&output), 0);
    assert_eq!(report_of(&output)["summary"]["valid"], 1);
}

#[test]
fn a_max_record_size_past_the_bound_is_a_usage_error() {
    for value in ATTACKS {
        refused(
            "--max-record-size",
            value,
            &format!(
                "--max-record-size: {value} is out of range: give 1 to \
                 {LARGEST_MAX_RECORD_SIZE} bytes"
            ),
        );
    }
    // A size whose suffix takes it past 2^64 is refused by the flag's parser.
    refused("--max-record-size", "17179869184G", "is too large");
    refused("--max-record-size", "0", "at least 1 byte");
    let dir = tempfile::tempdir().unwrap();
    let good = good_file(dir.path());
    let output = validate(&["--max-record-size", "1G"], &[&good]);
    assert_eq!(code(&output), 0);
}

#[test]
fn a_decompression_ratio_out_of_range_is_a_usage_error() {
    for value in ATTACKS.iter().copied().chain(["0"]) {
        refused(
            "--max-decompression-ratio",
            value,
            &format!(
                "--max-decompression-ratio: {value} is out of range: give 1 to \
                 {LARGEST_MAX_DECOMPRESSION_RATIO} times"
            ),
        );
    }
}

#[test]
fn until_idle_out_of_range_is_a_usage_error() {
    // Checked before the stream is opened (and with or without the `nats` feature).
    for value in ATTACKS.iter().copied().chain(["1e10", "0", "-1", "nan"]) {
        let output = validate(
            &[&format!("--until-idle={value}")],
            &[Path::new("nats://127.0.0.1:9/S")],
        );
        assert_eq!(code(&output), 2, "--until-idle {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("--until-idle: give a number of seconds above 0")
                || stderr.contains("invalid value"),
            "--until-idle {value}: {stderr}"
        );
    }
}

#[test]
fn max_errors_takes_any_number() {
    // A cap on what is listed: nothing is reserved for it.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ndjson");
    fs::write(&bad, "\"not an event\"\n{\"log_type\": \"incident\"}\n").unwrap();
    for value in ATTACKS {
        let output = validate(&["--max-errors", value], &[&bad]);
        assert_eq!(code(&output), 1, "--max-errors {value}");
        let report = report_of(&output);
        assert_eq!(report["errors"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn max_events_takes_any_number() {
    // Refused with files, whatever its value: it ends the reading of a stream.
    let dir = tempfile::tempdir().unwrap();
    let good = good_file(dir.path());
    for value in ATTACKS {
        let output = validate(&["--max-events", value], &[&good]);
        assert_eq!(code(&output), 2, "--max-events {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("end the reading of a stream"), "{stderr}");
    }
}

/// `bytes` gzipped.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// gzip(gzip(`head` then `newlines` line breaks)), streamed: the newlines
/// are never held, only their gzip.
fn double_gzip_bomb(head: &str, newlines: usize) -> Vec<u8> {
    let outer = GzEncoder::new(Vec::new(), Compression::best());
    let mut inner = GzEncoder::new(outer, Compression::best());
    inner.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'\n'; 1 << 16];
    let mut left = newlines;
    while left > 0 {
        let n = left.min(chunk.len());
        inner.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    inner.finish().unwrap().finish().unwrap()
}

/// The unreadable-input messages of a report for `name`.
fn input_errors(report: &Value, name: &str) -> Vec<String> {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"].as_str().unwrap().ends_with(name))
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_compression_bomb_stops_at_the_ratio_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = good_file(dir.path());
    // 64 MiB of line breaks after one event: a few hundred bytes of gzip.
    let bomb_bytes = double_gzip_bomb(&format!("{GOOD_EVENT}\n"), 64 << 20);
    let bomb = dir.path().join("bomb.ndjson.gz");
    fs::write(&bomb, &bomb_bytes).unwrap();
    let size = bomb_bytes.len() as u64;
    assert!(
        (64 << 20) / size > DEFAULT_MAX_DECOMPRESSION_RATIO,
        "a bomb of {size} bytes"
    );

    let output = validate(&[], &[&bomb, &good]);
    assert_eq!(code(&output), 2, "an unreadable input");
    let report = report_of(&output);
    // The event before the bomb's line breaks, and the next file, are counted.
    assert_eq!(report["summary"]["valid"], 2);
    let errors = input_errors(&report, "bomb.ndjson.gz");
    assert_eq!(errors.len(), 1, "{report:#}");
    let allowed = DEFAULT_MAX_DECOMPRESSION_RATIO * size;
    assert_eq!(
        errors[0],
        format!(
            "cannot read: decompressed more than {allowed} bytes from {size} bytes, over \
             {DEFAULT_MAX_DECOMPRESSION_RATIO} times its size (a compression bomb?): the rest \
             is not read (--max-decompression-ratio raises the limit)"
        )
    );

    // The flag raises the limit: the whole bomb is read (its line breaks are blank lines).
    let ratio = LARGEST_MAX_DECOMPRESSION_RATIO.to_string();
    let output = validate(&["--max-decompression-ratio", &ratio], &[&bomb, &good]);
    assert_eq!(code(&output), 0);
    let report = report_of(&output);
    assert_eq!(report["summary"]["valid"], 2);
    assert_eq!(report["summary"]["unreadable_inputs"], 0);
}

#[test]
fn the_flag_sets_the_ratio_of_one_layer_too() {
    // Real events compress well, under the default ratio, above a ratio of 2.
    let dir = tempfile::tempdir().unwrap();
    let events = format!("{GOOD_EVENT}\n").repeat(2000);
    let path = dir.path().join("events.ndjson.gz");
    let zipped = gzip(events.as_bytes());
    assert!(events.len() > 2 * zipped.len());
    fs::write(&path, &zipped).unwrap();

    let output = validate(&[], &[&path]);
    assert_eq!(code(&output), 0);
    assert_eq!(report_of(&output)["summary"]["valid"], 2000);

    let output = validate(&["--max-decompression-ratio", "2"], &[&path]);
    assert_eq!(code(&output), 2);
    let report = report_of(&output);
    let errors = input_errors(&report, "events.ndjson.gz");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("cannot read: decompressed more than "),
        "{errors:?}"
    );
    assert!(errors[0].contains("over 2 times its size"), "{errors:?}");
    assert!(report["summary"]["valid"].as_u64().unwrap() < 2000);
}

fn run_on(paths: &[PathBuf]) -> Report {
    let validator = Validator::embedded(Options::default()).unwrap();
    let sources: Vec<Source> = paths.iter().cloned().map(Source::File).collect();
    run(
        &validator,
        &sources,
        &RunOptions::default(),
        &AtomicU64::new(0),
    )
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn utf16_inside_two_layers_of_gzip_is_read_as_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{GOOD_EVENT}\n{{\"log_type\": \"incident\"}}\n{GOOD_EVENT}\n");
    let plain = dir.path().join("plain.ndjson");
    fs::write(&plain, &text).unwrap();
    let expected = run_on(&[plain]);
    assert_eq!(expected.summary.total, 3);
    for (name, bytes) in [
        ("once.gz", gzip(&utf16le(&text))),
        ("twice.gz", gzip(&gzip(&utf16le(&text)))),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let report = run_on(&[path]);
        assert_eq!(report.summary.total, 3, "{name}");
        assert_eq!(report.summary.valid, expected.summary.valid, "{name}");
        assert_eq!(report.summary.invalid, expected.summary.invalid, "{name}");
        assert_eq!(report.summary.malformed, 0, "{name}");
        let lines = |r: &Report| r.errors.iter().map(|e| e.place.locus).collect::<Vec<_>>();
        assert_eq!(lines(&report), lines(&expected), "{name}");
    }
}

#[test]
fn gzip_past_the_layers_read_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{GOOD_EVENT}\n").into_bytes();
    for _ in 0..=MAX_GZIP_LAYERS {
        bytes = gzip(&bytes);
    }
    let path = dir.path().join("thrice.gz");
    fs::write(&path, bytes).unwrap();
    let report = run_on(&[path]);
    assert_eq!(report.summary.total, 0, "no garbage record");
    assert_eq!(report.inputs.len(), 1);
    assert_eq!(
        report.inputs[0].message.as_str(),
        format!(
            "cannot read: gzip nested more than {MAX_GZIP_LAYERS} deep: at most \
             {MAX_GZIP_LAYERS} layers of gzip are read"
        )
    );
}
