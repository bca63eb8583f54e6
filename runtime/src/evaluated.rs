//! `unevaluatedProperties` and `unevaluatedItems` beside applicators whose
//! evaluated properties or items depend on the instance (`anyOf`, `oneOf`,
//! `if`/`then`/`else`, `dependentSchemas`, `contains`, and `allOf`/`$ref`
//! leading to them), with the verdicts of the `jsonschema` crate 0.61.2
//! (`keywords/unevaluated_properties.rs`, `keywords/unevaluated_items.rs`).
//!
//! # Design
//! Generated code describes the schema's applicators as a table of
//! [`Node`]s, one per subschema that may evaluate something, built once in a
//! `static`; a node names other nodes by index, so `$ref` cycles are plain
//! data. Whether an instance is valid against a subschema is the generated
//! type's own answer (a [`Valid`] function deserializing into it), so this
//! module only walks the table, as jsonschema's `mark_evaluated_*` walks its
//! validators:
//!
//! - `properties` marks the names present, `patternProperties` the names a
//!   pattern matches, `additionalProperties` every property;
//! - `prefixItems` marks the first items, `items` every item, `contains` the
//!   items it matches;
//! - a nested `unevaluatedProperties`/`unevaluatedItems` marks what it accepts;
//! - `$ref` and `dependentSchemas` (when the property is present) mark what
//!   their target marks;
//! - `allOf` and `anyOf` branches, and the one matching `oneOf` branch (none
//!   when several match), mark what they mark when the instance is valid
//!   against them; `if` marks with `then` when the instance is valid against
//!   it, else `else` marks.
//!
//! Every mark only adds, so the order of the walk changes no verdict. A node
//! already on the walk's path is not entered again (a `$ref` cycle on the
//! same instance), as jsonschema's `enter_marking` does.

use serde_json::{Map, Value};

/// Whether a JSON value is valid against a subschema.
pub type Valid = fn(&Value) -> bool;

/// Whether a property name matches a `patternProperties` pattern.
pub type Matches = fn(&str) -> bool;

/// One subschema of the table: what it evaluates, and which nodes it applies.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// Whether an instance is valid against this subschema (read for `allOf`,
    /// `anyOf`, `oneOf` branches and `if`; others answer `true`).
    pub valid: Valid,
    /// The names of `properties`.
    pub properties: &'static [&'static str],
    /// The patterns of `patternProperties`.
    pub patterns: &'static [Matches],
    /// `additionalProperties` is present: every property is evaluated.
    pub additional: bool,
    /// This subschema's own `unevaluatedProperties`.
    pub unevaluated_properties: Option<Valid>,
    /// The length of `prefixItems`.
    pub prefix_items: usize,
    /// `items` is present: every item is evaluated.
    pub items: bool,
    /// `contains`.
    pub contains: Option<Valid>,
    /// This subschema's own `unevaluatedItems`.
    pub unevaluated_items: Option<Valid>,
    /// The target of `$ref`.
    pub reference: Option<usize>,
    /// The object schemas of `allOf`.
    pub all_of: &'static [usize],
    /// The object schemas of `anyOf`.
    pub any_of: &'static [usize],
    /// The object schemas of `oneOf`.
    pub one_of: &'static [usize],
    /// `if` (its node), `then` and `else` (when object schemas).
    pub conditional: Option<(usize, Option<usize>, Option<usize>)>,
    /// The object schemas of `dependentSchemas`, by property.
    pub dependent: &'static [(&'static str, usize)],
}

impl Node {
    /// A node evaluating nothing and valid for every instance, to build
    /// others from with `..Node::EMPTY`.
    pub const EMPTY: Node = Node {
        valid: always,
        properties: &[],
        patterns: &[],
        additional: false,
        unevaluated_properties: None,
        prefix_items: 0,
        items: false,
        contains: None,
        unevaluated_items: None,
        reference: None,
        all_of: &[],
        any_of: &[],
        one_of: &[],
        conditional: None,
        dependent: &[],
    };
}

/// The [`Valid`] of the schema `true`.
pub fn always(_: &Value) -> bool {
    true
}

/// The [`Valid`] of the schema `false`.
pub fn never(_: &Value) -> bool {
    false
}

/// The first property of `value` (an object; other values pass) that no
/// applicator of `nodes[0]` evaluated and its `unevaluatedProperties`
/// does not accept; `None` when there is none.
pub fn unevaluated_property<'v>(nodes: &[Node], value: &'v Value) -> Option<&'v str> {
    let object = value.as_object()?;
    let mut marks = vec![false; object.len()];
    mark_properties(nodes, 0, value, object, &mut marks, &mut Vec::new());
    let accept = nodes[0].unevaluated_properties.unwrap_or(never);
    object
        .iter()
        .zip(marks)
        .find(|((_, x), marked)| !marked && !accept(x))
        .map(|((k, _), _)| k.as_str())
}

/// The index of the first item of `value` (an array; other values pass)
/// that no applicator of `nodes[0]` evaluated and its `unevaluatedItems`
/// does not accept; `None` when there is none.
pub fn unevaluated_item(nodes: &[Node], value: &Value) -> Option<usize> {
    let items = value.as_array()?;
    let mut marks = vec![false; items.len()];
    mark_items(nodes, 0, value, items, &mut marks, &mut Vec::new());
    let accept = nodes[0].unevaluated_items.unwrap_or(never);
    items
        .iter()
        .zip(marks)
        .position(|(x, marked)| !marked && !accept(x))
}

