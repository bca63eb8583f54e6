//! The `aperture-mock` binary: serving a capture from its flags, and its
//! refusal to listen beyond loopback unless told.

mod common;

use std::time::Duration;

use aperture_events_capture::mock::generate;
use common::*;

#[cfg(unix)]
#[test]
fn the_mock_binary_serves_a_capture() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.ndjson");
    std::fs::write(
        &seed,
        b"{\"log_type\":\"x\",\"n\":1}\r\n\n{\"log_type\":\"y\", \"n\" : 2}\n",
    )
    .unwrap();
    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--events",
            seed.to_str().unwrap(),
            "--generate",
            "3",
            "--empty-wait-ms",
            "50",
        ])
        .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(mock.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let url = first
        .strip_prefix("listening on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(first.contains("with 5 events"), "{first}");
    let journal = dir.path().join("j.ndjson");
    let out = run(bare().args([
        "--base-url",
        &url,
        "-o",
        journal.to_str().unwrap(),
        "--until-drained",
    ]));
    signal(&mock, rustix::process::Signal::INT);
    let mock_out = wait(mock, Duration::from_secs(20));
    assert_success(&out);
    let mut expected = vec![
        b"{\"log_type\":\"x\",\"n\":1}".to_vec(),
        b"{\"log_type\":\"y\", \"n\" : 2}".to_vec(),
    ];
    expected.extend(generate(1, 3));
    assert_eq!(lines(&journal), expected);
    assert!(
        stderr(&mock_out).contains("handed out 5 events in completed responses; 0 left"),
        "{}",
        stderr(&mock_out)
    );
}

#[test]
fn the_mock_binary_refuses_a_non_loopback_address_unless_told() {
    let out = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
            .args(["--listen", "0.0.0.0:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a loopback address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn allow_non_loopback_is_refused_with_the_default_credentials() {
    for creds in [
        &[][..],
        &["--client-secret", CLIENT_SECRET][..],
        &["--client-id", CLIENT_ID][..],
    ] {
        let out = run(
            std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
                .args(["--listen", "0.0.0.0:0", "--allow-non-loopback"])
                .args(creds)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped()),
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("--allow-non-loopback: refused with the default credentials"),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "it never listened");
    }
}

#[cfg(unix)]
#[test]
fn allow_non_loopback_warns_loudly() {
    // Own credentials: it serves, with a warning. (Bound to loopback all the
    // same: tests never listen beyond this machine.)
    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args(["--listen", "127.0.0.1:0", "--allow-non-loopback"])
        .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(mock.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first}"
    );
    signal(&mock, rustix::process::Signal::INT);
    let out = wait(mock, Duration::from_secs(20));
    assert!(
        stderr(&out).starts_with("WARNING: --allow-non-loopback: the mock listens on 127.0.0.1:0"),
        "{}",
        stderr(&out)
    );
}
