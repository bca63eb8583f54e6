//! Deserialization throughput: `LogEvent` against `serde_json::Value`, on an
//! NDJSON corpus of 200,000 mixed events generated in memory.
//!
//! Run with `cargo bench -p aperture-events`. Prints events/s for each
//! (best of several rounds) and the ratio; the goal is `LogEvent` at least
//! 1.5x the `Value` parse. A second corpus puts `log_type` last in every
//! event, the worst case for the union (every property before the tag is
//! buffered as a `Value` first).
//!
//! On a loaded machine wall time drifts; instruction counts do not. Count one
//! parser at a time (`none` is the corpus generation alone, to subtract):
//!
//! ```text
//! cargo bench -p aperture-events --no-run   # prints the binary's path
//! for p in none value typed; do
//!   BENCH_EVENTS=20000 BENCH_ONLY=$p valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/deps/throughput-*
//! done
//! ```
#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use aperture_events::LogEvent;
use serde_json::{Value, json};

/// Events in the corpus (`BENCH_EVENTS` overrides it).
const EVENTS: usize = 200_000;
/// Timed rounds per measurement and parser; the best is kept.
const ROUNDS: usize = 7;

/// A small deterministic generator (no dependency, same corpus every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.next()).unwrap_or(0) % items.len()]
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| {
                char::from(b"0123456789abcdef"[usize::try_from(self.next() % 16).unwrap_or(0)])
            })
            .collect()
    }

    fn timestamp(&mut self) -> String {
        let fraction = if self.next() % 2 == 0 {
            format!(".{:03}", self.next() % 1000)
        } else {
            String::new()
        };
        format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
            17 + self.next() % 8,
            1 + self.next() % 12,
            1 + self.next() % 28,
            self.next() % 24,
            self.next() % 60,
            self.next() % 60
        )
    }
}

/// One event of a random type, shaped like real traffic (`log_type` first).
fn event(rng: &mut Lcg) -> Value {
    let user = format!("user{}@example.com", rng.next() % 500);
    match rng.next() % 20 {
        0..=6 => json!({
            "log_type": "activity_monitoring", "item_type": rng.pick(&["file", "folder", "user", "File"]),
            "item_name": format!("report-{}.xlsx", rng.next() % 1000), "item_unique_id": rng.hex(24),
            "user": user, "source_ip": "10.0.0.1", "location": "Somewhere, USA",
            "action": rng.pick(&["create", "preview", "login", "delete"]), "target_name": null, "target_type": "",
            "serial": "1234567890", "cloud_app_instance": "Office 365 8", "timestamp": rng.timestamp()
        }),
        7..=11 => json!({
            "log_type": "incident", "severity": (rng.next() % 5) as f64,
            "item_type": "File", "item_name": "helloworld.java", "asset_id": rng.hex(24), "item_owner": "Admin User",
            "container_name": null, "item_creator": "Admin User", "exposure": rng.pick(&["COMPANY", "PUBLIC", "Internal"]),
            "occurrences_by_rule": null, "item_owner_email": user, "item_creator_email": user, "serial": null,
            "cloud_app_instance": "Office 365 8", "timestamp": rng.timestamp(), "incident_id": rng.hex(24),
            "policy_rule_name": "PCI Policy", "incident_category": null, "incident_owner": null, "collaborators": "",
            "datetime_edited": rng.timestamp(),
            "item_cloud_url": "https://www.sharepoint.com/sites/site/Shared%20Documents/foldername/helloworld.java",
            "item_owner_group": "O365_1_all", "item_sha256": rng.hex(64), "item_size": rng.next() % 100_000,
            "item_verdict": rng.pick(&["malware", "benign", "not available"])
        }),
        12..=14 => json!({
            "log_type": "remediation", "item_type": "File", "item_name": "My File", "asset_id": rng.hex(32),
            "item_owner": "John Smith", "item_creator": "John Smith", "container_name": "test-container",
            "action_taken": rng.pick(&["quarantine", "Admin Quarantine", "Remove Public Links"]),
            "action_taken_by": "Aperture", "serial": "mySerial", "cloud_app_instance": "My Cloud App",
            "timestamp": rng.timestamp(), "incident_id": rng.hex(32), "policy_rule_name": "PCI Policy",
            "item_owner_email": user, "item_creator_email": user
        }),
        15..=17 => json!({
            "log_type": "policy_violation", "severity": 3.0, "item_type": "File", "item_name": "My File",
            "item_owner": "John Smith", "item_creator": "John Smith", "action_taken": "download",
            "action_taken_by": "John Smith", "asset_id": rng.hex(32), "serial": "serial",
            "cloud_app_instance": "My Cloud App", "timestamp": rng.timestamp(), "policy_rule_name": "Policy Rule",
            "incident_id": rng.hex(32), "item_owner_email": null, "item_creator_email": null
        }),
        18 => json!({
            "log_type": "admin_audit", "admin_id": user, "admin_role": rng.pick(&["admin", "super_admin"]),
            "ip": "10.0.0.2", "event_type": rng.pick(&["settings", "policy", "login"]), "item_type": "settings",
            "item_name": "My Setting", "field": null, "action": rng.pick(&["edit", "sign_in"]),
            "resource_value_old": null, "resource_value_new": "on", "timestamp": rng.timestamp(), "serial": "mySerial"
        }),
        _ => {
            json!({"log_type": "dlp_scan", "timestamp": rng.timestamp(), "scan_id": rng.hex(8), "matches": [{"rule": "PCI", "count": 2}]})
        }
    }
}

