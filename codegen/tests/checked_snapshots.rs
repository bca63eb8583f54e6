//! Snapshots of the code generated for the constructs checked values
//! implement (arrays, string and number constraints, composition, object
//! keywords, boolean schemas, formats, keywords without `type`, recursion).
//! Each is compiled and linted in `tests/downstream/constructs`, and its
//! verdicts compared with the validator's in the differential test.
//!
//! Update with `INSTA_UPDATE=always cargo test -p aperture-events-codegen --test checked_snapshots`.

mod common;

use common::generate;

#[test]
fn arrays_plain_constrained_and_tuples() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Lists", "type": "object",
        "properties": {
            "plain": {"type": "array", "items": {"type": "string"}},
            "nullable_items": {"type": "array", "items": {"type": ["integer", "null"]}},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": true},
            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false},
            "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}, {"type": ["string", "null"]}], "items": false, "minItems": 3}
        }
    }"#
    ));
}

#[test]
fn string_constraints_and_formats() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Texts", "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[A-Z]+$"},
            "day": {"type": "string", "format": "date"},
            "address": {"type": ["string", "null"], "format": "ipv4"}
        }
    }"#
    ));
}

#[test]
fn number_constraints() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Numbers", "type": "object",
        "properties": {
            "ratio": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
            "step": {"type": "integer", "multipleOf": 5, "exclusiveMinimum": -10},
            "scale": {"type": "number", "multipleOf": 0.5}
        }
    }"#
    ));
}

#[test]
fn composition_const_and_enum_of_any_json() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Composed", "type": "object",
        "properties": {
            "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "exactly": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 2}]},
            "both": {"allOf": [{"type": "string"}, {"maxLength": 3}]},
            "not_null": {"not": {"type": "null"}},
            "answer": {"const": 42},
            "choice": {"enum": [1, "a", null, {"x": [true]}]}
        }
    }"#
    ));
}

#[test]
fn object_keywords_and_typed_extras() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Objects", "type": "object",
        "properties": {
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "headers": {
                "type": "object",
                "patternProperties": {"^x-": {"type": "string"}},
                "additionalProperties": false,
                "propertyNames": {"maxLength": 8},
                "minProperties": 1,
                "maxProperties": 4,
                "dependentRequired": {"x-a": ["x-b"]}
            }
        },
        "additionalProperties": {"type": "string"}
    }"#
    ));
}

#[test]
fn boolean_schemas_keywords_without_type_and_refs_with_siblings() {
    insta::assert_snapshot!(generate(
        r##"{
        "title": "Loose", "type": "object",
        "properties": {
            "never": false,
            "anything": true,
            "at_least_five": {"minimum": 5},
            "when": {"format": "date-time"},
            "closed": {"additionalProperties": false},
            "short": {"$ref": "#/$defs/name", "maxLength": 4}
        },
        "$defs": {"name": {"type": "string", "minLength": 1}}
    }"##
    ));
}

#[test]
fn recursion_through_box_and_vec() {
    insta::assert_snapshot!(generate(
        r##"{
        "title": "Tree", "type": "object",
        "properties": {
            "parent": {"$ref": "#"},
            "children": {"type": "array", "items": {"$ref": "#"}},
            "next": {"$ref": "#/$defs/link"}
        },
        "$defs": {
            "link": {"type": ["object", "null"], "properties": {"next": {"$ref": "#/$defs/link"}}}
        }
    }"##
    ));
}

#[test]
fn a_tuple_holding_a_struct_holding_the_tuple_boxes_the_cycle() {
    insta::assert_snapshot!(generate(
        r##"{
        "title": "Pair", "type": "array",
        "prefixItems": [{"type": "string"}, {"$ref": "#/$defs/link"}],
        "items": false, "minItems": 2,
        "$defs": {
            "link": {"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": false}
        }
    }"##
    ));
}

#[test]
fn a_root_that_is_no_object() {
    insta::assert_snapshot!(generate(
        r#"{"title": "Either", "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]}"#
    ));
}

#[test]
fn an_all_of_of_object_schemas_merges_into_one_struct() {
    insta::assert_snapshot!(generate(
        r##"{
        "title": "Person",
        "allOf": [
            {"$ref": "#/$defs/named"},
            {"type": "object", "properties": {"age": {"type": "integer", "minimum": 0, "maximum": 200}}, "required": ["age"]}
        ],
        "$defs": {"named": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}
    }"##
    ));
}
