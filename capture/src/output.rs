//! Where captured events go: the journal file, or stdout for a pipeline, and
//! where they go when that fails.
//!
//! Stdout is flushed after each response; it is not synced, since a pipe
//! cannot be, so in stdout mode durability is the reading program's job.
//!
//! # No popped event is lost to the local machine
//!
//! The server forgot a batch the moment it handed it out, so a batch in hand
//! is kept until it is stored somewhere. When the journal (or stdout) refuses
//! it (a full disk, a file-size limit, a reader gone), [`Output::write_batch`]
//! keeps it in memory and tries, in order:
//!
//! 1. the journal again, with backoff ([`WRITE_RETRIES`]; the journal cuts a
//!    failed write back, so a retry never follows a fragment);
//! 2. a `*.unwritten.ndjson` file in the rejects directory (perhaps on
//!    another disk, and a new file is not held back by a file-size limit the
//!    journal reached);
//! 3. stderr, in full, between two marker lines.
//!
//! If all three fail it starts over after a wait (up to a minute), for as
//! long as it takes: the process never exits holding a batch. Once it is
//! stored, the error says where, and the capture stops before asking for
//! more. A body that goes to the rejects directory anyway (malformed, cut
//! off) gets the same care from [`keep_body`]: retried, then printed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::journal::Journal;
use crate::rejects::{RejectKind, Rejects};

/// Waits before writing a refused batch to the journal again.
pub const WRITE_RETRIES: [Duration; 4] = [
    Duration::from_millis(100),
    Duration::from_millis(300),
    Duration::from_millis(900),
    Duration::from_millis(2700),
];

/// Marker line printed on stderr before a batch that could be stored nowhere else.
pub const STDERR_BEGIN: &str = "----- BEGIN EVENTS NOT STORED ON DISK (one per line) -----";
/// Marker line printed after it.
pub const STDERR_END: &str = "----- END EVENTS NOT STORED ON DISK -----";

/// The destination of captured events.
#[derive(Debug)]
pub enum Output {
    /// An NDJSON journal file (durable, rotating).
    Journal(Journal),
    /// Standard output, flushed per response.
    Stdout,
}

/// Where a batch the output refused was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A `*.unwritten.ndjson` file in the rejects directory.
    Rejects(PathBuf),
    /// Printed in full on stderr between [`STDERR_BEGIN`] and [`STDERR_END`].
    Stderr,
}

impl std::fmt::Display for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stored::Rejects(path) => write!(f, "saved to {}", path.display()),
            Stored::Stderr => write!(
                f,
                "printed in full on stderr above, between the lines `{STDERR_BEGIN}` and `{STDERR_END}`"
            ),
        }
    }
}

/// Why the capture stops after a batch reached the output or a fallback.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output refused a batch; it was stored elsewhere.
    #[error("{cause}; the {count} events of the last response were {stored}")]
    Refused {
        /// Why the output refused it (the last error).
        cause: String,
        /// Events in the batch.
        count: usize,
        /// Where they are now.
        stored: Stored,
    },
    /// The batch is in the journal, but rotating the full journal failed.
    #[error("{0} (the events of the last response are stored in it)")]
    Rotation(crate::journal::JournalError),
}

impl Output {
    /// How long the journal's last sync took (`None` for stdout or without fsync).
    pub fn last_sync(&self) -> Option<Duration> {
        match self {
            Output::Journal(j) => j.last_sync(),
            Output::Stdout => None,
        }
    }

    /// Writes one response's event lines (durably, for a journal); when the
    /// output refuses them, stores them elsewhere first (see the module docs).
    pub fn write_batch(
        &mut self,
        lines: &[Vec<u8>],
        rejects: &mut Rejects,
    ) -> Result<(), OutputError> {
        let mut cause = match self.try_write(lines) {
            Ok(()) => return self.rotate_if_full(),
            Err(cause) => cause,
        };
        let mut round = 0u32;
        loop {
            if let Output::Journal(_) = self {
                for wait in WRITE_RETRIES {
                    std::thread::sleep(wait);
                    match self.try_write(lines) {
                        Ok(()) => return self.rotate_if_full(),
                        Err(c) => cause = c,
                    }
                }
            }
            match keep_once(rejects, RejectKind::Unwritten, &ndjson(lines)) {
                Ok(stored) => {
                    return Err(OutputError::Refused {
                        cause,
                        count: lines.len(),
                        stored,
                    });
                }
                Err(e) => cause = format!("{cause}; {e}"),
            }
            round += 1;
            std::thread::sleep(Duration::from_secs(u64::from(round).min(60)));
        }
    }

    fn rotate_if_full(&mut self) -> Result<(), OutputError> {
        match self {
            Output::Journal(j) => j.rotate_if_full().map_err(OutputError::Rotation),
            Output::Stdout => Ok(()),
        }
    }

    fn try_write(&mut self, lines: &[Vec<u8>]) -> Result<(), String> {
        match self {
            Output::Journal(j) => j.append(lines).map_err(|e| e.to_string()),
            Output::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(&ndjson(lines))
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("stdout: {e}"))
            }
        }
    }
}

/// Saves bytes that have nowhere else to go: in the rejects directory, or
/// else on stderr; the error says why neither worked.
fn keep_once(rejects: &mut Rejects, kind: RejectKind, bytes: &[u8]) -> Result<Stored, String> {
    match rejects.save(kind, bytes) {
        Ok(path) => Ok(Stored::Rejects(path)),
        Err(e) => match to_stderr(bytes) {
            Ok(()) => Ok(Stored::Stderr),
            Err(printing) => Err(format!("{e}; printing to stderr: {printing}")),
        },
    }
}

/// Saves a body that could not become journal lines (malformed, partial) in
/// the rejects directory, retrying with backoff; when that keeps failing,
/// prints it in full on stderr; when that fails too, starts over after a
/// wait. Returns only once the bytes are stored somewhere.
pub fn keep_body(rejects: &mut Rejects, kind: RejectKind, bytes: &[u8]) -> Stored {
    let mut round = 0u32;
    loop {
        for wait in std::iter::once(Duration::ZERO).chain(WRITE_RETRIES) {
            std::thread::sleep(wait);
            if let Ok(path) = rejects.save(kind, bytes) {
                return Stored::Rejects(path);
            }
        }
        if to_stderr(bytes).is_ok() {
            return Stored::Stderr;
        }
        round += 1;
        std::thread::sleep(Duration::from_secs(u64::from(round).min(60)));
    }
}

fn to_stderr(buf: &[u8]) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "{STDERR_BEGIN}")?;
    err.write_all(buf)?;
    if !buf.ends_with(b"\n") {
        err.write_all(b"\n")?;
    }
    writeln!(err, "{STDERR_END}")?;
    err.flush()
}

fn ndjson(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        buf.extend_from_slice(line);
        buf.push(b'\n');
    }
    buf
}
