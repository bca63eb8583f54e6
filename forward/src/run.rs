//! The forwarding loop of one journal: read whole lines after the
//! checkpoint, publish them, wait for the acknowledgement, move the
//! checkpoint, and again.
//!
//! # Design
//! The checkpoint moves only after the sink acknowledged every message
//! before it; a failure retries the same batch (same message ids) after a
//! capped, jittered backoff, so a message stored before its
//! acknowledgement was lost is dropped by the stream as a duplicate. A
//! crash anywhere re-publishes at most the batch in flight, likewise
//! dropped. The capture is never waited for and never waits: the
//! forwarder reads the journal from disk, behind it.
//!
//! A line whose message is larger than the sink takes ([`Sink::max_message`],
//! the server's `max_payload`) is never published: the lines before it
//! are, then it is set aside ([`super::rejects`]), counted and said, and the
//! checkpoint moves past it. An error no retry can fix
//! ([`super::permanent`]) ends the loop at once with that error.
//!
//! With OCSF (`--format ocsf`), a line the converter turns into no event
//! ([`super::message::Skipped`]: an unknown type skipped as asked, or a
//! line it cannot convert) is passed over like a set-aside one: the
//! checkpoint moves past it once the messages before it are acknowledged,
//! and it is counted (an unconvertible line is also said, with its place).
//!
//! A rotated segment is removed once forwarded (unless `keep_forwarded`),
//! except the newest rotated one: it keeps rotation numbering going up, so
//! segment numbers (part of every message id) are never reused.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::checkpoint::Checkpoint;
use super::lag::{self, LineSize};
use super::message::{Labels, Skipped};
use super::segments::{self, Line, SegmentReader};
use super::sink::{Sink, SinkError};

/// How one journal is forwarded.
#[derive(Debug, Clone)]
pub struct Job {
    pub journal: PathBuf,
    pub labels: Labels,
    /// Keep rotated segments once forwarded.
    pub keep_forwarded: bool,
    /// Lines per batch (published together, acknowledged together).
    pub batch: usize,
    /// Longest wait between two tries of a batch.
    pub retry_cap: Duration,
    /// Past this time without an acknowledgement for a batch, a re-publish
    /// may fall outside the stream's de-duplication window: said on stderr.
    pub retry_horizon: Duration,
    /// How often the live segment is looked at for new lines.
    pub poll: Duration,
    /// Where the progress goes for `--metrics-listen`, if anywhere.
    pub metrics: Option<super::metrics::JournalMetrics>,
}

/// When the loop ends.
#[derive(Debug, Clone)]
pub struct Control {
    /// Set: forward what is in the journal, then stop (at once if nothing
    /// can be stored until `deadline`).
    pub stop: Arc<AtomicBool>,
    /// Without `follow`, the loop stops at the end of the journal.
    pub follow: bool,
    /// Milliseconds since the epoch before which a stopping forwarder may still retry (0: no limit).
    pub deadline_ms: Arc<AtomicU64>,
}

/// What the loop did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub forwarded: u64,
    pub batches: u64,
    pub retries: u64,
    /// Lines larger than the sink takes, set aside in [`super::rejects::path`].
    pub set_aside: u64,
    /// Events of an unknown type skipped (OCSF, as asked).
    pub skipped: u64,
    /// Lines that could not be converted to OCSF, passed over.
    pub unconvertible: u64,
    /// Lines known to be left (when stopped before the end).
    pub behind: bool,
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Outcome {
    /// The error to report when lines of `journal` were set aside.
    pub fn set_aside_error(&self, journal: &std::path::Path) -> Option<String> {
        (self.set_aside > 0).then(|| {
            format!(
                "{}: {} event{} set aside in {}: larger than the server takes (the others were forwarded)",
                journal.display(),
                self.set_aside,
                plural(self.set_aside),
                super::rejects::path(journal).display()
            )
        })
    }

    /// The error to report when lines of `journal` could not be converted to OCSF.
    pub fn unconvertible_error(&self, journal: &std::path::Path) -> Option<String> {
        (self.unconvertible > 0).then(|| {
            format!(
                "{}: {} line{} not converted to OCSF, passed over (each said above; the others were forwarded)",
                journal.display(),
                self.unconvertible,
                plural(self.unconvertible),
            )
        })
    }
}

