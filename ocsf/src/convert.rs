//! The converter: one event in, one OCSF event out, and back.
//!
//! # Design
//! Nothing is lost by construction: after an event is mapped, every rule is
//! read back from the output (the same code [`Converter::rebuild`] runs),
//! and a source value that does not come back equal (a null, a value of a
//! type or pattern the attribute refuses, a table that folds case, a float
//! `1.0` that reads back `1`, a timestamp with an offset) is kept in
//! `unmapped` under its own name as well. Fields no rule reads go to
//! `unmapped` whole. So `rebuild(convert(e)) == e` holds for any object with
//! a timestamp, and the property tests check it.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use crate::check::type_of;
use crate::model::Conv;
use crate::options::{Options, Unknown};
use crate::path;
use crate::plan::{ClassInfo, PLAN, Plan, RoutePlan, RulePlan, Target};
use crate::uid::content_hash;

/// The OCSF version written in `metadata.version`.
pub const OCSF_VERSION: &str = "1.8.0";

/// What became of an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    /// The OCSF event.
    Event(Value),
    /// An unknown event type, skipped as [`Unknown::Skip`] asks.
    Skipped {
        /// Its `log_type` (empty when it has none that is a string).
        log_type: String,
    },
}

/// Why an event could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The value is not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// OCSF requires a `time`, and `timestamp` gives none.
    #[error("no `timestamp` in RFC 3339 (OCSF requires a time)")]
    NoTime,
}

/// Converts events to OCSF 1.8.0 with the stock mapping (`mapping/*.json`).
///
/// ```
/// use aperture_events_ocsf::{Converted, Converter, Options};
/// let converter = Converter::new(Options::default());
/// let event = serde_json::json!({
///     "log_type": "activity_monitoring", "action": "delete", "item_type": "file",
///     "item_name": "q3.xlsx", "user": "jane@example.com", "source_ip": "198.51.100.23",
///     "timestamp": "2017-08-14T23:20:57Z"
/// });
/// let Converted::Event(ocsf) = converter.convert(&event)? else { unreachable!() };
/// assert_eq!(ocsf["class_uid"], 6006);
/// assert_eq!(ocsf["type_uid"], 600604);
/// assert_eq!(ocsf["time"], 1502752857000_i64);
/// assert_eq!(ocsf["file"]["name"], "q3.xlsx");
/// assert_eq!(converter.rebuild(&ocsf), Some(event));
/// # Ok::<(), aperture_events_ocsf::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Converter {
    pub(crate) options: Options,
    pub(crate) plan: &'static Plan,
}

impl Converter {
    /// A converter with these options.
    pub fn new(options: Options) -> Converter {
        Converter {
            options,
            plan: &PLAN,
        }
    }

    /// Its options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Converts one event given as JSON text; `raw_data` holds the text as it came.
    pub fn convert_json(&self, text: &[u8]) -> Result<Converted, Error> {
        let value: Value =
            serde_json::from_slice(text).map_err(|e| Error::NotJson(e.to_string()))?;
        let raw = std::str::from_utf8(text).map(str::trim).ok();
        self.convert_raw(&value, raw)
    }

    /// Converts one event; `raw_data` holds it serialized.
    pub fn convert(&self, event: &Value) -> Result<Converted, Error> {
        self.convert_raw(event, None)
    }

    /// Converts one event of the generated types (`aperture-events`).
    pub fn convert_event(&self, event: &aperture_events::LogEvent) -> Result<Converted, Error> {
        let value = serde_json::to_value(event).map_err(|e| Error::NotJson(e.to_string()))?;
        self.convert(&value)
    }

    fn convert_raw(&self, event: &Value, raw: Option<&str>) -> Result<Converted, Error> {
        let Value::Object(fields) = event else {
            return Err(Error::NotAnObject);
        };
        let log_type = fields.get("log_type").and_then(Value::as_str);
        let route = log_type
            .and_then(|t| self.plan.types.get(t))
            .and_then(|t| t.routes.iter().find(|r| applies(r, fields)));
        let mut out = match route {
            Some(route) => self.mapped(route, fields)?,
            None if self.options.unknown == Unknown::Skip => {
                return Ok(Converted::Skipped {
                    log_type: log_type.unwrap_or_default().to_owned(),
                });
            }
            None => self.base_event(fields)?,
        };
        if self.options.raw_data {
            let raw = raw.map_or_else(|| event.to_string(), str::to_owned);
            out.insert("raw_data".to_owned(), Value::String(raw));
        }
        if let Some(Value::Object(metadata)) = out.get_mut("metadata") {
            metadata.insert("uid".to_owned(), Value::String(content_hash(event)));
        }
        Ok(Converted::Event(Value::Object(out)))
    }

    fn header(&self, out: &mut Map<String, Value>, class: &ClassInfo) {
        let mut metadata = Map::new();
        metadata.insert("version".to_owned(), OCSF_VERSION.into());
        metadata.insert("product".to_owned(), self.plan.product.clone());
        metadata.insert("profiles".to_owned(), Value::Array(Vec::new()));
        out.insert("metadata".to_owned(), Value::Object(metadata));
        out.insert("class_uid".to_owned(), class.uid.into());
        out.insert("class_name".to_owned(), class.caption.clone().into());
        out.insert("category_uid".to_owned(), class.category_uid.into());
        out.insert(
            "category_name".to_owned(),
            class.category_name.clone().into(),
        );
    }

