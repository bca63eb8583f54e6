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

/// A rejects directory (created on first use).
#[derive(Debug)]
pub struct Rejects {
    dir: PathBuf,
    count: u64,
    fsync: bool,
    mode: FileMode,
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
        }
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
    pub fn save(&mut self, kind: RejectKind, bytes: &[u8]) -> Result<PathBuf, RejectsError> {
        let (path, mut file) = self.create(kind)?;
        let written = file
            .write_all(bytes)
            .and_then(|()| self.finish(&path, &file));
        match written {
            Ok(()) => Ok(path),
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
}
