//! Where captured events go: the journal file, or stdout for a pipeline.
//!
//! Stdout is flushed after each response; it is not synced, since a pipe
//! cannot be, so in stdout mode durability is the reading program's job. If
//! stdout (or the journal) refuses a batch (the reader went away, the disk
//! is full), the batch is saved to the rejects directory if at all possible
//! before the error is reported and the capture stops.

use std::io::Write;

use crate::journal::{Journal, JournalError};
use crate::rejects::{RejectKind, Rejects, RejectsError};

/// The destination of captured events.
#[derive(Debug)]
pub enum Output {
    /// An NDJSON journal file (durable, rotating).
    Journal(Journal),
    /// Standard output, flushed per response.
    Stdout,
}

/// An error writing events.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The journal failed; the batch was saved to the rejects directory if possible.
    #[error("{source}; {}", match saved {
        Some(path) => format!("the events of the last response were saved to {path}"),
        None => "saving the events of the last response to the rejects directory failed too".to_owned(),
    })]
    Journal {
        /// The cause.
        source: JournalError,
        /// Where the batch was saved.
        saved: Option<String>,
    },
    /// Stdout failed; the batch was saved to the rejects directory.
    #[error("stdout: {source}; the {count} events of the last response were saved to {saved}")]
    Stdout {
        /// The cause.
        source: std::io::Error,
        /// Events in the batch.
        count: usize,
        /// Where they were saved.
        saved: String,
    },
    /// Stdout failed and so did saving the batch.
    #[error("stdout: {source}; saving the batch failed too: {rejects}")]
    Lost {
        /// The stdout error.
        source: std::io::Error,
        /// The rejects error.
        rejects: RejectsError,
    },
}

impl Output {
    /// Writes one response's event lines (durably, for a journal).
    pub fn write_batch(
        &mut self,
        lines: &[Vec<u8>],
        rejects: &mut Rejects,
    ) -> Result<(), OutputError> {
        match self {
            Output::Journal(j) => match j.append(lines) {
                Ok(()) => Ok(()),
                // The capture stops on this error; try to keep the batch in hand first
                // (the rejects directory may be on another disk, or have room left).
                Err(source) => {
                    let saved = rejects.save(RejectKind::Unwritten, &ndjson(lines)).ok();
                    Err(OutputError::Journal {
                        source,
                        saved: saved.map(|p| p.display().to_string()),
                    })
                }
            },
            Output::Stdout => {
                let buf = ndjson(lines);
                let mut out = std::io::stdout().lock();
                match out.write_all(&buf).and_then(|()| out.flush()) {
                    Ok(()) => Ok(()),
                    Err(source) => match rejects.save(RejectKind::Unwritten, &buf) {
                        Ok(path) => Err(OutputError::Stdout {
                            source,
                            count: lines.len(),
                            saved: path.display().to_string(),
                        }),
                        Err(rejects) => Err(OutputError::Lost { source, rejects }),
                    },
                }
            }
        }
    }
}

fn ndjson(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        buf.extend_from_slice(line);
        buf.push(b'\n');
    }
    buf
}
