//! The names of the items the generator invents (the date-time type and its
//! error, helpers, union tag constants, checks, pattern statics), rather
//! than converts from schema text.

use super::case::{screaming_snake_case, snake_case};
use super::is_keyword;

/// The name of the generated date-time type when no `format: date-time`
/// schema has a title (the stock schemas' `timestamp` is titled `Timestamp`,
/// the name users know from jiff for an instant).
pub const DATE_TIME_NAME: &str = "Timestamp";

/// The name of the generated type holding an open set's unknown value.
pub const OTHER_VALUE_NAME: &str = "OtherValue";

/// The name of the generated error of a bounded integer's `TryFrom`.
pub const OUT_OF_RANGE_NAME: &str = "OutOfRange";

/// The name of the error parsing the date-time type `date_time`
/// (`InvalidTimestamp`).
pub fn invalid_date_time(date_time: &str) -> String {
    format!("Invalid{date_time}")
}

/// A type's name with a role after it: a private helper item for a public
/// type (`IncidentBuilder`), or the hint naming a subschema's type
/// (`IncidentItem`, `IncidentExtra`).
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{name}{suffix}")
}

/// The associated constant holding a union member's tag value (`LOG_TYPE`).
pub fn tag_const(tag: &str) -> String {
    screaming_snake_case(tag).unwrap_or_else(|| "TAG".to_owned())
}

/// The union's constant listing every known tag value (`LOG_TYPES`).
pub fn tags_const(tag: &str) -> String {
    format!("{}S", tag_const(tag))
}

/// The union's method giving an event's tag (`log_type`; `type_value` for a
/// keyword).
pub fn tag_accessor(tag: &str) -> String {
    match snake_case(tag).unwrap_or_else(|| "tag".to_owned()) {
        name if is_keyword(&name) => format!("{name}_value"),
        name => name,
    }
}

/// The private function checking a struct's JSON beyond its fields
/// (`check_incident`).
pub fn struct_check(struct_name: &str) -> String {
    format!("check_{}", snake_case(struct_name).unwrap_or_default())
}

/// The static holding the module's pattern number `index` (`PATTERN_0`).
pub fn pattern_static(index: usize) -> String {
    format!("PATTERN_{index}")
}

/// The support function asserting a format (`is_valid_date_time`).
pub fn format_check(format: &str) -> String {
    format!("is_valid_{}", format.replace('-', "_"))
}
