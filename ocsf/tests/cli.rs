//! The `aperture-ocsf` command as a user runs it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use common::{problems, repo};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aperture-ocsf"))
        .args(args)
        .output()
        .expect("runs")
}

fn events(stdout: &[u8]) -> Vec<Value> {
    stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn captures_convert_with_a_summary_per_class() {
    let captures = repo().join("tests/fixtures/captures");
    let out = run(&[captures.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let events = events(&out.stdout);
    assert!(events.len() > 10);
    for e in &events {
        assert_eq!(problems(e), Vec::<String>::new());
        assert!(e["raw_data"].is_string());
    }
    assert!(
        stderr.contains(&format!("aperture-ocsf: {} OCSF events", events.len())),
        "{stderr}"
    );
    assert!(stderr.contains("File Hosting Activity (6006)"), "{stderr}");
}

#[test]
fn a_malformed_record_is_reported_with_its_place_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(
        &input,
        concat!(
            r#"{"log_type":"incident","incident_id":"a","timestamp":"2020-05-08T23:50:55Z"}"#,
            "\n{\"log_type\": \n",
            r#"{"log_type":"incident","incident_id":"b"}"#,
            "\n",
            r#"{"log_type":"dlp_scan","timestamp":"2020-05-08T23:50:55Z"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = run(&["--unknown", "skip", input.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(events(&out.stdout).len(), 1);
    let name = input.display().to_string();
    assert!(stderr.contains(&format!("{name}:2")), "{stderr}");
    assert!(
        stderr.contains(&format!("{name}:3:1: no `timestamp`")),
        "{stderr}"
    );
    assert!(stderr.contains("1  skipped (unknown log_type)"), "{stderr}");
    assert!(stderr.contains("2  records not converted"), "{stderr}");
}

#[test]
fn output_file_is_0600_and_options_apply() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.ndjson");
    let fixture = repo().join("tests/fixtures/valid/doc_policy_violation.json");
    let out = run(&[
        "--no-raw-data",
        "--severity-table",
        "3=4",
        "-q",
        "-o",
        output.to_str().unwrap(),
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let mode = std::fs::metadata(&output).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let events = events(&std::fs::read(&output).unwrap());
    assert_eq!(events.len(), 1);
    assert!(events[0].get("raw_data").is_none());
    assert_eq!(events[0]["severity"], "High");
    let bad = run(&["--severity-table", "9=1", fixture.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a vendor severity"));
}

#[test]
fn a_link_planted_at_the_output_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "kept\n").unwrap();
    let link = dir.path().join("out.ndjson");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let fixture = repo().join("tests/fixtures/valid/doc_policy_violation.json");
    let out = run(&[
        "-q",
        "-o",
        link.to_str().unwrap(),
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("symbolic link, which is not followed"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept\n");

    // A file there is replaced whole.
    std::fs::remove_file(&link).unwrap();
    std::fs::write(&link, "x".repeat(100_000)).unwrap();
    let out = run(&[
        "-q",
        "-o",
        link.to_str().unwrap(),
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(events(&std::fs::read(&link).unwrap()).len(), 1);
}

#[test]
fn har_gzip_and_http_transcripts_are_read_as_the_validator_reads_them() {
    use base64::Engine;
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let event = r#"{"log_type":"admin_audit","admin_id":"a@example.com","action":"edit","item_type":"settings","timestamp":"2022-11-03T09:15:00Z"}"#;
    let bulk = format!(r#"{{"events": [{event}, {event}]}}"#);
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "POST", "url": "https://api.aperture.paloaltonetworks.com/oauth/token"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{\"access_token\": \"secret\"}"}}},
        {"request": {"method": "GET", "url": "https://api.aperture.paloaltonetworks.com/api/v1/log_events"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": event}}},
        {"request": {"method": "GET", "url": "https://api.aperture.paloaltonetworks.com/api/v1/log_events"},
         "response": {"status": 204, "content": {"mimeType": "", "size": 0}}},
        {"request": {"method": "GET", "url": "https://api.aperture.paloaltonetworks.com/api/v1/log_events_bulk?size=100"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "encoding": "base64",
            "text": base64::engine::general_purpose::STANDARD.encode(&bulk)}}},
        {"request": {"method": "GET", "url": "https://api.aperture.paloaltonetworks.com/api/v1/log_events"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{\"log_type\": }"}}}
    ]}});
    let har_path = dir.path().join("capture.har");
    std::fs::write(&har_path, har.to_string()).unwrap();
    let gz_path = dir.path().join("events.ndjson.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    writeln!(gz, "{event}\n{event}").unwrap();
    gz.finish().unwrap();
    let out = run(&[har_path.to_str().unwrap(), gz_path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The last HAR entry is not JSON: reported with its place, and the run goes on.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("capture.har (HAR entry 4): not JSON"),
        "{stderr}"
    );
    let har_events = events(&out.stdout);
    assert!(har_events.iter().all(|e| problems(e).is_empty()));
    let managed = har_events.iter().filter(|e| e["class_uid"] == 3004).count();
    assert_eq!(managed, 5, "{stderr}");
    assert!(stderr.contains("5  Entity Management (3004)"), "{stderr}");
    let http = repo().join("tests/fixtures/captures/transcripts.http");
    let out = run(&[http.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = events(&out.stdout);
    assert!(!converted.is_empty() && converted.iter().all(|e| problems(e).is_empty()));
}

#[test]
fn reports_and_lines_keep_input_order_across_batches() {
    // More entries than several batches hold, with the reader's reports
    // (lines that are not JSON) and the converter's (no `timestamp`)
    // interleaved: every line converted in order, every report in order.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    let mut text = String::new();
    let mut expected = Vec::new();
    let mut converted = Vec::new();
    for line in 1..=9_000 {
        if line % 7 == 0 {
            text.push_str("{\"log_type\": \n");
            expected.push(format!("{}:{line}:", input.display()));
        } else if line % 11 == 0 {
            text.push_str(&format!(
                "{{\"log_type\":\"incident\",\"incident_id\":\"{line}\"}}\n"
            ));
            expected.push(format!("{}:{line}:1: no `timestamp`", input.display()));
        } else {
            text.push_str(&format!(
                "{{\"log_type\":\"incident\",\"incident_id\":\"{line}\",\"timestamp\":\"2020-05-08T23:50:55Z\"}}\n"
            ));
            converted.push(line.to_string());
        }
    }
    std::fs::write(&input, text).unwrap();
    let out = run(&["-q", input.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<&str> = stderr.lines().collect();
    assert_eq!(reports.len(), expected.len());
    for (report, start) in reports.iter().zip(&expected) {
        assert!(report.starts_with(start.as_str()), "{report} / {start}");
    }
    let ids: Vec<String> = events(&out.stdout)
        .iter()
        .map(|e| {
            e["finding_info"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, converted);
}

/// An input of `n` events, one a line.
fn write_events(path: &std::path::Path, n: usize) -> String {
    let line = r#"{"log_type":"incident","incident_id":"a","timestamp":"2020-05-08T23:50:55Z"}"#;
    let text = format!("{line}\n").repeat(n);
    std::fs::write(path, &text).unwrap();
    text
}

#[test]
fn an_output_that_is_also_an_input_is_refused_before_it_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    let text = write_events(&input, 3);
    let hard = dir.path().join("hard.ndjson");
    std::fs::hard_link(&input, &hard).unwrap();
    let soft = dir.path().join("soft.ndjson");
    std::os::unix::fs::symlink(&input, &soft).unwrap();
    // The same path, a hard link to it, a symbolic link to it as the input.
    for named in [&input, &hard, &soft] {
        let out = run(&[named.to_str().unwrap(), "-o", input.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is also an input"), "{stderr}");
        assert!(stderr.contains(named.to_str().unwrap()), "{stderr}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    }
    // Standard input redirected from the output.
    let out = Command::new(env!("CARGO_BIN_EXE_aperture-ocsf"))
        .args(["-", "-o", input.to_str().unwrap()])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("<stdin>"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    // Devices are not files to protect: /dev/null in and out is fine.
    let out = run(&["-q", "/dev/null", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_output_inside_an_input_directory_is_never_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("captures");
    std::fs::create_dir(&inputs).unwrap();
    write_events(&inputs.join("a.ndjson"), 5_000);
    let output = inputs.join("z.ndjson");
    // Created by the run (listed after it, were the directory read after):
    // then there (the second run would read it, and replace it).
    for round in 0..2 {
        let out = run(&[inputs.to_str().unwrap(), "-o", output.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
        assert_eq!(
            events(&std::fs::read(&output).unwrap()).len(),
            5_000,
            "round {round}: {stderr}"
        );
        assert!(
            stderr.contains("aperture-ocsf: 5000 OCSF events"),
            "{stderr}"
        );
        if round == 1 {
            assert!(
                stderr.contains("z.ndjson: the output (-o), not read"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn the_record_size_limit_the_reports_name_is_an_option() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    let short = r#"{"log_type":"incident","incident_id":"a","timestamp":"2020-05-08T23:50:55Z"}"#;
    let long = format!(
        r#"{{"log_type":"incident","incident_id":"{}","timestamp":"2020-05-08T23:50:55Z"}}"#,
        "b".repeat(9 << 20)
    );
    std::fs::write(&input, format!("{short}\n{long}\n{short}\n")).unwrap();
    let name = input.to_str().unwrap();
    // By default (8 MiB) the long record is reported with the option that raises the limit.
    let out = run(&["-q", name]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{name}:2:1: record longer than 8388608 bytes (--max-record-size)"
        )),
        "{stderr}"
    );
    assert_eq!(events(&out.stdout).len(), 2);
    // Raised, it converts (written as the validator takes it, too);
    // lowered, the short ones are refused too.
    for raised in ["16777216", "16M", "16MiB"] {
        let out = run(&["-q", "--max-record-size", raised, name]);
        assert_eq!(out.status.code(), Some(0), "{raised}");
        assert_eq!(events(&out.stdout).len(), 3);
    }
    let out = run(&["-q", "--max-record-size", "64", name]);
    assert_eq!(out.status.code(), Some(1));
    assert!(events(&out.stdout).is_empty());
    // Out of range: a usage error naming the option, nothing read.
    for bad in ["0", "1099511627776", "-1", "2G", "1T", "8 M"] {
        let out = run(&[&format!("--max-record-size={bad}"), name]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--max-record-size"), "{bad}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = run(&["--max-decompression-ratio", "0", name]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["-q", "--max-decompression-ratio", "10", name]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_output_that_fails_stops_the_run_without_a_flood_of_reports() {
    // /dev/full refuses every write: the run stops soon (exit 2), instead of reading every input to its end and reporting
    // each bad record of it while writing nothing.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    let good = r#"{"log_type":"incident","incident_id":"a","timestamp":"2020-05-08T23:50:55Z"}"#;
    let bad = r#"{"log_type":"incident","incident_id":"a"}"#;
    std::fs::write(&input, format!("{good}\n{bad}\n").repeat(100_000)).unwrap();
    let out = run(&[input.to_str().unwrap(), "-o", "/dev/full"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(
        stderr.contains("cannot write the output"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    // The records before the first failed write (the output's 64 KiB
    // buffer took their lines) are reported: about a hundred, not 100,000.
    assert!(
        stderr.lines().count() < 1_000,
        "{} lines",
        stderr.lines().count()
    );
}

#[test]
fn dash_is_standard_input_once_and_standard_output_for_o() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    write_events(&input, 2);
    // `-o -` writes to stdout (as `-` reads stdin), not to a file named `-`.
    let out = Command::new(env!("CARGO_BIN_EXE_aperture-ocsf"))
        .current_dir(dir.path())
        .args(["-q", "-o", "-", "in.ndjson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(events(&out.stdout).len(), 2);
    assert!(!dir.path().join("-").exists());
    // Standard input cannot be read twice: refused, as the validator does.
    let out = Command::new(env!("CARGO_BIN_EXE_aperture-ocsf"))
        .args(["-", "-"])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("only once"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn names_found_in_a_directory_are_printed_without_their_control_characters() {
    // A name holding ESC and a newline could recolour the terminal or
    // forge a report line; records' places escape them, and so do the
    // reports about whole inputs (a dangling link, a FIFO, the output).
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let evil = "x\u{1b}[2J\nforged.ndjson:1:1: fake";
    std::os::unix::fs::symlink("/nonexistent", inputs.join(format!("link{evil}"))).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(inputs.join(format!("fifo{evil}")))
        .status()
        .unwrap();
    assert!(fifo.success());
    let output = inputs.join(format!("out{evil}"));
    write_events(&output, 1);
    let out = run(&[inputs.to_str().unwrap(), "-o", output.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(!stderr.contains("\nforged"), "{stderr:?}");
    for kind in ["link", "fifo", "out"] {
        assert!(
            stderr.contains(&format!("{kind}x\\u001b[2J\\u000aforged")),
            "{kind}: {stderr:?}"
        );
    }
}
