//! Reading the values of keywords: numbers, counts and regular
//! expressions, each refused with its place when it is not one.

use serde_json::{Map, Number, Value};

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
                Value::from(pattern)
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

    /// A numeric keyword's value.
    pub(super) fn number_keyword(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
        ok: &mut bool,
    ) -> Option<Number> {
        match object.get(key)? {
            Value::Number(n) => Some(n.clone()),
            _ => {
                self.error(location, Some(key), format!("`{key}` must be a number"));
                *ok = false;
                None
            }
        }
    }

    /// A count keyword (`minLength`, `maxItems`...): a non-negative integer.
    pub(super) fn count(
        &mut self,
        location: &Location,
        object: &Map<String, Value>,
        key: &str,
        ok: &mut bool,
    ) -> Option<u64> {
        let value = object.get(key)?;
        let count = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f.min(u64::MAX as f64) as u64)
        });
        if count.is_none() {
            self.error(
                location,
                Some(key),
                format!("`{key}` must be a non-negative integer"),
            );
            *ok = false;
        }
        count
    }
}
