//! The build-time check (`src/check.rs`, which `build.rs` runs) on broken
//! mappings and broken schemas: each mistake is an error naming the mapping
//! file and the file it disagrees with.

use aperture_events_ocsf::check::check;
use aperture_events_ocsf::model::{self, FILES};
use aperture_events_ocsf::ocsf_doc::{self, Doc};
use aperture_events_schema::SchemaSet;

/// The check's errors with `from` replaced by `to` in the mapping file `file`.
fn errors_with(file: &str, from: &str, to: &str) -> Vec<String> {
    let files: Vec<(&str, String)> = FILES
        .iter()
        .map(|(name, text)| {
            if *name == file {
                assert!(text.contains(from), "{file} has no `{from}`");
                (*name, text.replacen(from, to, 1))
            } else {
                (*name, (*text).to_owned())
            }
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let mapping = model::parse(&files).expect("parses");
    check(
        &mapping,
        &SchemaSet::embedded().expect("schemas"),
        &Doc::vendored(),
    )
}

fn assert_one(errors: &[String], needles: &[&str]) {
    assert!(
        errors.iter().any(|e| needles.iter().all(|n| e.contains(n))),
        "no error with {needles:?} in {errors:#?}"
    );
}

#[test]
fn the_stock_mapping_passes() {
    let mapping = model::parse(FILES).expect("parses");
    let errors = check(
        &mapping,
        &SchemaSet::embedded().expect("schemas"),
        &Doc::vendored(),
    );
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn a_source_field_missing_from_our_schema_names_both_files() {
    let errors = errors_with(
        "incident.json",
        r#""from": "item_sha256""#,
        r#""from": "item_sha265""#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            "schema/incident.schema.json",
            "`item_sha265` is not a property",
        ],
    );
}

#[test]
fn a_target_missing_from_the_ocsf_class_names_both_files() {
    let errors = errors_with(
        "incident.json",
        r#""to": "file.uri""#,
        r#""to": "file.url_text""#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            ocsf_doc::PATH,
            "`url_text` is not an attribute of the object `file`",
        ],
    );
    // An attribute of a profile the export does not declare is as missing.
    let errors = errors_with(
        "incident.json",
        r#""to": "file.uri""#,
        r#""to": "file.is_public""#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            ocsf_doc::PATH,
            "profile(s) cloud",
        ],
    );
    // An array written without `[]`.
    let errors = errors_with(
        "incident.json",
        r#""to": "finding_info.data_sources[]""#,
        r#""to": "finding_info.data_sources""#,
    );
    assert_one(
        &errors,
        &["ocsf/mapping/incident.json", "`data_sources` is an array"],
    );
}

#[test]
fn a_type_mismatch_names_both_files() {
    // item_size may be a string in our schema; file.size is a long_t.
    let errors = errors_with("incident.json", r#", "types": ["integer"]"#, "");
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            "schema/incident.schema.json",
            ocsf_doc::PATH,
            "type mismatch: `item_size` is a string",
            "`file.size` is a long_t",
        ],
    );
}

#[test]
fn an_enum_table_missing_a_known_value_without_fallback_names_both_files() {
    let errors = errors_with(
        "incident.json",
        r#""table": { "File": 1, "Folder": 2 }, "fallback": 99"#,
        r#""table": { "File": 1, "Folder": 2 }"#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            "schema/incident.schema.json",
            "the table misses `User`",
            "x-known-values",
        ],
    );
    // A table value that is not a value of the OCSF enumeration.
    let errors = errors_with(
        "admin_audit.json",
        r#""content_policy": 5"#,
        r#""content_policy": 42"#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/admin_audit.json",
            ocsf_doc::PATH,
            "42 is not a value of `entity.type_id`",
        ],
    );
    // Case folding must be what the schema says of the field.
    let errors = errors_with(
        "incident.json",
        r#""fold_case": true, "table""#,
        r#""fold_case": false, "table""#,
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            "schema/incident.schema.json",
            "case-insensitive",
        ],
    );
}

#[test]
fn a_schema_change_that_breaks_the_mapping_fails_the_check() {
    // Our schema loses `item_sha256` (renamed): the mapping that reads it fails.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = include_str!("../../schema/incident.schema.json")
        .replace("\"item_sha256\"", "\"item_sha_256\"");
    let path = dir.path().join("incident.schema.json");
    std::fs::write(&path, text).expect("write");
    let schemas = SchemaSet::stock_with(&[&path]).expect("schemas");
    let errors = check(
        &model::parse(FILES).expect("parses"),
        &schemas,
        &Doc::vendored(),
    );
    assert_one(
        &errors,
        &[
            "ocsf/mapping/incident.json",
            "schema/incident.schema.json",
            "`item_sha256` is not a property",
        ],
    );
    // A new known value of an activity's action is fine: the activity table has a fallback (99 Other).
}
