//! Crash safety: the capture binary is killed with SIGKILL at random moments,
//! over and over, and restarted on the same journal.
//!
//! Afterwards the journal holds whole lines only and no duplicates, and it
//! holds every event of every response after which the killed process asked
//! for more. Each process fetches its own token, so the mock's log tells the
//! processes apart: a response is "followed" when a later request carried the
//! same token. Only the one response in flight at a kill may be missing.
//! The journal rotates (with gzip) throughout, so kills also land in the
//! middle of rotations and compressions.

#![allow(clippy::print_stderr)]

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig};
use common::*;

#[test]
fn sigkill_at_random_moments_loses_only_the_response_in_flight() {
    const EVENTS: u64 = 20_000;
    const KILLS: usize = 20;
    // A small delay per response keeps each process busy long enough to be
    // killed at varied points (waiting, reading, writing, syncing).
    let faults = Faults::every(
        1,
        Fault::Slow {
            delay: Duration::from_millis(1),
        },
    );
    let mock = start(
        MockConfig {
            faults,
            ..mock_config()
        },
        EVENTS,
    );
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let journal_arg = journal.to_str().unwrap().to_owned();
    let seed = fastrand::u64(..);
    eprintln!("crash test seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);

    let mut kills = 0;
    for _ in 0..KILLS {
        let size = rng.u32(1..=50).to_string();
        let mut child = capture(&mock, &journal_arg)
            .args(["--until-drained", "--size", &size, "--quiet"])
            .args(["--rotate-size", "256K", "--gzip"])
            .spawn()
            .expect("capture starts");
        std::thread::sleep(Duration::from_millis(rng.u64(5..60)));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        // Every restart must find whole lines (after its own repair).
        if mock.remaining() == 0 {
            break;
        }
    }
    // A last run drains the rest.
    let out = run(capture(&mock, &journal_arg)
        .args(["--until-drained", "--size", "100"])
        .args(["--rotate-size", "256K", "--gzip"]));
    assert_success(&out);
    assert!(
        kills >= 10,
        "too few kills landed while the capture ran ({kills})"
    );

    // Rotation (with gzip) runs during the kills too: read every file.
    let got = all_lines(dir.path(), "events.ndjson");
    let rotated = files(dir.path())
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gz"))
        .count();
    assert!(rotated >= 3, "rotation happened ({rotated} files)");
    assert_no_duplicates(&got);
    for l in &got {
        serde_json::from_slice::<serde_json::Value>(l)
            .expect("every journal line is a whole event");
    }
    let got_set: HashSet<&Vec<u8>> = got.iter().collect();

    let log = mock.log();
    let responses = events_responses(&log);
    let mut missing_per_token: HashMap<&str, usize> = HashMap::new();
    for (i, r) in responses.iter().enumerate() {
        if r.status != 200 {
            continue;
        }
        let token = r.token.as_deref().unwrap();
        let followed = responses[i + 1..]
            .iter()
            .any(|later| later.token.as_deref() == Some(token));
        let present = r.events.iter().filter(|e| got_set.contains(e)).count();
        if followed {
            assert_eq!(
                present,
                r.events.len(),
                "response {} was followed by another request but is not all in the journal",
                r.seq
            );
        } else if present < r.events.len() {
            *missing_per_token.entry(token).or_default() += 1;
        }
    }
    let incomplete =
        std::fs::read(dir.path().join("events.ndjson.incomplete")).map_or(0, |b| b.len());
    eprintln!(
        "{kills} kills, {} responses short (in flight at a kill), {incomplete} bytes of cut lines moved aside, {} events kept",
        missing_per_token.len(),
        got.len()
    );
    // At most one response per process (the one in flight at its kill) is short.
    assert!(missing_per_token.values().all(|&n| n == 1));
    // Nothing in the journal that the mock did not hand out.
    let handed: HashSet<&Vec<u8>> = responses.iter().flat_map(|r| r.events.iter()).collect();
    assert!(got.iter().all(|l| handed.contains(l)));
    assert_eq!(mock.remaining(), 0);
}
