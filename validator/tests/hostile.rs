//! Hostile inputs against the `aperture-validate` binary: each one beside a
//! good file, checking that the run says what is wrong and where, exits with
//! the right code, keeps its memory bounded, and still counts the good file.
//!
//! # Design
//! The binary is spawned (`CARGO_BIN_EXE_aperture-validate`) with
//! `--format json`, so the checks read the report's fields instead of text.
//! Peak memory is the child's resident high-water mark
//! (`support::wait_measuring_peak`). The bounds are generous
//! multiples of what the input needs, tight enough to catch memory that grows
//! with the input (a file read whole, a record copied many times).
//!
//! Unreadable files: the tests run as root in CI, and root reads a file whose
//! mode is 000. So the unreadable input is a file whose `read` fails for
//! everyone: `/proc/self/mem` (reading the first page of one's own address
//! space fails with EIO); a mode-000 file is added when the test is not root.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_aperture-validate");

/// One valid event on one line.
const GOOD_EVENT: &str = r#"{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "5eb5ed492021c32b37588a6c", "severity": 1.0}"#;

/// What one run of the binary gave.
#[derive(Debug)]
struct Run {
    code: i32,
    report: Value,
    stderr: String,
    peak_kb: u64,
}

impl Run {
    fn count(&self, field: &str) -> u64 {
        self.report["summary"][field]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{field} in {:#}", self.report))
    }

    /// The record errors whose place is in `source` (a path ending).
    fn errors_in(&self, source: &str) -> Vec<&Value> {
        self.report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter(|e| e["source"].as_str().is_some_and(|s| s.ends_with(source)))
            .collect()
    }

    /// The unreadable-input messages for `source` (a path ending).
    fn input_errors(&self, source: &str) -> Vec<String> {
        self.report["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .filter(|e| e["source"].as_str().is_some_and(|s| s.ends_with(source)))
            .map(|e| e["message"].as_str().expect("message").to_owned())
            .collect()
    }
}

/// Runs the validator on `paths` (with `--format json`), measuring its peak memory.
fn validate(paths: &[&Path], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("stdout");
    let err_path = dir.path().join("stderr");
    let mut args: Vec<OsString> = vec!["--format".into(), "json".into(), "-j".into(), "2".into()];
    args.extend(extra.iter().map(OsString::from));
    args.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    let child = Command::new(BIN)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("spawn aperture-validate");
    let what = format!("aperture-validate on {paths:?}");
    let (status, peak) = support::wait_measuring_peak(child, Duration::from_secs(60), &what);
    let stdout = fs::read_to_string(&out_path).expect("stdout");
    let stderr = fs::read_to_string(&err_path).expect("stderr");
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the report is not JSON ({e}): {stdout}\nstderr: {stderr}"));
    Run {
        code: status.code().expect("exited, not killed by a signal"),
        report,
        stderr,
        peak_kb: peak / 1024,
    }
}

/// A directory holding `good.ndjson` (one valid event).
fn with_good_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.ndjson");
    fs::write(&good, format!("{GOOD_EVENT}\n")).expect("write good file");
    (dir, good)
}

/// Runs `bad` beside the good file and checks the good file is still counted as valid.
fn run_beside_good(name: &str, bad: &[u8]) -> Run {
    let (dir, good) = with_good_file();
    let path = dir.path().join(name);
    fs::write(&path, bad).expect("write bad file");
    let run = validate(&[&path, &good], &[]);
    assert_good_counted(&run);
    run
}

fn assert_good_counted(run: &Run) {
    assert!(
        run.count("valid") >= 1,
        "the good file is not counted: {:#}",
        run.report
    );
    assert!(run.errors_in("good.ndjson").is_empty(), "{:#}", run.report);
    let s = &run.report["summary"];
    let sum: u64 = ["valid", "invalid", "malformed", "unknown_type"]
        .iter()
        .map(|k| s[k].as_u64().expect("count"))
        .sum();
    assert_eq!(sum, run.count("total"), "the classes add up: {s:#}");
}

/// The single record error of `source`, with its problems' text joined.
fn only_error<'a>(run: &'a Run, source: &str) -> (&'a Value, String) {
    let errors = run.errors_in(source);
    assert_eq!(errors.len(), 1, "{:#}", run.report);
    let text = errors[0]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| format!("{} {}: {}", p["pointer"], p["keyword"], p["message"]))
        .collect::<Vec<_>>()
        .join("; ");
    (errors[0], text)
}

