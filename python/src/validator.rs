//! `Validator`: the schemas compiled once, then records, batches and paths checked.
//!
//! # Design
//! Every method takes its records from Python first (views of the `bytes`
//! and `str` objects, no copies), then releases the GIL ([`Python::detach`])
//! while the library classifies them; batches and paths use every core
//! (rayon's pool, as `aperture-validate` does). Python threads go on running
//! meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use aperture_events_validator::input::{ReadOptions, expand};
use aperture_events_validator::{
    self as lib, Locus, Options, Place, Reading, RunOptions, SchemaSet, run,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::SchemaError;
use crate::records::Record;
use crate::report::Report;
use crate::sink;
use crate::verdict::Verdict;

/// Validates Log Events API records against the aperture-events schemas.
#[pyclass(module = "aperture_events", frozen)]
#[derive(Debug)]
pub struct Validator {
    inner: Arc<lib::Validator>,
}

/// The verdicts of a batch of records and the report of the same records.
#[pyclass(module = "aperture_events", frozen, get_all)]
#[derive(Debug)]
pub struct Batch {
    /// One verdict per record handed in; `None` for a blank record (skipped, as NDJSON readers skip blank lines).
    pub verdicts: Vec<Option<Py<Verdict>>>,
    /// The report of the records, placed at `source` and their line numbers.
    pub report: Py<Report>,
}

fn read_options(max_record_size: Option<usize>) -> PyResult<ReadOptions> {
    let mut read = ReadOptions::default();
    if let Some(max) = max_record_size {
        if max == 0 {
            return Err(PyValueError::new_err(
                "max_record_size must be at least 1 byte",
            ));
        }
        read.max_record_size = max;
    }
    Ok(read)
}

/// The records of a Python iterable, taken under the GIL.
fn collect(records: &Bound<'_, PyAny>, allow_none: bool) -> PyResult<Vec<Record>> {
    let mut out = Vec::with_capacity(records.len().unwrap_or(0));
    for item in records.try_iter()? {
        out.push(Record::extract(&item?, allow_none)?);
    }
    Ok(out)
}

#[pymethods]
impl Validator {
    /// Compiles the schemas: the embedded ones, or the top-level `*.schema.json`
    /// of `schema_dir`; `strict` applies the documented contract (no
    /// undocumented fields, no quirk forms, no unknown event types);
    /// `show_values` quotes payload values in messages instead of describing them.
    #[new]
    #[pyo3(signature = (strict = false, schema_dir = None, show_values = false))]
    fn new(strict: bool, schema_dir: Option<PathBuf>, show_values: bool) -> PyResult<Self> {
        let schemas = match &schema_dir {
            Some(dir) => SchemaSet::from_dir(dir),
            None => SchemaSet::embedded(),
        }
        .map_err(|e| SchemaError::new_err(e.to_string()))?;
        let options = Options {
            reading: if strict {
                Reading::Strict
            } else {
                Reading::Tolerant
            },
            show_values,
        };
        let inner = lib::Validator::new(&schemas, options)
            .map_err(|e| SchemaError::new_err(e.to_string()))?;
        Ok(Validator {
            inner: Arc::new(inner),
        })
    }

    /// Whether the strict reading is applied.
    #[getter]
    fn strict(&self) -> bool {
        self.inner.options().reading == Reading::Strict
    }

    /// Whether messages quote payload values.
    #[getter]
    fn show_values(&self) -> bool {
        self.inner.options().show_values
    }

    /// The verdict on one record: the JSON text of one event, as `bytes` or `str`.
    fn validate(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Verdict> {
        let record = Record::extract(data, false)?;
        let verdict = py.detach(|| self.inner.classify(&record));
        Ok(verdict.into())
    }

    /// The verdicts on many records (an iterable of `bytes` or `str`), in
    /// order, classified on all cores without the GIL.
    fn validate_many(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<Verdict>> {
        let records = collect(records, false)?;
        let validator = &*self.inner;
        let verdicts: Vec<lib::Verdict> = py.detach(|| {
            records
                .par_iter()
                .with_min_len(64)
                .map(|record| validator.classify(record))
                .collect()
        });
        Ok(verdicts.into_iter().map(Verdict::from).collect())
    }

    /// Reads files and directories (recursively), in every shape
    /// `aperture-validate` reads, and returns the finished report: the same
    /// report `aperture-validate --format json PATH...` prints.
    #[pyo3(signature = (path, *, max_errors = 1000, jobs = 0, max_record_size = None))]
    fn validate_path(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        max_errors: usize,
        jobs: usize,
        max_record_size: Option<usize>,
    ) -> PyResult<Report> {
        let paths: Vec<PathBuf> = match path.extract::<PathBuf>() {
            Ok(one) => vec![one],
            Err(_) => path.extract::<Vec<PathBuf>>()?,
        };
        let options = RunOptions {
            jobs,
            max_errors,
            read: read_options(max_record_size)?,
        };
        let validator = &*self.inner;
        let report = py.detach(|| {
            let (sources, unlistable) = expand(&paths);
            let mut report = run(validator, &sources, &options, &AtomicU64::new(0));
            for (source, message) in unlistable {
                report.unreadable(&source, message);
            }
            report
        });
        Ok(Report::new(report))
    }

    /// Reads one input held in memory (`bytes`: NDJSON, a JSON document or
    /// array, a bulk body, HTTP transcripts, HAR, gzipped or UTF-16 too), as
    /// `aperture-validate` reads a file named `source`.
    #[pyo3(signature = (data, source = "<bytes>", *, max_errors = 1000, max_record_size = None))]
    fn validate_input(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        source: &str,
        max_errors: usize,
        max_record_size: Option<usize>,
    ) -> PyResult<Report> {
        let data = Record::extract(data, false)?;
        let read = read_options(max_record_size)?;
        let validator = &*self.inner;
        let report = py.detach(|| {
            let mut report =
                lib::Report::new(validator.options().reading).with_max_errors(max_errors);
            sink::read_into(validator, &mut report, source, &data, &read);
            report.finish(validator);
            report
        });
        Ok(Report::new(report))
    }

    /// Verdicts and the report of a batch of records, one record per item
    /// (as `spark.read.text` gives lines): item `i` is placed at `source`,
    /// line `first_line + i`. Blank items and `None` are skipped, as an NDJSON
    /// reader skips blank lines (their verdict is `None`). Runs on one thread
    /// (Spark runs one batch per task), without the GIL.
    #[pyo3(signature = (records, source = "<records>", *, first_line = 1, max_errors = 1000))]
    fn validate_batch(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        source: &str,
        first_line: u64,
        max_errors: usize,
    ) -> PyResult<Batch> {
        let records = collect(records, true)?;
        let validator = &*self.inner;
        let (verdicts, report) = py.detach(|| {
            let source: Arc<str> = Arc::from(source);
            let mut report =
                lib::Report::new(validator.options().reading).with_max_errors(max_errors);
            let mut verdicts = Vec::with_capacity(records.len());
            for (i, record) in records.iter().enumerate() {
                if record.iter().all(u8::is_ascii_whitespace) {
                    verdicts.push(None);
                    continue;
                }
                let place = Place::new(source.clone(), Locus::at_line(first_line + i as u64));
                verdicts.push(Some(report.observe(validator, place, record)));
            }
            report.finish(validator);
            (verdicts, report)
        });
        let verdicts = verdicts
            .into_iter()
            .map(|v| v.map(|v| Py::new(py, Verdict::from(v))).transpose())
            .collect::<PyResult<_>>()?;
        Ok(Batch {
            verdicts,
            report: Py::new(py, Report::new(report))?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Validator(strict={}, show_values={})",
            if self.strict() { "True" } else { "False" },
            if self.show_values() { "True" } else { "False" }
        )
    }
}
