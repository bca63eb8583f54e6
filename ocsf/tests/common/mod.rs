//! What the conformance tests share: the vendored class JSON Schemas, the
//! checks they cannot make, and the repository's events.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use aperture_events_ocsf::ocsf_doc::{Attribute, Doc};
use aperture_events_validator::Locus;
use aperture_events_validator::input::{self, Sink};
use serde_json::Value;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn repo() -> PathBuf {
    crate_dir()
        .parent()
        .expect("the crate is in the workspace")
        .to_owned()
}

/// The vendored OCSF document (the subset of the compiled one).
pub static DOC: LazyLock<Doc> = LazyLock::new(Doc::vendored);

/// The class JSON Schemas, compiled, by class_uid.
pub static SCHEMAS: LazyLock<BTreeMap<i64, (String, jsonschema::Validator)>> =
    LazyLock::new(|| {
        let dir = crate_dir().join("vendor/ocsf-1.8.0/json-schema");
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("vendored JSON Schemas") {
            let path = entry.expect("entry").path();
            let name = path
                .file_stem()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            let uid = DOC.classes[&name].uid;
            out.insert(
                uid,
                (name, jsonschema::validator_for(&schema).expect("compiles")),
            );
        }
        out
    });

/// Every problem of an OCSF event: its class JSON Schema, then what the
/// schema cannot check (type_uid, captions, profiles, version).
pub fn problems(event: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(uid) = event["class_uid"].as_i64() else {
        return vec!["no class_uid".to_owned()];
    };
    let class_name = DOC
        .classes
        .iter()
        .find(|(_, c)| c.uid == uid)
        .map(|(n, _)| n.clone());
    let Some(class_name) = class_name else {
        return vec![format!("class_uid {uid} is not a vendored class")];
    };
    match SCHEMAS.get(&uid) {
        Some((_, validator)) => out.extend(
            validator
                .iter_errors(event)
                .map(|e| format!("{}: {e}", e.instance_path())),
        ),
        // Base Event has no JSON Schema in the reference: its own checks only.
        None => assert_eq!(uid, 0, "a mapped class without its JSON Schema"),
    }
    let activity = event["activity_id"].as_i64().unwrap_or(-1);
    if event["type_uid"].as_i64() != Some(uid * 100 + activity) {
        out.push(format!(
            "type_uid {} is not {uid} × 100 + {activity}",
            event["type_uid"]
        ));
    }
    if event["metadata"]["version"] != "1.8.0" {
        out.push("metadata.version is not 1.8.0".to_owned());
    }
    if event["metadata"]["profiles"] != serde_json::json!([]) {
        out.push("metadata.profiles is not [] (the export uses no profile)".to_owned());
    }
    let class = &DOC.classes[&class_name];
    let type_caption = class.attributes["type_uid"]
        .enum_
        .as_ref()
        .and_then(|e| e.get(&event["type_uid"].to_string()));
    if type_caption.map(String::as_str) != event["type_name"].as_str() {
        out.push(format!(
            "type_name {} is not the caption of type_uid",
            event["type_name"]
        ));
    }
    walk(event, &class.attributes, "", &mut out);
    out
}

fn sibling(name: &str) -> Option<String> {
    Some(match name {
        "class_uid" => "class_name".to_owned(),
        "category_uid" => "category_name".to_owned(),
        "activity_id" => "activity_name".to_owned(),
        "type_uid" => return None,
        other => other.strip_suffix("_id")?.to_owned(),
    })
}

fn walk(value: &Value, attributes: &BTreeMap<String, Attribute>, at: &str, out: &mut Vec<String>) {
    let Some(members) = value.as_object() else {
        return;
    };
    for (name, v) in members {
        let path = format!("{at}/{name}");
        let Some(attribute) = attributes.get(name) else {
            continue;
        };
        if !attribute.profiles.is_empty() {
            out.push(format!(
                "{path}: of the profiles {:?}, not in metadata.profiles",
                attribute.profiles
            ));
        }
        if let (Some(captions), Some(sib)) = (&attribute.enum_, sibling(name)) {
            match (members.get(&sib), captions.get(&v.to_string())) {
                (None, _) => {}
                (Some(text), _) if v == &Value::from(99) => {
                    if text.as_str().is_none_or(str::is_empty) {
                        out.push(format!("{at}/{sib}: empty with {name} 99"));
                    }
                }
                (Some(text), Some(caption)) if text == caption => {}
                (Some(text), caption) => out.push(format!(
                    "{at}/{sib}: {text} is not the caption {caption:?} of {name} {v}"
                )),
            }
        }
        if name == "unmapped" {
            continue;
        }
        if let Some(object) = attribute
            .object_type
            .as_ref()
            .and_then(|o| DOC.objects.get(o))
        {
            match v {
                Value::Array(items) => items
                    .iter()
                    .for_each(|i| walk(i, &object.attributes, &path, out)),
                other => walk(other, &object.attributes, &path, out),
            }
        }
    }
}

