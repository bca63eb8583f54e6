//! The mock's HTTP surface, spoken to with a plain HTTP client (ureq), not
//! through `aperture-capture`: every token request shape published clients
//! send, the RFC 6749 §5.2 errors, strict mode, the bulk `size` rules, and
//! per-client streams that hand out every event exactly once, also to 30
//! concurrent GETs on one client.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use aperture_events_capture::mock::{MockClient, MockConfig, MockServer, generate};
use base64::Engine;
use serde_json::Value;
use serde_json::value::RawValue;
use ureq::Agent;
use ureq::http::Response;

type Reply = Response<ureq::Body>;

const DOCUMENTED: &str = "grant_type=client_credentials&scope=api_access";

fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A token request in one of the shapes published clients send.
#[derive(Debug, Clone, Copy)]
enum Shape {
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

const SHAPES: [Shape; 8] = [
    Shape::DocumentedForm,
    Shape::QueryStringEmptyBody,
    Shape::QueryStringNoBody,
    Shape::QueryStringMalformedContentType,
    Shape::FormBodyWithoutContentType,
    Shape::SeveralScopesInBody,
    Shape::SeveralScopesInQuery,
    Shape::FormCredentials,
];

fn request_token(agent: &Agent, base: &str, shape: Shape, id: &str, secret: &str) -> Reply {
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

fn json_body(mut r: Reply) -> Value {
    let text = r.body_mut().read_to_string().expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"))
}

/// Checks a `200` token answer and returns the token.
fn granted(r: Reply) -> String {
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v = json_body(r);
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["scope"], "api_access");
    assert_eq!(v["expires_in"], 7200);
    v["access_token"].as_str().expect("access_token").to_owned()
}

/// Checks an RFC 6749 §5.2 error answer.
fn refused(r: Reply, status: u16, error: &str) {
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
fn bulk(agent: &Agent, base: &str, token: &str, query: &str) -> Option<Vec<Vec<u8>>> {
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
fn drain(agent: &Agent, base: &str, token: &str, query: &str) -> Vec<Vec<u8>> {
    let mut got = Vec::new();
    while let Some(mut events) = bulk(agent, base, token, query) {
        got.append(&mut events);
    }
    got
}

fn clients(n: usize) -> Vec<MockClient> {
    (0..n)
        .map(|i| MockClient::new(format!("client-{i}"), format!("secret:{i}-Zq9")))
        .collect()
}

fn mock(clients: Vec<MockClient>, events: u64) -> MockServer {
    let config = MockConfig {
        clients,
        empty_wait: Duration::from_millis(30),
        ..MockConfig::default()
    };
    MockServer::start(config, generate(1, events)).expect("mock starts")
}

/// One shape: a token for client 0, which then drains its own stream exactly
/// once in order (asking `size=1000`, which is capped at 100); client 1's
/// stream is untouched.
fn shape_gets_a_token_and_drains_its_stream(shape: Shape) {
    let cs = clients(2);
    let mock = mock(cs.clone(), 250);
    let agent = agent();
    let token = granted(request_token(
        &agent,
        &mock.base_url(),
        shape,
        &cs[0].id,
        &cs[0].secret,
    ));
    let log = mock.log();
    assert_eq!(log[0].client.as_deref(), Some("client-0"), "{shape:?}");
    let mut sizes = Vec::new();
    let mut got = Vec::new();
    while let Some(mut batch) = bulk(&agent, &mock.base_url(), &token, "?size=1000") {
        sizes.push(batch.len());
        got.append(&mut batch);
    }
    assert_eq!(sizes, [100, 100, 50], "{shape:?}");
    assert_eq!(got, generate(1, 250), "{shape:?}");
    assert_eq!(mock.remaining_for("client-0"), 0);
    assert_eq!(mock.remaining_for("client-1"), 250);
    // The wrong secret in the same shape is refused.
    refused(
        request_token(&agent, &mock.base_url(), shape, &cs[0].id, "wrong"),
        401,
        "invalid_client",
    );
}

#[test]
fn shape_documented_form() {
    shape_gets_a_token_and_drains_its_stream(Shape::DocumentedForm);
}

#[test]
fn shape_query_string_empty_body() {
    shape_gets_a_token_and_drains_its_stream(Shape::QueryStringEmptyBody);
}

#[test]
fn shape_query_string_no_body() {
    shape_gets_a_token_and_drains_its_stream(Shape::QueryStringNoBody);
}

#[test]
fn shape_query_string_malformed_content_type() {
    shape_gets_a_token_and_drains_its_stream(Shape::QueryStringMalformedContentType);
}

#[test]
fn shape_form_body_without_content_type() {
    shape_gets_a_token_and_drains_its_stream(Shape::FormBodyWithoutContentType);
}

#[test]
fn shape_several_scopes_in_body() {
    shape_gets_a_token_and_drains_its_stream(Shape::SeveralScopesInBody);
}

#[test]
fn shape_several_scopes_in_query() {
    shape_gets_a_token_and_drains_its_stream(Shape::SeveralScopesInQuery);
}

#[test]
fn shape_form_credentials() {
    shape_gets_a_token_and_drains_its_stream(Shape::FormCredentials);
}

/// Every shape at once, one client each, on one mock, while events keep
/// arriving: each client gets every event exactly once, in order.
#[test]
fn every_shape_at_once_each_client_gets_every_event_exactly_once() {
    let cs = clients(SHAPES.len());
    let mock = Arc::new(mock(cs.clone(), 400));
    let base = mock.base_url();
    let workers: Vec<_> = SHAPES
        .iter()
        .zip(cs)
        .map(|(&shape, c)| {
            let base = base.clone();
            std::thread::spawn(move || {
                let agent = agent();
                let token = granted(request_token(&agent, &base, shape, &c.id, &c.secret));
                // No size: the default, 100.
                let mut got = Vec::new();
                while got.len() < 500 {
                    match bulk(&agent, &base, &token, "") {
                        Some(mut b) => {
                            assert!(b.len() <= 100);
                            got.append(&mut b);
                        }
                        None => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
                (c.id, got)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    mock.push_events(generate(401, 100));
    for w in workers {
        let (id, got) = w.join().unwrap();
        assert_eq!(got, generate(1, 500), "{id}");
    }
    assert_eq!(mock.remaining(), 0);
    // The log agrees: each event went out once per client.
    let log = mock.log();
    for i in 0..SHAPES.len() {
        let id = format!("client-{i}");
        let handed: Vec<&Vec<u8>> = log
            .iter()
            .filter(|e| e.client.as_deref() == Some(id.as_str()))
            .flat_map(|e| e.events.iter())
            .collect();
        assert_eq!(handed.len(), 500, "{id}");
    }
}

#[test]
fn thirty_concurrent_gets_on_one_client_never_share_an_event() {
    const EVENTS: u64 = 3_000;
    let cs = clients(2);
    let mock = Arc::new(mock(cs.clone(), EVENTS));
    let base = mock.base_url();
    let token = granted(request_token(
        &agent(),
        &base,
        Shape::DocumentedForm,
        &cs[0].id,
        &cs[0].secret,
    ));
    let start = Arc::new(Barrier::new(30));
    let workers: Vec<_> = (0..30)
        .map(|i| {
            let (base, token, start) = (base.clone(), token.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let agent = agent();
                start.wait();
                // Sizes from 1 to 30, and one thread with none.
                let query = if i == 0 {
                    String::new()
                } else {
                    format!("?size={i}")
                };
                drain(&agent, &base, &token, &query)
            })
        })
        .collect();
    let per_thread: Vec<Vec<Vec<u8>>> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let all: Vec<&Vec<u8>> = per_thread.iter().flatten().collect();
    assert_eq!(all.len() as u64, EVENTS, "every event handed out once");
    let distinct: HashSet<&Vec<u8>> = all.iter().copied().collect();
    assert_eq!(distinct.len() as u64, EVENTS, "no event handed out twice");
    let expected = generate(1, EVENTS);
    assert!(expected.iter().all(|e| distinct.contains(e)));
    // Each thread saw its events in stream order.
    let position: std::collections::HashMap<&Vec<u8>, usize> =
        expected.iter().enumerate().map(|(i, e)| (e, i)).collect();
    for got in &per_thread {
        assert!(got.windows(2).all(|w| position[&w[0]] < position[&w[1]]));
    }
    assert!(
        per_thread.iter().filter(|g| !g.is_empty()).count() > 1,
        "the GETs overlapped"
    );
    assert_eq!(mock.remaining_for("client-1"), EVENTS as usize);
}

#[test]
fn token_errors_are_rfc_6749_bodies() {
    let cs = clients(1);
    let config = MockConfig {
        clients: cs.clone(),
        ..MockConfig::default()
    };
    let mock = MockServer::start(config, generate(1, 5)).unwrap();
    let url = format!("{}/oauth/token", mock.base_url());
    let a = agent();
    let auth = basic(&cs[0].id, &cs[0].secret);
    let form = |body: &str| {
        a.post(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.as_bytes())
            .unwrap()
    };
    refused(form("scope=api_access"), 400, "invalid_request");
    refused(
        form("grant_type=password&scope=api_access"),
        400,
        "unsupported_grant_type",
    );
    refused(
        form("grant_type=refresh_token&refresh_token=x&scope=api_access"),
        400,
        "invalid_grant",
    );
    refused(
        form("grant_type=client_credentials&scope=incident_api"),
        400,
        "invalid_scope",
    );
    refused(form("grant_type=client_credentials"), 400, "invalid_scope");
    refused(
        a.post(&url)
            .header("Authorization", "Basic bm9wZTpub3Bl")
            .send(DOCUMENTED.as_bytes())
            .unwrap(),
        401,
        "invalid_client",
    );
    refused(
        a.post(&url).send(DOCUMENTED.as_bytes()).unwrap(),
        401,
        "invalid_client",
    );
    assert_eq!(mock.tokens_issued(), 0);
    assert_eq!(mock.remaining(), 5);

    let denied = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            grant_scope: false,
            ..MockConfig::default()
        },
        Vec::new(),
    )
    .unwrap();
    refused(
        request_token(
            &a,
            &denied.base_url(),
            Shape::DocumentedForm,
            &cs[0].id,
            &cs[0].secret,
        ),
        400,
        "invalid_scope",
    );
}

#[test]
fn strict_token_requests_accept_only_the_documented_shape() {
    let cs = clients(1);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            strict_token_requests: true,
            ..MockConfig::default()
        },
        Vec::new(),
    )
    .unwrap();
    let a = agent();
    let (id, secret) = (&cs[0].id, &cs[0].secret);
    granted(request_token(
        &a,
        &mock.base_url(),
        Shape::DocumentedForm,
        id,
        secret,
    ));
    granted(request_token(
        &a,
        &mock.base_url(),
        Shape::SeveralScopesInBody,
        id,
        secret,
    ));
    for shape in [
        Shape::QueryStringEmptyBody,
        Shape::QueryStringNoBody,
        Shape::QueryStringMalformedContentType,
        Shape::FormBodyWithoutContentType,
        Shape::SeveralScopesInQuery,
    ] {
        refused(
            request_token(&a, &mock.base_url(), shape, id, secret),
            400,
            "invalid_request",
        );
    }
    refused(
        request_token(&a, &mock.base_url(), Shape::FormCredentials, id, secret),
        401,
        "invalid_client",
    );
    assert_eq!(mock.tokens_issued(), 2);
}

#[test]
fn bulk_size_is_capped_at_100_and_bad_sizes_are_json_400s() {
    let cs = clients(1);
    let mock = mock(cs.clone(), 1_000);
    let a = agent();
    let base = mock.base_url();
    let token = granted(request_token(
        &a,
        &base,
        Shape::DocumentedForm,
        &cs[0].id,
        &cs[0].secret,
    ));
    for bad in ["0", "-5", "abc", "", "1.5", "1e3"] {
        let mut r = a
            .get(&format!("{base}/api/v1/log_events_bulk?size={bad}"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 400, "size={bad}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert_eq!(v["error"], "invalid_request");
        assert!(
            v["error_description"]
                .as_str()
                .unwrap()
                .contains("size must be a whole number"),
            "{v}"
        );
    }
    assert_eq!(mock.remaining(), 1_000, "a refused request pops nothing");
    assert_eq!(bulk(&a, &base, &token, "?size=1000").unwrap().len(), 100);
    assert_eq!(bulk(&a, &base, &token, "").unwrap().len(), 100);
    assert_eq!(bulk(&a, &base, &token, "?size=101").unwrap().len(), 100);
    assert_eq!(
        bulk(&a, &base, &token, "?size=99999999999999999999999")
            .unwrap()
            .len(),
        100
    );
    assert_eq!(bulk(&a, &base, &token, "?size=7").unwrap().len(), 7);
    assert_eq!(mock.remaining(), 1_000 - 407);
}

#[test]
fn undelivered_events_are_dropped_after_the_retention() {
    let cs = clients(2);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            retention: Duration::from_millis(300),
            empty_wait: Duration::from_millis(10),
            ..MockConfig::default()
        },
        generate(1, 50),
    )
    .unwrap();
    let a = agent();
    let base = mock.base_url();
    let t0 = granted(request_token(
        &a,
        &base,
        Shape::DocumentedForm,
        &cs[0].id,
        &cs[0].secret,
    ));
    let t1 = granted(request_token(
        &a,
        &base,
        Shape::DocumentedForm,
        &cs[1].id,
        &cs[1].secret,
    ));
    assert_eq!(drain(&a, &base, &t0, ""), generate(1, 50));
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(bulk(&a, &base, &t1, ""), None, "client-1's copies expired");
    assert_eq!(mock.dropped_undelivered(), 50);
    mock.push_events(generate(51, 5));
    assert_eq!(drain(&a, &base, &t1, ""), generate(51, 5));
    assert_eq!(drain(&a, &base, &t0, ""), generate(51, 5));
    assert_eq!(mock.dropped_undelivered(), 50);
}

#[test]
fn an_expired_token_stays_dead_while_the_clients_other_tokens_work() {
    use aperture_events_capture::mock::Faults;
    let cs = clients(1);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            empty_wait: Duration::from_millis(10),
            faults: Faults {
                expire_token_every: Some(2),
                ..Faults::default()
            },
            ..MockConfig::default()
        },
        generate(1, 20),
    )
    .unwrap();
    let a = agent();
    let base = mock.base_url();
    let token = || {
        granted(request_token(
            &a,
            &base,
            Shape::DocumentedForm,
            &cs[0].id,
            &cs[0].secret,
        ))
    };
    let (t1, t2) = (token(), token());
    let status = |t: &str| {
        let mut r = a
            .get(&format!("{base}/api/v1/log_events_bulk?size=1"))
            .header("Authorization", &format!("Bearer {t}"))
            .call()
            .unwrap();
        let body = r.body_mut().read_to_string().unwrap();
        (r.status().as_u16(), body)
    };
    assert_eq!(status(&t1).0, 200); // request 1
    let (s, body) = status(&t1); // request 2: the fault
    assert_eq!(s, 401);
    assert!(body.contains("token expired"), "{body}");
    let (s, body) = status(&t1); // still dead, not counted
    assert_eq!(s, 401);
    assert!(body.contains("token expired"), "{body}");
    assert_eq!(status(&t2).0, 200); // request 3: the client's other token works
    let t3 = token();
    assert_eq!(status(&t3).0, 401); // request 4: the fault again
    assert_eq!(status(&token()).0, 200); // request 5: a new token works
}

#[test]
fn a_revocation_kills_every_token_of_the_client_until_a_new_one() {
    use aperture_events_capture::mock::Faults;
    let cs = clients(2);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            empty_wait: Duration::from_millis(10),
            faults: Faults {
                revoke_token_every: Some(3),
                ..Faults::default()
            },
            ..MockConfig::default()
        },
        generate(1, 20),
    )
    .unwrap();
    let a = agent();
    let base = mock.base_url();
    let token = |c: &MockClient| {
        granted(request_token(
            &a,
            &base,
            Shape::DocumentedForm,
            &c.id,
            &c.secret,
        ))
    };
    let (t1, t2, other) = (token(&cs[0]), token(&cs[0]), token(&cs[1]));
    let status = |t: &str| {
        let mut r = a
            .get(&format!("{base}/api/v1/log_events_bulk?size=1"))
            .header("Authorization", &format!("Bearer {t}"))
            .call()
            .unwrap();
        let body = r.body_mut().read_to_string().unwrap();
        (r.status().as_u16(), body)
    };
    assert_eq!(status(&t1).0, 200); // request 1
    assert_eq!(status(&other).0, 200); // request 2
    assert_eq!(status(&t1).0, 401); // request 3: revokes client-0's tokens
    let (s, body) = status(&t2);
    assert_eq!(s, 401, "the client's other token is revoked too");
    assert!(body.contains("token revoked"), "{body}");
    assert_eq!(status(&other).0, 200); // request 4: another client is untouched
    assert_eq!(status(&token(&cs[0])).0, 200); // request 5: a new token works
    assert_eq!(status(&t1).0, 401, "a revoked token stays revoked");
}
