//! Merging finished reports: many validators, one report.
//!
//! A fleet of validators (one per journal, or several sharing a durable
//! consumer of a stream) each print a `--format json` report; [`merge`]
//! combines them into the report of all their records together:
//! counts add, drift tables combine, and where two reports saw the same
//! thing the first place is kept. A report read back from JSON is a
//! [`Report`] (it implements `Deserialize`), so a merged report prints in
//! every output format and gives the same exit code as a single run.
//!
//! ```
//! use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
//! use aperture_events_validator::{Report, merge};
//! # let text = serde_json::to_string(&Report::new(Default::default())).unwrap();
//! let a = merge::read(text.as_bytes(), DEFAULT_MAX_ERRORS)?;
//! let b: Report = serde_json::from_str(&text)?;
//! let whole = merge::merge([a, b], DEFAULT_MAX_ERRORS)?;
//! assert_eq!(whole.summary.total, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//! The reports are taken as the runs of consecutive parts of one input, in
//! the order given: merging the reports of the files of a capture split
//! into groups (in order) gives the report of the whole capture. Which of
//! two places comes first is decided by their position when both name the
//! same source (a stream's messages, whose line is the stream sequence, read
//! by several validators at once), and otherwise by the order of the
//! reports. The caps of a single run hold: at most `max_errors` errors
//! listed within [`MAX_ERROR_BYTES`](crate::report::MAX_ERROR_BYTES) (the
//! rest counted in `errors_omitted`), [`MAX_DISTINCT`](crate::drift::MAX_DISTINCT) entries per drift
//! table within [`MAX_DRIFT_BYTES`](crate::drift::MAX_DRIFT_BYTES) (the rest
//! counted in `dropped`), [`MAX_LOG_TYPES`](crate::limits::MAX_LOG_TYPES) unknown types in the summary,
//! 100 notes and 100 unreadable inputs listed.
//!
//! A report is untrusted input. It is read as a run reads its input
//! ([`read`]): item by item, every text made printable and cut
//! ([`Text`](crate::mask::Text)), every cap applied while it is read, so
//! that merging reports of any size takes at most [`MEMORY_BOUND`]. Counts
//! that contradict each other are refused ([`MergeError::Inconsistent`]),
//! and so are merged counts that would overflow ([`MergeError::Overflow`]):
//! a count is never wrapped nor saturated.
//!
//! This is the one merge of reports; the threads of one run add their
//! [`Tally`](crate::Tally)s before they are finished.

use crate::place::Place;
use crate::report::{MAX_INPUTS, MAX_NOTES, Report, Summary};

mod read;
mod tables;
mod tokens;

pub use read::read;
pub use tokens::MAX_TOKEN;

/// The number of errors a merged report may list, checked: at most
/// [`MAX_LISTED`](crate::report::MAX_LISTED), the most that the error text
/// budget of one report can hold.
///
/// ```
/// use aperture_events_validator::merge;
/// assert_eq!(merge::max_errors(20), Ok(20));
/// assert!(merge::max_errors(10_000_000_000).is_err());
/// ```
pub fn max_errors(n: u64) -> Result<usize, crate::limits::OutOfRange> {
    let max = crate::report::MAX_LISTED as u64;
    crate::limits::within(n, 0, max, "errors (the most a report lists)").map(|n| n as usize)
}

/// The most memory `aperture-validate merge` takes, whatever the number and
/// size of the reports: the program and its buffers, the merged report and
/// the report being read, each within the caps of a run (errors within
/// `MAX_ERROR_BYTES`, drift within `MAX_DRIFT_BYTES`, 100 notes, 100 inputs,
/// 2,000 types, texts cut), the copies a merge makes of them, and a string
/// of [`MAX_TOKEN`] bytes being read. Reports filled to every cap peak at
/// 43 MiB (`validator/benches/merge_attacks.sh`, `validator/README.md`).
pub const MEMORY_BOUND: usize = 64 << 20;

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no report to merge")]
    Empty,
    /// Reports of different readings count different things.
    #[error(
        "report {index} is of the {found} reading and report 1 of the {expected} reading: \
         merge reports of one reading"
    )]
    Reading {
        /// The report (1-based) whose reading differs from the first's.
        index: usize,
        expected: &'static str,
        found: &'static str,
    },
    /// A report whose counts contradict each other (edited by hand, or not a report).
    #[error("report {index}: {what}")]
    Inconsistent { index: usize, what: String },
    /// Adding the counts of report `index` would overflow a 64-bit count.
    #[error("report {index}: the merged {what} would be more than 18446744073709551615")]
    Overflow { index: usize, what: &'static str },
}

/// Merges finished `reports`, taken in order, listing at most `max_errors` errors.
pub fn merge<I>(reports: I, max_errors: usize) -> Result<Report, MergeError>
where
    I: IntoIterator<Item = Report>,
{
    let mut reports = reports.into_iter().enumerate();
    let Some((_, first)) = reports.next() else {
        return Err(MergeError::Empty);
    };
    check(1, &first)?;
    let mut merged = Report::new(first.reading());
    merged.summary.reading = first.summary.reading;
    add(&mut merged, first, max_errors).map_err(|what| MergeError::Overflow { index: 1, what })?;
    for (i, report) in reports {
        check(i + 1, &report)?;
        if report.summary.reading != merged.summary.reading {
            return Err(MergeError::Reading {
                index: i + 1,
                expected: merged.summary.reading,
                found: report.summary.reading,
            });
        }
        add(&mut merged, report, max_errors)
            .map_err(|what| MergeError::Overflow { index: i + 1, what })?;
    }
    Ok(merged)
}

