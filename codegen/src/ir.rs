//! Stage two's output: a plain-data model of the Rust items to generate.
//!
//! The lowering step (`lower`) turns the loaded schemas into this model; the
//! emitter (`emit`) turns the model into tokens. The model holds names, types,
//! docs and quirk notes only: no tokens, no schema JSON, so each side can be
//! read and tested on its own (serde_derive's `internals::ast` plays this role).
//! Collections are `Vec`s in schema order, so output order is the schema's.

mod checked;

pub use checked::{Accept, Check, Checked, Evaluator, JsonType};

use crate::names::Ident;

/// Everything one run generates.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Names of the schema files the module was generated from, sorted.
    pub sources: Vec<String>,
    /// The items, unions first, then event structs, then the types they use.
    pub items: Vec<Item>,
    /// The type of each file's root schema (and whether it may be `null`),
    /// in `sources` order; `None` for a file holding only definitions.
    pub roots: Vec<Option<(TypeRef, bool)>>,
    /// How `format: date-time` strings are represented, if any field uses one.
    pub date_time: Option<DateTimeRepr>,
    /// The name of the generated date-time type (when `date_time` is `Chrono`).
    pub date_time_name: String,
}

/// How `format: date-time` strings are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTimeRepr {
    /// A generated type keeping the exact text and a `chrono::DateTime<FixedOffset>`.
    Chrono,
    /// A plain `String`; the format is not checked.
    String,
}

/// Documentation gathered from a schema object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `x-quirk` notes.
    pub quirks: Vec<String>,
    /// `x-quirk-values`: the known values real traffic uses but the doc does not.
    pub quirk_values: Vec<String>,
    /// `examples`, each as compact JSON text.
    pub examples: Vec<String>,
    /// `file#pointer` of the schema object.
    pub source: String,
}

/// One generated item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A struct for an object schema.
    Struct(Struct),
    /// An enum over object schemas told apart by a constant property.
    Union(Union),
    /// A string enumeration with a catch-all (`x-known-values`).
    OpenEnum(ValueEnum),
    /// A closed string enumeration (`enum`).
    ClosedEnum(ValueEnum),
    /// A bounded integer newtype.
    Integer(Integer),
    /// A value of one of several JSON types (`type: ["string", "integer"]`).
    Multi(Multi),
    /// A value checked against constraints no plain Rust type expresses.
    Checked(Checked),
}

impl Item {
    /// The Rust name of the item.
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) => &s.name,
            Item::Union(u) => &u.name,
            Item::OpenEnum(e) | Item::ClosedEnum(e) => &e.name,
            Item::Integer(i) => &i.name,
            Item::Multi(m) => &m.name,
            Item::Checked(c) => &c.name,
        }
    }

    /// The checks the item's generated code makes on JSON (checked values,
    /// and structs with keywords their fields do not check); none for others.
    pub fn checks(&self) -> &[Check] {
        match self {
            Item::Checked(c) => &c.checks,
            Item::Struct(s) => &s.checks,
            _ => &[],
        }
    }
}

/// The Rust type of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `serde_json::Number` (any JSON number, kept exactly), with bounds.
    Number(Bounds<f64>),
    /// Any JSON value, `serde_json::Value`.
    Any,
    /// A `format: date-time` string.
    DateTime,
    /// `std::net::Ipv4Addr` of a `format: ipv4` string: the validator
    /// decides the format with `Ipv4Addr`'s own parser, which takes only
    /// the canonical spelling, so the address writes back the same text.
    Ipv4Addr,
    /// A generated item, by name.
    Named(String),
    /// `Vec<T>` of an array's `items` (`Vec<Option<T>>` when they may be `null`).
    List(Box<TypeRef>, bool),
    /// A tuple `(A, B, ...)` of a fixed-length array (`prefixItems` with
    /// `items: false` and a `minItems` covering the prefix).
    Tuple(Vec<Element>),
}

/// One element of a [`TypeRef::Tuple`].
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The element's type.
    pub ty: TypeRef,
    /// `Option<T>`: the element may be `null`.
    pub nullable: bool,
    /// `Box<T>`: the element closes a cycle of types held by value.
    pub boxed: bool,
}

/// Inclusive `minimum` / `maximum`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds<T> {
    /// `minimum`.
    pub min: Option<T>,
    /// `maximum`.
    pub max: Option<T>,
}

/// How an object treats properties its schema does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Keep them in a map field.
    Keep,
    /// Accept and drop them.
    Ignore,
    /// Reject them (`additionalProperties: false`).
    Deny,
}

