//! The official JSON Schema Test Suite as differential cases.
//!
//! `tests/differential/suite/` holds, unchanged, the draft 2020-12 files of
//! <https://github.com/json-schema-org/JSON-Schema-Test-Suite> (MIT; its
//! `LICENSE` and `SOURCE.md` beside them) for the keywords the generator
//! speaks, and for those it refuses. Each test group (`description`,
//! `schema`, `tests: [{data, valid}]`) becomes one [`Case`]: its schema at the
//! root and its tests' data as instances. The corpus is written by people who
//! did not write this generator, so it reaches the corners our own cases miss.
//!
//! The oracle stays `jsonschema`; the suite's own `valid` is kept beside each
//! instance, and [`disagreements_with_suite`] lists where `jsonschema` itself
//! departs from it (the generator follows the validator, which uses
//! `jsonschema`).
//!
//! A group may be refused only when its schema uses something the generator
//! refuses by design ([`refusals`], the codegen README's list): every
//! other group must generate, compile and agree.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use aperture_events_codegen::Draft;

use super::case::Case;

/// The keywords the generator refuses (codegen README, "Refused").
pub const REFUSED_KEYWORDS: &[&str] = &[
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
];

/// Keywords that assert in draft-06 and draft-07 (refused there) and
/// annotate from 2019-09 on.
const CONTENT: &[&str] = &["contentEncoding", "contentMediaType"];

// No format is refused by design: the generator asserts every format the
// schema crate's registry knows (`vocabulary::format_known`), so a group
// refused for its `format` is a failure.

/// Keywords whose value maps names to subschemas: the names are not keywords.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];

/// Keywords whose value is data, not a schema: nothing inside is a keyword.
const DATA: &[&str] = &[
    "const",
    "enum",
    "default",
    "examples",
    "required",
    "dependentRequired",
];

#[derive(Debug, Deserialize)]
struct Group {
    description: String,
    schema: Value,
    tests: Vec<Test>,
}

#[derive(Debug, Deserialize)]
struct Test {
    data: Value,
    valid: bool,
}

/// A group of the suite as a case, with the suite's verdict per instance.
#[derive(Debug, Clone)]
pub struct SuiteCase {
    /// The case (`suite/<file>/<group number> <description>`).
    pub case: Case,
    /// The suite's `valid`, one per instance of `case.instances`.
    pub valid: Vec<bool>,
    /// What the schema uses that the generator refuses by design ([`refusals`]):
    /// the case may be refused for any one of them.
    pub refusals: Vec<String>,
}

/// Every `*.json` file under `dir` (recursively, sorted), each a list of
/// groups, whose schemas are of `draft` unless they declare one. Panics on a
/// malformed file.
pub fn load(dir: &Path, draft: Draft) -> Vec<SuiteCase> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // Read as values first: a stored file repeats a `description` key.
        let groups: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let groups = groups.into_iter().map(|group| {
            serde_json::from_value::<Group>(group)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        });
        let stem = file
            .strip_prefix(dir)
            .expect("under dir")
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        for (n, group) in groups.enumerate() {
            let mut case = Case::new(
                format!("suite/{stem}/{n} {}", group.description),
                group.schema,
                Vec::new(),
            );
            case.draft = Some(draft.name().to_owned());
            let refusals = refusals(&case.schema, draft);
            case.may_refuse = !refusals.is_empty();
            let (instances, valid) = group.tests.into_iter().map(|t| (t.data, t.valid)).unzip();
            case.instances = instances;
            cases.push(SuiteCase {
                case,
                valid,
                refusals,
            });
        }
    }
    cases
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// Everything in `schema` (of `draft` unless it declares one) the generator
/// refuses by design, in schema order: a refused keyword, `$id` below the
/// root, a format it does not enforce, a `$ref` that is not local (`#...`),
/// which would need a base URI or a fetch.
/// The generator may name any one of them.
pub fn refusals(schema: &Value, draft: Draft) -> Vec<String> {
    let mut found = Vec::new();
    if schema.is_boolean() {
        // The schema crate loads files holding an object (the generator
        // lowers boolean subschemas, and boolean roots of `$ref`s).
        found.push("object (a schema file must hold a json object)".to_owned());
    }
    refused_in(schema, true, draft, &mut found);
    found
}

