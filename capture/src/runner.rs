//! The capture loop: request, store durably, then (and only then) request again.
//!
//! One request is in flight at a time. Each response is handled completely
//! before the next request is sent: its events are written and synced to the
//! output (or, if the body does not parse, the body is saved whole to the
//! rejects directory), and only then is the observer told. So at any instant
//! at most one response is not yet on disk: the one in flight.
//!
//! A stop request (SIGINT/SIGTERM sets the flag) is honoured between
//! requests, never in the middle of one: the response in hand is stored
//! first. Waits (backoff, polling after a `204`) check the flag every 50 ms.
//!
//! Before each request the journal's filesystem, and the rejects
//! directory's, must have room for a worst-case response ([`crate::space`]);
//! when one has not, no request is sent: the capture waits and checks again
//! with the retry backoff, and gives up (saying why) like after any other
//! run of failures.
//!
//! # A server that sends what cannot be split
//!
//! A body kept in the rejects directory (malformed, cut off, or over the
//! size held in memory) is a failure like a `5xx`: it counts towards
//! `--max-failures` and is followed by the retry backoff, so a server that
//! sends nothing else makes the capture give up. One that mixes them with
//! good answers is stopped by the rejects directory's cap
//! ([`crate::rejects`]): a request is sent only while the room left under
//! the cap can take a whole body held in memory (`max_body`); when it
//! cannot, the capture stops at once ([`RunError::RejectsFull`]) before
//! asking, so nothing is popped that could not be kept.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::api::{Client, Fetched};
use crate::batch;
use crate::config::CaptureConfig;
use crate::error::{ApiError, FailureKind};
use std::path::PathBuf;

use crate::output::{self, Output, OutputError, Stored};
use crate::rejects::{RejectKind, Rejects, RejectsError};
use crate::space;

/// Something worth telling the user about, as it happens.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A request failed and will be retried after `delay`.
    Retrying {
        /// What kind of failure.
        kind: FailureKind,
        /// Consecutive failures so far.
        failures: u32,
        /// The wait before the next attempt.
        delay: Duration,
        /// What went wrong.
        cause: &'a str,
    },
    /// A body was saved to the rejects directory instead of the output.
    Rejected {
        /// Why.
        kind: RejectKind,
        /// Where it is.
        path: &'a std::path::Path,
        /// The parse error for a malformed body; the size for an oversize one.
        reason: Option<&'a str>,
    },
    /// The server had nothing to hand out (`204`).
    Drained,
}

/// One request and how it ended, told to [`Observer::on_exchange`] once
/// it was handled (its events stored, its failure counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Events asked for.
    pub asked: u32,
    /// Events received and stored (0 for a `204`, an empty `200` or a failure).
    pub events: usize,
    /// Bytes written to the output (the events and their line ends).
    pub bytes: u64,
    /// How long the journal's sync took, when events were written to a synced journal.
    pub sync: Option<Duration>,
    /// Whether the request was answered with events or with "nothing now"
    /// (a failure, a body kept in the rejects directory, or no request sent is not).
    pub answered: bool,
    /// Access tokens fetched so far in the run.
    pub tokens_fetched: u64,
    /// Whether the client holds a token now.
    pub token_held: bool,
}

/// Receives what the capture loop does (progress, validation, messages).
pub trait Observer {
    /// A response's events were durably written.
    fn on_batch(&mut self, _lines: &[Vec<u8>]) {}
    /// A malformed or partial body was saved to `path` (called after
    /// [`Observer::on_notice`]); `body` is empty for an oversize body, which
    /// was streamed to the file and never held whole.
    fn on_rejected_body(&mut self, _kind: RejectKind, _path: &std::path::Path, _body: &[u8]) {}
    /// Something to report.
    fn on_notice(&mut self, _notice: Notice<'_>) {}
    /// Called about every 200 ms while waiting.
    fn on_idle(&mut self) {}
    /// A request was handled (after [`Observer::on_batch`] and the notices it caused).
    fn on_exchange(&mut self, _exchange: &Exchange) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct Quiet;
impl Observer for Quiet {}

/// Why a capture stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `--max-events` reached.
    MaxEvents,
    /// A `204` with `--until-drained`.
    Drained,
    /// SIGINT or SIGTERM.
    Signal,
}

/// What a capture did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Events written to the output.
    pub events: u64,
    /// Responses with a `200` body.
    pub responses: u64,
    /// Bodies saved to the rejects directory.
    pub rejected: u64,
    /// Why it stopped.
    pub stopped: StopReason,
}