/// A struct for an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// Properties with a schema other than `const`, in schema order.
    pub fields: Vec<Field>,
    /// Properties whose schema is a string `const`.
    pub consts: Vec<ConstField>,
    /// Unknown properties.
    pub unknown: Unknown,
    /// The field holding unknown properties (when `unknown` is `Keep`).
    pub extras: Ident,
    /// The type of unknown properties' values when `additionalProperties`
    /// is a schema (and whether they may be `null`); `None` keeps any JSON value.
    pub extras_type: Option<(TypeRef, bool)>,
    /// The private field keeping how values were written (when a field needs it).
    pub received: Ident,
    /// What a deserializer expected, for error messages (`an incident object`).
    pub expecting: String,
    /// Checks of keywords the fields do not make (`patternProperties`,
    /// `minProperties`, composition...), run on the finished struct's JSON.
    pub checks: Vec<Check>,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub json_name: String,
    /// The Rust field name.
    pub ident: Ident,
    /// The value's type, without nullability.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `null` is one of its types.
    pub nullable: bool,
    /// Held in a `Box`: the type contains the struct (a recursive schema).
    pub boxed: bool,
    /// Docs.
    pub docs: Docs,
}

/// A property whose value is fixed by a string `const`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstField {
    /// The JSON property name.
    pub json_name: String,
    /// The one accepted value.
    pub value: String,
    /// Listed in `required`; an optional one becomes a `bool` field saying whether it was present.
    pub required: bool,
    /// The Rust field name (used when it is optional).
    pub ident: Ident,
    /// The associated constant holding the value (`LOG_TYPE`).
    pub const_name: String,
    /// Docs.
    pub docs: Docs,
}

/// An enum over object schemas told apart by a constant property.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// The JSON property telling the branches apart (`log_type`).
    pub tag: String,
    /// One per branch, in `oneOf` order.
    pub variants: Vec<UnionVariant>,
    /// The variant keeping objects whose tag is none of the known values.
    pub unknown: String,
    /// Fields shared by several branches, each with one type everywhere, in
    /// the first branch's order: each becomes an accessor on the union.
    pub common: Vec<CommonField>,
}

/// A field several branches of a union share (same JSON name, same type).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonField {
    /// The accessor's name.
    pub method: String,
    /// The JSON property name.
    pub json_name: String,
    /// The Rust field name (the same in every branch that has it).
    pub ident: Ident,
    /// The value's type, without nullability.
    pub ty: TypeRef,
    /// `(variant, required, nullable)` of each branch holding it, in union order.
    pub holders: Vec<(String, bool, bool)>,
}

/// One branch of a union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// Variant name.
    pub name: String,
    /// The tag value selecting it.
    pub tag_value: String,
    /// The struct it holds.
    pub ty: String,
}

/// A string enumeration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueEnum {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// The known values, in schema order.
    pub variants: Vec<Variant>,
    /// The catch-all variant (open enums only).
    pub other: String,
    /// `x-case-insensitive`: any ASCII case variant of a value is that value.
    pub case_insensitive: bool,
}

/// One known value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Variant name.
    pub name: String,
    /// The canonical JSON spelling.
    pub value: String,
    /// Listed in `x-quirk-values` with no documented value it spells.
    pub quirk: bool,
    /// Other spellings of the same value listed in `x-quirk-values`, in schema order.
    pub spellings: Vec<String>,
}

/// The Rust integer type holding a bounded integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntRepr {
    /// `u8` (bounds within 0..=255).
    U8,
    /// `u64` (minimum ≥ 0).
    U64,
    /// `i64`.
    I64,
}

/// A bounded integer newtype.
#[derive(Debug, Clone, PartialEq)]
pub struct Integer {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// Representation.
    pub repr: IntRepr,
    /// Inclusive bounds, already rounded inwards to integers.
    pub bounds: Bounds<i128>,
}

/// A value of one of several JSON types.
#[derive(Debug, Clone, PartialEq)]
pub struct Multi {
    /// Rust name.
    pub name: String,
    /// Docs.
    pub docs: Docs,
    /// One per JSON type, in the schema's `type` order.
    pub branches: Vec<Branch>,
}

/// One JSON type of a [`Multi`].
#[derive(Debug, Clone, PartialEq)]
pub enum Branch {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// An integer with its representation and bounds.
    Integer(IntRepr, Bounds<i128>),
    /// Any number, with bounds.
    Number(Bounds<f64>),
}

impl Branch {
    /// The variant name of the branch: the JSON type's name.
    pub fn variant(&self) -> &'static str {
        match self {
            Branch::String => "String",
            Branch::Boolean => "Boolean",
            Branch::Integer(..) => "Integer",
            Branch::Number(_) => "Number",
        }
    }
}
