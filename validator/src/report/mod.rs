//! The report of a run: counts, errors, drift, as plain data.
//!
//! A [`Tally`] counts records as they are read ([`Tally::observe`], or the
//! [`TallySink`] adapter for an input reader) and is finished once
//! ([`Tally::finish`]) into a [`Report`]: plain data, the `--format json`
//! document, which renders in every format and merges with other reports
//! ([`crate::merge`]: its one merge).
//!
//! # Design
//! Memory stays bounded whatever the input: at most `max_errors` record
//! errors are kept (the first ones, by input order; the rest are counted in
//! `errors_omitted`) and the drift tables are capped (see [`crate::drift`]).

use std::collections::BTreeMap;

use aperture_events_schema::reading::Reading;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::classify::Class;
use crate::drift::{DriftReport, Name};
use crate::mask::Text;
use crate::place::{Place, Source};
use crate::problem::{Message, Problem};

mod tally;

pub use tally::{Tally, TallySink};

/// Record errors kept by default.
pub const DEFAULT_MAX_ERRORS: usize = 1000;
/// Notes (non-event HTTP responses) kept.
pub const MAX_NOTES: usize = 100;
/// Unreadable inputs listed (all are counted in `unreadable_inputs`).
pub const MAX_INPUTS: usize = 100;
/// What a listed error costs in [`MAX_ERROR_BYTES`] besides its text, and
/// each of its problems.
const ERROR_COST: usize = 64;
/// The most errors a report can list (each costs at least 64 bytes of
/// [`MAX_ERROR_BYTES`]): 65,536. A larger `--max-errors` is refused.
pub const MAX_LISTED: usize = MAX_ERROR_BYTES / ERROR_COST;
const PROBLEM_COST: usize = 64;
/// The most text the listed record errors may hold, in bytes (their
/// pointers, messages and places): with [`crate::classify::MAX_PROBLEMS`] per
/// record and messages cut, `--max-errors` alone would allow far more. Past
/// it, records are counted in `errors_omitted`, not listed.
pub const MAX_ERROR_BYTES: usize = 4 << 20;

/// Counts of one event type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TypeCounts {
    pub total: u64,
    pub valid: u64,
    pub invalid: u64,
    pub unknown_type: u64,
}

impl TypeCounts {
    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub(crate) fn add(&mut self, other: TypeCounts) {
        self.total = self.total.saturating_add(other.total);
        self.valid = self.valid.saturating_add(other.valid);
        self.invalid = self.invalid.saturating_add(other.invalid);
        self.unknown_type = self.unknown_type.saturating_add(other.unknown_type);
    }

    /// The counts of both, or `None` when one would overflow.
    pub(crate) fn checked_add(self, other: TypeCounts) -> Option<TypeCounts> {
        Some(TypeCounts {
            total: self.total.checked_add(other.total)?,
            valid: self.valid.checked_add(other.valid)?,
            invalid: self.invalid.checked_add(other.invalid)?,
            unknown_type: self.unknown_type.checked_add(other.unknown_type)?,
        })
    }
}

/// The most unknown `log_type` values counted one by one in the summary.
pub const MAX_LOG_TYPES: usize = 1000;

/// The counts of a run. `valid + invalid + malformed + unknown_type == total`.
///
/// Read back from a report with `Deserialize` (see [`crate::merge`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[schemars(
    description = "The counts of a run: `valid + invalid + malformed + unknown_type == total`."
)]
pub struct Summary {
    /// `tolerant` or `strict`.
    #[schemars(with = "ReadingName")]
    pub reading: &'static str,
    /// Records read.
    pub total: u64,
    pub valid: u64,
    pub invalid: u64,
    pub malformed: u64,
    pub unknown_type: u64,
    /// Counts per `log_type`, for records with a string `log_type`: every
    /// documented type seen, and unknown ones until the map holds
    /// [`MAX_LOG_TYPES`] (names cut to [`MAX_NAME`](crate::drift::MAX_NAME) characters); never more
    /// than twice that.
    #[schemars(
        default,
        description = "Counts per `log_type`, for records with a string `log_type`: every documented type seen, and unknown ones up to a cap (the others are counted in `other_log_types`)."
    )]
    pub by_log_type: BTreeMap<Name, TypeCounts>,
    /// Unknown types that found `by_log_type` full, counted together.
    #[serde(default, skip_serializing_if = "TypeCounts::is_empty")]
    pub other_log_types: TypeCounts,
    /// HTTP responses without an event (`204 No Content`): not records.
    #[schemars(default)]
    pub no_event_responses: u64,
    /// HTTP responses with an error status (4xx, 5xx): not records.
    #[schemars(default)]
    pub error_responses: u64,
    /// Inputs that could not be read (in whole or in part).
    #[schemars(default)]
    pub unreadable_inputs: u64,
}

impl Summary {
    /// The counts a new `log_type` goes to, by its name as shown
    /// ([`category`]): its own, unless it is an unknown type and the summary
    /// lists [`MAX_LOG_TYPES`] already, or it lists twice that (documented
    /// types are as many as the schemas, but a report read back may claim
    /// any number of them).
    pub(crate) fn counts_of(&mut self, name: Name, unknown: bool) -> &mut TypeCounts {
        let listed = self.by_log_type.len();
        let full = listed >= 2 * MAX_LOG_TYPES || (unknown && listed >= MAX_LOG_TYPES);
        if full && !self.by_log_type.contains_key(&name) {
            return &mut self.other_log_types;
        }
        self.by_log_type.entry(name).or_default()
    }
}

