//! `--format github`: GitHub Actions workflow commands, so each rejected
//! record is annotated at its file and line, then a plain summary.

use std::io::{self, Write};

use super::{count, finding_line};
use crate::report::Report;

/// Escapes a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn location(place: &crate::Place) -> String {
    let mut out = format!("file={}", property(&place.source));
    if let Some((line, column)) = place.locus.line_column() {
        out.push_str(&format!(",line={line}"));
        if let Some(column) = column {
            out.push_str(&format!(",col={column}"));
        }
    }
    out
}

/// Writes `report` as workflow commands; drift is an error with `fail_on_drift`, else a warning.
pub fn github(report: &Report, out: &mut dyn Write, fail_on_drift: bool) -> io::Result<()> {
    for error in &report.errors {
        let title = property(&format!("{} record", error.class.name()));
        for problem in &error.problems {
            let pointer = if problem.pointer.is_empty() {
                "(event)"
            } else {
                &problem.pointer
            };
            let mut message = format!("{pointer}: {}", problem.message);
            if let Some(schema) = &problem.schema {
                message.push_str(&format!(" [{schema}]"));
            }
            writeln!(
                out,
                "::error {},title={title}::{}",
                location(&error.place),
                data(&message)
            )?;
        }
    }
    if report.errors_omitted > 0 {
        writeln!(
            out,
            "::error::{}",
            data(&format!(
                "{} more not listed",
                count(report.errors_omitted, "record")
            ))
        )?;
    }
    for input in &report.inputs {
        writeln!(
            out,
            "::error file={},title=unreadable input::{}",
            property(&input.source),
            data(&input.message)
        )?;
    }
    for note in &report.notes {
        writeln!(
            out,
            "::notice {}::{}",
            location(&note.place),
            data(&note.message)
        )?;
    }
    let level = if fail_on_drift { "error" } else { "warning" };
    for finding in report.drift.findings() {
        let message = finding_line(&finding);
        writeln!(
            out,
            "::{level} {},title=drift::{}",
            location(finding.first()),
            data(&message)
        )?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "aperture-validate ({} reading): {}: {} valid, {} invalid, {} malformed, {} unknown_type; {} without an event",
        s.reading,
        count(s.total, "record"),
        s.valid,
        s.invalid,
        s.malformed,
        s.unknown_type,
        count(s.no_event_responses, "response")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
