//! Object schemas become structs (a root `oneOf` of them told apart by a
//! constant property becomes a union: `unions`).

use aperture_events_schema::vocabulary::Keywords;
use serde_json::{Map, Value};

use super::{Hint, Lowerer};
use crate::ir::{Accept, Check, ConstField, Field, Item, Struct, TypeRef, Unknown};
use crate::load::Location;
use crate::names;
use crate::ordered::escape_token;

/// A property of a struct: its name, where its schema is, and the schema.
type Property<'s> = (String, Location, Option<&'s Map<String, Value>>);

impl<'a> Lowerer<'a> {
    /// A struct for the object schema at `location`.
    pub(super) fn lower_struct(
        &mut self,
        location: &Location,
        keywords: &Keywords<'a>,
        name: &str,
    ) -> Option<Item> {
        // An `allOf` of object schemas is merged: its parts' properties are the struct's.
        let merged = self.merged_parts(location, keywords);
        let parts: Vec<Location> = std::iter::once(location.clone())
            .chain(merged.iter().flatten().cloned())
            .collect();
        let mut properties: Vec<Property<'a>> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        for part in &parts {
            let Some(part_object) = self.object(part) else {
                continue;
            };
            // Each part read once (the schema itself already is).
            let part_keywords = self.read(part, part_object);
            if part_keywords.properties.misshapen().is_some() {
                self.error(part, Some("properties"), "`properties` must be an object");
                return None;
            }
            for key in self.schemas.keys(part, "properties") {
                let property = Location {
                    doc: part.doc,
                    pointer: format!("{}/properties/{}", part.pointer, escape_token(&key)),
                };
                let schema = part_keywords
                    .properties
                    .ok()
                    .and_then(|p| p.get(&key))
                    .and_then(Value::as_object);
                properties.push((key, property, schema));
            }
            if part_keywords.required.is_present() {
                for key in self.string_list(part, "required", &part_keywords.required)? {
                    if !required.contains(&key) {
                        required.push(key);
                    }
                }
            }
        }
        for key in &required {
            if !properties.iter().any(|(k, _, _)| k == key) {
                self.error(
                    location,
                    Some("required"),
                    format!("required property `{key}` has no schema in `properties`"),
                );
            }
        }
        // Merged, the schema is read without its `allOf` (an object of its own).
        let unmerged: Map<String, Value>;
        let unmerged_keywords: Keywords<'_>;
        let keywords = if merged.is_some() {
            unmerged = keywords
                .map()
                .iter()
                .filter(|(k, _)| *k != "allOf")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            unmerged_keywords = Keywords::of(&unmerged);
            &unmerged_keywords
        } else {
            keywords
        };
        let mut extras_type = None;
        let mut checks = self.struct_checks(location, keywords, name)?;
        // With `patternProperties`, `additionalProperties` is one of the checks.
        let patterned = keywords.pattern_properties.is_present();
        // Checks run on the struct's JSON, so it keeps every property.
        let keep = self.options.keep_unknown || !checks.is_empty();
        let additional = super::keywords::additional_properties(keywords);
        let unknown = match super::keywords::additional_schema(keywords) {
            _ if patterned => Unknown::Keep,
            None | Some(Value::Bool(true)) if keep => Unknown::Keep,
            None | Some(Value::Bool(true)) => Unknown::Ignore,
            Some(Value::Bool(false)) => Unknown::Deny,
            Some(_) => {
                let extra = Location {
                    doc: location.doc,
                    pointer: format!(
                        "{}/{}",
                        location.pointer,
                        additional.unwrap_or("additionalProperties")
                    ),
                };
                let hint = Hint {
                    name: names::suffixed(name, "Extra"),
                    scope: name.to_owned(),
                };
                let (ty, nullable) = self.schema_type(&extra, &hint)?;
                if self.keeps_spelling(&ty) {
                    // A typed map would write back the canonical spellings:
                    // the values stay JSON, checked as the builder finishes.
                    checks.push(Check::Additional {
                        known: properties.iter().map(|(key, _, _)| key.clone()).collect(),
                        patterns: Vec::new(),
                        accept: Accept::Type(ty, nullable),
                    });
                } else if ty != TypeRef::Any || nullable {
                    // `{}` keeps any JSON value: the untyped map (which refuses duplicate keys).
                    extras_type = Some((ty, nullable));
                }
                Unknown::Keep
            }
        };
        let places: Vec<(String, Location)> = properties
            .iter()
            .map(|(k, l, _)| (k.clone(), l.clone()))
            .collect();
        let mut names = self.field_names(location, keywords, &places);
        let mut fields = Vec::new();
        let mut consts = Vec::new();
        for (key, property, schema) in properties {
            let is_required = required.contains(&key);
            if let Some(p) = schema {
                if is_string_const(&self.read(&property, p)) {
                    if let Some(value) = self.const_value(&property, p) {
                        let const_name = names.constant(&key);
                        consts.push(ConstField {
                            json_name: key.clone(),
                            value,
                            required: is_required,
                            ident: names.field(&key),
                            const_name,
                            docs: self.field_docs(&property),
                        });
                    }
                    continue;
                }
            }
            let hint = Hint {
                name: key.clone(),
                scope: name.to_owned(),
            };
            let Some((ty, nullable)) = self.schema_type(&property, &hint) else {
                continue;
            };
            let docs = self.field_docs(&property);
            fields.push(Field {
                ident: names.field(&key),
                json_name: key,
                ty,
                required: is_required,
                nullable,
                boxed: false,
                docs,
            });
        }
        self.warn_field_renames(&places, &mut names);
        let docs = self.docs(location);
        let noun = docs.title.clone().unwrap_or_else(|| name.to_owned());
        Some(Item::Struct(Struct {
            name: name.to_owned(),
            docs,
            fields,
            consts,
            unknown,
            extras: names.extras(),
            extras_type,
            checks,
            received: names.received(),
            expecting: format!("a {noun} object"),
        }))
    }

    /// The parts of an `allOf` that merge into one struct: each (after plain
    /// `$ref`s) an object schema of `properties`, `required` and annotations
    /// only, their properties all distinct, with `type: object` somewhere (so
    /// that other JSON types fail as the schema says). `None` otherwise: the
    /// `allOf` is then checked.
    pub(super) fn merged_parts(
        &self,
        location: &Location,
        keywords: &Keywords<'a>,
    ) -> Option<Vec<Location>> {
        let parts = keywords.all_of.ok()?;
        let plain = |o: &Map<String, Value>, root: bool| {
            o.iter().all(|(k, v)| {
                super::keywords::is_annotation(k)
                    || super::keywords::is_extension(k)
                    || ["properties", "required", "allOf"].contains(&k.as_str())
                    || (k == "type" && v.as_str() == Some("object"))
                    || (k == "additionalProperties" && v == &Value::Bool(true))
                    || (root && super::keywords::root_only(k))
            })
        };
        if !plain(keywords.map(), location.pointer.is_empty()) {
            return None;
        }
        let mut typed = keywords.types.is_present();
        let mut names: Vec<&String> = keywords
            .properties
            .ok()
            .map_or(Vec::new(), |p| p.keys().collect());
        let mut required: Vec<&str> = keywords.required_names();
        let mut out = Vec::new();
        for index in 0..parts.len() {
            let mut part = Location {
                doc: location.doc,
                pointer: format!("{}/allOf/{index}", location.pointer),
            };
            // Follow plain `$ref`s (a bounded chain).
            for _ in 0..16 {
                let o = self.object(&part)?;
                let read = self.read(&part, o);
                if !read.reference.is_present() {
                    break;
                }
                if !o
                    .keys()
                    .all(|k| k == "$ref" || super::keywords::is_annotation(k))
                {
                    return None;
                }
                part = self.schemas.resolve(&part, read.reference.ok()?).ok()?;
            }
            let o = self.keywords(&part)?;
            if o.reference.is_present()
                || o.all_of.is_present()
                || !plain(o.map(), part.pointer.is_empty())
                || part == *location
            {
                return None;
            }
            typed |= o.types.is_present();
            required.extend(o.required_names());
            if let Some(p) = o.properties.ok() {
                for key in p.keys() {
                    if names.contains(&key) {
                        return None;
                    }
                    names.push(key);
                }
            }
            out.push(part);
        }
        let listed = required
            .iter()
            .all(|r| names.iter().any(|n| n.as_str() == *r));
        (typed && listed).then_some(out)
    }

    /// The string of a property's `const`; only annotations and `type: string` may stand beside it.
    fn const_value(
        &mut self,
        location: &Location,
        object: &'a Map<String, Value>,
    ) -> Option<String> {
        let keywords = self.read(location, object);
        self.check_keywords(location, &keywords);
        for key in object.keys() {
            let fine = super::keywords::is_annotation(key)
                || super::keywords::is_extension(key)
                || key == "const";
            let string_type = key == "type"
                && keywords.type_is_one
                && keywords.types.get().is_some_and(|t| *t == ["string"]);
            if !fine && !string_type {
                self.error(
                    location,
                    Some(key),
                    format!("keyword `{key}` beside `const` is not supported"),
                );
                return None;
            }
        }
        match keywords.constant {
            Some(Value::String(value)) => Some(value.clone()),
            _ => {
                self.error(
                    location,
                    Some("const"),
                    "`const` values other than strings are not supported",
                );
                None
            }
        }
    }
}

/// Whether a property is a string `const` with nothing beside it but
/// annotations and `type: string`: a `ConstField`, not a checked value.
pub(super) fn is_string_const(property: &Keywords<'_>) -> bool {
    property.constant.is_some_and(Value::is_string)
        && property.map().iter().all(|(key, value)| {
            super::keywords::is_annotation(key)
                || super::keywords::is_extension(key)
                || key == "const"
                || (key == "type" && value.as_str() == Some("string"))
        })
}
