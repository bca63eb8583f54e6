//! A plain HTTP client (ureq) for the mock's tests: the token request shapes
//! published clients send, and bulk GETs that return the events' exact bytes.
#![allow(dead_code)]

use std::time::Duration;

use aperture_events_mock::{MockClient, MockConfig, MockServer, generate};
use base64::Engine;
use serde_json::Value;
use serde_json::value::RawValue;
use ureq::Agent;
use ureq::http::Response;

pub type Reply = Response<ureq::Body>;

pub const DOCUMENTED: &str = "grant_type=client_credentials&scope=api_access";

pub fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A token request in one of the shapes published clients send.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// HTTP Basic, form body, `Content-Type: application/x-www-form-urlencoded` (the doc's).
    DocumentedForm,
    /// HTTP Basic, `grant_type`/`scope` in the query string, an empty body.
    QueryStringEmptyBody,
    /// HTTP Basic, `grant_type`/`scope` in the query string, no body at all.
    QueryStringNoBody,
    /// HTTP Basic, query string, a malformed `Content-Type` value.
    QueryStringMalformedContentType,
    /// HTTP Basic, form body, no `Content-Type` header.
    FormBodyWithoutContentType,
    /// HTTP Basic, several space-separated scopes in the form body.
    SeveralScopesInBody,
    /// HTTP Basic, several space-separated scopes in the query string.
    SeveralScopesInQuery,
    /// `client_id`/`client_secret` as form fields, no `Authorization` header.
    FormCredentials,
}

pub const SHAPES: [Shape; 8] = [
    Shape::DocumentedForm,
    Shape::QueryStringEmptyBody,
    Shape::QueryStringNoBody,
    Shape::QueryStringMalformedContentType,
    Shape::FormBodyWithoutContentType,
    Shape::SeveralScopesInBody,
    Shape::SeveralScopesInQuery,
    Shape::FormCredentials,
];

pub fn request_token(agent: &Agent, base: &str, shape: Shape, id: &str, secret: &str) -> Reply {
    let url = format!("{base}/oauth/token");
    let query = format!("{url}?{DOCUMENTED}");
    let auth = basic(id, secret);
    let r = match shape {
        Shape::DocumentedForm => agent
            .post(&url)
            .header("Authorization", &auth)
            .send_form([("grant_type", "client_credentials"), ("scope", "api_access")]),
        Shape::QueryStringEmptyBody => agent
            .post(&query)
            .header("Authorization", &auth)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(&b""[..]),
        Shape::QueryStringNoBody => agent.post(&query).header("Authorization", &auth).send_empty(),
        Shape::QueryStringMalformedContentType => agent
            .post(&query)
            .header("Authorization", &auth)
            .header("Content-Type", "x-www-form-urlencoded;;charset")
            .send_empty(),
        Shape::FormBodyWithoutContentType => agent
            .post(&url)
            .header("Authorization", &auth)
            .send(DOCUMENTED.as_bytes()),
        Shape::SeveralScopesInBody => agent.post(&url).header("Authorization", &auth).send_form([
            ("grant_type", "client_credentials"),
            ("scope", "api_access incident_api remediation_api"),
        ]),
        Shape::SeveralScopesInQuery => agent
            .post(&format!(
                "{url}?grant_type=client_credentials&scope=incident_api%20api_access%20remediation_api"
            ))
            .header("Authorization", &auth)
            .send_empty(),
        Shape::FormCredentials => agent.post(&url).send_form([
            ("grant_type", "client_credentials"),
            ("scope", "api_access"),
            ("client_id", id),
            ("client_secret", secret),
        ]),
    };
    r.expect("token request reaches the mock")
}

pub fn json_body(mut r: Reply) -> Value {
    let text = r.body_mut().read_to_string().expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"))
}

/// Checks a `200` token answer and returns the token.
pub fn granted(r: Reply) -> String {
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v = json_body(r);
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["scope"], "api_access");
    assert_eq!(v["expires_in"], 7200);
    v["access_token"].as_str().expect("access_token").to_owned()
}

/// Checks an RFC 6749 §5.2 error answer.
pub fn refused(r: Reply, status: u16, error: &str) {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(r.headers()["cache-control"], "no-store");
    if status == 401 {
        assert!(r.headers().contains_key("www-authenticate"));
    }
    let v = json_body(r);
    assert_eq!(v["error"], error, "{v}");
    assert!(v["error_description"].is_string(), "{v}");
}

/// One bulk GET: `None` on `204`, else the events' exact bytes.
pub fn bulk(agent: &Agent, base: &str, token: &str, query: &str) -> Option<Vec<Vec<u8>>> {
    let mut r = agent
        .get(&format!("{base}/api/v1/log_events_bulk{query}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("events request reaches the mock");
    match r.status().as_u16() {
        204 => None,
        200 => {
            let text = r.body_mut().read_to_string().unwrap();
            #[derive(serde::Deserialize)]
            struct Bulk<'a> {
                #[serde(borrow)]
                events: Vec<&'a RawValue>,
            }
            let b: Bulk<'_> = serde_json::from_str(&text).expect("bulk body");
            Some(
                b.events
                    .iter()
                    .map(|e| e.get().as_bytes().to_vec())
                    .collect(),
            )
        }
        s => panic!("status {s}: {}", r.body_mut().read_to_string().unwrap()),
    }
}

/// Everything a client's stream holds, by bulk GETs until `204`.
pub fn drain(agent: &Agent, base: &str, token: &str, query: &str) -> Vec<Vec<u8>> {
    let mut got = Vec::new();
    while let Some(mut events) = bulk(agent, base, token, query) {
        got.append(&mut events);
    }
    got
}

pub fn clients(n: usize) -> Vec<MockClient> {
    (0..n)
        .map(|i| MockClient::new(format!("client-{i}"), format!("secret:{i}-Zq9")))
        .collect()
}

pub fn mock(clients: Vec<MockClient>, events: u64) -> MockServer {
    let config = MockConfig {
        clients,
        empty_wait: Duration::from_millis(30),
        ..MockConfig::default()
    };
    MockServer::start(config, generate(1, events)).expect("mock starts")
}
