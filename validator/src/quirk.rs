//! Quirk forms: values of a documented field that only the tolerant reading accepts.
//!
//! A field whose schema carries `x-strict` somewhere has two readings, and a
//! value is a quirk form when the tolerant one accepts it and the strict one
//! does not. Every such field of every event is checked, so the check is
//! prepared once per field:
//!
//! - `null`, the most common quirk (documented fields sent as null), is one
//!   value: its answer is worked out when the field is compiled.
//! - When every `x-strict` overlay on the field is a lone `type` (all of them
//!   are, in the shipped schemas: `{"type": "string"}` beside
//!   `["string", "null"]`), a value the tolerant reading accepts passes the
//!   strict reading exactly when its JSON type is among the overlays' types:
//!   the other keywords are the same in both readings, and `type` asserts
//!   nothing else. The check is then a type test, not a schema evaluation.
//! - Otherwise the field's two compiled validators decide.

use aperture_events_schema::reading::STRICT;
use serde_json::Value;

use crate::doc::{Doc, Fast};

/// The quirk form a value takes, as counted: cheap to compare, named for the
/// report by [`Field::quirk_name`](crate::fields::Field::quirk_name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quirk {
    /// An undocumented spelling: the index in the field's `quirk_values`.
    Spelling(usize),
    /// A value only the tolerant reading accepts, by its JSON type (`null`, `integer`, `string`...).
    Type(&'static str),
    /// An empty string only the tolerant reading accepts.
    EmptyString,
}

/// A field's schema compiled in both readings, and what can be decided without them.
#[derive(Debug)]
pub struct QuirkCheck {
    /// The documented contract.
    pub strict: jsonschema::Validator<Fast>,
    /// What traffic really sends.
    pub tolerant: jsonschema::Validator<Fast>,
    /// Whether `null` is a quirk form of the field.
    null_is_quirk: bool,
    /// The types the strict reading allows, when its overlays on this field are lone `type`s.
    strict_types: Option<TypeSet>,
}

impl QuirkCheck {
    /// Pairs the two readings of a field whose schema is made of `parts` (the
    /// field's schema object and the objects its `$ref`s lead to).
    pub fn new(
        strict: jsonschema::Validator<Fast>,
        tolerant: jsonschema::Validator<Fast>,
        parts: &[&Value],
    ) -> Self {
        let null_is_quirk = !strict.is_valid(&Doc::Null) && tolerant.is_valid(&Doc::Null);
        QuirkCheck {
            strict,
            tolerant,
            null_is_quirk,
            strict_types: type_only_overlays(parts),
        }
    }

    /// Whether `value` is a quirk form: accepted by the tolerant reading only.
    /// `tolerant_valid` says the caller knows the tolerant reading accepts it.
    pub fn is_quirk(&self, value: &Doc<'_>, tolerant_valid: bool) -> bool {
        match (value, &self.strict_types) {
            (Doc::Null, _) => self.null_is_quirk,
            (_, Some(types)) if tolerant_valid => !types.accepts(value),
            _ => !self.strict.is_valid(value) && (tolerant_valid || self.tolerant.is_valid(value)),
        }
    }

    /// Decides `value` with the two compiled validators, without the shortcuts.
    #[cfg(test)]
    pub(crate) fn is_quirk_by_schema(&self, value: &Doc<'_>) -> bool {
        !self.strict.is_valid(value) && self.tolerant.is_valid(value)
    }
}

/// A set of JSON Schema type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TypeSet(u8);

const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

impl TypeSet {
    const ALL: TypeSet = TypeSet(0x7f);

    /// The set a `type` keyword names (a string or an array of strings); `None` for anything else.
    fn of(keyword: &Value) -> Option<TypeSet> {
        let bit = |name: &str| TYPE_NAMES.iter().position(|t| *t == name).map(|i| 1u8 << i);
        match keyword {
            Value::String(name) => bit(name).map(TypeSet),
            Value::Array(names) => names.iter().try_fold(TypeSet(0), |set, name| {
                Some(TypeSet(set.0 | bit(name.as_str()?)?))
            }),
            _ => None,
        }
    }

    /// Whether `type` with these names accepts `value` (`integer` takes
    /// integral numbers, `number` all). Bits in the order of [`TYPE_NAMES`].
    fn accepts(self, value: &Doc<'_>) -> bool {
        const INTEGER: u8 = 1 << 2;
        const NUMBER: u8 = 1 << 3;
        let bit = match value {
            Doc::Null => 1,
            Doc::Bool(_) => 1 << 1,
            Doc::Number(_) if value.type_name() == "integer" => INTEGER,
            Doc::Number(_) => NUMBER,
            Doc::String(_) => 1 << 4,
            Doc::Array(_) => 1 << 5,
            Doc::Object(_) => 1 << 6,
        };
        self.0 & bit != 0 || (bit == INTEGER && self.0 & NUMBER != 0)
    }
}

/// The types the strict reading allows when every `x-strict` overlay in
/// `parts` is an object holding `type` alone, and no overlay sits deeper in
/// them (where the shortcut's reasoning would not hold); `None` otherwise.
fn type_only_overlays(parts: &[&Value]) -> Option<TypeSet> {
    let mut allowed = TypeSet::ALL;
    for part in parts {
        let Value::Object(map) = part else {
            return None;
        };
        for (key, value) in map {
            if key == STRICT {
                let overlay = value.as_object()?;
                if overlay.len() != 1 {
                    return None;
                }
                allowed = TypeSet(allowed.0 & TypeSet::of(overlay.get("type")?)?.0);
            } else if holds_overlay(value) {
                return None;
            }
        }
    }
    Some(allowed)
}

/// Whether an `x-strict` key appears anywhere in `value`.
fn holds_overlay(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, value)| key == STRICT || holds_overlay(value)),
        Value::Array(items) => items.iter().any(holds_overlay),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_lone_type_overlays_give_a_type_set() {
        let nullable = json!({"type": ["string", "null"], "x-strict": {"type": "string"}});
        assert_eq!(
            type_only_overlays(&[&nullable]),
            TypeSet::of(&json!("string"))
        );
        let two = json!({"$ref": "a", "x-strict": {"type": ["string", "integer"]}});
        let target = json!({"type": ["string", "integer", "null"], "x-strict": {"type": "string"}});
        assert_eq!(
            type_only_overlays(&[&two, &target]),
            TypeSet::of(&json!("string"))
        );
        for other in [
            json!({"x-strict": {"type": "string", "minLength": 1}}),
            json!({"x-strict": {"enum": ["a"]}}),
            json!({"x-strict": {"type": "text"}}),
            json!({"anyOf": [{"x-strict": {"type": "string"}}]}),
            json!(true),
        ] {
            assert_eq!(type_only_overlays(&[&other]), None, "{other}");
        }
    }

    #[test]
    fn integer_takes_integral_numbers_and_number_takes_all() {
        let integer = TypeSet::of(&json!("integer")).unwrap();
        let number = TypeSet::of(&json!("number")).unwrap();
        let one = Doc::Number(serde_json::Number::from_f64(1.0).unwrap());
        let half = Doc::Number(serde_json::Number::from_f64(0.5).unwrap());
        assert!(integer.accepts(&one) && !integer.accepts(&half));
        assert!(number.accepts(&one) && number.accepts(&half));
        assert!(!integer.accepts(&Doc::Null));
    }
}
