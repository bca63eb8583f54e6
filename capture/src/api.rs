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
//! be saved. A body larger than the limit (`max_body`) is not dropped: what
//! was read so far and everything after it is streamed to a `*.partial` file
//! in the rejects directory as it arrives.
//!
//! Redirects are never followed: a `3xx` is an error naming its `Location`
//! and its body is thrown away, so another host's answer can never be
//! journaled as events and credentials never follow a redirect. Every piece
//! of a server's text in an error goes through the run's [`Redactor`].

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::SystemTime;

use crate::batch::BodyKind;
use crate::config::{CaptureConfig, Endpoint};
use crate::credentials::Credentials;
use crate::error::{ApiError, FailureKind, from_ureq, redirect};
use crate::redact::Redactor;
use crate::rejects::{RejectKind, Rejects};
use crate::retry::parse_retry_after;
use crate::token::TokenSource;

/// What one request brought.
#[derive(Debug)]
pub enum Fetched {
    /// A `200` body, as received.
    Body(Vec<u8>),
    /// `204 No Content`: nothing to hand out right now.
    Drained,
    /// A `200` body over the size limit, streamed whole to a `*.partial` file.
    Oversize {
        /// Where it is.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
}

/// The API client.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    base_url: String,
    endpoint: Endpoint,
    tokens: TokenSource,
    redactor: Redactor,
    max_body: usize,
}

impl Client {
    /// A client for `config`, authenticating with `credentials`; their
    /// secret and every token are added to `redactor`.
    pub fn new(config: &CaptureConfig, credentials: Credentials, redactor: Redactor) -> Self {
        // The proxy was checked against the target when the configuration
        // was built (see `crate::proxy`); never let ureq read the environment.
        let proxy = config
            .proxy
            .as_deref()
            .and_then(|p| ureq::Proxy::new(p).ok());
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(proxy)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_recv_response(Some(config.timeout))
            .timeout_recv_body(Some(config.timeout))
            .timeout_send_request(Some(config.connect_timeout))
            .user_agent(concat!("aperture-capture/", env!("CARGO_PKG_VERSION")))
            .tls_config(config.connect.tls_config())
            .build();
        let agent = config.connect.agent(agent_config);
        let tokens = TokenSource::new(
            agent.clone(),
            &config.base_url,
            credentials,
            redactor.clone(),
        );
        Self {
            agent,
            base_url: config.base_url.clone(),
            endpoint: config.endpoint,
            tokens,
            redactor,
            max_body: config.max_body,
        }
    }

    /// How the bodies this client fetches are split into events.
    pub fn body_kind(&self) -> BodyKind {
        match self.endpoint {
            Endpoint::Bulk { .. } => BodyKind::Bulk,
            Endpoint::Single => BodyKind::Single,
        }
    }

    /// Whether an access token is held now.
    pub fn token_held(&self) -> bool {
        self.tokens.held()
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

    /// One request for at most `size` events (the single endpoint ignores
    /// `size`); a body over the limit goes to `rejects` as it arrives.
    pub fn fetch(&mut self, size: u32, rejects: &mut Rejects) -> Result<Fetched, ApiError> {
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
            let location = resp
                .headers()
                .get("location")
                .map(|v| v.as_bytes().to_vec());
            if (300..=399).contains(&status) {
                let location = location.unwrap_or_else(|| b"(no location)".to_vec());
                return Err(redirect(
                    &place,
                    status,
                    &self.redactor.excerpt(&location, 200),
                ));
            }
            let limit = if status == 200 {
                self.max_body
            } else {
                1 << 20
            };
            let body = match read_body(&place, resp.into_body(), limit, status == 200)? {
                Body::Whole(b) => b,
                Body::Over { head, rest } if status == 200 => {
                    return spill(&place, head, rest, rejects, self.max_body);
                }
                // An error body is only ever shown as an excerpt: its head will do.
                Body::Over { head, .. } => head,
            };
            let redact = |b: &[u8]| self.redactor.excerpt(b, 200);
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
                    kind: FailureKind::TooManyRequests,
                }),
                500..=599 => Err(ApiError::Transient {
                    cause: format!("{place}: server error ({status}): {}", redact(&body)),
                    retry_after,
                    partial: None,
                    kind: FailureKind::ServerError,
                }),
                _ => Err(ApiError::Fatal(format!(
                    "{place}: unexpected status {status}: {}",
                    redact(&body)
                ))),
            };
        }
    }
}

