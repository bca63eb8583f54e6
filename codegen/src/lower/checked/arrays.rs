//! The array keywords of checked values: `items`, `prefixItems` (a
//! tuple when it can be one), `minItems`, `maxItems`, `uniqueItems`,
//! `contains` (with `minContains`, `maxContains`).

use aperture_events_schema::vocabulary::{Keywords, Read};

use super::child;
use crate::ir::{Accept, Check, Element, TypeRef};
use crate::load::Location;
use crate::lower::Lowerer;
use crate::names;

impl Lowerer<'_> {
    /// `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`. A
    /// plain `items` becomes the `Vec` the value is held as, and a fixed
    /// length array the tuple it is held as (see [`tuple`]).
    pub(super) fn array_checks(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        inner: Option<&mut TypeRef>,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        let mut prefix = None;
        if keywords.prefix_items.is_present() {
            match keywords.prefix_items.ok() {
                Some(items) => {
                    let mut accepts = Vec::new();
                    for index in 0..items.len() {
                        let child = child(location, &format!("prefixItems/{index}"));
                        match self.accept(
                            &child,
                            &names::suffixed(name, &format!("Item{index}")),
                            name,
                        ) {
                            Some(a) => accepts.push(a),
                            None => *ok = false,
                        }
                    }
                    prefix = Some(accepts);
                }
                None => {
                    self.error(
                        location,
                        Some("prefixItems"),
                        "`prefixItems` must be an array",
                    );
                    *ok = false;
                }
            }
        }
        let after = prefix.as_ref().map_or(0, Vec::len);
        let rest = if let Some(key) = crate::lower::keywords::items_keyword(keywords) {
            let accept = self.accept(&child(location, key), &names::suffixed(name, "Item"), name);
            *ok &= accept.is_some();
            accept
        } else {
            None
        };
        let min_items = self.counted(location, "minItems", keywords.min_items, ok);
        match (inner, prefix, rest) {
            (Some(inner), None, Some(Accept::Type(ty, nullable))) if !self.keeps_spelling(&ty) => {
                *inner = TypeRef::List(Box::new(ty), nullable);
            }
            (inner, Some(prefix), rest) => {
                let fixed = rest == Some(Accept::Never) && min_items >= Some(prefix.len() as u64);
                let tuple = if fixed { self.tuple(&prefix) } else { None };
                match (inner, tuple) {
                    // Converting into the tuple checks each element.
                    (Some(inner), Some(elements)) => *inner = TypeRef::Tuple(elements),
                    _ => checks.push(Check::PrefixItems(prefix)),
                }
                checks.extend(rest.map(|rest| Check::Items(after, rest)));
            }
            (_, None, rest) => checks.extend(rest.map(|rest| Check::Items(after, rest))),
        }
        if let Some(n) = min_items {
            checks.push(Check::MinItems(n));
        }
        if let Some(n) = self.counted(location, "maxItems", keywords.max_items, ok) {
            checks.push(Check::MaxItems(n));
        }
        self.contains_check(location, keywords, name, checks, ok);
        match keywords.unique_items {
            Read::Absent | Read::Value(false) => {}
            Read::Value(true) => checks.push(Check::UniqueItems),
            Read::Misshapen(_) => {
                self.error(
                    location,
                    Some("uniqueItems"),
                    "`uniqueItems` must be a boolean",
                );
                *ok = false;
            }
        }
    }

    /// `contains`, with `minContains` (1 when absent) and `maxContains`
    /// beside it; without `contains` the two constrain nothing, as in
    /// `jsonschema` (which reads them only with it). Before draft 2019-09
    /// the draft view has already left them out.
    fn contains_check(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        if keywords.contains.is_none() {
            return;
        }
        let accept = self.accept(
            &child(location, "contains"),
            &names::suffixed(name, "Contains"),
            name,
        );
        let min = self.counted(location, "minContains", keywords.min_contains, ok);
        let max = self.counted(location, "maxContains", keywords.max_contains, ok);
        match accept {
            Some(accept) => checks.push(Check::Contains {
                accept,
                min: min.unwrap_or(1),
                max,
            }),
            None => *ok = false,
        }
    }

    /// The elements of the tuple a fixed-length array is held as, when it
    /// fits one: 1 to [`TUPLE_MAX`] elements, each a type (`true` is any JSON
    /// value). No tuple when an element is `false` (no array of that length
    /// is valid) or keeps its spelling only in a struct (see
    /// [`Self::keeps_spelling`]).
    pub(super) fn tuple(&self, prefix: &[Accept]) -> Option<Vec<Element>> {
        if prefix.is_empty() || prefix.len() > TUPLE_MAX {
            return None;
        }
        prefix
            .iter()
            .map(|accept| match accept {
                Accept::Type(ty, _) if self.keeps_spelling(ty) => None,
                Accept::Type(ty, nullable) => Some(Element {
                    ty: ty.clone(),
                    nullable: *nullable,
                    boxed: false,
                }),
                Accept::Always => Some(Element {
                    ty: TypeRef::Any,
                    nullable: false,
                    boxed: false,
                }),
                Accept::Never => None,
            })
            .collect()
    }
}

/// Whether an array schema is `items` alone (beside annotations), away from
/// `$defs` (where a type may refer to itself and needs a name): a plain `Vec`.
pub(super) fn plain_array(location: &Location, keywords: &Keywords<'_>) -> bool {
    let definition = location.pointer.is_empty()
        || location
            .pointer
            .rsplit_once('/')
            .is_some_and(|(parent, _)| {
                crate::lower::keywords::definitions().any(|d| parent.ends_with(&format!("/{d}")))
            });
    !definition
        && keywords.items.is_some()
        && keywords.map().keys().all(|k| {
            k == "type"
                || k == "items"
                || crate::lower::keywords::is_extension(k)
                || crate::lower::keywords::is_annotation(k)
        })
}

/// The most elements a tuple has: std implements `Debug`, `Clone`, `Eq`
/// and `Hash` for tuples up to 12 elements.
const TUPLE_MAX: usize = 12;
