//! Where a record came from: the file, and where inside it.
//!
//! Every record keeps its place from the reader to the report, so an error
//! can name the line of an NDJSON file, the index within an array or a bulk
//! body, the response of an HTTP transcript or the entry of a HAR file.

use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::{self, IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer, Serialize};

use crate::mask::Text;

/// The longest input name kept (a path: `PATH_MAX` is 4096 bytes on Linux);
/// a longer one is cut, marked `…`.
pub const MAX_SOURCE: usize = 4096;

/// An input's name as a report holds it: printable, cut to [`MAX_SOURCE`].
pub type Source = Text<MAX_SOURCE>;

/// The position of a record inside its input, without the input's name.
///
/// Lines and columns are 1-based, as editors show them; `index` and `entry`
/// are 0-based, as in a JSON pointer (`/events/3`, `/log/entries/3`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
///
/// Read back with `Deserialize` member by member (the members of a place
/// are those of the object it is in: `source`, `line`, ...), never
/// buffering what a hostile report puts around them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(description = "Where a record is: the input's name and the position inside it.")]
pub struct Place {
    /// The input as named on the command line (`-` is `<stdin>`).
    pub source: Source,
    /// Where in the input.
    #[serde(flatten)]
    pub locus: Locus,
}

impl Place {
    /// Whether this place (of a later report) comes before `other`: only
    /// a place further up the same source does.
    pub(crate) fn is_before(&self, other: &Place) -> bool {
        let position = |l: &Locus| [l.line, l.column, l.response, l.entry, l.index];
        self.source == other.source && position(&self.locus) < position(&other.locus)
    }

    /// A place in `source`.
    /// A control character in the name is written `\u001b` (names are
    /// printed in every format: see `printable`), and a name
    /// longer than [`MAX_SOURCE`] characters is cut.
    pub fn new(source: impl Into<Arc<str>>, locus: Locus) -> Self {
        Place {
            source: Text::shared(source.into()),
            locus,
        }
    }
}

/// The member names of the objects that hold a place, and of a few more
/// (a record error, a note): read as identifiers, so a hostile name is
/// never copied.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
pub(crate) enum Member {
    Source,
    Line,
    Column,
    Response,
    Entry,
    Index,
    Class,
    LogType,
    Problems,
    Message,
    #[serde(other)]
    Other,
}

/// A place being read, member by member.
#[derive(Default)]
pub(crate) struct PlaceReader {
    source: Option<Source>,
    locus: Locus,
}

impl PlaceReader {
    /// Reads the value of `member` if it belongs to a place; returns whether it did.
    pub(crate) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        member: &Member,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let slot = match member {
            Member::Source => {
                self.source = Some(map.next_value()?);
                return Ok(true);
            }
            Member::Line => &mut self.locus.line,
            Member::Column => &mut self.locus.column,
            Member::Response => &mut self.locus.response,
            Member::Entry => &mut self.locus.entry,
            Member::Index => &mut self.locus.index,
            _ => return Ok(false),
        };
        *slot = map.next_value()?;
        Ok(true)
    }

    /// The place read (its `source` is required).
    pub(crate) fn finish<E: de::Error>(self) -> Result<Place, E> {
        Ok(Place {
            source: self.source.ok_or_else(|| E::missing_field("source"))?,
            locus: self.locus,
        })
    }
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Place;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a place: `source`, `line`, ...")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Place, A::Error> {
                let mut place = PlaceReader::default();
                while let Some(member) = map.next_key::<Member>()? {
                    if !place.read(&member, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                place.finish()
            }
        }
        deserializer.deserialize_map(Visitor)
    }
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
