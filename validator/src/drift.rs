//! The drift report: how real traffic departs from the documented contract.
//!
//! Counted for every event object of a documented type, whatever its class:
//! undocumented fields, values outside the known lists of open value sets,
//! quirk forms (values only the tolerant reading accepts, and the
//! undocumented spellings of `x-quirk-values`), unknown event types, and per
//! field the rate of null and absent.
//!
//! # Design
//! Values outside the known lists are shown even without `--show-values`,
//! cut to [`MAX_VALUE`] characters: those fields are categories (actions,
//! roles, verdicts), not personal data, and the set of new values is what the
//! report is for. Each table keeps at most [`MAX_DISTINCT`] distinct entries
//! so that memory stays bounded on hostile input; the rest are counted in
//! `dropped`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::doc::Doc;
use crate::mask::truncate;
use crate::place::Place;
use crate::schemas::Compiled;

/// The most distinct entries kept per table.
pub const MAX_DISTINCT: usize = 1000;
/// The longest unknown value shown.
pub const MAX_VALUE: usize = 40;

/// How often something was seen, and where first.
#[derive(Debug, Clone)]
struct Seen {
    count: u64,
    first_seq: u64,
    first: Place,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.count += other.count;
        if other.first_seq < self.first_seq {
            self.first_seq = other.first_seq;
            self.first = other.first;
        }
    }
}

#[derive(Debug, Clone, Default)]
struct TypeDrift {
    events: u64,
    present: Vec<u64>,
    null: Vec<u64>,
    undocumented: HashMap<String, Seen>,
    unknown_values: HashMap<(usize, String), Seen>,
    quirks: HashMap<(usize, String), Seen>,
}

/// Drift counts accumulated while records are read; merged across threads.
#[derive(Debug, Clone, Default)]
pub(crate) struct DriftAcc {
    types: Vec<TypeDrift>,
    unknown_types: HashMap<String, Seen>,
    dropped: u64,
}

fn bump<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Seen>,
    dropped: &mut u64,
    key: K,
    seq: u64,
    place: &dyn Fn() -> Place,
) {
    if let Some(seen) = map.get_mut(&key) {
        seen.count += 1;
    } else if map.len() < MAX_DISTINCT {
        map.insert(
            key,
            Seen {
                count: 1,
                first_seq: seq,
                first: place(),
            },
        );
    } else {
        *dropped += 1;
    }
}

fn merge_maps<K: std::hash::Hash + Eq>(
    into: &mut HashMap<K, Seen>,
    from: HashMap<K, Seen>,
    dropped: &mut u64,
) {
    for (key, seen) in from {
        if let Some(mine) = into.get_mut(&key) {
            mine.merge(seen);
        } else if into.len() < MAX_DISTINCT {
            into.insert(key, seen);
        } else {
            *dropped += seen.count;
        }
    }
}

impl DriftAcc {
    /// Counts an event whose `log_type` names no documented type.
    pub fn unknown_type(&mut self, log_type: &str, seq: u64, place: &dyn Fn() -> Place) {
        match self.unknown_types.get_mut(log_type) {
            Some(seen) => seen.count += 1,
            None => bump(
                &mut self.unknown_types,
                &mut self.dropped,
                log_type.to_owned(),
                seq,
                place,
            ),
        }
    }

    /// Counts the fields of an event of documented type `type_index`.
    pub fn event(
        &mut self,
        compiled: &Compiled,
        type_index: usize,
        event: &Doc<'_>,
        seq: u64,
        place: &dyn Fn() -> Place,
    ) {
        let Some(table) = compiled.types.get(type_index).map(|t| &t.fields) else {
            return;
        };
        if self.types.len() < compiled.types.len() {
            self.types
                .resize_with(compiled.types.len(), TypeDrift::default);
        }
        let acc = &mut self.types[type_index];
        if acc.present.len() < table.len() {
            acc.present.resize(table.len(), 0);
            acc.null.resize(table.len(), 0);
        }
        acc.events += 1;
        let Doc::Object(members) = event else { return };
        for (key, value) in members {
            let Some(i) = table.position(key) else {
                match acc.undocumented.get_mut(key.as_ref()) {
                    Some(seen) => seen.count += 1,
                    None => bump(
                        &mut acc.undocumented,
                        &mut self.dropped,
                        key.to_string(),
                        seq,
                        place,
                    ),
                }
                continue;
            };
            acc.present[i] += 1;
            if value.is_null() {
                acc.null[i] += 1;
            }
            let field = &table.fields()[i];
            if field.is_unknown_value(value) {
                let shown = truncate(value.as_str().unwrap_or_default(), MAX_VALUE);
                bump(
                    &mut acc.unknown_values,
                    &mut self.dropped,
                    (i, shown),
                    seq,
                    place,
                );
            }
            if let Some(form) = field.quirk_form(value) {
                bump(&mut acc.quirks, &mut self.dropped, (i, form), seq, place);
            }
        }
    }

