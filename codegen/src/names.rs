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

use std::collections::BTreeSet;

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
    taken: BTreeSet<String>,
}

impl FieldNames {
    /// The Rust field name for a JSON property; `2`, `3`, ... are appended
    /// when two properties convert to the same name.
    pub fn field(&mut self, json_name: &str) -> Ident {
        let mut base = snake_case(json_name).unwrap_or_else(|| "field".to_owned());
        if NOT_RAW.contains(&base.as_str()) {
            base.push('_');
        }
        let name = self.claim(&base);
        escape_keyword(name)
    }

    /// Claims `base`, or `base_2`, `base_3`, ... when taken.
    fn claim(&mut self, base: &str) -> String {
        let mut candidate = base.to_owned();
        let mut n = 2;
        let separator = if base.ends_with('_') { "" } else { "_" };
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{separator}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// The name of the field keeping unknown properties: `extras`, unless a
    /// property already took it.
    pub fn extras(&mut self) -> Ident {
        Ident::plain(self.claim("extras"))
    }

    /// The private field keeping how each value was written (spellings,
    /// number forms): `received`, unless a property already took it.
    pub fn received(&mut self) -> Ident {
        Ident::plain(self.claim("received"))
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
    taken: BTreeSet<String>,
}

impl TypeNames {
    /// An allocator where `reserved` (names the generated runtime uses) are
    /// already taken, as are the prelude's types.
    pub fn new(reserved: &[&str]) -> Self {
        let taken = PRELUDE_TYPES
            .iter()
            .chain(reserved)
            .map(|s| (*s).to_owned())
            .collect();
        TypeNames { taken }
    }

    /// A type name from the first candidate that converts to a name (title,
    /// then key); on a collision, prefixed with `scope` (the enclosing type
    /// or file), then numbered.
    pub fn claim(&mut self, candidates: &[&str], scope: &str) -> String {
        let base = candidates
            .iter()
            .find_map(|c| pascal_case(c))
            .unwrap_or_else(|| "Type".to_owned());
        let mut candidate = base.clone();
        if self.taken.contains(&candidate) {
            candidate = format!("{}{base}", pascal_case(scope).unwrap_or_default());
        }
        if self.taken.contains(&candidate) {
            candidate = format!("{base}Type");
        }
        let stem = candidate.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// Variant names for the values of an enumeration, in the values' order.
///
/// A value spelled exactly like its Rust name keeps it (`Company`); other
/// spellings of the same name get a suffix telling their case (`COMPANY` →
/// `CompanyUpper`, `file` → `FileLower`), then a number. `reserved` holds
/// names the enum already uses (its catch-all `Other`).
pub fn variant_names(values: &[&str], reserved: &[&str]) -> Vec<String> {
    let bases: Vec<String> = values
        .iter()
        .map(|v| match pascal_case(v) {
            Some(base) => base,
            None if v.is_empty() => "Empty".to_owned(),
            None => "Value".to_owned(),
        })
        .collect();
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    let mut names: Vec<Option<String>> = vec![None; values.len()];
    // Pass one: exact spellings claim their base name.
    for (i, value) in values.iter().enumerate() {
        if *value == bases[i] && !taken.contains(&bases[i]) {
            taken.insert(bases[i].clone());
            names[i] = Some(bases[i].clone());
        }
    }
    // Pass two: every other value, in order.
    for (i, value) in values.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let base = &bases[i];
        let mut candidate = base.clone();
        if taken.contains(&candidate) {
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
        while taken.contains(&candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        names[i] = Some(candidate);
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
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
}
