//! `Config::schemars`: the `JsonSchema` impls of the stock types.
//!
//! A snapshot of one event type's impl, and agreement: the schema the impls
//! give `LogEvent` (each type's text, its markers turned into `$defs`
//! references as `SchemaGenerator::subschema_for` turns them under draft
//! 2020-12 and draft-07) gives the `jsonschema` crate's verdict of the source
//! schema (the export's self-contained `log_event.schema.json`) on every
//! fixture event, formats asserted (as the validator asserts them).

use std::path::Path;

use serde_json::Value;

#[path = "../../tests/fixture_events.rs"]
mod fixture_events;
#[path = "../../tests/schemars_text.rs"]
mod schemars_text;

use schemars_text::impls;

fn generated() -> String {
    let mut config = aperture_events_codegen::Config::new();
    config.schemars(true);
    let sources = config.read_sources().expect("the stock schemas");
    let output = config.generate(&sources).expect("generate");
    assert!(output.runtime_features.contains(&"schemars".to_owned()));
    assert!(output.code.contains("__schemars!"));
    output.code
}

#[test]
fn one_event_type_impl() {
    let impls = impls(&generated());
    let (imp, schema) = &impls["Remediation"];
    let shown = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::parse2(imp.clone()).expect("an impl")],
    });
    insta::assert_snapshot!("remediation_impl", shown);
    insta::assert_json_snapshot!("remediation_schema", schema);
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
    for mut setting in schemars_text::settings() {
        let draft = setting.0;
        let root = schemars_text::root_schema(&impls, "LogEvent", &mut setting);
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
