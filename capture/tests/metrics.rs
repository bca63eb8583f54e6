//! `--metrics-listen` end to end: the capture against the mock with faults,
//! scraped over loopback while it runs. Every metric moves as the run
//! does; `/healthz` and `/readyz` answer; 10,000 unknown `log_type`s make
//! a bounded number of series.

mod common;

use std::time::{Duration, Instant};

use aperture_events_mock::{Fault, Faults, MockConfig};
use common::live::{Live, http_get, sample, scrape, series, total};
use common::*;

/// Scrapes until `done` holds (or fails after 60 s), returning that exposition.
fn scrape_until(addr: std::net::SocketAddr, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = scrape(addr);
        if done(&text) {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never reached:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn every_metric_moves_with_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let mock = start(
        MockConfig {
            faults: Faults::every(3, Fault::ServerError)
                .and(7, Fault::Malformed)
                .and(
                    11,
                    Fault::TooManyRequests {
                        retry_after_secs: 0,
                    },
                ),
            ..mock_config()
        },
        2000,
    );
    // After the drain's 204 the capture waits a minute before it polls
    // again: no request (each third one a 500) moves the mock's log or the
    // counters while they are compared.
    let mut live = Live::spawn(capture(&mock, journal.to_str().unwrap()).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--poll-wait-ms",
        "60000",
        "--rotate-size",
        "200K",
        "--max-failures",
        "0",
    ]));
    let addr = live.metrics_addr();
    // Drained, and a 204 answered since (the capture is polling).
    let start = Instant::now();
    while mock.remaining() > 0
        || events_responses(&mock.log())
            .last()
            .is_none_or(|e| e.status != 204)
    {
        assert!(start.elapsed() < Duration::from_secs(60), "not drained");
        std::thread::sleep(Duration::from_millis(100));
    }
    let events = all_lines(dir.path(), "events.ndjson");
    let bytes: usize = events.iter().map(|l| l.len() + 1).sum();
    // The journal's size is looked at once a second.
    let text = scrape_until(addr, |t| {
        sample(t, "aperture_capture_journal_size_bytes") == Some(bytes as f64)
    });
    // Malformed bodies took their events to the rejects directory.
    assert!(events.len() > 1000, "{}", events.len());
    assert_eq!(
        total(&text, "aperture_capture_events_total"),
        events.len() as f64
    );
    // The mock's types, each its own series, in the run's region.
    for log_type in ["activity_monitoring", "incident", "admin_audit"] {
        let journaled = events
            .iter()
            .filter(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).unwrap();
                v["log_type"] == log_type
            })
            .count();
        let series_name =
            format!("aperture_capture_events_total{{log_type=\"{log_type}\",region=\"custom\"}}");
        assert_eq!(
            sample(&text, &series_name),
            Some(journaled as f64),
            "{text}"
        );
    }
    let log = mock.log();
    let served = |status: u16| {
        events_responses(&log)
            .iter()
            .filter(|e| e.status == status && e.completed)
            .count() as f64
    };
    let kind = |k: &str| {
        sample(
            &text,
            &format!("aperture_capture_api_errors_total{{kind=\"{k}\"}}"),
        )
        .unwrap()
    };
    assert_eq!(kind("server_error"), served(500), "{text}");
    assert_eq!(kind("too_many_requests"), served(429), "{text}");
    let malformed = events_responses(&log)
        .iter()
        .filter(|e| e.fault == Some(Fault::Malformed) && e.status == 200)
        .count() as f64;
    assert!(malformed >= 1.0);
    assert_eq!(kind("malformed"), malformed, "{text}");
    assert_eq!(
        sample(&text, "aperture_capture_rejects_total{kind=\"malformed\"}"),
        Some(malformed)
    );
    let kept: u64 = files(&dir.path().join("events.ndjson.rejects"))
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert_eq!(
        sample(
            &text,
            "aperture_capture_rejects_bytes_total{kind=\"malformed\"}"
        ),
        Some(kept as f64)
    );
    assert_eq!(
        sample(&text, "aperture_capture_retries_total"),
        Some(total(&text, "aperture_capture_api_errors_total"))
    );
    assert_eq!(
        sample(&text, "aperture_capture_token_refreshes_total"),
        Some(mock.tokens_issued() as f64)
    );
    let responses = sample(&text, "aperture_capture_responses_total{region=\"custom\"}").unwrap();
    assert_eq!(responses, served(200) - malformed, "{text}");
    assert_eq!(
        sample(&text, "aperture_capture_fsync_seconds_count"),
        Some(responses)
    );
    assert_eq!(
        sample(&text, "aperture_capture_journaled_bytes_total"),
        Some(bytes as f64)
    );
    // The journal's size counts the rotated segments too (plain: no --gzip).
    assert_eq!(
        sample(&text, "aperture_capture_journal_size_bytes"),
        Some(bytes as f64)
    );
    assert!(sample(&text, "aperture_capture_journal_free_bytes").unwrap() > 0.0);
    assert!(text.contains("aperture_capture_build_info{version=\""));
    // The generated events are dated 2026-01-01: too old to be a queue's age.
    assert_eq!(sample(&text, "aperture_capture_expiry_risk"), Some(0.0));

    let (status, body) = http_get(addr, "/healthz");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["status"],
        "ok"
    );
    let (status, body) = http_get(addr, "/readyz");
    assert_eq!(status, 200, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["token_held"], true);
    assert_eq!(ready["journal_writable"], true);
    assert!(
        ready["last_pull_secs_ago"].as_f64().unwrap() < 30.0,
        "{body}"
    );
    let (status, _) = http_get(addr, "/nothing");
    assert_eq!(status, 404);

    let (status, stderr) = live.stop();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("expiry risk"), "{stderr}");
}

