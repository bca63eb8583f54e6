//! The live count of a run: records in, a [`Report`] out.
//!
//! A [`Tally`] classifies and counts records as they come, keeps the first
//! errors and accumulates the drift; [`Tally::finish`] turns it into the
//! [`Report`], once. The threads of a run each fill a tally and add them
//! together ([`Tally::merge`]); reports read back merge in [`crate::merge`].

use std::io::Read;
use std::sync::Arc;

use aperture_events_schema::reading::Reading;
use bumpalo::Bump;

use super::{
    DEFAULT_MAX_ERRORS, MAX_ERROR_BYTES, MAX_INPUTS, MAX_NOTES, Note, RecordError, Report, Summary,
};
use crate::classify::{Class, Examined, Validator, Verdict};
use crate::drift::acc::DriftAcc;
use crate::drift::{MAX_NAME, Name};
use crate::input::{ReadOptions, Sink, read_with};
use crate::mask::{Text, category};
use crate::place::{Locus, Place};
use crate::problem::Problem;

/// The most memory a worker's arena keeps between records.
const MAX_ARENA: usize = 8 << 20;

/// The counts of a run while it reads: classifies records, keeps the first
/// errors, accumulates drift; [`Tally::finish`] makes the [`Report`].
///
/// ```
/// use aperture_events_validator::{Class, Locus, Options, Place, Tally, Validator};
/// let validator = Validator::embedded(Options::default()).unwrap();
/// let mut tally = Tally::new(validator.options().reading);
/// let event = br#"{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}"#;
/// let verdict = tally.observe(&validator, Place::new("live", Locus::at_line(1)), event);
/// assert_eq!(verdict.class, Class::Valid);
/// let report = tally.finish(&validator);
/// assert_eq!(report.summary.valid, 1);
/// ```
#[derive(Debug)]
pub struct Tally {
    /// Counts, errors, notes and inputs so far; its drift is made by `finish`.
    report: Report,
    acc: DriftAcc,
    max_errors: usize,
    /// Bytes of text in the errors ([`RecordError::size`]).
    error_bytes: usize,
    reading: Reading,
}