/// How [`deliver`] ended.
enum Delivered {
    Stored,
    /// Stopped before it was stored.
    Stopped,
    /// A message is larger than the sink takes now: split again.
    TooLarge,
}

/// Progress lines for people (stderr).
pub type Say<'a> = &'a (dyn Fn(&str) + Sync);

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Control {
    fn out_of_time(&self) -> bool {
        let deadline = self.deadline_ms.load(Ordering::SeqCst);
        self.stop.load(Ordering::SeqCst) && (deadline == 0 || now_ms() >= deadline)
    }
}

/// Forwards `job`'s journal to `sink` until its end (or, with `follow`, until stopped).
pub async fn forward<S: Sink>(
    job: &Job,
    sink: &mut S,
    control: &Control,
    say: Say<'_>,
) -> Result<Outcome, String> {
    let journal = &job.journal;
    let fail = |e: std::io::Error| format!("{}: {e}", journal.display());
    let mut cp = match Checkpoint::load(journal).map_err(fail)? {
        Some(cp) => cp,
        None => Checkpoint {
            segment: segments::rotated(journal)
                .map_err(fail)?
                .first()
                .map_or(1, |r| r.number),
            offset: 0,
            line: 0,
        },
    };
    let mut outcome = Outcome::default();
    let mut reader: Option<SegmentReader> = None;
    let mut lines: Vec<Line> = Vec::with_capacity(job.batch);
    let mut last_said = Instant::now();
    let mut line_size = LineSize::default();
    let mut lag_at: Option<Instant> = None;
    let metrics = job.metrics.as_ref();
    if let Some(m) = metrics {
        m.position(cp.segment, cp.line);
    }
    // The stream is created or checked first: a mismatch is an error even with nothing to forward.
    match deliver(job, sink, control, say, None, &mut outcome, cp, None).await? {
        Delivered::Stored | Delivered::TooLarge => {}
        Delivered::Stopped => return Ok(outcome),
    }
    loop {
        if reader.is_none() {
            reader = SegmentReader::open(journal, cp.segment, cp.offset, cp.line).map_err(fail)?;
        }
        let Some(r) = reader.as_mut() else {
            // The live segment does not exist yet.
            if !control.follow || control.stop.load(Ordering::SeqCst) {
                return Ok(outcome);
            }
            tokio::time::sleep(job.poll).await;
            continue;
        };
        // Looked at before the read: a segment seen final stays final, so
        // after this read, nothing more can come.
        let was_final = r.is_final(journal);
        lines.clear();
        r.read(job.batch, 1 << 20, &mut lines).map_err(fail)?;
        if lines.is_empty() {
            if was_final {
                // The segment is done: on to the next one.
                cp = Checkpoint {
                    segment: cp.segment + 1,
                    offset: 0,
                    line: 0,
                };
                cp.save(journal).map_err(fail)?;
                reader = None;
                if !job.keep_forwarded {
                    remove_forwarded(journal, cp.segment, say);
                }
                continue;
            }
            if let Some(m) = metrics {
                m.lag(0, None);
                // The next line read is behind: said at once.
                lag_at = None;
            }
            if !control.follow || control.stop.load(Ordering::SeqCst) {
                return Ok(outcome);
            }
            tokio::time::sleep(job.poll).await;
            continue;
        }
        if let Some(m) = metrics {
            if lag_at.is_none_or(|t| t.elapsed() >= super::metrics::LAG_EVERY) {
                // Before this batch is forwarded: it is behind, its first line the oldest.
                let left = lag::bytes_left(journal, cp.segment, reader.as_ref())
                    .saturating_add(lines.iter().map(|l| l.end - l.offset).sum());
                let oldest = lines
                    .first()
                    .and_then(|l| lag::age_secs(&l.bytes, std::time::SystemTime::now()));
                m.lag(line_size.lines_in(left), oldest);
                lag_at = Some(Instant::now());
            }
        }
        // The messages, and for each the index of its line; the lines
        // between them (`skips`) have none.
        let mut batch = Vec::with_capacity(lines.len());
        let mut line_of = Vec::with_capacity(lines.len());
        let mut skips = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            match job.labels.message(cp.segment, l) {
                Ok(m) => {
                    batch.push(m);
                    line_of.push(i);
                }
                Err(skip) => skips.push((i, skip)),
            }
        }
        let mut passed = Passed {
            skips: &skips,
            counted: 0,
        };
        let mut at = 0;
        while at < batch.len() {
            let limit = sink.max_message();
            let fits = batch[at..]
                .iter()
                .take_while(|m| limit.is_none_or(|l| m.size() <= l.bytes))
                .count();
            let limit = match limit {
                // The next message is over the limit: set it aside, below.
                Some(limit) if fits == 0 => limit,
                _ => {
                    let chunk = Some(&batch[at..at + fits]);
                    let behind = Behind {
                        reader: reader.as_ref(),
                        pending: lines[line_of[at]..].iter().map(|l| l.end - l.offset).sum(),
                        line_size,
                        first: &lines[line_of[at]].bytes,
                    };
                    let delivered = deliver(
                        job,
                        sink,
                        control,
                        say,
                        chunk,
                        &mut outcome,
                        cp,
                        Some(behind),
                    );
                    match delivered.await? {
                        Delivered::Stored => {}
                        Delivered::Stopped => return Ok(outcome),
                        Delivered::TooLarge => continue,
                    }
                    let last_index = line_of[at + fits - 1];
                    let last = &lines[last_index];
                    (cp.offset, cp.line) = (last.end, last.line);
                    cp.save(journal).map_err(fail)?;
                    outcome.forwarded += fits as u64;
                    if let Some(m) = metrics {
                        m.forwarded(fits as u64, cp.segment, cp.line);
                    }
                    passed.upto(last_index, job, cp.segment, &lines, &mut outcome, say);
                    at += fits;
                    continue;
                }
            };
            let (line, message) = (&lines[line_of[at]], &batch[at]);
            let kept = super::rejects::set_aside(journal, &line.bytes)
                .map_err(|e| format!("setting aside an event too large to forward: {e}"))?;
            say(&format!(
                "forward: error: {}: segment {} line {} (offset {}): the message is {} bytes \
                 (an event of {} bytes and its headers), over {} of {} bytes: set aside in {}",
                journal.display(),
                cp.segment,
                line.line,
                line.offset,
                message.size(),
                line.bytes.len(),
                limit.what,
                limit.bytes,
                kept.display()
            ));
            (cp.offset, cp.line) = (line.end, line.line);
            cp.save(journal).map_err(fail)?;
            outcome.set_aside += 1;
            if let Some(m) = metrics {
                m.set_aside();
                m.position(cp.segment, cp.line);
            }
            passed.upto(line_of[at], job, cp.segment, &lines, &mut outcome, say);
            at += 1;
        }
        // Lines after the last message have none: passed over at once.
        if line_of.last().is_none_or(|&i| i + 1 < lines.len()) {
            if let Some(last) = lines.last() {
                (cp.offset, cp.line) = (last.end, last.line);
                cp.save(journal).map_err(fail)?;
                if let Some(m) = metrics {
                    m.position(cp.segment, cp.line);
                }
                passed.upto(lines.len() - 1, job, cp.segment, &lines, &mut outcome, say);
            }
        }
        outcome.batches += 1;
        line_size.add(
            lines.iter().map(|l| l.end - l.offset).sum(),
            lines.len() as u64,
        );
        if last_said.elapsed() > Duration::from_secs(10) {
            let left = lag::bytes_left(journal, cp.segment, reader.as_ref());
            // The next line follows the last one forwarded: its age is about the same.
            let oldest = (left > 0)
                .then(|| lines.last())
                .flatten()
                .and_then(|l| lag::age_secs(&l.bytes, std::time::SystemTime::now()));
            say(&format!(
                "forward: {}: {} events forwarded; at segment {} line {}; {}",
                journal.display(),
                outcome.forwarded,
                cp.segment,
                cp.line,
                lag::describe(line_size.lines_in(left), oldest)
            ));
            last_said = Instant::now();
        }
    }
}

