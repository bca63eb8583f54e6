//! Names chosen in the schema (`x-rust-name`, `x-rust-field-names`,
//! `x-rust-variant-names`) and warnings for names the generator had to mangle.
//!
//! `names` decides every name and records each [`Rename`]; this module reads
//! the chosen names from the schemas and turns each rename into a warning at
//! the file and JSON pointer of the schema text that was renamed, so no
//! collision is settled silently.

use std::collections::BTreeMap;

use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::Value;

use super::Lowerer;
use crate::error::Diagnostic;
use crate::load::{Location, Schemas};
use crate::names::{FieldNames, variant_names, variants};

/// The keyword choosing a type's name.
const TYPE_NAME: &str = aperture_events_schema::vocabulary::keywords::RUST_NAME;
/// The keyword choosing an object's field names (property → field).
const FIELD_NAMES: &str = aperture_events_schema::vocabulary::keywords::RUST_FIELD_NAMES;
/// The keyword choosing an enumeration's variant names (value → variant).
const VARIANT_NAMES: &str = aperture_events_schema::vocabulary::keywords::RUST_VARIANT_NAMES;

/// Every `x-rust-name` string in the schemas, so that no generated name takes
/// one before the schema choosing it is reached.
pub(super) fn chosen_type_names(schemas: &Schemas) -> Vec<String> {
    fn find(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map.get(TYPE_NAME).and_then(Value::as_str) {
                    out.push(name.to_owned());
                }
                for (key, value) in map {
                    if !["examples", "const", "enum", "default"].contains(&key.as_str()) {
                        find(value, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| find(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for doc in 0..schemas.len() {
        if let Some(root) = schemas.root(doc) {
            find(root, &mut out);
        }
    }
    out
}

impl Lowerer<'_> {
    /// Records a warning at `location` (or `location/child`).
    pub(super) fn warn(&mut self, location: &Location, child: Option<&str>, message: String) {
        let file = self.schemas.display(location).to_owned();
        let pointer = match child {
            Some(child) => format!("{}/{child}", location.pointer),
            None => location.pointer.clone(),
        };
        self.warnings.push(Diagnostic::at(&file, &pointer, message));
    }

    /// The type name of the schema at `location`: its `x-rust-name`, or the
    /// first candidate that converts to a name (see `TypeNames::claim_at`),
    /// with a warning when that name had to be changed.
    pub(super) fn type_name(
        &mut self,
        location: &Location,
        candidates: &[&str],
        scope: &str,
    ) -> String {
        let place = self.place(location);
        let keywords = self.keywords(location).unwrap_or_default();
        // The configured union name wins over the schema's.
        let configured = self.options.union_name.is_some()
            && location.pointer.is_empty()
            && keywords.one_of.is_present();
        match keywords.rust_name {
            Read::Value(chosen) if !configured => match self.names.choose(chosen, &place) {
                Ok(name) => return name,
                Err(why) => self.error(location, Some(TYPE_NAME), why),
            },
            Read::Value(_) | Read::Absent => {}
            Read::Misshapen(_) => {
                self.error(location, Some(TYPE_NAME), "`x-rust-name` must be a string")
            }
        }
        let name = self.names.claim_at(candidates, scope, &place);
        for rename in self.names.take_renames() {
            self.warn(location, None, rename.message());
        }
        name
    }

    /// The field name allocator of the object schema at `location`, holding
    /// its `x-rust-field-names`, for the struct's `properties` (name and
    /// place; from every part of a merged `allOf`). When the chosen names are
    /// wrong, each problem is an error and the walk goes on without them, to
    /// find the other problems.
    pub(super) fn field_names(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        properties: &[(String, Location)],
    ) -> FieldNames {
        let chosen = self.chosen_names(location, &keywords.rust_field_names, FIELD_NAMES);
        for key in chosen.keys() {
            if !properties.iter().any(|(k, _)| k == key) {
                self.error(
                    location,
                    Some(FIELD_NAMES),
                    format!("{key:?} is not a property of this object"),
                );
            }
        }
        FieldNames::with_chosen(&chosen).unwrap_or_else(|problems| {
            for problem in problems {
                self.error(location, Some(FIELD_NAMES), problem);
            }
            FieldNames::default()
        })
    }

    /// Warns of every field (or constant) whose name was changed, at the
    /// place of its property in `properties`.
    pub(super) fn warn_field_renames(
        &mut self,
        properties: &[(String, Location)],
        names: &mut FieldNames,
    ) {
        for rename in names.take_renames() {
            if let Some((_, place)) = properties.iter().find(|(k, _)| *k == rename.text) {
                self.warn(place, None, rename.message());
            }
        }
    }

    /// The variant names of the enumeration at `location` whose values (from
    /// `keyword`) are `values`, honouring its `x-rust-variant-names` and
    /// warning of every name that had to be changed.
    pub(super) fn variant_names(
        &mut self,
        location: &Location,
        keyword: &str,
        values: &[&str],
        reserved: &[&str],
    ) -> Vec<String> {
        let chosen = match self.keywords(location) {
            Some(keywords) => {
                self.chosen_names(location, &keywords.rust_variant_names, VARIANT_NAMES)
            }
            None => BTreeMap::new(),
        };
        match variants(values, reserved, &chosen) {
            Ok((names, renames)) => {
                for rename in renames {
                    self.warn(location, Some(keyword), rename.message());
                }
                names
            }
            Err(problems) => {
                for problem in problems {
                    self.error(location, Some(VARIANT_NAMES), problem);
                }
                // Generation fails; the names only let the walk go on.
                variant_names(values, reserved)
            }
        }
    }

    /// A `keyword` holding an object of strings (JSON text → Rust name);
    /// empty, with an error, when it is something else.
    fn chosen_names(
        &mut self,
        location: &Location,
        read: &Read<'_, Vec<(&str, &str)>>,
        keyword: &str,
    ) -> BTreeMap<String, String> {
        match read {
            Read::Absent => BTreeMap::new(),
            Read::Value(pairs) => pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            Read::Misshapen(_) => {
                self.error(
                    location,
                    Some(keyword),
                    format!("`{keyword}` must be an object of strings"),
                );
                BTreeMap::new()
            }
        }
    }
}
