//! Stage one: read schema files and resolve `$ref`s between them, offline.
//!
//! Files come from a directory (only its top-level `*.schema.json` files), from
//! explicit paths, or from [`crate::embedded::SCHEMA_FILES`]. Each is indexed
//! by its `$id`; a `$ref` is resolved against the `$id` of the file holding it
//! and must land in a loaded file. Nothing is ever fetched: a reference to a
//! schema that was not loaded is an error naming its place.
//!
//! # Design
//! Files are kept sorted by name, so the generated code does not depend on
//! the order a directory listing or a caller happens to give them in.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::embedded::SCHEMA_FILES;
use crate::error::{Collector, Diagnostic, Result};

/// One schema file handed to the generator: its name and its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaSource {
    /// The file name used in messages and the generated header (for example
    /// `incident.schema.json`); also the base of its `$ref`s when it has no `$id`.
    pub name: String,
    /// The JSON text.
    pub text: String,
    /// Where it was read from, when it was read from disk.
    pub path: Option<PathBuf>,
}

impl SchemaSource {
    /// A schema given as text, with no file behind it.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SchemaSource {
            name: name.into(),
            text: text.into(),
            path: None,
        }
    }

    /// The repository's own schemas, compiled into this crate.
    pub fn embedded() -> Vec<SchemaSource> {
        SCHEMA_FILES
            .iter()
            .map(|f| SchemaSource::new(f.name, f.text))
            .collect()
    }

    /// Reads one schema file; it is named after its file name.
    pub fn read_file(path: &Path) -> Result<SchemaSource> {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::file(
                &path.display().to_string(),
                format!("cannot read schema file: {e}"),
            )
        })?;
        Ok(SchemaSource {
            name,
            text,
            path: Some(path.to_owned()),
        })
    }

    /// Reads every top-level `*.schema.json` file of `dir`, sorted by name.
    pub fn read_dir(dir: &Path) -> Result<Vec<SchemaSource>> {
        let place = dir.display().to_string();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::file(&place, format!("cannot read schema directory: {e}")))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                Diagnostic::file(&place, format!("cannot read schema directory: {e}"))
            })?;
            let path = entry.path();
            let is_schema = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".schema.json"));
            if is_schema && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(
                Diagnostic::file(&place, "no *.schema.json file in the schema directory").into(),
            );
        }
        let mut errors = Collector::default();
        let mut sources = Vec::new();
        for path in paths {
            match SchemaSource::read_file(&path) {
                Ok(source) => sources.push(source),
                Err(e) => e.diagnostics().iter().cloned().for_each(|d| errors.push(d)),
            }
        }
        errors.finish(sources)
    }
}

/// One parsed schema file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name.
    pub name: String,
    /// The `$id` (or the file name when there is none): the base of its references.
    pub id: String,
    /// The parsed JSON.
    pub root: Value,
    /// The key order of each of its objects, by pointer.
    pub order: crate::ordered::KeyOrder,
}

/// A place in the loaded schemas: which document, which JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index of the document in [`Schemas::documents`].
    pub doc: usize,
    /// JSON pointer inside it (`""` for the root).
    pub pointer: String,
}

/// Every loaded schema file, sorted by name, indexed by `$id`.
#[derive(Debug, Clone)]
pub struct Schemas {
    documents: Vec<Document>,
}

impl Schemas {
    /// Parses the sources. A later source with the same file name replaces an
    /// earlier one (a user's edited copy overriding a stock file).
    pub fn load(sources: &[SchemaSource]) -> Result<Schemas> {
        let mut errors = Collector::default();
        let mut by_name: std::collections::BTreeMap<&str, &SchemaSource> = Default::default();
        for source in sources {
            by_name.insert(&source.name, source);
        }
        let mut documents: Vec<Document> = Vec::new();
        for (name, source) in by_name {
            let (root, order) = match crate::ordered::parse(&source.text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    errors.push(Diagnostic::file(
                        name,
                        format!(
                            "not json (line {}, column {}): {}",
                            e.line(),
                            e.column(),
                            strip_position(&e)
                        ),
                    ));
                    continue;
                }
            };
            if !root.is_object() {
                errors.push(Diagnostic::at(
                    name,
                    "",
                    "a schema file must hold a json object",
                ));
                continue;
            }
            let id = match root.get("$id") {
                None => name.to_owned(),
                Some(Value::String(id)) => id.split('#').next().unwrap_or_default().to_owned(),
                Some(_) => {
                    errors.push(Diagnostic::at(name, "/$id", "`$id` must be a string"));
                    continue;
                }
            };
            if let Some(other) = documents.iter().find(|d| d.id == id) {
                errors.push(Diagnostic::at(
                    name,
                    "/$id",
                    format!("`$id` `{id}` is already the id of {}", other.name),
                ));
                continue;
            }
            documents.push(Document {
                name: name.to_owned(),
                id,
                root,
                order,
            });
        }
        errors.finish(Schemas { documents })
    }

    /// The loaded files, sorted by name.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// The schema object at `location`, if there is one.
    pub fn get(&self, location: &Location) -> Option<&Value> {
        self.documents
            .get(location.doc)?
            .root
            .pointer(&location.pointer)
    }

    /// The keys of the object at `location` + `/keyword`, in file order.
    pub fn keys(&self, location: &Location, keyword: &str) -> Vec<String> {
        let pointer = format!(
            "{}/{}",
            location.pointer,
            crate::ordered::escape_token(keyword)
        );
        self.documents
            .get(location.doc)
            .and_then(|d| d.order.get(&pointer))
            .cloned()
            .unwrap_or_default()
    }

    /// The file name of a location's document.
    pub fn file_name(&self, location: &Location) -> &str {
        self.documents
            .get(location.doc)
            .map_or("", |d| d.name.as_str())
    }

    /// Resolves `reference`, written in the document of `from`, to a location.
    /// The error is the message only; the caller knows the place.
    pub fn resolve(&self, from: &Location, reference: &str) -> Result<Location, String> {
        let base = self
            .documents
            .get(from.doc)
            .map(|d| d.id.as_str())
            .unwrap_or_default();
        let (target, fragment) = match reference.split_once('#') {
            Some((target, fragment)) => (target, fragment),
            None => (reference, ""),
        };
        let doc = if target.is_empty() {
            from.doc
        } else {
            let absolute = join_uri(base, target);
            self.documents.iter().position(|d| d.id == absolute).ok_or_else(|| {
                format!("`$ref` `{reference}` names `{absolute}`, which is none of the loaded schemas (references are never fetched)")
            })?
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(format!(
                "`$ref` `{reference}` uses an anchor; only json pointer fragments are supported"
            ));
        }
        let pointer = percent_decode(fragment);
        let location = Location { doc, pointer };
        if self.get(&location).is_none() {
            return Err(format!("`$ref` `{reference}` points at nothing"));
        }
        Ok(location)
    }
}

