//! A route's output shape, and the line written from it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::model::{Step, steps};
use crate::plan::{ClassInfo, RoutePlan, Target};

use super::escape::*;
use super::input::*;
use super::slots::*;

/// A route's output shape: every attribute it can write, each object's
/// members in serde_json's order, each attribute a slot.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(super) members: Vec<Member>,
    pub(super) len: usize,
    pub(super) fixed: Fixed,
    /// The slots of each object that can be written whole (its own first).
    pub(super) wholes: Vec<Range<usize>>,
}

/// The slots of the attributes every event has (or may have).
#[derive(Debug)]
pub(super) struct Fixed {
    pub(super) version: usize,
    pub(super) product: usize,
    pub(super) profiles: usize,
    pub(super) uid: usize,
    pub(super) class_uid: usize,
    pub(super) class_name: usize,
    pub(super) category_uid: usize,
    pub(super) category_name: usize,
    pub(super) time: usize,
    pub(super) type_uid: usize,
    pub(super) type_name: usize,
    pub(super) raw_data: usize,
    pub(super) unmapped: usize,
}

pub(super) const FIXED: [&str; 13] = [
    "metadata.version",
    "metadata.product",
    "metadata.profiles",
    "metadata.uid",
    "class_uid",
    "class_name",
    "category_uid",
    "category_name",
    "time",
    "type_uid",
    "type_name",
    "raw_data",
    "unmapped",
];

#[derive(Debug)]
pub(super) struct Member {
    /// `"name":`, escaped.
    pub(super) key: Vec<u8>,
    /// The member is an array of one element: the node.
    pub(super) array: bool,
    pub(super) slots: Range<usize>,
    pub(super) node: Node,
}

#[derive(Debug)]
pub(super) enum Node {
    Leaf(usize),
    /// The slot of the object written whole, if it can be; its members.
    Object(Option<usize>, Vec<Member>),
}

/// The layout being built: a tree of names.
#[derive(Debug, Default)]
pub(super) struct Tree(BTreeMap<String, TreeNode>);

#[derive(Debug)]
pub(super) struct TreeNode {
    pub(super) array: bool,
    /// `None`: an attribute.
    pub(super) below: Option<Tree>,
    /// An object that is also written whole (a default such as
    /// `src_endpoint` = `{"name": "Unknown"}` beside `src_endpoint.ip`).
    pub(super) whole: bool,
}

impl Tree {
    /// Adds a path; `None` when a name is an array on one path and not on
    /// another. A path that is a prefix of another makes a whole object.
    pub(super) fn add(&mut self, steps: &[Step]) -> Option<()> {
        let (first, rest) = steps.split_first()?;
        let node = self
            .0
            .entry(first.name.clone())
            .or_insert_with(|| TreeNode {
                array: first.array,
                below: (!rest.is_empty()).then(Tree::default),
                whole: false,
            });
        if node.array != first.array {
            return None;
        }
        if rest.is_empty() {
            node.whole |= node.below.is_some();
            return Some(());
        }
        if node.below.is_none() {
            node.whole = true;
        }
        node.below.get_or_insert_with(Tree::default).add(rest)
    }

    /// Numbers the attributes in order, recording each path's slots.
    pub(super) fn finish(
        self,
        prefix: &str,
        next: &mut usize,
        index: &mut HashMap<String, Range<usize>>,
    ) -> Vec<Member> {
        self.0
            .into_iter()
            .map(
                |(
                    name,
                    TreeNode {
                        array,
                        below,
                        whole,
                    },
                )| {
                    let step = if array {
                        format!("{name}[]")
                    } else {
                        name.clone()
                    };
                    let path = if prefix.is_empty() {
                        step
                    } else {
                        format!("{prefix}.{step}")
                    };
                    let start = *next;
                    let node = match below {
                        None => {
                            *next += 1;
                            Node::Leaf(start)
                        }
                        Some(tree) => {
                            let whole = whole.then(|| {
                                *next += 1;
                                start
                            });
                            Node::Object(whole, tree.finish(&path, next, index))
                        }
                    };
                    index.insert(path, start..*next);
                    let mut key = Vec::with_capacity(name.len() + 3);
                    // Writing to a `Vec` cannot fail.
                    let _ = serde_json::to_writer(&mut key, &name);
                    key.push(b':');
                    Member {
                        key,
                        array,
                        slots: start..*next,
                        node,
                    }
                },
            )
            .collect()
    }
}

