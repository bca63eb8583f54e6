//! Self-contained exports of the schemas, for other languages' tools.
//!
//! Python and TypeScript generators (datamodel-code-generator,
//! json-schema-to-typescript) and validators (jsonschema, ajv) each resolve
//! cross-file `$ref`s their own way, or not at all. The export gives them one
//! file per event type and one for the union `log_event`, in which no
//! reference leaves the file: everything a file needs is copied into its own
//! `$defs`. A `manifest.json` lists the files with their SHA-256.
//!
//! Only with the `export` feature (the `aperture-codegen` command line turns
//! it on): it brings the `sha2` crate, which build scripts that only generate
//! Rust types do not need.
//!
//! # Design
//! [`Options::export`] is a pure function from schema texts to file texts: no
//! file is read or written, the output depends on nothing but its input and
//! the options (keys keep the schemas' order, see `tree`), so a test can
//! regenerate it in memory and compare. [`write`] is the thin part that puts
//! an export on disk, touching only files whose bytes changed.
//!
//! What each exported file keeps and changes:
//! - `$schema` is draft 2020-12; `$id` is versioned:
//!   `{base_uri}{version}/{file name}`;
//! - titles, descriptions, examples and every `x-` keyword are kept (the `x-`
//!   keywords are annotations to standard tools);
//! - every `$ref` points into the file's own `$defs` (see `bundle` for names);
//! - a `$comment` says the file is generated and from what;
//! - keywords other tools need to read the schemas as meant are added (see
//!   `compat`: an RFC 3339 `pattern` beside `format: date-time`, and
//!   `type: "object"` beside a `discriminator`).
//!
//! Files that only hold definitions (nothing but `$schema`, `$id`, `title`,
//! `description`, `$comment` and `$defs`, like `common.schema.json`) are not
//! exported on their own: their definitions live on in the files using them.
#![cfg(feature = "export")]

mod bundle;
mod compat;
mod manifest;

use std::path::{Path, PathBuf};

use aperture_events_schema::ordered::Node;
use bundle::Doc;

use crate::error::{Collector, Diagnostic, Result};

pub use manifest::sha256_hex;

/// The `$schema` of every exported file.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
/// Where exported `$id`s live by default; the version and file name follow.
pub const DEFAULT_BASE_URI: &str = "https://schemas.aperture-events.dev/v1/export/";
/// The name of the manifest file.
pub const MANIFEST: &str = "manifest.json";

/// Keywords that make a file a definitions-only file when they are all it has.
const DEFINITIONS_ONLY: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "$comment",
    "$defs",
];

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// File name inside the export directory, for example `incident.schema.json`.
    pub name: String,
    /// The file's text: pretty JSON ending in a newline.
    pub text: String,
}

/// A whole export: the schema files sorted by name, then `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Every file, the manifest last.
    pub files: Vec<ExportedFile>,
}

impl Export {
    /// The file named `name`, if the export has one.
    pub fn get(&self, name: &str) -> Option<&ExportedFile> {
        self.files.iter().find(|file| file.name == name)
    }
}

/// How to export: where `$id`s point and which version they carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    base_uri: String,
    version: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_uri: DEFAULT_BASE_URI.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

impl Options {
    /// The defaults: [`DEFAULT_BASE_URI`] and this crate's version.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the base of the exported `$id`s (a trailing `/` is added if missing).
    ///
    /// ```
    /// let mut options = aperture_events_codegen::export::Options::new();
    /// options.base_uri("https://example.com/schemas").version("2.0.0");
    /// ```
    pub fn base_uri(&mut self, base_uri: &str) -> &mut Self {
        self.base_uri = base_uri.to_owned();
        if !self.base_uri.ends_with('/') {
            self.base_uri.push('/');
        }
        self
    }

    /// Sets the version put into the exported `$id`s and the manifest.
    ///
    /// ```
    /// let mut options = aperture_events_codegen::export::Options::new();
    /// options.version("0.2.0");
    /// ```
    pub fn version(&mut self, version: &str) -> &mut Self {
        self.version = version.to_owned();
        self
    }

