//! The mock's token endpoint, spoken to with a plain HTTP client (ureq), not
//! through `aperture-capture`: every token request shape published clients
//! send gets a token that drains the client's own stream exactly once, the
//! errors are RFC 6749 §5.2 bodies, and strict mode accepts only the
//! documented shape.

mod mock_http;

use std::sync::Arc;
use std::time::Duration;

use aperture_events_mock::{MockConfig, MockServer, generate};
use mock_http::*;

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
