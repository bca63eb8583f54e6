//! Each event type's documented fields, precomputed for the drift report.
//!
//! Drift is counted for every event, so it must be cheap: one pass over the
//! event's keys against a sorted table of the type's documented fields, with
//! the known values, quirk spellings and (where the two readings differ) a
//! compiled check of the field in each reading prepared once per run.

use aperture_events_codegen::reading::{KNOWN_VALUES, QUIRK_VALUES, Reading, STRICT};
use serde_json::Value;

use crate::doc::{Doc, Fast};
use crate::parse::pointer;
use crate::schemas::{SchemaError, SchemaFile, SchemaSet};

/// One documented field of an event type.
#[derive(Debug)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// `x-known-values`, when the field is an open value set.
    pub known_values: Option<Vec<String>>,
    /// `x-quirk-values`: known spellings the doc does not use.
    pub quirk_values: Vec<String>,
    /// The field's schema in both readings, when they differ (`x-strict` somewhere in it).
    pub quirk_check: Option<QuirkCheck>,
}

/// A field's schema compiled in both readings.
#[derive(Debug)]
pub struct QuirkCheck {
    /// The documented contract.
    pub strict: jsonschema::Validator<Fast>,
    /// What traffic really sends.
    pub tolerant: jsonschema::Validator<Fast>,
}

impl Field {
    /// The quirk form `value` takes in this field, if any: a value only the
    /// tolerant reading accepts (described by its JSON type), or a quirk spelling.
    pub fn quirk_form(&self, value: &Doc<'_>) -> Option<String> {
        if let Doc::String(s) = value {
            if self.quirk_values.iter().any(|q| q == s) {
                return Some(format!("spelling {s}"));
            }
        }
        let check = self.quirk_check.as_ref()?;
        if !check.strict.is_valid(value) && check.tolerant.is_valid(value) {
            let name = value.type_name();
            return Some(if matches!(value, Doc::String(s) if s.is_empty()) {
                "empty string".to_owned()
            } else {
                name.to_owned()
            });
        }
        None
    }

    /// Whether `value` is a string outside the known values of an open set.
    pub fn is_unknown_value(&self, value: &Doc<'_>) -> bool {
        match (&self.known_values, value) {
            (Some(known), Doc::String(s)) => !known.iter().any(|k| k == s),
            _ => false,
        }
    }
}

/// The documented fields of one event type, sorted by name.
///
/// # Design
/// Every key of every event is looked up here, so the lookup is a small
/// open-addressing hash table (a hash of the name's length and three of its
/// bytes, then linear probing) and one string comparison, instead of a binary
/// search costing several.
#[derive(Debug, Default)]
pub struct FieldTable {
    fields: Vec<Field>,
    /// `SLOTS` slots holding a field index, or `EMPTY`.
    slots: Vec<u16>,
}

const SLOTS: usize = 1024;
const EMPTY: u16 = u16::MAX;

/// A cheap hash of a field name, spread over the slots.
#[inline]
fn slot_of(name: &[u8]) -> usize {
    let (len, first, last, mid) = match name {
        [] => (0, 0, 0, 0),
        [first, .., last] => (
            name.len(),
            *first as usize,
            *last as usize,
            name[name.len() / 2] as usize,
        ),
        [only] => (1, *only as usize, *only as usize, *only as usize),
    };
    (len.wrapping_mul(131) ^ first.wrapping_mul(31) ^ last.wrapping_mul(7) ^ mid.wrapping_mul(17))
        % SLOTS
}

/// Compiles a field reference (`{"$ref": "<id>#/properties/<field>"}`) in a reading.
pub(crate) type BuildField<'a> =
    dyn Fn(&Value, Reading) -> Result<jsonschema::Validator<Fast>, SchemaError> + 'a;

impl FieldTable {
    /// The table of `file`'s `properties`.
    pub(crate) fn new(
        set: &SchemaSet,
        file: &SchemaFile,
        build: &BuildField<'_>,
    ) -> Result<Self, SchemaError> {
        let mut fields = Vec::new();
        let Some(properties) = file.value.get("properties").and_then(Value::as_object) else {
            return Ok(FieldTable {
                fields: Vec::new(),
                slots: vec![EMPTY; SLOTS],
            });
        };
        for (name, schema) in properties {
            let parts = parts(set, file, schema);
            let strings = |key: &str| -> Option<Vec<String>> {
                let list = parts.iter().find_map(|p| p.get(key)?.as_array())?;
                Some(
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                )
            };
            let quirk_check = if parts.iter().any(|p| p.get(STRICT).is_some()) {
                let field_ref = serde_json::json!({
                    "$ref": format!("{}#/properties{}", file.id, pointer(std::slice::from_ref(name)))
                });
                Some(QuirkCheck {
                    strict: build(&field_ref, Reading::Strict)?,
                    tolerant: build(&field_ref, Reading::Tolerant)?,
                })
            } else {
                None
            };
            fields.push(Field {
                name: name.clone(),
                known_values: strings(KNOWN_VALUES),
                quirk_values: strings(QUIRK_VALUES).unwrap_or_default(),
                quirk_check,
            });
        }
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        let mut slots = vec![EMPTY; SLOTS];
        // Schemas document a few dozen fields per type; a table that is mostly
        // empty keeps probes short. More fields than that are searched instead.
        if fields.len() <= SLOTS / 2 {
            for (i, field) in fields.iter().enumerate() {
                let mut slot = slot_of(field.name.as_bytes());
                while slots[slot] != EMPTY {
                    slot = (slot + 1) % SLOTS;
                }
                slots[slot] = i as u16;
            }
        }
        Ok(FieldTable { fields, slots })
    }

    /// The index of the field named `name`.
    #[inline]
    pub fn position(&self, name: &str) -> Option<usize> {
        if self.fields.len() > SLOTS / 2 {
            return self
                .fields
                .binary_search_by(|f| f.name.as_str().cmp(name))
                .ok();
        }
        let mut slot = slot_of(name.as_bytes());
        loop {
            let index = *self.slots.get(slot)?;
            if index == EMPTY {
                return None;
            }
            let field = self.fields.get(index as usize)?;
            if field.name == name {
                return Some(index as usize);
            }
            slot = (slot + 1) % SLOTS;
        }
    }

    /// The fields, sorted by name.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The number of documented fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the type documents no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// The schema objects making up a field: itself and what its `$ref`s point to, transitively.
fn parts<'a>(set: &'a SchemaSet, file: &'a SchemaFile, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = vec![schema];
    let (mut base, mut current) = (file, schema);
    // A chain of references is short in practice; the bound stops cycles.
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some((next_base, target)) = set.resolve(base, reference) else {
            break;
        };
        out.push(target);
        (base, current) = (next_base, target);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::schemas::{Compiled, SchemaSet};
    use aperture_events_codegen::reading::Reading;

    #[test]
    fn every_documented_field_is_found_and_nothing_else() {
        let compiled = Compiled::new(&SchemaSet::embedded().unwrap(), Reading::Tolerant).unwrap();
        for ty in &compiled.types {
            for (i, field) in ty.fields.fields().iter().enumerate() {
                assert_eq!(
                    ty.fields.position(&field.name),
                    Some(i),
                    "{}.{}",
                    ty.log_type,
                    field.name
                );
            }
            for other in [
                "",
                "x",
                "remoteAddress",
                "log_typ",
                "log_type_",
                "timestamp\0",
            ] {
                assert_eq!(
                    ty.fields.position(other),
                    None,
                    "{}: {other:?}",
                    ty.log_type
                );
            }
        }
    }
}
