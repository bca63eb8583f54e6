//! The report of a run, as a Python object.
//!
//! Wraps the library's finished [`lib::Report`]: the summary, the listed
//! errors and the drift tables are read as plain Python values (dicts and
//! lists with the keys of `aperture-validate --format json`), `to_json()`
//! is that document byte for byte, and `to_text()` the text report.
//! Reports merge ([`merge::merge`]: counts add, drift tables combine, first
//! places kept) and read back from their JSON, so that partial reports made
//! by many workers (Spark tasks, processes, machines) combine into one.

use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
use aperture_events_validator::{self as lib, merge, render};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::guard;

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
    let text =
        guard(|| serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string())))?;
    py.import("json")?.call_method1("loads", (text,))
}

fn merged(
    py: Python<'_>,
    parts: impl Iterator<Item = lib::Report> + Send,
    max_errors: u64,
) -> PyResult<Report> {
    let max_errors = merge::max_errors(max_errors)
        .map_err(|e| PyValueError::new_err(format!("max_errors: {e}")))?;
    py.detach(|| {
        guard(|| {
            merge::merge(parts, max_errors)
                .map(Report::new)
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
    })
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
        guard(|| {
            let mut out = Vec::new();
            render::json(&self.inner, &mut out)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    /// The report as `aperture-validate` prints it for people (without colours).
    #[pyo3(signature = (all_rates = false))]
    fn to_text(&self, all_rates: bool) -> PyResult<String> {
        guard(|| {
            let mut out = Vec::new();
            let options = render::TextOptions {
                color: false,
                all_rates,
            };
            render::text(&self.inner, &mut out, &options)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    /// A report read back from its JSON document (`to_json()`, or
    /// `aperture-validate --format json`'s output). The document is
    /// untrusted input, read as `aperture-validate merge` reads it
    /// ([`merge::read`]): every text made printable and cut, every cap of a
    /// run applied while it is read (the errors it lists are kept up to the
    /// run's 4 MiB of errors).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Report> {
        py.detach(|| {
            guard(|| {
                merge::read(text.as_bytes(), usize::MAX)
                    .map(Report::new)
                    .map_err(|e| PyValueError::new_err(format!("not a report: {e}")))
            })
        })
    }

    /// The report of this report's records followed by `other`'s, as one
    /// run over both inputs would give it (the same as
    /// `aperture-validate merge`): counts add, drift tables combine, each
    /// finding keeps its first place, at most `max_errors` errors are listed.
    #[pyo3(signature = (other, *, max_errors = DEFAULT_MAX_ERRORS as u64))]
    fn merge(&self, py: Python<'_>, other: &Report, max_errors: u64) -> PyResult<Report> {
        let parts = [self.inner.clone(), other.inner.clone()];
        merged(py, parts.into_iter(), max_errors)
    }

    /// The merge of `reports` (an iterable), taken in order as the runs of
    /// consecutive parts of one input.
    #[staticmethod]
    #[pyo3(signature = (reports, *, max_errors = DEFAULT_MAX_ERRORS as u64))]
    fn merge_all(py: Python<'_>, reports: &Bound<'_, PyAny>, max_errors: u64) -> PyResult<Report> {
        let mut parts = Vec::new();
        for report in reports.try_iter()? {
            parts.push(report?.cast::<Report>()?.borrow().inner.clone());
        }
        merged(py, parts.into_iter(), max_errors)
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
        let args = PyTuple::new(py, [text])?;
        PyTuple::new(py, [from_json, args.into_any()])
    }
}
