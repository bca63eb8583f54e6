//! The capture against a hostile server (loopback only): echoes of the
//! request at every offset across the excerpt's cut, redirects, a body over
//! the limit, terminal escapes, an absurd token lifetime, and proxies from
//! the environment. No form of the secret or of any token may reach stdout,
//! stderr, the journal or any file written.

mod common;
mod hostile_server;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use base64::Engine;
use common::{PROXY_VARS, lines, run, stderr};
use hostile_server::{Hostile, Request, Response, all_files, assert_absent, forms};

const ID: &str = "CANARYID";
const SECRET: &str = "S3cr3t/CANARY+xyz=0123";
/// Where the capture cuts a server's text in a message.
const CUT: usize = 200;

fn basic() -> Vec<String> {
    let pair = format!("{ID}:{SECRET}");
    let std = base64::engine::general_purpose::STANDARD.encode(&pair);
    vec![std.clone(), std.trim_end_matches('=').to_owned()]
}

fn capture(server: &Hostile, dir: &Path) -> Command {
    capture_to(&server.base_url(), dir)
}

fn capture_to(base_url: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aperture-capture"));
    cmd.args(["--base-url", base_url, "--out"])
        .arg(dir.join("j.ndjson"))
        .args([
            "--retry-base-ms",
            "1",
            "--retry-cap-ms",
            "2",
            "--timeout-secs",
            "20",
        ])
        .env("APERTURE_CLIENT_ID", ID)
        .env("APERTURE_CLIENT_SECRET", SECRET)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    common::no_proxy_env(&mut cmd);
    cmd
}

/// No form of any of `secrets` in the output or in any file under `dir`.
fn assert_nothing_leaked(out: &Output, dir: &Path, secrets: &[String]) {
    for s in secrets {
        assert_absent("stderr", &out.stderr, s, 4);
        assert_absent("stdout", &out.stdout, s, 4);
        for (path, bytes) in all_files(dir) {
            assert_absent(&path.display().to_string(), &bytes, s, 4);
        }
    }
}

/// Bodies that put each form of each value across the cut, at every offset.
fn across_the_cut(values: &[String]) -> Vec<String> {
    let mut bodies = Vec::new();
    for v in values {
        for f in forms(v) {
            for k in 0..=f.chars().count().min(CUT) {
                bodies.push(format!("{}{f} and more text after it", "x".repeat(CUT - k)));
            }
        }
    }
    bodies
}

fn json_echo(req: &Request) -> String {
    serde_json::json!({"error": "server_error", "echo": req.echo()}).to_string()
}

