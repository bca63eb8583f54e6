//! Printing a finished [`Report`](crate::Report), one module per output format.
//!
//! Renderers write to any `io::Write`, so the binary prints to stdout and a
//! library user (the capture tool) can print a summary wherever it likes.

mod github;
mod json;
mod junit;
mod text;

pub use github::github;
pub use json::json;
pub use junit::junit;
pub use text::{TextOptions, text};

use crate::drift::Finding;

/// `n thing` / `n things`.
pub(crate) fn count(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// A drift finding on one line, as the annotations and the JUnit report give it.
pub(crate) fn finding_line(finding: &Finding) -> String {
    match finding {
        Finding::UndocumentedField(f) => format!(
            "undocumented field {}.{} ({})",
            f.log_type,
            f.field,
            count(f.count, "event")
        ),
        Finding::UnknownValue(v) => format!(
            "{}.{} = {:?} is outside the known values ({})",
            v.log_type,
            v.field,
            v.value,
            count(v.count, "event")
        ),
        Finding::QuirkForm(q) => format!(
            "quirk form of {}.{}: {} ({})",
            q.log_type,
            q.field,
            q.form,
            count(q.count, "event")
        ),
        Finding::UnknownType(t) => format!(
            "unknown event type {} ({})",
            t.log_type,
            count(t.count, "event")
        ),
    }
}
