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
//! use aperture_events_validator::{Report, merge};
//! # let text = serde_json::to_string(&Report::new(Default::default())).unwrap();
//! let a: Report = serde_json::from_str(&text)?;
//! let b: Report = serde_json::from_str(&text)?;
//! let whole = merge::merge([a, b], merge::DEFAULT_MAX_ERRORS)?;
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
//! listed (the rest counted in `errors_omitted`), [`MAX_DISTINCT`] entries
//! per drift table (the rest counted in `dropped`), [`MAX_LOG_TYPES`]
//! unknown types in the summary, and 100 notes.
//!
//! A report read back has no accumulator: merge it here, never with
//! [`Report::merge`] (the threads of one run), and do not
//! [`Report::finish`] it again.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer};

use crate::drift::{
    DriftReport, FieldRates, MAX_DISTINCT, QuirkForm, UndocumentedField, UnknownType, UnknownValue,
    rate,
};
use crate::place::Place;
use crate::report::{InputError, MAX_NOTES, Note, RecordError, Report, Summary, TypeCounts};
use crate::{Locus, Reading};

pub use crate::report::{DEFAULT_MAX_ERRORS, MAX_LOG_TYPES};

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
}

/// A report's summary as written, before its reading is checked.
#[derive(Deserialize)]
struct SummaryDoc {
    reading: String,
    total: u64,
    valid: u64,
    invalid: u64,
    malformed: u64,
    unknown_type: u64,
    #[serde(default)]
    by_log_type: BTreeMap<String, TypeCounts>,
    #[serde(default)]
    other_log_types: TypeCounts,
    #[serde(default)]
    no_event_responses: u64,
    #[serde(default)]
    error_responses: u64,
    #[serde(default)]
    unreadable_inputs: u64,
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = SummaryDoc::deserialize(deserializer)?;
        let reading = match doc.reading.as_str() {
            "tolerant" => "tolerant",
            "strict" => "strict",
            other => {
                return Err(serde::de::Error::custom(format_args!(
                    "unknown reading `{}`: expected `tolerant` or `strict`",
                    crate::mask::truncate(other, 40)
                )));
            }
        };
        Ok(Summary {
            reading,
            total: doc.total,
            valid: doc.valid,
            invalid: doc.invalid,
            malformed: doc.malformed,
            unknown_type: doc.unknown_type,
            by_log_type: doc.by_log_type,
            other_log_types: doc.other_log_types,
            no_event_responses: doc.no_event_responses,
            error_responses: doc.error_responses,
            unreadable_inputs: doc.unreadable_inputs,
        })
    }
}

/// The `--format json` document.
#[derive(Deserialize)]
struct Document {
    summary: Summary,
    errors: Vec<RecordError>,
    #[serde(default)]
    errors_omitted: u64,
    drift: DriftReport,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    inputs: Vec<InputError>,
}

impl<'de> Deserialize<'de> for Report {
    /// A finished report from its `--format json` document.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = Document::deserialize(deserializer)?;
        let reading = match doc.summary.reading {
            "strict" => Reading::Strict,
            _ => Reading::Tolerant,
        };
        let mut report = Report::new(reading).with_max_errors(doc.errors.len());
        report.summary = doc.summary;
        report.errors = doc.errors;
        report.errors_omitted = doc.errors_omitted;
        report.drift = doc.drift;
        report.notes = doc.notes;
        report.inputs = doc.inputs;
        Ok(report)
    }
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
    let mut merged = Report::new(first.reading()).with_max_errors(max_errors);
    merged.summary.reading = first.summary.reading;
    add(&mut merged, first, max_errors);
    for (i, report) in reports {
        check(i + 1, &report)?;
        if report.summary.reading != merged.summary.reading {
            return Err(MergeError::Reading {
                index: i + 1,
                expected: merged.summary.reading,
                found: report.summary.reading,
            });
        }
        add(&mut merged, report, max_errors);
    }
    Ok(merged)
}

