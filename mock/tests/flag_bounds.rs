//! Every numeric flag of `aperture-mock` (the capture's are in the capture's
//! tests, with the same checks), given 10^10 and
//! 2^64-1: either refused at once with an error naming the flag and its
//! bound (exit 2), or taken and run normally. Never an abort, a panic, or a
//! wait of minutes (each run is killed, failing the test, after 60 s).

#[path = "../../capture/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output, Stdio};

use common::*;

/// Runs the mock binary with `args`; when it gets ready, stops it.
fn mock_with(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    let stdout = child.stdout.take().unwrap();
    let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut ready);
    if ready.starts_with("listening on") {
        signal(&child, rustix::process::Signal::INT);
    }
    wait(child, std::time::Duration::from_secs(60))
}

#[cfg(unix)]
#[test]
fn every_numeric_mock_flag_is_bounded() {
    let mut cases: Vec<(&str, &str, Expect)> = Vec::new();
    for value in [TEN_BILLION, U64_MAX] {
        cases.extend([
            (
                "--token-lifetime-secs",
                value,
                refused("--token-lifetime-secs", "is not in 1..=31536000"),
            ),
            (
                "--retention-secs",
                value,
                refused("--retention-secs", "is not in 0..=31536000"),
            ),
            (
                "--empty-wait-ms",
                value,
                refused("--empty-wait-ms", "is not in 0..=3600000"),
            ),
            (
                "--generate",
                value,
                refused("--generate", "is not in 0..=1000000"),
            ),
            (
                "--arrival-rate",
                value,
                refused("--arrival-rate", "is not in 0..=100000"),
            ),
            (
                "--retry-after-secs",
                value,
                refused("--retry-after-secs", "is not in 0..=86400"),
            ),
            (
                "--slow-ms",
                value,
                refused("--slow-ms", "is not in 0..=3600000"),
            ),
        ]);
        for every in [
            "--expire-token-every",
            "--revoke-token-every",
            "--too-many-requests-every",
            "--server-error-every",
            "--drop-mid-body-every",
            "--malformed-every",
            "--oversize-every",
            "--slow-every",
        ] {
            cases.push((every, value, refused(every, "")));
        }
    }
    cases.push(("--oversize-bytes", TEN_BILLION, Expect::Taken));
    cases.push((
        "--oversize-bytes",
        U64_MAX,
        refused("--oversize-bytes", "is not in 1..=1099511627776"),
    ));
    // 0 is no schedule: refused rather than silently ignored.
    cases.push((
        "--slow-every",
        "0",
        refused("--slow-every", "0 is not in 1..=4294967295"),
    ));
    for (flag, value, expect) in cases {
        let what = format!("aperture-mock {flag} {value}");
        check(&what, &mock_with(&[flag, value]), &expect);
    }
}
