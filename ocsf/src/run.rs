//! The command's run: inputs read through the validator's `input` module,
//! records converted in parallel batches (in input order), NDJSON written,
//! problems reported with their places, a summary per class.
//!
//! # Design
//! Three stages overlap, so that the two cores are kept busy: this thread
//! reads records into a batch (one buffer of input for the batch, no
//! allocation per record); rayon's pool converts a batch a chunk of
//! records at a time, each chunk's lines written into one buffer; a writer
//! thread writes each chunk's buffer whole, in input order, and reports
//! what the batch's records gave (problems with their places, the reader's
//! own in their turn). Memory is bounded by the batches alive at once:
//! the one being read, [`IN_FLIGHT`] converting or waiting to be written,
//! one handed to the pool while the queue is full, and the one being written.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use anyhow::Context;
use aperture_events_journal::private::{self, FileMode};
use aperture_events_ocsf::{Converter, Options, Written};
use aperture_events_validator::input::{self, ReadOptions, Sink, Source};
use aperture_events_validator::{Locus, Place};
use rayon::prelude::*;

/// What to run.
#[derive(Debug)]
pub struct Config {
    pub inputs: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub options: Options,
    /// The reader's bounds: the longest record, the gzip ratio.
    pub read: ReadOptions,
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

/// A batch is converted when it holds this many entries or bytes: enough
/// to keep both cores busy (a few milliseconds of work), little enough to
/// bound memory with five batches alive.
const BATCH_RECORDS: usize = 2048;
const BATCH_BYTES: usize = 8 << 20;

/// Batches handed to the pool and not yet taken by the writer: two, so
/// that the pool has the next batch while the writer waits for one.
const IN_FLIGHT: usize = 2;

/// Batches alive at most: the one being read, those in flight, one handed
/// to the pool while the queue is full, and the one being written.
const BATCHES: usize = IN_FLIGHT + 3;

/// Records converted together into one buffer, written with one write.
const CHUNK_RECORDS: usize = 64;

/// The output's buffer: a chunk's lines larger than it are written
/// straight from the chunk's buffer, not copied into it.
const OUTPUT_BUFFER: usize = 64 << 10;

/// What the reader found, in input order.
enum Entry {
    /// A record: its place and its bytes, a range of the batch's block.
    Record(Locus, Range<usize>),
    /// A long record handed on with the reader's buffer (not copied).
    Owned(Locus, Vec<u8>, Range<usize>),
    /// Something the reader found not to be an event.
    Malformed(Locus, String),
    /// An HTTP response with an error status.
    ErrorResponse(Locus, u16),
}

/// Records of one source, read together, converted together.
struct Batch {
    /// The bytes of the batch's [`Entry::Record`]s, one after the other.
    block: Vec<u8>,
    entries: Vec<Entry>,
    /// The bytes held: the records' and the reader's messages.
    bytes: usize,
}

/// What converting a record gave.
enum Outcome {
    /// Its line, `range` of its chunk's buffer, and its class_uid.
    Event(i64, Range<usize>),
    Skipped,
    Failed(aperture_events_ocsf::Error),
    /// The entry is not a record.
    None,
}

/// A chunk of a batch's entries, converted: the lines of its events one
/// after the other in `lines`, and what each entry gave.
struct Chunk {
    lines: Vec<u8>,
    outcomes: Vec<Outcome>,
}

/// Spare buffers, so that converting and reading allocate no buffer per
/// chunk or batch and the heap does not grow and shrink by a batch each
/// time. At most `max` are kept, each only when it holds at most `bytes`,
/// so memory stays bounded.
struct Spares<T> {
    buffers: Mutex<Vec<Vec<T>>>,
    max: usize,
    bytes: usize,
}

impl<T> Spares<T> {
    const fn new(max: usize, bytes: usize) -> Spares<T> {
        Spares {
            buffers: Mutex::new(Vec::new()),
            max,
            bytes,
        }
    }

    /// A spare buffer, or a new one with room for `bytes`.
    fn take(&self) -> Vec<T> {
        self.buffers
            .lock()
            .ok()
            .and_then(|mut spares| spares.pop())
            .unwrap_or_else(|| Vec::with_capacity(self.bytes / size_of::<T>().max(1)))
    }

