//! The items of a report read back: its summary, listed errors, notes and
//! drift tables, each read within the caps of a run (the document around
//! them is read in [`super`]).

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer};

use super::{First, Items, Rates, Table, once};
use crate::classify::{Class, MAX_PROBLEMS};
use crate::drift::{Budget, DriftReport, Name};
use crate::place::{Member, PlaceReader};
use crate::problem::{Message, Problem};
use crate::report::{Note, RecordError, Summary, TypeCounts};

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
