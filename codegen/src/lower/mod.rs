//! Stage two: turn the loaded schemas into the IR.
//!
//! Walks every file: a root with `oneOf` becomes a union, a root object a
//! struct, and each `$defs` entry that needs a Rust type of its own (objects,
//! enumerations, bounded integers, multi-type values) a named item. Plain
//! strings, booleans and date-times map to existing Rust types.
//!
//! # Design
//! Every keyword the generator does not understand is an error naming file and
//! JSON pointer (`x-` keywords and annotations excepted). This is what makes
//! "the generated types accept exactly what the schema accepts" hold: a
//! constraint the types could not check is refused up front, never dropped.
//! Errors are collected and the walk carries on, so one run reports them all.

mod boxes;
mod checked;
mod docs;
mod enums;
mod keywords;
mod objects;
mod renames;
mod support;
mod types;
mod unions;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use aperture_events_schema::vocabulary::{Keywords, Read};
use serde_json::{Map, Value};

use crate::error::{Collector, Diagnostic, Result};
use crate::ir::{DateTimeRepr, Item, Module, TypeRef};
use crate::load::{Location, Schemas};
use crate::names::{self, DATE_TIME_NAME, OTHER_VALUE_NAME, OUT_OF_RANGE_NAME, TypeNames};
use crate::ordered::escape_token;

/// What the lowering needs to know from the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Representation of `format: date-time`.
    pub date_time: DateTimeRepr,
    /// Keep unknown properties in an extras map.
    pub keep_unknown: bool,
    /// Name of the union type, instead of the union schema's title.
    pub union_name: Option<String>,
}

