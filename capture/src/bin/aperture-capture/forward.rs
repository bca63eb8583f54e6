//! `--forward`: the journal forwarded into NATS JetStream while it is
//! written, by a thread of its own that reads the journal from disk; the
//! capture never waits for it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aperture_events_capture::config::ConfigError;
use aperture_events_forward::metrics::ForwardMetrics;
use aperture_events_forward::{Background, ForwardArgs, Outcome};

/// Longest `--forward-drain-secs`.
const MAX_DRAIN_SECS: u64 = 86_400;

/// The forwarding flags of `aperture-capture`, as given.
#[derive(Debug, clap::Args)]
pub struct ForwardFlags {
    /// Forward the journal into NATS JetStream as it is written: nats://HOST:PORT[,HOST:PORT…].
    /// The capture never waits for it; what is left at exit is forwarded for up to --forward-drain-secs.
    #[arg(long, value_name = "URL", help_heading = "Forwarding")]
    forward: Option<String>,
    /// With --forward: longest wait at exit for the forwarder to catch up.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30,
        help_heading = "Forwarding"
    )]
    forward_drain_secs: u64,
    #[command(flatten, next_help_heading = "Forwarding")]
    forward_args: aperture_events_forward::ForwardArgs,
}

/// The checked `--forward` settings.
#[derive(Debug)]
pub struct Forwarding {
    url: String,
    args: ForwardArgs,
    region: Option<String>,
    journal: PathBuf,
    drain: Duration,
}

impl ForwardFlags {
    /// The settings, checked; `journal` is `None` when the capture writes to stdout.
    pub fn check(
        &self,
        region: Option<&str>,
        journal: Option<&Path>,
    ) -> Result<Option<Forwarding>, ConfigError> {
        let raw = self;
        let Some(url) = &raw.forward else {
            return Ok(None);
        };
        let Some(journal) = journal else {
            return Err(ConfigError {
                flag: "--forward",
                message: "forwards a journal: needs a file for --out, not stdout".into(),
            });
        };
        if raw.forward_drain_secs > MAX_DRAIN_SECS {
            return Err(ConfigError {
                flag: "--forward-drain-secs",
                message: format!(
                    "must be at most {MAX_DRAIN_SECS} (a day; aperture-forward takes over from there), got {}",
                    raw.forward_drain_secs
                ),
            });
        }
        raw.forward_args
            .stream_settings()
            .map_err(|message| ConfigError {
                flag: "--forward",
                message,
            })?;
        Ok(Some(Forwarding {
            url: url.clone(),
            args: raw.forward_args.clone(),
            region: region.map(str::to_owned),
            journal: journal.to_owned(),
            drain: Duration::from_secs(raw.forward_drain_secs),
        }))
    }
}

impl Forwarding {
    /// Starts forwarding (the journal is open, so it exists and is repaired).
    pub fn start(
        &self,
        say: Arc<dyn Fn(&str) + Send + Sync>,
        metrics: Option<&ForwardMetrics>,
    ) -> Result<Running, String> {
        let stream = self.args.stream_settings()?;
        let mut job = self.args.job(self.journal.clone(), self.region.clone())?;
        job.metrics = metrics.map(|m| m.journal(&self.journal));
        let background = Background::spawn(self.url.clone(), stream, job, say)
            .map_err(|e| format!("starting the forwarder: {e}"))?;
        Ok(Running {
            background,
            drain: self.drain,
            journal: self.journal.clone(),
        })
    }
}

/// The forwarder, running.
#[derive(Debug)]
pub struct Running {
    background: Background,
    drain: Duration,
    journal: PathBuf,
}

impl Running {
    /// Lets the forwarder catch up (for at most the drain time) and stops it.
    /// Events set aside (larger than the server takes) or not converted
    /// (`--format ocsf`) are an error, after the others were forwarded.
    pub fn finish(self) -> Result<Outcome, String> {
        let journal = self.journal;
        let outcome = self.background.finish(self.drain)?;
        let error = outcome
            .set_aside_error(&journal)
            .or_else(|| outcome.unconvertible_error(&journal));
        match error {
            Some(e) => Err(format!("forwarded {} events; {e}", outcome.forwarded)),
            None => Ok(outcome),
        }
    }
}
