//! `aperture-mock`: the mock Log Events API as a program, for trying a
//! consumer (this toolkit's `aperture-capture` or your own) on loopback.
//!
//! Prints `listening on http://ADDR` (`https://` with `--tls`, and the path
//! of the CA certificate to trust) on stdout once ready, serves until
//! SIGINT/SIGTERM, then prints how many events it handed out. Events dropped
//! undelivered after `--retention-secs` are reported on stderr as it happens.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aperture_events_capture::mock::{Faults, MockClient, MockConfig, MockServer, generate};
use clap::Parser;

/// A mock of the Log Events API (token endpoint, bulk and single endpoints) with switchable faults.
#[derive(Debug, Parser)]
#[command(name = "aperture-mock", version)]
struct Flags {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,
    /// Allow a non-loopback --listen address.
    #[arg(long)]
    allow_non_loopback: bool,
    /// A client the token endpoint accepts, as ID:SECRET (test values, not real
    /// secrets); repeat for several clients, each draining its own copy of the events.
    #[arg(long = "client", value_name = "ID:SECRET", value_parser = parse_client,
          default_value = "mock-client:mock-secret")]
    clients: Vec<MockClient>,
    /// Refuse the api_access scope to every client (400 invalid_scope).
    #[arg(long)]
    deny_scope: bool,
    /// Accept only the documented token request: HTTP Basic credentials and a
    /// form body (grant_type, scope) sent as application/x-www-form-urlencoded.
    #[arg(long)]
    strict_token_requests: bool,
    /// Token lifetime in seconds.
    #[arg(long, default_value_t = 7200)]
    token_lifetime_secs: u64,
    /// Drop events not delivered this many seconds after they were queued (the API keeps them about an hour).
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    retention_secs: u64,
    /// Serve HTTPS with a certificate made at start, valid for localhost, 127.0.0.1, ::1
    /// and every region host; the CA certificate is written to --ca-out.
    #[arg(long)]
    tls: bool,
    /// Where --tls writes the CA certificate (PEM) [default: aperture-mock-PORT-ca.pem in the temp directory].
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_out: Option<PathBuf>,
    /// How long an events request waits for events before answering 204, in milliseconds.
    #[arg(long, default_value_t = 20_000)]
    empty_wait_ms: u64,
    /// NDJSON files whose lines are served as events, bytes as they are.
    #[arg(long = "events", value_name = "FILE")]
    events: Vec<PathBuf>,
    /// Serve this many generated events (after those of --events).
    #[arg(long, value_name = "N", default_value_t = 0)]
    generate: u64,
    /// Answer 401 to every N-th events request: the token used is past its
    /// lifetime (it stays dead; the client's other tokens and a new one work).
    #[arg(long, value_name = "N")]
    expire_token_every: Option<u32>,
    /// Answer 401 to every N-th events request: every token of the client is
    /// revoked (a token requested afterwards works).
    #[arg(long, value_name = "N")]
    revoke_token_every: Option<u32>,
    /// Answer 429 to every N-th events request.
    #[arg(long, value_name = "N")]
    too_many_requests_every: Option<u32>,
    /// Retry-After seconds sent with a 429.
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    retry_after_secs: u64,
    /// Answer 500 to every N-th events request.
    #[arg(long, value_name = "N")]
    server_error_every: Option<u32>,
    /// Drop the connection halfway through the body of every N-th events request.
    #[arg(long, value_name = "N")]
    drop_mid_body_every: Option<u32>,
    /// Send a body that is not valid JSON to every N-th events request.
    #[arg(long, value_name = "N")]
    malformed_every: Option<u32>,
    /// Delay every N-th events request by --slow-ms.
    #[arg(long, value_name = "N")]
    slow_every: Option<u32>,
    /// Delay of a slow response, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2_000)]
    slow_ms: u64,
}

