//! Schemas no plain Rust type expresses become checked values: arrays with
//! constraints, string and number constraints, composition (`allOf`, `anyOf`,
//! `oneOf`, `not`), `const`/`enum` of any JSON, object keywords beyond
//! `properties`, and keywords standing without a `type`.
//!
//! # Design
//! A checked value is read as JSON, checked keyword by keyword with JSON
//! Schema's semantics (each keyword constrains the JSON types it names, the
//! others pass), then converted into its `inner` Rust type. A subschema is
//! checked by deserializing the value into the subschema's own generated type
//! ([`Accept`]), so every construct is enforced by exactly one piece of
//! generated code, and composition reuses it.
//!
//! This module decides whether a schema needs a checked value and what it
//! holds; the keywords of each family are read in their own module
//! (`arrays`, `objects`, `subschemas` for composition, `values` for keyword
//! values: numbers, counts, regular expressions).

mod arrays;
mod objects;
mod subschemas;
mod unevaluated;
mod values;

use arrays::plain_array;

use aperture_events_schema::Draft;
use aperture_events_schema::vocabulary::{self, Keywords, Read};
use serde_json::Value;

use super::support;
use super::{Hint, Lowerer};
use crate::ir::{Accept, Check, Checked, Item, JsonType, TypeRef};
use crate::load::Location;
use crate::names;

/// The check of draft-04's and -06's `hostname`, which jsonschema holds to
/// RFC 1034 alone (the runtime's `is_valid_hostname_rfc1034`; its errors say
/// `hostname`).
const HOSTNAME_RFC1034: &str = "hostname-rfc1034";

