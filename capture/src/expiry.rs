//! How close the drain is to losing events: an estimate from what a
//! capture can see.
//!
//! The API's queue is destructive and keeps an undelivered event about an
//! hour ([`DEFAULT_RETENTION`]); its depth is not visible. Its pressure is:
//!
//! - **full batches**: a bulk response with as many events as were asked
//!   for says more were waiting; a short one (or a `204`) says the queue
//!   was emptied;
//! - **the lag**: now minus the `timestamp` of the newest event read. The
//!   queue hands events out oldest first, so the event read last is the
//!   one that waited longest among those read; while the queue is
//!   drained faster than it fills, the lag stays near the API's own delay,
//!   and when it fills faster, the lag grows;
//! - **the rates**: events read per second (the drain), and how fast the
//!   lag grows. While batches are full, a lag growing by `g` seconds a
//!   second means events arrive at about `drain / (1 - g)` a second.
//!
//! An event expires when it has waited the retention unread; the event at
//! the front of the queue has waited at least the lag. So with the lag at
//! the retention, events are being lost. The estimate warns
//! ([`Estimate::at_risk`]) when batches have been full for
//! [`FULL_BATCHES`] responses in a row and the lag has reached
//! [`WARN_FRACTION`] of the retention, and stops warning when a batch
//! comes back short (the queue was emptied) or the lag falls back under
//! [`CLEAR_FRACTION`] of it.
//!
//! # Why these thresholds
//! In the experiment against the mock (`capture/tests/expiry.rs`:
//! arrival four times faster than the drain, a retention of 20 s) the lag
//! grows by 0.75 s a second and the first event is dropped when it reaches
//! the retention; warning at half the retention gave 13 s of notice of 27,
//! which at the API's hour is half an hour. The lag grows by less than a
//! second a second whatever the rates (the drain never runs backwards), so
//! half the retention always leaves at least half of it before the first
//! loss. Three full batches in a row keep a single burst from warning.
//!
//! # Limits
//! The lag counts from the event's own `timestamp`, which the vendor
//! stamps before the event is queued: a vendor-side delay, or a clock
//! skew between the vendor and this machine, adds to it. Events read from
//! the single endpoint never make a "full batch" of more than one, so the
//! estimate warns on the lag alone there. The retention is the API's
//! documented "about an hour": set `--retention-secs` if yours differs.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

/// How long the API keeps an undelivered event (about an hour).
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(3600);

/// The warning's lag threshold, as a fraction of the retention.
pub const WARN_FRACTION: f64 = 0.5;

/// Below this fraction of the retention, a lag no longer warns.
pub const CLEAR_FRACTION: f64 = 0.4;

/// A newest event older than this fraction of the retention is not taken
/// as a queue's age (see [`Estimator::batch`]).
pub const PLAUSIBLE_FRACTION: f64 = 1.5;

/// Full batches in a row before the lag may warn.
pub const FULL_BATCHES: u32 = 3;

/// The model's inputs and what it concludes, at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Estimate {
    /// Seconds since the `timestamp` of the newest event read (`None` before
    /// one with a timestamp was read).
    pub lag_secs: Option<f64>,
    /// Full batches in a row (0 after a short one or a `204`).
    pub full_batches: u32,
    /// Seconds since the first of those full batches.
    pub full_for_secs: f64,
    /// Events read per second, over the recent window.
    pub drain_rate: f64,
    /// How many seconds the lag grows per second, over the recent window.
    pub lag_growth: Option<f64>,
    /// Events arriving per second, estimated while batches are full.
    pub arrival_rate: Option<f64>,
    /// Seconds until the lag reaches the retention at the current growth
    /// (`None` when it is not growing): when events start to expire.
    pub secs_to_expiry: Option<f64>,
    /// Whether events will expire before they are read, by the model.
    pub at_risk: bool,
}

/// The running estimate of one capture.
#[derive(Debug)]
pub struct Estimator {
    retention: Duration,
    window: Duration,
    full_batches: u32,
    full_since: Option<Instant>,
    /// When the newest event read was stamped, as an instant of this clock.
    newest: Option<SystemTime>,
    /// `(when, lag, events read so far)`, over the window.
    samples: VecDeque<(Instant, f64, u64)>,
    events: u64,
    at_risk: bool,
}

impl Estimator {
    /// An estimator for an API that keeps undelivered events `retention`.
    pub fn new(retention: Duration) -> Self {
        Self {
            retention,
            // Long enough to smooth the timestamps' whole seconds, short
            // enough to follow a change well before the retention is over.
            window: (retention / 12).max(Duration::from_secs(5)),
            full_batches: 0,
            full_since: None,
            newest: None,
            samples: VecDeque::new(),
            events: 0,
            at_risk: false,
        }
    }

    /// The retention it assumes.
    pub fn retention(&self) -> Duration {
        self.retention
    }

