//! A server that answers with bodies the capture cannot split (malformed, or
//! far over the size held in memory) must not fill the disk: each such body
//! counts as a failure towards `--max-failures`, and the rejects directory
//! has a cap (`--max-rejects-size`) the capture never goes past. Driven by
//! the mock's `oversize_every` fault (a body padded with spaces, as it is
//! sent) and a small hidden `--max-body`, so the figures stay small.

mod common;

use std::path::Path;

use aperture_events_mock::{Fault, Faults, MockConfig, MockServer};
use common::*;

/// The size held in memory in these tests (the hidden `--max-body`).
const MAX_BODY: u64 = 65_536;
/// The size of an oversize body the mock sends.
const OVERSIZE: u64 = 300_000;

fn mock(faults: Faults, events: u64) -> MockServer {
    start(
        MockConfig {
            faults,
            ..mock_config()
        },
        events,
    )
}

fn oversize_every(n: u32) -> Faults {
    Faults::every(n, Fault::Oversize { bytes: OVERSIZE })
}

/// Bytes in the regular files of `dir`: the disk figure the cap bounds.
fn held(dir: &Path) -> u64 {
    files(dir)
        .iter()
        .map(|p| std::fs::symlink_metadata(p).unwrap())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The events inside every `*.partial` file of `dir` that holds a whole
/// (padded) body, in name order; the number of files that do not.
fn events_in_partials(dir: &Path) -> (Vec<Vec<u8>>, usize) {
    let mut events = Vec::new();
    let mut cut = 0;
    for p in files(dir) {
        if !p.to_string_lossy().ends_with(".partial") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(v) => events.extend(
                v["events"]
                    .as_array()
                    .expect("a bulk body")
                    .iter()
                    .map(|e| serde_json::to_vec(e).unwrap()),
            ),
            Err(_) => cut += 1,
        }
    }
    (events, cut)
}

/// Events of oversize responses the mock sent, in order, as compact JSON.
fn oversize_sent(mock: &MockServer) -> Vec<Vec<u8>> {
    events_responses(&mock.log())
        .into_iter()
        .filter(|e| matches!(e.fault, Some(Fault::Oversize { .. })) && e.status == 200)
        .flat_map(|e| e.events.clone())
        .map(|e| {
            serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&e).unwrap()).unwrap()
        })
        .collect()
}

fn events_requests(mock: &MockServer) -> usize {
    events_responses(&mock.log()).len()
}

#[test]
fn oversize_bodies_count_as_failures_and_stop_the_capture() {
    let mock = mock(oversize_every(1), 1000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let max_body = MAX_BODY.to_string();
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-body",
        &max_body,
        "--max-failures",
        "3",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("giving up after 3 consecutive failures; last: a response body of 300000 bytes, over the 65536 bytes held in memory, was kept in"),
        "{err}"
    );
    assert_eq!(events_requests(&mock), 3, "no request after the third body");
    let rejects = dir.path().join("j.ndjson.rejects");
    assert_eq!(held(&rejects), 3 * OVERSIZE, "three bodies, each whole");
    let (kept, cut) = events_in_partials(&rejects);
    assert_eq!(cut, 0);
    assert!(
        kept == oversize_sent(&mock),
        "every event handed out is kept"
    );
}

#[test]
fn malformed_bodies_count_as_failures_too() {
    let faults = Faults::every(1, Fault::Malformed);
    let mock = mock(faults, 1000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-failures",
        "2",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "giving up after 2 consecutive failures; last: a response body that is not events"
        ),
        "{err}"
    );
    assert_eq!(events_requests(&mock), 2);
    assert_eq!(files(&dir.path().join("j.ndjson.rejects")).len(), 2);
}

