//! Snapshots of the generator's output: one small schema per supported
//! construct, and the error message of each unsupported one.
//!
//! Review a changed snapshot like code: it is what users will compile.
//! Update with `INSTA_UPDATE=always cargo test -p aperture-events-codegen --test emit_snapshots`
//! (or `cargo insta review`).

mod common;

use common::{error, generate, generate_files};

#[test]
fn object_with_required_optional_and_nullable_fields() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Thing", "description": "A thing.", "type": "object",
        "required": ["id", "owner"],
        "properties": {
            "id": {"type": "string", "description": "Required."},
            "owner": {"type": ["string", "null"], "description": "Required, may be null."},
            "name": {"type": "string", "description": "Optional."},
            "note": {"type": ["string", "null"], "description": "Optional, may be null."},
            "active": {"type": "boolean"},
            "ratio": {"type": "number"},
            "anything": {"description": "Any JSON value."}
        }
    }"#
    ));
}

#[test]
fn const_properties_required_and_optional() {
    insta::assert_snapshot!(generate(
        r#"{
        "title": "Tagged", "type": "object", "required": ["kind"],
        "properties": {
            "kind": {"const": "tagged", "description": "Always `tagged`."},
            "version": {"const": "v1"}
        }
    }"#
    ));
}

#[test]
fn closed_enum() {
    insta::assert_snapshot!(generate(
        r#"{"$defs": {"color": {"title": "Color", "description": "A color.", "enum": ["red", "Green", "dark blue"]}}}"#
    ));
}

#[test]
fn open_enum_with_casing_variants_and_quirk_values() {
    insta::assert_snapshot!(generate(
        r#"{"$defs": {"exposure": {
        "title": "Exposure", "type": "string",
        "x-known-values": ["Public", "Company", "PUBLIC", "COMPANY", "Other"],
        "x-quirk-values": ["PUBLIC", "COMPANY"],
        "x-quirk": "sent in upper case"
    }}}"#
    ));
}

#[test]
fn case_insensitive_open_enum_with_spellings_and_a_quirk_value() {
    insta::assert_snapshot!(generate(
        r#"{"$defs": {"level": {
        "title": "Level", "type": "string",
        "x-known-values": ["Low", "High", "LOW", "urgent"],
        "x-quirk-values": ["LOW", "urgent"],
        "x-case-insensitive": true
    }}}"#
    ));
}

#[test]
fn fields_keeping_spellings_and_number_forms() {
    insta::assert_snapshot!(generate(
        r##"{"title": "Reading", "type": "object", "required": ["level", "at"],
        "properties": {
            "level": {"$ref": "#/$defs/level"},
            "at": {"type": "string", "format": "date-time"},
            "previous": {"$ref": "#/$defs/nullable_level"},
            "count": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
            "size": {"type": ["string", "integer"], "minimum": 0}
        },
        "$defs": {
            "level": {"title": "Level", "type": "string", "x-known-values": ["Low", "LOW"], "x-quirk-values": ["LOW"]},
            "nullable_level": {"title": "PreviousLevel", "type": ["string", "null"], "x-known-values": ["Low"], "x-case-insensitive": true}
        }}"##
    ));
}

#[test]
fn union_accessors_for_the_fields_branches_share() {
    insta::assert_snapshot!(generate_files(&[
        (
            "a.schema.json",
            r#"{"$id": "https://example.test/a.schema.json", "title": "A", "type": "object",
            "required": ["kind", "at"], "properties": {"kind": {"const": "a"},
            "at": {"type": "string", "format": "date-time"}, "note": {"type": ["string", "null"]},
            "code": {"type": "string"}, "only_a": {"type": "boolean"}}}"#
        ),
        (
            "b.schema.json",
            r#"{"$id": "https://example.test/b.schema.json", "title": "B", "type": "object",
            "required": ["kind", "at"], "properties": {"kind": {"const": "b"},
            "at": {"type": "string", "format": "date-time"}, "note": {"type": ["string", "null"]},
            "code": {"type": "boolean"}}}"#
        ),
        (
            "ab.schema.json",
            r#"{"$id": "https://example.test/ab.schema.json", "title": "Ab",
            "oneOf": [{"$ref": "a.schema.json"}, {"$ref": "b.schema.json"}],
            "discriminator": {"propertyName": "kind"}}"#
        ),
    ]));
}

#[test]
fn bounded_integers() {
    insta::assert_snapshot!(generate(
        r#"{"$defs": {
        "severity": {"title": "Severity", "type": "integer", "minimum": 0, "maximum": 5},
        "count": {"title": "Count", "type": "integer", "minimum": 0.5},
        "delta": {"title": "Delta", "type": "integer", "minimum": -10, "maximum": 10}
    }}"#
    ));
}

#[test]
fn multi_type_values() {
    insta::assert_snapshot!(generate(
        r#"{"$defs": {
        "size": {"title": "Size", "type": ["string", "integer"], "minimum": 0},
        "flag": {"title": "Flag", "type": ["boolean", "number"]}
    }}"#
    ));
}

#[test]
fn date_time_format() {
    insta::assert_snapshot!(generate(
        r#"{"title": "Stamped", "type": "object",
        "properties": {"at": {"type": "string", "format": "date-time"}}}"#
    ));
}

