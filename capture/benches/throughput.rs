//! Capture throughput against the mock on loopback, and what durability costs.
//!
//! Runs the real `aperture-capture` binary (release build) against an
//! in-process mock holding generated events, until drained, and prints
//! events per second for: the bulk endpoint with a sync per response (the
//! default), the same without syncing (the hidden `--no-fsync`, for this
//! measurement only), the bulk endpoint with `--validate`, the bulk endpoint
//! over TLS (the mock's `--tls`, trusted through `--ca-file`), and the single
//! endpoint. Each figure is the median of a few runs; the journal lives in
//! the target directory (a real disk, not a tmpfs, so syncs cost what they
//! cost).
//!
//! Last, the cost of `--metrics-listen`: what the metrics add to one
//! response (in process), then the same capture with metrics off and on,
//! runs alternating (off-on, on-off, …) so that both see the same machine,
//! with and without fsync. Each way is given as the median wall time and as
//! the capture process's CPU time summed over its runs (user + system, from
//! `/proc/self/stat`'s waited-for children; the mock runs in this process and
//! is not counted). The CPU figure is the one to read on a shared machine:
//! other work changes wall time, hardly the CPU a run needs.
//!
//! Run: `cargo bench -p aperture-events-capture --bench throughput`
//! (`APERTURE_BENCH_EVENTS=N` changes the number of events per run;
//! `APERTURE_BENCH_ONLY=metrics` runs the metrics comparison alone).
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aperture_events_mock::{MockConfig, MockServer, RequestKind, generate};

const RUNS: usize = 3;

struct Scenario {
    name: &'static str,
    args: &'static [&'static str],
    events: u64,
    tls: bool,
}

/// One capture run's cost: wall time, responses served, and the capture
/// process's CPU time (`None` where `/proc` is not there to read).
struct Run {
    wall: Duration,
    responses: u64,
    cpu: Option<Duration>,
}

fn run_once(events: &[Vec<u8>], s: &Scenario, dir: &Path) -> Run {
    let config = MockConfig {
        empty_wait: Duration::from_millis(10),
        tls: s.tls,
        ..MockConfig::default()
    };
    let mock = MockServer::start(config, events.to_vec()).expect("mock starts");
    let journal = dir.join("bench.ndjson");
    let _ = std::fs::remove_file(&journal);
    let mut tls_args = Vec::new();
    if let Some(pem) = mock.ca_pem() {
        let ca = dir.join("mock-ca.pem");
        std::fs::write(&ca, pem).expect("CA file");
        tls_args = vec!["--ca-file".to_owned(), ca.to_string_lossy().into_owned()];
    }
    let cpu_before = children_cpu();
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_aperture-capture"))
        .args(&tls_args)
        .args([
            "--base-url",
            &mock.base_url(),
            "--out",
            journal.to_str().expect("utf-8 path"),
            "--until-drained",
            "--quiet",
        ])
        .args(s.args)
        .env("APERTURE_CLIENT_ID", "mock-client")
        .env("APERTURE_CLIENT_SECRET", "mock-secret")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("capture runs");
    let wall = start.elapsed();
    let cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    assert!(
        out.status.success(),
        "capture failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let responses = mock
        .log()
        .iter()
        .filter(|e| e.status == 200 && matches!(e.kind, RequestKind::Bulk | RequestKind::Single))
        .count() as u64;
    let written = std::fs::read(&journal)
        .expect("journal")
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert_eq!(written, events.len(), "every event captured");
    Run {
        wall,
        responses,
        cpu,
    }
}

/// The CPU time (user + system) of this process's waited-for children so
/// far: fields 16 and 17 (`cutime`, `cstime`) of `/proc/self/stat`, in clock
/// ticks. `None` off Linux.
#[cfg(target_os = "linux")]
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: count from its `)`.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    let total = ticks(16)?.checked_add(ticks(17)?)?;
    let hz = rustix::param::clock_ticks_per_second();
    Some(Duration::from_secs_f64(total as f64 / hz as f64))
}

