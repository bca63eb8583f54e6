//! The decompression ratio: what a gzipped input may give, measured against
//! what was read of it.
//!
//! A few kilobytes of gzip inside gzip decompress to gigabytes
//! (`gzip(gzip(4 GiB of "\n"))` is 6.8 KB): memory stays bounded, since the
//! readers stream, but reading them takes minutes. So the bytes read out of
//! every gzip layer are counted against the bytes read of the input itself
//! ([`Compressed`]); once a layer has given more than the ratio times them
//! ([`Inflated`]), reading the input stops with an error naming both figures
//! ([`TooInflated`]), and the run goes on with the next input.
//!
//! # Design
//! The input's bytes are counted where they are read, ahead of what the
//! decompressor has used: the allowance is never smaller than the ratio
//! times what was decompressed, so no input within the ratio is refused
//! early. One budget covers every layer, each checked against the input.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// Counts the bytes read of an input (its compressed size, so far).
pub(super) struct Compressed<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Compressed<R> {
    /// `inner`, counted, and the counter.
    pub(super) fn new(inner: R) -> (Self, Rc<Cell<u64>>) {
        let read = Rc::new(Cell::new(0));
        (
            Compressed {
                inner,
                read: read.clone(),
            },
            read,
        )
    }
}

impl<R: Read> Read for Compressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// The output of a decompressor, refused past `ratio` times the input read.
pub(super) struct Inflated<R> {
    inner: R,
    given: u64,
    compressed: Rc<Cell<u64>>,
    ratio: u64,
}

impl<R: Read> Inflated<R> {
    pub(super) fn new(inner: R, compressed: Rc<Cell<u64>>, ratio: u64) -> Self {
        Inflated {
            inner,
            given: 0,
            compressed,
            ratio,
        }
    }
}

impl<R: Read> Read for Inflated<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.given = self.given.saturating_add(n as u64);
        let compressed = self.compressed.get();
        let allowed = compressed.saturating_mul(self.ratio);
        if self.given > allowed {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                TooInflated {
                    allowed,
                    compressed,
                    ratio: self.ratio,
                },
            ));
        }
        Ok(n)
    }
}

/// An input that decompressed to more than the ratio allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "decompressed more than {allowed} bytes from {compressed} bytes, over {ratio} times its size \
     (a compression bomb?): the rest is not read (--max-decompression-ratio raises the limit)"
)]
pub(crate) struct TooInflated {
    /// The most the input could give, in bytes (`ratio × compressed`).
    pub allowed: u64,
    /// The bytes read of the input.
    pub compressed: u64,
    /// The ratio.
    pub ratio: u64,
}
