//! A string that must never reach a log, an error message or a terminal.
//!
//! Client secrets and access tokens are wrapped in [`Secret`]: its `Debug`
//! and `Display` print `***`, so formatting a config or an error that holds
//! one cannot leak it. The only way to the value is [`Secret::expose`], which
//! is called where the value goes on the wire and nowhere else. Text from
//! elsewhere that may echo a secret goes through [`crate::redact`].

use std::fmt;

/// A secret value (client secret, bearer token) that formats as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn formats_as_stars() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(&s)), "Some(***)");
        assert_eq!(s.expose(), "hunter2");
    }
}
