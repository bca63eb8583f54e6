//! The forwarding flags (feature `cli`), shared by `aperture-forward` and
//! `aperture-capture --forward`: one definition, so both take the same
//! flags with the same bounds.

use std::path::PathBuf;
use std::time::Duration;

use aperture_events_ocsf::{Converter, Options, SeverityTable, Unknown};

use crate::{
    Job, MAX_BATCH, MAX_DAYS, MAX_REPLICAS, MIN_DEDUP_WINDOW, StreamSettings, checkpoint, message,
    sink,
};

/// The flags of forwarding, shared by `aperture-forward` and `aperture-capture --forward`.
#[derive(Debug, Clone, clap::Args)]
pub struct ForwardArgs {
    /// JetStream stream to write to (created if missing, else checked).
    #[arg(long, value_name = "NAME", default_value = "APERTURE")]
    pub stream: String,
    /// Replicas of the stream, when it is created (1 to 5).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_REPLICAS))]
    pub replicas: usize,
    /// The stream drops messages older than this (e.g. 7d, 12h; at most 36500d).
    #[arg(long, value_name = "AGE", default_value = "7d", value_parser = parse_duration)]
    pub max_age: Duration,
    /// The stream drops its oldest messages past this size (e.g. 50G; 1 byte to 2^63-1 bytes); no limit by default.
    #[arg(long, value_name = "SIZE", value_parser = parse_bytes)]
    pub max_bytes: Option<i64>,
    /// The stream's de-duplication window: a re-publish within it is dropped.
    /// Also the retry horizon: a batch unacknowledged for longer is reported.
    /// At least 1s, at most --max-age.
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_window)]
    pub dedup_window: Duration,
    /// Message subject: {capture}, {log_type}, {region} and, with --format ocsf,
    /// {class} (the OCSF class_uid, e.g. 6006) are filled in
    /// [default: aperture.events.{capture}.{log_type}; with --format ocsf aperture.ocsf.{capture}.{class}].
    #[arg(long, value_name = "TEMPLATE")]
    pub subject_template: Option<String>,
    /// What each message carries: the journaled event as it is (raw), or that
    /// event converted to OCSF 1.8.0 (ocsf; see docs/ocsf.md).
    #[arg(long, value_enum, default_value_t = FormatArg::Raw)]
    pub format: FormatArg,
    /// With --format ocsf: leave the original event out of `raw_data`.
    #[arg(long)]
    pub ocsf_no_raw_data: bool,
    /// With --format ocsf: what becomes of an event of a log_type the mapping
    /// does not know [default: base-event].
    #[arg(long, value_enum, value_name = "WHAT")]
    pub ocsf_unknown: Option<UnknownArg>,
    /// With --format ocsf: vendor severity → OCSF severity_id, as `LEVEL=ID,...`
    /// (levels 0 to 5; those not named keep the default, the identity).
    #[arg(long, value_name = "TABLE", value_parser = clap::value_parser!(SeverityTable))]
    pub ocsf_severity_table: Option<SeverityTable>,
    /// Stable id of the capture, in message ids and subjects [default: made once, kept in JOURNAL.capture-id].
    #[arg(long, value_name = "ID")]
    pub capture_id: Option<String>,
    /// Keep rotated segments once they are forwarded (they are removed by default, all but the newest).
    #[arg(long)]
    pub keep_forwarded: bool,
    /// Lines published before waiting for their acknowledgements (1 to 10000).
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_BATCH))]
    pub batch: usize,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// The journaled event as it is.
    Raw,
    /// The event converted to OCSF 1.8.0.
    Ocsf,
}

/// `--ocsf-unknown`: the converter's [`Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnknownArg {
    /// A Base Event (class 0) with the event in `unmapped`.
    BaseEvent,
    /// Skip it (the checkpoint moves past it), and count it.
    Skip,
}

impl From<UnknownArg> for Unknown {
    fn from(arg: UnknownArg) -> Unknown {
        match arg {
            UnknownArg::BaseEvent => Unknown::BaseEvent,
            UnknownArg::Skip => Unknown::Skip,
        }
    }
}

/// Parses `500ms`, `90s`, `10m`, `12h`, `7d` (a bare number is seconds), at most [`MAX_DAYS`] days.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let too_long = || format!("`{text}`: must be at most {MAX_DAYS}d");
    // All digits but too many for a u64 is a number too large, not a typo.
    let n: u64 = match t[..digits].parse() {
        Ok(n) => n,
        Err(_) if digits > 0 => return Err(too_long()),
        Err(_) => {
            return Err(format!(
                "`{text}` is not a duration such as 90s, 10m, 12h or 7d"
            ));
        }
    };
    let unit_ms: u64 = match &t[digits..] {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("`{text}`: the unit must be ms, s, m, h or d")),
    };
    n.checked_mul(unit_ms)
        .filter(|ms| *ms <= MAX_DAYS * 86_400_000)
        .map(Duration::from_millis)
        .ok_or_else(too_long)
}

