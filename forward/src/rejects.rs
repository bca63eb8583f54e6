//! Events the stream can never take, set aside beside the journal.
//!
//! A message larger than the server's `max_payload` (1 MiB by default) or
//! the stream's largest message is refused by the server whatever the
//! retries, and would hold every later line behind it. Such a line is
//! appended, byte for byte, to `<journal>.forward-rejects` (an NDJSON file
//! of its own: feed it to `aperture-validate`, or to `aperture-forward`
//! once the limit is raised), synced, and only then is the checkpoint moved
//! past it. The file is created `0600` and a symlink planted at its name is
//! refused, not followed (see [`aperture_events_journal::private`]).
//!
//! # Crash safety
//! A crash after the append and before the checkpoint sets the same line
//! aside a second time on restart: at least once, never lost. (It cannot be
//! told apart from a second event with the same bytes, which real captures
//! hold.) A crash in the middle of an append leaves a torn last line, cut
//! off before the next append.
//!
//! # Bound
//! The file grows only by journal lines over the limit, each once (twice
//! after a crash at that moment): it is about the size of those lines (each line itself bounded
//! by the capture's largest body). Nothing removes it: it is for a person.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use aperture_events_journal::private::{self, FileMode};
use aperture_events_journal::{last_newline_end, side, side_path, sync_parent};

/// Where the lines of `journal` that the stream cannot take are set aside.
pub fn path(journal: &Path) -> PathBuf {
    side_path(journal, side::FORWARD_REJECTS)
}

/// Appends `line` (without its newline) to the rejects file of `journal`,
/// durably; returns the file's path.
pub fn set_aside(journal: &Path, line: &[u8]) -> io::Result<PathBuf> {
    let path = path(journal);
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let (mut file, created) = private::open_append(&path, FileMode::default()).map_err(named)?;
    if created {
        sync_parent(&path).map_err(named)?;
    }
    let len = file.metadata().map_err(named)?.len();
    // A torn append (a crash in the middle of one): cut it off.
    let whole = if len > 0 && !ends_with_newline(&file, len).map_err(named)? {
        let keep = last_newline_end(&mut file, len)
            .map_err(named)?
            .unwrap_or(0);
        file.set_len(keep).map_err(named)?;
        keep
    } else {
        len
    };
    let written = file
        .write_all(line)
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_data());
    if let Err(e) = written {
        // Leave no fragment behind (a full disk): the line is set aside again next time.
        let _ = file.set_len(whole);
        return Err(named(e));
    }
    Ok(path)
}

/// Whether the first `len` bytes of `file` end with a newline.
fn ends_with_newline(file: &File, len: u64) -> io::Result<bool> {
    let mut last = [0u8];
    file.read_exact_at(&mut last, len - 1)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_set_aside_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("events.ndjson");
        let file = set_aside(&journal, b"{\"a\":1}").unwrap();
        assert_eq!(file, path(&journal));
        set_aside(&journal, b"{\"a\":1}").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"{\"a\":1}\n{\"a\":1}\n");
        // A torn append is cut off before the next.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        f.write_all(b"{\"b\":").unwrap();
        set_aside(&journal, b"{\"b\":2}").unwrap();
        assert_eq!(
            std::fs::read(&file).unwrap(),
            b"{\"a\":1}\n{\"a\":1}\n{\"b\":2}\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_the_rejects_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("events.ndjson");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").unwrap();
        std::os::unix::fs::symlink(&victim, path(&journal)).unwrap();
        let err = set_aside(&journal, b"{\"a\":1}").unwrap_err();
        assert!(
            err.to_string().contains("events.ndjson.forward-rejects"),
            "{err}"
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    }
}
