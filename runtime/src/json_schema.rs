//! `schemars::JsonSchema` for generated types (feature `schemars`).
//!
//! A generated type's `json_schema()` is its source schema, as the schemas
//! give it (the tolerant reading is the source schema itself), not what a
//! `#[derive(JsonSchema)]` would make of its Rust shape: `x-known-values`
//! stays an open set, nullables stay nullable, `1.0` stays an integer.
//!
//! The generator writes each type's source schema as JSON text in which a
//! reference to another generated type is `{"$ref": "aperture-events-codegen:Name"}`
//! ([`REF_PREFIX`]); every other `$ref` is resolved when generating (its target
//! written in place), and `$schema`, `$id` and `$defs` are left out.
//! [`source_schema`] turns each marker into what
//! `SchemaGenerator::subschema_for` gives for that type, so references land
//! where the generator's settings put definitions: `$defs` for draft 2020-12,
//! `definitions` for draft-07, `#/components/schemas/` for OpenAPI 3.0.

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

/// How a generated schema text names another generated type in a `$ref`.
pub const REF_PREFIX: &str = "aperture-events-codegen:";

/// The schema of a generated type from its source schema `text` (JSON, as
/// the generator writes it), asking `refs` for the subschema of each type
/// it references (`None`: an unknown name, left as written).
///
/// ```
/// use aperture_events_runtime::json_schema::source_schema;
/// use aperture_events_runtime::schemars::SchemaGenerator;
/// let mut generator = SchemaGenerator::default();
/// let text = r#"{"type": "object", "properties": {"n": {"$ref": "aperture-events-codegen:N"}}}"#;
/// let schema = source_schema(&mut generator, text, |name, g| {
///     (name == "N").then(|| g.subschema_for::<u8>())
/// });
/// assert_eq!(schema.as_value()["properties"]["n"]["type"], "integer");
/// ```
///
/// # Panics
/// When `text` is not JSON: the generator writes it, so that is a bug.
pub fn source_schema(
    generator: &mut SchemaGenerator,
    text: &str,
    mut refs: impl FnMut(&str, &mut SchemaGenerator) -> Option<Schema>,
) -> Schema {
    let mut value: Value =
        serde_json::from_str(text).expect("a generated type's schema text is JSON");
    replace(&mut value, generator, &mut refs);
    Schema::try_from(value).unwrap_or_default()
}

/// Replaces every marker `$ref` inside `value`.
fn replace(
    value: &mut Value,
    generator: &mut SchemaGenerator,
    refs: &mut impl FnMut(&str, &mut SchemaGenerator) -> Option<Schema>,
) {
    match value {
        Value::Object(object) => {
            for (_, child) in object.iter_mut() {
                replace(child, generator, refs);
            }
            if let Some(Value::Object(mapping)) = object
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
            {
                map_references(mapping, generator, refs);
            }
            let name = match object.get("$ref") {
                Some(Value::String(reference)) => reference.strip_prefix(REF_PREFIX),
                _ => None,
            };
            let Some(schema) = name.and_then(|name| refs(name, generator)) else {
                return;
            };
            merge(object, schema.to_value());
        }
        Value::Array(items) => {
            for item in items {
                replace(item, generator, refs);
            }
        }
        _ => {}
    }
}

/// A discriminator's `mapping` (tag value to reference): each marker becomes
/// the reference `subschema_for` gives; a tag whose type has no reference
/// (an inline schema) is left out.
fn map_references(
    mapping: &mut Map<String, Value>,
    generator: &mut SchemaGenerator,
    refs: &mut impl FnMut(&str, &mut SchemaGenerator) -> Option<Schema>,
) {
    mapping.retain(|_, target| {
        let Some(name) = target.as_str().and_then(|t| t.strip_prefix(REF_PREFIX)) else {
            return true;
        };
        let Some(schema) = refs(name, generator) else {
            return true;
        };
        match schema.get("$ref") {
            Some(reference @ Value::String(_)) => {
                *target = reference.clone();
                true
            }
            _ => false,
        }
    });
}

/// Puts the subschema `with` in place of `object`'s `$ref`, keeping the
/// keywords beside it: a reference alone is replaced whole; a reference the
/// generator returned (`{"$ref": …}`) takes the marker's place; an inline
/// subschema beside other keywords joins them through `allOf`.
fn merge(object: &mut Map<String, Value>, with: Value) {
    let with_is_ref = with
        .as_object()
        .is_some_and(|w| w.len() == 1 && w.contains_key("$ref"));
    if object.len() == 1 {
        *object = match with {
            Value::Object(with) => with,
            other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other]))]),
        };
    } else if with_is_ref {
        object.insert("$ref".to_owned(), with["$ref"].clone());
    } else {
        object.remove("$ref");
        match object.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(with),
            _ => {
                object.insert("allOf".to_owned(), Value::Array(vec![with]));
            }
        }
    }
}

/// A schemars transform for OpenAPI 3.0, which takes one `type` per schema:
/// a `type` list left after schemars' `AddNullable` (`["string", "integer"]`)
/// becomes `anyOf: [{"type": "string"}, {"type": "integer"}]`, which accepts
/// the same values (the keywords beside it apply to their own types only).
/// Add it after the OpenAPI settings' own transforms:
///
/// ```
/// use aperture_events_runtime::json_schema::SplitTypeLists;
/// use aperture_events_runtime::schemars::generate::SchemaSettings;
/// let generator = SchemaSettings::openapi3().with_transform(SplitTypeLists).into_generator();
/// # drop(generator);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SplitTypeLists;