    /// `activity_id` and `severity_id` when nothing set them, and `type_uid`.
    fn footer(&self, out: &mut Map<String, Value>, class: &ClassInfo) {
        for target in [&class.activity, &class.severity] {
            if path::get_map(out, &target.steps).is_none() {
                write(out, target, &Value::from(0), None);
            }
        }
        let activity = out.get("activity_id").and_then(Value::as_i64).unwrap_or(0);
        let caption = class
            .activity
            .caption
            .as_ref()
            .and_then(|(_, c)| c.get(&activity.to_string()))
            .cloned()
            .unwrap_or_default();
        out.insert("type_uid".to_owned(), (class.uid * 100 + activity).into());
        out.insert(
            "type_name".to_owned(),
            format!("{}: {caption}", class.caption).into(),
        );
    }

    fn base_event(&self, fields: &Map<String, Value>) -> Result<Map<String, Value>, Error> {
        let time = fields
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(millis);
        let mut out = Map::new();
        self.header(&mut out, &self.plan.base);
        out.insert("time".to_owned(), time.ok_or(Error::NoTime)?.into());
        self.footer(&mut out, &self.plan.base);
        out.insert("unmapped".to_owned(), Value::Object(fields.clone()));
        Ok(out)
    }

    fn mapped(
        &self,
        route: &RoutePlan,
        fields: &Map<String, Value>,
    ) -> Result<Map<String, Value>, Error> {
        let mut out = Map::new();
        self.header(&mut out, &route.class);
        for (target, value) in &route.set {
            write(&mut out, target, value, None);
        }
        if let Some(id) = route.fixed_activity {
            write(&mut out, &route.class.activity, &Value::from(id), None);
        }
        for rule in &route.rules {
            if let Some(value) = fields.get(&rule.from) {
                self.forward(rule, value, &mut out);
            }
        }
        if !out.contains_key("time") {
            return Err(Error::NoTime);
        }
        for (target, value, only_if) in &route.defaults {
            let wanted = only_if
                .as_ref()
                .is_none_or(|steps| path::get_map(&out, steps).is_some());
            if wanted && path::get_map(&out, &target.steps).is_none() {
                write(&mut out, target, value, None);
            }
        }
        self.footer(&mut out, &route.class);
        let mut unmapped = Map::new();
        let done = Value::Object(out);
        for rule in &route.rules {
            if let Some(value) = fields.get(&rule.from) {
                if !self.reads_back(rule, &done, value) {
                    unmapped.insert(rule.from.clone(), value.clone());
                }
            }
        }
        let Value::Object(mut out) = done else {
            unreachable!("built as an object")
        };
        for (name, value) in fields {
            if !route.reads.contains(name) {
                unmapped.insert(name.clone(), value.clone());
            }
        }
        if !unmapped.is_empty() {
            out.insert("unmapped".to_owned(), Value::Object(unmapped));
        }
        Ok(out)
    }

    fn forward(&self, rule: &RulePlan, value: &Value, out: &mut Map<String, Value>) {
        if value.is_null()
            || rule
                .types
                .as_ref()
                .is_some_and(|t| !t.iter().any(|t| t == type_of(value)))
        {
            return;
        }
        let mut wrote = false;
        match rule.conv {
            Conv::Copy => {
                for target in &rule.targets {
                    if fits(target, value) {
                        write(out, target, value, None);
                        wrote = true;
                    }
                }
            }
            Conv::Time => {
                if let Some(ms) = value.as_str().and_then(millis) {
                    for target in &rule.targets {
                        write(out, target, &Value::from(ms), None);
                    }
                    wrote = true;
                }
            }
            Conv::Table => {
                let Some(text) = value.as_str() else { return };
                let found = rule
                    .table
                    .iter()
                    .find(|(k, _)| same(k, text, rule.fold_case));
                let (result, other) = match (found, &rule.fallback) {
                    (Some((_, v)), _) => (v, None),
                    (None, Some(fallback)) => (fallback, Some(text)),
                    (None, None) => return,
                };
                for target in &rule.targets {
                    write(out, target, result, other);
                }
                wrote = true;
            }
            Conv::Severity => {
                if let Some(id) = integral(value).and_then(|l| self.options.severity.get(l)) {
                    for target in &rule.targets {
                        write(out, target, &Value::from(id), None);
                    }
                    wrote = true;
                }
            }
        }
        if wrote {
            for (target, constant) in &rule.with {
                write(out, target, constant, None);
            }
        }
    }

