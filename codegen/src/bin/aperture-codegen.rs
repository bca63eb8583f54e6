//! `aperture-codegen`: the generator as a command line.
//!
//! `aperture-codegen generate [--schema-dir DIR]` prints the generated Rust
//! code for a directory of schemas (the built-in schemas without one);
//! `aperture-codegen export --out DIR` writes the self-contained schemas for
//! other languages (see `aperture_events_codegen::export`). `generate` prints
//! each warning (a name it had to change) to stderr as `warning: ...`, and
//! with `--deny-renames` fails on them instead (`--deny-unknown-keywords`
//! likewise for keywords the schema's draft does not define, and
//! `--deny-unknown-formats` for formats no draft defines; past 20 problems
//! the error is a summary and the first 20, `--all-errors` prints them all;
//! `--default-draft` gives the draft of schemas without `$schema`). Each
//! subcommand is one variant of [`Command`] with its own function, so adding
//! one (such as `export`) touches nothing else.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use aperture_events_codegen::{Config, Draft, SchemaSource};
use clap::{Parser, Subcommand};

/// Generates code from the aperture-events JSON Schemas.
#[derive(Debug, Parser)]
#[command(name = "aperture-codegen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
enum Command {
    /// Print the Rust types generated from the schemas.
    Generate(GenerateArgs),
    /// Write self-contained schemas for other languages' tools, and a manifest.
    Export(ExportArgs),
}

/// Flags of `generate`.
#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// Directory of `*.schema.json` files (default: the schemas built into this tool).
    #[arg(long, value_name = "DIR")]
    schema_dir: Option<PathBuf>,
    /// Name of the union type (default: the union schema's title).
    #[arg(long, value_name = "NAME")]
    union_name: Option<String>,
    /// Command to print in the generated header as the way to regenerate.
    #[arg(long, value_name = "TEXT")]
    regenerate_command: Option<String>,
    /// Fail when a name had to be changed to settle a collision, instead of warning.
    #[arg(long)]
    deny_renames: bool,
    /// Draft of schemas without `$schema`: draft4, draft6, draft7, draft2019-09 or draft2020-12.
    #[arg(long, value_name = "DRAFT", value_parser = parse_draft, default_value = "draft2020-12")]
    default_draft: Draft,
    /// Fail on keywords the schema's draft does not define, instead of warning.
    #[arg(long)]
    deny_unknown_keywords: bool,
    /// Fail on formats no draft defines (`int64`), instead of ignoring them with a warning.
    #[arg(long)]
    deny_unknown_formats: bool,
    /// Print every problem of a refused schema (default: past 20, a summary and the first 20).
    #[arg(long)]
    all_errors: bool,
}

/// A draft by the JSON Schema Test Suite's name for it, or its own.
fn parse_draft(name: &str) -> Result<Draft, String> {
    Draft::from_name(name).ok_or_else(|| {
        format!("unknown draft `{name}`: one of draft4, draft6, draft7, draft2019-09, draft2020-12")
    })
}

/// Flags of `export`.
#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Directory to write the export into (created if missing; only changed files are rewritten).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Directory of `*.schema.json` files (default: the schemas built into this tool).
    #[arg(long, value_name = "DIR")]
    schema_dir: Option<PathBuf>,
    /// Write nothing; fail if DIR does not already hold this export.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(&args),
        Command::Export(args) => export(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One problem per line; property names in pointers are shown escaped.
            let text = format!("{e:#}");
            let lines: Vec<String> = text.lines().map(one_line).collect();
            eprintln!("error: {}", lines.join("\n"));
            ExitCode::FAILURE
        }
    }
}

/// `generate`: print the code.
fn generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let mut config = Config::new();
    if let Some(name) = &args.union_name {
        config.union_name(name);
    }
    let command = match &args.regenerate_command {
        Some(command) => command.clone(),
        None => match &args.schema_dir {
            Some(dir) => format!("aperture-codegen generate --schema-dir {}", dir.display()),
            None => "aperture-codegen generate".to_owned(),
        },
    };
    config.regenerate_command(&command);
    config.deny_renames(args.deny_renames);
    config.default_draft(args.default_draft);
    config.deny_unknown_keywords(args.deny_unknown_keywords);
    config.deny_unknown_formats(args.deny_unknown_formats);
    let sources = match &args.schema_dir {
        Some(dir) => SchemaSource::read_dir(dir)?,
        None => SchemaSource::embedded(),
    };
    let output = match config.generate(&sources) {
        Ok(output) => output,
        Err(e) if args.all_errors => anyhow::bail!("{e:#}"),
        Err(e) => return Err(e.into()),
    };
    for warning in &output.warnings {
        eprintln!("warning: {}", one_line(&warning.to_string()));
    }
    match std::io::stdout().write_all(output.code.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Text with every control character written as its Rust escape, so that a
/// property name in a JSON pointer cannot drive the terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `export`: write (or check) the self-contained schemas and their manifest.
fn export(args: &ExportArgs) -> anyhow::Result<()> {
    use aperture_events_codegen::export;
    let options = export::Options::new();
    let exported = match &args.schema_dir {
        Some(dir) => {
            let files = SchemaSource::read_dir(dir)?;
            options.export(
                files
                    .iter()
                    .map(|file| (file.name.as_str(), file.text.as_str())),
            )?
        }
        None => options.export(export::embedded())?,
    };
    if args.check {
        let stale: Vec<&str> = exported
            .files
            .iter()
            .filter(|file| {
                std::fs::read(args.out.join(&file.name)).ok().as_deref()
                    != Some(file.text.as_bytes())
            })
            .map(|file| file.name.as_str())
            .collect();
        anyhow::ensure!(
            stale.is_empty(),
            "{} is stale ({}); regenerate it with: aperture-codegen export --out {}",
            args.out.display(),
            stale.join(", "),
            args.out.display()
        );
        return Ok(());
    }
    let written = export::write(&exported, &args.out)?;
    eprintln!(
        "exported {} files to {} ({} changed)",
        exported.files.len(),
        args.out.display(),
        written.len()
    );
    Ok(())
}
