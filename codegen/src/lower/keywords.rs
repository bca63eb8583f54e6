//! Which schema keywords the generator understands, and reading their values.
//!
//! What a keyword is in each draft is the schema crate's registry
//! (`aperture_events_schema::vocabulary`); this module says which of them the
//! generator turns into types or checks. A keyword of a draft it does not
//! understand is refused with its place: one the generated types would
//! silently ignore would break agreement with the validator, which does not
//! ignore it. A keyword of no draft is an annotation (the draft view keeps
//! it as written and lists it once per file).

use aperture_events_schema::vocabulary::keywords::CASE_INSENSITIVE;
use aperture_events_schema::vocabulary::{Draft, Keywords, Kind, Read, keywords};
use serde_json::{Map, Value};

use super::Lowerer;
use super::support::{self, Support};
use crate::load::Location;

/// Whether `key` is one of the toolkit's own `x-` keywords (the registry's
/// extensions): unknown ones never reach the lowering (the draft view leaves
/// them out as annotations).
pub(super) fn is_extension(key: &str) -> bool {
    keywords::extensions().any(|k| k.name == key)
}

/// Whether `key` only documents: an annotation of the support table (in
/// some draft), or a keyword of no draft (which the draft view keeps as
/// written, for `$ref`s into it).
pub(super) fn is_annotation(key: &str) -> bool {
    support::rows(key).any(|row| row.support == Support::Annotation)
        || keywords::in_any_draft(key).is_none()
}

/// Where schemas wait for `$ref`s to point at them: `$defs`, and the older
/// `definitions` (read in every draft, as `jsonschema` does).
pub(super) fn definitions() -> impl Iterator<Item = &'static str> {
    keywords::KEYWORDS
        .iter()
        .filter(|k| k.kind == Kind::Definitions)
        .map(|k| k.name)
}

/// What follows the last `/$defs/` or `/definitions/` of a pointer: the
/// definition a schema is in, as a name hint.
pub(super) fn definition_key(pointer: &str) -> Option<&str> {
    definitions()
        .filter_map(|d| pointer.rsplit_once(&format!("/{d}/")))
        .max_by_key(|(before, _)| before.len())
        .map(|(_, key)| key)
}

/// Whether `key` may stand at a file's root beside a type without making
/// one: the support column's root-only keywords (`$schema`, `$id`), and the
/// registry's definitions.
pub(super) fn root_only(key: &str) -> bool {
    support::rows(key).any(|row| row.support == Support::RootOnly)
        || definitions().any(|d| d == key)
}

/// The applicators that may evaluate properties of the object they apply
/// to, beside `properties`, `patternProperties` and `additionalProperties`
/// (those `jsonschema` 0.61 collects for `unevaluatedProperties`; the
/// dynamic references are refused on their own).
pub(super) const PROPERTY_APPLICATORS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "dependentSchemas",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
];

/// The applicators that may evaluate items of the array they apply to,
/// beside `prefixItems` and `items` (those `jsonschema` 0.61 collects for
/// `unevaluatedItems`).
const ITEM_APPLICATORS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "contains",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
];

/// The keyword saying what properties outside `properties` and
/// `patternProperties` must be: `additionalProperties`, or, without it, an
/// `unevaluatedProperties` with no applicator beside it that could evaluate
/// more (then exactly the same set of properties). Beside an
/// `additionalProperties`, an `unevaluatedProperties` finds every property
/// evaluated and constrains nothing.
pub(super) fn additional_properties(keywords: &Keywords<'_>) -> Option<&'static str> {
    if keywords.additional_properties.is_some() {
        Some("additionalProperties")
    } else if keywords.unevaluated_properties.is_some()
        && tracking(keywords, PROPERTY_APPLICATORS).is_empty()
    {
        Some("unevaluatedProperties")
    } else {
        None
    }
}

/// The schema of [`additional_properties`]' keyword, if there is one.
pub(super) fn additional_schema<'a>(keywords: &Keywords<'a>) -> Option<&'a Value> {
    match additional_properties(keywords)? {
        "additionalProperties" => keywords.additional_properties,
        _ => keywords.unevaluated_properties,
    }
}