fn main() -> ExitCode {
    let flags = Flags::parse();
    if !flags.listen.ip().is_loopback() && !flags.allow_non_loopback {
        eprintln!(
            "error: --listen {}: not a loopback address (pass --allow-non-loopback to mean it)",
            flags.listen
        );
        return ExitCode::from(2);
    }
    if flags.allow_non_loopback {
        if let Err(msg) = check_non_loopback(&flags) {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    }
    let mut events = Vec::new();
    for path in &flags.events {
        match read_ndjson(path) {
            Ok(mut e) => events.append(&mut e),
            Err(msg) => {
                eprintln!("error: {msg}");
                return ExitCode::from(2);
            }
        }
    }
    events.extend(generate(1, flags.generate));
    let total = events.len();
    let config_clients: Vec<String> = flags.clients.iter().map(|c| c.id.clone()).collect();
    let config = MockConfig {
        bind: flags.listen,
        clients: flags.clients,
        grant_scope: !flags.deny_scope,
        strict_token_requests: flags.strict_token_requests,
        token_lifetime: Duration::from_secs(flags.token_lifetime_secs),
        retention: Duration::from_secs(flags.retention_secs),
        empty_wait: Duration::from_millis(flags.empty_wait_ms),
        tls: flags.tls,
        faults: Faults {
            expire_token_every: flags.expire_token_every,
            revoke_token_every: flags.revoke_token_every,
            too_many_requests_every: flags.too_many_requests_every,
            retry_after_secs: flags.retry_after_secs,
            server_error_every: flags.server_error_every,
            drop_mid_body_every: flags.drop_mid_body_every,
            malformed_every: flags.malformed_every,
            slow_every: flags.slow_every,
            slow_delay: Duration::from_millis(flags.slow_ms),
        },
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(sig, Arc::clone(&stop)) {
            eprintln!("error: installing signal handlers: {e}");
            return ExitCode::from(2);
        }
    }
    let server = match MockServer::start(config, events) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: --listen {}: {e}", flags.listen);
            return ExitCode::from(2);
        }
    };
    let clients = server_clients(&config_clients);
    let mut ready = format!(
        "listening on {} with {total} events for {clients}",
        server.base_url()
    );
    if let Some(pem) = server.ca_pem() {
        let path = flags.ca_out.unwrap_or_else(|| {
            std::env::temp_dir().join(format!("aperture-mock-{}-ca.pem", server.addr().port()))
        });
        if let Err(e) = std::fs::write(&path, pem) {
            eprintln!("error: --ca-out {}: {e}", path.display());
            return ExitCode::from(2);
        }
        ready.push_str(&format!("; CA certificate in {}", path.display()));
    }
    println!("{ready}");
    let mut dropped = 0;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        let now = server.dropped_undelivered();
        if now > dropped {
            eprintln!(
                "retention: dropped {} events not delivered within {} s ({now} so far)",
                now - dropped,
                flags.retention_secs
            );
            dropped = now;
        }
    }
    let handed: usize = server
        .log()
        .iter()
        .filter(|e| e.completed)
        .map(|e| e.events.len())
        .sum();
    eprintln!(
        "handed out {handed} events in completed responses; {} left; {} dropped undelivered",
        server.remaining(),
        server.dropped_undelivered()
    );
    server.stop();
    ExitCode::SUCCESS
}

/// `--client ID:SECRET`: split at the first colon (a secret may hold colons).
fn parse_client(text: &str) -> Result<MockClient, String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok(MockClient::new(id, secret))
        }
        _ => Err("expected ID:SECRET, both non-empty".into()),
    }
}

/// "1 client (mock-client)" or "3 clients (a, b, c)".
fn server_clients(ids: &[String]) -> String {
    let noun = if ids.len() == 1 { "client" } else { "clients" };
    format!("{} {noun} ({})", ids.len(), ids.join(", "))
}

/// `--allow-non-loopback` puts the mock's events and tokens within reach of
/// other machines: refused with the well-known default credentials, and
/// announced loudly otherwise.
fn check_non_loopback(flags: &Flags) -> Result<(), String> {
    let defaults = MockConfig::default().clients;
    let default = &defaults[0];
    if flags
        .clients
        .iter()
        .any(|c| c.id == default.id || c.secret == default.secret)
    {
        return Err(format!(
            "--allow-non-loopback: refused with the default credentials ({} / its default \
             secret are printed in the documentation); give every --client an id and a \
             secret of your own",
            default.id
        ));
    }
    let transport = if flags.tls {
        "over https"
    } else {
        "over plain http"
    };
    eprintln!(
        "WARNING: --allow-non-loopback: the mock listens on {} and anyone who can reach it \
         with a client id and secret can take its events and tokens, {transport}. \
         Use it only on a network you trust, and stop it when done.",
        flags.listen
    );
    Ok(())
}

fn read_ndjson(path: &PathBuf) -> Result<Vec<Vec<u8>>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("--events {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let mut line = line.map_err(|e| format!("--events {}:{}: {e}", path.display(), n + 1))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push(line);
        }
    }
    Ok(out)
}
