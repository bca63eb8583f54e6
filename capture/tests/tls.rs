//! The mock over TLS: `aperture-capture` reaches it through a region name
//! (a resolver override and the mock's CA, no system file touched) and drains
//! it exactly once; the certificate holds every region host and loopback
//! name, and a client that does not trust the CA gets nothing.

mod common;

use aperture_events_capture::connect::{Connect, ResolveRule};
use aperture_events_capture::region::Region;
use aperture_events_mock::{MockConfig, MockServer, generate};
use common::*;

fn tls_mock(events: u64) -> MockServer {
    start(
        MockConfig {
            tls: true,
            ..mock_config()
        },
        events,
    )
}

/// `--resolve` for a region's host:443 to the mock.
fn resolve_arg(region: Region, mock: &MockServer) -> String {
    format!("{}:443:{}", region.host(), mock.addr())
}

#[test]
fn capture_through_a_region_name_drains_the_tls_mock_exactly_once() {
    let mock = tls_mock(700);
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, mock.ca_pem().expect("a TLS mock has a CA")).unwrap();
    let journal = dir.path().join("events.ndjson");
    let out = run(bare().args([
        "--region",
        "us",
        "--resolve",
        &resolve_arg(Region::Us, &mock),
        "--ca-file",
        ca.to_str().unwrap(),
        "--out",
        journal.to_str().unwrap(),
        "--until-drained",
        "--size",
        "64",
    ]));
    assert_success(&out);
    let got = lines(&journal);
    assert_eq!(got, generate(1, 700));
    assert_eq!(got, delivered(&mock.log()));
    assert_no_duplicates(&got);
    assert_eq!(mock.remaining(), 0);
}

#[test]
fn a_capture_that_does_not_trust_the_ca_gets_nothing() {
    let mock = tls_mock(10);
    let dir = tempfile::tempdir().unwrap();
    let out = run(bare().args([
        "--region",
        "eu",
        "--resolve",
        &resolve_arg(Region::Eu, &mock),
        "--out",
        dir.path().join("j").to_str().unwrap(),
        "--max-failures",
        "1",
        "--retry-base-ms",
        "5",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        mock.log().is_empty(),
        "no request got through the handshake"
    );
    assert_eq!(mock.remaining(), 10);
}

fn token_status(connect: Connect, url: &str) -> Result<u16, ureq::Error> {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(connect.tls_config())
        .build();
    let agent = connect.agent(config);
    let r = agent
        .post(&format!("{url}/oauth/token"))
        .header(
            "Authorization",
            &format!(
                "Basic {}",
                base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    format!("{CLIENT_ID}:{CLIENT_SECRET}")
                )
            ),
        )
        .send_form([
            ("grant_type", "client_credentials"),
            ("scope", "api_access"),
        ])?;
    Ok(r.status().as_u16())
}

#[test]
fn the_certificate_is_valid_for_every_region_host_and_loopback_and_nothing_else() {
    let mock = tls_mock(0);
    let ca =
        aperture_events_capture::connect::load_ca_pem(mock.ca_pem().unwrap().as_bytes()).unwrap();
    let port = mock.addr().port();
    let via = |host: &str| Connect {
        ca_certs: ca.clone(),
        resolve: vec![ResolveRule {
            host: host.to_owned(),
            port: 443,
            to: mock.addr(),
        }],
    };
    for region in Region::ALL {
        assert_eq!(
            token_status(via(region.host()), &region.base_url()).unwrap(),
            200,
            "{region}"
        );
    }
    let direct = Connect {
        ca_certs: ca.clone(),
        resolve: Vec::new(),
    };
    assert_eq!(
        token_status(direct.clone(), &format!("https://127.0.0.1:{port}")).unwrap(),
        200
    );
    assert_eq!(
        token_status(direct, &format!("https://localhost:{port}")).unwrap(),
        200
    );
    // A name the certificate does not hold fails the handshake.
    let err = token_status(
        via("api.other.example.test"),
        "https://api.other.example.test",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("certificate not valid for name \"api.other.example.test\""),
        "{err}"
    );
    assert_eq!(mock.tokens_issued(), Region::ALL.len() as u64 + 2);
}
