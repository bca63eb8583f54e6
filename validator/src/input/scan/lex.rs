//! The scanner's reading of bytes: the buffer, lines and columns, and the
//! tokens it steps over (strings, scalars, nested values) without parsing
//! them; [`super`] finds the records among them.

use std::io::{self, Read};

use super::{KEY_PREFIX, Scanner};
use crate::place::Locus;

impl<R: Read> Scanner<R> {
    pub(super) fn peek(&mut self) -> io::Result<Option<u8>> {
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

    pub(super) fn bump(&mut self) -> io::Result<Option<u8>> {
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

    pub(super) fn skip_ws(&mut self) -> io::Result<Option<u8>> {
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
    pub(super) fn here(&self) -> Locus {
        let mut locus = self.base;
        if let Some(at) = locus.position_mut() {
            at.column = Some(match self.line {
                1 => at.column.unwrap_or(1) + self.column - 1,
                _ => self.column,
            });
            at.line += self.line - 1;
        }
        locus
    }

    pub(super) fn start_recording(&mut self) {
        self.record.clear();
        self.recording = true;
    }

    /// Consumes one value (recorded when recording): a string, a container, or a scalar token.
    pub(super) fn value(&mut self) -> io::Result<()> {
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

    /// Consumes a string from its opening quote; returns its raw text, quotes
    /// included, cut at [`KEY_PREFIX`] bytes (only keys are compared).
    pub(super) fn string(&mut self) -> io::Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend(self.bump()?); // "
        let mut escaped = false;
        loop {
            if !escaped {
                self.skip_plain(&mut raw);
            }
            let Some(b) = self.bump()? else { break };
            if raw.len() < KEY_PREFIX {
                raw.push(b);
            }
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => break,
                _ => {}
            }
        }
        Ok(raw)
    }

    /// Consumes the bytes of a string up to its next `"` or `\\` that are
    /// already in the buffer, at once (a long string is most of a large
    /// record): lines and columns counted, recorded when recording.
    pub(super) fn skip_plain(&mut self, raw: &mut Vec<u8>) {
        let plain = &self.buf[self.pos..self.len];
        let n = memchr::memchr2(b'"', b'\\', plain).unwrap_or(plain.len());
        if n == 0 {
            return;
        }
        let plain = &plain[..n];
        match memchr::memrchr(b'\n', plain) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', plain).count() as u64;
                self.column = (n - last) as u64;
            }
            None => self.column += n as u64,
        }
        if self.recording {
            self.record.extend(plain);
        }
        let room = KEY_PREFIX.saturating_sub(raw.len()).min(n);
        raw.extend_from_slice(&plain[..room]);
        self.pos += n;
    }

    /// Consumes until `depth` open containers are closed (or the input ends).
    pub(super) fn rest(&mut self, mut depth: usize) -> io::Result<()> {
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
