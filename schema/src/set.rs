//! A set of schema files that reference each other, resolved offline.
//!
//! Each file is indexed by its `$id`; a `$ref` is resolved against the `$id`
//! of the file holding it and must land in a loaded file. Nothing is ever
//! fetched: a reference to a schema that was not loaded is an error naming
//! its place.
//!
//! # Design
//! Files are kept sorted by name, so what is built from a set does not depend
//! on the order a directory listing or a caller happens to give them in.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Collector, Diagnostic, Error};
use crate::source::SchemaSource;
use crate::vocabulary::{Draft, View};

/// One parsed schema file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from: name, text and path.
    pub source: SchemaSource,
    /// The `$id` without fragment (or the file name when there is none): the
    /// base of its references.
    pub id: String,
    /// Whether the file declares an `$id` of its own.
    pub has_id: bool,
    /// The parsed JSON (the tolerant reading).
    pub value: Value,
    /// The file read into draft 2020-12 with the meaning its `$schema` (or the
    /// default draft) gives it: what the code generator lowers.
    pub view: View,
}

impl Document {
    /// The file name, for example `incident.schema.json`.
    pub fn name(&self) -> &str {
        &self.source.name
    }

    /// How messages name the file: its path as given, else its name.
    pub fn display(&self) -> String {
        self.source.display()
    }

    /// The file's draft (its root's `$schema`, else the default), and whether
    /// it declares it.
    pub fn draft(&self) -> (Draft, bool) {
        self.view.draft()
    }

    /// The `log_type` this file's events carry, when it is an event type
    /// schema (its `properties.log_type` is pinned by a `const` string).
    pub fn log_type(&self) -> Option<&str> {
        self.value.pointer("/properties/log_type/const")?.as_str()
    }
}

/// Every loaded schema file, sorted by name, indexed by `$id`.
#[derive(Debug, Clone)]
pub struct SchemaSet {
    documents: Vec<Document>,
    origin: String,
}

impl SchemaSet {
    /// The stock schemas compiled into this crate.
    pub fn embedded() -> Result<SchemaSet, Error> {
        SchemaSet::load(&SchemaSource::embedded()).map(|set| set.with_origin("embedded schemas"))
    }

    /// The top-level `*.schema.json` files of `dir`.
    pub fn from_dir(dir: &Path) -> Result<SchemaSet, Error> {
        SchemaSet::load(&SchemaSource::read_dir(dir)?)
            .map(|set| set.with_origin(dir.display().to_string()))
    }

    /// The stock schemas with `files` laid over them: a file replaces the
    /// stock file of the same name, or joins the set under a new name.
    pub fn stock_with(files: &[&Path]) -> Result<SchemaSet, Error> {
        let mut sources = SchemaSource::embedded();
        let mut errors = Collector::default();
        for file in files {
            match SchemaSource::read_file(file) {
                Ok(source) => sources.push(source),
                Err(e) => errors.extend(e),
            }
        }
        let sources = errors.finish(sources)?;
        SchemaSet::load(&sources)
    }

    /// Parses the sources. A later source with the same file name replaces an
    /// earlier one (a user's edited copy overriding a stock file). Every
    /// problem is reported at once. A file without `$schema` is draft 2020-12.
    pub fn load(sources: &[SchemaSource]) -> Result<SchemaSet, Error> {
        SchemaSet::load_with(sources, Draft::default())
    }

