//! The maximum record size: reading lines and cutting records without ever
//! keeping more than the limit.
//!
//! Every reader holds one record (or one HTTP body) whole before handing it
//! on, so without a limit one record without end (a 300 MB line, or
//! `/dev/zero`) would take memory in proportion to its length. Here a line is
//! read at most up to a given length, the rest of an over-long line is
//! skipped without being kept, and a record cut out of a document stops
//! growing at the limit. The record is then reported as malformed
//! ([`too_long`]) where it starts, and reading goes on after it.

use std::io::{self, BufRead, Read};

/// The capacity a reader's buffer keeps between records; a larger one is
/// given back after its record.
pub(super) const KEEP_CAPACITY: usize = 1 << 20;

/// How much of a line [`read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// The input had ended: nothing was read.
    End,
    /// A whole line, its line break included (the last line may have none).
    Whole,
    /// The first `max` bytes of a line, no line break among them: the line
    /// is at least `max` bytes long. Its rest (maybe nothing) is still
    /// unread: [`skip_line`] consumes it.
    Cut,
}

/// Appends the next line of `reader` to `buf`, but no more than `max` bytes of it.
pub(super) fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    let start = buf.len();
    // `Take` caps what `read_until` may read; the search for the line break
    // stays std's own (memchr), so the common path is as fast as before.
    let n = (&mut *reader).take(max as u64).read_until(b'\n', buf)?;
    Ok(if n == 0 {
        Line::End
    } else if n >= max && buf[start..].last() != Some(&b'\n') {
        Line::Cut
    } else {
        Line::Whole
    })
}

/// Consumes the rest of a line, its line break included, keeping none of it.
///
/// An input without a line break (`/dev/zero`) is read to its end, in
/// constant memory.
pub(super) fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
    reader.skip_until(b'\n')?;
    Ok(())
}

/// The message of a record longer than `limit` bytes.
pub fn too_long(limit: usize) -> String {
    format!("record longer than {limit} bytes (--max-record-size)")
}

/// A record being cut out of a document, kept only while it is within the limit.
#[derive(Debug)]
pub(super) struct Record {
    bytes: Vec<u8>,
    limit: usize,
    over: bool,
}

impl Record {
    /// An empty record that keeps at most `limit` bytes.
    pub(super) fn new(limit: usize) -> Self {
        Record {
            bytes: Vec::new(),
            limit,
            over: false,
        }
    }

    /// The limit, in bytes.
    pub(super) fn limit(&self) -> usize {
        self.limit
    }

    /// Empties the record for the next one (keeping its allocation, unless
    /// a large record grew it: memory goes back to what small records need).
    pub(super) fn clear(&mut self) {
        if self.bytes.capacity() > KEEP_CAPACITY {
            self.bytes = Vec::new();
        }
        self.bytes.clear();
        self.over = false;
    }

    /// Gives up the record's bytes (`None` past the limit), leaving it empty.
    pub(super) fn take(&mut self) -> Option<Vec<u8>> {
        let bytes = std::mem::take(&mut self.bytes);
        let over = std::mem::replace(&mut self.over, false);
        (!over).then_some(bytes)
    }

    /// Adds one byte; past the limit, drops what was kept and keeps nothing more.
    #[inline]
    pub(super) fn push(&mut self, byte: u8) {
        if self.over {
            return;
        }
        if self.bytes.len() < self.limit {
            self.bytes.push(byte);
        } else {
            self.over = true;
            // Release the memory now: the rest of the value may be long to skip.
            self.bytes = Vec::new();
        }
    }

    /// Adds `bytes`, as [`Record::push`] each of them.
    pub(super) fn extend(&mut self, bytes: &[u8]) {
        if self.over {
            return;
        }
        if self.bytes.len() + bytes.len() <= self.limit {
            self.bytes.extend_from_slice(bytes);
        } else {
            self.over = true;
            self.bytes = Vec::new();
        }
    }

    /// The record's bytes, or `None` when it went past the limit.
    pub(super) fn bytes(&self) -> Option<&[u8]> {
        (!self.over).then_some(&self.bytes[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_up_to_max_bytes() {
        let mut input: &[u8] = b"abc\nabcdef\nxyz";
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Line::Whole);
        assert_eq!(buf, b"abc\n");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Line::Cut);
        assert_eq!(buf, b"abcd");
        skip_line(&mut input).unwrap();
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Line::Whole);
        assert_eq!(buf, b"xyz");
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Line::End);
    }

    #[test]
    fn a_line_of_exactly_max_bytes_is_cut_and_its_break_skipped() {
        let mut input: &[u8] = b"abcd\nnext\n";
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Line::Cut);
        skip_line(&mut input).unwrap();
        buf.clear();
        assert_eq!(read_line(&mut input, &mut buf, 5).unwrap(), Line::Whole);
        assert_eq!(buf, b"next\n");
    }

    #[test]
    fn a_record_past_its_limit_keeps_nothing() {
        let mut record = Record::new(3);
        b"abc".iter().for_each(|&b| record.push(b));
        assert_eq!(record.bytes(), Some(&b"abc"[..]));
        record.push(b'd');
        assert_eq!(record.bytes(), None);
        record.push(b'e');
        assert_eq!(record.bytes(), None);
        record.clear();
        record.push(b'x');
        assert_eq!(record.bytes(), Some(&b"x"[..]));
        record.extend(b"yz");
        assert_eq!(record.bytes(), Some(&b"xyz"[..]));
        record.extend(b"w");
        assert_eq!(record.bytes(), None);
    }
}