/// A body read up to a limit.
enum Body {
    /// All of it.
    Whole(Vec<u8>),
    /// More than the limit: the bytes read so far, and the rest still to read.
    Over {
        head: Vec<u8>,
        rest: Box<dyn Read + 'static>,
    },
}

/// Reads a body into a buffer, up to `limit` bytes; on failure the bytes so
/// far go with the error if they are `events` (a `200`'s). An error body
/// cut off is dropped: it holds no events, and may echo a secret.
fn read_body(place: &str, body: ureq::Body, limit: usize, events: bool) -> Result<Body, ApiError> {
    let mut reader = body.into_with_config().limit(u64::MAX).reader();
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return Ok(Body::Whole(buf)),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > limit {
                    return Ok(Body::Over {
                        head: buf,
                        rest: Box::new(reader),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let got = buf.len();
                return Err(ApiError::Transient {
                    cause: format!("{place}: connection lost mid-body after {got} bytes: {e}"),
                    retry_after: None,
                    partial: (events && !buf.is_empty()).then_some(buf),
                    kind: FailureKind::BodyCut,
                });
            }
        }
    }
}

/// Streams an oversize body to a `*.partial` file: the head already read,
/// then the rest as it arrives, synced. The events in it were handed out and
/// cannot be asked for again, so they are kept, never dropped, up to the
/// rejects directory's cap ([`Rejects::room`]): a body that reaches it is
/// cut there, the rest is not read, and the capture stops saying so (an
/// endless body must not fill the disk).
fn spill(
    place: &str,
    head: Vec<u8>,
    mut rest: Box<dyn Read>,
    rejects: &mut Rejects,
    limit: usize,
) -> Result<Fetched, ApiError> {
    let (path, mut file) = rejects.create(RejectKind::Partial).map_err(|e| {
        ApiError::Fatal(format!(
            "{place}: body larger than {limit} bytes, and saving it failed: {e}"
        ))
    })?;
    let room = rejects.room();
    let mut bytes = 0u64;
    let mut write = |chunk: &[u8], bytes: &mut u64| -> std::io::Result<bool> {
        let fits = usize::try_from(room - *bytes).map_or(chunk.len(), |r| r.min(chunk.len()));
        file.write_all(&chunk[..fits])?;
        *bytes += fits as u64;
        Ok(fits == chunk.len())
    };
    let mut chunk = vec![0u8; 64 * 1024];
    let end = (|| -> std::io::Result<End> {
        if !write(&head, &mut bytes)? {
            return Ok(End::Cap);
        }
        loop {
            match rest.read(&mut chunk) {
                Ok(0) => return Ok(End::Whole),
                Ok(n) => {
                    if !write(&chunk[..n], &mut bytes)? {
                        return Ok(End::Cap);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Ok(End::Cut(e)),
            }
        }
    })();
    rejects.kept(bytes);
    let save_failed = |e: std::io::Error| {
        ApiError::Fatal(format!(
            "{place}: body larger than {limit} bytes; saving it to {} failed after {bytes} \
             bytes: {e}",
            path.display()
        ))
    };
    let end = end.map_err(save_failed)?;
    rejects.finish(&path, &file).map_err(save_failed)?;
    match end {
        End::Whole => Ok(Fetched::Oversize { path, bytes }),
        End::Cut(e) => Err(ApiError::Transient {
            cause: format!(
                "{place}: connection lost after {bytes} bytes of a body larger than {limit} bytes \
                 (saved to {}): {e}",
                path.display()
            ),
            retry_after: None,
            partial: None,
            kind: FailureKind::BodyCut,
        }),
        End::Cap => Err(ApiError::Fatal(format!(
            "{place}: body larger than {limit} bytes; its first {bytes} bytes are in {} and \
             the rest was not read: the rejects directory {} reached its cap of {} bytes \
             (--max-rejects-size); the events in the rest cannot be asked for again",
            path.display(),
            rejects.dir().display(),
            rejects.cap()
        ))),
    }
}

/// How streaming an oversize body ended.
enum End {
    /// The whole body is in the file.
    Whole,
    /// The connection failed mid-body.
    Cut(std::io::Error),
    /// The rejects directory's cap was reached; the rest was not read.
    Cap,
}