/// A record that is not accepted, and why.
///
/// Read back with `Deserialize` (see [`crate::merge`]): at most
/// [`crate::classify::MAX_PROBLEMS`] problems and the one counting the rest.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(description = "A record that is not accepted, where it is, and why.")]
pub struct RecordError {
    /// Where: `source`, `line`, `column`, `response`, `entry`, `index` (flattened into the error).
    #[serde(flatten)]
    pub place: Place,
    pub class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_type: Option<Name>,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub(crate) seq: u64,
}

impl RecordError {
    /// The bytes of text it holds and its cost, for [`MAX_ERROR_BYTES`].
    pub(crate) fn size(&self) -> usize {
        let problems: usize = self
            .problems
            .iter()
            .map(|p| {
                p.pointer.len()
                    + p.keyword.len()
                    + p.message.len()
                    + p.schema.as_ref().map_or(0, |s| s.len())
                    + PROBLEM_COST
            })
            .sum();
        problems
            + self.place.source.len()
            + self.log_type.as_ref().map_or(0, |t| t.len())
            + ERROR_COST
    }
}

/// Something worth saying about an input that is not a record (an error response).
///
/// Read back with `Deserialize` (see [`crate::merge`]).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(
    description = "Something worth saying about an input that is not a record (an error response)."
)]
pub struct Note {
    #[serde(flatten)]
    pub place: Place,
    pub message: Message,
}

/// An input that could not be read.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InputError {
    pub source: Source,
    pub message: Message,
}

/// The report of a run: plain data, made by [`Tally::finish`] or read back
/// from its JSON ([`crate::merge::read`]).
///
/// Its JSON Schema is [`schema`]'s (published as `report.schema.json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(
    title = "aperture-validate report",
    description = "The report of `aperture-validate --format json` (and of `aperture-validate merge --format json`): counts, the records not accepted, drift."
)]
pub struct Report {
    pub summary: Summary,
    /// The first `max_errors` records not accepted, in input order.
    pub errors: Vec<RecordError>,
    /// Records not accepted beyond those listed.
    #[schemars(default)]
    pub errors_omitted: u64,
    pub drift: DriftReport,
    /// Non-event HTTP responses worth a word (the first ones).
    #[schemars(default)]
    pub notes: Vec<Note>,
    /// Inputs that could not be read (the first ones; all are counted in `summary.unreadable_inputs`).
    #[schemars(default)]
    pub inputs: Vec<InputError>,
}

/// A run's reading as a report names it (`Summary::reading`).
#[derive(JsonSchema)]
#[schemars(
    description = "The reading of the run: the tolerant one (what real traffic sends) or the documented contract."
)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // only its schema is used
enum ReadingName {
    Tolerant,
    Strict,
}

/// The JSON Schema (draft 2020-12) of a `--format json` report: what
/// [`Report`] serializes to, and what [`crate::merge::read`] reads back
/// (members marked optional default to empty; a reader also refuses
/// repeated members and counts whose sums overflow, which a schema cannot
/// say). Published as `validator/report.schema.json` and printed by
/// `aperture-validate --report-schema`.
pub fn schema() -> serde_json::Value {
    schemars::schema_for!(Report).to_value()
}

impl Report {
    /// An empty report of a run in `reading`.
    pub fn new(reading: Reading) -> Self {
        Report {
            summary: Summary {
                reading: match reading {
                    Reading::Tolerant => "tolerant",
                    Reading::Strict => "strict",
                },
                ..Summary::default()
            },
            errors: Vec::new(),
            errors_omitted: 0,
            drift: DriftReport::default(),
            notes: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// The reading of the run.
    pub fn reading(&self) -> Reading {
        match self.summary.reading {
            "strict" => Reading::Strict,
            _ => Reading::Tolerant,
        }
    }

    /// Notes an input that could not be read (the first [`MAX_INPUTS`] are
    /// listed), for an input found unreadable after the run (a path that
    /// could not be listed).
    pub fn unreadable(&mut self, source: &str, message: String) {
        self.summary.unreadable_inputs += 1;
        if self.inputs.len() < MAX_INPUTS {
            self.inputs.push(InputError {
                source: Text::new(source),
                message: Text::new(&message),
            });
        }
    }

    /// Keeps the first listed errors within `max_errors` and
    /// [`MAX_ERROR_BYTES`]; the others are counted in `errors_omitted`.
    pub(crate) fn cap_errors(&mut self, max_errors: usize) {
        let mut bytes = 0;
        let kept = self
            .errors
            .iter()
            .take(max_errors)
            .take_while(|e| {
                bytes += e.size();
                bytes <= MAX_ERROR_BYTES
            })
            .count();
        self.errors_omitted += (self.errors.len() - kept) as u64;
        self.errors.truncate(kept);
    }

    /// Whether every record is accepted (unknown types only in the tolerant reading).
    pub fn all_accepted(&self) -> bool {
        let s = &self.summary;
        s.invalid == 0
            && s.malformed == 0
            && (self.reading() == Reading::Tolerant || s.unknown_type == 0)
    }

    /// The exit code: 2 when an input could not be read, 1 when a record is not
    /// accepted (or, with `fail_on_drift`, when there is drift), else 0.
    pub fn exit_code(&self, fail_on_drift: bool) -> u8 {
        if self.summary.unreadable_inputs > 0 {
            2
        } else if !self.all_accepted() || (fail_on_drift && self.drift.has_drift()) {
            1
        } else {
            0
        }
    }
}
