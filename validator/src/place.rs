//! Where a record came from: the file, and where inside it.
//!
//! Every record keeps its place from the reader to the report, so an error
//! can name the line of an NDJSON file, the index within an array or a bulk
//! body, the response of an HTTP transcript or the entry of a HAR file.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The position of a record inside its input, without the input's name.
///
/// Lines and columns are 1-based, as editors show them; `index` and `entry`
/// are 0-based, as in a JSON pointer (`/events/3`, `/log/entries/3`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locus {
    /// Line in the input file (for HAR records: absent, see `entry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column, for JSON syntax errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The HTTP response in a transcript, counting from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<u64>,
    /// The entry of a HAR file (`log.entries[entry]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u64>,
    /// The index within a JSON array or a bulk body's `events`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

impl Locus {
    /// A place at a line.
    pub fn at_line(line: u64) -> Self {
        Locus {
            line: Some(line),
            ..Locus::default()
        }
    }
}

/// A record's place: the input's name and the position inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The input as named on the command line (`-` is `<stdin>`).
    #[serde(
        serialize_with = "serialize_arc_str",
        deserialize_with = "deserialize_arc_str"
    )]
    pub source: Arc<str>,
    /// Where in the input.
    #[serde(flatten)]
    pub locus: Locus,
}

impl Place {
    /// A place in `source`.
    /// A control character in the name is written `\u001b` (names are
    /// printed in every format: see [`crate::mask::printable`]).
    pub fn new(source: impl Into<Arc<str>>, locus: Locus) -> Self {
        let source: Arc<str> = source.into();
        let source = match crate::mask::printable(&source, usize::MAX) {
            std::borrow::Cow::Borrowed(_) => source.clone(),
            std::borrow::Cow::Owned(escaped) => Arc::from(escaped),
        };
        Place { source, locus }
    }
}

fn serialize_arc_str<S: Serializer>(value: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value)
}

fn deserialize_arc_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
    String::deserialize(deserializer).map(Arc::from)
}

impl fmt::Display for Place {
    /// `file:line:column (response 2, HAR entry 3, item 4)`, leaving out what is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        let l = &self.locus;
        if let Some(line) = l.line {
            write!(f, ":{line}")?;
            if let Some(column) = l.column {
                write!(f, ":{column}")?;
            }
        }
        let mut parts = Vec::new();
        if let Some(response) = l.response {
            parts.push(format!("response {response}"));
        }
        if let Some(entry) = l.entry {
            parts.push(format!("HAR entry {entry}"));
        }
        if let Some(index) = l.index {
            parts.push(format!("item {index}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_what_is_unknown() {
        let place = Place::new("a.ndjson", Locus::at_line(3));
        assert_eq!(place.to_string(), "a.ndjson:3");
        let place = Place::new(
            "a.har",
            Locus {
                entry: Some(2),
                index: Some(0),
                ..Locus::default()
            },
        );
        assert_eq!(place.to_string(), "a.har (HAR entry 2, item 0)");
        let place = Place::new(
            "t.http",
            Locus {
                line: Some(9),
                column: Some(4),
                response: Some(2),
                ..Locus::default()
            },
        );
        assert_eq!(place.to_string(), "t.http:9:4 (response 2)");
    }
}
