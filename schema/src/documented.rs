//! The documented-field tables: for each event type, the fields its schema
//! lists, with what the `x-` vocabulary says of each.
//!
//! The validator's drift report and the tests that compare the schemas with
//! the vendor's field tables both start here, so they agree on what
//! "documented" means: a field is documented when its event type's schema
//! lists it under `properties` (the strict reading allows nothing else).

use serde_json::Value;

use crate::reading::{KNOWN_VALUES, QUIRK_VALUES, STRICT};
use crate::set::SchemaSet;

/// One documented field of an event type.
#[derive(Debug, Clone)]
pub struct DocumentedField<'a> {
    /// The field's name.
    pub name: &'a str,
    /// The schema objects making up the field: its own, then what its `$ref`s
    /// point to, transitively (a chain of at most eight references).
    pub parts: Vec<&'a Value>,
    /// `x-known-values`, when the field is an open value set.
    pub known_values: Option<Vec<&'a str>>,
    /// `x-quirk-values`: known spellings the vendor's doc does not use.
    pub quirk_values: Vec<&'a str>,
    /// Whether the two readings differ on it (`x-strict` in one of its parts).
    pub has_quirk: bool,
}

/// The documented fields of the schema `doc` of `set`, in file order.
pub fn fields(set: &SchemaSet, doc: usize) -> Vec<DocumentedField<'_>> {
    let Some(properties) = set
        .documents()
        .get(doc)
        .and_then(|d| d.value.get("properties"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, schema)| {
            let parts = parts(set, doc, schema);
            let strings = |key: &str| -> Option<Vec<&str>> {
                let list = parts.iter().find_map(|p| p.get(key)?.as_array())?;
                Some(list.iter().filter_map(Value::as_str).collect())
            };
            DocumentedField {
                name,
                known_values: strings(KNOWN_VALUES),
                quirk_values: strings(QUIRK_VALUES).unwrap_or_default(),
                has_quirk: parts.iter().any(|p| p.get(STRICT).is_some()),
                parts,
            }
        })
        .collect()
}

/// The schema objects making up a field: itself and what its `$ref`s point to.
fn parts<'a>(set: &'a SchemaSet, doc: usize, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = vec![schema];
    let (mut base, mut current) = (doc, schema);
    // A chain of references is short in practice; the bound stops cycles.
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some((next_base, target)) = set.resolve_value(base, reference) else {
            break;
        };
        out.push(target);
        (base, current) = (next_base, target);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposure_is_an_open_set_with_quirk_spellings_through_its_ref() {
        let set = SchemaSet::embedded().expect("stock");
        let (_, incident) = set
            .event_types()
            .into_iter()
            .find(|(t, _)| *t == "incident")
            .expect("incident");
        let table = fields(&set, incident);
        let exposure = table
            .iter()
            .find(|f| f.name == "exposure")
            .expect("exposure");
        assert!(exposure.parts.len() > 1, "reached through a $ref");
        let known = exposure.known_values.as_ref().expect("open value set");
        assert!(known.contains(&"Public") && known.contains(&"PUBLIC"));
        assert!(exposure.quirk_values.contains(&"PUBLIC"));
        let log_type = table
            .iter()
            .find(|f| f.name == "log_type")
            .expect("log_type");
        assert!(log_type.known_values.is_none() && log_type.quirk_values.is_empty());
    }
}
