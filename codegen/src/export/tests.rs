//! Unit tests of the export: the repository's schemas come out self-contained
//! and complete, small hand-written schemas pin naming and every error.

use serde_json::{Value, json};

use super::*;

fn export_of(files: &[(&str, Value)]) -> crate::Result<Export> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.to_string()))
        .collect();
    Options::new().export(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
}

fn parsed(export: &Export, name: &str) -> Value {
    serde_json::from_str(&export.get(name).expect(name).text).expect("exported file is JSON")
}

/// Every `$ref` value under `value`, with its place.
fn refs(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    out.push((pointer.to_owned(), inner.as_str().unwrap_or("").to_owned()));
                } else if key != "examples" {
                    refs(inner, &format!("{pointer}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                refs(item, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_repository_schemas_export_one_file_per_type_the_union_and_a_manifest() {
    let export = Options::new().export(embedded()).unwrap();
    let names: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "activity_monitoring.schema.json",
            "admin_audit.schema.json",
            "incident.schema.json",
            "log_event.schema.json",
            "policy_violation.schema.json",
            "remediation.schema.json",
            "manifest.json"
        ]
    );
}

#[test]
fn every_reference_stays_inside_its_file_and_resolves_there() {
    let export = Options::new().export(embedded()).unwrap();
    for file in export.files.iter().filter(|f| f.name != MANIFEST) {
        let value: Value = serde_json::from_str(&file.text).unwrap();
        let mut found = Vec::new();
        refs(&value, "", &mut found);
        assert!(!found.is_empty(), "{} has no $ref at all", file.name);
        for (place, reference) in found {
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                panic!("{}#{place}: $ref `{reference}` leaves the file", file.name)
            });
            assert!(
                value.pointer(pointer).is_some(),
                "{}#{place}: `{reference}` dangles",
                file.name
            );
        }
    }
}

#[test]
fn exported_files_keep_metadata_examples_and_x_keywords() {
    let export = Options::new().export(embedded()).unwrap();
    let incident = parsed(&export, "incident.schema.json");
    assert_eq!(incident["$schema"], DRAFT_2020_12);
    assert_eq!(
        incident["$id"],
        format!(
            "{DEFAULT_BASE_URI}{}/incident.schema.json",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(incident["title"], "Incident");
    assert_eq!(incident["examples"][0]["severity"], json!(1.0));
    assert_eq!(incident["x-strict"], json!({"additionalProperties": false}));
    assert_eq!(
        incident["properties"]["severity"]["$ref"],
        "#/$defs/severity"
    );
    let severity = &incident["$defs"]["severity"];
    assert_eq!(severity["maximum"], 5);
    assert_eq!(severity["title"], "Severity");
    assert_eq!(incident["$defs"]["exposure"]["x-quirk-values"][0], "PUBLIC");
    assert_eq!(
        incident["$defs"]["item_size"]["x-strict"],
        json!({"type": "string"})
    );
    assert!(
        incident["$defs"].get("admin_role").is_none(),
        "only what the file uses is copied"
    );
}

#[test]
fn the_union_copies_each_event_type_whole() {
    let export = Options::new().export(embedded()).unwrap();
    let union = parsed(&export, "log_event.schema.json");
    assert_eq!(union["oneOf"][1], json!({"$ref": "#/$defs/incident"}));
    assert_eq!(union["discriminator"], json!({"propertyName": "log_type"}));
    let incident = &union["$defs"]["incident"];
    assert_eq!(incident["properties"]["log_type"]["const"], "incident");
    assert!(incident.get("$id").is_none() && incident.get("$schema").is_none());
    assert_eq!(
        incident["properties"]["item_verdict"]["$ref"],
        "#/$defs/item_verdict"
    );
    assert!(union["$defs"]["admin_action"].is_object());
}

#[test]
fn property_order_is_the_schema_order() {
    let export = Options::new().export(embedded()).unwrap();
    let text = &export.get("incident.schema.json").unwrap().text;
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(at("\"$schema\"") < at("\"$id\"") && at("\"$id\"") < at("\"title\""));
    assert!(at("\"log_type\": {") < at("\"severity\": {"));
    assert!(at("\"severity\": {") < at("\"item_verdict\": {"));
    assert!(at("\"properties\"") < at("\"$defs\""));
}

#[test]
fn the_export_is_deterministic_and_the_manifest_hashes_each_file() {
    let first = Options::new().export(embedded()).unwrap();
    let mut reversed: Vec<_> = embedded().collect();
    reversed.reverse();
    let second = Options::new().export(reversed).unwrap();
    assert_eq!(
        first, second,
        "the export depends on the order of its input"
    );
    assert_eq!(first, Options::new().export(embedded()).unwrap());
    let manifest = parsed(&first, MANIFEST);
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), first.files.len() - 1);
    for entry in listed {
        let file = first.get(entry["name"].as_str().unwrap()).unwrap();
        assert_eq!(entry["sha256"], sha256_hex(file.text.as_bytes()));
    }
    assert_eq!(listed[2]["log_type"], "incident");
    assert_eq!(listed[3]["name"], "log_event.schema.json");
    assert!(
        listed[3].get("log_type").is_none(),
        "the union has no single log_type"
    );
}

#[test]
fn options_change_the_id_and_version() {
    let mut options = Options::new();
    options.base_uri("https://example.com/s").version("9.9.9");
    let export = options.export(embedded()).unwrap();
    assert_eq!(
        parsed(&export, "incident.schema.json")["$id"],
        "https://example.com/s/9.9.9/incident.schema.json"
    );
    assert_eq!(parsed(&export, MANIFEST)["version"], "9.9.9");
}

