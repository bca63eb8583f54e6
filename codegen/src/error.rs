//! The one error type of the generator: the schema crate's, so a build script
//! prints the same lines whether loading or generating failed.
//!
//! Every problem names its place: the schema file (its path as given) and the
//! JSON pointer inside it, or the file alone for a file that cannot be read or
//! is not JSON. A run collects every problem it finds before failing, so one
//! edit-compile cycle shows them all. `Debug` prints what `Display` prints,
//! one problem per line, so `fn main() -> Result<(), Box<dyn Error>>` in a
//! build script shows something a person can act on.

pub use aperture_events_schema::{Collector, Diagnostic, Error};

/// The result of a generator step.
pub type Result<T, E = Error> = std::result::Result<T, E>;
