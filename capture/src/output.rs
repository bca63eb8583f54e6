//! Where captured events go: the journal file, or stdout for a pipeline.
//!
//! Stdout is flushed after each response; it is not synced, since a pipe
//! cannot be, so in stdout mode durability is the reading program's job. If
//! stdout refuses a batch (the reader went away), the batch is saved to the
//! rejects directory before the error is reported, so it is not lost.

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
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
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
            Output::Journal(j) => Ok(j.append(lines)?),
            Output::Stdout => {
                let mut buf = Vec::new();
                for line in lines {
                    buf.extend_from_slice(line);
                    buf.push(b'\n');
                }
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
