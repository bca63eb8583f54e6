//! JetStream errors no retry can fix (overlapping subjects, a stream limit,
//! a storage limit, an account without JetStream, permissions, replicas),
//! each against a real `nats-server`: the forwarder stops at once and names
//! the fix.

use crate::attacks::{event, forward, write_journal};
use crate::common::*;
use crate::server::Node;
use crate::{assert_exactly_once, checkpoint, read_stream, runtime};

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

/// A server that takes only known users: `app` may publish the events,
/// and a connection without credentials is `reader`, who may not (but may
/// read the stream back).
const USERS: &str = r#"
accounts {
  EVENTS: {
    jetstream: enabled
    users: [
      {user: app, password: "p@ss:word"},
      {user: reader, password: "pw-reader", permissions: { publish: { deny: ["aperture.>"] } } }
    ]
  }
}
no_auth_user: reader
"#;

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn credentials_in_the_nats_url_log_in_and_a_wrong_one_stops_without_showing_it() {
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single_with(dir.path(), USERS);
    let journal = dir.path().join("events.ndjson");
    let lines = [event(1, 10), event(2, 10)];
    write_journal(&journal, &[&lines[0], &lines[1]]);
    let with = |credentials: &str| {
        let url = node
            .url()
            .replace("nats://", &format!("nats://{credentials}@"));
        forward(&url, &journal, &[])
    };

    let out = with("app:wrong-secret");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.to_lowercase().contains("authorization"), "{err}");
    assert!(!err.contains("wrong-secret"), "the password shown: {err}");
    assert_eq!(checkpoint(&journal), None);

    // Percent-encoded as a URL's user information is: `p@ss:word`.
    let out = with("app:p%40ss%3Aword");
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = read_stream(&node.url(), "APERTURE");
    assert_exactly_once(&stored, &lines);
}
