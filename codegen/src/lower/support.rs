//! The generator's support column: for each entry of the schema crate's
//! keyword registry (`aperture_events_schema::vocabulary::keywords::KEYWORDS`),
//! what the lowering does with it.
//!
//! The registry says what a keyword is in each draft; this table says what
//! the generator makes of it, in one row per registry entry (a test holds the
//! two together, and `codegen/README.md`'s per-draft table to both). The
//! lowering reads the draft view, which speaks draft 2020-12 whatever the
//! file's draft: a keyword is looked up by its entry in the draft in force,
//! else by its name (`$id` and `prefixItems` in a draft-04 view).
//!
//! # Adding a keyword
//! Its registry entry, then its row here; then the lowering reads it.

use aperture_events_schema::vocabulary::{Draft, keywords};

/// What the generator does with a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Support {
    /// Read into plain types (structs, enumerations, bounded integers,
    /// scalars) and checked values alike. `untyped`: with no `type` beside
    /// it, it constrains the value, which then is a checked value.
    Plain {
        /// Whether it constrains a value with no `type` beside it.
        untyped: bool,
    },
    /// Implemented by checked values only (`checked` reads it).
    Checked,
    /// Documents only: it constrains nothing (docs where the generator
    /// reads them).
    Annotation,
    /// One of the toolkit's own `x-` keywords (open enumerations, names).
    Extension,
    /// Names a resource or a draft: supported at a file's root only.
    RootOnly,
    /// A `$ref` target by name (`#name`).
    Anchor,
    /// Rewritten by the draft view into the keyword(s) named: it never
    /// reaches the lowering as itself.
    ReadAs(&'static str),
    /// OpenAPI's `discriminator`: read beside a root `oneOf` of tagged
    /// `$ref`s (a union); refused elsewhere.
    UnionTag,
    /// Refused. `{key}` and `{draft}` in the texts are the keyword and the
    /// draft in force.
    Refused {
        /// Why.
        reason: &'static str,
        /// What to write instead, where something does the same.
        replacement: Option<&'static str>,
    },
}

/// One row: the registry entry (name, first draft) and what is done with it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    /// The entry's name.
    pub name: &'static str,
    /// The entry's first draft (a name may have several entries).
    pub since: Draft,
    /// What the generator does with it.
    pub support: Support,
}

const fn row(name: &'static str, since: Draft, support: Support) -> Row {
    Row {
        name,
        since,
        support,
    }
}

const fn refused(reason: &'static str, replacement: Option<&'static str>) -> Support {
    Support::Refused {
        reason,
        replacement,
    }
}

use Draft::{Draft4 as D4, Draft6 as D6, Draft201909 as D2019, Draft202012 as D2020};
use Support::{Anchor, Annotation, Checked, Extension, ReadAs, RootOnly, UnionTag};

const PLAIN: Support = Support::Plain { untyped: false };
const CONSTRAINS: Support = Support::Plain { untyped: true };

/// Asserting `contentMediaType`/`contentEncoding` (draft-06 and draft-07).
const ASSERTING_CONTENT: Support = refused(
    "`{key}` asserts in {draft} and is not supported (from draft 2019-09 on it is an annotation)",
    None,
);

