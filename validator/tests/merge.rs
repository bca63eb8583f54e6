//! Merging reports: the reports of the parts of an input, merged, are the
//! report of the whole input, however it is split; the caps of one run hold;
//! reports that cannot be merged are refused with a reason.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicU64;

use aperture_events_validator::input::{Source, expand};
use aperture_events_validator::{
    Locus, MergeError, Options, Place, Reading, Report, RunOptions, Tally, Validator, merge, run,
};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn validator(reading: Reading) -> Validator {
    Validator::embedded(Options {
        reading,
        show_values: false,
    })
    .expect("the embedded schemas compile")
}

/// A report as `--format json` writes it and as it is read back.
fn round_trip(report: &Report) -> Report {
    let text = serde_json::to_string(report).unwrap();
    serde_json::from_str(&text).expect("a report reads back")
}

fn json(report: &Report) -> Value {
    serde_json::to_value(report).unwrap()
}

fn run_on(validator: &Validator, sources: &[Source], max_errors: usize) -> Report {
    // One worker: which entries a full drift table keeps is then the first
    // ones in input order (with several, it depends on the threads' timing).
    let options = RunOptions {
        jobs: aperture_events_validator::Jobs::new(1).unwrap(),
        max_errors,
        ..RunOptions::default()
    };
    run(validator, sources, &options, &AtomicU64::new(0))
}

