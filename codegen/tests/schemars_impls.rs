//! `Config::schemars`: the `JsonSchema` impls of the stock types.
//!
//! A snapshot of one event type's impl, and agreement: the schema the impls
//! give `LogEvent` (each type's text, its markers turned into `$defs`
//! references as `SchemaGenerator::subschema_for` turns them under draft
//! 2020-12 and draft-07) gives the `jsonschema` crate's verdict of the source
//! schema (the export's self-contained `log_event.schema.json`) on every
//! fixture event, formats asserted (as the validator asserts them).

use std::collections::BTreeMap;
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

#[path = "../../tests/fixture_events.rs"]
mod fixture_events;

const MARKER: &str = "aperture-events-codegen:";

fn generated() -> String {
    let mut config = aperture_events_codegen::Config::new();
    config.schemars(true);
    let sources = config.read_sources().expect("the stock schemas");
    let output = config.generate(&sources).expect("generate");
    assert!(output.runtime_features.contains(&"schemars".to_owned()));
    assert!(output.code.contains("__schemars!"));
    output.code
}

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

/// Each `JsonSchema` impl of `code`: the type's name, its impl as text, and
/// its schema text.
fn impls(code: &str) -> BTreeMap<String, (String, Value)> {
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
    let inner: syn::File = syn::parse2(gated.expect("the gated impls")).expect("items");
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
        let shown = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Impl(imp)],
        });
        out.insert(name, (shown, value));
    }
    out
}

#[test]
fn one_event_type_impl() {
    let impls = impls(&generated());
    let (shown, schema) = &impls["Remediation"];
    insta::assert_snapshot!("remediation_impl", shown);
    insta::assert_json_snapshot!("remediation_schema", schema);
}

/// `value` with every marker turned into a reference to `definitions`.
fn resolve(value: &mut Value, definitions: &str) {
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

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the agreement counts, for `--nocapture`"
)]
fn the_impls_schema_of_log_event_agrees_with_the_source_schema() {
    let impls = impls(&generated());
    assert!(impls.contains_key("LogEvent"), "{:?}", impls.keys());
    let source: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/export/log_event.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // Formats asserted, as the validator asserts them.
    let compile = |schema: &Value| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .expect("the schema compiles")
    };
    let source = compile(&source);
    let events = fixture_events::events(env!("CARGO_MANIFEST_DIR"));
    assert!(events.len() > 50, "{} fixture events", events.len());
    for (draft, definitions, mut settings) in [
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
    ] {
        let mut defs = serde_json::Map::new();
        for (name, (_, schema)) in &impls {
            let mut schema = schema.clone();
            resolve(&mut schema, definitions);
            // What the generator's settings do to each definition (draft-07:
            // keywords beside a `$ref` into an `allOf`, `prefixItems` into `items`).
            let mut schema = schemars::Schema::try_from(schema).unwrap();
            for transform in settings.transforms.iter_mut() {
                transform.transform(&mut schema);
            }
            defs.insert(name.clone(), schema.to_value());
        }
        let root = json!({
            "$schema": draft,
            "$ref": format!("#/{definitions}/LogEvent"),
            definitions: defs,
        });
        let ours = compile(&root);
        let (mut valid, mut invalid) = (0, 0);
        for (name, event) in &events {
            let expected = source.is_valid(event);
            assert_eq!(ours.is_valid(event), expected, "{draft}: {name}");
            if expected { valid += 1 } else { invalid += 1 }
        }
        assert!(
            valid > 10 && invalid > 10,
            "{draft}: {valid} valid, {invalid} invalid"
        );
        eprintln!(
            "{draft}: {} events agree ({valid} valid, {invalid} invalid)",
            events.len()
        );
    }
}