/// A capture that stopped on an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The API said no in a way retrying cannot fix.
    #[error("{0}")]
    Api(String),
    /// Transient failures went on too long.
    #[error("giving up after {failures} consecutive failures; last: {cause}")]
    GaveUp {
        /// Consecutive failures.
        failures: u32,
        /// The last one.
        cause: String,
    },
    /// Writing events failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Saving a rejected body failed.
    #[error(transparent)]
    Rejects(#[from] RejectsError),
    /// The rejects directory is too near its cap to take another response.
    #[error(
        "not asking for events: the rejects directory {dir} holds {held} bytes, and a response \
         kept there may take up to {reserve} more (the largest body held in memory), past its \
         cap of {cap} bytes; look at what is there and move it away, or raise --max-rejects-size"
    )]
    RejectsFull {
        /// The rejects directory.
        dir: String,
        /// Bytes it holds.
        held: u64,
        /// Bytes one response may add.
        reserve: u64,
        /// Its cap.
        cap: u64,
    },
    /// The rejects directory refused a body, which was printed on stderr instead.
    #[error("the rejects directory {dir} refused a {kind} body; it was {stored}")]
    BodyPrinted {
        /// The rejects directory.
        dir: String,
        /// The kind of body (its file extension).
        kind: &'static str,
        /// Where it went.
        stored: Stored,
    },
}

/// Keeps a body in the rejects directory, or stops the capture once it is
/// printed on stderr (see [`output::keep_body`]).
fn keep(rejects: &mut Rejects, kind: RejectKind, bytes: &[u8]) -> Result<PathBuf, RunError> {
    match output::keep_body(rejects, kind, bytes) {
        Stored::Rejects(path) => Ok(path),
        stored => Err(RunError::BodyPrinted {
            dir: rejects.dir().display().to_string(),
            kind: kind.extension(),
            stored,
        }),
    }
}

/// Runs the capture loop until a stop reason or an error.
pub fn run(
    config: &CaptureConfig,
    client: &mut Client,
    output: &mut Output,
    rejects: &mut Rejects,
    stop: &Arc<AtomicBool>,
    observer: &mut dyn Observer,
) -> Result<Summary, RunError> {
    let mut summary = Summary {
        events: 0,
        responses: 0,
        rejected: 0,
        stopped: StopReason::Signal,
    };
    let kind = client.body_kind();
    let mut failures = 0u32;
    let mut largest_line = 0u64;
    loop {
        if stop.load(Ordering::SeqCst) {
            summary.stopped = StopReason::Signal;
            return Ok(summary);
        }
        let size = config.next_size(summary.events);
        if size == 0 {
            summary.stopped = StopReason::MaxEvents;
            return Ok(summary);
        }
        check_rejects_cap(config, rejects)?;
        let fetched = match short_of_space(config, output, rejects, size, largest_line) {
            Some(cause) => Err(ApiError::transient(FailureKind::NoSpace, cause)),
            None => client.fetch(size, rejects),
        };
        let mut exchange = Exchange {
            asked: size,
            events: 0,
            bytes: 0,
            sync: None,
            answered: false,
            tokens_fetched: 0,
            token_held: false,
        };
        // A failure to count, with the server's Retry-After if it sent one.
        let mut failed: Option<(FailureKind, String, Option<Duration>)> = None;
        match fetched {
            Ok(Fetched::Body(body)) => {
                summary.responses += 1;
                match batch::split(kind, &body) {
                    // A 200 without events is nothing to store: wait as for a 204.
                    Ok(lines) if lines.is_empty() => {
                        failures = 0;
                        exchange.answered = true;
                        tell(observer, &mut exchange, client);
                        observer.on_notice(Notice::Drained);
                        if config.until_drained {
                            summary.stopped = StopReason::Drained;
                            return Ok(summary);
                        }
                        wait(config.poll_wait, stop, observer);
                    }
                    Ok(lines) => {
                        failures = 0;
                        let longest = lines.iter().map(Vec::len).max().unwrap_or(0);
                        largest_line = largest_line.max(longest as u64);
                        output.write_batch(&lines, rejects)?;
                        summary.events += lines.len() as u64;
                        observer.on_batch(&lines);
                        exchange.answered = true;
                        exchange.events = lines.len();
                        exchange.bytes = lines.iter().map(|l| l.len() as u64 + 1).sum();
                        exchange.sync = output.last_sync();
                    }
                    Err(reason) => {
                        let path = keep(rejects, RejectKind::Malformed, &body)?;
                        summary.rejected += 1;
                        observer.on_notice(Notice::Rejected {
                            kind: RejectKind::Malformed,
                            path: &path,
                            reason: Some(&reason),
                        });
                        observer.on_rejected_body(RejectKind::Malformed, &path, &body);
                        failed = Some((
                            FailureKind::Malformed,
                            format!(
                                "a response body that is not events ({reason}) was kept in {}",
                                path.display()
                            ),
                            None,
                        ));
                    }
                }
            }
            Ok(Fetched::Oversize { path, bytes }) => {
                summary.responses += 1;
                summary.rejected += 1;
                let reason = format!(
                    "{bytes} bytes, over the {} bytes held in memory",
                    config.max_body
                );
                observer.on_notice(Notice::Rejected {
                    kind: RejectKind::Partial,
                    path: &path,
                    reason: Some(&reason),
                });
                observer.on_rejected_body(RejectKind::Partial, &path, &[]);
                failed = Some((
                    FailureKind::Oversize,
                    format!(
                        "a response body of {bytes} bytes, over the {} bytes held in memory, \
                         was kept in {}",
                        config.max_body,
                        path.display()
                    ),
                    None,
                ));
            }
            Ok(Fetched::Drained) => {
                failures = 0;
                exchange.answered = true;
                tell(observer, &mut exchange, client);
                observer.on_notice(Notice::Drained);
                if config.until_drained {
                    summary.stopped = StopReason::Drained;
                    return Ok(summary);
                }
                wait(config.poll_wait, stop, observer);
            }
            Err(ApiError::Fatal(msg)) => return Err(RunError::Api(msg)),
            Err(ApiError::Transient {
                cause,
                retry_after,
                partial,
                kind,
            }) => {
                if let Some(bytes) = partial {
                    let path = keep(rejects, RejectKind::Partial, &bytes)?;
                    summary.rejected += 1;
                    observer.on_notice(Notice::Rejected {
                        kind: RejectKind::Partial,
                        path: &path,
                        reason: None,
                    });
                    observer.on_rejected_body(RejectKind::Partial, &path, &bytes);
                }
                failed = Some((kind, cause, retry_after));
            }
        }
        if !exchange.answered || exchange.events > 0 {
            // A 204 or an empty 200 was told before its wait.
            tell(observer, &mut exchange, client);
        }
        if let Some((kind, cause, retry_after)) = failed {
            failures = failures.saturating_add(1);
            if config.retry.exhausted(failures) {
                return Err(RunError::GaveUp { failures, cause });
            }
            let delay = config.retry.delay(failures, retry_after);
            observer.on_notice(Notice::Retrying {
                kind,
                failures,
                delay,
                cause: &cause,
            });
            wait(delay, stop, observer);
        }
    }
}

