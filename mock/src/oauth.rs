//! The mock's token endpoint: which request shapes it accepts, and its
//! RFC 6749 §5.2 errors.
//!
//! Published clients of the API have sent token requests in several shapes
//! for years, so the real API accepts them all (see
//! `shared/reference/observed-payloads.md`, "What published clients send").
//! By default the mock accepts each of them:
//!
//! | shape | credentials | `grant_type`, `scope` | `Content-Type` |
//! | --- | --- | --- | --- |
//! | documented | HTTP Basic | form body | `application/x-www-form-urlencoded` |
//! | query string | HTTP Basic | query string, body empty or absent | any, missing or malformed |
//! | form credentials | `client_id`, `client_secret` in the form body | form body or query string | any |
//! | several scopes | either | `scope=api_access incident_api ...` (space-separated) | any |
//!
//! A parameter in both the body and the query string is taken from the body.
//! The body is read as a form whatever its `Content-Type` says (a missing or
//! malformed one included). The token is granted when `api_access` is among
//! the requested scopes; the answer's `scope` is `api_access`, the only scope
//! the token carries.
//!
//! With `strict` ([`super::MockConfig::strict_token_requests`]) only the
//! documented shape passes: HTTP Basic credentials, a form body with
//! `Content-Type: application/x-www-form-urlencoded`, no token parameter in the
//! query string, no parameter twice.
//!
//! Errors are RFC 6749 §5.2 bodies (`{"error": ..., "error_description": ...}`):
//! `401 invalid_client` (unknown client or wrong secret, with
//! `WWW-Authenticate: Basic`), `400 invalid_request` (no `grant_type`; in
//! strict mode, any departure from the documented shape), `400
//! unsupported_grant_type` (a grant type other than `client_credentials`),
//! `400 invalid_grant` (`refresh_token`: the mock never issues one, so every
//! refresh token is invalid), `400 invalid_scope` (no scope, no `api_access`
//! among the scopes, or `--deny-scope`). A request without any scope is
//! refused: nothing says the API grants a default scope.

use base64::Engine;

use super::MockConfig;

/// The parts of a token request the decision reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenRequest<'a> {
    /// The `Authorization` header, if any (as bytes: it may not be text).
    pub(crate) authorization: Option<&'a [u8]>,
    /// The `Content-Type` header, if any.
    pub(crate) content_type: Option<&'a [u8]>,
    /// The query string, without `?`.
    pub(crate) query: Option<&'a str>,
    /// The body (empty when there is none).
    pub(crate) body: &'a [u8],
}

/// An RFC 6749 §5.2 error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    /// `401` for `invalid_client`, else `400`.
    pub(crate) status: u16,
    /// The `error` code.
    pub(crate) error: &'static str,
    /// The `error_description`.
    pub(crate) description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        let status = if error == "invalid_client" { 401 } else { 400 };
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> String {
        serde_json::json!({"error": self.error, "error_description": self.description}).to_string()
    }
}

/// Decides a token request: the index of the authenticated client, or the error.
pub(crate) fn decide(config: &MockConfig, req: &TokenRequest<'_>) -> Result<usize, OAuthError> {
    let body: Vec<(String, String)> = form_urlencoded::parse(req.body).into_owned().collect();
    let query: Vec<(String, String)> = req
        .query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let strict = config.strict_token_requests;
    if strict {
        check_strict_shape(req, &body, &query)?;
    }
    let from_body = |name: &str| {
        body.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let param = |name: &str| {
        from_body(name).or_else(|| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        })
    };

    let client = match (req.authorization, strict) {
        (Some(header), _) => basic_client(config, header)?,
        (None, false) => match (from_body("client_id"), from_body("client_secret")) {
            (Some(id), Some(secret)) => find_client(config, id, secret)?,
            _ => {
                return Err(OAuthError::new(
                    "invalid_client",
                    "client authentication failed: no credentials (HTTP Basic or client_id and client_secret in the form body)",
                ));
            }
        },
        (None, true) => {
            return Err(OAuthError::new(
                "invalid_client",
                "client authentication failed: strict mode takes credentials by HTTP Basic only",
            ));
        }
    };

    match param("grant_type") {
        None => {
            return Err(OAuthError::new("invalid_request", "grant_type is missing"));
        }
        Some("client_credentials") => {}
        Some("refresh_token") => {
            return Err(OAuthError::new(
                "invalid_grant",
                "the refresh token is invalid (none is ever issued)",
            ));
        }
        Some(other) => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                format!("grant_type `{other}` is not supported; use client_credentials"),
            ));
        }
    }

    let scopes = param("scope").unwrap_or("");
    if !scopes.split_ascii_whitespace().any(|s| s == "api_access") {
        return Err(OAuthError::new(
            "invalid_scope",
            "scope api_access is required",
        ));
    }
    if !config.grant_scope {
        return Err(OAuthError::new(
            "invalid_scope",
            "scope api_access is not granted to this client",
        ));
    }
    Ok(client)
}

/// The documented shape only (strict mode).
fn check_strict_shape(
    req: &TokenRequest<'_>,
    body: &[(String, String)],
    query: &[(String, String)],
) -> Result<(), OAuthError> {
    let form = req
        .content_type
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form {
        return Err(OAuthError::new(
            "invalid_request",
            "strict mode: Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    const PARAMS: [&str; 4] = ["grant_type", "scope", "client_id", "client_secret"];
    if let Some((k, _)) = query.iter().find(|(k, _)| PARAMS.contains(&k.as_str())) {
        return Err(OAuthError::new(
            "invalid_request",
            format!("strict mode: `{k}` must be in the form body, not the query string"),
        ));
    }
    for (i, (k, _)) in body.iter().enumerate() {
        if body[..i].iter().any(|(seen, _)| seen == k) {
            return Err(OAuthError::new(
                "invalid_request",
                format!("strict mode: `{k}` is given more than once"),
            ));
        }
    }
    Ok(())
}

/// The client named by an `Authorization: Basic` header.
fn basic_client(config: &MockConfig, header: &[u8]) -> Result<usize, OAuthError> {
    let bad = || OAuthError::new("invalid_client", "client authentication failed");
    let text = std::str::from_utf8(header).map_err(|_| bad())?.trim();
    let (scheme, encoded) = text.split_once(' ').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    // RFC 6749 §2.3.1 has clients form-encode id and secret before Basic;
    // most published clients send them raw.
    find_client(config, id, secret)
        .or_else(|e| find_client(config, &form_decode(id), &form_decode(secret)).map_err(|_| e))
}

/// One form-encoded value decoded (`+` is a space).
fn form_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn find_client(config: &MockConfig, id: &str, secret: &str) -> Result<usize, OAuthError> {
    config
        .clients
        .iter()
        .position(|c| c.id == id && c.secret == secret)
        .ok_or_else(|| OAuthError::new("invalid_client", "client authentication failed"))
}

#[cfg(test)]
mod tests;
