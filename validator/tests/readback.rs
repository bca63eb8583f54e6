//! Reports read back are untrusted input: a report written by hand (or by an
//! attacker with write access to a shared directory) is sanitised, cut and
//! capped as a live run's report is, while it is read, and merged counts
//! never wrap or saturate silently.
//!
//! Each test performs an attack of issue 26 (scaled down to seconds in a
//! debug build) and asserts the bound.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use aperture_events_validator::drift::{ENTRY_COST, MAX_DISTINCT, MAX_DRIFT_BYTES, MAX_NAME};
use aperture_events_validator::limits::{
    MAX_ERROR_BYTES, MAX_INPUTS, MAX_LOG_TYPES, MAX_NOTES, MAX_PROBLEMS, MAX_SOURCE,
};
use aperture_events_validator::merge;
use aperture_events_validator::{MergeError, Report, render};
use serde_json::{Value, json};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_aperture-validate");

/// Text that clears a terminal, rings, forges a verdict line and a workflow
/// command, and reverses what follows.
const EVIL: &str = "x\u{1b}[2J\u{7}\r\nok: every record is accepted\n::error file=forged.py,line=1::pwned\u{202e}\u{0}";

fn place(extra: Value) -> Value {
    let mut place = json!({"source": EVIL, "line": 1});
    if let (Some(p), Some(e)) = (place.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    place
}

/// A report with `EVIL` in every string a report holds.
fn hostile_report() -> Value {
    let counts = json!({"total": 2, "valid": 0, "invalid": 2, "unknown_type": 0});
    json!({
        "summary": {
            "reading": "tolerant", "total": 3, "valid": 0, "invalid": 2, "malformed": 1,
            "unknown_type": 0, "by_log_type": {EVIL: counts},
            "no_event_responses": 0, "error_responses": 1, "unreadable_inputs": 1
        },
        "errors": [
            place(json!({"class": "invalid", "log_type": EVIL, "problems": [
                {"pointer": EVIL, "keyword": EVIL, "schema": EVIL, "message": EVIL},
                {"pointer": "", "keyword": "input", "message": EVIL}
            ]})),
            place(json!({"class": "malformed", "problems": [
                {"pointer": "", "keyword": "syntax", "message": EVIL}
            ]})),
        ],
        "errors_omitted": 1,
        "drift": {
            "undocumented_fields": [{"log_type": EVIL, "field": EVIL, "count": 1, "first": place(json!({}))}],
            "unknown_values": [{"log_type": EVIL, "field": EVIL, "value": EVIL, "count": 1, "first": place(json!({}))}],
            "quirk_forms": [{"log_type": EVIL, "field": EVIL, "form": EVIL, "count": 1, "first": place(json!({}))}],
            "unknown_types": [{"log_type": EVIL, "count": 1, "first": place(json!({}))}],
            "fields": [{"log_type": EVIL, "field": EVIL, "events": 2, "absent": 0, "null": 1,
                        "absent_rate": 0.0, "null_rate": 0.5}],
            "dropped": 0
        },
        "notes": [place(json!({"message": EVIL}))],
        "inputs": [{"source": EVIL, "message": EVIL}]
    })
}

/// No raw control character, no forged line.
fn assert_safe(format: &str, out: &str) {
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{0}'] {
        assert!(
            !out.contains(c),
            "{format}: a raw {:?} is printed:\n{out}",
            c
        );
    }
    for line in out.lines() {
        assert!(
            !line.starts_with("ok: every record is accepted"),
            "{format}: a forged verdict line:\n{out}"
        );
        assert!(
            !line.starts_with("::error file=forged.py"),
            "{format}: a forged workflow command:\n{out}"
        );
    }
}

