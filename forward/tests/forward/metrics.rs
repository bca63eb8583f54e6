//! The forwarder's metrics, from `aperture-capture --forward --metrics-listen`
//! and from `aperture-forward --metrics-listen`: the position moves as
//! events are acknowledged; with NATS stopped, publish errors count, and
//! the events behind and the age of the oldest unforwarded one grow; with
//! NATS back, it catches up to 0 behind.

use std::time::{Duration, Instant};

use crate::common::live::{Live, sample, scrape};
use crate::common::*;
use crate::server::Node;

/// Scrapes `addr` until `done` holds (fails after `limit`).
fn until(addr: std::net::SocketAddr, limit: Duration, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = scrape(addr);
        if done(&text) {
            return text;
        }
        assert!(start.elapsed() < limit, "never reached:\n{text}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn forwarder_lag_grows_with_nats_stopped_and_returns_to_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut node = Node::single(dir.path());
    let mock = start(mock_config(), 500);
    let journal = dir.path().join("events.ndjson");
    let path = journal.to_str().unwrap();
    let mut live = Live::spawn(capture(&mock, path).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--poll-wait-ms",
        "100",
        "--forward",
        &node.url(),
    ]));
    let addr = live.metrics_addr();
    let label = format!("{{journal=\"{path}\"}}");
    let forwarded = format!("aperture_forward_events_total{label}");
    let behind = format!("aperture_forward_events_behind{label}");
    let age = format!("aperture_forward_oldest_unforwarded_age_seconds{label}");
    let errors = format!("aperture_forward_publish_errors_total{label}");
    let line = format!("aperture_forward_line{label}");
    let text = until(addr, Duration::from_secs(60), |t| {
        sample(t, &forwarded) == Some(500.0)
    });
    assert_eq!(sample(&text, &line), Some(500.0), "the position: line 500");
    assert_eq!(sample(&text, &errors), Some(0.0));

    node.kill();
    // Events arriving now, stamped now: their age is the time they wait.
    mock.push_events(aperture_events_mock::generate_at(
        1000,
        300,
        std::time::SystemTime::now(),
    ));
    let text = until(addr, Duration::from_secs(60), |t| {
        sample(t, &errors).unwrap_or(0.0) >= 2.0
            && sample(t, &behind).unwrap_or(0.0) > 0.0
            && sample(t, &age).unwrap_or(0.0) >= 2.0
    });
    assert_eq!(sample(&text, &forwarded), Some(500.0), "{text}");
    assert!(
        sample(
            &text,
            "aperture_capture_events_total{log_type=\"incident\",region=\"custom\"}"
        )
        .is_some(),
        "the capture's and the forwarder's metrics are served together:\n{text}"
    );
    node.start();
    let text = until(addr, Duration::from_secs(90), |t| {
        sample(t, &forwarded) == Some(800.0) && sample(t, &behind) == Some(0.0)
    });
    assert_eq!(sample(&text, &age), Some(0.0));
    let (status, stderr) = live.stop();
    assert!(status.success(), "{stderr}");
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn aperture_forward_serves_its_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let mock = start(mock_config(), 300);
    let journal = dir.path().join("events.ndjson");
    let path = journal.to_str().unwrap();
    assert_success(&run(capture(&mock, path).arg("--until-drained")));
    let mut live = Live::spawn(
        std::process::Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
            .args([
                "--nats",
                &node.url(),
                "--follow",
                "--metrics-listen",
                "127.0.0.1:0",
            ])
            .arg(path)
            .stdin(std::process::Stdio::null()),
    );
    let addr = live.metrics_addr();
    let text = until(addr, Duration::from_secs(60), |t| {
        sample(
            t,
            &format!("aperture_forward_events_total{{journal=\"{path}\"}}"),
        ) == Some(300.0)
    });
    assert!(text.contains("aperture_forward_build_info{"), "{text}");
    let (status, body) = crate::common::live::http_get(addr, "/healthz");
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (status, _) = live.stop();
    assert!(status.success());
}
