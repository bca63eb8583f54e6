//! Records handed in from Python: `bytes`, `bytearray`, `memoryview` or `str`.
//!
//! # Design
//! `bytes` and `str` are kept as borrowed views of the Python objects
//! ([`PyBackedBytes`], [`PyBackedStr`]): no copy is made, and the views may
//! cross into threads that run without the GIL. Other buffers are copied once.
//!
//! A record longer than the maximum record size is refused here, before it
//! is copied or viewed as UTF-8 ([`Record::TooLong`]): what a call holds
//! beyond the caller's own objects stays bounded by the limit, as a reader of
//! the command line holds at most one record of that size.

use std::ops::Deref;

use aperture_events_validator::input::ReadOptions;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

/// The bytes of one record, readable without the GIL.
#[derive(Debug)]
pub enum Record {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
    Owned(Vec<u8>),
    /// `None`: a missing value (a null cell of a DataFrame).
    Missing,
    /// A record longer than the maximum record size: the message that says
    /// so; its bytes are not kept.
    TooLong(String),
}

impl Deref for Record {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Record::Bytes(b) => b,
            Record::Str(s) => s.as_bytes(),
            Record::Owned(v) => v,
            Record::Missing | Record::TooLong(_) => &[],
        }
    }
}

/// The most records reserved up front from an iterable's `__len__`: a
/// `__len__` is the caller's code and may lie (`2**40` would be an
/// allocation failure, which aborts the interpreter); past this the vector
/// grows as the records arrive.
const RESERVED: usize = 1 << 16;

/// The records of a Python iterable, taken under the GIL, in order; those
/// longer than `read`'s maximum record size are refused without a copy. The
/// first item that is not a record is the call's error, which names its
/// position (`record 2: ...`; a `TypeError` for a wrong type, else a
/// `ValueError` caused by Python's error).
pub fn collect(
    records: &Bound<'_, PyAny>,
    allow_none: bool,
    read: &ReadOptions,
) -> PyResult<Vec<Record>> {
    take(records, |position, item| {
        Record::extract(item, allow_none, Some(read)).map_err(|e| {
            let py = item.py();
            let message = format!("record {position}: {}", e.value(py));
            let placed = if e.is_instance_of::<PyTypeError>(py) {
                PyTypeError::new_err(message)
            } else {
                PyValueError::new_err(message)
            };
            placed.set_cause(py, Some(e));
            placed
        })
    })
}

/// As [`collect`], but an item that is not a record (not `bytes`, `str` or
/// `None`, or a `str` that is not UTF-8) is that item's error, said as
/// Python says it: the others are still taken. An iterable that raises is
/// the call's error.
pub fn collect_each(
    records: &Bound<'_, PyAny>,
    read: &ReadOptions,
) -> PyResult<Vec<Result<Record, String>>> {
    take(records, |_, item| {
        Ok(Record::extract(item, true, Some(read)).map_err(|e| e.to_string()))
    })
}

/// Each item of `records` through `each`, with its position, in order. One
/// record handed in where an iterable of them is expected (a `str`,
/// `bytes`, `bytearray` or `memoryview`, which Python would iterate by
/// character or byte) is a `TypeError`.
fn take<T>(
    records: &Bound<'_, PyAny>,
    mut each: impl FnMut(usize, &Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if records.is_instance_of::<PyString>()
        || records.is_instance_of::<PyBytes>()
        || records.is_instance_of::<PyByteArray>()
        || records.is_instance_of::<PyMemoryView>()
    {
        return Err(PyTypeError::new_err(format!(
            "an iterable of records, not a single record ({}): a list of one record is [record]",
            records.get_type().name()?
        )));
    }
    let mut out = Vec::with_capacity(records.len().unwrap_or(0).min(RESERVED));
    for (position, item) in records.try_iter()?.enumerate() {
        out.push(each(position, &item?)?);
    }
    Ok(out)
}

impl Record {
    /// Takes a record from `value`; `None` only where `allow_none`; a record
    /// longer than `read`'s maximum record size is [`Record::TooLong`]
    /// (`read` is `None` for a whole input, which readers cut into records).
    pub fn extract(
        value: &Bound<'_, PyAny>,
        allow_none: bool,
        read: Option<&ReadOptions>,
    ) -> PyResult<Record> {
        let too_long = |len: usize| read.and_then(|read| read.refuse(len)).map(Record::TooLong);
        if let Ok(b) = value.cast::<PyBytes>() {
            return Ok(
                too_long(b.as_bytes().len()).unwrap_or_else(|| Record::Bytes(b.clone().into()))
            );
        }
        if let Ok(s) = value.cast::<PyString>() {
            // A character is at least one byte of UTF-8: a string of more
            // characters than the limit is refused before it is encoded.
            if let Some(refused) = too_long(s.len()?) {
                return Ok(refused);
            }
            let s: PyBackedStr = s.clone().try_into()?;
            return Ok(too_long(s.len()).unwrap_or(Record::Str(s)));
        }
        if let Ok(b) = value.cast::<PyByteArray>() {
            return Ok(too_long(b.len()).unwrap_or_else(|| Record::Owned(b.to_vec())));
        }
        if value.is_instance_of::<PyMemoryView>() {
            let bytes: usize = value.getattr("nbytes")?.extract()?;
            if let Some(refused) = too_long(bytes) {
                return Ok(refused);
            }
            // `tobytes` copies a view of any shape and stride, in C order
            // (extracting a `Vec<u8>` refuses one of more dimensions).
            let copy = value.call_method0("tobytes")?.cast_into::<PyBytes>()?;
            return Ok(Record::Bytes(copy.into()));
        }
        if allow_none && value.is_none() {
            return Ok(Record::Missing);
        }
        Err(PyTypeError::new_err(format!(
            "a record must be bytes or str, not {}",
            value.get_type().name()?
        )))
    }
}
