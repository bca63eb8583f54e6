//! The registry: every keyword of the schema language, per draft, with its
//! kind and the shape of its value, in one table.
//!
//! The drafts' keywords are those the `jsonschema` crate (0.61, the toolkit's
//! oracle) compiles under each draft (its `keywords::get_for_draft`), plus the
//! annotations the drafts define; the project's own `x-` keywords are entries
//! too. Anything not in the table is an unknown keyword: an annotation, as the
//! specification says, which tools report (see [`super::View::unknown_keywords`]).
//!
//! # Adding a keyword
//! One entry in [`KEYWORDS`] (its name, the drafts it belongs to, its kind
//! and the shape of its value); a field of the typed model
//! ([`super::Keywords`]) if a consumer reads its value; then its consumers
//! read it from here (the generator's lowering through its support column,
//! `codegen/src/lower/support.rs`, which a test holds to one row per entry;
//! the validator).

use super::Draft;

/// What a keyword does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Applies subschemas to the instance or parts of it (`properties`, `allOf`).
    Applicator,
    /// Constrains the instance directly (`type`, `minimum`, `required`).
    Assertion,
    /// Documents only (`title`, `description`).
    Annotation,
    /// Identifies a schema or refers to one (`$id`, `$schema`, `$ref`, `$anchor`).
    Identifier,
    /// Holds schemas for references to point into, applying none (`$defs`).
    Definitions,
    /// Its value is instance data, not a schema: `const` and `enum` assert
    /// with it, `default` and `examples` document with it.
    Instance {
        /// Whether the keyword constrains the instance (`const`, `enum`).
        asserts: bool,
    },
    /// One of the toolkit's own `x-` keywords: an annotation to any validator,
    /// read by the toolkit's tools (`schema/README.md`, "The `x-` vocabulary").
    Extension,
}

/// The shape of a keyword's value; where subschemas are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One schema.
    Schema,
    /// An array of schemas.
    SchemaArray,
    /// An object of schemas (by property name, pattern or definition name).
    SchemaMap,
    /// A schema, or an array of schemas (`items` before 2020-12, kept in
    /// every draft by `jsonschema`).
    SchemaOrArray,
    /// An object whose values are arrays of property names or schemas
    /// (`dependencies`).
    Dependencies,
    /// A string.
    String,
    /// An array of strings.
    StringArray,
    /// An object of arrays of strings (`dependentRequired`).
    StringArrayMap,
    /// An object of strings (`x-rust-field-names`).
    StringMap,
    /// A type name or an array of them.
    Type,
    /// A number.
    Number,
    /// A number, or in draft-04 a boolean modifying `minimum`/`maximum`.
    NumberOrBoolean,
    /// A non-negative integer.
    Count,
    /// A boolean.
    Boolean,
    /// Any JSON value (instance data, or a fragment read as it is).
    Any,
}

/// One keyword of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    /// Its name.
    pub name: &'static str,
    /// The first draft it belongs to.
    pub since: Draft,
    /// The last draft it belongs to (`None`: still in 2020-12).
    pub until: Option<Draft>,
    /// What it does.
    pub kind: Kind,
    /// The shape of its value.
    pub shape: Shape,
}

impl Keyword {
    /// Whether the keyword belongs to `draft`.
    pub fn in_draft(&self, draft: Draft) -> bool {
        draft >= self.since && self.until.is_none_or(|until| draft <= until)
    }

    /// Whether the keyword's value holds schemas.
    pub fn holds_schemas(&self) -> bool {
        matches!(
            self.shape,
            Shape::Schema
                | Shape::SchemaArray
                | Shape::SchemaMap
                | Shape::SchemaOrArray
                | Shape::Dependencies
        )
    }
}

const fn k(name: &'static str, since: Draft, kind: Kind, shape: Shape) -> Keyword {
    Keyword {
        name,
        since,
        until: None,
        kind,
        shape,
    }
}

const fn k_until(
    name: &'static str,
    since: Draft,
    until: Draft,
    kind: Kind,
    shape: Shape,
) -> Keyword {
    Keyword {
        name,
        since,
        until: Some(until),
        kind,
        shape,
    }
}

use Draft::{Draft4 as D4, Draft6 as D6, Draft7 as D7, Draft201909 as D2019, Draft202012 as D2020};
use Kind::{Annotation, Applicator, Assertion, Definitions, Extension, Identifier};
use Shape::{
    Any, Boolean, Count, Dependencies, Number, NumberOrBoolean, Schema, SchemaArray, SchemaMap,
    SchemaOrArray, StringArray, StringArrayMap, StringMap, Type,
};

