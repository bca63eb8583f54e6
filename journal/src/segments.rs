//! The journal's segments, read in order: rotated ones (`<name>.N`,
//! `<name>.N.gz`) and then the one being written (`<name>`).
//!
//! # Design
//! A segment is named by its number, which never changes: rotation renames
//! the journal to `<name>.N` with N one more than the highest present, so
//! the file being written is segment `highest + 1` from the start. The
//! forwarder keeps the highest rotated segment on disk (see
//! `aperture-events-forward`'s `run`), so numbers are never reused and a message id made of
//! the segment number and a byte offset names one line forever.
//!
//! Only whole lines are handed out, and a position is only ever taken at
//! a line's start: a checkpoint whose offset is not 0 and not just after a
//! newline is refused, rather than publishing the end of a line as an event.
//! Nothing is kept between reads of
//! the live segment: a restarted capture may cut an incomplete tail off the
//! journal and write new lines in its place, so each read starts again at
//! the first line not yet forwarded.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

/// A rotated segment on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub number: u64,
    pub path: PathBuf,
    pub gz: bool,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Every file named like a rotated segment of `base` (`<name>.N`,
/// `<name>.N.gz`), sorted by number, plain before gzipped, both copies
/// listed. With `regular_only`, a symbolic link with such a name is left out
/// (rotation renames, it never links: such a link is not the journal's).
/// The one place that parses segment names.
pub fn list(base: &Path, regular_only: bool) -> io::Result<Vec<Rotated>> {
    let dir = match base.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = format!(
        "{}.",
        base.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut out: Vec<Rotated> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // `DirEntry::file_type` does not follow a link.
        if regular_only && !entry.file_type()?.is_file() {
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
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(number) = digits.parse() {
            out.push(Rotated {
                number,
                path: dir.join(&name),
                gz,
            });
        }
    }
    out.sort_by_key(|r| (r.number, r.gz));
    Ok(out)
}

/// `<base>.N`, where rotation renames the journal to (see [`list`]).
pub fn rotated_path(base: &Path, number: u64) -> PathBuf {
    with_suffix(base, &format!(".{number}"))
}

/// `<segment>.gz`, the compressed copy of a rotated segment.
pub fn gz_path(plain: &Path) -> PathBuf {
    with_suffix(plain, ".gz")
}

/// The rotated segments of the journal at `base`, by number (a segment with
/// both a plain and a gzipped copy, as during compression, is listed plain).
pub fn rotated(base: &Path) -> io::Result<Vec<Rotated>> {
    let mut out = list(base, false)?;
    // Plain before gzipped: the plain copy is complete whenever it exists.
    out.dedup_by_key(|r| r.number);
    Ok(out)
}

/// Whether segment `number` has been rotated away from `base`.
pub fn is_rotated(base: &Path, number: u64) -> bool {
    let plain = rotated_path(base, number);
    plain.exists() || gz_path(&plain).exists()
}

/// A whole line of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of its first byte in the (uncompressed) segment.
    pub offset: u64,
    /// Byte offset just past its newline.
    pub end: u64,
    /// 1-based line number in the segment.
    pub line: u64,
    /// The event's bytes, without the newline.
    pub bytes: Vec<u8>,
}

enum Source {
    /// Plain files are read at an offset: the live one may be cut and rewritten.
    Plain(File),
    /// Gzipped segments are final: read straight through, the rest kept.
    Gz {
        reader: Box<BufReader<MultiGzDecoder<File>>>,
        pending: Vec<u8>,
        eof: bool,
    },
}

/// A segment open for reading from a position.
pub struct SegmentReader {
    pub number: u64,
    /// Whether this is the file being written (`<name>`) when it was opened.
    pub live: bool,
    /// The offset and line number of the next line to hand out.
    pub offset: u64,
    pub line: u64,
    source: Source,
}

impl std::fmt::Debug for SegmentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentReader")
            .field("number", &self.number)
            .field("live", &self.live)
            .field("offset", &self.offset)
            .finish()
    }
}

/// Where segment `number` of `base` is now.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    Rotated(Rotated),
    /// The file being written.
    Live,
    /// Not written yet: the live file, once it exists.
    NotYet,
}

/// Finds segment `number` of the journal `base`.
pub fn find(base: &Path, number: u64) -> io::Result<Found> {
    let all = rotated(base)?;
    if let Some(r) = all.iter().find(|r| r.number == number) {
        return Ok(Found::Rotated(r.clone()));
    }
    let highest = all.last().map_or(0, |r| r.number);
    if number != highest + 1 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "segment {number} of {} is gone (the newest rotated segment is {highest}): \
                 it was removed before it was forwarded",
                base.display()
            ),
        ));
    }
    Ok(if base.exists() {
        Found::Live
    } else {
        Found::NotYet
    })
}

