//! Helpers of the snapshot tests: generate from schema text. The snapshots hold
//! the whole output: the private `__codegen` module is type-specific (the
//! builders), the generic support being the runtime crate's.
#![allow(dead_code)]

use aperture_events_codegen::{Config, SchemaSource};

/// Generates from one schema file named `t.schema.json`.
pub fn generate(schema: &str) -> String {
    generate_files(&[("t.schema.json", schema)])
}

/// Generates from several schema files.
pub fn generate_files(files: &[(&str, &str)]) -> String {
    let sources: Vec<SchemaSource> = files
        .iter()
        .map(|(n, t)| SchemaSource::new(*n, *t))
        .collect();
    match Config::new()
        .regenerate_command("(snapshot)")
        .generate(&sources)
    {
        Ok(output) => output.code,
        Err(e) => panic!("generation failed:\n{e}"),
    }
}

/// The error of generating from one schema file.
pub fn error(schema: &str) -> String {
    let sources = [SchemaSource::new("t.schema.json", schema)];
    match Config::new().generate(&sources) {
        Ok(_) => panic!("generation succeeded, expected an error"),
        Err(e) => e.to_string(),
    }
}
