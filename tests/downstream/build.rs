fn main() -> Result<(), Box<dyn std::error::Error>> {
    aperture_events_codegen::Config::new()
        // Our edited copy of one stock schema: it replaces the stock file of the same name.
        .schema_file("schema/incident.schema.json")
        .compile()?;
    Ok(())
}
