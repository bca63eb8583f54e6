//! `aperture-codegen generate`: prints exactly what the library generates,
//! and fails with the place of every problem.

use std::process::Command;

fn codegen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aperture-codegen"))
}

#[test]
fn generate_prints_the_library_output_for_a_schema_dir() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let output = codegen()
        .args(["generate", "--schema-dir", schema])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut config = aperture_events_codegen::Config::new();
    config.regenerate_command(&format!("aperture-codegen generate --schema-dir {schema}"));
    let expected = config
        .generate(
            &aperture_events_codegen::SchemaSource::read_dir(std::path::Path::new(schema))
                .expect("read"),
        )
        .expect("generate");
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected.code);
}

#[test]
fn generate_reports_every_problem_with_its_place() {
    let dir = std::env::temp_dir().join(format!("aperture-codegen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("a.schema.json"),
        r#"{"type": "object", "properties": {"a": {"type": "string", "pattern": "x"}, "b": {"anyOf": []}}}"#,
    )
    .expect("write");
    let output = codegen()
        .args(["generate", "--schema-dir"])
        .arg(&dir)
        .output()
        .expect("run");
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no code on failure");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("a.schema.json:/properties/a/pattern: unsupported keyword `pattern`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a.schema.json:/properties/b/anyOf: unsupported keyword `anyOf`"),
        "{stderr}"
    );
}
