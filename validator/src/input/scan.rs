//! A structural scanner of JSON documents: finds where each record begins
//! and ends without parsing it.
//!
//! A document is a sequence of JSON values. An array gives one record per
//! item; an object whose key `events` holds an array (before any `log_type`)
//! is a bulk body and gives one record per event; an object whose first key
//! is `log` is a HAR file, whose entries are handed to the reader of HAR
//! entries the scanner was given ([`Scanner::reading_har`]); any other value
//! is one record. The scanner only tracks strings and nesting, so a
//! record with a syntax error is still cut out whole and handed on: the
//! parser then reports the error's exact line and column.
//!
//! # Design
//! A syntax error that breaks the structure itself (an array item not
//! followed by `,` or `]`) ends the enclosing value: what follows cannot be
//! cut into records reliably. It is reported as one malformed record.
//!
//! A record longer than the maximum record size stops being kept at the
//! limit ([`Record`]); the scanner still follows its strings and nesting to
//! its end, then reports it malformed where it starts and goes on with the
//! next record. A record that never ends (the input ends inside it) is
//! reported when the input ends. Apart from the record, the scanner keeps
//! only its buffer and the first bytes of a key.
//!
//! The reader of HAR entries is passed in rather than called by name: it
//! reads each entry's response body with this scanner, and the arrows
//! between the modules stay one way (`har` → `http` → `scan`).

use std::io::{self, Read};

use super::Sink;
use super::bounded::{KEEP_CAPACITY, Record, too_long};
use crate::place::Locus;

mod lex;

/// The bytes of a key kept to compare it (quotes included): more than any
/// key the scanner looks for, so a longer key compares unequal to them all.
const KEY_PREFIX: usize = 64;

/// Reads one HAR entry (its raw JSON, given up so that it can be freed
/// before the body is read; its index; where it starts) into the sink, with
/// the maximum record size.
pub(super) type HarEntry = fn(Vec<u8>, u64, Locus, &mut dyn Sink, usize);

/// Scans a JSON document from a reader, tracking lines and columns.
pub(crate) struct Scanner<R> {
    reader: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// The locus of the first byte (its line and column, or no line for HAR bodies; response, entry).
    base: Locus,
    /// Line and column of the next byte, relative to the start (1-based).
    line: u64,
    column: u64,
    recording: bool,
    record: Record,
    /// What reads a HAR file's entries; without one, a HAR file is one record.
    har: Option<HarEntry>,
}

impl<R: Read> Scanner<R> {
    /// A scanner of `reader`, whose first byte is at `base`, cutting out
    /// records of at most `limit` bytes.
    pub(crate) fn new(reader: R, base: Locus, limit: usize) -> Self {
        Scanner {
            reader,
            buf: vec![0; super::BUFFER].into_boxed_slice(),
            pos: 0,
            len: 0,
            base,
            line: 1,
            column: 1,
            recording: false,
            record: Record::new(limit),
            har: None,
        }
    }

    /// Reads HAR files too, handing each entry to `entry`.
    pub(super) fn reading_har(mut self, entry: HarEntry) -> Self {
        self.har = Some(entry);
        self
    }

    fn emit(&mut self, sink: &mut dyn Sink, locus: Locus) {
        self.recording = false;
        match self.record.bytes() {
            // A large record is handed on with its buffer, not copied.
            Some(bytes) if bytes.len() > KEEP_CAPACITY => {
                if let Some(bytes) = self.record.take() {
                    let range = 0..bytes.len();
                    sink.record_owned(locus, bytes, range);
                }
            }
            Some(bytes) => sink.record(locus, bytes),
            None => sink.malformed(locus, too_long(self.record.limit())),
        }
        self.record.clear();
    }

    /// Reads every value of the document.
    pub(crate) fn document(mut self, sink: &mut dyn Sink) -> io::Result<()> {
        loop {
            match self.skip_ws()? {
                None => return Ok(()),
                Some(b'[') => self.array(sink)?,
                Some(b'{') => self.object(sink)?,
                Some(_) => {
                    let at = self.here();
                    self.start_recording();
                    self.value()?;
                    self.emit(sink, at);
                }
            }
        }
    }

    /// An array of records (a top-level array, or a bulk body's `events`).
    fn array(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        self.bump()?; // [
        let mut index = 0u64;
        loop {
            match self.skip_ws()? {
                None => {
                    sink.malformed(self.here(), "the input ends inside an array".to_owned());
                    return Ok(());
                }
                Some(b']') => {
                    if index > 0 {
                        sink.malformed(
                            self.here(),
                            "trailing comma: `]` after `,` in an array".to_owned(),
                        );
                    }
                    self.bump()?;
                    return Ok(());
                }
                Some(_) => {}
            }
            let at = self.here().with_index(index);
            self.start_recording();
            self.value()?;
            self.emit(sink, at);
            index += 1;
            match self.skip_ws()? {
                Some(b',') => {
                    self.bump()?;
                }
                Some(b']') => {
                    self.bump()?;
                    return Ok(());
                }
                None => {
                    sink.malformed(self.here(), "the input ends inside an array".to_owned());
                    return Ok(());
                }
                Some(_) => {
                    sink.malformed(
                        self.here().with_index(index),
                        "expected `,` or `]` after an array item; the rest of the array is skipped"
                            .to_owned(),
                    );
                    return self.rest(1);
                }
            }
        }
    }

