//! The mock's HTTP side: routing, the token endpoint, the events endpoints.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, HeaderValue, PRAGMA, RETRY_AFTER, WWW_AUTHENTICATE,
};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

use super::body::MockBody;
use super::fault::Fault;
use super::oauth::{TokenRequest, decide};
use super::state::{RequestKind, State, TokenRefusal};

/// Largest token request body read (a form of a few parameters).
const MAX_TOKEN_BODY: usize = 64 << 10;

/// Accepts connections (over TLS when `tls` is set) until `shutdown` fires.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: Arc<State>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let state = Arc::clone(&state);
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        // A failed handshake (an untrusting client) just ends the connection.
                        Some(acceptor) => if let Ok(s) = acceptor.accept(stream).await {
                            connection(s, state).await;
                        },
                        None => connection(stream, state).await,
                    }
                });
            }
        }
    }
}

async fn connection<S>(stream: S, state: Arc<State>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| {
        let state = Arc::clone(&state);
        async move { Ok::<_, Infallible>(handle(state, req).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

fn json(status: StatusCode, body: &str) -> Response<MockBody> {
    let mut resp = Response::new(MockBody::plain(body.to_owned()));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// An error body `{"error": code, "error_description": text}`.
fn error_body(code: &str, description: &str) -> String {
    serde_json::json!({"error": code, "error_description": description}).to_string()
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Response<MockBody> {
    let path = req.uri().path().to_owned();
    match (req.method(), path.as_str()) {
        (&Method::POST, "/oauth/token") => token(&state, req).await,
        (&Method::GET, "/api/v1/log_events_bulk") => events(state, req, RequestKind::Bulk).await,
        (&Method::GET, "/api/v1/log_events") => events(state, req, RequestKind::Single).await,
        _ => {
            let idx = state.begin(RequestKind::Other, None);
            state.answer(idx, 404, None, Vec::new(), None);
            json(StatusCode::NOT_FOUND, r#"{"error":"not_found"}"#)
        }
    }
}

async fn token(state: &State, req: Request<Incoming>) -> Response<MockBody> {
    let idx = state.begin(RequestKind::Token, None);
    let (parts, body) = req.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_TOKEN_BODY)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            state.answer(idx, 400, None, Vec::new(), None);
            return json(
                StatusCode::BAD_REQUEST,
                &error_body(
                    "invalid_request",
                    "the body could not be read or is too large",
                ),
            );
        }
    };
    let request = TokenRequest {
        authorization: parts.headers.get(AUTHORIZATION).map(HeaderValue::as_bytes),
        content_type: parts.headers.get(CONTENT_TYPE).map(HeaderValue::as_bytes),
        query: parts.uri.query(),
        body: &body,
    };
    let mut resp = match decide(&state.config, &request) {
        Ok(client) => {
            state.set_client(idx, client);
            let token = state.issue_token(client);
            let secs = state.config.token_lifetime.as_secs().max(1);
            state.answer(idx, 200, None, Vec::new(), None);
            json(
                StatusCode::OK,
                &format!(
                    r#"{{"access_token":"{token}","token_type":"bearer","expires_in":{secs},"scope":"api_access"}}"#
                ),
            )
        }
        Err(e) => {
            state.answer(idx, e.status, None, Vec::new(), None);
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            let mut resp = json(status, &e.body());
            if e.status == 401 {
                resp.headers_mut().insert(
                    WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Basic realm="aperture-mock""#),
                );
            }
            resp
        }
    };
    // RFC 6749 §5.1: token responses are never cached.
    resp.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.headers_mut()
        .insert(PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

async fn events(
    state: Arc<State>,
    req: Request<Incoming>,
    kind: RequestKind,
) -> Response<MockBody> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_owned());
    let idx = state.begin(kind, token.clone());
    let answer = |status: StatusCode, fault: Option<Fault>, body: &str| {
        state.answer(idx, status.as_u16(), fault, Vec::new(), None);
        json(status, body)
    };
    let checked = match &token {
        Some(t) => state.check_token(t),
        None => Err(TokenRefusal::Unknown),
    };
    let client = match checked {
        Ok(client) => client,
        Err(why) => {
            let text = match why {
                TokenRefusal::Unknown => "token missing or unknown",
                TokenRefusal::Expired => "token expired",
                TokenRefusal::Revoked => "token revoked",
            };
            return answer(
                StatusCode::UNAUTHORIZED,
                None,
                &error_body("invalid_token", text),
            );
        }
    };
    state.set_client(idx, client);
    let size = match kind {
        RequestKind::Bulk => match bulk_size(req.uri().query()) {
            Ok(n) => n,
            Err(msg) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    None,
                    &error_body("invalid_request", &msg),
                );
            }
        },
        _ => 1,
    };
    let fault = state.next_fault(idx);
    match fault {
        Some(Fault::ExpireToken) => {
            state.expire_token(token.as_deref().unwrap_or_default());
            return answer(
                StatusCode::UNAUTHORIZED,
                fault,
                &error_body("invalid_token", "token expired"),
            );
        }
        Some(Fault::RevokeToken) => {
            state.revoke_tokens(client);
            return answer(
                StatusCode::UNAUTHORIZED,
                fault,
                &error_body("invalid_token", "token revoked"),
            );
        }
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut resp = answer(
                StatusCode::TOO_MANY_REQUESTS,
                fault,
                r#"{"error":"rate_limited"}"#,
            );
            let secs = retry_after_secs.to_string();
            if let Ok(v) = HeaderValue::from_str(&secs) {
                resp.headers_mut().insert(RETRY_AFTER, v);
            }
            return resp;
        }
        Some(Fault::ServerError) => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                fault,
                r#"{"error":"internal"}"#,
            );
        }
        Some(Fault::Slow { delay }) => tokio::time::sleep(delay).await,
        _ => {}
    }
    // Long poll: wait for events up to `empty_wait`, then 204 (a wait too
    // long for the clock lasts until events come).
    let deadline = Instant::now().checked_add(state.config.empty_wait);
    let popped = loop {
        let popped = state.pop(client, size);
        if !popped.is_empty() || deadline.is_some_and(|d| Instant::now() >= d) {
            break popped;
        }
        let left = deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        });
        tokio::time::sleep(left.min(Duration::from_millis(5))).await;
    };
    if popped.is_empty() {
        state.answer(idx, 204, fault, Vec::new(), None);
        let mut resp = Response::new(MockBody::plain(Vec::new()));
        *resp.status_mut() = StatusCode::NO_CONTENT;
        return resp;
    }
    let body = render(kind, &popped, fault == Some(Fault::Malformed));
    state.answer(idx, 200, fault, popped, Some(body.clone()));
    let body = match fault {
        Some(Fault::DropMidBody) => MockBody::cut(body),
        Some(Fault::Oversize { bytes }) => {
            MockBody::tracked(body, Arc::clone(&state), idx).padded_to(bytes)
        }
        _ => MockBody::tracked(body, Arc::clone(&state), idx),
    };
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    resp
}

