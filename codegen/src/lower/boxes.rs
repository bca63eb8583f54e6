//! Recursive schemas: a struct (or a tuple) that contains itself by value has
//! no size, so the fields (and tuple elements) closing such a cycle are held
//! in a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Item, TypeRef};

/// Marks `boxed` every struct field whose type contains the struct by value,
/// and every tuple element whose type contains the tuple's checked value.
pub(super) fn box_recursive_fields(items: &mut [Item]) {
    let edges: BTreeMap<String, Vec<String>> = items
        .iter()
        .map(|item| (item.name().to_owned(), by_value(item)))
        .collect();
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) => {
                for field in &mut s.fields {
                    if let TypeRef::Named(target) = &field.ty {
                        field.boxed = reaches(&edges, target, &s.name);
                    }
                }
            }
            Item::Checked(c) => {
                if let TypeRef::Tuple(elements) = &mut c.inner {
                    for element in elements {
                        if let TypeRef::Named(target) = &element.ty {
                            element.boxed = reaches(&edges, target, &c.name);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // A union's accessor hands out `&T`: a boxed field no longer shares a type.
    let boxed: BTreeSet<(String, String)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s),
            _ => None,
        })
        .flat_map(|s| {
            s.fields
                .iter()
                .filter(|f| f.boxed)
                .map(|f| (s.name.clone(), f.json_name.clone()))
        })
        .collect();
    for item in items.iter_mut() {
        if let Item::Union(u) = item {
            u.common.retain(|c| {
                !c.holders
                    .iter()
                    .any(|(holder, _, _)| boxed.contains(&(holder.clone(), c.json_name.clone())))
            });
        }
    }
}

/// The items an item holds by value (not behind a `Vec`, a map or JSON).
fn by_value(item: &Item) -> Vec<String> {
    match item {
        Item::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        Item::Union(u) => u.variants.iter().map(|v| v.ty.clone()).collect(),
        Item::Checked(c) => match &c.inner {
            TypeRef::Named(n) => vec![n.clone()],
            TypeRef::Tuple(elements) => elements
                .iter()
                .filter_map(|e| match &e.ty {
                    TypeRef::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Whether `goal` is reachable from `start` along by-value edges.
fn reaches(edges: &BTreeMap<String, Vec<String>>, start: &str, goal: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(name) = stack.pop() {
        if name == goal {
            return true;
        }
        if seen.insert(name.clone()) {
            stack.extend(edges.get(&name).into_iter().flatten().cloned());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_edges_of_a_cycle_are_reached() {
        let edges: BTreeMap<String, Vec<String>> = [
            ("A".to_owned(), vec!["B".to_owned()]),
            ("B".to_owned(), vec!["A".to_owned()]),
            ("C".to_owned(), vec!["A".to_owned()]),
        ]
        .into_iter()
        .collect();
        assert!(reaches(&edges, "B", "A"));
        assert!(reaches(&edges, "A", "A"));
        assert!(!reaches(&edges, "A", "C"));
    }
}
