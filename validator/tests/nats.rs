//! `aperture-validate nats://…/STREAM` (feature `nats`) against a real
//! `nats-server` on loopback: two validators sharing one durable consumer
//! print reports that merge into the report of the journal file, and a
//! validator stopped by `--max-events` leaves the rest to the next one.
//! Run by `tests/nats/run.sh`, which installs nats-server.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A port free on loopback now, and never handed out before in this test
/// process: the two tests run in parallel, and the OS may give a
/// just-released port again, so both servers would race for it (one exits,
/// and its test talks to the other's server until that one is killed).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut given = GIVEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if given.insert(port) {
            return port;
        }
    }
}

/// A one-node JetStream server on a free loopback port, killed on drop.
struct Server(Child, u16);

impl Server {
    fn start(dir: &Path) -> Server {
        let port = free_port();
        let child = Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
            .arg(dir.join("store"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts (tests/nats/run.sh installs it)");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "nats-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Server(child, port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A journal with records of every class and drift of every kind.
fn journal(dir: &Path) -> (PathBuf, usize) {
    let mut lines: Vec<String> =
        std::fs::read_to_string(repo().join("tests/fixtures/captures/events.ndjson"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
    for i in 0..1500 {
        lines.push(match i % 6 {
            0 => format!(r#"{{"log_type":"incident","timestamp":"2017-08-14T23:20:57Z","incident_id":"i{i}","severity":1.0,"new_{}":1}}"#, i % 7),
            1 => format!(r#"{{"log_type":"remediation","timestamp":"2017-08-14T23:20:57Z","action":"act-{}"}}"#, i % 5),
            2 => format!(r#"{{"log_type":"dlp_scan_{}"}}"#, i % 3),
            3 => r#"{"log_type":"incident","timestamp":"yesterday"}"#.to_owned(),
            4 => r#"{"log_type":"incident", "#.to_owned(),
            _ => r#"{"log_type":"admin_audit","timestamp":"2017-08-14T23:20:57Z","ip":null}"#.to_owned(),
        });
    }
    let path = dir.join("journal.ndjson");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    (path, lines.len())
}

/// Publishes each line, in order, to a new stream `EVENTS`.
fn publish(port: u16, path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = async_nats::connect(format!("nats://127.0.0.1:{port}"))
            .await
            .unwrap();
        let js = async_nats::jetstream::new(client);
        js.create_stream(async_nats::jetstream::stream::Config {
            name: "EVENTS".into(),
            subjects: vec!["events.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
        let mut acks = Vec::new();
        for line in text.lines() {
            acks.push(
                js.publish("events.x", line.as_bytes().to_vec().into())
                    .await
                    .unwrap(),
            );
        }
        for ack in acks {
            ack.await.unwrap();
        }
    });
}

/// The first place where two JSON documents differ.
fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (p, q) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                if let Some(d) = difference(p, q, &format!("{at}/{key}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if let Some(d) = difference(p, q, &format!("{at}/{i}")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}: {} items, not {}", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{at}: {a} is not {b}")),
    }
}

fn assert_same(merged: &Value, whole: &Value) {
    if let Some(d) = difference(merged, whole, "") {
        panic!("the merged report differs from the journal's at {d}");
    }
}

fn validate(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aperture-validate"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a report ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Merges reports with `aperture-validate merge`.
fn merge(dir: &Path, reports: &[&Output]) -> Value {
    let mut paths = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let p = dir.join(format!("r{i}.json"));
        std::fs::write(&p, &r.stdout).unwrap();
        paths.push(p.to_str().unwrap().to_owned());
    }
    let mut args = vec!["merge", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    json(&validate(&args).output().unwrap())
}

/// The report of the journal file, its places named as the stream's: the
/// message of line `n` has the sequence `n`.
fn file_report(path: &Path) -> Value {
    let out = validate(&["--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let name = serde_json::to_string(path.to_str().unwrap()).unwrap();
    let mut report = serde_json::from_str(&text.replace(&name, "\"nats:EVENTS\"")).unwrap();
    lines_as_sequences(&mut report);
    report
}

/// Every place's `line` becomes its `sequence`.
fn lines_as_sequences(value: &mut Value) {
    match value {
        Value::Object(members) => {
            if members.contains_key("source") {
                if let Some(line) = members.remove("line") {
                    members.insert("sequence".to_owned(), line);
                }
            }
            members.values_mut().for_each(lines_as_sequences);
        }
        Value::Array(items) => items.iter_mut().for_each(lines_as_sequences),
        _ => {}
    }
}

#[test]
fn two_validators_on_one_durable_consumer_merge_into_the_report_of_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (path, n) = journal(dir.path());
    publish(server.1, &path);
    let target = format!("nats://127.0.0.1:{}/EVENTS", server.1);
    let args = [
        "--format",
        "json",
        "--consumer",
        "shared",
        "--until-idle",
        "2",
        &target,
    ];
    let a = validate(&args).spawn().unwrap();
    let b = validate(&args).spawn().unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (ra, rb) = (json(&a), json(&b));
    let (ta, tb) = (
        ra["summary"]["total"].as_u64().unwrap(),
        rb["summary"]["total"].as_u64().unwrap(),
    );
    assert_eq!(
        ta + tb,
        n as u64,
        "each message is classified by one validator"
    );
    assert!(ta > 0 && tb > 0, "the work is shared: {ta} and {tb}");
    assert_eq!(a.status.code(), Some(1), "malformed records fail the run");
    assert_same(&merge(dir.path(), &[&a, &b]), &file_report(&path));
    // The consumer acknowledged everything: a third validator finds nothing.
    let c = validate(&args).output().unwrap();
    assert_eq!(json(&c)["summary"]["total"], 0);
}

#[test]
fn max_events_stops_and_the_next_validator_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let (path, n) = journal(dir.path());
    publish(server.1, &path);
    let target = format!("nats://127.0.0.1:{}/EVENTS", server.1);
    let first = validate(&["--format", "json", "--max-events", "250", &target])
        .output()
        .unwrap();
    assert_eq!(json(&first)["summary"]["total"], 250);
    let rest = validate(&["--format", "json", "--until-idle", "1", &target])
        .output()
        .unwrap();
    assert_eq!(
        json(&rest)["summary"]["total"].as_u64(),
        Some(n as u64 - 250)
    );
    assert_same(&merge(dir.path(), &[&first, &rest]), &file_report(&path));
    // Usage errors.
    let no_end = validate(&[&target]).output().unwrap();
    assert_eq!(no_end.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_end.stderr).contains("a stream has no end"));
    let mixed = validate(&["--until-idle", "1", &target, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(mixed.status.code(), Some(2));
}

#[test]
fn a_message_longer_than_max_record_size_is_malformed_and_max_events_takes_any_number() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let good = r#"{"log_type":"incident","timestamp":"2017-08-14T23:20:57Z","incident_id":"i"}"#;
    let long = format!(r#"{{"log_type":"incident","x":"{}"}}"#, "a".repeat(200));
    let path = dir.path().join("two.ndjson");
    std::fs::write(&path, format!("{good}\n{long}\n")).unwrap();
    publish(server.1, &path);
    let target = format!("nats://127.0.0.1:{}/EVENTS", server.1);
    let limit = good.len().to_string();
    // 2^64 - 1 records: the run ends when the stream is idle.
    let out = validate(&[
        "--format",
        "json",
        "--max-record-size",
        &limit,
        "--max-events",
        "18446744073709551615",
        "--until-idle",
        "1",
        &target,
    ])
    .output()
    .unwrap();
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["summary"]["valid"], 1);
    assert_eq!(report["summary"]["malformed"], 1);
    assert_eq!(report["errors"][0]["sequence"], 2, "the stream sequence");
    assert_eq!(
        report["errors"][0].get("line"),
        None,
        "a sequence is no line"
    );
    assert_eq!(
        report["errors"][0]["problems"][0]["message"],
        format!("record longer than {limit} bytes (--max-record-size)")
    );
}

#[test]
fn credentials_in_the_target_are_refused_and_never_shown() {
    for target in [
        "nats://reader:hunter2@127.0.0.1:4222/APERTURE",
        "nats://hunter2@127.0.0.1:4222,127.0.0.1:4223/APERTURE",
    ] {
        let out = validate(&["--max-events", "1", target])
            .output()
            .expect("aperture-validate runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{target}: {err}");
        assert!(err.contains("credentials in the URL are not read"), "{err}");
        assert!(!err.contains("hunter2"), "the secret shown: {err}");
    }
}
