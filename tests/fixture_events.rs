//! The fixture events of `tests/fixtures`, for the tests of crates that
//! cannot depend on the tests crate (codegen and the types, which it
//! depends on); each includes this file by path.

use std::path::Path;

use serde_json::Value;

/// The fixture events: every JSON document (array item, bulk body's event,
/// NDJSON line) under tests/fixtures, named `file[index]`, sorted by name.
/// `manifest_dir` is the including crate's, one level below the repository.
pub fn events(manifest_dir: &str) -> Vec<(String, Value)> {
    let root = Path::new(manifest_dir).join("../tests/fixtures");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let docs: Vec<Value> = match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => items,
                Ok(Value::Object(mut bulk)) if bulk.get("events").is_some_and(Value::is_array) => {
                    match bulk.remove("events") {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    }
                }
                Ok(value) => vec![value],
                Err(_) => text
                    .lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect(),
            };
            for (i, doc) in docs.into_iter().enumerate() {
                out.push((format!("{name}[{i}]"), doc));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
