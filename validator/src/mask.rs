//! Describing payload values without showing them.
//!
//! Security events carry email addresses, names and file names. Reports say
//! what *kind* of value was found (`a string of 12 characters`) unless the
//! user asks for values with `--show-values`.
//!
//! # Design
//! `null` and booleans are shown even when masking: they carry no personal
//! data and "found null" is the most useful message there is. Numbers are
//! masked like strings: a size or a count can be as telling as a name.

use serde_json::Value;

/// The longest value text shown when values are shown.
pub const MAX_SHOWN: usize = 80;

/// Describes `value` for a message: its kind when `show` is false, its JSON
/// text (truncated to [`MAX_SHOWN`] characters) when true.
pub fn describe(value: &Value, show: bool) -> String {
    if show {
        return truncate(&value.to_string(), MAX_SHOWN);
    }
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer".to_owned(),
        Value::Number(n) => match n.as_f64() {
            // `7.0` is an integer to JSON Schema; say so, as the schema's messages do.
            Some(f) if f.fract() == 0.0 => "an integer".to_owned(),
            _ => "a number with a fraction".to_owned(),
        },
        Value::String(s) if s.is_empty() => "an empty string".to_owned(),
        Value::String(s) => plural(s.chars().count(), "a string of", "character"),
        Value::Array(a) if a.is_empty() => "an empty array".to_owned(),
        Value::Array(a) => plural(a.len(), "an array of", "item"),
        Value::Object(o) if o.is_empty() => "an empty object".to_owned(),
        Value::Object(o) => plural(o.len(), "an object with", "field"),
    }
}

/// The JSON type name of `value`, as JSON Schema says it (`integer` for integral numbers).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn plural(n: usize, prefix: &str, noun: &str) -> String {
    if n == 1 {
        format!("{prefix} 1 {noun}")
    } else {
        format!("{prefix} {n} {noun}s")
    }
}

/// [`truncate`], borrowing when `text` is short enough already (the common case).
pub fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    // A string of at most `max` bytes has at most `max` characters.
    if text.len() <= max {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(truncate(text, max))
    }
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masked_descriptions_never_contain_the_value() {
        assert_eq!(
            describe(&json!("jane.doe@example.com"), false),
            "a string of 20 characters"
        );
        assert_eq!(describe(&json!("é"), false), "a string of 1 character");
        assert_eq!(describe(&json!(""), false), "an empty string");
        assert_eq!(describe(&json!(7), false), "an integer");
        assert_eq!(describe(&json!(2.5), false), "a number with a fraction");
        assert_eq!(describe(&json!(7.0), false), "an integer");
        assert_eq!(describe(&json!(["a", "b"]), false), "an array of 2 items");
        assert_eq!(describe(&json!({"a": 1}), false), "an object with 1 field");
        assert_eq!(describe(&json!(null), false), "null");
    }

    #[test]
    fn shown_values_are_json_and_truncated() {
        assert_eq!(describe(&json!("x"), true), "\"x\"");
        let long = "a".repeat(200);
        let shown = describe(&json!(long), true);
        assert_eq!(shown.chars().count(), MAX_SHOWN + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn integral_floats_are_integers() {
        assert_eq!(type_name(&json!(1.0)), "integer");
        assert_eq!(type_name(&json!(1.5)), "number");
    }
}