    /// [`SchemaSet::load`], with the draft of files that declare none.
    pub fn load_with(sources: &[SchemaSource], default_draft: Draft) -> Result<SchemaSet, Error> {
        let mut errors = Collector::default();
        let mut by_name: BTreeMap<&str, &SchemaSource> = BTreeMap::new();
        for source in sources {
            by_name.insert(&source.name, source);
        }
        let mut documents: Vec<Document> = Vec::new();
        for source in by_name.into_values() {
            let place = source.display();
            let value: Value = match serde_json::from_str(&source.text) {
                Ok(value) => value,
                Err(e) => {
                    errors.push(Diagnostic::file(
                        &place,
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
            if !value.is_object() {
                errors.push(Diagnostic::at(
                    &place,
                    "",
                    "a schema file must hold a json object",
                ));
                continue;
            }
            let (view, problems) = View::read(&value, default_draft);
            if !problems.is_empty() {
                for (pointer, message) in problems {
                    errors.push(Diagnostic::at(&place, &pointer, message));
                }
                continue;
            }
            let id_keyword = view.draft().0.id_keyword();
            let (id, has_id) = match view.value.get("$id") {
                None => (source.name.clone(), false),
                Some(Value::String(id)) => {
                    (id.split('#').next().unwrap_or_default().to_owned(), true)
                }
                Some(_) => {
                    errors.push(Diagnostic::at(
                        &place,
                        &format!("/{id_keyword}"),
                        format!("`{id_keyword}` must be a string"),
                    ));
                    continue;
                }
            };
            if let Some(other) = documents.iter().find(|d| d.id == id) {
                errors.push(Diagnostic::at(
                    &place,
                    "/$id",
                    format!("`$id` `{id}` is already the id of {}", other.display()),
                ));
                continue;
            }
            documents.push(Document {
                source: source.clone(),
                id,
                has_id,
                value,
                view,
            });
        }
        let origin = match sources {
            [] => String::new(),
            [one] => one.display(),
            _ => format!("{} schema files", documents.len()),
        };
        errors.finish(SchemaSet { documents, origin })
    }

    fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// Where the schemas came from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The loaded files, sorted by name.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// The file named `name`, if loaded.
    pub fn document(&self, name: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.name() == name)
    }

    /// The event type schemas, `(log_type, document index)`, in file name order.
    pub fn event_types(&self) -> Vec<(&str, usize)> {
        self.documents
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((d.log_type()?, i)))
            .collect()
    }

    /// Resolves `reference`, written in document `from`, to a document index
    /// and a JSON pointer inside it. The error is the message only; the caller
    /// knows the place.
    pub fn resolve(&self, from: usize, reference: &str) -> Result<(usize, String), String> {
        let base = self
            .documents
            .get(from)
            .map(|d| d.id.as_str())
            .unwrap_or_default();
        let (target, pointer) = crate::uri::split_reference(reference);
        let doc = if target.is_empty() {
            from
        } else {
            let absolute = crate::uri::join_uri(base, target);
            self.documents.iter().position(|d| d.id == absolute).ok_or_else(|| {
                format!("`$ref` `{reference}` names `{absolute}`, which is none of the loaded schemas (references are never fetched)")
            })?
        };
        let pointer = if pointer.is_empty() || pointer.starts_with('/') {
            pointer
        } else {
            let document = self.documents.get(doc);
            let found = document.map(|d| anchors(d, &pointer)).unwrap_or_default();
            match found.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(format!(
                        "`$ref` `{reference}` names an anchor no schema declares"
                    ));
                }
                [..] => {
                    return Err(format!(
                        "`$ref` `{reference}` names an anchor declared {} times: at {}",
                        found.len(),
                        found.join(", ")
                    ));
                }
            }
        };
        let found = self
            .documents
            .get(doc)
            .and_then(|d| d.value.pointer(&pointer));
        if found.is_none() {
            return Err(format!("`$ref` `{reference}` points at nothing"));
        }
        Ok((doc, pointer))
    }

    /// Resolves `reference`, written in document `from`, to a document index
    /// and a JSON pointer inside that document's [`View`]: where the code
    /// generator finds the schema. A place the view leaves out (a keyword
    /// the file's draft does not have) is an error naming the draft.
    pub fn resolve_view(&self, from: usize, reference: &str) -> Result<(usize, String), String> {
        let (doc, pointer) = self.resolve(from, reference)?;
        let Some(document) = self.documents.get(doc) else {
            return Err(format!("`$ref` `{reference}` points at nothing"));
        };
        let view_pointer = document.view.view_pointer(&pointer);
        if document.view.value.pointer(&view_pointer).is_none() {
            let (draft, _) = document.view.draft();
            return Err(format!(
                "`$ref` `{reference}` points into what {draft} does not read as a schema (an unknown keyword, or a keyword beside a `$ref`)"
            ));
        }
        Ok((doc, view_pointer))
    }

    /// Follows `reference` from document `from` to the schema it names.
    pub fn resolve_value(&self, from: usize, reference: &str) -> Option<(usize, &Value)> {
        let (doc, pointer) = self.resolve(from, reference).ok()?;
        Some((doc, self.documents.get(doc)?.value.pointer(&pointer)?))
    }
}