const INSTANCE: Kind = Kind::Instance { asserts: true };
const EXAMPLE: Kind = Kind::Instance { asserts: false };

/// Every keyword, per draft. A name may have several entries, for drafts in
/// which it means different things (`contentMediaType` asserts in draft-06
/// and draft-07, and annotates after).
pub const KEYWORDS: &[Keyword] = &[
    // Identifiers and references.
    k("$schema", D4, Identifier, Shape::String),
    k_until("id", D4, D4, Identifier, Shape::String),
    k("$id", D6, Identifier, Shape::String),
    k("$ref", D4, Identifier, Shape::String),
    k("$anchor", D2019, Identifier, Shape::String),
    k_until("$recursiveRef", D2019, D2019, Identifier, Shape::String),
    k_until("$recursiveAnchor", D2019, D2019, Identifier, Boolean),
    k("$dynamicRef", D2020, Identifier, Shape::String),
    k("$dynamicAnchor", D2020, Identifier, Shape::String),
    k("$vocabulary", D2019, Identifier, Any),
    // Places references point into: `jsonschema` resolves pointers into
    // either in every draft.
    k("$defs", D4, Definitions, SchemaMap),
    k("definitions", D4, Definitions, SchemaMap),
    // Applicators.
    k("allOf", D4, Applicator, SchemaArray),
    k("anyOf", D4, Applicator, SchemaArray),
    k("oneOf", D4, Applicator, SchemaArray),
    k("not", D4, Applicator, Schema),
    k("properties", D4, Applicator, SchemaMap),
    k("patternProperties", D4, Applicator, SchemaMap),
    k("additionalProperties", D4, Applicator, Schema),
    k("items", D4, Applicator, SchemaOrArray),
    k("additionalItems", D4, Applicator, Schema),
    k("prefixItems", D2020, Applicator, SchemaArray),
    k("contains", D6, Applicator, Schema),
    k("propertyNames", D6, Applicator, Schema),
    k("if", D7, Applicator, Schema),
    k("then", D7, Applicator, Schema),
    k("else", D7, Applicator, Schema),
    k("dependencies", D4, Applicator, Dependencies),
    k("dependentSchemas", D2019, Applicator, SchemaMap),
    k("unevaluatedItems", D2019, Applicator, Schema),
    k("unevaluatedProperties", D2019, Applicator, Schema),
    // Assertions.
    k("type", D4, Assertion, Type),
    k("enum", D4, INSTANCE, Any),
    k("const", D6, INSTANCE, Any),
    k("multipleOf", D4, Assertion, Number),
    k("maximum", D4, Assertion, Number),
    k("minimum", D4, Assertion, Number),
    k_until("exclusiveMaximum", D4, D4, Assertion, NumberOrBoolean),
    k_until("exclusiveMinimum", D4, D4, Assertion, NumberOrBoolean),
    k("exclusiveMaximum", D6, Assertion, Number),
    k("exclusiveMinimum", D6, Assertion, Number),
    k("maxLength", D4, Assertion, Count),
    k("minLength", D4, Assertion, Count),
    k("pattern", D4, Assertion, Shape::String),
    k("maxItems", D4, Assertion, Count),
    k("minItems", D4, Assertion, Count),
    k("uniqueItems", D4, Assertion, Boolean),
    k("minContains", D2019, Assertion, Count),
    k("maxContains", D2019, Assertion, Count),
    k("maxProperties", D4, Assertion, Count),
    k("minProperties", D4, Assertion, Count),
    k("required", D4, Assertion, StringArray),
    k("dependentRequired", D2019, Assertion, StringArrayMap),
    // Asserted in every draft: the toolkit's contract (formats a draft does
    // not define are annotations there, see `super::format_in_draft`).
    k("format", D4, Assertion, Shape::String),
    k_until("contentMediaType", D6, D7, Assertion, Shape::String),
    k_until("contentEncoding", D6, D7, Assertion, Shape::String),
    k("contentMediaType", D2019, Annotation, Shape::String),
    k("contentEncoding", D2019, Annotation, Shape::String),
    k("contentSchema", D2019, Annotation, Any),
    // Annotations.
    k("title", D4, Annotation, Shape::String),
    k("description", D4, Annotation, Shape::String),
    k("default", D4, EXAMPLE, Any),
    k("examples", D6, EXAMPLE, Any),
    k("$comment", D7, Annotation, Shape::String),
    k("readOnly", D7, Annotation, Boolean),
    k("writeOnly", D7, Annotation, Boolean),
    k("deprecated", D2019, Annotation, Boolean),
    // OpenAPI's keyword, which the generator reads on a root `oneOf`.
    k("discriminator", D4, Annotation, Any),
    // The toolkit's own vocabulary (`schema/README.md`).
    k(STRICT, D4, Extension, Any),
    k(QUIRK, D4, Extension, Shape::String),
    k(KNOWN_VALUES, D4, Extension, StringArray),
    k(QUIRK_VALUES, D4, Extension, StringArray),
    k(CASE_INSENSITIVE, D4, Extension, Boolean),
    k(RUST_NAME, D4, Extension, Shape::String),
    k(RUST_FIELD_NAMES, D4, Extension, StringMap),
    k(RUST_VARIANT_NAMES, D4, Extension, StringMap),
];

