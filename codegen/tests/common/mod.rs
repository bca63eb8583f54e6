//! Helpers of the snapshot tests: generate from schema text, keep the public part.
#![allow(dead_code)]

use aperture_events_codegen::{Config, SchemaSource};

/// The public part of the generated code (everything before the private
/// support module, which is the same generic code in every output).
pub fn public_part(code: &str) -> &str {
    let end = code
        .find("/// Support code of the generated")
        .unwrap_or(code.len());
    &code[..end]
}

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
        Ok(output) => public_part(&output.code).to_owned(),
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
