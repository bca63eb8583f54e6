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
use crate::drift::{Budget, DriftReport, Entry, FieldRates, Group, MAX_DISTINCT};
use crate::report::{
    InputError, MAX_ERROR_BYTES, MAX_INPUTS, MAX_NOTES, Note, RecordError, Report, Summary,
};

use super::tokens::Tokens;

mod items;

/// Reads a `--format json` report from `reader`, streaming, listing at most
/// `max_errors` errors (within [`MAX_ERROR_BYTES`]; `usize::MAX` keeps what
/// the report lists, up to that), with every cap of a run applied while it
/// is read.
///
/// ```
/// use aperture_events_validator::{Report, merge};
/// let text = serde_json::to_string(&Report::new(Default::default())).unwrap();
/// let report = merge::read(text.as_bytes(), aperture_events_validator::limits::DEFAULT_MAX_ERRORS)?;
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
