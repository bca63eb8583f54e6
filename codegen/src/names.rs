//! Every Rust name the generator writes is decided here.
//!
//! Case conversion, keyword escaping, collisions between names, and whether a
//! JSON name differs from its Rust name all live in this one module, with a
//! unit test per edge case (prost-build's `ident.rs` does the same). Other
//! stages never build a name by hand.
//!
//! # Design
//! Names are restricted to ASCII letters, digits and `_`, so every name this
//! module hands out is a valid identifier and `proc_macro2::Ident::new` can
//! never panic on it. Collisions are settled in a fixed order (schema order),
//! so the same schemas always give the same names.
//!
//! A name that is not simply its schema text converted (a number or suffix
//! added to settle a collision, a prefix to step aside for a reserved name, an
//! invented name for text with no ASCII letter or digit) is never silent: each
//! allocator records a [`Rename`], which lowering turns into a warning naming
//! the file and pointer and the `x-rust-*` keyword that chooses the name:
//! `x-rust-name` (a type), `x-rust-field-names` (an object's fields),
//! `x-rust-variant-names` (an enumeration's variants). A chosen name is
//! checked here ([`check_chosen`]) and never mangled: if it cannot be had, it
//! is an error.

use std::collections::BTreeMap;

mod case;
mod generated;
mod rename;
#[cfg(test)]
mod tests;
mod types;

#[cfg(test)]
use case::words;
pub use case::{pascal_case, screaming_snake_case, snake_case};
pub use generated::{
    DATE_TIME_NAME, OTHER_VALUE_NAME, OUT_OF_RANGE_NAME, format_check, invalid_date_time,
    pattern_static, struct_check, suffixed, tag_accessor, tag_const, tags_const,
};
use rename::KEYWORD;
pub use rename::{NameKind, Rename, check_chosen};
pub use types::TypeNames;

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A Rust identifier for a field: its text and whether it must be written raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    /// The identifier without any `r#` prefix.
    pub name: String,
    /// Whether it is a keyword that must be written `r#name`.
    pub raw: bool,
}

impl Ident {
    /// An identifier that needs no escaping.
    pub fn plain(name: impl Into<String>) -> Self {
        Ident {
            name: name.into(),
            raw: false,
        }
    }
}

/// Whether a name is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Escapes a snake-case name that is a keyword: raw where Rust allows it
/// (`type` → `r#type`), a trailing `_` where it does not (`self` → `self_`).
fn escape_keyword(name: String) -> Ident {
    if NOT_RAW.contains(&name.as_str()) {
        Ident::plain(format!("{name}_"))
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident { name, raw: true }
    } else {
        Ident::plain(name)
    }
}

/// Hands out distinct field names inside one struct.
#[derive(Debug, Default)]
pub struct FieldNames {
    /// Names handed out, each with who holds it (for warnings).
    taken: BTreeMap<String, String>,
    /// Names chosen in the schema (`x-rust-field-names`), by property.
    chosen: BTreeMap<String, String>,
    /// Associated constant names handed out, each with its property.
    constants: BTreeMap<String, String>,
    renames: Vec<Rename>,
}

impl FieldNames {
    /// An allocator honouring the names chosen in `x-rust-field-names`
    /// (property → field name), which are reserved before any other name is
    /// handed out. Gives the reason of each chosen name refused.
    pub fn with_chosen(chosen: &BTreeMap<String, String>) -> Result<Self, Vec<String>> {
        let mut names = FieldNames::default();
        let mut problems = Vec::new();
        for (json, name) in chosen {
            if let Err(why) = check_chosen(NameKind::Field, name) {
                problems.push(format!("property {json:?}: {why}"));
            } else if let Some(other) = names.taken.get(name) {
                problems.push(format!(
                    "property {json:?}: chosen name `{name}` is also chosen for {other}"
                ));
            } else {
                names
                    .taken
                    .insert(name.clone(), format!("property {json:?}"));
                names.chosen.insert(json.clone(), name.clone());
            }
        }
        if problems.is_empty() {
            Ok(names)
        } else {
            Err(problems)
        }
    }

    /// The Rust field name for a JSON property: the chosen one, or its
    /// `snake_case`, with `_2`, `_3`, ... appended when two properties convert
    /// to the same name (recorded as a [`Rename`]).
    pub fn field(&mut self, json_name: &str) -> Ident {
        if let Some(chosen) = self.chosen.get(json_name) {
            return escape_keyword(chosen.clone());
        }
        let wanted = snake_case(json_name).map(|mut base| {
            if NOT_RAW.contains(&base.as_str()) {
                base.push('_');
            }
            base
        });
        let base = wanted.clone().unwrap_or_else(|| "field".to_owned());
        let taken_by = self.taken.get(&base).cloned();
        let name = self.claim(&base, format!("property {json_name:?}"));
        if wanted.as_deref() != Some(name.as_str()) {
            self.renames.push(Rename {
                kind: NameKind::Field,
                text: json_name.to_owned(),
                wanted,
                given: name.clone(),
                taken_by,
            });
        }
        escape_keyword(name)
    }

    /// The associated constant holding the `const` value of a property:
    /// the `SCREAMING_SNAKE_CASE` of its chosen field name or of its name,
    /// with `_` appended while taken (recorded as a [`Rename`]).
    pub fn constant(&mut self, json_name: &str) -> String {
        let wanted = match self.chosen.get(json_name) {
            Some(chosen) => Some(chosen.to_ascii_uppercase()),
            None => screaming_snake_case(json_name),
        };
        let base = wanted.clone().unwrap_or_else(|| "VALUE".to_owned());
        let taken_by = self.constants.get(&base).cloned();
        let mut name = base;
        while self.constants.contains_key(&name) {
            name.push('_');
        }
        self.constants
            .insert(name.clone(), format!("property {json_name:?}"));
        if wanted.as_deref() != Some(name.as_str()) {
            self.renames.push(Rename {
                kind: NameKind::Constant,
                text: json_name.to_owned(),
                wanted,
                given: name.clone(),
                taken_by,
            });
        }
        name
    }

