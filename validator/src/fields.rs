//! Each event type's documented fields, precomputed for the drift report.
//!
//! Drift is counted for every event, so it must be cheap: one pass over the
//! event's keys against a table of the type's documented fields
//! ([`StrSet`]), with the known values, quirk spellings and (where the two
//! readings differ) a [`QuirkCheck`] prepared once per run.

use aperture_events_schema::documented;
use aperture_events_schema::reading::Reading;
use aperture_events_schema::{Document, SchemaSet};
use serde_json::Value;

use crate::doc::{Doc, Fast};
use crate::parse::pointer;
use crate::quirk::{Quirk, QuirkCheck};
use crate::strset::StrSet;

/// One documented field of an event type.
#[derive(Debug)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// `x-known-values`, when the field is an open value set.
    pub known_values: Option<StrSet>,
    /// `x-quirk-values`: known spellings the doc does not use.
    pub quirk_values: Vec<String>,
    /// The field's schema in both readings, when they differ (`x-strict` somewhere in it).
    pub quirk_check: Option<QuirkCheck>,
}

impl Field {
    /// The quirk form `value` takes in this field, if any: a value only the
    /// tolerant reading accepts (described by its JSON type), or a quirk spelling.
    ///
    /// `tolerant_valid` says the caller knows the value passes the tolerant
    /// reading (it belongs to an event the tolerant reading accepts), which
    /// spares a check.
    pub fn quirk(&self, value: &Doc<'_>, tolerant_valid: bool) -> Option<Quirk> {
        if let Doc::String(s) = value {
            if let Some(i) = self.quirk_values.iter().position(|q| q == s) {
                return Some(Quirk::Spelling(i));
            }
        }
        let check = self.quirk_check.as_ref()?;
        if !check.is_quirk(value, tolerant_valid) {
            return None;
        }
        Some(match value {
            Doc::String("") => Quirk::EmptyString,
            _ => Quirk::Type(value.type_name()),
        })
    }

    /// How a quirk form is named in reports: `spelling X`, `empty string`, or a JSON type.
    pub fn quirk_name(&self, quirk: Quirk) -> String {
        match quirk {
            Quirk::Spelling(i) => format!(
                "spelling {}",
                self.quirk_values.get(i).map_or("", String::as_str)
            ),
            Quirk::Type(name) => name.to_owned(),
            Quirk::EmptyString => "empty string".to_owned(),
        }
    }

    /// Whether `value` is a string outside the known values of an open set.
    pub fn is_unknown_value(&self, value: &Doc<'_>) -> bool {
        match (&self.known_values, value) {
            (Some(known), Doc::String(s)) => !known.contains(s),
            _ => false,
        }
    }
}

/// The documented fields of one event type, sorted by name.
#[derive(Debug, Default)]
pub struct FieldTable {
    fields: Vec<Field>,
    /// The fields' names, for lookups.
    names: StrSet,
}

/// Compiles a field reference (`{"$ref": "<id>#/properties/<field>"}`) in a
/// reading. Its error is the caller's (the schemas' `SchemaError`), so that
/// this table does not depend on the module that compiles the schemas.
pub(crate) type BuildField<'a, E> =
    dyn Fn(&Value, Reading) -> Result<jsonschema::Validator<Fast>, E> + 'a;

impl FieldTable {
    /// The table of the documented fields of document `doc` of `set`.
    pub(crate) fn new<E>(
        set: &SchemaSet,
        doc: usize,
        build: &BuildField<'_, E>,
    ) -> Result<Self, E> {
        let file: &Document = &set.documents()[doc];
        let mut fields = Vec::new();
        for field in documented::fields(set, doc) {
            let quirk_check = if field.has_quirk {
                let field_ref = serde_json::json!({
                    "$ref": format!("{}#/properties{}", file.id, pointer(&[field.name.to_owned()]))
                });
                Some(QuirkCheck::new(
                    build(&field_ref, Reading::Strict)?,
                    build(&field_ref, Reading::Tolerant)?,
                    &field.parts,
                ))
            } else {
                None
            };
            let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
            fields.push(Field {
                name: field.name.to_owned(),
                known_values: field.known_values.as_deref().map(|k| StrSet::new(owned(k))),
                quirk_values: owned(&field.quirk_values),
                quirk_check,
            });
        }
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        let names = StrSet::new(fields.iter().map(|f| f.name.clone()));
        Ok(FieldTable { fields, names })
    }

    /// The index of the field named `name`.
    #[inline]
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.position(name)
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

#[cfg(test)]
mod tests {
    use crate::schemas::{Compiled, SchemaSet};
    use aperture_events_schema::reading::Reading;

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

    #[test]
    fn the_quirk_shortcuts_agree_with_the_schemas() {
        let compiled = Compiled::new(&SchemaSet::embedded().unwrap(), Reading::Tolerant).unwrap();
        let values: Vec<serde_json::Value> = serde_json::from_str(
            r#"[null, "", "x", "2017-08-14T23:20:57Z", 0, 1, 1.0, 0.5, -1, true, [], {}, ["x"]]"#,
        )
        .unwrap();
        let mut checked = 0;
        for ty in &compiled.types {
            for field in ty.fields.fields() {
                let Some(check) = &field.quirk_check else {
                    continue;
                };
                for value in &values {
                    let text = value.to_string();
                    let arena = bumpalo::Bump::new();
                    let doc = crate::parse::parse(text.as_bytes(), &arena).unwrap();
                    if !check.tolerant.is_valid(&doc) {
                        continue;
                    }
                    checked += 1;
                    assert_eq!(
                        check.is_quirk(&doc, true),
                        check.is_quirk_by_schema(&doc),
                        "{}.{} = {text}",
                        ty.log_type,
                        field.name
                    );
                }
            }
        }
        assert!(checked > 20, "only {checked} values checked");
    }
}
