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

/// `n thing` / `n things`.
pub(crate) fn count(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
