//! Schemas from the grammar the code generator supports, with instances,
//! derived from bytes: the same bytes give the same schema and instances.
//!
//! # Design
//! One derivation serves two runners: the `codegen_schema` fuzz target
//! (libFuzzer chooses the bytes, the target checks that generation never
//! panics and that the code parses) and the differential replay of its corpus
//! (`aperture-events-tests`' `differential-replay`, which compiles the code
//! of every corpus input once and checks it against `jsonschema`), and the
//! seeded random schemas of the differential test. It has no dependency but
//! `serde_json`, so the fuzz project builds it cheaply.
//!
//! The bytes are read as a stream of choices ([`Source`]); past their end
//! every choice is 0, so any input, even empty, derives something. The root
//! is always an object schema with at least one property. Instances are built
//! from the schema to sit near its edges (bounds, lengths, formats, enum
//! members), one in four replaced by a value of another type, and written with
//! the spellings that `serde_json::Value` normalises (`1.0`, `-0`). Last, a
//! draft is drawn and the schema respelt in it, with its `$schema` (see
//! `drafts.rs`).

mod drafts;
mod instances;
mod schemas;
mod source;

pub use instances::instances;
pub use schemas::schema;
pub use source::Source;

use serde_json::Value;

/// A schema and instance texts derived from bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// An object schema.
    pub schema: Value,
    /// Instances as JSON text.
    pub instances: Vec<String>,
}

/// How many instances [`derive()`] makes.
pub const INSTANCES: usize = 10;

/// The schema and instances `data` stands for.
pub fn derive(data: &[u8]) -> Derived {
    let mut source = Source::new(data);
    let schema = schema(&mut source);
    let instances = instances(&schema, &mut source, INSTANCES);
    // Drawn last, so that inputs derive the schema and instances they did.
    let schema = drafts::in_drawn_draft(schema, &mut source);
    Derived { schema, instances }
}

/// `len` pseudo-random bytes from `seed` (xorshift), for seeded runs.
pub fn seeded_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_derive_the_same_case() {
        for seed in 0..50 {
            let bytes = seeded_bytes(seed, 200);
            assert_eq!(derive(&bytes), derive(&bytes));
        }
    }

    #[test]
    fn any_bytes_derive_an_object_schema_and_json_instances() {
        for seed in 0..300 {
            let len = usize::try_from(seed % 97).expect("small");
            let derived = derive(&seeded_bytes(seed, len));
            assert_eq!(derived.schema["type"], "object", "{}", derived.schema);
            assert_eq!(derived.instances.len(), INSTANCES);
            for text in &derived.instances {
                // `1e400`-like texts are not produced: every instance is JSON serde_json reads.
                serde_json::from_str::<Value>(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            }
        }
        assert_eq!(derive(&[]).instances.len(), INSTANCES);
    }

    #[test]
    fn the_grammar_reaches_every_construct() {
        let mut seen = String::new();
        for seed in 0..400 {
            seen.push_str(&derive(&seeded_bytes(seed, 256)).schema.to_string());
        }
        for keyword in [
            "\"items\"",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minLength",
            "maxLength",
            "pattern\"",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "\"const\"",
            "\"enum\"",
            "allOf",
            "anyOf",
            "oneOf",
            "\"not\"",
            "\"if\"",
            "\"then\"",
            "\"else\"",
            "\"contains\"",
            "minContains",
            "maxContains",
            "unevaluatedProperties",
            "unevaluatedItems",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "\"$ref\"",
            "\"$ref\":\"#\"",
            "\"format\"",
            "\"null\"",
            "draft-04",
            "draft-06",
            "draft-07",
            "draft/2019-09",
            "draft/2020-12",
            "\"definitions\"",
            "additionalItems",
            "\"dependencies\"",
        ] {
            assert!(seen.contains(keyword), "{keyword} never derived");
        }
    }
}
