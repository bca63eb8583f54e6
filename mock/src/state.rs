//! The mock's shared state: one event stream per client, issued tokens, and the log.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::MockConfig;
use crate::fault::Fault;

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
    /// The client it was for: the one that got the token, or the one whose
    /// token an events request carried.
    pub client: Option<String>,
    /// The status answered (0 until known).
    pub status: u16,
    /// The events popped for it, exact bytes, in order.
    pub events: Vec<Vec<u8>>,
    /// The body sent with a `200` (an oversize body without its padding).
    pub body: Option<Vec<u8>>,
    /// The fault injected, if any.
    pub fault: Option<Fault>,
    /// Whether the whole response was handed to the HTTP stack.
    pub completed: bool,
}

/// Why a bearer token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenRefusal {
    Unknown,
    Expired,
    Revoked,
}

#[derive(Debug)]
struct IssuedToken {
    client: usize,
    /// `None`: a lifetime too long for the clock, so never.
    expires: Option<Instant>,
    revoked: bool,
}

/// One client's copy of the events, oldest first, with when each was queued.
#[derive(Debug, Default)]
struct Stream {
    queue: VecDeque<(Instant, Vec<u8>)>,
    dropped: u64,
}

impl Stream {
    /// Drops the events queued longer than `retention` ago (they sit in
    /// queueing order, so they are at the front).
    fn expire(&mut self, retention: Duration, now: Instant) {
        while let Some((at, _)) = self.queue.front() {
            if now.saturating_duration_since(*at) < retention {
                break;
            }
            self.queue.pop_front();
            self.dropped += 1;
        }
    }
}

