//! The files of `capture/deploy/` and the README's list of metrics, checked:
//! the systemd unit passes `systemd-analyze verify` (where systemd is
//! installed) and its command line captures from the mock; the
//! Containerfile runs as a non-root user with the journal on a volume, and
//! its command line captures too; every metric the alert rules use is
//! exposed; every metric exposed is documented in the README. (The rules
//! themselves are checked by `promtool` in tests/prometheus/run.sh.)
#![allow(clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};

use common::live::{Live, scrape};
use common::*;

fn deploy(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The unit's `ExecStart` arguments (after the program).
fn exec_start(unit: &str) -> Vec<String> {
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = line.split_whitespace().map(str::to_owned);
    assert_eq!(
        words.next().as_deref(),
        Some("/usr/local/bin/aperture-capture")
    );
    words.collect()
}

/// `args` with the production places swapped for the test's: the region
/// for the mock, the state directory for `dir`, the metrics port for any.
fn for_the_mock(args: &[String], mock_url: &str, dir: &Path, credentials: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = args.iter();
    while let Some(w) = words.next() {
        match w.as_str() {
            "--region" => {
                words.next();
                out.extend(["--base-url".to_owned(), mock_url.to_owned()]);
            }
            "--credentials" => {
                words.next();
                out.extend([
                    "--credentials".to_owned(),
                    credentials.display().to_string(),
                ]);
            }
            "--metrics-listen" => {
                words.next();
                out.extend(["--metrics-listen".to_owned(), "127.0.0.1:0".to_owned()]);
            }
            other => {
                out.push(other.replace("/var/lib/aperture-capture", &dir.display().to_string()))
            }
        }
    }
    out
}

/// Runs the capture with `args` (made for the mock) until drained; checks the journal.
fn captures_with(args: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        format!("APERTURE_CLIENT_ID={CLIENT_ID}\nAPERTURE_CLIENT_SECRET={CLIENT_SECRET}\n"),
    )
    .unwrap();
    let mock = start(mock_config(), 250);
    let args = for_the_mock(args, &mock.base_url(), dir.path(), &credentials);
    let out = run(bare().args(&args).arg("--until-drained"));
    assert_success(&out);
    assert_eq!(
        lines(&dir.path().join("events.ndjson")).len(),
        250,
        "{args:?}"
    );
}

#[test]
fn the_systemd_unit_verifies_and_its_command_line_captures() {
    let unit = deploy("aperture-capture.service");
    let args = exec_start(&unit);
    assert!(args.contains(&"--metrics-listen".to_owned()));
    for needed in [
        "DynamicUser=yes",
        "StateDirectory=aperture-capture",
        "LoadCredential=credentials:",
        "RestartPreventExitStatus=2",
        "KillSignal=SIGTERM",
    ] {
        assert!(unit.contains(needed), "the unit has {needed}");
    }
    captures_with(&args);
    // systemd-analyze checks the unit's syntax and that the program exists:
    // the unit is verified with the program path of this build.
    let Ok(version) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        // Not a systemd machine (a container, macOS): nothing to verify with.
        eprintln!("systemd-analyze not found: the unit's syntax is not verified here");
        return;
    };
    assert!(version.status.success());
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("aperture-capture.service");
    std::fs::write(
        &copy,
        unit.replace(
            "/usr/local/bin/aperture-capture",
            &capture_bin().display().to_string(),
        ),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&copy)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        !said.contains("aperture-capture.service"),
        "systemd-analyze has something to say about the unit:\n{said}"
    );
}

/// The words of a JSON-array instruction (`ENTRYPOINT [...]`, `VOLUME [...]`).
fn instruction(file: &str, name: &str) -> Vec<String> {
    let line = file
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{name} {line}: {e}"))
}

#[test]
fn the_container_runs_as_a_user_with_the_journal_on_a_volume() {
    let file = deploy("Containerfile");
    let user = file
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .next_back()
        .expect("a USER");
    let uid = user.split(':').next().unwrap();
    assert!(
        uid != "0" && uid != "root" && !uid.is_empty(),
        "runs as {user}"
    );
    let volumes = instruction(&file, "VOLUME");
    let entry = instruction(&file, "ENTRYPOINT");
    assert_eq!(entry[0], "/usr/local/bin/aperture-capture");
    let out = entry
        .iter()
        .skip_while(|w| *w != "--out")
        .nth(1)
        .expect("--out");
    let journal_dir = Path::new(out).parent().unwrap();
    assert!(
        volumes.iter().any(|v| Path::new(v) == journal_dir),
        "the journal {out} is on a volume: {volumes:?}"
    );
    // Built from this repository's source with the workspace's toolchain floor.
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
            .unwrap();
    let floor = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        file.contains(&format!("FROM docker.io/library/rust:{floor}-")),
        "the build image is Rust {floor}"
    );
    assert!(file.contains("cargo build --release --locked -p aperture-events-capture"));
    // The entry point's flags, with a region as `podman run … --region eu` adds it, capture.
    let mut args: Vec<String> = entry[1..].to_vec();
    args.extend(["--region".to_owned(), "eu".to_owned()]);
    captures_with(&args);
}

/// The metric families an exposition names (without `_total`, `_bucket`, … suffixes).
fn families(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_metric_is_documented_and_every_alert_uses_one() {
    let dir = tempfile::tempdir().unwrap();
    let mock = start(mock_config(), 10);
    let journal: PathBuf = dir.path().join("events.ndjson");
    // --forward to a port where nothing listens: its metrics are registered all the same.
    let mut live = Live::spawn(capture(&mock, journal.to_str().unwrap()).args([
        "--metrics-listen",
        "127.0.0.1:0",
        "--forward",
        "nats://127.0.0.1:1",
        "--forward-drain-secs",
        "0",
    ]));
    let addr = live.metrics_addr();
    let text = scrape(addr);
    let _ = live.stop();
    let names = families(&text);
    assert!(names.len() >= 25, "{names:?}");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let undocumented: Vec<&String> = names
        .iter()
        .filter(|n| !readme.contains(&format!("`{n}`")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "capture/README.md does not document {undocumented:?}"
    );
    let alerts = deploy("alerts.yml");
    let used: std::collections::BTreeSet<&str> = alerts
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("aperture_"))
        .collect();
    assert!(used.len() >= 6, "{used:?}");
    for metric in used {
        assert!(
            text.lines()
                .any(|l| l.starts_with(metric) && !l.starts_with('#')),
            "alerts.yml uses {metric}, which is not exposed"
        );
    }
}
