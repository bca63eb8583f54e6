//! The report's tables stay bounded whatever names the input makes up.
//!
//! Unknown event types and undocumented fields are counted by name, and a
//! hostile input can make up as many long names as it likes: the report keeps
//! a bounded number of them, cut to a bounded length, and still counts every
//! record. Names are shown here (`--show-values`): masked, they would all
//! be one `(masked: N characters)` entry.

use aperture_events_validator::drift::{MAX_DISTINCT, MAX_NAME};
use aperture_events_validator::limits::{MAX_LOG_TYPES, MAX_POINTER};
use aperture_events_validator::{Locus, Options, Place, Tally, Validator};

const RECORDS: usize = 3000;
const LONG: usize = 5000;

#[test]
fn made_up_type_and_field_names_do_not_grow_the_report() {
    let validator = Validator::embedded(Options {
        show_values: true,
        ..Options::default()
    })
    .expect("schemas");
    let mut tally = Tally::new(validator.options().reading);
    for i in 0..RECORDS {
        // A long name per record, distinct in its first characters.
        let name = format!("{i:05}{}", "x".repeat(LONG));
        let unknown = format!(r#"{{"log_type": "{name}"}}"#);
        let undocumented = format!(
            r#"{{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x", "{name}": 1}}"#
        );
        for text in [unknown, undocumented] {
            let place = Place::new("made-up", Locus::at_line(i as u64 + 1));
            tally.observe(&validator, place, text.as_bytes());
        }
    }
    let report = tally.finish(&validator);
    let s = &report.summary;
    assert_eq!(s.total, 2 * RECORDS as u64);
    assert_eq!(s.unknown_type, RECORDS as u64);
    assert_eq!(s.valid, RECORDS as u64);

    // Every record is counted: listed types plus the others.
    assert!(
        s.by_log_type.len() <= MAX_LOG_TYPES,
        "{}",
        s.by_log_type.len()
    );
    let listed: u64 = s.by_log_type.values().map(|c| c.total).sum();
    assert_eq!(listed + s.other_log_types.total, s.total);
    assert!(s.other_log_types.total > 0);
    assert_eq!(s.other_log_types.unknown_type, s.other_log_types.total);
    let longest = s.by_log_type.keys().map(|k| k.chars().count()).max();
    assert_eq!(longest, Some(MAX_NAME + 1), "a cut name ends with one `…`");

    // The drift tables: bounded in entries and in name length; the rest is counted as dropped.
    let drift = &report.drift;
    assert!(drift.unknown_types.len() <= MAX_DISTINCT);
    assert!(drift.undocumented_fields.len() <= MAX_DISTINCT);
    assert!(drift.dropped >= 2 * (RECORDS - MAX_DISTINCT) as u64);
    for name in drift
        .unknown_types
        .iter()
        .map(|t| &t.log_type)
        .chain(drift.undocumented_fields.iter().map(|f| &f.field))
    {
        assert!(name.chars().count() <= MAX_NAME + 1, "{} chars", name.len());
    }
}

#[test]
fn a_made_up_key_does_not_make_a_long_pointer() {
    let validator = Validator::embedded(Options::default()).expect("schemas");
    let mut tally = Tally::new(validator.options().reading);
    let key = "k".repeat(LONG);
    // A repeated key is reported at its pointer: the key itself.
    let text = format!(r#"{{"log_type": "incident", "{key}": 1, "{key}": 2}}"#);
    let verdict = tally.observe(
        &validator,
        Place::new("long-key", Locus::at_line(1)),
        text.as_bytes(),
    );
    let pointer = &verdict.problems[0].pointer;
    assert!(pointer.starts_with("/kkk"), "{pointer}");
    assert_eq!(
        pointer.chars().count(),
        MAX_POINTER + 1,
        "cut, with one `…`"
    );
}

#[test]
fn a_long_unknown_type_is_cut_in_the_listed_error() {
    let text = format!(r#"{{"log_type": "{}"}}"#, "t".repeat(LONG));
    for show_values in [true, false] {
        let validator = Validator::embedded(Options {
            reading: aperture_events_validator::Reading::Strict,
            show_values,
        })
        .expect("schemas");
        let mut tally = Tally::new(validator.options().reading);
        tally.observe(
            &validator,
            Place::new("long-type", Locus::at_line(1)),
            text.as_bytes(),
        );
        let report = tally.finish(&validator);
        let listed = report.errors[0].log_type.as_deref().unwrap_or_default();
        if show_values {
            assert_eq!(listed.chars().count(), MAX_NAME + 1, "cut, with one `…`");
        } else {
            // Too long to be a category: masked.
            assert_eq!(listed, "(masked: 5000 characters)");
        }
    }
}
