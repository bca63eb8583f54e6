//! Reading inputs: finding the records in whatever shape they come.
//!
//! The shape of an input is detected from its content, never from its name:
//! gzip by its magic bytes and UTF-16 by its byte order mark (then detected
//! again inside, gunzipped or transcoded to UTF-8: UTF-16 inside gzip
//! inside gzip is read too), HTTP transcripts by
//! their status line, NDJSON when the first line is a whole JSON value, and
//! otherwise a JSON document (one event, an array of events, a bulk body
//! `{"events": [...]}` or a HAR file). Readers stream: they hold one record
//! (or one HTTP body, or one HAR entry) at a time, never a whole file.
//!
//! Readers hand what they find to a [`Sink`], each with its [`Locus`]; a
//! [`Place`](crate::Place) (the source's name and the locus) prints as every
//! output of the validator prints it. Reading the records of some paths,
//! for a tool of its own (the validator's own sink is
//! [`Tally::sink`](crate::Tally::sink)):
//!
//! ```
//! use aperture_events_validator::input::{self, ReadOptions, Sink};
//! use aperture_events_validator::{Locus, Place};
//!
//! /// Each record with its place; the malformed ones as the validator prints them.
//! struct Records {
//!     source: String,
//!     records: Vec<(Place, Vec<u8>)>,
//!     malformed: Vec<String>,
//! }
//!
//! impl Sink for Records {
//!     fn record(&mut self, locus: Locus, bytes: &[u8]) {
//!         let place = Place::new(self.source.as_str(), locus);
//!         self.records.push((place, bytes.to_vec()));
//!     }
//!     fn malformed(&mut self, locus: Locus, message: String) {
//!         let place = Place::new(self.source.as_str(), locus);
//!         self.malformed.push(format!("{place}: {message}"));
//!     }
//!     fn no_event(&mut self, _: Locus) {}
//!     fn error_response(&mut self, _: Locus, _: u16) {}
//! }
//!
//! let dir = std::env::temp_dir().join(format!("input-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("a.ndjson"), "{\"log_type\": \"incident\"}\n[1,\n")?;
//! let (sources, unlistable) = input::expand(&[dir.clone()]);
//! assert!(unlistable.is_empty());
//! for source in &sources {
//!     let mut sink = Records { source: source.name(), records: Vec::new(), malformed: Vec::new() };
//!     input::read_with(source.open()?, &mut sink, &ReadOptions::default())?;
//!     // `…/a.ndjson:1`: the file and the line.
//!     assert!(sink.records[0].0.to_string().starts_with(&format!("{}:1", source.name())));
//!     assert_eq!(sink.records.len() + sink.malformed.len(), 2);
//! }
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Design
//! A record has a maximum size ([`ReadOptions::max_record_size`]), so that
//! memory is bounded by the limit whatever the input: a longer record (an
//! NDJSON line, a value of a document, an HTTP body, a HAR entry) is counted
//! malformed where it starts and its bytes are skipped, not kept; reading goes
//! on after it (see `bounded.rs`).
//!
//! What an input decompresses to is bounded too: every layer of gzip may give
//! at most [`ReadOptions::max_decompression_ratio`] times the bytes read of
//! the input (see `inflate.rs`), and at most [`MAX_GZIP_LAYERS`] layers are
//! read. So the time spent on an input is in proportion to its size.

mod bounded;
mod chunked;
#[cfg(feature = "flags")]
mod flags;
mod har;
mod http;
mod inflate;
mod lines;
mod scan;
mod sources;

#[cfg(test)]
mod limit_tests;

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use encoding_rs_io::DecodeReaderBytesBuilder;
use flate2::read::MultiGzDecoder;

use crate::limits::{OutOfRange, within};
use crate::place::Locus;

pub use bounded::too_long;
#[cfg(feature = "flags")]
pub use flags::{FlagError, ReadFlags};
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