/// What is left to forward while a batch waits: for the metrics' events behind.
struct Behind<'a> {
    reader: Option<&'a SegmentReader>,
    /// Bytes of the lines read and not yet acknowledged.
    pending: u64,
    line_size: LineSize,
    /// The first line not yet acknowledged, as journaled (its `timestamp`
    /// gives the age: the message may be OCSF, timed otherwise).
    first: &'a [u8],
}

/// The lines of a batch that have no message, counted once the checkpoint
/// has moved past them.
struct Passed<'a> {
    skips: &'a [(usize, Skipped)],
    /// How many of `skips` are counted.
    counted: usize,
}

impl Passed<'_> {
    /// The checkpoint is past line `index` of the batch (`lines`).
    fn upto(
        &mut self,
        index: usize,
        job: &Job,
        segment: u64,
        lines: &[Line],
        outcome: &mut Outcome,
        say: Say<'_>,
    ) {
        while let Some((i, skip)) = self.skips.get(self.counted) {
            if *i > index {
                break;
            }
            self.counted += 1;
            let line = &lines[*i];
            match skip {
                Skipped::UnknownType(_) => outcome.skipped += 1,
                Skipped::Unconvertible(why) => {
                    outcome.unconvertible += 1;
                    say(&format!(
                        "forward: error: {}: segment {segment} line {} (offset {}): not converted to OCSF, passed over: {why}",
                        job.journal.display(),
                        line.line,
                        line.offset,
                    ));
                }
            }
            if let Some(m) = &job.metrics {
                m.skipped(skip);
            }
        }
    }
}

