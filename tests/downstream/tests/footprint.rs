//! Using the generator from `build.rs` compiles no HTTP client, no regex
//! crate (not even a parser: codegen's `patterns` feature stays off) and no
//! JSON Schema validator: checked on this crate's own dependency graph
//! (normal and build dependencies), as cargo resolves it.

use std::process::Command;

/// Crates that must not be on the build path.
const FORBIDDEN: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "http",
    "rustls",
    "openssl",
    "native-tls",
    "regex",
    "regex-automata",
    "regex-syntax",
    "fancy-regex",
    "jsonschema-regex",
    "jsonschema",
    "referencing",
    "clap",
];

#[test]
fn build_path_pulls_no_http_regex_or_validator() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "aperture-events-downstream",
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
        crates.contains(&"aperture-events-codegen"),
        "the generator is a dependency: {crates:?}"
    );
    let found: Vec<&&str> = FORBIDDEN.iter().filter(|f| crates.contains(f)).collect();
    assert!(found.is_empty(), "on the build path: {found:?}\n{tree}");
}