    /// Adds another thread's counts.
    pub fn merge(&mut self, other: DriftAcc) {
        self.dropped += other.dropped;
        merge_maps(
            &mut self.unknown_types,
            other.unknown_types,
            &mut self.dropped,
        );
        if self.types.len() < other.types.len() {
            self.types
                .resize_with(other.types.len(), TypeDrift::default);
        }
        for (mine, theirs) in self.types.iter_mut().zip(other.types) {
            mine.events += theirs.events;
            if mine.present.len() < theirs.present.len() {
                mine.present.resize(theirs.present.len(), 0);
                mine.null.resize(theirs.null.len(), 0);
            }
            for (i, n) in theirs.present.into_iter().enumerate() {
                mine.present[i] += n;
            }
            for (i, n) in theirs.null.into_iter().enumerate() {
                mine.null[i] += n;
            }
            merge_maps(
                &mut mine.undocumented,
                theirs.undocumented,
                &mut self.dropped,
            );
            merge_maps(
                &mut mine.unknown_values,
                theirs.unknown_values,
                &mut self.dropped,
            );
            merge_maps(&mut mine.quirks, theirs.quirks, &mut self.dropped);
        }
    }

    /// The report, sorted by event type, field and value.
    pub fn report(&self, compiled: &Compiled) -> DriftReport {
        let mut out = DriftReport {
            dropped: self.dropped,
            ..DriftReport::default()
        };
        let unknown: BTreeMap<&String, &Seen> = self.unknown_types.iter().collect();
        for (log_type, seen) in unknown {
            out.unknown_types.push(UnknownType {
                log_type: log_type.clone(),
                count: seen.count,
                first: seen.first.clone(),
            });
        }
        for (t, acc) in self.types.iter().enumerate() {
            let Some(ty) = compiled.types.get(t) else {
                continue;
            };
            let fields = ty.fields.fields();
            let name = |i: usize| fields.get(i).map(|f| f.name.clone()).unwrap_or_default();
            let undocumented: BTreeMap<&String, &Seen> = acc.undocumented.iter().collect();
            for (field, seen) in undocumented {
                out.undocumented_fields.push(UndocumentedField {
                    log_type: ty.log_type.clone(),
                    field: field.clone(),
                    count: seen.count,
                    first: seen.first.clone(),
                });
            }
            let values: BTreeMap<&(usize, String), &Seen> = acc.unknown_values.iter().collect();
            for ((i, value), seen) in values {
                out.unknown_values.push(UnknownValue {
                    log_type: ty.log_type.clone(),
                    field: name(*i),
                    value: value.clone(),
                    count: seen.count,
                    first: seen.first.clone(),
                });
            }
            let quirks: BTreeMap<&(usize, String), &Seen> = acc.quirks.iter().collect();
            for ((i, form), seen) in quirks {
                out.quirk_forms.push(QuirkForm {
                    log_type: ty.log_type.clone(),
                    field: name(*i),
                    form: form.clone(),
                    count: seen.count,
                    first: seen.first.clone(),
                });
            }
            if acc.events == 0 {
                continue;
            }
            for (i, field) in fields.iter().enumerate() {
                let present = acc.present.get(i).copied().unwrap_or(0);
                let null = acc.null.get(i).copied().unwrap_or(0);
                let absent = acc.events - present.min(acc.events);
                out.fields.push(FieldRates {
                    log_type: ty.log_type.clone(),
                    field: field.name.clone(),
                    events: acc.events,
                    absent,
                    null,
                    absent_rate: rate(absent, acc.events),
                    null_rate: rate(null, acc.events),
                });
            }
        }
        out
    }
}

fn rate(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (n as f64 / of as f64 * 1000.0).round() / 1000.0
    }
}

/// The drift report of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DriftReport {
    /// Fields no schema documents for the event's type.
    pub undocumented_fields: Vec<UndocumentedField>,
    /// Strings outside an open value set's known values.
    pub unknown_values: Vec<UnknownValue>,
    /// Values accepted only by the tolerant reading, and undocumented spellings.
    pub quirk_forms: Vec<QuirkForm>,
    /// `log_type` values naming no documented type.
    pub unknown_types: Vec<UnknownType>,
    /// Per event type and documented field: how often it is absent or null.
    pub fields: Vec<FieldRates>,
    /// Occurrences not listed because a table reached its limit of distinct entries.
    pub dropped: u64,
}

impl DriftReport {
    /// Whether anything departs from the contract (the null and absent rates alone are not drift).
    pub fn has_drift(&self) -> bool {
        !(self.undocumented_fields.is_empty()
            && self.unknown_values.is_empty()
            && self.quirk_forms.is_empty()
            && self.unknown_types.is_empty())
            || self.dropped > 0
    }
}

/// An undocumented field.
#[derive(Debug, Clone, Serialize)]
pub struct UndocumentedField {
    pub log_type: String,
    pub field: String,
    pub count: u64,
    pub first: Place,
}

/// A value outside the known list.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownValue {
    pub log_type: String,
    pub field: String,
    pub value: String,
    pub count: u64,
    pub first: Place,
}

/// A quirk form: `null`, `integer`, `string`, `empty string` (a type only the tolerant reading allows) or `spelling X`.
#[derive(Debug, Clone, Serialize)]
pub struct QuirkForm {
    pub log_type: String,
    pub field: String,
    pub form: String,
    pub count: u64,
    pub first: Place,
}

/// An unknown event type.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownType {
    pub log_type: String,
    pub count: u64,
    pub first: Place,
}

/// Null and absent counts of one documented field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldRates {
    pub log_type: String,
    pub field: String,
    pub events: u64,
    pub absent: u64,
    pub null: u64,
    pub absent_rate: f64,
    pub null_rate: f64,
}
