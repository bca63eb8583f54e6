//! The mapping checked on both sides: every source field against our schemas
//! (`schema/*.schema.json`), every target attribute against the vendored OCSF
//! document, and the conversions between them.
//!
//! `build.rs` runs [`check`] on the stock mapping and fails the build with
//! its messages; the tests run it on broken copies. Each message names the
//! mapping file and the schema file it disagrees with.
//!
//! # Design
//! Compiled into the library and into `build.rs` (`#[path]`): it depends on
//! the schema crate, serde and serde_json alone, so the build stays light.

use std::collections::{BTreeMap, BTreeSet};

use aperture_events_schema::SchemaSet;
use aperture_events_schema::documented::{self, DocumentedField};
use aperture_events_schema::vocabulary::keywords::CASE_INSENSITIVE;
use serde_json::Value;

use crate::model::{Activity, Conv, Mapping, Route, Rule, steps};
use crate::ocsf_doc::{self, Attribute, Class, Doc};

/// Where the mapping files live, for messages.
pub const MAPPING_DIR: &str = "ocsf/mapping";

/// What the severity conversion writes by default: vendor severity (the
/// index) → `severity_id`. Documented in `docs/ocsf.md`.
pub const SEVERITY_TABLE: [i64; 6] = [0, 1, 2, 3, 4, 5];

/// A source field as our schema describes it.
struct Source<'a> {
    /// JSON types it may have (`const` counts as its value's type), null left out.
    types: BTreeSet<&'static str>,
    known: Option<Vec<&'a str>>,
    case_insensitive: bool,
}

/// Checks `mapping` against `schemas` and `doc`; every problem found, one message each.
pub fn check(mapping: &Mapping, schemas: &SchemaSet, doc: &Doc) -> Vec<String> {
    let mut errors = Vec::new();
    let mut mapped = BTreeSet::new();
    for (file, types) in &mapping.types {
        let at = format!("{MAPPING_DIR}/{file}");
        let Some((_, index)) = schemas
            .event_types()
            .into_iter()
            .find(|(t, _)| *t == types.log_type)
        else {
            errors.push(format!(
                "{at}: log_type `{}` is the log_type of no schema in schema/",
                types.log_type
            ));
            continue;
        };
        mapped.insert(types.log_type.clone());
        let schema_file = format!("schema/{}", schemas.documents()[index].name());
        let fields = documented::fields(schemas, index);
        let fields: BTreeMap<&str, Source<'_>> =
            fields.iter().map(|f| (f.name, source(f))).collect();
        if types.routes.is_empty() {
            errors.push(format!("{at}: no routes"));
        }
        for (r, route) in types.routes.iter().enumerate() {
            let place = format!("{at}: routes[{r}] ({})", route.class);
            let Some(class) = doc.classes.get(&route.class) else {
                errors.push(format!(
                    "{place}: `{}` is not a class of {}",
                    route.class,
                    ocsf_doc::PATH
                ));
                continue;
            };
            let cx = Cx {
                doc,
                class,
                fields: &fields,
                schema_file: &schema_file,
                class_name: &route.class,
            };
            if route.when.is_none() && r + 1 != types.routes.len() {
                errors.push(format!("{place}: a route without `when` must be the last"));
            }
            check_route(&cx, &place, route, &mapping.common.rules, &mut errors);
        }
    }
    for (log_type, index) in schemas.event_types() {
        if !mapped.contains(log_type) {
            errors.push(format!(
                "schema/{}: the event type `{log_type}` has no mapping file in {MAPPING_DIR}/",
                schemas.documents()[index].name()
            ));
        }
    }
    errors
}

struct Cx<'a> {
    doc: &'a Doc,
    class: &'a Class,
    fields: &'a BTreeMap<&'a str, Source<'a>>,
    schema_file: &'a str,
    class_name: &'a str,
}

impl Cx<'_> {
    fn where_ocsf(&self) -> String {
        format!("class {} of {}", self.class_name, ocsf_doc::PATH)
    }
}

