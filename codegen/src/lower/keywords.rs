//! Which schema keywords the generator understands, and reading their values.
//!
//! Anything outside these lists is refused with its place: a keyword the
//! generated types would silently ignore would break agreement with the
//! validator, which does not ignore it.

use serde_json::{Map, Value};

use super::Lowerer;
use crate::load::Location;

/// Keywords that only document: they constrain nothing.
pub(super) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Keywords the generator turns into types or checks.
const UNDERSTOOD: &[&str] = &[
    "$defs",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "const",
    "enum",
    "$ref",
    "format",
    "minimum",
    "maximum",
];

/// Keywords of JSON Schema 2020-12 the generator refuses, with why.
const REFUSED: &[(&str, &str)] = &[
    ("$dynamicRef", "dynamic references are not supported"),
    ("$dynamicAnchor", "dynamic references are not supported"),
    ("$recursiveRef", "dynamic references are not supported"),
    (
        "$anchor",
        "anchors are not supported: refer by JSON pointer (`#/$defs/name`)",
    ),
    (
        "unevaluatedProperties",
        "`unevaluatedProperties` is not supported: list the properties, or use `additionalProperties`",
    ),
    (
        "unevaluatedItems",
        "`unevaluatedItems` is not supported: use `items`",
    ),
    (
        "if",
        "`if`/`then`/`else` is not supported: write the cases with `oneOf`/`anyOf`",
    ),
    (
        "then",
        "`if`/`then`/`else` is not supported: write the cases with `oneOf`/`anyOf`",
    ),
    (
        "else",
        "`if`/`then`/`else` is not supported: write the cases with `oneOf`/`anyOf`",
    ),
    ("contains", "`contains` is not supported"),
    ("minContains", "`minContains` is not supported"),
    ("maxContains", "`maxContains` is not supported"),
    (
        "dependentSchemas",
        "`dependentSchemas` is not supported: use `dependentRequired`",
    ),
    (
        "dependencies",
        "`dependencies` (draft 7) is not supported: use `dependentRequired`",
    ),
    (
        "additionalItems",
        "`additionalItems` (draft 2019-09) is not supported: use `prefixItems` and `items`",
    ),
];

/// The JSON types the generator can represent.
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null",
];

impl Lowerer<'_> {
    /// Reports every keyword of `object` the generator does not understand.
    pub(super) fn check_keywords(&mut self, location: &Location, object: &Map<String, Value>) {
        for key in object.keys() {
            let root_only = key == "$schema" || key == "$id";
            let ok = key.starts_with("x-")
                || ANNOTATIONS.contains(&key.as_str())
                || UNDERSTOOD.contains(&key.as_str())
                || super::checked::CHECKED_KEYWORDS.contains(&key.as_str())
                || (root_only && location.pointer.is_empty());
            if !ok {
                let refused = REFUSED.iter().find(|(k, _)| k == key);
                let message = if let Some((_, why)) = refused {
                    (*why).to_owned()
                } else if root_only {
                    format!("`{key}` is supported only at the root of a file")
                } else {
                    format!("unsupported keyword `{key}`")
                };
                self.error(location, Some(key), message);
            }
        }
        for key in ["x-known-values", "x-quirk-values"] {
            if let Some(value) = object.get(key) {
                self.strings(location, key, value);
            }
        }
        if let Some(value) = object.get("x-case-insensitive") {
            if !value.is_boolean() {
                self.error(
                    location,
                    Some("x-case-insensitive"),
                    "`x-case-insensitive` must be a boolean",
                );
            } else if !object.contains_key("x-known-values") {
                self.error(
                    location,
                    Some("x-case-insensitive"),
                    "`x-case-insensitive` needs `x-known-values`",
                );
            }
        }
        if let Some(value) = object.get("x-quirk") {
            if !value.is_string() {
                self.error(location, Some("x-quirk"), "`x-quirk` must be a string");
            }
        }
    }

    /// The values of an array-of-strings keyword; reports and gives `None` otherwise.
    pub(super) fn strings(
        &mut self,
        location: &Location,
        key: &str,
        value: &Value,
    ) -> Option<Vec<String>> {
        let strings: Option<Vec<String>> = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect()
        });
        if strings.is_none() {
            self.error(
                location,
                Some(key),
                format!("`{key}` must be an array of strings"),
            );
        }
        strings
    }

    /// The `type` keyword as a list: `Some(None)` when absent, `None` after
    /// reporting a problem.
    pub(super) fn json_types(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
    ) -> Option<Option<Vec<String>>> {
        let Some(value) = object.get("type") else {
            return Some(None);
        };
        let types = match value {
            Value::String(t) => vec![t.clone()],
            Value::Array(_) => self.strings(location, "type", value)?,
            _ => {
                self.error(
                    location,
                    Some("type"),
                    "`type` must be a string or an array of strings",
                );
                return None;
            }
        };
        let mut ok = true;
        for t in &types {
            if !TYPES.contains(&t.as_str()) {
                self.error(location, Some("type"), format!("unknown type `{t}`"));
                ok = false;
            }
        }
        if types.is_empty() {
            self.error(
                location,
                Some("type"),
                "`type` lists no type: no value is valid",
            );
            ok = false;
        }
        ok.then_some(Some(types))
    }

    /// A numeric keyword (`minimum`, `maximum`) as `f64`; reports non-numbers.
    pub(super) fn number(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
    ) -> Option<f64> {
        let value = object.get(key)?;
        match value.as_f64() {
            Some(n) => Some(n),
            None => {
                self.error(location, Some(key), format!("`{key}` must be a number"));
                None
            }
        }
    }
}