/// The name of the date-time type: the title of the first `format: date-time`
/// schema that has one (files in order, keys in order), else [`DATE_TIME_NAME`].
fn date_time_name(schemas: &Schemas) -> String {
    fn find(value: &Value) -> Option<String> {
        match value {
            Value::Object(map) => {
                let titled = map.get("format").and_then(Value::as_str) == Some("date-time");
                if let (true, Some(title)) = (titled, map.get("title").and_then(Value::as_str)) {
                    // Claimed, so that a title like `Option` cannot shadow a name the code uses.
                    let mut names = TypeNames::new(&[OTHER_VALUE_NAME, OUT_OF_RANGE_NAME]);
                    return Some(names.claim(&[title, DATE_TIME_NAME], ""));
                }
                map.iter()
                    .filter(|(key, _)| {
                        !["examples", "const", "enum", "default"].contains(&key.as_str())
                    })
                    .find_map(|(_, v)| find(v))
            }
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    (0..schemas.len())
        .find_map(|doc| {
            let root = Location {
                doc,
                pointer: String::new(),
            };
            schemas.get(&root).and_then(find)
        })
        .unwrap_or_else(|| DATE_TIME_NAME.to_owned())
}

/// Lowers every loaded schema into one module; names the generator had to
/// change go into `warnings`.
pub(crate) fn lower(
    schemas: &Schemas,
    options: &Options,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Module> {
    let date_time = date_time_name(schemas);
    let invalid = names::invalid_date_time(&date_time);
    let mut lowerer = Lowerer {
        schemas,
        options,
        errors: Collector::default(),
        warnings: Vec::new(),
        names: TypeNames::new(&[&date_time, &invalid, OTHER_VALUE_NAME, OUT_OF_RANGE_NAME]),
        items: Vec::new(),
        named: BTreeMap::new(),
        ref_stack: BTreeSet::new(),
        nullable: BTreeMap::new(),
        roots: vec![None; schemas.len()],
        uses_date_time: false,
        read: RefCell::default(),
    };
    let chosen = renames::chosen_type_names(schemas);
    lowerer
        .names
        .reserve_chosen(chosen.iter().map(String::as_str));
    let roots: Vec<Location> = (0..schemas.len())
        .map(|doc| Location {
            doc,
            pointer: String::new(),
        })
        .collect();
    // Unions first, so they claim their names before anything else.
    for root in &roots {
        if lowerer.is_tagged_union(root) {
            lowerer.lower_union(root);
        }
    }
    for root in &roots {
        lowerer.lower_root(root);
    }
    for root in &roots {
        lowerer.lower_defs(root);
    }
    let mut items = std::mem::take(&mut lowerer.items);
    items.sort_by_key(|(rank, _)| *rank);
    let mut items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
    boxes::box_recursive_fields(&mut items);
    let module = Module {
        sources: schemas.names(),
        roots: std::mem::take(&mut lowerer.roots),
        items,
        date_time: lowerer.uses_date_time.then_some(options.date_time),
        date_time_name: date_time,
    };
    warnings.append(&mut lowerer.warnings);
    lowerer.errors.finish(module)
}

/// What a name is derived from when a schema has no `title`.
#[derive(Debug, Clone)]
struct Hint {
    /// The property name or `$defs` key.
    name: String,
    /// The enclosing type or file, to qualify a colliding name.
    scope: String,
}

struct Lowerer<'a> {
    schemas: &'a Schemas,
    options: &'a Options,
    errors: Collector,
    /// Names that had to be changed, each at its place.
    warnings: Vec<Diagnostic>,
    names: TypeNames,
    /// Items with their output rank (unions 0, root structs 1, the rest 2).
    items: Vec<(u8, Item)>,
    /// Locations already given a named item.
    named: BTreeMap<Location, String>,
    /// `$ref` targets being followed, to refuse cycles.
    ref_stack: BTreeSet<Location>,
    /// Whether `null` is accepted beside a named type, by location (for a
    /// `$ref` back to a type still being built).
    nullable: BTreeMap<Location, bool>,
    /// The type of each file's root schema, by file.
    roots: Vec<Option<(TypeRef, bool)>>,
    uses_date_time: bool,
    /// Each schema object read into the typed model, once (see [`Lowerer::read`]).
    read: RefCell<BTreeMap<Location, Rc<Keywords<'a>>>>,
}

impl<'a> Lowerer<'a> {
    /// Records a problem at `location` (or `location/child` when given).
    fn error(&mut self, location: &Location, child: Option<&str>, message: impl Into<String>) {
        let file = self.schemas.display(location).to_owned();
        let pointer = match child {
            Some(child) => format!("{}/{}", location.pointer, escape_token(child)),
            None => location.pointer.clone(),
        };
        // Reported where it is in the file, not in its draft 2020-12 view.
        let pointer = self.schemas.original_pointer(location.doc, &pointer);
        self.errors.push(Diagnostic::at(&file, &pointer, message));
    }

    /// Records a refusal: a construct the generator does not support, named
    /// with the draft the schema is read in (`(in a draft-07 schema)`).
    fn refuse(&mut self, location: &Location, child: Option<&str>, message: impl Into<String>) {
        let message = format!(
            "{} (in a {} schema)",
            message.into(),
            self.schemas.draft_name(location)
        );
        self.error(location, child, message);
    }

    /// The schema object `object` at `location` read into the typed model:
    /// read once, the first time it is asked for, then the same
    /// [`Keywords`] for every reader.
    fn read(&self, location: &Location, object: &'a Map<String, Value>) -> Rc<Keywords<'a>> {
        let mut read = self.read.borrow_mut();
        let keywords = read
            .entry(location.clone())
            .or_insert_with(|| Rc::new(Keywords::of(object)));
        Rc::clone(keywords)
    }

    /// The schema object at `location` in the typed model, if it is an object.
    fn keywords(&self, location: &Location) -> Option<Rc<Keywords<'a>>> {
        let object = self.object(location)?;
        Some(self.read(location, object))
    }

    /// The schema object at `location`, if it is an object.
    fn object(&self, location: &Location) -> Option<&'a Map<String, Value>> {
        self.schemas.get(location).and_then(Value::as_object)
    }

    /// `file#pointer` of a location, for docs.
    fn place(&self, location: &Location) -> String {
        format!("{}#{}", self.schemas.file_name(location), location.pointer)
    }

    /// A file's name without `.schema.json`, for hints.
    fn stem(&self, location: &Location) -> String {
        let name = self.schemas.file_name(location);
        name.strip_suffix(".schema.json")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(name)
            .to_owned()
    }

    /// A root that is not a union: lowered like any schema, for the items it makes.
    fn lower_root(&mut self, root: &Location) {
        let object = match self.schemas.get(root) {
            Some(Value::Object(object)) => object,
            Some(Value::Bool(_)) => {
                let hint = Hint {
                    name: self.stem(root),
                    scope: String::new(),
                };
                self.roots[root.doc] = self.schema_type(root, &hint);
                self.any_root(root, &hint);
                return;
            }
            _ => {
                self.error(
                    root,
                    None,
                    "a schema file must hold a json object or a boolean",
                );
                return;
            }
        };
        if self.named.contains_key(root) {
            self.roots[root.doc] = self
                .named
                .get(root)
                .map(|n| (TypeRef::Named(n.clone()), false));
            return;
        }
        // A root holding only definitions (and annotations) makes no type of its own.
        let makes_a_type = object
            .keys()
            .any(|key| !keywords::is_annotation(key) && !keywords::root_only(key));
        if makes_a_type {
            let hint = Hint {
                name: self.stem(root),
                scope: String::new(),
            };
            self.roots[root.doc] = self.schema_type(root, &hint);
            self.any_root(root, &hint);
        } else {
            let read = self.read(root, object);
            self.check_keywords(root, &read);
            // A file of annotations alone is the schema `{}`: any JSON value.
            if !read.defs.is_present() && !read.definitions.is_present() {
                self.roots[root.doc] = Some((TypeRef::Any, false));
                let hint = Hint {
                    name: self.stem(root),
                    scope: String::new(),
                };
                self.any_root(root, &hint);
            }
        }
    }

    /// A root accepting any JSON value gets a type of its own (a checked
    /// value with no check): `serde_json::Value` itself would keep the last
    /// of duplicate keys, which the validator refuses.
    fn any_root(&mut self, root: &Location, hint: &Hint) {
        if self.roots[root.doc] != Some((TypeRef::Any, false)) {
            return;
        }
        let name = self.named(root, hint, |this, name| {
            Some(Item::Checked(crate::ir::Checked {
                name: name.to_owned(),
                docs: this.docs(root),
                inner: TypeRef::Any,
                checks: Vec::new(),
            }))
        });
        self.roots[root.doc] = name.map(|n| (TypeRef::Named(n), false));
    }

    /// Every `$defs` (then `definitions`) entry of a root, in file order.
    fn lower_defs(&mut self, root: &Location) {
        let Some(object) = self.object(root) else {
            return;
        };
        let read = self.read(root, object);
        for (container, definitions) in [("$defs", read.defs), ("definitions", read.definitions)] {
            match definitions {
                Read::Absent => continue,
                Read::Value(_) => {}
                Read::Misshapen(_) => {
                    self.error(
                        root,
                        Some(container),
                        format!("`{container}` must be an object"),
                    );
                    continue;
                }
            }
            let scope = self.stem(root);
            for key in self.schemas.keys(root, container) {
                let location = Location {
                    doc: root.doc,
                    pointer: format!("/{container}/{}", escape_token(&key)),
                };
                let hint = Hint {
                    name: key,
                    scope: scope.clone(),
                };
                self.schema_type(&location, &hint);
            }
        }
    }

    /// Gives `location` a named item once: the name is claimed from the
    /// schema's title, its `$defs` key, or the hint, and `build` makes the item.
    fn named(
        &mut self,
        location: &Location,
        hint: &Hint,
        build: impl FnOnce(&mut Self, &str) -> Option<Item>,
    ) -> Option<String> {
        if let Some(name) = self.named.get(location) {
            return Some(name.clone());
        }
        let title = self
            .keywords(location)
            .and_then(|k| k.title)
            .unwrap_or_default();
        let key = keywords::definition_key(&location.pointer)
            .map(str::to_owned)
            .unwrap_or_default();
        let name = self.type_name(location, &[title, &key, &hint.name], &hint.scope);
        self.named.insert(location.clone(), name.clone());
        let item = build(self, &name)?;
        let rank = match &item {
            Item::Union(_) => 0,
            Item::Struct(_) if location.pointer.is_empty() => 1,
            _ => 2,
        };
        self.items.push((rank, item));
        Some(name)
    }
}

#[cfg(test)]
mod tests;
