//! The vendored part of the compiled OCSF 1.8.0 document
//! (`vendor/ocsf-1.8.0/ocsf-1.8.0.subset.json`, made by `extract.py` beside
//! it): classes, objects and types, with enum captions and no descriptions.
//!
//! Compiled into the library and into `build.rs` (`#[path]`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// The vendored document's path inside the crate, for messages.
pub const PATH: &str = "ocsf/vendor/ocsf-1.8.0/ocsf-1.8.0.subset.json";

/// The vendored document's text.
pub const TEXT: &str = include_str!("../vendor/ocsf-1.8.0/ocsf-1.8.0.subset.json");

/// The document.
#[derive(Debug, Clone, Deserialize)]
pub struct Doc {
    /// `1.8.0`.
    pub version: String,
    /// Classes by name.
    pub classes: BTreeMap<String, Class>,
    /// Objects by name.
    pub objects: BTreeMap<String, Object>,
    /// The dictionary's types by name (`email_t`).
    pub types: BTreeMap<String, Type>,
}

/// A class.
#[derive(Debug, Clone, Deserialize)]
pub struct Class {
    /// `class_uid`.
    pub uid: i64,
    /// `class_name`.
    pub caption: String,
    /// `category_uid`.
    pub category_uid: i64,
    /// Its attributes.
    pub attributes: BTreeMap<String, Attribute>,
}

/// An object.
#[derive(Debug, Clone, Deserialize)]
pub struct Object {
    /// Its caption.
    pub caption: String,
    /// Its attributes.
    pub attributes: BTreeMap<String, Attribute>,
}

/// An attribute of a class or object.
#[derive(Debug, Clone, Deserialize)]
pub struct Attribute {
    /// Its type (`string_t`, `object_t`, ...).
    #[serde(rename = "type")]
    pub type_: String,
    /// For `object_t`: the object.
    #[serde(default)]
    pub object_type: Option<String>,
    /// Whether it holds an array.
    #[serde(default)]
    pub is_array: bool,
    /// The profiles that bring it (none: a base attribute).
    #[serde(default)]
    pub profiles: Vec<String>,
    /// For enumerations: id → caption.
    #[serde(default)]
    #[serde(rename = "enum")]
    pub enum_: Option<BTreeMap<String, String>>,
}

/// A dictionary type.
#[derive(Debug, Clone, Deserialize)]
pub struct Type {
    /// The base type (`string_t`), absent for base types themselves.
    #[serde(rename = "type", default)]
    pub base: Option<String>,
    /// A regular expression values must match.
    #[serde(default)]
    pub regex: Option<String>,
    /// The longest value, in characters.
    #[serde(default)]
    pub max_len: Option<usize>,
}

impl Doc {
    /// Parses the vendored document.
    pub fn vendored() -> Doc {
        // The text is checked by the build (build.rs parses it the same way).
        serde_json::from_str(TEXT).expect("the vendored OCSF document parses (checked at build)")
    }

    /// The attributes of the object named `object`, or of the class `class` when `object` is none.
    pub fn attributes<'a>(
        &'a self,
        class: &'a Class,
        object: Option<&str>,
    ) -> Option<&'a BTreeMap<String, Attribute>> {
        match object {
            None => Some(&class.attributes),
            Some(o) => self.objects.get(o).map(|o| &o.attributes),
        }
    }

    /// The base type of a type (`email_t` → `string_t`).
    pub fn base<'a>(&'a self, type_: &'a str) -> &'a str {
        match self.types.get(type_).and_then(|t| t.base.as_deref()) {
            Some(base) => base,
            None => type_,
        }
    }
}
