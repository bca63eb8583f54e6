//! The stock schemas, compiled into the library.
//!
//! Tools that must run anywhere (the validator binary, build scripts that lay
//! an edited file over the stock set, tests) use these instead of reading
//! files from disk. The JSON files sit at the root of this crate's package, so
//! the published crate carries everything it compiles from. The order is the
//! order the union lists the event types in, after the shared definitions.

/// One schema file: its file name (as in `schema/`) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaFile {
    /// File name, for example `incident.schema.json`.
    pub name: &'static str,
    /// The file's JSON text, exactly as checked in.
    pub text: &'static str,
}

macro_rules! schema_files {
    ($($name:literal),* $(,)?) => {
        /// Every stock schema file, shared definitions first, the union last.
        pub const SCHEMA_FILES: &[SchemaFile] = &[
            $(SchemaFile { name: $name, text: include_str!(concat!("../", $name)) },)*
        ];
    };
}

schema_files!(
    "common.schema.json",
    "activity_monitoring.schema.json",
    "incident.schema.json",
    "remediation.schema.json",
    "policy_violation.schema.json",
    "admin_audit.schema.json",
    "log_event.schema.json",
);

/// The stock file named `name`, if there is one.
///
/// ```
/// let common = aperture_events_schema::embedded::file("common.schema.json").unwrap();
/// assert!(common.text.contains("\"$defs\""));
/// ```
pub fn file(name: &str) -> Option<&'static SchemaFile> {
    SCHEMA_FILES.iter().find(|f| f.name == name)
}

/// The file name of the union schema.
pub const UNION_FILE: &str = "log_event.schema.json";

/// The five documented event types, as their `log_type` values, with their schema files.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    ("activity_monitoring", "activity_monitoring.schema.json"),
    ("incident", "incident.schema.json"),
    ("remediation", "remediation.schema.json"),
    ("policy_violation", "policy_violation.schema.json"),
    ("admin_audit", "admin_audit.schema.json"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_is_json_with_an_id() {
        for file in SCHEMA_FILES {
            let value: serde_json::Value = serde_json::from_str(file.text)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.name));
            let id = value["$id"].as_str().expect("$id");
            assert!(
                id.ends_with(file.name),
                "{id} does not end with {}",
                file.name
            );
        }
    }
}
