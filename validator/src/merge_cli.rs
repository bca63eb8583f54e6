//! `aperture-validate merge REPORT…`: the `--format json` reports of several
//! validators (one per journal, or several sharing a stream's consumer) made
//! into one report, printed in any format, with the exit code of one run.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
use aperture_events_validator::{Report, Text, merge};
use clap::Args;

use crate::print::{self, Color, Format, Output};

/// Merges `aperture-validate --format json` reports into one: counts add,
/// drift tables combine, the first place of each finding is kept.
///
/// Reports are taken as the runs of consecutive parts of one input, in the
/// order given. They are read one at a time, item by item, with the caps of
/// a run: memory stays bounded whatever their number and size. Exit status as for a single run: 0, 1, or 2 when a report
/// cannot be read or the reports cannot be merged.
#[derive(Debug, Args)]
#[command(display_name = "aperture-validate merge")]
pub struct MergeArgs {
    /// Reports written by `aperture-validate --format json`; `-` for standard input.
    #[arg(value_name = "REPORT|-", required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// List at most N records not accepted (all are counted; at most 65536).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ERRORS, value_parser = max_errors)]
    pub max_errors: usize,
    /// Fail (exit 1) when there is drift.
    #[arg(long)]
    pub fail_on_drift: bool,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Text output: print the null and absent rates of every field.
    #[arg(long)]
    pub all_rates: bool,
}

/// `--max-errors`: a count up to [`merge::max_errors`]'s bound.
fn max_errors(text: &str) -> Result<usize, String> {
    match text.parse::<u64>() {
        Ok(n) => merge::max_errors(n).map_err(|e| e.to_string()),
        // Past u64, or not a number: say the range all the same.
        Err(_) => {
            let text = Text::<40>::new(text);
            let range = merge::max_errors(u64::MAX)
                .err()
                .map(|e| format!(": give {} to {} {}", e.min, e.max, e.unit))
                .unwrap_or_default();
            Err(format!("`{text}` is not a number{range}"))
        }
    }
}

/// Reads one report, streaming, with the caps of a run (`merge::read`).
fn read(path: &Path, max_errors: usize) -> Result<Report> {
    let name = path.display();
    let report = if path.as_os_str() == "-" {
        merge::read(io::stdin().lock(), max_errors)
    } else {
        let file = File::open(path).with_context(|| format!("{name}"))?;
        merge::read(file, max_errors)
    };
    report.with_context(|| format!("{name}: not a report of `aperture-validate --format json`"))
}

/// Runs `merge` with the arguments after it; returns the exit code.
pub fn run(args: MergeArgs) -> Result<u8> {
    anyhow::ensure!(
        args.reports.iter().filter(|p| p.as_os_str() == "-").count() <= 1,
        "`-` (standard input) can be given only once"
    );
    // One report is read at a time and added to the merge: memory does not
    // grow with the number of reports (`merge::MEMORY_BOUND`).
    let mut failure = None;
    let reports = args
        .reports
        .iter()
        .map_while(|path| match read(path, args.max_errors) {
            Ok(report) => Some(report),
            Err(error) => {
                failure = Some(error);
                None
            }
        });
    let merged = merge::merge(reports, args.max_errors);
    if let Some(error) = failure {
        return Err(error);
    }
    let report = merged?;
    let output = Output {
        format: args.format,
        color: args.color.resolve(),
        all_rates: args.all_rates,
        fail_on_drift: args.fail_on_drift,
    };
    Ok(print::print(&report, output)?)
}
