//! Reading inputs: finding the records in whatever shape they come.
//!
//! The shape of an input is detected from its content, never from its name:
//! gzip by its magic bytes and UTF-16 by its byte order mark (then detected
//! again inside, gunzipped or transcoded to UTF-8), HTTP transcripts by
//! their status line, NDJSON when the first line is a whole JSON value, and
//! otherwise a JSON document (one event, an array of events, a bulk body
//! `{"events": [...]}` or a HAR file). Readers stream: they hold one record
//! (or one HTTP body, or one HAR entry) at a time, never a whole file.
//!
//! Readers hand what they find to a [`Sink`], each with its [`Locus`].
//!
//! # Design
//! A record has a maximum size ([`ReadOptions::max_record_size`]), so that
//! memory is bounded by the limit whatever the input: a longer record (an
//! NDJSON line, a value of a document, an HTTP body, a HAR entry) is counted
//! malformed where it starts and its bytes are skipped, not kept; reading goes
//! on after it (see `bounded.rs`).

mod bounded;
mod chunked;
mod har;
mod http;
mod lines;
mod scan;
mod sources;

#[cfg(test)]
mod limit_tests;

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs_io::DecodeReaderBytesBuilder;
use flate2::read::MultiGzDecoder;

use crate::place::Locus;

pub use sources::{Source, expand};

/// Buffer size of the readers: large enough to see a whole first line of NDJSON.
const BUFFER: usize = 64 * 1024;

/// The default maximum record size: 8 MiB.
///
/// # Design
/// Real events are a few kB, and the largest record a reader holds whole is
/// an HTTP body or a HAR entry of a bulk response: 100 events, under 1 MiB
/// (base64 included). 8 MiB is ten times that, and keeps the memory bound
/// ([`crate::run::memory_bound`]: 20 times the limit, plus the base and the
/// workers) near 250 MiB on two cores; the former 256 MiB let a 1 MB gzip
/// ask for gigabytes.
pub const DEFAULT_MAX_RECORD_SIZE: usize = 8 << 20;

/// How to read inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The longest record kept, in bytes: an NDJSON line (without its LF), a
    /// value of a JSON document, an HTTP body, a HAR entry. A longer one is
    /// reported malformed and skipped: a reader holds at most about this
    /// much, whatever the input.
    pub max_record_size: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_record_size: DEFAULT_MAX_RECORD_SIZE,
        }
    }
}

/// Receives what a reader finds, in input order.
pub trait Sink {
    /// The bytes of one record (to be classified) and where it starts.
    fn record(&mut self, locus: Locus, bytes: &[u8]);
    /// [`Sink::record`] for a record the reader holds in a buffer of its own
    /// (`bytes[range]`), which it gives up: a large record can then be
    /// handed on without being copied (memory holds it once, not twice).
    fn record_owned(&mut self, locus: Locus, bytes: Vec<u8>, range: std::ops::Range<usize>) {
        self.record(locus, &bytes[range]);
    }
    /// Something the reader itself found not to be an event (counted as a malformed record).
    fn malformed(&mut self, locus: Locus, message: String);
    /// An HTTP response without an event (204).
    fn no_event(&mut self, locus: Locus);
    /// An HTTP response with an error status.
    fn error_response(&mut self, locus: Locus, status: u16);
}

/// The shape of an input, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON value per line.
    Lines,
    /// JSON values spanning lines: an event, an array, a bulk body, a HAR file.
    Document,
    /// HTTP response transcripts.
    Http,
}

/// Reads all records of `input` into `sink`, whatever its shape, with the
/// default [`ReadOptions`].
pub fn read(input: impl Read, sink: &mut dyn Sink) -> io::Result<()> {
    read_with(input, sink, &ReadOptions::default())
}

/// Reads all records of `input` into `sink`, whatever its shape.
pub fn read_with(input: impl Read, sink: &mut dyn Sink, options: &ReadOptions) -> io::Result<()> {
    read_nested(Box::new(input), sink, options.max_record_size, 0)
}

fn read_nested(
    input: Box<dyn Read + '_>,
    sink: &mut dyn Sink,
    limit: usize,
    depth: u8,
) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(BUFFER, input);
    let head = reader.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) && depth < 2 {
        let inner = Box::new(MultiGzDecoder::new(reader));
        return read_nested(inner, sink, limit, depth + 1);
    }
    // UTF-16 with its BOM, as Windows tools write text (PowerShell's `>`):
    // transcoded to UTF-8, then read like any input. Invalid UTF-16 becomes U+FFFD.
    if (head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")) && depth < 2 {
        let inner = Box::new(
            DecodeReaderBytesBuilder::new()
                .strip_bom(true)
                .build(reader),
        );
        return read_nested(inner, sink, limit, depth + 1);
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    match detect(reader.fill_buf()?) {
        Shape::Lines => lines::read(reader, sink, limit),
        Shape::Http => http::read(reader, sink, limit),
        Shape::Document => scan::Scanner::new(reader, Locus::at_line(1), limit)
            .reading_har(har::entry)
            .document(sink),
    }
}

/// Detects the shape from the first bytes of an input (after any BOM).
pub fn detect(head: &[u8]) -> Shape {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"HTTP/") {
        return Shape::Http;
    }
    match head.first() {
        Some(b'[') => Shape::Document,
        Some(b'{') if lines::ends_on_its_line(head) => Shape::Lines,
        Some(b'{') => Shape::Document,
        _ => Shape::Lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_detected_from_content() {
        assert_eq!(detect(b"HTTP/1.1 204 No Content\r\n"), Shape::Http);
        assert_eq!(detect(b"{\"a\": 1}\n{\"b\": 2}\n"), Shape::Lines);
        assert_eq!(detect(b"\n\n  {\"a\": 1}"), Shape::Lines);
        assert_eq!(detect(b"{\n \"a\": 1\n}\n"), Shape::Document);
        assert_eq!(detect(b"[{\"a\": 1}]"), Shape::Document);
        assert_eq!(detect(b"not json at all\n"), Shape::Lines);
    }
}
