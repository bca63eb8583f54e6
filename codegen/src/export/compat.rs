//! Adjustments that make other ecosystems' tools read the export as the
//! schemas mean it. Each one adds a keyword that a conforming tool already
//! takes as implied, so no verdict of a conforming tool changes; each is here
//! because a named tool read the plain form differently (found by the
//! conformance run in `tests/conformance/`).
//!
//! - `format: date-time` gets the RFC 3339 `date-time` grammar as a `pattern`
//!   (when it has no pattern): ajv-formats accepts a space in place of the
//!   `T`, which RFC 3339's production does not (its §5.6 note allows it only to
//!   other specifications). The calendar (February 30, hour 25) is still the
//!   format's job.
//! - A schema with `discriminator` and `oneOf` but no `type` gets
//!   `type: "object"`: a discriminator only ever applies to objects, and ajv's
//!   `discriminator` support refuses the schema in strict mode without it.

use aperture_events_schema::ordered::Node;
use aperture_events_schema::vocabulary::keywords::holds_data;

/// The RFC 3339 `date-time` production, ASCII digits only (`\d` would take
/// any Unicode digit in Python's `re`).
pub const DATE_TIME_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

/// Applies every adjustment to `node` and everything under it.
pub fn adjust(node: &mut Node) {
    match node {
        Node::Object(entries) => {
            for (key, value) in entries.iter_mut() {
                if !holds_data(key) {
                    adjust(value);
                }
            }
            let has = |entries: &[(String, Node)], key: &str| entries.iter().any(|(k, _)| k == key);
            let is_date_time = entries
                .iter()
                .any(|(k, v)| k == "format" && v.as_str() == Some("date-time"));
            if is_date_time && !has(entries, "pattern") {
                let at = entries
                    .iter()
                    .position(|(k, _)| k == "format")
                    .map_or(entries.len(), |i| i + 1);
                entries.insert(
                    at,
                    (
                        "pattern".to_owned(),
                        Node::String(DATE_TIME_PATTERN.to_owned()),
                    ),
                );
            }
            if has(entries, "discriminator") && has(entries, "oneOf") && !has(entries, "type") {
                let at = entries
                    .iter()
                    .position(|(k, _)| k == "oneOf")
                    .unwrap_or(entries.len());
                entries.insert(at, ("type".to_owned(), Node::String("object".to_owned())));
            }
        }
        Node::Array(items) => items.iter_mut().for_each(adjust),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjusted(text: &str) -> String {
        let mut node: Node = serde_json::from_str(text).unwrap();
        adjust(&mut node);
        serde_json::to_string(&node).unwrap()
    }

    #[test]
    fn date_times_get_the_rfc_3339_pattern_after_their_format() {
        let out = adjusted(
            r#"{"properties": {"t": {"type": "string", "format": "date-time", "title": "T"}}}"#,
        );
        let pattern = serde_json::to_string(DATE_TIME_PATTERN).unwrap();
        assert_eq!(
            out,
            format!(
                r#"{{"properties":{{"t":{{"type":"string","format":"date-time","pattern":{pattern},"title":"T"}}}}}}"#
            )
        );
    }

    #[test]
    fn an_existing_pattern_other_formats_and_examples_are_left_alone() {
        let text = r#"{"a": {"format": "date-time", "pattern": "^x$"}, "b": {"format": "date"}, "examples": [{"format": "date-time"}]}"#;
        assert_eq!(
            adjusted(text),
            serde_json::to_string(&serde_json::from_str::<Node>(text).unwrap()).unwrap()
        );
    }

    #[test]
    fn a_discriminated_one_of_is_typed_as_an_object() {
        assert_eq!(
            adjusted(r#"{"title": "U", "oneOf": [], "discriminator": {"propertyName": "k"}}"#),
            r#"{"title":"U","type":"object","oneOf":[],"discriminator":{"propertyName":"k"}}"#
        );
        let typed = r#"{"type":"object","oneOf":[],"discriminator":{}}"#;
        assert_eq!(adjusted(typed), typed);
    }
}
