//! Fuzz target: the validator's input reader and classifier on any bytes.
//!
//! The bytes are one input file (any shape: NDJSON, a JSON document, a bulk
//! body, HTTP transcripts, HAR, gzip of any of them). Every record the
//! reader finds is classified in both readings, exactly as a run does.
//!
//! Checked, beyond "no panic":
//! - the classes add up to the records read (reader-found malformed records
//!   included), in each reading and for each `log_type`;
//! - a record is malformed exactly when it is not JSON or not an object (as
//!   `serde_json` alone decides), so the class agrees with an independent parse;
//! - every record not accepted is listed or counted as omitted;
//! - the report renders in every output format.
#![no_main]

use std::sync::LazyLock;

use aperture_events_validator::input::{self, Sink};
use aperture_events_validator::{Class, Locus, Options, Place, Reading, Tally, Validator, render};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static VALIDATORS: LazyLock<[Validator; 2]> = LazyLock::new(|| {
    [Reading::Tolerant, Reading::Strict].map(|reading| {
        Validator::embedded(Options {
            reading,
            show_values: false,
        })
        .expect("the embedded schemas compile")
    })
});

/// What the reader handed over, in order.
#[derive(Default)]
struct Collected {
    items: Vec<Item>,
    no_event: u64,
    error_responses: u64,
}

enum Item {
    Record(Locus, Vec<u8>),
    Malformed(Locus, String),
}

impl Sink for Collected {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        self.items.push(Item::Record(locus, bytes.to_vec()));
    }
    fn malformed(&mut self, locus: Locus, message: String) {
        self.items.push(Item::Malformed(locus, message));
    }
    fn no_event(&mut self, _locus: Locus) {
        self.no_event += 1;
    }
    fn error_response(&mut self, _locus: Locus, _status: u16) {
        self.error_responses += 1;
    }
}

fuzz_target!(|data: &[u8]| {
    let mut collected = Collected::default();
    if input::read(data, &mut collected).is_err() {
        // An input error (bad gzip, say) is reported as an unreadable input; what was read still counts.
    }
    let records = collected.items.len() as u64;
    for validator in VALIDATORS.iter() {
        let reading = validator.options().reading;
        let mut tally = Tally::new(reading).with_max_errors(1000);
        let mut not_accepted = 0u64;
        for (seq, item) in collected.items.iter().enumerate() {
            match item {
                Item::Record(locus, bytes) => {
                    // Past `max_errors` listed errors, a rejected record is counted, and its
                    // problems are not worked out (documented): only then may they be empty.
                    let listing = tally.errors().len() < 1000;
                    let verdict = tally.observe(validator, Place::new("fuzz", *locus), bytes);
                    let independent = serde_json::from_slice::<Value>(bytes);
                    let malformed = !matches!(independent, Ok(Value::Object(_)));
                    assert_eq!(
                        verdict.class == Class::Malformed,
                        malformed,
                        "class {:?} disagrees with serde_json ({:?}) on {:?}",
                        verdict.class,
                        independent.map(|_| "json"),
                        String::from_utf8_lossy(bytes)
                    );
                    if verdict.class == Class::Valid {
                        assert!(verdict.problems.is_empty(), "a valid record has problems");
                    }
                    if listing && !verdict.class.is_accepted(reading) {
                        assert!(
                            !verdict.problems.is_empty(),
                            "a rejected record without a problem"
                        );
                    }
                    if !verdict.class.is_accepted(reading) || !verdict.problems.is_empty() {
                        not_accepted += 1;
                    }
                }
                Item::Malformed(locus, message) => {
                    assert!(!message.is_empty());
                    // Numbered as the next record: `seq`, the items being in input order.
                    assert_eq!(tally.summary().total, seq as u64);
                    tally.malformed(Place::new("fuzz", *locus), message.clone());
                    not_accepted += 1;
                }
            }
        }
        let report = tally.finish(validator);
        let s = &report.summary;
        assert_eq!(s.total, records, "every record read is counted once");
        assert_eq!(
            s.valid + s.invalid + s.malformed + s.unknown_type,
            s.total,
            "the classes add up to the records read"
        );
        let typed: u64 = s.by_log_type.values().map(|c| c.total).sum();
        assert!(
            typed <= s.total - s.malformed,
            "records by log_type exceed the non-malformed records"
        );
        for (log_type, c) in &s.by_log_type {
            assert_eq!(
                c.valid + c.invalid + c.unknown_type,
                c.total,
                "counts of {log_type}"
            );
        }
        assert_eq!(
            report.errors.len() as u64 + report.errors_omitted,
            not_accepted,
            "every record with a problem is listed or counted as omitted"
        );
        let mut out = Vec::new();
        render::text(&report, &mut out, &render::TextOptions::default()).expect("text renders");
        out.clear();
        render::json(&report, &mut out).expect("json renders");
        serde_json::from_slice::<Value>(&out).expect("the json report is json");
        out.clear();
        render::github(&report, &mut out, true).expect("github renders");
        out.clear();
        render::junit(&report, &mut out, true).expect("junit renders");
    }
    assert!(collected.no_event + collected.error_responses <= data.len() as u64);
});