impl Lowerer<'_> {
    /// Whether the schema needs a checked value: it uses a keyword, or a
    /// combination, that the plain types (structs, enumerations, bounded
    /// integers, scalars) do not enforce.
    pub(in crate::lower) fn needs_check(keywords: &Keywords<'_>, types: Option<&[String]>) -> bool {
        let object = keywords.map();
        if holds_no_property(keywords) {
            return true;
        }
        if Self::struct_with_checks(keywords, types) {
            return false;
        }
        if object.keys().any(|k| support::is_checked(k)) {
            return true;
        }
        if keywords.constant.is_some() {
            return true;
        }
        let non_null: Vec<&str> = types
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        if keywords.enumeration.is_present() {
            let strings = keywords.enumeration.ok().is_some_and(|v| {
                v.iter().all(|v| v.is_string() || v.is_null()) && v.iter().any(Value::is_string)
            });
            let string_typed = non_null.iter().all(|t| *t == "string");
            // An enumeration checks no `format`: a value may be listed and malformed.
            return !(strings && string_typed) || keywords.format.is_present();
        }
        let Some(types) = types else {
            return object.keys().any(|k| support::constrains_untyped(k));
        };
        // `required` naming a property `properties` does not describe (the
        // strings of a misshapen `required` too, which is reported elsewhere).
        let properties = keywords.properties.ok();
        let unlisted = keywords
            .required_names()
            .iter()
            .any(|k| properties.is_none_or(|p| !p.contains_key(*k)));
        let bounded = keywords.minimum.is_present() || keywords.maximum.is_present();
        let format = keywords.format.is_present().then_some(keywords.format.ok());
        let integer = non_null.contains(&"integer") && !non_null.contains(&"number");
        unlisted
            || (integer && !fits_a_rust_integer(keywords))
            || non_null.is_empty()
            || non_null.contains(&"array")
            || (non_null.contains(&"integer") && non_null.contains(&"number"))
            || (bounded && non_null.contains(&"number"))
            || (format.is_some() && non_null.contains(&"string") && non_null != ["string"])
            || (non_null == ["string"] && format.is_some_and(|f| f != Some("date-time")))
            || (non_null.len() > 1 && non_null.contains(&"object"))
            || (types.len() > 1 && super::keywords::additional_properties(keywords).is_some())
    }

    /// A checked value for the schema at `location`.
    pub(in crate::lower) fn checked(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        types: Option<Vec<String>>,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let (draft, _) = self.schemas.draft(location);
        let types: Option<Vec<JsonType>> =
            types.map(|t| t.iter().filter_map(|t| json_type(t, draft)).collect());
        let composed = keywords.constant.is_some()
            || keywords.enumeration.is_present()
            || keywords.all_of.is_present()
            || keywords.any_of.is_present()
            || keywords.one_of.is_present()
            || keywords.not.is_some()
            || keywords.reference.is_present();
        let non_null: Vec<JsonType> = types
            .iter()
            .flatten()
            .copied()
            .filter(|t| *t != JsonType::Null)
            .collect();
        // `null` is left to the field's `Option` when no check could refuse it.
        let lifted = !composed
            && non_null.len() == 1
            && types.as_ref().is_some_and(|t| t.contains(&JsonType::Null));
        let one = (non_null.len() == 1 && (lifted || types.as_ref().is_some_and(|t| t.len() == 1)))
            .then(|| non_null[0]);
        self.nullable.insert(location.clone(), lifted);
        if one == Some(JsonType::Array) && plain_array(location, keywords) {
            let items = child(location, "items");
            let (ty, nullable) =
                match self.accept(&items, &names::suffixed(&hint.name, "Item"), &hint.scope)? {
                    // An item that would lose its spelling in a `Vec`: the JSON is kept.
                    Accept::Type(ty, _) if self.keeps_spelling(&ty) => {
                        return self.checked_item(location, keywords, types, one, lifted, hint);
                    }
                    Accept::Type(ty, nullable) => (ty, nullable),
                    // Any JSON item: a checked value, whose reader refuses duplicate keys.
                    Accept::Always => {
                        return self.checked_item(location, keywords, types, one, lifted, hint);
                    }
                    Accept::Never => {
                        return self.checked_item(location, keywords, types, one, lifted, hint);
                    }
                };
            return Some((TypeRef::List(Box::new(ty), nullable), lifted));
        }
        self.checked_item(location, keywords, types, one, lifted, hint)
    }

    /// A named checked value.
    pub(super) fn checked_item(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        types: Option<Vec<JsonType>>,
        one: Option<JsonType>,
        lifted: bool,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let name = self.named(location, hint, |this, name| {
            let (inner, mut checks) = this.inner(location, keywords, one, name)?;
            match (&types, one) {
                (Some(t), _)
                    if one.is_none()
                        || matches!(one, Some(JsonType::Integer | JsonType::WrittenInteger))
                        || inner == TypeRef::Any =>
                {
                    let mut t = t.clone();
                    if lifted {
                        t.retain(|t| *t != JsonType::Null);
                    }
                    t.sort();
                    t.dedup();
                    checks.insert(0, Check::Types(t));
                }
                _ => {}
            }
            let docs = this.docs(location);
            Some(Item::Checked(Checked {
                name: name.to_owned(),
                docs,
                inner,
                checks,
            }))
        })?;
        Some((TypeRef::Named(name), lifted))
    }

    /// The Rust type a checked value is held as, and every check it needs.
    pub(super) fn inner(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        one: Option<JsonType>,
        name: &str,
    ) -> Option<(TypeRef, Vec<Check>)> {
        let mut checks = Vec::new();
        let mut ok = true;
        let mut inner = match one {
            Some(JsonType::String) => TypeRef::String,
            Some(JsonType::Boolean) => TypeRef::Bool,
            Some(JsonType::Number | JsonType::Integer | JsonType::WrittenInteger) => {
                TypeRef::Number(Default::default())
            }
            _ => TypeRef::Any,
        };
        if let Some(reference) = keywords.reference_value() {
            let accept = self.ref_accept(location, reference, name)?;
            checks.push(Check::AllOf(vec![accept]));
        }
        for (key, read) in [
            ("minimum", keywords.minimum),
            ("exclusiveMinimum", keywords.exclusive_minimum),
        ] {
            if let Some(n) = self.number_keyword(location, key, read, &mut ok) {
                checks.push(Check::Minimum(n, key != "minimum"));
            }
        }
        for (key, read) in [
            ("maximum", keywords.maximum),
            ("exclusiveMaximum", keywords.exclusive_maximum),
        ] {
            if let Some(n) = self.number_keyword(location, key, read, &mut ok) {
                checks.push(Check::Maximum(n, key != "maximum"));
            }
        }
        if let Some(n) = self.number_keyword(location, "multipleOf", keywords.multiple_of, &mut ok)
        {
            if n.as_f64().is_some_and(|f| f > 0.0) {
                checks.push(Check::MultipleOf(n));
            } else {
                self.error(
                    location,
                    Some("multipleOf"),
                    "`multipleOf` must be greater than 0",
                );
                ok = false;
            }
        }
        if let Some(n) = self.counted(location, "minLength", keywords.min_length, &mut ok) {
            checks.push(Check::MinLength(n));
        }
        if let Some(n) = self.counted(location, "maxLength", keywords.max_length, &mut ok) {
            checks.push(Check::MaxLength(n));
        }
        if keywords.pattern.is_present() {
            match keywords.pattern.ok() {
                Some(p) if self.regex(location, Some("pattern"), p) => {
                    checks.push(Check::Pattern(p.to_owned()));
                }
                Some(_) => ok = false,
                None => {
                    self.error(location, Some("pattern"), "`pattern` must be a string");
                    ok = false;
                }
            }
        }
        if keywords.format.is_present() {
            match keywords.format.ok() {
                Some(f) if vocabulary::format_known(f) => {
                    if f == "ipv4" && inner == TypeRef::String {
                        inner = TypeRef::Ipv4Addr;
                    }
                    // jsonschema's draft-04 and -06 `hostname` is RFC 1034 alone.
                    let (draft, _) = self.schemas.draft(location);
                    let f = if f == "hostname" && draft <= Draft::Draft6 {
                        HOSTNAME_RFC1034
                    } else {
                        f
                    };
                    checks.push(Check::Format(f.to_owned()));
                }
                Some(format) => {
                    self.refuse(
                        location,
                        Some("format"),
                        format!(
                            "unsupported format {}: supported are {}",
                            Value::from(format),
                            vocabulary::formats().collect::<Vec<_>>().join(", ")
                        ),
                    );
                    ok = false;
                }
                None => {
                    self.error(location, Some("format"), "`format` must be a string");
                    ok = false;
                }
            }
        }
        let list = one == Some(JsonType::Array);
        self.array_checks(
            location,
            keywords,
            name,
            list.then_some(&mut inner),
            &mut checks,
            &mut ok,
        );
        self.object_checks(location, keywords, name, &mut checks, &mut ok);
        if let Some(value) = keywords.constant {
            checks.push(Check::Const(value.to_string()));
        }
        if keywords.enumeration.is_present() {
            match keywords.enumeration.ok() {
                Some(values) => {
                    checks.push(Check::Enum(values.iter().map(Value::to_string).collect()))
                }
                None => {
                    self.error(location, Some("enum"), "`enum` must be an array");
                    ok = false;
                }
            }
        }
        self.composition_checks(location, keywords, name, &mut checks, &mut ok);
        // After composition, so that the branches it reads already have their names.
        self.unevaluated_checks(location, keywords, name, &mut checks, &mut ok);
        checks.retain(|c| !c.is_trivial());
        ok.then_some((inner, checks))
    }

    /// Whether values of `ty` keep how they were spelled only in a struct's
    /// slot: an open set read case-insensitively or with `x-quirk-values`
    /// spellings writes back its canonical spelling on its own, so a `Vec`,
    /// a tuple or a typed map of it would not give back what it read.
    pub(in crate::lower) fn keeps_spelling(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        self.items.iter().any(|(_, item)| match item {
            Item::OpenEnum(e) if e.name == *name => {
                e.case_insensitive || e.variants.iter().any(|v| !v.spellings.is_empty())
            }
            _ => false,
        })
    }
}