/// Tells `observer` about `exchange`, with the client's token figures.
fn tell(observer: &mut dyn Observer, exchange: &mut Exchange, client: &Client) {
    exchange.tokens_fetched = client.tokens_fetched();
    exchange.token_held = client.token_held();
    observer.on_exchange(exchange);
}

/// Stops the capture when the rejects directory's room under its cap could
/// not take one more body held in memory: nothing is asked for that could
/// not be kept.
fn check_rejects_cap(config: &CaptureConfig, rejects: &Rejects) -> Result<(), RunError> {
    let reserve = config.max_body as u64;
    if rejects.room() >= reserve {
        return Ok(());
    }
    Err(RunError::RejectsFull {
        dir: rejects.dir().display().to_string(),
        held: rejects.held(),
        reserve,
        cap: rejects.cap(),
    })
}

/// Why the journal or the rejects directory cannot take a worst-case
/// response now, if one cannot.
fn short_of_space(
    config: &CaptureConfig,
    output: &Output,
    rejects: &Rejects,
    size: u32,
    largest_line: u64,
) -> Option<String> {
    if !config.check_space {
        return None;
    }
    let needed = space::needed(size, largest_line);
    let journal = match output {
        Output::Journal(journal) => space::room(journal.path(), journal.len())
            .map(|room| (journal.path().display().to_string(), room)),
        Output::Stdout => None,
    };
    let rejects = space::room_in(rejects.dir()).map(|room| {
        (
            format!("the rejects directory {}", rejects.dir().display()),
            room,
        )
    });
    let (place, room) = journal
        .into_iter()
        .chain(rejects)
        .find(|(_, room)| *room < needed)?;
    Some(format!(
        "not asking for events: {place} has room for {room} more bytes (free space or the \
         file-size limit), and a response of {size} events may need {needed}"
    ))
}

/// Sleeps for `total`, returning early when `stop` is set.
/// A wait too long to be added to the clock lasts until `stop`.
fn wait(total: Duration, stop: &AtomicBool, observer: &mut dyn Observer) {
    let end = Instant::now().checked_add(total);
    let mut last_idle = Instant::now();
    loop {
        let now = Instant::now();
        if end.is_some_and(|end| now >= end) || stop.load(Ordering::SeqCst) {
            return;
        }
        let left = end.map_or(Duration::MAX, |end| end - now);
        std::thread::sleep(left.min(Duration::from_millis(50)));
        if last_idle.elapsed() >= Duration::from_millis(200) {
            observer.on_idle();
            last_idle = Instant::now();
        }
    }
}