fn source<'a>(field: &DocumentedField<'a>) -> Source<'a> {
    let mut types = BTreeSet::new();
    for part in &field.parts {
        match part.get("type") {
            Some(Value::String(t)) => {
                types.insert(json_type(t));
            }
            Some(Value::Array(list)) => {
                types.extend(list.iter().filter_map(Value::as_str).map(json_type))
            }
            _ => {}
        }
        if let Some(c) = part.get("const") {
            types.insert(type_of(c));
        }
        if !types.is_empty() {
            break;
        }
    }
    types.remove("null");
    let case_insensitive = field
        .parts
        .iter()
        .any(|p| p.get(CASE_INSENSITIVE) == Some(&Value::Bool(true)));
    Source {
        types,
        known: field.known_values.clone(),
        case_insensitive,
    }
}

fn json_type(t: &str) -> &'static str {
    match t {
        "string" => "string",
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "object" => "object",
        "array" => "array",
        _ => "null",
    }
}

/// The JSON type of a value, `integer` for integral numbers.
pub fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The attribute at `path` in `class`, or why there is none.
pub fn resolve<'a>(doc: &'a Doc, class: &'a Class, path: &str) -> Result<&'a Attribute, String> {
    let mut object: Option<&str> = None;
    let steps = steps(path);
    let mut found = None;
    for (i, step) in steps.iter().enumerate() {
        let within = object.map_or_else(|| "the class".to_owned(), |o| format!("the object `{o}`"));
        let attributes = doc
            .attributes(class, object)
            .ok_or_else(|| format!("the object `{}` is missing", object.unwrap_or("")))?;
        let attribute = attributes
            .get(&step.name)
            .ok_or_else(|| format!("`{}` is not an attribute of {within}", step.name))?;
        if !attribute.profiles.is_empty() {
            return Err(format!(
                "`{}` belongs to the profile(s) {}, which the export does not declare",
                step.name,
                attribute.profiles.join(", ")
            ));
        }
        if attribute.is_array != step.array {
            return Err(if attribute.is_array {
                format!("`{}` is an array: write `{}[]`", step.name, step.name)
            } else {
                format!("`{}` is not an array: write `{}`", step.name, step.name)
            });
        }
        if i + 1 < steps.len() {
            match (&attribute.type_[..], &attribute.object_type) {
                ("object_t", Some(o)) => object = Some(o),
                _ => {
                    return Err(format!(
                        "`{}` is a {}, not an object",
                        step.name, attribute.type_
                    ));
                }
            }
        }
        found = Some(attribute);
    }
    found.ok_or_else(|| "an empty path".to_owned())
}

/// Whether the attribute takes a JSON value of type `json` (`integer`, ...).
pub fn accepts(doc: &Doc, attribute: &Attribute, json: &str) -> bool {
    let base = doc.base(&attribute.type_);
    matches!(
        (base, json),
        ("json_t", _)
            | ("string_t", "string")
            | ("integer_t" | "long_t", "integer")
            | ("float_t", "number" | "integer")
            | ("boolean_t", "boolean")
    )
}

fn check_value(cx: &Cx<'_>, path: &str, value: &Value) -> Result<(), String> {
    if let Value::Object(members) = value {
        let attribute = resolve(cx.doc, cx.class, path)?;
        if attribute.type_ != "object_t" {
            return Err(format!("`{path}` is a {}, not an object", attribute.type_));
        }
        for (k, v) in members {
            check_value(cx, &format!("{path}.{k}"), v)?;
        }
        return Ok(());
    }
    let attribute = resolve(cx.doc, cx.class, path)?;
    let t = type_of(value);
    if !accepts(cx.doc, attribute, t) {
        return Err(format!("`{path}` is a {}, not a {t}", attribute.type_));
    }
    if let Some(e) = &attribute.enum_ {
        if !e.contains_key(&value.to_string()) {
            return Err(format!("{value} is not a value of `{path}`"));
        }
    }
    Ok(())
}

