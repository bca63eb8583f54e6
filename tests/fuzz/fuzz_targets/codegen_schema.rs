//! Fuzz target: the code generator on any JSON value as a schema.
//!
//! Input layout: the first byte chooses what the rest replaces, the rest is
//! the schema text (any bytes; usually JSON, since the corpus is seeded with
//! the real schemas):
//! - `b % 8 < 7`: the embedded schema file number `b % 8` is replaced by the
//!   text, the other files staying as they are (an edit of one schema);
//! - `b % 8 == 7`: the text is the only schema file (`fuzz.schema.json`).
//!
//! Bit 3 of the first byte picks the `String` date-time mapping instead of
//! chrono. Checked: generation never panics, and code it produces parses as
//! a Rust file (`syn::parse_file`); an error must name something.
#![no_main]

use aperture_events_codegen::embedded::SCHEMA_FILES;
use aperture_events_codegen::{Config, DateTimeMapping, SchemaSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
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
        Ok(output) => {
            if let Err(e) = syn::parse_file(&output.code) {
                panic!(
                    "generated code does not parse as Rust: {e}\n{}",
                    output.code
                );
            }
        }
        Err(error) => {
            assert!(!error.to_string().is_empty(), "an error without a message");
        }
    }
});
