//! The mock's shared state: the event queue, issued tokens, and the log.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use super::{Faults, MockConfig};

/// Which endpoint a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `POST /oauth/token`.
    Token,
    /// `GET /api/v1/log_events_bulk`.
    Bulk,
    /// `GET /api/v1/log_events`.
    Single,
    /// Anything else (`404`).
    Other,
}

/// A fault the mock injected into a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `401`, token expired.
    ExpiredToken,
    /// `429` with `Retry-After`.
    TooManyRequests,
    /// `500`.
    ServerError,
    /// Connection dropped halfway through the body.
    DropMidBody,
    /// A body that is not valid JSON.
    Malformed,
    /// Answered after a delay.
    Slow,
}

/// One request and what the mock answered.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Arrival order, from 0.
    pub seq: u64,
    /// When it arrived.
    pub at: Instant,
    /// The endpoint.
    pub kind: RequestKind,
    /// The bearer token it carried, if any.
    pub token: Option<String>,
    /// The status answered (0 until known).
    pub status: u16,
    /// The events popped for it, exact bytes, in order.
    pub events: Vec<Vec<u8>>,
    /// The body sent with a `200`.
    pub body: Option<Vec<u8>>,
    /// The fault injected, if any.
    pub fault: Option<Fault>,
    /// Whether the whole response was handed to the HTTP stack.
    pub completed: bool,
}

#[derive(Debug)]
struct Inner {
    queue: VecDeque<Vec<u8>>,
    tokens: HashMap<String, Instant>,
    tokens_issued: u64,
    events_requests: u32,
    log: Vec<LogEntry>,
}

/// Shared by the server's tasks and the [`super::MockServer`] handle.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: MockConfig,
    inner: Mutex<Inner>,
}

impl State {
    pub(crate) fn new(config: MockConfig, events: Vec<Vec<u8>>) -> Self {
        let inner = Inner {
            queue: events.into(),
            tokens: HashMap::new(),
            tokens_issued: 0,
            events_requests: 0,
            log: Vec::new(),
        };
        Self {
            config,
            inner: Mutex::new(inner),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the mock down with it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn push(&self, events: impl IntoIterator<Item = Vec<u8>>) {
        self.lock().queue.extend(events);
    }

    pub(crate) fn remaining(&self) -> usize {
        self.lock().queue.len()
    }

    pub(crate) fn log(&self) -> Vec<LogEntry> {
        self.lock().log.clone()
    }

    pub(crate) fn tokens_issued(&self) -> u64 {
        self.lock().tokens_issued
    }

    /// Logs a new request; returns its index.
    pub(crate) fn begin(&self, kind: RequestKind, token: Option<String>) -> usize {
        let mut inner = self.lock();
        let seq = inner.log.len();
        inner.log.push(LogEntry {
            seq: seq as u64,
            at: Instant::now(),
            kind,
            token,
            status: 0,
            events: Vec::new(),
            body: None,
            fault: None,
            completed: false,
        });
        seq
    }

    /// Records the answer to request `idx`.
    pub(crate) fn answer(
        &self,
        idx: usize,
        status: u16,
        fault: Option<Fault>,
        events: Vec<Vec<u8>>,
        body: Option<Vec<u8>>,
    ) {
        let mut inner = self.lock();
        let e = &mut inner.log[idx];
        e.status = status;
        e.fault = fault;
        e.events = events;
        e.body = body;
        // Answers without a body to stream are complete as soon as they are made.
        e.completed = e.body.is_none();
    }

    pub(crate) fn mark_completed(&self, idx: usize) {
        self.lock().log[idx].completed = true;
    }

    pub(crate) fn issue_token(&self) -> String {
        let token: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        let expiry = Instant::now()
            + self
                .config
                .token_lifetime
                .max(std::time::Duration::from_millis(1));
        let mut inner = self.lock();
        inner.tokens.insert(token.clone(), expiry);
        inner.tokens_issued += 1;
        token
    }

    pub(crate) fn token_valid(&self, token: &str) -> bool {
        self.lock()
            .tokens
            .get(token)
            .is_some_and(|exp| Instant::now() < *exp)
    }

    pub(crate) fn expire_token(&self, token: &str) {
        self.lock().tokens.remove(token);
    }

    /// Counts events request `idx` and picks (and logs) the fault for it, if any.
    pub(crate) fn next_fault(&self, idx: usize) -> Option<Fault> {
        let mut inner = self.lock();
        inner.events_requests += 1;
        let fault = pick_fault(&self.config.faults, inner.events_requests);
        inner.log[idx].fault = fault;
        fault
    }

    /// Pops up to `n` events.
    pub(crate) fn pop(&self, n: usize) -> Vec<Vec<u8>> {
        let mut inner = self.lock();
        let n = n.min(inner.queue.len());
        inner.queue.drain(..n).collect()
    }
}

fn pick_fault(f: &Faults, n: u32) -> Option<Fault> {
    let hit = |every: Option<u32>| every.is_some_and(|e| e > 0 && n % e == 0);
    [
        (f.expired_token_every, Fault::ExpiredToken),
        (f.too_many_requests_every, Fault::TooManyRequests),
        (f.server_error_every, Fault::ServerError),
        (f.drop_mid_body_every, Fault::DropMidBody),
        (f.malformed_every, Fault::Malformed),
        (f.slow_every, Fault::Slow),
    ]
    .into_iter()
    .find(|(every, _)| hit(*every))
    .map(|(_, fault)| fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_follow_the_schedule_first_wins() {
        let f = Faults {
            server_error_every: Some(2),
            drop_mid_body_every: Some(3),
            ..Default::default()
        };
        let got: Vec<_> = (1..=6).map(|n| pick_fault(&f, n)).collect();
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
        assert_eq!(
            pick_fault(
                &Faults {
                    slow_every: Some(0),
                    ..Default::default()
                },
                5
            ),
            None
        );
    }
}
