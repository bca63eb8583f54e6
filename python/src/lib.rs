//! `aperture_events._native`: the Python face of the aperture-events validator.
//!
//! A thin layer over `aperture-events-validator`'s library: every decision
//! (reading inputs, classifying a record, counting drift, rendering and
//! merging reports) is the library's, so Python verdicts and reports are the
//! very ones `aperture-validate` prints. This crate only turns Python values
//! into bytes, releases the GIL while the library works, and turns verdicts
//! and reports back into Python objects. The Python package
//! (`python/aperture_events/`) re-exports these classes and adds the pydantic
//! models and the Spark helpers.
//!
//! # Design
//! No call may take the interpreter down. The numbers a caller gives are
//! checked by the library's own types ([`aperture_events_validator::Jobs`],
//! [`aperture_events_validator::input::ReadOptions`]) and refused with a
//! `ValueError`; and, as a last line of defence, each method that does work
//! runs inside [`guard`], which turns a Rust panic into an [`InternalError`]
//! (a `RuntimeError`) instead of pyo3's `PanicException`, which derives from
//! `BaseException` and escapes `except Exception`.

mod ocsf;
mod records;
mod report;
mod sink;
mod validator;
mod verdict;

use std::panic::{AssertUnwindSafe, catch_unwind};

use aperture_events_validator::input::{
    DEFAULT_MAX_DECOMPRESSION_RATIO, DEFAULT_MAX_RECORD_SIZE, LARGEST_MAX_DECOMPRESSION_RATIO,
    LARGEST_MAX_RECORD_SIZE,
};
use aperture_events_validator::limits::DEFAULT_MAX_ERRORS;
use aperture_events_validator::{Class, Jobs};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

pyo3::create_exception!(
    _native,
    SchemaError,
    pyo3::exceptions::PyValueError,
    "The schemas could not be loaded or compiled (a `schema_dir` that is not a schema set)."
);

pyo3::create_exception!(
    _native,
    InternalError,
    pyo3::exceptions::PyRuntimeError,
    "A bug in aperture-events (a Rust panic), caught before it reached Python: please report it."
);

/// Runs `body`, turning a panic into an [`InternalError`].
pub(crate) fn guard<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Err(InternalError::new_err(format!(
            "internal error in aperture-events (please report it): {what}"
        )))
    })
}

/// Panics inside [`guard`]: lets the tests check that a panic reaches
/// Python as an `InternalError` (no method panics on purpose).
#[pyfunction]
fn _panic_inside_guard(message: &str) -> PyResult<()> {
    guard(|| std::panic::panic_any(message.to_owned()))
}

/// Every class a record can end in, in the order of the report's summary.
const CLASSES: [Class; 4] = [
    Class::Valid,
    Class::Invalid,
    Class::Malformed,
    Class::UnknownType,
];

/// Fails to compile when a class is added to the library without being
/// added to [`CLASSES`].
const _: fn(Class) = |class| match class {
    Class::Valid | Class::Invalid | Class::Malformed | Class::UnknownType => {}
};

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<validator::Validator>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<verdict::Problem>()?;
    m.add_class::<report::Report>()?;
    m.add_class::<validator::Batch>()?;
    m.add_class::<ocsf::OcsfConverter>()?;
    m.add("SchemaError", m.py().get_type::<SchemaError>())?;
    m.add("InternalError", m.py().get_type::<InternalError>())?;
    m.add_function(wrap_pyfunction!(_panic_inside_guard, m)?)?;
    // The bounds of the keyword arguments, from their one home in the library.
    m.add("DEFAULT_MAX_RECORD_SIZE", DEFAULT_MAX_RECORD_SIZE)?;
    m.add("LARGEST_MAX_RECORD_SIZE", LARGEST_MAX_RECORD_SIZE)?;
    m.add(
        "DEFAULT_MAX_DECOMPRESSION_RATIO",
        DEFAULT_MAX_DECOMPRESSION_RATIO,
    )?;
    m.add(
        "LARGEST_MAX_DECOMPRESSION_RATIO",
        LARGEST_MAX_DECOMPRESSION_RATIO,
    )?;
    // Eight per core of this machine.
    m.add("MAX_JOBS", Jobs::max())?;
    m.add("DEFAULT_MAX_ERRORS", DEFAULT_MAX_ERRORS)?;
    // The names of the classes, as `Verdict.class_` and the reports give them.
    m.add("CLASSES", PyTuple::new(m.py(), CLASSES.map(Class::name))?)?;
    m.add("LAST_LINE", validator::LAST_LINE)?;
    m.add("OCSF_VERSION", aperture_events_ocsf::OCSF_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