/// Prepares the sink (`batch` `None`) or publishes `batch`, trying again
/// until it is acknowledged, or until stopped.
#[allow(clippy::too_many_arguments)]
async fn deliver<S: Sink>(
    job: &Job,
    sink: &mut S,
    control: &Control,
    say: Say<'_>,
    batch: Option<&[super::message::Outgoing]>,
    outcome: &mut Outcome,
    cp: Checkpoint,
    behind: Option<Behind<'_>>,
) -> Result<Delivered, String> {
    let journal = &job.journal;
    let mut lag_at: Option<Instant> = None;
    let first_try = Instant::now();
    let mut last_said: Option<Instant> = None;
    let mut delay = Duration::from_millis(100);
    let mut warned = false;
    loop {
        let result = match batch {
            Some(batch) => sink.publish(batch).await,
            None => sink.prepare().await,
        };
        match result {
            Ok(()) => return Ok(Delivered::Stored),
            Err(SinkError::TooLarge) => return Ok(Delivered::TooLarge),
            Err(SinkError::Fatal(e)) => return Err(e),
            Err(SinkError::Retry(e)) => {
                outcome.retries += 1;
                if let Some(m) = &job.metrics {
                    m.publish_error();
                    if lag_at.is_none_or(|t| t.elapsed() >= super::metrics::LAG_EVERY) {
                        lag_at = Some(Instant::now());
                        // The first line of the batch is the oldest not yet in the stream.
                        let age = behind
                            .as_ref()
                            .and_then(|b| lag::age_secs(b.first, std::time::SystemTime::now()));
                        if let Some(b) = &behind {
                            let left = lag::bytes_left(journal, cp.segment, b.reader);
                            m.lag(b.line_size.lines_in(left.saturating_add(b.pending)), age);
                        } else if let Some(age) = age {
                            m.oldest_age(age);
                        }
                    }
                }
                if control.out_of_time() {
                    outcome.behind = true;
                    say(&format!(
                        "forward: {}: stopping at segment {} offset {}, not all forwarded: {e}",
                        journal.display(),
                        cp.segment,
                        cp.offset
                    ));
                    return Ok(Delivered::Stopped);
                }
                if last_said.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
                    // The first line of the batch is the oldest not yet in the stream.
                    let oldest = behind
                        .as_ref()
                        .and_then(|b| lag::age_secs(b.first, std::time::SystemTime::now()));
                    let oldest = oldest.map_or_else(String::new, |age| {
                        format!("; the oldest unforwarded event is from {age}s ago")
                    });
                    say(&format!(
                        "forward: {}: {e}; retrying (for {}s now){oldest}",
                        journal.display(),
                        first_try.elapsed().as_secs()
                    ));
                    last_said = Some(Instant::now());
                }
                if batch.is_some() && !warned && first_try.elapsed() > job.retry_horizon {
                    warned = true;
                    say(&format!(
                        "forward: warning: a batch of {} has waited {}s for its acknowledgement, past the retry horizon \
                         (the stream's de-duplication window): if it was stored unacknowledged long ago, it may be stored twice",
                        journal.display(),
                        first_try.elapsed().as_secs()
                    ));
                }
                let jitter = fastrand::u64(0..=delay.as_millis() as u64 / 2);
                tokio::time::sleep(delay + Duration::from_millis(jitter)).await;
                delay = (delay * 2).min(job.retry_cap);
            }
        }
    }
}

