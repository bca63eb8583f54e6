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

mod records;
mod report;
mod sink;
mod validator;
mod verdict;

use pyo3::prelude::*;

pyo3::create_exception!(
    _native,
    SchemaError,
    pyo3::exceptions::PyValueError,
    "The schemas could not be loaded or compiled (a `schema_dir` that is not a schema set)."
);

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<validator::Validator>()?;
    m.add_class::<verdict::Verdict>()?;
    m.add_class::<verdict::Problem>()?;
    m.add_class::<report::Report>()?;
    m.add_class::<validator::Batch>()?;
    m.add("SchemaError", m.py().get_type::<SchemaError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
