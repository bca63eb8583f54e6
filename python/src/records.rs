//! Records handed in from Python: `bytes`, `bytearray`, `memoryview` or `str`.
//!
//! # Design
//! `bytes` and `str` are kept as borrowed views of the Python objects
//! ([`PyBackedBytes`], [`PyBackedStr`]): no copy is made, and the views may
//! cross into threads that run without the GIL. Other buffers are copied once.

use std::ops::Deref;

use pyo3::exceptions::PyTypeError;
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
}

impl Deref for Record {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Record::Bytes(b) => b,
            Record::Str(s) => s.as_bytes(),
            Record::Owned(v) => v,
            Record::Missing => &[],
        }
    }
}

impl Record {
    /// Takes a record from `value`; `None` only where `allow_none`.
    pub fn extract(value: &Bound<'_, PyAny>, allow_none: bool) -> PyResult<Record> {
        if let Ok(b) = value.cast::<PyBytes>() {
            return Ok(Record::Bytes(b.clone().into()));
        }
        if let Ok(s) = value.cast::<PyString>() {
            return Ok(Record::Str(s.clone().try_into()?));
        }
        if let Ok(b) = value.cast::<PyByteArray>() {
            return Ok(Record::Owned(b.to_vec()));
        }
        if value.is_instance_of::<PyMemoryView>() {
            return Ok(Record::Owned(value.extract::<Vec<u8>>()?));
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
