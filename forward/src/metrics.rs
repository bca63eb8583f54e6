//! The forwarder's metrics, served by `--metrics-listen` of
//! `aperture-forward` and of `aperture-capture --forward`.
//!
//! Labelled by `journal` (its path as given on the command line: one
//! series per journal forwarded, a set the operator chose). The lag
//! figures are the progress line's ([`super::lag`]), worked out at most
//! every [`LAG_EVERY`] while forwarding or retrying, so the loop pays
//! little for them.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};

/// How often the lag figures are worked out for the metrics.
pub const LAG_EVERY: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JournalLabel {
    journal: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SkipLabel {
    journal: String,
    /// `unknown_type` or `unconvertible`.
    reason: &'static str,
}

/// The forwarder's metric families, for every journal it forwards.
#[derive(Debug, Default)]
pub struct ForwardMetrics {
    forwarded: Family<JournalLabel, Counter>,
    segment: Family<JournalLabel, Gauge>,
    line: Family<JournalLabel, Gauge>,
    behind: Family<JournalLabel, Gauge>,
    oldest_age: Family<JournalLabel, Gauge>,
    publish_errors: Family<JournalLabel, Counter>,
    set_aside: Family<JournalLabel, Counter>,
    skipped: Family<SkipLabel, Counter>,
}

impl ForwardMetrics {
    /// Adds the families to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        let r = registry;
        r.register(
            "aperture_forward_events",
            "Events acknowledged by the stream, by journal",
            self.forwarded.clone(),
        );
        r.register(
            "aperture_forward_segment",
            "The forwarder's position: the journal segment it reads",
            self.segment.clone(),
        );
        r.register(
            "aperture_forward_line",
            "The forwarder's position: the last line acknowledged in that segment",
            self.line.clone(),
        );
        r.register(
            "aperture_forward_events_behind",
            "Events written to the journal and not yet forwarded (estimated from bytes)",
            self.behind.clone(),
        );
        r.register_with_unit(
            "aperture_forward_oldest_unforwarded_age",
            "Age of the oldest event not yet forwarded, from its timestamp (0 when caught up)",
            Unit::Seconds,
            self.oldest_age.clone(),
        );
        r.register(
            "aperture_forward_publish_errors",
            "Failed publishes (or stream checks) to NATS, each retried",
            self.publish_errors.clone(),
        );
        r.register(
            "aperture_forward_set_aside",
            "Events set aside as larger than the server's max_payload",
            self.set_aside.clone(),
        );
        r.register(
            "aperture_forward_skipped",
            "Lines not published with --format ocsf: an unknown type skipped as asked (reason unknown_type), \
             or not convertible (reason unconvertible)",
            self.skipped.clone(),
        );
    }

    /// The metrics of one journal (its series, made at 0).
    pub fn journal(&self, journal: &std::path::Path) -> JournalMetrics {
        let label = JournalLabel {
            journal: journal.display().to_string(),
        };
        JournalMetrics {
            forwarded: self.forwarded.get_or_create_owned(&label),
            segment: self.segment.get_or_create_owned(&label),
            line: self.line.get_or_create_owned(&label),
            behind: self.behind.get_or_create_owned(&label),
            oldest_age: self.oldest_age.get_or_create_owned(&label),
            publish_errors: self.publish_errors.get_or_create_owned(&label),
            set_aside: self.set_aside.get_or_create_owned(&label),
            skipped_unknown: self.skipped.get_or_create_owned(&SkipLabel {
                journal: label.journal.clone(),
                reason: "unknown_type",
            }),
            skipped_unconvertible: self.skipped.get_or_create_owned(&SkipLabel {
                journal: label.journal.clone(),
                reason: "unconvertible",
            }),
        }
    }
}

/// The series of one journal, updated by [`super::run::forward`].
#[derive(Debug, Clone, Default)]
pub struct JournalMetrics {
    forwarded: Counter,
    segment: Gauge,
    line: Gauge,
    behind: Gauge,
    oldest_age: Gauge,
    publish_errors: Counter,
    set_aside: Counter,
    skipped_unknown: Counter,
    skipped_unconvertible: Counter,
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl JournalMetrics {
    /// `events` were acknowledged; the position is now `segment`, `line`.
    pub fn forwarded(&self, events: u64, segment: u64, line: u64) {
        self.forwarded.inc_by(events);
        self.position(segment, line);
    }

    /// The position is now `segment`, `line`.
    pub fn position(&self, segment: u64, line: u64) {
        self.segment.set(clamp(segment));
        self.line.set(clamp(line));
    }

    /// A line was set aside.
    pub fn set_aside(&self) {
        self.set_aside.inc();
    }

    /// A line was passed over without a message (OCSF).
    pub fn skipped(&self, skip: &super::message::Skipped) {
        match skip {
            super::message::Skipped::UnknownType(_) => self.skipped_unknown.inc(),
            super::message::Skipped::Unconvertible(_) => self.skipped_unconvertible.inc(),
        };
    }

    /// A publish (or the stream's check) failed and is retried.
    pub fn publish_error(&self) {
        self.publish_errors.inc();
    }

    /// The lag: events behind, and the age of the oldest unforwarded event.
    pub fn lag(&self, behind: u64, oldest_age: Option<i64>) {
        self.behind.set(clamp(behind));
        self.oldest_age.set(if behind == 0 {
            0
        } else {
            oldest_age.unwrap_or(0)
        });
    }

    /// The age of the oldest unforwarded event, alone (while a batch waits).
    pub fn oldest_age(&self, age: i64) {
        self.oldest_age.set(age);
    }

    /// Events forwarded so far (for tests and summaries).
    pub fn forwarded_total(&self) -> u64 {
        self.forwarded.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Skipped;

    #[test]
    fn skipped_lines_count_by_reason() {
        let metrics = ForwardMetrics::default();
        let mut registry = Registry::default();
        metrics.register(&mut registry);
        let journal = metrics.journal(std::path::Path::new("j.ndjson"));
        journal.skipped(&Skipped::UnknownType("brand_new".into()));
        journal.skipped(&Skipped::UnknownType("other".into()));
        journal.skipped(&Skipped::Unconvertible("no timestamp".into()));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).expect("encode");
        for line in [
            r#"aperture_forward_skipped_total{journal="j.ndjson",reason="unknown_type"} 2"#,
            r#"aperture_forward_skipped_total{journal="j.ndjson",reason="unconvertible"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
    }
}