/// Checks that a report's counts agree with each other.
fn check(index: usize, report: &Report) -> Result<(), MergeError> {
    let s = &report.summary;
    let classes = [s.valid, s.invalid, s.malformed, s.unknown_type]
        .iter()
        .try_fold(0u64, |sum, n| sum.checked_add(*n));
    if classes != Some(s.total) {
        return Err(MergeError::Inconsistent {
            index,
            what: format!(
                "valid + invalid + malformed + unknown_type is not total ({})",
                s.total
            ),
        });
    }
    Ok(())
}

/// Adds `other`, the report of the records after those of `into`.
fn add(into: &mut Report, other: Report, max_errors: usize) {
    add_summary(&mut into.summary, other.summary);
    into.errors = interleave(std::mem::take(&mut into.errors), other.errors, |e| &e.place);
    into.errors_omitted = into.errors_omitted.saturating_add(other.errors_omitted);
    // The caps of a run hold for a merged report too: count and bytes.
    into.cap_errors(max_errors);
    into.notes = interleave(std::mem::take(&mut into.notes), other.notes, |n| &n.place);
    into.notes.truncate(MAX_NOTES);
    into.inputs.extend(other.inputs);
    let drift = std::mem::take(&mut into.drift);
    into.drift = add_drift(drift, other.drift);
}

fn add_summary(s: &mut Summary, o: Summary) {
    s.total = s.total.saturating_add(o.total);
    s.valid = s.valid.saturating_add(o.valid);
    s.invalid = s.invalid.saturating_add(o.invalid);
    s.malformed = s.malformed.saturating_add(o.malformed);
    s.unknown_type = s.unknown_type.saturating_add(o.unknown_type);
    s.no_event_responses = s.no_event_responses.saturating_add(o.no_event_responses);
    s.error_responses = s.error_responses.saturating_add(o.error_responses);
    s.unreadable_inputs = s.unreadable_inputs.saturating_add(o.unreadable_inputs);
    for (log_type, counts) in o.by_log_type {
        // Documented types never count as unknown, so they always find room.
        s.counts_of(log_type, counts.unknown_type > 0).add(counts);
    }
    s.other_log_types.add(o.other_log_types);
}

/// The position of a place in its source, for places of the same source.
fn position(locus: &Locus) -> [Option<u64>; 5] {
    [
        locus.line,
        locus.column,
        locus.response,
        locus.entry,
        locus.index,
    ]
}

/// Whether `theirs` (of a later report) comes before `mine`: only a place
/// further up the same source does.
fn before(theirs: &Place, mine: &Place) -> bool {
    theirs.source == mine.source && position(&theirs.locus) < position(&mine.locus)
}

/// The items of two lists in input order (each list is in input order).
fn interleave<T>(mine: Vec<T>, theirs: Vec<T>, place: impl Fn(&T) -> &Place) -> Vec<T> {
    let mut out = Vec::with_capacity(mine.len() + theirs.len());
    let mut theirs = theirs.into_iter().peekable();
    for item in mine {
        while let Some(next) = theirs.next_if(|t| before(place(t), place(&item))) {
            out.push(next);
        }
        out.push(item);
    }
    out.extend(theirs);
    out
}

/// The order of each event type's documented fields, as the reports list
/// them in their rates (every type with an event has all its fields there).
struct FieldOrder(HashMap<String, HashMap<String, usize>>);

impl FieldOrder {
    fn new(tables: [&[FieldRates]; 2]) -> Self {
        let mut order: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for table in tables {
            let mut seen: HashMap<&str, HashMap<String, usize>> = HashMap::new();
            for rates in table {
                let fields = seen.entry(&rates.log_type).or_default();
                let next = fields.len();
                fields.entry(rates.field.clone()).or_insert(next);
            }
            for (log_type, fields) in seen {
                order.entry(log_type.to_owned()).or_insert(fields);
            }
        }
        FieldOrder(order)
    }

    /// The field's rank in its type (a field no rate lists comes after, by name).
    fn rank(&self, log_type: &str, field: &str) -> usize {
        self.0
            .get(log_type)
            .and_then(|fields| fields.get(field).copied())
            .unwrap_or(usize::MAX)
    }
}

/// An entry of a drift table: counted, first seen somewhere.
trait Entry {
    fn seen(&mut self) -> (&mut u64, &mut Place);
}

