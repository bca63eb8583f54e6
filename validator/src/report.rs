//! The report of a run: counts, errors, drift; accumulated, merged, printed.
//!
//! A [`Report`] accumulates verdicts record by record ([`Report::observe`]),
//! merges with the reports of other threads, and is finished once
//! ([`Report::finish`]) before it is rendered. It is plain data and
//! serializes to the `--format json` document.
//!
//! # Design
//! Memory stays bounded whatever the input: at most `max_errors` record
//! errors are kept (the first ones, by input order; the rest are counted in
//! `errors_omitted`) and the drift tables are capped (see [`crate::drift`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use aperture_events_schema::reading::Reading;
use bumpalo::Bump;
use serde::{Deserialize, Serialize};

use crate::classify::{Class, Examined, Validator, Verdict};
use crate::drift::{DriftAcc, DriftReport, MAX_NAME, Name};
use crate::mask::{Text, category};
use crate::place::{Locus, Place, Source};
use crate::problem::{Message, Problem};

/// Record errors kept by default.
pub const DEFAULT_MAX_ERRORS: usize = 1000;
/// The most memory a worker's arena keeps between records.
const MAX_ARENA: usize = 8 << 20;
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// `tolerant` or `strict`.
    pub reading: &'static str,
    /// Records read.
    pub total: u64,
    pub valid: u64,
    pub invalid: u64,
    pub malformed: u64,
    pub unknown_type: u64,
    /// Counts per `log_type`, for records with a string `log_type`: every
    /// documented type seen, and unknown ones until the map holds
    /// [`MAX_LOG_TYPES`] (names cut to [`MAX_NAME`] characters); never more
    /// than twice that.
    pub by_log_type: BTreeMap<Name, TypeCounts>,
    /// Unknown types that found `by_log_type` full, counted together.
    #[serde(default, skip_serializing_if = "TypeCounts::is_empty")]
    pub other_log_types: TypeCounts,
    /// HTTP responses without an event (`204 No Content`): not records.
    pub no_event_responses: u64,
    /// HTTP responses with an error status (4xx, 5xx): not records.
    pub error_responses: u64,
    /// Inputs that could not be read (in whole or in part).
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    #[serde(flatten)]
    pub place: Place,
    pub message: Message,
}

/// An input that could not be read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputError {
    pub source: Source,
    pub message: Message,
}

/// The report of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    /// The first `max_errors` records not accepted, in input order.
    pub errors: Vec<RecordError>,
    /// Records not accepted beyond those listed.
    pub errors_omitted: u64,
    /// Filled by [`Report::finish`].
    pub drift: DriftReport,
    pub notes: Vec<Note>,
    pub inputs: Vec<InputError>,
    #[serde(skip)]
    acc: DriftAcc,
    #[serde(skip)]
    max_errors: usize,
    /// Bytes of text in `errors` ([`RecordError::size`]).
    #[serde(skip)]
    error_bytes: usize,
    #[serde(skip)]
    reading: Reading,
}

