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
//! the category they claim to be (`looks_like_category`: one
//! word such as `grayware`, or words of the field's documented values), cut
//! to [`MAX_VALUE`] or [`MAX_NAME`] characters; the others are masked
//! (`(masked: 20 characters)`) and counted together by that label: an email
//! sent as `exposure` is personal data, not a new category. Each table (the undocumented fields of a type, the unknown
//! values of a field, the unknown types) keeps at most [`MAX_DISTINCT`]
//! distinct entries so that memory stays bounded on hostile input; the rest
//! are counted in `dropped`, and all the tables of a report hold at most
//! [`MAX_DRIFT_BYTES`] of text (a report read back can name any number of
//! types and fields).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::mask::Text;
use crate::place::Place;

pub(crate) mod acc;

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

/// `n` in `of`, rounded to 0.001 (0 of nothing).
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
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[schemars(
    default,
    description = "How the records depart from the documented contract; entries past a table's cap are counted in `dropped`."
)]
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UndocumentedField {
    pub log_type: Name,
    pub field: Name,
    pub count: u64,
    pub first: Place,
}

/// A value outside the known list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UnknownValue {
    pub log_type: Name,
    pub field: Name,
    pub value: ShownValue,
    pub count: u64,
    pub first: Place,
}

/// A quirk form: `null`, `integer`, `string`, `empty string` (a type only the tolerant reading allows) or `spelling X`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QuirkForm {
    pub log_type: Name,
    pub field: Name,
    pub form: Name,
    pub count: u64,
    pub first: Place,
}

/// An unknown event type.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UnknownType {
    pub log_type: Name,
    pub count: u64,
    pub first: Place,
}

/// Null and absent counts of one documented field.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FieldRates {
    pub log_type: Name,
    pub field: Name,
    pub events: u64,
    pub absent: u64,
    pub null: u64,
    pub absent_rate: f64,
    pub null_rate: f64,
}
