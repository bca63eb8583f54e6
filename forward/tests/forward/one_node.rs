//! One `nats-server`: the mock with faults → capture → forwarder → stream.

use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig};

use crate::common::*;
use crate::server::Node;
use crate::{assert_exactly_once, checkpoint, read_stream};

fn faults() -> Faults {
    Faults::every(13, Fault::ExpireToken)
        .and(
            7,
            Fault::TooManyRequests {
                retry_after_secs: 0,
            },
        )
        .and(11, Fault::ServerError)
        .and(5, Fault::DropMidBody)
}

fn forward_cmd(url: &str, journal: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-forward"));
    cmd.args(["--nats", url, journal])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn every_event_the_mock_handed_out_is_in_the_stream_once() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let mock = start(
        MockConfig {
            faults: faults(),
            ..mock_config()
        },
        3000,
    );
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "50",
        "--rotate-size",
        "32K",
        "--gzip",
        "--keep-forwarded",
        "--forward",
        &node.url(),
    ]));
    assert_success(&out);
    let lines = all_lines(dir.path(), "events.ndjson");
    assert_eq!(
        lines,
        delivered(&mock.log()),
        "the journal is what the mock handed out"
    );
    // Bodies dropped in the middle lose their events at the mock (reads are destructive).
    assert!(lines.len() > 1500, "{} events", lines.len());
    let stored = read_stream(&node.url(), "APERTURE");
    assert_exactly_once(&stored, &lines);
    let rotated = files(dir.path())
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gz"))
        .count();
    assert!(rotated >= 3, "the journal rotated {rotated} times");
    // Subjects name the capture and the type; headers name the capture.
    let capture_id = std::fs::read_to_string(dir.path().join("events.ndjson.capture-id")).unwrap();
    for s in &stored {
        let v: serde_json::Value = serde_json::from_slice(&s.payload).unwrap();
        let log_type = v["log_type"].as_str().unwrap();
        assert_eq!(
            s.subject,
            format!("aperture.events.{}.{log_type}", capture_id.trim())
        );
        assert_eq!(s.capture, capture_id.trim());
    }
    // Forwarding again sends nothing: the checkpoint is at the end.
    let again = run(&mut forward_cmd(&node.url(), journal.to_str().unwrap()));
    assert_success(&again);
    assert!(
        stderr(&again).contains("forwarded 0 events"),
        "{}",
        stderr(&again)
    );
    // Forwarding from scratch (checkpoint lost) is dropped by de-duplication.
    std::fs::remove_file(dir.path().join("events.ndjson.forwarded")).unwrap();
    let replay = run(&mut forward_cmd(&node.url(), journal.to_str().unwrap()));
    assert_success(&replay);
    assert_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines);
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn forwarded_segments_are_removed_all_but_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let mock = start(mock_config(), 2000);
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "40",
        "--rotate-size",
        "16K",
        "--forward",
        &node.url(),
    ]));
    assert_success(&out);
    let stored = read_stream(&node.url(), "APERTURE");
    assert_exactly_once(&stored, &delivered(&mock.log()));
    let rotated: Vec<_> = files(dir.path())
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.strip_prefix("events.ndjson.")
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    assert_eq!(
        rotated.len(),
        1,
        "only the newest rotated segment stays: {rotated:?}"
    );
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn jetstream_down_at_start_then_up_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut node = Node::stopped(dir.path());
    let mock = start(
        MockConfig {
            faults: Faults::every(
                1,
                Fault::Slow {
                    delay: Duration::from_millis(5),
                },
            ),
            ..mock_config()
        },
        4000,
    );
    let journal = dir.path().join("events.ndjson");
    let child = capture(&mock, journal.to_str().unwrap())
        .args([
            "--until-drained",
            "--size",
            "20",
            "--rotate-size",
            "64K",
            "--gzip",
            "--keep-forwarded",
        ])
        .args(["--forward", &node.url()])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // The capture journals while JetStream is down.
    let journaled = all_lines(dir.path(), "events.ndjson").len();
    assert!(
        journaled > 100,
        "{journaled} events journaled while JetStream was down"
    );
    assert_eq!(checkpoint(&journal), None, "nothing forwarded yet");
    node.start();
    let out = wait(child, Duration::from_secs(90));
    assert_success(&out);
    let lines = all_lines(dir.path(), "events.ndjson");
    assert_eq!(lines, delivered(&mock.log()));
    assert_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines);
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn progress_is_never_recorded_past_an_unacknowledged_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut node = Node::single(dir.path());
    let mock = start(
        MockConfig {
            faults: Faults::every(
                1,
                Fault::Slow {
                    delay: Duration::from_millis(5),
                },
            ),
            ..mock_config()
        },
        4000,
    );
    let journal = dir.path().join("events.ndjson");
    let path = journal.to_str().unwrap();
    let mut child = capture(&mock, path)
        .args(["--until-drained", "--size", "10", "--forward", &node.url()])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    node.kill();
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    let _ = child.wait();
    let (segment, _, line) = checkpoint(&journal).expect("a checkpoint");
    assert_eq!(segment, 1);
    node.start();
    let stored = read_stream(&node.url(), "APERTURE");
    // The kill may have cut the last response short: only its whole lines count.
    let journal_lines = whole_lines(&journal);
    assert!(
        line > 0 && (line as usize) < journal_lines.len(),
        "checkpoint at line {line} of {}",
        journal_lines.len()
    );
    // Every line before the checkpoint is stored, once.
    assert!(stored.len() >= line as usize);
    assert_exactly_once(&stored[..line as usize], &journal_lines[..line as usize]);
    // The rest follows on the next run, still once.
    let out = run(capture(&mock, path).args([
        "--until-drained",
        "--size",
        "50",
        "--forward",
        &node.url(),
    ]));
    assert_success(&out);
    assert_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines(&journal));
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn a_stream_with_other_settings_is_an_error_that_says_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let journal = dir.path().join("j.ndjson");
    std::fs::write(&journal, "{\"log_type\":\"incident\"}\n").unwrap();
    let path = journal.to_str().unwrap();
    assert_success(&run(&mut forward_cmd(&node.url(), path)));
    let out = run(forward_cmd(&node.url(), path).args(["--max-age", "1d", "--dedup-window", "1h"]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("stream APERTURE exists with other settings: de-duplication window 30m (wanted at least 1h")
            && err.contains("max age 7d (wanted 1d)"),
        "{err}"
    );
}
