//! OCSF 1.8.0 export of Log Events API events: one mapping, written as data
//! (`mapping/*.json`), checked against our schemas and the OCSF document
//! when the crate is built, and run by a [`Converter`].
//!
//! ```
//! use aperture_events_ocsf::{Converted, Converter, Options, Unknown};
//! let options = Options { raw_data: false, unknown: Unknown::Skip, ..Options::default() };
//! let converter = Converter::new(options);
//! let text = br#"{"log_type":"incident","incident_id":"5eb5ed492021c32b37588a6c","severity":3.0,"timestamp":"2020-05-08T23:50:55Z"}"#;
//! let Converted::Event(ocsf) = converter.convert_json(text)? else { unreachable!() };
//! assert_eq!(ocsf["class_name"], "Data Security Finding");
//! assert_eq!(ocsf["finding_info"]["uid"], "5eb5ed492021c32b37588a6c");
//! assert_eq!(ocsf["severity"], "Medium");
//! # Ok::<(), aperture_events_ocsf::Error>(())
//! ```

pub mod check;
mod convert;
pub mod docs;
mod line;
pub mod model;
pub mod ocsf_doc;
mod options;
mod path;
mod plan;
mod uid;

pub use convert::{Converted, Converter, Error, OCSF_VERSION};
pub use line::Written;
pub use options::{Options, SeverityTable, SeverityTableError, Unknown};
pub use uid::content_hash;

/// The README's examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
