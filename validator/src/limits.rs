//! Every bound of the validator, in one place: the numbers a caller
//! chooses (worker threads, the maximum record size, the decompression
//! ratio), checked, and the caps that keep a report's memory bounded
//! whatever the input (re-exported here from the code they protect; the
//! bounds of the readers are in [`crate::input`], those of the drift
//! tables in [`crate::drift`]).
//!
//! Each number reaches the library through a checked type
//! ([`crate::run::Jobs`], [`crate::input::ReadOptions`]) whose constructor
//! refuses a value out of its range with an [`OutOfRange`]. Both front ends
//! (the `aperture-validate` flags, the Python keyword arguments) build those
//! types, so a bound lives once, next to what it protects, and an absurd value
//! (`-j 18446744073709551615`) is a clear error before anything is allocated.

use std::fmt;

pub use crate::classify::MAX_PROBLEMS;
pub use crate::place::MAX_SOURCE;
pub use crate::problem::{MAX_KEYWORD, MAX_MESSAGE, MAX_POINTER};
pub use crate::report::{
    DEFAULT_MAX_ERRORS, MAX_ERROR_BYTES, MAX_INPUTS, MAX_LISTED, MAX_LOG_TYPES, MAX_NOTES,
};
pub use crate::run::{
    MAX_JOBS_PER_CORE, MEMORY_BASE, MEMORY_PER_RECORD_BYTE, MEMORY_PER_WORKER, memory_bound,
};

/// A number outside the range its parameter allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct OutOfRange {
    /// The value given.
    pub value: u64,
    /// The smallest value allowed.
    pub min: u64,
    /// The largest value allowed.
    pub max: u64,
    /// What the number counts (`worker threads`, `bytes`).
    pub unit: &'static str,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OutOfRange {
            value,
            min,
            max,
            unit,
        } = self;
        write!(f, "{value} is out of range: give {min} to {max} {unit}")
    }
}

/// `value` when it lies in `min..=max`.
pub(crate) fn within(
    value: u64,
    min: u64,
    max: u64,
    unit: &'static str,
) -> Result<u64, OutOfRange> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(OutOfRange {
            value,
            min,
            max,
            unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_out_of_range_says_the_range() {
        assert_eq!(within(5, 1, 10, "bytes"), Ok(5));
        assert_eq!(within(1, 1, 10, "bytes"), Ok(1));
        assert_eq!(within(10, 1, 10, "bytes"), Ok(10));
        let error = within(u64::MAX, 1, 10, "bytes").unwrap_err();
        assert_eq!(
            error.to_string(),
            "18446744073709551615 is out of range: give 1 to 10 bytes"
        );
        assert!(within(0, 1, 10, "bytes").is_err());
    }
}
