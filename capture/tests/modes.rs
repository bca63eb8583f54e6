//! Every file and directory the capture creates is private, whatever the
//! umask (here 022, the usual one), before and after rotation; `--file-mode`
//! widens it on purpose, past a stricter umask.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig};
use common::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Every file and directory under `dir` (not `dir` itself), with its mode.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    for p in files(dir) {
        out.push((p.clone(), mode(&p)));
        if p.is_dir() {
            out.extend(modes(&p));
        }
    }
    out
}

/// The capture under `umask`, with faults that make rejects of every kind.
fn capture_under(umask: &str, dir: &Path, extra: &[&str]) -> std::process::Output {
    let faults = Faults::every(7, Fault::DropMidBody).and(5, Fault::Malformed);
    let mock = start(
        MockConfig {
            faults,
            ..mock_config()
        },
        2000,
    );
    let cmd = capture(&mock, dir.join("j.ndjson").to_str().unwrap());
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("umask {umask} && exec \"$@\""))
        .arg("sh")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .args([
            "--until-drained",
            "--rotate-size",
            "40K",
            "--gzip",
            "--size",
            "50",
        ])
        .args(extra)
        .env("APERTURE_CLIENT_ID", CLIENT_ID)
        .env("APERTURE_CLIENT_SECRET", CLIENT_SECRET)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    no_proxy_env(&mut sh);
    wait(sh.spawn().unwrap(), Duration::from_secs(60))
}

fn assert_kinds_present(found: &[(PathBuf, u32)]) {
    for suffix in [
        ".incomplete",
        ".gz",
        ".malformed",
        ".partial",
        ".rejects",
        "j.ndjson",
    ] {
        assert!(
            found
                .iter()
                .any(|(p, _)| p.to_string_lossy().ends_with(suffix)),
            "no `{suffix}` among {found:?}"
        );
    }
}

/// A journal left by a crash: whole lines and an incomplete last one.
fn crashed_journal(dir: &Path, mode: u32) {
    let path = dir.join("j.ndjson");
    std::fs::write(&path, "{\"old\":1}\n{\"cut\":").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn everything_created_is_private_under_umask_022() {
    let dir = tempfile::tempdir().unwrap();
    crashed_journal(dir.path(), 0o600);
    let out = capture_under("022", dir.path(), &[]);
    assert_success(&out);
    let found = modes(dir.path());
    assert_kinds_present(&found);
    for (path, m) in &found {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*m, want, "{} is {m:o}", path.display());
    }
    assert!(
        found
            .iter()
            .filter(|(p, _)| p.to_string_lossy().ends_with(".gz"))
            .count()
            >= 2,
        "rotated more than once: {found:?}"
    );
}

#[test]
fn file_mode_widens_past_the_umask_and_rotation_keeps_an_owners_mode() {
    let dir = tempfile::tempdir().unwrap();
    crashed_journal(dir.path(), 0o600);
    let out = capture_under("077", dir.path(), &["--file-mode", "0640"]);
    assert_success(&out);
    let found = modes(dir.path());
    assert_kinds_present(&found);
    for (path, m) in &found {
        let name = path.file_name().unwrap().to_string_lossy();
        let want = match name.as_ref() {
            // The owner made the journal 0600: its successors after rotation stay so.
            "j.ndjson" => 0o600,
            n if n.starts_with("j.ndjson.") && n.ends_with(".gz") => 0o600,
            _ if path.is_dir() => 0o750,
            _ => 0o640,
        };
        assert_eq!(*m, want, "{} is {m:o}", path.display());
    }
}