/// A duration for `--dedup-window`: at least [`MIN_DEDUP_WINDOW`].
fn parse_window(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d < MIN_DEDUP_WINDOW {
        return Err(format!(
            "`{text}`: must be at least {}",
            sink::humantime(MIN_DEDUP_WINDOW)
        ));
    }
    Ok(d)
}

/// Parses `64M`, `50G`, `1048576`: 1 byte to `i64::MAX` bytes (the stream's limit).
fn parse_bytes(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let bound = || format!("`{text}`: must be 1 byte to {} bytes", i64::MAX);
    let n: u64 = match t[..digits].parse() {
        Ok(n) => n,
        Err(_) if digits > 0 => return Err(bound()),
        Err(_) => return Err(format!("`{text}` is not a size such as 64M or 50G")),
    };
    let shift = match t[digits..].to_ascii_lowercase().as_str() {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{text}`: the unit must be K, M, G or T")),
    };
    n.checked_mul(1 << shift)
        .and_then(|b| i64::try_from(b).ok())
        .filter(|b| *b > 0)
        .ok_or_else(bound)
}

impl ForwardArgs {
    /// What the messages carry, with the converter's options for OCSF.
    pub fn message_format(&self) -> Result<message::Format, String> {
        match self.format {
            FormatArg::Ocsf => Ok(message::Format::Ocsf(Converter::new(Options {
                raw_data: !self.ocsf_no_raw_data,
                unknown: self.ocsf_unknown.map(Unknown::from).unwrap_or_default(),
                severity: self.ocsf_severity_table.unwrap_or_default(),
            }))),
            FormatArg::Raw => {
                let ocsf_flag = [
                    (self.ocsf_no_raw_data, "--ocsf-no-raw-data"),
                    (self.ocsf_unknown.is_some(), "--ocsf-unknown"),
                    (self.ocsf_severity_table.is_some(), "--ocsf-severity-table"),
                ]
                .into_iter()
                .find_map(|(given, flag)| given.then_some(flag));
                match ocsf_flag {
                    Some(flag) => Err(format!("{flag}: needs --format ocsf")),
                    None => Ok(message::Format::Raw),
                }
            }
        }
    }

    /// The subject template: the one given, or the format's default.
    pub fn subject_template(&self, format: &message::Format) -> String {
        self.subject_template
            .clone()
            .unwrap_or_else(|| format.default_subject().to_owned())
    }

    /// The stream's settings.
    pub fn stream_settings(&self) -> Result<StreamSettings, String> {
        let format = self.message_format()?;
        let template = self.subject_template(&format);
        message::check_template(&template, &format)
            .map_err(|e| format!("--subject-template: {e}"))?;
        if !(1..=MAX_REPLICAS).contains(&(self.replicas as u64)) {
            return Err(format!("--replicas: must be 1 to {MAX_REPLICAS}"));
        }
        if self.dedup_window < MIN_DEDUP_WINDOW {
            return Err(format!(
                "--dedup-window: must be at least {}",
                sink::humantime(MIN_DEDUP_WINDOW)
            ));
        }
        if self.dedup_window > self.max_age {
            return Err("--dedup-window: must not be longer than --max-age".into());
        }
        if self.stream.is_empty() || self.stream.contains(['.', ' ', '*', '>', '/', '\\']) {
            return Err(format!("--stream: `{}` is not a stream name", self.stream));
        }
        Ok(StreamSettings {
            name: self.stream.clone(),
            subject: message::stream_subject(&template),
            replicas: self.replicas,
            max_age: self.max_age,
            max_bytes: self.max_bytes,
            dedup_window: self.dedup_window,
        })
    }

    /// The job of forwarding `journal` (its capture id made or read here).
    pub fn job(&self, journal: PathBuf, region: Option<String>) -> Result<Job, String> {
        if !(1..=MAX_BATCH).contains(&(self.batch as u64)) {
            return Err(format!("--batch: must be 1 to {MAX_BATCH}"));
        }
        let format = self.message_format()?;
        let template = self.subject_template(&format);
        let capture = checkpoint::capture_id(&journal, self.capture_id.as_deref())
            .map_err(|e| format!("{}: {e}", journal.display()))?;
        Ok(Job {
            journal,
            labels: message::Labels {
                capture,
                region,
                template,
                format,
            },
            keep_forwarded: self.keep_forwarded,
            batch: self.batch,
            retry_cap: Duration::from_secs(5),
            retry_horizon: self.dedup_window,
            poll: Duration::from_millis(50),
            metrics: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("1w").is_err() && parse_duration("m").is_err());
        assert_eq!(parse_bytes("64M"), Ok(64 << 20));
        assert!(parse_bytes("0").is_err() && parse_bytes("1P").is_err());
        assert_eq!(parse_bytes("9223372036854775807"), Ok(i64::MAX));
        for huge in [
            "9223372036854775808",
            "18446744073709551615",
            "99999999999999999999",
            "8388608T",
        ] {
            let err = parse_bytes(huge).unwrap_err();
            assert!(
                err.contains("must be 1 byte to 9223372036854775807 bytes"),
                "{err}"
            );
        }
        assert_eq!(
            parse_duration("36500d"),
            Ok(Duration::from_secs(36_500 * 86_400))
        );
        for huge in [
            "36501d",
            "10000000000d",
            "18446744073709551615d",
            "18446744073709551615ms",
            "99999999999999999999",
        ] {
            let err = parse_duration(huge).unwrap_err();
            assert!(err.contains("must be at most 36500d"), "{err}");
        }
        assert!(parse_window("0").unwrap_err().contains("at least 1s"));
        assert_eq!(parse_window("1s"), Ok(Duration::from_secs(1)));
    }

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        forward: ForwardArgs,
    }

    fn parse(args: &[&str]) -> Result<ForwardArgs, clap::Error> {
        use clap::Parser;
        Cli::try_parse_from(std::iter::once("aperture-forward").chain(args.iter().copied()))
            .map(|c| c.forward)
    }

    fn options(args: &[&str]) -> Options {
        match parse(args).unwrap().message_format().unwrap() {
            message::Format::Ocsf(converter) => *converter.options(),
            message::Format::Raw => panic!("{args:?}: not OCSF"),
        }
    }

    #[test]
    fn the_format_picks_the_default_subject() {
        let raw = parse(&[]).unwrap();
        assert_eq!(raw.format, FormatArg::Raw);
        assert!(matches!(raw.message_format(), Ok(message::Format::Raw)));
        assert_eq!(
            raw.stream_settings().unwrap().subject,
            "aperture.events.*.*"
        );
        let ocsf = parse(&["--format", "ocsf"]).unwrap();
        assert_eq!(ocsf.stream_settings().unwrap().subject, "aperture.ocsf.*.*");
        let given = parse(&[
            "--format",
            "ocsf",
            "--subject-template",
            "siem.{region}.{capture}.{log_type}.{class}",
        ])
        .unwrap();
        assert_eq!(given.stream_settings().unwrap().subject, "siem.*.*.*.*");
        let err = parse(&["--subject-template", "a.{capture}.{class}"])
            .unwrap()
            .stream_settings()
            .unwrap_err();
        assert!(
            err.contains("--subject-template") && err.contains("--format ocsf"),
            "{err}"
        );
        assert!(parse(&["--format", "json"]).is_err());
    }

    #[test]
    fn converter_options_are_flags_of_ocsf() {
        assert_eq!(options(&["--format", "ocsf"]), Options::default());
        let chosen = options(&[
            "--format",
            "ocsf",
            "--ocsf-no-raw-data",
            "--ocsf-unknown",
            "skip",
            "--ocsf-severity-table",
            "0=1,5=6",
        ]);
        assert_eq!(
            chosen,
            Options {
                raw_data: false,
                unknown: Unknown::Skip,
                severity: "0=1,5=6".parse().unwrap(),
            }
        );
        assert_eq!(
            options(&["--format", "ocsf", "--ocsf-unknown", "base-event"]).unknown,
            Unknown::BaseEvent
        );
        for flags in [
            &["--ocsf-no-raw-data"][..],
            &["--ocsf-unknown", "skip"],
            &["--ocsf-severity-table", "0=1"],
        ] {
            let args = parse(flags).unwrap();
            let err = args.message_format().unwrap_err();
            assert_eq!(err, format!("{}: needs --format ocsf", flags[0]));
            assert_eq!(args.stream_settings().unwrap_err(), err);
        }
        assert!(parse(&["--format", "ocsf", "--ocsf-unknown", "drop"]).is_err());
        assert!(parse(&["--format", "ocsf", "--ocsf-severity-table", "6=1"]).is_err());
        assert!(parse(&["--format", "ocsf", "--ocsf-severity-table", "1=7"]).is_err());
    }
}