/// The largest maximum record size that may be asked for: 1 GiB.
///
/// # Design
/// Memory grows with the limit (20 times it, [`crate::run::memory_bound`]):
/// at 1 GiB the bound is already past 20 GiB, more than a record of events
/// could need; a larger limit would only be a way to ask for memory the
/// machine does not have.
pub const LARGEST_MAX_RECORD_SIZE: usize = 1 << 30;

/// The default decompression ratio: an input may decompress to at most 1,100
/// times the bytes read of it.
///
/// # Design
/// DEFLATE cannot expand a byte into more than 1,032 (a match of 258 bytes
/// coded in 2 bits), so no single layer of gzip reaches this ratio, whatever
/// it holds, and neither does gzip of gzip of real data (the outer layer
/// cannot shrink what the inner one compressed). Only a compression bomb
/// does: `gzip(gzip(4 GiB of "\n"))` is 6.8 KB, 600,000 times smaller than
/// what it gives, and reading all of it took 77 s. With the ratio, the time
/// and the bytes read out of an input stay proportional to its size.
pub const DEFAULT_MAX_DECOMPRESSION_RATIO: u64 = 1100;

/// The largest decompression ratio that may be asked for: a million (a 1 MB
/// input may then give 1 TB, hours of reading).
pub const LARGEST_MAX_DECOMPRESSION_RATIO: u64 = 1_000_000;

/// How to read inputs: the limits that bound what a reader holds and reads,
/// each checked against its range when set.
///
/// ```
/// use aperture_events_validator::input::ReadOptions;
/// let options = ReadOptions::default().with_max_record_size(64 << 20).unwrap();
/// assert_eq!(options.max_record_size(), 64 << 20);
/// assert!(ReadOptions::default().with_max_record_size(usize::MAX).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    max_record_size: usize,
    max_decompression_ratio: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_record_size: DEFAULT_MAX_RECORD_SIZE,
            max_decompression_ratio: DEFAULT_MAX_DECOMPRESSION_RATIO,
        }
    }
}

impl ReadOptions {
    /// The longest record kept, in bytes: an NDJSON line (without its LF), a
    /// value of a JSON document, an HTTP body, a HAR entry. A longer one is
    /// reported malformed ([`too_long`]) and skipped: a reader holds at most
    /// about this much, whatever the input.
    pub fn max_record_size(&self) -> usize {
        self.max_record_size
    }

    /// Sets [`ReadOptions::max_record_size`]: 1 byte to
    /// [`LARGEST_MAX_RECORD_SIZE`].
    pub fn with_max_record_size(mut self, bytes: usize) -> Result<Self, OutOfRange> {
        within(bytes as u64, 1, LARGEST_MAX_RECORD_SIZE as u64, "bytes")?;
        self.max_record_size = bytes;
        Ok(self)
    }

    /// How many times its own size an input may decompress to (gzip, all
    /// layers): past it, reading the input stops with an error
    /// (`decompressed more than … bytes from … bytes`).
    pub fn max_decompression_ratio(&self) -> u64 {
        self.max_decompression_ratio
    }

    /// Sets [`ReadOptions::max_decompression_ratio`]: 1 to
    /// [`LARGEST_MAX_DECOMPRESSION_RATIO`].
    pub fn with_max_decompression_ratio(mut self, ratio: u64) -> Result<Self, OutOfRange> {
        within(ratio, 1, LARGEST_MAX_DECOMPRESSION_RATIO, "times")?;
        self.max_decompression_ratio = ratio;
        Ok(self)
    }