const MB: u64 = 1024;

#[test]
fn deep_nesting_is_a_malformed_record_with_its_place() {
    let depth = 100_000;
    // As a whole document (an array nested 100,000 deep), as an NDJSON line
    // after a good one, and inside an event's field.
    let array = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!(
        "{GOOD_EVENT}\n{}1{}\n",
        r#"{"a":"#.repeat(depth),
        "}".repeat(depth)
    );
    let field = format!(
        r#"{{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x", "extra": {}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (dir, good) = with_good_file();
    let files = [
        ("array.json", array),
        ("objects.ndjson", objects),
        ("field.json", field),
    ];
    let mut paths = vec![good.clone()];
    for (name, text) in &files {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        paths.push(path);
    }
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let run = validate(&refs, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_good_counted(&run);
    assert_eq!(
        run.count("valid"),
        2,
        "good.ndjson and the first line of objects.ndjson"
    );
    for (name, _) in &files {
        let (error, text) = only_error(&run, name);
        assert_eq!(error["class"], "malformed", "{name}: {error:#}");
        assert!(text.contains("recursion limit"), "{name}: {text}");
        assert!(
            error["line"].as_u64().is_some(),
            "{name} has no line: {error:#}"
        );
    }
    assert_eq!(run.errors_in("objects.ndjson")[0]["line"], 2);
    assert!(run.peak_kb < 200 * MB, "peak memory {} kB", run.peak_kb);
}

#[test]
fn a_60_mb_record_is_read_in_bounded_memory() {
    let big = "x".repeat(60 << 20);
    let event = format!(
        r#"{{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x", "item_name": "{big}"}}"#
    );
    let (dir, good) = with_good_file();
    let path = dir.path().join("big.ndjson");
    fs::write(&path, format!("{event}\n{GOOD_EVENT}\n")).expect("write");
    let run = validate(&[&path, &good], &["--max-record-size", "64M"]);
    assert_eq!(run.code, 0, "{}\n{:#}", run.stderr, run.report);
    assert_eq!(run.count("valid"), 3);
    // The record is held a few times (read buffer, batch, parsed value); not
    // the file many times over.
    assert!(
        run.peak_kb < 400 * MB,
        "peak memory {} kB for a 60 MB record",
        run.peak_kb
    );
}

#[test]
fn invalid_utf8_is_malformed_at_its_line_and_column() {
    let mut bad = format!("{GOOD_EVENT}\n").into_bytes();
    bad.extend_from_slice(br#"{"log_type": "incident", "item_name": "caf"#);
    bad.extend_from_slice(&[0xE9, 0xFF]);
    bad.extend_from_slice(b"\"}\n");
    let run = run_beside_good("latin1.ndjson", &bad);
    assert_eq!(run.code, 1);
    let (error, text) = only_error(&run, "latin1.ndjson");
    assert_eq!(error["class"], "malformed");
    assert_eq!(error["line"], 2, "{error:#}");
    assert!(
        error["column"].as_u64().is_some_and(|c| c > 40),
        "{error:#}"
    );
    assert!(text.contains("UTF-8"), "{text}");
}

#[test]
fn nul_bytes_are_malformed_not_fatal() {
    let mut bad = Vec::new();
    bad.extend_from_slice(b"\0\0\0\n");
    bad.extend_from_slice(br#"{"log_type": "incident", "item_name": "a"#);
    bad.push(0);
    bad.extend_from_slice(b"b\"}\n");
    bad.extend_from_slice(GOOD_EVENT.as_bytes());
    bad.push(b'\n');
    let run = run_beside_good("nul.ndjson", &bad);
    assert_eq!(run.code, 1);
    let errors = run.errors_in("nul.ndjson");
    assert_eq!(errors.len(), 2, "{:#}", run.report);
    assert_eq!(errors[0]["line"], 1);
    assert_eq!(errors[1]["line"], 2);
    assert!(errors.iter().all(|e| e["class"] == "malformed"));
    assert_eq!(run.count("valid"), 2);
    // A file of NULs only: one malformed record, no crash.
    let run = run_beside_good("zeros.bin", &[0u8; 4096]);
    assert_eq!(run.code, 1);
    assert_eq!(only_error(&run, "zeros.bin").0["class"], "malformed");
}

#[test]
fn huge_and_negative_zero_numbers() {
    let event = |severity: &str| {
        format!(
            r#"{{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x", "severity": {severity}}}"#
        )
    };
    let text = [
        event("1e400"),
        event("-0"),
        event("-0.0"),
        event("1e-400"),
        event("5e0"),
    ]
    .join("\n");
    let run = run_beside_good("numbers.ndjson", text.as_bytes());
    assert_eq!(run.code, 1);
    let (error, message) = only_error(&run, "numbers.ndjson");
    assert_eq!(error["line"], 1, "only 1e400 is refused: {:#}", run.report);
    assert_eq!(error["class"], "malformed");
    assert!(message.contains("number out of range"), "{message}");
    // -0, -0.0, 1e-400 (which is 0) and 5e0 are integers 0..5 in JSON Schema's sense.
    assert_eq!(run.count("valid"), 5);
}

#[test]
fn duplicate_keys_are_invalid_at_the_key() {
    let bad = r#"{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x", "serial": "a", "serial": null}"#;
    let run = run_beside_good("dup.json", bad.as_bytes());
    assert_eq!(run.code, 1);
    let (error, text) = only_error(&run, "dup.json");
    assert_eq!(error["class"], "invalid");
    assert!(text.contains("\"/serial\""), "{text}");
    assert!(text.contains("duplicate"), "{text}");
}

#[test]
fn empty_whitespace_and_lone_bom_files_hold_no_record() {
    let (dir, good) = with_good_file();
    let mut paths = vec![good.clone()];
    for (name, bytes) in [
        ("empty.json", &b""[..]),
        ("spaces.ndjson", &b" \n\t\r\n   \n"[..]),
        ("bom.json", &b"\xEF\xBB\xBF"[..]),
        ("bom-spaces.json", &b"\xEF\xBB\xBF\n \n"[..]),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        paths.push(path);
    }
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let run = validate(&refs, &[]);
    assert_eq!(run.code, 0, "{:#}", run.report);
    assert_eq!(run.count("total"), 1);
    assert_eq!(run.count("valid"), 1);
    assert!(run.report["inputs"].as_array().expect("inputs").is_empty());
}

#[test]
fn truncated_gzip_is_an_unreadable_input_after_its_whole_records() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for _ in 0..2000 {
        writeln!(encoder, "{GOOD_EVENT}").expect("gzip");
    }
    let gz = encoder.finish().expect("gzip");
    let truncated = &gz[..gz.len() / 2];
    let run = run_beside_good("cut.ndjson.gz", truncated);
    assert_eq!(
        run.code, 2,
        "an input that cannot be read to its end: {:#}",
        run.report
    );
    let messages = run.input_errors("cut.ndjson.gz");
    assert_eq!(messages.len(), 1, "{:#}", run.report);
    assert!(messages[0].starts_with("cannot read"), "{}", messages[0]);
    assert!(
        messages[0].contains("eof") || messages[0].contains("end"),
        "{}",
        messages[0]
    );
    // What came before the cut is counted; the good file too.
    let valid = run.count("valid");
    assert!(valid > 1 && valid < 2001, "{valid}");
    // A gzip header alone.
    let run = run_beside_good("header.gz", &gz[..10]);
    assert_eq!(run.code, 2);
    assert_eq!(run.input_errors("header.gz").len(), 1);
}

#[test]
fn unreadable_and_missing_files_are_input_errors_and_the_run_goes_on() {
    let (dir, good) = with_good_file();
    let missing = dir.path().join("missing.json");
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).expect("symlink");
    let under_file = good.join("child.json");
    let mem = Path::new("/proc/self/mem");
    let mut paths: Vec<&Path> = vec![&missing, &dangling, &under_file, mem, &good];
    // Mode 000 only stops a process without CAP_DAC_OVERRIDE (not root).
    let locked = dir.path().join("locked.json");
    fs::write(&locked, GOOD_EVENT).expect("write");
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    let root = File::open(&locked).is_ok();
    if !root {
        paths.push(&locked);
    }
    let run = validate(&paths, &[]);
    assert_eq!(run.code, 2, "{:#}", run.report);
    assert_good_counted(&run);
    assert_eq!(run.count("total"), 1);
    assert_eq!(
        run.input_errors("missing.json"),
        ["cannot read: no such file"]
    );
    assert_eq!(
        run.input_errors("dangling.json"),
        ["cannot read: no such file"]
    );
    assert_eq!(run.input_errors("child.json").len(), 1, "{:#}", run.report);
    let mem = run.input_errors("/proc/self/mem");
    assert_eq!(mem.len(), 1, "{:#}", run.report);
    assert!(mem[0].starts_with("cannot read: "), "{}", mem[0]);
    if !root {
        assert_eq!(
            run.input_errors("locked.json"),
            ["cannot read: permission denied"]
        );
    }
}

#[test]
fn a_directory_symlink_loop_is_reported_and_each_file_counted_once() {
    let (dir, _good) = with_good_file();
    let inner = dir.path().join("inner");
    fs::create_dir(&inner).expect("mkdir");
    fs::write(inner.join("event.ndjson"), format!("{GOOD_EVENT}\n")).expect("write");
    // inner/loop -> .. : walking follows it back to the top, again and again.
    std::os::unix::fs::symlink("..", inner.join("loop")).expect("symlink");
    // Two symlinks to each other: no directory at all.
    std::os::unix::fs::symlink("b.json", dir.path().join("a.json")).expect("symlink");
    std::os::unix::fs::symlink("a.json", dir.path().join("b.json")).expect("symlink");
    let run = validate(&[dir.path()], &[]);
    assert_eq!(
        run.count("valid"),
        2,
        "good.ndjson and inner/event.ndjson, once each: {:#}",
        run.report
    );
    assert_eq!(run.count("total"), 2);
    let inputs = run.report["inputs"].as_array().expect("inputs");
    let text = serde_json::to_string(inputs).expect("json");
    assert!(text.contains("loop"), "the loop is named: {text}");
    assert!(text.contains("a.json") && text.contains("b.json"), "{text}");
    assert_eq!(
        run.code, 2,
        "an input that cannot be read: {:#}",
        run.report
    );
}

#[test]
fn a_file_growing_while_read_is_read_without_losing_count() {
    let (dir, good) = with_good_file();
    let path = dir.path().join("growing.ndjson");
    let initial = 20_000;
    let mut file = File::create(&path).expect("create");
    for _ in 0..initial {
        writeln!(file, "{GOOD_EVENT}").expect("write");
    }
    file.flush().expect("flush");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            // Whole lines, one write each, for at most 2 s or until the run ends.
            let line = format!("{GOOD_EVENT}\n");
            let started = Instant::now();
            let mut written = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(2)
            {
                file.write_all(line.as_bytes()).expect("append");
                written += 1;
            }
            written
        })
    };
    let run = validate(&[&path, &good], &[]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let appended = writer.join().expect("writer");
    assert_good_counted(&run);
    let total = run.count("total");
    assert!(total > initial, "{total}");
    assert!(
        total <= initial + appended + 1,
        "{total} > {}",
        initial + appended + 1
    );
    // A line cut by the writer may be read half-written: then it alone is malformed.
    assert!(run.count("malformed") <= 1, "{:#}", run.report);
    assert!(run.code == 0 || run.code == 1, "{}", run.code);
}