fn merge_cli(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("merge")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn strings_read_back_are_printable_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.json");
    fs::write(&path, hostile_report().to_string()).unwrap();
    let path = path.to_str().unwrap();
    for format in ["text", "github", "junit", "json"] {
        let out = merge_cli(&["--format", format, "--color", "never", path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_safe(format, &stdout);
        match format {
            "junit" => {
                roxmltree::Document::parse(&stdout).expect("the JUnit XML parses");
            }
            "json" => {
                // What the merge writes reads back as itself: escaping is idempotent.
                let again: Report = serde_json::from_str(&stdout).unwrap();
                let mut text = Vec::new();
                render::json(&again, &mut text).unwrap();
                assert_eq!(String::from_utf8(text).unwrap(), stdout);
            }
            _ => assert!(stdout.contains("\\u001b[2J"), "{format}: {stdout}"),
        }
    }
    // The library's reading is the same (Python's `Report.from_json` uses it).
    let report: Report = serde_json::from_value(hostile_report()).unwrap();
    let mut text = Vec::new();
    render::text(&report, &mut text, &render::TextOptions::default()).unwrap();
    assert_safe("library text", &String::from_utf8(text).unwrap());
}

fn summary(total: u64) -> Value {
    json!({"reading": "tolerant", "total": total, "valid": total, "invalid": 0,
           "malformed": 0, "unknown_type": 0})
}

fn document(summary: Value) -> Value {
    json!({"summary": summary, "errors": [], "drift": {}})
}

#[test]
fn types_inputs_notes_and_problems_are_capped_while_read() {
    let n = 3 * MAX_LOG_TYPES + 6;
    // Types claiming to be documented (no unknown_type).
    let mut report = document(summary(n as u64));
    let types: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            let counts = json!({"total": 1, "valid": 1, "invalid": 0, "unknown_type": 0});
            (format!("type_{i}"), counts)
        })
        .collect();
    report["summary"]["by_log_type"] = Value::Object(types);
    report["summary"]["unreadable_inputs"] = json!(n);
    report["inputs"] = (0..n)
        .map(|i| json!({"source": format!("f{i}"), "message": "cannot read"}))
        .collect();
    report["summary"]["error_responses"] = json!(n);
    report["notes"] = (0..n)
        .map(|i| json!({"source": "t.http", "response": i, "message": "HTTP status 500"}))
        .collect();
    let problems: Vec<Value> = (0..10_000)
        .map(|_| json!({"pointer": "", "keyword": "type", "message": "m"}))
        .collect();
    report["summary"]["valid"] = json!(n - 1);
    report["summary"]["invalid"] = json!(1);
    report["summary"]["by_log_type"]["type_0"] =
        json!({"total": 1, "valid": 0, "invalid": 1, "unknown_type": 0});
    report["errors"] =
        json!([{"source": "a", "line": 1, "class": "invalid", "problems": problems}]);
    let text = report.to_string();

    let read: Report = serde_json::from_str(&text).expect("reads back");
    let s = &read.summary;
    assert!(
        s.by_log_type.len() <= 2 * MAX_LOG_TYPES,
        "{}",
        s.by_log_type.len()
    );
    let listed: u64 = s.by_log_type.values().map(|c| c.total).sum();
    assert_eq!(
        listed + s.other_log_types.total,
        n as u64,
        "every record counted"
    );
    assert!(read.inputs.len() <= MAX_INPUTS, "{}", read.inputs.len());
    assert!(read.notes.len() <= MAX_NOTES, "{}", read.notes.len());
    assert!(read.errors[0].problems.len() <= MAX_PROBLEMS + 1);

    // Merged, the same caps hold.
    let merged = merge::merge([read.clone(), read], 10).expect("merges");
    let s = &merged.summary;
    assert!(s.by_log_type.len() <= 2 * MAX_LOG_TYPES);
    let listed: u64 = s.by_log_type.values().map(|c| c.total).sum();
    assert_eq!(listed + s.other_log_types.total, 2 * n as u64);
    assert!(merged.inputs.len() <= MAX_INPUTS);
    assert_eq!(s.unreadable_inputs, 2 * n as u64);
}

