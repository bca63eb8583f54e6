//! Counting drift as records come: per event type, the undocumented
//! fields, the values outside the known lists, the quirk forms and the null
//! and absent counts of each documented field; [`DriftAcc::report`] makes
//! the tables of the [`DriftReport`], masked and capped.

use std::collections::{BTreeMap, HashMap};

use super::{
    DriftReport, FieldRates, MAX_DISTINCT, MAX_NAME, MAX_VALUE, Name, QuirkForm, UndocumentedField,
    UnknownType, UnknownValue, rate,
};
use crate::doc::Doc;
use crate::mask::{Text, category, printable};
use crate::place::Place;
use crate::quirk::Quirk;
use crate::schemas::Compiled;

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
