//! Helpers shared by the capture tests (and the mock's and the forwarder's,
//! which include this file): a mock on loopback, the capture binary as a
//! child process with bounded run time, and checks on journals.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use aperture_events_mock::{LogEntry, MockClient, MockConfig, MockServer, RequestKind, generate};

/// A binary of the workspace: `own` (its `CARGO_BIN_EXE_*`) when it is this
/// package's, else the one beside the test's own build (`target/<profile>/`),
/// which `cargo test --workspace` builds; `cargo test -p` of another package
/// needs `cargo build -p <its package> --bins` first, and says so.
fn workspace_bin(own: Option<&'static str>, name: &str, package: &str) -> PathBuf {
    if let Some(own) = own {
        return PathBuf::from(own);
    }
    let exe = std::env::current_exe().expect("the test's own path");
    // target/<profile>/deps/<test>-<hash>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from target/<profile>/deps");
    let bin = dir.join(name);
    assert!(
        bin.is_file(),
        "{} is not built: run `cargo build -p {package} --bins` first (`cargo test --workspace` builds it)",
        bin.display()
    );
    bin
}

/// `aperture-capture`.
pub fn capture_bin() -> PathBuf {
    workspace_bin(
        option_env!("CARGO_BIN_EXE_aperture-capture"),
        "aperture-capture",
        "aperture-events-capture",
    )
}

/// `aperture-mock`.
pub fn mock_bin() -> PathBuf {
    workspace_bin(
        option_env!("CARGO_BIN_EXE_aperture-mock"),
        "aperture-mock",
        "aperture-events-mock",
    )
}

pub const CLIENT_ID: &str = "test-client-7f3a";
pub const CLIENT_SECRET: &str = "Sup3r-S3cret-9d41c0ffee";

/// A mock config for tests: loopback, our credentials, a short 204 wait.
pub fn mock_config() -> MockConfig {
    MockConfig {
        clients: vec![MockClient::new(CLIENT_ID, CLIENT_SECRET)],
        empty_wait: Duration::from_millis(50),
        ..MockConfig::default()
    }
}

pub fn start(config: MockConfig, events: u64) -> MockServer {
    MockServer::start(config, generate(1, events)).expect("mock starts on loopback")
}

/// The capture command against `mock`, with credentials in the environment
/// and fast retries.
pub fn capture(mock: &MockServer, out: &str) -> Command {
    let mut cmd = Command::new(capture_bin());
    cmd.args([
        "--base-url",
        &mock.base_url(),
        "--out",
        out,
        "--retry-base-ms",
        "5",
        "--retry-cap-ms",
        "50",
    ])
    .env("APERTURE_CLIENT_ID", CLIENT_ID)
    .env("APERTURE_CLIENT_SECRET", CLIENT_SECRET)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    no_proxy_env(&mut cmd);
    cmd
}

/// Proxy variables of the machine running the tests are not the tests' business.
pub const PROXY_VARS: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

pub fn no_proxy_env(cmd: &mut Command) {
    for v in PROXY_VARS {
        cmd.env_remove(v);
    }
}

/// The capture command with credentials and nothing else set.
pub fn bare() -> Command {
    let mut cmd = Command::new(capture_bin());
    cmd.env("APERTURE_CLIENT_ID", CLIENT_ID)
        .env("APERTURE_CLIENT_SECRET", CLIENT_SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    no_proxy_env(&mut cmd);
    cmd
}

/// Runs a command to its end, killing it (and failing) after 60 s.
pub fn run(cmd: &mut Command) -> Output {
    let child = cmd.spawn().expect("capture binary starts");
    wait(child, Duration::from_secs(60))
}

/// Waits for a child, reading its stdout and stderr meanwhile (so a chatty
/// child never blocks on a full pipe); kills it (and fails) after `limit`.
pub fn wait(child: Child, limit: Duration) -> Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("child output"),
        Err(_) => {
            #[cfg(unix)]
            if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
            let _ = pid;
            let out = rx.recv().expect("child output").expect("child output");
            panic!(
                "capture did not finish in {limit:?}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "capture failed ({:?}); stderr:\n{}",
        out.status,
        stderr(out)
    );
}

/// The lines of a journal (without their `\n`); panics unless the file is whole lines.
pub fn lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_default();
    split_lines(&bytes)
}

