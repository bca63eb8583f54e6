//! The mock's HTTP side: routing, the token endpoint, the events endpoints.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::body::MockBody;
use super::state::{Fault, RequestKind, State};

/// Accepts connections until `shutdown` fires.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
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
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(handle(state, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

fn json(status: StatusCode, body: &str) -> Response<MockBody> {
    let mut resp = Response::new(MockBody::plain(body.to_owned()));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
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
    let answer = |status: StatusCode, body: &str| {
        state.answer(idx, status.as_u16(), None, Vec::new(), None);
        json(status, body)
    };
    let expected = format!("{}:{}", state.config.client_id, state.config.client_secret);
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        });
    if given.as_deref() != Some(expected.as_bytes()) {
        return answer(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"invalid_client","error_description":"client authentication failed"}"#,
        );
    }
    let Ok(body) = req.into_body().collect().await else {
        return answer(StatusCode::BAD_REQUEST, r#"{"error":"invalid_request"}"#);
    };
    let form: HashMap<String, String> = form_urlencoded::parse(&body.to_bytes())
        .into_owned()
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return answer(
            StatusCode::BAD_REQUEST,
            r#"{"error":"unsupported_grant_type","error_description":"grant_type must be client_credentials"}"#,
        );
    }
    let asks_scope = form
        .get("scope")
        .is_some_and(|s| s.split(' ').any(|s| s == "api_access"));
    if !asks_scope || !state.config.grant_scope {
        return answer(
            StatusCode::FORBIDDEN,
            r#"{"error":"invalid_scope","error_description":"scope api_access is required and must be granted to this client"}"#,
        );
    }
    let token = state.issue_token();
    let secs = state.config.token_lifetime.as_secs().max(1);
    answer(
        StatusCode::OK,
        &format!(
            r#"{{"access_token":"{token}","token_type":"bearer","expires_in":{secs},"scope":"api_access"}}"#
        ),
    )
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
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let idx = state.begin(kind, token.clone());
    let answer = |status: StatusCode, fault: Option<Fault>, body: &str| {
        state.answer(idx, status.as_u16(), fault, Vec::new(), None);
        json(status, body)
    };
    let Some(token) = token.filter(|t| state.token_valid(t)) else {
        return answer(
            StatusCode::UNAUTHORIZED,
            None,
            r#"{"error":"invalid_token","error_description":"token missing, unknown or expired"}"#,
        );
    };
    let size = match kind {
        RequestKind::Bulk => match bulk_size(req.uri().query()) {
            Ok(n) => n,
            Err(msg) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    None,
                    &format!(r#"{{"error":"{msg}"}}"#),
                );
            }
        },
        _ => 1,
    };
    let fault = state.next_fault(idx);
    match fault {
        Some(Fault::ExpiredToken) => {
            state.expire_token(&token);
            return answer(
                StatusCode::UNAUTHORIZED,
                fault,
                r#"{"error":"invalid_token","error_description":"token expired"}"#,
            );
        }
        Some(Fault::TooManyRequests) => {
            let mut resp = answer(
                StatusCode::TOO_MANY_REQUESTS,
                fault,
                r#"{"error":"rate_limited"}"#,
            );
            let secs = state.config.faults.retry_after_secs.to_string();
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
        Some(Fault::Slow) => tokio::time::sleep(state.config.faults.slow_delay).await,
        _ => {}
    }
    // Long poll: wait for events up to `empty_wait`, then 204.
    let deadline = Instant::now() + state.config.empty_wait;
    let popped = loop {
        let popped = state.pop(size);
        if !popped.is_empty() || Instant::now() >= deadline {
            break popped;
        }
        let left = deadline.saturating_duration_since(Instant::now());
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
        _ => MockBody::tracked(body, Arc::clone(&state), idx),
    };
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    resp
}

fn bulk_size(query: Option<&str>) -> Result<usize, &'static str> {
    let Some(q) = query else { return Ok(100) };
    match form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "size") {
        None => Ok(100),
        Some((_, v)) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err("size must be an integer between 1 and 100"),
        },
    }
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
        assert_eq!(bulk_size(Some("size=7")), Ok(7));
        assert!(bulk_size(Some("size=0")).is_err());
        assert!(bulk_size(Some("size=101")).is_err());
        assert!(bulk_size(Some("size=x")).is_err());
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