/// The applicators a node applies to the same instance when it is valid
/// against them: `$ref`, the matching `allOf`/`anyOf` branches, the one
/// matching `oneOf` branch, and `if` with `then`, or `else`.
fn applied(nodes: &[Node], node: &Node, value: &Value, out: &mut Vec<usize>) {
    out.extend(node.reference);
    let valid = |i: &usize| (nodes[*i].valid)(value);
    out.extend(node.all_of.iter().filter(|i| valid(i)));
    out.extend(node.any_of.iter().filter(|i| valid(i)));
    let mut matching = node.one_of.iter().filter(|i| valid(i));
    if let (Some(one), None) = (matching.next(), matching.next()) {
        out.push(*one);
    }
    if let Some((cond, then, otherwise)) = node.conditional {
        if valid(&cond) {
            out.push(cond);
            out.extend(then);
        } else {
            out.extend(otherwise);
        }
    }
}

fn mark_properties(
    nodes: &[Node],
    at: usize,
    value: &Value,
    object: &Map<String, Value>,
    marks: &mut [bool],
    path: &mut Vec<usize>,
) {
    if path.contains(&at) {
        return;
    }
    path.push(at);
    let node = &nodes[at];
    for ((key, x), marked) in object.iter().zip(marks.iter_mut()) {
        *marked = *marked
            || node.additional
            || node.properties.contains(&key.as_str())
            || node.patterns.iter().any(|m| m(key))
            || node.unevaluated_properties.is_some_and(|accept| accept(x));
    }
    let mut next = Vec::new();
    applied(nodes, node, value, &mut next);
    for (key, dependent) in node.dependent {
        if object.contains_key(*key) {
            next.push(*dependent);
        }
    }
    for i in next {
        mark_properties(nodes, i, value, object, marks, path);
    }
    path.pop();
}

fn mark_items(
    nodes: &[Node],
    at: usize,
    value: &Value,
    items: &[Value],
    marks: &mut [bool],
    path: &mut Vec<usize>,
) {
    if path.contains(&at) {
        return;
    }
    path.push(at);
    let node = &nodes[at];
    for (index, (x, marked)) in items.iter().zip(marks.iter_mut()).enumerate() {
        *marked = *marked
            || node.items
            || index < node.prefix_items
            || node.contains.is_some_and(|accept| accept(x))
            || node.unevaluated_items.is_some_and(|accept| accept(x));
    }
    let mut next = Vec::new();
    applied(nodes, node, value, &mut next);
    for i in next {
        mark_items(nodes, i, value, items, marks, path);
    }
    path.pop();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn is_string(v: &Value) -> bool {
        v.is_string()
    }

    fn has_kind(v: &Value) -> bool {
        v.get("kind").is_some()
    }

    fn starts_x(k: &str) -> bool {
        k.starts_with('x')
    }

    #[test]
    fn properties_of_the_matching_branch_only_are_evaluated() {
        // {"anyOf": [{"required": ["kind"], "properties": {"kind": {}}}, {"properties": {"b": {}}}],
        //  "patternProperties": {"^x": {}}, "unevaluatedProperties": false}
        static NODES: [Node; 3] = [
            Node {
                patterns: &[starts_x],
                any_of: &[1, 2],
                unevaluated_properties: Some(never),
                ..Node::EMPTY
            },
            Node {
                valid: has_kind,
                properties: &["kind"],
                ..Node::EMPTY
            },
            Node {
                properties: &["b"],
                ..Node::EMPTY
            },
        ];
        assert_eq!(
            unevaluated_property(&NODES, &json!({"kind": 1, "b": 2, "xy": 3})),
            None
        );
        assert_eq!(
            unevaluated_property(&NODES, &json!({"b": 2, "c": 3})),
            Some("c")
        );
        assert_eq!(unevaluated_property(&NODES, &json!([1])), None);
    }

    #[test]
    fn one_of_marks_nothing_when_two_branches_match() {
        static NODES: [Node; 3] = [
            Node {
                one_of: &[1, 2],
                ..Node::EMPTY
            },
            Node {
                properties: &["a"],
                ..Node::EMPTY
            },
            Node {
                properties: &["b"],
                ..Node::EMPTY
            },
        ];
        assert_eq!(unevaluated_property(&NODES, &json!({"a": 1})), Some("a"));
    }

    #[test]
    fn a_reference_cycle_ends() {
        // {"$ref": "#", "properties": {"a": {}}, "unevaluatedProperties": false} read as a cycle.
        static NODES: [Node; 1] = [Node {
            reference: Some(0),
            properties: &["a"],
            ..Node::EMPTY
        }];
        assert_eq!(
            unevaluated_property(&NODES, &json!({"a": 1, "b": 2})),
            Some("b")
        );
    }

    #[test]
    fn contains_and_if_mark_items() {
        // {"prefixItems": [{}], "contains": {"type": "string"},
        //  "if": {"contains": ...} ..., "unevaluatedItems": false}
        static NODES: [Node; 3] = [
            Node {
                prefix_items: 1,
                contains: Some(is_string),
                conditional: Some((1, Some(2), None)),
                ..Node::EMPTY
            },
            Node {
                valid: |v| v.as_array().is_some_and(|a| a.len() > 2),
                ..Node::EMPTY
            },
            Node {
                items: true,
                ..Node::EMPTY
            },
        ];
        assert_eq!(unevaluated_item(&NODES, &json!([1, "a"])), None);
        assert_eq!(unevaluated_item(&NODES, &json!([1, 2])), Some(1));
        assert_eq!(unevaluated_item(&NODES, &json!([1, 2, 3])), None);
    }
}
