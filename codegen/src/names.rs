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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

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

/// Names from the prelude and `std` that generated code uses unqualified; a
/// schema type must not shadow them.
const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "Debug",
    "Hash",
    "Serialize",
    "Deserialize",
    "Self",
];

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

/// What a [`Rename`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// A type (struct, enum, union), from a `title`, `$defs` key or property name.
    Type,
    /// A struct field, from a property name.
    Field,
    /// An enum variant, from an enumeration value.
    Variant,
}

impl NameKind {
    /// The `x-rust-*` keyword choosing this kind of name, and where it goes.
    pub fn keyword(self) -> &'static str {
        match self {
            NameKind::Type => "`x-rust-name` on the schema",
            NameKind::Field => "`x-rust-field-names` on the object schema",
            NameKind::Variant => "`x-rust-variant-names` on the enumeration's schema",
        }
    }
}

/// The holder of a name that is a keyword (`Self`), in [`Rename::taken_by`].
const KEYWORD: &str = "a rust keyword";

/// A name given instead of the one the schema text converts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// What is named.
    pub kind: NameKind,
    /// The schema text the name comes from: a property name, an enumeration
    /// value, or a type's `title`, `$defs` key or property name.
    pub text: String,
    /// The name the text converts to, or `None` when it has no ASCII letter or digit.
    pub wanted: Option<String>,
    /// The name given.
    pub given: String,
    /// Who holds `wanted` (`property "item_size"`, `a name the generated code uses`).
    pub taken_by: Option<String>,
}

impl Rename {
    /// The warning text: lowercase, no trailing period, the schema text
    /// quoted with escapes (it may hold control characters), and the keyword
    /// that chooses the name.
    pub fn message(&self) -> String {
        let mut out = match self.kind {
            NameKind::Type => format!("the type for {:?} is named `{}`", self.text, self.given),
            NameKind::Field => format!("property {:?} becomes field `{}`", self.text, self.given),
            NameKind::Variant => format!("value {:?} becomes variant `{}`", self.text, self.given),
        };
        match (&self.wanted, self.taken_by.as_deref()) {
            (Some(wanted), Some(KEYWORD)) => {
                let _ = write!(out, ": `{wanted}` is a rust keyword");
            }
            (Some(wanted), Some(by)) => {
                let _ = write!(out, ": `{wanted}` is taken by {by}");
            }
            (Some(wanted), None) => {
                let _ = write!(out, ": `{wanted}` is taken");
            }
            (None, _) => out.push_str(": the text has no ascii letter or digit to name it by"),
        }
        let _ = write!(out, "; choose the name with {}", self.kind.keyword());
        out
    }
}

/// Checks a name chosen in the schema (`x-rust-*`): it must be exactly what
/// the generator would make of it (`UpperCamelCase` for types and variants,
/// `snake_case` for fields), so the generated code stays lint-clean, and not
/// a name Rust refuses. Gives the reason it is refused.
pub fn check_chosen(kind: NameKind, name: &str) -> Result<(), String> {
    let converted = match kind {
        NameKind::Type | NameKind::Variant => pascal_case(name),
        NameKind::Field => snake_case(name),
    };
    let case = match kind {
        NameKind::Type | NameKind::Variant => "UpperCamelCase",
        NameKind::Field => "snake_case",
    };
    if converted.as_deref() != Some(name) {
        return Err(match converted {
            Some(suggestion) => {
                format!("chosen name {name:?} is not {case} ascii (`{suggestion}` would do)")
            }
            None => format!("chosen name {name:?} is not a rust identifier"),
        });
    }
    if NOT_RAW.contains(&name) || (kind != NameKind::Field && is_keyword(name)) {
        return Err(format!("chosen name `{name}` is a rust keyword"));
    }
    Ok(())
}

