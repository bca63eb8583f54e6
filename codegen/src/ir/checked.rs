//! The checked values of the model: a Rust type and the keyword checks made
//! on its JSON before it is converted (`lower::checked` builds them,
//! `emit::checked` writes them).

use super::{Docs, TypeRef};

/// A value checked against constraints no plain Rust type expresses: read as
/// JSON, checked, then converted into `inner`.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// The Rust type the checked value is held as (`Any` keeps the JSON value).
    pub inner: TypeRef,
    /// The checks, in schema order; each applies to the JSON types it constrains.
    pub checks: Vec<Check>,
}

/// One JSON type, as `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JsonType {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `integer` (a number with no fractional part, `1.0` included).
    Integer,
    /// `integer` in draft-04: a number written without a fraction or an
    /// exponent (`1.0` is not one), as `jsonschema` reads that draft.
    WrittenInteger,
    /// `number`.
    Number,
    /// `string`.
    String,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

/// Whether a value is valid against a subschema: it deserializes into the
/// subschema's Rust type (or is `null` where that is allowed).
#[derive(Debug, Clone, PartialEq)]
pub enum Accept {
    /// Every value (the schema `true`).
    Always,
    /// No value (the schema `false`).
    Never,
    /// The values of a type, and `null` when the flag says so.
    Type(TypeRef, bool),
}

/// One constraint of a [`Checked`] value, as JSON Schema defines it.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `type`: the value is one of these.
    Types(Vec<JsonType>),
    /// `minimum` (exclusive when the flag is set).
    Minimum(serde_json::Number, bool),
    /// `maximum` (exclusive when the flag is set).
    Maximum(serde_json::Number, bool),
    /// `multipleOf`.
    MultipleOf(serde_json::Number),
    /// `minLength`, in code points.
    MinLength(u64),
    /// `maxLength`, in code points.
    MaxLength(u64),
    /// `pattern` (ECMA-262), unanchored.
    Pattern(String),
    /// `format`, by name.
    Format(String),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `prefixItems`.
    PrefixItems(Vec<Accept>),
    /// `items`, applying from this index on (after `prefixItems`).
    Items(usize, Accept),
    /// `contains` with `minContains`/`maxContains`: on an array, the number
    /// of items matching `accept` is at least `min` (1 without
    /// `minContains`) and at most `max`.
    Contains {
        /// `contains`.
        accept: Accept,
        /// `minContains`, or 1.
        min: u64,
        /// `maxContains`.
        max: Option<u64>,
    },
    /// `required`.
    Required(Vec<String>),
    /// `properties`.
    Properties(Vec<(String, Accept)>),
    /// `patternProperties`.
    PatternProperties(Vec<(String, Accept)>),
    /// `additionalProperties`: properties neither listed nor matched by a pattern.
    Additional {
        /// The names in `properties`.
        known: Vec<String>,
        /// The patterns of `patternProperties`.
        patterns: Vec<String>,
        /// What their values must be.
        accept: Accept,
    },
    /// `propertyNames`.
    PropertyNames(Accept),
    /// `minProperties`.
    MinProperties(u64),
    /// `maxProperties`.
    MaxProperties(u64),
    /// `dependentRequired`: when the property is present, so are these.
    DependentRequired(Vec<(String, Vec<String>)>),
    /// `dependentSchemas`: when the property is present, the object matches
    /// the schema.
    DependentSchemas(Vec<(String, Accept)>),
    /// `const`, as compact JSON text.
    Const(String),
    /// `enum`, each value as compact JSON text.
    Enum(Vec<String>),
    /// `allOf`.
    AllOf(Vec<Accept>),
    /// `anyOf`.
    AnyOf(Vec<Accept>),
    /// `oneOf`: exactly one.
    OneOf(Vec<Accept>),
    /// `not`.
    Not(Accept),
    /// `unevaluatedProperties` (or, with `items` set, `unevaluatedItems`)
    /// beside applicators whose evaluated properties or items depend on the
    /// instance: the table of the applicators, the schema's own first (see
    /// [`Evaluator`]), walked on each value as `jsonschema` walks it.
    Unevaluated {
        /// `unevaluatedItems` rather than `unevaluatedProperties`.
        items: bool,
        /// The subschemas that may evaluate something, the schema's own first.
        nodes: Vec<Evaluator>,
    },
    /// `if`/`then`/`else`: a value matching `cond` matches `then`, any
    /// other matches `otherwise` (an absent `then` or `else` is `Always`).
    IfThenElse {
        /// `if`.
        cond: Accept,
        /// `then`.
        then: Accept,
        /// `else`.
        otherwise: Accept,
    },
}

