//! No silent renames: every name the generator changes to settle a collision
//! is a warning at its file and JSON pointer, naming the `x-rust-*` keyword
//! that chooses it; chosen names are honoured, checked, and never mangled.
//!
//! Update with `INSTA_UPDATE=always cargo test -p aperture-events-codegen --test rename_warnings`.

use aperture_events_codegen::{Config, Output, SchemaSource};

/// Generates from `files` with the default settings.
fn generate(files: &[(&str, &str)]) -> Output {
    let sources: Vec<SchemaSource> = files
        .iter()
        .map(|(n, t)| SchemaSource::new(*n, *t))
        .collect();
    Config::new()
        .regenerate_command("(snapshot)")
        .generate(&sources)
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"))
}

/// The warnings of generating from `files`, one per line.
fn warnings(files: &[(&str, &str)]) -> String {
    let output = generate(files);
    let lines: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// The error of generating from `files` with `config`.
fn error(config: &Config, files: &[(&str, &str)]) -> String {
    let sources: Vec<SchemaSource> = files
        .iter()
        .map(|(n, t)| SchemaSource::new(*n, *t))
        .collect();
    match config.generate(&sources) {
        Ok(_) => panic!("generation succeeded, expected an error"),
        Err(e) => e.to_string(),
    }
}

const ENUM: &str = r#"{
    "title": "Thing", "type": "object",
    "properties": {
        "status": {"enum": ["not available", "Not Available", "NOT AVAILABLE", "n/a", "N/A", "Self", "🦀", "", null]},
        "state": {"type": "string", "x-known-values": ["Other", "other", "open"]}
    }
}"#;

const FIELDS: &str = r#"{
    "title": "Thing", "type": "object",
    "properties": {
        "item_size": {"type": "string"},
        "itemSize": {"type": "string"},
        "item-size": {"type": "string"},
        "🦀": {"type": "string"},
        "é": {"type": "string"},
        "a\rb": {"type": "string"},
        "a_b": {"type": "string"}
    }
}"#;

const COMMON: &str = r#"{"$defs": {"severity": {"type": "string", "enum": ["low", "high"]}}}"#;

const TYPES: &str = r#"{
    "title": "Incident", "type": "object",
    "properties": {
        "common": {"$ref": "common.schema.json#/$defs/severity"},
        "severity": {"title": "Severity", "enum": ["minor", "major"]},
        "again": {"title": "severity", "enum": ["a", "b"]},
        "text": {"title": "String", "type": "object", "properties": {}}
    }
}"#;

#[test]
fn colliding_enum_values_are_reported() {
    insta::assert_snapshot!(warnings(&[("t.schema.json", ENUM)]));
}

#[test]
fn colliding_properties_are_reported() {
    insta::assert_snapshot!(warnings(&[("t.schema.json", FIELDS)]));
}

#[test]
fn colliding_type_names_are_reported() {
    insta::assert_snapshot!(warnings(&[
        ("common.schema.json", COMMON),
        ("incident.schema.json", TYPES)
    ]));
}

#[test]
fn deny_renames_makes_them_errors() {
    let text = error(
        Config::new().deny_renames(true),
        &[("t.schema.json", FIELDS)],
    );
    assert_eq!(text, warnings(&[("t.schema.json", FIELDS)]));
}

/// The schemas above with every renamed name chosen.
#[test]
fn chosen_names_settle_every_collision() {
    let fields = FIELDS.replacen(
        r#""type": "object","#,
        r#""type": "object", "x-rust-field-names": {"itemSize": "item_size_camel", "item-size": "item_size_kebab", "🦀": "crab", "é": "e_acute", "a\rb": "a_cr_b"},"#,
        1,
    );
    let output = generate(&[("t.schema.json", &fields)]);
    assert_eq!(output.warnings, []);
    for field in [
        "item_size_camel",
        "item_size_kebab",
        "crab",
        "e_acute",
        "a_cr_b",
        "a_b",
        "item_size",
    ] {
        assert!(output.code.contains(&format!("pub {field}: ")), "{field}");
    }
    let enums = ENUM
        .replacen(
            r#""status": {"enum""#,
            r#""status": {"x-rust-variant-names": {"Not Available": "NotAvailableTitle", "NOT AVAILABLE": "NotAvailableUpper", "N/A": "NotApplicable", "Self": "Myself", "🦀": "Crab", "": "Blank"}, "enum""#,
            1,
        )
        .replacen(
            r#""x-known-values""#,
            r#""x-rust-variant-names": {"Other": "OtherState", "other": "OtherLower"}, "x-known-values""#,
            1,
        );
    let output = generate(&[("t.schema.json", &enums)]);
    assert_eq!(output.warnings, []);
    for variant in [
        "NotAvailable,",
        "NotAvailableTitle,",
        "NA,",
        "Myself,",
        "Crab,",
        "Blank,",
        "OtherState,",
    ] {
        assert!(output.code.contains(variant), "{variant}");
    }
    let types = TYPES
        .replacen(
            r#""title": "severity","#,
            r#""title": "severity", "x-rust-name": "AgainSeverity","#,
            1,
        )
        .replacen(
            r#""title": "String","#,
            r#""title": "String", "x-rust-name": "Text","#,
            1,
        )
        .replacen(
            r#""title": "Severity","#,
            r#""title": "Severity", "x-rust-name": "IncidentSeverity","#,
            1,
        );
    let output = generate(&[
        ("common.schema.json", COMMON),
        ("incident.schema.json", &types),
    ]);
    assert_eq!(output.warnings, []);
    for ty in [
        "pub enum Severity ",
        "pub enum IncidentSeverity ",
        "pub enum AgainSeverity ",
        "pub struct Text ",
    ] {
        assert!(output.code.contains(ty), "{ty}");
    }
}

