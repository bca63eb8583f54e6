//! The drift report: how real traffic departs from the documented contract.
//!
//! Counted for every event object of a documented type, whatever its class:
//! undocumented fields, values outside the known lists of open value sets,
//! quirk forms (values only the tolerant reading accepts, and the
//! undocumented spellings of `x-quirk-values`), unknown event types, and per
//! field the rate of null and absent.
//!
//! # Design
//! Values outside the known lists, undocumented field names and unknown
//! event types are shown without `--show-values` only when they look like
//! the category they claim to be ([`crate::mask::looks_like_category`]: one
//! word such as `grayware`, or words of the field's documented values), cut
//! to [`MAX_VALUE`] or [`MAX_NAME`] characters; the others are masked
//! (`(masked: 20 characters)`) and counted together by that label: an email
//! sent as `exposure` is personal data, not a new category. Each table (the undocumented fields of a type, the unknown
//! values of a field, the unknown types) keeps at most [`MAX_DISTINCT`]
//! distinct entries so that memory stays bounded on hostile input; the rest
//! are counted in `dropped`, and all the tables of a report hold at most
//! [`MAX_DRIFT_BYTES`] of text (a report read back can name any number of
//! types and fields).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::doc::Doc;
use crate::mask::{Text, category, printable};
use crate::place::Place;
use crate::quirk::Quirk;
use crate::schemas::Compiled;

/// The most distinct entries kept per table.
pub const MAX_DISTINCT: usize = 1000;
/// The longest unknown value shown.
pub const MAX_VALUE: usize = 40;
/// The longest field or event type name kept: longer ones are cut (and
/// counted together when their beginnings agree), so that hostile names
/// cannot fill memory.
pub const MAX_NAME: usize = 100;
/// The most text the drift tables of one report hold, in bytes: names,
/// values and first places, and [`ENTRY_COST`] per entry. [`MAX_DISTINCT`]
/// bounds each table of a type or a field, and a run has as many as its
/// schemas; a report read back could claim any number of types and fields,
/// so the tables are bounded together too. Entries past it are counted in
/// `dropped`, not listed (null and absent rates past it are left out).
pub const MAX_DRIFT_BYTES: usize = 8 << 20;
/// What an entry costs in [`MAX_DRIFT_BYTES`] besides its text (its memory:
/// the entry, its place, the shared strings' headers).
pub const ENTRY_COST: usize = 256;

/// A type's or a field's name as a report holds it: printable, cut to [`MAX_NAME`].
pub type Name = Text<MAX_NAME>;
/// A value outside a field's known list as a report shows it: printable, cut to [`MAX_VALUE`].
pub type ShownValue = Text<MAX_VALUE>;

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
    /// One per documented field, in the order of the type's [`FieldTable`](crate::fields::FieldTable).
    fields: Vec<FieldDrift>,
    undocumented: HashMap<String, Seen>,
}

/// The counts of one documented field.
///
/// # Design
/// Every field of every event is counted here, so the common case costs no
/// allocation and no hashing: quirk forms are a short list keyed by a
/// [`Quirk`] (a handful per field at most), and an unknown value is looked
/// up by `&str` in the field's own table.
#[derive(Debug, Clone, Default)]
struct FieldDrift {
    present: u64,
    null: u64,
    unknown_values: HashMap<String, Seen>,
    quirks: Vec<(Quirk, Seen)>,
}

impl FieldDrift {
    fn merge(&mut self, other: FieldDrift, dropped: &mut u64) {
        self.present += other.present;
        self.null += other.null;
        merge_maps(&mut self.unknown_values, other.unknown_values, dropped);
        for (quirk, seen) in other.quirks {
            match self.quirks.iter_mut().find(|(q, _)| *q == quirk) {
                Some((_, mine)) => mine.merge(seen),
                None => self.quirks.push((quirk, seen)),
            }
        }
    }
}

/// Drift counts accumulated while records are read; merged across threads.
#[derive(Debug, Clone, Default)]
pub(crate) struct DriftAcc {
    types: Vec<TypeDrift>,
    unknown_types: HashMap<String, Seen>,
    dropped: u64,
}

