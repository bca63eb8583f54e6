//! A whole run: reading every input and classifying every record on all cores.
//!
//! One thread reads the inputs in order and cuts them into batches of
//! records; a rayon pool classifies the batches as they come, each worker
//! counting into its own [`Tally`]; the tallies are added at the end and
//! finished into the [`Report`].
//!
//! # Design
//! The channel between the reader and the workers is bounded, so memory
//! holds a few batches, never a file: peak memory does not grow with input
//! size. A record larger than a batch travels alone, handed on without a
//! copy, and only one such batch is in flight at a time (`Gate`): however
//! many workers there are, one large record is being checked while the
//! reader holds the next, so the memory bound ([`memory_bound`]) grows with
//! `-j` only by what small records cost. Records are numbered in input order so that the merged report lists
//! errors in the order they appear, whatever thread saw them.

use std::io::{self, Read};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use bumpalo::Bump;
use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::classify::Validator;
use crate::input::{self, ReadOptions, Sink, Source};
use crate::place::{Locus, Place};
use crate::report::{Report, Tally};

mod options;

pub use options::{
    Jobs, MAX_JOBS_PER_CORE, MEMORY_BASE, MEMORY_PER_RECORD_BYTE, MEMORY_PER_WORKER, RunOptions,
    memory_bound,
};

/// Records per batch handed to a worker.
const BATCH_RECORDS: usize = 512;
/// Bytes per batch, whichever limit comes first.
const BATCH_BYTES: usize = 1 << 20;

/// Records of one source, stored back to back.
struct Batch {
    source: Arc<str>,
    data: Vec<u8>,
    records: Vec<(u64, Locus, Range<usize>)>,
    /// Held by a batch of one record larger than [`BATCH_BYTES`]; given back when the batch is dropped.
    _large: Option<LargeTicket>,
}

impl Batch {
    fn new(source: Arc<str>) -> Self {
        Batch {
            source,
            data: Vec::new(),
            records: Vec::new(),
            _large: None,
        }
    }
}

/// Lets one batch with a large record be in flight at a time.
#[derive(Debug, Default)]
struct Gate {
    busy: Mutex<bool>,
    free: Condvar,
}

impl Gate {
    /// Waits until no large batch is in flight, and takes the ticket.
    fn enter(self: &Arc<Self>) -> LargeTicket {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        while *busy {
            busy = self.free.wait(busy).unwrap_or_else(PoisonError::into_inner);
        }
        *busy = true;
        LargeTicket(self.clone())
    }
}

/// The right to have a large batch in flight, given back when dropped (even
/// by a worker that unwinds).
#[derive(Debug)]
struct LargeTicket(Arc<Gate>);

impl Drop for LargeTicket {
    fn drop(&mut self) {
        *self.0.busy.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.0.free.notify_all();
    }
}

/// The buffers of a batch the workers are done with, sent back to the reader.
///
/// # Design
/// Reusing them spares the reader a megabyte of fresh memory per batch (its
/// page faults and the copies of a growing vector), a cost of the same order
/// as finding the records themselves.
type Spare = (Vec<u8>, Vec<(u64, Locus, Range<usize>)>);

/// The reader's side: batches records, and counts what is not a record itself.
struct Batcher {
    batch: Batch,
    tx: SyncSender<Batch>,
    spares: Receiver<Spare>,
    seq: u64,
    report: Tally,
    gate: Arc<Gate>,
}

impl Batcher {
    /// An empty batch of `source`, on spare buffers when there are some.
    fn fresh(&self, source: Arc<str>) -> Batch {
        let (data, records) = self.spares.try_recv().unwrap_or_default();
        Batch {
            source,
            data,
            records,
            _large: None,
        }
    }

    /// Sends one large record alone, its buffer moved, once no other large one is in flight.
    fn send_large(&mut self, locus: Locus, data: Vec<u8>, range: Range<usize>) {
        self.flush();
        let large = Some(self.gate.enter());
        let batch = Batch {
            source: self.batch.source.clone(),
            data,
            records: vec![(self.seq, locus, range)],
            _large: large,
        };
        self.seq += 1;
        let _ = self.tx.send(batch);
    }

    fn flush(&mut self) {
        if !self.batch.records.is_empty() {
            let next = self.fresh(self.batch.source.clone());
            // A send fails only when every worker is gone; nothing is left to do then.
            let _ = self.tx.send(std::mem::replace(&mut self.batch, next));
        }
    }

    fn place(&self, locus: Locus) -> Place {
        Place::new(self.batch.source.clone(), locus)
    }
}

