//! The checked-in export (`schema/export/`) is what the export function makes
//! of the schemas today, and it means what the schemas mean: every fixture and
//! captured event gets the same verdict from the exported files as from the
//! source files, in both readings.
//!
//! To refresh a stale export, run the command printed by the failing test, or
//! set `APERTURE_BLESS_EXPORT=1` for one test run (it then writes the files).

use std::collections::BTreeMap;
use std::path::PathBuf;

use aperture_events_codegen::export::{self, Export, MANIFEST, Options};
use aperture_events_schema::embedded::EVENT_TYPES;
use aperture_events_schema::reading::{self, Reading};
use aperture_events_tests::{Compiled, all_json, fixtures, repo_root};
use serde_json::Value;

const FIX: &str =
    "cargo run -p aperture-events-codegen --features cli -- export --out schema/export";

fn export_dir() -> PathBuf {
    repo_root().join("schema").join("export")
}

fn fresh() -> Export {
    Options::new()
        .export(export::embedded())
        .expect("the repository's schemas export")
}

#[test]
fn the_checked_in_export_is_up_to_date() {
    let export = fresh();
    let dir = export_dir();
    if std::env::var_os("APERTURE_BLESS_EXPORT").is_some() {
        export::write(&export, &dir).expect("write schema/export");
    }
    let mut stale = Vec::new();
    for file in &export.files {
        match std::fs::read_to_string(dir.join(&file.name)) {
            Ok(text) if text == file.text => {}
            Ok(_) => stale.push(format!("{} differs", file.name)),
            Err(e) => stale.push(format!("{} cannot be read: {e}", file.name)),
        }
    }
    let listed: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
    for entry in std::fs::read_dir(&dir).expect("schema/export exists") {
        let name = entry
            .expect("directory entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".json") && !listed.contains(&name.as_str()) {
            stale.push(format!(
                "{name} is not part of the export any more: delete it"
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "schema/export is stale:\n  {}\nregenerate it from the repository root with:\n  {FIX}\n",
        stale.join("\n  ")
    );
}

/// Every event of the fixtures and captures, named, known types and unknown alike.
fn every_event() -> Vec<(String, Value)> {
    let mut events = Vec::new();
    for kind in ["valid", "invalid", "unknown_type"] {
        for (name, value) in all_json(kind) {
            events.push((format!("{kind}/{name}"), value));
        }
    }
    let captures = fixtures("captures");
    let ndjson = std::fs::read_to_string(captures.join("events.ndjson")).expect("events.ndjson");
    for (index, line) in ndjson
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let event = serde_json::from_str(line).expect("events.ndjson line is JSON");
        events.push((format!("captures/events.ndjson:{}", index + 1), event));
    }
    let bulk: Value = serde_json::from_str(
        &std::fs::read_to_string(captures.join("bulk.json")).expect("bulk.json"),
    )
    .expect("bulk.json is JSON");
    for (index, event) in bulk["events"]
        .as_array()
        .expect("bulk.json has events")
        .iter()
        .enumerate()
    {
        events.push((format!("captures/bulk.json#/events/{index}"), event.clone()));
    }
    let transcripts =
        std::fs::read_to_string(captures.join("transcripts.http")).expect("transcripts.http");
    for (index, body) in http_bodies(&transcripts).into_iter().enumerate() {
        let event = serde_json::from_str(&body).expect("a transcript body is JSON");
        events.push((format!("captures/transcripts.http#{}", index + 1), event));
    }
    events
}

/// The non-empty bodies of the responses in an HTTP transcript.
fn http_bodies(text: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    let mut body: Option<String> = None;
    let mut in_headers = false;
    for line in text.lines() {
        if line.starts_with("HTTP/") {
            bodies.extend(body.take().filter(|b| !b.trim().is_empty()));
            in_headers = true;
        } else if in_headers && line.trim().is_empty() {
            in_headers = false;
            body = Some(String::new());
        } else if let Some(body) = body.as_mut().filter(|_| !in_headers) {
            body.push_str(line);
            body.push('\n');
        }
    }
    bodies.extend(body.filter(|b| !b.trim().is_empty()));
    bodies
}

/// The exported files of one reading compiled with `jsonschema`, each on its
/// own: no registry, since no reference leaves a file.
fn compile_export(export: &Export, reading: Reading) -> BTreeMap<String, jsonschema::Validator> {
    export
        .files
        .iter()
        .filter(|file| file.name != MANIFEST)
        .map(|file| {
            let value: Value = serde_json::from_str(&file.text).expect("exported file is JSON");
            let value = reading::apply(reading, &value);
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .offline()
                .build(&value)
                .unwrap_or_else(|e| panic!("{} ({reading:?}) does not compile: {e}", file.name));
            (file.name.clone(), validator)
        })
        .collect()
}

#[test]
fn exported_files_pass_the_2020_12_meta_schema() {
    for file in fresh().files.iter().filter(|f| f.name != MANIFEST) {
        let value: Value = serde_json::from_str(&file.text).unwrap();
        if let Err(error) = jsonschema::meta::validate(&value) {
            panic!(
                "{} fails the meta-schema at {}: {error}",
                file.name,
                error.instance_path()
            );
        }
    }
}

#[test]
fn the_export_gives_every_event_the_verdicts_of_the_source_schemas() {
    let export = fresh();
    let events = every_event();
    assert!(events.len() > 80, "only {} events", events.len());
    for reading in [Reading::Tolerant, Reading::Strict] {
        let source = Compiled::new(reading);
        let exported = compile_export(&export, reading);
        let union = &exported["log_event.schema.json"];
        for (name, event) in &events {
            assert_eq!(
                union.is_valid(event),
                source.union().is_valid(event),
                "{name} ({reading:?}): the exported union disagrees with the source union"
            );
            for (log_type, file) in EVENT_TYPES {
                let validator = source.event_type(log_type).expect("compiled type");
                assert_eq!(
                    exported[*file].is_valid(event),
                    validator.is_valid(event),
                    "{name} ({reading:?}): exported {file} disagrees with the source"
                );
            }
        }
    }
}

#[test]
fn the_transcript_reader_finds_every_body() {
    let text = "HTTP/1.1 204 No Content\nA: b\n\nHTTP/1.1 200 OK\nC: d\n\n{\n \"x\": 1\n}\nHTTP/1.1 204 No Content\n\n";
    assert_eq!(http_bodies(text), ["{\n \"x\": 1\n}\n"]);
}