/// Whether an object schema admits no property at all (no `properties`, no
/// `patternProperties`, and `additionalProperties: false` or the
/// `unevaluatedProperties: false` meaning it): a checked value, since a
/// struct of no field would be a type with nothing to read.
fn holds_no_property(keywords: &Keywords<'_>) -> bool {
    let no_properties = match keywords.properties {
        Read::Absent => true,
        Read::Value(properties) => properties.is_empty(),
        Read::Misshapen(_) => false,
    };
    no_properties
        && !keywords.pattern_properties.is_present()
        && super::keywords::additional_schema(keywords).is_some_and(|v| *v == Value::Bool(false))
}

/// Whether `minimum` and `maximum` are both given and every integer between
/// them fits the Rust integer a bounded integer holds (`i64`, or `u64` when
/// not negative): otherwise a checked number keeps integers of any size.
fn fits_a_rust_integer(keywords: &Keywords<'_>) -> bool {
    let bound =
        |read: Read<'_, &serde_json::Number>| read.ok().and_then(serde_json::Number::as_f64);
    match (bound(keywords.minimum), bound(keywords.maximum)) {
        (Some(min), Some(max)) => {
            let signed = min >= i64::MIN as f64 && max < i64::MAX as f64;
            let unsigned = min >= 0.0 && max < u64::MAX as f64;
            signed || unsigned
        }
        _ => false,
    }
}

/// A JSON type by name, as `draft` reads it.
fn json_type(name: &str, draft: Draft) -> Option<JsonType> {
    Some(match name {
        "null" => JsonType::Null,
        "boolean" => JsonType::Boolean,
        "integer" if draft == Draft::Draft4 => JsonType::WrittenInteger,
        "integer" => JsonType::Integer,
        "number" => JsonType::Number,
        "string" => JsonType::String,
        "array" => JsonType::Array,
        "object" => JsonType::Object,
        _ => return None,
    })
}

/// A child location (`key` already escaped where it holds a name).
fn child(location: &Location, key: &str) -> Location {
    Location {
        doc: location.doc,
        pointer: format!("{}/{key}", location.pointer),
    }
}
