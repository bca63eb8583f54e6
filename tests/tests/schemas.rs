//! The schemas themselves, as any standard JSON Schema tool sees them: they
//! are valid 2020-12, they accept every valid fixture and reject every invalid
//! one at its stated place, the strict reading gives the stated verdicts, and
//! every documented field is there with its documented type.

use std::collections::BTreeMap;

use aperture_events_schema::embedded::{EVENT_TYPES, SCHEMA_FILES};
use aperture_events_schema::reading::Reading;
use aperture_events_tests::{
    Compiled, InvalidEntry, MalformedEntry, ValidEntry, all_json, fixtures, index, read_json,
    schema_values,
};
use serde_json::Value;

#[test]
fn every_schema_passes_the_2020_12_meta_schema() {
    for reading in [Reading::Tolerant, Reading::Strict] {
        for (name, schema) in schema_values(reading) {
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{name} declares draft 2020-12"
            );
            if let Err(error) = jsonschema::meta::validate(&schema) {
                panic!(
                    "{name} ({reading:?}) fails the meta-schema at {}: {error}",
                    error.instance_path()
                );
            }
        }
    }
}

#[test]
fn every_schema_file_in_the_directory_is_embedded() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(aperture_events_tests::repo_root().join("schema"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".schema.json"))
            .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = SCHEMA_FILES.iter().map(|f| f.name.to_owned()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn every_valid_fixture_is_accepted_by_its_type_and_the_union() {
    let compiled = Compiled::new(Reading::Tolerant);
    let valid = all_json("valid");
    assert!(valid.len() >= 20, "only {} valid fixtures", valid.len());
    for (name, event) in valid {
        let errors = compiled.error_pointers(&event);
        assert!(errors.is_empty(), "valid/{name} rejected at {errors:?}");
        assert!(
            compiled.union().is_valid(&event),
            "valid/{name} rejected by the union"
        );
    }
}

#[test]
fn every_invalid_fixture_fails_at_its_stated_pointer() {
    let compiled = Compiled::new(Reading::Tolerant);
    let stated: BTreeMap<String, InvalidEntry> = index("invalid");
    let files = all_json("invalid");
    assert_eq!(
        files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        stated.keys().cloned().collect::<Vec<_>>(),
        "invalid/index.json lists exactly the invalid fixtures"
    );
    for (name, event) in files {
        let entry = &stated[&name];
        assert!(
            !compiled.union().is_valid(&event),
            "invalid/{name} accepted by the union ({})",
            entry.why
        );
        match event.get("log_type").and_then(Value::as_str) {
            Some(log_type) => {
                let errors = compiled.error_pointers(&event);
                assert!(
                    errors.contains(&entry.pointer),
                    "invalid/{name} ({log_type}) should fail at {:?} ({}), failed at {errors:?}",
                    entry.pointer,
                    entry.why
                );
            }
            // Without a string log_type no event type applies: the place is log_type itself.
            None => assert_eq!(entry.pointer, "/log_type", "invalid/{name}"),
        }
    }
}

#[test]
fn every_event_type_has_at_least_three_invalid_fixtures() {
    let stated: BTreeMap<String, InvalidEntry> = index("invalid");
    for (log_type, _) in EVENT_TYPES {
        let count = stated
            .keys()
            .filter(|name| read_json("invalid", name)["log_type"] == *log_type)
            .count();
        assert!(count >= 3, "{log_type} has {count} invalid fixtures");
    }
}

#[test]
fn strict_reading_gives_the_stated_verdicts() {
    let strict = Compiled::new(Reading::Strict);
    let stated: BTreeMap<String, ValidEntry> = index("valid");
    let files = all_json("valid");
    assert_eq!(
        files.len(),
        stated.len(),
        "valid/index.json lists every valid fixture"
    );
    let mut rejected = 0;
    for (name, event) in files {
        let entry = &stated[&name];
        let mut errors = strict.error_pointers(&event);
        errors.sort();
        errors.dedup();
        let mut expected = entry.pointers.clone();
        expected.sort();
        assert_eq!(
            entry.strict,
            errors.is_empty(),
            "valid/{name}: strict errors at {errors:?}"
        );
        assert_eq!(
            errors, expected,
            "valid/{name}: strict fails exactly at the stated places"
        );
        rejected += usize::from(!entry.strict);
    }
    assert!(
        rejected >= 5,
        "the strict reading must reject the quirk fixtures"
    );
}

#[test]
fn strict_reading_still_rejects_every_invalid_fixture() {
    let strict = Compiled::new(Reading::Strict);
    for (name, event) in all_json("invalid") {
        assert!(
            !strict.union().is_valid(&event),
            "invalid/{name} accepted in the strict reading"
        );
    }
}

#[test]
fn unknown_event_types_are_not_in_the_union() {
    let compiled = Compiled::new(Reading::Tolerant);
    for (name, event) in all_json("unknown_type") {
        assert!(
            !compiled.union().is_valid(&event),
            "unknown_type/{name} accepted by the union"
        );
        let log_type = event["log_type"]
            .as_str()
            .expect("unknown_type fixtures have a string log_type");
        assert!(
            compiled.event_type(log_type).is_none(),
            "{log_type} is a known type"
        );
    }
}

#[test]
fn every_schema_example_is_valid_in_its_own_schema() {
    let compiled = Compiled::new(Reading::Tolerant);
    let values = schema_values(Reading::Tolerant);
    for (log_type, file) in EVENT_TYPES {
        let examples = values[file]["examples"].as_array().expect("examples");
        assert!(!examples.is_empty(), "{file} has the doc's example");
        for example in examples {
            assert_eq!(example["log_type"], *log_type);
            let errors = compiled.error_pointers(example);
            assert!(errors.is_empty(), "{file} example rejected at {errors:?}");
        }
    }
}

/// Resolves a local or common `$ref` of a property to the schema it names.
fn resolve<'a>(
    values: &'a BTreeMap<&'static str, Value>,
    file: &str,
    schema: &'a Value,
) -> Vec<&'a Value> {
    let mut chain = vec![schema];
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let (target_file, pointer) = reference.split_once('#').expect("refs have a fragment");
        let target_file = if target_file.is_empty() {
            file
        } else {
            target_file
        };
        let target = values[target_file]
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{reference} resolves"));
        chain.extend(resolve(values, target_file, target));
    }
    chain
}