/// The keyword saying what items after `prefixItems` must be: `items`, or,
/// without it, an `unevaluatedItems` with no applicator beside it that could
/// evaluate more (then exactly the same items). Beside `items`, an
/// `unevaluatedItems` finds every item evaluated and constrains nothing.
pub(super) fn items_keyword(keywords: &Keywords<'_>) -> Option<&'static str> {
    if keywords.items.is_some() {
        Some("items")
    } else if keywords.unevaluated_items.is_some()
        && tracking(keywords, ITEM_APPLICATORS).is_empty()
    {
        Some("unevaluatedItems")
    } else {
        None
    }
}

/// The applicators of `object` among `applicators`, as `` `allOf` ``.
fn tracking(keywords: &Keywords<'_>, applicators: &[&str]) -> Vec<String> {
    applicators
        .iter()
        .filter(|k| keywords.has(k))
        .map(|k| format!("`{k}`"))
        .collect()
}

/// Whether an `$id` below the root (an embedded resource) changes nothing
/// the generated types would have to know. A base URI matters only to what
/// is resolved against it: relative references and anchors inside it. With
/// neither, `jsonschema` validates the subschema as if the `$id` were not
/// there. A `$ref` elsewhere naming the embedded resource by its URI is still
/// refused (no loaded schema has that name), and so is an `$id` that is no
/// plain URI reference (`jsonschema` would refuse the schema).
fn inert_embedded_id(id: &Value, object: &Map<String, Value>) -> bool {
    fn relative(reference: &str) -> bool {
        // RFC 3986 §3.1: a scheme is a letter, then letters, digits, `+`, `-`, `.`.
        let scheme = reference.split_once(':').map(|(s, _)| s);
        !scheme.is_some_and(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
    }
    // Conservative: every key of the subtree is looked at, data included.
    fn resolves_nothing(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.iter().all(|(key, value)| {
                let blocks = match key.as_str() {
                    "$ref" | "$dynamicRef" | "$recursiveRef" => value.as_str().is_none_or(relative),
                    "$anchor" | "$dynamicAnchor" | "$recursiveAnchor" => true,
                    // An anchor before 2019-09 (a nested resource is
                    // looked at on its own).
                    "$id" | "id" => value.as_str().is_some_and(|id| id.starts_with('#')),
                    _ => false,
                };
                !blocks && resolves_nothing(value)
            }),
            Value::Array(items) => items.iter().all(resolves_nothing),
            _ => true,
        }
    }
    let plain_uri = id.as_str().is_some_and(|id| {
        !id.is_empty()
            && !id.starts_with('#')
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c))
    });
    let mut rest = object.clone();
    rest.remove("$id");
    plain_uri && resolves_nothing(&Value::Object(rest))
}

/// The JSON types the generator can represent.
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null",
];

impl Lowerer<'_> {
    /// Reports every keyword of `object` the generator does not understand.
    pub(super) fn check_keywords(&mut self, location: &Location, keywords: &Keywords<'_>) {
        // Every key is looked at, known or not: the walk is over the map.
        let object = keywords.map();
        let (draft, _) = self.schemas.draft(location);
        for (key, value) in object {
            // An anchor: `$anchor`, or before 2019-09 an `$id` of `#name`
            // (`$ref`s to `#name` find it; the schema crate resolves them).
            let anchor = key == "$anchor"
                || (key == "$id"
                    && draft < Draft::Draft201909
                    && value.as_str().is_some_and(|id| id.starts_with('#')));
            if anchor {
                continue;
            }
            // An anchor only dynamic references read: with none in the run,
            // `jsonschema` reads nothing from it (a `$ref` to its name does
            // not resolve here, and is refused on its own).
            let inert = match key.as_str() {
                "$dynamicAnchor" => {
                    // A `$ref` to it is a dynamic lookup in `jsonschema` too.
                    let fragment = format!("#{}", value.as_str().unwrap_or_default());
                    !self.anywhere(|k, v| {
                        k == "$dynamicRef"
                            || (k == "$ref" && v.as_str().is_some_and(|r| r.ends_with(&fragment)))
                    })
                }
                "$recursiveAnchor" => !self.anywhere(|k, _| k == "$recursiveRef"),
                _ => false,
            };
            if inert {
                continue;
            }
            if key == "$id" && inert_embedded_id(value, object) {
                continue;
            }
            let root = location.pointer.is_empty();
            // A keyword of no draft is an annotation (`None`).
            let support = support::support(key, draft);
            let ok = match support {
                None
                | Some(
                    Support::Plain { .. }
                    | Support::Checked
                    | Support::Annotation
                    | Support::Extension
                    | Support::Anchor,
                ) => true,
                Some(Support::RootOnly) => root,
                Some(Support::ReadAs(_) | Support::UnionTag | Support::Refused { .. }) => false,
            };
            if !ok {
                let message = match support {
                    Some(Support::Refused {
                        reason,
                        replacement,
                    }) => support::refusal(key, draft, reason, replacement),
                    Some(Support::RootOnly) if key == "$id" => format!(
                        "`{}` below the root of a file (an embedded resource) is \
                         supported only where nothing inside it resolves against it: no \
                         relative `$ref` and no anchor",
                        draft.id_keyword()
                    ),
                    Some(Support::RootOnly) => {
                        format!("`{key}` is supported only at the root of a file")
                    }
                    _ => format!("unsupported keyword `{key}`"),
                };
                self.refuse(location, Some(key), message);
            }
        }
        // The shapes of the toolkit's keywords are checked on loading (the
        // registry's `Shape`); what they need beside them is checked here.
        if keywords.case_insensitive.is_present() && !keywords.known_values.is_present() {
            self.error(
                location,
                Some(CASE_INSENSITIVE),
                "`x-case-insensitive` needs `x-known-values`",
            );
        }
    }

    /// Whether an object of any file of the run has a key and value that
    /// `test` holds for (data is searched too, which can only refuse more).
    fn anywhere(&self, test: impl Fn(&str, &Value) -> bool) -> bool {
        fn walk(value: &Value, test: &dyn Fn(&str, &Value) -> bool) -> bool {
            match value {
                Value::Object(map) => map.iter().any(|(k, v)| test(k, v) || walk(v, test)),
                Value::Array(items) => items.iter().any(|v| walk(v, test)),
                _ => false,
            }
        }
        (0..self.schemas.len())
            .filter_map(|doc| self.schemas.root(doc))
            .any(|root| walk(root, &test))
    }

    /// The values of an array-of-strings keyword read by the typed model;
    /// reports a value of another shape and gives `None` then (or when absent).
    pub(super) fn string_list(
        &mut self,
        location: &Location,
        key: &str,
        read: &Read<'_, Vec<&str>>,
    ) -> Option<Vec<String>> {
        match read {
            Read::Absent => None,
            Read::Value(strings) => Some(strings.iter().map(|s| (*s).to_owned()).collect()),
            Read::Misshapen(_) => {
                self.error(
                    location,
                    Some(key),
                    format!("`{key}` must be an array of strings"),
                );
                None
            }
        }
    }

    /// The `type` keyword as a list: `Some(None)` when absent, `None` after
    /// reporting a problem.
    pub(super) fn json_types(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
    ) -> Option<Option<Vec<String>>> {
        let types: Vec<String> = match &keywords.types {
            Read::Absent => return Some(None),
            Read::Value(types) => types.iter().map(|t| (*t).to_owned()).collect(),
            Read::Misshapen(value) => {
                let message = if value.is_array() {
                    "`type` must be an array of strings"
                } else {
                    "`type` must be a string or an array of strings"
                };
                self.error(location, Some("type"), message);
                return None;
            }
        };
        let mut ok = true;
        for t in &types {
            if !TYPES.contains(&t.as_str()) {
                self.error(location, Some("type"), format!("unknown type `{t}`"));
                ok = false;
            }
        }
        if types.is_empty() {
            self.error(
                location,
                Some("type"),
                "`type` lists no type: no value is valid",
            );
            ok = false;
        }
        ok.then_some(Some(types))
    }
}