#[derive(Debug)]
struct Inner {
    streams: Vec<Stream>,
    tokens: HashMap<String, IssuedToken>,
    tokens_issued: u64,
    events_requests: u64,
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
            streams: config.clients.iter().map(|_| Stream::default()).collect(),
            tokens: HashMap::new(),
            tokens_issued: 0,
            events_requests: 0,
            log: Vec::new(),
        };
        let state = Self {
            config,
            inner: Mutex::new(inner),
        };
        state.push(events);
        state
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the mock down with it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends `events` to every client's stream.
    pub(crate) fn push(&self, events: impl IntoIterator<Item = Vec<u8>>) {
        let events: Vec<Vec<u8>> = events.into_iter().collect();
        let now = Instant::now();
        let mut inner = self.lock();
        let n = inner.streams.len();
        for (i, stream) in inner.streams.iter_mut().enumerate() {
            if i + 1 == n {
                stream.queue.extend(events.into_iter().map(|e| (now, e)));
                break;
            }
            stream.queue.extend(events.iter().map(|e| (now, e.clone())));
        }
    }

    /// Events left in the stream of `client` (an id), or in all streams.
    pub(crate) fn remaining(&self, client: Option<&str>) -> usize {
        let retention = self.config.retention;
        let now = Instant::now();
        let mut inner = self.lock();
        let mut total = 0;
        for (i, stream) in inner.streams.iter_mut().enumerate() {
            if client.is_none_or(|id| self.config.clients[i].id == id) {
                stream.expire(retention, now);
                total += stream.queue.len();
            }
        }
        total
    }

    /// Events dropped undelivered, over all streams.
    pub(crate) fn dropped(&self) -> u64 {
        let retention = self.config.retention;
        let now = Instant::now();
        let mut inner = self.lock();
        inner
            .streams
            .iter_mut()
            .for_each(|s| s.expire(retention, now));
        inner.streams.iter().map(|s| s.dropped).sum()
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
            client: None,
            status: 0,
            events: Vec::new(),
            body: None,
            fault: None,
            completed: false,
        });
        seq
    }

    /// Records which client request `idx` was for.
    pub(crate) fn set_client(&self, idx: usize, client: usize) {
        let id = self.config.clients[client].id.clone();
        self.lock().log[idx].client = Some(id);
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

    /// A new token for client number `client`.
    pub(crate) fn issue_token(&self, client: usize) -> String {
        let token: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        let expires =
            Instant::now().checked_add(self.config.token_lifetime.max(Duration::from_millis(1)));
        let mut inner = self.lock();
        inner.tokens.insert(
            token.clone(),
            IssuedToken {
                client,
                expires,
                revoked: false,
            },
        );
        inner.tokens_issued += 1;
        token
    }

    /// The client a token was issued to, if it still works.
    pub(crate) fn check_token(&self, token: &str) -> Result<usize, TokenRefusal> {
        let inner = self.lock();
        let t = inner.tokens.get(token).ok_or(TokenRefusal::Unknown)?;
        if t.revoked {
            Err(TokenRefusal::Revoked)
        } else if t.expires.is_some_and(|at| Instant::now() >= at) {
            Err(TokenRefusal::Expired)
        } else {
            Ok(t.client)
        }
    }

    /// Ends `token`'s lifetime now.
    pub(crate) fn expire_token(&self, token: &str) {
        if let Some(t) = self.lock().tokens.get_mut(token) {
            t.expires = Some(Instant::now());
        }
    }

    /// Revokes every token issued to `client` so far.
    pub(crate) fn revoke_tokens(&self, client: usize) {
        for t in self.lock().tokens.values_mut() {
            if t.client == client {
                t.revoked = true;
            }
        }
    }

    /// Counts events request `idx` and picks (and logs) the fault for it, if any.
    pub(crate) fn next_fault(&self, idx: usize) -> Option<Fault> {
        let mut inner = self.lock();
        inner.events_requests = inner.events_requests.saturating_add(1);
        let fault = self.config.faults.pick(inner.events_requests);
        inner.log[idx].fault = fault;
        fault
    }

    /// Pops up to `n` events from `client`'s stream, after dropping those
    /// past the retention. One lock: concurrent requests never share an event.
    pub(crate) fn pop(&self, client: usize, n: usize) -> Vec<Vec<u8>> {
        let retention = self.config.retention;
        let mut inner = self.lock();
        let stream = &mut inner.streams[client];
        stream.expire(retention, Instant::now());
        let n = n.min(stream.queue.len());
        stream.queue.drain(..n).map(|(_, e)| e).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MockClient;

    fn two_clients(retention: Duration) -> State {
        let config = MockConfig {
            clients: vec![MockClient::new("a", "x"), MockClient::new("b", "y")],
            retention,
            ..MockConfig::default()
        };
        State::new(config, vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec()])
    }

    #[test]
    fn each_client_drains_its_own_copy() {
        let s = two_clients(Duration::from_secs(3600));
        assert_eq!(s.pop(0, 2), [b"1".to_vec(), b"2".to_vec()]);
        assert_eq!(s.remaining(Some("a")), 1);
        assert_eq!(s.remaining(Some("b")), 3);
        s.push([b"4".to_vec()]);
        assert_eq!(s.pop(1, 100).len(), 4);
        assert_eq!(s.pop(0, 100), [b"3".to_vec(), b"4".to_vec()]);
        assert_eq!(s.remaining(None), 0);
        assert_eq!(s.dropped(), 0);
    }

    #[test]
    fn events_past_the_retention_are_dropped_and_counted() {
        let s = two_clients(Duration::from_millis(30));
        assert_eq!(s.pop(0, 1), [b"1".to_vec()]);
        std::thread::sleep(Duration::from_millis(60));
        s.push([b"4".to_vec()]);
        assert_eq!(s.pop(0, 100), [b"4".to_vec()]);
        // Client a lost 2 and 3, client b lost 1, 2 and 3.
        assert_eq!(s.dropped(), 5);
        assert_eq!(s.remaining(Some("b")), 1);
    }

    #[test]
    fn expiry_kills_one_token_revocation_all_of_the_client() {
        let s = two_clients(Duration::from_secs(3600));
        let (a1, a2, b1) = (s.issue_token(0), s.issue_token(0), s.issue_token(1));
        s.expire_token(&a1);
        assert_eq!(s.check_token(&a1), Err(TokenRefusal::Expired));
        assert_eq!(s.check_token(&a2), Ok(0));
        s.revoke_tokens(0);
        assert_eq!(s.check_token(&a2), Err(TokenRefusal::Revoked));
        assert_eq!(s.check_token(&b1), Ok(1));
        let a3 = s.issue_token(0);
        assert_eq!(s.check_token(&a3), Ok(0));
        assert_eq!(s.check_token("nope"), Err(TokenRefusal::Unknown));
    }
}
