//! The example service as a user runs it: the binary listens on
//! 127.0.0.1:0, judges batches of the repository's fixture events with the
//! verdicts their directories name, and serves the OpenAPI document aide
//! generates from the types. Its answers validate against that document, and
//! its `LogEvent` component gives the fixtures the source schema's verdicts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aperture_events_openapi_service::{OPENAPI_PATH, VERDICTS_PATH, Verdicts, openapi};
use aperture_events_validator::Class;
use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The service, killed when dropped.
struct Service {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Service {
    fn start(args: &[&str]) -> Service {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aperture-events-openapi-service"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the service starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the first line gives the address: {line:?}"))
            .to_owned();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Service { child, url, agent }
    }

    /// Status and body of a POST of `body` (JSON) to `path`.
    fn post(&self, path: &str, body: &str) -> (u16, String) {
        let mut response = self
            .agent
            .post(&format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .send(body)
            .unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), text)
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.url))
            .call()
            .unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), text)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fixture event: its file, its text as written, the class its directory
/// names, and (for an invalid one) the pointer `index.json` says is wrong.
struct Fixture {
    name: String,
    text: String,
    class: Class,
    pointer: Option<String>,
}

/// Every single-event fixture of `tests/fixtures/{valid,invalid,unknown_type}`.
fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for (dir, class) in [
        ("valid", Class::Valid),
        ("invalid", Class::Invalid),
        ("unknown_type", Class::UnknownType),
    ] {
        let dir = repo().join("tests/fixtures").join(dir);
        let index: Value = std::fs::read_to_string(dir.join("index.json"))
            .map(|text| serde_json::from_str(&text).unwrap())
            .unwrap_or(Value::Null);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".json") && name != "index.json")
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let pointer = (class == Class::Invalid).then(|| {
                let pointer = index[&name]["pointer"].as_str();
                pointer
                    .unwrap_or_else(|| panic!("{name}: no pointer in index.json"))
                    .to_owned()
            });
            out.push(Fixture {
                name,
                text,
                class,
                pointer,
            });
        }
    }
    out
}

/// The batch of the fixtures' texts as written (`1.0`, repeated keys and all),
/// then a value that is not an event.
fn batch(fixtures: &[Fixture]) -> String {
    let mut items: Vec<&str> = fixtures.iter().map(|f| f.text.trim()).collect();
    items.push("42");
    format!("[{}]", items.join(",\n"))
}

/// A validator of the document's component `name`.
fn component(document: &Value, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": document["components"],
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the component compiles")
}

#[test]
fn the_service_gives_each_fixture_the_verdict_its_directory_names() {
    let fixtures = fixtures();
    let valid = fixtures.iter().filter(|f| f.class == Class::Valid).count();
    let unknown = fixtures
        .iter()
        .filter(|f| f.class == Class::UnknownType)
        .count();
    assert!(valid >= 20 && fixtures.len() - valid - unknown >= 25 && unknown >= 2);

    let service = Service::start(&[]);
    let (status, body) = service.post(VERDICTS_PATH, &batch(&fixtures));
    assert_eq!(status, 200, "{body}");
    let answer: Verdicts = serde_json::from_str(&body).unwrap();
    assert_eq!(answer.verdicts.len(), fixtures.len() + 1);
    for (i, (fixture, verdict)) in fixtures.iter().zip(&answer.verdicts).enumerate() {
        let name = &fixture.name;
        assert_eq!(verdict.index, i);
        assert_eq!(verdict.class, fixture.class, "{name}: {verdict:?}");
        assert_eq!(verdict.accepted, fixture.class != Class::Invalid, "{name}");
        assert_eq!(verdict.problems.is_empty(), verdict.accepted, "{name}");
        if let Some(pointer) = &fixture.pointer {
            assert!(
                verdict
                    .problems
                    .iter()
                    .any(|p| p.pointer.as_str() == pointer),
                "{name}: no problem at {pointer:?}: {verdict:?}"
            );
        }
    }
    let last = answer.verdicts.last().unwrap();
    assert_eq!((last.class, last.accepted), (Class::Malformed, false));
    // The tolerant reading: events of an unknown type are accepted.
    assert_eq!(answer.accepted, valid + unknown);
    assert_eq!(answer.refused, fixtures.len() + 1 - valid - unknown);

    // The answer is what the document says it is.
    let document = openapi();
    let verdicts = component(&document, "Verdicts");
    let answer: Value = serde_json::from_str(&body).unwrap();
    if let Err(error) = verdicts.validate(&answer) {
        panic!("the answer does not match the document's Verdicts: {error}");
    }
    // A schema that accepts anything would pass that: not this one.
    assert!(!verdicts.is_valid(&json!({"accepted": 1, "refused": 0, "verdicts": [{}]})));
}

#[test]
fn the_strict_reading_refuses_unknown_types() {
    let fixtures: Vec<Fixture> = fixtures()
        .into_iter()
        .filter(|f| f.class == Class::UnknownType)
        .collect();
    let service = Service::start(&["--strict"]);
    let (status, body) = service.post(VERDICTS_PATH, &batch(&fixtures));
    assert_eq!(status, 200, "{body}");
    let answer: Verdicts = serde_json::from_str(&body).unwrap();
    assert_eq!((answer.accepted, answer.refused), (0, fixtures.len() + 1));
    assert!(
        answer.verdicts[..fixtures.len()]
            .iter()
            .all(|v| v.class == Class::UnknownType && !v.problems.is_empty())
    );
}

#[test]
fn a_body_that_is_not_an_array_is_refused_and_the_service_goes_on() {
    let service = Service::start(&[]);
    for body in ["{oops", "{\"log_type\": \"incident\"}", "", "[1,"] {
        let (status, text) = service.post(VERDICTS_PATH, body);
        assert!((400..500).contains(&status), "{body:?}: {status} {text}");
    }
    let (status, body) = service.post(VERDICTS_PATH, "[]");
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"accepted": 0, "refused": 0, "verdicts": []})
    );
}

#[test]
fn the_service_serves_the_document_generated_from_the_types() {
    let service = Service::start(&[]);
    let (status, body) = service.get(OPENAPI_PATH);
    assert_eq!(status, 200);
    let document: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(document, openapi());
    assert_eq!(document["openapi"], "3.1.0");

    // The request body is an array of LogEvent, and every event type is a component.
    let body = &document["paths"][VERDICTS_PATH]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(
        body,
        &json!({"type": "array", "items": {"$ref": "#/components/schemas/LogEvent"}})
    );
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for name in [
        "LogEvent",
        "Incident",
        "Remediation",
        "PolicyViolation",
        "AdminAudit",
        "ActivityMonitoring",
        "Verdicts",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
    let answer = &document["paths"][VERDICTS_PATH]["post"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(answer, &json!({"$ref": "#/components/schemas/Verdicts"}));

    // LogEvent gives every fixture the source schema's verdict (the export's
    // log_event.schema.json); generated/tests/openapi.sh checks the same with
    // an OpenAPI-aware validator, and the document with the official schema.
    let ours = component(&document, "LogEvent");
    let source: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/export/log_event.schema.json")).unwrap(),
    )
    .unwrap();
    let source = jsonschema::options()
        .should_validate_formats(true)
        .build(&source)
        .unwrap();
    let mut accepted = 0;
    for fixture in fixtures() {
        let event: Value = serde_json::from_str(&fixture.text).unwrap();
        let expected = source.is_valid(&event);
        assert_eq!(ours.is_valid(&event), expected, "{}", fixture.name);
        accepted += usize::from(expected);
    }
    assert!(accepted >= 20, "{accepted}");
}
