//! One schema object of a [`View`](super::View), read once into typed fields.
//!
//! The view speaks draft 2020-12 whatever the file's draft, so one struct
//! serves every draft: each keyword of the object is matched once against
//! the registry ([`super::keywords::KEYWORDS`]: its kind and the shape of its
//! value) and lands in its field, typed by that shape. Consumers (the
//! generator's lowering) read fields instead of asking the map by string.
//!
//! # Design
//! Modelled on serde_derive's `internals/attr.rs` (one struct, filled once,
//! read everywhere) and `jsonschema`'s per-draft keyword compilation. A value
//! of the wrong shape is kept as written ([`Read::Misshapen`]): the consumer
//! reports it at its place, with the message it always gave, since only it
//! knows whether the keyword matters where it stands. [`Keywords::map`] stays
//! for what walks every key (unsupported keywords, unknown ones, "nothing
//! but annotations beside it") and for the few keywords without a field
//! (`$anchor`, `$dynamicAnchor`, `$recursiveAnchor`, `$schema`, `default`,
//! the content keywords, `x-strict`: no consumer reads their values).
//!
//! # Adding a keyword
//! Its registry entry; then, if a consumer reads its value, a field here
//! (a test holds every registry keyword to a field, or to the short list of
//! keywords without one).

use serde_json::{Map, Number, Value};

use super::keywords;

/// A keyword's value, read by the shape its registry entry gives it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Read<'a, T> {
    /// The keyword is not there.
    #[default]
    Absent,
    /// The value, of its shape.
    Value(T),
    /// The value, not of its shape, as written.
    Misshapen(&'a Value),
}

impl<'a, T> Read<'a, T> {
    /// The value, if present and of its shape.
    pub fn ok(self) -> Option<T> {
        match self {
            Read::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if present and of its shape, borrowed.
    pub fn get(&self) -> Option<&T> {
        match self {
            Read::Value(value) => Some(value),
            _ => None,
        }
    }

    /// Whether the keyword is there, of its shape or not.
    pub fn is_present(&self) -> bool {
        !matches!(self, Read::Absent)
    }

    /// The value of the wrong shape, if it is one.
    pub fn misshapen(&self) -> Option<&'a Value> {
        match self {
            Read::Misshapen(value) => Some(value),
            _ => None,
        }
    }
}

/// One schema object, its keywords typed (draft 2020-12 names, as the
/// [`View`](super::View) writes every draft).
#[derive(Debug, Clone, Default)]
pub struct Keywords<'a> {
    /// The object as written in the view (`None`: a boolean schema).
    map: Option<&'a Map<String, Value>>,
    /// `$ref`.
    pub reference: Read<'a, &'a str>,
    /// `type`: one name, or an array of them.
    pub types: Read<'a, Vec<&'a str>>,
    /// Whether `type` was one name rather than an array.
    pub type_is_one: bool,
    /// `properties`.
    pub properties: Read<'a, &'a Map<String, Value>>,
    /// `required`.
    pub required: Read<'a, Vec<&'a str>>,
    /// `additionalProperties` (a schema).
    pub additional_properties: Option<&'a Value>,
    /// `unevaluatedProperties` (a schema).
    pub unevaluated_properties: Option<&'a Value>,
    /// `patternProperties`.
    pub pattern_properties: Read<'a, &'a Map<String, Value>>,
    /// `items` (a schema: array-form `items` is `prefix_items` in the view).
    pub items: Option<&'a Value>,
    /// `prefixItems`.
    pub prefix_items: Read<'a, &'a [Value]>,
    /// `allOf`.
    pub all_of: Read<'a, &'a [Value]>,
    /// `anyOf`.
    pub any_of: Read<'a, &'a [Value]>,
    /// `oneOf`.
    pub one_of: Read<'a, &'a [Value]>,
    /// `not`.
    pub not: Option<&'a Value>,
    /// `if`.
    pub if_: Option<&'a Value>,
    /// `const`: instance data.
    pub constant: Option<&'a Value>,
    /// `enum`: instance data, an array of values.
    pub enumeration: Read<'a, &'a [Value]>,
    /// `minimum`.
    pub minimum: Read<'a, &'a Number>,
    /// `maximum`.
    pub maximum: Read<'a, &'a Number>,
    /// `exclusiveMinimum` (a number: draft-04's boolean is one in the view).
    pub exclusive_minimum: Read<'a, &'a Number>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Read<'a, &'a Number>,
    /// `multipleOf`.
    pub multiple_of: Read<'a, &'a Number>,
    /// `minLength`.
    pub min_length: Read<'a, u64>,
    /// `maxLength`.
    pub max_length: Read<'a, u64>,
    /// `pattern`.
    pub pattern: Read<'a, &'a str>,
    /// `format`.
    pub format: Read<'a, &'a str>,
    /// `$id` (`id` in draft-04: the view renames it).
    pub id: Option<&'a Value>,
    /// `$defs`.
    pub defs: Read<'a, &'a Map<String, Value>>,
    /// `definitions`.
    pub definitions: Read<'a, &'a Map<String, Value>>,
    /// `then`.
    pub then: Option<&'a Value>,
    /// `else`.
    pub else_: Option<&'a Value>,
    /// `contains`.
    pub contains: Option<&'a Value>,
    /// `propertyNames`.
    pub property_names: Option<&'a Value>,
    /// `unevaluatedItems` (a schema).
    pub unevaluated_items: Option<&'a Value>,
    /// `dependentSchemas` (with the schemas of `dependencies`, in the view).
    pub dependent_schemas: Read<'a, &'a Map<String, Value>>,
    /// `dependentRequired` (with the arrays of `dependencies`, in the view).
    pub dependent_required: Read<'a, Vec<(&'a str, Vec<&'a str>)>>,
    /// `minItems`.
    pub min_items: Read<'a, u64>,
    /// `maxItems`.
    pub max_items: Read<'a, u64>,
    /// `uniqueItems`.
    pub unique_items: Read<'a, bool>,
    /// `minContains`.
    pub min_contains: Read<'a, u64>,
    /// `maxContains`.
    pub max_contains: Read<'a, u64>,
    /// `minProperties`.
    pub min_properties: Read<'a, u64>,
    /// `maxProperties`.
    pub max_properties: Read<'a, u64>,
    /// `examples`: instance data.
    pub examples: Option<&'a Value>,
    /// OpenAPI's `discriminator`.
    pub discriminator: Option<&'a Value>,
    /// `title`.
    pub title: Option<&'a str>,
    /// `description`.
    pub description: Option<&'a str>,
    /// `x-known-values`.
    pub known_values: Read<'a, Vec<&'a str>>,
    /// `x-quirk-values`.
    pub quirk_values: Read<'a, Vec<&'a str>>,
    /// `x-case-insensitive`.
    pub case_insensitive: Read<'a, bool>,
    /// `x-quirk`.
    pub quirk: Option<&'a str>,
    /// `x-rust-name`.
    pub rust_name: Read<'a, &'a str>,
    /// `x-rust-field-names`: (property, Rust name).
    pub rust_field_names: Read<'a, Vec<(&'a str, &'a str)>>,
    /// `x-rust-variant-names`: (value, Rust name).
    pub rust_variant_names: Read<'a, Vec<(&'a str, &'a str)>>,
}

