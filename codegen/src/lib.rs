//! Turns the aperture-events JSON Schemas into Rust types.
//!
//! Downstream crates call this from `build.rs`; `aperture-events` is the crate
//! of types it produces for the schemas in this repository.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     aperture_events_codegen::Config::new().schema_dir("schema").compile()?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/aperture_events.rs"));`
//! The generated code needs `aperture-events-runtime` (with the features
//! [`Output::runtime_features`] lists), `serde` and `serde_json`.
//!
//! The stages, each its own private module, data flowing one way: `load`
//! (read files, resolve `$ref`s offline) → `lower` (schemas to the plain-data
//! `ir`) → `emit` (tokens) → `render` (formatted text with a header). The
//! `names` module decides every Rust name. Only `export` and the items
//! re-exported here are public: the IR is not part of the API.

pub mod export;

mod config;
mod emit;
mod error;
mod ir;
mod load;
mod lower;
mod names;
mod ordered;
mod render;
mod text;

pub use config::{Config, DateTimeMapping, Output, write_if_changed};
pub use error::{Diagnostic, Error, Result};
pub use load::SchemaSource;

/// The stock schemas and their two readings live in the schema crate;
/// re-exported so a build script needs one dependency.
pub use aperture_events_schema::{self as schema, Draft, embedded, reading};
