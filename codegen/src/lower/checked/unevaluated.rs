//! `unevaluatedProperties` and `unevaluatedItems` beside applicators whose
//! evaluated properties or items depend on the instance: the table of
//! subschemas the generated code walks on each value
//! ([`Check::Unevaluated`], the runtime's `evaluated` module), built as
//! `jsonschema` 0.61 builds its `PropertyValidators`/`ItemsValidators`.
//!
//! Where what is evaluated is known before reading (beside
//! `properties`/`prefixItems` alone, or `allOf`/`$ref` chains of plain
//! object schemas for properties), the keyword stays the
//! `additionalProperties`/`items` it then means, and no table is built.

use std::collections::BTreeMap;

use aperture_events_schema::vocabulary::Keywords;
use serde_json::Value;

use super::child;
use crate::ir::{Check, Evaluator};
use crate::load::Location;
use crate::lower::Lowerer;
use crate::lower::keywords::{additional_properties, items_keyword};
use crate::names;
use crate::ordered::escape_token;

/// The most subschemas one table holds: a schema reaching more through its
/// applicators and references is refused rather than walked.
const NODES_MAX: usize = 512;

/// How a table's node is reached, for the name its type gets when the
/// lowering has not named it yet (the same names composition gives).
enum Reached {
    /// Through `$ref` or `dependentSchemas`, or as `then`/`else`: its
    /// validity is not read.
    Applied,
    /// As a branch of `allOf`, `anyOf`, `oneOf`, or as `if`: its validity
    /// is read, under this type-name hint.
    Branch(String),
}