/// Checks that a report's counts agree with each other: the classes add up
/// to `total`, each type's classes are within its total, the types' counts
/// within the summary's (a type's records that are in none of its classes
/// are malformed), and the errors listed and omitted are records.
fn check(index: usize, report: &Report) -> Result<(), MergeError> {
    let s = &report.summary;
    let inconsistent = |what: String| MergeError::Inconsistent { index, what };
    let classes = [s.valid, s.invalid, s.malformed, s.unknown_type]
        .iter()
        .try_fold(0u64, |sum, n| sum.checked_add(*n));
    if classes != Some(s.total) {
        return Err(inconsistent(format!(
            "valid + invalid + malformed + unknown_type is not total ({})",
            s.total
        )));
    }
    let other = ("(other unknown types)", &s.other_log_types);
    // Sums of the types' counts: total, valid, invalid, unknown_type, malformed.
    let mut sums = [0u64; 5];
    for (name, c) in s
        .by_log_type
        .iter()
        .map(|(k, c)| (k.as_str(), c))
        .chain([other])
    {
        let classified = [c.valid, c.invalid, c.unknown_type]
            .iter()
            .try_fold(0u64, |sum, n| sum.checked_add(*n))
            .filter(|n| *n <= c.total);
        let Some(classified) = classified else {
            return Err(inconsistent(format!(
                "log_type `{}`: valid + invalid + unknown_type is more than its total ({})",
                crate::mask::truncate(name, 40),
                c.total
            )));
        };
        let counts = [
            c.total,
            c.valid,
            c.invalid,
            c.unknown_type,
            c.total - classified,
        ];
        for (sum, n) in sums.iter_mut().zip(counts) {
            // An overflow is more than the summary's count: refused below.
            *sum = sum.saturating_add(n);
        }
    }
    let names = ["total", "valid", "invalid", "unknown_type", "malformed"];
    let summary = [s.total, s.valid, s.invalid, s.unknown_type, s.malformed];
    for ((name, sum), of) in names.iter().zip(sums).zip(summary) {
        if sum > of {
            return Err(inconsistent(format!(
                "the log types count {sum} records {name}, more than the summary's {of}"
            )));
        }
    }
    let errors = (report.errors.len() as u64).checked_add(report.errors_omitted);
    if errors.is_none_or(|n| n > s.total) {
        return Err(inconsistent(format!(
            "{} errors listed and {} omitted are more records than total ({})",
            report.errors.len(),
            report.errors_omitted,
            s.total
        )));
    }
    Ok(())
}

/// Adds `other`, the report of the records after those of `into`; on an
/// overflow, says which count.
fn add(into: &mut Report, other: Report, max_errors: usize) -> Result<(), &'static str> {
    add_summary(&mut into.summary, other.summary)?;
    into.errors = interleave(std::mem::take(&mut into.errors), other.errors, |e| &e.place);
    into.errors_omitted = into
        .errors_omitted
        .checked_add(other.errors_omitted)
        .filter(|n| n.checked_add(into.errors.len() as u64).is_some())
        .ok_or("errors_omitted")?;
    // The caps of a run hold for a merged report too: count and bytes.
    into.cap_errors(max_errors);
    into.notes = interleave(std::mem::take(&mut into.notes), other.notes, |n| &n.place);
    into.notes.truncate(MAX_NOTES);
    into.inputs.extend(other.inputs);
    into.inputs.truncate(MAX_INPUTS);
    let drift = std::mem::take(&mut into.drift);
    into.drift = tables::add_drift(drift, other.drift)?;
    Ok(())
}

fn add_summary(s: &mut Summary, o: Summary) -> Result<(), &'static str> {
    let counts = [
        (&mut s.total, o.total, "total"),
        (&mut s.valid, o.valid, "valid"),
        (&mut s.invalid, o.invalid, "invalid"),
        (&mut s.malformed, o.malformed, "malformed"),
        (&mut s.unknown_type, o.unknown_type, "unknown_type"),
        (
            &mut s.no_event_responses,
            o.no_event_responses,
            "no_event_responses",
        ),
        (&mut s.error_responses, o.error_responses, "error_responses"),
        (
            &mut s.unreadable_inputs,
            o.unreadable_inputs,
            "unreadable_inputs",
        ),
    ];
    for (mine, theirs, name) in counts {
        *mine = mine.checked_add(theirs).ok_or(name)?;
    }
    for (log_type, counts) in o.by_log_type {
        // Documented types never count as unknown, so they find room (up to twice MAX_LOG_TYPES).
        let slot = s.counts_of(log_type, counts.unknown_type > 0);
        *slot = slot.checked_add(counts).ok_or("counts of a log_type")?;
    }
    s.other_log_types = s
        .other_log_types
        .checked_add(o.other_log_types)
        .ok_or("counts of other log types")?;
    Ok(())
}

/// The items of two lists in input order (each list is in input order).
fn interleave<T>(mine: Vec<T>, theirs: Vec<T>, place: impl Fn(&T) -> &Place) -> Vec<T> {
    let mut out = Vec::with_capacity(mine.len() + theirs.len());
    let mut theirs = theirs.into_iter().peekable();
    for item in mine {
        while let Some(next) = theirs.next_if(|t| place(t).is_before(place(&item))) {
            out.push(next);
        }
        out.push(item);
    }
    out.extend(theirs);
    out
}