impl<'a> Keywords<'a> {
    /// Reads `value`, a schema of a view: its keywords, each once. A
    /// boolean schema has none.
    pub fn read(value: &'a Value) -> Keywords<'a> {
        match value {
            Value::Object(map) => Keywords::of(map),
            _ => Keywords::default(),
        }
    }

    /// Reads the schema object `map`: its keywords, each once.
    pub fn of(map: &'a Map<String, Value>) -> Keywords<'a> {
        let mut out = Keywords {
            map: Some(map),
            ..Keywords::default()
        };
        for (key, value) in map {
            // A keyword of no draft constrains nothing: not a field.
            if keywords::in_any_draft(key).is_none() {
                continue;
            }
            match key.as_str() {
                "$ref" => out.reference = string(value),
                "type" => {
                    out.type_is_one = value.is_string();
                    out.types = match value {
                        Value::String(name) => Read::Value(vec![name.as_str()]),
                        _ => strings(value),
                    };
                }
                "properties" => out.properties = object(value),
                "required" => out.required = strings(value),
                "additionalProperties" => out.additional_properties = Some(value),
                "unevaluatedProperties" => out.unevaluated_properties = Some(value),
                "patternProperties" => out.pattern_properties = object(value),
                "items" => out.items = Some(value),
                "prefixItems" => out.prefix_items = array(value),
                "allOf" => out.all_of = array(value),
                "anyOf" => out.any_of = array(value),
                "oneOf" => out.one_of = array(value),
                "not" => out.not = Some(value),
                "if" => out.if_ = Some(value),
                "const" => out.constant = Some(value),
                "enum" => out.enumeration = array(value),
                "minimum" => out.minimum = number(value),
                "maximum" => out.maximum = number(value),
                "exclusiveMinimum" => out.exclusive_minimum = number(value),
                "exclusiveMaximum" => out.exclusive_maximum = number(value),
                "multipleOf" => out.multiple_of = number(value),
                "minLength" => out.min_length = count(value),
                "maxLength" => out.max_length = count(value),
                "pattern" => out.pattern = string(value),
                "format" => out.format = string(value),
                "$id" => out.id = Some(value),
                "$defs" => out.defs = object(value),
                "definitions" => out.definitions = object(value),
                "then" => out.then = Some(value),
                "else" => out.else_ = Some(value),
                "contains" => out.contains = Some(value),
                "propertyNames" => out.property_names = Some(value),
                "unevaluatedItems" => out.unevaluated_items = Some(value),
                "dependentSchemas" => out.dependent_schemas = object(value),
                "dependentRequired" => out.dependent_required = dependent_required(value),
                "minItems" => out.min_items = count(value),
                "maxItems" => out.max_items = count(value),
                "uniqueItems" => out.unique_items = boolean(value),
                "minContains" => out.min_contains = count(value),
                "maxContains" => out.max_contains = count(value),
                "minProperties" => out.min_properties = count(value),
                "maxProperties" => out.max_properties = count(value),
                "examples" => out.examples = Some(value),
                "discriminator" => out.discriminator = Some(value),
                "title" => out.title = value.as_str(),
                "description" => out.description = value.as_str(),
                keywords::KNOWN_VALUES => out.known_values = strings(value),
                keywords::QUIRK_VALUES => out.quirk_values = strings(value),
                keywords::CASE_INSENSITIVE => out.case_insensitive = boolean(value),
                keywords::QUIRK => out.quirk = value.as_str(),
                keywords::RUST_NAME => out.rust_name = string(value),
                keywords::RUST_FIELD_NAMES => out.rust_field_names = string_map(value),
                keywords::RUST_VARIANT_NAMES => out.rust_variant_names = string_map(value),
                // Not a field yet: read through `map` by its consumer.
                _ => {}
            }
        }
        out
    }

    /// The object as written in the view, for walks over every key and for
    /// keywords without a field yet (empty for a boolean schema).
    pub fn map(&self) -> &'a Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.map.unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// `$ref`'s value as written, of its shape or not (for consumers that
    /// report a misshapen one themselves).
    pub fn reference_value(&self) -> Option<&'a Value> {
        match self.reference {
            Read::Absent => None,
            _ => self.map().get("$ref"),
        }
    }

    /// The names `required` lists, those among a misshapen one's values too
    /// (for consumers that report the shape where they read it).
    pub fn required_names(&self) -> Vec<&'a str> {
        match &self.required {
            Read::Absent => Vec::new(),
            Read::Value(names) => names.clone(),
            Read::Misshapen(value) => value
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default(),
        }
    }

    /// Whether the object has `key` (for keywords without a field yet).
    pub fn has(&self, key: &str) -> bool {
        self.map().contains_key(key)
    }
}

fn string(value: &Value) -> Read<'_, &str> {
    value.as_str().map_or(Read::Misshapen(value), Read::Value)
}

