//! Room on the journal's filesystem, checked before each request.
//!
//! A request pops events off the server; if they then cannot be written,
//! they must be kept some other way (see [`crate::output`]). So the capture
//! asks for events only when the journal can take a worst-case response:
//! the events asked for times the largest event seen so far in this run
//! (at least [`MIN_EVENT_BYTES`] each). Room is what the filesystem lets an
//! unprivileged user have, and no more than the process's file-size limit
//! (`RLIMIT_FSIZE`, as `ulimit -f` sets it) allows the journal to grow.
//!
//! The rejects directory gets the same check ([`room_in`]): a response that
//! cannot be split goes there instead of the journal, and it may be on
//! another filesystem. It may not exist yet (it is made on first use), so
//! its nearest existing ancestor tells the free space.

use std::path::Path;

/// The smallest size assumed for an event not seen yet (real events are 1-3 KiB).
pub const MIN_EVENT_BYTES: u64 = 2048;

/// Bytes a response of `size` events may take, given the largest line seen.
pub fn needed(size: u32, largest_line: u64) -> u64 {
    u64::from(size).saturating_mul(largest_line.saturating_add(1).max(MIN_EVENT_BYTES))
}

/// Bytes that can still be written to a file of `len` bytes at `path`, or
/// `None` when it cannot be told (the check is then skipped).
pub fn room(path: &Path, len: u64) -> Option<u64> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let free = free_bytes(dir)?;
    Some(match file_size_limit() {
        Some(limit) => free.min(limit.saturating_sub(len)),
        None => free,
    })
}

/// Bytes a new file in directory `dir` (made if missing) can take, or
/// `None` when it cannot be told.
pub fn room_in(dir: &Path) -> Option<u64> {
    let existing = dir
        .ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.is_dir())
        .unwrap_or(Path::new("."));
    room(&existing.join("new"), 0)
}

#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

#[cfg(unix)]
fn file_size_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Fsize).current
}

#[cfg(not(unix))]
fn file_size_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_uses_the_largest_event_with_a_floor() {
        assert_eq!(needed(100, 0), 100 * MIN_EVENT_BYTES);
        assert_eq!(needed(100, 9999), 1_000_000);
        assert_eq!(needed(1, 10), MIN_EVENT_BYTES);
        assert_eq!(needed(100, u64::MAX), u64::MAX);
    }

    #[test]
    fn room_is_known_on_this_machine() {
        let dir = tempfile::tempdir().unwrap();
        let room = room(&dir.path().join("j.ndjson"), 0);
        #[cfg(unix)]
        assert!(room.is_some_and(|r| r > 0), "{room:?}");
        let _ = room;
        let missing = room_in(&dir.path().join("not/yet/made"));
        #[cfg(unix)]
        assert!(missing.is_some_and(|r| r > 0), "{missing:?}");
        let _ = missing;
    }
}
