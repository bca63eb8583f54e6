//! `aperture-mock`: the mock Log Events API as a program, for trying a
//! consumer (this toolkit's `aperture-capture` or your own) on loopback.
//!
//! Prints `listening on http://ADDR` on stdout once ready, serves until
//! SIGINT/SIGTERM, then prints how many events it handed out.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aperture_events_capture::mock::{Faults, MockConfig, MockServer, generate};
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
    /// Client id the token endpoint accepts.
    #[arg(long, default_value = "mock-client")]
    client_id: String,
    /// Client secret the token endpoint accepts (a test value, not a real secret).
    #[arg(long, default_value = "mock-secret")]
    client_secret: String,
    /// Refuse the api_access scope to the client (403 invalid_scope).
    #[arg(long)]
    deny_scope: bool,
    /// Token lifetime in seconds.
    #[arg(long, default_value_t = 7200)]
    token_lifetime_secs: u64,
    /// How long an events request waits for events before answering 204, in milliseconds.
    #[arg(long, default_value_t = 20_000)]
    empty_wait_ms: u64,
    /// NDJSON files whose lines are served as events, bytes as they are.
    #[arg(long = "events", value_name = "FILE")]
    events: Vec<PathBuf>,
    /// Serve this many generated events (after those of --events).
    #[arg(long, value_name = "N", default_value_t = 0)]
    generate: u64,
    /// Answer 401 (token expired) to every N-th events request.
    #[arg(long, value_name = "N")]
    expired_token_every: Option<u32>,
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
    let config = MockConfig {
        bind: flags.listen,
        client_id: flags.client_id,
        client_secret: flags.client_secret,
        grant_scope: !flags.deny_scope,
        token_lifetime: Duration::from_secs(flags.token_lifetime_secs),
        empty_wait: Duration::from_millis(flags.empty_wait_ms),
        faults: Faults {
            expired_token_every: flags.expired_token_every,
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
    println!("listening on {} with {total} events", server.base_url());
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let handed: usize = server
        .log()
        .iter()
        .filter(|e| e.completed)
        .map(|e| e.events.len())
        .sum();
    eprintln!(
        "handed out {handed} events in completed responses; {} left",
        server.remaining()
    );
    server.stop();
    ExitCode::SUCCESS
}

/// `--allow-non-loopback` puts the mock's events and tokens within reach of
/// other machines: refused with the well-known default credentials, and
/// announced loudly otherwise.
fn check_non_loopback(flags: &Flags) -> Result<(), String> {
    let defaults = MockConfig::default();
    if flags.client_id == defaults.client_id || flags.client_secret == defaults.client_secret {
        return Err(format!(
            "--allow-non-loopback: refused with the default credentials ({} / its default \
             secret are printed in the documentation); set --client-id and --client-secret \
             to values of your own",
            defaults.client_id
        ));
    }
    eprintln!(
        "WARNING: --allow-non-loopback: the mock listens on {} and anyone who can reach it \
         with the client id and secret can take its events and tokens, over plain http. \
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
