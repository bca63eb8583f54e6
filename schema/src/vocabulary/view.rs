//! Every draft read into one: a schema file as draft 2020-12 says it, with
//! the meaning its own `$schema` gives it.
//!
//! The generator's lowering knows one language. This module rewrites each
//! file into it once, walking only the places that hold schemas (the
//! registry's shapes), with the meaning `jsonschema` 0.61 gives each draft:
//!
//! - `$schema` is read on every schema object (a subschema may switch draft);
//!   an unknown one is an error listing the known ones;
//! - draft-04's `id` is `$id`; a keyword of another draft, or of none, is an
//!   annotation, listed once per file (`unknown`): one of another draft is
//!   left out, one of none is kept (beside a `$ref` too), as written but for
//!   the places a local `$ref` points at, read as schemas of the draft
//!   (`#/components/schemas/a`: `jsonschema` resolves any JSON pointer);
//! - before 2019-09, keywords beside a `$ref` are ignored (only annotations
//!   and definitions stay, for docs and for references to point into);
//! - array-form `items` is `prefixItems`, and `additionalItems` beside it is
//!   `items` (beside any other `items` it is ignored);
//! - `dependencies` is `dependentRequired` (an array) and
//!   `dependentSchemas` (a schema);
//! - draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` turn the
//!   `minimum`/`maximum` beside them exclusive;
//! - a format the draft does not define (`uuid` before 2019-09) is an
//!   annotation there; a format no draft defines (`int64`, `semver`) is left
//!   out and listed (`unknown_formats`), since `jsonschema` ignores it;
//! - a key one edit from one of the toolkit's `x-` keywords is an error
//!   naming it.
//!
//! # Design
//! Renamed keywords move what is under them: `/items/0` is `/prefixItems/0`
//! in the view. The view keeps each rename, so a place in the view is
//! reported at its place in the file ([`View::original_pointer`]), and a
//! `$ref` written against the file lands in the view ([`View::view_pointer`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::keywords::{self, Kind, Shape};
use super::{Draft, escape_token};

/// One file read into draft 2020-12.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The file as draft 2020-12 says it.
    pub value: Value,
    /// Renamed places: (place in the view, place in the file), in order.
    renames: Vec<(String, String)>,
    /// Where a draft starts (pointers in the view), and whether `$schema`
    /// declares it there.
    drafts: BTreeMap<String, (Draft, bool)>,
    /// Keywords read as annotations: (keyword, first place in the file, why).
    unknown: Vec<(String, String, String)>,
    /// Formats no draft defines, which `jsonschema` ignores: (format, first
    /// place in the file).
    unknown_formats: Vec<(String, String)>,
}

/// How many unknown keywords the warning names; the rest are counted.
const UNKNOWN_LISTED: usize = 20;

/// A problem found while reading: (place in the file, message).
pub type Problem = (String, String);

impl View {
    /// Reads `value` (a whole file), whose draft is `default` unless it
    /// declares one. Problems are errors; the view is still whole.
    pub fn read(value: &Value, default: Draft) -> (View, Vec<Problem>) {
        let mut targets = BTreeSet::new();
        local_targets(value, &mut targets);
        let mut reader = Reader {
            view: View::default(),
            problems: Vec::new(),
            targets,
        };
        let value = reader.schema(value, "", "", default, true);
        reader.view.value = value;
        (reader.view, reader.problems)
    }

    /// The draft in force at `pointer` (a place in the view), and whether a
    /// `$schema` declares it (else it is the default).
    pub fn draft_at(&self, pointer: &str) -> (Draft, bool) {
        self.drafts
            .iter()
            .rev()
            .find(|(start, _)| is_prefix(start, pointer))
            .map_or((Draft::default(), false), |(_, d)| *d)
    }

    /// The file's own draft (at its root).
    pub fn draft(&self) -> (Draft, bool) {
        self.draft_at("")
    }

    /// The place in the file of a place in the view.
    pub fn original_pointer(&self, pointer: &str) -> String {
        translate(pointer, self.renames.iter().map(|(v, o)| (v, o)))
    }

    /// The place in the view of a place in the file.
    pub fn view_pointer(&self, pointer: &str) -> String {
        translate(pointer, self.renames.iter().map(|(v, o)| (o, v)))
    }

    /// Keywords read as annotations: (keyword, first place in the file, why),
    /// each once, in the order first met.
    pub fn unknown_keywords(&self) -> &[(String, String, String)] {
        &self.unknown
    }

