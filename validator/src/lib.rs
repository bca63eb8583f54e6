//! Validates captured Log Events API payloads against the aperture-events
//! schemas, and reports how real traffic drifts from the documented contract.
//!
//! The library does the work; the `aperture-validate` binary parses flags,
//! picks the output and the exit code. Other tools (the capture tool) use the
//! library directly:
//!
//! ```
//! use aperture_events_validator::{Class, Options, Place, Tally, Validator, render};
//! let validator = Validator::embedded(Options::default()).unwrap();
//! let mut tally = Tally::new(validator.options().reading);
//! let event = br#"{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}"#;
//! let verdict = tally.observe(&validator, Place::new("live", Default::default()), event);
//! assert_eq!(verdict.class, Class::Valid);
//! let report = tally.finish(&validator);
//! let mut out = Vec::new();
//! render::text(&report, &mut out, &render::TextOptions::default()).unwrap();
//! ```
//!
//! Modules, each with one job: [`input`] finds records in files of any shape,
//! [`parse`] turns a record into a borrowed [`doc::Doc`] (which jsonschema
//! validates directly), [`classify`] puts it in its class,
//! [`problem`] says what is wrong, [`drift`] counts departures from the
//! contract, [`report`] accumulates all of it, [`run()`] does a whole run on
//! all cores, [`render`] prints a report in each output format, [`merge`]
//! combines the reports of several runs into one.

pub mod classify;
pub mod datetime;
pub mod doc;
pub mod drift;
pub mod fields;
pub mod input;
pub mod limits;
pub mod mask;
pub mod merge;
#[cfg(feature = "nats")]
pub mod nats;
pub mod parse;
pub mod place;
pub mod problem;
pub mod quirk;
pub mod render;
pub mod report;
pub mod run;
pub mod schemas;
pub mod strset;

pub use aperture_events_schema::reading::Reading;
pub use classify::{Class, Options, Validator, Verdict};
pub use limits::OutOfRange;
pub use merge::MergeError;
pub use place::{Locus, Place};
pub use problem::Problem;
pub use report::{Report, Tally, TallySink};
pub use run::{Jobs, RunOptions, run};
pub use schemas::{SchemaError, SchemaSet};