/// The keyword holding a schema object's strict reading.
pub const STRICT: &str = "x-strict";
/// The keyword explaining a quirk.
pub const QUIRK: &str = "x-quirk";
/// The keyword listing the known values of an open value set.
pub const KNOWN_VALUES: &str = "x-known-values";
/// The keyword listing the undocumented spellings among the known values.
pub const QUIRK_VALUES: &str = "x-quirk-values";
/// Every ASCII case of a known value is that value.
pub const CASE_INSENSITIVE: &str = "x-case-insensitive";
/// The Rust name of the type a schema becomes.
pub const RUST_NAME: &str = "x-rust-name";
/// The Rust names of an object's fields, by property name.
pub const RUST_FIELD_NAMES: &str = "x-rust-field-names";
/// The Rust names of an enumeration's variants, by value.
pub const RUST_VARIANT_NAMES: &str = "x-rust-variant-names";

/// The keyword `name` means in `draft`, if it is one of that draft's.
pub fn keyword(draft: Draft, name: &str) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.name == name && k.in_draft(draft))
}

/// The keyword `name` in any draft: what it is where it is one.
pub fn in_any_draft(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// The drafts `name` is a keyword of, for messages (`draft-06 to draft 2020-12`).
pub fn drafts_of(name: &str) -> Vec<Draft> {
    Draft::ALL
        .into_iter()
        .filter(|d| keyword(*d, name).is_some())
        .collect()
}

/// The registry as JSON, for tools in other languages (the Python model
/// generator reads `schema/vocabulary.json`, this text, checked fresh by a
/// test): `{"keywords": [{"name", "since", "until", "kind", "shape"}...]}`.
pub fn to_json() -> String {
    let entries: Vec<serde_json::Value> = KEYWORDS
        .iter()
        .map(|k| {
            let kind = match k.kind {
                Applicator => "applicator",
                Assertion => "assertion",
                Annotation => "annotation",
                Identifier => "identifier",
                Definitions => "definitions",
                Kind::Instance { asserts: true } => "instance (asserts)",
                Kind::Instance { asserts: false } => "instance",
                Extension => "extension",
            };
            serde_json::json!({
                "name": k.name,
                "since": k.since.name(),
                "until": k.until.map(Draft::name),
                "kind": kind,
                "shape": format!("{:?}", k.shape),
            })
        })
        .collect();
    let document = serde_json::json!({
        "$comment": "The keyword registry of aperture-events-schema (schema/src/vocabulary/keywords.rs), written by `UPDATE_VOCABULARY=1 cargo test -p aperture-events-schema vocabulary_json`; do not edit by hand",
        "keywords": entries,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether `name`'s value is data, never a schema nor holding one, in any
/// draft: instance-valued keywords (`const`, `enum`, `default`, `examples`)
/// and the toolkit's lists and names (`x-known-values`...). A walk looking
/// for `$ref`s skips them. (`x-strict` holds schema keywords, so it is walked.)
pub fn holds_data(name: &str) -> bool {
    KEYWORDS.iter().any(|k| {
        k.name == name
            && match k.kind {
                Kind::Instance { .. } => true,
                Extension => !matches!(k.shape, Any),
                _ => false,
            }
    })
}

/// The toolkit's own keywords.
pub fn extensions() -> impl Iterator<Item = &'static Keyword> {
    KEYWORDS.iter().filter(|k| k.kind == Extension)
}

/// The toolkit keyword `name` is a misspelling of: one edit away from it
/// (`x-known-value`, `x-quirks`), and not itself a keyword.
pub fn misspelt_extension(name: &str) -> Option<&'static str> {
    if in_any_draft(name).is_some() {
        return None;
    }
    // One edit changes the length by one at most: longer keys are never
    // compared (the distance is quadratic in memory for a long key).
    extensions()
        .filter(|k| k.name.len().abs_diff(name.len()) <= 1)
        .find(|k| strsim::damerau_levenshtein(k.name, name) == 1)
        .map(|k| k.name)
}

#[cfg(test)]
#[path = "keywords_tests.rs"]
mod tests;
