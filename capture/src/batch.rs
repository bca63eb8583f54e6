//! Turning a response body into journal lines, without touching event bytes.
//!
//! The bulk endpoint answers `{"events": [...]}` (a bare JSON array `[...]`
//! is taken as the same batch: a published collector accepts that form
//! too); the single endpoint answers one event. Each event is taken as a [`RawValue`]: serde_json checks its
//! syntax and hands back the exact bytes the server sent, which become one
//! journal line.
//!
//! # The one case where bytes change
//!
//! A journal line cannot contain a newline. JSON forbids raw control
//! characters inside strings (serde_json rejects them), so in a syntactically
//! valid event a raw `\n` or `\r` can only be whitespace between tokens (a
//! pretty-printed event). Such bytes are replaced by a space, one for one;
//! every other byte is kept. An event without raw newlines, which is every
//! event real servers have been seen to send, is written byte for byte.
//!
//! A body that does not parse is not split at all: the caller stores it whole
//! in the rejects directory (see [`crate::rejects`]), so a parse problem never
//! loses an event.

use serde::Deserialize;
use serde_json::value::RawValue;

/// Which endpoint a body came from, and so how to split it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `{"events": [...]}` (or a bare `[...]`) from `/api/v1/log_events_bulk`.
    Bulk,
    /// One event from `/api/v1/log_events`.
    Single,
}

#[derive(Deserialize)]
struct BulkBody<'a> {
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// Splits a body into journal lines (no trailing newline on each).
///
/// Returns the parse error's message (with line and column) when the body is
/// not what the endpoint promises.
pub fn split(kind: BodyKind, body: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let events: Vec<&RawValue> = match kind {
        // Told apart by the first byte, so a parse error keeps serde_json's place.
        BodyKind::Bulk if body.trim_ascii_start().starts_with(b"[") => {
            serde_json::from_slice(body).map_err(|e| e.to_string())?
        }
        BodyKind::Bulk => {
            let parsed: BulkBody<'_> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            parsed.events
        }
        BodyKind::Single => {
            let one: &RawValue = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            vec![one]
        }
    };
    Ok(events
        .into_iter()
        .map(|e| one_line(e.get().as_bytes()))
        .collect())
}

/// The journal line for one syntactically valid event (see module docs).
pub fn one_line(event: &[u8]) -> Vec<u8> {
    event
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_keeps_event_bytes() {
        let body = br#"{ "events" : [ {"a" : 1.0,"b":"x\ny"} ,
            {"z":1,"a":2,"z":3} ] }"#;
        let lines = split(BodyKind::Bulk, body).unwrap();
        assert_eq!(
            lines,
            vec![
                br#"{"a" : 1.0,"b":"x\ny"}"#.to_vec(),
                br#"{"z":1,"a":2,"z":3}"#.to_vec()
            ]
        );
    }

    #[test]
    fn a_bare_array_is_a_batch_too() {
        let body = b" \n[ {\"log_type\":\"incident\",\"severity\":1.0} ,{\"a\" : [1, 2]}\n]";
        let lines = split(BodyKind::Bulk, body).unwrap();
        assert_eq!(
            lines,
            vec![
                br#"{"log_type":"incident","severity":1.0}"#.to_vec(),
                br#"{"a" : [1, 2]}"#.to_vec()
            ]
        );
        assert!(split(BodyKind::Bulk, b"[]").unwrap().is_empty());
    }

    #[test]
    fn empty_bulk_is_no_lines() {
        assert!(
            split(BodyKind::Bulk, br#"{"events":[]}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn pretty_printed_event_becomes_one_line() {
        let lines = split(BodyKind::Single, b"{\r\n  \"a\": \"b\\n\"\n}").unwrap();
        assert_eq!(lines, vec![b"{    \"a\": \"b\\n\" }".to_vec()]);
    }

    #[test]
    fn single_event_bytes_kept() {
        let body = br#"{"log_type":"incident","severity":3.0}"#;
        assert_eq!(split(BodyKind::Single, body).unwrap(), vec![body.to_vec()]);
    }

    #[test]
    fn malformed_bodies_are_errors_with_place() {
        let err = split(BodyKind::Bulk, b"{\"events\": [{\"a\":1},]}").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        assert!(split(BodyKind::Bulk, br#"{"events": null}"#).is_err());
        assert!(split(BodyKind::Bulk, br#"[{"a":1},]"#).is_err());
        assert!(split(BodyKind::Bulk, br#"{"events": [], "x": [}"#).is_err());
        assert!(split(BodyKind::Single, b"{\"a\":").is_err());
        assert!(split(BodyKind::Single, b"").is_err());
    }

    #[test]
    fn raw_newline_inside_a_string_is_rejected_not_rewritten() {
        // The module's reasoning rests on this: a raw newline can only be
        // whitespace between tokens in a body that parses.
        assert!(split(BodyKind::Single, b"{\"a\":\"x\ny\"}").is_err());
        assert!(split(BodyKind::Bulk, b"{\"events\":[\"x\ry\"]}").is_err());
    }
}