/// Every fixture event on one line, then each with each of its fields
/// replaced by each of a set of hostile values, then lines that are not
/// events at all.
fn generated_capture() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut events = Vec::new();
    for kind in ["valid", "invalid", "unknown_type"] {
        let mut paths: Vec<PathBuf> = fs::read_dir(dir.join(kind))
            .expect("fixture directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = fs::read(&path).expect("fixture");
            if let Ok(Value::Object(map)) = serde_json::from_slice(&text) {
                events.push(map);
            }
        }
    }
    assert!(events.len() > 20, "fixtures are there");
    let hostile = [
        "null",
        "1.0",
        "-0",
        "2.5",
        "6",
        "1e400",
        "18446744073709551616",
        "\"\"",
        "\"COMPANY\"",
        "\"file\"",
        "[]",
        "{}",
        "[\"x\"]",
        "\"2017-02-30T00:00:00Z\"",
        "\"2017-08-14T23:20:57+05:30\"",
        "\"a\\u0000b\"",
        "\"\\ud800\"",
    ];
    let mut lines = Vec::new();
    for event in &events {
        lines.push(serde_json::to_vec(event).expect("json"));
        for key in event.keys() {
            let mut rest = event.clone();
            rest.remove(key);
            let rest = serde_json::to_string(&rest).expect("json");
            let rest = if rest == "{}" {
                "}".to_owned()
            } else {
                format!(", {}", &rest[1..])
            };
            let key = serde_json::to_string(key).expect("json");
            for raw in hostile {
                lines.push(format!("{{{key}: {raw}{rest}").into_bytes());
            }
            // The key twice.
            lines.push(format!("{{{key}: null, {key}: 1{rest}").into_bytes());
        }
    }
    for raw in [
        &b"\0"[..],
        b"{\"log_type\": \"incident\", \"x\": \"\xff\"}",
        b"[]",
        b"7",
        b"{",
        b"{\"log_type\": 1}",
        b"{}",
    ] {
        lines.push(raw.to_vec());
    }
    lines
}