#[test]
fn echoes_of_the_basic_value_never_reach_output() {
    let mut values = vec![SECRET.to_owned()];
    values.extend(basic());
    let bodies = across_the_cut(&values);
    let count = bodies.len();
    let server = Hostile::start(move |req, n| match n {
        0 => Response::new(500, json_echo(req)),
        1 => Response::new(500, json_echo(req).replace('/', "\\/")),
        2 => Response::new(
            500,
            form_urlencoded::byte_serialize(req.echo().as_bytes()).collect::<String>(),
        ),
        n if n - 3 < bodies.len() => Response::new(500, bodies[n - 3].clone()),
        _ => Response::new(401, req.echo()),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).args(["--max-failures", "0"]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bad credentials"), "{err}");
    assert_eq!(server.requests().len(), count + 4, "every offset was tried");
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert_eq!(
        auth,
        format!("Basic {}", basic()[0]),
        "the echo held the secret"
    );
    assert!(err.contains("***"), "{err}");
    assert_nothing_leaked(&out, dir.path(), &values);
}

#[test]
fn echoes_of_every_token_never_reach_output() {
    let issued = Arc::new(Mutex::new(Vec::<String>::new()));
    let tokens = Arc::clone(&issued);
    // (form, offset) pairs: each form of the bearer token across the cut.
    let sample = forms("tok/0000+0000000000000000");
    let mut cases: Vec<(usize, usize)> = sample
        .iter()
        .enumerate()
        .flat_map(|(i, f)| (0..=f.chars().count().min(CUT)).map(move |k| (i, k)))
        .collect();
    cases.reverse();
    let cases = Mutex::new(cases);
    let server = Hostile::start(move |req, n| {
        if req.is_token() {
            let token = format!(
                "tok/{n:04}+{:016x}",
                (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            );
            tokens.lock().unwrap().push(token.clone());
            return Response::new(
                200,
                format!(r#"{{"access_token":"{token}","expires_in":3600}}"#),
            );
        }
        let bearer = req
            .header("authorization")
            .unwrap_or("")
            .trim_start_matches("Bearer ")
            .to_owned();
        if n % 50 == 49 {
            // A new token for the next requests, whose echoes must be hidden too.
            return Response::new(401, json_echo(req));
        }
        match cases.lock().unwrap().pop() {
            Some((i, k)) => Response::new(
                500,
                format!(
                    "{}{} and more text after it",
                    "x".repeat(CUT - k),
                    forms(&bearer)[i]
                ),
            ),
            None => Response::new(403, json_echo(req)),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).args(["--max-failures", "0"]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("forbidden (403)"), "{err}");
    let issued = issued.lock().unwrap().clone();
    assert!(issued.len() >= 3, "tokens renewed on 401s: {issued:?}");
    let mut secrets = issued.clone();
    secrets.push(SECRET.to_owned());
    assert_nothing_leaked(&out, dir.path(), &secrets);
}

#[test]
fn an_error_body_cut_off_is_never_saved() {
    let server = Hostile::start(|req, n| match (req.is_token(), n) {
        (true, _) => Response::new(200, r#"{"access_token":"tok-CUT-ECHO-0001"}"#),
        (false, 0) => Response::new(500, json_echo(req)).cut(),
        (false, 1) => Response::new(200, r#"{"events":[{"a":1},{"b":2}]}"#).cut(),
        (false, _) => Response::new(204, ""),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("connection lost mid-body"), "{err}");
    // Only the events body's part is kept: the error body echoed the token.
    let kept = all_files(&dir.path().join("j.ndjson.rejects"));
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].1, br#"{"events":[{"a":1},{"b":2}]}"#);
    assert_nothing_leaked(&out, dir.path(), &["tok-CUT-ECHO-0001".to_owned()]);
}

#[test]
fn redirects_are_not_followed_nor_journaled() {
    let elsewhere = Hostile::start(|_, _| {
        Response::new(
            200,
            r#"{"events":[{"log_type":"incident","from":"elsewhere"}]}"#,
        )
    });
    let target = format!("{}/api/v1/log_events_bulk?size=100", elsewhere.base_url());
    let to = target.clone();
    let server = Hostile::start(move |req, _| {
        if req.is_token() {
            return Response::new(
                200,
                r#"{"access_token":"tok-REDIRECTED-0001","expires_in":60}"#,
            );
        }
        Response::new(302, json_echo(req))
            .header("Location", &format!("{to}&t=tok-REDIRECTED-0001"))
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "redirected (302) to {target}&t=***: redirects are not followed"
        )),
        "{err}"
    );
    assert_eq!(elsewhere.connections(), 0, "the redirect was followed");
    assert!(lines(&dir.path().join("j.ndjson")).is_empty());
    assert_nothing_leaked(
        &out,
        dir.path(),
        &["tok-REDIRECTED-0001".to_owned(), SECRET.to_owned()],
    );

    // The token endpoint's redirect is refused the same way: the Basic value stays here.
    let server = Hostile::start(move |req, _| {
        Response::new(307, json_echo(req)).header("Location", &target)
    });
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("/oauth/token: redirected (307) to http://127.0.0.1:"),
        "{err}"
    );
    assert_eq!(elsewhere.connections(), 0);
    let mut secrets = vec![SECRET.to_owned()];
    secrets.extend(basic());
    assert_nothing_leaked(&out, dir.path(), &secrets);
}

#[test]
fn a_body_over_the_limit_is_streamed_to_a_partial_file() {
    let events: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                r#"{{"log_type":"incident","n":{i},"pad":"{}"}}"#,
                "p".repeat(40)
            )
        })
        .collect();
    let body = format!(r#"{{"events":[{}]}}"#, events.join(","));
    assert!(body.len() > 200_000);
    let sent = body.clone();
    let server = Hostile::start(move |req, n| match (req.is_token(), n) {
        (true, _) => Response::new(200, r#"{"access_token":"tok-HUGE-0001"}"#),
        (false, 0) => Response::new(200, sent.clone()),
        (false, _) => Response::new(204, ""),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).args(["--until-drained", "--max-body", "65536"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let partial: Vec<_> = all_files(&dir.path().join("j.ndjson.rejects"))
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().ends_with(".partial"))
        .collect();
    assert_eq!(partial.len(), 1, "{err}");
    assert!(
        partial[0].1 == body.as_bytes(),
        "the whole body, byte for byte"
    );
    assert!(
        err.contains(&format!(
            "({} bytes, over the 65536 bytes held in memory)",
            body.len()
        )),
        "{err}"
    );
    assert!(lines(&dir.path().join("j.ndjson")).is_empty());
}

#[test]
fn terminal_escapes_from_the_server_are_printed_escaped() {
    let nasty = "\u{1b}[2J\u{1b}]0;pwned\u{7}\r\u{9b}31m\u{202e}evil";
    let server = Hostile::start(move |req, n| match (req.is_token(), n) {
        (true, _) => Response::new(200, r#"{"access_token":"tok-ESC-0001"}"#),
        (false, 0) => Response::new(500, format!("oops {nasty} end")),
        (false, 1) => Response::new(200, format!(r#"{{"events": "{nasty}"}}"#)),
        (false, _) => Response::new(204, ""),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
        assert!(!err.contains(bad), "{bad:?} printed raw: {err:?}");
    }
    assert!(
        err.contains(r"oops \u{1b}[2J\u{1b}]0;pwned\u{7}\u{d}\u{9b}31m\u{202e}evil end"),
        "{err}"
    );
}

#[test]
fn an_overflowing_token_lifetime_is_no_crash() {
    let server = Hostile::start(|req, n| match (req.is_token(), n) {
        (true, _) => Response::new(
            200,
            r#"{"access_token":"tok-FOREVER-01","expires_in":18446744073709551615}"#,
        ),
        (false, 0) => Response::new(200, r#"{"events":[{"a":1},{"b":2}]}"#),
        (false, _) => Response::new(204, ""),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&dir.path().join("j.ndjson")).len(), 2);

    // One past u64: refused as bad json, cleanly, without showing the token.
    let server = Hostile::start(|_, _| {
        Response::new(
            200,
            r#"{"access_token":"tok-FOREVER-02","expires_in":18446744073709551616}"#,
        )
    });
    let out = run(capture(&server, dir.path()).arg("--until-drained"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("token response is not the expected json"),
        "{err}"
    );
    assert_nothing_leaked(&out, dir.path(), &["tok-FOREVER-02".to_owned()]);
}

/// A listener that only counts connections: a proxy that must not be used.
fn spy() -> Hostile {
    Hostile::start(|_, _| Response::new(500, "spy"))
}

fn api() -> Hostile {
    Hostile::start(|req, n| match (req.is_token(), n) {
        (true, _) => Response::new(200, r#"{"access_token":"tok-PROXY-0001"}"#),
        (false, 0) => Response::new(200, r#"{"events":[{"a":1}]}"#),
        (false, _) => Response::new(204, ""),
    })
}

#[test]
fn a_proxy_is_refused_unless_both_ends_are_loopback_or_https() {
    let spy = spy();
    let server = api();
    let dir = tempfile::tempdir().unwrap();
    // 0.0.0.0 is not a loopback address, yet reaches this machine: were the
    // proxy used, the spy would see it (and nothing would leave the machine).
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        let out = run(capture(&server, dir.path())
            .arg("--until-drained")
            .env(var, format!("http://user:pw@0.0.0.0:{}", spy.port)));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with(&format!(
                "error: {var}: the proxy http://0.0.0.0:{} is not used",
                spy.port
            )),
            "{err}"
        );
        assert!(err.contains("--no-proxy") && !err.contains("pw"), "{err}");
    }
    assert_eq!(spy.connections() + server.connections(), 0);

    // --no-proxy: straight to the API.
    let out = run(capture(&server, dir.path())
        .args(["--until-drained", "--no-proxy"])
        .env("HTTP_PROXY", format!("http://0.0.0.0:{}", spy.port)));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(spy.connections(), 0);
    assert!(server.requests().iter().all(|r| !r.tunnelled));
}

#[test]
fn a_loopback_proxy_for_a_loopback_api_is_used() {
    // The proxy tunnels to itself: it plays the API behind the CONNECT.
    let proxy = api();
    let dir = tempfile::tempdir().unwrap();
    // The API's address does not matter: the proxy answers for it.
    let mut cmd = capture_to("http://127.0.0.1:9", dir.path());
    cmd.arg("--until-drained")
        .env("HTTP_PROXY", proxy.base_url());
    let out = run(&mut cmd);
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = proxy.requests();
    assert!(
        reqs.iter()
            .any(|r| r.line.starts_with("CONNECT 127.0.0.1:9 ")),
        "{reqs:?}"
    );
    assert!(
        reqs.iter()
            .filter(|r| !r.line.starts_with("CONNECT"))
            .all(|r| r.tunnelled)
    );
    assert_eq!(
        lines(&dir.path().join("j.ndjson")),
        vec![br#"{"a":1}"#.to_vec()]
    );
    let _ = PROXY_VARS;
}
