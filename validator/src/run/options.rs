//! What a run is given: its worker threads, the errors it lists, how it
//! reads; and the memory that bounds.

use crate::input::ReadOptions;
use crate::limits::{OutOfRange, within};
use crate::report::DEFAULT_MAX_ERRORS;

/// What a run takes whatever its input: the program, its compiled schemas,
/// the reader's buffers.
pub const MEMORY_BASE: u64 = 16 << 20;
/// What each worker may add: batches of small records (its share of the
/// channel, the one it checks), its arena kept between records, and the
/// budget of a record up to `BATCH_BYTES`.
pub const MEMORY_PER_WORKER: u64 = 32 << 20;
/// Peak memory per byte of `--max-record-size`: the reader holds a record
/// and a copy of the next (2), the large record being checked is held once
/// (1), its document and detailed errors take at most its budget
/// (`BUDGET_FACTOR`, 16), and serde_json's buffer for an
/// escaped string at most its length (1).
pub const MEMORY_PER_RECORD_BYTE: u64 = 20;

/// The most memory a run with records of at most `max_record_size` bytes
/// and `workers` worker threads takes, in bytes:
/// `MEMORY_BASE + 20 × max_record_size + workers × MEMORY_PER_WORKER`
/// (see `validator/README.md` for the model and the measured figures).
pub fn memory_bound(max_record_size: usize, workers: usize) -> u64 {
    MEMORY_BASE
        .saturating_add(MEMORY_PER_RECORD_BYTE.saturating_mul(max_record_size as u64))
        .saturating_add((workers as u64).saturating_mul(MEMORY_PER_WORKER))
}

/// The most worker threads a run may be given per core (`-j`, Python's `jobs`).
///
/// # Design
/// The work is CPU-bound, so workers past the cores do not make a run
/// faster, and their cost grows faster than their number: on two cores, 256
/// workers start in 0.3 to 1.7 s, 1,024 take 13 to 23 s (spinning for work
/// they share), `-j 100000` took over a minute starting threads, and
/// `-j 10000000000` aborted the process allocating the channel. Eight per
/// core leaves room to try more workers than cores, and keeps the memory
/// bound ([`MEMORY_PER_WORKER`] each) to 256 MiB per core.
pub const MAX_JOBS_PER_CORE: usize = 8;

/// The number of worker threads of a run: one per core (the default), or
/// 1 to [`Jobs::max`].
///
/// ```
/// use aperture_events_validator::Jobs;
/// assert_eq!(Jobs::new(4).unwrap().get(), 4);
/// assert!(Jobs::new(10_000_000_000).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Jobs(usize);

impl Jobs {
    /// One worker per core.
    pub const PER_CORE: Jobs = Jobs(0);

    /// `n` workers; 0 is one per core.
    pub fn new(n: usize) -> Result<Jobs, OutOfRange> {
        within(
            n as u64,
            0,
            Jobs::max() as u64,
            "worker threads (0: one per core)",
        )?;
        Ok(Jobs(n))
    }

    /// The most workers a run may be given on this machine:
    /// [`MAX_JOBS_PER_CORE`] per core (as
    /// [`std::thread::available_parallelism`] counts them, 1 when unknown).
    pub fn max() -> usize {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .saturating_mul(MAX_JOBS_PER_CORE)
    }

    /// The number of workers; 0 is one per core.
    pub fn get(self) -> usize {
        self.0
    }
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads.
    pub jobs: Jobs,
    /// Record errors kept in the report.
    pub max_errors: usize,
    /// How inputs are read (the maximum record size).
    pub read: ReadOptions,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: Jobs::PER_CORE,
            max_errors: DEFAULT_MAX_ERRORS,
            read: ReadOptions::default(),
        }
    }
}