/// Serializes an event with `log_type` as its last property.
fn tag_last(event: &Value) -> String {
    let map = event.as_object().expect("object");
    let mut out = String::from("{");
    for (key, value) in map
        .iter()
        .filter(|(k, _)| *k != "log_type")
        .chain(map.get_key_value("log_type"))
    {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("key"));
        out.push(':');
        out.push_str(&serde_json::to_string(value).expect("value"));
    }
    out.push('}');
    out
}

/// Serializes an event with `log_type` first, as the API sends it.
fn tag_first(event: &Value) -> String {
    let map = event.as_object().expect("object");
    let mut out = String::from("{");
    for (key, value) in map
        .get_key_value("log_type")
        .into_iter()
        .chain(map.iter().filter(|(k, _)| *k != "log_type"))
    {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("key"));
        out.push(':');
        out.push_str(&serde_json::to_string(value).expect("value"));
    }
    out.push('}');
    out
}

/// The time of parsing every line once with `parse`.
fn round(lines: &[&str], parse: &dyn Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    let mut ok = 0usize;
    for line in lines {
        ok += usize::from(parse(black_box(line)));
    }
    assert_eq!(ok, lines.len(), "every event parses");
    start.elapsed()
}

fn measure(name: &str, corpus: &str) {
    let lines: Vec<&str> = corpus.lines().collect();
    let value = |l: &str| serde_json::from_str::<Value>(l).map(black_box).is_ok();
    let typed = |l: &str| serde_json::from_str::<LogEvent>(l).map(black_box).is_ok();
    // Rounds alternate between the two, so that load from other processes
    // weighs on both alike; the best round of each is kept.
    let (mut best_value, mut best_typed) = (Duration::MAX, Duration::MAX);
    // `BENCH_ONLY=value|typed|none` runs one parser (or none), for counting
    // instructions with `perf stat`, which load on the machine does not skew.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for _ in 0..ROUNDS {
        if only.is_empty() || only == "value" {
            best_value = best_value.min(round(&lines, &value));
        }
        if only.is_empty() || only == "typed" {
            best_typed = best_typed.min(round(&lines, &typed));
        }
    }
    let rate = |d: Duration| lines.len() as f64 / d.as_secs_f64();
    println!(
        "{name}: {} events, {:.1} MB",
        lines.len(),
        corpus.len() as f64 / 1e6
    );
    println!("  serde_json::Value   {:>12.0} events/s", rate(best_value));
    println!("  LogEvent            {:>12.0} events/s", rate(best_typed));
    println!(
        "  ratio               {:>12.2}x",
        rate(best_typed) / rate(best_value)
    );
}

fn main() {
    let mut rng = Lcg(0x5eb5_ed49_2021_c32b);
    let count = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(EVENTS);
    let events: Vec<Value> = (0..count).map(|_| event(&mut rng)).collect();
    let first: String = events.iter().map(|e| tag_first(e) + "\n").collect();
    let last: String = events.iter().map(|e| tag_last(e) + "\n").collect();
    measure("log_type first (as sent)", &first);
    measure("log_type last (worst case)", &last);
}
