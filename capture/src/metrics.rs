//! The capture's metrics and health, for `--metrics-listen`.
//!
//! Metric families of the official Prometheus client (`prometheus-client`),
//! registered in a [`Registry`] that the command line serves over HTTP
//! (the listener lives with the command line: this module is plain data
//! and atomics, no server and no runtime). Every metric, its type, labels
//! and meaning is listed in the crate's README.
//!
//! # Bounded labels
//! `log_type` comes from the API: a server could send any number of
//! values. A value becomes a label only if it looks like a log type
//! (`[a-z0-9_]`, at most [`MAX_LOG_TYPE_LEN`] bytes) and fewer than
//! [`MAX_LOG_TYPES`] values were seen before it; every other event counts
//! under `other`. `region` is the one of the run; `kind` labels are closed
//! sets ([`FailureKind`], [`RejectKind`]).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use crate::error::FailureKind;
use crate::expiry::Estimate;
use crate::rejects::RejectKind;
use crate::runner::Exchange;

/// Most distinct `log_type` label values; the rest count as [`OTHER`].
pub const MAX_LOG_TYPES: usize = 32;

/// Longest `log_type` kept as a label value.
pub const MAX_LOG_TYPE_LEN: usize = 64;

/// The label value of every `log_type` not kept as its own.
pub const OTHER: &str = "other";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    log_type: String,
    region: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegionLabel {
    region: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: &'static str,
    program: &'static str,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// The capture's metric families.
#[derive(Debug)]
pub struct CaptureMetrics {
    region: String,
    log_types: Mutex<BTreeSet<String>>,
    events: Family<EventLabels, Counter>,
    responses: Family<RegionLabel, Counter>,
    journal_bytes: Counter,
    fsync: Histogram,
    api_errors: Family<KindLabel, Counter>,
    token_refreshes: Counter,
    tokens_seen: AtomicU64,
    retries: Counter,
    rejects: Family<KindLabel, Counter>,
    reject_bytes: Family<KindLabel, Counter>,
    journal_size: Gauge,
    journal_free: Gauge,
    retention: FloatGauge,
    lag: FloatGauge,
    full_batches: Gauge,
    full_for: FloatGauge,
    drain_rate: FloatGauge,
    arrival_rate: FloatGauge,
    lag_growth: FloatGauge,
    secs_to_expiry: FloatGauge,
    at_risk: Gauge,
}

impl CaptureMetrics {
    /// The metrics of a capture from `region` (its name, or `custom` for a `--base-url`).
    pub fn new(region: &str) -> Self {
        let metrics = Self {
            region: region.to_owned(),
            log_types: Mutex::new(BTreeSet::new()),
            events: Family::default(),
            responses: Family::default(),
            journal_bytes: Counter::default(),
            // 0.1 ms to about 6.5 s.
            fsync: Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
                0.0001, 2.0, 17,
            )),
            api_errors: Family::default(),
            token_refreshes: Counter::default(),
            tokens_seen: AtomicU64::new(0),
            retries: Counter::default(),
            rejects: Family::default(),
            reject_bytes: Family::default(),
            journal_size: Gauge::default(),
            journal_free: Gauge::default(),
            retention: FloatGauge::default(),
            lag: FloatGauge::default(),
            full_batches: Gauge::default(),
            full_for: FloatGauge::default(),
            drain_rate: FloatGauge::default(),
            arrival_rate: FloatGauge::default(),
            lag_growth: FloatGauge::default(),
            secs_to_expiry: FloatGauge::default(),
            at_risk: Gauge::default(),
        };
        // Every error kind is there from the start, at 0, so that a rate() sees the first one.
        for kind in FailureKind::ALL {
            let _ = metrics.api_errors.get_or_create(&KindLabel {
                kind: kind.as_str(),
            });
        }
        let _ = metrics.responses.get_or_create(&RegionLabel {
            region: metrics.region.clone(),
        });
        metrics
    }

    /// Adds the families to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        let r = registry;
        r.register(
            "aperture_capture_build",
            "The capture's version",
            Info::new(BuildLabels {
                version: env!("CARGO_PKG_VERSION"),
                program: "aperture-capture",
            }),
        );
        r.register(
            "aperture_capture_events",
            "Events read from the API and stored, by log_type (bounded, see README) and region",
            self.events.clone(),
        );
        r.register(
            "aperture_capture_responses",
            "Responses with a 200 body, by region",
            self.responses.clone(),
        );
        r.register_with_unit(
            "aperture_capture_journaled",
            "Bytes written to the output (events and line ends)",
            Unit::Bytes,
            self.journal_bytes.clone(),
        );
        r.register_with_unit(
            "aperture_capture_fsync",
            "Time the journal's sync after each response took",
            Unit::Seconds,
            self.fsync.clone(),
        );
        r.register(
            "aperture_capture_api_errors",
            "Failed requests and responses, by kind",
            self.api_errors.clone(),
        );
        r.register(
            "aperture_capture_token_refreshes",
            "Access tokens fetched",
            self.token_refreshes.clone(),
        );
        r.register(
            "aperture_capture_retries",
            "Requests retried after a failure",
            self.retries.clone(),
        );
        r.register(
            "aperture_capture_rejects",
            "Bodies kept in the rejects directory, by kind",
            self.rejects.clone(),
        );
        r.register_with_unit(
            "aperture_capture_rejects",
            "Bytes of the bodies kept in the rejects directory, by kind",
            Unit::Bytes,
            self.reject_bytes.clone(),
        );
        r.register_with_unit(
            "aperture_capture_journal_size",
            "Size of the journal: the live file and its rotated segments",
            Unit::Bytes,
            self.journal_size.clone(),
        );
        r.register_with_unit(
            "aperture_capture_journal_free",
            "Room left for the journal: free space, or the file-size limit",
            Unit::Bytes,
            self.journal_free.clone(),
        );
        r.register_with_unit(
            "aperture_capture_retention",
            "How long the API keeps an undelivered event, as assumed (--retention-secs)",
            Unit::Seconds,
            self.retention.clone(),
        );
        r.register_with_unit(
            "aperture_capture_lag",
            "Age of the newest event read (now minus its timestamp)",
            Unit::Seconds,
            self.lag.clone(),
        );
        r.register(
            "aperture_capture_full_batches",
            "Responses in a row with as many events as asked for",
            self.full_batches.clone(),
        );
        r.register_with_unit(
            "aperture_capture_full_batches_duration",
            "Time since the first of those full responses",
            Unit::Seconds,
            self.full_for.clone(),
        );
        r.register(
            "aperture_capture_drain_rate",
            "Events read per second, recently",
            self.drain_rate.clone(),
        );
        r.register(
            "aperture_capture_arrival_rate",
            "Events arriving per second, estimated while responses are full (0 otherwise)",
            self.arrival_rate.clone(),
        );
        r.register(
            "aperture_capture_lag_growth",
            "Seconds the lag grows per second, recently",
            self.lag_growth.clone(),
        );
        r.register_with_unit(
            "aperture_capture_expiry_eta",
            "Estimated time until events start to expire unread (-1: the lag is not growing)",
            Unit::Seconds,
            self.secs_to_expiry.clone(),
        );
        r.register(
            "aperture_capture_expiry_risk",
            "1 when the model says events will expire before they are read",
            self.at_risk.clone(),
        );
    }

    /// The `log_type` label value for `log_type`: itself, or [`OTHER`].
    fn label(&self, log_type: Option<&str>) -> String {
        let Some(t) = log_type.filter(|t| {
            !t.is_empty()
                && t.len() <= MAX_LOG_TYPE_LEN
                && t != &OTHER
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) else {
            return OTHER.to_owned();
        };
        let mut known = self.log_types.lock().unwrap_or_else(|p| p.into_inner());
        if known.contains(t) {
            return t.to_owned();
        }
        if known.len() < MAX_LOG_TYPES {
            known.insert(t.to_owned());
            return t.to_owned();
        }
        OTHER.to_owned()
    }

    /// Counts a response's stored events by their `log_type`.
    ///
    /// The types are tallied per response first, by the value as read
    /// (borrowed from the line), and each distinct one is turned into its
    /// label once: no lock and no allocation per event.
    pub fn batch(&self, lines: &[Vec<u8>]) {
        // Few types per response: a short list beats a map.
        let mut counts: Vec<(Option<Cow<'_, str>>, u64)> = Vec::new();
        for line in lines {
            let log_type = log_type(line);
            match counts.iter_mut().find(|(t, _)| *t == log_type) {
                Some((_, n)) => *n += 1,
                None => counts.push((log_type, 1)),
            }
        }
        for (log_type, n) in counts {
            self.events
                .get_or_create(&EventLabels {
                    log_type: self.label(log_type.as_deref()),
                    region: self.region.clone(),
                })
                .inc_by(n);
        }
    }

    /// Counts one handled request.
    pub fn exchange(&self, e: &Exchange) {
        if e.events > 0 {
            self.responses
                .get_or_create(&RegionLabel {
                    region: self.region.clone(),
                })
                .inc();
            self.journal_bytes.inc_by(e.bytes);
        }
        if let Some(sync) = e.sync {
            self.fsync.observe(sync.as_secs_f64());
        }
        let before = self.tokens_seen.swap(e.tokens_fetched, Ordering::Relaxed);
        self.token_refreshes
            .inc_by(e.tokens_fetched.saturating_sub(before));
    }

    /// Counts a failure, and the retry that follows.
    pub fn failure(&self, kind: FailureKind) {
        self.api_errors
            .get_or_create(&KindLabel {
                kind: kind.as_str(),
            })
            .inc();
        self.retries.inc();
    }

    /// Counts a body kept in the rejects directory.
    pub fn rejected(&self, kind: RejectKind, bytes: u64) {
        let label = KindLabel {
            kind: match kind {
                RejectKind::Malformed => "malformed",
                RejectKind::Partial => "partial",
                RejectKind::Unwritten => "unwritten",
            },
        };
        self.rejects.get_or_create(&label).inc();
        self.reject_bytes.get_or_create(&label).inc_by(bytes);
    }

    /// Sets the journal's size and the room left for it.
    pub fn journal(&self, size: u64, free: Option<u64>) {
        self.journal_size.set(clamp(size));
        if let Some(free) = free {
            self.journal_free.set(clamp(free));
        }
    }

    /// Sets the expiry model's gauges.
    pub fn expiry(&self, e: &Estimate, retention: Duration) {
        self.retention.set(retention.as_secs_f64());
        if let Some(lag) = e.lag_secs {
            self.lag.set(lag);
        }
        self.full_batches.set(i64::from(e.full_batches));
        self.full_for.set(e.full_for_secs);
        self.drain_rate.set(e.drain_rate);
        self.arrival_rate.set(e.arrival_rate.unwrap_or(0.0));
        self.lag_growth.set(e.lag_growth.unwrap_or(0.0));
        self.secs_to_expiry.set(e.secs_to_expiry.unwrap_or(-1.0));
        self.at_risk.set(i64::from(e.at_risk));
    }
}

/// The top-level `log_type` of an event line (a JSON object, as
/// [`crate::batch`] hands them over), if it is a string.
///
/// # Design
/// Parsing every event whole to read one field costs about as much as the
/// rest of a capture without fsync. So the usual shape is read directly:
/// `"log_type"` found as a key before any nested object or array (so at
/// the top level), followed by a string without escapes. Anything else
/// (an escape, a nested value before it, no such key) is parsed properly
/// with serde; the two agree (see the tests).
fn log_type(line: &[u8]) -> Option<Cow<'_, str>> {
    const KEY: &[u8] = b"\"log_type\"";
    let fast = || -> Option<&str> {
        let at = memchr::memmem::find(line, KEY)?;
        let before = line.get(1..at)?;
        if line.first() != Some(&b'{') || memchr::memchr3(b'{', b'[', b'\\', before).is_some() {
            return None;
        }
        let rest = &line[at + KEY.len()..];
        let rest = rest.trim_ascii_start().strip_prefix(b":")?;
        let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[end] != b'"' {
            return None;
        }
        std::str::from_utf8(&rest[..end]).ok()
    };
    if let Some(t) = fast() {
        return Some(Cow::Borrowed(t));
    }
    #[derive(serde::Deserialize)]
    struct Typed<'a> {
        #[serde(borrow)]
        log_type: Option<Cow<'a, str>>,
    }
    serde_json::from_slice::<Typed<'_>>(line)
        .ok()
        .and_then(|t| t.log_type)
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What `/healthz` and `/readyz` answer from, updated by the capture loop.
///
/// - **alive** (`/healthz`): the loop turned (a response handled, or a
///   wait ticking) within [`Health::stall_limit`];
/// - **ready** (`/readyz`): alive, a token is held, the journal took the
///   last response (or has room for the next), and a request was answered
///   (events or "nothing now") within [`READY_INTERVALS`] intervals, an
///   interval being the longest a healthy request and its wait take
///   (`--timeout-secs` plus `--poll-wait-ms`).
#[derive(Debug)]
pub struct Health {
    started: Instant,
    interval: Duration,
    last_turn_ms: AtomicU64,
    last_answer_ms: AtomicU64,
    token_held: AtomicBool,
    journal_ok: AtomicBool,
}

