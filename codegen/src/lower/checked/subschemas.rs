//! Subschemas as [`Accept`]s, and the composition keywords built of them
//! (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`).

use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::Value;

use super::child;
use crate::ir::{Accept, Check, TypeRef};
use crate::load::Location;
use crate::lower::{Hint, Lowerer};
use crate::names;

impl Lowerer<'_> {
    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`.
    pub(super) fn composition_checks(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        for (key, read, part) in [
            ("allOf", keywords.all_of, "Part"),
            ("anyOf", keywords.any_of, "Option"),
            ("oneOf", keywords.one_of, "Choice"),
        ] {
            if let Some(accepts) = self.schema_list(location, key, read, name, part, ok) {
                checks.push(match key {
                    "allOf" => Check::AllOf(accepts),
                    "anyOf" => Check::AnyOf(accepts),
                    _ => Check::OneOf(accepts),
                });
            }
        }
        if keywords.not.is_some() {
            let child = child(location, "not");
            match self.accept(&child, &names::suffixed(name, "Not"), name) {
                Some(a) => checks.push(Check::Not(a)),
                None => *ok = false,
            }
        }
        // `then` and `else` without an `if` constrain nothing, and an `if`
        // alone neither.
        let branches = keywords.then.is_some() || keywords.else_.is_some();
        if keywords.if_.is_some() && branches {
            let mut part = |key: &str, present: bool, suffix: &str| {
                if !present {
                    return Some(Accept::Always);
                }
                let accept =
                    self.accept(&child(location, key), &names::suffixed(name, suffix), name);
                *ok &= accept.is_some();
                accept
            };
            let (cond, then, otherwise) = (
                part("if", true, "If"),
                part("then", keywords.then.is_some(), "Then"),
                part("else", keywords.else_.is_some(), "Else"),
            );
            if let (Some(cond), Some(then), Some(otherwise)) = (cond, then, otherwise) {
                checks.push(Check::IfThenElse {
                    cond,
                    then,
                    otherwise,
                });
            }
        }
    }

    /// The subschemas of `allOf`/`anyOf`/`oneOf`.
    pub(super) fn schema_list(
        &mut self,
        location: &Location,
        key: &str,
        read: Read<'_, &[Value]>,
        name: &str,
        part: &str,
        ok: &mut bool,
    ) -> Option<Vec<Accept>> {
        if !read.is_present() {
            return None;
        }
        let Some(list) = read.ok().filter(|l| !l.is_empty()) else {
            self.error(
                location,
                Some(key),
                format!("`{key}` must be a non-empty array"),
            );
            *ok = false;
            return None;
        };
        let mut accepts = Vec::new();
        for index in 0..list.len() {
            let child = child(location, &format!("{key}/{index}"));
            match self.accept(&child, &format!("{name}{part}{index}"), name) {
                Some(a) => accepts.push(a),
                None => *ok = false,
            }
        }
        Some(accepts)
    }

    /// What a subschema accepts: `true`, `false`, or its Rust type.
    pub(in crate::lower) fn accept(
        &mut self,
        location: &Location,
        hint: &str,
        scope: &str,
    ) -> Option<Accept> {
        match self.schemas.get(location) {
            Some(Value::Bool(true)) => return Some(Accept::Always),
            Some(Value::Bool(false)) => return Some(Accept::Never),
            _ => {}
        }
        let hint = Hint {
            name: hint.to_owned(),
            scope: scope.to_owned(),
        };
        let (ty, nullable) = self.schema_type(location, &hint)?;
        Some(match ty {
            TypeRef::Any if !nullable => Accept::Always,
            ty => Accept::Type(ty, nullable),
        })
    }

    /// A `$ref` with keywords beside it: the target is one more part of an `allOf`.
    pub(super) fn ref_accept(
        &mut self,
        location: &Location,
        reference: &Value,
        name: &str,
    ) -> Option<Accept> {
        let Some(reference) = reference.as_str() else {
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
        if let Some(name) = self.named.get(&target) {
            let nullable = self.nullable.get(&target).copied().unwrap_or(false);
            return Some(Accept::Type(TypeRef::Named(name.clone()), nullable));
        }
        if target == *location {
            self.error(
                location,
                Some("$ref"),
                "a schema that refers to itself alone accepts nothing a type can hold",
            );
            return None;
        }
        let key = crate::lower::keywords::definition_key(&target.pointer).map(str::to_owned);
        self.accept(
            &target,
            &key.unwrap_or_else(|| names::suffixed(name, "Ref")),
            name,
        )
    }
}