    /// Formats no draft defines, which `jsonschema` ignores and the view
    /// leaves out: (format, first place in the file), each once, in the order
    /// first met.
    pub fn unknown_formats(&self) -> &[(String, String)] {
        &self.unknown_formats
    }

    /// The one warning a file gets for its unknown formats, if it has any.
    pub fn unknown_formats_message(&self) -> Option<String> {
        listed(
            "formats no draft defines, which jsonschema ignores and so do the generated types",
            self.unknown_formats
                .iter()
                .map(|(format, place)| format!("`{format}` (first at {})", or_root(place))),
        )
    }

    /// The one warning a file gets for its unknown keywords, if it has any.
    pub fn unknown_keywords_message(&self) -> Option<String> {
        listed(
            "keywords read as annotations, which constrain nothing",
            self.unknown
                .iter()
                .map(|(key, place, why)| format!("`{key}` ({why}; first at {})", or_root(place))),
        )
    }
}

/// A place in a file, for a person.
fn or_root(place: &str) -> &str {
    if place.is_empty() { "the root" } else { place }
}

/// `what: a, b, ...`, naming [`UNKNOWN_LISTED`] and counting the rest;
/// `None` for no item.
fn listed(what: &str, items: impl ExactSizeIterator<Item = String>) -> Option<String> {
    let total = items.len();
    if total == 0 {
        return None;
    }
    let mut list: Vec<String> = items.take(UNKNOWN_LISTED).collect();
    if total > UNKNOWN_LISTED {
        list.push(format!("and {} more", total - UNKNOWN_LISTED));
    }
    Some(format!("{what}: {}", list.join(", ")))
}

/// What `value` should be, when it is not of `shape` (the simple shapes of
/// the toolkit's `x-` keywords; the others are checked where they are read).
fn shape_error(shape: Shape, value: &Value) -> Option<&'static str> {
    let ok = match shape {
        Shape::String => value.is_string(),
        Shape::Boolean => value.is_boolean(),
        Shape::StringArray => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
        _ => true,
    };
    (!ok).then_some(match shape {
        Shape::String => "a string",
        Shape::Boolean => "a boolean",
        _ => "an array of strings",
    })
}

/// Whether `prefix` is `pointer` or one of its ancestors.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// `pointer` with its longest renamed ancestor replaced.
fn translate<'a>(pointer: &str, pairs: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let best = pairs
        .filter(|(from, _)| is_prefix(from, pointer))
        .max_by_key(|(from, _)| from.len());
    match best {
        Some((from, to)) => format!("{to}{}", &pointer[from.len()..]),
        None => pointer.to_owned(),
    }
}

struct Reader {
    view: View,
    problems: Vec<Problem>,
    /// The places in the file (JSON pointers) a local `$ref` points at.
    targets: BTreeSet<String>,
}

/// Every place a `"$ref": "#..."` anywhere in `value` points at, as a JSON
/// pointer; a reference may point into a keyword no draft has, and
/// `jsonschema` reads what it finds there as a schema.
fn local_targets(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let (address, pointer) = crate::uri::split_reference(reference);
                if address.is_empty() && !pointer.is_empty() {
                    out.insert(pointer);
                }
            }
            map.values().for_each(|v| local_targets(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| local_targets(v, out)),
        _ => {}
    }
}

impl Reader {
    fn problem(&mut self, place: String, message: String) {
        self.problems.push((place, message));
    }

    fn unknown(&mut self, key: &str, place: &str, why: String) {
        if !self.view.unknown.iter().any(|(k, _, _)| k == key) {
            self.view
                .unknown
                .push((key.to_owned(), place.to_owned(), why));
        }
    }

