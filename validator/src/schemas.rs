//! Compiling a schema set, once per run.
//!
//! The schemas come from the binary (`aperture_events_schema::SchemaSet::embedded`)
//! or from a directory (`--schema-dir`), loaded by the schema crate. Here they
//! are put in an offline `jsonschema` registry under their `$id`s, read in the
//! chosen reading (tolerant as written, strict with the `x-strict` overlays),
//! and each event type's schema is compiled to its own validator.
//!
//! # Design
//! Events are dispatched on `log_type` to their type's validator instead of
//! being checked against the `oneOf` union: a union failure says "none of five
//! matched", a per-type failure says which field is wrong, and one schema is
//! cheaper to check than five.

use std::sync::Arc;

pub use aperture_events_schema::SchemaSet;
use aperture_events_schema::reading::{self, Reading};
use jsonschema::json::Json;
use jsonschema::{Draft, Registry, ValidationOptions};
use serde_json::Value;

use crate::datetime::is_valid_date_time;
use crate::doc::Fast;
use crate::fields::FieldTable;

/// Why the schemas could not be loaded or compiled. Each names its file.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The schema files could not be read or parsed, or a `$ref` does not resolve.
    #[error("{0}")]
    Load(#[from] aperture_events_schema::Error),
    /// A schema file has no string `$id` (the registry keys files by it).
    #[error("{file}: no `$id`")]
    NoId { file: String },
    /// The set holds no event type schema.
    #[error(
        "{origin}: no event type schema (a *.schema.json whose properties.log_type has a const)"
    )]
    NoEventTypes { origin: String },
    /// The registry could not be built.
    #[error("schema registry: {0}")]
    Registry(String),
    /// A schema does not compile.
    #[error("{file}: does not compile: {message}")]
    Compile { file: String, message: String },
}

/// Everything compiled for one event type.
#[derive(Debug)]
pub struct CompiledType {
    /// The `log_type` value.
    pub log_type: String,
    /// The schema file name.
    pub file: String,
    /// The validator of the chosen reading, on the fast representation (every record).
    pub fast: jsonschema::Validator<Fast>,
    /// The same on `serde_json::Value`, for the detailed errors of a failing record.
    pub validator: jsonschema::Validator,
    /// The documented fields, for drift.
    pub fields: FieldTable,
}

/// Compiled validators for every event type, in one reading.
#[derive(Debug)]
pub struct Compiled {
    /// The reading the validators apply.
    pub reading: Reading,
    /// The event types, sorted by `log_type`.
    pub types: Vec<CompiledType>,
}

impl Compiled {
    /// Compiles `set` in `reading`. Field checks for drift are compiled in both readings.
    pub fn new(set: &SchemaSet, reading: Reading) -> Result<Self, SchemaError> {
        if let Some(file) = set.documents().iter().find(|d| !d.has_id) {
            return Err(SchemaError::NoId {
                file: file.display(),
            });
        }
        if set.event_types().is_empty() {
            return Err(SchemaError::NoEventTypes {
                origin: set.origin().to_owned(),
            });
        }
        let tolerant = prepare(set, Reading::Tolerant)?;
        let strict = prepare(set, Reading::Strict)?;
        let chosen = match reading {
            Reading::Tolerant => &tolerant,
            Reading::Strict => &strict,
        };
        let mut types = Vec::new();
        for (log_type, doc) in set.event_types() {
            let file = &set.documents()[doc];
            let schema = reading::apply(reading, &file.value);
            // Each file as its own `$schema` (or the default draft) says,
            // as the code generator reads it.
            let draft = jsonschema_draft(file.draft().0);
            let validator = build(chosen, &schema, file.name(), draft)?;
            let fast = build(chosen, &schema, file.name(), draft)?;
            let fields = FieldTable::new(set, doc, &|field_ref: &Value, which: Reading| {
                let registry = match which {
                    Reading::Tolerant => &tolerant,
                    Reading::Strict => &strict,
                };
                build(registry, field_ref, file.name(), draft)
            })?;
            types.push(CompiledType {
                log_type: log_type.to_owned(),
                file: file.name().to_owned(),
                fast,
                validator,
                fields,
            });
        }
        // Reports list event types in name order, whatever order the files were loaded in.
        types.sort_by(|a, b| a.log_type.cmp(&b.log_type));
        Ok(Compiled { reading, types })
    }

    /// The index of the type whose `log_type` is `log_type`.
    pub fn find(&self, log_type: &str) -> Option<usize> {
        self.types.iter().position(|t| t.log_type == log_type)
    }
}

fn prepare(set: &SchemaSet, reading: Reading) -> Result<Registry<'static>, SchemaError> {
    let resources = set
        .documents()
        .iter()
        .map(|f| (f.id.clone(), reading::apply(reading, &f.value)));
    Registry::new()
        .retriever(OfflineRetriever)
        .extend(resources)
        .and_then(|builder| builder.prepare())
        .map_err(|e| SchemaError::Registry(e.to_string()))
}

/// The `jsonschema` draft of one of the schema crate's drafts.
fn jsonschema_draft(draft: aperture_events_schema::Draft) -> Draft {
    match draft {
        aperture_events_schema::Draft::Draft4 => Draft::Draft4,
        aperture_events_schema::Draft::Draft6 => Draft::Draft6,
        aperture_events_schema::Draft::Draft7 => Draft::Draft7,
        aperture_events_schema::Draft::Draft201909 => Draft::Draft201909,
        aperture_events_schema::Draft::Draft202012 => Draft::Draft202012,
    }
}

/// Compiles `schema` against `registry` for representation `F`: offline,
/// in the file's draft, formats asserted with our `date-time`.
fn build<F: Json>(
    registry: &Registry<'_>,
    schema: &Value,
    file: &str,
    draft: Draft,
) -> Result<jsonschema::Validator<F>, SchemaError> {
    ValidationOptions::<'_, Arc<dyn jsonschema::Retrieve>, F>::default()
        .with_draft(draft)
        .offline()
        .with_registry(registry)
        .should_validate_formats(true)
        .with_format("date-time", is_valid_date_time)
        .build(schema)
        .map_err(|e| SchemaError::Compile {
            file: file.to_owned(),
            message: e.to_string(),
        })
}

/// Refuses every retrieval: a reference missing from the registry is an error, never a download.
#[derive(Debug)]
struct OfflineRetriever;

impl jsonschema::Retrieve for OfflineRetriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        Err(format!("{uri} is not among the schema files (no schema is ever fetched)").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aperture_events_schema::SchemaSource;
    use serde_json::json;

    /// A user's draft-07 event schema is validated as draft-07, as the code
    /// generator reads it: `required` beside a `$ref` is ignored there.
    #[test]
    fn each_file_is_validated_in_its_own_draft() {
        let schema = |declared: &str| {
            json!({
                "$schema": declared,
                "$id": "https://example.com/x.schema.json",
                "type": "object",
                "properties": {
                    "log_type": {"const": "x"},
                    "a": {"$ref": "#/definitions/o", "required": ["b"]}
                },
                "definitions": {"o": {"type": "object"}}
            })
            .to_string()
        };
        let record = json!({"log_type": "x", "a": {}});
        let verdict = |declared: &str| {
            let set = SchemaSet::load(&[SchemaSource::new("x.schema.json", schema(declared))])
                .expect("load");
            let compiled = Compiled::new(&set, Reading::Tolerant).expect("compile");
            compiled.types[0].validator.is_valid(&record)
        };
        assert!(verdict("http://json-schema.org/draft-07/schema#"));
        assert!(!verdict("https://json-schema.org/draft/2020-12/schema"));
    }
}
