//! The journal: an append-only NDJSON file that survives a crash at any instant.
//!
//! # Durability
//!
//! Each response's events are written with one `write_all` of all its lines
//! and then `File::sync_data`, and only then does [`Journal::append`] return;
//! the capture loop sends its next request after that. A newly created file
//! also gets its directory synced, so the name itself survives a power cut.
//!
//! # Repair on open
//!
//! A crash (or `SIGKILL`) during a write can leave an incomplete last line:
//! the end of the response that was being written when the process died.
//! The events of that response that are whole lines stay; the incomplete
//! tail is moved out: appended to `<journal>.incomplete` (so no received
//! byte is destroyed, and an operator can look at it) and then cut off the
//! journal. Appending after it instead would glue the next event onto a
//! broken line; completing it is impossible, since reads are destructive
//! and the server will never send that event again. So "repaired, not
//! duplicated": the journal holds whole lines only, each event at most once,
//! and nothing is requested again.
//!
//! Exact duplicate events are kept: real captures contain them, and only the
//! server knows whether two equal lines are one event or two.
//!
//! # A write that fails
//!
//! When a write or a sync fails (a full disk, a file-size limit), the file is
//! cut back to where the response started, so it never ends with a fragment,
//! and the error goes back to the caller, who still holds the batch and
//! decides where else to keep it (the capture's `output`).
//!
//! # Modes
//!
//! The journal and every file beside it are created `0600` (or
//! [`JournalOptions::mode`]); a journal started after rotation takes the mode
//! of the one it replaces. See [`private`].
//!
//! # Layout
//!
//! This crate is the one place that knows how a journal lies on disk: the
//! live file `<name>`, rotated segments `<name>.N` and `<name>.N.gz`
//! ([`segments`], which also reads them back, whole lines only), the files
//! beside it ([`side_path`]: `.incomplete`, `.forwarded`, `.capture-id`,
//! `.forward-rejects`, `.rejects/`), and how they are created ([`private`]:
//! `0600`, never through a link) and replaced ([`private::write_atomic`]).

pub mod private;
mod rotate;
pub mod segments;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::private::FileMode;

/// How the journal is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalOptions {
    /// Rotate once the file reaches this many bytes (checked after each response).
    pub rotate_bytes: Option<u64>,
    /// Gzip rotated files.
    pub gzip: bool,
    /// Sync to stable storage after each response. Turning this off is for
    /// measuring its cost only: a crash may then lose written events.
    pub fsync: bool,
    /// Mode of the files created (`0600` unless widened with `--file-mode`).
    pub mode: FileMode,
}

impl Default for JournalOptions {
    fn default() -> Self {
        Self {
            rotate_bytes: None,
            gzip: false,
            fsync: true,
            mode: FileMode::default(),
        }
    }
}

/// A journal error, naming the file and what was being done.
#[derive(Debug, thiserror::Error)]
#[error("journal {path}: {action}: {source}")]
pub struct JournalError {
    /// The file concerned.
    pub path: PathBuf,
    /// What was being done.
    pub action: &'static str,
    /// The cause.
    pub source: std::io::Error,
}

/// What [`Journal::open`] had to repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Bytes of the incomplete last line that were cut off.
    pub truncated_bytes: u64,
    /// Where they were saved.
    pub saved_to: PathBuf,
}

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    len: u64,
    options: JournalOptions,
    /// How long the last append's sync took (`None` without fsync).
    last_sync: Option<std::time::Duration>,
}

impl Journal {
    /// Opens (creating if needed) the journal at `path`, finishing any
    /// rotation a crash interrupted and repairing an incomplete last line.
    pub fn open(
        path: &Path,
        options: JournalOptions,
    ) -> Result<(Self, Option<Repair>), JournalError> {
        rotate::recover(path, options.gzip)
            .map_err(fail(path, "finishing an interrupted rotation"))?;
        let (file, len) = open_file(path, options.mode).map_err(fail(path, "opening"))?;
        let mut journal = Journal {
            path: path.to_owned(),
            file,
            len,
            options,
            last_sync: None,
        };
        let repair = journal
            .repair()
            .map_err(fail(path, "repairing the last line"))?;
        Ok((journal, repair))
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The size of the current file.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// How long the sync of the last [`Journal::append`] took (`None`
    /// before the first, or when the journal is not synced).
    pub fn last_sync(&self) -> Option<std::time::Duration> {
        self.last_sync
    }

    /// Whether the current file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one response's lines (each gets a `\n`) and syncs them to
    /// stable storage before returning. Rotation is the caller's next step
    /// ([`Journal::rotate_if_full`]), so that a failed rotation is never
    /// taken for a failed write (which would write the batch twice).
    ///
    /// On a failed write or sync the file is cut back to its length before
    /// the call (see the module docs) and the error returned: the caller
    /// still has the lines.
    pub fn append(&mut self, lines: &[Vec<u8>]) -> Result<(), JournalError> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            buf.extend_from_slice(line);
            buf.push(b'\n');
        }
        let written = self
            .file
            .write_all(&buf)
            .map_err(fail(&self.path, "writing"))
            .and_then(|()| {
                if self.options.fsync {
                    let started = std::time::Instant::now();
                    let synced = self.file.sync_data().map_err(fail(&self.path, "syncing"));
                    self.last_sync = Some(started.elapsed());
                    synced
                } else {
                    Ok(())
                }
            });
        if let Err(e) = written {
            // Shrinking needs no space and is allowed past a file-size limit.
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += buf.len() as u64;
        Ok(())
    }

