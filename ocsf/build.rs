//! Checks the mapping (`mapping/*.json`) against our schemas and the vendored
//! OCSF document, and fails the build with every disagreement: a schema
//! change that breaks the mapping fails here, not in a SIEM.

#[path = "src/check.rs"]
#[allow(dead_code)]
mod check;
#[path = "src/model.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/ocsf_doc.rs"]
#[allow(dead_code)]
mod ocsf_doc;

fn main() {
    println!("cargo::rerun-if-changed=mapping");
    println!("cargo::rerun-if-changed=vendor/ocsf-1.8.0/ocsf-1.8.0.subset.json");
    println!("cargo::rerun-if-changed=src/check.rs");
    println!("cargo::rerun-if-changed=src/model.rs");
    println!("cargo::rerun-if-changed=src/ocsf_doc.rs");
    let mapping =
        model::parse(model::FILES).unwrap_or_else(|e| fail(&[format!("ocsf/mapping/{e}")]));
    let schemas = aperture_events_schema::SchemaSet::embedded()
        .unwrap_or_else(|e| fail(&[format!("the embedded schemas: {e}")]));
    let doc: ocsf_doc::Doc = serde_json::from_str(ocsf_doc::TEXT)
        .unwrap_or_else(|e| fail(&[format!("{}: {e}", ocsf_doc::PATH)]));
    let errors = check::check(&mapping, &schemas, &doc);
    if !errors.is_empty() {
        fail(&errors);
    }
}

fn fail(errors: &[String]) -> ! {
    for e in errors {
        println!("cargo::error={e}");
    }
    // `cargo::error` needs Rust 1.84's cargo; a panic stops older ones too.
    panic!(
        "the OCSF mapping does not agree with the schemas:\n{}",
        errors.join("\n")
    );
}
