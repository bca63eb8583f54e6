//! The JSON Schemas of the Log Events API (Data Security, formerly Aperture,
//! Prisma SaaS), and everything needed to use them offline.
//!
//! The schemas (draft 2020-12, one per event type plus the union) are the
//! single source of truth of the aperture-events toolkit: the code generator
//! and the validator both start here. This crate holds
//! - the stock schemas, compiled in ([`embedded`]), with the list of event types;
//! - loading a set of schemas from the embedded copy, files or a directory,
//!   with one edited file laid over the stock ones ([`SchemaSource`],
//!   [`SchemaSet`]), and offline `$ref` resolution: nothing is ever fetched;
//! - the two readings of the same files, tolerant and strict ([`reading`]);
//! - the documented-field tables ([`documented`]);
//! - the schema language: every draft, the keyword registry, and each file
//!   read into draft 2020-12 ([`vocabulary`]);
//! - the one order-keeping JSON reader ([`ordered`]) and the one URI join
//!   ([`uri`]).
//!
//! ```
//! use aperture_events_schema::{SchemaSet, reading::{self, Reading}};
//!
//! let set = SchemaSet::embedded()?;
//! let (log_type, doc) = set.event_types()[2];
//! assert_eq!(log_type, "incident");
//! let strict = reading::apply(Reading::Strict, &set.documents()[doc].value);
//! assert_eq!(strict["additionalProperties"], false);
//! # Ok::<(), aperture_events_schema::Error>(())
//! ```
//!
//! It depends on `serde_json`, `serde_core` and `strsim` alone.
#![doc = ""]
#![doc = "# The schemas and their vocabulary (the crate's README)"]
#![doc = include_str!("../README.md")]

pub mod documented;
pub mod embedded;
mod error;
pub mod ordered;
pub mod reading;
mod set;
mod source;
pub mod uri;
pub mod vocabulary;

pub use error::{Collector, Diagnostic, Error};
pub use reading::Reading;
pub use set::{Document, SchemaSet};
pub use source::SchemaSource;
pub use uri::join_uri;
pub use vocabulary::{Draft, View};