#[test]
fn a_chosen_name_is_never_mangled() {
    let schema = r#"{
        "title": "Thing", "type": "object",
        "x-rust-field-names": {"a": "b", "c": "self", "d": "Camel", "nope": "x", "e": "dup", "f": "dup"},
        "properties": {
            "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"},
            "d": {"type": "string"}, "e": {"type": "string"}, "f": {"type": "string"},
            "g": {"enum": ["x", "y"], "x-rust-variant-names": {"x": "Y", "y": "Y", "z": "Z"}},
            "h": {"title": "Thing", "x-rust-name": "Thing", "type": "object", "properties": {}},
            "i": {"type": "object", "x-rust-name": 5, "properties": {}},
            "j": {"enum": ["x"], "x-rust-variant-names": ["X"]}
        }
    }"#;
    insta::assert_snapshot!(error(&Config::new(), &[("t.schema.json", schema)]));
}

#[test]
fn a_property_that_took_a_chosen_name_is_renamed_and_reported() {
    // `b` wants `b`, which `a` chose: `b` steps aside, with a warning.
    let schema = r#"{
        "title": "Thing", "type": "object",
        "x-rust-field-names": {"a": "b"},
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}}
    }"#;
    insta::assert_snapshot!(warnings(&[("t.schema.json", schema)]), @r#"t.schema.json:/properties/b: property "b" becomes field `b_2`: `b` is taken by property "a"; choose the name with `x-rust-field-names` on the object schema"#);
}

/// The README's example of chosen names generates what it says, with no warning.
#[test]
fn the_readme_example_chooses_its_names() {
    let readme = include_str!("../README.md");
    let start = readme.find("```json\n").expect("a json block") + "```json\n".len();
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("closed")];
    let schema = block.replacen('{', r#"{"title": "Example","#, 1);
    let output = generate(&[("t.schema.json", &schema)]);
    assert_eq!(output.warnings, []);
    assert!(output.code.contains("pub item_size_camel: "));
    assert!(output.code.contains("NotAvailableTitle,"));
    // Without the chosen names, both collisions are warned of.
    let without: Vec<&str> = schema
        .lines()
        .map(|line| match line {
            l if l.contains("\"x-rust-field-names\"") => r#""description": "x","#,
            l if l.contains("\"x-rust-variant-names\"") => r#""description": "x""#,
            l => l,
        })
        .collect();
    let output = generate(&[("t.schema.json", &without.join("\n"))]);
    let given: Vec<&str> = output
        .warnings
        .iter()
        .map(|w| w.message.split('`').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(given, ["NotAvailableValue", "item_size_2"]);
}

#[test]
fn colliding_constants_are_reported_and_chosen_field_names_settle_them() {
    let schema = r#"{
        "title": "Thing", "type": "object", "required": ["log_type"],
        "properties": {"log_type": {"const": "a"}, "logType": {"const": "b"}}
    }"#;
    insta::assert_snapshot!(warnings(&[("t.schema.json", schema)]));
    let chosen = schema.replacen(
        r#""type": "object","#,
        r#""type": "object", "x-rust-field-names": {"logType": "camel_log_type"},"#,
        1,
    );
    let output = generate(&[("t.schema.json", &chosen)]);
    assert_eq!(output.warnings, []);
    assert!(
        output
            .code
            .contains("pub const CAMEL_LOG_TYPE: &'static str = \"b\";"),
        "{}",
        output.code
    );
    assert!(output.code.contains("pub camel_log_type: bool"));
}

/// A merged `allOf`: the warning points at the part holding the property.
#[test]
fn a_rename_in_a_merged_all_of_is_reported_where_the_property_is() {
    let schema = r##"{
        "title": "Thing", "type": "object",
        "allOf": [{"$ref": "#/$defs/part"}, {"properties": {"itemSize": {"type": "string"}}}],
        "$defs": {"part": {"title": "Part", "properties": {"item_size": {"type": "string"}}}}
    }"##;
    insta::assert_snapshot!(warnings(&[("t.schema.json", schema)]), @r#"t.schema.json:/allOf/1/properties/itemSize: property "itemSize" becomes field `item_size_2`: `item_size` is taken by property "item_size"; choose the name with `x-rust-field-names` on the object schema"#);
}

#[test]
fn methods_left_out_for_a_taken_name_are_reported() {
    // `new` is the constructor; `a_spelling` is both a property's getter and
    // the spelling getter of `a` (an open set that keeps its spelling).
    insta::assert_snapshot!(warnings(&[(
        "t.schema.json",
        r#"{
            "title": "T", "type": "object",
            "properties": {
                "new": {"type": ["string", "null"]},
                "a_spelling": {"type": ["string", "null"]},
                "a": {"type": "string", "x-known-values": ["x"], "x-case-insensitive": true}
            }
        }"#
    )]));
}
