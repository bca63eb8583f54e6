//! The case corpus: `tests/differential/cases/<construct>.json`, each a list
//! of cases, and how one case becomes the schema file given to the generator.
//!
//! A case is `{ "name", "schema", "instances": [JSON...], "raw": ["text"...] }`.
//! `raw` holds instances as JSON text, for what `serde_json::Value` would
//! normalise: `1.0`, `-0`, `1e400`, `18446744073709551616`, duplicate keys.
//! `"refused": true` marks a schema the generator must refuse (with a
//! pointer), `"may_refuse": true` one it may refuse or support; `"wrap": true` checks the schema in a property's place (below).
//!
//! # The root type
//! The generator reports each file's root type (`Output::root_types`), so a
//! case's schema is given as it is. `"wrap": true` wraps it instead as the
//! property `v` of a closed object (`{"title": "Root", "type": "object",
//! "properties": {"v": schema}, "required": ["v"], "additionalProperties":
//! false, "$defs": schema's $defs}`, instances becoming `{"v": instance}`):
//! the same schema in a property's place. A `$ref` to `#` then means the
//! wrapper, so such cases do not refer to `#`.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The schema file name given to the generator.
pub const FILE_NAME: &str = "case.schema.json";

/// One schema and its instances.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique within a run; the corpus prefixes it with the file stem.
    pub name: String,
    /// The schema, as the user writes it.
    pub schema: Value,
    /// Instances as JSON values.
    #[serde(default)]
    pub instances: Vec<Value>,
    /// Instances as JSON text (parsed by each side itself).
    #[serde(default)]
    pub raw: Vec<String>,
    /// The generator must refuse this schema, naming a pointer.
    #[serde(default)]
    pub refused: bool,
    /// The generator may refuse this schema (with a pointer): a construct
    /// whose support is the generator's choice (`contains`, `if`).
    #[serde(default)]
    pub may_refuse: bool,
    /// The draft of the schema where it declares no `$schema`, by name
    /// (`draft-07`, or the suite's `draft7`); draft 2020-12 when absent. The
    /// generator gets it as `Config::default_draft`, the oracle as its draft.
    #[serde(default)]
    pub draft: Option<String>,
    /// Wraps the schema as a property (see the module docs).
    #[serde(default)]
    pub wrap: Option<bool>,
    /// Why the case exists (free text, not used).
    #[serde(default)]
    pub why: Option<String>,
}

impl Case {
    /// A case from a schema and instance texts.
    pub fn new(name: impl Into<String>, schema: Value, raw: Vec<String>) -> Self {
        Case {
            name: name.into(),
            schema,
            instances: Vec::new(),
            raw,
            refused: false,
            may_refuse: false,
            draft: None,
            wrap: None,
            why: None,
        }
    }

    /// The draft of the schema where it declares none.
    pub fn default_draft(&self) -> aperture_events_codegen::Draft {
        self.draft
            .as_deref()
            .and_then(aperture_events_codegen::Draft::from_name)
            .unwrap_or_default()
    }

    /// Every instance as text: the values first, then the raw texts.
    pub fn instance_texts(&self) -> Vec<String> {
        self.instances
            .iter()
            .map(Value::to_string)
            .chain(self.raw.iter().cloned())
            .collect()
    }
}

/// Instances every hand-written case is also checked on: one of each JSON
/// type, and the spellings `Value` normalises.
pub const COMMON: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1.0",
    "-0",
    "\"\"",
    "\"x\"",
    "[]",
    "[null]",
    "{}",
    "{\"a\":null}",
];

/// Each case again in a property's place (`<name>@property`, wrapped; see the
/// module docs), unless it refers to `#`, is to be refused or wraps already:
/// a property's type is generated apart from a root's (`Option`, `Box`).
pub fn with_property_twins(cases: Vec<Case>) -> Vec<Case> {
    let mut out = Vec::with_capacity(cases.len() * 2);
    for case in cases {
        let twin = !case.refused
            && !case.may_refuse
            && case.wrap.is_none()
            && !case.schema.to_string().contains("\"#\"");
        let copy = twin.then(|| Case {
            name: format!("{}@property", case.name),
            wrap: Some(true),
            ..case.clone()
        });
        out.push(case);
        out.extend(copy);
    }
    out
}

