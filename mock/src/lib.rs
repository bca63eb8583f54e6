//! A mock of the Log Events API on loopback, with switchable faults.
//!
//! It behaves like the real service as far as a consumer can see: a token
//! endpoint accepting every request shape published clients send (see
//! [`oauth`]), tokens that expire, and bulk and single endpoints that *pop*
//! events from the calling client's own stream (reads are destructive),
//! answering `204` after a configurable wait when the stream stays empty.
//! Every configured client ([`MockClient`]) gets its own copy of every event;
//! events not delivered within [`MockConfig::retention`] are dropped and
//! counted, as the API drops them after about an hour. Faults are injected on
//! a deterministic schedule (every n-th events request), so a test knows what
//! happened, and every response is logged with the events it carried and
//! whether its body was handed over whole ([`LogEntry::completed`]).
//!
//! It is a hyper server on a single-threaded tokio runtime in a thread of
//! its own, over plain TCP or (with [`MockConfig::tls`]) TLS with a
//! certificate made at start: dropping a connection mid-body is a
//! body stream that fails after its first half (hyper then aborts the
//! connection, as a real server would when it dies), and slow responses are
//! timers, not blocked threads.
//!
//! A request whose client hangs up while the mock is still waiting (a slow
//! response, a long poll) is dropped by hyper before anything is popped: its
//! log entry keeps status 0 and no events, like a real server that noticed.
//!
//! "Completed" means the whole body was handed to the HTTP stack; the mock
//! cannot see what the client's kernel received. Tests that kill the client
//! therefore judge by the next request instead (see `capture/tests`).

mod body;
mod fault;
mod generate;
pub mod oauth;
mod server;
mod state;
mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use fault::{Fault, Faults};
pub use generate::{generate, generate_at};
pub use state::{LogEntry, RequestKind};

/// An API client the token endpoint knows: its credentials name its stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockClient {
    /// The client id.
    pub id: String,
    /// The client secret (a test value, not a real secret).
    pub secret: String,
}

impl MockClient {
    /// A client with these credentials.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

/// How the mock behaves.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Address to listen on; loopback with an ephemeral port by default.
    pub bind: SocketAddr,
    /// The clients the token endpoint accepts, each with its own event stream.
    pub clients: Vec<MockClient>,
    /// When false, no client is granted `api_access` (`400 invalid_scope`).
    pub grant_scope: bool,
    /// Accept only the documented token request (see [`oauth`]).
    pub strict_token_requests: bool,
    /// Lifetime of issued tokens (sent as whole seconds in `expires_in`, at least 1).
    pub token_lifetime: Duration,
    /// Events not delivered this long after they were queued are dropped.
    pub retention: Duration,
    /// How long an events request waits for events before answering `204`.
    pub empty_wait: Duration,
    /// Serve HTTPS with a certificate made at start ([`MockServer::ca_pem`]).
    pub tls: bool,
    /// Faults to inject.
    pub faults: Faults,
    /// New events arriving per second while the mock runs (0: none), each
    /// stamped with the time it arrived, numbered after the events it
    /// started with: a queue that fills as the real one does.
    pub arrival_rate: u32,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            clients: vec![MockClient::new("mock-client", "mock-secret")],
            grant_scope: true,
            strict_token_requests: false,
            token_lifetime: Duration::from_secs(7200),
            retention: Duration::from_secs(3600),
            empty_wait: Duration::from_secs(20),
            tls: false,
            faults: Faults::default(),
            arrival_rate: 0,
        }
    }
}

/// A running mock; stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    ca_pem: Option<String>,
    state: Arc<state::State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockServer {
    /// Starts a mock serving `events` (each the exact bytes of one event) to
    /// every client.
    pub fn start(config: MockConfig, events: Vec<Vec<u8>>) -> std::io::Result<Self> {
        if config.clients.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the mock needs at least one client",
            ));
        }
        let (acceptor, ca_pem) = if config.tls {
            let made = tls::Certificates::generate().map_err(std::io::Error::other)?;
            let acceptor = made.acceptor().map_err(std::io::Error::other)?;
            (Some(acceptor), Some(made.ca_pem))
        } else {
            (None, None)
        };
        let listener = std::net::TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let first_arrival = events.len() as u64 + 1;
        let arrival_rate = config.arrival_rate;
        let state = Arc::new(state::State::new(config, events));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("aperture-mock".into())
            .spawn(move || {
                runtime.block_on(async move {
                    if arrival_rate > 0 {
                        let state = Arc::clone(&thread_state);
                        tokio::spawn(arrive(state, arrival_rate, first_arrival));
                    }
                    server::serve(listener, acceptor, thread_state, rx).await;
                });
            })?;
        Ok(Self {
            addr,
            ca_pem,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>` (`https://` with TLS), for `--base-url`.
    pub fn base_url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// With TLS: the PEM of the CA certificate that signed the server's
    /// certificate, for a client to trust.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Adds events to the end of every client's stream.
    pub fn push_events(&self, events: impl IntoIterator<Item = Vec<u8>>) {
        self.state.push(events);
    }

    /// Events not handed out yet (nor dropped), summed over all clients' streams.
    pub fn remaining(&self) -> usize {
        self.state.remaining(None)
    }

    /// Events in client `client_id`'s stream not handed out yet (nor dropped).
    pub fn remaining_for(&self, client_id: &str) -> usize {
        self.state.remaining(Some(client_id))
    }

    /// Events dropped because they were not delivered within the retention,
    /// summed over all clients' streams.
    pub fn dropped_undelivered(&self) -> u64 {
        self.state.dropped()
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

/// Pushes `rate` new events a second, in tenths of a second, numbered from `first`.
async fn arrive(state: Arc<state::State>, rate: u32, mut first: u64) {
    let started = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut pushed = 0u64;
    loop {
        tick.tick().await;
        // As many as are due by now: the rate holds even when a tick is late.
        let due = (started.elapsed().as_secs_f64() * f64::from(rate)) as u64;
        let count = due.saturating_sub(pushed);
        if count > 0 {
            state.push(generate::generate_at(
                first,
                count,
                std::time::SystemTime::now(),
            ));
            first += count;
            pushed += count;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}