/// Removes rotated segments before `current`, except the newest rotated one.
fn remove_forwarded(journal: &std::path::Path, current: u64, say: Say<'_>) {
    let Ok(all) = segments::rotated(journal) else {
        return;
    };
    let newest = all.last().map_or(0, |r| r.number);
    for r in all {
        if r.number < current && r.number != newest {
            // A compression in progress keeps its plain copy: leave it to finish.
            let tmp = {
                let mut s = r.path.as_os_str().to_owned();
                s.push(if r.gz { ".tmp" } else { ".gz.tmp" });
                PathBuf::from(s)
            };
            if tmp.exists() {
                continue;
            }
            if let Err(e) = std::fs::remove_file(&r.path) {
                say(&format!(
                    "forward: cannot remove forwarded {}: {e}",
                    r.path.display()
                ));
            }
        }
    }
}

#[cfg(all(test, feature = "ocsf"))]
mod tests {
    use std::collections::BTreeMap;

    use aperture_events_ocsf::{Converted, Converter, Options, Unknown};

    use super::*;
    use crate::message::{DEFAULT_OCSF_SUBJECT, Format, Outgoing};
    use crate::sink::Limit;

    /// A stream in memory: drops a message whose id it holds, fails every third publish.
    #[derive(Default)]
    struct Memory {
        stored: Vec<Outgoing>,
        ids: BTreeMap<String, usize>,
        publishes: u64,
    }

    impl Sink for Memory {
        async fn prepare(&mut self) -> Result<(), SinkError> {
            Ok(())
        }

        async fn publish(&mut self, batch: &[Outgoing]) -> Result<(), SinkError> {
            self.publishes += 1;
            if self.publishes % 3 == 0 {
                return Err(SinkError::Retry("a lost acknowledgement".into()));
            }
            for m in batch {
                if !self.ids.contains_key(&m.id) {
                    self.ids.insert(m.id.clone(), self.stored.len());
                    self.stored.push(m.clone());
                }
            }
            Ok(())
        }