macro_rules! entry {
    ($($t:ty),*) => {$(
        impl Entry for $t {
            fn seen(&mut self) -> (&mut u64, &mut Place) {
                (&mut self.count, &mut self.first)
            }
        }
    )*};
}
entry!(UndocumentedField, UnknownValue, QuirkForm, UnknownType);

/// One drift table of both reports, in the report's order (`key`), at most
/// `cap` entries per `group` of the key; entries that find their group full
/// are counted in `dropped`.
fn table<T: Entry, K: Ord + Clone, G: std::hash::Hash + Eq>(
    mine: Vec<T>,
    theirs: Vec<T>,
    key: impl Fn(&T) -> K,
    group: impl Fn(&K) -> G,
    cap: usize,
    dropped: &mut u64,
) -> Vec<T> {
    let mut out: BTreeMap<K, T> = BTreeMap::new();
    let mut sizes: HashMap<G, usize> = HashMap::new();
    for mut entry in mine.into_iter().chain(theirs) {
        let k = key(&entry);
        if let Some(kept) = out.get_mut(&k) {
            let (count, first) = entry.seen();
            let (kept_count, kept_first) = kept.seen();
            *kept_count = kept_count.saturating_add(*count);
            if before(first, kept_first) {
                *kept_first = first.clone();
            }
            continue;
        }
        let size = sizes.entry(group(&k)).or_default();
        if *size < cap {
            *size += 1;
            out.insert(k, entry);
        } else {
            *dropped = dropped.saturating_add(*entry.seen().0);
        }
    }
    out.into_values().collect()
}

fn add_drift(mine: DriftReport, theirs: DriftReport) -> DriftReport {
    let order = FieldOrder::new([&mine.fields[..], &theirs.fields[..]]);
    let mut dropped = mine.dropped.saturating_add(theirs.dropped);
    let undocumented_fields = table(
        mine.undocumented_fields,
        theirs.undocumented_fields,
        |e| (e.log_type.clone(), e.field.clone()),
        |k| k.0.clone(),
        MAX_DISTINCT,
        &mut dropped,
    );
    let unknown_values = table(
        mine.unknown_values,
        theirs.unknown_values,
        |e| {
            let rank = order.rank(&e.log_type, &e.field);
            (e.log_type.clone(), rank, e.field.clone(), e.value.clone())
        },
        |k| (k.0.clone(), k.2.clone()),
        MAX_DISTINCT,
        &mut dropped,
    );
    // Quirk forms are few per field (one per form): no cap in a run either.
    let quirk_forms = table(
        mine.quirk_forms,
        theirs.quirk_forms,
        |e| {
            let rank = order.rank(&e.log_type, &e.field);
            (e.log_type.clone(), rank, e.field.clone(), e.form.clone())
        },
        |_| (),
        usize::MAX,
        &mut dropped,
    );
    let unknown_types = table(
        mine.unknown_types,
        theirs.unknown_types,
        |e| e.log_type.clone(),
        |_| (),
        MAX_DISTINCT,
        &mut dropped,
    );
    DriftReport {
        undocumented_fields,
        unknown_values,
        quirk_forms,
        unknown_types,
        fields: add_rates(&order, mine.fields, theirs.fields),
        dropped,
    }
}

/// Null and absent counts add; the rates are computed again.
fn add_rates(
    order: &FieldOrder,
    mine: Vec<FieldRates>,
    theirs: Vec<FieldRates>,
) -> Vec<FieldRates> {
    let mut out: BTreeMap<(String, usize, String), FieldRates> = BTreeMap::new();
    for rates in mine.into_iter().chain(theirs) {
        let rank = order.rank(&rates.log_type, &rates.field);
        let key = (rates.log_type.clone(), rank, rates.field.clone());
        match out.get_mut(&key) {
            Some(kept) => {
                kept.events = kept.events.saturating_add(rates.events);
                kept.absent = kept.absent.saturating_add(rates.absent);
                kept.null = kept.null.saturating_add(rates.null);
            }
            None => {
                out.insert(key, rates);
            }
        }
    }
    out.into_values()
        .map(|mut r| {
            r.absent_rate = rate(r.absent, r.events);
            r.null_rate = rate(r.null, r.events);
            r
        })
        .collect()
}
