//! `schemars::JsonSchema` (feature `schemars`): what `schema_for!` gives for
//! the generated types agrees with their source schemas. For every fixture
//! event, the `jsonschema` crate gives the same verdict on the schemars
//! schema of `LogEvent` and of each event type (under the draft 2020-12 and
//! draft-07 settings) as on the export's self-contained source schema, with
//! formats asserted as the validator asserts them. Snapshots of one event
//! type's schema under each setting, OpenAPI 3.0 included.

use std::path::Path;

use aperture_events::runtime::schemars::generate::SchemaSettings;
use aperture_events::runtime::schemars::{JsonSchema, Schema};
use aperture_events::{
    ActivityMonitoring, AdminAudit, Incident, LogEvent, PolicyViolation, Remediation,
};
use serde_json::{Value, json};

#[path = "../../tests/fixture_events.rs"]
mod fixture_events;
#[path = "../../tests/stock_events.rs"]
mod stock_events;

/// The event types: their `log_type` and their export file.
const EVENT_FILES: [(&str, &str); 5] = [
    ("incident", "incident.schema.json"),
    ("remediation", "remediation.schema.json"),
    ("policy_violation", "policy_violation.schema.json"),
    ("admin_audit", "admin_audit.schema.json"),
    ("activity_monitoring", "activity_monitoring.schema.json"),
];

/// How many events are drawn from the stock schemas' value spaces.
const DRAWN: usize = 1024;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

/// The export's source schema `name`.
fn export(name: &str) -> Value {
    let path = repo().join("schema/export").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn root_schema<T: JsonSchema>(settings: SchemaSettings) -> Value {
    settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The verdicts of `ours` and of the export `file` agree on every event;
/// returns how many events each accepts.
fn agree(ours: &Value, file: &str, events: &[(String, Value)], what: &str) -> (usize, usize) {
    let ours = compile(ours);
    let source = compile(&export(file));
    let mut accepted = 0;
    for (name, event) in events {
        let expected = source.is_valid(event);
        assert_eq!(ours.is_valid(event), expected, "{what}: {name}");
        accepted += usize::from(expected);
    }
    (accepted, events.len() - accepted)
}

#[test]
fn schema_for_agrees_with_the_source_schemas_on_every_fixture() {
    let events = fixture_events::events(env!("CARGO_MANIFEST_DIR"));
    assert!(events.len() > 50, "{} fixture events", events.len());
    every_type_agrees(&events, "fixture");
}

/// The differential instances of the stock schemas: events drawn (with a
/// fixed seed) from their value spaces, as the types' own agreement test
/// (`tests/tests/types_agreement.rs`) draws them, mostly good values, about
/// one event in three with a bad one, unknown fields and unknown types.
#[test]
fn schema_for_agrees_with_the_source_schemas_on_drawn_events() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let files: Vec<(&str, Value)> = EVENT_FILES
        .iter()
        .map(|(_, file)| (*file, export(file)))
        .collect();
    let files = files.into_iter().collect();
    let strategy = stock_events::event(&files, &EVENT_FILES);
    let mut runner = TestRunner::deterministic();
    let events: Vec<(String, Value)> = (0..DRAWN)
        .map(|i| {
            let event = strategy.new_tree(&mut runner).expect("an event").current();
            (format!("drawn[{i}]: {event}"), event)
        })
        .collect();
    every_type_agrees(&events, "drawn");
}

/// `schema_for!` of `LogEvent` and of each event type, under the draft
/// 2020-12 and draft-07 settings, agrees with the export on every event.
#[allow(
    clippy::print_stderr,
    reason = "the agreement counts, for `--nocapture`"
)]
fn every_type_agrees(events: &[(String, Value)], what: &str) {
    type Of = fn(SchemaSettings) -> Value;
    let types: [(&str, Of); 6] = [
        ("log_event.schema.json", root_schema::<LogEvent>),
        ("incident.schema.json", root_schema::<Incident>),
        ("remediation.schema.json", root_schema::<Remediation>),
        (
            "policy_violation.schema.json",
            root_schema::<PolicyViolation>,
        ),
        ("admin_audit.schema.json", root_schema::<AdminAudit>),
        (
            "activity_monitoring.schema.json",
            root_schema::<ActivityMonitoring>,
        ),
    ];
    for (setting, settings) in [
        (
            "draft 2020-12",
            SchemaSettings::draft2020_12 as fn() -> SchemaSettings,
        ),
        ("draft-07", SchemaSettings::draft07),
    ] {
        for (file, of) in types {
            let (valid, invalid) =
                agree(&of(settings()), file, events, &format!("{setting} {file}"));
            if file == "log_event.schema.json" {
                assert!(
                    valid > 10 && invalid > 10,
                    "{valid} valid, {invalid} invalid"
                );
            }
            eprintln!(
                "{setting} {file}: {} {what} events agree ({valid} accepted, {invalid} refused)",
                events.len()
            );
        }
    }
}

#[test]
fn references_land_where_each_setting_puts_definitions() {
    let schema = root_schema::<LogEvent>(SchemaSettings::draft2020_12());
    assert_eq!(schema["oneOf"][1], json!({"$ref": "#/$defs/Incident"}));
    assert!(schema["$defs"]["Incident"].is_object());
    let schema = root_schema::<LogEvent>(SchemaSettings::draft07());
    assert_eq!(
        schema["oneOf"][1],
        json!({"$ref": "#/definitions/Incident"})
    );
    assert!(schema["definitions"]["Incident"].is_object());
    let mut generator = SchemaSettings::openapi3().into_generator();
    let reference = generator.subschema_for::<LogEvent>();
    assert_eq!(
        reference.to_value(),
        json!({"$ref": "#/components/schemas/LogEvent"})
    );
    let components = generator.take_definitions(true);
    for name in [
        "LogEvent",
        "Incident",
        "Remediation",
        "PolicyViolation",
        "AdminAudit",
        "ActivityMonitoring",
    ] {
        assert!(
            components.contains_key(name),
            "{name}: {:?}",
            components.keys()
        );
    }
    assert_eq!(
        components["LogEvent"]["oneOf"][1],
        json!({"$ref": "#/components/schemas/Incident"})
    );
    assert_eq!(<Incident as JsonSchema>::schema_name(), "Incident");
    assert_eq!(
        <Incident as JsonSchema>::schema_id(),
        "aperture_events::generated::Incident"
    );
}

#[test]
fn one_event_type_under_each_setting() {
    insta::assert_json_snapshot!(
        "remediation_draft2020_12",
        root_schema::<Remediation>(SchemaSettings::draft2020_12())
    );
    insta::assert_json_snapshot!(
        "remediation_draft07",
        root_schema::<Remediation>(SchemaSettings::draft07())
    );
    let mut generator = SchemaSettings::openapi3().into_generator();
    generator.subschema_for::<Remediation>();
    let components: Schema = Schema::from(generator.take_definitions(true));
    insta::assert_json_snapshot!("remediation_openapi3_components", components.to_value());
}
