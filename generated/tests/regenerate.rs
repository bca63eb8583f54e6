//! The checked-in `src/generated.rs` is exactly what the generator makes of
//! the stock schemas today (`aperture-events-schema`, which embeds `schema/`,
//! so the test needs no file outside this package). On a difference the test fails and prints the command
//! that rewrites the file (the test itself, in update mode).

use std::path::Path;

/// The command that regenerates `src/generated.rs`; also written in its header.
const REGENERATE: &str = "UPDATE_GENERATED=1 cargo test -p aperture-events --test regenerate";

#[test]
fn generated_code_matches_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = aperture_events_codegen::Config::new();
    config.regenerate_command(REGENERATE);
    // `JsonSchema` for every type, compiled with this crate's `schemars` feature.
    config.schemars(true);
    let sources = config.read_sources().expect("the stock schemas");
    let output = config
        .generate(&sources)
        .expect("generate from the stock schemas");
    let path = root.join("src/generated.rs");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == output.code {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &output.code).expect("write src/generated.rs");
        return;
    }
    let first_difference = current
        .lines()
        .zip(output.code.lines())
        .position(|(a, b)| a != b)
        .map_or_else(
            || current.lines().count().min(output.code.lines().count()) + 1,
            |i| i + 1,
        );
    panic!(
        "generated/src/generated.rs is out of date with schema/ (first difference at line {first_difference}); \
         regenerate it with:\n\n    {REGENERATE}\n"
    );
}