impl Report {
    /// An empty report for a run in `reading`.
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
            acc: DriftAcc::default(),
            max_errors: DEFAULT_MAX_ERRORS,
            error_bytes: 0,
            reading,
        }
    }

    /// Keeps at most `max` record errors.
    pub fn with_max_errors(mut self, max: usize) -> Self {
        self.max_errors = max;
        self
    }

    /// The reading of the run.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// Classifies one record, counts it and its drift, and returns the verdict.
    /// Records are numbered in the order they are observed.
    pub fn observe(&mut self, validator: &Validator, place: Place, bytes: &[u8]) -> Verdict {
        let seq = self.summary.total;
        let arena = Bump::new();
        let examined = validator.examine(bytes, &arena, self.errors.len() < self.max_errors);
        let verdict = examined.verdict();
        self.record(
            validator,
            seq,
            &place.source.to_arc(),
            place.locus,
            examined,
        );
        verdict
    }

    /// [`Report::observe`] for record number `seq` (input order across
    /// threads), its document built in `arena` (emptied first).
    pub(crate) fn observe_at(
        &mut self,
        validator: &Validator,
        seq: u64,
        source: &Arc<str>,
        locus: Locus,
        bytes: &[u8],
        arena: &mut Bump,
    ) {
        arena.reset();
        // Errors past `max_errors` are counted, not listed: their details are not needed.
        let examined = validator.examine(bytes, arena, self.errors.len() < self.max_errors);
        self.record(validator, seq, source, locus, examined);
        // An arena grown by one huge record is not kept for the rest of the run.
        if arena.allocated_bytes() > MAX_ARENA {
            *arena = Bump::new();
        }
    }

    /// Counts an examined record, its drift, and keeps its error.
    fn record(
        &mut self,
        validator: &Validator,
        seq: u64,
        source: &Arc<str>,
        locus: Locus,
        examined: Examined<'_>,
    ) {
        // Columns locate syntax errors, and records that share their line
        // with another (values glued together, `{...}{...}`); other places
        // are a line (and item) only.
        let column = locus
            .column
            .filter(|c| *c > 1 && locus.index.is_none() && locus.entry.is_none());
        let shown = Locus { column, ..locus };
        let place = || Place::new(source.clone(), shown);
        if let Some(event) = &examined.event {
            match (examined.type_index, &examined.log_type) {
                (Some(t), _) => {
                    let tolerant_valid =
                        examined.class == Class::Valid && self.reading == Reading::Tolerant;
                    self.acc
                        .event(validator.compiled(), t, event, tolerant_valid, seq, &place);
                }
                (None, Some(log_type)) => self.acc.unknown_type(log_type, seq, &place),
                (None, None) => {}
            }
        }
        let show = validator.options().show_values;
        self.count(examined.class, examined.log_type, show);
        if !examined.class.is_accepted(self.reading) || !examined.problems.is_empty() {
            let mut problems = examined.problems;
            let mut locus = locus;
            match examined.syntax_position {
                None => locus = shown,
                Some((line, column)) => match locus.line {
                    Some(start) => {
                        locus.column = Some(match line {
                            1 => locus.column.unwrap_or(1) + column - 1,
                            _ => column,
                        });
                        locus.line = Some(start + line - 1);
                    }
                    None => {
                        for p in &mut problems {
                            // The message is printable already: kept whole with its suffix.
                            p.message = Text::kept(&format!(
                                "{} (line {line}, column {column} of the body)",
                                p.message
                            ));
                        }
                    }
                },
            }
            self.push_error(
                seq,
                Place::new(source.clone(), locus),
                examined.class,
                examined
                    .log_type
                    .map(|t| category::<MAX_NAME>(t, &[], show)),
                problems,
            );
        }
    }

    fn count(&mut self, class: Class, log_type: Option<&str>, show: bool) {
        let s = &mut self.summary;
        s.total += 1;
        match class {
            Class::Valid => s.valid += 1,
            Class::Invalid => s.invalid += 1,
            Class::Malformed => s.malformed += 1,
            Class::UnknownType => s.unknown_type += 1,
        }
        if let Some(log_type) = log_type {
            let counts = match s.by_log_type.get_mut(log_type) {
                Some(counts) => counts,
                None => s.counts_of(
                    category::<MAX_NAME>(log_type, &[], show),
                    class == Class::UnknownType,
                ),
            };
            counts.total += 1;
            match class {
                Class::Valid => counts.valid += 1,
                Class::Invalid => counts.invalid += 1,
                Class::UnknownType => counts.unknown_type += 1,
                Class::Malformed => {}
            }
        }
    }

    fn push_error(
        &mut self,
        seq: u64,
        place: Place,
        class: Class,
        log_type: Option<Name>,
        problems: Vec<Problem>,
    ) {
        // Records arrive in increasing `seq` within one report, so the first
        // `max_errors` kept here include the first `max_errors` overall.
        let error = RecordError {
            place,
            class,
            log_type,
            problems,
            seq,
        };
        let size = error.size();
        if self.errors.len() < self.max_errors && self.error_bytes + size <= MAX_ERROR_BYTES {
            self.error_bytes += size;
            self.errors.push(error);
        } else {
            self.errors_omitted += 1;
        }
    }

    /// Counts a record that a reader found malformed before parsing (a body
    /// whose content type is not JSON, a broken JSON array).
    pub fn malformed(&mut self, seq: u64, place: Place, message: String) {
        self.summary.total += 1;
        self.summary.malformed += 1;
        self.push_error(
            seq,
            place,
            Class::Malformed,
            None,
            vec![Problem::new("", "input", message)],
        );
    }

    /// Counts an HTTP response without an event (204).
    pub fn no_event(&mut self) {
        self.summary.no_event_responses += 1;
    }

    /// Notes an HTTP response with an error status.
    pub fn error_response(&mut self, place: Place, status: u16) {
        self.summary.error_responses += 1;
        if self.notes.len() < MAX_NOTES {
            self.notes.push(Note {
                place,
                message: Text::new(&format!(
                    "HTTP status {status}: a response without an event"
                )),
            });
        }
    }

    /// Notes an input that could not be read (the first [`MAX_INPUTS`] are listed).
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
        self.error_bytes = self.errors.iter().map(RecordError::size).sum();
    }

    /// Adds the counts of another report of the same run.
    pub fn merge(&mut self, other: Report) {
        let (s, o) = (&mut self.summary, other.summary);
        s.total += o.total;
        s.valid += o.valid;
        s.invalid += o.invalid;
        s.malformed += o.malformed;
        s.unknown_type += o.unknown_type;
        s.no_event_responses += o.no_event_responses;
        s.error_responses += o.error_responses;
        s.unreadable_inputs += o.unreadable_inputs;
        for (log_type, c) in o.by_log_type {
            s.counts_of(log_type, c.unknown_type > 0).add(c);
        }
        s.other_log_types.add(o.other_log_types);
        self.errors.extend(other.errors);
        self.error_bytes += other.error_bytes;
        self.errors_omitted += other.errors_omitted;
        self.notes.extend(other.notes);
        self.inputs.extend(other.inputs);
        self.inputs.truncate(MAX_INPUTS);
        self.acc.merge(other.acc);
    }

    /// Puts errors in input order, keeps the first `max_errors`, and computes the drift report.
    pub fn finish(&mut self, validator: &Validator) {
        self.errors.sort_by_key(|e| e.seq);
        self.cap_errors(self.max_errors);
        self.notes.truncate(MAX_NOTES);
        self.drift = self
            .acc
            .report(validator.compiled(), validator.options().show_values);
    }

    /// Whether every record is accepted (unknown types only in the tolerant reading).
    pub fn all_accepted(&self) -> bool {
        let s = &self.summary;
        s.invalid == 0
            && s.malformed == 0
            && (self.reading == Reading::Tolerant || s.unknown_type == 0)
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