fn strings(value: &Value) -> Read<'_, Vec<&str>> {
    let read: Option<Vec<&str>> = value
        .as_array()
        .and_then(|items| items.iter().map(Value::as_str).collect());
    read.map_or(Read::Misshapen(value), Read::Value)
}

/// An object of strings (`x-rust-field-names`).
fn string_map(value: &Value) -> Read<'_, Vec<(&str, &str)>> {
    let read: Option<Vec<(&str, &str)>> = value.as_object().and_then(|map| {
        map.iter()
            .map(|(k, v)| Some((k.as_str(), v.as_str()?)))
            .collect()
    });
    read.map_or(Read::Misshapen(value), Read::Value)
}

fn boolean(value: &Value) -> Read<'_, bool> {
    value.as_bool().map_or(Read::Misshapen(value), Read::Value)
}

/// An object of arrays of strings (`dependentRequired`).
fn dependent_required(value: &Value) -> Read<'_, Vec<(&str, Vec<&str>)>> {
    let read: Option<Vec<(&str, Vec<&str>)>> = value.as_object().and_then(|map| {
        map.iter()
            .map(|(k, v)| {
                let names: Option<Vec<&str>> = v.as_array()?.iter().map(Value::as_str).collect();
                Some((k.as_str(), names?))
            })
            .collect()
    });
    read.map_or(Read::Misshapen(value), Read::Value)
}

