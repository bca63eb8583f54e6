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

use aperture_events_schema::Draft;
use serde_json::{Map, Number, Value};

use super::{Hint, Lowerer};
use crate::ir::{Accept, Check, Checked, Element, Item, JsonType, TypeRef};
use crate::load::Location;
use crate::ordered::escape_token;

/// Keywords only checked values implement.
pub(super) const CHECKED_KEYWORDS: &[&str] = &[
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
];

/// Keywords that constrain a value when no `type` stands beside them.
const CONSTRAINTS: &[&str] = &[
    "minimum",
    "maximum",
    "format",
    "properties",
    "required",
    "additionalProperties",
];

/// The formats checked values assert, as the validator does.
pub(super) const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "uuid",
    "ipv4",
    "ipv6",
    "uri",
];

impl Lowerer<'_> {
    /// Whether the schema needs a checked value: it uses a keyword, or a
    /// combination, that the plain types (structs, enumerations, bounded
    /// integers, scalars) do not enforce.
    pub(super) fn needs_check(object: &Map<String, Value>, types: Option<&[String]>) -> bool {
        if Self::struct_with_checks(object, types) {
            return false;
        }
        if CHECKED_KEYWORDS.iter().any(|k| object.contains_key(*k)) {
            return true;
        }
        if object.contains_key("const") {
            return true;
        }
        let non_null: Vec<&str> = types
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        if let Some(values) = object.get("enum") {
            let strings = values.as_array().is_some_and(|v| {
                v.iter().all(|v| v.is_string() || v.is_null()) && v.iter().any(Value::is_string)
            });
            let string_typed = non_null.iter().all(|t| *t == "string");
            // An enumeration checks no `format`: a value may be listed and malformed.
            return !(strings && string_typed) || object.contains_key("format");
        }
        let Some(types) = types else {
            return CONSTRAINTS.iter().any(|k| object.contains_key(*k));
        };
        // `required` naming a property `properties` does not describe.
        let properties = object.get("properties").and_then(Value::as_object);
        let unlisted = object
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .any(|k| properties.is_none_or(|p| !p.contains_key(k)))
            });
        let bounded = object.contains_key("minimum") || object.contains_key("maximum");
        let format = object.get("format");
        let integer = non_null.contains(&"integer") && !non_null.contains(&"number");
        unlisted
            || (integer && !fits_a_rust_integer(object))
            || non_null.is_empty()
            || non_null.contains(&"array")
            || (non_null.contains(&"integer") && non_null.contains(&"number"))
            || (bounded && non_null.contains(&"number"))
            || (format.is_some() && non_null.contains(&"string") && non_null != ["string"])
            || (non_null == ["string"] && format.is_some_and(|f| f != "date-time"))
            || (non_null.len() > 1 && non_null.contains(&"object"))
            || (types.len() > 1 && object.contains_key("additionalProperties"))
    }

    /// A checked value for the schema at `location`.
    pub(super) fn checked(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        types: Option<Vec<String>>,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let (draft, _) = self.schemas.draft(location);
        let types: Option<Vec<JsonType>> =
            types.map(|t| t.iter().filter_map(|t| json_type(t, draft)).collect());
        let composed = ["const", "enum", "allOf", "anyOf", "oneOf", "not", "$ref"]
            .iter()
            .any(|k| object.contains_key(*k));
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
        if one == Some(JsonType::Array) && plain_array(location, object) {
            let items = child(location, "items");
            let (ty, nullable) =
                match self.accept(&items, &format!("{}Item", hint.name), &hint.scope)? {
                    // An item that would lose its spelling in a `Vec`: the JSON is kept.
                    Accept::Type(ty, _) if self.keeps_spelling(&ty) => {
                        return self.checked_item(location, object, types, one, lifted, hint);
                    }
                    Accept::Type(ty, nullable) => (ty, nullable),
                    // Any JSON item: a checked value, whose reader refuses duplicate keys.
                    Accept::Always => {
                        return self.checked_item(location, object, types, one, lifted, hint);
                    }
                    Accept::Never => {
                        return self.checked_item(location, object, types, one, lifted, hint);
                    }
                };
            return Some((TypeRef::List(Box::new(ty), nullable), lifted));
        }
        self.checked_item(location, object, types, one, lifted, hint)
    }

    /// A named checked value.
    fn checked_item(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        types: Option<Vec<JsonType>>,
        one: Option<JsonType>,
        lifted: bool,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let name = self.named(location, hint, |this, name| {
            let (inner, mut checks) = this.inner(location, object, one, name)?;
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
    fn inner(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
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
        if let Some(reference) = object.get("$ref") {
            let accept = self.ref_accept(location, reference, name)?;
            checks.push(Check::AllOf(vec![accept]));
        }
        for key in ["minimum", "exclusiveMinimum"] {
            if let Some(n) = self.number_keyword(location, object, key, &mut ok) {
                checks.push(Check::Minimum(n, key != "minimum"));
            }
        }
        for key in ["maximum", "exclusiveMaximum"] {
            if let Some(n) = self.number_keyword(location, object, key, &mut ok) {
                checks.push(Check::Maximum(n, key != "maximum"));
            }
        }
        if let Some(n) = self.number_keyword(location, object, "multipleOf", &mut ok) {
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
        if let Some(n) = self.count(location, object, "minLength", &mut ok) {
            checks.push(Check::MinLength(n));
        }
        if let Some(n) = self.count(location, object, "maxLength", &mut ok) {
            checks.push(Check::MaxLength(n));
        }
        if let Some(pattern) = object.get("pattern") {
            match pattern.as_str() {
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
        if let Some(format) = object.get("format") {
            match format.as_str() {
                Some(f) if FORMATS.contains(&f) => {
                    if f == "ipv4" && inner == TypeRef::String {
                        inner = TypeRef::Ipv4Addr;
                    }
                    checks.push(Check::Format(f.to_owned()));
                }
                _ => {
                    self.refuse(
                        location,
                        Some("format"),
                        format!(
                            "unsupported format {format}: supported are {}",
                            FORMATS.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
        }
        let list = one == Some(JsonType::Array);
        self.array_checks(
            location,
            object,
            name,
            list.then_some(&mut inner),
            &mut checks,
            &mut ok,
        );
        self.object_checks(location, object, name, &mut checks, &mut ok);
        if let Some(value) = object.get("const") {
            checks.push(Check::Const(value.to_string()));
        }
        if let Some(values) = object.get("enum") {
            match values.as_array() {
                Some(values) => {
                    checks.push(Check::Enum(values.iter().map(Value::to_string).collect()))
                }
                None => {
                    self.error(location, Some("enum"), "`enum` must be an array");
                    ok = false;
                }
            }
        }
        self.composition_checks(location, object, name, &mut checks, &mut ok);
        checks.retain(|c| !c.is_trivial());
        ok.then_some((inner, checks))
    }

    /// `allOf`, `anyOf`, `oneOf`, `not`.
    fn composition_checks(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        for (key, part) in [("allOf", "Part"), ("anyOf", "Option"), ("oneOf", "Choice")] {
            if let Some(accepts) = self.schema_list(location, object, key, name, part, ok) {
                checks.push(match key {
                    "allOf" => Check::AllOf(accepts),
                    "anyOf" => Check::AnyOf(accepts),
                    _ => Check::OneOf(accepts),
                });
            }
        }
        if object.contains_key("not") {
            let child = child(location, "not");
            match self.accept(&child, &format!("{name}Not"), name) {
                Some(a) => checks.push(Check::Not(a)),
                None => *ok = false,
            }
        }
    }

    /// The checks of an object schema that its struct does not make itself:
    /// `patternProperties` (with `additionalProperties` then checked here),
    /// `propertyNames`, `minProperties`, `maxProperties`, `dependentRequired`
    /// and composition. `None` after reporting a problem.
    pub(super) fn struct_checks(
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
            keys.extend(["properties", "additionalProperties"]);
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
    pub(super) fn struct_with_checks(
        object: &Map<String, Value>,
        types: Option<&[String]>,
    ) -> bool {
        let Some(types) = types else { return false };
        let nullable = types.iter().any(|t| t == "null");
        let object_only = types.iter().all(|t| t == "object" || t == "null")
            && types.iter().any(|t| t == "object");
        let composed = ["allOf", "anyOf", "oneOf", "not"];
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
        object_only
            && required_listed
            && !object.contains_key("$ref")
            && !object.contains_key("const")
            && !object.contains_key("enum")
            && (!nullable || !composed.iter().any(|k| object.contains_key(*k)))
            && object.keys().all(|k| {
                !CHECKED_KEYWORDS.contains(&k.as_str())
                    || extra.contains(&k.as_str())
                    || composed.contains(&k.as_str())
            })
    }

    /// `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`. A
    /// plain `items` becomes the `Vec` the value is held as, and a fixed
    /// length array the tuple it is held as (see [`tuple`]).
    fn array_checks(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        name: &str,
        inner: Option<&mut TypeRef>,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        let mut prefix = None;
        if let Some(items) = object.get("prefixItems") {
            match items.as_array() {
                Some(items) => {
                    let mut accepts = Vec::new();
                    for index in 0..items.len() {
                        let child = child(location, &format!("prefixItems/{index}"));
                        match self.accept(&child, &format!("{name}Item{index}"), name) {
                            Some(a) => accepts.push(a),
                            None => *ok = false,
                        }
                    }
                    prefix = Some(accepts);
                }
                None => {
                    self.error(
                        location,
                        Some("prefixItems"),
                        "`prefixItems` must be an array",
                    );
                    *ok = false;
                }
            }
        }
        let after = prefix.as_ref().map_or(0, Vec::len);
        let rest = if object.contains_key("items") {
            let accept = self.accept(&child(location, "items"), &format!("{name}Item"), name);
            *ok &= accept.is_some();
            accept
        } else {
            None
        };
        let min_items = self.count(location, object, "minItems", ok);
        match (inner, prefix, rest) {
            (Some(inner), None, Some(Accept::Type(ty, nullable))) if !self.keeps_spelling(&ty) => {
                *inner = TypeRef::List(Box::new(ty), nullable);
            }
            (inner, Some(prefix), rest) => {
                let fixed = rest == Some(Accept::Never) && min_items >= Some(prefix.len() as u64);
                let tuple = if fixed { self.tuple(&prefix) } else { None };
                match (inner, tuple) {
                    // Converting into the tuple checks each element.
                    (Some(inner), Some(elements)) => *inner = TypeRef::Tuple(elements),
                    _ => checks.push(Check::PrefixItems(prefix)),
                }
                checks.extend(rest.map(|rest| Check::Items(after, rest)));
            }
            (_, None, rest) => checks.extend(rest.map(|rest| Check::Items(after, rest))),
        }
        if let Some(n) = min_items {
            checks.push(Check::MinItems(n));
        }
        if let Some(n) = self.count(location, object, "maxItems", ok) {
            checks.push(Check::MaxItems(n));
        }
        match object.get("uniqueItems") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => checks.push(Check::UniqueItems),
            Some(_) => {
                self.error(
                    location,
                    Some("uniqueItems"),
                    "`uniqueItems` must be a boolean",
                );
                *ok = false;
            }
        }
    }

    /// Whether values of `ty` keep how they were spelled only in a struct's
    /// slot: an open set read case-insensitively or with `x-quirk-values`
    /// spellings writes back its canonical spelling on its own, so a `Vec`,
    /// a tuple or a typed map of it would not give back what it read.
    pub(super) fn keeps_spelling(&self, ty: &TypeRef) -> bool {
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

    /// Whether `pattern` (at `location`, under `keyword`) is a regular
    /// expression the validator compiles; reports it when not. The validator
    /// translates an ECMA-262 pattern to Rust syntax first (`jsonschema-regex`)
    /// and refuses the schema when that fails, so the same translation
    /// decides here (feature `patterns`).
    #[cfg(feature = "patterns")]
    fn regex(&mut self, location: &Location, keyword: Option<&str>, pattern: &str) -> bool {
        if jsonschema_regex::to_rust_regex(pattern).is_ok() {
            return true;
        }
        self.error(
            location,
            keyword,
            format!(
                "{} is not a regular expression the validator accepts (ECMA-262, as `jsonschema` reads it)",
                Value::from(pattern)
            ),
        );
        false
    }

    /// Without the feature `patterns`, no regex crate is compiled and every
    /// pattern is taken; one the validator cannot compile matches no string.
    #[cfg(not(feature = "patterns"))]
    fn regex(&mut self, _: &Location, _: Option<&str>, _: &str) -> bool {
        true
    }

    /// The elements of the tuple a fixed-length array is held as, when it
    /// fits one: 1 to [`TUPLE_MAX`] elements, each a type (`true` is any JSON
    /// value). No tuple when an element is `false` (no array of that length
    /// is valid) or keeps its spelling only in a struct (see
    /// [`Self::keeps_spelling`]).
    fn tuple(&self, prefix: &[Accept]) -> Option<Vec<Element>> {
        if prefix.is_empty() || prefix.len() > TUPLE_MAX {
            return None;
        }
        prefix
            .iter()
            .map(|accept| match accept {
                Accept::Type(ty, _) if self.keeps_spelling(ty) => None,
                Accept::Type(ty, nullable) => Some(Element {
                    ty: ty.clone(),
                    nullable: *nullable,
                    boxed: false,
                }),
                Accept::Always => Some(Element {
                    ty: TypeRef::Any,
                    nullable: false,
                    boxed: false,
                }),
                Accept::Never => None,
            })
            .collect()
    }

    /// The object keywords, checked on the JSON object.
    fn object_checks(
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
                    match self.accept(&child, &format!("{name}Matching"), name) {
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
        if object.contains_key("additionalProperties") {
            let child = child(location, "additionalProperties");
            match self.accept(&child, &format!("{name}Extra"), name) {
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
            match self.accept(&child, &format!("{name}Key"), name) {
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
    fn dependent_schemas(
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
            match self.accept(&child, &format!("{name}Dependent"), name) {
                Some(a) => accepts.push((key, a)),
                None => *ok = false,
            }
        }
        checks.push(Check::DependentSchemas(accepts));
    }

    /// The subschemas of `allOf`/`anyOf`/`oneOf`.
    fn schema_list(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
        name: &str,
        part: &str,
        ok: &mut bool,
    ) -> Option<Vec<Accept>> {
        let value = object.get(key)?;
        let Some(list) = value.as_array().filter(|l| !l.is_empty()) else {
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
    pub(super) fn accept(
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
    fn ref_accept(&mut self, location: &Location, reference: &Value, name: &str) -> Option<Accept> {
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
        let key = super::keywords::definition_key(&target.pointer).map(str::to_owned);
        self.accept(&target, &key.unwrap_or_else(|| format!("{name}Ref")), name)
    }

    /// A numeric keyword's value.
    fn number_keyword(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
        ok: &mut bool,
    ) -> Option<Number> {
        match object.get(key)? {
            Value::Number(n) => Some(n.clone()),
            _ => {
                self.error(location, Some(key), format!("`{key}` must be a number"));
                *ok = false;
                None
            }
        }
    }

    /// A count keyword (`minLength`, `maxItems`...): a non-negative integer.
    fn count(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
        ok: &mut bool,
    ) -> Option<u64> {
        let value = object.get(key)?;
        let count = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f.min(u64::MAX as f64) as u64)
        });
        if count.is_none() {
            self.error(
                location,
                Some(key),
                format!("`{key}` must be a non-negative integer"),
            );
            *ok = false;
        }
        count
    }
}

/// Whether `minimum` and `maximum` are both given and every integer between
/// them fits the Rust integer a bounded integer holds (`i64`, or `u64` when
/// not negative): otherwise a checked number keeps integers of any size.
fn fits_a_rust_integer(object: &Map<String, Value>) -> bool {
    let bound = |key: &str| object.get(key).and_then(Value::as_f64);
    match (bound("minimum"), bound("maximum")) {
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

/// Whether an array schema is `items` alone (beside annotations), away from
/// `$defs` (where a type may refer to itself and needs a name): a plain `Vec`.
fn plain_array(location: &Location, object: &Map<String, Value>) -> bool {
    let definition = location.pointer.is_empty()
        || location
            .pointer
            .rsplit_once('/')
            .is_some_and(|(parent, _)| {
                super::keywords::DEFINITIONS
                    .iter()
                    .any(|d| parent.ends_with(&format!("/{d}")))
            });
    !definition
        && object.contains_key("items")
        && object.keys().all(|k| {
            k == "type"
                || k == "items"
                || super::keywords::is_extension(k)
                || super::keywords::is_annotation(k)
        })
}

/// A child location (`key` already escaped where it holds a name).
fn child(location: &Location, key: &str) -> Location {
    Location {
        doc: location.doc,
        pointer: format!("{}/{key}", location.pointer),
    }
}

/// The most elements a tuple has: std implements `Debug`, `Clone`, `Eq`
/// and `Hash` for tuples up to 12 elements.
const TUPLE_MAX: usize = 12;