    /// Rotates the journal if it reached the rotation size.
    pub fn rotate_if_full(&mut self) -> Result<(), JournalError> {
        if self.options.rotate_bytes.is_some_and(|max| self.len >= max) {
            self.rotate()?;
        }
        Ok(())
    }

    fn rotate(&mut self) -> Result<(), JournalError> {
        let mode = private::mode_of(&self.path).unwrap_or(self.options.mode);
        rotate::rotate(&self.path, self.options.gzip).map_err(fail(&self.path, "rotating"))?;
        let (file, len) =
            open_file(&self.path, mode).map_err(fail(&self.path, "opening after rotation"))?;
        self.file = file;
        self.len = len;
        Ok(())
    }

    fn repair(&mut self) -> std::io::Result<Option<Repair>> {
        if self.len == 0 {
            return Ok(None);
        }
        let keep = match last_newline_end(&mut self.file, self.len)? {
            Some(end) if end == self.len => return Ok(None),
            Some(end) => end,
            None => 0,
        };
        let mut tail = Vec::with_capacity((self.len - keep) as usize + 1);
        self.file.seek(SeekFrom::Start(keep))?;
        (&mut self.file)
            .take(self.len - keep)
            .read_to_end(&mut tail)?;
        tail.push(b'\n');
        let saved_to = side_path(&self.path, side::INCOMPLETE);
        let (mut side, _) = private::open_append(&saved_to, self.options.mode)?;
        side.write_all(&tail)?;
        side.sync_data()?;
        sync_parent(&saved_to)?;
        self.file.set_len(keep)?;
        self.file.sync_data()?;
        let truncated_bytes = self.len - keep;
        self.len = keep;
        Ok(Some(Repair {
            truncated_bytes,
            saved_to,
        }))
    }
}

fn fail(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> JournalError + use<> {
    let path = path.to_owned();
    move |source| JournalError {
        path,
        action,
        source,
    }
}

/// The files beside a journal, by the suffix [`side_path`] puts after its
/// name: one home for each name.
pub mod side {
    /// `<journal>.incomplete`: incomplete last lines cut off on open.
    pub const INCOMPLETE: &str = "incomplete";
    /// `<journal>.rejects/`: bodies that could not be split (the capture's default).
    pub const REJECTS: &str = "rejects";
    /// `<journal>.forwarded`: the forwarder's checkpoint.
    pub const FORWARDED: &str = "forwarded";
    /// `<journal>.capture-id`: the id in every forwarded message's id.
    pub const CAPTURE_ID: &str = "capture-id";
    /// `<journal>.forward-rejects`: lines larger than the NATS server takes.
    pub const FORWARD_REJECTS: &str = "forward-rejects";
}

/// `<path>.<suffix>`, beside the journal.
pub fn side_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".");
    name.push(suffix);
    path.with_file_name(name)
}

fn open_file(path: &Path, mode: FileMode) -> std::io::Result<(File, u64)> {
    let (file, created) = private::open_append(path, mode)?;
    if created {
        sync_parent(path)?;
    }
    let len = file.metadata()?.len();
    Ok((file, len))
}

/// Syncs the directory holding `path`, so a create or rename in it is durable.
pub fn sync_parent(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

/// The offset just past the last `\n` in the first `len` bytes, if any.
pub fn last_newline_end(file: &mut File, len: u64) -> std::io::Result<Option<u64>> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = len;
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            return Ok(Some(start + i as u64 + 1));
        }
        end = start;
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