/// Splits text into words: at every character that is not an ASCII letter or
/// digit, and at case changes (`itemSize` → `item`, `Size`; `HTTPServer` →
/// `HTTP`, `Server`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        let chars: Vec<char> = chunk.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0 && c.is_ascii_uppercase() && {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `UpperCamelCase` of text, for type and variant names; `None` when the text
/// has no ASCII letter or digit.
pub fn pascal_case(text: &str) -> Option<String> {
    let mut out = String::new();
    for word in words(text) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    Some(out)
}

/// `snake_case` of text, for field names; `None` when the text has no ASCII
/// letter or digit.
pub fn snake_case(text: &str) -> Option<String> {
    let out = words(text)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("n{out}"));
    }
    Some(out)
}

/// `SCREAMING_SNAKE_CASE` of text, for associated constants.
pub fn screaming_snake_case(text: &str) -> Option<String> {
    snake_case(text).map(|s| s.to_ascii_uppercase())
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

/// Hands out distinct type names across one generated module.
#[derive(Debug)]
pub struct TypeNames {
    /// Names handed out, each with who holds it (for warnings).
    taken: BTreeMap<String, String>,
    /// Names some schema chooses with `x-rust-name`, kept from the others.
    chosen: BTreeSet<String>,
    renames: Vec<Rename>,
}

impl TypeNames {
    /// An allocator where `reserved` (names the generated runtime uses) are
    /// already taken, as are the prelude's types.
    pub fn new(reserved: &[&str]) -> Self {
        let prelude = PRELUDE_TYPES
            .iter()
            .map(|s| ((*s).to_owned(), "a name of the rust prelude".to_owned()));
        let runtime = reserved.iter().map(|s| {
            (
                (*s).to_owned(),
                "a type the generated code defines".to_owned(),
            )
        });
        TypeNames {
            taken: prelude.chain(runtime).collect(),
            chosen: BTreeSet::new(),
            renames: Vec::new(),
        }
    }

    /// Keeps `names` (every `x-rust-name` of the schemas) for the schemas
    /// choosing them: [`claim`](Self::claim) hands them to no one else.
    pub fn reserve_chosen<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) {
        self.chosen.extend(names.into_iter().map(str::to_owned));
    }

    /// Gives the chosen name `name` to the schema at `place`, or says why it cannot.
    pub fn choose(&mut self, name: &str, place: &str) -> Result<String, String> {
        check_chosen(NameKind::Type, name)?;
        if let Some(holder) = self.taken.get(name) {
            return Err(format!("chosen name `{name}` is already {holder}"));
        }
        self.taken
            .insert(name.to_owned(), format!("the type of {place}"));
        Ok(name.to_owned())
    }

    /// A type name from the first candidate that converts to a name (title,
    /// then key); on a collision, prefixed with `scope` (the enclosing type
    /// or file), then numbered.
    pub fn claim(&mut self, candidates: &[&str], scope: &str) -> String {
        self.claim_at(candidates, scope, "")
    }

    /// [`claim`](Self::claim) for the schema at `place` (`file#pointer`,
    /// shown in the warning of a later schema that wanted the same name); a
    /// name other than the candidate's conversion is recorded as a [`Rename`].
    pub fn claim_at(&mut self, candidates: &[&str], scope: &str, place: &str) -> String {
        let found = candidates
            .iter()
            .find_map(|c| pascal_case(c).map(|name| (*c, name)));
        let text = found
            .as_ref()
            .map(|(text, _)| *text)
            .or_else(|| candidates.first().copied())
            .unwrap_or_default();
        let wanted = found.map(|(_, name)| name);
        let base = wanted.clone().unwrap_or_else(|| "Type".to_owned());
        let is_taken = |names: &Self, name: &str| {
            names.taken.contains_key(name) || names.chosen.contains(name)
        };
        let mut candidate = base.clone();
        if is_taken(self, &candidate) {
            candidate = format!("{}{base}", pascal_case(scope).unwrap_or_default());
        }
        if is_taken(self, &candidate) {
            candidate = format!("{base}Type");
        }
        let stem = candidate.clone();
        let mut n = 2;
        while is_taken(self, &candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        if wanted.as_deref() != Some(candidate.as_str()) {
            let taken_by = self.taken.get(&base).cloned().or_else(|| {
                self.chosen
                    .contains(&base)
                    .then(|| "a schema choosing it with `x-rust-name`".to_owned())
            });
            self.renames.push(Rename {
                kind: NameKind::Type,
                text: text.to_owned(),
                wanted,
                given: candidate.clone(),
                taken_by,
            });
        }
        let holder = if place.is_empty() {
            format!("the type for {text:?}")
        } else {
            format!("the type of {place}")
        };
        self.taken.insert(candidate.clone(), holder);
        candidate
    }

    /// The renames so far, in order, leaving none behind.
    pub fn take_renames(&mut self) -> Vec<Rename> {
        std::mem::take(&mut self.renames)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_and_case_changes() {
        assert_eq!(words("log_type"), ["log", "type"]);
        assert_eq!(words("itemSize"), ["item", "Size"]);
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("Business Justified"), ["Business", "Justified"]);
        assert_eq!(words("sha256Sum"), ["sha256", "Sum"]);
        assert_eq!(words("--"), Vec::<String>::new());
    }

    #[test]
    fn pascal_case_of_titles_and_values() {
        assert_eq!(
            pascal_case("ActivityMonitoring").as_deref(),
            Some("ActivityMonitoring")
        );
        assert_eq!(
            pascal_case("not available").as_deref(),
            Some("NotAvailable")
        );
        assert_eq!(pascal_case("COMPANY").as_deref(), Some("Company"));
        assert_eq!(pascal_case("sign_in").as_deref(), Some("SignIn"));
        assert_eq!(pascal_case("3d").as_deref(), Some("V3d"));
        assert_eq!(pascal_case("é"), None);
        assert_eq!(pascal_case(""), None);
    }

    #[test]
    fn snake_case_of_properties() {
        assert_eq!(snake_case("log_type").as_deref(), Some("log_type"));
        assert_eq!(snake_case("itemSize").as_deref(), Some("item_size"));
        assert_eq!(snake_case("item-size").as_deref(), Some("item_size"));
        assert_eq!(snake_case("2fa").as_deref(), Some("n2fa"));
        assert_eq!(
            screaming_snake_case("log_type").as_deref(),
            Some("LOG_TYPE")
        );
    }

    #[test]
    fn keywords_become_raw_or_get_an_underscore() {
        let mut names = FieldNames::default();
        assert_eq!(
            names.field("type"),
            Ident {
                name: "type".into(),
                raw: true
            }
        );
        assert_eq!(names.field("self"), Ident::plain("self_"));
        assert_eq!(names.field("Self"), Ident::plain("self_2"));
        assert_eq!(names.field("crate"), Ident::plain("crate_"));
    }

    #[test]
    fn colliding_fields_are_numbered_in_order() {
        let mut names = FieldNames::default();
        assert_eq!(names.field("item_size"), Ident::plain("item_size"));
        assert_eq!(names.field("itemSize"), Ident::plain("item_size_2"));
        assert_eq!(names.field("item-size"), Ident::plain("item_size_3"));
        assert_eq!(names.field("%%"), Ident::plain("field"));
    }

    #[test]
    fn extras_field_steps_aside_for_a_property_named_extras() {
        let mut names = FieldNames::default();
        assert_eq!(names.field("extras"), Ident::plain("extras"));
        assert_eq!(names.extras(), Ident::plain("extras_2"));
    }

    #[test]
    fn rename_needed_only_when_names_differ() {
        assert!(!needs_rename("log_type", &Ident::plain("log_type")));
        assert!(needs_rename("itemSize", &Ident::plain("item_size")));
        assert!(!needs_rename(
            "type",
            &Ident {
                name: "type".into(),
                raw: true
            }
        ));
    }

    #[test]
    fn type_names_avoid_the_prelude_and_each_other() {
        let mut names = TypeNames::new(&["DateTime"]);
        assert_eq!(names.claim(&["Severity"], "common"), "Severity");
        assert_eq!(names.claim(&["severity"], "incident"), "IncidentSeverity");
        assert_eq!(names.claim(&["Severity"], "incident"), "SeverityType");
        assert_eq!(names.claim(&["Severity"], "incident"), "SeverityType2");
        assert_eq!(names.claim(&["String"], "x"), "XString");
        assert_eq!(names.claim(&["DateTime"], ""), "DateTimeType");
        assert_eq!(names.claim(&["", "item_size"], ""), "ItemSize");
        assert_eq!(names.claim(&["%"], ""), "Type");
    }

    #[test]
    fn variants_keep_exact_spellings_and_suffix_other_cases() {
        assert_eq!(
            variant_names(&["Public", "Company", "PUBLIC", "COMPANY"], &["Other"]),
            ["Public", "Company", "PublicUpper", "CompanyUpper"]
        );
        assert_eq!(
            variant_names(&["file", "File", "FILE"], &["Other"]),
            ["FileLower", "File", "FileUpper"]
        );
        assert_eq!(variant_names(&["file", "FILE"], &[]), ["File", "FileUpper"]);
        assert_eq!(
            variant_names(&["super_admin", "not available"], &[]),
            ["SuperAdmin", "NotAvailable"]
        );
    }

    #[test]
    fn variants_step_aside_for_the_catch_all_and_odd_values() {
        assert_eq!(
            variant_names(&["Other", "other"], &["Other"]),
            ["OtherValue", "OtherLower"]
        );
        assert_eq!(
            variant_names(&["", "é", "ü"], &[]),
            ["Empty", "Value", "Value2"]
        );
        assert_eq!(
            variant_names(&["a-b", "a_b", "A B"], &[]),
            ["AB", "ABLower", "ABUpper"]
        );
    }

    #[test]
    fn self_never_names_a_variant() {
        assert_eq!(
            variant_names(&["self", "Self", "SELF"], &[]),
            ["SelfLower", "SelfValue", "SelfUpper"]
        );
    }

    #[test]
    fn hostile_text_still_gives_identifiers() {
        let mut names = FieldNames::default();
        for text in [
            "", "_", "__", "\r", "\u{0}", "🦀", "1st", "r#type", "super", "a\rb",
        ] {
            let ident = names.field(text);
            let ok = ident
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !ident.name.starts_with(|c: char| c.is_ascii_digit())
                && ident.name != "_"
                && !NOT_RAW.contains(&ident.name.as_str());
            assert!(ok, "{text:?} gave {ident:?}");
        }
        let values = ["", "_", "🦀", "1", "\u{202e}", "a\rb"];
        for name in variant_names(&values, &["Other"]) {
            let ok = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
                && name != "Self";
            assert!(ok, "{name}");
        }
        let mut types = TypeNames::new(&[]);
        assert_eq!(types.claim(&["self", "crate"], ""), "SelfType");
        assert_eq!(types.claim(&["\r"], ""), "Type");
    }

    #[test]
    fn every_collision_is_a_rename() {
        let (names, renames) = variants(
            &["not available", "Not Available"],
            &["Other"],
            &BTreeMap::new(),
        )
        .expect("nothing chosen");
        assert_eq!(names, ["NotAvailable", "NotAvailableValue"]);
        assert_eq!(
            renames,
            [Rename {
                kind: NameKind::Variant,
                text: "Not Available".into(),
                wanted: Some("NotAvailable".into()),
                given: "NotAvailableValue".into(),
                taken_by: Some("value \"not available\"".into()),
            }]
        );
        let mut fields = FieldNames::default();
        fields.field("item_size");
        fields.field("itemSize");
        fields.field("🦀");
        let renames = fields.take_renames();
        let given: Vec<(&str, Option<&str>)> = renames
            .iter()
            .map(|r| (r.given.as_str(), r.taken_by.as_deref()))
            .collect();
        assert_eq!(
            given,
            [
                ("item_size_2", Some("property \"item_size\"")),
                ("field", None)
            ]
        );
        assert!(fields.take_renames().is_empty(), "taken once");
        let mut types = TypeNames::new(&[]);
        types.claim_at(
            &["Severity"],
            "common",
            "common.schema.json#/$defs/severity",
        );
        types.claim_at(
            &["severity"],
            "incident",
            "incident.schema.json#/properties/severity",
        );
        let renames = types.take_renames();
        assert_eq!(renames.len(), 1);
        assert_eq!(
            renames[0].message(),
            "the type for \"severity\" is named `IncidentSeverity`: `Severity` is taken by \
             the type of common.schema.json#/$defs/severity; choose the name with `x-rust-name` on the schema"
        );
    }

    #[test]
    fn names_converting_to_themselves_are_no_renames() {
        let (_, renames) = variants(
            &["Public", "internal", "sign_in"],
            &["Other"],
            &BTreeMap::new(),
        )
        .expect("nothing chosen");
        assert!(renames.is_empty(), "{renames:?}");
        let mut fields = FieldNames::default();
        for text in ["type", "self", "logType", "extras"] {
            fields.field(text);
        }
        fields.extras();
        assert!(
            fields.take_renames().is_empty(),
            "keyword escapes and the generator's own names are no renames"
        );
    }

    #[test]
    fn chosen_names_win_and_are_checked() {
        let chosen: BTreeMap<String, String> =
            [("Not Available".to_owned(), "Unavailable".to_owned())].into();
        let (names, renames) =
            variants(&["not available", "Not Available"], &["Other"], &chosen).expect("valid");
        assert_eq!(names, ["NotAvailable", "Unavailable"]);
        assert!(renames.is_empty());
        let bad: BTreeMap<String, String> = [
            ("a".to_owned(), "Other".to_owned()),
            ("b".to_owned(), "not_camel".to_owned()),
            ("zzz".to_owned(), "Zzz".to_owned()),
        ]
        .into();
        let problems = variants(&["a", "b"], &["Other"], &bad).expect_err("refused");
        assert_eq!(
            problems,
            [
                "value \"a\": chosen name `Other` is already a variant the generated code uses",
                "value \"b\": chosen name \"not_camel\" is not UpperCamelCase ascii (`NotCamel` would do)",
                "\"zzz\" is not a value of this enumeration",
            ]
        );
        let chosen: BTreeMap<String, String> =
            [("itemSize".to_owned(), "item_size".to_owned())].into();
        let mut fields = FieldNames::with_chosen(&chosen).expect("valid");
        assert_eq!(fields.field("item_size"), Ident::plain("item_size_2"));
        assert_eq!(fields.field("itemSize"), Ident::plain("item_size"));
        let clash: BTreeMap<String, String> = [
            ("a".to_owned(), "x".to_owned()),
            ("b".to_owned(), "x".to_owned()),
        ]
        .into();
        assert_eq!(FieldNames::with_chosen(&clash).expect_err("twice").len(), 1);
        assert_eq!(
            check_chosen(NameKind::Field, "type"),
            Ok(()),
            "written r#type"
        );
        assert!(check_chosen(NameKind::Field, "self").is_err());
        assert!(check_chosen(NameKind::Type, "Self").is_err());
        assert!(check_chosen(NameKind::Type, "HTTPServer").is_err());
        assert!(check_chosen(NameKind::Type, "").is_err());
        let mut types = TypeNames::new(&["Timestamp"]);
        types.reserve_chosen(["Severity"]);
        assert_eq!(types.claim(&["severity"], ""), "SeverityType");
        assert_eq!(types.choose("Severity", "a#"), Ok("Severity".to_owned()));
        assert!(types.choose("Severity", "b#").is_err(), "chosen twice");
        assert!(types.choose("Timestamp", "c#").is_err(), "reserved");
    }
}
