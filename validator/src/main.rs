//! `aperture-validate`: flags in, report out, exit code.
//!
//! Everything that decides anything lives in the library; this binary parses
//! flags into a checked [`cli::Config`], runs, prints the report in the
//! chosen format and turns the report into an exit code.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod merge_cli;
mod progress;
mod stream;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;

use aperture_events_validator::{Validator, render, run};
use clap::Parser;

use crate::cli::{Args, Config, Format};

fn main() -> ExitCode {
    // `merge` is a subcommand; anything else is a path to validate.
    let result = if std::env::args_os().nth(1).is_some_and(|a| a == "merge") {
        merge_cli::run(merge_cli::MergeArgs::parse_from(
            std::env::args_os().skip(1),
        ))
    } else {
        // clap exits with 2 on a usage error, and 0 for --help and --version.
        try_main(Args::parse())
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("aperture-validate: {error:#}");
            ExitCode::from(2)
        }
    }
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
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let printed = match config.format {
        Format::Text => {
            let options = render::TextOptions {
                color: config.color,
                all_rates: config.all_rates,
            };
            render::text(&report, &mut out, &options)
        }
        Format::Json => render::json(&report, &mut out),
        Format::Github => render::github(&report, &mut out, config.fail_on_drift),
        Format::Junit => render::junit(&report, &mut out, config.fail_on_drift),
    };
    match printed.and_then(|()| out.flush()) {
        Ok(()) => {}
        // A closed pipe (`| head`) is the reader's choice, not an error of the run.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.into()),
    }
    Ok(report.exit_code(config.fail_on_drift))
}
