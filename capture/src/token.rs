//! The OAuth2 access token: fetched with client credentials, cached, renewed.
//!
//! `POST /oauth/token` with HTTP Basic client credentials and the form
//! `grant_type=client_credentials&scope=api_access`. The token is kept until
//! shortly before it expires (a tenth of its lifetime, at most a minute), and
//! thrown away when the API answers `401` so the next request gets a new one.
//! The client secret and the token are [`Secret`]s: they never reach a
//! message.

use std::time::{Duration, Instant};

use base64::Engine;
use serde::Deserialize;

use crate::credentials::Credentials;
use crate::error::{ApiError, from_ureq, redirect};
use crate::redact::Redactor;
use crate::secret::Secret;

/// When to renew a token fetched at `started` that lives `expires_in`
/// seconds: a tenth of its lifetime early, at most a minute. A lifetime
/// too long to add to the clock (`18446744073709551615`) means a year.
fn renew_at(started: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
    let margin = (lifetime / 10).min(Duration::from_secs(60));
    let year = Duration::from_secs(365 * 24 * 3600);
    started
        .checked_add(lifetime - margin)
        .or_else(|| started.checked_add(year))
        .unwrap_or(started)
}

#[derive(Debug)]
struct Token {
    value: Secret,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Lifetime assumed when the server does not say (the API's tokens live ~2 h).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A cached access token and what is needed to get a new one.
#[derive(Debug)]
pub struct TokenSource {
    agent: ureq::Agent,
    url: String,
    credentials: Credentials,
    token: Option<Token>,
    fetched: u64,
    redactor: Redactor,
}

impl TokenSource {
    /// A token source for the API at `base_url`. The client's secret, its
    /// Basic value and every token fetched are added to `redactor`.
    pub fn new(
        agent: ureq::Agent,
        base_url: &str,
        credentials: Credentials,
        redactor: Redactor,
    ) -> Self {
        redactor.add_client(&credentials.client_id, credentials.client_secret.expose());
        Self {
            agent,
            url: format!("{base_url}/oauth/token"),
            credentials,
            token: None,
            fetched: 0,
            redactor,
        }
    }

    /// How many tokens were fetched so far.
    pub fn fetched(&self) -> u64 {
        self.fetched
    }

    /// Whether a token is held (fetched and not thrown away since).
    pub fn held(&self) -> bool {
        self.token.is_some()
    }

    /// Forgets the cached token (after a `401`).
    pub fn invalidate(&mut self) {
        self.token = None;
    }

    /// A valid token, fetching one if none is cached or it is about to expire.
    pub fn bearer(&mut self) -> Result<Secret, ApiError> {
        if let Some(t) = &self.token {
            if Instant::now() < t.renew_at {
                return Ok(t.value.clone());
            }
        }
        let token = self.fetch()?;
        let value = token.value.clone();
        self.token = Some(token);
        self.fetched += 1;
        Ok(value)
    }

    fn fetch(&self) -> Result<Token, ApiError> {
        let place = format!("POST {}", self.url);
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.credentials.client_id,
            self.credentials.client_secret.expose()
        ));
        let started = Instant::now();
        let mut resp = self
            .agent
            .post(&self.url)
            .header("Authorization", format!("Basic {basic}"))
            .header("Accept", "application/json")
            .send_form([
                ("grant_type", "client_credentials"),
                ("scope", "api_access"),
            ])
            .map_err(|e| from_ureq(&place, e))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_vec()
            .map_err(|e| from_ureq(&place, e))?;
        let server_says = || self.redactor.excerpt(&body, 200);
        match status {
            200 => {}
            300..=399 => {
                let location = resp
                    .headers()
                    .get("location")
                    .map_or(&b"(no location)"[..], |v| v.as_bytes());
                return Err(redirect(
                    &place,
                    status,
                    &self.redactor.excerpt(location, 200),
                ));
            }
            401 => {
                return Err(ApiError::Fatal(format!(
                    "{place}: bad credentials: the token endpoint refused the client id and secret (401): {}",
                    server_says()
                )));
            }
            400 | 403 if String::from_utf8_lossy(&body).contains("scope") => {
                return Err(ApiError::Fatal(format!(
                    "{place}: missing scope: the client is not allowed scope api_access ({status}): {}",
                    server_says()
                )));
            }
            429 | 500..=599 => {
                return Err(ApiError::transient(
                    crate::error::FailureKind::Token,
                    format!("{place}: status {status}: {}", server_says()),
                ));
            }
            _ => {
                return Err(ApiError::Fatal(format!(
                    "{place}: unexpected status {status}: {}",
                    server_says()
                )));
            }
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            // serde quotes the offending value, which may be the token itself.
            ApiError::Fatal(format!(
                "{place}: token response is not the expected json: {}",
                self.redactor.excerpt(e.to_string().as_bytes(), 200)
            ))
        })?;
        self.redactor.add(&parsed.access_token);
        Ok(Token {
            value: Secret::new(parsed.access_token),
            renew_at: renew_at(started, parsed.expires_in),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_lifetime_gives_a_renewal_time() {
        let now = Instant::now();
        assert!(renew_at(now, Some(u64::MAX)) > now + Duration::from_secs(3600));
        assert_eq!(renew_at(now, Some(0)), now);
        assert_eq!(
            renew_at(now, Some(100)),
            now + Duration::from_secs(90),
            "a tenth early"
        );
        assert_eq!(
            renew_at(now, None),
            now + Duration::from_secs(3600 - 60),
            "at most a minute early"
        );
    }
}
