//! Generates the construct schemas twice: with the default settings, and with
//! every setting changed, so that both outputs are compiled and linted.

use aperture_events_codegen::{Config, DateTimeMapping};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Config::new()
        .schema_dir("schema")
        .file_name("defaults.rs")
        .compile()?;
    Config::new()
        .schema_dir("schema")
        .file_name("changed.rs")
        .union_name("Animal")
        .date_time(DateTimeMapping::String)
        .keep_unknown_fields(false)
        .derive("Clone")
        .derive_for("Cat", "Default")
        .derive_for("Color", "PartialOrd")
        .derive_for("Color", "Ord")
        .attribute_for("Cat", "#[must_use]")
        .attribute("#[doc(alias = \"generated\")]")
        .compile()?;
    Ok(())
}
