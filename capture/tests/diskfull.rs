//! No popped event is lost to the local machine: under a file-size limit
//! (`ulimit -f`, set in a child shell) and on a small full filesystem (a
//! tmpfs mounted in a private mount namespace, where the machine allows it),
//! every event the mock handed out ends up in the journal, the rejects
//! directory or stderr, exactly once; and with the free-space check on, the
//! capture stops before asking for events it could not store.
#![cfg(unix)]
// A skipped test says why on stderr (shown with --nocapture and on failure).
#![allow(clippy::print_stderr)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use aperture_events_capture::output::{STDERR_BEGIN, STDERR_END};
use aperture_events_mock::MockServer;
use common::*;

/// The capture binary with its arguments, run by `sh -c SCRIPT`.
fn under_shell(script: &str, mock: &MockServer, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_aperture-capture"))
        .args(["--base-url", &mock.base_url(), "--out"])
        .arg(out)
        .args([
            "--retry-base-ms",
            "5",
            "--retry-cap-ms",
            "20",
            "--until-drained",
        ])
        .args(extra)
        .env("APERTURE_CLIENT_ID", CLIENT_ID)
        .env("APERTURE_CLIENT_SECRET", CLIENT_SECRET)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    no_proxy_env(&mut cmd);
    cmd
}

/// Events printed on stderr between the marker lines.
fn stderr_events(out: &Output) -> Vec<Vec<u8>> {
    let mut events = Vec::new();
    let mut inside = false;
    for line in out.stderr.split(|&b| b == b'\n') {
        match line {
            l if l == STDERR_BEGIN.as_bytes() => inside = true,
            l if l == STDERR_END.as_bytes() => inside = false,
            l if inside => events.push(l.to_vec()),
            _ => {}
        }
    }
    events
}

/// Lines of every `*.unwritten.ndjson` in `dir`.
fn unwritten(dir: &Path) -> Vec<Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".unwritten.ndjson"))
        .flat_map(|p| lines(&p))
        .collect()
}

/// Every delivered event is in one of the places, exactly once, in order.
fn assert_all_kept(mock: &MockServer, places: &[&[Vec<u8>]]) {
    let delivered = delivered(&mock.log());
    let kept: Vec<Vec<u8>> = places.iter().flat_map(|p| p.iter().cloned()).collect();
    assert_no_duplicates(&kept);
    for k in &kept {
        assert!(
            delivered.contains(k),
            "kept a line never handed out: {:?}",
            String::from_utf8_lossy(k)
        );
    }
    assert_eq!(
        kept.len(),
        delivered.len(),
        "kept {} of {} events handed out",
        kept.len(),
        delivered.len()
    );
    assert!(
        kept == delivered,
        "the events kept are the ones handed out, in order"
    );
}

fn assert_runtime_error(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error exit, not a signal; stderr:\n{}",
        stderr(out)
    );
}

const LIMIT: &str = "ulimit -f 256 && exec \"$@\"";