fn fold(s: &str, fold_case: bool) -> String {
    if fold_case {
        s.to_ascii_lowercase()
    } else {
        s.to_owned()
    }
}

fn check_route(cx: &Cx<'_>, place: &str, route: &Route, common: &[Rule], errors: &mut Vec<String>) {
    let mut err = |m: String| errors.push(format!("{place}: {m}"));
    if let Some(when) = &route.when {
        match cx.fields.get(when.field.as_str()) {
            None => err(format!(
                "when: `{}` is not a property of {}",
                when.field, cx.schema_file
            )),
            Some(s) if s.case_insensitive != when.fold_case => err(format!(
                "when: fold_case is {} but `{}` in {} is {}case-insensitive",
                when.fold_case,
                when.field,
                cx.schema_file,
                if s.case_insensitive { "" } else { "not " }
            )),
            Some(_) => {}
        }
    }
    let activity = cx
        .class
        .attributes
        .get("activity_id")
        .and_then(|a| a.enum_.as_ref());
    let has_activity = |id: i64| activity.is_some_and(|e| e.contains_key(&id.to_string()));
    match &route.activity {
        Activity::Fixed { id } => {
            if !has_activity(*id) {
                err(format!(
                    "activity: {id} is not an activity_id of the {}",
                    cx.where_ocsf()
                ));
            }
        }
        Activity::Table {
            from,
            table,
            fallback,
        } => {
            for id in table.values().chain([fallback]) {
                if !has_activity(*id) {
                    err(format!(
                        "activity: {id} is not an activity_id of the {}",
                        cx.where_ocsf()
                    ));
                }
            }
            match cx.fields.get(from.as_str()) {
                None => err(format!(
                    "activity: `{from}` is not a property of {}",
                    cx.schema_file
                )),
                Some(s) if !s.types.contains("string") => err(format!(
                    "activity: `{from}` is not a string in {}",
                    cx.schema_file
                )),
                Some(_) => {}
            }
        }
    }
    for (path, value) in &route.set {
        if let Err(m) = check_value(cx, path, value) {
            err(format!("set: {m} ({})", cx.where_ocsf()));
        }
    }
    let mut targets = BTreeSet::new();
    let rules = common
        .iter()
        .map(|r| ("common rule", r))
        .chain(route.rules.iter().map(|r| ("rule", r)));
    for (kind, rule) in rules {
        let label = format!("{kind} `{}` → `{}`", rule.from, rule.to.join("`, `"));
        for t in &rule.to {
            if !targets.insert(t.clone()) {
                err(format!("{label}: `{t}` is written by two rules"));
            }
        }
        for m in check_rule(cx, rule) {
            err(format!("{label}: {m}"));
        }
    }
    for fill in &route.defaults {
        if let Err(m) = check_value(cx, &fill.at, &fill.value) {
            err(format!("defaults `{}`: {m} ({})", fill.at, cx.where_ocsf()));
        }
        if let Some(only_if) = &fill.only_if {
            if let Err(m) = resolve(cx.doc, cx.class, only_if) {
                err(format!(
                    "defaults `{}`: if: {m} ({})",
                    fill.at,
                    cx.where_ocsf()
                ));
            }
        }
    }
}

