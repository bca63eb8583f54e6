//! Hostile journals and files beside them: a checkpoint pointing inside a
//! line, symlinks planted at the forwarder's file names; and the helpers of
//! the other hostile tests (`oversized`, `permanent`).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;
use crate::read_stream;
use crate::server::Node;

/// `aperture-forward --nats URL JOURNAL ARGS…`, run to its end (killed, and
/// the test failed, after 90 s: a forwarder that retries forever).
pub fn forward(url: &str, journal: &Path, args: &[&str]) -> Output {
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

pub fn event(n: usize, pad: usize) -> Vec<u8> {
    format!(
        "{{\"log_type\":\"incident\",\"n\":{n},\"pad\":\"{}\"}}",
        "x".repeat(pad)
    )
    .into_bytes()
}

pub fn write_journal(path: &Path, lines: &[&[u8]]) {
    let mut bytes = Vec::new();
    for l in lines {
        bytes.extend_from_slice(l);
        bytes.push(b'\n');
    }
    std::fs::write(path, bytes).unwrap();
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
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
    let cp = aperture_events_journal::side_path(&journal, "forwarded");
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