#[test]
fn the_binary_classes_every_record_as_the_library_does() {
    use aperture_events_validator::{Class, Options, Reading, Validator};
    let lines = generated_capture();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("generated.ndjson");
    let mut text = Vec::new();
    for line in &lines {
        text.extend_from_slice(line);
        text.push(b'\n');
    }
    fs::write(&path, text).expect("write");
    let max = format!("{}", lines.len() + 1);
    for (reading, flags) in [
        (Reading::Tolerant, vec![]),
        (Reading::Strict, vec!["--strict"]),
    ] {
        let validator = Validator::embedded(Options {
            reading,
            show_values: false,
        })
        .expect("schemas");
        let mut args = vec!["--max-errors", max.as_str()];
        args.extend(flags);
        let run = validate(&[&path], &args);
        let mut expected: std::collections::BTreeMap<u64, &'static str> = Default::default();
        let mut counts: std::collections::BTreeMap<&str, u64> = Default::default();
        for (i, line) in lines.iter().enumerate() {
            let verdict = validator.classify(line);
            *counts.entry(verdict.class.name()).or_default() += 1;
            if !verdict.class.is_accepted(reading) || !verdict.problems.is_empty() {
                expected.insert(i as u64 + 1, verdict.class.name());
            }
        }
        for class in [
            Class::Valid,
            Class::Invalid,
            Class::Malformed,
            Class::UnknownType,
        ] {
            let name = class.name();
            assert_eq!(
                run.count(name),
                counts.get(name).copied().unwrap_or(0),
                "{reading:?}: the binary's count of {name}"
            );
        }
        assert_eq!(run.count("total"), lines.len() as u64);
        let listed: std::collections::BTreeMap<u64, &str> = run
            .errors_in("generated.ndjson")
            .iter()
            .map(|e| {
                (
                    e["line"].as_u64().expect("line"),
                    e["class"].as_str().expect("class"),
                )
            })
            .collect();
        assert_eq!(
            listed, expected,
            "{reading:?}: the records listed, by line and class"
        );
        let code = if counts.get("invalid").or(counts.get("malformed")).is_some() {
            1
        } else {
            0
        };
        assert_eq!(run.code, code);
    }
}