/// Resolves a relative reference against a base URI (RFC 3986, the subset
/// schema ids use: absolute URIs, absolute paths, relative paths with `..`).
fn join_uri(base: &str, reference: &str) -> String {
    if reference.contains("://") || base.is_empty() {
        return reference.to_owned();
    }
    let authority_end = match base.find("://") {
        Some(i) => base[i + 3..].find('/').map_or(base.len(), |j| i + 3 + j),
        None => 0,
    };
    if let Some(path) = reference.strip_prefix('/') {
        return format!("{}/{}", &base[..authority_end], path);
    }
    let directory_end = base
        .rfind('/')
        .filter(|&i| i >= authority_end)
        .unwrap_or(authority_end);
    let mut segments: Vec<&str> = base[authority_end..directory_end]
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut rest = reference;
    loop {
        if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix("../") {
            segments.pop();
            rest = r;
        } else {
            break;
        }
    }
    let mut out = base[..authority_end].to_owned();
    for segment in segments {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(segment);
    }
    if !out.is_empty() {
        out.push('/');
    }
    out.push_str(rest);
    out
}

/// Decodes `%XX` escapes in a URI fragment (JSON pointers in `$ref`s may use them).
fn percent_decode(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&fragment[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A serde_json message without its trailing ` at line N column M`.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_resolve_against_the_id() {
        let base = "https://schemas.aperture-events.dev/v1/incident.schema.json";
        assert_eq!(
            join_uri(base, "common.schema.json"),
            "https://schemas.aperture-events.dev/v1/common.schema.json"
        );
        assert_eq!(
            join_uri(base, "../v2/x.json"),
            "https://schemas.aperture-events.dev/v2/x.json"
        );
        assert_eq!(
            join_uri(base, "/x.json"),
            "https://schemas.aperture-events.dev/x.json"
        );
        assert_eq!(join_uri("a.schema.json", "b.schema.json"), "b.schema.json");
        assert_eq!(join_uri(base, "https://other/x"), "https://other/x");
    }

    #[test]
    fn pointer_escapes_are_decoded() {
        assert_eq!(percent_decode("/$defs/a%20b"), "/$defs/a b");
        assert_eq!(percent_decode("/x%"), "/x%");
    }

    #[test]
    fn embedded_schemas_load_and_cross_file_refs_resolve() {
        let schemas = Schemas::load(&SchemaSource::embedded()).expect("load");
        let incident = schemas
            .documents()
            .iter()
            .position(|d| d.name == "incident.schema.json")
            .expect("incident");
        let from = Location {
            doc: incident,
            pointer: "/properties/severity".into(),
        };
        let to = schemas
            .resolve(&from, "common.schema.json#/$defs/severity")
            .expect("resolve");
        assert_eq!(schemas.file_name(&to), "common.schema.json");
        assert_eq!(
            schemas.get(&to).and_then(|v| v["title"].as_str()),
            Some("Severity")
        );
    }

    #[test]
    fn missing_targets_are_errors_not_fetches() {
        let schemas = Schemas::load(&[SchemaSource::new(
            "a.schema.json",
            r#"{"$id": "https://x/a.schema.json"}"#,
        )])
        .expect("load");
        let from = Location {
            doc: 0,
            pointer: String::new(),
        };
        let err = schemas
            .resolve(&from, "b.schema.json#/x")
            .expect_err("unresolved");
        assert!(err.contains("https://x/b.schema.json"), "{err}");
        assert!(schemas.resolve(&from, "#/nothing").is_err());
        assert!(schemas.resolve(&from, "#anchor").is_err());
    }

    #[test]
    fn bad_json_names_file_and_line() {
        let err = Schemas::load(&[SchemaSource::new("bad.schema.json", "{\n  \"a\": ,\n}")])
            .expect_err("bad");
        let text = err.to_string();
        assert!(
            text.starts_with("bad.schema.json: not json (line 2"),
            "{text}"
        );
    }

    #[test]
    fn later_sources_with_the_same_name_replace_earlier_ones() {
        let schemas = Schemas::load(&[
            SchemaSource::new("a.schema.json", r#"{"title": "old"}"#),
            SchemaSource::new("a.schema.json", r#"{"title": "new"}"#),
        ])
        .expect("load");
        assert_eq!(schemas.documents().len(), 1);
        assert_eq!(schemas.documents()[0].root["title"], "new");
    }
}