/// Synthetic journals with drift of every kind and records of every class.
fn synthetic(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for part in 0..3 {
        let mut lines = Vec::new();
        for i in 0..40 {
            let line = match (i + part) % 8 {
                0 => format!(
                    r#"{{"log_type":"incident","timestamp":"2017-08-14T23:20:57Z","incident_id":"i{i}","severity":1.0,"extra_{part}":1}}"#
                ),
                1 => format!(
                    r#"{{"log_type":"remediation","timestamp":"2017-08-14T23:20:57Z","action":"new-action-{part}","remoteAddress":"x"}}"#
                ),
                2 => format!(r#"{{"log_type":"dlp_scan_{}","x":1}}"#, i % 3),
                3 => r#"{"log_type":"incident","timestamp":"yesterday"}"#.to_owned(),
                4 => r#"{"log_type":"incident", "#.to_owned(),
                5 => format!(
                    r#"{{"log_type":"activity_monitoring","timestamp":"2017-08-14T23:20:57Z","item_size":{i},"exposure":"COMPANY","serial":null}}"#
                ),
                6 => r#"{"log_type":"admin_audit","timestamp":"2017-08-14T23:20:57Z","ip":null}"#
                    .to_owned(),
                _ => r#"{"log_type":"policy_violation","timestamp":"2017-08-14T23:20:57Z"}"#
                    .to_owned(),
            };
            lines.push(line);
        }
        let path = dir.join(format!("part{part}.ndjson"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        files.push(path);
    }
    files
}

/// Every input file, in the order a run reads them.
fn inputs(dir: &Path) -> Vec<Source> {
    let mut paths = vec![
        repo().join("tests/fixtures/captures"),
        repo().join("tests/fixtures/invalid"),
        repo().join("validator/tests/data"),
    ];
    paths.extend(synthetic(dir));
    let (sources, unlistable) = expand(&paths);
    assert!(unlistable.is_empty());
    assert!(sources.len() > 40, "{} inputs", sources.len());
    sources
}

/// Splits `sources` at `cuts`, validates each part, merges the parts' reports as read back.
fn merged_parts(
    validator: &Validator,
    sources: &[Source],
    cuts: &[usize],
    max_errors: usize,
) -> Report {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(sources.len());
    let parts = bounds
        .windows(2)
        .map(|w| round_trip(&run_on(validator, &sources[w[0]..w[1]], max_errors)));
    merge::merge(parts, max_errors).expect("reports of one reading merge")
}

#[test]
fn a_report_reads_back_as_itself() {
    let dir = tempfile::tempdir().unwrap();
    let validator = validator(Reading::Tolerant);
    let report = run_on(&validator, &inputs(dir.path()), 1000);
    assert!(report.drift.has_drift() && !report.errors.is_empty());
    assert_eq!(json(&round_trip(&report)), json(&report));
}

#[test]
fn merging_the_parts_of_an_input_split_anywhere_gives_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sources = inputs(dir.path());
    let n = sources.len();
    for reading in [Reading::Tolerant, Reading::Strict] {
        let validator = validator(reading);
        for max_errors in [1000, 7] {
            let whole = json(&run_on(&validator, &sources, max_errors));
            // Each single cut, every input alone, and pseudo-random partitions.
            let mut splits: Vec<Vec<usize>> = (1..n).map(|c| vec![c]).collect();
            splits.push((1..n).collect());
            let mut seed = 0x2545_f491_u64;
            for _ in 0..6 {
                let mut cuts: Vec<usize> = (1..n)
                    .filter(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        (seed >> 33) % 4 == 0
                    })
                    .collect();
                cuts.dedup();
                splits.push(cuts);
            }
            for cuts in &splits {
                let merged = json(&merged_parts(&validator, &sources, cuts, max_errors));
                assert_eq!(
                    merged, whole,
                    "{reading:?}, max {max_errors}, cut at {cuts:?}"
                );
            }
        }
    }
}

/// The records of one source (a stream, placed by sequence) read by
/// several validators at once: each sees some of them, in order.
#[test]
fn validators_sharing_one_source_merge_into_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let files = synthetic(dir.path());
    let records: Vec<Vec<u8>> = files
        .iter()
        .flat_map(|f| {
            std::fs::read(f)
                .unwrap()
                .split(|b| *b == b'\n')
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect();
    let validator = validator(Reading::Tolerant);
    let place = |seq: usize| {
        let locus = Locus::Stream {
            sequence: seq as u64 + 1,
            column: None,
        };
        Place::new("nats:EVENTS", locus)
    };
    let mut whole = Tally::new(Reading::Tolerant).with_max_errors(5);
    for (seq, record) in records.iter().enumerate() {
        whole.observe(&validator, place(seq), record);
    }
    let whole = whole.finish(&validator);
    for shares in [2usize, 3] {
        let mut parts: Vec<Tally> = (0..shares)
            .map(|_| Tally::new(Reading::Tolerant).with_max_errors(5))
            .collect();
        let mut seed = 7u64 + shares as u64;
        for (seq, record) in records.iter().enumerate() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let who = (seed >> 33) as usize % shares;
            parts[who].observe(&validator, place(seq), record);
        }
        let mut parts: Vec<Report> = parts
            .into_iter()
            .map(|part| part.finish(&validator))
            .collect();
        // In any order of the reports: the first places are the smallest sequences.
        parts.reverse();
        let merged = merge::merge(parts.iter().map(round_trip), 5).unwrap();
        let (mut merged, whole) = (json(&merged), json(&whole));
        // Errors beyond those a part listed cannot be recovered: the listed
        // ones are the first of the whole, the count is exact.
        assert_eq!(merged["errors_omitted"], whole["errors_omitted"]);
        assert_eq!(merged["errors"], whole["errors"], "{shares} shares");
        merged["errors_omitted"] = whole["errors_omitted"].clone();
        assert_eq!(merged, whole, "{shares} shares");
    }
}

#[test]
fn the_caps_of_a_run_hold_in_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    // 1500 distinct undocumented fields and 1200 distinct unknown types, in name order.
    let mut sources = Vec::new();
    for part in 0..3 {
        let lines: Vec<String> = (0..500)
            .map(|i| {
                let n = part * 500 + i;
                format!(
                    "{{\"log_type\":\"incident\",\"timestamp\":\"2017-08-14T23:20:57Z\",\"incident_id\":\"x\",\"f{n:04}\":1}}\n{{\"log_type\":\"t{:04}\"}}",
                    n.min(1199)
                )
            })
            .collect();
        let path = dir.path().join(format!("caps{part}.ndjson"));
        std::fs::write(&path, lines.join("\n")).unwrap();
        sources.push(Source::File(path));
    }
    // Strict: each of these records is listed as an error.
    let validator = validator(Reading::Strict);
    let whole = run_on(&validator, &sources, 10);
    assert_eq!(whole.drift.undocumented_fields.len(), 1000);
    assert_eq!(whole.drift.unknown_types.len(), 1000);
    let listed: u64 = whole
        .drift
        .undocumented_fields
        .iter()
        .map(|e| e.count)
        .sum::<u64>()
        + whole
            .drift
            .unknown_types
            .iter()
            .map(|e| e.count)
            .sum::<u64>();
    assert_eq!(listed + whole.drift.dropped, 3000);
    for cuts in [vec![1], vec![2], vec![1, 2]] {
        let merged = merged_parts(&validator, &sources, &cuts, 10);
        assert_eq!(merged.errors.len(), 10);
        assert_eq!(json(&merged), json(&whole), "cut at {cuts:?}");
    }
}

