//! The command's run: inputs read through the validator's `input` module,
//! records converted in parallel batches (in input order), NDJSON written,
//! problems reported with their places, a summary per class.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::ops::{Deref, Range};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};

use anyhow::Context;
use aperture_events_ocsf::{Converter, Options, Written};
use aperture_events_validator::input::{self, Sink, Source};
use aperture_events_validator::{Locus, Place};
use rayon::prelude::*;

/// What to run.
#[derive(Debug)]
pub struct Config {
    pub inputs: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub options: Options,
    pub summary: bool,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Events written, by class_uid, with the class name.
    pub classes: BTreeMap<i64, (String, u64)>,
    /// Unknown event types skipped.
    pub skipped: u64,
    /// Records reported: malformed, or not convertible.
    pub failed: u64,
    /// Inputs that could not be read.
    pub unreadable: u64,
}

impl Summary {
    pub fn failed(&self) -> bool {
        self.failed > 0 || self.unreadable > 0
    }
}

/// A batch is converted when it holds this many records or bytes: enough
/// to keep both cores busy, little enough to bound memory.
const BATCH_RECORDS: usize = 4096;
const BATCH_BYTES: usize = 16 << 20;

/// A converted record: its line (with its class_uid), a skip, or the reason it failed.
type Outcome = Result<Option<(i64, Line)>, aperture_events_ocsf::Error>;

/// Records converted together into one buffer.
const CHUNK_RECORDS: usize = 64;

/// The line of a record: a slice of its chunk's buffer. The buffer goes
/// back to [`POOL`] when its last line is written, so that converting
/// allocates no buffer per line and the heap does not grow and shrink by a
/// batch each time.
struct Line {
    chunk: Arc<Chunk>,
    range: Range<usize>,
}

impl Deref for Line {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.chunk.0[self.range.clone()]
    }
}

struct Chunk(Vec<u8>);

/// Buffers of written chunks, for the next ones: at most the chunks of two
/// batches, each kept only when small, so memory stays bounded.
static POOL: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
const POOL_BUFFERS: usize = 2 * BATCH_RECORDS / CHUNK_RECORDS;
const POOL_BUFFER_BYTES: usize = 256 << 10;

impl Drop for Chunk {
    fn drop(&mut self) {
        let mut buffer = std::mem::take(&mut self.0);
        if buffer.capacity() > POOL_BUFFER_BYTES {
            return;
        }
        buffer.clear();
        if let Ok(mut pool) = POOL.lock() {
            if pool.len() < POOL_BUFFERS {
                pool.push(buffer);
            }
        }
    }
}

/// Converts a batch on rayon's pool, a chunk of records at a time, each
/// record written straight into its chunk's buffer
/// (`Converter::convert_json_to`), lines in input order.
fn convert_batch(converter: &Converter, pending: &[(Locus, Vec<u8>)]) -> Vec<Outcome> {
    pending
        .par_chunks(CHUNK_RECORDS)
        .flat_map_iter(|records| {
            let pooled = POOL.lock().ok().and_then(|mut pool| pool.pop());
            let mut buffer = pooled.unwrap_or_default();
            let mut spans = Vec::with_capacity(records.len());
            for (_, bytes) in records {
                let start = buffer.len();
                spans.push(converter.convert_json_to(bytes, &mut buffer).map(
                    |written| match written {
                        Written::Event { class_uid } => {
                            buffer.push(b'\n');
                            Some((class_uid, start..buffer.len()))
                        }
                        Written::Skipped { .. } => None,
                    },
                ));
            }
            let chunk = Arc::new(Chunk(buffer));
            spans.into_iter().map(move |span| {
                span.map(|written| {
                    written.map(|(class, range)| {
                        let chunk = Arc::clone(&chunk);
                        (class, Line { chunk, range })
                    })
                })
            })
        })
        .collect()
}

/// A batch being converted on the pool while the next one is read: its
/// records (for their places) and, when done, their outcomes.
type InFlight = mpsc::Receiver<(Vec<(Locus, Vec<u8>)>, Vec<Outcome>)>;

struct Batcher<'a> {
    converter: &'a Converter,
    out: &'a mut dyn Write,
    name: String,
    pending: Vec<(Locus, Vec<u8>)>,
    bytes: usize,
    /// At most one batch converts while the reader fills the next, and
    /// the one before is written while the next converts: memory stays
    /// bounded by three batches, and reading, converting and writing overlap.
    in_flight: Option<(String, InFlight)>,
    summary: Summary,
    error: Option<io::Error>,
}

