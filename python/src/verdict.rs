//! The verdict on one record, and its problems, as Python objects.
//!
//! Plain, immutable values copied out of the library's [`aperture_events_validator::Verdict`]:
//! `class_` is the class's name as `aperture-validate --format json` prints
//! it, problems carry the JSON pointer in the event, the schema keyword, the
//! schema location and the message (values described, not quoted, unless the
//! validator shows values).

use aperture_events_validator as lib;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One thing wrong with a record.
#[pyclass(module = "aperture_events", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer in the event (`""` is the event itself).
    pub pointer: String,
    /// The schema keyword that failed (`type`, `required`, ...), or `syntax`,
    /// `duplicate-key`, `log_type`, `input` for checks made before the schema.
    pub keyword: String,
    /// The schema location (`common.schema.json#/$defs/severity/maximum`), when a schema check failed.
    pub schema: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<lib::Problem> for Problem {
    fn from(p: lib::Problem) -> Self {
        Problem {
            pointer: p.pointer.into(),
            keyword: p.keyword.into(),
            schema: p.schema.map(String::from),
            message: p.message.into(),
        }
    }
}

#[pymethods]
impl Problem {
    /// The problem as a dict, with the keys of `--format json` (`schema` left out when there is none).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("pointer", &self.pointer)?;
        dict.set_item("keyword", &self.keyword)?;
        if let Some(schema) = &self.schema {
            dict.set_item("schema", schema)?;
        }
        dict.set_item("message", &self.message)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Problem(pointer={:?}, keyword={:?}, message={:?})",
            self.pointer, self.keyword, self.message
        )
    }
}

/// The verdict on one record.
#[pyclass(module = "aperture_events", frozen, eq)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    class: lib::Class,
    log_type: Option<String>,
    problems: Vec<Problem>,
    syntax_position: Option<(u64, u64)>,
}

impl From<lib::Verdict> for Verdict {
    fn from(v: lib::Verdict) -> Self {
        Verdict {
            class: v.class,
            log_type: v.log_type,
            problems: v.problems.into_iter().map(Problem::from).collect(),
            syntax_position: v.syntax_position,
        }
    }
}

#[pymethods]
impl Verdict {
    /// `"valid"`, `"invalid"`, `"malformed"` or `"unknown_type"`.
    #[getter]
    fn class_(&self) -> &'static str {
        self.class.name()
    }

    /// The record's `log_type`, when it has a string one.
    #[getter]
    fn log_type(&self) -> Option<&str> {
        self.log_type.as_deref()
    }

    /// What is wrong: empty for a valid record and for an unknown type in the tolerant reading.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        self.problems.clone()
    }

    /// For a JSON syntax error: `(line, column)` within the record, 1-based.
    #[getter]
    fn syntax_position(&self) -> Option<(u64, u64)> {
        self.syntax_position
    }

    /// Whether the record is valid.
    #[getter]
    fn valid(&self) -> bool {
        self.class == lib::Class::Valid
    }

    fn __repr__(&self) -> String {
        match (&self.log_type, self.problems.len()) {
            (Some(t), 0) => format!("Verdict({}, log_type={t:?})", self.class.name()),
            (Some(t), n) => format!(
                "Verdict({}, log_type={t:?}, problems={n})",
                self.class.name()
            ),
            (None, n) => format!("Verdict({}, problems={n})", self.class.name()),
        }
    }
}
