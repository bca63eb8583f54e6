//! End to end on loopback: the capture binary against the mock, under each
//! fault the mock can inject. Every event handed out in a completed response
//! must be in the journal exactly once, byte for byte, in order; bodies that
//! do not parse must be in the rejects directory byte for byte; events of a
//! response cut off mid-body are the only ones allowed to miss, and the bytes
//! that did arrive must be saved.

mod common;

use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockServer};
use common::*;

fn drain(
    mock: &MockServer,
    extra: &[&str],
) -> (tempfile::TempDir, Vec<Vec<u8>>, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(mock, journal.to_str().unwrap())
        .arg("--until-drained")
        .args(extra));
    assert_success(&out);
    let got = lines(&journal);
    (dir, got, out)
}

/// Checks the journal against the mock's log and returns the log.
fn check_accounting(mock: &MockServer, dir: &tempfile::TempDir, got: &[Vec<u8>], seeded: usize) {
    let log = mock.log();
    assert_eq!(
        got,
        delivered(&log).as_slice(),
        "journal differs from the events of completed responses"
    );
    assert_no_duplicates(got);
    let rejects = files(&dir.path().join("events.ndjson.rejects"));
    let mut accounted = got.len();
    let mut malformed = 0;
    let mut partial = 0;
    for e in events_responses(&log) {
        match e.fault {
            Some(Fault::Malformed) if e.status == 200 => {
                malformed += 1;
                accounted += e.events.len();
                let body = e.body.as_ref().unwrap();
                assert!(
                    rejects.iter().any(|p| std::fs::read(p).unwrap() == *body),
                    "malformed body not saved byte for byte"
                );
            }
            Some(Fault::DropMidBody) if e.status == 200 => {
                partial += 1;
                accounted += e.events.len();
                let body = e.body.as_ref().unwrap();
                assert!(!e.completed);
                assert!(
                    rejects.iter().any(|p| {
                        let saved = std::fs::read(p).unwrap();
                        p.to_string_lossy().ends_with(".partial")
                            && !saved.is_empty()
                            && body.starts_with(&saved)
                    }),
                    "received part of a cut-off body not saved"
                );
            }
            _ => {}
        }
    }
    assert_eq!(
        rejects.len(),
        malformed + partial,
        "unexpected files in rejects: {rejects:?}"
    );
    assert_eq!(
        accounted, seeded,
        "every seeded event is in the journal or a saved body"
    );
    assert_eq!(mock.remaining(), 0);
}

#[test]
fn bulk_capture_keeps_every_event_once_byte_for_byte() {
    let mock = start(mock_config(), 1_000);
    let (dir, got, _) = drain(&mock, &["--size", "64"]);
    assert_eq!(got, aperture_events_mock::generate(1, 1_000));
    check_accounting(&mock, &dir, &got, 1_000);
    // Bulk requests asked for the size given.
    let log = mock.log();
    assert!(events_responses(&log).iter().all(|e| e.events.len() <= 64));
}

#[test]
fn single_endpoint_one_event_per_request() {
    let mock = start(mock_config(), 25);
    let (dir, got, _) = drain(&mock, &["--single"]);
    check_accounting(&mock, &dir, &got, 25);
    let log = mock.log();
    assert!(
        events_responses(&log)
            .iter()
            .all(|e| e.kind == aperture_events_mock::RequestKind::Single)
    );
    assert_eq!(
        events_responses(&log)
            .iter()
            .filter(|e| e.status == 200)
            .count(),
        25
    );
}

#[test]
fn fixture_capture_with_exact_duplicates_is_kept_as_sent() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/captures/events.ndjson"
    );
    let text = std::fs::read(path).expect("fixture captures/events.ndjson");
    let events = split_lines(&text);
    let mock = MockServer::start(mock_config(), events.clone()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let out =
        run(capture(&mock, journal.to_str().unwrap()).args(["--until-drained", "--size", "5"]));
    assert_success(&out);
    // Real captures hold exact duplicates: each is kept as many times as it was sent.
    assert_eq!(lines(&journal), events);
}

fn with_faults(faults: Faults) -> MockServer {
    start(
        aperture_events_mock::MockConfig {
            faults,
            ..mock_config()
        },
        600,
    )
}

#[test]
fn expired_token_is_refreshed_once_and_capture_goes_on() {
    let mock = with_faults(Faults::every(3, Fault::ExpireToken));
    let (dir, got, _) = drain(&mock, &["--size", "50"]);
    check_accounting(&mock, &dir, &got, 600);
    let log = mock.log();
    let expired = events_responses(&log)
        .iter()
        .filter(|e| e.fault == Some(Fault::ExpireToken))
        .count();
    assert!(expired >= 3);
    assert_eq!(
        mock.tokens_issued(),
        1 + expired as u64,
        "one new token per 401"
    );
}

#[test]
fn revoked_tokens_are_replaced_and_capture_goes_on() {
    let mock = with_faults(Faults::every(4, Fault::RevokeToken));
    let (dir, got, _) = drain(&mock, &["--size", "40"]);
    check_accounting(&mock, &dir, &got, 600);
    let log = mock.log();
    let responses = events_responses(&log);
    let revoked: Vec<_> = responses
        .iter()
        .filter(|e| e.fault == Some(Fault::RevokeToken))
        .collect();
    assert!(revoked.len() >= 3);
    assert!(revoked.iter().all(|e| e.status == 401));
    // A revoked token is never accepted again: no later 200 carries it.
    for r in &revoked {
        assert!(
            !responses
                .iter()
                .any(|e| e.seq > r.seq && e.status == 200 && e.token == r.token)
        );
    }
    assert_eq!(mock.tokens_issued(), 1 + revoked.len() as u64);
}