    /// A response of `got` events to a request for `asked`, whose newest
    /// event (the last line) was stamped `newest` (if it had a timestamp).
    pub fn batch(
        &mut self,
        now: Instant,
        wall: SystemTime,
        asked: u32,
        got: usize,
        newest: Option<SystemTime>,
    ) -> Estimate {
        self.events += got as u64;
        // An event cannot have waited in the queue much past the retention:
        // a timestamp older than that says when the event happened, not
        // when it was queued (a replay, a fixed test date, a skewed clock).
        let plausible = |t: &SystemTime| {
            wall.duration_since(*t).map_or(true, |age| {
                age.as_secs_f64() <= PLAUSIBLE_FRACTION * self.retention.as_secs_f64()
            })
        };
        if let Some(t) = newest.filter(plausible) {
            self.newest = Some(self.newest.map_or(t, |n| n.max(t)));
        }
        if got > 0 && got >= asked as usize {
            self.full_batches = self.full_batches.saturating_add(1);
            self.full_since.get_or_insert(now);
        } else {
            self.full_batches = 0;
            self.full_since = None;
        }
        self.sample(now, wall)
    }

    /// The estimate now, with nothing new read (called while waiting, so
    /// that a stalled drain shows its lag growing).
    pub fn tick(&mut self, now: Instant, wall: SystemTime) -> Estimate {
        self.sample(now, wall)
    }

    fn sample(&mut self, now: Instant, wall: SystemTime) -> Estimate {
        let lag = self
            .newest
            .map(|t| wall.duration_since(t).map_or(0.0, |d| d.as_secs_f64()));
        if let Some(lag) = lag {
            self.samples.push_back((now, lag, self.events));
        }
        while self
            .samples
            .front()
            .is_some_and(|(t, _, _)| now.saturating_duration_since(*t) > self.window)
        {
            self.samples.pop_front();
        }
        let retention = self.retention.as_secs_f64();
        let (drain_rate, lag_growth) = match (self.samples.front(), self.samples.back()) {
            (Some(first), Some(last)) => {
                let dt = last.0.saturating_duration_since(first.0).as_secs_f64();
                // Half a window at least, so that whole-second timestamps do not swing it.
                if dt >= self.window.as_secs_f64() / 2.0 {
                    (
                        (last.2 - first.2) as f64 / dt,
                        Some((last.1 - first.1) / dt),
                    )
                } else {
                    (0.0, None)
                }
            }
            _ => (0.0, None),
        };
        let full = self.full_batches >= FULL_BATCHES;
        let arrival_rate = lag_growth
            .filter(|g| full && *g < 1.0)
            .map(|g| drain_rate / (1.0 - g.max(0.0)));
        let secs_to_expiry = match (lag, lag_growth) {
            (Some(lag), Some(g)) if g > 0.0 => Some(((retention - lag) / g).max(0.0)),
            (Some(lag), _) if lag >= retention => Some(0.0),
            _ => None,
        };
        self.at_risk = match lag {
            Some(lag) if full && lag >= WARN_FRACTION * retention => true,
            Some(lag) if self.at_risk && self.full_batches > 0 => lag >= CLEAR_FRACTION * retention,
            _ => false,
        };
        Estimate {
            lag_secs: lag,
            full_batches: self.full_batches,
            full_for_secs: self
                .full_since
                .map_or(0.0, |t| now.saturating_duration_since(t).as_secs_f64()),
            drain_rate,
            lag_growth,
            arrival_rate,
            secs_to_expiry,
            at_risk: self.at_risk,
        }
    }
}

