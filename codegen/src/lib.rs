//! Turns the aperture-events JSON Schemas into Rust types.
//!
//! Downstream crates call this from `build.rs`; `aperture-events` is the crate
//! of types it produces for the schemas in this repository.

pub mod embedded;
pub mod reading;
pub mod export;
