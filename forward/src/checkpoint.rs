//! How far a journal has been forwarded, and the capture's stable id.
//!
//! The checkpoint `<journal>.forwarded` says (segment, byte offset, line):
//! every line before it has been acknowledged by the stream. It is written
//! only after the acknowledgement, to a private (`0600`) temporary file of
//! a fresh name (never a planted symlink) that is synced and
//! renamed over the old one, and the directory is synced: after a crash it
//! holds the old or the new position, never a torn one, and never a
//! position past an unacknowledged line.
//!
//! The capture id `<journal>.capture-id` is made once (or given with
//! `--capture-id`) and never changes: it is the first part of every message
//! id, so a journal forwarded again after its checkpoint was lost is still
//! recognised by the stream's de-duplication.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use aperture_events_journal::private::write_atomic;
use aperture_events_journal::{side, side_path};

/// The first line not yet acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Segment number (the live file is the highest rotated number + 1).
    pub segment: u64,
    /// Byte offset in the uncompressed segment.
    pub offset: u64,
    /// Lines of the segment before `offset`.
    pub line: u64,
}

impl Checkpoint {
    /// Where the checkpoint of `journal` is kept.
    pub fn path(journal: &Path) -> PathBuf {
        side_path(journal, side::FORWARDED)
    }

    /// The saved checkpoint, if any.
    pub fn load(journal: &Path) -> io::Result<Option<Checkpoint>> {
        let path = Checkpoint::path(journal);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not a forwarding checkpoint: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Saves the checkpoint atomically and durably.
    pub fn save(&self, journal: &Path) -> io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(io::Error::other)?;
        write_atomic(&Checkpoint::path(journal), &bytes)
    }
}

/// Whether `id` can be a capture id: 1 to 64 of `A-Z a-z 0-9 _ -` (a
/// subject token and a header value as it is).
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The capture id of `journal`: the one saved, else `given`, else a new one
/// (the journal's name and 8 random hex digits), saved before first use.
pub fn capture_id(journal: &Path, given: Option<&str>) -> io::Result<String> {
    let path = side_path(journal, side::CAPTURE_ID);
    let saved = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text.trim().to_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let invalid = |id: &str| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("capture id `{id}`: use 1 to 64 letters, digits, `_` or `-`"),
        )
    };
    match (saved, given) {
        (Some(saved), Some(given)) if saved != given => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} belongs to capture `{saved}`, not `{given}` ({} says so)",
                journal.display(),
                path.display()
            ),
        )),
        (Some(saved), _) if !valid_id(&saved) => Err(invalid(&saved)),
        (Some(saved), _) => Ok(saved),
        (None, given) => {
            let id = match given {
                Some(id) => id.to_owned(),
                None => {
                    let stem: String = journal
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .split('.')
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() || c == '-' {
                                c
                            } else {
                                '_'
                            }
                        })
                        .take(40)
                        .collect();
                    format!(
                        "{}-{:08x}",
                        if stem.is_empty() { "capture" } else { &stem },
                        fastrand::u32(..)
                    )
                }
            };
            if !valid_id(&id) {
                return Err(invalid(&id));
            }
            write_atomic(&path, format!("{id}\n").as_bytes())?;
            Ok(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_survives_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("events.ndjson");
        assert_eq!(Checkpoint::load(&journal).unwrap(), None);
        let cp = Checkpoint {
            segment: 3,
            offset: 1234,
            line: 7,
        };
        cp.save(&journal).unwrap();
        assert_eq!(Checkpoint::load(&journal).unwrap(), Some(cp));
        std::fs::write(Checkpoint::path(&journal), "{").unwrap();
        assert!(Checkpoint::load(&journal).is_err());
    }

    #[test]
    fn the_capture_id_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("tenant-a.ndjson");
        let id = capture_id(&journal, None).unwrap();
        assert!(id.starts_with("tenant-a-") && valid_id(&id), "{id}");
        assert_eq!(capture_id(&journal, None).unwrap(), id);
        assert_eq!(capture_id(&journal, Some(&id)).unwrap(), id);
        let err = capture_id(&journal, Some("other")).unwrap_err();
        assert!(err.to_string().contains("belongs to capture"), "{err}");
        let other = dir.path().join("b.ndjson");
        assert!(capture_id(&other, Some("a.b")).is_err());
        assert_eq!(
            capture_id(&other, Some("eu-tenant_1")).unwrap(),
            "eu-tenant_1"
        );
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("events.ndjson");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").unwrap();
        for suffix in ["forwarded.tmp", "capture-id.tmp"] {
            std::os::unix::fs::symlink(&victim, side_path(&journal, suffix)).unwrap();
        }
        let cp = Checkpoint {
            segment: 1,
            offset: 0,
            line: 0,
        };
        cp.save(&journal).unwrap();
        capture_id(&journal, None).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(Checkpoint::load(&journal).unwrap(), Some(cp));
        assert!(
            !std::fs::symlink_metadata(Checkpoint::path(&journal))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_checkpoint_and_the_capture_id_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("events.ndjson");
        Checkpoint {
            segment: 1,
            offset: 0,
            line: 0,
        }
        .save(&journal)
        .unwrap();
        capture_id(&journal, None).unwrap();
        assert_eq!(mode(&Checkpoint::path(&journal)), 0o600);
        assert_eq!(mode(&side_path(&journal, "capture-id")), 0o600);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }
}
