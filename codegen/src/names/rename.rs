//! Names given instead of the schema text's conversion, and names chosen in
//! the schema: what a warning about a rename says, and which chosen names
//! Rust and the lints accept.

use std::fmt::Write as _;

use super::{NOT_RAW, is_keyword, pascal_case, snake_case};

/// What a [`Rename`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// A type (struct, enum, union), from a `title`, `$defs` key or property name.
    Type,
    /// A struct field, from a property name.
    Field,
    /// An enum variant, from an enumeration value.
    Variant,
    /// The associated constant holding a property's `const` value.
    Constant,
}

impl NameKind {
    /// The `x-rust-*` keyword choosing this kind of name, and where it goes.
    pub fn keyword(self) -> &'static str {
        match self {
            NameKind::Type => "`x-rust-name` on the schema",
            NameKind::Field | NameKind::Constant => "`x-rust-field-names` on the object schema",
            NameKind::Variant => "`x-rust-variant-names` on the enumeration's schema",
        }
    }
}

/// The holder of a name that is a keyword (`Self`), in [`Rename::taken_by`].
pub(super) const KEYWORD: &str = "a rust keyword";

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
            NameKind::Constant => {
                format!("property {:?} becomes constant `{}`", self.text, self.given)
            }
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
        NameKind::Field | NameKind::Constant => snake_case(name),
    };
    let case = match kind {
        NameKind::Type | NameKind::Variant => "UpperCamelCase",
        NameKind::Field | NameKind::Constant => "snake_case",
    };
    if converted.as_deref() != Some(name) {
        return Err(match converted {
            Some(suggestion) => {
                format!("chosen name {name:?} is not {case} ascii (`{suggestion}` would do)")
            }
            None => format!("chosen name {name:?} is not a rust identifier"),
        });
    }
    let raw_allowed = matches!(kind, NameKind::Field | NameKind::Constant);
    if NOT_RAW.contains(&name) || (!raw_allowed && is_keyword(name)) {
        return Err(format!("chosen name `{name}` is a rust keyword"));
    }
    Ok(())
}
