//! Reading the values of keywords: numbers, counts and regular
//! expressions, each refused with its place when it is not one.

use aperture_events_schema::vocabulary::Read;
use serde_json::Number;

use crate::load::Location;
use crate::lower::Lowerer;

impl Lowerer<'_> {
    /// Whether `pattern` (at `location`, under `keyword`) is a regular
    /// expression the validator compiles; reports it when not. The validator
    /// translates an ECMA-262 pattern to Rust syntax first (`jsonschema-regex`)
    /// and refuses the schema when that fails, so the same translation
    /// decides here (feature `patterns`).
    #[cfg(feature = "patterns")]
    pub(super) fn regex(
        &mut self,
        location: &Location,
        keyword: Option<&str>,
        pattern: &str,
    ) -> bool {
        if jsonschema_regex::to_rust_regex(pattern).is_ok() {
            return true;
        }
        self.error(
            location,
            keyword,
            format!(
                "{} is not a regular expression the validator accepts (ECMA-262, as `jsonschema` reads it)",
                serde_json::Value::from(pattern)
            ),
        );
        false
    }

    /// Without the feature `patterns`, no regex crate is compiled and every
    /// pattern is taken; one the validator cannot compile matches no string.
    #[cfg(not(feature = "patterns"))]
    pub(super) fn regex(&mut self, _: &Location, _: Option<&str>, _: &str) -> bool {
        true
    }

    /// A numeric keyword's value, read by the typed model; reports a value
    /// that is no number.
    pub(in crate::lower) fn number_keyword(
        &mut self,
        location: &Location,
        key: &str,
        read: Read<'_, &Number>,
        ok: &mut bool,
    ) -> Option<Number> {
        match read {
            Read::Absent => None,
            Read::Value(n) => Some(n.clone()),
            Read::Misshapen(_) => {
                self.error(location, Some(key), format!("`{key}` must be a number"));
                *ok = false;
                None
            }
        }
    }

    /// A count keyword (`minLength`, `maxItems`...), read by the typed
    /// model: a non-negative integer; reports a value that is none.
    pub(super) fn counted(
        &mut self,
        location: &Location,
        key: &str,
        read: Read<'_, u64>,
        ok: &mut bool,
    ) -> Option<u64> {
        match read {
            Read::Absent => None,
            Read::Value(n) => Some(n),
            Read::Misshapen(_) => {
                self.error(
                    location,
                    Some(key),
                    format!("`{key}` must be a non-negative integer"),
                );
                *ok = false;
                None
            }
        }
    }
}
