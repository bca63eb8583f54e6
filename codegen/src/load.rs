//! Stage one: the schema set, with the key order of every object.
//!
//! Reading files and resolving `$ref`s offline is the schema crate's job
//! ([`aperture_events_schema::SchemaSet`]); this stage adds what only the
//! generator needs: the order of the keys in each object (so generated
//! structs keep the schema's property order) and places as [`Location`]s.

use serde_json::Value;

use aperture_events_schema::{Collector, Diagnostic, Draft, SchemaSet};

pub use aperture_events_schema::SchemaSource;

use crate::error::Result;
use crate::ordered::KeyOrder;

/// A place in the loaded schemas: which document, which JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index of the document in the loaded set's documents.
    pub doc: usize,
    /// JSON pointer inside it (`""` for the root).
    pub pointer: String,
}

/// Every loaded schema file, sorted by name, with the key orders.
#[derive(Debug, Clone)]
pub struct Schemas {
    set: SchemaSet,
    orders: Vec<KeyOrder>,
    /// How messages name each document: its path as given, else its name.
    places: Vec<String>,
    /// Each document's view, with each `$recursiveRef` that is exactly a
    /// `$ref` written as one (see [`recursive_refs_as_refs`]).
    views: Vec<Value>,
}

impl Schemas {
    /// Parses the sources. A later source with the same file name replaces an
    /// earlier one (a user's edited copy overriding a stock file).
    #[cfg(test)]
    pub fn load(sources: &[SchemaSource]) -> Result<Schemas> {
        Schemas::load_with(sources, Draft::default())
    }

    /// [`Schemas::load`], with the draft of files that declare no `$schema`.
    pub fn load_with(sources: &[SchemaSource], default_draft: Draft) -> Result<Schemas> {
        let set = SchemaSet::load_with(sources, default_draft)?;
        let mut errors = Collector::default();
        let mut orders = Vec::new();
        for document in set.documents() {
            // The text parsed once already; a second pass records key orders
            // and refuses duplicate keys, which serde_json lets through.
            match crate::ordered::parse(&document.source.text) {
                Ok((_, order)) => orders.push(order),
                Err(e) => {
                    errors.push(Diagnostic::file(
                        &document.display(),
                        format!("not json (line {}, column {}): {e}", e.line(), e.column()),
                    ));
                    orders.push(KeyOrder::new());
                }
            }
        }
        let places = set.documents().iter().map(|d| d.display()).collect();
        let views = recursive_refs_as_refs(set.documents().iter().map(|d| &d.view.value));
        errors.finish(Schemas {
            set,
            orders,
            places,
            views,
        })
    }

    /// The number of loaded files.
    pub fn len(&self) -> usize {
        self.set.documents().len()
    }

    /// The root of document `doc`, read into draft 2020-12 (its
    /// [`aperture_events_schema::View`]): what the lowering reads.
    pub fn root(&self, doc: usize) -> Option<&Value> {
        self.views.get(doc)
    }

    /// The draft in force at `location`, and whether a `$schema` declares it.
    pub fn draft(&self, location: &Location) -> (Draft, bool) {
        self.set
            .documents()
            .get(location.doc)
            .map_or((Draft::default(), false), |d| {
                d.view.draft_at(&location.pointer)
            })
    }

    /// How a refusal names the draft at `location`: `draft-07`, or
    /// `draft 2020-12 (no $schema)`.
    pub fn draft_name(&self, location: &Location) -> String {
        match self.draft(location) {
            (draft, true) => draft.name().to_owned(),
            (draft, false) => format!("{draft} (no `$schema`)"),
        }
    }

    /// The place in the file of `pointer`, a place in document `doc`'s view.
    pub fn original_pointer(&self, doc: usize, pointer: &str) -> String {
        self.set
            .documents()
            .get(doc)
            .map_or_else(|| pointer.to_owned(), |d| d.view.original_pointer(pointer))
    }

    /// Each file's keywords read as annotations, as one message per file:
    /// (how messages name the file, message).
    pub fn unknown_keywords(&self) -> Vec<(String, String)> {
        self.set
            .documents()
            .iter()
            .filter_map(|d| Some((d.display(), d.view.unknown_keywords_message()?)))
            .collect()
    }

    /// Per file, the one warning for formats no draft defines, if any.
    pub fn unknown_formats(&self) -> Vec<(String, String)> {
        self.set
            .documents()
            .iter()
            .filter_map(|d| Some((d.display(), d.view.unknown_formats_message()?)))
            .collect()
    }

