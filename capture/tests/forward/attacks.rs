//! Hostile journals, checkpoints and servers: an event over the server's
//! `max_payload`, a checkpoint pointing inside a line, and JetStream errors
//! no retry can fix (overlapping subjects, permissions, limits, an account
//! without JetStream), each against a real `nats-server`.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;
use crate::server::Node;
use crate::{checkpoint, read_stream, runtime};

/// `aperture-forward --nats URL JOURNAL ARGS…`, run to its end (killed, and
/// the test failed, after 90 s: a forwarder that retries forever).
fn forward(url: &str, journal: &Path, args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
        .args(["--nats", url])
        .arg(journal)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aperture-forward starts");
    wait(child, Duration::from_secs(90))
}

fn event(n: usize, pad: usize) -> Vec<u8> {
    format!(
        "{{\"log_type\":\"incident\",\"n\":{n},\"pad\":\"{}\"}}",
        "x".repeat(pad)
    )
    .into_bytes()
}

fn write_journal(path: &Path, lines: &[&[u8]]) {
    let mut bytes = Vec::new();
    for l in lines {
        bytes.extend_from_slice(l);
        bytes.push(b'\n');
    }
    std::fs::write(path, bytes).unwrap();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

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
fn a_checkpoint_inside_a_line_is_refused_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let journal = dir.path().join("events.ndjson");
    let lines = [event(1, 10), event(2, 10), event(3, 10)];
    write_journal(&journal, &[&lines[0], &lines[1], &lines[2]]);
    assert_success(&forward(&node.url(), &journal, &[]));
    assert_eq!(read_stream(&node.url(), "APERTURE").len(), 3);
    let cp = aperture_events_capture::journal::side_path(&journal, "forwarded");
    let inside = lines[0].len() as u64 + 5;
    std::fs::write(
        &cp,
        format!("{{\"segment\":1,\"offset\":{inside},\"line\":1}}"),
    )
    .unwrap();
    let out = forward(&node.url(), &journal, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("the forwarded offset {inside} is inside a line")),
        "{err}"
    );
    // No fragment was published.
    let stored = read_stream(&node.url(), "APERTURE");
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|s| lines.contains(&s.payload)));
    // At a line's start, it goes on (the re-publish is a duplicate, dropped).
    let start = lines[0].len() as u64 + 1;
    std::fs::write(
        &cp,
        format!("{{\"segment\":1,\"offset\":{start},\"line\":1}}"),
    )
    .unwrap();
    assert_success(&forward(&node.url(), &journal, &[]));
    assert_eq!(read_stream(&node.url(), "APERTURE").len(), 3);
}

#[cfg(unix)]
#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn the_forwarders_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let journal = dir.path().join("events.ndjson");
    write_journal(&journal, &[&event(1, 10)]);
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"keep me").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("events.ndjson.forwarded.tmp")).unwrap();
    assert_success(&forward(&node.url(), &journal, &[]));
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    assert_eq!(mode(&dir.path().join("events.ndjson.forwarded")), 0o600);
    assert_eq!(mode(&dir.path().join("events.ndjson.capture-id")), 0o600);
}

/// Accounts for the permanent errors, one per kind; each case's server
/// takes connections without credentials as one of these users
/// (`no_auth_user`).
const ACCOUNTS: &str = r#"
accounts {
  OVERLAP: { jetstream: enabled, users: [{user: overlap, password: "pw-overlap"}] }
  LIMITED: {
    jetstream: { max_mem: -1, max_file: -1, max_streams: 1, max_consumers: -1 }
    users: [{user: limited, password: "pw-limited"}]
  }
  SMALL: {
    jetstream: { max_mem: 1M, max_file: 1M, max_streams: -1, max_consumers: -1 }
    users: [{user: small, password: "pw-small"}]
  }
  NOJS: { users: [{user: nojs, password: "pw-nojs"}] }
  NOCREATE: {
    jetstream: enabled
    users: [{user: nocreate, password: "pw-nocreate",
             permissions: { publish: { deny: ["$JS.API.STREAM.CREATE.>"] } } }]
  }
  NOPUB: {
    jetstream: enabled
    users: [{user: nopub, password: "pw-nopub",
             permissions: { publish: { deny: ["aperture.>"] } } }]
  }
}
"#;