#[test]
fn readyz_says_not_ready_once_the_api_keeps_failing() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let mock = start(
        MockConfig {
            faults: Faults::every(1, Fault::ServerError),
            ..mock_config()
        },
        10,
    );
    let mut live = Live::spawn(capture(&mock, journal.to_str().unwrap()).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--max-failures",
        "0",
        "--timeout-secs",
        "1",
        "--poll-wait-ms",
        "0",
    ]));
    let addr = live.metrics_addr();
    // Three intervals of (1 s timeout + 0 s poll) without an answer.
    std::thread::sleep(Duration::from_millis(3500));
    let (status, body) = http_get(addr, "/readyz");
    assert_eq!(status, 503, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["status"], "not_ready");
    assert_eq!(ready["last_pull_secs_ago"], serde_json::Value::Null);
    // Still alive: the loop turns, waiting between retries.
    let (status, body) = http_get(addr, "/healthz");
    assert_eq!(status, 200, "{body}");
    let text = scrape(addr);
    assert!(
        sample(
            &text,
            "aperture_capture_api_errors_total{kind=\"server_error\"}"
        )
        .unwrap()
            >= 3.0,
        "{text}"
    );
    let _ = live.stop();
}

#[test]
fn ten_thousand_unknown_log_types_make_a_bounded_number_of_series() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let mock = start(mock_config(), 0);
    mock.push_events((0..10_000).map(|i| {
        format!(r#"{{"log_type":"vendor_new_type_{i}","timestamp":"2026-01-01T00:00:00Z"}}"#)
            .into_bytes()
    }));
    let mut live = Live::spawn(capture(&mock, journal.to_str().unwrap()).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--no-fsync",
    ]));
    let addr = live.metrics_addr();
    let text = scrape_until(addr, |t| {
        total(t, "aperture_capture_events_total") >= 10_000.0
    });
    let n = series(&text, "aperture_capture_events_total");
    assert_eq!(
        n,
        aperture_events_capture::metrics::MAX_LOG_TYPES + 1,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "aperture_capture_events_total{log_type=\"other\",region=\"custom\"}"
        ),
        Some((10_000 - aperture_events_capture::metrics::MAX_LOG_TYPES) as f64)
    );
    let _ = live.stop();
}

#[test]
fn a_busy_metrics_address_is_a_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let mock = start(mock_config(), 1);
    let out = run(
        capture(&mock, dir.path().join("e.ndjson").to_str().unwrap()).args([
            "--metrics-listen",
            &addr,
            "--until-drained",
        ]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("--metrics-listen {addr}")),
        "{}",
        stderr(&out)
    );
}
