//! When to try again after a failed request, and how long to wait.
//!
//! Transient failures (`429`, `5xx`, timeouts, refused or dropped
//! connections) are retried with capped exponential backoff and "equal
//! jitter": the n-th consecutive failure waits between half and all of
//! `min(cap, base * 2^(n-1))`, so many clients restarted together spread
//! out. A `Retry-After` from the server wins: it is waited for in full
//! (plus up to a tenth more, as jitter), up to `max_retry_after`.
//!
//! # What a retry can and cannot recover
//!
//! A retry is a *new* request: the API has no cursor and reads are
//! destructive, so no request is ever repeated to get "the same" batch
//! again. A batch that arrived complete is written before any further
//! request and is never asked for twice; a retry is only ever needed after
//! a request that delivered no complete batch. If the connection dropped (or
//! timed out) mid-body, the server has already handed those events out and
//! they cannot be asked for again: that is the API's design. The bytes that
//! did arrive are saved to the rejects directory, and the loss is reported.

use std::time::{Duration, SystemTime};

/// Backoff settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay before the first retry (before jitter).
    pub base: Duration,
    /// Longest delay between two attempts (before jitter).
    pub cap: Duration,
    /// Consecutive failures after which the capture gives up; 0 means never.
    pub max_failures: u32,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_failures: 10,
            max_retry_after: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt, after `failures` consecutive failures (≥ 1).
    pub fn delay(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            let ra = ra.min(self.max_retry_after);
            return ra + ra.mul_f64(fastrand::f64() * 0.1);
        }
        let shift = failures.saturating_sub(1).min(30);
        let exp = self.base.saturating_mul(1u32 << shift).min(self.cap);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// Whether `failures` consecutive failures mean giving up.
    pub fn exhausted(&self, failures: u32) -> bool {
        self.max_failures != 0 && failures >= self.max_failures
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(when.timestamp()).ok()?);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
            ..Default::default()
        };
        for _ in 0..100 {
            let d1 = p.delay(1, None);
            assert!(
                d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
                "{d1:?}"
            );
            let d3 = p.delay(3, None);
            assert!(
                d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400),
                "{d3:?}"
            );
            let d40 = p.delay(40, None);
            assert!(
                d40 >= Duration::from_millis(500) && d40 <= Duration::from_millis(1000),
                "{d40:?}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_in_full_and_capped() {
        let p = RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..Default::default()
        };
        for _ in 0..100 {
            let d = p.delay(1, Some(Duration::from_secs(2)));
            assert!(
                d >= Duration::from_secs(2) && d <= Duration::from_millis(2200),
                "{d:?}"
            );
            let d = p.delay(1, Some(Duration::from_secs(99)));
            assert!(
                d >= Duration::from_secs(5) && d <= Duration::from_millis(5500),
                "{d:?}"
            );
        }
    }

    #[test]
    fn parses_retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767); // Sun, 06 Nov 1994 08:49:27 GMT
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn gives_up_only_when_bounded() {
        let p = RetryPolicy {
            max_failures: 3,
            ..Default::default()
        };
        assert!(!p.exhausted(2));
        assert!(p.exhausted(3));
        let forever = RetryPolicy {
            max_failures: 0,
            ..Default::default()
        };
        assert!(!forever.exhausted(u32::MAX));
    }
}
