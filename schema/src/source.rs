//! Where schema texts come from: the embedded stock set, files, directories.
//!
//! A [`SchemaSource`] is only a name, a text and maybe a path; nothing is
//! parsed here. [`crate::SchemaSet::load`] parses a list of them, a later
//! source replacing an earlier one of the same file name: that is how an
//! edited copy of one stock schema is laid over the others.

use std::path::{Path, PathBuf};

use crate::embedded::SCHEMA_FILES;
use crate::error::{Collector, Diagnostic, Error};

/// One schema file: its name and its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaSource {
    /// The file name (for example `incident.schema.json`): what a later
    /// source must be named to replace this one, and the base of its `$ref`s
    /// when it has no `$id`.
    pub name: String,
    /// The JSON text.
    pub text: String,
    /// Where it was read from, when it was read from disk.
    pub path: Option<PathBuf>,
}

impl SchemaSource {
    /// A schema given as text, with no file behind it.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SchemaSource {
            name: name.into(),
            text: text.into(),
            path: None,
        }
    }

    /// The stock schemas, compiled into this crate.
    pub fn embedded() -> Vec<SchemaSource> {
        SCHEMA_FILES
            .iter()
            .map(|f| SchemaSource::new(f.name, f.text))
            .collect()
    }

    /// How messages name this source: its path as given, else its name.
    pub fn display(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| self.name.clone(), |p| p.display().to_string())
    }

    /// Reads one schema file; it is named after its file name.
    pub fn read_file(path: &Path) -> Result<SchemaSource, Error> {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::file(
                &path.display().to_string(),
                format!("cannot read schema file: {e}"),
            )
        })?;
        Ok(SchemaSource {
            name,
            text,
            path: Some(path.to_owned()),
        })
    }

    /// Reads every top-level `*.schema.json` file of `dir`, sorted by name.
    pub fn read_dir(dir: &Path) -> Result<Vec<SchemaSource>, Error> {
        let place = dir.display().to_string();
        let unreadable = |e: std::io::Error| {
            Diagnostic::file(&place, format!("cannot read schema directory: {e}"))
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            let is_schema = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".schema.json"));
            if is_schema && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(
                Diagnostic::file(&place, "no *.schema.json file in the schema directory").into(),
            );
        }
        let mut errors = Collector::default();
        let mut sources = Vec::new();
        for path in paths {
            match SchemaSource::read_file(&path) {
                Ok(source) => sources.push(source),
                Err(e) => errors.extend(e),
            }
        }
        errors.finish(sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_is_named() {
        let err = SchemaSource::read_dir(Path::new("no/such/dir")).expect_err("missing");
        assert!(
            err.to_string()
                .starts_with("no/such/dir: cannot read schema directory"),
            "{err}"
        );
    }

    #[test]
    fn files_are_shown_by_their_path() {
        let dir = std::env::temp_dir().join(format!("aperture-schema-src-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("a.schema.json"), "{}").expect("write");
        std::fs::write(dir.join("notes.json"), "{}").expect("write");
        let sources = SchemaSource::read_dir(&dir).expect("read");
        std::fs::remove_dir_all(&dir).expect("cleanup");
        assert_eq!(sources.len(), 1, "only *.schema.json files");
        assert_eq!(sources[0].name, "a.schema.json");
        assert_eq!(
            sources[0].display(),
            dir.join("a.schema.json").display().to_string()
        );
        assert_eq!(SchemaSource::new("x", "{}").display(), "x");
    }
}
