//! Size-based rotation of the journal, crash-safe at every step.
//!
//! A full journal `<name>` is renamed to `<name>.<N>` (N one more than the
//! highest number present), the directory is synced, and a fresh `<name>`
//! is started. With gzip, `<name>.<N>` is compressed to `<name>.<N>.gz.tmp`,
//! synced, renamed to `<name>.<N>.gz`, and only then is `<name>.<N>`
//! removed. A crash at any step leaves either the plain or the compressed
//! copy complete; [`recover`] finishes the job on the next start. The
//! compressed copy gets the mode of the file it compresses.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::sync_parent;
use crate::private;

/// Rotated files of `path`: `(number, path, gzipped)`. Only regular files
/// count: a symbolic link with such a name is not ours (rotation renames,
/// it never links), so it is neither read, compressed nor removed.
fn rotated(path: &Path) -> io::Result<Vec<(u64, PathBuf, bool)>> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let base = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let prefix = format!("{base}.");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // `DirEntry::file_type` does not follow a link.
        if !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let (digits, gz) = match rest.strip_suffix(".gz") {
            Some(d) => (d, true),
            None => (rest, false),
        };
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse() {
                out.push((n, dir.join(&name), gz));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn tmp_path(gz: &Path) -> PathBuf {
    let mut s = gz.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

fn gz_path(plain: &Path) -> PathBuf {
    let mut s = plain.as_os_str().to_owned();
    s.push(".gz");
    PathBuf::from(s)
}

/// Renames the full journal away and (optionally) compresses it.
pub(super) fn rotate(path: &Path, gzip: bool) -> io::Result<PathBuf> {
    let next = rotated(path)?.last().map_or(1, |(n, _, _)| n + 1);
    let mut target = path.as_os_str().to_owned();
    target.push(format!(".{next}"));
    let target = PathBuf::from(target);
    std::fs::rename(path, &target)?;
    sync_parent(path)?;
    if gzip {
        return compress(&target);
    }
    Ok(target)
}

/// Removes leftovers of an interrupted rotation and finishes compressions.
pub(super) fn recover(path: &Path, gzip: bool) -> io::Result<()> {
    let files = rotated(path)?;
    for (_, file, is_gz) in &files {
        if *is_gz {
            continue;
        }
        let tmp = tmp_path(&gz_path(file));
        if tmp.exists() {
            std::fs::remove_file(&tmp)?;
        }
        if gz_path(file).exists() {
            // Crash after the rename of the compressed copy, before removal.
            std::fs::remove_file(file)?;
            sync_parent(file)?;
        } else if gzip {
            compress(file)?;
        }
    }
    Ok(())
}

fn compress(plain: &Path) -> io::Result<PathBuf> {
    let gz = gz_path(plain);
    let tmp = tmp_path(&gz);
    {
        let mode = private::mode_of(plain)?;
        let mut input = BufReader::new(File::open(plain)?);
        let _ = std::fs::remove_file(&tmp);
        let out = private::create_new(&tmp, mode)?;
        let mut enc = GzEncoder::new(BufWriter::new(out), Compression::default());
        io::copy(&mut input, &mut enc)?;
        let out = enc.finish()?.into_inner().map_err(|e| e.into_error())?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, &gz)?;
    sync_parent(&gz)?;
    std::fs::remove_file(plain)?;
    sync_parent(plain)?;
    Ok(gz)
}
