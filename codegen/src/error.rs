//! The one error type of the generator.
//!
//! Every problem names its place: the schema file and the JSON pointer inside
//! it (or the file and line for a file that is not JSON). A run collects every
//! problem it finds before failing, so one edit-compile cycle shows them all
//! (serde_derive's `Ctxt` does the same).

use std::fmt;

/// One problem found in the schemas, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The schema file, as named to the generator (for example `incident.schema.json`).
    pub file: String,
    /// The JSON pointer of the schema object at fault, or `None` when the
    /// problem is the file itself (unreadable, not JSON).
    pub pointer: Option<String>,
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `pointer` inside `file`.
    pub fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            pointer: Some(pointer.to_owned()),
            message: message.into(),
        }
    }

    /// A problem with `file` as a whole.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            pointer: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pointer {
            Some(pointer) => write!(f, "{}#{}: {}", self.file, pointer, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem of one run; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// Wraps the problems of a run; `None` when there are none.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Option<Self> {
        if diagnostics.is_empty() {
            None
        } else {
            Some(Error { diagnostics })
        }
    }

    /// The problems, in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The result of a generator step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics during a run (the `Ctxt` of serde_derive).
#[derive(Debug, Default)]
pub(crate) struct Collector {
    diagnostics: Vec<Diagnostic>,
}

impl Collector {
    /// Records a problem and carries on; a problem already recorded (the
    /// same schema reached by two paths) is recorded once.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Fails with every recorded problem, or gives `value` when there was none.
    pub(crate) fn finish<T>(self, value: T) -> Result<T> {
        match Error::from_diagnostics(self.diagnostics) {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_and_pointer() {
        let d = Diagnostic::at(
            "a.schema.json",
            "/properties/x",
            "unsupported keyword `pattern`",
        );
        assert_eq!(
            d.to_string(),
            "a.schema.json#/properties/x: unsupported keyword `pattern`"
        );
        let d = Diagnostic::file("b.schema.json", "not json");
        assert_eq!(d.to_string(), "b.schema.json: not json");
    }

    #[test]
    fn error_lists_every_diagnostic_on_its_own_line() {
        let e = Error::from_diagnostics(vec![
            Diagnostic::at("a", "", "one"),
            Diagnostic::at("b", "/x", "two"),
        ])
        .expect("non-empty");
        assert_eq!(e.to_string(), "a#: one\nb#/x: two");
        assert!(Error::from_diagnostics(Vec::new()).is_none());
    }
}