/// Most events one bulk answer holds, whatever `size` asks for.
pub(crate) const MAX_BULK: usize = 100;

/// The number of events a bulk request gets: `size` capped at 100, 100 when
/// absent (as for collectors that send none); `size` that is not a whole
/// number of at least 1 is an error.
fn bulk_size(query: Option<&str>) -> Result<usize, String> {
    let given = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "size")
            .map(|(_, v)| v.into_owned())
    });
    let Some(v) = given else { return Ok(MAX_BULK) };
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    if !digits || v.bytes().all(|b| b == b'0') {
        let shown: String = v.chars().take(40).collect();
        return Err(format!(
            "size must be a whole number of at least 1 (at most {MAX_BULK} events are returned), got `{shown}`"
        ));
    }
    // Digits only: a number too large for u64 is still "more than 100".
    Ok(v.parse::<u64>().map_or(MAX_BULK, |n| {
        usize::try_from(n).unwrap_or(MAX_BULK).min(MAX_BULK)
    }))
}

/// The body for popped events: the bulk wrapper (with some whitespace, as
/// servers do) or the single event's bytes; broken on purpose if `malformed`.
fn render(kind: RequestKind, events: &[Vec<u8>], malformed: bool) -> Vec<u8> {
    let mut body = Vec::new();
    match kind {
        RequestKind::Bulk => {
            body.extend_from_slice(b"{\"events\": [\n  ");
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    body.extend_from_slice(b",\n  ");
                }
                body.extend_from_slice(e);
            }
            // A trailing comma, as in the vendor's own invalid examples.
            body.extend_from_slice(if malformed { b",\n]}" } else { b"\n]}" });
        }
        _ => {
            body.extend_from_slice(&events[0]);
            if malformed {
                body.extend_from_slice(b",\n}");
            }
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_size_parsing() {
        assert_eq!(bulk_size(None), Ok(100));
        assert_eq!(bulk_size(Some("other=1")), Ok(100));
        assert_eq!(bulk_size(Some("size=7")), Ok(7));
        assert_eq!(bulk_size(Some("size=100")), Ok(100));
        assert_eq!(bulk_size(Some("size=101")), Ok(100));
        assert_eq!(bulk_size(Some("size=1000")), Ok(100));
        assert_eq!(bulk_size(Some("size=007")), Ok(7));
        assert_eq!(bulk_size(Some("size=99999999999999999999999")), Ok(100));
        for bad in [
            "size=0",
            "size=00",
            "size=-1",
            "size=x",
            "size=",
            "size=1.5",
            "size=+3",
            "size=%201",
        ] {
            let err = bulk_size(Some(bad)).unwrap_err();
            assert!(
                err.starts_with("size must be a whole number of at least 1"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn rendered_bodies_parse_unless_malformed() {
        let events = vec![br#"{"a":1}"#.to_vec(), br#"{"b":2}"#.to_vec()];
        let ok = render(RequestKind::Bulk, &events, false);
        let v: serde_json::Value = serde_json::from_slice(&ok).unwrap();
        assert_eq!(v["events"].as_array().unwrap().len(), 2);
        assert!(
            serde_json::from_slice::<serde_json::Value>(&render(RequestKind::Bulk, &events, true))
                .is_err()
        );
        assert!(
            serde_json::from_slice::<serde_json::Value>(&render(
                RequestKind::Single,
                &events,
                true
            ))
            .is_err()
        );
        assert_eq!(render(RequestKind::Single, &events, false), events[0]);
    }
}
