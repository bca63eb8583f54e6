//! Loading the schema files and compiling them, once per run.
//!
//! The schemas come from the binary (`aperture_events_codegen::embedded`) or
//! from a directory (`--schema-dir`). Either way they are put in an offline
//! `jsonschema` registry under their `$id`s, read in the chosen reading
//! (tolerant as written, strict with the `x-strict` overlays), and each event
//! type's schema is compiled to its own validator.
//!
//! # Design
//! Events are dispatched on `log_type` to their type's validator instead of
//! being checked against the `oneOf` union: a union failure says "none of five
//! matched", a per-type failure says which field is wrong, and one schema is
//! cheaper to check than five.

use std::path::{Path, PathBuf};

use aperture_events_codegen::embedded::SCHEMA_FILES;
use aperture_events_codegen::reading::{self, Reading};
use std::sync::Arc;

use jsonschema::json::Json;
use jsonschema::{Draft, Registry, ValidationOptions};
use serde_json::Value;

use crate::datetime::is_valid_date_time;
use crate::doc::Fast;
use crate::fields::FieldTable;

/// Why the schemas could not be loaded or compiled. Each names its file.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A schema directory or file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A schema file is not JSON.
    #[error("{file}: not JSON: {source}")]
    Json {
        file: String,
        source: serde_json::Error,
    },
    /// A schema file has no string `$id`.
    #[error("{file}: no `$id`")]
    NoId { file: String },
    /// The directory holds no event type schema.
    #[error("{dir}: no event type schema (a *.schema.json whose properties.log_type has a const)")]
    NoEventTypes { dir: String },
    /// The registry could not be built.
    #[error("schema registry: {0}")]
    Registry(String),
    /// A schema does not compile.
    #[error("{file}: does not compile: {message}")]
    Compile { file: String, message: String },
}

/// One schema file: its name, `$id` and contents.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The file name, for example `incident.schema.json`.
    pub name: String,
    /// The file's `$id`.
    pub id: String,
    /// The file's JSON, as written (the tolerant reading).
    pub value: Value,
}

/// A set of schema files that reference each other by `$id`.
#[derive(Debug, Clone)]
pub struct SchemaSet {
    files: Vec<SchemaFile>,
    origin: String,
}

impl SchemaSet {
    /// The schemas compiled into this program.
    pub fn embedded() -> Result<Self, SchemaError> {
        let files = SCHEMA_FILES
            .iter()
            .map(|f| SchemaSet::file(f.name.to_owned(), f.text.as_bytes()))
            .collect::<Result<_, _>>()?;
        Ok(SchemaSet {
            files,
            origin: "embedded schemas".to_owned(),
        })
    }

    /// The top-level `*.schema.json` files of `dir`, in name order.
    pub fn from_dir(dir: &Path) -> Result<Self, SchemaError> {
        let read_err = |source| SchemaError::Read {
            path: dir.to_owned(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.to_string_lossy().ends_with(".schema.json"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|source| SchemaError::Read {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push(SchemaSet::file(name, &bytes)?);
        }
        let set = SchemaSet {
            files,
            origin: dir.display().to_string(),
        };
        if set.event_types().is_empty() {
            return Err(SchemaError::NoEventTypes {
                dir: dir.display().to_string(),
            });
        }
        Ok(set)
    }

    fn file(name: String, bytes: &[u8]) -> Result<SchemaFile, SchemaError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|source| SchemaError::Json {
            file: name.clone(),
            source,
        })?;
        let id = value.get("$id").and_then(Value::as_str).map(str::to_owned);
        let id = id.ok_or_else(|| SchemaError::NoId { file: name.clone() })?;
        Ok(SchemaFile { name, id, value })
    }

    /// Where the schemas came from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The files, in load order.
    pub fn files(&self) -> &[SchemaFile] {
        &self.files
    }

    /// The event type schemas: `(log_type, file)` for every file whose
    /// `properties.log_type` is pinned by a `const` string.
    pub fn event_types(&self) -> Vec<(String, &SchemaFile)> {
        self.files
            .iter()
            .filter_map(|f| {
                let log_type = f.value.pointer("/properties/log_type/const")?.as_str()?;
                Some((log_type.to_owned(), f))
            })
            .collect()
    }

    /// Finds the file a `$ref` (relative to `base`'s `$id`) points into, and the pointer inside it.
    pub(crate) fn resolve<'a>(
        &'a self,
        base: &'a SchemaFile,
        reference: &str,
    ) -> Option<(&'a SchemaFile, &'a Value)> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if file.is_empty() {
            base
        } else {
            self.files
                .iter()
                .find(|f| f.id == file || f.id.ends_with(&format!("/{file}")))?
        };
        Some((target, target.value.pointer(fragment)?))
    }
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
        let tolerant = prepare(set, Reading::Tolerant)?;
        let strict = prepare(set, Reading::Strict)?;
        let chosen = match reading {
            Reading::Tolerant => &tolerant,
            Reading::Strict => &strict,
        };
        let mut types = Vec::new();
        for (log_type, file) in set.event_types() {
            let schema = reading::apply(reading, &file.value);
            let validator = build(chosen, &schema, &file.name)?;
            let fast = build(chosen, &schema, &file.name)?;
            let fields = FieldTable::new(set, file, &|field_ref: &Value, which: Reading| {
                let registry = match which {
                    Reading::Tolerant => &tolerant,
                    Reading::Strict => &strict,
                };
                build(registry, field_ref, &file.name)
            })?;
            types.push(CompiledType {
                log_type,
                file: file.name.clone(),
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
        .files
        .iter()
        .map(|f| (f.id.clone(), reading::apply(reading, &f.value)));
    Registry::new()
        .retriever(OfflineRetriever)
        .extend(resources)
        .and_then(|builder| builder.prepare())
        .map_err(|e| SchemaError::Registry(e.to_string()))
}

/// Compiles `schema` against `registry` for representation `F`: offline,
/// draft 2020-12, formats asserted with our `date-time`.
fn build<F: Json>(
    registry: &Registry<'_>,
    schema: &Value,
    file: &str,
) -> Result<jsonschema::Validator<F>, SchemaError> {
    ValidationOptions::<'_, Arc<dyn jsonschema::Retrieve>, F>::default()
        .with_draft(Draft::Draft202012)
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
