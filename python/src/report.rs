//! The report of a run, as a Python object.
//!
//! Wraps the library's finished [`lib::Report`]: the summary, the listed
//! errors and the drift tables are read as plain Python values (dicts and
//! lists with the keys of `aperture-validate --format json`), `to_json()`
//! is that document byte for byte, and `to_text()` the text report.

use aperture_events_validator::{self as lib, render};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The report of a run: counts, listed errors, drift.
#[pyclass(module = "aperture_events")]
#[derive(Debug)]
pub struct Report {
    pub(crate) inner: lib::Report,
}

impl Report {
    pub fn new(inner: lib::Report) -> Self {
        Report { inner }
    }
}

/// `value` as a Python value, through JSON (dicts, lists, str, int, float).
fn to_python<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

#[pymethods]
impl Report {
    /// The counts: `total`, `valid`, `invalid`, `malformed`, `unknown_type`,
    /// `by_log_type`, `no_event_responses`, ... (the JSON report's `summary`).
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.summary)
    }

    /// The drift tables: `undocumented_fields`, `unknown_values`,
    /// `quirk_forms`, `unknown_types`, `fields` (null and absent rates), `dropped`.
    #[getter]
    fn drift<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.drift)
    }

    /// The first records not accepted, in input order, with their places and problems.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.errors)
    }

    /// Records not accepted beyond those listed in `errors`.
    #[getter]
    fn errors_omitted(&self) -> u64 {
        self.inner.errors_omitted
    }

    /// HTTP responses with an error status, and other notes.
    #[getter]
    fn notes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.notes)
    }

    /// Inputs that could not be read.
    #[getter]
    fn inputs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.inputs)
    }

    /// Records read.
    #[getter]
    fn total(&self) -> u64 {
        self.inner.summary.total
    }

    /// `tolerant` or `strict`.
    #[getter]
    fn reading(&self) -> &'static str {
        self.inner.summary.reading
    }

    /// Whether any record departs from the contract (new fields, new values, quirk forms, unknown types).
    #[getter]
    fn has_drift(&self) -> bool {
        self.inner.drift.has_drift()
    }

    /// Whether every record is accepted (unknown types only in the tolerant reading).
    fn all_accepted(&self) -> bool {
        self.inner.all_accepted()
    }

    /// The exit code `aperture-validate` would give: 0, 1 or 2.
    #[pyo3(signature = (fail_on_drift = false))]
    fn exit_code(&self, fail_on_drift: bool) -> u8 {
        self.inner.exit_code(fail_on_drift)
    }

    /// The report as `aperture-validate --format json` prints it (pretty JSON and a newline).
    fn to_json(&self) -> PyResult<String> {
        let mut out = Vec::new();
        render::json(&self.inner, &mut out).map_err(|e| PyValueError::new_err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The report as `aperture-validate` prints it for people (without colours).
    #[pyo3(signature = (all_rates = false))]
    fn to_text(&self, all_rates: bool) -> PyResult<String> {
        let mut out = Vec::new();
        let options = render::TextOptions {
            color: false,
            all_rates,
        };
        render::text(&self.inner, &mut out, &options)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "Report({} records: {} valid, {} invalid, {} malformed, {} unknown_type)",
            s.total, s.valid, s.invalid, s.malformed, s.unknown_type
        )
    }

    /// Pickling (Spark ships reports between processes): through the JSON document.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_json = py.get_type::<Report>().getattr("from_json")?;
        let text = slf.borrow().to_json()?;
        PyTuple::new(py, [from_json, text.into_pyobject(py)?.into_any()])
    }
}