/// The support column, in the registry's order.
pub(super) const SUPPORT: &[Row] = &[
    // Identifiers and references.
    row("$schema", D4, RootOnly),
    row("id", D4, ReadAs("$id")),
    row("$id", D6, RootOnly),
    row("$ref", D4, PLAIN),
    row("$anchor", D2019, Anchor),
    row(
        "$recursiveRef",
        D2019,
        refused(
            "`$recursiveRef` (a dynamic reference) is supported only as `\"#\"` with no other file of the run holding a `$recursiveAnchor` (then it is `$ref: \"#\"`)",
            Some("refer with `$ref`"),
        ),
    ),
    // Refused only where a `$recursiveRef` of the run reads it (see
    // `Lowerer::check_keywords`); otherwise it changes no verdict.
    row(
        "$recursiveAnchor",
        D2019,
        refused(
            "`$recursiveAnchor` is not supported where a schema of the run has a `$recursiveRef` (dynamic references)",
            Some("refer with `$ref`"),
        ),
    ),
    row(
        "$dynamicRef",
        D2020,
        refused(
            "`$dynamicRef` (a dynamic reference) is not supported",
            Some(
                "where one schema declares the `$dynamicAnchor` it names, refer to that schema with `$ref`",
            ),
        ),
    ),
    // Refused only where a `$dynamicRef`, or a `$ref` to its name, reads it.
    row(
        "$dynamicAnchor",
        D2020,
        refused(
            "`$dynamicAnchor` is not supported where a `$dynamicRef`, or a `$ref` to its name, of the run reads it (dynamic references)",
            Some("declare an `$anchor` and refer to it with `$ref`"),
        ),
    ),
    row(
        "$vocabulary",
        D2019,
        refused(
            "`$vocabulary` (a meta-schema's vocabularies) is not supported",
            None,
        ),
    ),
    row("$defs", D4, PLAIN),
    row("definitions", D4, PLAIN),
    // Applicators.
    row("allOf", D4, Checked),
    row("anyOf", D4, Checked),
    row("oneOf", D4, Checked),
    row("not", D4, Checked),
    row("properties", D4, CONSTRAINS),
    row("patternProperties", D4, Checked),
    row("additionalProperties", D4, CONSTRAINS),
    row("items", D4, Checked),
    row("additionalItems", D4, ReadAs("items")),
    row("prefixItems", D2020, Checked),
    row("contains", D6, Checked),
    row("propertyNames", D6, Checked),
    row("if", Draft::Draft7, Checked),
    // Read with `if` (a check); without one they constrain nothing.
    row("then", Draft::Draft7, PLAIN),
    row("else", Draft::Draft7, PLAIN),
    row(
        "dependencies",
        D4,
        ReadAs("dependentRequired, dependentSchemas"),
    ),
    row("dependentSchemas", D2019, Checked),
    // Where no applicator beside it could evaluate an item, the `items` it
    // then means (see `keywords::items_keyword`); beside applicators, a
    // checked value walking them (`checked::unevaluated`).
    row("unevaluatedItems", D2019, Checked),
    // Likewise, the `additionalProperties` it may mean
    // (`keywords::additional_properties`).
    row("unevaluatedProperties", D2019, CONSTRAINS),
    // Assertions.
    row("type", D4, PLAIN),
    row("enum", D4, PLAIN),
    row("const", D6, PLAIN),
    row("multipleOf", D4, Checked),
    row("maximum", D4, CONSTRAINS),
    row("minimum", D4, CONSTRAINS),
    // Draft-04's boolean reaches the lowering as the bound it makes exclusive.
    row("exclusiveMaximum", D4, Checked),
    row("exclusiveMinimum", D4, Checked),
    row("exclusiveMaximum", D6, Checked),
    row("exclusiveMinimum", D6, Checked),
    row("maxLength", D4, Checked),
    row("minLength", D4, Checked),
    row("pattern", D4, Checked),
    row("maxItems", D4, Checked),
    row("minItems", D4, Checked),
    row("uniqueItems", D4, Checked),
    // Read with `contains`; without it they constrain nothing.
    row("minContains", D2019, Checked),
    row("maxContains", D2019, Checked),
    row("maxProperties", D4, Checked),
    row("minProperties", D4, Checked),
    row("required", D4, CONSTRAINS),
    row("dependentRequired", D2019, Checked),
    row("format", D4, CONSTRAINS),
    row("contentMediaType", D6, ASSERTING_CONTENT),
    row("contentEncoding", D6, ASSERTING_CONTENT),
    row("contentMediaType", D2019, Annotation),
    row("contentEncoding", D2019, Annotation),
    row("contentSchema", D2019, Annotation),
    // Annotations.
    row("title", D4, Annotation),
    row("description", D4, Annotation),
    row("default", D4, Annotation),
    row("examples", D6, Annotation),
    row("$comment", Draft::Draft7, Annotation),
    row("readOnly", Draft::Draft7, Annotation),
    row("writeOnly", Draft::Draft7, Annotation),
    row("deprecated", D2019, Annotation),
    row("discriminator", D4, UnionTag),
    // The toolkit's own vocabulary.
    row(keywords::STRICT, D4, Extension),
    row(keywords::QUIRK, D4, Extension),
    row(keywords::KNOWN_VALUES, D4, Extension),
    row(keywords::QUIRK_VALUES, D4, Extension),
    row(keywords::CASE_INSENSITIVE, D4, Extension),
    row(keywords::RUST_NAME, D4, Extension),
    row(keywords::RUST_FIELD_NAMES, D4, Extension),
    row(keywords::RUST_VARIANT_NAMES, D4, Extension),
];