    /// The schema at `original` (place in the file) / `view` (place in the view).
    fn schema(
        &mut self,
        value: &Value,
        original: &str,
        view: &str,
        inherited: Draft,
        root: bool,
    ) -> Value {
        let Value::Object(map) = value else {
            if root {
                self.view.drafts.insert(String::new(), (inherited, false));
            } else if value.is_boolean() && inherited == Draft::Draft4 {
                // The draft-04 meta-schema, which `jsonschema` checks, takes a
                // boolean only for `additionalProperties` and `additionalItems`
                // (read before coming here).
                let replacement = if value == &Value::Bool(true) {
                    "{}"
                } else {
                    "{\"not\": {}}"
                };
                self.problem(
                    original.to_owned(),
                    format!("a boolean schema is not valid in draft-04 (only `additionalProperties` and `additionalItems` take one): write `{replacement}`"),
                );
            }
            return value.clone();
        };
        let draft = match Draft::detect(value, inherited) {
            Ok(draft) => draft,
            Err(message) => {
                self.problem(format!("{original}/$schema"), message);
                inherited
            }
        };
        if root || draft != inherited {
            self.view
                .drafts
                .insert(view.to_owned(), (draft, map.contains_key("$schema")));
        }
        let ignore_siblings = !draft.ref_siblings_apply() && map.contains_key("$ref");
        let tuple = map.get("items").is_some_and(Value::is_array);
        let mut out = Map::new();
        for (key, value) in map {
            let here = format!("{original}/{}", escape_token(key));
            let Some(keyword) = keywords::keyword(draft, key) else {
                if let Some(intended) = keywords::misspelt_extension(key) {
                    self.problem(
                        here,
                        format!("unknown keyword `{key}`: did you mean `{intended}`?"),
                    );
                } else if keywords::in_any_draft(key).is_some() {
                    let drafts: Vec<&str> =
                        keywords::drafts_of(key).iter().map(|d| d.name()).collect();
                    let why = format!("not a {draft} keyword: one of {}", drafts.join(", "));
                    self.unknown(key, &here, why);
                } else {
                    // Kept, for `$ref`s that point into it (`jsonschema`
                    // resolves them, beside a `$ref` too, and reads what
                    // they point at as a schema of this draft); it
                    // constrains nothing itself.
                    self.unknown(key, &here, format!("not a keyword of {draft}"));
                    let to = format!("{view}/{}", escape_token(key));
                    let kept = self.kept(value, &here, &to, draft);
                    out.insert(key.clone(), kept);
                }
                continue;
            };
            // The generator checks its own `x-rust-*` names, beside its
            // other naming errors, so that one run reports them all.
            if keyword.kind == Kind::Extension && !key.starts_with("x-rust-") {
                if let Some(shape) = shape_error(keyword.shape, value) {
                    self.problem(here.clone(), format!("`{key}` must be {shape}"));
                }
            }
            let kept_beside_ref = key == "$ref"
                || (root && key == "$schema")
                || matches!(
                    keyword.kind,
                    Kind::Annotation
                        | Kind::Definitions
                        | Kind::Extension
                        | Kind::Instance { asserts: false }
                );
            if ignore_siblings && !kept_beside_ref {
                continue;
            }
            let child = |name: &str| format!("{view}/{}", escape_token(name));
            match (key.as_str(), value) {
                ("$schema", _) if !root => {}
                ("id", _) => {
                    self.rename(&child("$id"), &here);
                    out.insert("$id".to_owned(), value.clone());
                }
                ("items", Value::Array(items)) => {
                    if map.contains_key("prefixItems") && draft >= Draft::Draft202012 {
                        self.problem(
                            here,
                            "array-form `items` beside `prefixItems`: use `prefixItems` alone"
                                .to_owned(),
                        );
                        continue;
                    }
                    let to = child("prefixItems");
                    self.rename(&to, &here);
                    let items = self.array(items, &here, &to, draft);
                    out.insert("prefixItems".to_owned(), items);
                }
                ("additionalItems", _) => {
                    // Beside an `items` that is not an array, `jsonschema`
                    // ignores it: there is no tail.
                    if tuple {
                        let to = child("items");
                        self.rename(&to, &here);
                        let rest = if value.is_boolean() {
                            value.clone()
                        } else {
                            self.schema(value, &here, &to, draft, false)
                        };
                        out.insert("items".to_owned(), rest);
                    }
                }
                ("dependencies", _) => self.dependencies(map, value, &here, view, draft, &mut out),
                // Draft-04 reads only `true` here, and only beside its bound.
                ("exclusiveMinimum" | "exclusiveMaximum", _) if draft == Draft::Draft4 => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    if let (Value::Bool(true), Some(limit)) = (value, map.get(bound)) {
                        out.insert(key.clone(), limit.clone());
                    } else if !value.is_boolean() {
                        // As the draft-04 meta-schema says, which `jsonschema` checks.
                        self.problem(
                            here,
                            format!("`{key}` is a boolean in draft-04: write `\"{bound}\": n, \"{key}\": true` (or declare draft-06 or later for a number)"),
                        );
                    }
                }
                ("minimum" | "maximum", _)
                    if draft == Draft::Draft4
                        && map.get(&format!("exclusiveM{}", &key[1..]))
                            == Some(&Value::Bool(true)) => {}
                ("additionalProperties", Value::Bool(_)) => {
                    out.insert(key.clone(), value.clone());
                }
                ("format", Value::String(format)) if !super::format_known(format) => {
                    if !self.view.unknown_formats.iter().any(|(f, _)| f == format) {
                        self.view
                            .unknown_formats
                            .push((format.clone(), here.clone()));
                    }
                }
                ("format", Value::String(format)) if !super::format_in_draft(format, draft) => {
                    self.unknown(
                        &format!("format: {format}"),
                        &here,
                        format!("not a format of {draft}"),
                    );
                }
                _ => {
                    let value = self.shaped(keyword.shape, value, &here, &child(key), draft);
                    out.insert(key.clone(), value);
                }
            }
        }
        Value::Object(out)
    }

    /// A value kept as written, but for the places a local `$ref` points at
    /// inside it, each read as a schema of `draft`.
    fn kept(&mut self, value: &Value, original: &str, view: &str, draft: Draft) -> Value {
        if self.targets.contains(original) {
            return self.schema(value, original, view, draft, false);
        }
        let below = format!("{original}/");
        let target_below = self
            .targets
            .range(below.clone()..)
            .next()
            .is_some_and(|t| t.starts_with(&below));
        if !target_below {
            return value.clone();
        }
        let child = |this: &mut Self, token: &str, v: &Value| {
            let token = escape_token(token);
            this.kept(
                v,
                &format!("{original}/{token}"),
                &format!("{view}/{token}"),
                draft,
            )
        };
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, v) in map {
                    let read = child(self, key, v);
                    out.insert(key.clone(), read);
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                let read = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| child(self, &i.to_string(), v));
                Value::Array(read.collect())
            }
            _ => value.clone(),
        }
    }

    fn rename(&mut self, view: &str, original: &str) {
        if view != original {
            self.view
                .renames
                .push((view.to_owned(), original.to_owned()));
        }
    }

    /// A keyword's value, its subschemas read.
    fn shaped(
        &mut self,
        shape: Shape,
        value: &Value,
        original: &str,
        view: &str,
        draft: Draft,
    ) -> Value {
        match (shape, value) {
            (Shape::Schema | Shape::SchemaOrArray, _) => {
                self.schema(value, original, view, draft, false)
            }
            (Shape::SchemaArray, Value::Array(items)) => self.array(items, original, view, draft),
            (Shape::SchemaMap, Value::Object(entries)) => {
                let mut out = Map::new();
                for (name, schema) in entries {
                    let token = escape_token(name);
                    let read = self.schema(
                        schema,
                        &format!("{original}/{token}"),
                        &format!("{view}/{token}"),
                        draft,
                        false,
                    );
                    out.insert(name.clone(), read);
                }
                Value::Object(out)
            }
            _ => value.clone(),
        }
    }

    fn array(&mut self, items: &[Value], original: &str, view: &str, draft: Draft) -> Value {
        Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    self.schema(
                        item,
                        &format!("{original}/{i}"),
                        &format!("{view}/{i}"),
                        draft,
                        false,
                    )
                })
                .collect(),
        )
    }

    /// `dependencies`: arrays to `dependentRequired`, schemas to `dependentSchemas`.
    fn dependencies(
        &mut self,
        map: &Map<String, Value>,
        value: &Value,
        original: &str,
        view: &str,
        draft: Draft,
        out: &mut Map<String, Value>,
    ) {
        let Value::Object(entries) = value else {
            self.problem(
                original.to_owned(),
                "`dependencies` must be an object".to_owned(),
            );
            return;
        };
        for target in ["dependentRequired", "dependentSchemas"] {
            self.rename(&format!("{view}/{target}"), original);
        }
        for (name, dependency) in entries {
            let target = if dependency.is_array() {
                "dependentRequired"
            } else {
                "dependentSchemas"
            };
            if map.contains_key(target) && keywords::keyword(draft, target).is_some() {
                self.problem(
                    original.to_owned(),
                    format!("`dependencies` beside `{target}`: use `{target}` alone"),
                );
                return;
            }
            let token = escape_token(name);
            let from = format!("{original}/{token}");
            let to = format!("{view}/{target}/{token}");
            self.rename(&to, &from);
            let read = if dependency.is_array() {
                dependency.clone()
            } else {
                self.schema(dependency, &from, &to, draft, false)
            };
            let slot = out
                .entry(target.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(slot) = slot {
                slot.insert(name.clone(), read);
            }
        }
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
