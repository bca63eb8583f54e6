//! One request for events, with the token handled.
//!
//! [`Client::fetch`] sends one `GET` to the bulk or the single endpoint and
//! returns the body's bytes untouched (or [`Fetched::Drained`] on `204`). On
//! a `401` it throws the token away, gets a new one and tries once more; a
//! second `401` is an error. It never retries anything else itself: the
//! capture loop decides that with [`crate::retry`], after it has stored what
//! came back.
//!
//! The body is read into our own buffer rather than with a helper that
//! discards it on error, so the bytes of a body cut off mid-way can still
//! be saved.

use std::io::Read;
use std::time::SystemTime;

use crate::batch::BodyKind;
use crate::config::{CaptureConfig, Endpoint};
use crate::credentials::Credentials;
use crate::error::{ApiError, excerpt, from_ureq};
use crate::retry::parse_retry_after;
use crate::token::TokenSource;

/// Largest body accepted (100 events of a few KiB each is far below this).
const MAX_BODY: usize = 256 << 20;

/// What one request brought.
#[derive(Debug)]
pub enum Fetched {
    /// A `200` body, as received.
    Body(Vec<u8>),
    /// `204 No Content`: nothing to hand out right now.
    Drained,
}

/// The API client.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    base_url: String,
    endpoint: Endpoint,
    tokens: TokenSource,
}

impl Client {
    /// A client for `config`, authenticating with `credentials`.
    pub fn new(config: &CaptureConfig, credentials: Credentials) -> Self {
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_recv_response(Some(config.timeout))
            .timeout_recv_body(Some(config.timeout))
            .timeout_send_request(Some(config.connect_timeout))
            .user_agent(concat!("aperture-capture/", env!("CARGO_PKG_VERSION")))
            .tls_config(config.connect.tls_config())
            .build();
        let agent = config.connect.agent(agent_config);
        let tokens = TokenSource::new(agent.clone(), &config.base_url, credentials);
        Self {
            agent,
            base_url: config.base_url.clone(),
            endpoint: config.endpoint,
            tokens,
        }
    }

    /// How the bodies this client fetches are split into events.
    pub fn body_kind(&self) -> BodyKind {
        match self.endpoint {
            Endpoint::Bulk { .. } => BodyKind::Bulk,
            Endpoint::Single => BodyKind::Single,
        }
    }

    /// How many access tokens were fetched so far.
    pub fn tokens_fetched(&self) -> u64 {
        self.tokens.fetched()
    }

    /// The URL of the next request, asking for at most `size` events.
    pub fn url(&self, size: u32) -> String {
        match self.endpoint {
            Endpoint::Bulk { .. } => {
                format!("{}/api/v1/log_events_bulk?size={size}", self.base_url)
            }
            Endpoint::Single => format!("{}/api/v1/log_events", self.base_url),
        }
    }

    /// One request for at most `size` events (the single endpoint ignores `size`).
    pub fn fetch(&mut self, size: u32) -> Result<Fetched, ApiError> {
        let url = self.url(size);
        let place = format!("GET {url}");
        let mut refreshed = false;
        loop {
            let token = self.tokens.bearer()?;
            let resp = self
                .agent
                .get(&url)
                .header("Authorization", format!("Bearer {}", token.expose()))
                .header("Accept", "application/json")
                .call()
                .map_err(|e| from_ureq(&place, e))?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            let body = read_body(&place, resp.into_body())?;
            let redact = |b: &[u8]| token.redact(&excerpt(b, 200));
            return match status {
                200 => Ok(Fetched::Body(body)),
                204 => Ok(Fetched::Drained),
                401 if !refreshed => {
                    self.tokens.invalidate();
                    refreshed = true;
                    continue;
                }
                401 => Err(ApiError::Fatal(format!(
                    "{place}: unauthorized (401) even with a fresh token: {}",
                    redact(&body)
                ))),
                403 => Err(ApiError::Fatal(format!(
                    "{place}: forbidden (403): the token lacks scope api_access or the client may not read log events: {}",
                    redact(&body)
                ))),
                429 => Err(ApiError::Transient {
                    cause: format!("{place}: too many requests (429)"),
                    retry_after,
                    partial: None,
                }),
                500..=599 => Err(ApiError::Transient {
                    cause: format!("{place}: server error ({status}): {}", redact(&body)),
                    retry_after,
                    partial: None,
                }),
                _ => Err(ApiError::Fatal(format!(
                    "{place}: unexpected status {status}: {}",
                    redact(&body)
                ))),
            };
        }
    }
}

/// Reads a whole body into a buffer; on failure the bytes so far go with the error.
fn read_body(place: &str, body: ureq::Body) -> Result<Vec<u8>, ApiError> {
    let mut reader = body.into_reader();
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return Ok(buf),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > MAX_BODY {
                    return Err(ApiError::Fatal(format!(
                        "{place}: body larger than {MAX_BODY} bytes"
                    )));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let got = buf.len();
                return Err(ApiError::Transient {
                    cause: format!("{place}: connection lost mid-body after {got} bytes: {e}"),
                    retry_after: None,
                    partial: (!buf.is_empty()).then_some(buf),
                });
            }
        }
    }
}
