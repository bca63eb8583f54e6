//! Command-line flags, raw (as clap parses them) and then checked.
//!
//! Two steps, in the manner of ripgrep: [`RawFlags`] is what the user typed;
//! [`Settings::from_raw`] checks it and builds the library's configuration,
//! with errors naming the flag. Credentials have no flag on purpose: a
//! command line is visible to every user of the machine.

use std::path::PathBuf;
use std::time::Duration;

use aperture_events_capture::config::{
    CaptureConfig, ConfigError, DEFAULT_MAX_BODY, Endpoint, MAX_TIMEOUT_SECS, MAX_WAIT_MS, Target,
};
use aperture_events_capture::credentials::{CLIENT_ID_VAR, CLIENT_SECRET_VAR};
use aperture_events_capture::private::FileMode;
use aperture_events_capture::proxy;
use aperture_events_capture::region::Region;
use aperture_events_capture::rejects::DEFAULT_MAX_REJECTS_BYTES;
use aperture_events_capture::retry::RetryPolicy;
use aperture_events_journal::JournalOptions;
use clap::Parser;

/// Pull events from the Log Events API into an NDJSON journal without losing one.
#[derive(Debug, Parser)]
#[command(name = "aperture-capture", version, after_help = after_help())]
pub struct RawFlags {
    /// Vendor region: us, eu, apac, uk, in1, au1, uk2 or jp1.
    #[arg(
        long,
        value_name = "REGION",
        conflicts_with = "base_url",
        required_unless_present = "base_url"
    )]
    pub region: Option<String>,
    /// API base URL instead of a region (plain http only to loopback, e.g. the mock).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Trust the CA certificates in this PEM file instead of the built-in web roots
    /// (like curl's --cacert), e.g. the one `aperture-mock --tls` writes.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Connect to ADDR for HOST:PORT (like curl's --resolve; ADDR may carry a port,
    /// 127.0.0.1:8443); repeatable. The certificate is still checked against HOST.
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<String>,
    /// File with APERTURE_CLIENT_ID=... and APERTURE_CLIENT_SECRET=... lines (default: the environment).
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,
    /// Use the single-event long poll (GET /api/v1/log_events) instead of the bulk endpoint.
    #[arg(long)]
    pub single: bool,
    /// Events per bulk request, 1 to 100.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        conflicts_with = "single"
    )]
    pub size: u32,
    /// Journal file (NDJSON, one event a line), or `-` for stdout.
    #[arg(short, long, value_name = "FILE|-")]
    pub out: String,
    /// Rotate the journal when it reaches this size (e.g. 500M, 2G, 1048576).
    #[arg(long, value_name = "SIZE")]
    pub rotate_size: Option<String>,
    /// Gzip rotated journal files.
    #[arg(long, requires = "rotate_size")]
    pub gzip: bool,
    /// Directory for bodies that could not be split into events (by default `<out>.rejects`).
    #[arg(long, value_name = "DIR")]
    pub rejects: Option<PathBuf>,
    /// Cap on the rejects directory (e.g. 500M, 4G; at least 256M, the largest body held
    /// in memory) [default: 4G]. Events are asked for only while one more body fits.
    #[arg(long, value_name = "SIZE")]
    pub max_rejects_size: Option<String>,
    /// Stop after this many events (at least 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_events: Option<u64>,
    /// Stop at the first 204 (nothing left to hand out) instead of polling on.
    #[arg(long)]
    pub until_drained: bool,
    /// Wait after a 204 before polling again, in milliseconds (at most an hour).
    #[arg(long, value_name = "MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(..=MAX_WAIT_MS))]
    pub poll_wait_ms: u64,
    /// Longest wait for a response (and again for its body), in seconds (1 to a day).
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    pub timeout_secs: u64,
    /// Consecutive failed requests before giving up (0: never give up).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_failures: u32,
    /// First retry delay in milliseconds (doubles per failure, with jitter; at most an hour).
    #[arg(long, value_name = "MS", default_value_t = 500,
          value_parser = clap::value_parser!(u64).range(..=MAX_WAIT_MS))]
    pub retry_base_ms: u64,
    /// Longest retry delay in milliseconds (at most an hour).
    #[arg(long, value_name = "MS", default_value_t = 60_000,
          value_parser = clap::value_parser!(u64).range(..=MAX_WAIT_MS))]
    pub retry_cap_ms: u64,
    /// Classify each event as it arrives (valid, invalid, malformed, unknown type)
    /// and print the validator's summary and drift report on stderr at exit.
    #[arg(long)]
    pub validate: bool,
    /// With --validate: apply the strict reading of the schemas.
    #[arg(long, requires = "validate")]
    pub strict: bool,
    /// With --validate: quote payload values in the report instead of describing them.
    #[arg(long, requires = "validate")]
    pub show_values: bool,
    /// No progress line on stderr (it is shown only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Mode of the files and directories the capture creates (default 0600,
    /// directories 0700, whatever the umask); e.g. 0640 to let a group read.
    #[arg(long, value_name = "OCTAL")]
    pub file_mode: Option<String>,
    /// Ignore HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY and connect directly.
    #[arg(long)]
    pub no_proxy: bool,
    /// Do not sync the journal after each response. For measuring the cost of
    /// durability only: a crash may then lose events.
    #[arg(long, hide = true)]
    pub no_fsync: bool,
    /// Largest body held in memory (bytes, 1 to the default); a larger one is
    /// streamed to `*.partial`. For tests: the default is 256 MiB.
    #[arg(long, hide = true, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..=DEFAULT_MAX_BODY as u64))]
    pub max_body: Option<u64>,
    /// Do not check the journal's free space before each request. For tests
    /// of what happens when a write fails anyway.
    #[arg(long, hide = true)]
    pub no_space_check: bool,
    /// Serve metrics (/metrics, Prometheus and OpenMetrics text), /healthz and /readyz
    /// over HTTP on this address, e.g. 127.0.0.1:9465 [default: off].
    #[arg(long, value_name = "ADDR", help_heading = "Monitoring")]
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// How long the API keeps an event nobody read, in seconds (about an hour); the
    /// expiry warning fires when the drain falls half of it behind (see the README).
    #[arg(long, value_name = "SECS", default_value_t = 3600, help_heading = "Monitoring",
          value_parser = clap::value_parser!(u64).range(1..=MAX_RETENTION_SECS))]
    pub retention_secs: u64,
    #[command(flatten)]
    pub forwarding: crate::forward::ForwardFlags,
}

