//! The seeds that build a [`Doc`] from serde_json's tokens in an arena,
//! charging each node to the record's budget and finding repeated keys.

use std::cell::{Cell, RefCell};
use std::fmt;

use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use crate::doc::Doc;

/// Objects with more members than this check repeated keys by sorting them;
/// smaller ones use a one-word filter and a scan of their members.
const SMALL_OBJECT: usize = 32;

/// What one parse shares between its seeds.
pub(super) struct Ctx {
    /// On a duplicate key, the path to it (innermost first).
    pub(super) duplicate: RefCell<Option<Vec<String>>>,
    /// Bytes of the budget left.
    pub(super) remaining: Cell<usize>,
    pub(super) nodes: Cell<usize>,
    /// The budget ran out: the error is that, whatever serde_json says.
    pub(super) over: Cell<bool>,
}

/// Builds a [`Doc`] in `arena`.
#[derive(Clone, Copy)]
pub(super) struct Seed<'s, 'a> {
    pub(super) ctx: &'s Ctx,
    pub(super) arena: &'a Bump,
    /// Nesting depth (0: the record itself).
    pub(super) depth: u32,
}

impl Seed<'_, '_> {
    fn push(&self, segment: impl FnOnce() -> String) {
        if let Some(path) = self.ctx.duplicate.borrow_mut().as_mut() {
            path.push(segment());
        }
    }

    /// Takes `bytes` from the budget, or fails.
    #[inline]
    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let remaining = self.ctx.remaining.get();
        if bytes > remaining {
            self.ctx.over.set(true);
            return Err(E::custom("over the memory budget"));
        }
        self.ctx.remaining.set(remaining - bytes);
        Ok(())
    }

    /// The error of a repeated `key`, its path started.
    fn duplicate<E: de::Error>(&self, key: &str) -> E {
        *self.ctx.duplicate.borrow_mut() = Some(vec![key.to_owned()]);
        E::custom("duplicate key")
    }

    #[inline]
    fn node(&self) {
        self.ctx.nodes.set(self.ctx.nodes.get() + 1);
    }

    /// Makes room for one more item in `items`, charging what is reserved.
    /// Capacity grows from `first` by doubling; every reservation is charged
    /// whole, since an arena does not give back the buffers a vector leaves.
    #[inline]
    fn room<T, E: de::Error>(&self, items: &mut BumpVec<'_, T>, first: usize) -> Result<(), E> {
        if items.len() == items.capacity() {
            let more = items.capacity().max(first);
            self.charge((items.capacity() + more) * std::mem::size_of::<T>())?;
            items.reserve_exact(more);
        }
        Ok(())
    }

    fn with_depth(self) -> Self {
        Seed {
            depth: self.depth + 1,
            ..self
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = Doc<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Doc<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = Doc<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Number::from_f64(v).map_or(Doc::Null, Doc::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::String(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Doc<'de>, E> {
        self.node();
        self.charge(v.len())?;
        Ok(Doc::String(self.arena.alloc_str(v)))
    }

    fn visit_none<E>(self) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Null)
    }

    fn visit_unit<E>(self) -> Result<Doc<'de>, E> {
        self.node();
        Ok(Doc::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc<'de>, A::Error> {
        self.node();
        let inner = self.with_depth();
        let mut items = BumpVec::new_in(self.arena);
        loop {
            match seq.next_element_seed(inner) {
                Ok(Some(item)) => {
                    self.room(&mut items, 4)?;
                    items.push(item);
                }
                Ok(None) => return Ok(Doc::Array(items.into_bump_slice())),
                Err(error) => {
                    let index = items.len();
                    self.push(|| index.to_string());
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Doc<'de>, A::Error> {
        self.node();
        let inner = self.with_depth();
        // An event has a few dozen members: room for them all at once; a
        // nested object starts small (`[{}, {}, …]` must not cost much).
        let first = if self.depth == 0 { SMALL_OBJECT } else { 4 };
        let mut members = BumpVec::new_in(self.arena);
        // A one-word filter of the keys seen: a key whose bit is not set yet
        // cannot be a repeat, so the members are scanned only on a collision.
        // Past `SMALL_OBJECT` members, keys are not checked one by one (a
        // scan per collision would be quadratic): the object's keys are
        // sorted once it ends, and a repeat is two equal neighbours. Sorting
        // is O(n log n) whatever the keys, and takes a `&str` per key, freed at once.
        let mut seen = 0u64;
        while let Some(key) = access.next_key_seed(Key(self))? {
            if members.len() < SMALL_OBJECT {
                let bit = key_bit(key);
                if seen & bit != 0 && members.iter().any(|(k, _)| *k == key) {
                    return Err(self.duplicate(key));
                }
                seen |= bit;
            }
            match access.next_value_seed(inner) {
                Ok(value) => {
                    self.room(&mut members, first)?;
                    members.push((key, value));
                }
                Err(error) => {
                    self.push(|| key.to_owned());
                    return Err(error);
                }
            }
        }
        if members.len() > SMALL_OBJECT {
            self.charge(members.len() * std::mem::size_of::<&str>())?;
            let mut keys: Vec<&str> = members.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            if let Some(pair) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
                return Err(self.duplicate(pair[0]));
            }
        }
        Ok(Doc::Object(members.into_bump_slice()))
    }
}

/// The bit of `key` in a 64-bit filter: from its length and its last byte,
/// which tell apart most keys of an event (`item_name` and `item_type` share a length).
#[inline]
fn key_bit(key: &str) -> u64 {
    let last = key.as_bytes().last().copied().unwrap_or(0) as usize;
    1 << ((key.len().wrapping_mul(7) ^ last) % 64)
}

/// An object key, borrowed from the record when it has no escapes, else allocated in the arena.
struct Key<'s, 'a>(Seed<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Key<'_, 'de> {
    type Value = &'de str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'de str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, 'de> {
    type Value = &'de str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<&'de str, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<&'de str, E> {
        self.0.charge(v.len())?;
        Ok(self.0.arena.alloc_str(v))
    }
}

/// Checks that a text is JSON, keeping nothing (every string decoded, so
/// its escapes are checked).
#[derive(Clone, Copy)]
pub(super) struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        while access.next_key_seed(Check)?.is_some() {
            access.next_value_seed(Check)?;
        }
        Ok(())
    }
}
