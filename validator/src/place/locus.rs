//! [`Locus`]: where in its input a record is, one variant per shape of
//! input, and [`Members`], how a report writes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A position in text: a line, 1-based as editors show it, and a column
/// where one is known (JSON syntax errors, records that share a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: u64,
    /// The column, from 1.
    pub column: Option<u64>,
}

impl Position {
    /// The start of `line`, no column known.
    pub fn line(line: u64) -> Self {
        Position { line, column: None }
    }
}

/// The position of a record inside its input, without the input's name:
/// one variant per shape of input.
///
/// Lines and columns are 1-based, as editors show them; `index` and `entry`
/// are 0-based, as in a JSON pointer (`/events/3`, `/log/entries/3`);
/// responses count from 1. An `index` is the item of a JSON array or of a
/// bulk body's `events` at that place.
///
/// In a `--format json` report a locus is the members `line`, `column`,
/// `response`, `entry`, `index` and `sequence` of the object it is in, each
/// left out when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Members", from = "Members")]
pub enum Locus {
    /// The input as a whole (a body that was rejected before any record
    /// was found in it).
    #[default]
    Whole,
    /// A place in a text file: an NDJSON file, a JSON document.
    Text {
        /// Where in the file.
        at: Position,
        /// The item, in an array or a bulk body.
        index: Option<u64>,
    },
    /// A place in an HTTP transcript.
    Http {
        /// The response, counting from 1.
        response: u64,
        /// Where in the transcript (its status line, or its body's
        /// records); unknown only in a report that did not say.
        at: Option<Position>,
        /// The item, in a body's array or bulk body.
        index: Option<u64>,
    },
    /// A place in a HAR file.
    Har {
        /// The entry (`log.entries[entry]`).
        entry: u64,
        /// Where the entry starts in the file; records of its body have no
        /// line of the file.
        at: Option<Position>,
        /// The item, in the body's array or bulk body.
        index: Option<u64>,
    },
    /// A message of a stream (NATS JetStream).
    Stream {
        /// The message's stream sequence.
        sequence: u64,
        /// The column in the message (where its record starts, or a
        /// syntax error on its first line).
        column: Option<u64>,
    },
    /// A record numbered in a sequence without text (the events of a capture).
    Item {
        /// The record's number, from 0.
        index: u64,
    },
}

impl Locus {
    /// A place at a line of a text file.
    pub fn at_line(line: u64) -> Self {
        Locus::Text {
            at: Position::line(line),
            index: None,
        }
    }

    /// A place in a text file at `line` and `column`.
    pub fn at(line: u64, column: u64) -> Self {
        Locus::Text {
            at: Position {
                line,
                column: Some(column),
            },
            index: None,
        }
    }

    /// The place in the input's text, if the shape has one: a stream
    /// message or a record of a capture has none.
    pub fn position(&self) -> Option<Position> {
        match self {
            Locus::Text { at, .. } => Some(*at),
            Locus::Http { at, .. } | Locus::Har { at, .. } => *at,
            Locus::Whole | Locus::Stream { .. } | Locus::Item { .. } => None,
        }
    }

    pub(crate) fn position_mut(&mut self) -> Option<&mut Position> {
        match self {
            Locus::Text { at, .. } => Some(at),
            Locus::Http { at, .. } | Locus::Har { at, .. } => at.as_mut(),
            Locus::Whole | Locus::Stream { .. } | Locus::Item { .. } => None,
        }
    }

    /// The item in an array or a bulk body.
    pub fn index(&self) -> Option<u64> {
        match self {
            Locus::Text { index, .. } | Locus::Http { index, .. } | Locus::Har { index, .. } => {
                *index
            }
            Locus::Item { index } => Some(*index),
            Locus::Whole | Locus::Stream { .. } => None,
        }
    }

    /// This place, at item `index` of an array or a bulk body found there.
    /// A stream message holds one record, never an array of them: its
    /// place is kept.
    pub fn with_index(self, index: u64) -> Self {
        let i = Some(index);
        match self {
            Locus::Text { at, .. } => Locus::Text { at, index: i },
            Locus::Http { response, at, .. } => Locus::Http {
                response,
                at,
                index: i,
            },
            Locus::Har { entry, at, .. } => Locus::Har {
                entry,
                at,
                index: i,
            },
            Locus::Whole | Locus::Item { .. } => Locus::Item { index },
            stream @ Locus::Stream { .. } => stream,
        }
    }

