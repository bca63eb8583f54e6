//! Reading a report back: untrusted input, read as a run reads its input.
//!
//! A report is read item by item (serde's `SeqAccess` and `MapAccess`),
//! and each list keeps what a run would keep while it is read: at most
//! `max_errors` errors within [`MAX_ERROR_BYTES`] (the others are counted
//! in `errors_omitted` and skipped unread), [`MAX_PROBLEMS`] problems and the
//! one counting the rest per error, [`MAX_NOTES`] notes, [`MAX_INPUTS`]
//! inputs, the types of [`Summary::counts_of`], [`MAX_DISTINCT`] entries per
//! drift table within [`MAX_DRIFT_BYTES`](crate::drift::MAX_DRIFT_BYTES). Every string is a
//! [`Text`](crate::mask::Text): printable and cut. Nothing is held whole:
//! [`read`] also cuts every string longer than [`MAX_TOKEN`](super::MAX_TOKEN) bytes while
//! it reads it (`Tokens`), so memory is bounded whatever the size of the
//! report (the bound: [`super::MEMORY_BOUND`]).

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess};
use serde::{Deserialize, Deserializer};

use crate::Reading;
use crate::classify::{Class, MAX_PROBLEMS};
use crate::drift::{Budget, DriftReport, Entry, FieldRates, Group, MAX_DISTINCT, Name};
use crate::place::{Member, PlaceReader};
use crate::problem::{Message, Problem};
use crate::report::{
    InputError, MAX_ERROR_BYTES, MAX_INPUTS, MAX_NOTES, Note, RecordError, Report, Summary,
    TypeCounts,
};

use super::tokens::Tokens;

/// Reads a `--format json` report from `reader`, streaming, listing at most
/// `max_errors` errors (within [`MAX_ERROR_BYTES`]; `usize::MAX` keeps what
/// the report lists, up to that), with every cap of a run applied while it
/// is read.
///
/// ```
/// use aperture_events_validator::{Report, merge};
/// let text = serde_json::to_string(&Report::new(Default::default())).unwrap();
/// let report = merge::read(text.as_bytes(), merge::DEFAULT_MAX_ERRORS)?;
/// assert_eq!(report.summary.total, 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn read<R: Read>(reader: R, max_errors: usize) -> Result<Report, serde_json::Error> {
    let reader = io::BufReader::with_capacity(64 << 10, Tokens::new(reader));
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let report = ReportSeed { max_errors }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(report)
}

impl<'de> Deserialize<'de> for Report {
    /// A finished report from its `--format json` document, with the caps of
    /// a run ([`read`], keeping every error listed within
    /// [`MAX_ERROR_BYTES`]). Strings are cut to their length once the
    /// deserializer has them: read with [`read`] to cut them while reading.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ReportSeed {
            max_errors: usize::MAX,
        }
        .deserialize(deserializer)
    }
}

/// Where a list's items go, one at a time, as they are read.
trait Sink {
    type Item: DeserializeOwned;
    /// Whether the next item is to be read (if not, it is skipped unread and [`Sink::skip`]ped).
    fn wants(&self) -> bool {
        true
    }
    fn take(&mut self, item: Self::Item) -> Result<(), &'static str>;
    fn skip(&mut self) -> Result<(), &'static str> {
        Ok(())
    }
}

/// A JSON array read into a [`Sink`].
struct Items<S>(S);

impl<'de, S: Sink> DeserializeSeed<'de> for Items<S> {
    type Value = S;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink> de::Visitor<'de> for Items<S> {
    type Value = S;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<S, A::Error> {
        loop {
            if self.0.wants() {
                match seq.next_element::<S::Item>()? {
                    Some(item) => self.0.take(item).map_err(de::Error::custom)?,
                    None => return Ok(self.0),
                }
            } else {
                match seq.next_element::<IgnoredAny>()? {
                    Some(_) => self.0.skip().map_err(de::Error::custom)?,
                    None => return Ok(self.0),
                }
            }
        }
    }
}

