//! The capture binary's behaviour around the loop: tokens, `204`s, stopping,
//! outputs (stdout, rotation), errors, and keeping secrets out of all output.

mod common;

use std::io::Read;
use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig, RequestKind, generate};
use common::*;

#[test]
fn token_is_renewed_before_it_expires() {
    let faults = Faults::every(
        1,
        Fault::Slow {
            delay: Duration::from_millis(250),
        },
    );
    let mock = start(
        MockConfig {
            token_lifetime: Duration::from_secs(1),
            faults,
            ..mock_config()
        },
        12,
    );
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out =
        run(capture(&mock, journal.to_str().unwrap()).args(["--until-drained", "--size", "1"]));
    assert_success(&out);
    assert_eq!(lines(&journal), generate(1, 12));
    let log = mock.log();
    // ~3 s of requests with 1 s tokens: renewed ahead of expiry. A request
    // that reaches the mock after its token expired (a very loaded machine)
    // is refused and renewed on the 401, so count only renewals without one.
    let refused = events_responses(&log)
        .iter()
        .filter(|e| e.status == 401)
        .count() as u64;
    let ahead = mock.tokens_issued() - 1 - refused;
    assert!(
        ahead >= 1,
        "tokens issued: {}, refused: {refused}",
        mock.tokens_issued()
    );
    assert!(
        mock.tokens_issued() >= 3,
        "tokens issued: {}",
        mock.tokens_issued()
    );
}

#[test]
fn polls_again_after_204_until_events_arrive() {
    let mock = start(mock_config(), 0);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let child = capture(&mock, journal.to_str().unwrap())
        .args(["--max-events", "30", "--poll-wait-ms", "20"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    mock.push_events(generate(1, 50));
    let out = wait(child, Duration::from_secs(30));
    assert_success(&out);
    assert_eq!(
        lines(&journal),
        generate(1, 30),
        "--max-events stops at exactly 30"
    );
    let log = mock.log();
    let statuses: Vec<u16> = events_responses(&log).iter().map(|e| e.status).collect();
    assert!(
        statuses.iter().filter(|&&s| s == 204).count() >= 2,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&200));
    assert_eq!(
        mock.remaining(),
        20,
        "never asked for more than --max-events"
    );
}

#[test]
fn until_drained_stops_at_the_first_204() {
    let mock = start(mock_config(), 10);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).arg("--until-drained"));
    assert_success(&out);
    let log = mock.log();
    let statuses: Vec<u16> = events_responses(&log).iter().map(|e| e.status).collect();
    assert_eq!(statuses, [200, 204]);
    assert!(
        stderr(&out).contains("captured 10 events in 1 responses"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stdout_mode_writes_ndjson_to_stdout_only() {
    let mock = start(mock_config(), 120);
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&mock, "-")
        .args(["--until-drained", "--size", "50"])
        .current_dir(dir.path()));
    assert_success(&out);
    assert_eq!(split_lines(&out.stdout), generate(1, 120));
    assert!(stderr(&out).contains("to stdout"));
    assert!(
        files(dir.path()).is_empty(),
        "stdout mode left files: {:?}",
        files(dir.path())
    );
}

#[test]
fn rotation_with_gzip_keeps_every_event_in_order() {
    let mock = start(mock_config(), 500);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "20",
        "--rotate-size",
        "16K",
        "--gzip",
    ]));
    assert_success(&out);
    let mut rotated: Vec<(u64, std::path::PathBuf)> = files(dir.path())
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            let n = name
                .strip_prefix("j.ndjson.")?
                .strip_suffix(".gz")?
                .parse()
                .ok()?;
            Some((n, p))
        })
        .collect();
    rotated.sort();
    assert!(
        rotated.len() >= 5,
        "expected several rotated files, got {rotated:?}"
    );
    let mut all = Vec::new();
    for (_, p) in &rotated {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(p).unwrap())
            .read_to_end(&mut text)
            .unwrap();
        assert!(text.len() >= 16 * 1024, "rotated before reaching the size");
        all.extend(split_lines(&text));
    }
    all.extend(lines(&journal));
    assert_eq!(all, generate(1, 500));
}

