//! Validates captured Log Events API payloads against the aperture-events
//! schemas, and reports how real traffic drifts from the documented contract.
//!
//! The library does the work; the `aperture-validate` binary (feature `cli`,
//! on by default) parses flags, picks the output and the exit code. Other
//! tools (the capture tool, the Python package) use the library directly,
//! with `default-features = false`:
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
//! # The public API
//! - A [`Validator`] compiles a [`SchemaSet`] once, in the [`Options`]'
//!   [`Reading`]; [`Validator::classify`] gives one record's [`Verdict`]
//!   (its [`Class`] and [`Problem`]s).
//! - A [`Tally`] counts records as they come ([`Tally::observe`], or
//!   [`Tally::read`] and the [`TallySink`] for whole inputs) and finishes into
//!   a [`Report`]: plain data, the `--format json` document.
//! - [`run()`] reads whole inputs on all cores ([`RunOptions`], [`Jobs`]).
//! - [`input`] finds the records of an input of any shape, each at its
//!   [`Place`] ([`Locus`] within the source); [`render`] prints a report in
//!   each output format; [`merge`] reads reports back and merges them;
//!   [`drift`] holds the drift tables of a report; [`limits`] every bound.
//!
//! Everything else (the parser, the borrowed document jsonschema validates,
//! the masks, the field tables) is internal, free to change.

mod classify;
mod datetime;
mod doc;
pub mod drift;
mod fields;
pub mod input;
pub mod limits;
mod mask;
pub mod merge;
#[cfg(feature = "nats")]
pub mod nats;
mod parse;
mod place;
mod problem;
mod quirk;
pub mod render;
mod report;
mod run;
mod schemas;
mod strset;

pub use aperture_events_schema::reading::Reading;
pub use classify::{Class, Options, Validator, Verdict};
pub use datetime::is_valid_date_time;
pub use limits::OutOfRange;
pub use mask::Text;
pub use merge::MergeError;
pub use place::{Locus, Place, Position};
pub use problem::Problem;
pub use report::schema as report_schema;
pub use report::{InputError, Note, RecordError, Report, Summary, Tally, TallySink, TypeCounts};
pub use run::{Jobs, RunOptions, run};
pub use schemas::{SchemaError, SchemaSet};
