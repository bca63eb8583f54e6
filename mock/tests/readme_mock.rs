//! The mock command the READMEs show serves events that look like real
//! traffic: every `timestamp` parses with the fixed pattern
//! `%Y-%m-%dT%H:%M:%SZ` that at least one published add-on uses (it drops a
//! whole batch on a fraction or an offset). The command is read from the
//! READMEs themselves, so the test follows what users copy.

#[path = "../../capture/tests/common/mod.rs"]
mod common;

use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

use common::*;

/// The `aperture-mock ...` command of a README (with `\` continuations), as arguments.
fn mock_command(readme: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(readme).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("aperture-mock "));
    let mut args = Vec::new();
    for line in lines.by_ref() {
        let code = line.split('#').next().unwrap().trim_end();
        let (code, more) = match code.strip_suffix('\\') {
            Some(c) => (c, true),
            None => (code, false),
        };
        args.extend(code.split_whitespace().map(str::to_owned));
        if !more {
            break;
        }
    }
    assert_eq!(
        args.first().map(String::as_str),
        Some("aperture-mock"),
        "{}",
        readme.display()
    );
    args.remove(0);
    args
}

fn serves_fixed_pattern_timestamps(readme: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args = mock_command(&root.join(readme));
    let mut mock = std::process::Command::new(env!("CARGO_BIN_EXE_aperture-mock"))
        .args(&args)
        .args(["--listen", "127.0.0.1:0"])
        .current_dir(&root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(mock.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .strip_prefix("listening on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut token = agent
        .post(&format!("{url}/oauth/token"))
        .header("Authorization", "Basic bW9jay1jbGllbnQ6bW9jay1zZWNyZXQ=") // mock-client:mock-secret
        .send_form([
            ("grant_type", "client_credentials"),
            ("scope", "api_access"),
        ])
        .unwrap();
    let token: serde_json::Value =
        serde_json::from_str(&token.body_mut().read_to_string().unwrap()).unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let mut seen = 0;
    for _ in 0..1_000 {
        let r = agent
            .get(&format!("{url}/api/v1/log_events_bulk?size=100"))
            .header("Authorization", &bearer)
            .call();
        // The README's faults: 429s (no need to wait here) and bodies cut mid-way.
        let Ok(mut r) = r else { continue };
        match r.status().as_u16() {
            204 => break,
            200 => {}
            _ => continue,
        }
        let Ok(text) = r.body_mut().read_to_string() else {
            continue;
        };
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        for event in body["events"].as_array().unwrap() {
            let ts = event["timestamp"].as_str().unwrap();
            assert!(
                chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%dT%H:%M:%SZ").is_ok(),
                "{readme}: `{ts}` does not parse with %Y-%m-%dT%H:%M:%SZ"
            );
            seen += 1;
        }
    }
    signal(&mock, rustix::process::Signal::TERM);
    let _ = wait(mock, Duration::from_secs(20));
    // Every 5th answer is cut mid-body by the README's faults: about 8,000 of 10,019 arrive.
    assert!(seen >= 7_000, "{readme}: only {seen} events seen");
}

#[cfg(unix)]
#[test]
fn the_readme_mock_command_serves_utc_z_timestamps() {
    serves_fixed_pattern_timestamps("README.md");
}

#[cfg(unix)]
#[test]
fn the_mock_readme_mock_command_serves_utc_z_timestamps() {
    serves_fixed_pattern_timestamps("mock/README.md");
}
