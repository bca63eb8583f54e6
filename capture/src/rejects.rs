//! Bodies that could not become journal lines, kept byte for byte.
//!
//! A response body that does not parse (malformed JSON, or not the shape the
//! endpoint promises), the bytes of a response cut off mid-body, and a batch
//! that stdout refused are each written whole to their own file in the
//! rejects directory and synced before the next request. A parse problem
//! therefore never loses an event: the bytes are on disk for a person (or
//! the validator) to look at.
//!
//! Files are named `<unix-millis>-<pid>-<n>.<kind>` so names never collide,
//! even across restarts, and sort by time. The directory is created `0700`
//! and the files `0600` (see [`crate::private`]). A save that fails half-way
//! (disk full) removes its partial file, so a file here is always whole.
//!
//! # A cap on the directory
//!
//! A server that answers every request with a body that cannot be split
//! would otherwise fill the disk here. So the directory has a cap
//! ([`Rejects::with_cap`], `--max-rejects-size`, default
//! [`DEFAULT_MAX_REJECTS_BYTES`]) that counts the regular files already in
//! it when the capture starts plus every byte this run keeps. A save that
//! would go past it is refused (the body is then printed on stderr, see
//! [`crate::output`]); a body streamed here is cut at it
//! ([`Rejects::room`]); and the capture loop asks for events only while the
//! room left can take a whole body held in memory (see [`crate::runner`]),
//! so the first two never happen to a body the capture could have kept.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::journal::sync_parent;
use crate::private::{self, FileMode};

/// Why a body went to the rejects directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectKind {
    /// A complete body that did not parse.
    Malformed,
    /// The part of a body received before the connection dropped or timed out.
    Partial,
    /// Event lines that could not be written to stdout or the journal.
    Unwritten,
}

impl RejectKind {
    /// The file extension used for this kind.
    pub fn extension(self) -> &'static str {
        match self {
            RejectKind::Malformed => "malformed",
            RejectKind::Partial => "partial",
            RejectKind::Unwritten => "unwritten.ndjson",
        }
    }
}

/// The default cap on the rejects directory: 4 GiB.
pub const DEFAULT_MAX_REJECTS_BYTES: u64 = 4 << 30;

/// A rejects directory (created on first use).
#[derive(Debug)]
pub struct Rejects {
    dir: PathBuf,
    count: u64,
    fsync: bool,
    mode: FileMode,
    /// The cap on the bytes the directory holds.
    cap: u64,
    /// The bytes it holds: regular files found at start, plus what this run kept.
    held: u64,
}

/// A rejects error, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("rejects {path}: {source}")]
pub struct RejectsError {
    /// The file or directory concerned.
    pub path: PathBuf,
    /// The cause.
    pub source: std::io::Error,
}

impl Rejects {
    /// Rejects kept in `dir`.
    pub fn new(dir: impl Into<PathBuf>, fsync: bool) -> Self {
        Self {
            dir: dir.into(),
            count: 0,
            fsync,
            mode: FileMode::default(),
            cap: DEFAULT_MAX_REJECTS_BYTES,
            held: 0,
        }
    }

    /// Caps the directory at `cap` bytes, counting the regular files it
    /// already holds (symbolic links are not followed, nor counted). A
    /// directory that cannot be listed counts as empty: a save there fails
    /// anyway, and the body goes to stderr (see [`crate::output`]).
    pub fn with_cap(mut self, cap: u64) -> Self {
        self.cap = cap;
        self.held = held_bytes(&self.dir);
        self
    }

    /// Checks, before anything is asked for, that the directory (if it
    /// exists) is one this run may keep bodies in (see
    /// [`private::create_dir_all`]).
    pub fn check(&self) -> Result<(), RejectsError> {
        if !self.dir.exists() {
            return Ok(());
        }
        private::owned_by_us(&self.dir).map_err(|source| RejectsError {
            path: self.dir.clone(),
            source,
        })
    }

    /// The cap, in bytes.
    pub fn cap(&self) -> u64 {
        self.cap
    }

    /// Bytes the directory holds (its files at start, plus this run's).
    pub fn held(&self) -> u64 {
        self.held
    }

    /// Bytes that can still be kept under the cap.
    pub fn room(&self) -> u64 {
        self.cap.saturating_sub(self.held)
    }

