use serde_json::{Value, json};

use super::View;
use crate::Draft;

fn read(schema: Value) -> View {
    let (view, problems) = View::read(&schema, Draft::Draft202012);
    assert!(problems.is_empty(), "{problems:?}");
    view
}

#[test]
fn siblings_of_a_ref_are_ignored_before_2019_09() {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {"a": {"$ref": "#/definitions/x", "required": ["b"], "title": "A"}},
        "definitions": {"x": {"type": "object"}}
    });
    let view = read(schema.clone());
    assert_eq!(
        view.value["properties"]["a"],
        json!({"$ref": "#/definitions/x", "title": "A"})
    );
    let mut later = schema;
    later["$schema"] = json!("https://json-schema.org/draft/2019-09/schema");
    let view = read(later);
    assert_eq!(view.value["properties"]["a"]["required"], json!(["b"]));
}

#[test]
fn draft_04_id_const_and_exclusive_booleans() {
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "id": "https://x/a.json",
        "const": 1,
        "minimum": 2,
        "exclusiveMinimum": true,
        "maximum": 9,
        "exclusiveMaximum": false
    }));
    assert_eq!(
        view.value,
        json!({
            "$schema": "http://json-schema.org/draft-04/schema#",
            "$id": "https://x/a.json",
            "exclusiveMinimum": 2,
            "maximum": 9
        })
    );
    assert_eq!(view.original_pointer("/$id"), "/id");
    let message = view.unknown_keywords_message().expect("const is listed");
    assert!(
        message.contains("`const` (not a draft-04 keyword"),
        "{message}"
    );
}

#[test]
fn array_items_and_additional_items_become_prefix_items_and_items() {
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "items": [{"type": "string"}, {"items": [{"type": "null"}]}],
        "additionalItems": false
    }));
    assert_eq!(
        view.value["prefixItems"],
        json!([{"type": "string"}, {"prefixItems": [{"type": "null"}]}])
    );
    assert_eq!(view.value["items"], json!(false));
    assert_eq!(
        view.original_pointer("/prefixItems/1/prefixItems/0"),
        "/items/1/items/0"
    );
    assert_eq!(view.original_pointer("/items"), "/additionalItems");
    assert_eq!(
        view.view_pointer("/items/1/items/0"),
        "/prefixItems/1/prefixItems/0"
    );
    // Beside a schema-form `items`, `additionalItems` is ignored.
    let view = read(json!({"items": {}, "additionalItems": false}));
    assert_eq!(view.value, json!({"items": {}}));
}

#[test]
fn dependencies_split_by_form() {
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-06/schema#",
        "dependencies": {"a": ["b"], "c": {"required": ["d"]}}
    }));
    assert_eq!(view.value["dependentRequired"], json!({"a": ["b"]}));
    assert_eq!(
        view.value["dependentSchemas"],
        json!({"c": {"required": ["d"]}})
    );
    assert_eq!(
        view.original_pointer("/dependentSchemas/c/required"),
        "/dependencies/c/required"
    );
}

#[test]
fn a_subschema_may_switch_draft_and_uuid_is_a_format_of_2019_09_on() {
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {
            "a": {"format": "uuid"},
            "b": {"$schema": "https://json-schema.org/draft/2020-12/schema", "format": "uuid"}
        }
    }));
    assert_eq!(view.value["properties"]["a"], json!({}));
    assert_eq!(view.value["properties"]["b"], json!({"format": "uuid"}));
    assert_eq!(view.draft_at("/properties/a"), (Draft::Draft7, true));
    assert_eq!(
        view.draft_at("/properties/b/format"),
        (Draft::Draft202012, true)
    );
    assert_eq!(read(json!({})).draft(), (Draft::Draft202012, false));
}

#[test]
fn unknown_keywords_are_annotations_listed_once_and_misspelt_extensions_are_errors() {
    let view = read(json!({
        "markdownDescription": "m",
        "properties": {"a": {"markdownDescription": "n", "tsType": "x"}}
    }));
    // Kept as written (a `$ref` may point into them), and listed.
    assert_eq!(
        view.value,
        json!({"markdownDescription": "m", "properties": {"a": {"markdownDescription": "n", "tsType": "x"}}})
    );
    let keys: Vec<(&str, &str)> = view
        .unknown_keywords()
        .iter()
        .map(|(k, p, _)| (k.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("markdownDescription", "/markdownDescription"),
            ("tsType", "/properties/a/tsType")
        ]
    );
    let (_, problems) = View::read(
        &json!({"properties": {"a": {"x-known-value": ["a"]}}}),
        Draft::Draft202012,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "/properties/a/x-known-value");
    assert!(problems[0].1.contains("`x-known-values`"), "{problems:?}");
}

#[test]
fn an_unknown_schema_is_a_problem_at_its_place() {
    let (_, problems) = View::read(
        &json!({"$schema": "https://example.com/my-dialect"}),
        Draft::Draft202012,
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, "/$schema");
    assert!(problems[0].1.contains("draft-07"), "{problems:?}");
}