impl Lowerer<'_> {
    /// `unevaluatedProperties`/`unevaluatedItems` needing the table: beside
    /// an applicator, where no `additionalProperties`/`items` evaluates all.
    pub(super) fn unevaluated_checks(
        &mut self,
        location: &Location,
        keywords: &Keywords<'_>,
        name: &str,
        checks: &mut Vec<Check>,
        ok: &mut bool,
    ) {
        let properties = keywords.unevaluated_properties.is_some()
            && additional_properties(keywords).is_none()
            && self.evaluated_properties(location, keywords).is_none();
        let items = keywords.unevaluated_items.is_some() && items_keyword(keywords).is_none();
        for (items, wanted) in [(false, properties), (true, items)] {
            if !wanted {
                continue;
            }
            match self.evaluators(location, name, items) {
                Some(nodes) => checks.push(Check::Unevaluated { items, nodes }),
                None => *ok = false,
            }
        }
    }

    /// The table for the schema at `root` (node 0): every subschema its
    /// applicators reach, each once.
    fn evaluators(&mut self, root: &Location, name: &str, items: bool) -> Option<Vec<Evaluator>> {
        let mut index: BTreeMap<Location, usize> = BTreeMap::new();
        let mut order: Vec<(Location, String)> = vec![(root.clone(), name.to_owned())];
        index.insert(root.clone(), 0);
        let mut nodes: Vec<Evaluator> = vec![Evaluator::default()];
        let mut at = 0;
        while at < order.len() {
            let (location, scope) = order[at].clone();
            let Some(Value::Object(object)) = self.schemas.get(&location) else {
                at += 1;
                continue;
            };
            // Each node's object read once.
            let keywords = self.read(&location, object);
            let scope = self.named.get(&location).cloned().unwrap_or(scope);
            let mut node = std::mem::take(&mut nodes[at]);
            let valid = node.valid.take();
            let mut reach = |this: &mut Self, target: Location, how: Reached| -> Option<usize> {
                let i = match index.get(&target) {
                    Some(i) => *i,
                    None => {
                        if order.len() >= NODES_MAX {
                            this.refuse(
                                root,
                                Some(if items { "unevaluatedItems" } else { "unevaluatedProperties" }),
                                format!("its applicators reach more than {NODES_MAX} subschemas, which is not supported"),
                            );
                            return None;
                        }
                        index.insert(target.clone(), order.len());
                        order.push((target.clone(), scope.clone()));
                        nodes.push(Evaluator::default());
                        order.len() - 1
                    }
                };
                if let Reached::Branch(hint) = how {
                    if nodes[i].valid.is_none() {
                        nodes[i].valid = Some(this.accept(&target, &hint, &scope)?);
                    }
                }
                Some(i)
            };
            if keywords.reference.is_present() {
                let target = match self.schemas.resolve(&location, keywords.reference.ok()?) {
                    Ok(target) => target,
                    Err(message) => {
                        self.refuse(&location, Some("$ref"), message);
                        return None;
                    }
                };
                node.reference = Some(reach(self, target, Reached::Applied)?);
            }
            for (key, read, part) in [
                ("allOf", keywords.all_of, "Part"),
                ("anyOf", keywords.any_of, "Option"),
                ("oneOf", keywords.one_of, "Choice"),
            ] {
                let Some(list) = read.ok() else {
                    continue;
                };
                for (i, branch) in list.iter().enumerate() {
                    // A boolean branch evaluates nothing, as in jsonschema.
                    if !branch.is_object() {
                        continue;
                    }
                    let target = child(&location, &format!("{key}/{i}"));
                    let n = reach(self, target, Reached::Branch(format!("{scope}{part}{i}")))?;
                    match key {
                        "allOf" => node.all_of.push(n),
                        "anyOf" => node.any_of.push(n),
                        _ => node.one_of.push(n),
                    }
                }
            }
            if matches!(keywords.if_, Some(Value::Object(_) | Value::Bool(_))) {
                let cond = reach(
                    self,
                    child(&location, "if"),
                    Reached::Branch(names::suffixed(&scope, "If")),
                )?;
                let mut branch =
                    |this: &mut Self, key: &str, value: Option<&Value>| -> Option<Option<usize>> {
                        if !value.is_some_and(Value::is_object) {
                            return Some(None);
                        }
                        reach(this, child(&location, key), Reached::Applied).map(Some)
                    };
                let then = branch(self, "then", keywords.then)?;
                let otherwise = branch(self, "else", keywords.else_)?;
                node.conditional = Some((cond, then, otherwise));
            }
            let accept = |this: &mut Self, key: &str, suffix: &str| {
                this.accept(
                    &child(&location, key),
                    &names::suffixed(&scope, suffix),
                    &scope,
                )
            };
            if items {
                node.prefix_items = keywords.prefix_items.ok().map_or(0, <[Value]>::len);
                node.items = keywords.items.is_some();
                if keywords.contains.is_some() {
                    node.contains = Some(accept(self, "contains", "Contains")?);
                }
                if keywords.unevaluated_items.is_some() {
                    node.unevaluated_items = Some(accept(self, "unevaluatedItems", "Item")?);
                }
            } else {
                node.properties = self.schemas.keys(&location, "properties");
                node.patterns = self.schemas.keys(&location, "patternProperties");
                node.additional = keywords.additional_properties.is_some();
                if keywords.unevaluated_properties.is_some() {
                    node.unevaluated_properties =
                        Some(accept(self, "unevaluatedProperties", "Extra")?);
                }
                if let Some(dependent) = keywords.dependent_schemas.ok() {
                    for key in self.schemas.keys(&location, "dependentSchemas") {
                        if !dependent.get(&key).is_some_and(Value::is_object) {
                            continue;
                        }
                        let target = child(
                            &location,
                            &format!("dependentSchemas/{}", escape_token(&key)),
                        );
                        let n = reach(self, target, Reached::Applied)?;
                        node.dependent.push((key, n));
                    }
                }
            }
            // A branch reached again while this node was read keeps its validity.
            node.valid = valid.or(nodes[at].valid.take());
            nodes[at] = node;
            at += 1;
        }
        // The schema's own validity is never read (the check runs inside it).
        nodes[0].valid = None;
        Some(nodes)
    }
}