pub(super) fn path_of(steps: &[Step]) -> String {
    let names: Vec<String> = steps
        .iter()
        .map(|s| {
            if s.array {
                format!("{}[]", s.name)
            } else {
                s.name.clone()
            }
        })
        .collect();
    names.join(".")
}

/// Every target of a route.
pub(super) fn each_target(route: &mut RoutePlan, f: impl FnMut(&mut Target)) {
    each_target_but_defaults(route, f, true);
}

/// Every target of a route, its defaults' if asked.
pub(super) fn each_target_but_defaults(
    route: &mut RoutePlan,
    mut f: impl FnMut(&mut Target),
    defaults: bool,
) {
    f(&mut route.class.activity);
    f(&mut route.class.severity);
    for (target, _) in &mut route.set {
        f(target);
    }
    for rule in &mut route.rules {
        rule.targets.iter_mut().for_each(&mut f);
        for (target, _) in &mut rule.with {
            f(target);
        }
    }
    if defaults {
        for (target, _, _) in &mut route.defaults {
            f(target);
        }
    }
}

impl Layout {
    /// The layout of a route, its slots given to its targets; `None` when
    /// two of its paths overlap (the route then goes through a `Value`).
    pub(crate) fn for_route(route: &mut RoutePlan) -> Option<Layout> {
        let mut paths: Vec<Vec<Step>> = Vec::new();
        each_target(route, |t| paths.extend(target_paths(t)));
        let (layout, index) = Layout::new(paths)?;
        let mut known = true;
        each_target(route, |t| known &= assign(t, &index));
        // An object written whole must be a default's constant (written only
        // where nothing is below it), with no member the layout also has: then
        // reading below it finds nothing either way. A route where anything
        // else writes an object whole goes through a `Value`.
        let mut others = Vec::new();
        each_target_but_defaults(route, |t| others.push(t.slot), false);
        for whole in &layout.wholes {
            if others.contains(&whole.start) {
                return None;
            }
        }
        for (target, value, _) in &route.defaults {
            if layout.wholes.iter().any(|w| w.start == target.slot) {
                let path = path_of(&target.steps);
                let clash = value.as_object().is_some_and(|members| {
                    members.keys().any(|k| {
                        index.contains_key(&format!("{path}.{k}"))
                            || index.contains_key(&format!("{path}.{k}[]"))
                    })
                });
                if clash {
                    return None;
                }
            }
        }
        let mut under = Vec::new();
        for (_, _, only_if) in &route.defaults {
            under.push(match only_if {
                // A path that is no node of the layout could reach into a
                // written value: left to the `Value` converter.
                Some(steps) => index.get(&path_of(steps))?.clone(),
                None => 0..0,
            });
        }
        route.only_if_slots = under;
        known.then_some(layout)
    }

    /// The Base Event's layout, its slots given to `activity_id` and `severity_id`.
    pub(crate) fn for_base(class: &mut ClassInfo) -> Option<Layout> {
        let mut paths = target_paths(&class.activity);
        paths.extend(target_paths(&class.severity));
        let (layout, index) = Layout::new(paths)?;
        (assign(&mut class.activity, &index)
            && assign(&mut class.severity, &index)
            && layout.wholes.is_empty())
        .then_some(layout)
    }

    pub(super) fn new(paths: Vec<Vec<Step>>) -> Option<(Layout, HashMap<String, Range<usize>>)> {
        let mut tree = Tree::default();
        for path in FIXED.iter().map(|p| steps(p)).chain(paths) {
            tree.add(&path)?;
        }
        let mut index = HashMap::new();
        let mut len = 0;
        let members = tree.finish("", &mut len, &mut index);
        let mut wholes = Vec::new();
        collect_wholes(&members, &mut wholes);
        let slot = |path: &str| index.get(path).map(|r| r.start);
        let fixed = Fixed {
            version: slot(FIXED[0])?,
            product: slot(FIXED[1])?,
            profiles: slot(FIXED[2])?,
            uid: slot(FIXED[3])?,
            class_uid: slot(FIXED[4])?,
            class_name: slot(FIXED[5])?,
            category_uid: slot(FIXED[6])?,
            category_name: slot(FIXED[7])?,
            time: slot(FIXED[8])?,
            type_uid: slot(FIXED[9])?,
            type_name: slot(FIXED[10])?,
            raw_data: slot(FIXED[11])?,
            unmapped: slot(FIXED[12])?,
        };
        Some((
            Layout {
                members,
                len,
                fixed,
                wholes,
            },
            index,
        ))
    }

