//! `schemars::JsonSchema` impls ([`crate::Config::schemars`]): each type's
//! `json_schema()` is its source schema, not a description of its Rust shape.
//!
//! # Design
//! The IR holds no schema JSON, so this module reads each item's source
//! schema from the loaded schemas at its [`Docs::source`](crate::ir::Docs)
//! (`file#pointer`) and writes it as JSON text into the impl. Inside it:
//! - a subschema that is another generated item (a `$ref` to it, or an inline
//!   schema the lowering made an item of) becomes the marker
//!   `{"$ref": "aperture-events-codegen:Name"}`, which the runtime's
//!   `json_schema::source_schema` turns into `subschema_for::<Name>()` (so
//!   references land in `$defs`, `definitions` or `components/schemas`, as the
//!   generator's settings say);
//! - any other `$ref` (a definition lowered to a plain Rust type: a string, a
//!   date-time) is resolved now and its target written in place;
//! - `$schema`, `$id`, `$defs` and the dynamic anchors are left out (every reference is resolved).
//!
//! The tolerant reading is the source schema itself, so nothing else changes.

use std::collections::HashMap;

use aperture_events_schema::ordered::escape_token;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::{Ctx, ident};
use crate::ir::{Item, Module};
use crate::load::{Location, Schemas};

/// How a schema text names another generated type (the runtime's `REF_PREFIX`).
const REF_PREFIX: &str = "aperture-events-codegen:";
/// Keywords whose value is a schema.
const ONE: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "items",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
];
/// Keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value maps names to schemas.
const MAP: &[&str] = &["properties", "patternProperties", "dependentSchemas"];
/// Keywords left out of a type's schema. The generator takes the dynamic
/// anchors only where no reference reads them; written out, a 2019-09
/// `$recursiveAnchor: true` would be a malformed anchor in the 2020-12
/// reading a generator's settings give the schema.
const LEFT_OUT: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "definitions",
    "$recursiveAnchor",
    "$dynamicAnchor",
];
/// How deep references to plain definitions are written in place.
const MAX_DEPTH: usize = 32;

/// Each item's source schema, as the impls write it.
#[derive(Debug)]
pub(crate) struct Sources {
    /// By item name: the schema's JSON text and the items it references.
    texts: HashMap<String, (String, Vec<String>)>,
}

impl Sources {
    /// The source schema of every item of `module` found in `schemas`.
    pub(crate) fn new(module: &Module, schemas: &Schemas) -> Sources {
        let names = schemas.names();
        let location = |source: &str| -> Option<Location> {
            let (file, pointer) = source.split_once('#')?;
            let doc = names.iter().position(|n| n == file)?;
            Some(Location {
                doc,
                pointer: pointer.to_owned(),
            })
        };
        let items: HashMap<Location, String> = module
            .items
            .iter()
            .filter_map(|item| Some((location(&docs_source(item))?, item.name().to_owned())))
            .collect();
        let mut texts = HashMap::new();
        for item in &module.items {
            let Some(at) = location(&docs_source(item)) else {
                continue;
            };
            let Some(schema) = schemas.get(&at) else {
                continue;
            };
            let mut writer = Writer {
                schemas,
                items: &items,
                refs: Vec::new(),
            };
            let mut value = writer.schema(schema, &at, 0, true);
            map_discriminator(&mut value, schemas, &items);
            let mut refs = writer.refs;
            refs.sort();
            refs.dedup();
            texts.insert(item.name().to_owned(), (value.to_string(), refs));
        }
        Sources { texts }
    }
}

/// Gives a `discriminator` without a `mapping` one from each tag value to its
/// type's marker: without it OpenAPI takes the tag value (`incident`) for a
/// component's name, and the components are named after the types
/// (`Incident`). An annotation to JSON Schema: verdicts do not change.
fn map_discriminator(value: &mut Value, schemas: &Schemas, items: &HashMap<Location, String>) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let Some(Value::Object(discriminator)) = object.get("discriminator") else {
        return;
    };
    if discriminator.contains_key("mapping") {
        return;
    }
    let Some(Value::String(property)) = discriminator.get("propertyName") else {
        return;
    };
    let Some(Value::Array(variants)) = object.get("oneOf") else {
        return;
    };
    let mut mapping = Map::new();
    for variant in variants {
        let Some(name) = variant
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(REF_PREFIX))
        else {
            continue;
        };
        let tag = items
            .iter()
            .find(|(_, n)| *n == name)
            .and_then(|(at, _)| schemas.get(at))
            .and_then(|schema| {
                schema.pointer(&format!("/properties/{}/const", escape_token(property)))
            })
            .and_then(Value::as_str);
        if let Some(tag) = tag {
            mapping.insert(tag.to_owned(), Value::String(format!("{REF_PREFIX}{name}")));
        }
    }
    if !mapping.is_empty() {
        if let Some(Value::Object(discriminator)) = object.get_mut("discriminator") {
            discriminator.insert("mapping".to_owned(), Value::Object(mapping));
        }
    }
}

