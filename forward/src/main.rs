//! `aperture-forward`: forwards journals already written (or being written,
//! with `--follow`) into a NATS JetStream stream, each event exactly once.
//!
//! Exit codes: 0 every journal forwarded to its end (or stopped by a
//! signal), 1 a journal could not be forwarded (a stream with other
//! settings, an error no retry can fix, a segment missing) or an event was
//! set aside (larger than the server takes) or, with `--format ocsf`, could
//! not be converted (the others were forwarded), 2 a usage error.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};

use aperture_events_forward::{self as forward, Control, ForwardArgs, JetStream};
use clap::Parser;

/// Forward aperture-capture journals (rotated and gzipped segments too, in
/// order) into a NATS JetStream stream. Progress is kept in JOURNAL.forwarded,
/// written only after the stream acknowledged; a re-publish after a crash is
/// dropped by the stream's de-duplication.
#[derive(Debug, Parser)]
#[command(name = "aperture-forward", version)]
struct Flags {
    /// Journals (the file aperture-capture writes with --out).
    #[arg(value_name = "JOURNAL", required = true)]
    journals: Vec<PathBuf>,
    /// NATS servers: nats://HOST:PORT[,HOST:PORT…], with USER:PASSWORD@ (or
    /// TOKEN@) before a HOST to log in. From the environment, credentials
    /// stay out of the process list; its value is never shown in --help.
    #[arg(
        long,
        value_name = "URL",
        env = "APERTURE_NATS_URL",
        hide_env_values = true
    )]
    nats: String,
    /// Region of the capture, put in a header of each message.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Keep following the journals as they grow, until SIGINT or SIGTERM.
    #[arg(long)]
    follow: bool,
    /// Print only errors.
    #[arg(short, long)]
    quiet: bool,
    /// Serve metrics (/metrics), /healthz and /readyz over HTTP on this address,
    /// e.g. 127.0.0.1:9466 [default: off].
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<std::net::SocketAddr>,
    #[command(flatten)]
    forward: ForwardArgs,
}

fn main() -> ExitCode {
    let flags = Flags::parse();
    let stream = match flags.forward.stream_settings() {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let mut jobs = Vec::new();
    for journal in &flags.journals {
        match flags.forward.job(journal.clone(), flags.region.clone()) {
            Ok(job) => jobs.push(job),
            Err(e) => return usage(&e),
        }
    }
    // Kept until exit: dropping it stops the endpoint.
    let _endpoint = match flags.metrics_listen {
        Some(addr) => {
            let metrics = forward::metrics::ForwardMetrics::default();
            for job in &mut jobs {
                job.metrics = Some(metrics.journal(&job.journal));
            }
            let mut registry = prometheus_client::registry::Registry::default();
            metrics.register(&mut registry);
            registry.register(
                "aperture_forward_build",
                "The forwarder's version",
                prometheus_client::metrics::info::Info::new(vec![
                    ("version", env!("CARGO_PKG_VERSION")),
                    ("program", "aperture-forward"),
                ]),
            );
            match forward::serve::spawn(addr, registry, None) {
                Ok(server) => {
                    if !flags.quiet {
                        eprintln!("serving metrics on http://{}/metrics", server.addr());
                    }
                    Some(server)
                }
                Err(e) => return usage(&format!("--metrics-listen {addr}: {e}")),
            }
        }
        None => None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) =
            signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop))
                .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&stop)))
        {
            return usage(&format!("installing signal handlers: {e}"));
        }
    }
    let control = Control {
        stop,
        follow: flags.follow,
        // Once stopped by a signal, stop at the next failure.
        deadline_ms: Arc::new(AtomicU64::new(1)),
    };
    let quiet = flags.quiet;
    let say = move |line: &str| {
        if !quiet || line.contains("warning") || line.contains("error") {
            eprintln!("{line}");
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage(&format!("starting the runtime: {e}")),
    };
    let results = runtime.block_on(async {
        let each = jobs.iter().map(|job| {
            let (url, stream, control, say) = (&flags.nats, stream.clone(), &control, &say);
            async move {
                let mut sink = JetStream::connect(url, stream)
                    .await
                    .map_err(|e| e.to_string())?;
                forward::run::forward(job, &mut sink, control, say).await
            }
        });
        // Polled together on this thread; results in the journals' order.
        futures_util::future::join_all(each).await
    });
    let mut code = 0;
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok(outcome) => {
                for e in [
                    outcome.set_aside_error(&job.journal),
                    outcome.unconvertible_error(&job.journal),
                ]
                .into_iter()
                .flatten()
                {
                    eprintln!("error: {e}");
                    code = 1;
                }
                if !quiet {
                    let skipped = if outcome.skipped > 0 {
                        format!("; {} of an unknown type skipped", outcome.skipped)
                    } else {
                        String::new()
                    };
                    eprintln!(
                        "{}: forwarded {} events (capture {}{}){skipped}{}",
                        job.journal.display(),
                        outcome.forwarded,
                        job.labels.capture,
                        match job.labels.format.name() {
                            "raw" => "",
                            _ => ", as OCSF",
                        },
                        if outcome.behind {
                            "; stopped before the end"
                        } else {
                            ""
                        }
                    );
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                code = 1;
            }
        }
    }
    ExitCode::from(code)
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
