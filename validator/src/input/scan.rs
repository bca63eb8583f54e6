//! A structural scanner of JSON documents: finds where each record begins
//! and ends without parsing it.
//!
//! A document is a sequence of JSON values. An array gives one record per
//! item; an object whose key `events` holds an array (before any `log_type`)
//! is a bulk body and gives one record per event; an object whose first key
//! is `log` is a HAR file, whose entries are read by [`super::har`]; any other
//! value is one record. The scanner only tracks strings and nesting, so a
//! record with a syntax error is still cut out whole and handed on: the
//! parser then reports the error's exact line and column.
//!
//! # Design
//! A syntax error that breaks the structure itself (an array item not
//! followed by `,` or `]`) ends the enclosing value: what follows cannot be
//! cut into records reliably. It is reported as one malformed record.

use std::io::{self, Read};

use super::Sink;
use crate::place::Locus;

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
pub(super) fn ends_on_its_line(head: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in head {
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
                    return true;
                }
            }
            b'\n' => return false,
            _ => {}
        }
    }
    false
}

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
    record: Vec<u8>,
}

impl<R: Read> Scanner<R> {
    /// A scanner of `reader`, whose first byte is at `base`.
    pub(crate) fn new(reader: R, base: Locus) -> Self {
        Scanner {
            reader,
            buf: vec![0; super::BUFFER].into_boxed_slice(),
            pos: 0,
            len: 0,
            base,
            line: 1,
            column: 1,
            recording: false,
            record: Vec::new(),
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.len {
            self.len = loop {
                match self.reader.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            self.pos = 0;
            if self.len == 0 {
                return Ok(None);
            }
        }
        Ok(Some(self.buf[self.pos]))
    }

    fn bump(&mut self) -> io::Result<Option<u8>> {
        let Some(b) = self.peek()? else {
            return Ok(None);
        };
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        if self.recording {
            self.record.push(b);
        }
        Ok(Some(b))
    }

    fn skip_ws(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.peek()? {
                Some(b) if b.is_ascii_whitespace() => {
                    self.bump()?;
                }
                other => return Ok(other),
            }
        }
    }

    /// The locus of the next byte.
    fn here(&self) -> Locus {
        let mut locus = self.base;
        if let Some(first) = self.base.line {
            locus.line = Some(first + self.line - 1);
            locus.column = Some(match self.line {
                1 => self.base.column.unwrap_or(1) + self.column - 1,
                _ => self.column,
            });
        }
        locus
    }

    fn start_recording(&mut self) {
        self.record.clear();
        self.recording = true;
    }

    fn emit(&mut self, sink: &mut dyn Sink, locus: Locus) {
        self.recording = false;
        sink.record(locus, &self.record);
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
            let mut at = self.here();
            at.index = Some(index);
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
                    let mut here = self.here();
                    here.index = Some(index);
                    sink.malformed(
                        here,
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
                return self.rest(1);
            }
            if key == b"\"log\"" && first && next == Some(b'{') {
                self.recording = false;
                self.har_log(sink)?;
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

    /// Cuts out the rest of a broken object as one record; the parser will say what is wrong.
    fn finish_broken(&mut self, sink: &mut dyn Sink, at: Locus) -> io::Result<()> {
        self.rest(1)?;
        self.emit(sink, at);
        Ok(())
    }

    /// A HAR file's `log` object: every entry of `log.entries`.
    fn har_log(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
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
                    let raw = std::mem::take(&mut self.record);
                    super::har::entry(&raw, entry, at, sink);
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

    /// Consumes one value (recorded when recording): a string, a container, or a scalar token.
    fn value(&mut self) -> io::Result<()> {
        match self.peek()? {
            Some(b'"') => {
                self.string()?;
            }
            Some(b'{' | b'[') => {
                self.bump()?;
                self.rest(1)?;
            }
            Some(_) => {
                let mut any = false;
                while let Some(b) = self.peek()? {
                    if b.is_ascii_whitespace()
                        || matches!(b, b',' | b']' | b'}' | b'[' | b'{' | b'"')
                    {
                        break;
                    }
                    self.bump()?;
                    any = true;
                }
                if !any {
                    self.bump()?;
                }
            }
            None => {}
        }
        Ok(())
    }

    /// Consumes a string from its opening quote; returns its raw text, quotes included.
    fn string(&mut self) -> io::Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend(self.bump()?); // "
        let mut escaped = false;
        while let Some(b) = self.bump()? {
            raw.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => break,
                _ => {}
            }
        }
        Ok(raw)
    }

    /// Consumes until `depth` open containers are closed (or the input ends).
    fn rest(&mut self, mut depth: usize) -> io::Result<()> {
        while depth > 0 {
            match self.peek()? {
                None => return Ok(()),
                Some(b'"') => {
                    self.string()?;
                }
                Some(b) => {
                    self.bump()?;
                    match b {
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }
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
    }
}