    /// The message of a record of `len` bytes when it is longer than the
    /// maximum record size: what a reader reports for such a record, for
    /// callers handed records one by one (Python's `validate`).
    pub fn refuse(&self, len: usize) -> Option<String> {
        (len > self.max_record_size).then(|| too_long(self.max_record_size))
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

/// The shape of an input, as detected ([`detect`]): the layers it is
/// wrapped in, then the shape of its text.
///
/// Inside a text shape, the scanner finds what a value is: an event, an
/// array, a bulk body `{"events": [...]}` (also as one NDJSON line, or an
/// HTTP body) or a HAR file (whose bodies are themselves any shape of JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// gzip (its magic bytes): read gunzipped, then detected again.
    Gzip,
    /// UTF-16 text (its byte order mark): transcoded to UTF-8, then detected again.
    Utf16,
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
    let (input, compressed) = inflate::Compressed::new(input);
    let layers = Layers {
        gzip: 0,
        transcoded: false,
        compressed,
        ratio: options.max_decompression_ratio,
    };
    read_nested(Box::new(input), sink, options.max_record_size, layers)
}

/// The most layers of gzip read inside each other: gzip of gzip is what a
/// tool that compresses what it is given makes of a file already gzipped.
pub const MAX_GZIP_LAYERS: u8 = 2;

/// What an input has been unwrapped of so far.
struct Layers {
    /// Layers of gzip taken off.
    gzip: u8,
    /// Whether UTF-16 was transcoded (once is all there can be: UTF-8 text
    /// starts with neither a UTF-16 byte order mark nor gzip's magic bytes).
    transcoded: bool,
    /// The bytes read of the input itself, to which decompression is held.
    compressed: Rc<Cell<u64>>,
    ratio: u64,
}

fn read_nested(
    input: Box<dyn Read + '_>,
    sink: &mut dyn Sink,
    limit: usize,
    mut layers: Layers,
) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(BUFFER, input);
    let head = reader.fill_buf()?;
    let shape = match detect(head) {
        // UTF-8 starts with no UTF-16 byte order mark: transcoded text that
        // does is read as it is.
        Shape::Utf16 if layers.transcoded => detect_text(head),
        shape => shape,
    };
    if shape != Shape::Gzip && head.starts_with(UTF8_BOM) {
        reader.consume(UTF8_BOM.len());
    }
    match shape {
        Shape::Gzip => {
            if layers.gzip == MAX_GZIP_LAYERS {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!(
                        "gzip nested more than {MAX_GZIP_LAYERS} deep: at most {MAX_GZIP_LAYERS} \
                         layers of gzip are read"
                    ),
                ));
            }
            layers.gzip += 1;
            let inflated = inflate::Inflated::new(
                MultiGzDecoder::new(reader),
                layers.compressed.clone(),
                layers.ratio,
            );
            read_nested(Box::new(inflated), sink, limit, layers)
        }
        // As Windows tools write text (PowerShell's `>`): transcoded to
        // UTF-8, then read like any input, gzipped or not. Invalid UTF-16
        // becomes U+FFFD.
        Shape::Utf16 => {
            layers.transcoded = true;
            let inner = Box::new(
                DecodeReaderBytesBuilder::new()
                    .strip_bom(true)
                    .build(reader),
            );
            read_nested(inner, sink, limit, layers)
        }
        Shape::Lines => lines::read(reader, sink, limit),
        Shape::Http => http::read(reader, sink, limit),
        Shape::Document => scan::Scanner::new(reader, Locus::at_line(1), limit)
            .reading_har(har::entry)
            .document(sink),
    }
}

/// UTF-8's byte order mark, which some tools write first: skipped.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Detects the shape from the first bytes of an input: every shape is
/// decided here.
pub fn detect(head: &[u8]) -> Shape {
    if head.starts_with(&[0x1f, 0x8b]) {
        Shape::Gzip
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        Shape::Utf16
    } else {
        detect_text(head.strip_prefix(UTF8_BOM).unwrap_or(head))
    }
}

/// The shape of UTF-8 text (after any byte order mark).
fn detect_text(head: &[u8]) -> Shape {
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
        assert_eq!(detect(b"\xEF\xBB\xBF{\"a\": 1}\n"), Shape::Lines);
        assert_eq!(detect(b"\xEF\xBB\xBFHTTP/1.1 200 OK\r\n"), Shape::Http);
        assert_eq!(detect(&[0x1f, 0x8b, 8, 0]), Shape::Gzip);
        assert_eq!(detect(b"\xFF\xFE{\0"), Shape::Utf16);
        assert_eq!(detect(b"\xFE\xFF\0{"), Shape::Utf16);
    }
}