/// The whole lines of a journal whose writer was killed (`SIGKILL`) and not
/// yet restarted. The kill can land inside a write, so the file may end in an
/// incomplete line; the next open moves that tail to `<journal>.incomplete`
/// (see `journal` in the crate docs), so it is left out here too.
pub fn whole_lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    split_lines(&bytes[..whole])
}

pub fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    if bytes.is_empty() {
        return Vec::new();
    }
    assert_eq!(
        bytes.last(),
        Some(&b'\n'),
        "journal does not end with a whole line"
    );
    bytes[..bytes.len() - 1]
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Events responses (bulk or single) in arrival order.
pub fn events_responses(log: &[LogEntry]) -> Vec<&LogEntry> {
    log.iter()
        .filter(|e| matches!(e.kind, RequestKind::Bulk | RequestKind::Single))
        .collect()
}

/// Events of completed `200` responses whose body parses, in order.
pub fn delivered(log: &[LogEntry]) -> Vec<Vec<u8>> {
    events_responses(log)
        .into_iter()
        .filter(|e| {
            e.status == 200
                && e.completed
                && e.fault != Some(aperture_events_mock::Fault::Malformed)
        })
        .flat_map(|e| e.events.clone())
        .collect()
}

pub fn assert_no_duplicates(lines: &[Vec<u8>]) {
    let mut seen = HashSet::new();
    for l in lines {
        assert!(
            seen.insert(l),
            "duplicate line {}",
            String::from_utf8_lossy(l)
        );
    }
}

/// Files in a directory, sorted by name.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.expect("dir entry").path()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Sends `signal` to a child process.
#[cfg(unix)]
pub fn signal(child: &Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(child.id() as i32).expect("child pid");
    rustix::process::kill_process(pid, signal).expect("signal sent");
}

/// Every line of a rotated journal: `<name>.N[.gz]` in number order, then `<name>`.
pub fn all_lines(dir: &Path, name: &str) -> Vec<Vec<u8>> {
    use std::io::Read;
    let mut rotated: Vec<(u64, PathBuf)> = files(dir)
        .into_iter()
        .filter_map(|p| {
            let file = p.file_name()?.to_str()?.to_owned();
            let rest = file.strip_prefix(&format!("{name}."))?;
            let n = rest.strip_suffix(".gz").unwrap_or(rest).parse().ok()?;
            Some((n, p))
        })
        .collect();
    rotated.sort();
    let mut all = Vec::new();
    for (_, p) in rotated {
        let mut bytes = Vec::new();
        if p.extension().is_some_and(|e| e == "gz") {
            flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
        } else {
            bytes = std::fs::read(&p).unwrap();
        }
        all.extend(split_lines(&bytes));
    }
    all.extend(lines(&dir.join(name)));
    all
}

// The flag-bound tests of the capture and the mock: each numeric flag is
// given 10^10 and 2^64-1.

pub const TEN_BILLION: &str = "10000000000";
pub const U64_MAX: &str = "18446744073709551615";

/// What a flag value must lead to.
pub enum Expect {
    /// Exit 2, stderr holding each of these texts.
    Refused(Vec<String>),
    /// Taken: the run ends as it would without the flag.
    Taken,
}

/// Refused by the flag's parser, naming the flag and (when given) its bound,
/// as clap puts it: "invalid value 'V' for '--flag <N>': V is not in 1..=100".
pub fn refused(flag: &str, bound: &str) -> Expect {
    Expect::Refused(vec![format!("for '{flag} <"), bound.to_owned()])
}

pub fn assert_no_crash(what: &str, out: &Output) {
    let err = stderr(out);
    assert!(
        out.status.code().is_some(),
        "{what}: killed by a signal ({:?}): {err}",
        out.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_ne!(out.status.code(), Some(101), "{what}: {err}");
}

pub fn check(what: &str, out: &Output, expect: &Expect) {
    assert_no_crash(what, out);
    let err = stderr(out);
    match expect {
        Expect::Refused(texts) => {
            assert_eq!(out.status.code(), Some(2), "{what}: {err}");
            for text in texts {
                assert!(err.contains(text), "{what}: expected `{text}` in: {err}");
            }
        }
        Expect::Taken => assert!(out.status.success(), "{what}: {err}"),
    }
}

pub mod live;