/// Where `document` declares the anchor `name` (JSON pointers): a
/// `$anchor` from draft 2019-09 on, an `$id` (draft-04: `id`) of `#name`
/// before, as `jsonschema` reads them. Values that are data (`enum`,
/// `const`, `default`, `examples`) are not searched.
fn anchors(document: &Document, name: &str) -> Vec<String> {
    fn walk(value: &Value, pointer: &str, name: &str, view: &View, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let (draft, _) = view.draft_at(&view.view_pointer(pointer));
                let declared = if draft >= Draft::Draft201909 {
                    map.get("$anchor").and_then(Value::as_str) == Some(name)
                } else {
                    let id = map.get(draft.id_keyword()).and_then(Value::as_str);
                    id.and_then(|id| id.strip_prefix('#')) == Some(name)
                };
                if declared {
                    out.push(pointer.to_owned());
                }
                for (key, child) in map {
                    if !matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                        let here = format!("{pointer}/{}", crate::vocabulary::escape_token(key));
                        walk(child, &here, name, view, out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{pointer}/{i}"), name, view, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&document.value, "", name, &document.view, &mut out);
    out
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
    fn embedded_schemas_load_and_cross_file_refs_resolve() {
        let set = SchemaSet::embedded().expect("load");
        let incident = set
            .documents()
            .iter()
            .position(|d| d.name() == "incident.schema.json")
            .expect("incident");
        let (doc, target) = set
            .resolve_value(incident, "common.schema.json#/$defs/severity")
            .expect("resolve");
        assert_eq!(set.documents()[doc].name(), "common.schema.json");
        assert_eq!(target["title"], "Severity");
        let types: Vec<&str> = set.event_types().iter().map(|(t, _)| *t).collect();
        assert_eq!(
            types,
            [
                "activity_monitoring",
                "admin_audit",
                "incident",
                "policy_violation",
                "remediation"
            ]
        );
    }

    #[test]
    fn missing_targets_are_errors_not_fetches() {
        let set = SchemaSet::load(&[SchemaSource::new(
            "a.schema.json",
            r#"{"$id": "https://x/a.schema.json"}"#,
        )])
        .expect("load");
        let err = set.resolve(0, "b.schema.json#/x").expect_err("unresolved");
        assert!(err.contains("https://x/b.schema.json"), "{err}");
        assert!(set.resolve(0, "#/nothing").is_err());
        assert!(set.resolve(0, "#anchor").is_err());
        assert!(set.resolve(0, "#/$defs/%aé").is_err());
    }

    #[test]
    fn anchors_resolve_in_the_draft_that_declares_them() {
        let set = SchemaSet::load(&[
            SchemaSource::new(
                "new.schema.json",
                r##"{"$defs": {"a": {"$anchor": "item", "type": "string"},
                    "b": {"$anchor": "twice"}, "c": {"$anchor": "twice"},
                    "d": {"enum": [{"$anchor": "data"}]}}}"##,
            ),
            SchemaSource::new(
                "old.schema.json",
                r##"{"$schema": "http://json-schema.org/draft-07/schema#",
                    "definitions": {"a": {"$id": "#item"}, "b": {"$anchor": "late"}}}"##,
            ),
        ])
        .expect("load");
        let doc = |name: &str| {
            let docs = set.documents();
            docs.iter().position(|d| d.name() == name).expect("loaded")
        };
        let (new, old) = (doc("new.schema.json"), doc("old.schema.json"));
        assert_eq!(set.resolve(new, "#item"), Ok((new, "/$defs/a".to_owned())));
        assert_eq!(
            set.resolve(new, "old.schema.json#item"),
            Ok((old, "/definitions/a".to_owned()))
        );
        let err = |from, reference| set.resolve(from, reference).expect_err("refused");
        assert!(err(new, "#twice").contains("declared 2 times: at /$defs/b, /$defs/c"));
        // Data is not searched, and draft-07 has no `$anchor`.
        assert!(err(new, "#data").contains("no schema declares"));
        assert!(err(old, "#late").contains("no schema declares"));
    }

    #[test]
    fn bad_json_names_file_and_line() {
        let err = SchemaSet::load(&[SchemaSource::new("bad.schema.json", "{\n  \"a\": ,\n}")])
            .expect_err("bad");
        let text = err.to_string();
        assert!(
            text.starts_with("bad.schema.json: not json (line 2"),
            "{text}"
        );
    }

    #[test]
    fn later_sources_with_the_same_name_replace_earlier_ones() {
        let set = SchemaSet::load(&[
            SchemaSource::new("a.schema.json", r#"{"title": "old"}"#),
            SchemaSource::new("a.schema.json", r#"{"title": "new"}"#),
        ])
        .expect("load");
        assert_eq!(set.documents().len(), 1);
        assert_eq!(set.documents()[0].value["title"], "new");
    }

    #[test]
    fn an_edited_file_lays_over_the_stock_set() {
        let dir = std::env::temp_dir().join(format!("aperture-schema-set-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let mut incident: Value = serde_json::from_str(
            crate::embedded::file("incident.schema.json")
                .expect("stock")
                .text,
        )
        .expect("json");
        incident["properties"]["ticket_id"] = serde_json::json!({"type": "string"});
        let path = dir.join("incident.schema.json");
        std::fs::write(&path, incident.to_string()).expect("write");
        let set = SchemaSet::stock_with(&[&path]);
        std::fs::remove_dir_all(&dir).expect("cleanup");
        let set = set.expect("stock + edit");
        assert_eq!(set.documents().len(), crate::embedded::SCHEMA_FILES.len());
        let edited = set.document("incident.schema.json").expect("incident");
        assert_eq!(edited.source.path.as_deref(), Some(path.as_path()));
        assert!(edited.value.pointer("/properties/ticket_id").is_some());
        // Its references into the stock common file still resolve.
        let index = set
            .documents()
            .iter()
            .position(|d| d.name() == "incident.schema.json")
            .expect("index");
        assert!(
            set.resolve(index, "common.schema.json#/$defs/timestamp")
                .is_ok()
        );
    }
}