/// The first `max` items.
struct First<T> {
    kept: Vec<T>,
    max: usize,
}

impl<T> First<T> {
    fn new(max: usize) -> Self {
        First {
            kept: Vec::new(),
            max,
        }
    }
}

impl<T: DeserializeOwned> Sink for First<T> {
    type Item = T;
    fn wants(&self) -> bool {
        self.kept.len() < self.max
    }
    fn take(&mut self, item: T) -> Result<(), &'static str> {
        self.kept.push(item);
        Ok(())
    }
}

/// The first errors within `max` and [`MAX_ERROR_BYTES`], the others counted.
struct Errors {
    kept: Vec<RecordError>,
    max: usize,
    bytes: usize,
    full: bool,
    omitted: u64,
}

impl Errors {
    fn omit(&mut self) -> Result<(), &'static str> {
        self.full = true;
        self.omitted = self
            .omitted
            .checked_add(1)
            .ok_or("errors_omitted overflows")?;
        Ok(())
    }
}

impl Sink for Errors {
    type Item = RecordError;
    fn wants(&self) -> bool {
        !self.full
    }
    fn take(&mut self, error: RecordError) -> Result<(), &'static str> {
        let size = error.size();
        if self.kept.len() < self.max && self.bytes + size <= MAX_ERROR_BYTES {
            self.bytes += size;
            self.kept.push(error);
            Ok(())
        } else {
            self.omit()
        }
    }
    fn skip(&mut self) -> Result<(), &'static str> {
        self.omit()
    }
}

/// A drift table: [`MAX_DISTINCT`] entries per group, within the report's
/// [`MAX_DRIFT_BYTES`]; the others counted in `dropped`.
struct Table<'a, T> {
    kept: Vec<T>,
    groups: HashMap<Group, usize>,
    budget: &'a mut Budget,
    dropped: &'a mut u64,
}

impl<'a, T> Table<'a, T> {
    fn new(budget: &'a mut Budget, dropped: &'a mut u64) -> Self {
        Table {
            kept: Vec::new(),
            groups: HashMap::new(),
            budget,
            dropped,
        }
    }
}

impl<T: Entry + DeserializeOwned> Sink for Table<'_, T> {
    type Item = T;
    fn take(&mut self, mut entry: T) -> Result<(), &'static str> {
        let group = entry.group();
        let room = group.is_none() || self.groups.get(&group).is_none_or(|n| *n < MAX_DISTINCT);
        if room && self.budget.take(entry.size()) {
            if group.is_some() {
                *self.groups.entry(group).or_default() += 1;
            }
            self.kept.push(entry);
        } else {
            *self.dropped = self
                .dropped
                .checked_add(*entry.seen().0)
                .ok_or("the drift's dropped count overflows")?;
        }
        Ok(())
    }
}

/// Null and absent rates within the report's [`MAX_DRIFT_BYTES`].
struct Rates<'a> {
    kept: Vec<FieldRates>,
    budget: &'a mut Budget,
}

impl Sink for Rates<'_> {
    type Item = FieldRates;
    fn take(&mut self, rates: FieldRates) -> Result<(), &'static str> {
        if self.budget.take(rates.size()) {
            self.kept.push(rates);
        }
        Ok(())
    }
}

/// Sets a member read once; a repeated member is an error (which list would count?).
fn once<T, E: de::Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

/// The report's document, with `max_errors` errors listed.
struct ReportSeed {
    max_errors: usize,
}

