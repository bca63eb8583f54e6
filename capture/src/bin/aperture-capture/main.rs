//! `aperture-capture`: the thin binary over the capture library.
//!
//! Parses and checks flags, loads credentials, opens the output, installs
//! the signal handlers, runs the loop and turns the outcome into an exit
//! code: 0 done (max events, drained, or stopped by a signal), 1 a runtime
//! error, 2 a usage or setup error. Everything it prints goes through the
//! run's [`Redactor`]: no secret or token, no raw control character.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod flags;
mod forward;
mod monitor;
mod report;
mod validate;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use aperture_events_capture::api::Client;
use aperture_events_capture::credentials::Credentials;
use aperture_events_capture::metrics::{CaptureMetrics, Health};
use aperture_events_capture::output::Output;
use aperture_events_capture::redact::Redactor;
use aperture_events_capture::rejects::Rejects;
use aperture_events_capture::runner::{self, StopReason};
use aperture_events_forward::metrics::ForwardMetrics;
use aperture_events_journal::Journal;
use clap::Parser;

use crate::flags::{OutTarget, RawFlags, Settings};
use crate::monitor::{HealthProbe, Monitor};
use crate::report::Reporter;

fn main() -> ExitCode {
    let redactor = Redactor::new();
    let raw = RawFlags::parse();
    let settings = match Settings::from_raw(raw) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                redactor.clean(&e.to_string())
            );
            return ExitCode::from(2);
        }
    };
    match run(settings, &redactor) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            let _ = writeln!(std::io::stderr(), "error: {}", redactor.clean(&msg));
            ExitCode::from(code)
        }
    }
}

fn run(settings: Settings, redactor: &Redactor) -> Result<(), (u8, String)> {
    let credentials = match &settings.credentials {
        Some(path) => Credentials::from_file(path),
        None => Credentials::from_env(),
    }
    .map_err(|e| (2, e.to_string()))?;
    redactor.add_client(&credentials.client_id, credentials.client_secret.expose());

    // A file-size limit (`ulimit -f`) kills with SIGXFSZ by default, losing
    // the batch in hand; with the signal caught, the write fails with EFBIG
    // instead and the batch is kept another way (see `output`).
    #[cfg(unix)]
    signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        Arc::new(AtomicBool::new(false)),
    )
    .map_err(|e| (2, format!("installing signal handlers: {e}")))?;

    let mut reporter = Reporter::new(settings.progress, settings.quiet, redactor.clone());
    if let Some((strict, show_values)) = settings.validate {
        let v = validate::Validation::new(strict, show_values)
            .map_err(|e| (2, format!("--validate: {e}")))?;
        reporter.validation = Some(v);
    }
    let mut output = match &settings.out {
        OutTarget::Stdout => Output::Stdout,
        OutTarget::File(path) => {
            let (journal, repair) =
                Journal::open(path, settings.journal).map_err(|e| (2, e.to_string()))?;
            if let Some(r) = repair {
                if !settings.quiet {
                    reporter.say(&format!(
                        "note: cut an incomplete last line ({} bytes, from a write a crash interrupted) off {}; saved it to {}",
                        r.truncated_bytes,
                        path.display(),
                        r.saved_to.display()
                    ));
                }
            }
            Output::Journal(journal)
        }
    };
    let mut rejects = Rejects::new(&settings.rejects, settings.journal.fsync)
        .with_mode(settings.journal.mode)
        .with_cap(settings.max_rejects);
    rejects.check().map_err(|e| (2, e.to_string()))?;

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first signal sets the flag; a second one, with the flag set, exits at once.
        signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&stop)))
            .map_err(|e| (2, format!("installing signal handlers: {e}")))?;
    }

    if !settings.quiet {
        // Say why the capture has not stopped yet: it finishes the request in flight.
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = writeln!(
                std::io::stderr(),
                "stopping once the response in flight is stored (signal again to stop at once)"
            );
        });
    }

    // --metrics-listen: the capture's metrics, the forwarder's with --forward, and the health.
    let health = Arc::new(Health::new(
        settings.capture.timeout,
        settings.capture.poll_wait,
    ));
    let (capture_metrics, forward_metrics) = match settings.metrics_listen {
        Some(_) => (
            Some(Arc::new(CaptureMetrics::new(&settings.region_label))),
            settings.forward.as_ref().map(|_| ForwardMetrics::default()),
        ),
        None => (None, None),
    };
    let journal = match &settings.out {
        OutTarget::File(path) => Some(path.clone()),
        OutTarget::Stdout => None,
    };
    reporter.monitor = Some(Monitor::new(
        settings.retention,
        capture_metrics.clone(),
        Arc::clone(&health),
        journal,
    ));
    // Kept until exit: dropping it stops the endpoint.
    let _endpoint = match (settings.metrics_listen, &capture_metrics) {
        (Some(addr), Some(metrics)) => {
            let mut registry = prometheus_client::registry::Registry::default();
            metrics.register(&mut registry);
            if let Some(f) = &forward_metrics {
                f.register(&mut registry);
            }
            let probe = Arc::new(HealthProbe(Arc::clone(&health)));
            let server = aperture_events_forward::serve::spawn(addr, registry, Some(probe))
                .map_err(|e| (2, format!("--metrics-listen {addr}: {e}")))?;
            if !settings.quiet {
                reporter.say(&format!(
                    "serving metrics on http://{}/metrics (and /healthz, /readyz)",
                    server.addr()
                ));
            }
            Some(server)
        }
        _ => None,
    };

    let forwarder = match &settings.forward {
        Some(f) => Some(
            f.start(
                Arc::new(|line: &str| eprintln!("{line}")),
                forward_metrics.as_ref(),
            )
            .map_err(|e| (2, e))?,
        ),
        None => None,
    };
    let mut client = Client::new(&settings.capture, credentials, redactor.clone());
    let result = runner::run(
        &settings.capture,
        &mut client,
        &mut output,
        &mut rejects,
        &stop,
        &mut reporter,
    );
    reporter.finish();
    // The report covers what was captured, even when the capture then failed.
    if let Some(v) = reporter.validation.take() {
        let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let text = v.render(color);
        reporter.say_report(text.trim_end(), color);
    }
    let forwarded = forwarder.map(forward::Running::finish);
    let summary = result.map_err(|e| (1, e.to_string()))?;
    match forwarded {
        Some(Err(e)) => return Err((1, format!("forwarding: {e}"))),
        Some(Ok(outcome)) if !settings.quiet => reporter.say(&format!(
            "forwarded {} events{}",
            outcome.forwarded,
            if outcome.behind {
                "; the rest is forwarded by the next run or by aperture-forward"
            } else {
                ""
            }
        )),
        _ => {}
    }
    if !settings.quiet {
        let why = match summary.stopped {
            StopReason::MaxEvents => "reached --max-events",
            StopReason::Drained => "drained",
            StopReason::Signal => "stopped by signal",
        };
        let to = match &settings.out {
            OutTarget::Stdout => "stdout".to_owned(),
            OutTarget::File(p) => p.display().to_string(),
        };
        let mut line = format!(
            "captured {} events in {} responses to {to} ({why})",
            summary.events, summary.responses
        );
        if summary.rejected > 0 {
            line.push_str(&format!(
                "; {} bodies saved to {}",
                summary.rejected,
                rejects.dir().display()
            ));
        }
        reporter.say(&line);
    }
    Ok(())
}
