//! The Rust type of one schema: scalars, integers, multi-type values, and
//! (through `enums` and `objects`) enumerations and structs.

use aperture_events_schema::vocabulary::keywords::KNOWN_VALUES;
use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::{Map, Value};

use super::{Hint, Lowerer};
use crate::ir::{
    Accept, Bounds, Branch, Check, Checked, DateTimeRepr, IntRepr, Integer, Item, Multi, TypeRef,
};
use crate::load::Location;

/// The longest chain of `$ref`s followed (the stock schemas need two).
const MAX_REF_DEPTH: usize = 64;

impl Lowerer<'_> {
    /// The Rust type of the schema at `location` and whether `null` is
    /// accepted; `None` after reporting why there is none.
    pub(super) fn schema_type(
        &mut self,
        location: &Location,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let object = match self.schemas.get(location) {
            Some(Value::Object(object)) => object,
            Some(Value::Bool(true)) => return Some((TypeRef::Any, false)),
            Some(Value::Bool(false)) => return self.nothing(location, hint),
            Some(_) => {
                self.error(
                    location,
                    None,
                    "a schema must be a json object or a boolean",
                );
                return None;
            }
            None => {
                self.error(location, None, "no schema here");
                return None;
            }
        };
        // The schema object in the typed model (read once per lowering), which
        // every path below reads; its `map` only for walks over every key.
        let keywords = self.read(location, object);
        self.check_keywords(location, &keywords);
        let types = self.json_types(location, &keywords)?;
        if keywords.reference.is_present() {
            if beside_ref(location, object) {
                return self.checked(location, &keywords, types, hint);
            }
            return self.follow_ref(location, keywords.reference, hint);
        }
        if keywords.all_of.is_present() && self.merged_parts(location, &keywords).is_some() {
            self.nullable.insert(location.clone(), false);
            let name = self.named(location, hint, |this, name| {
                this.lower_struct(location, &keywords, name)
            })?;
            return Some((TypeRef::Named(name), false));
        }
        // Draft-04's `integer` refuses `1.0`, which no plain Rust number type
        // (each reads `1.0` as 1) can tell apart: a checked value.
        let written_integer = self.schemas.draft(location).0
            == aperture_events_schema::Draft::Draft4
            && types.iter().flatten().any(|t| t == "integer");
        if written_integer || Self::needs_check(&keywords, types.as_deref()) {
            return self.checked(location, &keywords, types, hint);
        }
        if keywords.enumeration.is_present() {
            return self.closed_enum(location, &keywords, types.as_deref(), hint);
        }
        let Some(types) = types else {
            if keywords.known_values.is_present() {
                self.error(
                    location,
                    Some(KNOWN_VALUES),
                    "`x-known-values` needs `\"type\": \"string\"`",
                );
                return None;
            }
            return Some((TypeRef::Any, false));
        };
        let nullable = types.iter().any(|t| t == "null");
        let non_null: Vec<&str> = types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        self.nullable.insert(location.clone(), nullable);
        if keywords.known_values.is_present() {
            if non_null != ["string"] {
                self.error(
                    location,
                    Some(KNOWN_VALUES),
                    "`x-known-values` needs `\"type\": \"string\"` (or string and null)",
                );
                return None;
            }
            let name = self.named(location, hint, |this, name| {
                this.open_enum(location, &keywords, name)
            })?;
            return Some((TypeRef::Named(name), nullable));
        }
        let format = keywords.format;
        // `format` constrains strings only; beside other types it is inert.
        if format.is_present() && non_null != ["string"] && non_null.contains(&"string") {
            self.error(
                location,
                Some("format"),
                "`format` is supported only on a schema of type string alone",
            );
            return None;
        }
        let ty = match non_null.as_slice() {
            [] => {
                self.error(location, Some("type"), "unsupported type: `null` alone");
                return None;
            }
            ["string"] => match format {
                Read::Absent => TypeRef::String,
                Read::Value("date-time") => {
                    self.uses_date_time = true;
                    match self.options.date_time {
                        DateTimeRepr::Chrono => TypeRef::DateTime,
                        DateTimeRepr::String => TypeRef::String,
                    }
                }
                Read::Value(other) => {
                    self.refuse(
                        location,
                        Some("format"),
                        format!("unsupported format {}", Value::from(other)),
                    );
                    return None;
                }
                Read::Misshapen(other) => {
                    self.refuse(
                        location,
                        Some("format"),
                        format!("unsupported format {other}"),
                    );
                    return None;
                }
            },
            ["boolean"] => TypeRef::Bool,
            ["number"] => TypeRef::Number(self.number_bounds(location, &keywords)?),
            ["integer"] => {
                let name = self.named(location, hint, |this, name| {
                    let (repr, bounds) = this.int_bounds(location, &keywords)?;
                    let docs = this.docs(location);
                    Some(Item::Integer(Integer {
                        name: name.to_owned(),
                        docs,
                        repr,
                        bounds,
                    }))
                })?;
                TypeRef::Named(name)
            }
            ["object"] => {
                let name = self.named(location, hint, |this, name| {
                    this.lower_struct(location, &keywords, name)
                })?;
                TypeRef::Named(name)
            }
            several => {
                let several: Vec<String> = several.iter().map(|s| (*s).to_owned()).collect();
                let name = self.named(location, hint, |this, name| {
                    this.multi(location, &keywords, &several, name)
                })?;
                TypeRef::Named(name)
            }
        };
        Some((ty, nullable))
    }

    /// Follows a `$ref` that stands with annotations only.
    fn follow_ref(
        &mut self,
        location: &Location,
        reference: Read<'_, &str>,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let Some(reference) = reference.ok() else {
            self.error(location, Some("$ref"), "`$ref` must be a string");
            return None;
        };
        let target = match self.schemas.resolve(location, reference) {
            Ok(target) => target,
            Err(message) => {
                self.refuse(location, Some("$ref"), message);
                return None;
            }
        };
        // A chain of references is followed by recursion: bound it, so a
        // hostile schema is an error, not a stack overflow.
        if self.ref_stack.len() >= MAX_REF_DEPTH {
            self.error(
                location,
                Some("$ref"),
                format!("more than {MAX_REF_DEPTH} `$ref`s in a chain are not supported"),
            );
            return None;
        }
        if !self.ref_stack.insert(target.clone()) {
            // Recursion through a named type is held by reference (`Box`, `Vec`).
            if let Some(name) = self.named.get(&target) {
                let nullable = self.nullable.get(&target).copied().unwrap_or(false);
                return Some((TypeRef::Named(name.clone()), nullable));
            }
            self.error(
                location,
                Some("$ref"),
                format!("`$ref` `{reference}` comes back to itself through no object, array or checked type"),
            );
            return None;
        }
        let key = super::keywords::definition_key(&target.pointer).map(str::to_owned);
        let hint = Hint {
            name: key.unwrap_or_else(|| hint.name.clone()),
            scope: self.stem(&target),
        };
        let result = self.schema_type(&target, &hint);
        self.ref_stack.remove(&target);
        result
    }

    /// The schema `false`: a type no value deserializes into.
    fn nothing(&mut self, location: &Location, hint: &Hint) -> Option<(TypeRef, bool)> {
        let name = self.named(location, hint, |this, name| {
            Some(Item::Checked(Checked {
                name: name.to_owned(),
                docs: this.docs(location),
                inner: TypeRef::Any,
                checks: vec![Check::Not(Accept::Always)],
            }))
        })?;
        Some((TypeRef::Named(name), false))
    }

    /// A value of several JSON types.
    fn multi(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        types: &[String],
        name: &str,
    ) -> Option<Item> {
        if types.iter().any(|t| t == "integer") && types.iter().any(|t| t == "number") {
            self.error(
                location,
                Some("type"),
                "`integer` and `number` together are not supported: `number` alone accepts both",
            );
            return None;
        }
        let mut branches = Vec::new();
        for t in types {
            branches.push(match t.as_str() {
                "string" => Branch::String,
                "boolean" => Branch::Boolean,
                "integer" => {
                    let (repr, bounds) = self.int_bounds(location, keywords)?;
                    Branch::Integer(repr, bounds)
                }
                "number" => Branch::Number(self.number_bounds(location, keywords)?),
                other => {
                    self.error(
                        location,
                        Some("type"),
                        format!("type `{other}` is supported only alone (or with null)"),
                    );
                    return None;
                }
            });
        }
        let docs = self.docs(location);
        Some(Item::Multi(Multi {
            name: name.to_owned(),
            docs,
            branches,
        }))
    }

    /// `minimum`/`maximum` of an integer, rounded inwards, and the Rust type holding it.
    pub(super) fn int_bounds(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
    ) -> Option<(IntRepr, Bounds<i128>)> {
        let bounds = self.float_bounds(location, keywords)?;
        let limit = 1e30;
        if bounds.min.is_some_and(|m| m.abs() > limit)
            || bounds.max.is_some_and(|m| m.abs() > limit)
        {
            self.error(
                location,
                None,
                "integer bounds beyond ±1e30 are not supported",
            );
            return None;
        }
        let bounds = Bounds {
            min: bounds.min.map(|m| m.ceil() as i128),
            max: bounds.max.map(|m| m.floor() as i128),
        };
        if let (Some(min), Some(max)) = (bounds.min, bounds.max) {
            if min > max {
                self.error(
                    location,
                    None,
                    "no integer lies between `minimum` and `maximum`",
                );
                return None;
            }
        }
        let repr = match (bounds.min, bounds.max) {
            (Some(min), Some(max)) if min >= 0 && max <= 255 => IntRepr::U8,
            (Some(min), _) if min >= 0 => IntRepr::U64,
            _ => IntRepr::I64,
        };
        Some((repr, bounds))
    }

    /// Bounds of a `number`: refused for now, as no generated type checks them.
    fn number_bounds(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
    ) -> Option<Bounds<f64>> {
        let bounds = self.float_bounds(location, keywords)?;
        if bounds.min.is_some() || bounds.max.is_some() {
            self.error(
                location,
                None,
                "`minimum`/`maximum` on type number are not supported (they are on integer)",
            );
            return None;
        }
        Some(bounds)
    }

    /// `minimum`/`maximum` as numbers.
    fn float_bounds(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
    ) -> Option<Bounds<f64>> {
        let mut ok = true;
        let mut bound = |this: &mut Self, key: &str, read| {
            this.number_keyword(location, key, read, &mut ok)
                .and_then(|n| n.as_f64())
        };
        let min = bound(self, "minimum", keywords.minimum);
        let max = bound(self, "maximum", keywords.maximum);
        ok.then_some(Bounds { min, max })
    }
}

/// Whether keywords other than annotations stand beside a `$ref` (which then
/// applies like one more part of an `allOf`).
fn beside_ref(location: &Location, object: &Map<String, Value>) -> bool {
    object.keys().any(|key| {
        let annotation = super::keywords::is_annotation(key)
            || super::keywords::is_extension(key)
            || key == "$ref";
        let root = location.pointer.is_empty() && super::keywords::root_only(key);
        !annotation && !root
    })
}