/// One record read from an input, with its place.
pub struct Record {
    pub place: String,
    pub bytes: Vec<u8>,
}

struct Collect {
    name: String,
    records: Vec<Record>,
}

impl Sink for Collect {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        let place = aperture_events_validator::Place::new(self.name.as_str(), locus).to_string();
        self.records.push(Record {
            place,
            bytes: bytes.to_vec(),
        });
    }
    fn malformed(&mut self, _: Locus, _: String) {}
    fn no_event(&mut self, _: Locus) {}
    fn error_response(&mut self, _: Locus, _: u16) {}
}

/// Every record of the files under `dir`, read as the validator reads them.
pub fn records(dir: &Path) -> Vec<Record> {
    let (sources, errors) = input::expand(&[dir.to_owned()]);
    assert!(errors.is_empty(), "{errors:?}");
    let mut out = Vec::new();
    for source in sources {
        let input::Source::File(path) = &source else {
            continue;
        };
        if path.file_name().is_some_and(|n| n == "index.json") {
            continue;
        }
        let mut sink = Collect {
            name: source.name(),
            records: Vec::new(),
        };
        input::read(std::fs::File::open(path).expect("open"), &mut sink).expect("read");
        out.extend(sink.records);
    }
    out
}

/// The fast path (`Converter::convert_json_to`) writes exactly the line
/// the `Value` converter's event serializes to (or gives the same skip or
/// error, writing nothing), for `text` and for equivalent texts that take
/// its other branches: every `/` escaped (strings no longer borrowed), the
/// text laid out on lines (whitespace between tokens, in `raw_data`), and
/// a duplicate `log_type` and `timestamp` in front (the last one counts).
pub fn assert_fast_path_agrees(converter: &aperture_events_ocsf::Converter, text: &[u8]) {
    use aperture_events_ocsf::{Converted, Written};
    let escaped = String::from_utf8_lossy(text).replace('/', "\\/");
    let mut texts = vec![text.to_vec(), escaped.into_bytes()];
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(text) {
        // A newline of pretty JSON is never inside a string.
        let laid_out = serde_json::to_string_pretty(&value).expect("serializes");
        texts.push(laid_out.replace('\n', "\r\n\t").into_bytes());
    }
    let trimmed = String::from_utf8_lossy(text).trim_start().to_owned();
    if let Some(rest) = trimmed.strip_prefix('{') {
        texts.push(format!(r#"{{"log_type":7,"timestamp":"x", {rest}"#).into_bytes());
    }
    for text in texts {
        let shown = String::from_utf8_lossy(&text).into_owned();
        let mut line = b"kept".to_vec();
        let fast = converter.convert_json_to(&text, &mut line);
        match (fast, converter.convert_json(&text)) {
            (Ok(Written::Event { class_uid }), Ok(Converted::Event(event))) => {
                let slow = serde_json::to_string(&event).expect("serializes");
                assert_eq!(String::from_utf8_lossy(&line[4..]), slow, "{shown}");
                assert_eq!(Some(class_uid), event["class_uid"].as_i64(), "{shown}");
            }
            (Ok(Written::Skipped { log_type: a }), Ok(Converted::Skipped { log_type: b })) => {
                assert_eq!(a, b, "{shown}");
                assert_eq!(line, b"kept", "{shown}");
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{shown}");
                assert_eq!(line, b"kept", "{shown}");
            }
            (fast, slow) => panic!("{shown}: the fast path gave {fast:?}, the Value path {slow:?}"),
        }
    }
}
