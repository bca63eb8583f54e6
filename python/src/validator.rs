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

use aperture_events_validator::input::{
    DEFAULT_MAX_DECOMPRESSION_RATIO, DEFAULT_MAX_RECORD_SIZE, ReadOptions, expand,
};
use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
use aperture_events_validator::{
    self as lib, Jobs, Locus, Options, OutOfRange, Place, Reading, RunOptions, SchemaSet, run,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::records::{Record, collect};
use crate::report::Report;
use crate::sink;
use crate::verdict::Verdict;
use crate::{SchemaError, guard};

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

/// The reading options of a call, checked: a `ValueError` names the argument.
fn read_options(max_record_size: usize, max_decompression_ratio: u64) -> PyResult<ReadOptions> {
    let invalid = |name: &str, e: OutOfRange| PyValueError::new_err(format!("{name}: {e}"));
    ReadOptions::default()
        .with_max_record_size(max_record_size)
        .map_err(|e| invalid("max_record_size", e))?
        .with_max_decompression_ratio(max_decompression_ratio)
        .map_err(|e| invalid("max_decompression_ratio", e))
}

/// The verdict on a record handed in alone: a record longer than the limit
/// is malformed, as a reader reports it, and is not parsed.
fn verdict_of(validator: &lib::Validator, record: &Record) -> lib::Verdict {
    match record {
        Record::TooLong(message) => too_long(message),
        record => validator.classify(record),
    }
}

/// The verdict on a record longer than the maximum record size (the problem
/// [`lib::Tally::malformed`] lists for it).
fn too_long(message: &str) -> lib::Verdict {
    lib::Verdict {
        class: lib::Class::Malformed,
        log_type: None,
        problems: vec![lib::Problem::new("", "input", message)],
        syntax_position: None,
    }
}

impl Validator {
    fn compile(strict: bool, schema_dir: Option<PathBuf>, show_values: bool) -> PyResult<Self> {
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
        guard(|| Self::compile(strict, schema_dir, show_values))
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

    /// The verdict on one record: the JSON text of one event, as `bytes` or
    /// `str`. A record longer than `max_record_size` bytes is malformed
    /// (`record longer than … bytes`), and not parsed.
    #[pyo3(signature = (data, *, max_record_size = DEFAULT_MAX_RECORD_SIZE))]
    fn validate(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        max_record_size: usize,
    ) -> PyResult<Verdict> {
        guard(|| {
            let read = read_options(max_record_size, DEFAULT_MAX_DECOMPRESSION_RATIO)?;
            let record = Record::extract(data, false, Some(&read))?;
            let verdict = py.detach(|| verdict_of(&self.inner, &record));
            Ok(verdict.into())
        })
    }

    /// The verdicts on many records (an iterable of `bytes` or `str`), in
    /// order, classified on all cores without the GIL; a record longer than
    /// `max_record_size` bytes is malformed.
    #[pyo3(signature = (records, *, max_record_size = DEFAULT_MAX_RECORD_SIZE))]
    fn validate_many(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        max_record_size: usize,
    ) -> PyResult<Vec<Verdict>> {
        guard(|| {
            let read = read_options(max_record_size, DEFAULT_MAX_DECOMPRESSION_RATIO)?;
            let records = collect(records, false, &read)?;
            let validator = &*self.inner;
            let verdicts: Vec<lib::Verdict> = py.detach(|| {
                records
                    .par_iter()
                    .with_min_len(64)
                    .map(|record| verdict_of(validator, record))
                    .collect()
            });
            Ok(verdicts.into_iter().map(Verdict::from).collect())
        })
    }

    /// Reads files and directories (recursively), in every shape
    /// `aperture-validate` reads, and returns the finished report: the same
    /// report `aperture-validate --format json PATH...` prints.
    #[pyo3(signature = (
        path,
        *,
        max_errors = DEFAULT_MAX_ERRORS,
        jobs = 0,
        max_record_size = DEFAULT_MAX_RECORD_SIZE,
        max_decompression_ratio = DEFAULT_MAX_DECOMPRESSION_RATIO,
    ))]
    fn validate_path(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        max_errors: usize,
        jobs: usize,
        max_record_size: usize,
        max_decompression_ratio: u64,
    ) -> PyResult<Report> {
        guard(|| {
            let paths: Vec<PathBuf> = match path.extract::<PathBuf>() {
                Ok(one) => vec![one],
                Err(_) => path.extract::<Vec<PathBuf>>()?,
            };
            let options = RunOptions {
                jobs: Jobs::new(jobs).map_err(|e| PyValueError::new_err(format!("jobs: {e}")))?,
                max_errors,
                read: read_options(max_record_size, max_decompression_ratio)?,
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
        })
    }

    /// Reads one input held in memory (`bytes`: NDJSON, a JSON document or
    /// array, a bulk body, HTTP transcripts, HAR, gzipped or UTF-16 too), as
    /// `aperture-validate` reads a file named `source`.
    #[pyo3(signature = (
        data,
        source = "<bytes>",
        *,
        max_errors = DEFAULT_MAX_ERRORS,
        max_record_size = DEFAULT_MAX_RECORD_SIZE,
        max_decompression_ratio = DEFAULT_MAX_DECOMPRESSION_RATIO,
    ))]
    fn validate_input(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        source: &str,
        max_errors: usize,
        max_record_size: usize,
        max_decompression_ratio: u64,
    ) -> PyResult<Report> {
        guard(|| {
            let read = read_options(max_record_size, max_decompression_ratio)?;
            // A whole input, not one record: its readers apply the limit.
            let data = Record::extract(data, false, None)?;
            let validator = &*self.inner;
            let report = py.detach(|| {
                let mut tally =
                    lib::Tally::new(validator.options().reading).with_max_errors(max_errors);
                sink::read_into(validator, &mut tally, source, &data, &read);
                tally.finish(validator)
            });
            Ok(Report::new(report))
        })
    }

    /// Verdicts and the report of a batch of records, one record per item
    /// (as `spark.read.text` gives lines): item `i` is placed at `source`,
    /// line `first_line + i` (lines are numbered from 1 to 2**53 - 1, the
    /// largest integer JSON readers keep exact). Blank items and `None` are
    /// skipped, as an NDJSON reader skips blank lines (their verdict is
    /// `None`); a record longer than `max_record_size` bytes is malformed.
    /// Runs on one thread (Spark runs one batch per task), without the GIL.
    #[pyo3(signature = (
        records,
        source = "<records>",
        *,
        first_line = 1,
        max_errors = DEFAULT_MAX_ERRORS,
        max_record_size = DEFAULT_MAX_RECORD_SIZE,
    ))]
    fn validate_batch(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        source: &str,
        first_line: u64,
        max_errors: usize,
        max_record_size: usize,
    ) -> PyResult<Batch> {
        guard(|| {
            let read = read_options(max_record_size, DEFAULT_MAX_DECOMPRESSION_RATIO)?;
            let records = collect(records, true, &read)?;
            check_lines(first_line, records.len())?;
            let validator = &*self.inner;
            let (verdicts, report) = py.detach(|| {
                let source: Arc<str> = Arc::from(source);
                let mut tally =
                    lib::Tally::new(validator.options().reading).with_max_errors(max_errors);
                let mut verdicts = Vec::with_capacity(records.len());
                // `check_lines` made sure that every record has its line number.
                for (line, record) in (first_line..=LAST_LINE).zip(&records) {
                    let place = Place::new(source.clone(), Locus::at_line(line));
                    if let Record::TooLong(message) = record {
                        tally.malformed(place, message.clone());
                        verdicts.push(Some(too_long(message)));
                    } else if record.iter().all(u8::is_ascii_whitespace) {
                        verdicts.push(None);
                    } else {
                        verdicts.push(Some(tally.observe(validator, place, record)));
                    }
                }
                (verdicts, tally.finish(validator))
            });
            let verdicts = verdicts
                .into_iter()
                .map(|v| v.map(|v| Py::new(py, Verdict::from(v))).transpose())
                .collect::<PyResult<_>>()?;
            Ok(Batch {
                verdicts,
                report: Py::new(py, Report::new(report))?,
            })
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

/// The last line number a batch may reach: 2**53 - 1, the largest integer
/// that JSON readers keep exact (JavaScript's `Number.MAX_SAFE_INTEGER`).
/// Far below `u64::MAX`, so that a line inside a record (where a syntax
/// error is) cannot wrap either.
pub const LAST_LINE: u64 = (1 << 53) - 1;

/// Checks that `count` records numbered from `first_line` have line numbers:
/// from 1 to [`LAST_LINE`] (a wrapped number placed the record after line
/// 2**64 - 1 at line 0).
fn check_lines(first_line: u64, count: usize) -> PyResult<()> {
    if first_line == 0 {
        return Err(PyValueError::new_err(
            "first_line: 0 is out of range: lines are numbered from 1",
        ));
    }
    match first_line.checked_add((count as u64).saturating_sub(1)) {
        Some(last) if last <= LAST_LINE => Ok(()),
        _ => Err(PyValueError::new_err(format!(
            "first_line: {count} records from line {first_line} go past line {LAST_LINE} \
             (the last line number: the largest integer JSON readers keep exact)"
        ))),
    }
}