/// The `timestamp` of an event line (RFC 3339), if it has one.
pub fn timestamp(line: &[u8]) -> Option<SystemTime> {
    #[derive(serde::Deserialize)]
    struct Stamped<'a> {
        #[serde(borrow)]
        timestamp: Option<std::borrow::Cow<'a, str>>,
    }
    let stamped: Stamped<'_> = serde_json::from_slice(line).ok()?;
    let at = chrono::DateTime::parse_from_rfc3339(&stamped.timestamp?).ok()?;
    let secs = u64::try_from(at.timestamp()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, at.timestamp_subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives an estimator with a queue the drain reads `drain` events a
    /// second from (in batches of 100), events arriving `arrival` a second,
    /// for `secs` seconds; returns the first second it warned, if it did,
    /// and the second the first event expired, if one did.
    fn simulate(arrival: f64, drain: f64, retention: u64, secs: u64) -> (Option<f64>, Option<f64>) {
        let start = Instant::now();
        let wall0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut e = Estimator::new(Duration::from_secs(retention));
        let (mut read, mut warned, mut dropped) = (0f64, None, None);
        let step = 100.0 / drain;
        let mut t = step;
        while t < secs as f64 {
            let arrived = arrival * t;
            let got = (arrived - read).clamp(0.0, 100.0).floor();
            read += got;
            // The newest event read arrived when `read` events had arrived, stamped in whole seconds.
            let stamped = (read / arrival).floor();
            if dropped.is_none() && t - read / arrival >= retention as f64 {
                dropped = Some(t);
            }
            let est = e.batch(
                start + Duration::from_secs_f64(t),
                wall0 + Duration::from_secs_f64(t),
                100,
                got as usize,
                Some(wall0 + Duration::from_secs_f64(stamped)),
            );
            if est.at_risk && warned.is_none() {
                warned = Some(t);
            }
            t += step;
        }
        (warned, dropped)
    }

    #[test]
    fn it_warns_well_before_the_first_loss_when_arrival_outruns_the_drain() {
        for (arrival, drain) in [(1600.0, 400.0), (800.0, 400.0), (440.0, 400.0)] {
            let (warned, dropped) = simulate(arrival, drain, 3600, 50_000);
            let (warned, dropped) = (warned.expect("warned"), dropped.expect("dropped"));
            assert!(
                dropped - warned >= 0.4 * 3600.0,
                "{arrival}/{drain}: warned at {warned}s, first loss at {dropped}s"
            );
        }
    }

    #[test]
    fn it_does_not_warn_while_the_drain_keeps_up() {
        let (warned, dropped) = simulate(300.0, 400.0, 60, 600);
        assert_eq!((warned, dropped), (None, None));
    }

    #[test]
    fn inputs_are_estimated() {
        let start = Instant::now();
        let wall0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut e = Estimator::new(Duration::from_secs(120));
        let mut est = Estimate::default();
        // 100 events every 0.5 s (200/s); the newest read is 1 s older each second than the last.
        for i in 1..=40u64 {
            let t = Duration::from_millis(500 * i);
            let stamped = wall0 + t / 2;
            est = e.batch(start + t, wall0 + t, 100, 100, Some(stamped));
        }
        assert_eq!(est.full_batches, 40);
        assert!((est.drain_rate - 200.0).abs() < 1.0, "{est:?}");
        let g = est.lag_growth.expect("growth");
        assert!((g - 0.5).abs() < 0.01, "{est:?}");
        assert!(
            (est.arrival_rate.expect("arrival") - 400.0).abs() < 5.0,
            "{est:?}"
        );
        assert!((est.lag_secs.expect("lag") - 10.0).abs() < 0.01);
        // (120 - 10) / 0.5
        assert!(
            (est.secs_to_expiry.expect("eta") - 220.0).abs() < 1.0,
            "{est:?}"
        );
        assert!(!est.at_risk);
        // A short batch: the queue was emptied.
        let est = e.batch(
            start + Duration::from_secs(21),
            wall0 + Duration::from_secs(21),
            100,
            3,
            None,
        );
        assert_eq!((est.full_batches, est.full_for_secs), (0, 0.0));
    }

    #[test]
    fn a_stalled_drain_after_full_batches_warns_as_the_lag_grows() {
        let start = Instant::now();
        let wall0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut e = Estimator::new(Duration::from_secs(60));
        for i in 1..=3u64 {
            let t = Duration::from_secs(i);
            assert!(
                !e.batch(start + t, wall0 + t, 100, 100, Some(wall0 + t))
                    .at_risk
            );
        }
        // Nothing read (the API fails); the newest event read gets older.
        assert!(
            !e.tick(
                start + Duration::from_secs(30),
                wall0 + Duration::from_secs(30)
            )
            .at_risk
        );
        let est = e.tick(
            start + Duration::from_secs(34),
            wall0 + Duration::from_secs(34),
        );
        assert!(est.at_risk, "{est:?}");
        // A short batch clears it.
        let t = Duration::from_secs(35);
        assert!(
            !e.batch(start + t, wall0 + t, 100, 5, Some(wall0 + t))
                .at_risk
        );
    }

    #[test]
    fn timestamps_older_than_any_queue_keeps_are_ignored() {
        let start = Instant::now();
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut e = Estimator::new(Duration::from_secs(60));
        for i in 1..=5u64 {
            let at = start + Duration::from_secs(i);
            let stale = wall - Duration::from_secs(91);
            let est = e.batch(at, wall, 100, 100, Some(stale));
            assert_eq!((est.lag_secs, est.at_risk), (None, false));
        }
        let est = e.batch(
            start + Duration::from_secs(6),
            wall,
            100,
            100,
            Some(wall - Duration::from_secs(89)),
        );
        assert_eq!((est.lag_secs, est.at_risk), (Some(89.0), true));
    }

    #[test]
    fn timestamps_are_read_with_their_offset() {
        let t = timestamp(br#"{"log_type":"x","timestamp":"2024-05-09T01:00:00.250+01:00"}"#)
            .expect("time");
        let secs = t.duration_since(SystemTime::UNIX_EPOCH).expect("after");
        assert_eq!(secs, Duration::new(1_715_212_800, 250_000_000));
        assert_eq!(timestamp(br#"{"log_type":"x"}"#), None);
        assert_eq!(timestamp(b"not json"), None);
        assert_eq!(timestamp(br#"{"timestamp":"yesterday"}"#), None);
    }
}