/// A FIFO in a directory being walked: opening it would wait for a writer
/// forever. It is skipped with an input error naming it; the run ends and
/// counts the other files. (A FIFO named on the command line is read: that
/// is how `<(zcat capture.gz)` works.)
#[test]
fn a_fifo_in_a_directory_does_not_hang_the_run() {
    let (dir, _good) = with_good_file();
    let fifo = dir.path().join("pipe.ndjson");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let run = validate(&[dir.path()], &[]);
    assert_good_counted(&run);
    assert_eq!(run.count("total"), 1);
    let messages = run.input_errors("pipe.ndjson");
    assert_eq!(messages.len(), 1, "{:#}", run.report);
    assert!(
        messages[0].contains("not a regular file"),
        "{}",
        messages[0]
    );
    assert_eq!(run.code, 2);
}

/// A 300 MB line without a line break, beyond the default maximum record
/// size (8 MiB): counted malformed with the limit in its message, and never
/// held whole. The reader keeps at most the limit (it cannot know sooner that
/// the line is too long), so the peak is the limit and the process's own, not
/// the 630 MB of a line buffered whole and copied into a batch.
///
/// The line is written into a FIFO as it is read, so the test needs no
/// 300 MB of disk (CI machines may not have it).
#[test]
fn a_record_without_end_is_refused_in_bounded_memory() {
    let (dir, good) = with_good_file();
    let path = dir.path().join("no-newline.txt");
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let mut fifo = File::create(&path).expect("open the FIFO for writing");
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..300 {
                // The reader may stop early (a failed test): then the rest is not needed.
                if fifo.write_all(&chunk).is_err() {
                    return;
                }
            }
        })
    };
    let run = validate(&[&path, &good], &[]);
    writer.join().expect("the FIFO writer");
    assert_good_counted(&run);
    let (error, text) = only_error(&run, "no-newline.txt");
    assert_eq!(error["class"], "malformed");
    assert_eq!(error["line"], 1);
    assert!(
        text.contains("record longer than 8388608 bytes (--max-record-size)"),
        "{text}"
    );
    assert!(run.peak_kb < 300 * MB, "peak memory {} kB", run.peak_kb);
}

