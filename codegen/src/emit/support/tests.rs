//! The support files, compiled as modules here, against the `jsonschema`
//! crate itself (draft 2020-12, formats asserted), and the pasting of them.

#[path = "email.rs"]
mod email;
#[path = "formats.rs"]
mod formats;
#[path = "json.rs"]
mod json;
#[path = "numbers.rs"]
mod numbers;
#[path = "pattern.rs"]
mod pattern;
#[path = "uri.rs"]
mod uri;

mod agree_formats;
mod agree_numbers;
mod agree_pattern;
mod pasting;

use serde_json::Value;

/// jsonschema's validator for `schema`, as the project's validator configures it
/// (draft 2020-12, formats asserted; no `date-time` override here).
fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema")
}
