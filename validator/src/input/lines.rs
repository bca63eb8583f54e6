//! NDJSON (JSON Lines): one record per line.
//!
//! LF or CRLF line ends, blank lines skipped, a leading BOM already removed by
//! the caller. A line holding a bulk body (`{"events": ...}` as its first
//! key) is read as a document of its own, so a file of compact bulk
//! responses, one per line, gives one record per event. Any other line is one
//! record, whatever it holds (an array on a line is one malformed record).

use std::io::{self, BufRead};

use super::Sink;
use super::scan::{Scanner, is_container};
use crate::place::Locus;

/// Reads every line of `reader` as a record.
pub(super) fn read(mut reader: impl BufRead, sink: &mut dyn Sink) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line += 1;
        let start = buf
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(buf.len());
        let end = buf
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(start, |i| i + 1);
        if start >= end {
            continue;
        }
        let text = &buf[start..end];
        let locus = Locus {
            line: Some(line),
            column: Some(start as u64 + 1),
            ..Locus::default()
        };
        if is_container(text) {
            Scanner::new(text, locus).document(sink)?;
        } else {
            sink.record(locus, text);
        }
    }
}
