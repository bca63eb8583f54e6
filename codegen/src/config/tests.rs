use super::*;

#[test]
fn unknown_type_names_and_bad_derives_are_reported_together() {
    let err = Config::new()
        .derive_for("NoSuchType", "Eq")
        .derive("not a path")
        .generate(&SchemaSource::embedded())
        .expect_err("bad config");
    let text = err.to_string();
    assert!(
        text.contains("no generated type is named `NoSuchType`"),
        "{text}"
    );
    assert!(text.contains("`not a path` is not a derive path"), "{text}");
}

#[test]
fn the_stock_schemas_need_no_rename() {
    let output = Config::new()
        .deny_renames(true)
        .generate(&SchemaSource::embedded())
        .expect("no name of the stock schemas collides");
    assert_eq!(output.warnings, []);
}

fn one(text: &str) -> Vec<SchemaSource> {
    vec![SchemaSource::new("t.schema.json", text)]
}

#[test]
fn unknown_keywords_are_one_warning_per_file_or_an_error_when_denied() {
    let text = r#"{"type": "object", "markdownDescription": "m",
        "properties": {"a": {"type": "string", "tsType": "string", "markdownDescription": "n"}}}"#;
    let output = Config::new().generate(&one(text)).expect("annotations");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("t.schema.json: keywords read as annotations"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains(
            "`markdownDescription` (not a keyword of draft 2020-12; first at /markdownDescription)"
        ),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("`tsType`"), "{warnings:?}");
    let err = Config::new()
        .deny_unknown_keywords(true)
        .generate(&one(text))
        .expect_err("denied");
    assert!(err.to_string().contains("`tsType`"), "{err}");
}

#[test]
fn a_misspelt_extension_is_an_error_naming_the_keyword() {
    let err = Config::new()
        .generate(&one(r#"{"type": "string", "x-known-value": ["a"]}"#))
        .expect_err("misspelt");
    assert_eq!(
        err.to_string(),
        "t.schema.json:/x-known-value: unknown keyword `x-known-value`: did you mean `x-known-values`?"
    );
}

#[test]
fn the_draft_is_read_from_schema_or_the_default() {
    // `required` beside a `$ref` is ignored in draft-07: no check, a plain alias.
    let draft7 = r##"{"$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}},
        "$ref": "#/definitions/a", "required": ["b"]}"##;
    let seven = Config::new().generate(&one(draft7)).expect("draft-07");
    let undeclared = draft7.replace(
        r##""$schema": "http://json-schema.org/draft-07/schema#","##,
        "",
    );
    let as_2020 = Config::new().generate(&one(&undeclared)).expect("2020-12");
    assert_ne!(seven.code, as_2020.code, "required applies in 2020-12 only");
    let by_default = Config::new()
        .default_draft(Draft::Draft7)
        .generate(&one(&undeclared))
        .expect("draft-07 by default");
    assert_eq!(seven.root_types, by_default.root_types);
    let err = Config::new()
        .generate(&one(r#"{"$schema": "https://example.com/my-dialect"}"#))
        .expect_err("unknown");
    assert!(
        err.to_string()
            .contains("http://json-schema.org/draft-04/schema#"),
        "{err}"
    );
}

#[test]
fn schemas_of_different_drafts_refer_to_each_other() {
    let a = r#"{"$schema": "http://json-schema.org/draft-04/schema#", "id": "https://x.dev/a.json",
        "type": "object", "properties": {"w": {"type": "integer"}, "b": {"$ref": "b.json#/$defs/n"}}}"#;
    let b = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://x.dev/b.json",
        "$defs": {"n": {"type": "integer", "multipleOf": 2}}}"#;
    let output = Config::new()
        .generate(&[
            SchemaSource::new("a.schema.json", a),
            SchemaSource::new("b.schema.json", b),
        ])
        .expect("two drafts");
    // Each file's `integer` as its own draft reads it.
    assert!(
        output.code.contains("is_written_integer"),
        "draft-04's integer"
    );
    assert!(output.code.contains("is_integer)"), "2020-12's integer");
    // `multipleOf` needs the runtime's feature, and the code says so.
    assert_eq!(output.runtime_features, ["multiple-of"]);
    assert!(
        output
            .code
            .contains(r#"::aperture_events_runtime::require_feature!("multiple-of");"#),
        "{}",
        output.code
    );
}

#[test]
fn refusals_name_the_draft() {
    let err = Config::new()
        .generate(&one(
            r##"{"$schema": "http://json-schema.org/draft-07/schema#", "contentEncoding": "base64"}"##,
        ))
        .expect_err("contentEncoding asserts in draft-07");
    assert!(err.to_string().ends_with("(in a draft-07 schema)"), "{err}");
    // A schema in `dependencies` is a dependent schema, checked on the object.
    let output = Config::new()
        .generate(&one(r##"{"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"a": {"required": ["b"]}}}"##))
        .expect("dependent schema");
    assert!(
        output.code.contains("its dependent schema"),
        "{}",
        output.code
    );
    // Array-form items: a tuple now, never "a schema must be a json object".
    let output = Config::new()
        .generate(&one(r##"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}], "additionalItems": false}"##));
    assert!(output.is_ok(), "{output:?}");
}

#[test]
fn generation_is_deterministic() {
    let a = Config::new()
        .generate(&SchemaSource::embedded())
        .expect("generate");
    let mut reversed = SchemaSource::embedded();
    reversed.reverse();
    let b = Config::new().generate(&reversed).expect("generate");
    assert_eq!(a, b);
}

#[test]
fn the_runtime_path_is_configurable_and_checked() {
    let schema =
        r#"{"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}"#;
    let output = Config::new()
        .runtime_path("crate::rt")
        .generate(&one(schema))
        .expect("generates");
    assert!(
        output.code.contains("crate::rt::check_version("),
        "{}",
        output.code
    );
    assert!(
        output
            .code
            .contains("pub use crate::rt::Timestamp as Timestamp;"),
        "{}",
        output.code
    );
    assert!(
        !output.code.contains("aperture_events_runtime"),
        "{}",
        output.code
    );
    let err = Config::new()
        .runtime_path("not a path")
        .generate(&one(schema))
        .expect_err("refused");
    assert!(err.to_string().contains("is not a runtime path"), "{err}");
}

#[test]
fn the_date_time_type_takes_no_derive_of_its_own() {
    let schema =
        r#"{"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}"#;
    let err = Config::new()
        .derive_for("Timestamp", "Default")
        .generate(&one(schema))
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("is aperture-events-runtime's `Timestamp`"),
        "{err}"
    );
}

#[test]
fn a_format_no_draft_defines_is_ignored_with_a_warning_or_denied() {
    let text = r#"{"type": "object", "properties": {"n": {"type": "string", "format": "int64"}}}"#;
    let output = Config::new().generate(&one(text)).expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`int64` (first at /properties/n/format)")),
        "{warnings:?}"
    );
    assert!(
        output.code.contains("pub n: Option<String>"),
        "{}",
        output.code
    );
    let err = Config::new()
        .deny_unknown_formats(true)
        .generate(&one(text))
        .expect_err("denied");
    assert!(err.to_string().contains("`int64`"), "{err}");
    // A format some draft defines is never "unknown": `uuid` in draft-07 is
    // an unknown keyword instead, and a defined format is asserted, even
    // with unknown formats denied.
    let known = r#"{"type": "string", "format": "hostname"}"#;
    let output = Config::new()
        .deny_unknown_formats(true)
        .generate(&one(known))
        .expect("generates");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    assert!(output.code.contains("is_valid_hostname"), "{}", output.code);
}
