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

use crate::segments::{self, gz_path};
use crate::{private, sync_parent};

fn tmp_path(gz: &Path) -> PathBuf {
    let mut s = gz.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Renames the full journal away and (optionally) compresses it.
pub(super) fn rotate(path: &Path, gzip: bool) -> io::Result<PathBuf> {
    let next = segments::list(path, true)?
        .last()
        .map_or(1, |r| r.number + 1);
    let target = segments::rotated_path(path, next);
    std::fs::rename(path, &target)?;
    sync_parent(path)?;
    if gzip {
        return compress(&target);
    }
    Ok(target)
}

/// Removes leftovers of an interrupted rotation and finishes compressions.
pub(super) fn recover(path: &Path, gzip: bool) -> io::Result<()> {
    for segment in segments::list(path, true)? {
        if segment.gz {
            continue;
        }
        let file = &segment.path;
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
