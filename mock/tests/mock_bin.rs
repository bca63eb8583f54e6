//! The `aperture-mock` binary: serving a capture from its flags, and its
//! refusal to listen beyond loopback unless told.

#[path = "../../capture/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use aperture_events_mock::generate;
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
        .args(["--client", &format!("{CLIENT_ID}:{CLIENT_SECRET}")])
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
        stderr(&mock_out)
            .contains("handed out 5 events in completed responses; 0 left; 0 dropped undelivered"),
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
    let default_id = format!("mock-client:{CLIENT_SECRET}");
    let default_secret = format!("{CLIENT_ID}:mock-secret");
    for creds in [
        &[][..],
        &["--client", &default_id][..],
        &["--client", &default_secret][..],
        &[
            "--client",
            &format!("{CLIENT_ID}:{CLIENT_SECRET}"),
            "--client",
            &default_id,
        ][..],
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
        .args(["--client", &format!("{CLIENT_ID}:{CLIENT_SECRET}")])
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

/// Starts the mock binary with `args`; returns it and its ready line.
fn spawn_mock(args: &[&str]) -> (std::process::Child, String) {
    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
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
    (mock, first)
}

#[cfg(unix)]
#[test]
fn the_mock_binary_over_tls_serves_each_client_its_own_copy() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("mock-ca.pem");
    let (mock, first) = spawn_mock(&[
        "--tls",
        "--ca-out",
        ca.to_str().unwrap(),
        "--generate",
        "40",
        "--empty-wait-ms",
        "50",
        "--client",
        &format!("{CLIENT_ID}:{CLIENT_SECRET}"),
        "--client",
        "second-client:an:other:secret",
    ]);
    assert!(
        first.contains("with 40 events for 2 clients (test-client-7f3a, second-client)"),
        "{first}"
    );
    assert!(
        first
            .trim_end()
            .ends_with(&format!("; CA certificate in {}", ca.display())),
        "{first}"
    );
    let url = first
        .strip_prefix("listening on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    for (id, secret) in [
        (CLIENT_ID, CLIENT_SECRET),
        ("second-client", "an:other:secret"),
    ] {
        let journal = dir.path().join(format!("{id}.ndjson"));
        let out = run(bare()
            .env("APERTURE_CLIENT_ID", id)
            .env("APERTURE_CLIENT_SECRET", secret)
            .args(["--base-url", &url, "--ca-file", ca.to_str().unwrap()])
            .args(["-o", journal.to_str().unwrap(), "--until-drained"]));
        assert_success(&out);
        assert_eq!(lines(&journal), generate(1, 40), "{id}");
    }
    signal(&mock, rustix::process::Signal::INT);
    let mock_out = wait(mock, Duration::from_secs(20));
    assert!(
        stderr(&mock_out).contains("handed out 80 events in completed responses; 0 left"),
        "{}",
        stderr(&mock_out)
    );
}

#[cfg(unix)]
#[test]
fn the_mock_binary_reports_events_dropped_after_the_retention() {
    let (mock, first) = spawn_mock(&["--generate", "7", "--retention-secs", "1"]);
    assert!(first.contains("with 7 events"), "{first}");
    std::thread::sleep(Duration::from_millis(1_600));
    signal(&mock, rustix::process::Signal::INT);
    let out = wait(mock, Duration::from_secs(20));
    let err = stderr(&out);
    assert!(
        err.contains("retention: dropped 7 events not delivered within 1 s (7 so far)"),
        "{err}"
    );
    assert!(err.contains("0 left; 7 dropped undelivered"), "{err}");
}

#[test]
fn the_mock_binary_refuses_a_client_without_a_secret() {
    let out = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
            .args(["--listen", "127.0.0.1:0", "--client", "only-an-id"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("expected ID:SECRET"),
        "{}",
        stderr(&out)
    );
}

/// The mode bits of `path`, not following a link.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

/// The CA file named on the ready line.
fn ca_path(ready: &str) -> std::path::PathBuf {
    let (_, path) = ready
        .trim_end()
        .rsplit_once("; CA certificate in ")
        .expect("the ready line names the CA file");
    path.into()
}

#[cfg(unix)]
#[test]
fn the_ca_file_follows_no_link_planted_at_a_predictable_path() {
    // The temp directory every user shares, here one of the test's own.
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "the victim's file\n").unwrap();
    // The port the mock will get, known in advance, as an attacker may guess it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let planted = tmp.path().join(format!("aperture-mock-{port}-ca.pem"));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args(["--tls", "--listen", &format!("127.0.0.1:{port}")])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(mock.stdout.take().unwrap()),
        &mut ready,
    )
    .unwrap();
    let ca = ca_path(&ready);
    let victim_now = std::fs::read_to_string(&victim).unwrap();
    let dir = ca.parent().unwrap().to_owned();
    let (dir_mode, ca_mode) = (mode(&dir), mode(&ca));
    let pem = std::fs::read_to_string(&ca).unwrap_or_default();
    signal(&mock, rustix::process::Signal::INT);
    let out = wait(mock, Duration::from_secs(20));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        victim_now, "the victim's file\n",
        "written through the link"
    );
    assert_ne!(ca, planted, "{ready}");
    assert!(ca.starts_with(tmp.path()), "{ready}");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(dir_mode, 0o700, "{}", dir.display());
    assert_eq!(ca_mode, 0o600, "{}", ca.display());
    assert!(!dir.exists(), "the directory is removed at exit");
    assert!(planted.is_symlink(), "the planted link is left alone");
}

#[cfg(unix)]
#[test]
fn ca_out_replaces_a_planted_link_instead_of_following_it() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "the victim's file\n").unwrap();
    let ca = tmp.path().join("ca.pem");
    std::os::unix::fs::symlink(&victim, &ca).unwrap();
    let (mock, ready) = spawn_mock(&["--tls", "--ca-out", ca.to_str().unwrap()]);
    assert_eq!(ca_path(&ready), ca, "{ready}");
    let victim_now = std::fs::read_to_string(&victim).unwrap();
    let (is_link, ca_mode) = (ca.is_symlink(), mode(&ca));
    let pem = std::fs::read_to_string(&ca).unwrap();
    signal(&mock, rustix::process::Signal::INT);
    let _ = wait(mock, Duration::from_secs(20));
    assert_eq!(
        victim_now, "the victim's file\n",
        "written through the link"
    );
    assert!(!is_link, "the link is replaced by the file");
    assert_eq!(ca_mode, 0o600);
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert!(ca.exists(), "a file asked for by name stays");
}