impl<'de> DeserializeSeed<'de> for ReportSeed {
    type Value = Report;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Report, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for ReportSeed {
    type Value = Report;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a report of `aperture-validate --format json`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Key {
            Summary,
            Errors,
            ErrorsOmitted,
            Drift,
            Notes,
            Inputs,
            #[serde(other)]
            Other,
        }
        let (mut summary, mut errors, mut omitted, mut drift) = (None, None, None, None);
        let (mut notes, mut inputs) = (None, None);
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Summary => once(&mut summary, "summary", map.next_value::<Summary>()?)?,
                Key::Errors => {
                    let sink = Errors {
                        kept: Vec::new(),
                        max: self.max_errors,
                        bytes: 0,
                        full: false,
                        omitted: 0,
                    };
                    once(&mut errors, "errors", map.next_value_seed(Items(sink))?)?;
                }
                Key::ErrorsOmitted => once(&mut omitted, "errors_omitted", map.next_value()?)?,
                Key::Drift => once(&mut drift, "drift", map.next_value::<DriftReport>()?)?,
                Key::Notes => {
                    let sink = map.next_value_seed(Items(First::<Note>::new(MAX_NOTES)))?;
                    once(&mut notes, "notes", sink.kept)?;
                }
                Key::Inputs => {
                    let sink = map.next_value_seed(Items(First::<InputError>::new(MAX_INPUTS)))?;
                    once(&mut inputs, "inputs", sink.kept)?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let summary = summary.ok_or_else(|| de::Error::missing_field("summary"))?;
        let errors = errors.ok_or_else(|| de::Error::missing_field("errors"))?;
        let drift = drift.ok_or_else(|| de::Error::missing_field("drift"))?;
        let reading = match summary.reading {
            "strict" => Reading::Strict,
            _ => Reading::Tolerant,
        };
        let mut report = Report::new(reading);
        report.summary = summary;
        report.errors_omitted = omitted
            .unwrap_or(0u64)
            .checked_add(errors.omitted)
            .ok_or_else(|| de::Error::custom("errors_omitted overflows"))?;
        report.errors = errors.kept;
        report.drift = drift;
        report.notes = notes.unwrap_or_default();
        report.inputs = inputs.unwrap_or_default();
        Ok(report)
    }
}

/// A report's summary as written, before its reading is checked.
#[derive(Deserialize)]
struct SummaryDoc {
    reading: Name,
    total: u64,
    valid: u64,
    invalid: u64,
    malformed: u64,
    unknown_type: u64,
    #[serde(default)]
    by_log_type: LogTypes,
    #[serde(default)]
    other_log_types: TypeCounts,
    #[serde(default)]
    no_event_responses: u64,
    #[serde(default)]
    error_responses: u64,
    #[serde(default)]
    unreadable_inputs: u64,
}

/// `by_log_type` as a run keeps it ([`Summary::counts_of`]), the types past
/// its caps counted together.
#[derive(Default)]
struct LogTypes(Summary);

impl<'de> Deserialize<'de> for LogTypes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = LogTypes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("counts per log_type")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LogTypes, A::Error> {
                let mut types = Summary::default();
                while let Some((name, counts)) = map.next_entry::<Name, TypeCounts>()? {
                    let slot = types.counts_of(name, counts.unknown_type > 0);
                    *slot = slot
                        .checked_add(counts)
                        .ok_or_else(|| de::Error::custom("counts of a log_type overflow"))?;
                }
                Ok(LogTypes(types))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = SummaryDoc::deserialize(deserializer)?;
        let reading = match doc.reading.as_str() {
            "tolerant" => "tolerant",
            "strict" => "strict",
            other => {
                return Err(de::Error::custom(format_args!(
                    "unknown reading `{}`: expected `tolerant` or `strict`",
                    crate::mask::truncate(other, 40)
                )));
            }
        };
        let LogTypes(types) = doc.by_log_type;
        Ok(Summary {
            reading,
            total: doc.total,
            valid: doc.valid,
            invalid: doc.invalid,
            malformed: doc.malformed,
            unknown_type: doc.unknown_type,
            by_log_type: types.by_log_type,
            other_log_types: doc
                .other_log_types
                .checked_add(types.other_log_types)
                .ok_or_else(|| de::Error::custom("counts of other log types overflow"))?,
            no_event_responses: doc.no_event_responses,
            error_responses: doc.error_responses,
            unreadable_inputs: doc.unreadable_inputs,
        })
    }
}