    fn give(&self, mut buffer: Vec<T>) {
        if buffer.capacity() * size_of::<T>() > self.bytes {
            return;
        }
        buffer.clear();
        if let Ok(mut spares) = self.buffers.lock() {
            if spares.len() < self.max {
                spares.push(buffer);
            }
        }
    }
}

/// Chunk buffers: as many as the chunks of the batches alive, of at most
/// 256 KiB, so that the spares hold no more than was alive at once (with
/// fewer, buffers are freed and allocated again, and the heap faults pages
/// in: 35,000 to 41,000 page faults a run of the benchmark against 5,500).
static CHUNKS: Spares<u8> = Spares::new(BATCHES * BATCH_RECORDS / CHUNK_RECORDS, 256 << 10);

/// Batch blocks: as many as batches alive, of at most a batch's bytes
/// (plus the last record's).
static BLOCKS: Spares<u8> = Spares::new(BATCHES, 2 * BATCH_BYTES);

/// The entries of the batches alive.
static ENTRIES: Spares<Entry> = Spares::new(BATCHES, BATCH_RECORDS * size_of::<Entry>());

/// Converts a batch on rayon's pool, a chunk of records at a time, each
/// record written straight into its chunk's buffer
/// (`Converter::convert_json_to`), chunks in input order.
fn convert_batch(converter: &Converter, batch: &Batch) -> Vec<Chunk> {
    batch
        .entries
        .par_chunks(CHUNK_RECORDS)
        .map(|entries| {
            let mut lines = CHUNKS.take();
            let outcomes = entries
                .iter()
                .map(|entry| {
                    let text = match entry {
                        Entry::Record(_, range) => &batch.block[range.clone()],
                        Entry::Owned(_, bytes, range) => &bytes[range.clone()],
                        Entry::Malformed(..) | Entry::ErrorResponse(..) => return Outcome::None,
                    };
                    let start = lines.len();
                    match converter.convert_json_to(text, &mut lines) {
                        Ok(Written::Event { class_uid }) => {
                            lines.push(b'\n');
                            Outcome::Event(class_uid, start..lines.len())
                        }
                        Ok(Written::Skipped { .. }) => Outcome::Skipped,
                        Err(e) => Outcome::Failed(e),
                    }
                })
                .collect();
            Chunk { lines, outcomes }
        })
        .collect()
}

/// A batch converting on the pool: its records (for their places) and,
/// when done, their chunks.
type Converting = mpsc::Receiver<(Batch, Vec<Chunk>)>;

/// What the reading thread sends the writer, in input order.
enum Message {
    /// A batch of the source named, converting.
    Batch(String, Converting),
    /// Everything sent before is written: the writer answers with the
    /// output's error, if writing failed.
    Written(mpsc::SyncSender<Option<io::Error>>),
}

/// The reading side: a [`Sink`] filling batches and handing them on.
struct Batcher<'a> {
    converter: &'a Converter,
    /// Set when the output failed: nothing more is converted.
    stop: &'a AtomicBool,
    /// The name of the source being read.
    name: String,
    batch: Batch,
    writer: mpsc::SyncSender<Message>,
}

impl Batcher<'_> {
    fn new_batch() -> Batch {
        Batch {
            block: BLOCKS.take(),
            entries: ENTRIES.take(),
            bytes: 0,
        }
    }

    /// Hands the batch being read to the pool, and its place in the
    /// output's order to the writer.
    fn flush(&mut self) {
        if self.batch.entries.is_empty() {
            return;
        }
        if self.stop.load(Ordering::Relaxed) {
            self.batch.entries.clear();
            self.batch.block.clear();
            self.batch.bytes = 0;
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Self::new_batch());
        let converter = self.converter.clone();
        let (send, receive) = mpsc::sync_channel(1);
        rayon::spawn(move || {
            let chunks = convert_batch(&converter, &batch);
            // The receiver is gone only when the run stopped: nothing to write.
            let _ = send.send((batch, chunks));
        });
        // The writer is gone only when it stopped: the run ends with its error.
        let _ = self.writer.send(Message::Batch(self.name.clone(), receive));
    }

    /// Converts and writes everything read: `Err` when the output cannot
    /// be written.
    fn finish(&mut self) -> io::Result<()> {
        self.flush();
        let (send, receive) = mpsc::sync_channel(1);
        if self.writer.send(Message::Written(send)).is_err() {
            return Ok(());
        }
        match receive.recv() {
            Ok(Some(e)) => Err(e),
            _ => Ok(()),
        }
    }

    fn push(&mut self, entry: Entry) {
        self.batch.entries.push(entry);
        if self.batch.entries.len() >= BATCH_RECORDS || self.batch.bytes >= BATCH_BYTES {
            self.flush();
        }
    }
}

impl Sink for Batcher<'_> {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        let start = self.batch.block.len();
        self.batch.block.extend_from_slice(bytes);
        self.batch.bytes += bytes.len();
        self.push(Entry::Record(locus, start..self.batch.block.len()));
    }

    fn record_owned(&mut self, locus: Locus, bytes: Vec<u8>, range: Range<usize>) {
        self.batch.bytes += range.len();
        self.push(Entry::Owned(locus, bytes, range));
    }

    fn malformed(&mut self, locus: Locus, message: String) {
        self.batch.bytes += message.len();
        self.push(Entry::Malformed(locus, message));
    }

    fn no_event(&mut self, _: Locus) {}

    fn error_response(&mut self, locus: Locus, status: u16) {
        self.push(Entry::ErrorResponse(locus, status));
    }
}