#[cfg(test)]
mod tests {
    use aperture_events_schema::vocabulary::keywords::KEYWORDS;

    use super::*;

    /// The rows of the README's per-draft keyword table ("Drafts"): the
    /// keywords of the first cell, and the cells.
    fn draft_table() -> Vec<(Vec<String>, Vec<String>)> {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("| Keyword | draft-04 |")
            .expect("the README's per-draft keyword table");
        readme[start..]
            .lines()
            .take_while(|line| line.starts_with('|'))
            .skip(2)
            .map(|line| {
                let cells: Vec<String> = line
                    .trim_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().to_owned())
                    .collect();
                let names = cells[0]
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_owned)
                    .collect();
                (names, cells)
            })
            .collect()
    }

    #[test]
    fn the_readme_table_lists_every_keyword_of_the_registry() {
        let rows = draft_table();
        let listed: Vec<&String> = rows.iter().flat_map(|(names, _)| names).collect();
        let missing: Vec<&str> = KEYWORDS
            .iter()
            .map(|k| k.name)
            .filter(|name| !listed.iter().any(|l| l == name))
            .collect();
        assert!(
            missing.is_empty(),
            "codegen/README.md's per-draft table lacks {missing:?}"
        );
        for (names, cells) in &rows {
            assert_eq!(cells.len(), 6, "a keyword and five drafts: {cells:?}");
            for name in names {
                assert!(
                    keywords::in_any_draft(name).is_some(),
                    "`{name}` is in the README's table but in no draft of the registry"
                );
            }
        }
    }

    #[test]
    fn root_only_keywords_come_from_the_support_column_and_the_registry() {
        assert_eq!(definitions().collect::<Vec<_>>(), ["$defs", "definitions"]);
        for key in ["$schema", "$id", "$defs", "definitions"] {
            assert!(root_only(key), "{key}");
        }
        for key in ["id", "$ref", "title", "markdownDescription"] {
            assert!(!root_only(key), "{key}");
        }
    }

    #[test]
    fn the_readme_table_says_refused_where_the_support_column_refuses() {
        for (names, cells) in draft_table() {
            for name in names {
                for (column, draft) in Draft::ALL.iter().enumerate().map(|(i, d)| (i + 1, *d)) {
                    // "same" repeats the cell on its left.
                    let cell = (1..=column)
                        .rev()
                        .map(|c| &cells[c])
                        .find(|c| *c != "same")
                        .expect("a first cell");
                    let refused = keywords::keyword(draft, &name).is_some_and(|_| {
                        matches!(
                            support::support(&name, draft),
                            Some(Support::Refused { .. })
                        )
                    });
                    assert_eq!(
                        refused,
                        cell.starts_with("refused") || cell.contains(" is refused"),
                        "`{name}` in {draft}: {cell:?}"
                    );
                }
            }
        }
    }
}
