//! What the user sees while capturing: a progress line and notices on stderr.
//!
//! The progress line (events captured, rate, time since the last event) is
//! drawn only when stderr is a terminal; notices (retries, rejected bodies)
//! are printed above it, or plainly when there is no terminal. Every line
//! goes through the run's [`Redactor`] on its way out.
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aperture_events_capture::redact::Redactor;
use aperture_events_capture::rejects::RejectKind;
use aperture_events_capture::runner::{Exchange, Notice, Observer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::monitor::Monitor;
use crate::validate::Validation;

/// Prints notices and drives the progress line.
#[derive(Debug)]
pub struct Reporter {
    /// `--validate`: classifies what is captured.
    pub validation: Option<Validation>,
    /// The expiry estimate, metrics and health.
    pub monitor: Option<Monitor>,
    bar: Option<ProgressBar>,
    quiet: bool,
    last_event_ms: Arc<AtomicU64>,
    started: Instant,
    redactor: Redactor,
}

impl Reporter {
    pub fn new(progress: bool, quiet: bool, redactor: Redactor) -> Self {
        let started = Instant::now();
        let last_event_ms = Arc::new(AtomicU64::new(u64::MAX));
        let bar =
            (progress && std::io::stderr().is_terminal()).then(|| {
                let last = Arc::clone(&last_event_ms);
                let since = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let ms = last.load(Ordering::Relaxed);
                    let _ = if ms == u64::MAX {
                        write!(w, "never")
                    } else {
                        let ago = started.elapsed().saturating_sub(Duration::from_millis(ms));
                        write!(w, "{}s ago", ago.as_secs())
                    };
                };
                let style = ProgressStyle::with_template(
                "{spinner} {pos} events captured · {rate} · last event {since_last} · {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key("since_last", since)
            .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} events/s", state.per_sec());
            });
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                    .with_style(style);
                bar.enable_steady_tick(Duration::from_millis(250));
                bar
            });
        Self {
            validation: None,
            monitor: None,
            bar,
            quiet,
            last_event_ms,
            started,
            redactor,
        }
    }

    /// Prints a line above the progress bar (or plainly), redacted and escaped.
    pub fn say(&self, line: &str) {
        self.print(&self.redactor.clean(line));
    }

    /// Prints a multi-line report, redacted and escaped (keeping our colours).
    pub fn say_report(&self, text: &str, color: bool) {
        self.print(&self.redactor.clean_report(text, color));
    }

    fn print(&self, text: &str) {
        // Not eprintln!: a closed stderr must not panic the capture.
        let print = || {
            let _ = writeln!(std::io::stderr(), "{text}");
        };
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Says what the monitor has to say: warnings even with `--quiet`.
    fn monitor_says(&self, line: Option<String>) {
        match line {
            Some(line) if !self.quiet || line.starts_with("warning") => self.say(&line),
            _ => {}
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Reporter {
    fn on_batch(&mut self, lines: &[Vec<u8>]) {
        if !lines.is_empty() {
            let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
            self.last_event_ms.store(ms, Ordering::Relaxed);
        }
        if let Some(bar) = &self.bar {
            bar.inc(lines.len() as u64);
        }
        if let Some(v) = &mut self.validation {
            v.events(lines);
        }
        if let Some(m) = &mut self.monitor {
            m.batch(lines);
        }
    }

    fn on_exchange(&mut self, exchange: &Exchange) {
        let said = self.monitor.as_mut().and_then(|m| m.exchange(exchange));
        self.monitor_says(said);
    }

    fn on_idle(&mut self) {
        let said = self.monitor.as_mut().and_then(Monitor::idle);
        self.monitor_says(said);
    }

    fn on_rejected_body(&mut self, kind: RejectKind, path: &std::path::Path, _body: &[u8]) {
        if let Some(v) = &mut self.validation {
            v.rejected(kind, path);
        }
        if let Some(m) = &self.monitor {
            m.rejected(kind, path);
        }
    }

    fn on_notice(&mut self, notice: Notice<'_>) {
        if let (Some(m), Notice::Retrying { kind, .. }) = (&self.monitor, &notice) {
            m.failure(*kind);
        }
        if self.quiet {
            return;
        }
        match notice {
            Notice::Retrying {
                failures,
                delay,
                cause,
                ..
            } => {
                self.say(&format!(
                    "warning: {cause}; retry {failures} in {:.1}s",
                    delay.as_secs_f64()
                ));
            }
            Notice::Rejected { kind, path, reason } => {
                let what = match kind {
                    RejectKind::Malformed => "a body that does not parse",
                    RejectKind::Partial => "the received part of a cut-off body",
                    RejectKind::Unwritten => "events stdout refused",
                };
                let why = reason.map(|r| format!(" ({r})")).unwrap_or_default();
                self.say(&format!("warning: saved {what}{why} to {}", path.display()));
            }
            Notice::Drained => {}
        }
    }
}