    /// The file names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.set
            .documents()
            .iter()
            .map(|d| d.name().to_owned())
            .collect()
    }

    /// The schema object at `location`, if there is one.
    pub fn get(&self, location: &Location) -> Option<&Value> {
        self.root(location.doc)?.pointer(&location.pointer)
    }

    /// The keys of the object at `location` + `/keyword`, in file order.
    pub fn keys(&self, location: &Location, keyword: &str) -> Vec<String> {
        let pointer = self.original_pointer(
            location.doc,
            &format!(
                "{}/{}",
                location.pointer,
                crate::ordered::escape_token(keyword)
            ),
        );
        self.orders
            .get(location.doc)
            .and_then(|order| order.get(&pointer))
            .cloned()
            .unwrap_or_default()
    }

    /// The file name of a location's document (for generated docs and names:
    /// never a path, so the output does not depend on where the files are).
    pub fn file_name(&self, location: &Location) -> &str {
        self.set
            .documents()
            .get(location.doc)
            .map_or("", |d| d.name())
    }

    /// How messages name a location's document: the path it was read from,
    /// else its file name.
    pub fn display(&self, location: &Location) -> &str {
        self.places.get(location.doc).map_or("", String::as_str)
    }

    /// Resolves `reference`, written in the document of `from`, to a location.
    /// The error is the message only; the caller knows the place.
    pub fn resolve(&self, from: &Location, reference: &str) -> Result<Location, String> {
        let (doc, pointer) = self.set.resolve_view(from.doc, reference)?;
        Ok(Location { doc, pointer })
    }
}

/// The views, where each draft 2019-09 `$recursiveRef: "#"` (with no `$ref`
/// beside it) is `$ref: "#"` when no other file has a `$recursiveAnchor`.
/// `jsonschema` 0.61 resolves `$recursiveRef` to its resource's root, then
/// moves outwards through the dynamic scope only across resources with
/// `$recursiveAnchor: true` (`referencing`'s `lookup_recursive_ref`); with no
/// other resource holding one (an `$id` below a file's root is refused), that
/// is the file's root: exactly `$ref: "#"`. Any other `$recursiveRef` stays,
/// and the lowering refuses it.
fn recursive_refs_as_refs<'a>(views: impl Iterator<Item = &'a Value>) -> Vec<Value> {
    fn has_key(value: &Value, key: &str) -> bool {
        match value {
            Value::Object(map) => map.contains_key(key) || map.values().any(|v| has_key(v, key)),
            Value::Array(items) => items.iter().any(|v| has_key(v, key)),
            _ => false,
        }
    }
    fn rewrite(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("$recursiveRef").and_then(Value::as_str) == Some("#")
                    && !map.contains_key("$ref")
                {
                    map.remove("$recursiveRef");
                    map.insert("$ref".to_owned(), Value::from("#"));
                }
                for (key, child) in map.iter_mut() {
                    if !aperture_events_schema::vocabulary::keywords::holds_data(key) {
                        rewrite(child);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(rewrite),
            _ => {}
        }
    }
    let views: Vec<Value> = views.cloned().collect();
    let anchored: Vec<bool> = views
        .iter()
        .map(|v| has_key(v, "$recursiveAnchor"))
        .collect();
    views
        .into_iter()
        .enumerate()
        .map(|(doc, mut view)| {
            let elsewhere = anchored.iter().enumerate().any(|(d, a)| *a && d != doc);
            if !elsewhere {
                rewrite(&mut view);
            }
            view
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schemas_load_with_key_order() {
        let schemas = Schemas::load(&SchemaSource::embedded()).expect("load");
        let incident = schemas
            .names()
            .iter()
            .position(|n| n == "incident.schema.json")
            .expect("incident");
        let root = Location {
            doc: incident,
            pointer: String::new(),
        };
        let keys = schemas.keys(&root, "properties");
        assert_eq!(
            keys.first().map(String::as_str),
            Some("log_type"),
            "{keys:?}"
        );
        let to = schemas
            .resolve(&root, "common.schema.json#/$defs/severity")
            .expect("resolve");
        assert_eq!(schemas.file_name(&to), "common.schema.json");
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_file() {
        let err = Schemas::load(&[SchemaSource::new(
            "dup.schema.json",
            r#"{"title": "a", "title": "b"}"#,
        )])
        .expect_err("duplicate");
        assert!(
            err.to_string().starts_with("dup.schema.json: not json"),
            "{err}"
        );
    }

    #[test]
    fn a_recursive_ref_is_a_ref_only_where_no_other_file_can_redirect_it() {
        let draft = r#""$schema": "https://json-schema.org/draft/2019-09/schema""#;
        let tree = format!(
            r##"{{{draft}, "$recursiveAnchor": true, "properties": {{"a": {{"$recursiveRef": "#"}}, "b": {{"const": {{"$recursiveRef": "#"}}}}}}}}"##
        );
        let at = |doc, pointer: &str| Location {
            doc,
            pointer: pointer.to_owned(),
        };
        let alone =
            Schemas::load(&[SchemaSource::new("t.schema.json", tree.clone())]).expect("load");
        assert_eq!(
            alone.get(&at(0, "/properties/a")),
            Some(&serde_json::json!({"$ref": "#"}))
        );
        // Data stays as written.
        assert_eq!(
            alone.get(&at(0, "/properties/b/const")),
            Some(&serde_json::json!({"$recursiveRef": "#"}))
        );
        // Another file with a `$recursiveAnchor` could be the dynamic target.
        let other = format!(r#"{{{draft}, "$recursiveAnchor": true, "$ref": "t.schema.json"}}"#);
        let both = Schemas::load(&[
            SchemaSource::new("t.schema.json", tree),
            SchemaSource::new("u.schema.json", other),
        ])
        .expect("load");
        let t = both
            .names()
            .iter()
            .position(|n| n == "t.schema.json")
            .expect("t");
        assert_eq!(
            both.get(&at(t, "/properties/a")),
            Some(&serde_json::json!({"$recursiveRef": "#"}))
        );
    }
}
