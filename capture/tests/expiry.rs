//! The expiry experiment: a queue that fills faster than `size=100` can
//! drain it, with the mock's retention short, warns before the mock drops
//! its first event; a queue the drain keeps up with never warns.
//!
//! The drain is slowed by the mock (`Slow` on every request: 100 events
//! per 250 ms at most, 400 a second) and events arrive stamped with the
//! time they arrive (`arrival_rate`). Both runs print their figures
//! (`cargo test -p aperture-events-capture --test expiry -- --nocapture`);
//! the note records them.
#![allow(clippy::print_stderr)]

mod common;

use std::time::{Duration, Instant};

use aperture_events_mock::{Fault, Faults, MockConfig, MockServer};
use common::live::{Live, sample, scrape};
use common::*;

const RETENTION_SECS: u64 = 16;

fn slow_drain_mock(arrival_rate: u32) -> MockServer {
    MockServer::start(
        MockConfig {
            retention: Duration::from_secs(RETENTION_SECS),
            arrival_rate,
            faults: Faults::every(
                1,
                Fault::Slow {
                    delay: Duration::from_millis(250),
                },
            ),
            ..mock_config()
        },
        Vec::new(),
    )
    .expect("mock starts")
}

fn capture_with_retention(mock: &MockServer, dir: &std::path::Path) -> Live {
    let journal = dir.join("events.ndjson");
    Live::spawn(capture(mock, journal.to_str().unwrap()).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--retention-secs",
        &RETENTION_SECS.to_string(),
        "--no-fsync",
    ]))
}

#[test]
fn the_warning_fires_before_the_first_event_expires() {
    let dir = tempfile::tempdir().unwrap();
    // Four times what the drain can take.
    let mock = slow_drain_mock(1600);
    let started = Instant::now();
    let mut live = capture_with_retention(&mock, dir.path());
    let addr = live.metrics_addr();
    let mut risk_seen = None;
    let mut first_drop = None;
    while first_drop.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "no event dropped in 90 s: {}",
            live.stderr()
        );
        live.poll(Duration::from_millis(100));
        if risk_seen.is_none() && sample(&scrape(addr), "aperture_capture_expiry_risk") == Some(1.0)
        {
            risk_seen = Some(started.elapsed());
        }
        if mock.dropped_undelivered() > 0 {
            first_drop = Some(started.elapsed());
        }
    }
    let first_drop = first_drop.unwrap();
    let text = scrape(addr);
    let (warned_at, warning) = live
        .seen
        .iter()
        .find(|(_, l)| l.contains("warning: expiry risk"))
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "no warning before the first drop at {first_drop:?}: {}",
                live.stderr()
            )
        });
    let warned = warned_at.duration_since(started);
    eprintln!(
        "expiry experiment (arrival 1600/s, drain at most 400/s, retention {RETENTION_SECS} s): \
         warning at {:.1} s (gauge seen at {:?}), first event dropped at {:.1} s\n{warning}\n\
         lag {:?} s, growth {:?}, drain {:?}/s, arrival estimate {:?}/s",
        warned.as_secs_f64(),
        risk_seen.map(|d| d.as_secs_f64()),
        first_drop.as_secs_f64(),
        sample(&text, "aperture_capture_lag_seconds"),
        sample(&text, "aperture_capture_lag_growth"),
        sample(&text, "aperture_capture_drain_rate"),
        sample(&text, "aperture_capture_arrival_rate"),
    );
    assert!(
        warned < first_drop,
        "warned at {warned:?}, dropped at {first_drop:?}"
    );
    assert!(
        risk_seen.is_some_and(|r| r < first_drop),
        "the gauge said so before the drop too: {risk_seen:?}"
    );
    assert_eq!(sample(&text, "aperture_capture_expiry_risk"), Some(1.0));
    let (status, stderr) = live.stop();
    assert!(status.success(), "{stderr}");
}

#[test]
fn a_drain_that_keeps_up_never_warns() {
    let dir = tempfile::tempdir().unwrap();
    // Half of what the drain can take: responses come back short.
    let mock = slow_drain_mock(200);
    let mut live = capture_with_retention(&mock, dir.path());
    let addr = live.metrics_addr();
    // Longer than the retention: a drain falling behind would lose events by now.
    let end = Instant::now() + Duration::from_secs(RETENTION_SECS + 4);
    let mut full_most = 0.0f64;
    while Instant::now() < end {
        live.poll(Duration::from_millis(250));
        let text = scrape(addr);
        assert_eq!(
            sample(&text, "aperture_capture_expiry_risk"),
            Some(0.0),
            "{text}"
        );
        full_most = full_most.max(sample(&text, "aperture_capture_full_batches").unwrap_or(0.0));
    }
    let text = scrape(addr);
    eprintln!(
        "keeping up (arrival 200/s, drain at most 400/s): no warning; lag {:?} s, at most \
         {full_most} full responses in a row, drain {:?}/s",
        sample(&text, "aperture_capture_lag_seconds"),
        sample(&text, "aperture_capture_drain_rate"),
    );
    assert_eq!(mock.dropped_undelivered(), 0);
    assert!(
        sample(&text, "aperture_capture_lag_seconds").unwrap() < 3.0,
        "{text}"
    );
    let (status, stderr) = live.stop();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("expiry risk"), "{stderr}");
}
