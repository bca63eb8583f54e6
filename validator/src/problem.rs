//! One thing wrong with a record, in words a person understands.
//!
//! jsonschema's own error text quotes the offending value, and these values
//! are personal data; so messages are built here from the error's *kind*,
//! with the value described by [`crate::mask`] unless values are shown.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde::{Deserialize, Serialize};

use crate::mask::{Text, category, describe, truncate};

/// The longest JSON pointer kept in a problem: a pointer names keys, and a
/// made-up key can be as long as a record; a longer one is cut, marked `…`.
/// Schema locations are cut to it too.
pub const MAX_POINTER: usize = 200;
/// The longest message kept in a problem (and in a note or an input error).
pub const MAX_MESSAGE: usize = 400;
/// The longest keyword kept in a problem (`additionalProperties` is 20).
pub const MAX_KEYWORD: usize = 40;

/// A JSON pointer (in the event or the schema) as kept: printable, cut.
pub type Pointer = Text<MAX_POINTER>;
/// A message as kept: printable, cut.
pub type Message = Text<MAX_MESSAGE>;

/// What is wrong, and where: in the event and in the schema.
///
/// Every text is a [`Text`]: printable and cut, also when read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(description = "What is wrong, and where: in the event and in the schema.")]
pub struct Problem {
    /// JSON pointer in the event (`""` is the event itself).
    pub pointer: Pointer,
    /// The schema keyword that failed (`type`, `required`, `format`, ...), or
    /// `syntax`, `duplicate-key`, `log_type` for checks made before the schema.
    pub keyword: Text<MAX_KEYWORD>,
    /// The schema location: file and pointer (`common.schema.json#/$defs/severity/maximum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Pointer>,
    /// What is wrong.
    pub message: Message,
}

impl Problem {
    /// A problem found before any schema was applied.
    pub fn new(pointer: impl AsRef<str>, keyword: &str, message: impl AsRef<str>) -> Self {
        Problem {
            pointer: Text::new(pointer.as_ref()),
            keyword: Text::new(keyword),
            schema: None,
            message: Text::new(message.as_ref()),
        }
    }

    /// The problems of one jsonschema error (several for several unexpected fields).
    pub fn from_validation(error: &ValidationError<'_>, show: bool) -> Vec<Problem> {
        let pointer = Pointer::new(error.instance_path().as_str());
        let schema = error
            .absolute_keyword_location()
            .map(|uri| Pointer::new(&short_location(uri.as_str())));
        let keyword = Text::new(error.kind().keyword());
        let found = || describe(error.instance(), show);
        let make = |message: String| Problem {
            pointer: pointer.clone(),
            keyword: keyword.clone(),
            schema: schema.clone(),
            message: Text::new(&message),
        };
        let message = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                return unexpected
                    .iter()
                    .map(|name| {
                        make(format!(
                            "undocumented field `{}` (the strict reading allows only the documented fields)",
                            category::<60>(name, &[], show)
                        ))
                    })
                    .collect();
            }
            ValidationErrorKind::Required { property } => match property.as_str() {
                Some(name) => format!("required field `{}` is missing", truncate(name, 60)),
                None => "a required field is missing".to_owned(),
            },
            ValidationErrorKind::Type { kind } => {
                format!("must be {}, found {}", expected_types(kind), found())
            }
            ValidationErrorKind::Constant { expected_value } => {
                format!("must be {expected_value}, found {}", found())
            }
            ValidationErrorKind::Enum { options } => {
                format!(
                    "must be one of {}, found {}",
                    truncate(&options.to_string(), 120),
                    found()
                )
            }
            ValidationErrorKind::Minimum { limit } => {
                format!("must be at least {limit}, found {}", found())
            }
            ValidationErrorKind::Maximum { limit } => {
                format!("must be at most {limit}, found {}", found())
            }
            ValidationErrorKind::ExclusiveMinimum { limit } => {
                format!("must be greater than {limit}, found {}", found())
            }
            ValidationErrorKind::ExclusiveMaximum { limit } => {
                format!("must be less than {limit}, found {}", found())
            }
            ValidationErrorKind::Format { format } if format == "date-time" => format!(
                "must be an RFC 3339 date-time such as 2017-08-14T23:20:57Z, found {}",
                found()
            ),
            ValidationErrorKind::Format { format } => {
                format!("must be a valid {format}, found {}", found())
            }
            ValidationErrorKind::MinLength { limit } => {
                format!("must have at least {limit} characters, found {}", found())
            }
            ValidationErrorKind::MaxLength { limit } => {
                format!("must have at most {limit} characters, found {}", found())
            }
            ValidationErrorKind::Pattern { pattern } => {
                format!("must match the pattern {pattern}, found {}", found())
            }
            ValidationErrorKind::FalseSchema => "no value is allowed here".to_owned(),
            ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
                format!("matches none of the allowed forms, found {}", found())
            }
            ValidationErrorKind::OneOfMultipleValid { .. } => {
                format!(
                    "matches more than one of the allowed forms, found {}",
                    found()
                )
            }
            ValidationErrorKind::Referencing(e) => {
                format!("schema reference cannot be resolved: {e}")
            }
            other => format!("does not satisfy `{}`, found {}", other.keyword(), found()),
        };
        vec![make(message)]
    }
}

/// `https://schemas.aperture-events.dev/v1/common.schema.json#/$defs/x` → `common.schema.json#/$defs/x`.
fn short_location(uri: &str) -> String {
    let (path, fragment) = uri.split_once('#').unwrap_or((uri, ""));
    let file = path.rsplit('/').next().unwrap_or(path);
    if fragment.is_empty() {
        file.to_owned()
    } else {
        format!("{file}#{fragment}")
    }
}

fn expected_types(kind: &TypeKind) -> String {
    let article = |t: &str| match t {
        "null" => "null".to_owned(),
        "integer" | "object" | "array" => format!("an {t}"),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => article(t.as_str()),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set.iter().map(|t| article(t.as_str())).collect();
            names.join(" or ")
        }
    }
}

/// The problem of an event whose `log_type` is missing or not a string.
/// `found` describes the value, when there is one ([`crate::mask::describe_doc`]).
pub(crate) fn log_type_problem(found: Option<String>) -> Problem {
    match found {
        None => Problem::new(
            "/log_type",
            "log_type",
            "required field `log_type` is missing",
        ),
        Some(found) => Problem::new(
            "/log_type",
            "log_type",
            format!("must be a string naming the event type, found {found}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_locations_are_shortened_to_the_file() {
        assert_eq!(
            short_location(
                "https://schemas.aperture-events.dev/v1/common.schema.json#/$defs/severity/maximum"
            ),
            "common.schema.json#/$defs/severity/maximum"
        );
        assert_eq!(
            short_location("https://x/y/incident.schema.json"),
            "incident.schema.json"
        );
    }
}
