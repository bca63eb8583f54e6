//! Agreement and losslessness, by property test: events built from the
//! schemas' own value spaces (nulls, absent optionals, quirk forms, unknown
//! fields, unknown enum values, bad values of every kind) are accepted by
//! `LogEvent` exactly when `jsonschema` accepts them (tolerant reading,
//! formats asserted, date-time checked with the generated crate's own rule),
//! and every accepted event serializes back to equal JSON.
//!
//! # Design
//! The events come from `tests/stock_events.rs` (shared with the types'
//! schemars agreement test); `jsonschema` is the oracle. The one documented exception is an object whose `log_type` is a string
//! none of the five: the union schema rejects it, `LogEvent` keeps it whole.

use aperture_events::LogEvent;
use aperture_events_schema::embedded::EVENT_TYPES;
use aperture_events_schema::reading::Reading;
use aperture_events_tests::schema_values;
use proptest::prelude::*;
use serde_json::Value;

#[path = "../stock_events.rs"]
mod stock_events;

/// The union schema compiled offline, date-time checked with the types' rule.
fn union_validator() -> jsonschema::Validator {
    let values = schema_values(Reading::Tolerant);
    let registry = jsonschema::Registry::new()
        .extend(
            values
                .values()
                .map(|v| (v["$id"].as_str().expect("$id").to_owned(), v.clone())),
        )
        .expect("schema ids are URIs")
        .prepare()
        .expect("registry prepares offline");
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .with_format("date-time", aperture_events::is_valid_date_time)
        .build(&values["log_event.schema.json"])
        .expect("union schema compiles")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn log_event_accepts_exactly_what_the_schema_accepts(
        event in stock_events::event(&schema_values(Reading::Tolerant), EVENT_TYPES)
    ) {
        thread_local! {
            static VALIDATOR: jsonschema::Validator = union_validator();
        }
        let schema_accepts = VALIDATOR.with(|v| v.is_valid(&event));
        let text = serde_json::to_string(&event).expect("serialize input");
        let streamed = serde_json::from_str::<LogEvent>(&text);
        let from_value = serde_json::from_value::<LogEvent>(event.clone());
        prop_assert_eq!(streamed.is_ok(), from_value.is_ok(), "both ways in agree on {}", text);
        let log_type = event.get("log_type").and_then(Value::as_str);
        let unknown_type = log_type.is_some_and(|t| !EVENT_TYPES.iter().any(|(known, _)| *known == t));
        if unknown_type {
            // The documented exception: kept whole, whatever else it holds.
            let parsed = streamed.map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert!(matches!(parsed, LogEvent::Unknown(_)), "{}", text);
            prop_assert!(!schema_accepts);
            prop_assert_eq!(serde_json::to_value(&parsed).expect("serialize"), event);
            return Ok(());
        }
        match streamed {
            Ok(parsed) => {
                prop_assert!(schema_accepts, "LogEvent accepts what the schema rejects: {}", text);
                let back = serde_json::to_value(&parsed).expect("serialize");
                prop_assert_eq!(back, event, "not lossless");
            }
            Err(error) => {
                prop_assert!(!schema_accepts, "LogEvent rejects what the schema accepts ({}): {}", error, text);
            }
        }
    }
}