/// A valid event padded to `bytes` with a long `item_name`.
fn long_event(bytes: usize) -> String {
    let event = |pad: &str| {
        format!(
            r#"{{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": "x", "item_name": "{pad}"}}"#
        )
    };
    let pad = bytes.saturating_sub(event("").len());
    event(&"x".repeat(pad))
}

/// The message of the single error of `source`, checking it is a record past `limit` at `line`.
fn assert_too_long_at(run: &Run, source: &str, limit: u64, line: u64) -> Value {
    let (error, text) = only_error(run, source);
    assert_eq!(error["class"], "malformed", "{error:#}");
    assert_eq!(error["line"], line, "{error:#}");
    let message = format!("record longer than {limit} bytes (--max-record-size)");
    assert!(text.contains(&message), "{text}");
    error.clone()
}

/// NDJSON: the long line is one malformed record at its line; the lines after
/// it are read and placed at their own lines (the invalid one is reported at
/// line 4).
#[test]
fn a_long_line_among_good_lines_is_malformed_and_the_next_lines_read() {
    let invalid = GOOD_EVENT.replace("1.0", "9");
    let text = format!(
        "{GOOD_EVENT}\n{}\n{GOOD_EVENT}\n{invalid}\n{GOOD_EVENT}\n",
        long_event(5000)
    );
    let (dir, good) = with_good_file();
    let path = dir.path().join("lines.ndjson");
    fs::write(&path, text).expect("write");
    let run = validate(&[&path, &good], &["--max-record-size", "4K"]);
    assert_good_counted(&run);
    assert_eq!(run.code, 1);
    assert_eq!(run.count("valid"), 4, "{:#}", run.report);
    assert_eq!(run.count("malformed"), 1);
    assert_eq!(run.count("invalid"), 1);
    let errors = run.errors_in("lines.ndjson");
    assert_eq!(errors.len(), 2, "{:#}", run.report);
    assert_eq!(errors[0]["class"], "malformed");
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(errors[1]["class"], "invalid");
    assert_eq!(errors[1]["line"], 4);
    // The same file under the default limit: every line is read.
    let run = validate(&[&path], &[]);
    assert_eq!(run.count("valid"), 4, "{:#}", run.report);
}

/// A JSON array: the long item is malformed at its index and line; the items
/// after it are read.
#[test]
fn a_long_item_of_a_json_array_is_malformed_and_the_array_read_on() {
    let text = format!(
        "[\n  {GOOD_EVENT},\n  {},\n  {GOOD_EVENT}\n]\n",
        long_event(5000)
    );
    let run = run_beside_good_with(
        "array.json",
        text.as_bytes(),
        &["--max-record-size", "4096"],
    );
    let error = assert_too_long_at(&run, "array.json", 4096, 3);
    assert_eq!(error["index"], 1, "{error:#}");
    assert_eq!(run.count("valid"), 3, "{:#}", run.report);
}

/// An HTTP transcript: a body past the limit is one malformed record placed
/// at its response and line; the next response is read.
#[test]
fn a_long_http_body_is_malformed_and_the_next_response_read() {
    let text = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}\r\n\
         HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{GOOD_EVENT}\r\n",
        long_event(5000)
    );
    let run = run_beside_good_with(
        "transcript.http",
        text.as_bytes(),
        &["--max-record-size", "4K"],
    );
    let error = assert_too_long_at(&run, "transcript.http", 4096, 4);
    assert_eq!(error["response"], 1, "{error:#}");
    assert_eq!(run.count("valid"), 2, "{:#}", run.report);
}

/// Runs `bad` beside the good file with `extra` flags; the good file is still counted.
fn run_beside_good_with(name: &str, bad: &[u8], extra: &[&str]) -> Run {
    let (dir, good) = with_good_file();
    let path = dir.path().join(name);
    fs::write(&path, bad).expect("write bad file");
    let run = validate(&[&path, &good], extra);
    assert_good_counted(&run);
    run
}
