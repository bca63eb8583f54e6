//! Writes a benchmark corpus of mixed Log Events API events as NDJSON on stdout.
//!
//! `cargo run --release -p aperture-events-validator --example corpus -- 200000 [invalid-every-n]`
//!
//! Events of the five types in the proportions of real traffic, with the
//! quirks real traffic has (nulls, upper-case exposure, numeric sizes), all
//! valid in the tolerant reading; with a second argument N, every Nth event
//! is made invalid (its timestamp is not a date-time). Deterministic: the same arguments give the
//! same bytes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, BufWriter, Write};

use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), so the corpus needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
    fn timestamp(&mut self) -> String {
        let (d, h, m, s) = (
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60),
        );
        if self.below(2) == 0 {
            format!("2017-08-{d:02}T{h:02}:{m:02}:{s:02}Z")
        } else {
            format!(
                "2017-02-{d:02}T{h:02}:{m:02}:{s:02}.{:03}Z",
                self.below(1000)
            )
        }
    }
}

const NAMES: &[&str] = &["John Smith", "Jane Doe", "Ana Lima", "Wei Chen", "Olu Ade"];
const EMAILS: &[&str] = &[
    "jane.doe@example.com",
    "john.smith@example.com",
    "ana@example.org",
];
const FILES: &[&str] = &[
    "payroll.csv",
    "Q3 forecast.xlsx",
    "helloworld.java",
    "notes.txt",
];
const APPS: &[&str] = &["Box Corp", "Office 365 8", "My Cloud App", "Google Drive"];

fn event(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0..=3 => json!({
            "log_type": "activity_monitoring",
            "item_type": rng.pick(&["file", "File", "user", "folder"]),
            "item_name": rng.pick(FILES),
            "item_unique_id": rng.hex(24),
            "user": rng.pick(EMAILS),
            "source_ip": format!("10.{}.{}.{}", rng.below(256), rng.below(256), rng.below(256)),
            "location": "Lisbon, Portugal",
            "action": rng.pick(&["create", "preview", "login", "delete"]),
            "target_name": null,
            "target_type": rng.pick(&["", "file"]),
            "serial": if rng.below(2) == 0 { Value::Null } else { json!("1234567890") },
            "cloud_app_instance": rng.pick(APPS),
            "timestamp": rng.timestamp(),
        }),
        4..=6 => json!({
            "log_type": "incident",
            "severity": (rng.below(6) as f64),
            "item_type": "File",
            "item_name": rng.pick(FILES),
            "asset_id": rng.hex(24),
            "item_owner": rng.pick(NAMES),
            "container_name": null,
            "item_creator": rng.pick(NAMES),
            "exposure": rng.pick(&["COMPANY", "PUBLIC", "INTERNAL", "EXTERNAL"]),
            "occurrences_by_rule": rng.below(50),
            "item_owner_email": rng.pick(EMAILS),
            "item_creator_email": rng.pick(EMAILS),
            "serial": null,
            "cloud_app_instance": rng.pick(APPS),
            "timestamp": rng.timestamp(),
            "incident_id": rng.hex(24),
            "policy_rule_name": rng.pick(&["PII, PCI", "java", "PCI Policy"]),
            "incident_category": null,
            "incident_owner": null,
            "collaborators": "",
            "datetime_edited": rng.timestamp(),
            "item_sha256": rng.hex(64),
            "item_size": rng.below(1_000_000),
            "item_verdict": rng.pick(&["benign", "malware", "not available"]),
        }),
        7 => json!({
            "log_type": "remediation",
            "item_type": "File",
            "item_name": rng.pick(FILES),
            "asset_id": rng.hex(32),
            "item_owner": rng.pick(NAMES),
            "item_creator": rng.pick(NAMES),
            "container_name": "test-container",
            "action_taken": rng.pick(&["quarantine", "Admin Quarantine", "Remove Public Links"]),
            "action_taken_by": "Aperture",
            "serial": "mySerial",
            "cloud_app_instance": rng.pick(APPS),
            "timestamp": rng.timestamp(),
            "incident_id": rng.hex(32),
            "policy_rule_name": "PCI Policy",
            "item_owner_email": rng.pick(EMAILS),
            "item_creator_email": null,
        }),
        8 => json!({
            "log_type": "policy_violation",
            "severity": 3.0,
            "item_type": "File",
            "item_name": rng.pick(FILES),
            "item_owner": rng.pick(NAMES),
            "item_creator": rng.pick(NAMES),
            "action_taken": rng.pick(&["download", "Quarantine", "EmailOwner"]),
            "action_taken_by": rng.pick(NAMES),
            "asset_id": rng.hex(32),
            "serial": "serial",
            "cloud_app_instance": rng.pick(APPS),
            "timestamp": rng.timestamp(),
            "policy_rule_name": "Policy Rule",
            "incident_id": rng.hex(32),
            "item_owner_email": null,
            "item_creator_email": null,
        }),
        _ => json!({
            "log_type": "admin_audit",
            "admin_id": rng.pick(EMAILS),
            "admin_role": rng.pick(&["super_admin", "admin", "read_only"]),
            "ip": format!("198.51.100.{}", rng.below(256)),
            "event_type": rng.pick(&["login", "settings", "policy"]),
            "item_type": "user",
            "item_name": rng.pick(EMAILS),
            "field": null,
            "action": rng.pick(&["sign_in", "sign_out", "edit"]),
            "resource_value_old": null,
            "resource_value_new": null,
            "timestamp": rng.timestamp(),
            "serial": null,
        }),
    }
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let invalid_every: Option<u64> = args.next().and_then(|a| a.parse().ok()).filter(|n| *n > 0);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = BufWriter::new(io::stdout().lock());
    for i in 0..count {
        let mut event = event(&mut rng);
        if invalid_every.is_some_and(|n| i % n == 0) {
            event["timestamp"] = json!("2017-02-30 25:00:00");
        }
        serde_json::to_writer(&mut out, &event)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
