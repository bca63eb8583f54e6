//! The checked configuration of a capture run.
//!
//! The binary turns its raw flags into this (ripgrep's two steps); the
//! library trusts it. Everything a flag could get wrong is caught here with a
//! message naming the flag.

use std::time::Duration;

use ureq::http::Uri;

use crate::connect::Connect;
use crate::region::Region;
use crate::retry::RetryPolicy;

/// Largest `size` the bulk endpoint accepts.
pub const MAX_BULK_SIZE: u32 = 100;

/// Largest body held in memory (100 events of a few KiB each is far below this).
pub const DEFAULT_MAX_BODY: usize = 256 << 20;

/// Longest wait a flag may set in milliseconds (`--poll-wait-ms`,
/// `--retry-base-ms`, `--retry-cap-ms`): one hour. Beyond it a capture
/// would in effect never poll or retry again.
pub const MAX_WAIT_MS: u64 = 3_600_000;

/// Longest `--timeout-secs`: one day.
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

/// Which endpoint to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /api/v1/log_events_bulk?size=N`, N in 1..=100.
    Bulk {
        /// Events asked for per request.
        size: u32,
    },
    /// `GET /api/v1/log_events`, one event per request.
    Single,
}

/// Where the API is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A vendor region.
    Region(Region),
    /// Any base URL (a mock, a proxy).
    BaseUrl(String),
}

/// A checked configuration of the API side of a capture.
#[derive(Debug, Clone)]
pub struct CaptureConfig {
    /// Scheme and host (and port), no trailing slash.
    pub base_url: String,
    /// Endpoint to read.
    pub endpoint: Endpoint,
    /// Stop after this many events.
    pub max_events: Option<u64>,
    /// Stop at the first `204`.
    pub until_drained: bool,
    /// Wait after a `204` before polling again.
    pub poll_wait: Duration,
    /// Longest wait for a response's head, and again for its body.
    pub timeout: Duration,
    /// Longest wait to connect.
    pub connect_timeout: Duration,
    /// Backoff for transient failures.
    pub retry: RetryPolicy,
    /// Trusted CA certificates and resolver overrides.
    pub connect: Connect,
    /// Largest body held in memory; a larger one is streamed to `*.partial`.
    pub max_body: usize,
    /// The proxy to use (checked with [`crate::proxy::choose`]), if any.
    pub proxy: Option<String>,
    /// Check the free space of the journal and of the rejects directory
    /// before each request (see [`crate::space`]).
    pub check_space: bool,
}

/// A configuration mistake, naming the flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag}: {message}")]
pub struct ConfigError {
    /// The flag at fault.
    pub flag: &'static str,
    /// What is wrong.
    pub message: String,
}

impl CaptureConfig {
    /// A configuration with defaults for `target` (bulk endpoint, 100 a call).
    pub fn new(target: &Target) -> Result<Self, ConfigError> {
        let base_url = match target {
            Target::Region(r) => r.base_url(),
            Target::BaseUrl(u) => check_base_url(u)?,
        };
        Ok(Self {
            base_url,
            endpoint: Endpoint::Bulk {
                size: MAX_BULK_SIZE,
            },
            max_events: None,
            until_drained: false,
            poll_wait: Duration::from_secs(1),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            connect: Connect::default(),
            max_body: DEFAULT_MAX_BODY,
            proxy: None,
            check_space: true,
        })
    }

    /// Sets the bulk size, checking 1..=100.
    pub fn bulk_size(&mut self, size: u32) -> Result<&mut Self, ConfigError> {
        if !(1..=MAX_BULK_SIZE).contains(&size) {
            return Err(ConfigError {
                flag: "--size",
                message: format!("must be between 1 and {MAX_BULK_SIZE}, got {size}"),
            });
        }
        self.endpoint = Endpoint::Bulk { size };
        Ok(self)
    }

    /// How many events the next request should ask for, given `captured` so far.
    pub fn next_size(&self, captured: u64) -> u32 {
        let size = match self.endpoint {
            Endpoint::Bulk { size } => size,
            Endpoint::Single => 1,
        };
        match self.max_events {
            Some(max) => u32::try_from(max.saturating_sub(captured))
                .unwrap_or(u32::MAX)
                .min(size),
            None => size,
        }
    }
}

/// Checks a `--base-url`: http(s), a host, no path; plain http only to loopback.
///
/// Plain http would send the client secret in clear, so it is allowed only
/// for a server on this machine (the mock).
pub fn check_base_url(url: &str) -> Result<String, ConfigError> {
    let err = |message: String| ConfigError {
        flag: "--base-url",
        message,
    };
    let trimmed = url.trim_end_matches('/');
    let uri: Uri = trimmed
        .parse()
        .map_err(|e| err(format!("`{url}` is not a url: {e}")))?;
    let host = uri
        .host()
        .ok_or_else(|| err(format!("`{url}` has no host")))?;
    if uri
        .path_and_query()
        .is_some_and(|p| !p.as_str().is_empty() && p.as_str() != "/")
    {
        return Err(err(format!(
            "`{url}` must be scheme and host only, without a path"
        )));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if is_loopback(host) => {}
        Some("http") => {
            return Err(err(format!(
                "`{url}`: plain http is allowed only to a loopback address"
            )));
        }
        _ => return Err(err(format!("`{url}` must start with https://"))),
    }
    Ok(trimmed.to_owned())
}

/// Whether `host` names this machine (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_become_https_urls() {
        let c = CaptureConfig::new(&Target::Region(Region::Eu)).unwrap();
        assert_eq!(c.base_url, "https://api.aperture-eu.paloaltonetworks.com");
        assert_eq!(c.endpoint, Endpoint::Bulk { size: 100 });
    }

    #[test]
    fn base_url_checks() {
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(check_base_url("http://[::1]:9").unwrap(), "http://[::1]:9");
        assert_eq!(
            check_base_url("http://localhost:9").unwrap(),
            "http://localhost:9"
        );
        assert_eq!(
            check_base_url("https://proxy.example:8443").unwrap(),
            "https://proxy.example:8443"
        );
        let e = check_base_url("http://10.0.0.1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--base-url: `http://10.0.0.1`: plain http is allowed only to a loopback address"
        );
        assert!(check_base_url("ftp://x").is_err());
        assert!(
            check_base_url("https://x/api")
                .unwrap_err()
                .message
                .contains("without a path")
        );
        assert!(check_base_url("not a url").is_err());
    }

    #[test]
    fn bulk_size_bounds() {
        let mut c = CaptureConfig::new(&Target::Region(Region::Us)).unwrap();
        assert!(c.bulk_size(0).is_err());
        assert_eq!(
            c.bulk_size(101).unwrap_err().to_string(),
            "--size: must be between 1 and 100, got 101"
        );
        c.bulk_size(7).unwrap();
        assert_eq!(c.next_size(0), 7);
    }

    #[test]
    fn next_size_never_overshoots_max_events() {
        let mut c = CaptureConfig::new(&Target::Region(Region::Us)).unwrap();
        c.max_events = Some(250);
        assert_eq!(c.next_size(0), 100);
        assert_eq!(c.next_size(200), 50);
        assert_eq!(c.next_size(250), 0);
        c.endpoint = Endpoint::Single;
        assert_eq!(c.next_size(0), 1);
    }
}
