//! Where a record came from: the file, and where inside it.
//!
//! Every record keeps its place from the reader to the report, so an error
//! can name the line of an NDJSON file, the index within an array or a bulk
//! body, the response of an HTTP transcript, the entry of a HAR file or the
//! sequence of a stream message. A [`Locus`] has one variant per shape, so
//! a place that mixes shapes (a HAR entry of an HTTP response, a stream
//! message at a line) cannot be built.

use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::{self, IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer, Serialize};

use crate::mask::Text;

mod locus;

use locus::Members;
pub use locus::{Locus, Position};

/// The longest input name kept (a path: `PATH_MAX` is 4096 bytes on Linux);
/// a longer one is cut, marked `…`.
pub const MAX_SOURCE: usize = 4096;

/// An input's name as a report holds it: printable, cut to [`MAX_SOURCE`].
pub type Source = Text<MAX_SOURCE>;

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
    #[schemars(with = "Members")]
    pub locus: Locus,
}

impl Place {
    /// Whether this place (of a later report) comes before `other`: only
    /// a place further up the same source does.
    pub(crate) fn is_before(&self, other: &Place) -> bool {
        let order = |l: &Locus| Members::from(*l).order();
        self.source == other.source && order(&self.locus) < order(&other.locus)
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
    Sequence,
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
    members: Members,
}

impl PlaceReader {
    /// Reads the value of `member` if it belongs to a place; returns whether it did.
    pub(crate) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        member: &Member,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let m = &mut self.members;
        let slot = match member {
            Member::Source => {
                self.source = Some(map.next_value()?);
                return Ok(true);
            }
            Member::Sequence => &mut m.sequence,
            Member::Line => &mut m.line,
            Member::Column => &mut m.column,
            Member::Response => &mut m.response,
            Member::Entry => &mut m.entry,
            Member::Index => &mut m.index,
            _ => return Ok(false),
        };
        *slot = map.next_value()?;
        Ok(true)
    }

    /// The place read (its `source` is required).
    pub(crate) fn finish<E: de::Error>(self) -> Result<Place, E> {
        Ok(Place {
            source: self.source.ok_or_else(|| E::missing_field("source"))?,
            locus: self.members.into(),
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
    /// `file:line:column (response 2, HAR entry 3, item 4)`, leaving out
    /// what is unknown; a stream message is `stream:sequence:column`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        let l = &self.locus;
        if let Some((line, column)) = l.line_column() {
            write!(f, ":{line}")?;
            if let Some(column) = column {
                write!(f, ":{column}")?;
            }
        }
        let mut parts = Vec::new();
        match l {
            Locus::Http { response, .. } => parts.push(format!("response {response}")),
            Locus::Har { entry, .. } => parts.push(format!("HAR entry {entry}")),
            _ => {}
        }
        if let Some(index) = l.index() {
            parts.push(format!("item {index}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
