//! Prints an OpenAPI 3.0 document whose schemas come from the types
//! (feature `schemars`): one endpoint, `POST /events`, taking a batch of
//! `LogEvent`s. `generated/tests/openapi.sh` checks it with the official
//! OpenAPI schema and validates the fixtures against its `LogEvent`.
//!
//! `cargo run -p aperture-events --features schemars --example openapi`
#![allow(clippy::print_stdout, reason = "the document is the output")]

use aperture_events::LogEvent;
use aperture_events::runtime::json_schema::SplitTypeLists;
use aperture_events::runtime::schemars::generate::SchemaSettings;
use serde_json::json;

fn main() {
    // OpenAPI 3.0 takes one `type` per schema: type lists become `anyOf`.
    let mut generator = SchemaSettings::openapi3()
        .with_transform(SplitTypeLists)
        .into_generator();
    let log_event = generator.subschema_for::<LogEvent>();
    let schemas = generator.take_definitions(true);
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "aperture-events", "version": env!("CARGO_PKG_VERSION")},
        "paths": {
            "/events": {
                "post": {
                    "summary": "Accepts a batch of Log Events API events.",
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": {"type": "array", "items": log_event}}}
                    },
                    "responses": {"204": {"description": "Accepted."}}
                }
            }
        },
        "components": {"schemas": schemas},
    });
    println!("{document:#}");
}
