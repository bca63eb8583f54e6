//! `aperture-validate`: flags in, report out, exit code.
//!
//! Everything that decides anything lives in the library; this binary parses
//! flags into a checked [`cli::Config`], runs, prints the report in the
//! chosen format and turns the report into an exit code.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod merge_cli;
mod print;
mod progress;
mod stream;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;

use aperture_events_validator::{Validator, run};
use clap::Parser;

use crate::cli::{Args, Command, Config};

fn main() -> ExitCode {
    // clap exits with 2 on a usage error, and 0 for --help and --version.
    let mut args = Args::parse();
    let result = match args.command.take() {
        Some(Command::Merge(merge)) => merge_cli::run(merge),
        None if args.report_schema => print_report_schema(),
        None => try_main(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("aperture-validate: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `--report-schema`: the report's JSON Schema, as `validator/report.schema.json` holds it.
fn print_report_schema() -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &aperture_events_validator::report_schema())?;
    writeln!(out)?;
    out.flush()?;
    Ok(0)
}

fn try_main(args: Args) -> anyhow::Result<u8> {
    let config = Config::new(args)?;
    let validator = Validator::new(&config.schemas, config.options)?;
    let bytes = AtomicU64::new(0);
    let mut report = match &config.stream {
        Some(stream) => stream::read(&validator, stream, config.run.max_errors, &config.run.read)?,
        None => progress::with_progress(config.progress, &config.sources, &bytes, || {
            run(&validator, &config.sources, &config.run, &bytes)
        }),
    };
    for (source, message) in &config.unlistable {
        report.unreadable(source, message.clone());
    }
    Ok(print::print(&report, config.output)?)
}
