//! Shared helpers for the cross-crate tests: where the fixtures are, what their
//! index files say, and the schemas compiled the way any standard JSON Schema
//! tool would compile them (offline, formats asserted).
//!
//! # Design
//! These helpers use the `jsonschema` crate directly rather than the validator
//! library, so the schema tests check the schemas themselves, as other
//! languages' tools will see them, independently of our own validator.

pub mod differential;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aperture_events_schema::embedded::{EVENT_TYPES, SCHEMA_FILES, UNION_FILE};
use aperture_events_schema::reading::{self, Reading};
use serde::Deserialize;
use serde_json::Value;

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `tests/fixtures/<kind>`.
pub fn fixtures(kind: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(kind)
}

/// What `valid/index.json` says of one valid fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct ValidEntry {
    /// Whether the strict reading accepts it too.
    pub strict: bool,
    /// Every place at which the strict reading rejects it.
    #[serde(default)]
    pub pointers: Vec<String>,
}

/// What `invalid/index.json` says of one invalid fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct InvalidEntry {
    /// The JSON pointer at which it must fail.
    pub pointer: String,
    /// Why it is invalid, in words.
    pub why: String,
}

/// What `malformed/index.json` says of one malformed fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct MalformedEntry {
    /// The line at which a JSON parser must report the error.
    pub line: usize,
    /// What is wrong with it.
    pub why: String,
}

/// Reads `tests/fixtures/<kind>/index.json`.
pub fn index<T: for<'de> Deserialize<'de>>(kind: &str) -> BTreeMap<String, T> {
    let path = fixtures(kind).join("index.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads one fixture file as JSON.
pub fn read_json(kind: &str, name: &str) -> Value {
    let path = fixtures(kind).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `*.json` fixture of a kind except the index, sorted, with its contents.
pub fn all_json(kind: &str) -> Vec<(String, Value)> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures(kind))
        .expect("fixture directory")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json") && name != "index.json")
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let value = read_json(kind, &name);
            (name, value)
        })
        .collect()
}

/// The embedded schema files parsed, by file name, in one reading.
pub fn schema_values(reading: Reading) -> BTreeMap<&'static str, Value> {
    SCHEMA_FILES
        .iter()
        .map(|file| {
            let value: Value = serde_json::from_str(file.text).expect("schema is JSON");
            (file.name, reading::apply(reading, &value))
        })
        .collect()
}

/// The schemas of one reading compiled with `jsonschema`: one validator per
/// event type and one for the union, offline, formats asserted.
#[derive(Debug)]
pub struct Compiled {
    by_type: BTreeMap<&'static str, jsonschema::Validator>,
    union: jsonschema::Validator,
}

impl Compiled {
    /// Compiles every schema file of `reading`.
    pub fn new(reading: Reading) -> Self {
        let values = schema_values(reading);
        let registry = jsonschema::Registry::new()
            .extend(
                values
                    .values()
                    .map(|v| (v["$id"].as_str().expect("$id").to_owned(), v.clone())),
            )
            .expect("schema ids are URIs")
            .prepare()
            .expect("registry prepares offline");
        let compile = |value: &Value| {
            jsonschema::options()
                .with_registry(&registry)
                .should_validate_formats(true)
                .offline()
                .build(value)
                .unwrap_or_else(|e| panic!("{}: {e}", value["$id"]))
        };
        let by_type = EVENT_TYPES
            .iter()
            .map(|(log_type, file)| (*log_type, compile(&values[file])))
            .collect();
        let union = compile(&values[UNION_FILE]);
        Compiled { by_type, union }
    }

    /// The validator of one event type.
    pub fn event_type(&self, log_type: &str) -> Option<&jsonschema::Validator> {
        self.by_type.get(log_type)
    }

    /// The validator of the union.
    pub fn union(&self) -> &jsonschema::Validator {
        &self.union
    }

    /// The JSON pointers of every error of `event` against its own type's
    /// schema (chosen by `log_type`), or against the union when its
    /// `log_type` names no known type.
    pub fn error_pointers(&self, event: &Value) -> Vec<String> {
        let validator = event
            .get("log_type")
            .and_then(Value::as_str)
            .and_then(|t| self.event_type(t))
            .unwrap_or(&self.union);
        validator
            .iter_errors(event)
            .map(|e| e.instance_path().as_str().to_owned())
            .collect()
    }
}

/// The repository's README, whose Rust examples run as this crate's doctests
/// (`cargo test -p aperture-events-tests --doc`): the "Using the types" program
/// asserts what it finds.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The `aperture-events` crate's README (its crates.io page), doctested the same way.
#[cfg(doctest)]
#[doc = include_str!("../../generated/README.md")]
pub struct GeneratedReadmeDoctests;
