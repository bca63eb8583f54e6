//! The draft a derived schema declares: the grammar's schema written the
//! way an older draft spells the same constructs, with its `$schema`.
//!
//! The derivation builds a draft 2020-12 schema; this module picks a draft
//! (2020-12 without `$schema` when the bytes have run out, so every existing
//! corpus input derives what it did) and respells it: `prefixItems`/`items`
//! as array-form `items`/`additionalItems` before 2020-12, `$defs` as
//! `definitions` and `dependentRequired` as `dependencies` before 2019-09,
//! and in draft-04 a numeric `exclusiveMinimum` as `minimum` with
//! `"exclusiveMinimum": true`, `const` as a one-value `enum`; a keyword the
//! draft lacks (`contains` before draft-06, `if`/`then`/`else` before
//! draft-07, `minContains`/`maxContains` and `unevaluated*` before 2019-09) is
//! left out. The meaning may
//! still move (keywords beside a `$ref` are ignored before 2019-09; `1.0` is
//! no draft-04 integer): the differential runs `jsonschema` under the same
//! draft, so the generator must follow it either way.

use serde_json::{Map, Value, json};

use crate::Source;

/// The drafts drawn, by `$schema` (`None`: 2020-12, undeclared).
const DRAFTS: [Option<(&str, u8)>; 6] = [
    None,
    Some(("https://json-schema.org/draft/2020-12/schema", 20)),
    Some(("https://json-schema.org/draft/2019-09/schema", 19)),
    Some(("http://json-schema.org/draft-07/schema#", 7)),
    Some(("http://json-schema.org/draft-06/schema#", 6)),
    Some(("http://json-schema.org/draft-04/schema#", 4)),
];

/// `schema` in a draft drawn from `source`, with its `$schema`.
pub fn in_drawn_draft(schema: Value, source: &mut Source<'_>) -> Value {
    let Some((uri, draft)) = *source.pick(&DRAFTS) else {
        return schema;
    };
    let mut schema = respell(schema, draft);
    if let Value::Object(map) = &mut schema {
        map.insert("$schema".to_owned(), json!(uri));
    }
    schema
}

fn respell(value: Value, draft: u8) -> Value {
    match value {
        Value::Object(map) => Value::Object(respell_object(map, draft)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| respell(v, draft)).collect()),
        other => other,
    }
}

/// Whether the draft has the keyword (those the grammar draws after draft-04):
/// one it lacks is left out, so each draft is drawn with its own keywords.
fn in_draft(key: &str, draft: u8) -> bool {
    match key {
        "contains" => draft >= 6,
        "if" | "then" | "else" => draft >= 7,
        "minContains" | "maxContains" | "unevaluatedProperties" | "unevaluatedItems" => draft >= 19,
        _ => true,
    }
}

fn respell_object(map: Map<String, Value>, draft: u8) -> Map<String, Value> {
    let tuple = map.contains_key("prefixItems");
    let has_minimum = map.contains_key("minimum");
    let has_maximum = map.contains_key("maximum");
    let mut out = Map::new();
    for (key, value) in map {
        if !in_draft(&key, draft) {
            continue;
        }
        // Data is copied as it is; property names are not keywords.
        if ["enum", "const", "required", "dependentRequired"].contains(&key.as_str()) {
            let key = match key.as_str() {
                "dependentRequired" if draft < 19 => "dependencies".to_owned(),
                "const" if draft == 4 => {
                    out.insert("enum".to_owned(), json!([value]));
                    continue;
                }
                _ => key,
            };
            out.insert(key, value);
            continue;
        }
        let value = match (key.as_str(), value) {
            ("$ref", Value::String(r)) if draft < 19 => {
                Value::String(r.replacen("#/$defs/", "#/definitions/", 1))
            }
            ("properties" | "patternProperties" | "$defs", Value::Object(entries)) => {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, no_boolean(respell(v, draft), draft)))
                        .collect(),
                )
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .map(|v| no_boolean(respell(v, draft), draft))
                    .collect(),
            ),
            // Booleans stay where draft-04 takes them.
            ("additionalProperties", value) => respell(value, draft),
            ("items", value) if tuple => respell(value, draft),
            ("not" | "items" | "propertyNames", value) => no_boolean(respell(value, draft), draft),
            (_, value) => respell(value, draft),
        };
        let key = match key.as_str() {
            "prefixItems" if draft < 20 => "items",
            "items" if tuple && draft < 20 => "additionalItems",
            "$defs" if draft < 19 => "definitions",
            "exclusiveMinimum" | "exclusiveMaximum" if draft == 4 => {
                let (bound, has) = if key == "exclusiveMinimum" {
                    ("minimum", has_minimum)
                } else {
                    ("maximum", has_maximum)
                };
                // Beside its bound the draft-04 spelling cannot say both: the
                // bound stays, inclusive.
                if !has {
                    out.insert(bound.to_owned(), value);
                    out.insert(key.clone(), json!(true));
                }
                continue;
            }
            other => other,
        };
        out.insert(key.to_owned(), value);
    }
    out
}

/// A boolean schema as draft-04 writes it (an object), elsewhere as it is.
fn no_boolean(value: Value, draft: u8) -> Value {
    match value {
        Value::Bool(true) if draft == 4 => json!({}),
        Value::Bool(false) if draft == 4 => json!({"not": {}}),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_drafts_spell_the_same_constructs_their_way() {
        let schema = json!({
            "type": "object",
            "$defs": {"a": {"type": "array", "prefixItems": [{"const": 1}], "items": false}},
            "properties": {"prefixItems": {"$ref": "#/$defs/a"}, "n": {"exclusiveMinimum": 2}, "t": true},
            "dependentRequired": {"a": ["b"]},
            "not": {"uniqueItems": true, "items": true}
        });
        let four = respell(schema.clone(), 4);
        assert_eq!(
            four,
            json!({
                "type": "object",
                "definitions": {"a": {"type": "array", "items": [{"enum": [1]}], "additionalItems": false}},
                "properties": {"prefixItems": {"$ref": "#/definitions/a"}, "n": {"minimum": 2, "exclusiveMinimum": true}, "t": {}},
                "dependencies": {"a": ["b"]},
                "not": {"uniqueItems": true, "items": {}}
            })
        );
        assert_eq!(respell(schema.clone(), 20), schema);
        let nineteen = respell(schema, 19);
        assert_eq!(nineteen["$defs"]["a"]["items"], json!([{"const": 1}]));
        assert_eq!(nineteen["dependentRequired"], json!({"a": ["b"]}));
    }
}
