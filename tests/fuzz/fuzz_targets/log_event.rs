//! Fuzz target: `aperture_events::LogEvent` deserialization on any bytes.
//!
//! The bytes are one record. Checked, beyond "no panic":
//! - agreement: the generated types accept the record exactly when the
//!   validator library (tolerant reading) accepts it: class `valid`, or
//!   `unknown_type`, which [`LogEvent::Unknown`] keeps whole;
//! - lossless: an accepted event serializes back to JSON equal to the
//!   record as `serde_json` reads it, numbers compared by value (see
//!   [`json_eq`]), and serializing that again gives the same text (a fixed point).
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
        json_eq(&output, &input),
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

/// JSON equality with numbers compared by value (`2.0` equals `2`, `-0` equals `0`).
///
/// # Design
/// `serde_json::Value` equality tells `2.0` from `2`; the generated types
/// keep an integer field's value, not its spelling, so the vendor's
/// `"severity": 2.0` comes back as `2`, the same JSON number. Found by this
/// target on its first run; the lead decides whether the spelling must be
/// kept too (then this becomes `==`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(i), Some(j), _, _) => i == j,
                (_, _, Some(i), Some(j)) => i == j,
                _ => (x.is_f64() || y.is_f64()) && x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}
