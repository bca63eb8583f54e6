//! The two readings of one set of schemas.
//!
//! The schemas as written are the *tolerant* reading: what the API really
//! sends. The *strict* reading — the vendor's documented contract — is derived
//! from them mechanically: wherever a schema object carries `x-strict`, the
//! keywords inside it replace (or join) the keywords beside it. See
//! `schema/README.md` for the vocabulary.
//!
//! # Design
//! The derivation is a pure function on `serde_json::Value`, so the validator,
//! the exporters and the tests all get the very same strict reading, and no
//! one writes the strict schemas by hand.

use serde_json::{Map, Value};

// The toolkit's keywords live in the registry (`vocabulary::keywords`).
pub use crate::vocabulary::keywords::{KNOWN_VALUES, QUIRK, QUIRK_VALUES, STRICT};

/// Which reading of the schemas to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Reading {
    /// What the API really sends: the schemas as written.
    #[default]
    Tolerant,
    /// The documented contract: `x-strict` overlays applied.
    Strict,
}

/// Returns `schema` in the strict reading: every `x-strict` object overlaid on
/// the schema object that holds it, recursively. The `x-strict` keyword itself
/// is kept (as an annotation) so the result still documents where it came from.
///
/// ```
/// use serde_json::json;
/// let tolerant = json!({"type": ["string", "null"], "x-strict": {"type": "string"}});
/// let strict = aperture_events_schema::reading::strict(&tolerant);
/// assert_eq!(strict["type"], json!("string"));
/// ```
pub fn strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .map(|(key, value)| {
                    // An `x-strict` object is itself a schema fragment: leave it
                    // as written; everything else is walked.
                    let value = if key == STRICT {
                        value.clone()
                    } else {
                        strict(value)
                    };
                    (key.clone(), value)
                })
                .collect();
            if let Some(Value::Object(overlay)) = map.get(STRICT) {
                for (key, value) in overlay {
                    out.insert(key.clone(), strict(value));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
        other => other.clone(),
    }
}

/// Returns `schema` in the given reading.
pub fn apply(reading: Reading, schema: &Value) -> Value {
    match reading {
        Reading::Tolerant => schema.clone(),
        Reading::Strict => strict(schema),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overlay_replaces_keywords_at_any_depth() {
        let schema = json!({
            "properties": {
                "a": {"type": ["string", "null"], "x-strict": {"type": "string"}},
                "b": {"type": "string"}
            },
            "x-strict": {"additionalProperties": false}
        });
        let out = strict(&schema);
        assert_eq!(out["properties"]["a"]["type"], json!("string"));
        assert_eq!(out["properties"]["b"]["type"], json!("string"));
        assert_eq!(out["additionalProperties"], json!(false));
    }

    #[test]
    fn overlay_beside_a_ref_joins_it() {
        let schema = json!({"$ref": "common.schema.json#/$defs/x", "x-strict": {"type": "string"}});
        let out = strict(&schema);
        assert_eq!(out["$ref"], json!("common.schema.json#/$defs/x"));
        assert_eq!(out["type"], json!("string"));
    }

    #[test]
    fn tolerant_reading_is_the_identity() {
        let schema = json!({"type": "integer", "x-strict": {"type": "string"}});
        assert_eq!(apply(Reading::Tolerant, &schema), schema);
    }

    #[test]
    fn non_object_strict_values_are_ignored() {
        let schema = json!({"type": "string", "x-strict": true});
        assert_eq!(strict(&schema)["type"], json!("string"));
    }
}
