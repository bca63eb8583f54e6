//! Forwarding journals into NATS JetStream, each event exactly once.
//!
//! The journal stays the local write-ahead log that makes the API's
//! destructive reads safe; the forwarder is its way out into a replicated
//! stream that many consumers read at their own pace. It runs beside the
//! capture (`aperture-capture --forward nats://…`) or on its own
//! (`aperture-forward JOURNAL…`), reads the journal from disk and never
//! holds the capture up.
//!
//! - [`segments`]: the journal's segments in order, whole lines only;
//! - [`message`]: a line as a message (subject, id, headers);
//! - [`checkpoint`]: progress and the capture id, written atomically;
//! - [`sink`]: the [`sink::Sink`] trait and JetStream (stream created or checked);
//! - [`permanent`]: the errors no retry fixes, and what does;
//! - [`rejects`]: lines over the server's message limit, set aside;
//! - [`run`]: the loop, acknowledgement before checkpoint;
//! - [`metrics`]: position, lag and errors for `--metrics-listen`, which
//!   [`serve`] (feature `cli`) answers over HTTP.
//!
//! # Exactly once
//! Each message carries `Nats-Msg-Id` = capture id, segment, offset and a
//! hash of the line. The checkpoint moves only after the stream has
//! acknowledged everything before it, so a crash re-publishes at most the
//! batch in flight, and the stream drops those re-publishes as duplicates
//! as long as they arrive within its de-duplication window. The window must
//! therefore cover the retry horizon (`--dedup-window`); the stream is
//! checked for it. A line larger than the server takes is the exception:
//! never published, it is set aside ([`rejects`]) and reported.

#[cfg(feature = "cli")]
pub mod args;
pub mod checkpoint;
pub mod lag;
pub mod message;
pub mod metrics;
pub mod permanent;
pub mod rejects;
pub mod run;
pub mod sink;

pub use aperture_events_journal::segments;
#[cfg(feature = "cli")]
pub use args::ForwardArgs;
#[cfg(feature = "cli")]
pub mod serve;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

pub use run::{Control, Job, Outcome};
pub use sink::{JetStream, Sink, SinkError, StreamSettings};

/// Most lines in one batch (`--batch`): the lines of a batch are held in
/// memory together, with their acknowledgements.
pub const MAX_BATCH: u64 = 10_000;

/// Most replicas of a stream (`--replicas`): JetStream's own limit.
pub const MAX_REPLICAS: u64 = 5;

/// Longest `--max-age` and `--dedup-window`, in days (about 100 years: the
/// stream keeps durations in nanoseconds, up to about 292 years).
pub const MAX_DAYS: u64 = 36_500;

/// Shortest `--dedup-window`: the stream takes 0 as "the server's default".
pub const MIN_DEDUP_WINDOW: Duration = Duration::from_secs(1);

/// Forwards one journal on a thread of its own (with its own runtime):
/// how `aperture-capture --forward` runs beside the capture.
#[derive(Debug)]
pub struct Background {
    control: Control,
    handle: std::thread::JoinHandle<Result<Outcome, String>>,
}

impl Background {
    /// Starts following `job`'s journal, publishing to `url`.
    pub fn spawn(
        url: String,
        stream: StreamSettings,
        job: Job,
        say: Arc<dyn Fn(&str) + Send + Sync>,
    ) -> std::io::Result<Self> {
        let control = Control {
            stop: Arc::new(AtomicBool::new(false)),
            follow: true,
            deadline_ms: Arc::new(AtomicU64::new(0)),
        };
        let theirs = control.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = std::thread::Builder::new()
            .name("aperture-forward".into())
            .spawn(move || {
                let result = runtime.block_on(async {
                    let mut sink = JetStream::connect(&url, stream)
                        .await
                        .map_err(|e| e.to_string())?;
                    run::forward(&job, &mut sink, &theirs, &*say).await
                });
                // Said at once, not only at exit: the capture goes on (the
                // journal keeps every event) but nothing is forwarded.
                if let Err(e) = &result {
                    say(&format!(
                        "forward: error: {}: {e}; forwarding stopped (the capture goes on and exits 1; \
                         aperture-forward goes on from the checkpoint once this is fixed)",
                        job.journal.display()
                    ));
                }
                result
            })?;
        Ok(Background { control, handle })
    }

    /// Forwards what is left in the journal, for at most `drain`, and stops.
    pub fn finish(self, drain: Duration) -> Result<Outcome, String> {
        let deadline = run_deadline(drain);
        self.control.deadline_ms.store(deadline, Ordering::SeqCst);
        self.control.stop.store(true, Ordering::SeqCst);
        self.handle
            .join()
            .unwrap_or_else(|_| Err("the forwarder stopped unexpectedly".into()))
    }
}

fn run_deadline(drain: Duration) -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| {
            u64::try_from(d.saturating_add(drain).as_millis()).unwrap_or(u64::MAX)
        })
        .max(1)
}