/// The rows of every entry named `key` (several where a keyword means
/// different things in different drafts).
pub(super) fn rows(key: &str) -> impl Iterator<Item = &'static Row> + '_ {
    SUPPORT.iter().filter(move |row| row.name == key)
}

/// What the generator does with `key` in `draft`: the row of its entry in
/// `draft`, else (a keyword the draft view brought in from 2020-12, as
/// `prefixItems` for an array `items`) its latest row; `None` for a keyword of
/// no draft (an annotation).
pub(super) fn support(key: &str, draft: Draft) -> Option<Support> {
    let entry = keywords::keyword(draft, key)
        .and_then(|k| rows(key).find(|row| row.since == k.since))
        .or_else(|| rows(key).last());
    entry.map(|row| row.support)
}

/// Whether checked values alone implement `key` (in some draft).
pub(super) fn is_checked(key: &str) -> bool {
    rows(key).any(|row| row.support == Checked)
}

/// Whether `key` constrains a value with no `type` beside it.
pub(super) fn constrains_untyped(key: &str) -> bool {
    rows(key).any(|row| row.support == CONSTRAINS)
}

/// The refusal of `key` in `draft`, for a [`Support::Refused`] row.
pub(super) fn refusal(key: &str, draft: Draft, reason: &str, replacement: Option<&str>) -> String {
    let fill = |text: &str| text.replace("{key}", key).replace("{draft}", draft.name());
    match replacement {
        Some(replacement) => format!("{}: {}", fill(reason), fill(replacement)),
        None => fill(reason),
    }
}

#[cfg(test)]
mod tests {
    use aperture_events_schema::vocabulary::keywords::KEYWORDS;

    use super::*;

    #[test]
    fn every_registry_entry_has_exactly_one_row() {
        for keyword in KEYWORDS {
            let matching = SUPPORT
                .iter()
                .filter(|row| row.name == keyword.name && row.since == keyword.since)
                .count();
            assert_eq!(
                matching, 1,
                "`{}` (since {}): {matching} rows in the support column",
                keyword.name, keyword.since
            );
        }
        for row in SUPPORT {
            assert!(
                KEYWORDS
                    .iter()
                    .any(|k| k.name == row.name && k.since == row.since),
                "the support column's `{}` (since {}) is no registry entry",
                row.name,
                row.since
            );
        }
        assert_eq!(SUPPORT.len(), KEYWORDS.len());
    }

    #[test]
    fn the_support_follows_the_registry_kinds() {
        use aperture_events_schema::vocabulary::Kind;
        for keyword in KEYWORDS {
            let row = rows(keyword.name)
                .find(|row| row.since == keyword.since)
                .expect("a row");
            match keyword.kind {
                Kind::Extension => assert_eq!(row.support, Extension, "{}", keyword.name),
                Kind::Annotation if keyword.name != "discriminator" => {
                    assert_eq!(row.support, Annotation, "{}", keyword.name)
                }
                Kind::Applicator | Kind::Assertion => assert!(
                    matches!(
                        row.support,
                        Support::Plain { .. } | Checked | ReadAs(_) | Support::Refused { .. }
                    ),
                    "{}: {:?}",
                    keyword.name,
                    row.support
                ),
                _ => {}
            }
        }
    }

    #[test]
    fn a_keyword_is_looked_up_in_the_draft_in_force() {
        assert!(matches!(
            support("contentMediaType", Draft::Draft7),
            Some(Support::Refused { .. })
        ));
        assert_eq!(
            support("contentMediaType", Draft::Draft202012),
            Some(Annotation)
        );
        // Brought in by the draft view from 2020-12.
        assert_eq!(support("prefixItems", Draft::Draft4), Some(Checked));
        assert_eq!(support("$id", Draft::Draft4), Some(RootOnly));
        assert_eq!(support("markdownDescription", Draft::Draft7), None);
        assert_eq!(
            refusal(
                "contentEncoding",
                Draft::Draft7,
                "`{key}` asserts in {draft}",
                Some("x")
            ),
            "`contentEncoding` asserts in draft-07: x"
        );
    }
}