#[test]
fn a_numeric_exclusive_minimum_in_draft_04_is_a_problem() {
    let (_, problems) = View::read(
        &json!({"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 5}),
        Draft::Draft202012,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "/exclusiveMinimum");
    assert!(problems[0].1.contains("draft-04"), "{problems:?}");
}

#[test]
fn extension_values_have_their_registry_shape() {
    let (_, problems) = View::read(
        &json!({"x-quirk": 1, "properties": {"a": {"x-known-values": ["a", 2], "x-case-insensitive": "yes"}}}),
        Draft::Draft202012,
    );
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|(p, m)| (p.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/properties/a/x-case-insensitive",
                "`x-case-insensitive` must be a boolean"
            ),
            (
                "/properties/a/x-known-values",
                "`x-known-values` must be an array of strings"
            ),
            ("/x-quirk", "`x-quirk` must be a string"),
        ]
    );
}

#[test]
fn boolean_subschemas_are_draft_04_only_where_its_meta_schema_takes_them() {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "properties": {"a": true, "b": {"items": [{}], "additionalItems": false}},
        "additionalProperties": false,
        "not": false
    });
    let (_, problems) = View::read(&schema, Draft::Draft202012);
    let places: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(places, ["/not", "/properties/a"], "{problems:?}");
    assert!(problems[1].1.contains("write `{}`"), "{problems:?}");
    let mut six = schema;
    six["$schema"] = json!("http://json-schema.org/draft-06/schema#");
    assert!(View::read(&six, Draft::Draft202012).1.is_empty());
}

#[test]
fn the_warning_names_twenty_unknown_keywords_and_counts_the_rest() {
    let schema: serde_json::Map<String, Value> =
        (0..25).map(|i| (format!("k{i}"), json!(1))).collect();
    let view = read(Value::Object(schema));
    assert_eq!(view.unknown_keywords().len(), 25);
    let message = view.unknown_keywords_message().expect("warning");
    assert!(message.ends_with(", and 5 more"), "{message}");
    assert_eq!(message.matches("first at").count(), 20, "{message}");
}

#[test]
fn formats_no_draft_defines_are_left_out_and_listed_once() {
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {
            "a": {"type": "string", "format": "int64"},
            "b": {"type": "string", "format": "int64"},
            "c": {"type": "string", "format": "semver"},
            "d": {"type": "string", "format": "regex"},
            "e": {"type": "string", "format": "uuid"}
        }
    }));
    let properties = &view.value["properties"];
    assert_eq!(properties["a"], json!({"type": "string"}));
    assert_eq!(properties["c"], json!({"type": "string"}));
    // Known formats stay; one of a later draft is an unknown keyword instead.
    assert_eq!(properties["d"]["format"], "regex");
    assert_eq!(properties["e"], json!({"type": "string"}));
    assert_eq!(
        view.unknown_formats(),
        [
            ("int64".to_owned(), "/properties/a/format".to_owned()),
            ("semver".to_owned(), "/properties/c/format".to_owned()),
        ]
    );
    let message = view.unknown_formats_message().expect("a warning");
    assert!(
        message.contains("`int64` (first at /properties/a/format)"),
        "{message}"
    );
    assert!(
        view.unknown_keywords_message()
            .expect("uuid")
            .contains("format: uuid")
    );
    assert_eq!(
        read(json!({"format": "uri"})).unknown_formats_message(),
        None
    );
}

#[test]
fn every_format_jsonschema_asserts_is_known_from_its_first_draft() {
    use super::super::{format_in_draft, format_known};
    for (format, since) in [
        ("date-time", Draft::Draft4),
        ("regex", Draft::Draft4),
        ("idn-email", Draft::Draft4),
        ("uri-reference", Draft::Draft6),
        ("json-pointer", Draft::Draft6),
        ("iri", Draft::Draft7),
        ("relative-json-pointer", Draft::Draft7),
        ("duration", Draft::Draft201909),
        ("uuid", Draft::Draft201909),
    ] {
        assert!(format_known(format), "{format}");
        for draft in Draft::ALL {
            assert_eq!(
                format_in_draft(format, draft),
                draft >= since,
                "{format} in {draft}"
            );
        }
    }
    for unknown in ["int64", "uint", "semver", "glob-pattern", "", "Date-Time"] {
        assert!(!format_known(unknown), "{unknown}");
        assert!(!format_in_draft(unknown, Draft::Draft202012), "{unknown}");
    }
}

#[test]
fn a_ref_into_a_keyword_of_no_draft_reads_its_target_in_the_draft() {
    // The shape OpenAPI-derived schemas have, beside a root `$ref` in draft-07.
    let view = read(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$ref": "#/components/schemas/a",
        "components": {
            "schemas": {
                "a": {
                    "type": "object",
                    "dependencies": {"x": ["y"]},
                    "properties": {"list": {"$ref": "#/components/schemas/b"}}
                },
                "b": {"items": [{"type": "string"}], "additionalItems": false},
                "c": {"dependencies": {"x": ["y"]}}
            },
            "note": {"dependencies": "as written"}
        }
    }));
    let schemas = &view.value["components"]["schemas"];
    assert_eq!(schemas["a"]["dependentRequired"], json!({"x": ["y"]}));
    assert_eq!(
        schemas["b"],
        json!({"prefixItems": [{"type": "string"}], "items": false})
    );
    // What no `$ref` points at stays as written.
    assert_eq!(schemas["c"], json!({"dependencies": {"x": ["y"]}}));
    assert_eq!(
        view.value["components"]["note"],
        json!({"dependencies": "as written"})
    );
    assert_eq!(
        view.original_pointer("/components/schemas/b/prefixItems/0"),
        "/components/schemas/b/items/0"
    );
    assert_eq!(
        view.view_pointer("/components/schemas/b/items/0"),
        "/components/schemas/b/prefixItems/0"
    );
}