impl Tally {
    /// An empty tally for a run in `reading`, listing at most
    /// [`DEFAULT_MAX_ERRORS`] errors.
    pub fn new(reading: Reading) -> Self {
        Tally {
            report: Report::new(reading),
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

    /// The counts so far.
    pub fn summary(&self) -> &Summary {
        &self.report.summary
    }

    /// The errors listed so far (in the order observed).
    pub fn errors(&self) -> &[RecordError] {
        &self.report.errors
    }

    /// Classifies one record, counts it and its drift, and returns the verdict.
    /// Records are numbered in the order they are observed.
    pub fn observe(&mut self, validator: &Validator, place: Place, bytes: &[u8]) -> Verdict {
        let seq = self.report.summary.total;
        let arena = Bump::new();
        let examined = validator.examine(bytes, &arena, self.listing());
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

    /// Whether an error would still be listed (past `max_errors`, errors are
    /// counted, and their details are not needed).
    fn listing(&self) -> bool {
        self.report.errors.len() < self.max_errors
    }

    /// [`Tally::observe`] for record number `seq` (input order across
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
        let examined = validator.examine(bytes, arena, self.listing());
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
        let shown = locus.of_record();
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
                Some((line, column)) => {
                    if let Some(at) = locus.position_mut() {
                        at.column = Some(match line {
                            1 => at.column.unwrap_or(1) + column - 1,
                            _ => column,
                        });
                        at.line += line - 1;
                    } else if let (Locus::Stream { column: first, .. }, 1) = (&mut locus, line) {
                        *first = Some(first.unwrap_or(1) + column - 1);
                    } else {
                        // A HAR body has no line of the file, a stream
                        // message no line of its own.
                        let of = match locus {
                            Locus::Stream { .. } => "message",
                            _ => "body",
                        };
                        for p in &mut problems {
                            // The message is printable already: kept whole with its suffix.
                            p.message = Text::kept(&format!(
                                "{} (line {line}, column {column} of the {of})",
                                p.message
                            ));
                        }
                    }
                }
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
        let s = &mut self.report.summary;
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
        // Records arrive in increasing `seq` within one tally, so the first
        // `max_errors` kept here include the first `max_errors` overall.
        let error = RecordError {
            place,
            class,
            log_type,
            problems,
            seq,
        };
        let size = error.size();
        if self.listing() && self.error_bytes + size <= MAX_ERROR_BYTES {
            self.error_bytes += size;
            self.report.errors.push(error);
        } else {
            self.report.errors_omitted += 1;
        }
    }

    /// Counts a record that a reader found malformed before parsing (a body
    /// whose content type is not JSON, a broken JSON array), numbered as the
    /// next record observed.
    pub fn malformed(&mut self, place: Place, message: String) {
        let seq = self.report.summary.total;
        self.malformed_at(seq, place, message);
    }

    /// [`Tally::malformed`] for record number `seq` (input order across threads).
    pub(crate) fn malformed_at(&mut self, seq: u64, place: Place, message: String) {
        self.report.summary.total += 1;
        self.report.summary.malformed += 1;
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
        self.report.summary.no_event_responses += 1;
    }

    /// Notes an HTTP response with an error status.
    pub fn error_response(&mut self, place: Place, status: u16) {
        self.report.summary.error_responses += 1;
        if self.report.notes.len() < MAX_NOTES {
            self.report.notes.push(Note {
                place,
                message: Text::new(&format!(
                    "HTTP status {status}: a response without an event"
                )),
            });
        }
    }

    /// Notes an input that could not be read (the first [`MAX_INPUTS`] are listed).
    pub fn unreadable(&mut self, source: &str, message: String) {
        self.report.unreadable(source, message);
    }

    /// Reads all records of `input` (any shape: see [`crate::input`]), named
    /// `source`, and observes them in order on this thread; an input that
    /// cannot be read (in whole or in part) is noted as unreadable.
    pub fn read(
        &mut self,
        validator: &Validator,
        source: &str,
        input: impl Read,
        options: &ReadOptions,
    ) {
        let mut sink = self.sink(validator, source);
        if let Err(e) = read_with(input, &mut sink, options) {
            self.unreadable(source, format!("cannot read: {e}"));
        }
    }

    /// A [`Sink`] that observes each record of `source` into this tally, in
    /// order, on this thread.
    pub fn sink<'a>(&'a mut self, validator: &'a Validator, source: &str) -> TallySink<'a> {
        TallySink {
            validator,
            source: Arc::from(source),
            tally: self,
        }
    }

    /// Adds the tally of another thread of the same run.
    pub fn merge(&mut self, other: Tally) {
        let Tally {
            report: o,
            acc,
            error_bytes,
            ..
        } = other;
        let r = &mut self.report;
        let s = &mut r.summary;
        s.total += o.summary.total;
        s.valid += o.summary.valid;
        s.invalid += o.summary.invalid;
        s.malformed += o.summary.malformed;
        s.unknown_type += o.summary.unknown_type;
        s.no_event_responses += o.summary.no_event_responses;
        s.error_responses += o.summary.error_responses;
        s.unreadable_inputs += o.summary.unreadable_inputs;
        for (log_type, c) in o.summary.by_log_type {
            s.counts_of(log_type, c.unknown_type > 0).add(c);
        }
        s.other_log_types.add(o.summary.other_log_types);
        r.errors.extend(o.errors);
        self.error_bytes += error_bytes;
        r.errors_omitted += o.errors_omitted;
        r.notes.extend(o.notes);
        r.inputs.extend(o.inputs);
        r.inputs.truncate(MAX_INPUTS);
        self.acc.merge(acc);
    }

    /// The report: errors in input order, the first `max_errors` kept, and
    /// the drift tables.
    pub fn finish(self, validator: &Validator) -> Report {
        let mut report = self.report;
        report.errors.sort_by_key(|e| e.seq);
        report.cap_errors(self.max_errors);
        report.notes.truncate(MAX_NOTES);
        report.drift = self
            .acc
            .report(validator.compiled(), validator.options().show_values);
        report
    }
}

/// The [`Sink`] of a [`Tally`] ([`Tally::sink`]): each record an input
/// reader finds is observed at once, placed in its source.
#[derive(Debug)]
pub struct TallySink<'a> {
    validator: &'a Validator,
    source: Arc<str>,
    tally: &'a mut Tally,
}

impl TallySink<'_> {
    fn place(&self, locus: Locus) -> Place {
        Place::new(self.source.clone(), locus)
    }
}

impl Sink for TallySink<'_> {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        let place = self.place(locus);
        self.tally.observe(self.validator, place, bytes);
    }

    fn malformed(&mut self, locus: Locus, message: String) {
        let place = self.place(locus);
        self.tally.malformed(place, message);
    }

    fn no_event(&mut self, _locus: Locus) {
        self.tally.no_event();
    }

    fn error_response(&mut self, locus: Locus, status: u16) {
        let place = self.place(locus);
        self.tally.error_response(place, status);
    }
}
