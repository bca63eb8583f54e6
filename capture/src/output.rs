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
//! more.

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

/// The output refused a batch; it was stored elsewhere, and the capture stops.
#[derive(Debug, thiserror::Error)]
#[error("{cause}; the {count} events of the last response were {}", match stored {
    Stored::Rejects(path) => format!("saved to {}", path.display()),
    Stored::Stderr => format!("printed in full on stderr above, between the lines `{STDERR_BEGIN}` and `{STDERR_END}`"),
})]
pub struct OutputError {
    /// Why the output refused it (the last error).
    pub cause: String,
    /// Events in the batch.
    pub count: usize,
    /// Where they are now.
    pub stored: Stored,
}

impl Output {
    /// Writes one response's event lines (durably, for a journal); when the
    /// output refuses them, stores them elsewhere first (see the module docs).
    pub fn write_batch(
        &mut self,
        lines: &[Vec<u8>],
        rejects: &mut Rejects,
    ) -> Result<(), OutputError> {
        let mut cause = match self.try_write(lines) {
            Ok(()) => return Ok(()),
            Err(cause) => cause,
        };
        let mut round = 0u32;
        loop {
            if let Output::Journal(_) = self {
                for wait in WRITE_RETRIES {
                    std::thread::sleep(wait);
                    match self.try_write(lines) {
                        Ok(()) => return Ok(()),
                        Err(c) => cause = c,
                    }
                }
            }
            let buf = ndjson(lines);
            let stored = match rejects.save(RejectKind::Unwritten, &buf) {
                Ok(path) => Some(Stored::Rejects(path)),
                Err(e) => {
                    cause = format!("{cause}; {e}");
                    to_stderr(&buf).ok().map(|()| Stored::Stderr)
                }
            };
            if let Some(stored) = stored {
                return Err(OutputError {
                    cause,
                    count: lines.len(),
                    stored,
                });
            }
            round += 1;
            std::thread::sleep(Duration::from_secs(u64::from(round).min(60)));
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

fn to_stderr(buf: &[u8]) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "{STDERR_BEGIN}")?;
    err.write_all(buf)?;
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
