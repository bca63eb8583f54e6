//! Types for the Log Events API events (Data Security, formerly Aperture),
//! generated from the JSON Schemas in `schema/`.
//!
//! [`LogEvent`] is the entry point: one event of any type, told apart by
//! `log_type`, with a fallback variant that keeps events of unknown types
//! whole.
//!
//! ```
//! let line = r#"{"log_type": "incident", "incident_id": "5eb5ed492021c32b37588a6c",
//!                "timestamp": "2020-05-08T23:50:55Z", "severity": 1.0, "exposure": "COMPANY"}"#;
//! let event: aperture_events::LogEvent = serde_json::from_str(line).unwrap();
//! let aperture_events::LogEvent::Incident(incident) = &event else { panic!("an incident") };
//! assert_eq!(incident.severity.map(|s| s.get()), Some(1));
//! // The value, whatever its spelling; the spelling is kept for the round trip.
//! assert_eq!(incident.exposure, Some(aperture_events::Exposure::Company));
//! assert_eq!(incident.exposure_spelling(), Some("COMPANY"));
//! assert_eq!(event.timestamp().map(|t| t.to_utc().timestamp()), Some(1_588_981_855));
//! assert_eq!(serde_json::to_value(&event).unwrap(), serde_json::from_str::<serde_json::Value>(line).unwrap());
//! ```
//!
//! The promises, tested in `tests/`: a payload the schemas accept (tolerant
//! reading, formats asserted) deserializes, one they reject does not (the one
//! exception: an unknown `log_type` is kept in [`LogEvent::Unknown`]); and
//! serializing an accepted event gives back an equal `serde_json::Value`
//! (spellings and number forms included).
//!
//! `generated.rs` is written by `aperture-events-codegen` and checked in so
//! it can be read; never edit it. Hand-written helpers live in other modules.

#[rustfmt::skip]
mod generated;
mod item_size;

pub use generated::*;

/// The runtime crate the generated code calls (`Timestamp`, the checks), for
/// crates that name its items without depending on it.
pub use aperture_events_runtime as runtime;