/// Counts `key`, cut to `max` characters, in `map`: looked up borrowed, and
/// allocated only the first time it is seen (and while the map has room).
fn bump(
    map: &mut HashMap<String, Seen>,
    dropped: &mut u64,
    key: &str,
    max: usize,
    seq: u64,
    place: &dyn Fn() -> Place,
) {
    let key = printable(key, max);
    if let Some(seen) = map.get_mut(key.as_ref()) {
        seen.count += 1;
    } else if map.len() < MAX_DISTINCT {
        map.insert(
            key.into_owned(),
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
        bump(
            &mut self.unknown_types,
            &mut self.dropped,
            log_type,
            MAX_NAME,
            seq,
            place,
        );
    }

    /// Counts the fields of an event of documented type `type_index`.
    /// `tolerant_valid` says the tolerant reading accepts the event (so each
    /// of its documented fields), which spares a check per quirk.
    pub fn event(
        &mut self,
        compiled: &Compiled,
        type_index: usize,
        event: &Doc<'_>,
        tolerant_valid: bool,
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
        if acc.fields.len() < table.len() {
            acc.fields.resize_with(table.len(), FieldDrift::default);
        }
        acc.events += 1;
        let Doc::Object(members) = event else { return };
        for (key, value) in members.iter() {
            let Some(i) = table.position(key) else {
                bump(
                    &mut acc.undocumented,
                    &mut self.dropped,
                    key,
                    MAX_NAME,
                    seq,
                    place,
                );
                continue;
            };
            let (Some(field), Some(counts)) = (table.fields().get(i), acc.fields.get_mut(i)) else {
                continue;
            };
            counts.present += 1;
            if value.is_null() {
                counts.null += 1;
            }
            if field.is_unknown_value(value) {
                // Counted as shown: cut to `MAX_VALUE` characters.
                bump(
                    &mut counts.unknown_values,
                    &mut self.dropped,
                    value.as_str().unwrap_or_default(),
                    MAX_VALUE,
                    seq,
                    place,
                );
            }
            if let Some(quirk) = field.quirk(value, tolerant_valid) {
                match counts.quirks.iter_mut().find(|(q, _)| *q == quirk) {
                    Some((_, seen)) => seen.count += 1,
                    None => counts.quirks.push((
                        quirk,
                        Seen {
                            count: 1,
                            first_seq: seq,
                            first: place(),
                        },
                    )),
                }
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
            if mine.fields.len() < theirs.fields.len() {
                mine.fields
                    .resize_with(theirs.fields.len(), FieldDrift::default);
            }
            for (field, counts) in mine.fields.iter_mut().zip(theirs.fields) {
                field.merge(counts, &mut self.dropped);
            }
            merge_maps(
                &mut mine.undocumented,
                theirs.undocumented,
                &mut self.dropped,
            );
        }
    }

    /// The report, sorted by event type, field and value.
    /// Names and values are shown, or masked unless `show`, by [`category`].
    pub fn report(&self, compiled: &Compiled, show: bool) -> DriftReport {
        let mut out = DriftReport {
            dropped: self.dropped,
            ..DriftReport::default()
        };
        let unknown = shown(&self.unknown_types, |t| category::<MAX_NAME>(t, &[], show));
        for (log_type, seen) in unknown {
            out.unknown_types.push(UnknownType {
                log_type,
                count: seen.count,
                first: seen.first.clone(),
            });
        }
        for (t, acc) in self.types.iter().enumerate() {
            let Some(ty) = compiled.types.get(t) else {
                continue;
            };
            let fields = ty.fields.fields();
            let log_type = Name::new(&ty.log_type);
            let undocumented = shown(&acc.undocumented, |f| category::<MAX_NAME>(f, &[], show));
            for (field, seen) in undocumented {
                out.undocumented_fields.push(UndocumentedField {
                    log_type: log_type.clone(),
                    field,
                    count: seen.count,
                    first: seen.first.clone(),
                });
            }
            for (field, counts) in fields.iter().zip(&acc.fields) {
                let vocabulary = vocabulary(field);
                let name = Name::new(&field.name);
                let values = shown(&counts.unknown_values, |v| {
                    category::<MAX_VALUE>(v, &vocabulary, show)
                });
                for (value, seen) in values {
                    out.unknown_values.push(UnknownValue {
                        log_type: log_type.clone(),
                        field: name.clone(),
                        value,
                        count: seen.count,
                        first: seen.first.clone(),
                    });
                }
                let quirks: BTreeMap<Name, &Seen> = counts
                    .quirks
                    .iter()
                    .map(|(quirk, seen)| (Name::new(&field.quirk_name(*quirk)), seen))
                    .collect();
                for (form, seen) in quirks {
                    out.quirk_forms.push(QuirkForm {
                        log_type: log_type.clone(),
                        field: name.clone(),
                        form,
                        count: seen.count,
                        first: seen.first.clone(),
                    });
                }
            }
            if acc.events == 0 {
                continue;
            }
            for (i, field) in fields.iter().enumerate() {
                let (present, null) = acc.fields.get(i).map_or((0, 0), |f| (f.present, f.null));
                let absent = acc.events - present.min(acc.events);
                out.fields.push(FieldRates {
                    log_type: log_type.clone(),
                    field: Name::new(&field.name),
                    events: acc.events,
                    absent,
                    null,
                    absent_rate: rate(absent, acc.events),
                    null_rate: rate(null, acc.events),
                });
            }
        }
        out.fit();
        out
    }
}

/// The entries of `map` by the text shown for them (`label`), sorted; the
/// entries a mask makes alike are counted together, placed at the first.
fn shown<const MAX: usize>(
    map: &HashMap<String, Seen>,
    label: impl Fn(&str) -> Text<MAX>,
) -> BTreeMap<Text<MAX>, Seen> {
    let mut out: BTreeMap<Text<MAX>, Seen> = BTreeMap::new();
    for (key, seen) in map {
        match out.entry(label(key)) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(seen.clone());
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                slot.get_mut().merge(seen.clone());
            }
        }
    }
    out
}