#[test]
fn too_many_requests_waits_for_retry_after() {
    let mock = with_faults(Faults::every(
        4,
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
    ));
    let (dir, got, _) = drain(&mock, &["--size", "100"]);
    check_accounting(&mock, &dir, &got, 600);
    let log = mock.log();
    let events = events_responses(&log);
    let mut checked = 0;
    for pair in events.windows(2) {
        if matches!(pair[0].fault, Some(Fault::TooManyRequests { .. })) {
            let gap = pair[1].at.duration_since(pair[0].at);
            assert!(
                gap >= Duration::from_secs(1),
                "retried after {gap:?}, before Retry-After"
            );
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

#[test]
fn server_errors_are_retried() {
    let mock = with_faults(Faults::every(2, Fault::ServerError));
    let (dir, got, _) = drain(&mock, &["--size", "30"]);
    check_accounting(&mock, &dir, &got, 600);
    assert!(
        events_responses(&mock.log())
            .iter()
            .any(|e| e.status == 500)
    );
}

#[test]
fn slow_responses_within_the_timeout_are_waited_for() {
    let mock = with_faults(Faults::every(
        2,
        Fault::Slow {
            delay: Duration::from_millis(150),
        },
    ));
    let (dir, got, _) = drain(&mock, &["--size", "100"]);
    check_accounting(&mock, &dir, &got, 600);
}

#[test]
fn a_response_slower_than_the_timeout_is_retried() {
    let mock = with_faults(Faults::every(
        3,
        Fault::Slow {
            delay: Duration::from_millis(1_500),
        },
    ));
    let (dir, got, out) = drain(&mock, &["--size", "100", "--timeout-secs", "1"]);
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    // If the mock popped a slow response's events after the client had gone,
    // those would be the API's loss by design; hyper drops the request when
    // the client hangs up, so nothing is popped. Everything else arrives.
    let log = mock.log();
    let slow: Vec<_> = events_responses(&log)
        .into_iter()
        .filter(|e| matches!(e.fault, Some(Fault::Slow { .. })))
        .collect();
    assert!(!slow.is_empty());
    assert!(
        slow.iter().all(|e| e.status == 0 && e.events.is_empty()),
        "a timed-out request was answered"
    );
    let expected: Vec<Vec<u8>> = events_responses(&log)
        .into_iter()
        .filter(|e| e.status == 200 && !matches!(e.fault, Some(Fault::Slow { .. })))
        .flat_map(|e| e.events.clone())
        .collect();
    assert_eq!(got, expected);
    assert_no_duplicates(&got);
    assert!(files(&dir.path().join("events.ndjson.rejects")).is_empty());
}

#[test]
fn a_connection_dropped_mid_body_is_retried_and_its_bytes_saved() {
    let mock = with_faults(Faults::every(3, Fault::DropMidBody));
    let (dir, got, out) = drain(&mock, &["--size", "40"]);
    assert!(
        stderr(&out).contains("connection lost mid-body"),
        "{}",
        stderr(&out)
    );
    check_accounting(&mock, &dir, &got, 600);
}

#[test]
fn malformed_bodies_are_saved_whole_and_capture_goes_on() {
    let mock = with_faults(Faults::every(2, Fault::Malformed));
    let (dir, got, out) = drain(&mock, &["--size", "70"]);
    assert!(stderr(&out).contains("does not parse"), "{}", stderr(&out));
    check_accounting(&mock, &dir, &got, 600);
}

#[test]
fn malformed_single_bodies_are_saved_too() {
    let mock = start(
        aperture_events_mock::MockConfig {
            faults: Faults::every(3, Fault::Malformed),
            ..mock_config()
        },
        20,
    );
    let (dir, got, _) = drain(&mock, &["--single"]);
    check_accounting(&mock, &dir, &got, 20);
}

#[test]
fn all_faults_at_once() {
    // Never a revocation right after a 7th (expired token): two 401s in a
    // row (the second with a fresh token) are, rightly, a fatal error for the
    // capture. Bodies over the size held in memory have tests of their own
    // (rejects_cap.rs).
    let mock = with_faults(
        Faults::every(7, Fault::ExpireToken)
            .and(
                11,
                Fault::TooManyRequests {
                    retry_after_secs: 0,
                },
            )
            .and(5, Fault::ServerError)
            .and(4, Fault::DropMidBody)
            .and(6, Fault::Malformed)
            .and(
                3,
                Fault::Slow {
                    delay: Duration::from_millis(20),
                },
            ),
    );
    let (dir, got, _) = drain(&mock, &["--size", "25", "--max-failures", "0"]);
    check_accounting(&mock, &dir, &got, 600);
}

#[test]
fn a_pretty_printed_event_becomes_one_line_with_only_its_newlines_changed() {
    let pretty =
        b"{\n  \"log_type\": \"incident\",\r\n  \"note\": \"two\\nlines\",\n  \"severity\": 3.0\n}"
            .to_vec();
    let plain =
        br#"{"log_type":"activity_monitoring","timestamp":"2017-08-14T23:20:57Z"}"#.to_vec();
    let mock = MockServer::start(mock_config(), vec![plain.clone(), pretty.clone()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).arg("--until-drained"));
    assert_success(&out);
    let got = lines(&journal);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], plain);
    // Raw newlines (whitespace between tokens) become spaces, one for one;
    // the escaped `\n` inside the string is untouched.
    let expected: Vec<u8> = pretty
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b })
        .collect();
    assert_eq!(got[1], expected);
    assert_eq!(got[1].len(), pretty.len());
}
