//! `--format ocsf`: the capture (`aperture-capture --forward`) and the
//! stand-alone forwarder publish OCSF 1.8.0 events, exactly once, through a
//! re-run, a replay from scratch (checkpoint lost) and SIGKILLs of the
//! forwarder; an unknown type skipped as asked and a line that cannot be
//! converted are passed over without stalling the checkpoint.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use aperture_events_ocsf::{Converted, Converter, Options, Unknown};

use crate::common::*;
use crate::server::Node;
use crate::{Stored, checkpoint, read_stream};

const OCSF_FLAGS: [&str; 4] = ["--format", "ocsf", "--ocsf-unknown", "skip"];

fn forward_cmd(url: &str, journal: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aperture-forward"));
    cmd.args(["--nats", url, "--keep-forwarded"])
        .args(OCSF_FLAGS)
        .arg(journal)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The stream holds the OCSF event of every convertible line of `journal`,
/// once each, in journal order, under its class's subject; each rebuilds
/// to its source event.
fn assert_ocsf_exactly_once(stored: &[Stored], journal: &[Vec<u8>], capture_id: &str) {
    let converter = Converter::new(Options {
        unknown: Unknown::Skip,
        ..Options::default()
    });
    let mut sources = Vec::new();
    let mut expected = Vec::new();
    for line in journal {
        if let Ok(Converted::Event(event)) = converter.convert_json(line) {
            sources.push(serde_json::from_slice::<serde_json::Value>(line).unwrap());
            expected.push(serde_json::to_vec(&event).unwrap());
        }
    }
    let payloads: Vec<&[u8]> = stored.iter().map(|s| s.payload.as_slice()).collect();
    assert_eq!(
        payloads.len(),
        expected.len(),
        "the stream holds {} messages for {} convertible lines",
        payloads.len(),
        expected.len()
    );
    assert!(
        payloads == expected.iter().map(Vec::as_slice).collect::<Vec<_>>(),
        "the stream is not the journal's OCSF events, once each, in order"
    );
    let mut ids: Vec<&str> = stored.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), stored.len(), "message ids are not unique");
    let mut classes = std::collections::BTreeSet::new();
    for (s, source) in stored.iter().zip(&sources) {
        let ocsf: serde_json::Value = serde_json::from_slice(&s.payload).unwrap();
        let class = ocsf["class_uid"].as_i64().expect("class_uid");
        let activity = ocsf["activity_id"].as_i64().expect("activity_id");
        assert_eq!(ocsf["type_uid"].as_i64(), Some(class * 100 + activity));
        assert!(ocsf["class_name"].is_string() && ocsf["type_name"].is_string());
        assert_eq!(ocsf["metadata"]["version"], "1.8.0");
        assert_eq!(
            s.subject,
            format!("aperture.ocsf.{capture_id}.{class}"),
            "subject of {}",
            s.id
        );
        assert_eq!(s.capture, capture_id);
        assert!(s.id.starts_with(&format!("{capture_id}:")), "{}", s.id);
        assert_eq!(converter.rebuild(&ocsf).as_ref(), Some(source), "{}", s.id);
        classes.insert(class);
    }
    // The mock's events: file hosting, data security findings, authentication.
    assert_eq!(
        classes.into_iter().collect::<Vec<_>>(),
        [2006, 3002, 6006],
        "classes"
    );
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn ocsf_events_are_in_the_stream_once_through_replays_and_kills() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let mock = start(mock_config(), 1500);
    let journal = dir.path().join("events.ndjson");
    let path = journal.to_str().unwrap().to_owned();
    // The capture forwards as it writes, as OCSF.
    let out = run(capture(&mock, &path)
        .args([
            "--until-drained",
            "--size",
            "50",
            "--rotate-size",
            "32K",
            "--gzip",
            "--keep-forwarded",
            "--forward",
            &node.url(),
        ])
        .args(OCSF_FLAGS));
    assert_success(&out);
    let capture_id = std::fs::read_to_string(dir.path().join("events.ndjson.capture-id")).unwrap();
    let capture_id = capture_id.trim();
    let mut lines = all_lines(dir.path(), "events.ndjson");
    assert_eq!(lines, delivered(&mock.log()));
    assert_ocsf_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines, capture_id);

    // More lines: an unknown type (skipped as asked), a line that cannot be
    // converted (no timestamp), and convertible ones around and after them.
    let extra: Vec<Vec<u8>> = [
        &br#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:00Z"}"#[..],
        br#"{"log_type":"incident","incident_id":"5eb5ed492021c32b37588a6c","severity":3.0}"#,
        br#"{"log_type":"incident","incident_id":"5eb5ed492021c32b37588a6c","severity":3.0,"timestamp":"2026-01-02T00:00:01Z"}"#,
        br#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:02Z"}"#,
    ]
    .iter()
    .map(|l| l.to_vec())
    .chain((0..200).map(|n| {
        format!(r#"{{"log_type":"admin_audit","admin_id":"a{n}@example.com","action":"sign_in","event_type":"login","timestamp":"2026-01-02T00:01:00Z"}}"#).into_bytes()
    }))
    .chain([br#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:03Z"}"#.to_vec()])
    .collect();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    for l in &extra {
        file.write_all(l).unwrap();
        file.write_all(b"\n").unwrap();
    }
    drop(file);
    lines.extend(extra);
    let first = run(&mut forward_cmd(&node.url(), &path));
    let said = stderr(&first);
    assert_eq!(first.status.code(), Some(1), "{said}");
    assert!(said.contains("forwarded 201 events"), "{said}");
    assert!(said.contains("3 of an unknown type skipped"), "{said}");
    assert!(
        said.contains("not converted to OCSF, passed over"),
        "{said}"
    );
    assert!(said.contains("1 line not converted to OCSF"), "{said}");
    assert_ocsf_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines, capture_id);
    // The checkpoint is past the trailing skipped line: at the journal's end.
    let (_, offset, _) = checkpoint(&journal).unwrap();
    assert_eq!(offset, std::fs::metadata(&journal).unwrap().len());

    // Again: nothing left, nothing sent.
    let again = run(&mut forward_cmd(&node.url(), &path));
    assert_success(&again);
    assert!(
        stderr(&again).contains("forwarded 0 events"),
        "{}",
        stderr(&again)
    );

    // From scratch (checkpoint lost): the same ids, all dropped as duplicates.
    std::fs::remove_file(dir.path().join("events.ndjson.forwarded")).unwrap();
    let replay = run(&mut forward_cmd(&node.url(), &path));
    assert_eq!(replay.status.code(), Some(1), "{}", stderr(&replay));
    assert_ocsf_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines, capture_id);

    // From scratch again, SIGKILLed at random moments in small batches.
    std::fs::remove_file(dir.path().join("events.ndjson.forwarded")).unwrap();
    let seed = fastrand::u64(..);
    eprintln!("ocsf forward kill seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..4 {
        let mut child = forward_cmd(&node.url(), &path)
            .args(["--batch", "7"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(20..300)));
        child.kill().unwrap();
        let _ = child.wait();
    }
    let last = run(&mut forward_cmd(&node.url(), &path));
    assert!(
        last.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&last)
    );
    assert_ocsf_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines, capture_id);
}
