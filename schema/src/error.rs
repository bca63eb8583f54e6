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
    /// Up to 20 problems, one per line. More than that: a summary first
    /// (counts per keyword, and the one fix that clears the most), then the
    /// first 20 and a count of the rest. The alternate form
    /// (`{:#}`) lists every problem after the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.diagnostics.len();
        let shown = if f.alternate() { all } else { all.min(LISTED) };
        if all > LISTED {
            writeln!(f, "{}", Summary::of(&self.diagnostics))?;
        }
        for (index, diagnostic) in self.diagnostics[..shown].iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        if shown < all {
            write!(
                f,
                "\n...and {} more (every one: `Error::diagnostics()`, `{{:#}}`, or `aperture-codegen generate --all-errors`)",
                all - shown
            )?;
        }
        Ok(())
    }
}

/// How many problems an error lists before it summarises and cuts.
const LISTED: usize = 20;

/// What a long list of problems is mostly about.
struct Summary<'a> {
    total: usize,
    files: usize,
    /// (group, problems in it), the largest first.
    groups: Vec<(String, Vec<&'a Diagnostic>)>,
}

impl<'a> Summary<'a> {
    fn of(diagnostics: &'a [Diagnostic]) -> Self {
        let mut groups: Vec<(String, Vec<&Diagnostic>)> = Vec::new();
        for diagnostic in diagnostics {
            let key = group(diagnostic);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(diagnostic),
                None => groups.push((key, vec![diagnostic])),
            }
        }
        // Stable: equal counts stay in the order first met.
        groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
        let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        Summary {
            total: diagnostics.len(),
            files: files.len(),
            groups,
        }
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const GROUPS: usize = 8;
        let mut by: Vec<String> = self
            .groups
            .iter()
            .take(GROUPS)
            .map(|(key, members)| format!("{key} {}", members.len()))
            .collect();
        if self.groups.len() > GROUPS {
            let rest: usize = self.groups[GROUPS..].iter().map(|(_, m)| m.len()).sum();
            by.push(format!("others {rest}"));
        }
        let plural = if self.files == 1 { "" } else { "s" };
        writeln!(
            f,
            "{} problems in {} file{plural}: {}",
            self.total,
            self.files,
            by.join(", ")
        )?;
        let Some((key, members)) = self.groups.first() else {
            return Ok(());
        };
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for member in members {
            let head = head(&member.message);
            match kinds.iter_mut().find(|(k, _)| *k == head) {
                Some((_, n)) => *n += 1,
                None => kinds.push((head, 1)),
            }
        }
        kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
        let kinds: Vec<String> = kinds
            .iter()
            .take(3)
            .map(|(kind, n)| format!("{kind} ({n})"))
            .collect();
        write!(
            f,
            "the one change that clears the most: {key}, {} of {} ({}); the first: {}",
            members.len(),
            self.total,
            kinds.join(", "),
            members[0]
        )
    }
}

/// The group of a problem: the keyword its pointer ends in, if that is a
/// keyword of some draft; else the file itself, or the message's head.
fn group(diagnostic: &Diagnostic) -> String {
    let last = diagnostic
        .pointer
        .as_deref()
        .and_then(|p| p.rsplit('/').next())
        .map(|t| t.replace("~1", "/").replace("~0", "~"));
    match last {
        Some(token) if crate::vocabulary::keywords::in_any_draft(&token).is_some() => {
            format!("`{token}`")
        }
        None => "the file".to_owned(),
        Some(_) => head(&diagnostic.message).to_owned(),
    }
}

/// A message up to its first `: ` (the part that names the problem, before
/// the advice and the details).
fn head(message: &str) -> &str {
    message.split(": ").next().unwrap_or(message)
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

    /// A flood: 30 refused `if`s, 12 formats (two kinds), 3 file problems.
    fn flood() -> Error {
        let mut all = Vec::new();
        for n in 0..30 {
            all.push(Diagnostic::at(
                "ci.schema.json",
                &format!("/definitions/d{n}/allOf/0/if"),
                "`if`/`then`/`else` is not supported: write the cases with `oneOf`/`anyOf`",
            ));
        }
        for n in 0..12 {
            let format = if n < 8 { "regex" } else { "hostname" };
            all.push(Diagnostic::at(
                "other.schema.json",
                &format!("/properties/p{n}/format"),
                format!("unsupported format \"{format}\": supported are uri"),
            ));
        }
        for n in 0..3 {
            all.push(Diagnostic::file(&format!("bad{n}.json"), "not json: eof"));
        }
        Error::from_diagnostics(all).expect("non-empty")
    }

    #[test]
    fn a_flood_is_summarised_first_then_cut() {
        let text = flood().to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "45 problems in 5 files: `if` 30, `format` 12, the file 3"
        );
        assert_eq!(
            lines[1],
            "the one change that clears the most: `if`, 30 of 45 (`if`/`then`/`else` is not supported (30)); \
             the first: ci.schema.json:/definitions/d0/allOf/0/if: `if`/`then`/`else` is not supported: \
             write the cases with `oneOf`/`anyOf`"
        );
        assert_eq!(lines.len(), 2 + LISTED + 1, "{text}");
        assert!(
            lines[2..2 + LISTED]
                .iter()
                .all(|l| l.starts_with("ci.schema.json:/definitions/d"))
        );
        assert!(
            lines[2 + LISTED].starts_with("...and 25 more (every one:"),
            "{text}"
        );
    }

    #[test]
    fn the_alternate_form_lists_every_problem_and_kinds_are_counted() {
        let error = flood();
        let all = format!("{error:#}");
        assert_eq!(all.lines().count(), 2 + 45, "{all}");
        assert!(all.ends_with("bad2.json: not json: eof"), "{all}");
        let formats = Error::from_diagnostics(error.diagnostics()[30..].to_vec()).expect("some");
        // 15 problems: listed, not summarised.
        assert_eq!(formats.to_string().lines().count(), 15);
        let summary = Summary::of(error.diagnostics()[25..].as_ref()).to_string();
        assert!(
            summary.contains(
                "`format`, 12 of 20 (unsupported format \"regex\" (8), unsupported format \"hostname\" (4))"
            ),
            "{summary}"
        );
    }
}
