//! A schema file's `serde_json::Value` and the order of the keys of every
//! object, read by the schema crate's one order-keeping reader
//! ([`aperture_events_schema::ordered`]).
//!
//! `serde_json::Map` is sorted unless the whole build turns on serde_json's
//! `preserve_order`, which would change `Value` for every crate sharing the
//! build. The generator needs schema order only for a few keywords
//! (`properties`, `$defs`), so it keeps it on the side, keyed by JSON
//! pointer. Duplicate keys are rejected, as in every JSON the toolkit reads.

use serde_json::Value;

pub use aperture_events_schema::ordered::{KeyOrder, escape_token};

/// Parses `text`, recording key orders.
pub fn parse(text: &str) -> Result<(Value, KeyOrder), serde_json::Error> {
    let node = aperture_events_schema::ordered::parse(text)?;
    Ok((node.to_value(), node.key_orders()))
}
