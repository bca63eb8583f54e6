//! `aperture-ocsf`: events in, whatever shape the validator reads (NDJSON,
//! bulk bodies, HTTP transcripts, HAR, gzip, UTF-16), OCSF 1.8.0 NDJSON out.
//!
//! Exit status: 0 when every record converted (or was skipped as asked), 1
//! when a record or an input could not be (each reported on stderr with its
//! place; the run goes on), 2 for a usage error or an output that cannot be
//! written.

mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use aperture_events_ocsf::{Options, SeverityTable, Unknown};
use aperture_events_validator::input::ReadFlags;
use clap::{Parser, ValueEnum};

/// Converts Log Events API events to OCSF 1.8.0 NDJSON.
#[derive(Debug, Parser)]
#[command(name = "aperture-ocsf", version)]
struct Args {
    /// Inputs: files, directories (read recursively), `-` for stdin (once).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write to FILE (0600; a symbolic link there is refused, and so is an
    /// input: FILE is never read) instead of stdout (`-`).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave the original event out of `raw_data`.
    #[arg(long)]
    no_raw_data: bool,
    /// What becomes of an event of an unknown `log_type`.
    #[arg(long, value_enum, default_value_t = UnknownArg::BaseEvent)]
    unknown: UnknownArg,
    /// Vendor severity → OCSF severity_id, as `LEVEL=ID,...` (levels 0 to 5,
    /// each at most once; those not named keep the default, the identity).
    #[arg(long, value_name = "TABLE", value_parser = clap::value_parser!(SeverityTable))]
    severity_table: Option<SeverityTable>,
    #[command(flatten)]
    read: ReadFlags,
    /// Print no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum UnknownArg {
    /// A Base Event (class 0) with the event in `unmapped`.
    BaseEvent,
    /// Skip it, and count it in the summary.
    Skip,
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args = Args::parse();
    if args.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("aperture-ocsf: `-` (standard input) can be given only once");
        return ExitCode::from(2);
    }
    let read = match args.read.options() {
        Ok(read) => read,
        Err(e) => {
            eprintln!("aperture-ocsf: {e}");
            return ExitCode::from(2);
        }
    };
    let options = Options {
        raw_data: !args.no_raw_data,
        unknown: match args.unknown {
            UnknownArg::BaseEvent => Unknown::BaseEvent,
            UnknownArg::Skip => Unknown::Skip,
        },
        severity: args.severity_table.unwrap_or_default(),
    };
    let config = run::Config {
        inputs: args.inputs,
        output: args.output.filter(|p| p.as_os_str() != "-"),
        options,
        read,
        summary: !args.quiet,
    };
    match run::run(&config) {
        Ok(summary) if summary.failed() => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aperture-ocsf: {e:#}");
            ExitCode::from(2)
        }
    }
}
