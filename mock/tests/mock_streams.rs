//! The mock's events endpoints, spoken to with a plain HTTP client (ureq):
//! the bulk `size` rules, 30 concurrent GETs on one client, retention, and
//! what expired and revoked tokens do.

mod mock_http;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use aperture_events_mock::{MockClient, MockConfig, MockServer, generate};
use mock_http::*;
use serde_json::Value;

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
        "the events were spread over several of the concurrent GETs"
    );
    assert_eq!(mock.remaining_for("client-1"), EVENTS as usize);
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
    use aperture_events_mock::{Fault, Faults};
    let cs = clients(1);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            empty_wait: Duration::from_millis(10),
            faults: Faults::every(2, Fault::ExpireToken),
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
    use aperture_events_mock::{Fault, Faults};
    let cs = clients(2);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            empty_wait: Duration::from_millis(10),
            faults: Faults::every(3, Fault::RevokeToken),
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

#[test]
fn events_arrive_at_the_arrival_rate_stamped_when_they_arrive() {
    let cs = clients(1);
    let mock = MockServer::start(
        MockConfig {
            clients: cs.clone(),
            arrival_rate: 500,
            ..MockConfig::default()
        },
        Vec::new(),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let queued = mock.remaining();
    // 750 due; the last tick may be up to 100 ms late or early.
    assert!((650..=850).contains(&queued), "{queued} events after 1.5 s");
    let base = mock.base_url();
    let token = granted(request_token(
        &agent(),
        &base,
        Shape::DocumentedForm,
        &cs[0].id,
        &cs[0].secret,
    ));
    let events = bulk(&agent(), &base, &token, "?size=100").expect("events");
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    for e in &events {
        let v: Value = serde_json::from_slice(e).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339(v["timestamp"].as_str().unwrap()).unwrap();
        let age = now.signed_duration_since(at).num_seconds();
        assert!((0..=3).contains(&age), "stamped {age} s ago: {v}");
    }
    let unique: HashSet<_> = events.iter().collect();
    assert_eq!(unique.len(), events.len());
}