#[test]
fn a_file_size_limit_keeps_the_batch_in_the_rejects_directory() {
    let mock = start(mock_config(), 3000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let out = wait(
        under_shell(LIMIT, &mock, &journal, &["--no-space-check"])
            .spawn()
            .unwrap(),
        Duration::from_secs(60),
    );
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(err.contains("File too large"), "{err}");
    assert!(
        err.contains("events of the last response were saved to "),
        "{err}"
    );
    let rejected = unwritten(&dir.path().join("j.ndjson.rejects"));
    assert!(!rejected.is_empty());
    assert_all_kept(&mock, &[&lines(&journal), &rejected]);
}

#[test]
fn when_the_rejects_directory_fails_too_the_batch_goes_to_stderr() {
    let mock = start(mock_config(), 3000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    std::fs::write(dir.path().join("file"), "").unwrap();
    let rejects = dir.path().join("file/rejects");
    let out = wait(
        under_shell(
            LIMIT,
            &mock,
            &journal,
            &["--no-space-check", "--rejects", rejects.to_str().unwrap()],
        )
        .spawn()
        .unwrap(),
        Duration::from_secs(60),
    );
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(err.contains("printed in full on stderr above"), "{err}");
    let printed = stderr_events(&out);
    assert!(!printed.is_empty());
    assert_all_kept(&mock, &[&lines(&journal), &printed]);
}

#[test]
fn with_the_space_check_the_capture_stops_before_asking() {
    let mock = start(mock_config(), 6000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let limit = "ulimit -f 2048 && exec \"$@\"";
    let out = wait(
        under_shell(limit, &mock, &journal, &["--max-failures", "2"])
            .spawn()
            .unwrap(),
        Duration::from_secs(60),
    );
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(err.contains("not asking for events"), "{err}");
    let got = lines(&journal);
    assert!(!got.is_empty(), "{err}");
    assert_all_kept(&mock, &[&got]);
    assert_eq!(
        mock.remaining(),
        6000 - got.len(),
        "nothing popped after the check"
    );
    assert!(!dir.path().join("j.ndjson.rejects").exists());
}

/// How to run a command in a private mount namespace, or why it cannot be.
fn mount_namespace() -> Result<Vec<&'static str>, String> {
    let probe_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = "mount -t tmpfs -o size=64k none \"$1\"";
    for prefix in [&["unshare", "-m"][..], &["unshare", "-rm"][..]] {
        let ok = Command::new(prefix[0])
            .args(&prefix[1..])
            .args(["sh", "-c", script, "sh"])
            .arg(probe_dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(prefix.to_vec());
        }
    }
    Err("cannot mount a tmpfs here (unshare -m and unshare -rm both failed)".into())
}

/// Runs the capture with its journal on a 600 KiB tmpfs; copies what it
/// wrote there to `keep` before the namespace (and the tmpfs) goes away.
fn on_small_tmpfs(prefix: &[&str], mock: &MockServer, keep: &Path, extra: &[&str]) -> Output {
    let mnt = tempfile::tempdir().unwrap();
    let script = "d=$1; k=$2; shift 2; mount -t tmpfs -o size=600k none \"$d\" || exit 99; \
                  \"$@\"; rc=$?; cp -a \"$d\"/. \"$k\"/; exit $rc";
    let mut inner = under_shell("", mock, &mnt.path().join("j.ndjson"), extra);
    let mut cmd = Command::new(prefix[0]);
    cmd.args(&prefix[1..])
        .args(["sh", "-c", script, "sh"])
        .arg(mnt.path())
        .arg(keep)
        .args(inner.get_args().skip(3))
        .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in inner.get_envs() {
        if v.is_none() {
            cmd.env_remove(k);
        }
    }
    let _ = &mut inner;
    wait(cmd.spawn().unwrap(), Duration::from_secs(60))
}

#[test]
fn a_full_filesystem_loses_no_event() {
    let prefix = match mount_namespace() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let mock = start(mock_config(), 3000);
    let keep = tempfile::tempdir().unwrap();
    let out = on_small_tmpfs(&prefix, &mock, keep.path(), &["--no-space-check"]);
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(err.contains("No space left on device"), "{err}");
    let journal = lines(&keep.path().join("j.ndjson"));
    let rejected = unwritten(&keep.path().join("j.ndjson.rejects"));
    let printed = stderr_events(&out);
    assert!(!printed.is_empty() || !rejected.is_empty(), "{err}");
    assert_all_kept(&mock, &[&journal, &rejected, &printed]);
}

#[test]
fn a_small_filesystem_stops_the_capture_before_it_fills() {
    let prefix = match mount_namespace() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let mock = start(mock_config(), 3000);
    let keep = tempfile::tempdir().unwrap();
    let out = on_small_tmpfs(&prefix, &mock, keep.path(), &["--max-failures", "2"]);
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(err.contains("not asking for events"), "{err}");
    let journal = lines(&keep.path().join("j.ndjson"));
    assert!(!journal.is_empty());
    assert_all_kept(&mock, &[&journal]);
    assert_eq!(mock.remaining(), 3000 - journal.len());
}

#[test]
fn a_malformed_body_the_rejects_directory_refuses_is_printed_in_full() {
    let faults = aperture_events_mock::Faults::every(2, aperture_events_mock::Fault::Malformed);
    let mock = start(
        aperture_events_mock::MockConfig {
            faults,
            ..mock_config()
        },
        300,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "").unwrap();
    let rejects = dir.path().join("file/rejects");
    let journal = dir.path().join("j.ndjson");
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--rejects",
        rejects.to_str().unwrap(),
    ]));
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(
        err.contains("refused a malformed body; it was printed in full on stderr above"),
        "{err}"
    );
    let log = mock.log();
    let malformed = events_responses(&log)
        .into_iter()
        .find(|e| e.fault == Some(aperture_events_mock::Fault::Malformed))
        .and_then(|e| e.body.clone())
        .expect("a malformed body was sent");
    let mut printed = stderr_events(&out).join(&b'\n');
    printed.push(b'\n');
    let mut sent = malformed.clone();
    if !sent.ends_with(b"\n") {
        sent.push(b'\n');
    }
    assert!(printed == sent, "the body, byte for byte");
    assert_eq!(
        lines(&journal),
        delivered(&log),
        "the rest is in the journal"
    );
}

#[test]
fn a_failed_rotation_is_not_taken_for_a_failed_write() {
    let mock = start(mock_config(), 300);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    // Compressing the first rotated file cannot create its temporary file.
    std::fs::create_dir(dir.path().join("j.ndjson.1.gz.tmp")).unwrap();
    let out = run(capture(&mock, journal.to_str().unwrap()).args([
        "--until-drained",
        "--rotate-size",
        "1K",
        "--gzip",
    ]));
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(
        err.contains("rotating")
            && err.contains("the events of the last response are stored in it"),
        "{err}"
    );
    let log = mock.log();
    assert_eq!(
        events_responses(&log).len(),
        1,
        "stopped after the first response"
    );
    // Written once, to the journal that was then renamed for rotation.
    assert_eq!(lines(&dir.path().join("j.ndjson.1")), delivered(&log));
    assert!(lines(&journal).is_empty());
    assert!(!dir.path().join("j.ndjson.rejects").exists());
}

#[test]
fn a_small_filesystem_for_the_rejects_stops_the_capture_before_asking() {
    let prefix = match mount_namespace() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let mock = start(mock_config(), 3000);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let mnt = tempfile::tempdir().unwrap();
    let rejects = mnt.path().join("rejects");
    // The journal has room; the rejects directory's filesystem (128 KiB)
    // cannot take a response of 100 events (at least 2 KiB each).
    let script = "d=$1; shift; mount -t tmpfs -o size=128k none \"$d\" || exit 99; exec \"$@\"";
    let inner = under_shell(
        "",
        &mock,
        &journal,
        &[
            "--max-failures",
            "2",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    let mut cmd = Command::new(prefix[0]);
    cmd.args(&prefix[1..])
        .args(["sh", "-c", script, "sh"])
        .arg(mnt.path())
        .args(inner.get_args().skip(3))
        .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in inner.get_envs() {
        if v.is_none() {
            cmd.env_remove(k);
        }
    }
    let out = wait(cmd.spawn().unwrap(), Duration::from_secs(60));
    assert_runtime_error(&out);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "not asking for events: the rejects directory {} has room for",
            rejects.display()
        )),
        "{err}"
    );
    assert_eq!(mock.remaining(), 3000, "nothing popped");
    assert!(lines(&journal).is_empty());
}
