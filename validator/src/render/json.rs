//! `--format json`: the report as one JSON document (`summary`, `errors`,
//! `errors_omitted`, `drift`, `notes`, `inputs`).

use std::io::{self, Write};

use crate::report::Report;

/// Writes `report` as pretty JSON followed by a newline.
pub fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