#[test]
fn the_cap_stops_the_capture_before_it_asks_for_what_it_could_not_keep() {
    // Every other body is oversize, so failures never run consecutively:
    // only the cap stops the capture. After three bodies the directory holds
    // 900,000 bytes; 50,000 are left under the cap, less than a body held in
    // memory may take, so nothing more is asked for.
    let mock = mock(oversize_every(2), 5000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let max_body = MAX_BODY.to_string();
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-body",
        &max_body,
        "--max-failures",
        "0",
        "--max-rejects-size",
        "950000",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let rejects = dir.path().join("j.ndjson.rejects");
    assert!(
        err.contains(&format!(
            "error: not asking for events: the rejects directory {} holds 900000 bytes, and a \
             response kept there may take up to 65536 more (the largest body held in memory), \
             past its cap of 950000 bytes; look at what is there and move it away, or raise \
             --max-rejects-size",
            rejects.display()
        )),
        "{err}"
    );
    assert_eq!(held(&rejects), 900_000);
    assert_eq!(
        events_requests(&mock),
        6,
        "three good answers, three oversize"
    );
    // Nothing handed out was lost: each event is in the journal or a body kept.
    let (kept, cut) = events_in_partials(&rejects);
    assert_eq!(cut, 0);
    assert!(
        kept == oversize_sent(&mock),
        "the bodies kept hold the events sent"
    );
    let good: Vec<Vec<u8>> = events_responses(&mock.log())
        .into_iter()
        .filter(|e| e.status == 200 && e.fault.is_none())
        .flat_map(|e| e.events.clone())
        .collect();
    assert!(
        lines(&journal) == good,
        "the journal holds the good answers' events"
    );
    assert_eq!(
        lines(&journal).len() + kept.len(),
        5000 - mock.remaining(),
        "every event popped is kept"
    );
}

#[test]
fn a_body_that_reaches_the_cap_is_cut_there_and_the_capture_stops() {
    // 4,000,000 bytes in one body; the cap is 1,000,000.
    let faults = Faults::every(1, Fault::Oversize { bytes: 4_000_000 });
    let mock = mock(faults, 1000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let max_body = MAX_BODY.to_string();
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-body",
        &max_body,
        "--max-failures",
        "0",
        "--max-rejects-size",
        "1000000",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let rejects = dir.path().join("j.ndjson.rejects");
    assert!(
        err.contains("body larger than 65536 bytes; its first 1000000 bytes are in")
            && err.contains(&format!(
                "the rest was not read: the rejects directory {} reached its cap of 1000000 bytes \
                 (--max-rejects-size); the events in the rest cannot be asked for again",
                rejects.display()
            )),
        "{err}"
    );
    assert_eq!(held(&rejects), 1_000_000, "cut exactly at the cap");
    assert_eq!(events_requests(&mock), 1);
}

#[test]
fn rejects_already_at_the_cap_stop_the_capture_before_any_request() {
    let mock = mock(Faults::default(), 100);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let rejects = dir.path().join("j.ndjson.rejects");
    std::fs::create_dir(&rejects).unwrap();
    std::fs::write(rejects.join("1-2-3.malformed"), vec![b'x'; 1_000_000]).unwrap();
    let max_body = MAX_BODY.to_string();
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-body",
        &max_body,
        "--max-rejects-size",
        "1M",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("holds 1000000 bytes, and a response kept there may take up to 65536 more"),
        "{err}"
    );
    assert_eq!(events_requests(&mock), 0, "nothing asked for");
    assert_eq!(mock.remaining(), 100);
}

#[test]
fn a_cap_below_the_size_held_in_memory_is_refused() {
    let mock = mock(Faults::default(), 10);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--max-rejects-size",
        "100M",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "error: --max-rejects-size: must be at least 268435456 bytes, the largest body held in memory"
        ),
        "{err}"
    );
    assert_eq!(events_requests(&mock), 0);
}

#[cfg(unix)]
#[test]
#[allow(clippy::print_stderr)]
fn a_rejects_directory_planted_by_another_user_is_refused() {
    let mock = mock(Faults::default(), 10);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let rejects = dir.path().join("j.ndjson.rejects");
    std::fs::create_dir(&rejects).unwrap();
    let nobody = Some(rustix::process::Uid::from_raw(65534));
    if rustix::fs::chown(&rejects, nobody, None).is_err() {
        eprintln!("skipped: only root can give a directory to another user");
        return;
    }
    let out = run(capture(&mock, journal.to_str().unwrap()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "error: rejects {}: the directory belongs to another user (uid 65534)",
            rejects.display()
        )),
        "{err}"
    );
    assert_eq!(events_requests(&mock), 0, "nothing asked for");
}