/// The words of a field's documented values (`Admin Quarantine`: `Admin`,
/// `Quarantine`): a value made of them is shown as a category.
fn vocabulary(field: &crate::fields::Field) -> Vec<String> {
    let mut words: Vec<String> = field
        .known_values
        .iter()
        .flat_map(|set| set.iter())
        .chain(field.quirk_values.iter().map(String::as_str))
        .flat_map(|value| value.split([' ', '_', '-']))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

pub(crate) fn rate(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        (n as f64 / of as f64 * 1000.0).round() / 1000.0
    }
}

/// The drift report of a run.
///
/// Read back with `Deserialize` as a report's tables are: each table item
/// by item, within [`MAX_DISTINCT`] per table and [`MAX_DRIFT_BYTES`] in all
/// (see [`crate::merge`]).
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
        self.findings().next().is_some() || self.dropped > 0
    }

    /// Every entry of the drift tables, table by table in the order of the
    /// report (undocumented fields, unknown values, quirk forms, unknown
    /// types), each table in its own order: what every renderer walks.
    ///
    /// ```
    /// use aperture_events_validator::drift::{DriftReport, Finding};
    /// let drift = DriftReport::default();
    /// for finding in drift.findings() {
    ///     match finding {
    ///         Finding::UndocumentedField(f) => println!("{}.{}", f.log_type, f.field),
    ///         other => println!("{} at {}", other.count(), other.first()),
    ///     }
    /// }
    /// ```
    pub fn findings(&self) -> impl Iterator<Item = Finding<'_>> {
        let undocumented = self.undocumented_fields.iter();
        undocumented
            .map(Finding::UndocumentedField)
            .chain(self.unknown_values.iter().map(Finding::UnknownValue))
            .chain(self.quirk_forms.iter().map(Finding::QuirkForm))
            .chain(self.unknown_types.iter().map(Finding::UnknownType))
    }

    /// Keeps the entries within [`MAX_DRIFT_BYTES`], in table order; the
    /// others are counted in `dropped` (rates past it are left out).
    /// Returns false when `dropped` would overflow (it then saturates).
    pub(crate) fn fit(&mut self) -> bool {
        let mut budget = Budget::default();
        let mut dropped = Some(self.dropped);
        budget.keep(&mut self.undocumented_fields, &mut dropped);
        budget.keep(&mut self.unknown_values, &mut dropped);
        budget.keep(&mut self.quirk_forms, &mut dropped);
        budget.keep(&mut self.unknown_types, &mut dropped);
        self.fields.retain(|r| budget.take(r.size()));
        self.dropped = dropped.unwrap_or(u64::MAX);
        dropped.is_some()
    }
}

/// What is left of [`MAX_DRIFT_BYTES`] for the tables of one report.
#[derive(Debug)]
pub(crate) struct Budget(usize);

impl Default for Budget {
    fn default() -> Self {
        Budget(MAX_DRIFT_BYTES)
    }
}

impl Budget {
    /// Takes `size` bytes; false, taking nothing, when they do not fit.
    pub(crate) fn take(&mut self, size: usize) -> bool {
        match self.0.checked_sub(size) {
            Some(left) => {
                self.0 = left;
                true
            }
            None => false,
        }
    }

    /// Keeps the entries of `table` that fit, counting the others in `dropped`.
    fn keep<T: Entry>(&mut self, table: &mut Vec<T>, dropped: &mut Option<u64>) {
        table.retain_mut(|entry| {
            let fits = self.take(entry.size());
            if !fits {
                *dropped = dropped.and_then(|d| d.checked_add(*entry.seen().0));
            }
            fits
        });
    }
}

