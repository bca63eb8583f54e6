//! Events larger than the server takes (`max_payload`, 1 MiB by default):
//! set aside in `<journal>.forward-rejects`, the next ones forwarded, with
//! `aperture-forward` and beside a capture; the limit counted to the byte.

use crate::attacks::{event, forward, mode, write_journal};
use crate::common::*;
use crate::server::Node;
use crate::{checkpoint, read_stream};

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn an_event_over_max_payload_is_set_aside_and_the_next_ones_go_on() {
    let dir = tempfile::tempdir().unwrap();
    // The default max_payload: 1 MiB.
    let node = Node::single(dir.path());
    let journal = dir.path().join("events.ndjson");
    let big = event(2, 1536 * 1024);
    let (a, c, d) = (event(1, 10), event(3, 10), event(4, 10));
    write_journal(&journal, &[&a, &big, &c, &d]);
    let out = forward(&node.url(), &journal, &["--batch", "2"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("event of {} bytes", big.len()))
            && err.contains("over the server's max_payload of 1048576 bytes")
            && err.contains("segment 1 line 2"),
        "{err}"
    );
    // The others are in the stream, in order; the big one is set aside, whole.
    let stored: Vec<Vec<u8>> = read_stream(&node.url(), "APERTURE")
        .into_iter()
        .map(|s| s.payload)
        .collect();
    assert_eq!(stored, vec![a.clone(), c.clone(), d.clone()]);
    let rejects = dir.path().join("events.ndjson.forward-rejects");
    let mut want = big.clone();
    want.push(b'\n');
    assert_eq!(std::fs::read(&rejects).unwrap(), want);
    #[cfg(unix)]
    assert_eq!(mode(&rejects), 0o600);
    assert!(err.contains("1 event set aside"), "{err}");
    let len = std::fs::metadata(&journal).unwrap().len();
    assert_eq!(checkpoint(&journal), Some((1, len, 4)));
    // Again: nothing more is sent, nothing more set aside.
    let again = forward(&node.url(), &journal, &[]);
    assert_success(&again);
    assert!(stderr(&again).contains("forwarded 0 events"));
    assert_eq!(std::fs::read(&rejects).unwrap(), want);
    assert_eq!(read_stream(&node.url(), "APERTURE").len(), 3);
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn events_over_max_payload_beside_a_capture_are_set_aside_the_rest_forwarded() {
    use aperture_events_mock::{MockServer, generate};
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    // Three events over the default max_payload (1 MiB), two of them in a row.
    let mut events = generate(1, 200);
    for at in [30, 31, 120] {
        let pad = "y".repeat(1100 * 1024 + at);
        events.insert(
            at,
            format!("{{\"log_type\":\"incident\",\"big\":{at},\"pad\":\"{pad}\"}}").into_bytes(),
        );
    }
    let mock = MockServer::start(mock_config(), events).expect("mock starts");
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "50",
        "--forward",
        &node.url(),
    ]));
    let err = stderr(&out);
    let all = lines(&journal);
    assert_eq!(all, delivered(&mock.log()));
    let kept = lines(&dir.path().join("events.ndjson.forward-rejects"));
    let stored: Vec<Vec<u8>> = read_stream(&node.url(), "APERTURE")
        .into_iter()
        .map(|s| s.payload)
        .collect();
    assert_eq!((stored.len(), kept.len()), (200, 3));
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "forwarded 200 events; {}: 3 events set aside in",
            journal.display()
        )),
        "{err}"
    );
    // Each journal line is in the stream or set aside, once, in order.
    let mut rest = (stored.iter().peekable(), kept.iter().peekable());
    for line in &all {
        if rest.0.peek() == Some(&line) {
            rest.0.next();
        } else {
            assert_eq!(
                rest.1.next(),
                Some(line),
                "a line neither stored nor set aside"
            );
            assert!(line.len() > 1 << 20, "a small line set aside");
        }
    }
    assert_eq!((rest.0.next(), rest.1.next()), (None, None));
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn a_message_of_exactly_max_payload_is_stored_and_one_byte_more_set_aside() {
    use aperture_events_forward::message::{DEFAULT_SUBJECT, Format, Labels};
    use aperture_events_forward::segments::Line;
    const MAX_PAYLOAD: usize = 1 << 20;
    let labels = Labels {
        capture: "cap".into(),
        region: None,
        template: DEFAULT_SUBJECT.into(),
        format: Format::Raw,
    };
    // The line at `offset` whose message (headers included) is `size` bytes.
    let line_of = |offset: u64, size: usize| {
        let size_with = |pad: usize| {
            let bytes = event(1, pad);
            let line = Line {
                offset,
                end: offset + bytes.len() as u64 + 1,
                line: 1,
                bytes,
            };
            labels.message(1, &line).expect("a message").size()
        };
        let pad = size - (size_with(0));
        let bytes = event(1, pad);
        assert_eq!(size_with(pad), size);
        bytes
    };
    let exact = line_of(0, MAX_PAYLOAD);
    let over = line_of(exact.len() as u64 + 1, MAX_PAYLOAD + 1);
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let journal = dir.path().join("events.ndjson");
    write_journal(&journal, &[&exact, &over]);
    let out = forward(&node.url(), &journal, &["--capture-id", "cap"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the message is {} bytes (an event of {} bytes and its headers), over the server's max_payload of {MAX_PAYLOAD} bytes",
            MAX_PAYLOAD + 1,
            over.len()
        )),
        "{err}"
    );
    let stored: Vec<Vec<u8>> = read_stream(&node.url(), "APERTURE")
        .into_iter()
        .map(|s| s.payload)
        .collect();
    assert_eq!(stored, vec![exact]);
    let mut want = over;
    want.push(b'\n');
    assert_eq!(
        std::fs::read(dir.path().join("events.ndjson.forward-rejects")).unwrap(),
        want
    );
}