impl schemars::transform::Transform for SplitTypeLists {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::Array(types)) = schema.get("type") {
            let any_of: Vec<Value> = types
                .iter()
                .map(|t| Value::Object(Map::from_iter([("type".to_owned(), t.clone())])))
                .collect();
            schema.remove("type");
            let any_of = Value::Array(any_of);
            if schema.get("anyOf").is_some() {
                let wrapped = Value::Object(Map::from_iter([("anyOf".to_owned(), any_of)]));
                match schema.get_mut("allOf") {
                    Some(Value::Array(all)) => all.push(wrapped),
                    _ => {
                        schema.insert("allOf".to_owned(), Value::Array(vec![wrapped]));
                    }
                }
            } else {
                schema.insert("anyOf".to_owned(), any_of);
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use schemars::generate::SchemaSettings;
    use schemars::{JsonSchema, json_schema};
    use serde_json::json;

    use super::*;

    /// What the generator writes for two types, one referencing the other.
    struct Severity;
    struct Event;

    impl JsonSchema for Severity {
        fn schema_name() -> Cow<'static, str> {
            "Severity".into()
        }
        fn schema_id() -> Cow<'static, str> {
            concat!(module_path!(), "::Severity").into()
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            source_schema(
                generator,
                r#"{"type": ["integer", "null"], "minimum": 0, "maximum": 5}"#,
                |_, _| None,
            )
        }
    }

    impl JsonSchema for Event {
        fn schema_name() -> Cow<'static, str> {
            "Event".into()
        }
        fn schema_id() -> Cow<'static, str> {
            concat!(module_path!(), "::Event").into()
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let text = r#"{"type": "object", "required": ["severity"], "properties": {
                "severity": {"$ref": "aperture-events-codegen:Severity"},
                "other": {"$ref": "aperture-events-codegen:Severity", "description": "beside"},
                "unknown": {"$ref": "aperture-events-codegen:Nothing"}}}"#;
            source_schema(generator, text, |name, g| match name {
                "Severity" => Some(g.subschema_for::<Severity>()),
                _ => None,
            })
        }
    }

    fn schema_with(settings: SchemaSettings) -> Value {
        settings
            .into_generator()
            .into_root_schema_for::<Event>()
            .to_value()
    }

    #[test]
    fn references_land_where_each_setting_puts_definitions() {
        let severity = json!({"type": ["integer", "null"], "minimum": 0, "maximum": 5});
        // Draft-07 ignores the keywords beside a `$ref`: schemars' draft-07
        // settings move the reference into an `allOf`.
        let cases = [
            (
                SchemaSettings::draft2020_12(),
                "/$defs/Severity",
                json!({"$ref": "#/$defs/Severity", "description": "beside"}),
            ),
            (
                SchemaSettings::draft07(),
                "/definitions/Severity",
                json!({"allOf": [{"$ref": "#/definitions/Severity"}], "description": "beside"}),
            ),
        ];
        for (settings, pointer, beside) in cases {
            let schema = schema_with(settings);
            let reference = format!("#{pointer}");
            assert_eq!(schema["properties"]["severity"], json!({"$ref": reference}));
            assert_eq!(schema["properties"]["other"], beside);
            assert_eq!(schema.pointer(pointer), Some(&severity), "{schema:#}");
        }
    }

    #[test]
    fn an_unknown_name_is_left_as_written() {
        let schema = schema_with(SchemaSettings::draft2020_12());
        assert_eq!(
            schema["properties"]["unknown"],
            json!({"$ref": "aperture-events-codegen:Nothing"})
        );
    }

    #[test]
    fn openapi3_puts_definitions_in_components() {
        let mut generator = SchemaSettings::openapi3().into_generator();
        let schema = generator.subschema_for::<Event>().to_value();
        assert_eq!(schema, json!({"$ref": "#/components/schemas/Event"}));
        let definitions = generator.take_definitions(true);
        let event = &definitions["Event"];
        assert_eq!(
            event["properties"]["severity"],
            json!({"$ref": "#/components/schemas/Severity"})
        );
        assert!(definitions.contains_key("Severity"), "{definitions:?}");
    }

    #[test]
    fn type_lists_become_any_of_for_openapi() {
        use schemars::transform::Transform;
        let mut schema: Schema = json_schema!({
            "type": ["string", "integer"], "maximum": 5,
            "properties": {"a": {"type": ["boolean", "number"]}, "b": {"type": "string"}}
        });
        SplitTypeLists.transform(&mut schema);
        assert_eq!(
            schema.to_value(),
            json!({
                "anyOf": [{"type": "string"}, {"type": "integer"}], "maximum": 5,
                "properties": {
                    "a": {"anyOf": [{"type": "boolean"}, {"type": "number"}]},
                    "b": {"type": "string"}
                }
            })
        );
        let mut both: Schema =
            json_schema!({"type": ["string", "integer"], "anyOf": [{"minimum": 1}]});
        SplitTypeLists.transform(&mut both);
        assert_eq!(
            both.to_value(),
            json!({
                "anyOf": [{"minimum": 1}],
                "allOf": [{"anyOf": [{"type": "string"}, {"type": "integer"}]}]
            })
        );
    }

    #[test]
    fn an_inline_subschema_beside_keywords_joins_them_through_all_of() {
        let mut object = json!({"$ref": "x", "description": "d"});
        merge(object.as_object_mut().unwrap(), json!({"type": "string"}));
        assert_eq!(
            object,
            json!({"description": "d", "allOf": [{"type": "string"}]})
        );
        let mut alone = json!({"$ref": "x"});
        merge(alone.as_object_mut().unwrap(), json!(true));
        assert_eq!(alone, json!({"allOf": [true]}));
        let inline: Schema = json_schema!({"type": "string"});
        let mut alone = json!({"$ref": "x"});
        merge(alone.as_object_mut().unwrap(), inline.to_value());
        assert_eq!(alone, json!({"type": "string"}));
    }
}