    /// A top-level object: one event, a bulk body or a HAR file.
    fn object(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        let at = self.here();
        self.start_recording();
        self.bump()?; // {
        let mut first = true;
        let mut seen_log_type = false;
        loop {
            match self.skip_ws()? {
                Some(b'}') if first => {
                    self.bump()?;
                    self.emit(sink, at);
                    return Ok(());
                }
                Some(b'"') => {}
                _ => return self.finish_broken(sink, at),
            }
            let key = self.string()?;
            if self.skip_ws()? != Some(b':') {
                return self.finish_broken(sink, at);
            }
            self.bump()?;
            let next = self.skip_ws()?;
            if key == b"\"events\"" && !seen_log_type && next == Some(b'[') {
                self.recording = false;
                self.array(sink)?;
                return self.bulk_rest(sink);
            }
            if let Some(entry) = self
                .har
                .filter(|_| first && key == b"\"log\"" && next == Some(b'{'))
            {
                self.recording = false;
                self.har_log(entry, sink)?;
                return self.rest(1);
            }
            seen_log_type |= key == b"\"log_type\"";
            first = false;
            self.value()?;
            match self.skip_ws()? {
                Some(b',') => {
                    self.bump()?;
                }
                Some(b'}') => {
                    self.bump()?;
                    self.emit(sink, at);
                    return Ok(());
                }
                _ => return self.finish_broken(sink, at),
            }
        }
    }

    /// The members of a bulk body after its `events`, to its closing `}`.
    /// A second `events` key is malformed (parsers keep one or the other:
    /// which events the body holds is ambiguous) and its events are not
    /// read; a body that ends before its `}` is malformed where it ends.
    fn bulk_rest(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        loop {
            match self.skip_ws()? {
                Some(b'}') => {
                    self.bump()?;
                    return Ok(());
                }
                Some(b',') => {
                    self.bump()?;
                }
                Some(b'"') => {
                    let at = self.here();
                    let key = self.string()?;
                    if key == b"\"events\"" {
                        sink.malformed(
                            at,
                            "the bulk body repeats the key `events`: which events it holds is \
                             ambiguous; the second list is not read"
                                .to_owned(),
                        );
                        return self.rest(1);
                    }
                    if self.skip_ws()? == Some(b':') {
                        self.bump()?;
                        self.skip_ws()?;
                    }
                    self.value()?;
                }
                None => {
                    sink.malformed(
                        self.here(),
                        "the input ends inside the bulk body: `}` expected after its events"
                            .to_owned(),
                    );
                    return Ok(());
                }
                Some(_) => {
                    sink.malformed(
                        self.here(),
                        "expected `,` or `}` after the bulk body's events; the rest of it is skipped"
                            .to_owned(),
                    );
                    return self.rest(1);
                }
            }
        }
    }

    /// Cuts out the rest of a broken object as one record; the parser will say what is wrong.
    fn finish_broken(&mut self, sink: &mut dyn Sink, at: Locus) -> io::Result<()> {
        self.rest(1)?;
        self.emit(sink, at);
        Ok(())
    }

    /// A HAR file's `log` object: every entry of `log.entries`.
    fn har_log(&mut self, read_entry: HarEntry, sink: &mut dyn Sink) -> io::Result<()> {
        self.bump()?; // {
        loop {
            if self.skip_ws()? != Some(b'"') {
                return self.rest(1);
            }
            let key = self.string()?;
            if self.skip_ws()? != Some(b':') {
                return self.rest(1);
            }
            self.bump()?;
            let next = self.skip_ws()?;
            if key == b"\"entries\"" && next == Some(b'[') {
                self.bump()?; // [
                let mut entry = 0u64;
                loop {
                    match self.skip_ws()? {
                        Some(b']') | None => {
                            self.bump()?;
                            break;
                        }
                        Some(b',') => {
                            self.bump()?;
                            continue;
                        }
                        Some(_) => {}
                    }
                    let at = self.here();
                    self.start_recording();
                    self.value()?;
                    self.recording = false;
                    let limit = self.record.limit();
                    match self.record.take() {
                        Some(raw) => read_entry(raw, entry, at, sink, limit),
                        None => {
                            sink.malformed(at.har_entry(entry), too_long(limit));
                        }
                    }
                    self.record.clear();
                    entry += 1;
                }
            } else {
                self.value()?;
            }
            match self.skip_ws()? {
                Some(b',') => {
                    self.bump()?;
                }
                _ => return self.rest(1),
            }
        }
    }
}