        fn max_message(&self) -> Option<Limit> {
            Some(Limit {
                bytes: 4096,
                what: "the test's limit",
            })
        }
    }

    #[test]
    fn lines_without_an_event_are_passed_over_and_counted() {
        let dir = tempfile::tempdir().expect("dir");
        let journal = dir.path().join("events.ndjson");
        let event = |n: u32| {
            format!(
                r#"{{"log_type":"admin_audit","admin_id":"a{n}@example.com","action":"sign_in","timestamp":"2026-01-02T00:00:00Z"}}"#
            )
        };
        let huge = format!(
            r#"{{"log_type":"incident","incident_id":"x","item_name":"{}","timestamp":"2026-01-02T00:00:00Z"}}"#,
            "a".repeat(5000)
        );
        let mut lines: Vec<String> = vec![
            r#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:00Z"}"#.into(),
            event(1),
            "not json".into(),
            r#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:00Z"}"#.into(),
            event(2),
            huge,
            r#"{"log_type":"incident"}"#.into(),
        ];
        lines.extend((3..20).map(event));
        lines.extend([
            r#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:00Z"}"#.into(),
            r#"{"log_type":"brand_new","timestamp":"2026-01-02T00:00:00Z"}"#.into(),
        ]);
        std::fs::write(&journal, lines.join("\n") + "\n").expect("write");
        let converter = Converter::new(Options {
            unknown: Unknown::Skip,
            ..Options::default()
        });
        let expected: Vec<Vec<u8>> = lines
            .iter()
            .filter_map(|l| match converter.convert_json(l.as_bytes()) {
                Ok(Converted::Event(e)) => Some(serde_json::to_vec(&e).expect("json")),
                _ => None,
            })
            .filter(|p| p.len() < 4000)
            .collect();
        assert_eq!(expected.len(), 19);
        let job = Job {
            journal: journal.clone(),
            labels: Labels {
                capture: "cap".into(),
                region: None,
                template: DEFAULT_OCSF_SUBJECT.into(),
                format: Format::Ocsf(converter),
            },
            keep_forwarded: true,
            batch: 3,
            retry_cap: Duration::from_millis(1),
            retry_horizon: Duration::from_secs(60),
            poll: Duration::from_millis(1),
            metrics: None,
        };
        let control = Control {
            stop: Arc::new(AtomicBool::new(false)),
            follow: false,
            deadline_ms: Arc::new(AtomicU64::new(0)),
        };
        let said = std::sync::Mutex::new(Vec::<String>::new());
        let say = |l: &str| said.lock().expect("lock").push(l.to_owned());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut sink = Memory::default();
        let outcome = runtime
            .block_on(forward(&job, &mut sink, &control, &say))
            .expect("forwarded");
        let payloads: Vec<&Vec<u8>> = sink.stored.iter().map(|m| &m.payload).collect();
        assert_eq!(payloads, expected.iter().collect::<Vec<_>>());
        assert_eq!(
            (
                outcome.forwarded,
                outcome.skipped,
                outcome.unconvertible,
                outcome.set_aside
            ),
            (19, 4, 2, 1)
        );
        let said = said.lock().expect("lock").join("\n");
        assert!(said.contains("segment 1 line 3 (offset"), "{said}");
        assert!(said.contains("line 7 (offset"), "{said}");
        // The checkpoint is at the end, past the trailing skipped lines.
        let cp = Checkpoint::load(&journal)
            .expect("load")
            .expect("a checkpoint");
        assert_eq!(cp.offset, std::fs::metadata(&journal).expect("size").len());
        // From scratch: the same ids, nothing stored twice.
        std::fs::remove_file(Checkpoint::path(&journal)).expect("remove");
        let again = runtime
            .block_on(forward(&job, &mut sink, &control, &say))
            .expect("forwarded");
        assert_eq!(again.forwarded, 19);
        assert_eq!(sink.stored.len(), 19);
    }
}