#[test]
fn restart_repairs_an_incomplete_last_line() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    std::fs::write(&journal, b"{\"before\":1}\n{\"cut\":").unwrap();
    let out = run(capture(&mock, journal.to_str().unwrap()).arg("--until-drained"));
    assert_success(&out);
    assert!(
        stderr(&out).contains("cut an incomplete last line (7 bytes"),
        "{}",
        stderr(&out)
    );
    let mut expected = vec![b"{\"before\":1}".to_vec()];
    expected.extend(generate(1, 5));
    assert_eq!(lines(&journal), expected);
    assert_eq!(
        std::fs::read(dir.path().join("j.ndjson.incomplete")).unwrap(),
        b"{\"cut\":\n"
    );
}

#[cfg(unix)]
#[test]
fn a_link_planted_beside_the_journal_is_not_followed() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "the victim's file\n").unwrap();
    let journal = dir.path().join("j.ndjson");
    std::fs::write(&journal, b"{\"before\":1}\n{\"cut\":").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("j.ndjson.incomplete")).unwrap();
    let out = run(capture(&mock, journal.to_str().unwrap()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("repairing the last line: it is a symbolic link, which is not followed"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "the victim's file\n"
    );
    assert_eq!(mock.remaining(), 5, "nothing asked for");

    // The journal itself, a link: refused the same way.
    let linked = dir.path().join("linked.ndjson");
    std::os::unix::fs::symlink(&victim, &linked).unwrap();
    let out = run(capture(&mock, linked.to_str().unwrap()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("it is a symbolic link, which is not followed"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "the victim's file\n"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_after_storing_the_response_in_flight() {
    let faults = Faults::every(
        1,
        Fault::Slow {
            delay: Duration::from_millis(300),
        },
    );
    let mock = start(
        MockConfig {
            faults,
            ..mock_config()
        },
        1_000,
    );
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let child = capture(&mock, journal.to_str().unwrap())
        .args(["--size", "10"])
        .spawn()
        .unwrap();
    // Wait until a request is in flight (the mock is sleeping on it), then signal.
    let start = std::time::Instant::now();
    while events_responses(&mock.log()).len() < 3 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    signal(&child, rustix::process::Signal::TERM);
    let out = wait(child, Duration::from_secs(20));
    assert_success(&out);
    assert!(
        stderr(&out).contains("stopped by signal")
            && stderr(&out).contains("stopping once the response in flight is stored"),
        "{}",
        stderr(&out)
    );
    let log = mock.log();
    let delivered = delivered(&log);
    assert_eq!(
        lines(&journal),
        delivered,
        "the response in flight at the signal was stored"
    );
    assert!(delivered.len() >= 30);
    // Nothing was asked for after the signal's response.
    assert!(
        events_responses(&log)
            .iter()
            .all(|e| e.status == 200 && e.completed)
    );
}

#[test]
fn bad_credentials_are_a_clear_error() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&mock, dir.path().join("j").to_str().unwrap())
        .env("APERTURE_CLIENT_SECRET", "wrong-secret-abc123"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("bad credentials"), "{err}");
    assert!(err.contains("/oauth/token"), "{err}");
    assert!(!err.contains("wrong-secret-abc123"));
    assert_eq!(mock.remaining(), 5);
}

#[test]
fn missing_scope_is_a_clear_error() {
    let mock = start(
        MockConfig {
            grant_scope: false,
            ..mock_config()
        },
        5,
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run(&mut capture(&mock, dir.path().join("j").to_str().unwrap()));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("missing scope: the client is not allowed scope api_access"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_credentials_are_a_usage_error() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&mock, dir.path().join("j").to_str().unwrap())
        .env_remove("APERTURE_CLIENT_ID")
        .env_remove("APERTURE_CLIENT_SECRET"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing credentials"),
        "{}",
        stderr(&out)
    );
    assert!(
        mock.log().is_empty(),
        "nothing was sent without credentials"
    );
}

#[test]
fn credentials_file_works_instead_of_the_environment() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.env");
    std::fs::write(
        &creds,
        format!("APERTURE_CLIENT_ID={CLIENT_ID}\nAPERTURE_CLIENT_SECRET={CLIENT_SECRET}\n"),
    )
    .unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap())
        .args(["--until-drained", "--credentials", creds.to_str().unwrap()])
        .env_remove("APERTURE_CLIENT_ID")
        .env_remove("APERTURE_CLIENT_SECRET"));
    assert_success(&out);
    assert_eq!(lines(&journal).len(), 5);
}

#[test]
fn an_unreachable_server_gives_up_with_the_cause() {
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let out = run(bare()
        .args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "-o",
            dir.path().join("j").to_str().unwrap(),
        ])
        .args(["--max-failures", "3", "--retry-base-ms", "1"]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("giving up after 3 consecutive failures"),
        "{err}"
    );
    assert!(
        err.contains(&format!("POST http://127.0.0.1:{port}/oauth/token")),
        "{err}"
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_traffic() {
    let out = run(bare().args(["--base-url", "http://192.0.2.1", "-o", "-"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("plain http is allowed only to a loopback address"));
}

#[test]
fn secrets_never_reach_any_output() {
    let faults = Faults::every(2, Fault::ExpireToken)
        .and(5, Fault::ServerError)
        .and(7, Fault::DropMidBody)
        .and(9, Fault::Malformed);
    let mock = start(
        MockConfig {
            faults,
            ..mock_config()
        },
        300,
    );
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let ok = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--size",
        "10",
        "--max-failures",
        "0",
    ]));
    assert_success(&ok);
    let to_stdout = run(capture(&mock, "-")
        .args(["--until-drained"])
        .current_dir(dir.path()));
    let bad = run(capture(&mock, journal.to_str().unwrap())
        .env("APERTURE_CLIENT_SECRET", "Wr0ng-S3cret-55aa"));
    let mut haystacks = vec![
        ok.stdout,
        ok.stderr,
        to_stdout.stdout,
        to_stdout.stderr,
        bad.stdout,
        bad.stderr,
    ];
    for f in files(dir.path())
        .into_iter()
        .chain(files(&dir.path().join("j.ndjson.rejects")))
    {
        if f.is_file() {
            haystacks.push(std::fs::read(f).unwrap());
        }
    }
    let mut needles: Vec<String> = vec![CLIENT_SECRET.into(), "Wr0ng-S3cret-55aa".into()];
    needles.extend(mock.log().iter().filter_map(|e| e.token.clone()));
    assert!(needles.len() > 3, "tokens were issued and used");
    for hay in &haystacks {
        let text = String::from_utf8_lossy(hay);
        for n in &needles {
            assert!(
                !text.contains(n.as_str()),
                "a secret or token leaked into output"
            );
        }
    }
    assert!(mock.log().iter().any(|e| e.kind == RequestKind::Token));
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_saves_the_batch_and_fails_clearly() {
    let mock = start(mock_config(), 40);
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects");
    // The reader is gone before the capture starts: a pipe whose read end
    // is closed (closing it after the spawn raced the first write).
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    let child = capture(&mock, "-")
        .args([
            "--until-drained",
            "--size",
            "40",
            "--rejects",
            rejects.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::from(writer))
        .spawn()
        .unwrap();
    let out = wait(child, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("stdout:") && err.contains("the 40 events of the last response were saved to"),
        "{err}"
    );
    let saved = files(&rejects);
    assert_eq!(saved.len(), 1);
    assert!(saved[0].to_string_lossy().ends_with(".unwritten.ndjson"));
    assert_eq!(lines(&saved[0]), generate(1, 40));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_stops_the_capture_after_saving_the_batch_in_hand() {
    let mock = start(mock_config(), 30);
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects");
    // Every write to /dev/full fails with "no space left on device".
    let out = run(capture(&mock, "/dev/full").args([
        "--until-drained",
        "--size",
        "30",
        "--rejects",
        rejects.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("journal /dev/full: writing:"), "{err}");
    assert!(
        err.contains("the 30 events of the last response were saved to"),
        "{err}"
    );
    let saved = files(&rejects);
    assert_eq!(saved.len(), 1);
    assert_eq!(lines(&saved[0]), generate(1, 30));
    assert_eq!(
        events_responses(&mock.log()).len(),
        1,
        "nothing more was asked for"
    );
}
