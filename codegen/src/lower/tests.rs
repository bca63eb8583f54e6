use super::*;
use crate::ir::{Field, TypeRef};
use crate::load::SchemaSource;

fn module() -> Module {
    let schemas = Schemas::load(&SchemaSource::embedded()).expect("load");
    let options = Options {
        date_time: DateTimeRepr::Chrono,
        keep_unknown: true,
        union_name: None,
    };
    lower(&schemas, &options, &mut Vec::new()).expect("lower")
}

fn field<'m>(module: &'m Module, ty: &str, name: &str) -> &'m Field {
    let Some(Item::Struct(s)) = module.items.iter().find(|i| i.name() == ty) else {
        panic!("no struct {ty}")
    };
    s.fields
        .iter()
        .find(|f| f.json_name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn the_union_comes_first_then_the_events_in_union_order() {
    let module = module();
    let names: Vec<&str> = module.items.iter().take(6).map(Item::name).collect();
    assert_eq!(
        names,
        [
            "LogEvent",
            "ActivityMonitoring",
            "Incident",
            "Remediation",
            "PolicyViolation",
            "AdminAudit"
        ]
    );
    let Item::Union(union) = &module.items[0] else {
        panic!("union first")
    };
    assert_eq!(union.tag, "log_type");
    assert_eq!(union.unknown, "Unknown");
    assert_eq!(union.variants[1].tag_value, "incident");
    assert_eq!(module.date_time, Some(DateTimeRepr::Chrono));
    let methods: Vec<&str> = union.common.iter().map(|c| c.method.as_str()).collect();
    for shared in ["timestamp", "serial", "severity", "incident_id"] {
        assert!(methods.contains(&shared), "{shared} in {methods:?}");
    }
    assert!(
        !methods.contains(&"item_type"),
        "admin_audit's item_type is another type"
    );
    let severity = union.common.iter().find(|c| c.method == "severity");
    let holders: Vec<&str> = severity
        .map(|c| c.holders.iter().map(|(v, _, _)| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        holders,
        ["ActivityMonitoring", "Incident", "PolicyViolation"]
    );
}

#[test]
fn fields_keep_presence_nullability_and_types() {
    let module = module();
    let severity = field(&module, "Incident", "severity");
    assert_eq!(
        (severity.ty.clone(), severity.required, severity.nullable),
        (TypeRef::Named("Severity".into()), false, false)
    );
    let occurrences = field(&module, "Incident", "occurrences_by_rule");
    assert_eq!(
        (occurrences.ty.clone(), occurrences.nullable),
        (TypeRef::Named("OccurrencesByRule".into()), true)
    );
    let category = field(&module, "Incident", "incident_category");
    assert_eq!(
        (category.ty.clone(), category.nullable),
        (TypeRef::Named("IncidentCategory".into()), true)
    );
    let timestamp = field(&module, "Incident", "timestamp");
    assert_eq!(
        (timestamp.ty.clone(), timestamp.required),
        (TypeRef::DateTime, true)
    );
    let serial = field(&module, "AdminAudit", "serial");
    assert_eq!(
        (serial.ty.clone(), serial.nullable),
        (TypeRef::String, true)
    );
    assert_eq!(
        serial.docs.quirks.len(),
        1,
        "the quirk of common.schema.json#/$defs/serial"
    );
    assert_eq!(
        field(&module, "Incident", "item_size").ty,
        TypeRef::Named("ItemSize".into())
    );
}

#[test]
fn shared_definitions_become_one_item_each() {
    let module = module();
    let count = |name: &str| module.items.iter().filter(|i| i.name() == name).count();
    assert_eq!(count("Severity"), 1);
    assert_eq!(count("ItemType"), 1);
    assert_eq!(count("Exposure"), 1);
    let Some(Item::OpenEnum(exposure)) = module.items.iter().find(|i| i.name() == "Exposure")
    else {
        panic!("open enum")
    };
    // One variant per value: the quirk spellings belong to the value they spell.
    let variants: Vec<(&str, Vec<&str>)> = exposure
        .variants
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                v.spellings.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        variants,
        [
            ("Public", vec!["PUBLIC"]),
            ("External", vec!["EXTERNAL"]),
            ("Company", vec!["COMPANY"]),
            ("Internal", vec!["INTERNAL"])
        ]
    );
    assert!(exposure.case_insensitive);
    assert!(exposure.variants.iter().all(|v| !v.quirk));
}