    /// Counts `bytes` written to a file made with [`Rejects::create`].
    pub fn kept(&mut self, bytes: u64) {
        self.held = self.held.saturating_add(bytes);
    }

    /// Creates files (and the directory) with `mode` instead of `0600`/`0700`.
    pub fn with_mode(mut self, mode: FileMode) -> Self {
        self.mode = mode;
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many bodies this run saved.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Saves `bytes` durably and returns the file's path; on failure no
    /// file is left behind.
    /// A save that would take the directory past its cap is refused.
    pub fn save(&mut self, kind: RejectKind, bytes: &[u8]) -> Result<PathBuf, RejectsError> {
        let size = bytes.len() as u64;
        if size > self.room() {
            return Err(RejectsError {
                path: self.dir.clone(),
                source: std::io::Error::other(format!(
                    "keeping {size} more bytes would take it past its cap of {} bytes \
                     (it holds {}; --max-rejects-size)",
                    self.cap, self.held
                )),
            });
        }
        let (path, mut file) = self.create(kind)?;
        let written = file
            .write_all(bytes)
            .and_then(|()| self.finish(&path, &file));
        match written {
            Ok(()) => {
                self.kept(size);
                Ok(path)
            }
            Err(source) => {
                drop(file);
                let _ = std::fs::remove_file(&path);
                Err(RejectsError { path, source })
            }
        }
    }

    /// Creates a new, empty file of `kind` (and the directory if needed),
    /// for a body written as it arrives; [`Rejects::finish`] syncs it.
    pub fn create(&mut self, kind: RejectKind) -> Result<(PathBuf, File), RejectsError> {
        private::create_dir_all(&self.dir, self.mode).map_err(|source| RejectsError {
            path: self.dir.clone(),
            source,
        })?;
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        self.count += 1;
        let name = format!(
            "{millis}-{}-{}.{}",
            std::process::id(),
            self.count,
            kind.extension()
        );
        let path = self.dir.join(name);
        match private::create_new(&path, self.mode) {
            Ok(file) => Ok((path, file)),
            Err(source) => Err(RejectsError { path, source }),
        }
    }

    /// Syncs a file made with [`Rejects::create`] (and its directory entry).
    pub fn finish(&self, path: &Path, file: &File) -> std::io::Result<()> {
        if self.fsync {
            file.sync_data()?;
            sync_parent(path)?;
        }
        Ok(())
    }
}

/// Bytes in the regular files directly in `dir` (0 if it cannot be listed).
fn held_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        // `DirEntry::metadata` does not follow a symbolic link.
        .filter_map(|entry| entry.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .fold(0u64, |total, meta| total.saturating_add(meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_bytes_exactly_in_distinct_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Rejects::new(dir.path().join("rejects"), true);
        let a = r.save(RejectKind::Malformed, b"{\"events\": [,]}").unwrap();
        let b = r.save(RejectKind::Partial, b"\x00\xff").unwrap();
        assert_ne!(a, b);
        assert!(a.to_string_lossy().ends_with(".malformed"));
        assert_eq!(std::fs::read(&a).unwrap(), b"{\"events\": [,]}");
        assert_eq!(std::fs::read(&b).unwrap(), b"\x00\xff");
        assert_eq!(r.count(), 2);
    }

    #[test]
    fn the_cap_counts_what_is_there_and_refuses_what_would_pass_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rejects");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("old.malformed"), [b'x'; 600]).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/dev/zero", path.join("link")).unwrap();
        let mut r = Rejects::new(&path, false).with_cap(1000);
        assert_eq!((r.held(), r.room()), (600, 400));
        r.save(RejectKind::Malformed, &[b'y'; 300]).unwrap();
        assert_eq!(r.room(), 100);
        let err = r.save(RejectKind::Malformed, &[b'z'; 101]).unwrap_err();
        assert!(
            err.to_string()
                .contains("keeping 101 more bytes would take it past its cap of 1000 bytes"),
            "{err}"
        );
        r.save(RejectKind::Partial, &[b'z'; 100]).unwrap();
        assert_eq!(r.room(), 0);
        let fresh = Rejects::new(dir.path().join("none"), false).with_cap(5);
        assert_eq!(fresh.held(), 0);
    }
}
