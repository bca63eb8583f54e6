//! Feature `patterns`: a `pattern` or `patternProperties` key that jsonschema's
//! ECMA-262 translation rejects is refused when generating, at its JSON
//! pointer, as `jsonschema` refuses the schema. (Without the feature the build
//! path has no regex crate, and such a pattern generates a check no string
//! passes. A pattern with lookaround or backreferences is compiled only at run
//! time, by fancy-regex, and is not checked here.)

use aperture_events_codegen::{Config, SchemaSource};

/// The generator's errors on one schema file (empty when it generates).
fn errors(schema: &str) -> String {
    match Config::new().generate(&[SchemaSource::new("t.schema.json", schema)]) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_pattern_the_validator_cannot_compile_is_refused_at_its_place() {
    let schema =
        r#"{"type": "object", "properties": {"a": {"type": "string", "pattern": "^[a-"}}}"#;
    assert!(jsonschema::validator_for(&serde_json::from_str(schema).unwrap()).is_err());
    assert_eq!(
        errors(schema),
        "t.schema.json:/properties/a/pattern: \"^[a-\" is not a regular expression the validator \
         accepts (ECMA-262, as `jsonschema` reads it)"
    );
}

#[test]
fn a_pattern_properties_key_is_refused_at_its_own_pointer() {
    let schema =
        r#"{"type": "object", "patternProperties": {"(": true, "^x-": {"type": "string"}}}"#;
    assert!(jsonschema::validator_for(&serde_json::from_str(schema).unwrap()).is_err());
    assert_eq!(
        errors(schema),
        "t.schema.json:/patternProperties/(: \"(\" is not a regular expression the validator \
         accepts (ECMA-262, as `jsonschema` reads it)"
    );
}

#[test]
fn ecma_262_patterns_the_validator_compiles_are_taken() {
    for pattern in [r"^\p{L}+$", r"^\cA$", r"(?=a)a", r"^[\w-]+$", r"(a)\1"] {
        let schema = serde_json::json!({"type": "string", "pattern": pattern}).to_string();
        assert!(
            jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).is_ok(),
            "{pattern}"
        );
        assert_eq!(errors(&schema), "", "{pattern}");
    }
}
