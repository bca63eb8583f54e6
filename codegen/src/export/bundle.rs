//! Makes one schema file self-contained: every `$ref` it reaches, in it or in
//! another file, is copied into its own `$defs` and rewritten to point there.
//!
//! # Design
//! Three passes over plain data. First the closure: starting from the root
//! file's body and its own `$defs`, follow every `$ref` (resolved against the
//! `$id` of the file holding it, offline) and record each target once, as a
//! (file, JSON pointer) key, in discovery order. Then the names: a target
//! `…/$defs/NAME` is called `NAME`, a whole file its stem (`incident`); a name
//! two different targets would share is qualified by its file's stem
//! (`incident_item_type`), so names stay plain snake_case identifiers that
//! Python and TypeScript generators turn into class names without surprises.
//! Last the rewrite: every `$ref` becomes `#/$defs/NAME` (or `#` for the root
//! itself). Instance data (`examples`, `const`, `enum`, `default` and the `x-`
//! value lists) is copied as is, never searched for `$ref`s.

use std::collections::BTreeMap;

use aperture_events_schema::vocabulary::keywords::holds_data;

use crate::error::{Collector, Diagnostic};
use aperture_events_schema::ordered::{Node, escape_token};

/// A parsed schema file.
#[derive(Debug, Clone)]
pub struct Doc {
    /// File name, for example `incident.schema.json`.
    pub name: String,
    /// Its `$id`, or its file name when it has none: the base of its `$ref`s.
    pub id: String,
    /// The parsed text.
    pub root: Node,
}

impl Doc {
    /// The file name without `.schema.json` / `.json`: `incident`.
    pub fn stem(&self) -> &str {
        let name = self.name.as_str();
        name.strip_suffix(".schema.json")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(name)
    }
}

/// Keywords a copied definition does not keep: they would change its base URI
/// or duplicate definitions that are copied on their own.
const DROPPED_IN_COPIES: &[&str] = &["$schema", "$id", "$defs", "definitions"];

/// A place the bundle copies in: file index and JSON pointer.
type Key = (usize, String);

/// Resolves `reference`, written in `docs[from]`, to a (file, pointer) key.
pub fn resolve(docs: &[Doc], from: usize, reference: &str) -> Result<Key, String> {
    // The loader's own URI join (RFC 3986), so `../x` means one thing everywhere.
    let (address, pointer) = aperture_events_schema::uri::split_reference(reference);
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!(
            "$ref `{reference}` uses an anchor; only JSON pointers are supported"
        ));
    }
    let target = if address.is_empty() {
        from
    } else {
        let absolute = aperture_events_schema::uri::join_uri(&docs[from].id, address);
        docs.iter().position(|doc| doc.id == absolute).ok_or_else(|| {
            format!("$ref `{reference}` names `{absolute}`, which is none of the schema files (nothing is fetched)")
        })?
    };
    if docs[target].root.pointer(&pointer).is_none() {
        return Err(format!(
            "$ref `{reference}` points at `{pointer}`, which is not in {}",
            docs[target].name
        ));
    }
    Ok((target, pointer))
}

/// The bundle of one root file: its body with references rewritten, and its `$defs`.
#[derive(Debug)]
pub struct Bundle {
    /// The root's keywords (without `$schema`, `$id`, `$defs`), references rewritten.
    pub body: Vec<(String, Node)>,
    /// Every definition the file needs, by name, references rewritten.
    pub defs: BTreeMap<String, Node>,
}

/// Bundles `docs[root]`; problems are appended to `problems`.
pub fn bundle(docs: &[Doc], root: usize, problems: &mut Collector) -> Bundle {
    let mut closure = Closure {
        docs,
        root,
        keys: Vec::new(),
        problems,
    };
    let root_body = strip(&docs[root].root, &["$schema", "$id", "$defs"]);
    closure.collect(root, &root_body, "");
    if let Some(Node::Object(own)) = docs[root].root.get("$defs") {
        for (name, _) in own {
            closure.add((root, format!("/$defs/{}", escape_token(name))));
        }
    }
    let mut next = 0;
    while next < closure.keys.len() {
        let (doc, pointer) = closure.keys[next].clone();
        if let Some(node) = docs[doc].root.pointer(&pointer) {
            closure.collect(doc, &strip(node, DROPPED_IN_COPIES), &pointer);
        }
        next += 1;
    }
    let keys = closure.keys;
    let names = name_keys(docs, &keys);
    let rewriter = Rewriter {
        docs,
        root,
        names: &names,
    };
    let body = match rewriter.rewrite(root, &root_body) {
        Node::Object(entries) => entries,
        _ => Vec::new(),
    };
    let defs = keys
        .iter()
        .filter_map(|key| {
            let node = docs[key.0].root.pointer(&key.1)?;
            let copy = rewriter.rewrite(key.0, &strip(node, DROPPED_IN_COPIES));
            Some((names[key].clone(), copy))
        })
        .collect();
    Bundle { body, defs }
}