fn object(value: &Value) -> Read<'_, &Map<String, Value>> {
    value
        .as_object()
        .map_or(Read::Misshapen(value), Read::Value)
}

fn array(value: &Value) -> Read<'_, &[Value]> {
    value.as_array().map_or(Read::Misshapen(value), |items| {
        Read::Value(items.as_slice())
    })
}

fn number(value: &Value) -> Read<'_, &Number> {
    match value {
        Value::Number(n) => Read::Value(n),
        _ => Read::Misshapen(value),
    }
}

/// A count: a non-negative integer, which may be written `2.0`.
fn count(value: &Value) -> Read<'_, u64> {
    let count = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0)
            .map(|f| f.min(u64::MAX as f64) as u64)
    });
    count.map_or(Read::Misshapen(value), Read::Value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Shape;
    use super::*;

    #[test]
    fn each_keyword_lands_in_its_field_typed_by_its_shape() {
        let schema = json!({
            "type": ["string", "null"],
            "minimum": 1,
            "maxLength": 2.0,
            "pattern": "^a",
            "required": ["a"],
            "enum": ["a", null],
            "x-known-values": ["a"],
            "markdownDescription": "kept in the map only",
        });
        let read = Keywords::read(&schema);
        assert_eq!(read.types, Read::Value(vec!["string", "null"]));
        assert!(!read.type_is_one);
        assert_eq!(read.minimum.ok().and_then(Number::as_u64), Some(1));
        assert_eq!(read.max_length, Read::Value(2));
        assert_eq!(read.pattern, Read::Value("^a"));
        assert_eq!(read.required, Read::Value(vec!["a"]));
        assert_eq!(read.enumeration.ok().map(<[Value]>::len), Some(2));
        assert_eq!(read.known_values, Read::Value(vec!["a"]));
        assert_eq!(read.format, Read::Absent);
        assert!(read.has("markdownDescription"));
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_kept_as_written() {
        let schema = json!({"type": 3, "minimum": "1", "minLength": -1, "required": [1]});
        let read = Keywords::read(&schema);
        assert_eq!(read.types, Read::Misshapen(&json!(3)));
        assert_eq!(read.minimum.misshapen(), Some(&json!("1")));
        assert_eq!(read.min_length, Read::Misshapen(&json!(-1)));
        assert!(read.required.is_present() && read.required.ok().is_none());
    }

    /// The registry's keywords no consumer reads the value of: the draft view
    /// renames some (`id`, `additionalItems`, `dependencies`), the generator
    /// refuses or ignores the others. Every other keyword is a field.
    const WITHOUT_FIELD: &[&str] = &[
        "$schema",
        "id",
        "$anchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$vocabulary",
        "additionalItems",
        "dependencies",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "default",
        "$comment",
        "readOnly",
        "writeOnly",
        "deprecated",
        keywords::STRICT,
    ];

    /// A value of `shape`, as a schema would write it.
    fn sample(shape: Shape) -> Value {
        match shape {
            Shape::Schema | Shape::SchemaOrArray | Shape::Dependencies => json!({}),
            Shape::SchemaArray => json!([{}]),
            Shape::SchemaMap => json!({"a": {}}),
            Shape::String => json!("a"),
            Shape::StringArray => json!(["a"]),
            Shape::StringArrayMap => json!({"a": ["b"]}),
            Shape::StringMap => json!({"a": "b"}),
            Shape::Type => json!("string"),
            Shape::Number | Shape::NumberOrBoolean | Shape::Count => json!(1),
            Shape::Boolean => json!(true),
            Shape::Any => json!([1]),
        }
    }

    #[test]
    fn every_keyword_of_the_registry_is_a_field_or_listed_without_one() {
        let empty = format!("{:?}", Keywords::default());
        for keyword in keywords::KEYWORDS {
            let schema = json!({ keyword.name: sample(keyword.shape) });
            let mut read = Keywords::read(&schema);
            read.map = None;
            let has_field = format!("{read:?}") != empty;
            let listed = WITHOUT_FIELD.contains(&keyword.name);
            assert!(
                has_field != listed,
                "`{}`: a field {has_field}, listed without one {listed}",
                keyword.name
            );
        }
    }

    #[test]
    fn a_boolean_schema_has_no_keyword() {
        let read = Keywords::read(&Value::Bool(true));
        assert!(read.map().is_empty());
        assert_eq!(read.reference, Read::Absent);
    }
}
