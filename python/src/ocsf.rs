//! `OcsfConverter`: OCSF 1.8.0 export through `aperture-events-ocsf`'s
//! [`Converter`], the very converter `aperture-ocsf` runs (one mapping).
//!
//! # Design
//! The options are checked once, when the converter is made: an unknown
//! `unknown`, a severity table that does not parse, or a `max_record_size`
//! out of range is a `ValueError` naming the argument. A record is then
//! never an exception: each gives a `(kind, text)` pair, `("event", OCSF
//! JSON)`, `("skipped", log_type)`, `("error", message)` or, for `None` in
//! [`OcsfConverter::convert_many`], `("missing", "")`; the Python layer
//! (`aperture_events/_ocsf.py`) decides what to raise. The JSON text is the
//! line `aperture-ocsf` writes for the same record. Records are taken as
//! views of the Python objects, and converted without the GIL (many of them
//! on every core).

use aperture_events_ocsf::{Converter, Options, SeverityTable, Unknown, Written};
use aperture_events_validator::input::{
    DEFAULT_MAX_RECORD_SIZE, LARGEST_MAX_RECORD_SIZE, ReadOptions,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::guard;
use crate::records::{self, Record};

/// Converts Log Events API records to OCSF 1.8.0 events.
#[pyclass(module = "aperture_events", frozen)]
#[derive(Debug)]
pub struct OcsfConverter {
    inner: Converter,
    read: ReadOptions,
}

/// What became of one record: its kind and its text.
type Outcome = (&'static str, String);

fn outcome(converter: &Converter, record: &Record) -> Outcome {
    match record {
        Record::TooLong(message) => ("error", message.clone()),
        Record::Missing => ("missing", String::new()),
        record => {
            // The converter's fast path: the event's JSON text, no `Value`.
            let mut line = Vec::new();
            match converter.convert_json_to(record, &mut line) {
                Ok(Written::Event { .. }) => ("event", String::from_utf8_lossy(&line).into_owned()),
                Ok(Written::Skipped { log_type }) => ("skipped", log_type),
                Err(e) => ("error", e.to_string()),
            }
        }
    }
}

#[pymethods]
impl OcsfConverter {
    /// A converter: `raw_data` keeps the record's text in `raw_data`;
    /// `unknown` is `"base_event"` or `"skip"`; `severity_table` is
    /// `LEVEL=ID,...` as `aperture-ocsf --severity-table` reads it; a record
    /// longer than `max_record_size` bytes is not converted (an error).
    #[new]
    #[pyo3(signature = (
        *,
        raw_data = true,
        unknown = "base_event",
        severity_table = None,
        max_record_size = None,
    ))]
    fn new(
        raw_data: bool,
        unknown: &str,
        severity_table: Option<&str>,
        max_record_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(|| {
            // Any int: one past `usize` is out of range like any other (a
            // `ValueError`, not pyo3's `OverflowError`).
            let max_record_size = match max_record_size {
                None => DEFAULT_MAX_RECORD_SIZE,
                Some(n) => n.extract::<usize>().map_err(|_| {
                    PyValueError::new_err(format!(
                        "max_record_size: {} is out of range: give 1 to {LARGEST_MAX_RECORD_SIZE} bytes",
                        n.str().map_or_else(|_| "?".into(), |s| s.to_string_lossy().chars().take(64).collect::<String>())
                    ))
                })?,
            };
            let unknown = match unknown {
                "base_event" => Unknown::BaseEvent,
                "skip" => Unknown::Skip,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "unknown: {:?} is neither \"base_event\" nor \"skip\"",
                        other.chars().take(64).collect::<String>()
                    )));
                }
            };
            let severity = match severity_table {
                None => SeverityTable::default(),
                Some(text) => text
                    .parse()
                    .map_err(|e| PyValueError::new_err(format!("severity_table: {e}")))?,
            };
            let read = ReadOptions::default()
                .with_max_record_size(max_record_size)
                .map_err(|e| PyValueError::new_err(format!("max_record_size: {e}")))?;
            Ok(OcsfConverter {
                inner: Converter::new(Options {
                    raw_data,
                    unknown,
                    severity,
                }),
                read,
            })
        })
    }

    /// Whether `raw_data` holds the record.
    #[getter]
    fn raw_data(&self) -> bool {
        self.inner.options().raw_data
    }

    /// `"base_event"` or `"skip"`.
    #[getter]
    fn unknown(&self) -> &'static str {
        match self.inner.options().unknown {
            Unknown::BaseEvent => "base_event",
            Unknown::Skip => "skip",
        }
    }

    /// The whole severity table, `0=ID,...,5=ID`.
    #[getter]
    fn severity_table(&self) -> String {
        self.inner.options().severity.to_string()
    }

    /// The longest record converted, in bytes.
    #[getter]
    fn max_record_size(&self) -> usize {
        self.read.max_record_size()
    }

    /// One record (the JSON text of one event, `bytes` or `str`):
    /// `("event", OCSF JSON)`, `("skipped", log_type)` or `("error", message)`.
    fn convert(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Outcome> {
        guard(|| {
            let record = Record::extract(record, false, Some(&self.read))?;
            Ok(py.detach(|| outcome(&self.inner, &record)))
        })
    }

    /// Many records (an iterable of `bytes`, `str` or `None`), in order, on
    /// every core without the GIL; `None` gives `("missing", "")`. An item
    /// that is not a record (an `int`, a `str` with a lone surrogate) is
    /// `("error", why)` in its place, and the others are converted.
    fn convert_many(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<Outcome>> {
        guard(|| {
            let taken = records::collect_each(records, &self.read)?;
            let converter = &self.inner;
            Ok(py.detach(|| {
                taken
                    .par_iter()
                    .with_min_len(64)
                    .map(|record| match record {
                        Ok(record) => outcome(converter, record),
                        Err(message) => ("error", message.clone()),
                    })
                    .collect()
            }))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "OcsfConverter(raw_data={}, unknown={:?}, severity_table={:?}, max_record_size={})",
            if self.raw_data() { "True" } else { "False" },
            self.unknown(),
            self.severity_table(),
            self.max_record_size()
        )
    }
}
