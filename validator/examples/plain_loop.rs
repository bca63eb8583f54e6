//! The baseline of the benchmark: the plain way to validate NDJSON with the
//! same schemas, on one thread. Each line is parsed into `serde_json::Value`
//! and checked with jsonschema's `is_valid` against the union
//! `log_event.schema.json` (the embedded schemas in an offline registry, the
//! validator's `date-time` rule registered for the format).
//!
//! `cargo run --release -p aperture-events-validator --example plain_loop -- FILE.ndjson`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader};
use std::time::Instant;

use aperture_events_schema::embedded::{SCHEMA_FILES, UNION_FILE};
use aperture_events_validator::is_valid_date_time;
use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: plain_loop FILE.ndjson")?;
    let mut resources = Vec::new();
    let mut union = Value::Null;
    for file in SCHEMA_FILES {
        let value: Value = serde_json::from_str(file.text)?;
        let id = value["$id"].as_str().unwrap_or_default().to_owned();
        if file.name == UNION_FILE {
            union = value.clone();
        }
        resources.push((id, value));
    }
    let registry = jsonschema::Registry::new().extend(resources)?.prepare()?;
    let validator = jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .with_format("date-time", is_valid_date_time)
        .build(&union)?;
    let start = Instant::now();
    let (mut total, mut valid) = (0u64, 0u64);
    for line in BufReader::new(std::fs::File::open(&path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        total += 1;
        if let Ok(value) = serde_json::from_str::<Value>(&line) {
            if validator.is_valid(&value) {
                valid += 1;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{total} events, {valid} valid, {seconds:.3} s, {:.0} events/s",
        total as f64 / seconds
    );
    Ok(())
}
