//! Fuzz target: the code generator on any JSON value as a schema, and on
//! schemas from the supported grammar.
//!
//! Input layout: the first byte chooses the mode, the rest is its input:
//! - `b < 16`, text mode (the corpus is seeded with the real schemas):
//!   - `b % 8 < 7`: the embedded schema file number `b % 8` is replaced by
//!     the text, the other files staying as they are (an edit of one schema);
//!   - `b % 8 == 7`: the text is the only schema file (`fuzz.schema.json`);
//!   - bit 3 picks the `String` date-time mapping instead of chrono.
//! - `b >= 16`, grammar mode: the rest of the bytes derive a schema (and
//!   instances) with `aperture-events-schema-grammar`, as the differential
//!   replay (`tests/differential/replay.sh`) derives them from the same corpus
//!   file; that replay compiles the code and checks it against `jsonschema`.
//!
//! Checked: generation never panics, and code it produces parses as a Rust
//! file (`syn::parse_file`); an error must name something, and in grammar
//! mode every problem names a place in the schema.
#![no_main]

use aperture_events_codegen::embedded::SCHEMA_FILES;
use aperture_events_codegen::{Config, DateTimeMapping, SchemaSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector >= 16 {
        grammar(rest);
        return;
    }
    // Schema files are text: `SchemaSource` holds a `String`.
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let slot = usize::from(selector % 8);
    let sources: Vec<SchemaSource> = if slot < SCHEMA_FILES.len() {
        SCHEMA_FILES
            .iter()
            .enumerate()
            .map(|(i, f)| SchemaSource::new(f.name, if i == slot { text } else { f.text }))
            .collect()
    } else {
        vec![SchemaSource::new("fuzz.schema.json", text)]
    };
    let mut config = Config::new();
    if selector & 8 != 0 {
        config.date_time(DateTimeMapping::String);
    }
    match config.generate(&sources) {
        Ok(output) => parses(&output.code),
        Err(error) => {
            assert!(!error.to_string().is_empty(), "an error without a message");
        }
    }
});

fn grammar(bytes: &[u8]) {
    let derived = aperture_events_schema_grammar::derive(bytes);
    let text = derived.schema.to_string();
    let sources = [SchemaSource::new("fuzz.schema.json", text.as_str())];
    match Config::new().generate(&sources) {
        Ok(output) => parses(&output.code),
        Err(error) => {
            for diagnostic in error.diagnostics() {
                assert!(
                    diagnostic.file == "fuzz.schema.json" && diagnostic.pointer.is_some(),
                    "a refusal without a place: {diagnostic}\n{text}"
                );
            }
        }
    }
}

fn parses(code: &str) {
    if let Err(e) = syn::parse_file(code) {
        panic!("generated code does not parse as Rust: {e}\n{code}");
    }
}
