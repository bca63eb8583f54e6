//! The schema language in one place: the drafts, the keyword registry, and
//! every draft read into one ([`View`]).
//!
//! Consumers (the generator's lowering and exporters, the validator, the
//! Python model generator through the registry's names) ask here what a
//! keyword is in a draft; no other keyword list is kept.

mod draft;
pub mod keywords;
mod view;

pub use draft::Draft;
pub use keywords::{Keyword, Kind, Shape};
pub use view::{Problem, View};

/// A JSON pointer token: `~` as `~0`, `/` as `~1` (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Whether `draft` defines `format` (as `jsonschema` 0.61 asserts it there).
/// A format one draft defines is an annotation in the earlier drafts; a
/// format no draft defines ([`format_known`] false) is ignored by
/// `jsonschema`, and the generator ignores it too, with a warning.
pub fn format_in_draft(format: &str, draft: Draft) -> bool {
    format_since(format).is_some_and(|since| draft >= since)
}

/// Whether some draft defines `format` (`jsonschema` asserts it there).
pub fn format_known(format: &str) -> bool {
    format_since(format).is_some()
}

/// The first draft that defines `format`, as `jsonschema` 0.61's
/// `builtin_format` reads it.
fn format_since(format: &str) -> Option<Draft> {
    Some(match format {
        "duration" | "uuid" => Draft::Draft201909,
        "idn-hostname" | "iri" | "iri-reference" | "relative-json-pointer" => Draft::Draft7,
        "json-pointer" | "uri-reference" | "uri-template" => Draft::Draft6,
        "date" | "date-time" | "email" | "hostname" | "idn-email" | "ipv4" | "ipv6" | "regex"
        | "time" | "uri" => Draft::Draft4,
        _ => return None,
    })
}
