//! The differential test of the code generator: the types it generates must
//! accept exactly what the `jsonschema` crate accepts (draft 2020-12, formats
//! asserted), and give back what they read.
//!
//! # Design
//! A batch of cases (a schema and instances each) is generated with
//! [`aperture_events_codegen::Config`], written as ONE scratch crate outside
//! the workspace (a module per case, a dispatch function, a `main` that reads
//! the instances and answers per instance), compiled once and run once. The
//! verdicts are compared with `jsonschema` on the original schema and
//! instance. Compiling per batch, not per case, keeps a run to about a minute.
//!
//! - [`case`]: the case corpus on disk, and how a case becomes a schema file
//!   (roots that are not objects are wrapped in one, until the generator
//!   names each file's root type).
//! - [`scratch`]: the scratch crate, its build and its run.
//! - [`compare`]: the oracle and the comparison.
//! - [`report`]: what a batch found, for a person.
//! - [`suite`]: the official JSON Schema Test Suite as cases.
//!
//! Used by `tests/tests/differential.rs` (the hand-written corpus and seeded
//! random schemas) and by the `differential-replay` binary (the fuzz corpus of
//! the `codegen_schema` target).

pub mod case;
pub mod compare;
pub mod report;
pub mod scratch;
pub mod suite;

pub use case::{Case, Prepared};
pub use compare::{Disagreement, Report, run_batch};
