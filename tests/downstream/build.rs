fn main() -> Result<(), Box<dyn std::error::Error>> {
    aperture_events_codegen::Config::new()
        // The stock schemas (a copy of aperture-events' `schema/` directory) ...
        .schema_dir("../../schema")
        // ... with our edited copy of one of them, which replaces the stock file of the same name.
        .schema_file("schema/incident.schema.json")
        .compile()?;
    Ok(())
}