impl Batcher<'_> {
    fn report(&mut self, name: &str, locus: Locus, message: &str) {
        eprintln!("{}: {message}", Place::new(name, locus));
        self.summary.failed += 1;
    }

    /// Sends the pending records to the pool, then writes the batch that was
    /// converting (lines stay in input order, and the pool has the next
    /// batch while this thread writes).
    fn flush(&mut self) {
        if self.pending.is_empty() {
            self.drain();
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.bytes = 0;
        let converter = self.converter.clone();
        let (send, receive) = mpsc::sync_channel(1);
        rayon::spawn(move || {
            let outcomes = convert_batch(&converter, &pending);
            // The receiver is gone only when the run stopped: nothing to write.
            let _ = send.send((pending, outcomes));
        });
        if let Some(previous) = self.in_flight.replace((self.name.clone(), receive)) {
            self.write(previous);
        }
    }

    /// Waits for the batch converting, and writes it.
    fn drain(&mut self) {
        if let Some(batch) = self.in_flight.take() {
            self.write(batch);
        }
    }

    /// Waits for a batch, and writes it.
    fn write(&mut self, (name, receive): (String, InFlight)) {
        // The pool's task always sends, unless it panicked: then the
        // records are reported, not silently dropped.
        let (pending, outcomes) = match receive.recv() {
            Ok(done) => done,
            Err(_) => {
                eprintln!("{name}: internal error: a batch was not converted");
                self.summary.failed += 1;
                return;
            }
        };
        for ((locus, _), result) in pending.into_iter().zip(outcomes) {
            match result {
                Ok(Some((class, line))) => {
                    if self.error.is_none() {
                        if let Err(e) = self.out.write_all(&line) {
                            self.error = Some(e);
                        }
                    }
                    match self.summary.classes.get_mut(&class) {
                        Some((_, n)) => *n += 1,
                        None => {
                            let class_name = class_name(&line);
                            self.summary.classes.insert(class, (class_name, 1));
                        }
                    }
                }
                Ok(None) => self.summary.skipped += 1,
                Err(e) => self.report(&name, locus, &e.to_string()),
            }
        }
    }

    /// Converts and writes everything pending.
    fn finish(&mut self) {
        self.flush();
        self.drain();
    }
}

impl Sink for Batcher<'_> {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        self.record_owned(locus, bytes.to_vec(), 0..bytes.len());
    }

    fn record_owned(&mut self, locus: Locus, mut bytes: Vec<u8>, range: std::ops::Range<usize>) {
        if range != (0..bytes.len()) {
            bytes = bytes[range].to_vec();
        }
        self.bytes += bytes.len();
        self.pending.push((locus, bytes));
        if self.pending.len() >= BATCH_RECORDS || self.bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    fn malformed(&mut self, locus: Locus, message: String) {
        self.finish();
        let name = self.name.clone();
        self.report(&name, locus, &message);
    }

    fn no_event(&mut self, _: Locus) {}

    fn error_response(&mut self, locus: Locus, status: u16) {
        self.finish();
        eprintln!(
            "{}: HTTP status {status}, no event",
            Place::new(self.name.as_str(), locus)
        );
    }
}

/// The `class_name` of an event written as a line (once per class and run).
fn class_name(line: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|e| e["class_name"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn create(path: &PathBuf) -> anyhow::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    // An existing file keeps its mode when opened: events are personal data.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    Ok(file)
}

/// Runs the command; `Err` only when the output cannot be written.
pub fn run(config: &Config) -> anyhow::Result<Summary> {
    let converter = Converter::new(config.options);
    let mut out: Box<dyn Write> = match &config.output {
        Some(path) => Box::new(BufWriter::with_capacity(1 << 20, create(path)?)),
        None => Box::new(BufWriter::with_capacity(1 << 20, io::stdout().lock())),
    };
    let (sources, errors) = input::expand(&config.inputs);
    let mut batcher = Batcher {
        converter: &converter,
        out: &mut out,
        name: String::new(),
        pending: Vec::new(),
        bytes: 0,
        in_flight: None,
        summary: Summary::default(),
        error: None,
    };
    for (name, message) in errors {
        eprintln!("{name}: {message}");
        batcher.summary.unreadable += 1;
    }
    for source in &sources {
        batcher.name = source.name();
        let result = match source {
            Source::Stdin => input::read(io::stdin().lock(), &mut batcher),
            Source::File(path) => File::open(path).and_then(|f| input::read(f, &mut batcher)),
        };
        batcher.finish();
        if let Err(e) = result {
            eprintln!("{}: cannot read: {e}", source.name());
            batcher.summary.unreadable += 1;
        }
        if let Some(e) = batcher.error.take() {
            return Err(e).context("cannot write the output");
        }
    }
    let summary = std::mem::take(&mut batcher.summary);
    drop(batcher);
    out.flush().context("cannot write the output")?;
    if config.summary {
        print_summary(&summary);
    }
    Ok(summary)
}

fn print_summary(summary: &Summary) {
    let total: u64 = summary.classes.values().map(|(_, n)| n).sum();
    eprintln!("aperture-ocsf: {total} OCSF events");
    for (uid, (name, n)) in &summary.classes {
        eprintln!("  {n:>10}  {name} ({uid})");
    }
    if summary.skipped > 0 {
        eprintln!("  {:>10}  skipped (unknown log_type)", summary.skipped);
    }
    if summary.failed > 0 {
        eprintln!(
            "  {:>10}  records not converted (reported above)",
            summary.failed
        );
    }
    if summary.unreadable > 0 {
        eprintln!(
            "  {:>10}  inputs not read (reported above)",
            summary.unreadable
        );
    }
}