/// The writing side: lines out, problems reported, the summary counted.
struct Writer<'a, W: Write> {
    out: W,
    summary: Summary,
    /// Set when writing failed: nothing more is written or reported.
    error: Option<io::Error>,
    /// Set with `error`, for the reading side: reading stops.
    stop: &'a AtomicBool,
}

impl<W: Write> Writer<'_, W> {
    fn run(&mut self, messages: &mpsc::Receiver<Message>) {
        for message in messages {
            match message {
                Message::Batch(name, converting) => self.write(&name, &converting),
                Message::Written(answer) => {
                    let _ = answer.send(self.error.take());
                }
            }
        }
    }

    fn report(&mut self, name: &str, locus: &Locus, message: &str) {
        eprintln!("{}: {message}", Place::new(name, *locus));
        self.summary.failed += 1;
    }

    /// Waits for a batch, and writes it.
    fn write(&mut self, name: &str, converting: &Converting) {
        // The pool's task always sends, unless it panicked: then the
        // records are reported, not silently dropped.
        let Ok((batch, chunks)) = converting.recv() else {
            eprintln!("{}: internal error: a batch was not converted", shown(name));
            self.summary.failed += 1;
            return;
        };
        for (entries, chunk) in batch.entries.chunks(CHUNK_RECORDS).zip(chunks) {
            if self.stop.load(Ordering::Relaxed) {
                // The output failed: what is left is neither written nor
                // reported (the run ends with the output's error).
                CHUNKS.give(chunk.lines);
                continue;
            }
            if let Err(e) = self.out.write_all(&chunk.lines) {
                self.error = Some(e);
                self.stop.store(true, Ordering::Relaxed);
                CHUNKS.give(chunk.lines);
                continue;
            }
            for (entry, outcome) in entries.iter().zip(&chunk.outcomes) {
                match (entry, outcome) {
                    (_, Outcome::Event(class, range)) => {
                        match self.summary.classes.get_mut(class) {
                            Some((_, n)) => *n += 1,
                            None => {
                                let class_name = class_name(&chunk.lines[range.clone()]);
                                self.summary.classes.insert(*class, (class_name, 1));
                            }
                        }
                    }
                    (_, Outcome::Skipped) => self.summary.skipped += 1,
                    (Entry::Record(locus, _) | Entry::Owned(locus, ..), Outcome::Failed(e)) => {
                        self.report(name, locus, &e.to_string());
                    }
                    (Entry::Malformed(locus, message), _) => self.report(name, locus, message),
                    (Entry::ErrorResponse(locus, status), _) => eprintln!(
                        "{}: HTTP status {status}, no event",
                        Place::new(name, *locus)
                    ),
                    (Entry::Record(..) | Entry::Owned(..), Outcome::None) => {}
                }
            }
            CHUNKS.give(chunk.lines);
        }
        BLOCKS.give(batch.block);
        ENTRIES.give(batch.entries);
    }
}

/// An input's name as reports print it: its control characters escaped
/// (`\u001b`), as in a record's place, so that a file name cannot forge a
/// line of the report or drive the terminal.
fn shown(name: &str) -> Place {
    Place::new(name, Locus::Whole)
}