    /// Writes the line: the written slots, in order.
    pub(super) fn write(
        &self,
        slots: &[Out<'_>],
        event: &Event<'_>,
        unmapped: &[bool],
        out: &mut Vec<u8>,
    ) {
        write_object(&self.members, slots, event, unmapped, out);
    }
}

pub(super) fn collect_wholes(members: &[Member], out: &mut Vec<Range<usize>>) {
    for member in members {
        if let Node::Object(whole, below) = &member.node {
            if whole.is_some() {
                out.push(member.slots.clone());
            }
            collect_wholes(below, out);
        }
    }
}

/// A target's path and its caption's.
pub(super) fn target_paths(target: &Target) -> Vec<Vec<Step>> {
    let mut paths = vec![target.steps.clone()];
    if let Some((sibling, _)) = &target.caption {
        paths.push(sibling.clone());
    }
    paths
}

/// Gives a target its slots; false when a path is not an attribute of the layout.
pub(super) fn assign(target: &mut Target, index: &HashMap<String, Range<usize>>) -> bool {
    let leaf = |steps: &[Step]| {
        index
            .get(&path_of(steps))
            .filter(|r| r.len() == 1)
            .map(|r| r.start)
    };
    let Some(span) = index.get(&path_of(&target.steps)) else {
        return false;
    };
    target.slot = span.start;
    target.span = span.clone();
    if let Some((sibling, _)) = &target.caption {
        let Some(caption) = leaf(sibling) else {
            return false;
        };
        target.caption_slot = Some(caption);
    }
    true
}

pub(super) fn write_object(
    members: &[Member],
    slots: &[Out<'_>],
    event: &Event<'_>,
    unmapped: &[bool],
    out: &mut Vec<u8>,
) {
    out.push(b'{');
    let mut first = true;
    for member in members {
        if slots[member.slots.clone()].iter().all(Out::is_empty) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&member.key);
        if member.array {
            out.push(b'[');
        }
        match &member.node {
            Node::Leaf(slot) => write_slot(&slots[*slot], event, unmapped, out),
            Node::Object(Some(whole), _) if !slots[*whole].is_empty() => {
                write_slot(&slots[*whole], event, unmapped, out);
            }
            Node::Object(_, members) => write_object(members, slots, event, unmapped, out),
        }
        if member.array {
            out.push(b']');
        }
    }
    out.push(b'}');
}

pub(super) fn write_slot(slot: &Out<'_>, event: &Event<'_>, unmapped: &[bool], out: &mut Vec<u8>) {
    // Writing to a `Vec` cannot fail.
    let _ = match slot {
        Out::Empty => Ok(()),
        Out::Val(v) => {
            v.write(out);
            Ok(())
        }
        Out::Int(i) => serde_json::to_writer(&mut *out, i),
        Out::Const(v) => serde_json::to_writer(&mut *out, v),
        Out::Str(s) => {
            write_str(out, s);
            Ok(())
        }
        Out::Json(text) => {
            out.extend_from_slice(text);
            Ok(())
        }
        Out::Raw(raw) => {
            raw.write(out);
            Ok(())
        }
        Out::TypeName(class, activity) => {
            out.push(b'"');
            write_str_body(out, class.as_bytes());
            out.extend_from_slice(b": ");
            write_str_body(out, activity.as_bytes());
            out.push(b'"');
            Ok(())
        }
        Out::Unmapped => {
            out.push(b'{');
            let mut first = true;
            for ((name, value), _) in event.0.iter().zip(unmapped).filter(|(_, u)| **u) {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_parsed(out, name);
                out.push(b':');
                value.write(out);
            }
            out.push(b'}');
            Ok(())
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_below_another_makes_an_object_written_whole() {
        let mut tree = Tree::default();
        assert!(tree.add(&steps("file.name")).is_some());
        assert!(tree.add(&steps("file.name")).is_some());
        assert!(tree.add(&steps("file.hashes[].value")).is_some());
        assert!(tree.add(&steps("file.hashes.value")).is_none());
        assert!(tree.add(&steps("src_endpoint.ip")).is_some());
        assert!(tree.add(&steps("src_endpoint")).is_some());
        let (layout, index) = Layout::new(vec![]).expect("a layout");
        assert!(layout.wholes.is_empty());
        assert_eq!(index["metadata"].len(), 4);
        let mut index = HashMap::new();
        let members = tree.finish("", &mut 0, &mut index);
        let mut wholes = Vec::new();
        collect_wholes(&members, &mut wholes);
        assert_eq!(wholes, vec![index["src_endpoint"].clone()]);
        assert_eq!(index["src_endpoint"].len(), 2);
    }
}
