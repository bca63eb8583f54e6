//! String enumerations: `enum` (closed) and `x-known-values` (open, with a
//! catch-all for any other string).

use aperture_events_schema::vocabulary::keywords::{CASE_INSENSITIVE, KNOWN_VALUES, QUIRK_VALUES};
use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::Value;

use super::{Hint, Lowerer};
use crate::ir::{Item, TypeRef, ValueEnum, Variant};
use crate::load::Location;

/// The catch-all variant of open enumerations.
pub(super) const OTHER: &str = "Other";

impl Lowerer<'_> {
    /// `enum`: a closed enumeration of strings (plus `null`).
    pub(super) fn closed_enum(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        types: Option<&[String]>,
        hint: &Hint,
    ) -> Option<(TypeRef, bool)> {
        let Some(values) = keywords.enumeration.ok() else {
            self.error(location, Some("enum"), "`enum` must be an array");
            return None;
        };
        let has_null = values.iter().any(Value::is_null);
        let strings: Option<Vec<String>> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map(str::to_owned))
            .collect();
        let Some(strings) = strings else {
            self.error(
                location,
                Some("enum"),
                "`enum` values other than strings and null are not supported",
            );
            return None;
        };
        if let Some(types) = types {
            if types.iter().any(|t| t != "string" && t != "null") {
                self.error(
                    location,
                    Some("type"),
                    "`enum` is supported only with type string (and null)",
                );
                return None;
            }
        }
        let type_allows_null = types.is_none_or(|t| t.iter().any(|t| t == "null"));
        let nullable = has_null && type_allows_null;
        let type_allows_string = types.is_none_or(|t| t.iter().any(|t| t == "string"));
        if strings.is_empty() || !type_allows_string {
            if nullable {
                self.error(
                    location,
                    Some("enum"),
                    "an `enum` of `null` alone is not supported",
                );
            } else {
                self.error(location, Some("enum"), "`enum` allows no value");
            }
            return None;
        }
        let name = self.named(location, hint, |this, name| {
            let docs = this.docs(location);
            let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
            let variants = this
                .variant_names(location, "enum", &refs, &[])
                .into_iter()
                .zip(&strings)
                .map(|(name, value)| Variant {
                    name,
                    value: value.clone(),
                    quirk: false,
                    spellings: Vec::new(),
                })
                .collect();
            Some(Item::ClosedEnum(ValueEnum {
                name: name.to_owned(),
                docs,
                variants,
                other: String::new(),
                case_insensitive: false,
            }))
        })?;
        Some((TypeRef::Named(name), nullable))
    }

    /// `x-known-values`: an open enumeration.
    pub(super) fn open_enum(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
    ) -> Option<Item> {
        let known = self.string_list(location, KNOWN_VALUES, &keywords.known_values)?;
        let quirk_values = match keywords.quirk_values {
            Read::Absent => Vec::new(),
            _ => self.string_list(location, QUIRK_VALUES, &keywords.quirk_values)?,
        };
        for value in &quirk_values {
            if !known.contains(value) {
                self.error(
                    location,
                    Some(QUIRK_VALUES),
                    format!("quirk value `{value}` is not in `x-known-values`"),
                );
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for value in &known {
            if !seen.insert(value) {
                self.error(
                    location,
                    Some(KNOWN_VALUES),
                    format!("`{value}` is listed twice"),
                );
                return None;
            }
        }
        let case_insensitive = match keywords.case_insensitive {
            Read::Absent => false,
            Read::Value(flag) => flag,
            Read::Misshapen(_) => {
                self.error(
                    location,
                    Some(CASE_INSENSITIVE),
                    "`x-case-insensitive` must be a boolean",
                );
                return None;
            }
        };
        // A quirk value spelling a documented value (the same letters in
        // another case) is a spelling of it, not a value of its own.
        let documented: Vec<&String> = known.iter().filter(|v| !quirk_values.contains(v)).collect();
        let spells = |value: &String| {
            quirk_values
                .contains(value)
                .then(|| documented.iter().find(|d| d.eq_ignore_ascii_case(value)))
                .flatten()
        };
        let canonical: Vec<&String> = known.iter().filter(|v| spells(v).is_none()).collect();
        if case_insensitive {
            for (i, a) in canonical.iter().enumerate() {
                if let Some(b) = canonical[..i].iter().find(|b| b.eq_ignore_ascii_case(a)) {
                    self.error(
                        location,
                        Some(KNOWN_VALUES),
                        format!("`{a}` and `{b}` are one value in a case-insensitive set: list one in `x-quirk-values`"),
                    );
                    return None;
                }
            }
        }
        let refs: Vec<&str> = canonical.iter().map(|v| v.as_str()).collect();
        let variants = self
            .variant_names(location, KNOWN_VALUES, &refs, &[OTHER])
            .into_iter()
            .zip(&canonical)
            .map(|(variant, value)| Variant {
                name: variant,
                value: (*value).clone(),
                quirk: quirk_values.contains(value),
                spellings: known
                    .iter()
                    .filter(|k| spells(k) == Some(value))
                    .cloned()
                    .collect(),
            })
            .collect();
        let docs = self.docs(location);
        Some(Item::OpenEnum(ValueEnum {
            name: name.to_owned(),
            docs,
            variants,
            other: OTHER.to_owned(),
            case_insensitive,
        }))
    }
}