fn refused_in(schema: &Value, root: bool, draft: Draft, found: &mut Vec<String>) {
    let Value::Object(map) = schema else {
        return;
    };
    let draft = Draft::detect(schema, draft).unwrap_or(draft);
    for (key, value) in map {
        // Before 2019-09 an `$id` of `#name` is an anchor, not a resource.
        let anchor =
            draft < Draft::Draft201909 && value.as_str().is_some_and(|id| id.starts_with('#'));
        let below_root = !root && key == draft.id_keyword() && !anchor;
        let content = CONTENT.contains(&key.as_str()) && draft < Draft::Draft201909;
        if REFUSED_KEYWORDS.contains(&key.as_str()) || below_root || content {
            found.push(key.clone());
        }
        match (key.as_str(), value) {
            ("$ref", Value::String(r)) if !r.starts_with('#') => {
                found.push(format!("$ref {r}"));
            }
            ("dependencies", Value::Object(entries)) => {
                for dependency in entries.values().filter(|d| !d.is_array()) {
                    refused_in(dependency, false, draft, found);
                }
            }
            (k, _) if DATA.contains(&k) => {}
            (k, Value::Object(names)) if SCHEMA_MAPS.contains(&k) => {
                names
                    .values()
                    .for_each(|s| refused_in(s, false, draft, found));
            }
            (_, Value::Array(items)) => items
                .iter()
                .for_each(|s| refused_in(s, false, draft, found)),
            (_, value @ Value::Object(_)) => refused_in(value, false, draft, found),
            _ => {}
        }
    }
}

/// Where `jsonschema` (the oracle) departs from the suite's `valid`:
/// `(case, instance, suite's verdict)`.
pub fn disagreements_with_suite(cases: &[SuiteCase]) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for suite in cases {
        let Ok(validator) = super::compare::oracle(&suite.case.schema, suite.case.default_draft())
        else {
            continue;
        };
        for (data, &valid) in suite.case.instances.iter().zip(&suite.valid) {
            if validator.is_valid(data) != valid {
                out.push((suite.case.name.clone(), data.to_string(), valid));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use serde_json::Value;

    /// The first refusal, as the assertions below read it.
    fn refused_by_design(schema: &Value) -> Option<String> {
        super::refusals(schema, aperture_events_codegen::Draft::Draft202012)
            .into_iter()
            .next()
    }

    #[test]
    fn refused_keywords_are_found_in_schema_places_only() {
        assert_eq!(
            refused_by_design(&json!({"items": {"$dynamicRef": "#a"}})).as_deref(),
            Some("$dynamicRef")
        );
        // Every format a draft defines is asserted: none is refused by design.
        assert_eq!(
            refused_by_design(&json!({"allOf": [{"format": "hostname"}]})),
            None
        );
        assert_eq!(
            refused_by_design(&json!({"$ref": "http://localhost:1234/x"})).as_deref(),
            Some("$ref http://localhost:1234/x")
        );
        // A property named like a keyword, and data that looks like one, are neither.
        assert_eq!(
            refused_by_design(&json!({"properties": {"if": {}}, "const": {"if": 1}})),
            None
        );
        assert_eq!(
            refused_by_design(
                &json!({"$id": "https://x/", "format": "email", "$ref": "#/$defs/a"})
            ),
            None
        );
        assert_eq!(
            refused_by_design(&json!({"$defs": {"a": {"$id": "https://x/a"}}})).as_deref(),
            Some("$id")
        );
    }
}