/// The group of a table's entry that [`MAX_DISTINCT`] bounds: the
/// undocumented fields of a type, the unknown values of a field, all unknown
/// types (quirk forms are a handful per field: `None`, not bounded per group).
pub(crate) type Group = Option<(Name, Option<Name>)>;

/// An entry of a drift table: counted, first seen somewhere.
pub(crate) trait Entry {
    /// Its count and first place.
    fn seen(&mut self) -> (&mut u64, &mut Place);
    /// The group whose entries share [`MAX_DISTINCT`] places.
    fn group(&self) -> Group;
    /// Its cost in [`MAX_DRIFT_BYTES`].
    fn size(&self) -> usize;
}

impl Entry for UndocumentedField {
    fn seen(&mut self) -> (&mut u64, &mut Place) {
        (&mut self.count, &mut self.first)
    }
    fn group(&self) -> Group {
        Some((self.log_type.clone(), None))
    }
    fn size(&self) -> usize {
        ENTRY_COST + self.log_type.len() + self.field.len() + self.first.source.len()
    }
}

impl Entry for UnknownValue {
    fn seen(&mut self) -> (&mut u64, &mut Place) {
        (&mut self.count, &mut self.first)
    }
    fn group(&self) -> Group {
        Some((self.log_type.clone(), Some(self.field.clone())))
    }
    fn size(&self) -> usize {
        ENTRY_COST
            + self.log_type.len()
            + self.field.len()
            + self.value.len()
            + self.first.source.len()
    }
}

impl Entry for QuirkForm {
    fn seen(&mut self) -> (&mut u64, &mut Place) {
        (&mut self.count, &mut self.first)
    }
    fn group(&self) -> Group {
        None
    }
    fn size(&self) -> usize {
        ENTRY_COST
            + self.log_type.len()
            + self.field.len()
            + self.form.len()
            + self.first.source.len()
    }
}

impl Entry for UnknownType {
    fn seen(&mut self) -> (&mut u64, &mut Place) {
        (&mut self.count, &mut self.first)
    }
    fn group(&self) -> Group {
        Some((Name::default(), None))
    }
    fn size(&self) -> usize {
        ENTRY_COST + self.log_type.len() + self.first.source.len()
    }
}

impl FieldRates {
    /// Its cost in [`MAX_DRIFT_BYTES`].
    pub(crate) fn size(&self) -> usize {
        ENTRY_COST + self.log_type.len() + self.field.len()
    }
}

/// One entry of a drift table ([`DriftReport::findings`]). A new table is
/// a new variant: each renderer's `match` then says how it prints it.
#[derive(Debug, Clone, Copy)]
pub enum Finding<'a> {
    UndocumentedField(&'a UndocumentedField),
    UnknownValue(&'a UnknownValue),
    QuirkForm(&'a QuirkForm),
    UnknownType(&'a UnknownType),
}

impl<'a> Finding<'a> {
    /// The events it was seen in.
    pub fn count(&self) -> u64 {
        match self {
            Finding::UndocumentedField(f) => f.count,
            Finding::UnknownValue(v) => v.count,
            Finding::QuirkForm(q) => q.count,
            Finding::UnknownType(t) => t.count,
        }
    }

    /// Where it was first seen.
    pub fn first(&self) -> &'a Place {
        match self {
            Finding::UndocumentedField(f) => &f.first,
            Finding::UnknownValue(v) => &v.first,
            Finding::QuirkForm(q) => &q.first,
            Finding::UnknownType(t) => &t.first,
        }
    }
}

/// An undocumented field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UndocumentedField {
    pub log_type: Name,
    pub field: Name,
    pub count: u64,
    pub first: Place,
}

/// A value outside the known list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnknownValue {
    pub log_type: Name,
    pub field: Name,
    pub value: ShownValue,
    pub count: u64,
    pub first: Place,
}

/// A quirk form: `null`, `integer`, `string`, `empty string` (a type only the tolerant reading allows) or `spelling X`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuirkForm {
    pub log_type: Name,
    pub field: Name,
    pub form: Name,
    pub count: u64,
    pub first: Place,
}

/// An unknown event type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnknownType {
    pub log_type: Name,
    pub count: u64,
    pub first: Place,
}

/// Null and absent counts of one documented field.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldRates {
    pub log_type: Name,
    pub field: Name,
    pub events: u64,
    pub absent: u64,
    pub null: u64,
    pub absent_rate: f64,
    pub null_rate: f64,
}
