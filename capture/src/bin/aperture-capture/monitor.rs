//! Watching the capture as it runs: the expiry estimate (always, for the
//! warning on stderr) and, with `--metrics-listen`, the metrics and the
//! health that the endpoint serves.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aperture_events_capture::error::FailureKind;
use aperture_events_capture::expiry::{self, Estimate, Estimator};
use aperture_events_capture::metrics::{CaptureMetrics, Health};
use aperture_events_capture::rejects::RejectKind;
use aperture_events_capture::runner::Exchange;
use aperture_events_capture::space;
use aperture_events_forward::serve::Probe;

/// How often the journal's size and free space are looked at.
const JOURNAL_EVERY: Duration = Duration::from_secs(1);

/// The expiry estimate, the metrics and the health of one run.
#[derive(Debug)]
pub struct Monitor {
    estimator: Estimator,
    metrics: Option<Arc<CaptureMetrics>>,
    health: Arc<Health>,
    journal: Option<PathBuf>,
    journal_at: Option<Instant>,
    newest: Option<SystemTime>,
    warned_at: Option<Instant>,
}

/// `/healthz` and `/readyz` from the run's [`Health`].
#[derive(Debug)]
pub struct HealthProbe(pub Arc<Health>);

impl Probe for HealthProbe {
    fn healthz(&self) -> (bool, String) {
        self.0.healthz()
    }
    fn readyz(&self) -> (bool, String) {
        self.0.readyz()
    }
}

impl Monitor {
    pub fn new(
        retention: Duration,
        metrics: Option<Arc<CaptureMetrics>>,
        health: Arc<Health>,
        journal: Option<PathBuf>,
    ) -> Self {
        Self {
            estimator: Estimator::new(retention),
            metrics,
            health,
            journal,
            journal_at: None,
            newest: None,
            warned_at: None,
        }
    }

    /// A response's events were stored.
    pub fn batch(&mut self, lines: &[Vec<u8>]) {
        if let Some(m) = &self.metrics {
            m.batch(lines);
        }
        self.newest = lines.last().and_then(|l| expiry::timestamp(l));
    }

    /// A request was handled; returns a line to say, if any.
    pub fn exchange(&mut self, e: &Exchange) -> Option<String> {
        self.health.exchange(e);
        if let Some(m) = &self.metrics {
            m.exchange(e);
        }
        let (now, wall) = (Instant::now(), SystemTime::now());
        let estimate = if e.answered {
            self.estimator
                .batch(now, wall, e.asked, e.events, self.newest.take())
        } else {
            self.estimator.tick(now, wall)
        };
        self.journal_figures(now);
        self.estimate(estimate, now)
    }

    /// A failure (retried).
    pub fn failure(&self, kind: FailureKind) {
        self.health.failure(kind);
        if let Some(m) = &self.metrics {
            m.failure(kind);
        }
    }

    /// A body was kept in the rejects directory at `path`.
    pub fn rejected(&self, kind: RejectKind, path: &std::path::Path) {
        if let Some(m) = &self.metrics {
            let bytes = std::fs::metadata(path).map_or(0, |md| md.len());
            m.rejected(kind, bytes);
        }
    }

    /// The loop is waiting; returns a line to say, if any.
    pub fn idle(&mut self) -> Option<String> {
        self.health.turned();
        let now = Instant::now();
        let estimate = self.estimator.tick(now, SystemTime::now());
        self.journal_figures(now);
        self.estimate(estimate, now)
    }

    /// The journal's size and room, at most every [`JOURNAL_EVERY`]: a
    /// directory listing and a `statvfs` per response would cost the
    /// capture more than they tell.
    fn journal_figures(&mut self, now: Instant) {
        let (Some(m), Some(path)) = (&self.metrics, &self.journal) else {
            return;
        };
        if self
            .journal_at
            .is_some_and(|t| now.duration_since(t) < JOURNAL_EVERY)
        {
            return;
        }
        self.journal_at = Some(now);
        let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |md| md.len());
        let live = size(path);
        let rotated: u64 = aperture_events_capture::journal::segments::rotated(path)
            .unwrap_or_default()
            .iter()
            .map(|r| size(&r.path))
            .sum();
        m.journal(live.saturating_add(rotated), space::room(path, live));
    }

    /// Sets the gauges; says when the risk starts, every twelfth of the
    /// retention while it lasts, and when it ends.
    fn estimate(&mut self, e: Estimate, now: Instant) -> Option<String> {
        let retention = self.estimator.retention();
        if let Some(m) = &self.metrics {
            m.expiry(&e, retention);
        }
        let retention_secs = retention.as_secs();
        match (e.at_risk, self.warned_at) {
            (true, last) if last.is_none_or(|t| now.duration_since(t) >= retention / 12) => {
                self.warned_at = Some(now);
                let lag = e.lag_secs.unwrap_or(0.0);
                let pace = match (e.arrival_rate, e.secs_to_expiry) {
                    (Some(a), Some(eta)) => format!(
                        " (about {a:.0} events/s arriving, {:.0}/s read); at this pace events \
                         start to expire in about {eta:.0}s",
                        e.drain_rate
                    ),
                    _ => String::new(),
                };
                Some(format!(
                    "warning: expiry risk: the newest event read is {lag:.0}s old, and {} responses \
                     in a row were full (for {:.0}s): the API's queue fills faster than it is \
                     read{pace}; it drops events left unread {retention_secs}s",
                    e.full_batches, e.full_for_secs
                ))
            }
            (false, Some(_)) => {
                self.warned_at = None;
                Some(format!(
                    "note: expiry risk cleared: the newest event read is {:.0}s old, {} full \
                     responses in a row",
                    e.lag_secs.unwrap_or(0.0),
                    e.full_batches
                ))
            }
            _ => None,
        }
    }
}
