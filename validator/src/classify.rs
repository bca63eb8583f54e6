//! Putting one record in exactly one class.
//!
//! [`Validator`] is the library's entry point for a single record: give it
//! the bytes of one event as they arrived, get back its [`Class`] and, when
//! it is not valid, the problems found. It is compiled once and shared by
//! every thread (`&Validator` is `Sync`).

use aperture_events_schema::reading::Reading;
use bumpalo::Bump;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::doc::Doc;

use crate::mask::{category, describe_doc};
use crate::parse::{ParseError, budget_of, parse_within};
use crate::problem::{Problem, log_type_problem};
use crate::schemas::{Compiled, SchemaError, SchemaSet};

/// The most problems listed for one record; the rest are counted in a last
/// problem (`… and 19980 more problems in this record`).
pub const MAX_PROBLEMS: usize = 20;

/// What working out a failing record's detailed errors costs per value, in
/// bytes, as estimated for the memory budget: the record is parsed again into
/// a `serde_json::Value` (a 32-byte node, its share of a map's node or of a
/// growing array, a string's heap block), and jsonschema collects its errors
/// (a few per documented field at most: the schemas have no arrays of
/// checked items, and the undocumented fields are one error). A record
/// whose estimate does not fit in its budget ([`crate::parse::budget_of`])
/// is still classified, but its errors are not listed.
pub const DETAIL_COST_PER_VALUE: usize = 128;

/// The class of a record. Every record read ends in exactly one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// An event of a documented type that its schema accepts.
    Valid,
    /// An event its schema rejects, or an object without a string `log_type`, or with a repeated key.
    Invalid,
    /// Not JSON, or JSON but not an object.
    Malformed,
    /// An object whose `log_type` names no documented type.
    UnknownType,
}

impl Class {
    /// The class's name as printed (`unknown_type`).
    pub fn name(self) -> &'static str {
        match self {
            Class::Valid => "valid",
            Class::Invalid => "invalid",
            Class::Malformed => "malformed",
            Class::UnknownType => "unknown_type",
        }
    }

    /// Whether a record of this class is accepted in `reading`: valid records
    /// always, unknown types only in the tolerant reading.
    pub fn is_accepted(self, reading: Reading) -> bool {
        match self {
            Class::Valid => true,
            Class::UnknownType => reading == Reading::Tolerant,
            Class::Invalid | Class::Malformed => false,
        }
    }
}

/// The verdict on one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The record's class.
    pub class: Class,
    /// The record's `log_type`, when it has a string one.
    pub log_type: Option<String>,
    /// What is wrong (empty for a valid record and a tolerated unknown type).
    pub problems: Vec<Problem>,
    /// For a JSON syntax error: line and column within the record, 1-based.
    pub syntax_position: Option<(u64, u64)>,
}

/// How to validate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Which reading of the schemas to apply.
    pub reading: Reading,
    /// Quote payload values in messages instead of describing them.
    pub show_values: bool,
}

/// The schemas compiled for one run, ready to classify records.
#[derive(Debug)]
pub struct Validator {
    compiled: Compiled,
    options: Options,
}

/// A verdict, with the parsed event kept for the drift report. Borrows from
/// the record: the common case, a valid event, allocates nothing here.
#[derive(Debug)]
pub(crate) struct Examined<'a> {
    pub class: Class,
    /// The record's `log_type`, when it has a string one.
    pub log_type: Option<&'a str>,
    pub problems: Vec<Problem>,
    pub syntax_position: Option<(u64, u64)>,
    /// The record, when it is an object.
    pub event: Option<Doc<'a>>,
    /// The index of the event's documented type.
    pub type_index: Option<usize>,
}

impl Examined<'_> {
    /// The owned verdict.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            class: self.class,
            log_type: self.log_type.map(str::to_owned),
            problems: self.problems.clone(),
            syntax_position: self.syntax_position,
        }
    }
}

impl Validator {
    /// Compiles `schemas` with `options`.
    pub fn new(schemas: &SchemaSet, options: Options) -> Result<Self, SchemaError> {
        Ok(Validator {
            compiled: Compiled::new(schemas, options.reading)?,
            options,
        })
    }

    /// Compiles the schemas embedded in this program.
    pub fn embedded(options: Options) -> Result<Self, SchemaError> {
        Validator::new(&SchemaSet::embedded()?, options)
    }

    /// The options this validator was built with.
    pub fn options(&self) -> Options {
        self.options
    }

    /// The compiled schemas.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// Classifies the bytes of one record (one event, as JSON text).
    ///
    /// ```
    /// use aperture_events_validator::{Class, Options, Validator};
    /// let validator = Validator::embedded(Options::default()).unwrap();
    /// let verdict = validator.classify(br#"{"log_type": "activity_monitoring", "timestamp": "2017-08-14T23:20:57Z"}"#);
    /// assert_eq!(verdict.class, Class::Valid);
    /// assert_eq!(validator.classify(b"{oops").class, Class::Malformed);
    /// ```
    pub fn classify(&self, bytes: &[u8]) -> Verdict {
        self.examine(bytes, &Bump::new(), true).verdict()
    }