/// The `file#pointer` an item was lowered from.
fn docs_source(item: &Item) -> String {
    match item {
        Item::Struct(s) => s.docs.source.clone(),
        Item::Union(u) => u.docs.source.clone(),
        Item::OpenEnum(e) | Item::ClosedEnum(e) => e.docs.source.clone(),
        Item::Integer(i) => i.docs.source.clone(),
        Item::Multi(m) => m.docs.source.clone(),
        Item::Checked(c) => c.docs.source.clone(),
    }
}

/// Writes one item's schema.
struct Writer<'a> {
    schemas: &'a Schemas,
    items: &'a HashMap<Location, String>,
    /// The items referenced.
    refs: Vec<String>,
}

impl Writer<'_> {
    /// The schema at `at` as the impl writes it; `root` for the item's own.
    fn schema(&mut self, value: &Value, at: &Location, depth: usize, root: bool) -> Value {
        if !root {
            if let Some(name) = self.items.get(at) {
                return self.marker(name);
            }
        }
        let Value::Object(object) = value else {
            return value.clone();
        };
        let mut out = Map::new();
        for (key, child) in object {
            if LEFT_OUT.contains(&key.as_str()) || key == "$ref" {
                continue;
            }
            let child_at = Location {
                doc: at.doc,
                pointer: format!("{}/{}", at.pointer, escape_token(key)),
            };
            let written = self.keyword(key, child, &child_at, depth);
            out.insert(key.clone(), written);
        }
        if let Some(Value::String(reference)) = object.get("$ref") {
            let target = self.reference(reference, at, depth);
            if out.is_empty() {
                return target;
            }
            if target.as_object().is_some_and(|t| t.contains_key("$ref")) {
                out.insert("$ref".to_owned(), target["$ref"].clone());
            } else {
                out.insert("allOf".to_owned(), Value::Array(vec![target]));
            }
        }
        Value::Object(out)
    }

    /// A keyword's value: its schemas written (a schema, a list of them or
    /// a map of them), any other value as it is (data, annotations).
    fn keyword(&mut self, key: &str, value: &Value, at: &Location, depth: usize) -> Value {
        let child = |i: &dyn std::fmt::Display| Location {
            doc: at.doc,
            pointer: format!("{}/{}", at.pointer, escape_token(&i.to_string())),
        };
        match value {
            Value::Array(list) if LIST.contains(&key) => Value::Array(
                list.iter()
                    .enumerate()
                    .map(|(i, item)| self.schema(item, &child(&i), depth, false))
                    .collect(),
            ),
            Value::Object(map) if MAP.contains(&key) => Value::Object(
                map.iter()
                    .map(|(name, item)| {
                        (name.clone(), self.schema(item, &child(name), depth, false))
                    })
                    .collect(),
            ),
            Value::Object(_) | Value::Bool(_) if ONE.contains(&key) => {
                self.schema(value, at, depth, false)
            }
            other => other.clone(),
        }
    }

    /// What a `$ref` written at `at` stands for: the marker of the item it
    /// names, else its target written in place.
    fn reference(&mut self, reference: &str, at: &Location, depth: usize) -> Value {
        let Ok(target) = self.schemas.resolve(at, reference) else {
            return Value::Bool(true);
        };
        if let Some(name) = self.items.get(&target) {
            return self.marker(name);
        }
        match self.schemas.get(&target) {
            Some(value) if depth < MAX_DEPTH => self.schema(value, &target, depth + 1, true),
            _ => Value::Bool(true),
        }
    }

    fn marker(&mut self, name: &str) -> Value {
        self.refs.push(name.to_owned());
        let mut marker = Map::new();
        marker.insert(
            "$ref".to_owned(),
            Value::String(format!("{REF_PREFIX}{name}")),
        );
        Value::Object(marker)
    }
}

/// The impls, kept only when the runtime's `schemars` feature is on.
pub(super) fn gate(runtime: &TokenStream, impls: TokenStream) -> TokenStream {
    quote! {
        // `schemars::JsonSchema` for every type: only with the runtime's `schemars` feature.
        #runtime::__schemars! {
            #impls
        }
    }
}

/// The `JsonSchema` impl of `item`, or nothing when its source is not found.
pub(super) fn emit(ctx: &Ctx<'_>, item: &Item, sources: &Sources) -> TokenStream {
    let name = item.name();
    let Some((text, refs)) = sources.texts.get(name) else {
        return TokenStream::new();
    };
    let runtime = &ctx.runtime;
    let ty = ident(name);
    let arms = refs.iter().map(|r| {
        let referenced = ident(r);
        quote! { #r => ::core::option::Option::Some(generator.subschema_for::<#referenced>()), }
    });
    let refs = if refs.is_empty() {
        quote! { |_, _| ::core::option::Option::None }
    } else {
        quote! {
            |name, generator| match name {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    };
    quote! {
        impl #runtime::schemars::JsonSchema for #ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#name)
            }
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::core::concat!(::core::module_path!(), "::", #name))
            }
            /// The source schema of this type (its tolerant reading).
            fn json_schema(generator: &mut #runtime::schemars::SchemaGenerator) -> #runtime::schemars::Schema {
                #runtime::json_schema::source_schema(generator, #text, #refs)
            }
        }
    }
}