/// `node` without the given keywords (when it is an object).
fn strip(node: &Node, keywords: &[&str]) -> Node {
    match node {
        Node::Object(entries) => Node::Object(
            entries
                .iter()
                .filter(|(k, _)| !keywords.contains(&k.as_str()))
                .cloned()
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Closure<'a, 'p> {
    docs: &'a [Doc],
    root: usize,
    keys: Vec<Key>,
    problems: &'p mut Collector,
}

impl Closure<'_, '_> {
    fn add(&mut self, key: Key) {
        let is_root = key.0 == self.root && key.1.is_empty();
        if !is_root && !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }

    /// Records every `$ref` target under `node`, which sits at `pointer` in `docs[doc]`.
    fn collect(&mut self, doc: usize, node: &Node, pointer: &str) {
        match node {
            Node::Object(entries) => {
                if let Some(reference) = node.get("$ref") {
                    match reference.as_str().map(|r| resolve(self.docs, doc, r)) {
                        Some(Ok(key)) => self.add(key),
                        Some(Err(message)) => self.problems.push(Diagnostic::at(
                            &self.docs[doc].name,
                            pointer,
                            message,
                        )),
                        None => self.problems.push(Diagnostic::at(
                            &self.docs[doc].name,
                            pointer,
                            "$ref is not a string",
                        )),
                    }
                }
                for (key, value) in entries {
                    if !holds_data(key) {
                        self.collect(doc, value, &format!("{pointer}/{}", escape_token(key)));
                    }
                }
            }
            Node::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.collect(doc, item, &format!("{pointer}/{index}"));
                }
            }
            _ => {}
        }
    }
}

/// Gives every key its definition name (see the module's design notes).
fn name_keys(docs: &[Doc], keys: &[Key]) -> BTreeMap<Key, String> {
    let preferred = |(doc, pointer): &Key| -> String {
        let doc = &docs[*doc];
        let raw = match pointer
            .strip_prefix("/$defs/")
            .or_else(|| pointer.strip_prefix("/definitions/"))
        {
            Some(name) if !name.contains('/') => name.replace("~1", "/").replace("~0", "~"),
            _ if pointer.is_empty() => doc.stem().to_owned(),
            _ => format!("{}{}", doc.stem(), pointer.replace('/', "_")),
        };
        sanitize(&raw)
    };
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys {
        *uses.entry(preferred(key)).or_default() += 1;
    }
    let mut taken: BTreeMap<String, ()> = BTreeMap::new();
    let mut names = BTreeMap::new();
    for key in keys {
        let mut name = preferred(key);
        if uses[&name] > 1 && !key.1.is_empty() {
            name = sanitize(&format!("{}_{name}", docs[key.0].stem()));
        }
        let base = name.clone();
        let mut counter = 2;
        while taken.contains_key(&name) {
            name = format!("{base}_{counter}");
            counter += 1;
        }
        taken.insert(name.clone(), ());
        names.insert(key.clone(), name);
    }
    names
}

/// A plain identifier: ASCII letters, digits and `_`, not starting with a digit.
fn sanitize(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

struct Rewriter<'a> {
    docs: &'a [Doc],
    root: usize,
    names: &'a BTreeMap<Key, String>,
}

impl Rewriter<'_> {
    fn rewrite(&self, doc: usize, node: &Node) -> Node {
        match node {
            Node::Object(entries) => Node::Object(
                entries
                    .iter()
                    .map(|(key, value)| {
                        let value = if key == "$ref" {
                            self.target(doc, value)
                        } else if holds_data(key) {
                            value.clone()
                        } else {
                            self.rewrite(doc, value)
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Node::Array(items) => {
                Node::Array(items.iter().map(|item| self.rewrite(doc, item)).collect())
            }
            other => other.clone(),
        }
    }

    /// The rewritten `$ref` value (left as written when it did not resolve:
    /// that is already a reported problem).
    fn target(&self, doc: usize, reference: &Node) -> Node {
        let Some(Ok(key)) = reference.as_str().map(|r| resolve(self.docs, doc, r)) else {
            return reference.clone();
        };
        if key.0 == self.root && key.1.is_empty() {
            return Node::String("#".to_owned());
        }
        match self.names.get(&key) {
            Some(name) => Node::String(format!("#/$defs/{}", escape_token(name))),
            None => reference.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_with_the_loaders_join() {
        let doc = |name: &str, id: &str, root: &str| Doc {
            name: name.to_owned(),
            id: id.to_owned(),
            root: serde_json::from_str::<Node>(root).expect("json"),
        };
        let docs = [
            doc("b.json", "a/b.json", r#"{"$defs": {"x y": {}}}"#),
            doc("x.json", "x", "{}"),
        ];
        // RFC 3986: `../x` from `a/b.json` is `x` (the former copy gave `a/x`).
        assert_eq!(resolve(&docs, 0, "../x"), Ok((1, String::new())));
        assert_eq!(
            resolve(&docs, 0, "#/$defs/x%20y"),
            Ok((0, "/$defs/x y".to_owned()))
        );
    }

    #[test]
    fn sanitize_makes_plain_identifiers() {
        assert_eq!(sanitize("item-type"), "item_type");
        assert_eq!(sanitize("1st"), "_1st");
        assert_eq!(sanitize(""), "_");
    }
}