#[test]
fn date_time_type_named_after_its_schema_title() {
    let code = generate(
        r##"{"title": "Stamped", "type": "object",
        "properties": {"at": {"$ref": "#/$defs/when"}},
        "$defs": {"when": {"title": "EventTime", "type": "string", "format": "date-time"}}}"##,
    );
    assert!(code.contains("pub at: Option<EventTime>,"), "{code}");
    // The runtime's type, under the schema's name for it.
    assert!(
        code.contains("pub use ::aperture_events_runtime::Timestamp as EventTime;"),
        "{code}"
    );
    assert!(
        code.contains("pub use ::aperture_events_runtime::InvalidTimestamp as InvalidEventTime;"),
        "{code}"
    );
}

#[test]
fn refs_within_and_across_files() {
    insta::assert_snapshot!(generate_files(&[
        (
            "a.schema.json",
            r##"{"$id": "https://example.test/s/a.schema.json", "title": "A", "type": "object",
            "properties": {
                "local": {"$ref": "#/$defs/level", "description": "Beside the $ref: this doc wins."},
                "shared": {"$ref": "b.schema.json#/$defs/kind"}
            },
            "$defs": {"level": {"title": "Level", "type": "integer", "minimum": 1, "maximum": 3}}}"##
        ),
        (
            "b.schema.json",
            r#"{"$id": "https://example.test/s/b.schema.json",
            "$defs": {"kind": {"title": "Kind", "description": "Shared.", "type": ["string", "null"], "x-known-values": ["x"]}}}"#
        ),
    ]));
}

#[test]
fn union_told_apart_by_a_const_property() {
    insta::assert_snapshot!(generate_files(&[
        (
            "cat.schema.json",
            r#"{"$id": "https://example.test/cat.schema.json", "title": "Cat", "type": "object",
            "required": ["kind"], "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer", "minimum": 0}}}"#
        ),
        (
            "dog.schema.json",
            r#"{"$id": "https://example.test/dog.schema.json", "title": "Dog", "type": "object",
            "required": ["kind"], "properties": {"kind": {"const": "dog"}}}"#
        ),
        (
            "pet.schema.json",
            r#"{"$id": "https://example.test/pet.schema.json", "title": "Pet",
            "oneOf": [{"$ref": "cat.schema.json"}, {"$ref": "dog.schema.json"}],
            "discriminator": {"propertyName": "kind"}}"#
        ),
    ]));
}

#[test]
fn additional_properties_false_and_awkward_names() {
    insta::assert_snapshot!(generate(
        r#"{"title": "Closed", "type": "object", "additionalProperties": false,
        "properties": {
            "type": {"type": "string"}, "self": {"type": "string"},
            "itemSize": {"type": "string"}, "item_size": {"type": "string"},
            "extras": {"type": "string"}, "2fa": {"type": "boolean"}
        }}"#
    ));
}

#[test]
fn docs_are_escaped_and_examples_fenced() {
    insta::assert_snapshot!(generate(
        r#"{"title": "Doc", "type": "object",
        "description": "Line one with [brackets] and <b>tags</b>.\n    indented code?\n```\nfn main() {}\n```",
        "examples": [{"text": "```rust"}],
        "properties": {"x": {"type": "string", "examples": ["a", "b"], "x-quirk": "sent as `\"\"` often"}}}"#
    ));
}

#[test]
fn unsupported_keywords_are_errors_with_their_place() {
    let cases = [
        r##"{"type": "object", "properties": {"a": {"$dynamicRef": "#node"}}}"##,
        r##"{"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "properties": {"a": {"$recursiveRef": "#/$defs/a"}}}"##,
        r#"{"type": "object", "properties": {"a": {"type": "string", "format": 5}}}"#,
        r#"{"type": "object", "properties": {"a": {"type": "string", "pattern": 5}}}"#,
        r#"{"type": "object", "properties": {"a": {"type": "number", "multipleOf": 0}}}"#,
        r#"{"type": "object", "properties": {"a": {"type": "string", "minLength": -1}}}"#,
        r#"{"type": "object", "properties": {"a": {"anyOf": []}}}"#,
        r#"{"type": "object", "properties": {"a": {"type": []}}}"#,
        r#"{"type": "object", "properties": {"a": {"$ref": "other.schema.json#/x"}}}"#,
        r##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/a"}}}"##,
        r#"{"type": "integer", "minimum": 5, "maximum": 1}"#,
        r#"{"type": "object", "properties": {"a": {"type": "string", "x-known-values": "x"}}}"#,
        r#"{"type": "string", "x-known-values": ["a"], "x-case-insensitive": "yes"}"#,
        r#"{"type": "string", "x-case-insensitive": true}"#,
        r#"{"type": "string", "x-known-values": ["Low", "LOW"], "x-case-insensitive": true}"#,
        "{\n  \"type\": \"object\",\n  \"properties\": ,\n}",
    ];
    let report: Vec<String> = cases
        .iter()
        .map(|c| format!("{c}\n  => {}", error(c).replace('\n', "\n  => ")))
        .collect();
    insta::assert_snapshot!(report.join("\n\n"));
}

#[test]
fn every_error_of_a_run_is_reported_at_once() {
    insta::assert_snapshot!(error(
        r#"{"type": "object", "properties": {
        "a": {"type": "array", "$vocabulary": {}},
        "b": {"allOf": []},
        "c": {"type": "string", "format": ["iri"]}
    }}"#
    ));
}