#[test]
fn reports_of_different_readings_do_not_merge() {
    let tolerant = round_trip(&Report::new(Reading::Tolerant));
    let strict = round_trip(&Report::new(Reading::Strict));
    let error = merge::merge([tolerant, strict], 10).unwrap_err();
    assert_eq!(
        error,
        MergeError::Reading {
            index: 2,
            expected: "tolerant",
            found: "strict"
        }
    );
    assert_eq!(merge::merge(Vec::new(), 10).unwrap_err(), MergeError::Empty);
}

#[test]
fn a_report_whose_counts_disagree_is_refused() {
    let mut doc = json(&Report::new(Reading::Tolerant));
    doc["summary"]["total"] = 3.into();
    let report: Report = serde_json::from_value(doc).unwrap();
    let error = merge::merge([report], 10).unwrap_err();
    assert!(
        matches!(error, MergeError::Inconsistent { index: 1, .. }),
        "{error}"
    );
    let mut doc = json(&Report::new(Reading::Tolerant));
    doc["summary"]["reading"] = "lenient".into();
    let error = serde_json::from_value::<Report>(doc).unwrap_err();
    assert!(
        error.to_string().contains("unknown reading `lenient`"),
        "{error}"
    );
}

fn validate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aperture-validate"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

#[test]
fn the_merge_subcommand_prints_the_report_of_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let captures = "tests/fixtures/captures";
    let invalid = "tests/fixtures/invalid";
    for (out, input) in [(a, captures), (b, invalid)] {
        let output = validate(&["--format", "json", input]);
        std::fs::write(out, &output.stdout).unwrap();
    }
    for format in ["json", "text"] {
        let whole = validate(&["--format", format, "--color", "never", captures, invalid]);
        let merged = validate(&["merge", "--format", format, "--color", "never", a, b]);
        assert_eq!(
            merged.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&merged.stderr)
        );
        assert_eq!(merged.status.code(), whole.status.code());
        assert_eq!(
            String::from_utf8_lossy(&merged.stdout),
            String::from_utf8_lossy(&whole.stdout)
        );
    }
    // Only the captures: every record accepted, exit 0.
    assert_eq!(validate(&["merge", a, a]).status.code(), Some(0));
    std::fs::write(dir.path().join("c.json"), "{\"summary\": 1}").unwrap();
    let bad = validate(&["merge", a, dir.path().join("c.json").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("c.json: not a report of `aperture-validate --format json`"),
        "{stderr}"
    );
}

/// `merge` is a subcommand in first place only: after a path it is a path,
/// and its usage, help and version say `aperture-validate merge`.
#[test]
fn merge_is_a_subcommand_in_first_place_only() {
    let after_a_path = validate(&["tests/fixtures/captures", "merge"]);
    assert_eq!(after_a_path.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&after_a_path.stdout);
    assert!(
        stdout.contains("merge: unreadable: cannot read: no such file"),
        "{stdout}"
    );
    let version = validate(&["merge", "--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("aperture-validate merge "),
        "{version:?}"
    );
    let usage = validate(&["merge"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&usage.stderr)
            .contains("Usage: aperture-validate merge <REPORT|->"),
        "{usage:?}"
    );
    // `help` is a path, as it always was: there is no `help` subcommand.
    let help = validate(&["help"]);
    assert_eq!(help.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&help.stdout).contains("help: unreadable"));
}
