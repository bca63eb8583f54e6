//! `aperture-mock`: the mock Log Events API as a program, for trying a
//! consumer (this toolkit's `aperture-capture` or your own) on loopback.
//!
//! Prints `listening on http://ADDR` (`https://` with `--tls`, and the path
//! of the CA certificate to trust) on stdout once ready, serves until
//! SIGINT/SIGTERM, then prints how many events it handed out. Events dropped
//! undelivered after `--retention-secs` are reported on stderr as it happens.
//!
//! Every numeric flag has a bound, checked when the flags are parsed (the
//! constants below), so no value can make the mock abort, panic, or spend
//! minutes before it is ready.
//!
//! # The CA certificate's file
//!
//! By default it goes to `ca.pem` in a new directory with a random name in
//! the temp directory (made `0700` with `tempfile`, the file `0600` and
//! created only if absent, so nothing planted there is followed or
//! overwritten), removed at exit. `--ca-out FILE` writes a temporary file
//! (`0600`) beside FILE and renames it onto FILE: a symbolic link planted at
//! FILE is replaced, never followed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aperture_events_journal::private::{self, FileMode};
use aperture_events_mock::{Fault, MockClient, MockConfig, MockServer, generate};
use clap::Parser;

/// Longest `--token-lifetime-secs` and `--retention-secs`: a year.
const MAX_SECS: u64 = 365 * 24 * 3600;
/// Longest `--empty-wait-ms` and `--slow-ms`: an hour.
const MAX_WAIT_MS: u64 = 3_600_000;
/// Longest `--retry-after-secs`: a day.
const MAX_RETRY_AFTER_SECS: u64 = 86_400;
/// Most `--generate` events: each client holds its own copy, about 400 bytes an event.
const MAX_GENERATE: u64 = 1_000_000;
/// Most `--arrival-rate` events a second (each client holds a copy of each).
const MAX_ARRIVAL_RATE: u32 = 100_000;
/// Largest `--oversize-bytes`: 1 TiB (made as it is sent, never held).
const MAX_OVERSIZE_BYTES: u64 = 1 << 40;

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
    /// Token lifetime in seconds (1 to a year).
    #[arg(long, default_value_t = 7200,
          value_parser = clap::value_parser!(u64).range(1..=MAX_SECS))]
    token_lifetime_secs: u64,
    /// Drop events not delivered this many seconds after they were queued (the API keeps
    /// them about an hour; at most a year).
    #[arg(long, value_name = "SECS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(..=MAX_SECS))]
    retention_secs: u64,
    /// Serve HTTPS with a certificate made at start, valid for localhost, 127.0.0.1, ::1
    /// and every region host; the CA certificate is written to --ca-out.
    #[arg(long)]
    tls: bool,
    /// Where --tls writes the CA certificate (PEM, mode 0600; an existing file or link there
    /// is replaced) [default: ca.pem in a new private directory in the temp directory,
    /// removed at exit].
    #[arg(long, value_name = "FILE", requires = "tls")]
    ca_out: Option<PathBuf>,
    /// How long an events request waits for events before answering 204, in milliseconds
    /// (at most an hour).
    #[arg(long, default_value_t = 20_000,
          value_parser = clap::value_parser!(u64).range(..=MAX_WAIT_MS))]
    empty_wait_ms: u64,
    /// NDJSON files whose lines are served as events, bytes as they are.
    #[arg(long = "events", value_name = "FILE")]
    events: Vec<PathBuf>,
    /// Serve this many generated events (after those of --events; at most 1,000,000).
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(..=MAX_GENERATE))]
    generate: u64,
    /// New events arriving per second as the mock runs, stamped with the time they
    /// arrive (at most 100,000), for trying a drain against a queue that fills.
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(..=u64::from(MAX_ARRIVAL_RATE)))]
    arrival_rate: u64,
    /// Answer 401 to every N-th events request: the token used is past its
    /// lifetime (it stays dead; the client's other tokens and a new one work).
    #[arg(long, value_name = "N", value_parser = every())]
    expire_token_every: Option<u32>,
    /// Answer 401 to every N-th events request: every token of the client is
    /// revoked (a token requested afterwards works).
    #[arg(long, value_name = "N", value_parser = every())]
    revoke_token_every: Option<u32>,
    /// Answer 429 to every N-th events request.
    #[arg(long, value_name = "N", value_parser = every())]
    too_many_requests_every: Option<u32>,
    /// Retry-After seconds sent with a 429 (at most a day).
    #[arg(long, value_name = "SECS", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(..=MAX_RETRY_AFTER_SECS))]
    retry_after_secs: u64,
    /// Answer 500 to every N-th events request.
    #[arg(long, value_name = "N", value_parser = every())]
    server_error_every: Option<u32>,
    /// Drop the connection halfway through the body of every N-th events request.
    #[arg(long, value_name = "N", value_parser = every())]
    drop_mid_body_every: Option<u32>,
    /// Send a body that is not valid JSON to every N-th events request.
    #[arg(long, value_name = "N", value_parser = every())]
    malformed_every: Option<u32>,
    /// Pad the body of every N-th events request with spaces to --oversize-bytes.
    #[arg(long, value_name = "N", value_parser = every())]
    oversize_every: Option<u32>,
    /// Size of an oversize body, in bytes (1 to 1 TiB; made as it is sent).
    #[arg(long, value_name = "BYTES", default_value_t = 300_000_000,
          value_parser = clap::value_parser!(u64).range(1..=MAX_OVERSIZE_BYTES))]
    oversize_bytes: u64,
    /// Delay every N-th events request by --slow-ms.
    #[arg(long, value_name = "N", value_parser = every())]
    slow_every: Option<u32>,
    /// Delay of a slow response, in milliseconds (at most an hour).
    #[arg(long, value_name = "MS", default_value_t = 2_000,
          value_parser = clap::value_parser!(u64).range(..=MAX_WAIT_MS))]
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
        // Bounded by MAX_ARRIVAL_RATE, a u32.
        arrival_rate: u32::try_from(flags.arrival_rate).unwrap_or(MAX_ARRIVAL_RATE),
        // The order of the README's table: the first wins on a request where several fall.
        faults: [
            (flags.expire_token_every, Fault::ExpireToken),
            (flags.revoke_token_every, Fault::RevokeToken),
            (
                flags.too_many_requests_every,
                Fault::TooManyRequests {
                    retry_after_secs: flags.retry_after_secs,
                },
            ),
            (flags.server_error_every, Fault::ServerError),
            (flags.drop_mid_body_every, Fault::DropMidBody),
            (flags.malformed_every, Fault::Malformed),
            (
                flags.oversize_every,
                Fault::Oversize {
                    bytes: flags.oversize_bytes,
                },
            ),
            (
                flags.slow_every,
                Fault::Slow {
                    delay: Duration::from_millis(flags.slow_ms),
                },
            ),
        ]
        .into_iter()
        .filter_map(|(every, fault)| Some((fault, every?)))
        .collect(),
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
    // Kept until exit: the default CA file's directory goes with it.
    let mut _ca_dir = None;
    if let Some(pem) = server.ca_pem() {
        let written = match &flags.ca_out {
            Some(path) => replace_file(path, pem.as_bytes()).map(|()| path.clone()),
            None => write_in_private_dir(pem.as_bytes()).map(|(dir, path)| {
                _ca_dir = Some(dir);
                path
            }),
        };
        match written {
            Ok(path) => ready.push_str(&format!("; CA certificate in {}", path.display())),
            Err(e) => {
                eprintln!("error: --ca-out: {e}");
                return ExitCode::from(2);
            }
        }
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

/// The `--…-every N` flags: at least 1.
fn every() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..)
}

/// Writes `ca.pem` in a new directory only we can enter (see the module docs).
fn write_in_private_dir(pem: &[u8]) -> Result<(tempfile::TempDir, PathBuf), String> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("aperture-mock-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(
        FileMode::default().dir(),
    ));
    let dir = builder.tempdir().map_err(|e| {
        format!(
            "making a directory in {}: {e}",
            std::env::temp_dir().display()
        )
    })?;
    let path = dir.path().join("ca.pem");
    private::create_new(&path, FileMode::default())
        .and_then(|mut f| f.write_all(pem).and_then(|()| f.sync_all()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((dir, path))
}

/// Writes `bytes` to `path` through a new `0600` file beside it, renamed
/// onto `path`: a link planted there is replaced, not followed (the
/// journal's [`private::write_atomic`], the one home of such writes).
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    private::write_atomic(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
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
