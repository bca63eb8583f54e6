//! The mapping files (`mapping/*.json`) as data: what build.rs checks and the
//! converter runs.
//!
//! This module is compiled twice, into the library and into `build.rs`
//! (`#[path]`), so it depends on serde and serde_json alone.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The files of the stock mapping, by name, as embedded.
pub const FILES: &[(&str, &str)] = &[
    ("common.json", include_str!("../mapping/common.json")),
    (
        "activity_monitoring.json",
        include_str!("../mapping/activity_monitoring.json"),
    ),
    ("incident.json", include_str!("../mapping/incident.json")),
    (
        "remediation.json",
        include_str!("../mapping/remediation.json"),
    ),
    (
        "policy_violation.json",
        include_str!("../mapping/policy_violation.json"),
    ),
    (
        "admin_audit.json",
        include_str!("../mapping/admin_audit.json"),
    ),
];

/// The name of the file of shared rules among [`FILES`].
pub const COMMON: &str = "common.json";

/// `common.json`: the product and the rules every event type shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Free text.
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// `metadata.product`.
    pub product: BTreeMap<String, String>,
    /// Applied before each route's own rules.
    pub rules: Vec<Rule>,
}

/// One event type's file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMapping {
    /// Free text.
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// The `log_type` this file maps (its schema is `<log_type>.schema.json`).
    pub log_type: String,
    /// The first route whose `when` holds (or that has none) maps the event.
    pub routes: Vec<Route>,
}

/// One OCSF class an event type can become, and how.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The class's name in the OCSF document (`file_hosting`).
    pub class: String,
    /// When this route applies; none: always.
    #[serde(default)]
    pub when: Option<When>,
    /// How `activity_id` is chosen.
    pub activity: Activity,
    /// Constant attributes.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Source field → attribute.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Values written where nothing was, so that required attributes exist.
    #[serde(default)]
    pub defaults: Vec<Fill>,
}

/// A condition on a source field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The source field.
    pub field: String,
    /// Its values for which the route applies.
    #[serde(rename = "in")]
    pub values: Vec<String>,
    /// Compare in any ASCII case.
    #[serde(default)]
    pub fold_case: bool,
}

/// How the activity is chosen: a constant, or a table over a source field.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Activity {
    /// Always this `activity_id`.
    Fixed {
        /// The id.
        id: i64,
    },
    /// From a source field through a table.
    Table {
        /// The source field.
        from: String,
        /// Source value → `activity_id`.
        table: BTreeMap<String, i64>,
        /// For a value outside the table (99 Other keeps the value as `activity_name`).
        fallback: i64,
    },
}

/// How a rule converts its value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conv {
    /// The value as it is.
    #[default]
    Copy,
    /// An RFC 3339 date-time to milliseconds since the epoch.
    Time,
    /// A string through `table`.
    Table,
    /// The vendor's severity (0 to 5) through the severity table.
    Severity,
}

/// One source field to one or more attributes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The source field (a property of the event type's schema).
    pub from: String,
    /// The attribute(s); the first is where the value is read back from.
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<String>,
    /// The conversion.
    #[serde(default)]
    pub conv: Conv,
    /// For [`Conv::Table`]: source value → attribute value.
    #[serde(default)]
    pub table: Option<BTreeMap<String, Value>>,
    /// For [`Conv::Table`]: the value for a source value outside the table.
    #[serde(default)]
    pub fallback: Option<Value>,
    /// For [`Conv::Table`]: look up in any ASCII case (as the schema's `x-case-insensitive`).
    #[serde(default)]
    pub fold_case: bool,
    /// The JSON types taken; a value of another type goes to `unmapped`.
    #[serde(default)]
    pub types: Option<Vec<String>>,
    /// Constants written with the value.
    #[serde(default)]
    pub with: BTreeMap<String, Value>,
}

/// A value written at `at` when nothing is there (and `if` exists).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fill {
    /// The attribute.
    pub at: String,
    /// The value.
    pub value: Value,
    /// Only when this object exists.
    #[serde(rename = "if", default)]
    pub only_if: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// One step of an attribute path: `file`, or `hashes[]` (the first element of an array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The attribute name.
    pub name: String,
    /// Whether the attribute is an array (`[]`): the step is its first element.
    pub array: bool,
}

/// Splits `file.hashes[].value` into steps.
pub fn steps(path: &str) -> Vec<Step> {
    path.split('.')
        .map(|s| match s.strip_suffix("[]") {
            Some(name) => Step {
                name: name.to_owned(),
                array: true,
            },
            None => Step {
                name: s.to_owned(),
                array: false,
            },
        })
        .collect()
}

/// The whole mapping, parsed.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// `common.json`.
    pub common: Common,
    /// One per event type, with its file name.
    pub types: Vec<(String, TypeMapping)>,
}

/// Parses mapping files given as `(name, text)`; the one named [`COMMON`] is the shared part.
pub fn parse(files: &[(&str, &str)]) -> Result<Mapping, String> {
    let mut common = None;
    let mut types = Vec::new();
    for (name, text) in files {
        if *name == COMMON {
            common = Some(serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?);
        } else {
            let t: TypeMapping = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            types.push(((*name).to_owned(), t));
        }
    }
    let common = common.ok_or_else(|| format!("no {COMMON} among the mapping files"))?;
    Ok(Mapping { common, types })
}