/// Longest `--retention-secs`: a week.
const MAX_RETENTION_SECS: u64 = 7 * 86_400;

fn after_help() -> String {
    format!(
        "Credentials come from {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} or --credentials FILE, never from the command line.\n\
         Each response is written and synced before the next request. SIGINT/SIGTERM stop after the response in flight\n\
         is stored; a second signal stops at once."
    )
}

/// Where events go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutTarget {
    /// A journal file.
    File(PathBuf),
    /// Standard output.
    Stdout,
}

/// Checked settings of one run.
#[derive(Debug)]
pub struct Settings {
    pub capture: CaptureConfig,
    pub out: OutTarget,
    pub journal: JournalOptions,
    pub rejects: PathBuf,
    /// `--max-rejects-size`: the cap on the rejects directory, in bytes.
    pub max_rejects: u64,
    pub credentials: Option<PathBuf>,
    pub progress: bool,
    pub quiet: bool,
    /// `--validate`, and with it `(strict, show_values)`.
    pub validate: Option<(bool, bool)>,
    /// `--forward`: where, how, and the region for the messages' headers.
    pub forward: Option<crate::forward::Forwarding>,
    /// `--metrics-listen`.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// `--retention-secs`.
    pub retention: Duration,
    /// The `region` label of the metrics: the region, or `custom` for a `--base-url`.
    pub region_label: String,
}

impl Settings {
    /// Checks raw flags, with the process environment for proxy variables.
    pub fn from_raw(raw: RawFlags) -> Result<Self, ConfigError> {
        Self::from_raw_with_env(raw, |k| std::env::var(k).ok())
    }