    /// Entry `entry` of a HAR file, which starts at `self` (a place in a
    /// text file: a JSON document, or a line of an NDJSON file).
    pub fn har_entry(self, entry: u64) -> Self {
        Locus::Har {
            entry,
            at: self.position(),
            index: None,
        }
    }

    /// This place as a record at it is shown: columns locate syntax errors,
    /// and records that share their line with another (values glued
    /// together, `{...}{...}`); other places are a line (and item) only.
    pub(crate) fn of_record(mut self) -> Self {
        let glued = |c: &u64| *c > 1;
        match &mut self {
            Locus::Text { at, index: None }
            | Locus::Http {
                at: Some(at),
                index: None,
                ..
            } => at.column = at.column.filter(glued),
            Locus::Stream { column, .. } => *column = column.filter(glued),
            Locus::Text { at, .. }
            | Locus::Http { at: Some(at), .. }
            | Locus::Har { at: Some(at), .. } => at.column = None,
            Locus::Http { at: None, .. }
            | Locus::Har { at: None, .. }
            | Locus::Whole
            | Locus::Item { .. } => {}
        }
        self
    }

    /// The line and column a text report shows: the place in the text, or
    /// a stream's sequence (shown as a journal line would be).
    pub(crate) fn line_column(&self) -> Option<(u64, Option<u64>)> {
        match self {
            Locus::Stream { sequence, column } => Some((*sequence, *column)),
            _ => self.position().map(|p| (p.line, p.column)),
        }
    }
}

/// A locus as a report writes it: its members, each left out when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub(crate) struct Members {
    /// The sequence of a stream message (NATS JetStream). Reports written
    /// before it was a member of its own gave it as `line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sequence: Option<u64>,
    /// Line in the input file (for HAR records: absent, see `entry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) line: Option<u64>,
    /// Column, for JSON syntax errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) column: Option<u64>,
    /// The HTTP response in a transcript, counting from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) response: Option<u64>,
    /// The entry of a HAR file (`log.entries[entry]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) entry: Option<u64>,
    /// The index within a JSON array or a bulk body's `events`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) index: Option<u64>,
}

impl Members {
    /// The members in the order places sort by: a stream's messages, a
    /// transcript's responses and a HAR file's entries first, then the
    /// place in the text, then the item.
    pub(super) fn order(&self) -> [Option<u64>; 6] {
        [
            self.sequence,
            self.response,
            self.entry,
            self.line,
            self.column,
            self.index,
        ]
    }
}

impl From<Locus> for Members {
    fn from(locus: Locus) -> Self {
        let at = locus.position();
        let mut members = Members {
            line: at.map(|p| p.line),
            column: at.and_then(|p| p.column),
            index: locus.index(),
            ..Members::default()
        };
        match locus {
            Locus::Http { response, .. } => members.response = Some(response),
            Locus::Har { entry, .. } => members.entry = Some(entry),
            Locus::Stream { sequence, column } => {
                members.sequence = Some(sequence);
                members.column = column;
            }
            Locus::Whole | Locus::Text { .. } | Locus::Item { .. } => {}
        }
        members
    }
}

impl From<Members> for Locus {
    /// The shape a report's members name: a `sequence` is a stream's, a
    /// `response` a transcript's, an `entry` a HAR file's, a `line` a text
    /// file's (an older report's stream message too), an `index` alone a
    /// capture's. Members that no place of that shape has (which no report
    /// of ours holds) are left out; every locus comes back as it was written.
    fn from(m: Members) -> Self {
        let at = m.line.map(|line| Position {
            line,
            column: m.column,
        });
        if let Some(sequence) = m.sequence {
            Locus::Stream {
                sequence,
                column: m.column,
            }
        } else if let Some(response) = m.response {
            Locus::Http {
                response,
                at,
                index: m.index,
            }
        } else if let Some(entry) = m.entry {
            Locus::Har {
                entry,
                at,
                index: m.index,
            }
        } else if let Some(at) = at {
            Locus::Text { at, index: m.index }
        } else if let Some(index) = m.index {
            Locus::Item { index }
        } else {
            Locus::Whole
        }
    }
}
