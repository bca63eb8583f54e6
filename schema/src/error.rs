//! Problems with a set of schemas, each with its place.
//!
//! One type serves every crate that loads schemas: the code generator reports
//! its own findings with it too, so a build script prints the same lines
//! whichever stage failed. A run collects every problem before failing.
//!
//! # Design
//! `Debug` prints what `Display` prints. A build script written as
//! `fn main() -> Result<(), Box<dyn Error>>` shows its error through `Debug`,
//! and a person must be able to act on that: one problem per line,
//! `path:pointer: message`, the path as the user gave it.

use std::fmt;

/// One problem, with its place.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The schema file: its path as given (or as read from a directory), or
    /// its name for a schema with no file behind it.
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
        match self.pointer.as_deref() {
            // The empty pointer is the document itself.
            Some("") => write!(f, "{}:(root): {}", self.file, self.message),
            Some(pointer) => write!(f, "{}:{}: {}", self.file, pointer, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Every problem of one run; never empty.
#[derive(Clone, PartialEq, Eq)]
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

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// Collects problems during a run and fails with all of them at the end
/// (the `Ctxt` of serde_derive).
#[derive(Debug, Default)]
pub struct Collector {
    diagnostics: Vec<Diagnostic>,
}

impl Collector {
    /// Records a problem and carries on; a problem already recorded (the
    /// same schema reached by two paths) is recorded once.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Records every problem of `error`.
    pub fn extend(&mut self, error: Error) {
        error.diagnostics.into_iter().for_each(|d| self.push(d));
    }

    /// Fails with every recorded problem, or gives `value` when there was none.
    pub fn finish<T>(self, value: T) -> Result<T, Error> {
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
    fn display_names_path_and_pointer() {
        let d = Diagnostic::at(
            "schemas/a.schema.json",
            "/properties/x",
            "unsupported keyword `pattern`",
        );
        assert_eq!(
            d.to_string(),
            "schemas/a.schema.json:/properties/x: unsupported keyword `pattern`"
        );
        assert_eq!(
            Diagnostic::at("a.json", "", "no").to_string(),
            "a.json:(root): no"
        );
        let d = Diagnostic::file("b.schema.json", "not json");
        assert_eq!(d.to_string(), "b.schema.json: not json");
    }

    #[test]
    fn debug_is_display_one_problem_per_line() {
        let e = Error::from_diagnostics(vec![
            Diagnostic::at("a", "/x", "one"),
            Diagnostic::file("b", "two"),
        ])
        .expect("non-empty");
        assert_eq!(e.to_string(), "a:/x: one\nb: two");
        assert_eq!(format!("{e:?}"), e.to_string());
        assert!(Error::from_diagnostics(Vec::new()).is_none());
    }
}