    /// Checks raw flags, reading environment variables with `env`.
    pub fn from_raw_with_env(
        raw: RawFlags,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let target = match (&raw.region, &raw.base_url) {
            (Some(r), _) => Target::Region(r.parse::<Region>().map_err(|message| ConfigError {
                flag: "--region",
                message,
            })?),
            (None, Some(u)) => Target::BaseUrl(u.clone()),
            (None, None) => {
                return Err(ConfigError {
                    flag: "--region",
                    message: "give --region or --base-url".into(),
                });
            }
        };
        let mut capture = CaptureConfig::new(&target)?;
        if let Some(path) = &raw.ca_file {
            capture.connect.ca_certs = aperture_events_capture::connect::load_ca_file(path)
                .map_err(|message| ConfigError {
                    flag: "--ca-file",
                    message,
                })?;
        }
        for rule in &raw.resolve {
            capture
                .connect
                .resolve
                .push(rule.parse().map_err(|message| ConfigError {
                    flag: "--resolve",
                    message,
                })?);
        }
        if raw.single {
            capture.endpoint = Endpoint::Single;
        } else {
            capture.bulk_size(raw.size)?;
        }
        capture.max_events = raw.max_events;
        if !raw.no_proxy {
            capture.proxy = proxy::choose(&capture.base_url, env)?;
        }
        if let Some(max) = raw.max_body {
            // Bounded by DEFAULT_MAX_BODY, itself a usize.
            capture.max_body = usize::try_from(max).unwrap_or(DEFAULT_MAX_BODY);
        }
        let max_rejects = match &raw.max_rejects_size {
            Some(text) => parse_size("--max-rejects-size", text)?,
            None => DEFAULT_MAX_REJECTS_BYTES,
        };
        if max_rejects < capture.max_body as u64 {
            return Err(ConfigError {
                flag: "--max-rejects-size",
                message: format!(
                    "must be at least {} bytes, the largest body held in memory, which one \
                     response kept there may take",
                    capture.max_body
                ),
            });
        }
        capture.check_space = !raw.no_space_check;
        let mode = match &raw.file_mode {
            Some(m) => FileMode::parse(m).map_err(|message| ConfigError {
                flag: "--file-mode",
                message,
            })?,
            None => FileMode::default(),
        };
        capture.until_drained = raw.until_drained;
        capture.poll_wait = Duration::from_millis(raw.poll_wait_ms);
        capture.timeout = Duration::from_secs(raw.timeout_secs);
        capture.retry = RetryPolicy {
            base: Duration::from_millis(raw.retry_base_ms),
            cap: Duration::from_millis(raw.retry_cap_ms.max(raw.retry_base_ms)),
            max_failures: raw.max_failures,
            ..RetryPolicy::default()
        };
        let out = if raw.out == "-" {
            OutTarget::Stdout
        } else {
            OutTarget::File(PathBuf::from(&raw.out))
        };
        let rotate_bytes = raw
            .rotate_size
            .as_deref()
            .map(|text| parse_size("--rotate-size", text))
            .transpose()?;
        if rotate_bytes.is_some() && out == OutTarget::Stdout {
            return Err(ConfigError {
                flag: "--rotate-size",
                message: "needs a file for --out, not stdout".into(),
            });
        }
        let rejects = match (&raw.rejects, &out) {
            (Some(dir), _) => dir.clone(),
            (None, OutTarget::File(path)) => {
                aperture_events_journal::side_path(path, aperture_events_journal::side::REJECTS)
            }
            (None, OutTarget::Stdout) => PathBuf::from("aperture-capture.rejects"),
        };
        let journal = match &out {
            OutTarget::File(path) => Some(path.as_path()),
            OutTarget::Stdout => None,
        };
        let forward = raw.forwarding.check(raw.region.as_deref(), journal)?;
        let region_label = match &target {
            Target::Region(r) => r.to_string(),
            Target::BaseUrl(_) => "custom".to_owned(),
        };
        Ok(Settings {
            metrics_listen: raw.metrics_listen,
            retention: Duration::from_secs(raw.retention_secs),
            region_label,
            forward,
            capture,
            out,
            journal: JournalOptions {
                rotate_bytes,
                gzip: raw.gzip,
                fsync: !raw.no_fsync,
                mode,
            },
            rejects,
            max_rejects,
            credentials: raw.credentials,
            progress: !raw.no_progress && !raw.quiet,
            quiet: raw.quiet,
            validate: raw.validate.then_some((raw.strict, raw.show_values)),
        })
    }
}

/// Parses `500M`, `2G`, `64K` or a plain byte count (1 to 2^64-1) for `flag`.
fn parse_size(flag: &'static str, text: &str) -> Result<u64, ConfigError> {
    let err = || ConfigError {
        flag,
        message: format!("`{text}` is not a size like 500M, 2G or 1048576 (at most 2^64-1 bytes)"),
    };
    let t = text.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&t[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    let n: u64 = digits.parse().map_err(|_| err())?;
    let bytes = n.checked_mul(mult).ok_or_else(err)?;
    if bytes == 0 {
        return Err(err());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
