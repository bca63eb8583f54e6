//! Reading an input held in memory, as the command line reads a file.
//!
//! The library's readers find the records of an input of any shape;
//! [`Tally::read`] observes each of them at once, in input order, on the
//! calling thread.

use std::io::Cursor;

use aperture_events_validator::input::ReadOptions;
use aperture_events_validator::{Tally, Validator};

/// Reads `data` (any shape the command line reads) named `source` into `tally`.
pub fn read_into(
    validator: &Validator,
    tally: &mut Tally,
    source: &str,
    data: &[u8],
    read: &ReadOptions,
) {
    tally.read(validator, source, Cursor::new(data), read);
}