    /// Classifies a record; with `details` false, an invalid record's schema
    /// errors are not worked out (a report that lists no more errors needs only the class).
    /// The record's document is built in `arena`.
    pub(crate) fn examine<'a>(
        &self,
        bytes: &'a [u8],
        arena: &'a Bump,
        details: bool,
    ) -> Examined<'a> {
        let show = self.options.show_values;
        let done = |class, log_type, problems, event, type_index| Examined {
            class,
            log_type,
            problems,
            syntax_position: None,
            event,
            type_index,
        };
        let budget = budget_of(bytes.len());
        let parsed = match parse_within(bytes, arena, budget) {
            Ok(parsed) => parsed,
            Err(ParseError::Syntax {
                message,
                line,
                column,
            }) => {
                let problems = vec![Problem::new("", "syntax", message)];
                return Examined {
                    syntax_position: Some((line, column)),
                    ..done(Class::Malformed, None, problems, None, None)
                };
            }
            Err(ParseError::DuplicateKey { pointer }) => {
                let problem = Problem::new(
                    pointer,
                    "duplicate-key",
                    "the key appears twice in one object (the generated types reject this)",
                );
                return done(Class::Invalid, None, vec![problem], None, None);
            }
            Err(error @ ParseError::OverBudget { .. }) => {
                let problem = Problem::new("", "memory", error.to_string());
                return done(Class::Malformed, None, vec![problem], None, None);
            }
        };
        let doc = parsed.doc;
        if !matches!(doc, Doc::Object(_)) {
            let found = describe_doc(&doc, show);
            let problem = Problem::new(
                "",
                "type",
                format!("must be an event object, found {found}"),
            );
            return done(Class::Malformed, None, vec![problem], None, None);
        }
        let log_type = match doc.get("log_type") {
            Some(Doc::String(log_type)) => *log_type,
            other => {
                let problem = log_type_problem(other.map(|v| describe_doc(v, show)));
                return done(Class::Invalid, None, vec![problem], Some(doc), None);
            }
        };
        let Some(index) = self.compiled.find(log_type) else {
            let problems = match self.options.reading {
                Reading::Tolerant => Vec::new(),
                Reading::Strict => vec![Problem::new(
                    "/log_type",
                    "log_type",
                    format!(
                        "unknown event type `{}` (the strict reading knows only {})",
                        category::<60>(log_type, &[], show),
                        self.known_types()
                    ),
                )],
            };
            return done(
                Class::UnknownType,
                Some(log_type),
                problems,
                Some(doc),
                None,
            );
        };
        let ty = &self.compiled.types[index];
        // The common case first, on the borrowed document: no `Value`, no error built.
        if ty.fast.is_valid(&doc) {
            return done(
                Class::Valid,
                Some(log_type),
                Vec::new(),
                Some(doc),
                Some(index),
            );
        }
        // A failing record is parsed again into a `Value` for jsonschema's detailed errors.
        if !details {
            return done(
                Class::Invalid,
                Some(log_type),
                Vec::new(),
                Some(doc),
                Some(index),
            );
        }
        let detail_cost = parsed
            .nodes
            .saturating_mul(DETAIL_COST_PER_VALUE)
            .saturating_add(bytes.len());
        let problems = if parsed.charged.saturating_add(detail_cost) > budget {
            vec![Problem::new(
                "",
                "memory",
                format!(
                    "the `{log_type}` schema rejects this record; its errors are not listed: \
                     with {} values, working them out would take more than its memory budget",
                    parsed.nodes
                ),
            )]
        } else {
            match serde_json::from_slice::<Value>(bytes) {
                Ok(instance) => {
                    let errors = ty.validator.iter_errors(&instance);
                    capped(errors.flat_map(|error| Problem::from_validation(&error, show)))
                }
                Err(e) => vec![Problem::new("", "syntax", e.to_string())],
            }
        };
        done(
            Class::Invalid,
            Some(log_type),
            problems,
            Some(doc),
            Some(index),
        )
    }

    fn known_types(&self) -> String {
        let names: Vec<&str> = self
            .compiled
            .types
            .iter()
            .map(|t| t.log_type.as_str())
            .collect();
        names.join(", ")
    }
}

/// The first [`MAX_PROBLEMS`] of `problems`, and a last one counting the rest.
fn capped(problems: impl Iterator<Item = Problem>) -> Vec<Problem> {
    let mut kept = Vec::new();
    let mut more = 0u64;
    for problem in problems {
        if kept.len() < MAX_PROBLEMS {
            kept.push(problem);
        } else {
            more += 1;
        }
    }
    if more > 0 {
        kept.push(Problem::new(
            "",
            "more",
            format!(
                "and {more} more problem{} in this record (at most {MAX_PROBLEMS} are listed per record)",
                if more == 1 { "" } else { "s" }
            ),
        ));
    }
    kept
}