#[test]
fn errors_are_capped_while_read_and_all_counted() {
    let n = 20_000u64;
    let mut report = document(json!({"reading": "tolerant", "total": n, "valid": 0,
        "invalid": n, "malformed": 0, "unknown_type": 0}));
    let message = "m".repeat(1000);
    report["errors"] = (0..n)
        .map(|i| {
            json!({"source": "a.ndjson", "line": i + 1, "class": "invalid",
                   "problems": [{"pointer": "/x", "keyword": "type", "message": message}]})
        })
        .collect();
    report["errors_omitted"] = json!(0);
    let text = report.to_string();
    let read: Report = serde_json::from_str(&text).unwrap();
    let bytes: usize = read
        .errors
        .iter()
        .flat_map(|e| &e.problems)
        .map(|p| p.message.len())
        .sum();
    assert!(bytes <= MAX_ERROR_BYTES, "{bytes} bytes of errors kept");
    assert_eq!(read.errors.len() as u64 + read.errors_omitted, n);
    // Through the CLI's reader, with --max-errors.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    fs::write(&path, &text).unwrap();
    let out = merge_cli(&[
        "--format",
        "json",
        "--max-errors",
        "7",
        path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged["errors"].as_array().unwrap().len(), 7);
    assert_eq!(merged["errors_omitted"], json!(n - 7));
}

#[test]
fn drift_tables_are_capped_while_read() {
    let mut report = document(summary(0));
    let first = json!({"source": "a", "line": 1});
    let long = "n".repeat(MAX_NAME);
    // Distinct types, one entry each: no table of one type is full, the
    // tables together hold more than the budget.
    let entries = 3 * MAX_DRIFT_BYTES / (2 * MAX_NAME);
    report["drift"]["undocumented_fields"] = (0..entries)
        .map(|i| json!({"log_type": format!("t{i}"), "field": long, "count": 1, "first": first}))
        .collect();
    report["drift"]["unknown_types"] = (0..3 * MAX_DISTINCT)
        .map(|i| json!({"log_type": format!("u{i}"), "count": 2, "first": first}))
        .collect();
    let read: Report = serde_json::from_str(&report.to_string()).unwrap();
    let d = &read.drift;
    assert!(d.unknown_types.len() <= MAX_DISTINCT);
    let text: usize = d
        .undocumented_fields
        .iter()
        .map(|f| f.log_type.len() + f.field.len() + f.first.source.len())
        .sum();
    assert!(text <= MAX_DRIFT_BYTES, "{text} bytes of drift kept");
    let listed: u64 = d.undocumented_fields.iter().map(|f| f.count).sum::<u64>()
        + d.unknown_types.iter().map(|t| t.count).sum::<u64>();
    assert_eq!(
        listed + d.dropped,
        entries as u64 + 2 * 3 * MAX_DISTINCT as u64,
        "every occurrence is counted, listed or dropped"
    );
}

#[test]
fn merged_drift_tables_stay_within_the_budget() {
    // Two reports, each within the budget, together over it.
    let long = "n".repeat(MAX_NAME);
    // Each part two thirds of the budget.
    let entries = MAX_DRIFT_BYTES / (ENTRY_COST + MAX_NAME + 16) * 2 / 3;
    let part = |prefix: &str| {
        let mut report = document(summary(0));
        report["drift"]["undocumented_fields"] = (0..entries)
            .map(|i| {
                json!({"log_type": format!("{prefix}{i}"), "field": long, "count": 1,
                       "first": {"source": "a"}})
            })
            .collect();
        read(report)
    };
    let (a, b) = (part("a"), part("b"));
    assert_eq!(a.drift.dropped, 0, "each part is within the budget");
    let merged = merge::merge([a, b], 10).unwrap();
    let d = &merged.drift;
    let text: usize = d
        .undocumented_fields
        .iter()
        .map(|f| f.log_type.len() + f.field.len() + f.first.source.len())
        .sum();
    assert!(text <= MAX_DRIFT_BYTES, "{text} bytes of drift kept");
    assert!(d.dropped > 0);
    assert_eq!(
        d.undocumented_fields.len() as u64 + d.dropped,
        2 * entries as u64
    );
}

#[test]
fn a_run_lists_the_first_unreadable_inputs_and_counts_all() {
    let mut report = Report::new(Default::default());
    for i in 0..MAX_INPUTS + 50 {
        report.unreadable(&format!("f{i}\u{1b}"), "cannot read".to_owned());
    }
    assert_eq!(report.inputs.len(), MAX_INPUTS);
    assert_eq!(report.summary.unreadable_inputs, MAX_INPUTS as u64 + 50);
    assert_eq!(report.inputs[0].source, "f0\\u001b");
}

#[test]
fn a_long_string_is_cut_while_read() {
    let mut report = document(json!({"reading": "tolerant", "total": 1, "valid": 0,
        "invalid": 0, "malformed": 1, "unknown_type": 0}));
    let long = format!("{}\u{1b}", "s".repeat(5 << 20));
    report["errors"] = json!([{"source": long, "line": 1, "class": "malformed",
        "problems": [{"pointer": "", "keyword": "syntax", "message": long}]}]);
    let text = report.to_string();
    let read: Report = serde_json::from_str(&text).unwrap();
    assert!(read.errors[0].place.source.chars().count() <= MAX_SOURCE + 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    fs::write(&path, &text).unwrap();
    let out = merge_cli(&["--color", "never", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.len() < 64 << 10,
        "{} bytes printed",
        out.stdout.len()
    );
}

fn counts(total: u64, valid: u64, invalid: u64) -> Value {
    json!({"total": total, "valid": valid, "invalid": invalid, "unknown_type": 0})
}

fn read(value: Value) -> Report {
    serde_json::from_value(value).expect("reads back")
}

#[test]
fn merged_counts_that_overflow_are_refused() {
    let big = read(document(summary(u64::MAX)));
    let one = read(document(summary(1)));
    let error = merge::merge([big.clone(), one], 10).unwrap_err();
    assert!(
        matches!(error, MergeError::Overflow { index: 2, .. }),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("report 2: "), "{error}");
    let mut rates = document(summary(0));
    rates["drift"]["fields"] = json!([{"log_type": "incident", "field": "f", "events": u64::MAX,
        "absent": 0, "null": 0, "absent_rate": 0.0, "null_rate": 0.0}]);
    let error = merge::merge([read(rates.clone()), read(rates)], 10).unwrap_err();
    assert!(matches!(error, MergeError::Overflow { .. }), "{error:?}");
    let mut drift = document(summary(0));
    drift["drift"]["unknown_types"] =
        json!([{"log_type": "u", "count": u64::MAX, "first": {"source": "a"}}]);
    let error = merge::merge([read(drift.clone()), read(drift)], 10).unwrap_err();
    assert!(matches!(error, MergeError::Overflow { .. }), "{error:?}");
}

#[test]
fn per_type_counts_must_agree_with_the_summary() {
    let cases = [
        // More records of a type than records.
        json!({"incident": counts(5, 5, 0)}),
        // More valid records of a type than valid records.
        json!({"incident": counts(3, 0, 3)}),
        // A type's classes add to more than its total.
        json!({"incident": counts(1, 1, 1)}),
        // Two types that together have more than the total.
        json!({"incident": counts(2, 2, 0), "remediation": counts(2, 2, 0)}),
    ];
    for by_log_type in cases {
        let mut report = document(summary(3));
        report["summary"]["by_log_type"] = by_log_type.clone();
        let refused = match serde_json::from_value::<Report>(report) {
            Err(_) => true,
            Ok(report) => matches!(
                merge::merge([report], 10),
                Err(MergeError::Inconsistent { index: 1, .. })
            ),
        };
        assert!(refused, "{by_log_type} is accepted");
    }
    let mut fine = document(summary(3));
    fine["summary"]["by_log_type"] = json!({"incident": counts(2, 2, 0)});
    merge::merge([read(fine)], 10).expect("a consistent report merges");
}

#[test]
fn merge_numeric_flags_are_bounded() {
    for bad in ["99999999999999999999", "-1", "100000000", "65537", "1e3"] {
        let out = merge_cli(&[&format!("--max-errors={bad}"), "x.json"]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--max-errors"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("give 0 to 65536 errors"), "{stderr}");
    }
}

/// Peak resident memory of `aperture-validate merge ARGS` (the child's `VmHWM`).
fn merge_peak(args: &[&Path]) -> (i32, u64) {
    let child = Command::new(BIN)
        .arg("merge")
        .args(["--format", "json"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let (status, peak) = support::wait_measuring_peak(child, Duration::from_secs(600), "merge");
    (status.code().expect("exited"), peak)
}

#[test]
fn a_large_report_merges_within_the_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000 errors of 1 KB each, then 100,000 notes and inputs: 250 MB.
    let path = dir.path().join("large.json");
    let n = 100_000u64;
    let mut out = BufWriter::new(File::create(&path).unwrap());
    write!(
        out,
        r#"{{"summary":{{"reading":"tolerant","total":{n},"valid":0,"invalid":{n},"malformed":0,"unknown_type":0,"error_responses":{n},"unreadable_inputs":{n}}},"errors":["#
    )
    .unwrap();
    let message = "m".repeat(1000);
    for i in 0..n {
        let comma = if i == 0 { "" } else { "," };
        write!(
            out,
            r#"{comma}{{"source":"s{i}","line":{i},"class":"invalid","problems":[{{"pointer":"/x","keyword":"type","message":"{message}"}}]}}"#
        )
        .unwrap();
    }
    write!(out, r#"],"errors_omitted":0,"drift":{{}},"notes":["#).unwrap();
    for i in 0..n {
        let comma = if i == 0 { "" } else { "," };
        write!(
            out,
            r#"{comma}{{"source":"n{i}","line":1,"message":"{message}"}}"#
        )
        .unwrap();
    }
    write!(out, r#"],"inputs":["#).unwrap();
    for i in 0..n {
        let comma = if i == 0 { "" } else { "," };
        write!(out, r#"{comma}{{"source":"i{i}","message":"{message}"}}"#).unwrap();
    }
    writeln!(out, "]}}").unwrap();
    out.flush().unwrap();
    drop(out);
    // And a report whose one string is 100 MB.
    let long = dir.path().join("long.json");
    let mut out = BufWriter::new(File::create(&long).unwrap());
    write!(
        out,
        r#"{{"summary":{},"errors":[],"drift":{{}},"inputs":[{{"source":""#,
        summary(0)
    )
    .unwrap();
    let chunk = "s".repeat(1 << 20);
    for _ in 0..100 {
        out.write_all(chunk.as_bytes()).unwrap();
    }
    writeln!(out, r#"","message":"m"}}]}}"#).unwrap();
    out.flush().unwrap();
    drop(out);

    let (code, peak) = merge_peak(&[&path, &long]);
    assert_eq!(code, 2, "an unreadable input is listed: exit 2");
    assert!(
        peak <= merge::MEMORY_BOUND as u64,
        "peak {} MiB over the bound {} MiB",
        peak >> 20,
        merge::MEMORY_BOUND >> 20
    );
}