/// Intervals without an answered request before `/readyz` says not ready.
pub const READY_INTERVALS: u32 = 3;

/// Milliseconds value meaning "never".
const NEVER: u64 = u64::MAX;

impl Health {
    /// Health of a capture whose requests take at most `timeout` and wait `poll_wait` after a `204`.
    pub fn new(timeout: Duration, poll_wait: Duration) -> Self {
        Self {
            started: Instant::now(),
            interval: timeout.saturating_add(poll_wait),
            last_turn_ms: AtomicU64::new(0),
            last_answer_ms: AtomicU64::new(NEVER),
            token_held: AtomicBool::new(false),
            journal_ok: AtomicBool::new(true),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// The loop turned.
    pub fn turned(&self) {
        self.last_turn_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// A request was handled.
    pub fn exchange(&self, e: &Exchange) {
        self.turned();
        self.token_held.store(e.token_held, Ordering::Relaxed);
        if e.answered {
            self.last_answer_ms.store(self.now_ms(), Ordering::Relaxed);
        }
        if e.events > 0 {
            self.journal_ok.store(true, Ordering::Relaxed);
        }
    }

    /// A failure of `kind`: the journal is short of room on [`FailureKind::NoSpace`].
    pub fn failure(&self, kind: FailureKind) {
        if kind == FailureKind::NoSpace {
            self.journal_ok.store(false, Ordering::Relaxed);
        }
    }

    /// Longest time without a turn of the loop for `/healthz` (a request may take the timeout twice: head and body).
    pub fn stall_limit(&self) -> Duration {
        self.interval
            .saturating_mul(2)
            .saturating_add(Duration::from_secs(10))
    }

    fn secs_since(&self, ms: u64) -> Option<f64> {
        (ms != NEVER).then(|| self.now_ms().saturating_sub(ms) as f64 / 1000.0)
    }

    /// `/healthz`: whether alive, and the JSON body.
    pub fn healthz(&self) -> (bool, String) {
        let since = self
            .secs_since(self.last_turn_ms.load(Ordering::Relaxed))
            .unwrap_or(0.0);
        let alive = since <= self.stall_limit().as_secs_f64();
        let body = serde_json::json!({
            "status": if alive { "ok" } else { "stalled" },
            "last_turn_secs_ago": since,
        });
        (alive, body.to_string())
    }

    /// `/readyz`: whether ready, and the JSON body.
    pub fn readyz(&self) -> (bool, String) {
        let (alive, _) = self.healthz();
        let token = self.token_held.load(Ordering::Relaxed);
        let journal = self.journal_ok.load(Ordering::Relaxed);
        let answered = self.secs_since(self.last_answer_ms.load(Ordering::Relaxed));
        let limit = self.interval.saturating_mul(READY_INTERVALS).as_secs_f64();
        let recent = answered.is_some_and(|s| s <= limit);
        let ready = alive && token && journal && recent;
        let body = serde_json::json!({
            "status": if ready { "ready" } else { "not_ready" },
            "alive": alive,
            "token_held": token,
            "journal_writable": journal,
            "last_pull_secs_ago": answered,
            "last_pull_limit_secs": limit,
        });
        (ready, body.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exposition(m: &CaptureMetrics) -> String {
        let mut registry = Registry::default();
        m.register(&mut registry);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).expect("encode");
        text
    }

    #[test]
    fn ten_thousand_unknown_log_types_make_a_bounded_number_of_series() {
        let m = CaptureMetrics::new("us");
        let lines: Vec<Vec<u8>> = (0..10_000)
            .map(|i| format!(r#"{{"log_type":"unknown_type_{i}","timestamp":"x"}}"#).into_bytes())
            .collect();
        m.batch(&lines);
        // Hostile values never become labels.
        m.batch(&[
            br#"{"log_type":"Bad\"} 1\n"}"#.to_vec(),
            br#"{"log_type":7}"#.to_vec(),
            b"not json".to_vec(),
        ]);
        let text = exposition(&m);
        let series: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("aperture_capture_events_total{"))
            .collect();
        assert_eq!(series.len(), MAX_LOG_TYPES + 1, "{series:?}");
        let counted: u64 = series
            .iter()
            .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(counted, 10_003);
        assert!(
            text.contains(&format!(
                "aperture_capture_events_total{{log_type=\"other\",region=\"us\"}} {}",
                10_000 - MAX_LOG_TYPES + 3
            )),
            "{text}"
        );
    }

    #[test]
    fn exchanges_failures_and_rejects_move_their_metrics() {
        let m = CaptureMetrics::new("eu");
        let ex = Exchange {
            asked: 100,
            events: 2,
            bytes: 300,
            sync: Some(Duration::from_millis(3)),
            answered: true,
            tokens_fetched: 1,
            token_held: true,
        };
        m.exchange(&ex);
        m.exchange(&Exchange {
            tokens_fetched: 3,
            ..ex.clone()
        });
        m.failure(FailureKind::ServerError);
        m.failure(FailureKind::Timeout);
        m.rejected(RejectKind::Malformed, 42);
        m.journal(1000, Some(5000));
        let text = exposition(&m);
        for line in [
            "aperture_capture_responses_total{region=\"eu\"} 2",
            "aperture_capture_journaled_bytes_total 600",
            "aperture_capture_fsync_seconds_count 2",
            "aperture_capture_token_refreshes_total 3",
            "aperture_capture_api_errors_total{kind=\"server_error\"} 1",
            "aperture_capture_api_errors_total{kind=\"timeout\"} 1",
            "aperture_capture_api_errors_total{kind=\"oversize\"} 0",
            "aperture_capture_retries_total 2",
            "aperture_capture_rejects_total{kind=\"malformed\"} 1",
            "aperture_capture_rejects_bytes_total{kind=\"malformed\"} 42",
            "aperture_capture_journal_size_bytes 1000",
            "aperture_capture_journal_free_bytes 5000",
            "aperture_capture_build_info{version=\"",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }

    #[test]
    fn the_direct_read_of_log_type_agrees_with_serde() {
        fn by_serde(line: &[u8]) -> Option<String> {
            let v: serde_json::Value = serde_json::from_slice(line).ok()?;
            v.get("log_type")?.as_str().map(str::to_owned)
        }
        for line in [
            &br#"{"log_type":"incident","x":1}"#[..],
            br#"{ "log_type" : "incident" }"#,
            br#"{"a":{"log_type":"decoy"},"log_type":"real"}"#,
            br#"{"a":["log_type"],"log_type":"real"}"#,
            br#"{"a":"say \"log_type\":\"decoy\"","log_type":"real"}"#,
            br#"{"a":"\\","log_type":"real"}"#,
            br#"{"log_type":"escaped"}"#,
            br#"{"log_type":7}"#,
            br#"{"log_type":null}"#,
            br#"{"other":"log_type"}"#,
            br#"{"x":"y"}"#,
            br#"{"log_type":"caf\u00e9","log_type_2":"x"}"#,
            "{\"log_type\":\"café\"}".as_bytes(),
            b"not json",
        ] {
            assert_eq!(
                log_type(line).map(|c| c.into_owned()),
                by_serde(line),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn health_follows_the_loop() {
        let h = Health::new(Duration::from_secs(1), Duration::from_secs(1));
        let (alive, body) = h.healthz();
        assert!(alive, "{body}");
        let (ready, body) = h.readyz();
        assert!(!ready, "no request answered yet: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["token_held"], false);
        assert_eq!(v["last_pull_secs_ago"], serde_json::Value::Null);
        h.exchange(&Exchange {
            asked: 100,
            events: 0,
            bytes: 0,
            sync: None,
            answered: true,
            tokens_fetched: 1,
            token_held: true,
        });
        let (ready, body) = h.readyz();
        assert!(ready, "{body}");
        h.failure(FailureKind::NoSpace);
        let (ready, body) = h.readyz();
        assert!(!ready, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["journal_writable"], false);
    }
}
