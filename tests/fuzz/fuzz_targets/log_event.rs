//! Fuzz target: `aperture_events::LogEvent` deserialization on any bytes.
//!
//! The bytes are one record. Checked, beyond "no panic":
//! - agreement: the generated types accept the record exactly when the
//!   validator library (tolerant reading) accepts it: class `valid`, or
//!   `unknown_type`, which [`LogEvent::Unknown`] keeps whole;
//! - lossless: an accepted event serializes back to a `serde_json::Value`
//!   equal to the record's (`2.0` stays `2.0`, `"PUBLIC"` stays `"PUBLIC"`),
//!   and serializing that again gives the same text (a fixed point).
#![no_main]

use std::sync::LazyLock;

use aperture_events::LogEvent;
use aperture_events_validator::{Options, Reading, Validator};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static TOLERANT: LazyLock<Validator> = LazyLock::new(|| {
    Validator::embedded(Options {
        reading: Reading::Tolerant,
        show_values: false,
    })
    .expect("the embedded schemas compile")
});

fuzz_target!(|data: &[u8]| {
    let typed = serde_json::from_slice::<LogEvent>(data);
    let verdict = TOLERANT.classify(data);
    let accepted = verdict.class.is_accepted(Reading::Tolerant);
    assert_eq!(
        typed.is_ok(),
        accepted,
        "disagreement: LogEvent says {:?}, the validator says {:?} {:?}, on {:?}",
        typed.as_ref().err().map(ToString::to_string),
        verdict.class,
        verdict.problems,
        String::from_utf8_lossy(data)
    );
    let Ok(event) = typed else {
        return;
    };
    let input: Value = serde_json::from_slice(data).expect("an accepted record is JSON");
    let output = serde_json::to_value(&event).expect("an accepted event serializes");
    assert!(
        output == input,
        "not lossless:\n in  {input}\n out {output}"
    );
    let text = serde_json::to_string(&event).expect("serializes");
    let again: LogEvent = serde_json::from_str(&text).expect("its own output deserializes");
    assert_eq!(
        serde_json::to_string(&again).expect("serializes"),
        text,
        "not a fixed point"
    );
});