    /// Claims `base`, or `base_2`, `base_3`, ... when taken.
    fn claim(&mut self, base: &str, holder: String) -> String {
        let mut candidate = base.to_owned();
        let mut n = 2;
        let separator = if base.ends_with('_') { "" } else { "_" };
        while self.taken.contains_key(&candidate) {
            candidate = format!("{base}{separator}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone(), holder);
        candidate
    }

    /// The name of the field keeping unknown properties: `extras`, unless a
    /// property already took it.
    pub fn extras(&mut self) -> Ident {
        Ident::plain(self.claim("extras", "the unknown properties' map".to_owned()))
    }

    /// The private field keeping how each value was written (spellings,
    /// number forms): `received`, unless a property already took it.
    pub fn received(&mut self) -> Ident {
        Ident::plain(self.claim("received", "the received spellings".to_owned()))
    }

    /// The renames so far, in order, leaving none behind.
    pub fn take_renames(&mut self) -> Vec<Rename> {
        std::mem::take(&mut self.renames)
    }
}

/// Whether the JSON name must be spelled out for serde because the Rust name
/// differs (our generated impls always write the JSON name; this tells docs
/// and readers when the two differ).
pub fn needs_rename(json_name: &str, ident: &Ident) -> bool {
    json_name != ident.name
}

/// Variant names for the values of an enumeration, in the values' order.
///
/// A value spelled exactly like its Rust name keeps it (`Company`); other
/// spellings of the same name get a suffix telling their case (`COMPANY` →
/// `CompanyUpper`, `file` → `FileLower`), then a number. `reserved` holds
/// names the enum already uses (its catch-all `Other`).
pub fn variant_names(values: &[&str], reserved: &[&str]) -> Vec<String> {
    match variants(values, reserved, &BTreeMap::new()) {
        Ok((names, _)) => names,
        // Unreachable: with nothing chosen, nothing can be refused.
        Err(_) => Vec::new(),
    }
}

/// Variant names for the values of an enumeration (see [`variant_names`]),
/// honouring the names chosen in `x-rust-variant-names` (value → variant),
/// with a [`Rename`] for every name that is not its value's conversion.
/// Gives the reason of each chosen name refused (a name Rust refuses, a
/// value that is not in `values`, a name chosen twice or reserved).
pub fn variants(
    values: &[&str],
    reserved: &[&str],
    chosen: &BTreeMap<String, String>,
) -> Result<(Vec<String>, Vec<Rename>), Vec<String>> {
    // `Self` converts from `self` but cannot name a variant.
    let mut taken: BTreeMap<String, String> = reserved
        .iter()
        .map(|s| {
            (
                (*s).to_owned(),
                "a variant the generated code uses".to_owned(),
            )
        })
        .chain([("Self".to_owned(), KEYWORD.to_owned())])
        .collect();
    let mut names: Vec<Option<String>> = vec![None; values.len()];
    let mut problems = Vec::new();
    // Pass zero: chosen names.
    for (value, name) in chosen {
        let Some(i) = values.iter().position(|v| v == value) else {
            problems.push(format!("{value:?} is not a value of this enumeration"));
            continue;
        };
        if let Err(why) = check_chosen(NameKind::Variant, name) {
            problems.push(format!("value {value:?}: {why}"));
        } else if let Some(holder) = taken.get(name) {
            problems.push(format!(
                "value {value:?}: chosen name `{name}` is already {holder}"
            ));
        } else {
            taken.insert(name.clone(), format!("value {value:?}"));
            names[i] = Some(name.clone());
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let bases: Vec<Option<String>> = values.iter().map(|v| pascal_case(v)).collect();
    let fallback = |i: usize| match &bases[i] {
        Some(base) => base.clone(),
        None if values[i].is_empty() => "Empty".to_owned(),
        None => "Value".to_owned(),
    };
    // Pass one: exact spellings claim their base name.
    for (i, value) in values.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let base = fallback(i);
        if *value == base && !taken.contains_key(&base) {
            taken.insert(base.clone(), format!("value {value:?}"));
            names[i] = Some(base);
        }
    }
    // Pass two: every other value, in order.
    let mut renames = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let base = fallback(i);
        let taken_by = taken.get(&base).cloned();
        let mut candidate = base.clone();
        if taken.contains_key(&candidate) {
            let letters = value.chars().filter(|c| c.is_ascii_alphabetic());
            let suffix = if letters.clone().count() > 0
                && letters.clone().all(|c| c.is_ascii_uppercase())
            {
                "Upper"
            } else if letters.clone().count() > 0 && letters.clone().all(|c| c.is_ascii_lowercase())
            {
                "Lower"
            } else if letters.clone().count() > 0 {
                "Value"
            } else {
                ""
            };
            candidate = format!("{base}{suffix}");
        }
        let stem = candidate.clone();
        let mut n = 2;
        while taken.contains_key(&candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        taken.insert(candidate.clone(), format!("value {value:?}"));
        if bases[i].as_deref() != Some(candidate.as_str()) {
            renames.push(Rename {
                kind: NameKind::Variant,
                text: (*value).to_owned(),
                wanted: bases[i].clone(),
                given: candidate.clone(),
                taken_by,
            });
        }
        names[i] = Some(candidate);
    }
    Ok((
        names.into_iter().map(Option::unwrap_or_default).collect(),
        renames,
    ))
}
