//! Every numeric flag of forwarding has a stated bound: a value past it
//! (10^10, 2^64-1) is a usage error naming the flag and the bound, never a
//! panic, an abort or an allocation of the value's size. No server needed:
//! these run with the ordinary tests.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;

const HUGE: [&str; 2] = ["10000000000", "18446744073709551615"];

fn refused(out: &Output, flag: &str, bound: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{flag}: {err}");
    assert!(!err.contains("panicked"), "{flag}: {err}");
    assert!(
        err.contains(flag) && err.contains(bound),
        "{flag}: no `{bound}` in {err}"
    );
}

fn forward(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    std::fs::write(&journal, b"{}\n").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
        // Nothing listens there: a flag let through would retry until killed.
        .args(["--nats", "nats://127.0.0.1:9"])
        .arg(&journal)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait(child, Duration::from_secs(60))
}

/// (flag, values refused, what the error says of the bound)
fn cases() -> Vec<(&'static str, Vec<String>, &'static str)> {
    let mut out = Vec::new();
    let huge = |suffix: &str| HUGE.iter().map(|n| format!("{n}{suffix}")).collect();
    out.push(("--batch", huge(""), "1..=10000"));
    out.push(("--batch", vec!["0".into()], "1..=10000"));
    out.push(("--replicas", huge(""), "1..=5"));
    out.push(("--max-age", huge(""), "at most 36500d"));
    out.push(("--max-age", huge("d"), "at most 36500d"));
    // 10^10 ms is 116 days: within the bound.
    out.push((
        "--max-age",
        vec![format!("{}ms", HUGE[1])],
        "at most 36500d",
    ));
    out.push(("--dedup-window", huge("d"), "at most 36500d"));
    out.push(("--dedup-window", vec!["0".into()], "at least 1s"));
    out.push((
        "--max-bytes",
        huge("T"),
        "1 byte to 9223372036854775807 bytes",
    ));
    out.push((
        "--max-bytes",
        vec![HUGE[1].into()],
        "1 byte to 9223372036854775807 bytes",
    ));
    out
}

#[test]
fn aperture_forward_refuses_numbers_past_their_bounds() {
    for (flag, values, bound) in cases() {
        for v in values {
            eprintln!("{flag} {v}");
            refused(&forward(&[flag, &v]), flag, bound);
        }
    }
}

#[test]
fn aperture_capture_refuses_forwarding_numbers_past_their_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let capture = |args: &[&str]| {
        let child = bare()
            .args(["--base-url", "http://127.0.0.1:9", "--out"])
            .arg(&journal)
            .args(["--forward", "nats://127.0.0.1:9"])
            .args(args)
            .spawn()
            .unwrap();
        wait(child, Duration::from_secs(60))
    };
    let mut all = cases();
    all.push((
        "--forward-drain-secs",
        HUGE.iter().map(|s| (*s).to_owned()).collect(),
        "at most 86400",
    ));
    for (flag, values, bound) in all {
        for v in values {
            eprintln!("{flag} {v}");
            refused(&capture(&[flag, &v]), flag, bound);
        }
    }
}

#[test]
fn bounds_themselves_are_accepted() {
    // Parsing only: --help after valid flags prints help and exits 0.
    let out = Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
        .args(["--nats", "nats://127.0.0.1:9", "j", "--batch", "10000"])
        .args(["--max-age", "36500d", "--dedup-window", "36500d"])
        .args([
            "--max-bytes",
            "9223372036854775807",
            "--replicas",
            "5",
            "--help",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_servers_come_from_the_environment_and_their_credentials_are_never_shown() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
            .env("APERTURE_NATS_URL", "nats://app:hunter2@bad host:4222")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // Taken as --nats: the URL does not parse, and says where, not how it logs in.
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.ndjson");
    let out = run(&[journal.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("***@bad host:4222"), "{err}");
    let help = run(&["--help"]);
    let shown = format!("{}{}", String::from_utf8_lossy(&help.stdout), stderr(&help));
    assert!(
        help.status.success() && shown.contains("APERTURE_NATS_URL"),
        "{shown}"
    );
    for out in [&out, &help] {
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out));
        assert!(!all.contains("hunter2"), "the secret shown: {all}");
    }
}