impl SegmentReader {
    /// Opens segment `number` at `offset` (line `line` - 1 lines read).
    /// `None` when it is the live segment and the file does not exist yet.
    pub fn open(base: &Path, number: u64, offset: u64, line: u64) -> io::Result<Option<Self>> {
        let (path, gz, live) = match find(base, number)? {
            Found::Rotated(r) => (r.path, r.gz, false),
            Found::Live => (base.to_owned(), false, true),
            Found::NotYet => return Ok(None),
        };
        let file = match File::open(&path) {
            Ok(f) => f,
            // Rotated or compressed between the listing and the open: look again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Self::open(base, number, offset, line);
            }
            Err(e) => return Err(e),
        };
        // The live file may have been rotated between the listing and the
        // open: then the file opened is a newer segment.
        if live && is_rotated(base, number) {
            return Self::open(base, number, offset, line);
        }
        let source = if gz {
            let mut reader = BufReader::new(MultiGzDecoder::new(file));
            let before = offset.saturating_sub(1);
            let skipped = io::copy(&mut (&mut reader).take(before), &mut io::sink())?;
            let mut last = [b'\n'];
            if skipped < before || (offset > 0 && reader.read(&mut last)? == 0) {
                return Err(short(&path, offset));
            }
            if last[0] != b'\n' {
                return Err(inside_a_line(base, &path, offset));
            }
            Source::Gz {
                reader: Box::new(reader),
                pending: Vec::new(),
                eof: false,
            }
        } else {
            if file.metadata()?.len() < offset {
                return Err(short(&path, offset));
            }
            let mut last = [b'\n'];
            if offset > 0 {
                file.read_exact_at(&mut last, offset - 1)?;
            }
            if last[0] != b'\n' {
                return Err(inside_a_line(base, &path, offset));
            }
            Source::Plain(file)
        };
        Ok(Some(SegmentReader {
            number,
            live,
            offset,
            line,
            source,
        }))
    }

    /// Appends the next whole lines (at most `max_lines`, about `max_bytes`) to `out`.
    pub fn read(
        &mut self,
        max_lines: usize,
        max_bytes: usize,
        out: &mut Vec<Line>,
    ) -> io::Result<()> {
        let start = out.len();
        let mut taken = 0usize;
        match &mut self.source {
            Source::Plain(file) => {
                let mut buf = vec![0u8; max_bytes.max(4096)];
                let mut filled = 0usize;
                loop {
                    let n = file.read_at(&mut buf[filled..], self.offset + filled as u64)?;
                    filled += n;
                    if n == 0 || filled == buf.len() {
                        // A line longer than the buffer: read on until its end.
                        if n != 0 && memchr::memchr(b'\n', &buf[..filled]).is_none() {
                            buf.resize(buf.len() * 2, 0);
                            continue;
                        }
                        break;
                    }
                }
                let mut pos = 0usize;
                while out.len() - start < max_lines {
                    let Some(nl) = memchr::memchr(b'\n', &buf[pos..filled]) else {
                        break;
                    };
                    push(
                        &mut self.offset,
                        &mut self.line,
                        &buf[pos..pos + nl],
                        nl + 1,
                        out,
                    );
                    pos += nl + 1;
                }
            }
            Source::Gz {
                reader,
                pending,
                eof,
            } => {
                while out.len() - start < max_lines && taken < max_bytes {
                    if let Some(nl) = memchr::memchr(b'\n', pending) {
                        let rest = pending.split_off(nl + 1);
                        let line = std::mem::replace(pending, rest);
                        taken += line.len();
                        push(&mut self.offset, &mut self.line, &line[..nl], nl + 1, out);
                        continue;
                    }
                    if *eof {
                        break;
                    }
                    let mut chunk = [0u8; 64 * 1024];
                    let n = reader.read(&mut chunk)?;
                    if n == 0 {
                        *eof = true;
                    }
                    pending.extend_from_slice(&chunk[..n]);
                }
            }
        }
        Ok(())
    }

    /// Whether no line will ever follow: the segment is rotated (its content final).
    pub fn is_final(&self, base: &Path) -> bool {
        !self.live || is_rotated(base, self.number)
    }

    /// Bytes of the segment after the next line to hand out (for plain files).
    pub fn bytes_behind(&self) -> Option<u64> {
        match &self.source {
            Source::Plain(file) => file
                .metadata()
                .ok()
                .map(|m| m.len().saturating_sub(self.offset)),
            Source::Gz { .. } => None,
        }
    }
}

/// Hands out one line and moves the position past it.
fn push(offset: &mut u64, line: &mut u64, bytes: &[u8], len: usize, out: &mut Vec<Line>) {
    *line += 1;
    out.push(Line {
        offset: *offset,
        end: *offset + len as u64,
        line: *line,
        bytes: bytes.to_vec(),
    });
    *offset += len as u64;
}

/// The forwarded offset is not just after a newline: forwarding from it
/// would publish the end of a line as an event of its own.
fn inside_a_line(base: &Path, path: &Path, offset: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{}: the forwarded offset {offset} is inside a line (the byte before it is not a newline): \
             {} does not belong to this journal",
            path.display(),
            crate::side_path(base, crate::side::FORWARDED).display()
        ),
    )
}

fn short(path: &Path, offset: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{} is shorter than the forwarded offset {offset}: it is not the segment the checkpoint names",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests;