/// Reads every `*.json` file of `dir` (sorted), each a list of cases; names
/// become `<file stem>/<name>`, and each case gets the [`COMMON`] instances it
/// does not already have. Panics on a malformed file or a repeated name.
pub fn load_dir(dir: &Path) -> Vec<Case> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let list: Vec<Case> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 file name");
        for mut case in list {
            case.name = format!("{stem}/{}", case.name);
            assert!(
                seen.insert(case.name.clone()),
                "repeated case {}",
                case.name
            );
            let have = case.instance_texts();
            for text in COMMON {
                if !have.iter().any(|h| h == text) {
                    case.raw.push((*text).to_owned());
                }
            }
            cases.push(case);
        }
    }
    cases
}

/// A case made ready for the generator.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The schema file text given to the generator.
    pub schema_text: String,
    /// Whether the schema was wrapped in `{"v": ...}`.
    pub wrapped: bool,
}

impl Prepared {
    /// Prepares `case` (see the module docs).
    pub fn new(case: &Case) -> Self {
        let wrapped = case.wrap.unwrap_or(false);
        let schema = if wrapped {
            wrap(&case.schema)
        } else {
            case.schema.clone()
        };
        Prepared {
            schema_text: serde_json::to_string_pretty(&schema).expect("a Value serializes"),
            wrapped,
        }
    }

    /// The Rust type of the root in the generated code (`None`: no root type).
    pub fn root_type(&self, output: &aperture_events_codegen::Output) -> Option<String> {
        output.root_types.first().cloned().flatten()
    }

    /// The text the generated type reads for one instance text.
    pub fn instance_text(&self, text: &str) -> String {
        if self.wrapped {
            format!("{{\"v\":{text}}}")
        } else {
            text.to_owned()
        }
    }

    /// The instance inside what the generated type wrote back.
    pub fn unwrap_output(&self, value: Value) -> Option<Value> {
        if !self.wrapped {
            return Some(value);
        }
        match value {
            Value::Object(mut map) if map.len() == 1 => map.remove("v"),
            _ => None,
        }
    }

    /// A pointer of the generator's (in the prepared schema) as a pointer
    /// into the case's own schema.
    pub fn case_pointer<'a>(&self, pointer: &'a str) -> &'a str {
        if self.wrapped {
            if let Some(rest) = pointer.strip_prefix("/properties/v") {
                return rest;
            }
        }
        pointer
    }
}

fn wrap(schema: &Value) -> Value {
    let mut inner = schema.clone();
    // Where references point, and the draft, belong to the file's root.
    let mut lifted = Vec::new();
    if let Value::Object(map) = &mut inner {
        for key in ["$schema", "$defs", "definitions"] {
            if let Some(value) = map.remove(key) {
                lifted.push((key, value));
            }
        }
    }
    let mut wrapper = Map::new();
    wrapper.insert("title".into(), json!("Root"));
    wrapper.insert("type".into(), json!("object"));
    wrapper.insert("properties".into(), json!({ "v": inner }));
    wrapper.insert("required".into(), json!(["v"]));
    wrapper.insert("additionalProperties".into(), json!(false));
    for (key, value) in lifted {
        wrapper.insert(key.into(), value);
    }
    Value::Object(wrapper)
}

/// The case the grammar derives from `bytes` (see `aperture-events-schema-grammar`).
pub fn derived(name: impl Into<String>, bytes: &[u8]) -> Case {
    let derived = aperture_events_schema_grammar::derive(bytes);
    Case::new(name, derived.schema, derived.instances)
}

/// `count` cases derived from seeded random bytes (`seed`, `seed + 1`, ...).
pub fn seeded(seed: u64, count: u64) -> Vec<Case> {
    (seed..seed + count)
        .map(|s| {
            derived(
                format!("seed-{s}"),
                &aperture_events_schema_grammar::seeded_bytes(s, 256),
            )
        })
        .collect()
}