impl Sink for Batcher {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        if bytes.len() > BATCH_BYTES {
            return self.send_large(locus, bytes.to_vec(), 0..bytes.len());
        }
        let start = self.batch.data.len();
        self.batch.data.extend_from_slice(bytes);
        self.batch
            .records
            .push((self.seq, locus, start..self.batch.data.len()));
        self.seq += 1;
        if self.batch.records.len() >= BATCH_RECORDS || self.batch.data.len() >= BATCH_BYTES {
            self.flush();
        }
    }

    fn record_owned(&mut self, locus: Locus, bytes: Vec<u8>, range: Range<usize>) {
        if range.len() > BATCH_BYTES {
            self.send_large(locus, bytes, range);
        } else {
            self.record(locus, &bytes[range]);
        }
    }

    fn malformed(&mut self, locus: Locus, message: String) {
        let place = self.place(locus);
        self.report.malformed_at(self.seq, place, message);
        self.seq += 1;
    }

    fn no_event(&mut self, _locus: Locus) {
        self.report.no_event();
    }

    fn error_response(&mut self, locus: Locus, status: u16) {
        let place = self.place(locus);
        self.report.error_response(place, status);
    }
}

/// Counts bytes read, for a progress bar.
struct Counting<'a, R> {
    inner: R,
    bytes: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads every source, classifies every record and returns the finished report.
/// `progress` counts the input bytes read so far.
pub fn run(
    validator: &Validator,
    sources: &[Source],
    options: &RunOptions,
    progress: &AtomicU64,
) -> Report {
    let reading = validator.options().reading;
    let fresh = || Tally::new(reading).with_max_errors(options.max_errors);
    let (tx, rx) = sync_channel::<Batch>(options.jobs.get().max(2) * 2);
    let (spare_tx, spares) = channel::<Spare>();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.get())
        .build();
    let tally = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batcher = Batcher {
                batch: Batch::new(Arc::from("")),
                tx,
                spares,
                seq: 0,
                report: fresh(),
                gate: Arc::new(Gate::default()),
            };
            for source in sources {
                read_source(source, &mut batcher, progress, &options.read);
            }
            batcher.report
        });
        let classify = || {
            rx.into_iter()
                .par_bridge()
                .fold(
                    || (fresh(), Bump::new()),
                    |(mut report, mut arena), mut batch| {
                        for (seq, locus, range) in batch.records.drain(..) {
                            let bytes = &batch.data[range];
                            report.observe_at(
                                validator,
                                seq,
                                &batch.source,
                                locus,
                                bytes,
                                &mut arena,
                            );
                        }
                        // A buffer grown by one huge record is not kept.
                        if batch.data.capacity() <= 2 * BATCH_BYTES {
                            batch.data.clear();
                            // The reader may be done already: then the buffers are simply dropped.
                            let _ = spare_tx.send((
                                std::mem::take(&mut batch.data),
                                std::mem::take(&mut batch.records),
                            ));
                        }
                        // A large batch's ticket is given back once its
                        // memory is: the data here, the arena in `observe_at`.
                        drop(batch);
                        (report, arena)
                    },
                )
                .map(|(report, _)| report)
                .reduce(fresh, |mut a, b| {
                    a.merge(b);
                    a
                })
        };
        let workers = match &pool {
            Ok(pool) => pool.install(classify),
            Err(_) => classify(),
        };
        let mut report = match reader.join() {
            Ok(report) => report,
            Err(_) => {
                let mut report = fresh();
                report.unreadable(
                    "<reader>",
                    "the input reader stopped unexpectedly".to_owned(),
                );
                report
            }
        };
        report.merge(workers);
        report
    });
    tally.finish(validator)
}

fn read_source(source: &Source, batcher: &mut Batcher, progress: &AtomicU64, read: &ReadOptions) {
    // A file name is printed in every format: no control character in it.
    let name: Arc<str> = Arc::from(crate::mask::printable(&source.name(), 4096).as_ref());
    batcher.flush();
    batcher.batch = batcher.fresh(name.clone());
    let result = source.open().and_then(|inner| {
        let counting = Counting {
            inner,
            bytes: progress,
        };
        input::read_with(counting, batcher, read)
    });
    batcher.flush();
    if let Err(e) = result {
        batcher
            .report
            .unreadable(&name, format!("cannot read: {}", io_message(&e)));
    }
}

/// An io error's message, lowercase first letter, without the OS error number.
fn io_message(error: &io::Error) -> String {
    let text = match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        io::ErrorKind::UnexpectedEof => "unexpected end of the input".to_owned(),
        // A decompressor's errors (`incomplete deflate stream`, `corrupt deflate stream`).
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::Other => {
            format!("{error}: the input ends early or is corrupt")
        }
        _ => error.to_string(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}