impl<'de> Deserialize<'de> for RecordError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RecordError;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record error")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordError, A::Error> {
                let mut place = PlaceReader::default();
                let (mut class, mut log_type, mut problems) = (None, None, None);
                while let Some(member) = map.next_key::<Member>()? {
                    if place.read(&member, &mut map)? {
                        continue;
                    }
                    match member {
                        Member::Class => once(&mut class, "class", map.next_value::<Class>()?)?,
                        Member::LogType => {
                            once(&mut log_type, "log_type", map.next_value::<Option<Name>>()?)?;
                        }
                        Member::Problems => {
                            // A run lists MAX_PROBLEMS and one counting the rest.
                            let first = First::<Problem>::new(MAX_PROBLEMS + 1);
                            let sink = map.next_value_seed(Items(first))?;
                            once(&mut problems, "problems", sink.kept)?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RecordError {
                    place: place.finish()?,
                    class: class.ok_or_else(|| de::Error::missing_field("class"))?,
                    log_type: log_type.flatten(),
                    problems: problems.ok_or_else(|| de::Error::missing_field("problems"))?,
                    seq: 0,
                })
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl<'de> Deserialize<'de> for Note {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Note;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a note")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Note, A::Error> {
                let mut place = PlaceReader::default();
                let mut message = None;
                while let Some(member) = map.next_key::<Member>()? {
                    if place.read(&member, &mut map)? {
                        continue;
                    }
                    match member {
                        Member::Message => {
                            once(&mut message, "message", map.next_value::<Message>()?)?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Note {
                    place: place.finish()?,
                    message: message.ok_or_else(|| de::Error::missing_field("message"))?,
                })
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl<'de> Deserialize<'de> for DriftReport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = DriftReport;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a drift report")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DriftReport, A::Error> {
                #[derive(Deserialize)]
                #[serde(field_identifier, rename_all = "snake_case")]
                enum Key {
                    UndocumentedFields,
                    UnknownValues,
                    QuirkForms,
                    UnknownTypes,
                    Fields,
                    Dropped,
                    #[serde(other)]
                    Other,
                }
                let mut budget = Budget::default();
                let mut dropped = 0u64;
                let mut written = None;
                let mut out = DriftReport::default();
                let mut seen = [false; 5];
                while let Some(key) = map.next_key::<Key>()? {
                    let index = match key {
                        Key::UndocumentedFields => 0,
                        Key::UnknownValues => 1,
                        Key::QuirkForms => 2,
                        Key::UnknownTypes => 3,
                        Key::Fields => 4,
                        Key::Dropped => {
                            once(&mut written, "dropped", map.next_value::<u64>()?)?;
                            continue;
                        }
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    if std::mem::replace(&mut seen[index], true) {
                        return Err(de::Error::custom("a drift table is repeated"));
                    }
                    let (budget, dropped) = (&mut budget, &mut dropped);
                    match key {
                        Key::UndocumentedFields => {
                            let table = Items(Table::new(budget, dropped));
                            out.undocumented_fields = map.next_value_seed(table)?.kept;
                        }
                        Key::UnknownValues => {
                            let table = Items(Table::new(budget, dropped));
                            out.unknown_values = map.next_value_seed(table)?.kept;
                        }
                        Key::QuirkForms => {
                            let table = Items(Table::new(budget, dropped));
                            out.quirk_forms = map.next_value_seed(table)?.kept;
                        }
                        Key::UnknownTypes => {
                            let table = Items(Table::new(budget, dropped));
                            out.unknown_types = map.next_value_seed(table)?.kept;
                        }
                        _ => {
                            let rates = Rates {
                                kept: Vec::new(),
                                budget,
                            };
                            out.fields = map.next_value_seed(Items(rates))?.kept;
                        }
                    }
                }
                out.dropped = written
                    .unwrap_or(0)
                    .checked_add(dropped)
                    .ok_or_else(|| de::Error::custom("the drift's dropped count overflows"))?;
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}
