//! Files and directories only their owner can read, whatever the umask.
//!
//! Events carry personal data (names, emails, file names), so everything the
//! capture creates (the journal, rotated and gzipped files, `.incomplete`,
//! the rejects directory and the bodies in it) is created `0600` (`0700`
//! for a directory). The mode is given to `open` and then set again with
//! `fchmod`, since the umask can only narrow what `open` asks for and
//! `--file-mode` may deliberately widen it (to `0640` for a reading group,
//! say). Files that already exist keep the mode their owner gave them; a
//! journal started after rotation takes the mode of the one it replaces.
//!
//! A symbolic link is never followed at the last step of a path we open for
//! writing: a new file is created with `O_EXCL` (which fails on a link), and
//! an existing one is opened with `O_NOFOLLOW`, so a link planted where the
//! journal or a file beside it (`.incomplete`) goes cannot point our writes
//! at another file.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::path::PathBuf;

/// Permission bits for new files (a directory gets `x` wherever a file gets `r`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMode(u32);

impl Default for FileMode {
    fn default() -> Self {
        Self(0o600)
    }
}

impl FileMode {
    /// Parses an octal mode like `600` or `0640`: owner read and write are
    /// required, execute bits and anything beyond `0666` are refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bits = u32::from_str_radix(text.trim_start_matches("0o"), 8)
            .map_err(|_| format!("`{text}` is not an octal mode like 0600 or 0640"))?;
        if bits & !0o666 != 0 {
            return Err(format!(
                "`{text}`: only read and write bits (at most 0666) are allowed"
            ));
        }
        if bits & 0o600 != 0o600 {
            return Err(format!(
                "`{text}`: the owner must be able to read and write"
            ));
        }
        Ok(Self(bits))
    }

    /// The bits for a file.
    pub fn file(self) -> u32 {
        self.0
    }

    /// The bits for a directory: `x` wherever `r` is set.
    pub fn dir(self) -> u32 {
        self.0 | ((self.0 & 0o444) >> 2)
    }
}

/// Creates `path` (which must not exist) with exactly `mode`.
pub fn create_new(path: &Path, mode: FileMode) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    let file = with_mode(&mut options, mode.file()).open(path)?;
    set(&file, mode.file())?;
    Ok(file)
}

/// Opens `path` for reading and appending, creating it with exactly `mode`
/// if it does not exist; returns whether it was created.
pub fn open_append(path: &Path, mode: FileMode) -> io::Result<(File, bool)> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create_new(true);
    match with_mode(&mut options, mode.file()).open(path) {
        Ok(file) => {
            set(&file, mode.file())?;
            Ok((file, true))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let file = open_existing(path, OpenOptions::new().read(true).append(true))?;
            Ok((file, false))
        }
        Err(e) => Err(e),
    }
}

/// Opens `path` to be written from its start, for an output that replaces
/// what was there: a new file is created with exactly `mode`; an existing
/// regular file is truncated and given `mode` (what it will hold is ours);
/// anything else that exists (a device such as `/dev/null`, a FIFO) is
/// opened as it is, its mode left alone. A symbolic link at `path` is not
/// followed: it is refused.
pub fn create_or_truncate(path: &Path, mode: FileMode) -> io::Result<File> {
    match create_new(path, mode) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        created => return created,
    }
    let file = open_existing(path, OpenOptions::new().write(true).truncate(true))?;
    // Asked of the file opened, not of the path: nothing can swap it.
    if file.metadata()?.is_file() {
        set(&file, mode.file())?;
    }
    Ok(file)
}

/// Creates `dir` and its missing parents; the directories created get
/// `mode`. An existing `dir` must belong to this user: files kept in another
/// user's directory (one planted where ours was to be made, say) could be
/// removed or read by that user.
pub fn create_dir_all(dir: &Path, mode: FileMode) -> io::Result<()> {
    if dir.is_dir() {
        return owned_by_us(dir);
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_all(parent, mode)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, mode.dir());
    match builder.create(dir) {
        Ok(()) => set_path(dir, mode.dir()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether this user owns `dir` (a link to it is judged by its target).
pub fn owned_by_us(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let owner = std::fs::metadata(dir)?.uid();
        let us = rustix::process::geteuid().as_raw();
        if owner != us {
            return Err(io::Error::other(format!(
                "the directory belongs to another user (uid {owner}); files are kept only in \
                 one of ours"
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The mode of an existing file, to give its successor the same.
pub fn mode_of(path: &Path) -> io::Result<FileMode> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(FileMode(
            std::fs::metadata(path)?.permissions().mode() & 0o7777,
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(FileMode::default())
    }
}

/// Opens an existing `path` with `options`, refusing a symbolic link at
/// its last step.
fn open_existing(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    no_follow(options).open(path).map_err(|e| {
        if path.is_symlink() {
            io::Error::other("it is a symbolic link, which is not followed")
        } else {
            e
        }
    })
}

/// Makes `open` fail on a symbolic link at the path's last step.
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW's bits fit an i32 on every unix.
        let bits = i32::try_from(rustix::fs::OFlags::NOFOLLOW.bits()).unwrap_or(0);
        options.custom_flags(bits);
    }
    options
}

fn with_mode(options: &mut OpenOptions, bits: u32) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, bits);
    #[cfg(not(unix))]
    let _ = bits;
    options
}

fn set(file: &File, bits: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(bits))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, bits);
        Ok(())
    }
}

fn set_path(path: &Path, bits: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, bits);
        Ok(())
    }
}

