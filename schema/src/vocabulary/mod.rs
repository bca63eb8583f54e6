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
/// A format no draft defines is the consumer's to judge (the generator
/// refuses it, the validator ignores it); one a later draft defines is an
/// annotation in earlier drafts.
pub fn format_in_draft(format: &str, draft: Draft) -> bool {
    let since = match format {
        "duration" | "uuid" => Draft::Draft201909,
        "idn-hostname" | "iri" | "iri-reference" | "relative-json-pointer" => Draft::Draft7,
        "json-pointer" | "uri-reference" | "uri-template" => Draft::Draft6,
        _ => Draft::Draft4,
    };
    draft >= since
}
