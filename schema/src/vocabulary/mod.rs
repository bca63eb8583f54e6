//! The schema language in one place: the drafts, the keyword registry,
//! every draft read into one ([`View`]), and each schema object of a view
//! read once into typed fields ([`Keywords`]).
//!
//! Consumers (the generator's lowering and exporters, the validator, the
//! Python model generator through the registry's names) ask here what a
//! keyword is in a draft; no other keyword list is kept.

mod draft;
pub mod keywords;
mod object;
mod view;

pub use draft::Draft;
pub use keywords::{Keyword, Kind, Shape};
pub use object::{Keywords, Read};
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

/// Every format some draft defines, with the first draft that does, as
/// `jsonschema` 0.61's `builtin_format` reads them (it asserts each there).
const FORMATS: &[(&str, Draft)] = &[
    ("date", Draft::Draft4),
    ("date-time", Draft::Draft4),
    ("email", Draft::Draft4),
    ("hostname", Draft::Draft4),
    ("idn-email", Draft::Draft4),
    ("ipv4", Draft::Draft4),
    ("ipv6", Draft::Draft4),
    ("regex", Draft::Draft4),
    ("time", Draft::Draft4),
    ("uri", Draft::Draft4),
    ("json-pointer", Draft::Draft6),
    ("uri-reference", Draft::Draft6),
    ("uri-template", Draft::Draft6),
    ("idn-hostname", Draft::Draft7),
    ("iri", Draft::Draft7),
    ("iri-reference", Draft::Draft7),
    ("relative-json-pointer", Draft::Draft7),
    ("duration", Draft::Draft201909),
    ("uuid", Draft::Draft201909),
];

/// Every format some draft defines ([`format_known`]).
pub fn formats() -> impl Iterator<Item = &'static str> {
    FORMATS.iter().map(|(name, _)| *name)
}

/// The first draft that defines `format`.
fn format_since(format: &str) -> Option<Draft> {
    FORMATS
        .iter()
        .find(|(name, _)| *name == format)
        .map(|(_, since)| *since)
}
