//! Code generated from hostile schemas compiles, for real.
//!
//! The schemas in `tests/hostile/` hold every kind of text that once broke the
//! generated code or could: carriage returns, NUL, escape and bidirectional
//! override characters, line and paragraph separators in descriptions, titles,
//! quirks, examples, property names, `$defs` keys, enum values and `const`
//! tags; names that are emoji, digits first, keywords (`self`, `Self`,
//! `crate`, `super` cannot be raw), empty, `_`, or that collide.
//!
//! The test writes the generated file into a scratch crate outside the
//! workspace (its own `[workspace]`, the workspace's `Cargo.lock` for the same
//! dependency versions) and runs `cargo clippy --offline -- -D warnings` on it,
//! then runs the scratch crate's own test, which deserializes and serializes a
//! payload with those names. The scratch target directory lives in cargo's
//! per-test temporary directory, so the dependencies build once.

use std::path::{Path, PathBuf};
use std::process::Command;

use aperture_events_codegen::{Config, SchemaSource};

/// The hostile schemas, read from `tests/hostile/`, and one whose file name
/// (shown in the generated header) holds a line break, a carriage return and
/// a bidirectional override.
fn hostile_sources() -> Vec<SchemaSource> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut sources = SchemaSource::read_dir(&dir).expect("hostile schemas read");
    sources.push(SchemaSource::new(
        "evil\nname\r\u{202e}.schema.json",
        r#"{"title": "Evil", "type": "object", "properties": {"a": {"type": "string"}}}"#,
    ));
    sources
}

/// A round trip through the generated types, with hostile names and values.
const SCRATCH_TEST: &str = r#"
#[test]
fn hostile_names_round_trip() {
    let text = "{\"kind\":\"object\\r\\u202e\",\"a\\rb\":\"x\",\"\":\"empty\",\"_\":\"u\",\
        \"self\":\"s\",\"Self\":\"S\",\"type\":\"t\",\"r#type\":\"rt\",\"extras\":\"e\",\
        \"received\":\"r\",\"\\u0000\":\"nul\",\"const\\r\":\"c\\r\\u0000\",\
        \"closed\":\"a\\rb\",\"open\":\"\\u202e\",\"count\":3,\"either\":\"x\",\
        \"checked\\r\\u202e\":{\"x\\u0000\":\"v\",\"y\\r\":\"w\"},\
        \"anyjson\\u2028\":{\"k\\r\":[true]},\"list\\r\":[\"a\\r\",\"b\\u202e\"],\
        \"allof\\r\":\"abc\",\"constobj\\r\":{\"k\\r\":\"\\u2028\\u202e\"},\
        \"unknown\\r\":1}";
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let object: generated::Hostile = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&object).unwrap(), value);
    assert_eq!(object.a_b, "x");
    // The checks hold with hostile names: `x\0` requires `y\r`, `list\r` has unique items.
    let mut missing = value.clone();
    missing["checked\r\u{202e}"] = serde_json::json!({"x\u{0}": "v"});
    assert!(serde_json::from_value::<generated::Hostile>(missing).is_err());
    let mut twice = value.clone();
    twice["list\r"] = serde_json::json!(["a\r", "a\r"]);
    assert!(serde_json::from_value::<generated::Hostile>(twice).is_err());
    assert_eq!(object.closed, Some(Some(generated::Closed::AB)));
    // The union (titled `self`) tells its branches apart by tags holding control characters.
    let event: generated::SelfType = serde_json::from_value(value.clone()).unwrap();
    assert!(matches!(event, generated::SelfType::Hostile(_)));
    assert_eq!(serde_json::to_value(&event).unwrap(), value);
    let other = serde_json::json!({"kind": "other\u{2028}", "a\rb": 7, "\u{0}": "n"});
    let event: generated::SelfType = serde_json::from_value(other.clone()).unwrap();
    assert!(matches!(event, generated::SelfType::Other(_)));
    assert_eq!(serde_json::to_value(&event).unwrap(), other);
}
"#;

#[test]
fn code_generated_from_hostile_schemas_compiles_and_round_trips() {
    let output = Config::new()
        .regenerate_command("(hostile compile test)\r\u{202e} and\nmore")
        .generate(&hostile_sources())
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let krate = root.join(format!("hostile-crate-{}", std::process::id()));
    let src = krate.join("src");
    std::fs::create_dir_all(&src).expect("scratch crate");
    std::fs::write(src.join("generated.rs"), &output.code).expect("write generated");
    std::fs::write(
        src.join("lib.rs"),
        format!(
            "//! Scratch crate for the hostile schemas.\n\
             /// The generated code.\n\
             pub mod generated {{\n    include!(\"generated.rs\");\n}}\n\
             #[cfg(test)]\nmod tests {{\n    use super::generated;\n{SCRATCH_TEST}}}\n"
        ),
    )
    .expect("write lib.rs");
    // The workspace's runtime, by path, with the features the code needs.
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let features: Vec<String> = output
        .runtime_features
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile-scratch\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             aperture-events-runtime = {{ path = {:?}, features = [{}] }}\n\n\
             [workspace]\n",
            runtime.display().to_string(),
            features.join(", ")
        ),
    )
    .expect("write Cargo.toml");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(&lock, krate.join("Cargo.lock")).expect("copy the workspace's Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let run = |args: &[&str]| {
        let out = Command::new(&cargo)
            .args(args)
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", root.join("hostile-target"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "cargo {args:?} failed on the generated code (kept in {}):\n{}",
            krate.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "clippy",
        "--offline",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(&["test", "--offline", "-q"]);
    let _ = std::fs::remove_dir_all(&krate);
}