/// The `class_name` of an event written as a line (once per class and run).
fn class_name(line: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|e| e["class_name"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The output: private (events are personal data), and never through a
/// symbolic link planted where it goes.
fn create(path: &Path) -> anyhow::Result<File> {
    private::create_or_truncate(path, FileMode::default())
        .with_context(|| format!("cannot create {}", path.display()))
}

/// What tells one file from another: (device, inode), so that a hard
/// link is the file it links to.
#[cfg(unix)]
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(metadata: &std::fs::Metadata, _: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

/// Elsewhere, the canonical path (a hard link is not recognised).
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata, path: &Path) -> Option<FileId> {
    std::fs::canonicalize(path).ok()
}

/// The file a source reads.
fn identity(source: &Source) -> Option<FileId> {
    match source {
        #[cfg(unix)]
        Source::Stdin => {
            use std::os::fd::AsFd;
            let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
            file_id(&File::from(fd).metadata().ok()?, Path::new("-"))
        }
        #[cfg(not(unix))]
        Source::Stdin => None,
        // Followed if a link, as opening it to read follows it.
        Source::File(path) => file_id(&std::fs::metadata(path).ok()?, path),
    }
}

/// Keeps the output out of the inputs: truncating it would destroy what is
/// to be read, and reading it would read the run's own lines back. An input
/// named on the command line (or standard input) that is the output (the
/// same path, a link to it, a hard link) is refused before anything is
/// written; the output found in a directory read is left out, with a note.
/// Only an existing regular file counts: a device such as `/dev/null` may be
/// both, and a link at the output is refused when it is opened.
fn keep_apart(output: &Path, named: &[PathBuf], sources: &mut Vec<Source>) -> anyhow::Result<()> {
    let Ok(metadata) = std::fs::symlink_metadata(output) else {
        return Ok(());
    };
    if !metadata.is_file() {
        return Ok(());
    }
    let target = file_id(&metadata, output);
    let mut refused = None;
    sources.retain(|source| {
        if target.is_none() || identity(source) != target {
            return true;
        }
        let name = source.name();
        match source {
            Source::File(path) if !named.contains(path) => {
                eprintln!("{}: the output (-o), not read", shown(&name));
            }
            _ => {
                refused.get_or_insert(name);
            }
        }
        false
    });
    match refused {
        Some(input) => anyhow::bail!(
            "the output {} is also an input ({}): writing it would destroy it before it is \
             read; nothing was written (write the output elsewhere)",
            shown(&output.display().to_string()),
            shown(&input)
        ),
        None => Ok(()),
    }
}

/// Runs the command; `Err` only when the output cannot be written (or is
/// an input).
pub fn run(config: &Config) -> anyhow::Result<Summary> {
    let converter = Converter::new(config.options);
    // The inputs are listed before the output is created or truncated: an
    // output that is an input is refused, one in a directory read is left
    // out, and one the run creates there is not listed.
    let (mut sources, errors) = input::expand(&config.inputs);
    if let Some(output) = &config.output {
        keep_apart(output, &config.inputs, &mut sources)?;
    }
    let file = config.output.as_deref().map(create).transpose()?;
    let mut unreadable = 0;
    for (name, message) in errors {
        eprintln!("{}: {message}", shown(&name));
        unreadable += 1;
    }
    let (send, messages) = mpsc::sync_channel(IN_FLIGHT);
    let stop = AtomicBool::new(false);
    let (read, written) = std::thread::scope(|scope| {
        let stop = &stop;
        let writer = scope.spawn(move || match file {
            Some(file) => write_all(
                BufWriter::with_capacity(OUTPUT_BUFFER, file),
                &messages,
                stop,
            ),
            None => write_all(
                BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout().lock()),
                &messages,
                stop,
            ),
        });
        let read = read_all(
            &converter,
            &config.read,
            &sources,
            send,
            stop,
            &mut unreadable,
        );
        let written = writer.join();
        (read, written)
    });
    let mut summary = match written {
        Ok(written) => written.context("cannot write the output")?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    read.context("cannot write the output")?;
    summary.unreadable = unreadable;
    if config.summary {
        print_summary(&summary);
    }
    Ok(summary)
}

/// A source, read until the output fails.
struct Stoppable<'a, R> {
    inner: R,
    stop: &'a AtomicBool,
}

impl<R: io::Read> io::Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(io::Error::other("the output cannot be written"));
        }
        self.inner.read(buf)
    }
}

/// Reads every source into batches for the writer; `Err` when the output
/// cannot be written (the run stops in the source being read, at the next
/// read of it).
fn read_all(
    converter: &Converter,
    options: &ReadOptions,
    sources: &[Source],
    writer: mpsc::SyncSender<Message>,
    stop: &AtomicBool,
    unreadable: &mut u64,
) -> io::Result<()> {
    let mut batcher = Batcher {
        converter,
        stop,
        name: String::new(),
        batch: Batcher::new_batch(),
        writer,
    };
    for source in sources {
        batcher.name = source.name();
        let result = match source {
            Source::Stdin => {
                let inner = io::stdin().lock();
                input::read_with(Stoppable { inner, stop }, &mut batcher, options)
            }
            Source::File(path) => File::open(path).and_then(|inner| {
                input::read_with(Stoppable { inner, stop }, &mut batcher, options)
            }),
        };
        let written = batcher.finish();
        if stop.load(Ordering::Relaxed) {
            // The output's error, not the input's, ends the run.
            return written.and(Err(io::Error::other("the output cannot be written")));
        }
        if let Err(e) = result {
            eprintln!("{}: cannot read: {e}", shown(&source.name()));
            *unreadable += 1;
        }
        written?;
    }
    Ok(())
}

/// The writer thread: writes every batch it is sent, then flushes.
fn write_all(
    out: impl Write,
    messages: &mpsc::Receiver<Message>,
    stop: &AtomicBool,
) -> io::Result<Summary> {
    let mut writer = Writer {
        out,
        summary: Summary::default(),
        error: None,
        stop,
    };
    writer.run(messages);
    if let Some(e) = writer.error.take() {
        return Err(e);
    }
    writer.out.flush()?;
    Ok(writer.summary)
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
