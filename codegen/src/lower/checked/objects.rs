//! The object keywords of checked values (`properties`, `required`,
//! `patternProperties`, `additionalProperties`, `propertyNames`, the counts,
//! `dependentRequired`, `dependentSchemas`), and the checks a struct makes
//! beyond its fields.

use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::{Map, Value};

use super::child;
use crate::ir::Check;
use crate::load::Location;
use crate::lower::Lowerer;
use crate::lower::support;
use crate::names;
use crate::ordered::escape_token;

/// What an object's applicators evaluate whatever the instance: every
/// property, or the named ones and those matching the patterns.
pub(in crate::lower) enum Evaluated {
    /// Every property (an `additionalProperties`, or a part's own `unevaluatedProperties`).
    All,
    /// The names of `properties` and the `patternProperties` patterns.
    Some(Vec<String>, Vec<String>),
}

/// How deep `$ref`/`allOf` chains are followed for [`Evaluated`].
const EVALUATED_DEPTH: usize = 16;

impl Lowerer<'_> {
    /// The properties the schema at `location` evaluates on any instance it
    /// accepts, when its applicators are `allOf` and `$ref` alone (each part
    /// must hold, so each part's evaluated properties count), down to plain
    /// schemas; `None` when an applicator evaluates properties depending on
    /// the instance (`anyOf`, `oneOf`, `if`, `dependentSchemas`, dynamic
    /// references), which would need tracking.
    pub(in crate::lower) fn evaluated_properties(
        &self,
        location: &Location,
        keywords: &Keywords<'_>,
    ) -> Option<Evaluated> {
        self.evaluated_in(location, keywords, 0)
    }

    fn evaluated_in(
        &self,
        location: &Location,
        keywords: &Keywords<'_>,
        depth: usize,
    ) -> Option<Evaluated> {
        if depth > EVALUATED_DEPTH {
            return None;
        }
        // Every applicator evaluating properties but `allOf` and `$ref`
        // evaluates them depending on the instance.
        let mut dynamic = crate::lower::keywords::PROPERTY_APPLICATORS
            .iter()
            .filter(|k| !["allOf", "$ref"].contains(*k));
        if dynamic.any(|k| keywords.has(k)) {
            return None;
        }
        if keywords.additional_properties.is_some()
            || (depth > 0 && keywords.unevaluated_properties.is_some())
        {
            return Some(Evaluated::All);
        }
        let keys = |read: Read<'_, &Map<String, Value>>| -> Vec<String> {
            read.ok()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (mut names, mut patterns) =
            (keys(keywords.properties), keys(keywords.pattern_properties));
        let mut parts = Vec::new();
        if keywords.reference.is_present() {
            parts.push(
                self.schemas
                    .resolve(location, keywords.reference.ok()?)
                    .ok()?,
            );
        }
        if keywords.all_of.is_present() {
            for index in 0..keywords.all_of.ok()?.len() {
                parts.push(child(location, &format!("allOf/{index}")));
            }
        }
        for part in parts {
            match self.schemas.get(&part)? {
                // `true` evaluates nothing; `false` accepts no instance at all.
                Value::Bool(_) => {}
                Value::Object(inner) => {
                    match self.evaluated_in(&part, &self.read(&part, inner), depth + 1)? {
                        Evaluated::All => return Some(Evaluated::All),
                        Evaluated::Some(more_names, more_patterns) => {
                            names.extend(more_names);
                            patterns.extend(more_patterns);
                        }
                    }
                }
                _ => return None,
            }
        }
        names.sort();
        names.dedup();
        patterns.sort();
        patterns.dedup();
        Some(Evaluated::Some(names, patterns))
    }

    /// The checks of an object schema that its struct does not make itself:
    /// `patternProperties` (with `additionalProperties` then checked here),
    /// `propertyNames`, `minProperties`, `maxProperties`, `dependentRequired`
    /// and composition. `None` after reporting a problem.
    pub(in crate::lower) fn struct_checks(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
    ) -> Option<Vec<Check>> {
        let object = keywords.map();
        let mut keys = vec![
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "dependentSchemas",
        ];
        if keywords.pattern_properties.is_present() {
            keys.push("properties");
            keys.extend(crate::lower::keywords::additional_properties(keywords));
        }
        let only: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut checks = Vec::new();
        let mut ok = true;
        // The keywords a struct does not check itself, read as an object of their own.
        self.object_checks(location, &Keywords::of(&only), name, &mut checks, &mut ok);
        checks.retain(|c| !matches!(c, Check::Properties(_)) && !c.is_trivial());
        self.composition_checks(location, keywords, name, &mut checks, &mut ok);
        checks.retain(|c| !c.is_trivial());
        ok.then_some(checks)
    }

    /// Whether an object schema stays a struct, its other keywords checked
    /// beside: `type` is `object` (or, without composition, object and null)
    /// and every other keyword is one [`struct_checks`](Self::struct_checks) makes.
    pub(in crate::lower) fn struct_with_checks(
        keywords: &Keywords<'_>,
        types: Option<&[String]>,
    ) -> bool {
        let Some(types) = types else { return false };
        let nullable = types.iter().any(|t| t == "null");
        let object_only = types.iter().all(|t| t == "object" || t == "null")
            && types.iter().any(|t| t == "object");
        let composed = ["allOf", "anyOf", "oneOf", "not", "if"];
        let extra = [
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "dependentSchemas",
        ];
        let listed = keywords.properties.ok();
        let required_listed = match &keywords.required {
            Read::Absent => true,
            Read::Value(names) => names
                .iter()
                .all(|k| listed.is_some_and(|p| p.contains_key(*k))),
            // Not an array: nothing is required; an array of other values:
            // not a struct (and reported where it is read).
            Read::Misshapen(value) => !value.is_array(),
        };
        // `unevaluatedProperties` beside `allOf`/`$ref` is checked on the JSON.
        let unevaluated = keywords.unevaluated_properties.is_some()
            && crate::lower::keywords::additional_properties(keywords).is_none();
        object_only
            && !unevaluated
            && required_listed
            && !keywords.reference.is_present()
            && keywords.constant.is_none()
            && !keywords.enumeration.is_present()
            && (!nullable || !composed.iter().any(|k| keywords.has(k)))
            && keywords.map().keys().all(|k| {
                !support::is_checked(k)
                    || extra.contains(&k.as_str())
                    || composed.contains(&k.as_str())
            })
    }

    /// The object keywords, checked on the JSON object.
    pub(super) fn object_checks(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        if keywords.required.is_present() {
            match self.string_list(location, "required", &keywords.required) {
                Some(r) => checks.push(Check::Required(r)),
                None => *ok = false,
            }
        }
        let mut known = Vec::new();
        if keywords.properties.is_present() {
            if keywords.properties.ok().is_some() {
                let mut accepts = Vec::new();
                for key in self.schemas.keys(location, "properties") {
                    let child = child(location, &format!("properties/{}", escape_token(&key)));
                    match self.accept(&child, &key, name) {
                        Some(a) => accepts.push((key.clone(), a)),
                        None => *ok = false,
                    }
                    known.push(key);
                }
                checks.push(Check::Properties(accepts));
            } else {
                self.error(
                    location,
                    Some("properties"),
                    "`properties` must be an object",
                );
                *ok = false;
            }
        }
        let mut patterns = Vec::new();
        if keywords.pattern_properties.is_present() {
            if keywords.pattern_properties.ok().is_some() {
                let mut accepts = Vec::new();
                for key in self.schemas.keys(location, "patternProperties") {
                    let child = child(
                        location,
                        &format!("patternProperties/{}", escape_token(&key)),
                    );
                    *ok &= self.regex(&child, None, &key);
                    match self.accept(&child, &names::suffixed(name, "Matching"), name) {
                        Some(a) => accepts.push((key.clone(), a)),
                        None => *ok = false,
                    }
                    patterns.push(key);
                }
                checks.push(Check::PatternProperties(accepts));
            } else {
                self.error(
                    location,
                    Some("patternProperties"),
                    "`patternProperties` must be an object",
                );
                *ok = false;
            }
        }
        let mut additional = crate::lower::keywords::additional_properties(keywords);
        if additional.is_none() && keywords.unevaluated_properties.is_some() {
            // Beside `allOf`/`$ref` chains of plain object schemas: every part
            // must hold, so the evaluated properties are all their
            // `properties` and `patternProperties`, known before reading.
            match self.evaluated_properties(location, keywords) {
                Some(Evaluated::All) => {}
                Some(Evaluated::Some(names, more)) => {
                    for name in names {
                        if !known.contains(&name) {
                            known.push(name);
                        }
                    }
                    for pattern in more {
                        if !patterns.contains(&pattern) {
                            patterns.push(pattern);
                        }
                    }
                    additional = Some("unevaluatedProperties");
                }
                None => {}
            }
        }
        if let Some(key) = additional {
            let child = child(location, key);
            match self.accept(&child, &names::suffixed(name, "Extra"), name) {
                Some(accept) => checks.push(Check::Additional {
                    known,
                    patterns,
                    accept,
                }),
                None => *ok = false,
            }
        }
        if keywords.property_names.is_some() {
            let child = child(location, "propertyNames");
            match self.accept(&child, &names::suffixed(name, "Key"), name) {
                Some(accept) => checks.push(Check::PropertyNames(accept)),
                None => *ok = false,
            }
        }
        if let Some(n) = self.counted(location, "minProperties", keywords.min_properties, ok) {
            checks.push(Check::MinProperties(n));
        }
        if let Some(n) = self.counted(location, "maxProperties", keywords.max_properties, ok) {
            checks.push(Check::MaxProperties(n));
        }
        if keywords.dependent_required.is_present() {
            match &keywords.dependent_required {
                Read::Value(dependent) => checks.push(Check::DependentRequired(
                    dependent
                        .iter()
                        .map(|(k, names)| {
                            let names = names.iter().map(|n| (*n).to_owned()).collect();
                            ((*k).to_owned(), names)
                        })
                        .collect(),
                )),
                _ => {
                    self.error(
                        location,
                        Some("dependentRequired"),
                        "`dependentRequired` must map names to arrays of strings",
                    );
                    *ok = false;
                }
            }
        }
        self.dependent_schemas(location, keywords, name, checks, ok);
    }

    /// `dependentSchemas` (and the schemas of `dependencies`, which the draft
    /// view moves here): the schema the whole object must match when the
    /// property is present.
    pub(super) fn dependent_schemas(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        if !keywords.dependent_schemas.is_present() {
            return;
        }
        let Some(dependent) = keywords.dependent_schemas.ok() else {
            self.error(
                location,
                Some("dependentSchemas"),
                "`dependentSchemas` must be an object",
            );
            *ok = false;
            return;
        };
        let mut accepts = Vec::new();
        // The keys in file order; from `dependencies`, only its schemas.
        let keys = self.schemas.keys(location, "dependentSchemas");
        for key in keys.into_iter().filter(|k| dependent.get(k).is_some()) {
            let child = child(
                location,
                &format!("dependentSchemas/{}", escape_token(&key)),
            );
            match self.accept(&child, &names::suffixed(name, "Dependent"), name) {
                Some(a) => accepts.push((key, a)),
                None => *ok = false,
            }
        }
        checks.push(Check::DependentSchemas(accepts));
    }
}
