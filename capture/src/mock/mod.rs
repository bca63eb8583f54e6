//! A mock of the Log Events API on loopback, with switchable faults.
//!
//! It behaves like the real service as far as a consumer can see: a token
//! endpoint checking HTTP Basic client credentials and the `api_access`
//! scope, tokens that expire, and bulk and single endpoints that *pop*
//! events from a queue (reads are destructive), answering `204` after a
//! configurable wait when the queue stays empty. Faults are injected on a
//! deterministic schedule (every n-th events request), so a test knows what
//! happened, and every response is logged with the events it carried and
//! whether its body was handed over whole ([`LogEntry::completed`]).
//!
//! It is a hyper server on a single-threaded tokio runtime in a thread of
//! its own: dropping a connection mid-body is a body stream that fails after
//! its first half (hyper then aborts the connection, as a real server would
//! when it dies), and slow responses are timers, not blocked threads.
//!
//! A request whose client hangs up while the mock is still waiting (a slow
//! response, a long poll) is dropped by hyper before anything is popped: its
//! log entry keeps status 0 and no events, like a real server that noticed.
//!
//! "Completed" means the whole body was handed to the HTTP stack; the mock
//! cannot see what the client's kernel received. Tests that kill the client
//! therefore judge by the next request instead (see `capture/tests`).

mod body;
mod generate;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use generate::generate;
pub use state::{Fault, LogEntry, RequestKind};

/// Which faults to inject, each on every n-th request to an events endpoint.
///
/// When several would apply to the same request, the first in field order wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Answer `401` and expire the token used.
    pub expired_token_every: Option<u32>,
    /// Answer `429` with `Retry-After: retry_after_secs`.
    pub too_many_requests_every: Option<u32>,
    /// Seconds sent in `Retry-After`.
    pub retry_after_secs: u64,
    /// Answer `500`.
    pub server_error_every: Option<u32>,
    /// Pop events, then drop the connection halfway through the body.
    pub drop_mid_body_every: Option<u32>,
    /// Pop events, then send them in a body that is not valid JSON.
    pub malformed_every: Option<u32>,
    /// Wait `slow_delay` before answering (before popping anything).
    pub slow_every: Option<u32>,
    /// The delay of a slow response.
    pub slow_delay: Duration,
}

/// How the mock behaves.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Address to listen on; loopback with an ephemeral port by default.
    pub bind: SocketAddr,
    /// The client id the token endpoint accepts.
    pub client_id: String,
    /// The client secret the token endpoint accepts.
    pub client_secret: String,
    /// When false, the client is not granted `api_access` (`403 invalid_scope`).
    pub grant_scope: bool,
    /// Lifetime of issued tokens (sent as whole seconds in `expires_in`, at least 1).
    pub token_lifetime: Duration,
    /// How long an events request waits for events before answering `204`.
    pub empty_wait: Duration,
    /// Faults to inject.
    pub faults: Faults,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            client_id: "mock-client".into(),
            client_secret: "mock-secret".into(),
            grant_scope: true,
            token_lifetime: Duration::from_secs(7200),
            empty_wait: Duration::from_secs(20),
            faults: Faults::default(),
        }
    }
}

/// A running mock; stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<state::State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockServer {
    /// Starts a mock serving `events` (each the exact bytes of one event).
    pub fn start(config: MockConfig, events: Vec<Vec<u8>>) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(state::State::new(config, events));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("aperture-mock".into())
            .spawn(move || {
                runtime.block_on(server::serve(listener, thread_state, rx));
            })?;
        Ok(Self {
            addr,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, for `--base-url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds events to the end of the queue.
    pub fn push_events(&self, events: impl IntoIterator<Item = Vec<u8>>) {
        self.state.push(events);
    }

    /// Events not handed out yet.
    pub fn remaining(&self) -> usize {
        self.state.remaining()
    }

    /// Every request so far, in arrival order.
    pub fn log(&self) -> Vec<LogEntry> {
        self.state.log()
    }

    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.state.tokens_issued()
    }

    /// Stops serving and waits for the server thread.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}
