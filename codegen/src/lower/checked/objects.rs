//! The object keywords of checked values (`properties`, `required`,
//! `patternProperties`, `additionalProperties`, `propertyNames`, the counts,
//! `dependentRequired`, `dependentSchemas`), and the checks a struct makes
//! beyond its fields.

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
        object: &Map<String, Value>,
    ) -> Option<Evaluated> {
        self.evaluated_in(location, object, 0)
    }

    fn evaluated_in(
        &self,
        location: &Location,
        object: &Map<String, Value>,
        depth: usize,
    ) -> Option<Evaluated> {
        if depth > EVALUATED_DEPTH {
            return None;
        }
        let dynamic = [
            "anyOf",
            "oneOf",
            "if",
            "dependentSchemas",
            "$dynamicRef",
            "$recursiveRef",
        ];
        if dynamic.iter().any(|k| object.contains_key(*k)) {
            return None;
        }
        if object.contains_key("additionalProperties")
            || (depth > 0 && object.contains_key("unevaluatedProperties"))
        {
            return Some(Evaluated::All);
        }
        let keys = |key: &str| -> Vec<String> {
            object
                .get(key)
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (mut names, mut patterns) = (keys("properties"), keys("patternProperties"));
        let mut parts = Vec::new();
        if let Some(reference) = object.get("$ref") {
            parts.push(self.schemas.resolve(location, reference.as_str()?).ok()?);
        }
        if let Some(all) = object.get("allOf") {
            for index in 0..all.as_array()?.len() {
                parts.push(child(location, &format!("allOf/{index}")));
            }
        }
        for part in parts {
            match self.schemas.get(&part)? {
                // `true` evaluates nothing; `false` accepts no instance at all.
                Value::Bool(_) => {}
                Value::Object(inner) => match self.evaluated_in(&part, inner, depth + 1)? {
                    Evaluated::All => return Some(Evaluated::All),
                    Evaluated::Some(more_names, more_patterns) => {
                        names.extend(more_names);
                        patterns.extend(more_patterns);
                    }
                },
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
        object: &Map<String, Value>,
        name: &str,
    ) -> Option<Vec<Check>> {
        let mut keys = vec![
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "dependentSchemas",
        ];
        if object.contains_key("patternProperties") {
            keys.push("properties");
            keys.extend(crate::lower::keywords::additional_properties(object));
        }
        let only: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut checks = Vec::new();
        let mut ok = true;
        self.object_checks(location, &only, name, &mut checks, &mut ok);
        checks.retain(|c| !matches!(c, Check::Properties(_)) && !c.is_trivial());
        self.composition_checks(location, object, name, &mut checks, &mut ok);
        checks.retain(|c| !c.is_trivial());
        ok.then_some(checks)
    }

    /// Whether an object schema stays a struct, its other keywords checked
    /// beside: `type` is `object` (or, without composition, object and null)
    /// and every other keyword is one [`struct_checks`](Self::struct_checks) makes.
    pub(in crate::lower) fn struct_with_checks(
        object: &Map<String, Value>,
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
        let listed = object.get("properties").and_then(Value::as_object);
        let required_listed = object
            .get("required")
            .and_then(Value::as_array)
            .is_none_or(|r| {
                r.iter().all(|k| {
                    k.as_str()
                        .is_some_and(|k| listed.is_some_and(|p| p.contains_key(k)))
                })
            });
        // `unevaluatedProperties` beside `allOf`/`$ref` is checked on the JSON.
        let unevaluated = object.contains_key("unevaluatedProperties")
            && crate::lower::keywords::additional_properties(object).is_none();
        object_only
            && !unevaluated
            && required_listed
            && !object.contains_key("$ref")
            && !object.contains_key("const")
            && !object.contains_key("enum")
            && (!nullable || !composed.iter().any(|k| object.contains_key(*k)))
            && object.keys().all(|k| {
                !support::is_checked(k)
                    || extra.contains(&k.as_str())
                    || composed.contains(&k.as_str())
            })
    }

    /// The object keywords, checked on the JSON object.
    pub(super) fn object_checks(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        if let Some(required) = object.get("required") {
            match self.strings(location, "required", required) {
                Some(r) => checks.push(Check::Required(r)),
                None => *ok = false,
            }
        }
        let mut known = Vec::new();
        if let Some(properties) = object.get("properties") {
            if properties.is_object() {
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
        if let Some(properties) = object.get("patternProperties") {
            if properties.is_object() {
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
        let mut additional = crate::lower::keywords::additional_properties(object);
        if additional.is_none() && object.contains_key("unevaluatedProperties") {
            // Beside `allOf`/`$ref` chains of plain object schemas: every part
            // must hold, so the evaluated properties are all their
            // `properties` and `patternProperties`, known before reading.
            match self.evaluated_properties(location, object) {
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
        if object.contains_key("propertyNames") {
            let child = child(location, "propertyNames");
            match self.accept(&child, &names::suffixed(name, "Key"), name) {
                Some(accept) => checks.push(Check::PropertyNames(accept)),
                None => *ok = false,
            }
        }
        if let Some(n) = self.count(location, object, "minProperties", ok) {
            checks.push(Check::MinProperties(n));
        }
        if let Some(n) = self.count(location, object, "maxProperties", ok) {
            checks.push(Check::MaxProperties(n));
        }
        if let Some(dependent) = object.get("dependentRequired") {
            let parsed: Option<Vec<(String, Vec<String>)>> =
                dependent.as_object().and_then(|map| {
                    map.iter()
                        .map(|(k, v)| {
                            let names: Option<Vec<String>> = v
                                .as_array()?
                                .iter()
                                .map(|n| n.as_str().map(str::to_owned))
                                .collect();
                            Some((k.clone(), names?))
                        })
                        .collect()
                });
            match parsed {
                Some(p) => checks.push(Check::DependentRequired(p)),
                None => {
                    self.error(
                        location,
                        Some("dependentRequired"),
                        "`dependentRequired` must map names to arrays of strings",
                    );
                    *ok = false;
                }
            }
        }
        self.dependent_schemas(location, object, name, checks, ok);
    }

    /// `dependentSchemas` (and the schemas of `dependencies`, which the draft
    /// view moves here): the schema the whole object must match when the
    /// property is present.
    pub(super) fn dependent_schemas(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        let Some(dependent) = object.get("dependentSchemas") else {
            return;
        };
        if !dependent.is_object() {
            self.error(
                location,
                Some("dependentSchemas"),
                "`dependentSchemas` must be an object",
            );
            *ok = false;
            return;
        }
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
