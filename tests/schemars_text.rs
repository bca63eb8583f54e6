//! The `JsonSchema` impls `Config::schemars` emits, read back from the
//! generated code's text: each type's schema text, and the schema a
//! `SchemaGenerator` would give (markers turned into references to its
//! definitions, its settings' transforms applied), without compiling the
//! code. Shared by path by `codegen/tests/schemars_impls.rs` (the stock
//! types) and `tests/tests/schemars_differential.rs` (the differential corpus).

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// How the emitted schema texts name another generated type (the runtime's
/// `json_schema::REF_PREFIX`).
pub const MARKER: &str = "aperture-events-codegen:";

/// The first string literal in `tokens`.
fn first_string(tokens: TokenStream) -> Option<String> {
    tokens.into_iter().find_map(|tree| match tree {
        TokenTree::Group(group) => first_string(group.stream()),
        TokenTree::Literal(literal) => syn::parse_str::<syn::LitStr>(&literal.to_string())
            .ok()
            .map(|s| s.value()),
        _ => None,
    })
}

/// Each `JsonSchema` impl of `code`: the type's name, its impl's tokens,
/// and its schema text.
pub fn impls(code: &str) -> BTreeMap<String, (TokenStream, Value)> {
    let file = syn::parse_file(code).expect("the generated code parses");
    // The impls are inside the runtime's `__schemars!` (kept with its `schemars` feature).
    let gated = file.items.into_iter().find_map(|item| match item {
        syn::Item::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "__schemars") =>
        {
            Some(m.mac.tokens)
        }
        _ => None,
    });
    let Some(gated) = gated else {
        return BTreeMap::new();
    };
    let inner: syn::File = syn::parse2(gated).expect("items");
    let mut out = BTreeMap::new();
    for item in inner.items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((_, path, _)) = &imp.trait_ else {
            continue;
        };
        if path.segments.last().is_none_or(|s| s.ident != "JsonSchema") {
            continue;
        }
        let name = imp.self_ty.to_token_stream().to_string();
        let json_schema = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "json_schema" => Some(f.block.to_token_stream()),
            _ => None,
        });
        let text = first_string(json_schema.expect("json_schema")).expect("a schema text");
        let value = serde_json::from_str(&text).expect("the schema text is JSON");
        out.insert(name, (imp.to_token_stream(), value));
    }
    out
}

/// `value` with every marker turned into a reference to `definitions`.
pub fn resolve(value: &mut Value, definitions: &str) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(r)) = object.get_mut("$ref") {
                if let Some(name) = r.strip_prefix(MARKER) {
                    *r = format!("#/{definitions}/{name}");
                }
            }
            object.values_mut().for_each(|v| resolve(v, definitions));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, definitions)),
        _ => {}
    }
}

/// The two settings the agreement is checked under: the `$schema`, where
/// definitions go, and schemars' settings.
pub fn settings() -> [(&'static str, &'static str, SchemaSettings); 2] {
    [
        (
            "https://json-schema.org/draft/2020-12/schema",
            "$defs",
            SchemaSettings::draft2020_12(),
        ),
        (
            "http://json-schema.org/draft-07/schema#",
            "definitions",
            SchemaSettings::draft07(),
        ),
    ]
}

/// The root schema of type `root` from `impls`, as `schema_for!` gives it
/// under one of [`settings`]: every definition, its markers resolved and the
/// settings' transforms applied (draft-07: keywords beside a `$ref` into an
/// `allOf`, `prefixItems` into `items`).
pub fn root_schema(
    impls: &BTreeMap<String, (TokenStream, Value)>,
    root: &str,
    (draft, definitions, settings): &mut (&'static str, &'static str, SchemaSettings),
) -> Value {
    let mut defs = serde_json::Map::new();
    for (name, (_, schema)) in impls {
        let mut schema = schema.clone();
        resolve(&mut schema, definitions);
        let mut schema = schemars::Schema::try_from(schema).expect("a schema object");
        for transform in settings.transforms.iter_mut() {
            transform.transform(&mut schema);
        }
        defs.insert(name.clone(), schema.to_value());
    }
    json!({
        "$schema": draft,
        "$ref": format!("#/{definitions}/{root}"),
        *definitions: defs,
    })
}