/// Creates a stream `name` taking `subject` (before the forwarder runs).
fn make_stream(url: &str, name: &str, subject: &str) {
    runtime().block_on(async {
        let client = async_nats::connect(url).await.expect("connected");
        let js = async_nats::jetstream::new(client);
        js.create_stream(async_nats::jetstream::stream::Config {
            name: name.into(),
            subjects: vec![subject.into()],
            ..Default::default()
        })
        .await
        .expect("stream created");
    });
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn permanent_jetstream_errors_stop_at_once_and_name_the_fix() {
    // (user, a stream made first, extra flags, what the error must say)
    type Case<'a> = (
        &'a str,
        Option<(&'a str, &'a str)>,
        &'a [&'a str],
        &'a [&'a str],
    );
    let cases: &[Case<'_>] = &[
        (
            "overlap",
            Some(("OTHER", "aperture.>")),
            &[],
            &[
                "subjects overlap with an existing stream",
                "10065",
                "--subject-template",
                "--stream",
            ],
        ),
        (
            "limited",
            Some(("FIRST", "first.>")),
            &[],
            &["maximum number of streams reached", "10027", "--stream"],
        ),
        (
            "small",
            None,
            &["--max-bytes", "64M"],
            &["insufficient storage resources", "--max-bytes"],
        ),
        (
            "nojs",
            None,
            &[],
            &["jetstream not enabled for account", "--nats"],
        ),
        (
            "nocreate",
            None,
            &[],
            &[
                "permissions violation for publish to \"$JS.API.STREAM.CREATE.APERTURE\"",
                "--nats",
            ],
        ),
        (
            "overlap",
            None,
            &["--replicas", "3"],
            &["10074", "--replicas"],
        ),
        (
            "nopub",
            None,
            &[],
            &[
                "permissions violation for publish to \"aperture.events.",
                "--subject-template",
            ],
        ),
    ];
    for (user, stream, args, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let node = Node::single_with(dir.path(), &format!("{ACCOUNTS}\nno_auth_user: {user}\n"));
        if let Some((name, subject)) = stream {
            make_stream(&node.url(), name, subject);
        }
        let journal = dir.path().join("events.ndjson");
        write_journal(&journal, &[&event(1, 10), &event(2, 10)]);
        let out = forward(&node.url(), &journal, args);
        let err = stderr(&out);
        eprintln!("{user}: {err}");
        assert_eq!(out.status.code(), Some(1), "{user}: {err}");
        let lower = err.to_lowercase();
        for said in *says {
            assert!(
                lower.contains(&said.to_lowercase()),
                "{user}: no `{said}` in {err}"
            );
        }
        assert!(lower.contains("retrying cannot help"), "{user}: {err}");
        assert!(!err.contains("retrying (for"), "{user}: retried: {err}");
        assert_eq!(checkpoint(&journal), None, "{user}");
    }
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn a_permanent_error_beside_a_capture_is_said_and_the_capture_keeps_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    make_stream(&node.url(), "OTHER", "aperture.>");
    let mock = start(mock_config(), 500);
    let journal = dir.path().join("events.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "50",
        "--forward",
        &node.url(),
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("forward: error:")
            && err.contains("subjects overlap with an existing stream")
            && err.contains("retrying cannot help")
            && err.contains("--subject-template")
            && err.contains("forwarding stopped"),
        "{err}"
    );
    assert!(!err.contains("retrying (for"), "retried: {err}");
    assert_eq!(lines(&journal), delivered(&mock.log()));
    assert_eq!(checkpoint(&journal), None);
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn events_over_max_payload_beside_a_capture_are_set_aside_the_rest_forwarded() {
    use aperture_events_capture::mock::{MockServer, generate};
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
    use aperture_events_capture::forward::message::{DEFAULT_SUBJECT, Labels};
    use aperture_events_capture::forward::segments::Line;
    const MAX_PAYLOAD: usize = 1 << 20;
    let labels = Labels {
        capture: "cap".into(),
        region: None,
        template: DEFAULT_SUBJECT.into(),
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
            labels.message(1, &line).size()
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
