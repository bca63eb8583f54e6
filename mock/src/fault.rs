//! The faults the mock injects, and their schedule.
//!
//! A fault is one [`Fault`] variant (with its parameters) and one arm in the
//! server's events handler, which is where its behaviour lives; token faults
//! are faults like the others. [`Faults`] says which happen on which events
//! request: each on every n-th one (counted over all clients), the first
//! listed winning when several fall on the same request.

use std::time::Duration;

/// A fault the mock injects into an events response (and logs, in
/// [`crate::LogEntry::fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `401 invalid_token` "token expired": the token used is past its
    /// lifetime and stays dead; the client's other tokens and a new one work.
    ExpireToken,
    /// `401 invalid_token` "token revoked": every token issued to the client
    /// so far stops working; a token requested afterwards works.
    RevokeToken,
    /// `429` with `Retry-After: retry_after_secs`.
    TooManyRequests {
        /// Seconds sent in `Retry-After`.
        retry_after_secs: u64,
    },
    /// `500`.
    ServerError,
    /// Events popped, then the connection drops halfway through the body.
    DropMidBody,
    /// Events popped and sent in a body that is not valid JSON.
    Malformed,
    /// Events popped and sent in a body padded with trailing spaces to
    /// `bytes` (still valid JSON; the padding is made as it is sent, never
    /// held in memory): a server that sends far more than it should.
    Oversize {
        /// The size of the body, in bytes.
        bytes: u64,
    },
    /// The answer waits `delay` before anything is popped.
    Slow {
        /// How long.
        delay: Duration,
    },
}

/// Which faults to inject: each on every n-th events request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    schedule: Vec<(Fault, u32)>,
}

impl Faults {
    /// `fault` on every `n`-th events request (never when `n` is 0).
    pub fn every(n: u32, fault: Fault) -> Self {
        Faults::default().and(n, fault)
    }

    /// Also `fault` on every `n`-th events request; the faults listed before
    /// it win on a request where several fall.
    #[must_use]
    pub fn and(mut self, n: u32, fault: Fault) -> Self {
        self.schedule.push((fault, n));
        self
    }

    /// The fault for events request number `request` (from 1), if any.
    pub fn pick(&self, request: u64) -> Option<Fault> {
        self.schedule
            .iter()
            .find(|(_, n)| *n > 0 && request % u64::from(*n) == 0)
            .map(|(fault, _)| *fault)
    }
}

impl FromIterator<(Fault, u32)> for Faults {
    fn from_iter<I: IntoIterator<Item = (Fault, u32)>>(schedule: I) -> Self {
        Faults {
            schedule: schedule.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_follow_the_schedule_first_wins() {
        let f = Faults::every(2, Fault::ServerError).and(3, Fault::DropMidBody);
        let got: Vec<_> = (1..=6).map(|n| f.pick(n)).collect();
        assert_eq!(
            got,
            [
                None,
                Some(Fault::ServerError),
                Some(Fault::DropMidBody),
                Some(Fault::ServerError),
                None,
                Some(Fault::ServerError)
            ]
        );
        let slow = Fault::Slow {
            delay: Duration::ZERO,
        };
        assert_eq!(Faults::every(0, slow).pick(5), None);
        // The order of the schedule decides, not the order of the variants.
        let f = Faults::every(2, Fault::DropMidBody).and(2, Fault::ExpireToken);
        assert_eq!(f.pick(4), Some(Fault::DropMidBody));
    }
}
