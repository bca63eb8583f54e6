//! Printing a report, for a run and for `merge` alike: the format, the
//! colour, a closed pipe and the exit code are decided here once.

use std::io::{self, IsTerminal, Write};

use aperture_events_validator::{Report, render};
use clap::ValueEnum;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
    Junit,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour: `auto` colours a terminal, unless `NO_COLOR` is set.
    pub fn resolve(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// How a report is printed, and what fails the run.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    /// Colour text output (already resolved from `--color`).
    pub color: bool,
    /// Text output: the null and absent rates of every field.
    pub all_rates: bool,
    pub fail_on_drift: bool,
}

/// Prints `report` on standard output; returns the exit code of the run.
pub fn print(report: &Report, output: Output) -> io::Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let printed = match output.format {
        Format::Text => {
            let options = render::TextOptions {
                color: output.color,
                all_rates: output.all_rates,
            };
            render::text(report, &mut out, &options)
        }
        Format::Json => render::json(report, &mut out),
        Format::Github => render::github(report, &mut out, output.fail_on_drift),
        Format::Junit => render::junit(report, &mut out, output.fail_on_drift),
    };
    match printed.and_then(|()| out.flush()) {
        Ok(()) => {}
        // A closed pipe (`| head`) is the reader's choice, not an error of the run.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e),
    }
    Ok(report.exit_code(output.fail_on_drift))
}
