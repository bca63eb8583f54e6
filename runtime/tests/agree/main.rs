//! The runtime's checks against the `jsonschema` crate itself (draft 2020-12,
//! formats asserted): each must give the validator's verdict. Needs every
//! feature (the crate's dev-dependency on itself turns them on).

use aperture_events_runtime::{
    email, formats, hostname, idn, json, multiple_of, numbers, pattern, uri,
};
use serde_json::Value;

mod agree_formats;
mod agree_more_formats;
mod agree_numbers;
mod agree_pattern;

/// jsonschema's validator for `schema`, as the project's validator configures it
/// (draft 2020-12, formats asserted).
fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema")
}
