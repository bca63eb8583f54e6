//! Object schemas become structs (a root `oneOf` of them told apart by a
//! constant property becomes a union: `unions`).

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
        object: &Map<String, Value>,
        name: &str,
    ) -> Option<Item> {
        // An `allOf` of object schemas is merged: its parts' properties are the struct's.
        let merged = self.merged_parts(location, object);
        let parts: Vec<Location> = std::iter::once(location.clone())
            .chain(merged.iter().flatten().cloned())
            .collect();
        let mut properties: Vec<Property<'_>> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        for part in &parts {
            let Some(part_object) = self.object(part) else {
                continue;
            };
            match part_object.get("properties") {
                None | Some(Value::Object(_)) => {}
                Some(_) => {
                    self.error(part, Some("properties"), "`properties` must be an object");
                    return None;
                }
            }
            for key in self.schemas.keys(part, "properties") {
                let property = Location {
                    doc: part.doc,
                    pointer: format!("{}/properties/{}", part.pointer, escape_token(&key)),
                };
                let schema = part_object
                    .get("properties")
                    .and_then(|p| p.get(&key))
                    .and_then(Value::as_object);
                properties.push((key, property, schema));
            }
            if let Some(value) = part_object.get("required") {
                for key in self.strings(part, "required", value)? {
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
        let unmerged: Map<String, Value>;
        let object = if merged.is_some() {
            unmerged = object
                .iter()
                .filter(|(k, _)| *k != "allOf")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            &unmerged
        } else {
            object
        };
        let mut extras_type = None;
        let mut checks = self.struct_checks(location, object, name)?;
        // With `patternProperties`, `additionalProperties` is one of the checks.
        let patterned = object.contains_key("patternProperties");
        // Checks run on the struct's JSON, so it keeps every property.
        let keep = self.options.keep_unknown || !checks.is_empty();
        let additional = super::keywords::additional_properties(object);
        let unknown = match additional.and_then(|k| object.get(k)) {
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
        let mut names = self.field_names(location, object, &places);
        let mut fields = Vec::new();
        let mut consts = Vec::new();
        for (key, property, schema) in properties {
            let is_required = required.contains(&key);
            if let Some(p) = schema {
                if is_string_const(p) {
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
        object: &'a Map<String, Value>,
    ) -> Option<Vec<Location>> {
        let parts = object.get("allOf")?.as_array()?;
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
        if !plain(object, location.pointer.is_empty()) {
            return None;
        }
        let mut typed = object.get("type").is_some();
        let mut names: Vec<&String> = object
            .get("properties")
            .and_then(Value::as_object)
            .map_or(Vec::new(), |p| p.keys().collect());
        let mut required: Vec<&str> = Vec::new();
        let mut require = |o: &'a Map<String, Value>| {
            required.extend(
                o.get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
        };
        require(object);
        let mut out = Vec::new();
        for index in 0..parts.len() {
            let mut part = Location {
                doc: location.doc,
                pointer: format!("{}/allOf/{index}", location.pointer),
            };
            // Follow plain `$ref`s (a bounded chain).
            for _ in 0..16 {
                let o = self.object(&part)?;
                let Some(reference) = o.get("$ref") else {
                    break;
                };
                if !o
                    .keys()
                    .all(|k| k == "$ref" || super::keywords::is_annotation(k))
                {
                    return None;
                }
                part = self.schemas.resolve(&part, reference.as_str()?).ok()?;
            }
            let o = self.object(&part)?;
            if o.contains_key("$ref")
                || o.contains_key("allOf")
                || !plain(o, part.pointer.is_empty())
                || part == *location
            {
                return None;
            }
            typed |= o.get("type").is_some();
            require(o);
            if let Some(p) = o.get("properties").and_then(Value::as_object) {
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
    fn const_value(&mut self, location: &Location, object: &Map<String, Value>) -> Option<String> {
        self.check_keywords(location, object);
        for key in object.keys() {
            let fine = super::keywords::is_annotation(key)
                || super::keywords::is_extension(key)
                || key == "const";
            let string_type =
                key == "type" && object.get("type").and_then(Value::as_str) == Some("string");
            if !fine && !string_type {
                self.error(
                    location,
                    Some(key),
                    format!("keyword `{key}` beside `const` is not supported"),
                );
                return None;
            }
        }
        match object.get("const") {
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
pub(super) fn is_string_const(property: &Map<String, Value>) -> bool {
    property.get("const").is_some_and(Value::is_string)
        && property.iter().all(|(key, value)| {
            super::keywords::is_annotation(key)
                || super::keywords::is_extension(key)
                || key == "const"
                || (key == "type" && value.as_str() == Some("string"))
        })
}