    /// The source value a rule reads back from an OCSF event.
    fn inverse<'a>(&self, rule: &RulePlan, ocsf: &'a Value) -> Option<Cow<'a, Value>> {
        let target = &rule.targets[0];
        let got = path::get(ocsf, &target.steps)?;
        if rule.default.as_ref() == Some(got) {
            return None;
        }
        match rule.conv {
            Conv::Copy => Some(Cow::Borrowed(got)),
            Conv::Time => got
                .as_i64()
                .and_then(rfc3339)
                .map(|t| Cow::Owned(Value::String(t))),
            Conv::Table if rule.fallback.as_ref() == Some(got) => {
                let (sibling, _) = target.caption.as_ref()?;
                if got == &Value::from(99) {
                    path::get(ocsf, sibling).map(Cow::Borrowed)
                } else {
                    None
                }
            }
            Conv::Table => rule
                .table
                .iter()
                .find(|(_, v)| v == got)
                .map(|(k, _)| Cow::Owned(Value::String(k.clone()))),
            Conv::Severity => got
                .as_i64()
                .and_then(|id| self.options.severity.level_of(id))
                .map(|l| Cow::Owned(Value::from(l))),
        }
    }

    /// Whether `value` is what [`Converter::rebuild`] reads back for `rule`
    /// (as `inverse`, without building the value where it can be compared).
    fn reads_back(&self, rule: &RulePlan, ocsf: &Value, value: &Value) -> bool {
        match rule.conv {
            Conv::Table => {
                let Some(got) = path::get(ocsf, &rule.targets[0].steps) else {
                    return false;
                };
                if rule.default.as_ref() == Some(got) || rule.fallback.as_ref() == Some(got) {
                    return self.inverse(rule, ocsf).as_deref() == Some(value);
                }
                let first = rule.table.iter().find(|(_, v)| v == got);
                first.is_some_and(|(k, _)| value.as_str() == Some(k.as_str()))
            }
            _ => self.inverse(rule, ocsf).as_deref() == Some(value),
        }
    }

    /// Rebuilds the original event from an OCSF event this converter made:
    /// the mapped attributes read back through the same mapping, then
    /// `unmapped`. `None` for an event of a class or type the mapping does
    /// not make.
    pub fn rebuild(&self, ocsf: &Value) -> Option<Value> {
        let class_uid = ocsf.get("class_uid")?.as_i64()?;
        let unmapped = ocsf.get("unmapped").and_then(Value::as_object);
        if class_uid == self.plan.base.uid {
            return unmapped.cloned().map(Value::Object);
        }
        let log_type = unmapped
            .and_then(|u| u.get("log_type"))
            .or_else(|| ocsf.pointer("/metadata/event_code"))?
            .as_str()?;
        let route = self
            .plan
            .types
            .get(log_type)?
            .routes
            .iter()
            .find(|r| r.class.uid == class_uid)?;
        let mut event = Map::new();
        for rule in &route.rules {
            if let Some(value) = self.inverse(rule, ocsf) {
                event.insert(rule.from.clone(), value.into_owned());
            }
        }
        for (name, value) in unmapped.into_iter().flatten() {
            event.insert(name.clone(), value.clone());
        }
        Some(Value::Object(event))
    }
}

impl Default for Converter {
    fn default() -> Self {
        Converter::new(Options::default())
    }
}

fn applies(route: &RoutePlan, fields: &Map<String, Value>) -> bool {
    match &route.when {
        None => true,
        Some((field, values, fold_case)) => fields
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|v| values.iter().any(|w| same(w, v, *fold_case))),
    }
}

/// Whether two values of a table or a condition are the same (in any ASCII case if asked).
pub(crate) fn same(a: &str, b: &str, fold_case: bool) -> bool {
    if fold_case {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Writes `value` at `target`, and the caption of an id beside it (`other`
/// for 99 Other: the source's own value, as OCSF asks).
fn write(out: &mut Map<String, Value>, target: &Target, value: &Value, other: Option<&str>) {
    path::set(out, &target.steps, value.clone());
    if let Some((sibling, captions)) = &target.caption {
        let caption = match other {
            // An empty source value names nothing: the caption (`Other`) stays.
            Some(text) if value == &Value::from(99) && !text.is_empty() => Some(text.to_owned()),
            _ => captions.get(&value.to_string()).cloned(),
        };
        if let Some(caption) = caption {
            path::set(out, sibling, Value::String(caption));
        }
    }
}

/// Whether the attribute takes the value as it is: its type, and for a
/// string the type's pattern and maximum length.
fn fits(target: &Target, value: &Value) -> bool {
    match (target.base.as_str(), value) {
        ("json_t", _) => true,
        ("string_t", Value::String(s)) => {
            target
                .pattern
                .as_ref()
                .is_none_or(|p| p.is_match(s.as_bytes()))
                && target.max_len.is_none_or(|m| s.chars().count() <= m)
        }
        ("integer_t", Value::Number(n)) => {
            n.is_i64() && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
        }
        ("long_t", Value::Number(n)) => n.is_i64(),
        ("boolean_t", Value::Bool(_)) => true,
        ("float_t", Value::Number(_)) => true,
        _ => false,
    }
}

fn integral(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        }),
        _ => None,
    }
}

/// Milliseconds since the epoch of an RFC 3339 date-time.
pub(crate) fn millis(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// The RFC 3339 form `time` reads back as: UTC, `Z`, milliseconds only when not zero.
pub(crate) fn rfc3339(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}