/// The JSON types a schema (with its `$ref` chain) allows: the intersection of every `type` on the chain.
fn allowed_types(chain: &[&Value]) -> Vec<String> {
    let all = [
        "string", "number", "integer", "null", "boolean", "object", "array",
    ];
    let mut allowed: Vec<String> = all.iter().map(|s| s.to_string()).collect();
    for schema in chain {
        let types: Option<Vec<String>> = match schema.get("type") {
            Some(Value::String(t)) => Some(vec![t.clone()]),
            Some(Value::Array(ts)) => Some(
                ts.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ),
            _ => None,
        };
        if let Some(types) = types {
            allowed.retain(|t| {
                types.contains(t) || (t == "integer" && types.contains(&"number".to_owned()))
            });
        }
        if let Some(constant) = schema.get("const") {
            let t = match constant {
                Value::String(_) => "string",
                _ => "other",
            };
            allowed.retain(|a| a == t);
        }
    }
    allowed
}

#[test]
fn every_documented_field_is_a_property_with_its_documented_type_in_the_strict_reading() {
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures("").join("documented-fields.json")).unwrap(),
    )
    .unwrap();
    let strict = schema_values(Reading::Strict);
    for (log_type, file) in EVENT_TYPES {
        let documented = table[log_type]
            .as_object()
            .unwrap_or_else(|| panic!("{log_type} in the table"));
        let properties = strict[file]["properties"].as_object().expect("properties");
        for (field, doc_type) in documented {
            let property = properties
                .get(field)
                .unwrap_or_else(|| panic!("{file} lacks documented field {field}"));
            assert!(
                property.get("description").is_some(),
                "{file}: {field} has no description"
            );
            let allowed = allowed_types(&resolve(&strict, file, property));
            let fits = match doc_type.as_str().unwrap() {
                "String" => allowed.iter().any(|t| t == "string"),
                "Number" => allowed.iter().any(|t| t == "number" || t == "integer"),
                "Null" => allowed == ["null"],
                other => panic!("unknown documented type {other}"),
            };
            let only_documented = allowed.iter().all(|t| match doc_type.as_str().unwrap() {
                "String" => t == "string" || t == "null",
                "Number" => t == "number" || t == "integer",
                _ => t == "null",
            });
            assert!(
                fits && only_documented,
                "{file}: {field} is {doc_type} in the doc, {allowed:?} in the strict reading"
            );
        }
        // And the strict reading has no property the doc does not list,
        // except those it forbids outright (`"x-strict": {"not": {}}`: sent,
        // so typed, but not in the doc's table, like `severity` on activity
        // events).
        for (field, property) in properties {
            let forbidden = property.get("not") == Some(&serde_json::json!({}));
            assert!(
                documented.contains_key(field) != forbidden,
                "{file}: {field} is {} the doc's table{}",
                if forbidden { "in" } else { "not in" },
                if forbidden {
                    " but forbidden by the strict reading"
                } else {
                    ""
                }
            );
        }
    }
}

#[test]
fn malformed_doc_bodies_fail_to_parse_at_their_stated_line() {
    let stated: BTreeMap<String, MalformedEntry> = index("malformed");
    assert_eq!(stated.len(), 3);
    for (name, entry) in stated {
        let text = std::fs::read_to_string(fixtures("malformed").join(&name)).unwrap();
        let error = serde_json::from_str::<Value>(&text).expect_err(&name);
        assert_eq!(
            error.line(),
            entry.line,
            "malformed/{name}: {error} ({})",
            entry.why
        );
    }
}

#[test]
fn the_ndjson_capture_holds_only_accepted_events() {
    let compiled = Compiled::new(Reading::Tolerant);
    let text = std::fs::read_to_string(fixtures("captures").join("events.ndjson")).unwrap();
    let mut known = 0;
    for (number, line) in text.lines().enumerate() {
        let event: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", number + 1));
        let log_type = event["log_type"].as_str().expect("log_type");
        if let Some(validator) = compiled.event_type(log_type) {
            assert!(validator.is_valid(&event), "line {} rejected", number + 1);
            known += 1;
        }
    }
    assert!(known >= 20);
}
