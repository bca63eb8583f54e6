//! NDJSON (JSON Lines): one record per line.
//!
//! LF or CRLF line ends, blank lines skipped, a leading BOM already removed by
//! the caller (and one opening a later line skipped too: what concatenating
//! files written with a BOM gives). A line holding a bulk body (`{"events": ...}` as its first
//! key) is read as a document of its own, so a file of compact bulk
//! responses, one per line, gives one record per event. Any other line is one
//! record, whatever it holds (an array on a line is one malformed record).
//!
//! A line longer than the maximum record size (its leading and trailing
//! whitespace counted, a CR too, not the LF) is one malformed record, placed
//! at its line; its bytes past the limit are skipped without being kept, and
//! the next line is read as usual.

use std::io::{self, BufRead};

use super::Sink;
use super::bounded::{self, Line};
use super::scan::Scanner;
use crate::place::Locus;

/// A line buffer grown past this by a long line is given back after it.
const KEEP_CAPACITY: usize = 1 << 20;

/// Reads every line of `reader` as a record; a line may hold `limit` bytes.
///
/// # Design
/// A line that lies whole in the reader's buffer, the common case, is handed
/// on from there; only a line across the buffer's end is copied, into a line
/// buffer of its own, read with the limit.
pub(super) fn read(mut reader: impl BufRead, sink: &mut dyn Sink, limit: usize) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    // A line of `limit` bytes may still have its line break.
    let max = limit.saturating_add(1);
    loop {
        let available = reader.fill_buf()?;
        if let Some(end) = memchr::memchr(b'\n', available).filter(|end| *end < max) {
            line += 1;
            one_line(&available[..end], line, sink, limit)?;
            reader.consume(end + 1);
            continue;
        }
        buf.clear();
        if buf.capacity() > KEEP_CAPACITY {
            buf = Vec::new();
        }
        let got = bounded::read_line(&mut reader, &mut buf, max)?;
        if got == Line::End {
            return Ok(());
        }
        line += 1;
        if got == Line::Cut {
            let start = buf.iter().position(|b| !b.is_ascii_whitespace());
            let locus = Locus::at(line, start.unwrap_or(buf.len()) as u64 + 1);
            sink.malformed(locus, bounded::too_long(limit));
            buf = Vec::new();
            bounded::skip_line(&mut reader)?;
            continue;
        }
        if buf.len() > KEEP_CAPACITY {
            // A long line that is one record is handed on with its buffer, not copied.
            if let Some((locus, range)) =
                record_of(&buf, line).filter(|(_, r)| !is_container(&buf[r.clone()]))
            {
                sink.record_owned(locus, std::mem::take(&mut buf), range);
                continue;
            }
        }
        one_line(&buf, line, sink, limit)?;
    }
}

/// Where the record of line number `line` is in `bytes` (blanks and BOMs
/// trimmed), if the line is not blank.
fn record_of(bytes: &[u8], line: u64) -> Option<(Locus, std::ops::Range<usize>)> {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let mut text = bytes[..end].trim_ascii_start();
    // A byte order mark opening a line: files written with one, concatenated.
    while let Some(rest) = text.strip_prefix(b"\xEF\xBB\xBF") {
        text = rest.trim_ascii_start();
    }
    if text.is_empty() {
        return None;
    }
    let start = end - text.len();
    let locus = Locus::at(line, start as u64 + 1);
    Some((locus, start..end))
}

/// Hands on line number `line` (its line break, if any, still on it or not).
fn one_line(bytes: &[u8], line: u64, sink: &mut dyn Sink, limit: usize) -> io::Result<()> {
    let Some((locus, range)) = record_of(bytes, line) else {
        return Ok(());
    };
    let text = &bytes[range];
    if is_container(text) {
        Scanner::new(text, locus, limit)
            .reading_har(super::har::entry)
            .document(sink)?;
    } else {
        sink.record(locus, text);
    }
    Ok(())
}

/// Whether an NDJSON `line` (trimmed) must be read as a document rather than
/// as one record: a bulk body or a HAR file, that is an object whose first key
/// is `events` or `log`. A line holding an array is one record, as NDJSON
/// says (a malformed one): only whole files are read as arrays of events.
pub(super) fn is_container(line: &[u8]) -> bool {
    match line.first() {
        Some(b'{') => {
            let rest = trim_start(&line[1..]);
            [&b"\"events\""[..], &b"\"log\""[..]].iter().any(|key| {
                rest.starts_with(key) && trim_start(&rest[key.len()..]).starts_with(b":")
            })
        }
        _ => false,
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Whether the JSON value at the start of `head` ends before the first line break.
///
/// A value followed on its line by another (`{...}{...}`, what appending
/// single-event responses to a file gives) does not count: such a file is
/// read as a stream of JSON values, a document.
pub(super) fn ends_on_its_line(head: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in head.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                (false, b'\n') => return false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let next = head[i + 1..]
                        .iter()
                        .find(|b| !matches!(b, b' ' | b'\t' | b'\r'));
                    return !matches!(next, Some(b'{' | b'['));
                }
            }
            b'\n' => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_arrays_and_bulk_or_har_objects() {
        assert!(!is_container(b"[1]"));
        assert!(is_container(br#"{ "events" : []}"#));
        assert!(is_container(br#"{"log": {}}"#));
        assert!(!is_container(br#"{"log_type": "incident"}"#));
        assert!(!is_container(br#"{"eventsx": []}"#));
    }

    #[test]
    fn first_line_completeness() {
        assert!(ends_on_its_line(b"{\"a\": \"}\\\"\"}\n{"));
        assert!(!ends_on_its_line(b"{\n\"a\": 1}"));
        assert!(!ends_on_its_line(b"{\"a\": 1"));
        // Values glued together on one line are a stream, not lines.
        assert!(!ends_on_its_line(b"{\"a\": 1}{\"a\": 2}"));
        assert!(!ends_on_its_line(b"{\"a\": 1} \t{\"a\": 2}\n"));
        assert!(ends_on_its_line(b"{\"a\": 1} \r\n{\"a\": 2}"));
    }
}
