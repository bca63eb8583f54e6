//! The validator does not compile the code generator: it needs the schemas
//! and their readings (`aperture-events-schema`), never the code that turns
//! them into Rust. Checked on its dependency graph as cargo resolves it.

use std::process::Command;

#[test]
fn the_validator_depends_on_the_schema_crate_not_on_the_generator() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "aperture-events-validator",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"aperture-events-schema"),
        "the schemas come from the schema crate: {crates:?}"
    );
    for forbidden in ["aperture-events-codegen", "prettyplease"] {
        assert!(
            !crates.contains(&forbidden),
            "{forbidden} is in the validator's tree:\n{tree}"
        );
    }
}