#[cfg(not(target_os = "linux"))]
fn children_cpu() -> Option<Duration> {
    None
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then run tiny.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: u64 = std::env::var("APERTURE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 100_000 } else { 500 });
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("capture-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let scenarios = [
        Scenario {
            name: "bulk size=100, fsync per response",
            args: &["--size", "100"],
            events: n,
            tls: false,
        },
        Scenario {
            name: "bulk size=100, no fsync",
            args: &["--size", "100", "--no-fsync"],
            events: n,
            tls: false,
        },
        Scenario {
            name: "bulk size=100, fsync, --validate",
            args: &["--size", "100", "--validate"],
            events: n,
            tls: false,
        },
        Scenario {
            name: "bulk size=100, no fsync, --validate",
            args: &["--size", "100", "--no-fsync", "--validate"],
            events: n,
            tls: false,
        },
        Scenario {
            name: "bulk size=100, fsync, TLS",
            args: &["--size", "100"],
            events: n,
            tls: true,
        },
        Scenario {
            name: "bulk size=100, no fsync, TLS",
            args: &["--size", "100", "--no-fsync"],
            events: n,
            tls: true,
        },
        Scenario {
            name: "bulk size=10, fsync per response",
            args: &["--size", "10"],
            events: n / 4,
            tls: false,
        },
        Scenario {
            name: "bulk size=10, no fsync",
            args: &["--size", "10", "--no-fsync"],
            events: n / 4,
            tls: false,
        },
        Scenario {
            name: "single endpoint, fsync per response",
            args: &["--single"],
            events: n / 20,
            tls: false,
        },
    ];
    let only_metrics = std::env::var("APERTURE_BENCH_ONLY").is_ok_and(|v| v == "metrics");
    println!("capture throughput on loopback ({RUNS} runs each, median)");
    for s in scenarios.iter().filter(|_| !only_metrics) {
        let events = generate(1, s.events);
        let mut runs: Vec<Run> = (0..RUNS).map(|_| run_once(&events, s, &dir)).collect();
        runs.sort_by_key(|r| r.wall);
        let Run {
            wall, responses, ..
        } = runs[RUNS / 2];
        let secs = wall.as_secs_f64();
        println!(
            "{:<40} {:>8} events {:>7.2} s {:>10.0} events/s {:>8.3} ms/response",
            s.name,
            s.events,
            secs,
            s.events as f64 / secs,
            secs * 1000.0 / responses.max(1) as f64
        );
    }
    metrics_on_and_off(n, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One way of the metrics comparison, over its runs.
struct Figures {
    /// Events per second at the median wall time.
    rate: f64,
    /// The capture's CPU seconds per event, over all runs.
    cpu_per_event: Option<f64>,
}

impl Figures {
    fn of(runs: &mut [Run], events_per_run: u64) -> Figures {
        runs.sort_by_key(|r| r.wall);
        let median = runs[runs.len() / 2].wall;
        let cpu: Option<Duration> = runs.iter().map(|r| r.cpu).sum();
        Figures {
            rate: events_per_run as f64 / median.as_secs_f64(),
            cpu_per_event: cpu
                .map(|c| c.as_secs_f64() / (events_per_run as f64 * runs.len() as f64)),
        }
    }
}

/// Runs of the metrics comparison, each way.
const PAIRED_RUNS: usize = 7;

/// The capture with `--metrics-listen` off and on, runs alternating; prints
/// both medians and the change.
fn metrics_on_and_off(n: u64, dir: &Path) {
    // What the metrics add to one response, measured in process: the
    // per-event count by log_type is the only work that grows with events.
    let response = generate(1, 100);
    let metrics = aperture_events_capture::metrics::CaptureMetrics::new("us");
    let rounds = 2_000u32;
    let start = Instant::now();
    for _ in 0..rounds {
        metrics.batch(std::hint::black_box(&response));
    }
    println!(
        "metrics per response of 100 events: {:.1} µs (counting by log_type)",
        start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds)
    );
    println!("--metrics-listen off vs on ({PAIRED_RUNS} runs each, alternating, median)");
    let events = generate(1, n);
    for (name, base) in [
        ("bulk size=100, fsync per response", &["--size", "100"][..]),
        (
            "bulk size=100, no fsync",
            &["--size", "100", "--no-fsync"][..],
        ),
    ] {
        let on_args: Vec<&'static str> = base
            .iter()
            .copied()
            .chain(["--metrics-listen", "127.0.0.1:0"])
            .collect();
        let on_args: &'static [&'static str] = Box::leak(on_args.into_boxed_slice());
        let off = Scenario {
            name,
            args: base,
            events: n,
            tls: false,
        };
        let on = Scenario {
            name,
            args: on_args,
            events: n,
            tls: false,
        };
        let (mut offs, mut ons) = (Vec::new(), Vec::new());
        // Which goes first alternates too: a run may pay for the one before it
        // (the previous journal's blocks freed, the disk's cache).
        for i in 0..PAIRED_RUNS {
            if i % 2 == 0 {
                offs.push(run_once(&events, &off, dir));
                ons.push(run_once(&events, &on, dir));
            } else {
                ons.push(run_once(&events, &on, dir));
                offs.push(run_once(&events, &off, dir));
            }
        }
        let (off, on) = (Figures::of(&mut offs, n), Figures::of(&mut ons, n));
        println!(
            "{name:<40} wall: off {:>10.0} events/s   on {:>10.0} events/s   {:+.1}%",
            off.rate,
            on.rate,
            (on.rate / off.rate - 1.0) * 100.0
        );
        if let (Some(off_cpu), Some(on_cpu)) = (off.cpu_per_event, on.cpu_per_event) {
            println!(
                "{:<40} CPU:  off {:>10.2} µs/event   on {:>10.2} µs/event   {:+.1}%",
                "",
                off_cpu * 1e6,
                on_cpu * 1e6,
                (on_cpu / off_cpu - 1.0) * 100.0
            );
        }
    }
}
