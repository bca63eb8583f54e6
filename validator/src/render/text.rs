//! `--format text`: for people at a terminal or reading a CI log.

use std::io::{self, Write};

use super::count;
use crate::classify::Class;
use crate::drift::Finding;
use crate::report::Report;

/// How to print text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Use ANSI colours (only when printing to a terminal).
    pub color: bool,
    /// Also print the null and absent rates of every field.
    pub all_rates: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn red(&self, t: &str) -> String {
        self.wrap("1;31", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.wrap("33", t)
    }
    fn green(&self, t: &str) -> String {
        self.wrap("32", t)
    }
    fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
}

/// Writes `report` as text: errors, notes, drift, then the summary and verdict.
pub fn text(report: &Report, out: &mut dyn Write, options: &TextOptions) -> io::Result<()> {
    let p = Paint { on: options.color };
    for error in &report.errors {
        let class = match error.class {
            Class::Malformed | Class::Invalid => p.red(error.class.name()),
            _ => p.yellow(error.class.name()),
        };
        let log_type = error
            .log_type
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {class}{log_type}",
            p.bold(&error.place.to_string())
        )?;
        for problem in &error.problems {
            let pointer = match (problem.pointer.as_str(), problem.keyword.as_str()) {
                ("", "syntax") => "not JSON",
                ("", "input") => "not an event",
                ("", _) => "(event)",
                (pointer, _) => pointer,
            };
            let schema = problem
                .schema
                .as_deref()
                .map(|s| p.dim(&format!("  [{s}]")))
                .unwrap_or_default();
            writeln!(out, "  {pointer}: {}{schema}", problem.message)?;
        }
    }
    if report.errors_omitted > 0 {
        writeln!(
            out,
            "... and {} more not listed (see --max-errors)",
            count(report.errors_omitted, "record")
        )?;
    }
    for input in &report.inputs {
        writeln!(
            out,
            "{}: {} {}",
            p.bold(&input.source),
            p.red("unreadable:"),
            input.message
        )?;
    }
    for note in &report.notes {
        writeln!(out, "{}: {}", p.bold(&note.place.to_string()), note.message)?;
    }
    let listed = !(report.errors.is_empty() && report.inputs.is_empty() && report.notes.is_empty())
        || report.errors_omitted > 0;
    let drifted = drift(report, out, &p, options, listed)?;
    summary(report, out, &p, listed || drifted)
}

/// Writes the drift section, after a blank line when `separate`; returns whether it wrote anything.
fn drift(
    report: &Report,
    out: &mut dyn Write,
    p: &Paint,
    options: &TextOptions,
    separate: bool,
) -> io::Result<bool> {
    let d = &report.drift;
    let rates: Vec<_> = d
        .fields
        .iter()
        .filter(|f| options.all_rates || f.null > 0)
        .collect();
    if !d.has_drift() && rates.is_empty() {
        return Ok(false);
    }
    if separate {
        writeln!(out)?;
    }
    writeln!(out, "{}", p.bold("drift"))?;
    let mut table = None;
    for finding in d.findings() {
        let heading = heading(finding);
        if table != Some(heading) {
            table = Some(heading);
            writeln!(out, "  {heading}:")?;
        }
        let (events, first) = (count(finding.count(), "event"), finding.first());
        match finding {
            Finding::UndocumentedField(f) => writeln!(
                out,
                "    {}.{}: {events}, first at {first}",
                f.log_type,
                p.yellow(&f.field)
            )?,
            Finding::UnknownValue(v) => writeln!(
                out,
                "    {}.{} = {}: {events}, first at {first}",
                v.log_type,
                v.field,
                p.yellow(&format!("{:?}", v.value))
            )?,
            Finding::QuirkForm(q) => writeln!(
                out,
                "    {}.{}: {}: {events}, first at {first}",
                q.log_type,
                q.field,
                p.yellow(&q.form)
            )?,
            Finding::UnknownType(t) => writeln!(
                out,
                "    {}: {events}, first at {first}",
                p.yellow(&t.log_type)
            )?,
        }
    }
    if d.dropped > 0 {
        writeln!(
            out,
            "  ({} not listed: too many distinct entries)",
            count(d.dropped, "occurrence")
        )?;
    }
    if !rates.is_empty() {
        writeln!(
            out,
            "  absent and null rates{}:",
            if options.all_rates {
                ""
            } else {
                " of fields ever null (--all-rates: every field)"
            }
        )?;
        let mut current = "";
        for f in rates {
            if f.log_type != current {
                current = &f.log_type;
                writeln!(out, "    {} ({}):", f.log_type, count(f.events, "event"))?;
            }
            writeln!(
                out,
                "      {:<22} absent {:>6}  null {:>6}",
                f.field,
                percent(f.absent_rate),
                percent(f.null_rate)
            )?;
        }
    }
    Ok(true)
}

/// The heading of a finding's table.
fn heading(finding: Finding<'_>) -> &'static str {
    match finding {
        Finding::UndocumentedField(_) => "undocumented fields",
        Finding::UnknownValue(_) => "values outside the known lists",
        Finding::QuirkForm(_) => {
            "quirk forms (accepted only by the tolerant reading, or undocumented spellings)"
        }
        Finding::UnknownType(_) => "unknown event types",
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn summary(report: &Report, out: &mut dyn Write, p: &Paint, separate: bool) -> io::Result<()> {
    let s = &report.summary;
    if separate {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} ({} reading): {}: {} valid, {} invalid, {} malformed, {} unknown_type",
        p.bold("summary"),
        s.reading,
        count(s.total, "record"),
        s.valid,
        s.invalid,
        s.malformed,
        s.unknown_type
    )?;
    let other =
        (!s.other_log_types.is_empty()).then_some(("(other unknown types)", &s.other_log_types));
    for (log_type, c) in s
        .by_log_type
        .iter()
        .map(|(k, c)| (k.as_str(), c))
        .chain(other)
    {
        let mut parts = Vec::new();
        for (n, name) in [
            (c.valid, "valid"),
            (c.invalid, "invalid"),
            (c.unknown_type, "unknown_type"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {name}"));
            }
        }
        writeln!(
            out,
            "  {log_type:<22} {:>8}  ({})",
            c.total,
            parts.join(", ")
        )?;
    }
    if s.no_event_responses > 0 {
        writeln!(
            out,
            "  responses without an event (204): {}",
            s.no_event_responses
        )?;
    }
    if s.error_responses > 0 {
        writeln!(
            out,
            "  responses with an error status: {}",
            s.error_responses
        )?;
    }
    if s.unreadable_inputs > 0 {
        writeln!(out, "  unreadable inputs: {}", s.unreadable_inputs)?;
    }
    let verdict = if s.unreadable_inputs > 0 {
        p.red("error: some inputs could not be read")
    } else if report.all_accepted() {
        p.green("ok: every record is accepted")
    } else {
        let rejected = s.total
            - s.valid
            - if report.reading() == crate::Reading::Tolerant {
                s.unknown_type
            } else {
                0
            };
        p.red(&format!(
            "failed: {} not accepted",
            count(rejected, "record")
        ))
    };
    writeln!(out, "{verdict}")
}