fn check_rule(cx: &Cx<'_>, rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    let Some(source) = cx.fields.get(rule.from.as_str()) else {
        out.push(format!(
            "`{}` is not a property of {}",
            rule.from, cx.schema_file
        ));
        return out;
    };
    let mut attributes = Vec::new();
    for to in &rule.to {
        match resolve(cx.doc, cx.class, to) {
            Ok(a) => attributes.push((to, a)),
            Err(m) => out.push(format!("{m} ({})", cx.where_ocsf())),
        }
    }
    for (path, value) in &rule.with {
        if let Err(m) = check_value(cx, path, value) {
            out.push(format!("with: {m} ({})", cx.where_ocsf()));
        }
    }
    // The JSON types the rule takes from the source.
    let taken: BTreeSet<&str> = match &rule.types {
        Some(list) => {
            for t in list {
                if !source.types.contains(t.as_str()) {
                    out.push(format!(
                        "types: `{}` is never a {t} in {}",
                        rule.from, cx.schema_file
                    ));
                }
            }
            list.iter().map(String::as_str).collect()
        }
        None => source.types.clone(),
    };
    let mismatch = |path: &str, a: &Attribute, what: &str| {
        format!(
            "type mismatch: `{}` is {what} in {} but `{path}` is a {} in the {}",
            rule.from,
            cx.schema_file,
            a.type_,
            cx.where_ocsf()
        )
    };
    match rule.conv {
        Conv::Copy => {
            for (path, a) in &attributes {
                for t in &taken {
                    if !accepts(cx.doc, a, t) {
                        out.push(mismatch(path, a, &format!("a {t}")));
                    }
                }
            }
        }
        Conv::Time => {
            if !taken.contains("string") {
                out.push(format!(
                    "time: `{}` is not a string in {}",
                    rule.from, cx.schema_file
                ));
            }
            for (path, a) in &attributes {
                if cx.doc.base(&a.type_) != "long_t" {
                    out.push(mismatch(path, a, "a date-time"));
                }
            }
        }
        Conv::Severity => {
            if !taken.contains("integer") {
                out.push(format!(
                    "severity: `{}` is not an integer in {}",
                    rule.from, cx.schema_file
                ));
            }
            for (path, a) in &attributes {
                let ok = a.enum_.as_ref().is_some_and(|e| {
                    SEVERITY_TABLE
                        .iter()
                        .all(|id| e.contains_key(&id.to_string()))
                });
                if !ok {
                    out.push(mismatch(path, a, "a severity"));
                }
            }
        }
        Conv::Table => out.extend(check_table(cx, rule, source, &taken, &attributes)),
    }
    if rule.conv != Conv::Table
        && (rule.table.is_some() || rule.fallback.is_some() || rule.fold_case)
    {
        out.push("table, fallback and fold_case belong to conv \"table\" only".to_owned());
    }
    out
}

fn check_table(
    cx: &Cx<'_>,
    rule: &Rule,
    source: &Source<'_>,
    taken: &BTreeSet<&str>,
    attributes: &[(&String, &Attribute)],
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(table) = &rule.table else {
        return vec!["conv \"table\" without a table".to_owned()];
    };
    if !taken.contains("string") {
        out.push(format!(
            "table: `{}` is not a string in {}",
            rule.from, cx.schema_file
        ));
    }
    if source.case_insensitive != rule.fold_case {
        out.push(format!(
            "fold_case is {} but `{}` in {} is {}case-insensitive",
            rule.fold_case,
            rule.from,
            cx.schema_file,
            if source.case_insensitive { "" } else { "not " }
        ));
    }
    for (path, a) in attributes {
        for value in table.values().chain(rule.fallback.iter()) {
            let t = type_of(value);
            if !accepts(cx.doc, a, t) {
                out.push(format!(
                    "type mismatch: the table gives a {t} but `{path}` is a {} in the {}",
                    a.type_,
                    cx.where_ocsf()
                ));
            } else if let Some(e) = &a.enum_ {
                if !e.contains_key(&value.to_string()) {
                    out.push(format!(
                        "{value} is not a value of `{path}` in the {}",
                        cx.where_ocsf()
                    ));
                }
            }
        }
    }
    if rule.fallback.is_none() {
        let keys: BTreeSet<String> = table.keys().map(|k| fold(k, rule.fold_case)).collect();
        for known in source.known.iter().flatten() {
            if !keys.contains(&fold(known, rule.fold_case)) {
                out.push(format!(
                    "the table misses `{known}`, a value of `{}` (x-known-values in {}), and has no fallback",
                    rule.from, cx.schema_file
                ));
            }
        }
    }
    out
}