/// Writes `bytes` to `path` through a synced temporary file and a rename.
///
/// The temporary file has a fresh random name beside `path` and is created
/// with [`create_new`] (`O_CREAT|O_EXCL`, mode `0600`): a symlink
/// or a file planted at any name is never followed nor overwritten (the
/// create fails and another name is drawn), and the rename replaces a
/// symlink at `path` itself, not its target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (tmp, mut file) = create_temporary(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    crate::sync_parent(path)
}

/// A new private file `<path>.<random>.tmp`.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let mut tries = 0;
    loop {
        let tmp = crate::side_path(path, &format!("{:016x}.tmp", fastrand::u64(..)));
        match create_new(&tmp, FileMode::default()) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 16 => tries += 1,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", tmp.display()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_derive_directories() {
        assert_eq!(FileMode::default().dir(), 0o700);
        let m = FileMode::parse("0640").unwrap();
        assert_eq!((m.file(), m.dir()), (0o640, 0o750));
        assert_eq!(FileMode::parse("644").unwrap().dir(), 0o755);
        assert!(FileMode::parse("0755").is_err(), "no execute bits");
        assert!(FileMode::parse("0400").is_err(), "owner writes");
        assert!(FileMode::parse("4600").is_err());
        assert!(FileMode::parse("rw").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn created_files_get_exactly_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        create_dir_all(&sub, FileMode::default()).unwrap();
        assert_eq!(mode_of(&sub).unwrap().file(), 0o700);
        assert_eq!(mode_of(&dir.path().join("a")).unwrap().file(), 0o700);
        let wide = FileMode::parse("0666").unwrap();
        create_new(&sub.join("f"), wide).unwrap();
        assert_eq!(
            mode_of(&sub.join("f")).unwrap(),
            wide,
            "widened past any umask"
        );
        let (_, created) = open_append(&sub.join("g"), FileMode::default()).unwrap();
        assert!(created);
        let (_, created) = open_append(&sub.join("g"), wide).unwrap();
        assert!(!created);
        assert_eq!(mode_of(&sub.join("g")).unwrap().file(), 0o600, "kept");
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "kept\n").unwrap();
        let link = dir.path().join("j.ndjson.incomplete");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = open_append(&link, FileMode::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a symbolic link, which is not followed"
        );
        assert!(create_new(&link, FileMode::default()).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept\n");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_replaces_a_file_but_not_a_link_nor_a_device_s_mode() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.ndjson");
        create_or_truncate(&out, FileMode::default())
            .unwrap()
            .write_all(b"first, longer\n")
            .unwrap();
        assert_eq!(mode_of(&out).unwrap().file(), 0o600);
        set_path(&out, 0o644).unwrap();
        create_or_truncate(&out, FileMode::default())
            .unwrap()
            .write_all(b"second\n")
            .unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "second\n");
        assert_eq!(mode_of(&out).unwrap().file(), 0o600, "narrowed");

        let victim = dir.path().join("victim");
        std::fs::write(&victim, "kept\n").unwrap();
        set_path(&victim, 0o644).unwrap();
        let link = dir.path().join("link.ndjson");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = create_or_truncate(&link, FileMode::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a symbolic link, which is not followed"
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept\n");
        assert_eq!(mode_of(&victim).unwrap().file(), 0o644);

        // As `/dev/null` would be (a FIFO here, so that a broken build
        // never changes the machine's /dev/null).
        use rustix::fs::{CWD, FileType, Mode, OFlags};
        let fifo = dir.path().join("fifo");
        rustix::fs::mknodat(CWD, &fifo, FileType::Fifo, Mode::from(0o644), 0).unwrap();
        set_path(&fifo, 0o644).unwrap();
        let _reader =
            rustix::fs::open(&fifo, OFlags::RDONLY | OFlags::NONBLOCK, Mode::empty()).unwrap();
        create_or_truncate(&fifo, FileMode::default()).unwrap();
        assert_eq!(
            mode_of(&fifo).unwrap().file(),
            0o644,
            "not a file: its mode kept"
        );
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::print_stderr)]
    fn another_users_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("rejects");
        std::fs::create_dir(&theirs).unwrap();
        if rustix::fs::chown(&theirs, Some(rustix::process::Uid::from_raw(65534)), None).is_err() {
            eprintln!("skipped: only root can give a directory to another user");
            return;
        }
        let err = create_dir_all(&theirs, FileMode::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the directory belongs to another user (uid 65534); files are kept only in one of ours"
        );
        create_dir_all(dir.path(), FileMode::default()).unwrap();
    }
}