    /// Exports the schema files given as (file name, JSON text) pairs: the
    /// repository's with [`embedded`], a directory's with
    /// [`SchemaSource::read_dir`](crate::SchemaSource::read_dir). Every problem
    /// is reported (file and JSON pointer), not only the first.
    ///
    /// ```
    /// use aperture_events_codegen::export::{Options, embedded};
    /// let export = Options::new().export(embedded()).unwrap();
    /// let incident = export.get("incident.schema.json").unwrap();
    /// assert!(!incident.text.contains("common.schema.json#"));
    /// ```
    pub fn export<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Export> {
        let mut problems = Collector::default();
        let mut docs = Vec::new();
        for (name, text) in files {
            match serde_json::from_str::<Node>(text) {
                Ok(root) => {
                    // The export writes draft 2020-12 and copies keywords as
                    // they are: a file of another draft would be mislabelled.
                    let declared = root.get("$schema").and_then(Node::as_str);
                    if let Some(uri) = declared {
                        let draft = aperture_events_schema::Draft::from_uri(uri);
                        if draft != Some(aperture_events_schema::Draft::Draft202012) {
                            let named = draft.map_or(uri.to_owned(), |d| d.name().to_owned());
                            problems.push(Diagnostic::at(
                                name,
                                "/$schema",
                                format!("the export writes draft 2020-12 schemas and this file is {named}: only draft 2020-12 files are exported"),
                            ));
                            continue;
                        }
                    }
                    let id = root
                        .get("$id")
                        .and_then(Node::as_str)
                        .unwrap_or(name)
                        .to_owned();
                    if let Some(other) = docs.iter().find(|d: &&Doc| d.id == id) {
                        problems.push(Diagnostic::file(
                            name,
                            format!("same $id `{id}` as {}", other.name),
                        ));
                    }
                    docs.push(Doc {
                        name: name.to_owned(),
                        id,
                        root,
                    });
                }
                Err(e) => problems.push(Diagnostic::file(
                    name,
                    format!("not JSON at line {} column {}: {e}", e.line(), e.column()),
                )),
            }
        }
        let mut entries = Vec::new();
        for (index, doc) in docs.iter().enumerate() {
            let Node::Object(keywords) = &doc.root else {
                problems.push(Diagnostic::at(
                    &doc.name,
                    "",
                    "a schema file must hold a JSON object",
                ));
                continue;
            };
            if keywords
                .iter()
                .all(|(k, _)| DEFINITIONS_ONLY.contains(&k.as_str()))
            {
                continue;
            }
            let bundled = bundle::bundle(&docs, index, &mut problems);
            entries.push(self.entry(doc, bundled));
        }
        problems.finish(())?;
        // By file name, so the manifest does not depend on the order files were given in.
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let manifest = manifest::render(&self.version, &entries);
        let mut files: Vec<ExportedFile> = entries
            .into_iter()
            .map(|entry| ExportedFile {
                name: entry.name,
                text: entry.text,
            })
            .collect();
        files.push(ExportedFile {
            name: MANIFEST.to_owned(),
            text: manifest,
        });
        Ok(Export { files })
    }

    /// Lays out one exported file and its manifest entry.
    fn entry(&self, doc: &Doc, bundled: bundle::Bundle) -> manifest::Entry {
        let id = format!("{}{}/{}", self.base_uri, self.version, doc.name);
        let string = |s: &str| Node::String(s.to_owned());
        let mut keywords = vec![
            ("$schema".to_owned(), string(DRAFT_2020_12)),
            ("$id".to_owned(), string(&id)),
            (
                "$comment".to_owned(),
                string(&format!(
                    "Generated by `aperture-codegen export` from schema/{} ({}), with every $ref \
                     copied into $defs; do not edit.",
                    doc.name, doc.id
                )),
            ),
        ];
        keywords.extend(bundled.body.into_iter().filter(|(k, _)| k != "$comment"));
        if !bundled.defs.is_empty() {
            keywords.push((
                "$defs".to_owned(),
                Node::Object(bundled.defs.into_iter().collect()),
            ));
        }
        let mut root = Node::Object(keywords);
        compat::adjust(&mut root);
        let title = root.get("title").and_then(Node::as_str).map(str::to_owned);
        let log_type = root
            .pointer("/properties/log_type/const")
            .and_then(Node::as_str)
            .map(str::to_owned);
        manifest::Entry {
            name: doc.name.clone(),
            id,
            title,
            log_type,
            text: root.to_pretty(),
        }
    }
}

/// The repository's own schemas, as (file name, text) pairs for [`Options::export`].
pub fn embedded() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::embedded::SCHEMA_FILES
        .iter()
        .map(|file| (file.name, file.text))
}

/// Writes `export` into `dir` (created if missing), rewriting only the files
/// whose bytes differ, and returns the paths it wrote. Files in `dir` that the
/// export does not name are left alone.
pub fn write(export: &Export, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for file in &export.files {
        let path = dir.join(&file.name);
        if crate::write_if_changed(&path, file.text.as_bytes())? {
            written.push(path);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
