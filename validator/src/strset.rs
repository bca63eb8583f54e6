//! A small set of strings, looked up many times per event.
//!
//! Every key of every event is looked up among its type's documented fields,
//! and every value of an open value set among its known values. Those sets
//! are small (a few dozen names) and fixed for the run, and the lookups are
//! most of the drift report's cost, so they get a table of their own.
//!
//! # Design
//! An open-addressing table, mostly empty so that probes stay short, hashed
//! on the length and three bytes of a string: cheaper than a general hash
//! for short keys, and the length in the hash keeps most probes from
//! comparing bytes at all. Entries keep their index in the order given.

/// A set of strings; [`StrSet::position`] gives a string's index in the list it was built from.
#[derive(Debug, Clone, Default)]
pub struct StrSet {
    items: Vec<String>,
    /// Each slot holds an index into `items`, or `EMPTY`.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

/// A cheap hash of a string: its length and its first, middle and last bytes.
#[inline]
fn hash(bytes: &[u8]) -> usize {
    let (first, last, mid) = match bytes {
        [] => (0, 0, 0),
        [first, .., last] => (*first, *last, bytes[bytes.len() / 2]),
        [only] => (*only, *only, *only),
    };
    bytes.len().wrapping_mul(131)
        ^ usize::from(first).wrapping_mul(31)
        ^ usize::from(last).wrapping_mul(7)
        ^ usize::from(mid).wrapping_mul(17)
}

impl StrSet {
    /// The set of `items`; a repeated string keeps its first index.
    pub fn new<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let items: Vec<String> = items.into_iter().map(Into::into).collect();
        // At least four slots per item: probes rarely go past the first.
        let size = (items.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![EMPTY; size];
        for (i, text) in items.iter().enumerate() {
            let mut slot = hash(text.as_bytes()) & (size - 1);
            loop {
                match slots[slot] {
                    EMPTY => {
                        slots[slot] = i as u32;
                        break;
                    }
                    j if items[j as usize] == *text => break,
                    _ => slot = (slot + 1) & (size - 1),
                }
            }
        }
        StrSet { items, slots }
    }

    /// The index of `text` in the list the set was built from.
    #[inline]
    pub fn position(&self, text: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = hash(text.as_bytes()) & mask;
        // The table is never full, so an empty slot ends every probe.
        loop {
            let index = *self.slots.get(slot)?;
            if *self.items.get(index as usize)? == text {
                return Some(index as usize);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The strings, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(String::as_str)
    }

    /// Whether `text` is in the set.
    #[inline]
    pub fn contains(&self, text: &str) -> bool {
        self.position(text).is_some()
    }

    /// How many strings the set holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_its_strings_and_nothing_else() {
        let names = [
            "log_type",
            "timestamp",
            "item_name",
            "item_type",
            "cloud_app_instance",
            "a",
            "a\0",
            "",
            "exactly_16_bytes",
            "exactly_16_byteS",
            "seventeen_bytes__",
        ];
        let set = StrSet::new(names);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(set.position(name), Some(i), "{name:?}");
        }
        for other in [
            "log_typ",
            "log_type_",
            "a\0\0",
            "\0",
            "exactly_16_bytez",
            "seventeen_bytes_",
            "seventeen_bytes___",
            "Timestamp",
        ] {
            assert_eq!(set.position(other), None, "{other:?}");
        }
    }

    #[test]
    fn an_empty_set_finds_nothing() {
        let set = StrSet::new(Vec::<String>::new());
        assert_eq!(set.position(""), None);
        assert!(set.is_empty());
    }

    #[test]
    fn many_strings_with_colliding_hashes_are_all_found() {
        // Same length, same first, middle and last bytes: one hash for all.
        let names: Vec<String> = (0..300).map(|i| format!("a{i:03}xa{i:03}z")).collect();
        let set = StrSet::new(names.iter().cloned());
        for (i, name) in names.iter().enumerate() {
            assert_eq!(set.position(name), Some(i));
        }
        assert_eq!(set.position("a999xa999z"), None);
    }
}