/// One subschema of an [`Check::Unevaluated`] table: what it evaluates on
/// its own, and the subschemas (by index in the table) it applies to the
/// same instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluator {
    /// Whether an instance is valid against the subschema (read for the
    /// branches of `allOf`, `anyOf`, `oneOf` and for `if`); `None` where it
    /// is not read.
    pub valid: Option<Accept>,
    /// The names of `properties`.
    pub properties: Vec<String>,
    /// The patterns of `patternProperties`.
    pub patterns: Vec<String>,
    /// `additionalProperties` is present.
    pub additional: bool,
    /// The subschema's own `unevaluatedProperties`.
    pub unevaluated_properties: Option<Accept>,
    /// The length of `prefixItems`.
    pub prefix_items: usize,
    /// `items` is present.
    pub items: bool,
    /// `contains`.
    pub contains: Option<Accept>,
    /// The subschema's own `unevaluatedItems`.
    pub unevaluated_items: Option<Accept>,
    /// The target of `$ref`.
    pub reference: Option<usize>,
    /// The object schemas of `allOf`.
    pub all_of: Vec<usize>,
    /// The object schemas of `anyOf`.
    pub any_of: Vec<usize>,
    /// The object schemas of `oneOf`.
    pub one_of: Vec<usize>,
    /// `if`, and `then` and `else` when they are object schemas.
    pub conditional: Option<(usize, Option<usize>, Option<usize>)>,
    /// The object schemas of `dependentSchemas`, by property.
    pub dependent: Vec<(String, usize)>,
}

impl Check {
    /// Whether no value passes the check (`allOf` with `false`, `not: true`...).
    pub fn is_impossible(&self) -> bool {
        let never = |a: &Accept| *a == Accept::Never;
        match self {
            Check::AllOf(accepts) => accepts.iter().any(never),
            Check::AnyOf(accepts) => accepts.iter().all(never),
            // Two `true` branches always both match.
            Check::OneOf(accepts) => {
                accepts.iter().all(never)
                    || accepts.iter().filter(|a| **a == Accept::Always).count() > 1
            }
            Check::Not(a) => *a == Accept::Always,
            Check::IfThenElse {
                cond,
                then,
                otherwise,
            } => {
                (never(then) && never(otherwise))
                    || (*cond == Accept::Always && never(then))
                    || (never(cond) && never(otherwise))
            }
            _ => false,
        }
    }

    /// Whether the check holds for every value (`minItems: 0`, `items: true`...):
    /// such checks are dropped, so generated code has no dead test.
    pub fn is_trivial(&self) -> bool {
        let always = |a: &Accept| *a == Accept::Always;
        match self {
            Check::MinLength(0) | Check::MinItems(0) | Check::MinProperties(0) => true,
            Check::Items(_, a) | Check::PropertyNames(a) => always(a),
            Check::Additional { accept, .. } => always(accept),
            Check::PatternProperties(ps) | Check::Properties(ps) => {
                ps.iter().all(|(_, a)| always(a))
            }
            Check::PrefixItems(accepts) | Check::AllOf(accepts) => accepts.iter().all(always),
            Check::AnyOf(accepts) => accepts.iter().any(always),
            // One `true` branch, and every other `false`.
            Check::OneOf(accepts) => {
                accepts.iter().filter(|a| always(a)).count() == 1
                    && accepts.iter().all(|a| always(a) || *a == Accept::Never)
            }
            Check::Not(a) => *a == Accept::Never,
            Check::IfThenElse {
                cond,
                then,
                otherwise,
            } => {
                (always(then) && always(otherwise))
                    || (always(cond) && always(then))
                    || (*cond == Accept::Never && always(otherwise))
            }
            // No count below 0 fails, and `false` matches nothing.
            Check::Contains { accept, min, max } => {
                *min == 0 && (max.is_none() || *accept == Accept::Never)
            }
            Check::Required(names) => names.is_empty(),
            Check::DependentRequired(pairs) => pairs.iter().all(|(_, names)| names.is_empty()),
            Check::DependentSchemas(pairs) => pairs.iter().all(|(_, a)| always(a)),
            _ => false,
        }
    }
}
