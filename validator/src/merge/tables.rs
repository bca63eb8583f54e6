//! Merging the drift tables of two reports: entries add by key, the first
//! place kept, within the caps of a run.

use std::collections::{BTreeMap, HashMap};

use crate::drift::{DriftReport, Entry, FieldRates, Group, MAX_DISTINCT, Name, rate};

/// The order of each event type's documented fields, as the reports list
/// them in their rates (every type with an event has all its fields there).
struct FieldOrder(HashMap<Name, HashMap<Name, usize>>);

impl FieldOrder {
    fn new(tables: [&[FieldRates]; 2]) -> Self {
        let mut order: HashMap<Name, HashMap<Name, usize>> = HashMap::new();
        for table in tables {
            let mut seen: HashMap<&Name, HashMap<Name, usize>> = HashMap::new();
            for rates in table {
                let fields = seen.entry(&rates.log_type).or_default();
                let next = fields.len();
                fields.entry(rates.field.clone()).or_insert(next);
            }
            for (log_type, fields) in seen {
                order.entry(log_type.clone()).or_insert(fields);
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

/// One drift table of both reports, in the report's order (`key`), at most
/// [`MAX_DISTINCT`] entries per group ([`Entry::group`]); entries that find
/// their group full are counted in `dropped`.
fn table<T: Entry, K: Ord + Clone>(
    mine: Vec<T>,
    theirs: Vec<T>,
    key: impl Fn(&T) -> K,
    dropped: &mut u64,
) -> Result<Vec<T>, &'static str> {
    let mut out: BTreeMap<K, T> = BTreeMap::new();
    let mut sizes: HashMap<Group, usize> = HashMap::new();
    for mut entry in mine.into_iter().chain(theirs) {
        let k = key(&entry);
        if let Some(kept) = out.get_mut(&k) {
            let (count, first) = entry.seen();
            let (kept_count, kept_first) = kept.seen();
            *kept_count = kept_count.checked_add(*count).ok_or("drift counts")?;
            if first.is_before(kept_first) {
                *kept_first = first.clone();
            }
            continue;
        }
        let group = entry.group();
        let size = sizes.entry(group.clone()).or_default();
        if group.is_none() || *size < MAX_DISTINCT {
            *size += 1;
            out.insert(k, entry);
        } else {
            *dropped = dropped.checked_add(*entry.seen().0).ok_or("drift counts")?;
        }
    }
    Ok(out.into_values().collect())
}

pub(super) fn add_drift(
    mine: DriftReport,
    theirs: DriftReport,
) -> Result<DriftReport, &'static str> {
    let order = FieldOrder::new([&mine.fields[..], &theirs.fields[..]]);
    let mut dropped = mine
        .dropped
        .checked_add(theirs.dropped)
        .ok_or("drift counts")?;
    let undocumented_fields = table(
        mine.undocumented_fields,
        theirs.undocumented_fields,
        |e| (e.log_type.clone(), e.field.clone()),
        &mut dropped,
    )?;
    let unknown_values = table(
        mine.unknown_values,
        theirs.unknown_values,
        |e| {
            let rank = order.rank(&e.log_type, &e.field);
            (e.log_type.clone(), rank, e.field.clone(), e.value.clone())
        },
        &mut dropped,
    )?;
    let quirk_forms = table(
        mine.quirk_forms,
        theirs.quirk_forms,
        |e| {
            let rank = order.rank(&e.log_type, &e.field);
            (e.log_type.clone(), rank, e.field.clone(), e.form.clone())
        },
        &mut dropped,
    )?;
    let unknown_types = table(
        mine.unknown_types,
        theirs.unknown_types,
        |e| e.log_type.clone(),
        &mut dropped,
    )?;
    let mut drift = DriftReport {
        undocumented_fields,
        unknown_values,
        quirk_forms,
        unknown_types,
        fields: add_rates(&order, mine.fields, theirs.fields)?,
        dropped,
    };
    // Both within MAX_DRIFT_BYTES, their union may not be.
    if !drift.fit() {
        return Err("drift counts");
    }
    Ok(drift)
}

/// Null and absent counts add; the rates are computed again.
fn add_rates(
    order: &FieldOrder,
    mine: Vec<FieldRates>,
    theirs: Vec<FieldRates>,
) -> Result<Vec<FieldRates>, &'static str> {
    let mut out: BTreeMap<(Name, usize, Name), FieldRates> = BTreeMap::new();
    for rates in mine.into_iter().chain(theirs) {
        let rank = order.rank(&rates.log_type, &rates.field);
        let key = (rates.log_type.clone(), rank, rates.field.clone());
        match out.get_mut(&key) {
            Some(kept) => {
                let add = |a: u64, b: u64| a.checked_add(b).ok_or("null and absent counts");
                kept.events = add(kept.events, rates.events)?;
                kept.absent = add(kept.absent, rates.absent)?;
                kept.null = add(kept.null, rates.null)?;
            }
            None => {
                out.insert(key, rates);
            }
        }
    }
    Ok(out
        .into_values()
        .map(|mut r| {
            r.absent_rate = rate(r.absent, r.events);
            r.null_rate = rate(r.null, r.events);
            r
        })
        .collect())
}
