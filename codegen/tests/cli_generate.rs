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
        r##"{"type": "object", "properties": {"a": {"type": "array", "$dynamicRef": "#a"}, "b": {"anyOf": []}}}"##,
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
        stderr.contains(
            "a.schema.json:/properties/a/$dynamicRef: `$dynamicRef` (a dynamic reference) is not supported"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("a.schema.json:/properties/b/anyOf: `anyOf` must be a non-empty array"),
        "{stderr}"
    );
}

#[test]
fn generate_warns_of_renames_on_stderr_and_can_deny_them() {
    let dir = std::env::temp_dir().join(format!(
        "aperture-codegen-cli-renames-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("a.schema.json"),
        r#"{"title": "A", "type": "object", "properties": {"item_size": {"type": "string"}, "itemSize": {"type": "string"}, "x\ry": {"type": "string"}, "x_y": {"type": "string"}}}"#,
    )
    .expect("write");
    let warned = codegen()
        .args(["generate", "--schema-dir"])
        .arg(&dir)
        .output()
        .expect("run");
    let denied = codegen()
        .args(["generate", "--deny-renames", "--schema-dir"])
        .arg(&dir)
        .output()
        .expect("run");
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert!(warned.status.success());
    assert!(String::from_utf8_lossy(&warned.stdout).contains("pub item_size_2: "));
    let stderr = String::from_utf8_lossy(&warned.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("warning: ")
            && lines[0].ends_with(
                "a.schema.json:/properties/itemSize: property \"itemSize\" becomes field `item_size_2`: \
                 `item_size` is taken by property \"item_size\"; choose the name with `x-rust-field-names` on the object schema"
            ),
        "{stderr}"
    );
    assert!(
        lines[1].contains("`x_y` is taken by property \"x\\ry\""),
        "control characters are shown escaped: {stderr}"
    );
    assert!(!denied.status.success());
    assert!(denied.stdout.is_empty(), "no code when renames are denied");
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("becomes field `item_size_2`"),
        "{stderr}"
    );
}

#[test]
fn generate_reads_the_default_draft_and_can_deny_unknown_keywords() {
    let dir = std::env::temp_dir().join(format!(
        "aperture-codegen-cli-drafts-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // `const` is an annotation in draft-04, a constraint in 2020-12.
    std::fs::write(
        dir.join("a.schema.json"),
        r#"{"title": "A", "type": "string", "const": "x", "tsType": "string"}"#,
    )
    .expect("write");
    let run = |args: &[&str]| {
        codegen()
            .arg("generate")
            .args(args)
            .arg("--schema-dir")
            .arg(&dir)
            .output()
            .expect("run")
    };
    let as_2020 = run(&[]);
    let as_draft4 = run(&["--default-draft", "draft4"]);
    let denied = run(&["--deny-unknown-keywords"]);
    let bad = run(&["--default-draft", "draft5"]);
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert!(as_2020.status.success() && as_draft4.status.success());
    assert_ne!(
        as_2020.stdout, as_draft4.stdout,
        "const applies in 2020-12 only"
    );
    let stderr = String::from_utf8_lossy(&as_draft4.stderr);
    assert!(
        stderr.contains("`const` (not a draft-04 keyword") && stderr.contains("`tsType`"),
        "{stderr}"
    );
    assert!(!denied.status.success());
    assert!(String::from_utf8_lossy(&denied.stderr).contains("`tsType`"));
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown draft `draft5`"));
}

#[test]
fn a_flood_of_problems_is_summarised_and_all_errors_prints_them_all() {
    let dir = std::env::temp_dir().join(format!("aperture-codegen-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // 25 refused `$dynamicRef`s and 5 empty `anyOf`s.
    let mut properties = serde_json::Map::new();
    for n in 0..25 {
        properties.insert(
            format!("c{n}"),
            serde_json::json!({"type": "array", "$dynamicRef": "#a"}),
        );
    }
    for n in 0..5 {
        properties.insert(format!("a{n}"), serde_json::json!({"anyOf": []}));
    }
    let schema = serde_json::json!({"type": "object", "properties": properties});
    std::fs::write(dir.join("f.schema.json"), schema.to_string()).expect("write");
    let run = |all: bool| {
        let mut command = codegen();
        command.args(["generate", "--schema-dir"]).arg(&dir);
        if all {
            command.arg("--all-errors");
        }
        let output = command.output().expect("run");
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let (short, long) = (run(false), run(true));
    std::fs::remove_dir_all(&dir).expect("cleanup");
    let first = short.lines().next().unwrap_or_default();
    assert_eq!(
        first, "error: 30 problems in 1 file: `$dynamicRef` 25, `anyOf` 5",
        "{short}"
    );
    assert!(
        short.contains("the one change that clears the most: `$dynamicRef`, 25 of 30"),
        "{short}"
    );
    assert!(short.contains("...and 10 more"), "{short}");
    assert_eq!(
        short
            .lines()
            .filter(|l| l.contains("f.schema.json:/properties/"))
            .count(),
        21
    );
    // Every problem, each still `file:pointer: message`.
    let listed = long
        .lines()
        .filter(|l| l.contains("f.schema.json:/properties/"))
        .count();
    assert_eq!(listed, 31, "{long}");
    assert!(!long.contains("more (every one"), "{long}");
    assert!(long.contains("f.schema.json:/properties/a4/anyOf: `anyOf` must be a non-empty array"));
}