#[test]
fn definitions_two_files_share_a_name_for_are_qualified() {
    let export = export_of(&[
        (
            "a.schema.json",
            json!({"$id": "https://x.test/a.schema.json", "$defs": {"name": {"type": "string"}}}),
        ),
        (
            "b.schema.json",
            json!({
                "$id": "https://x.test/b.schema.json",
                "type": "object",
                "properties": {
                    "mine": {"$ref": "#/$defs/name"},
                    "theirs": {"$ref": "a.schema.json#/$defs/name"},
                    "self": {"$ref": "#"},
                    "deep": {"$ref": "#/properties/mine"}
                },
                "$defs": {"name": {"type": "integer"}}
            }),
        ),
    ])
    .unwrap();
    let b = parsed(&export, "b.schema.json");
    assert_eq!(b["properties"]["mine"]["$ref"], "#/$defs/b_name");
    assert_eq!(b["properties"]["theirs"]["$ref"], "#/$defs/a_name");
    assert_eq!(b["properties"]["self"]["$ref"], "#");
    assert_eq!(b["properties"]["deep"]["$ref"], "#/$defs/b_properties_mine");
    assert_eq!(b["$defs"]["a_name"], json!({"type": "string"}));
    assert_eq!(b["$defs"]["b_name"], json!({"type": "integer"}));
    assert!(
        export.get("a.schema.json").is_none(),
        "a definitions-only file is not exported alone"
    );
}

#[test]
fn refs_inside_examples_and_const_are_data_not_references() {
    let export = export_of(&[(
        "e.schema.json",
        json!({"const": {"$ref": "nowhere.json"}, "examples": [{"$ref": "nowhere.json"}], "type": "object"}),
    )])
    .unwrap();
    assert_eq!(
        parsed(&export, "e.schema.json")["const"]["$ref"],
        "nowhere.json"
    );
}

fn problems(files: &[(&str, Value)]) -> Vec<String> {
    export_of(files)
        .unwrap_err()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_reference_to_a_missing_file_names_its_place() {
    let found = problems(&[(
        "e.schema.json",
        json!({"$id": "https://x.test/e.schema.json", "properties": {"a": {"$ref": "gone.schema.json#/$defs/x"}}}),
    )]);
    assert_eq!(
        found,
        [
            "e.schema.json:/properties/a: $ref `gone.schema.json#/$defs/x` names `https://x.test/gone.schema.json`, \
          which is none of the schema files (nothing is fetched)"
        ]
    );
}

#[test]
fn a_reference_to_a_missing_pointer_or_an_anchor_or_a_remote_file_is_an_error() {
    let found = problems(&[(
        "e.schema.json",
        json!({"items": [{"$ref": "#/$defs/nope"}, {"$ref": "#anchor"}, {"$ref": "https://remote.test/s.json"}, {"$ref": 3}]}),
    )]);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("e.schema.json:/items/0: $ref `#/$defs/nope` points at `/$defs/nope`")
    );
    assert!(found[1].contains(":/items/1: $ref `#anchor` uses an anchor"));
    assert!(found[2].contains(":/items/2: $ref `https://remote.test/s.json` names"));
    assert_eq!(found[3], "e.schema.json:/items/3: $ref is not a string");
}

#[test]
fn a_problem_met_from_several_files_is_reported_once_and_bad_json_gives_its_line() {
    let texts = [
        (
            "c.schema.json",
            r##"{"$defs": {"x": {"$ref": "#/$defs/missing"}}}"##,
        ),
        (
            "u.schema.json",
            r#"{"type": "object", "properties": {"a": {"$ref": "c.schema.json#/$defs/x"}}}"#,
        ),
        (
            "v.schema.json",
            r#"{"type": "object", "properties": {"b": {"$ref": "c.schema.json#/$defs/x"}}}"#,
        ),
        ("bad.schema.json", "{\n  \"type\": \n}"),
    ];
    let error = Options::new().export(texts).unwrap_err();
    let found: Vec<String> = error
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("bad.schema.json: not JSON at line 3"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("c.schema.json:/$defs/x: $ref `#/$defs/missing`"),
        "{}",
        found[1]
    );
}

#[test]
fn write_rewrites_only_changed_files() {
    let dir = std::env::temp_dir().join(format!("aperture-export-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let export = Options::new().export(embedded()).unwrap();
    assert_eq!(write(&export, &dir).unwrap().len(), export.files.len());
    assert!(
        write(&export, &dir).unwrap().is_empty(),
        "an unchanged export writes nothing"
    );
    std::fs::write(dir.join("incident.schema.json"), "stale").unwrap();
    assert_eq!(
        write(&export, &dir).unwrap(),
        [dir.join("incident.schema.json")]
    );
    let from_disk = crate::SchemaSource::read_dir(&dir).unwrap();
    assert_eq!(
        from_disk.len(),
        6,
        "read_dir takes only *.schema.json files"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_of_other_drafts_are_not_exported_under_a_2020_12_label() {
    let err = Options::new()
        .export([(
            "a.schema.json",
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}"#,
        )])
        .expect_err("draft-07");
    assert_eq!(
        err.to_string(),
        "a.schema.json:/$schema: the export writes draft 2020-12 schemas and this file is draft-07: only draft 2020-12 files are exported"
    );
}
