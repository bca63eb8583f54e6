//! The JSON Schema drafts, and reading which one a schema declares.
//!
//! The meta-schema URIs are those the `jsonschema` crate (0.61, the toolkit's
//! oracle) recognises, `http` and `https` alike, with or without the empty
//! fragment; the version-less `https://json-schema.org/schema` names the
//! current draft, as it does there.

use std::fmt;

use serde_json::Value;

/// A JSON Schema draft, oldest first (so `draft < Draft::Draft201909` reads
/// "before 2019-09").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Draft {
    /// Draft 4 (`http://json-schema.org/draft-04/schema#`).
    Draft4,
    /// Draft 6 (`http://json-schema.org/draft-06/schema#`).
    Draft6,
    /// Draft 7 (`http://json-schema.org/draft-07/schema#`).
    Draft7,
    /// Draft 2019-09 (`https://json-schema.org/draft/2019-09/schema`).
    Draft201909,
    /// Draft 2020-12 (`https://json-schema.org/draft/2020-12/schema`), the
    /// default of a schema without `$schema`.
    #[default]
    Draft202012,
}

impl Draft {
    /// Every supported draft, oldest first.
    pub const ALL: [Draft; 5] = [
        Draft::Draft4,
        Draft::Draft6,
        Draft::Draft7,
        Draft::Draft201909,
        Draft::Draft202012,
    ];

    /// The draft a name gives: its own name (`draft-07`, `draft 2020-12`) or
    /// the JSON Schema Test Suite's directory (`draft7`, `draft2020-12`).
    ///
    /// ```
    /// use aperture_events_schema::Draft;
    /// assert_eq!(Draft::from_name("draft7"), Some(Draft::Draft7));
    /// assert_eq!(Draft::from_name("draft 2019-09"), Some(Draft::Draft201909));
    /// ```
    pub fn from_name(name: &str) -> Option<Draft> {
        Draft::ALL.into_iter().find(|d| {
            let suite = match d {
                Draft::Draft4 => "draft4",
                Draft::Draft6 => "draft6",
                Draft::Draft7 => "draft7",
                Draft::Draft201909 => "draft2019-09",
                Draft::Draft202012 => "draft2020-12",
            };
            name == d.name() || name == suite
        })
    }

    /// The draft's name as people write it: `draft-04`, `draft 2020-12`.
    pub fn name(self) -> &'static str {
        match self {
            Draft::Draft4 => "draft-04",
            Draft::Draft6 => "draft-06",
            Draft::Draft7 => "draft-07",
            Draft::Draft201909 => "draft 2019-09",
            Draft::Draft202012 => "draft 2020-12",
        }
    }

    /// The meta-schema URI a schema of this draft declares in `$schema`.
    pub fn uri(self) -> &'static str {
        match self {
            Draft::Draft4 => "http://json-schema.org/draft-04/schema#",
            Draft::Draft6 => "http://json-schema.org/draft-06/schema#",
            Draft::Draft7 => "http://json-schema.org/draft-07/schema#",
            Draft::Draft201909 => "https://json-schema.org/draft/2019-09/schema",
            Draft::Draft202012 => "https://json-schema.org/draft/2020-12/schema",
        }
    }

    /// The draft a `$schema` URI names, if it is a known one.
    ///
    /// ```
    /// use aperture_events_schema::Draft;
    /// assert_eq!(Draft::from_uri("http://json-schema.org/draft-07/schema#"), Some(Draft::Draft7));
    /// assert_eq!(Draft::from_uri("https://example.com/my-dialect"), None);
    /// ```
    pub fn from_uri(uri: &str) -> Option<Draft> {
        let uri = uri.strip_suffix('#').unwrap_or(uri);
        let path = uri
            .strip_prefix("https://json-schema.org/")
            .or_else(|| uri.strip_prefix("http://json-schema.org/"))?;
        Some(match path {
            "draft/2020-12/schema" | "schema" => Draft::Draft202012,
            "draft/2019-09/schema" => Draft::Draft201909,
            "draft-07/schema" => Draft::Draft7,
            "draft-06/schema" => Draft::Draft6,
            "draft-04/schema" => Draft::Draft4,
            _ => return None,
        })
    }

    /// The draft of a schema object: its `$schema`, else `inherited`. An
    /// unknown or non-string `$schema` is an error listing the known ones.
    pub fn detect(schema: &Value, inherited: Draft) -> Result<Draft, String> {
        match schema.get("$schema") {
            None => Ok(inherited),
            Some(Value::String(uri)) => Draft::from_uri(uri).ok_or_else(|| {
                format!(
                    "unknown `$schema` `{uri}`: the known drafts are {}",
                    Draft::known_list()
                )
            }),
            Some(_) => Err(format!(
                "`$schema` must be a string, one of {}",
                Draft::known_list()
            )),
        }
    }

    /// The known meta-schema URIs, for messages.
    pub fn known_list() -> String {
        Draft::ALL
            .iter()
            .map(|d| format!("`{}` ({})", d.uri(), d.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The keyword naming a schema resource: `id` in draft-04, `$id` after.
    pub fn id_keyword(self) -> &'static str {
        if self == Draft::Draft4 { "id" } else { "$id" }
    }

    /// Whether keywords beside a `$ref` apply (2019-09 on); before, they are
    /// ignored, annotations included.
    pub fn ref_siblings_apply(self) -> bool {
        self >= Draft::Draft201909
    }
}

impl fmt::Display for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_spelling_jsonschema_knows_is_read() {
        for draft in Draft::ALL {
            assert_eq!(Draft::from_uri(draft.uri()), Some(draft));
            let other = if draft.uri().starts_with("https") {
                draft.uri().replacen("https", "http", 1)
            } else {
                draft.uri().replacen("http", "https", 1)
            };
            assert_eq!(Draft::from_uri(&other), Some(draft), "{other}");
            assert_eq!(
                Draft::from_uri(draft.uri().trim_end_matches('#')),
                Some(draft)
            );
        }
        assert_eq!(
            Draft::from_uri("https://json-schema.org/schema"),
            Some(Draft::Draft202012)
        );
        assert_eq!(
            Draft::from_uri("http://json-schema.org/draft-05/schema#"),
            None
        );
    }

    #[test]
    fn an_unknown_schema_is_refused_with_the_known_ones() {
        let err = Draft::detect(
            &json!({"$schema": "https://example.com/my-dialect"}),
            Draft::Draft202012,
        )
        .expect_err("unknown");
        assert!(err.contains("https://example.com/my-dialect"), "{err}");
        for draft in Draft::ALL {
            assert!(err.contains(draft.uri()), "{err}");
        }
        assert_eq!(Draft::detect(&json!({}), Draft::Draft7), Ok(Draft::Draft7));
        assert!(Draft::detect(&json!({"$schema": 7}), Draft::Draft7).is_err());
    }
}
