//! Flags, then a checked configuration (ripgrep's two steps): clap parses
//! the raw flags, [`Config::new`] turns them into what the run needs and
//! reports a usage error in words, before any input is read.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use aperture_events_validator::input::{ReadFlags, Source, expand};
use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
use aperture_events_validator::{Jobs, Options, Reading, RunOptions, SchemaSet};
use clap::{Parser, Subcommand};

use crate::print::{Color, Format, Output};

/// Validates captured Log Events API payloads (NDJSON, JSON, bulk bodies,
/// HTTP transcripts, HAR files, any of them gzipped) against the
/// aperture-events schemas, and reports drift from the documented contract.
///
/// Exit status: 0 when every record is accepted; 1 when a record is invalid
/// or malformed (or there is drift, with --fail-on-drift; or an unknown event
/// type, with --strict); 2 on a usage error or an unreadable input.
///
/// `aperture-validate merge REPORT…` merges --format json reports into one
/// (see `aperture-validate merge --help`); a file named `merge` is `./merge`.
#[derive(Debug, Parser)]
#[command(
    name = "aperture-validate",
    version,
    propagate_version = true,
    // `merge` is a subcommand only in first place; the paths are not
    // required with it, and no `help` subcommand takes a file's name.
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_help_subcommand = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files, directories (read recursively) and `-` for standard input; or
    /// one nats://HOST:PORT[,HOST:PORT…]/STREAM (built with the `nats` feature).
    #[arg(value_name = "PATH|-", required = true)]
    pub paths: Vec<PathBuf>,
    /// With nats://…: the durable consumer to read through (validators sharing it share the work).
    #[arg(
        long,
        value_name = "NAME",
        default_value = "aperture-validate",
        help_heading = "Streams"
    )]
    pub consumer: String,
    /// With nats://…: stop after N records.
    #[arg(long, value_name = "N", help_heading = "Streams")]
    pub max_events: Option<u64>,
    /// With nats://…: stop once no record came for this many seconds.
    #[arg(long, value_name = "SECS", help_heading = "Streams")]
    pub until_idle: Option<f64>,
    /// Apply the documented contract: no undocumented fields, no quirk forms, no unknown event types.
    #[arg(long)]
    pub strict: bool,
    /// Use the top-level *.schema.json files of DIR instead of the embedded schemas.
    #[arg(long, value_name = "DIR")]
    pub schema_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Quote payload values in messages (they are described, not shown, by default: they hold personal data).
    #[arg(long)]
    pub show_values: bool,
    /// Fail (exit 1) when there is drift: undocumented fields, unknown values, quirk forms, unknown event types.
    #[arg(long)]
    pub fail_on_drift: bool,
    /// List at most N records not accepted (all are counted; the listed errors also hold at most 4 MiB of text).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ERRORS)]
    pub max_errors: usize,
    /// Worker threads: 1 to 8 per core (default, or 0: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Text output: print the null and absent rates of every field, not only of fields ever null or absent.
    #[arg(long)]
    pub all_rates: bool,
    #[command(flatten)]
    pub read: ReadFlags,
    /// Print the JSON Schema of the --format json report (what `merge` reads back; validator/report.schema.json) and exit.
    #[arg(long, exclusive = true)]
    pub report_schema: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Merge(crate::merge_cli::MergeArgs),
}

/// A stream to read (`nats://HOST:PORT/STREAM`), and when to stop.
#[derive(Debug)]
#[cfg_attr(not(feature = "nats"), allow(dead_code))]
pub struct StreamSource {
    pub target: String,
    pub consumer: String,
    pub max_events: Option<u64>,
    pub until_idle: Option<std::time::Duration>,
}

/// The checked configuration of a run.
#[derive(Debug)]
pub struct Config {
    /// `nats://…/STREAM`: read through a durable consumer instead of files.
    pub stream: Option<StreamSource>,
    pub sources: Vec<Source>,
    /// Paths that could not be listed: reported as unreadable inputs.
    pub unlistable: Vec<(String, String)>,
    pub schemas: SchemaSet,
    pub options: Options,
    pub run: RunOptions,
    pub output: Output,
    pub progress: bool,
}

impl Config {
    /// Checks the flags. An error here is a usage error (exit 2).
    pub fn new(args: Args) -> Result<Config> {
        // The numbers first: an absurd one is refused before anything is read.
        let jobs = Jobs::new(args.jobs).context("-j/--jobs")?;
        let read = args.read.options()?;
        let schemas = match &args.schema_dir {
            Some(dir) => SchemaSet::from_dir(dir).context("--schema-dir")?,
            None => SchemaSet::embedded().context("embedded schemas")?,
        };
        let stdin_count = args.paths.iter().filter(|p| p.as_os_str() == "-").count();
        anyhow::ensure!(
            stdin_count <= 1,
            "`-` (standard input) can be given only once"
        );
        let nats = |p: &PathBuf| p.to_str().is_some_and(|s| s.starts_with("nats://"));
        let stream = match args.paths.iter().filter(|p| nats(p)).count() {
            0 => {
                anyhow::ensure!(
                    args.max_events.is_none() && args.until_idle.is_none(),
                    "--max-events and --until-idle end the reading of a stream (nats://…)"
                );
                None
            }
            1 if args.paths.len() == 1 => {
                let until_idle = match args.until_idle {
                    Some(s) if !(s.is_finite() && s > 0.0 && s < 1e9) => {
                        anyhow::bail!("--until-idle: give a number of seconds above 0")
                    }
                    s => s.map(std::time::Duration::from_secs_f64),
                };
                anyhow::ensure!(
                    args.max_events.is_some() || until_idle.is_some(),
                    "a stream has no end: give --max-events N or --until-idle SECS"
                );
                Some(StreamSource {
                    target: args.paths[0].to_string_lossy().into_owned(),
                    consumer: args.consumer.clone(),
                    max_events: args.max_events,
                    until_idle,
                })
            }
            _ => anyhow::bail!("a stream (nats://…) is read alone, without files"),
        };
        let paths: Vec<PathBuf> = args.paths.iter().filter(|p| !nats(p)).cloned().collect();
        let (sources, unlistable) = expand(&paths);
        let color = args.color.resolve();
        Ok(Config {
            stream,
            sources,
            unlistable,
            schemas,
            options: Options {
                reading: if args.strict {
                    Reading::Strict
                } else {
                    Reading::Tolerant
                },
                show_values: args.show_values,
            },
            run: RunOptions {
                jobs,
                max_errors: args.max_errors,
                read,
            },
            output: Output {
                format: args.format,
                color,
                all_rates: args.all_rates,
                fail_on_drift: args.fail_on_drift,
            },
            progress: std::io::stderr().is_terminal(),
        })
    }
}
