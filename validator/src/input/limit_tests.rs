//! The maximum record size through every reader, with a limit of 64 bytes so
//! that an over-long record is a short string here.

use super::{ReadOptions, Sink, read_with};
use crate::place::{Locus, Position};

const LIMIT: usize = 64;

/// What a reader found, in order.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Record(Locus, String),
    Malformed(Locus, String),
    NoEvent(Locus),
    ErrorResponse(Locus, u16),
}

struct Collect {
    limit: usize,
    found: Vec<Found>,
}

impl Sink for Collect {
    fn record(&mut self, locus: Locus, bytes: &[u8]) {
        assert!(
            bytes.len() <= self.limit,
            "a record of {} bytes",
            bytes.len()
        );
        let text = String::from_utf8_lossy(bytes).into_owned();
        self.found.push(Found::Record(locus, text));
    }
    fn malformed(&mut self, locus: Locus, message: String) {
        self.found.push(Found::Malformed(locus, message));
    }
    fn no_event(&mut self, locus: Locus) {
        self.found.push(Found::NoEvent(locus));
    }
    fn error_response(&mut self, locus: Locus, status: u16) {
        self.found.push(Found::ErrorResponse(locus, status));
    }
}

fn read_limited(input: &[u8], limit: usize) -> Vec<Found> {
    let mut sink = Collect {
        limit,
        found: Vec::new(),
    };
    let options = ReadOptions::default()
        .with_max_record_size(limit)
        .expect("a limit in range");
    read_with(input, &mut sink, &options).expect("an in-memory input reads");
    sink.found
}

fn read(input: &[u8]) -> Vec<Found> {
    read_limited(input, LIMIT)
}

fn too_long(locus: Locus) -> Found {
    too_long_of(locus, LIMIT)
}

fn too_long_of(locus: Locus, limit: usize) -> Found {
    Found::Malformed(
        locus,
        format!("record longer than {limit} bytes (--max-record-size)"),
    )
}

fn at(line: u64, column: u64) -> Locus {
    Locus::at(line, column)
}

fn record(locus: Locus, text: &str) -> Found {
    Found::Record(locus, text.to_owned())
}

#[test]
fn an_ndjson_line_past_the_limit_is_malformed_and_the_next_lines_are_read() {
    let exact = format!(r#"{{"a": "{}"}}"#, "x".repeat(LIMIT - 9));
    assert_eq!(exact.len(), LIMIT);
    let long = format!(r#"{{"a": "{}"}}"#, "x".repeat(1000));
    let input = format!("{{\"n\": 1}}\n{long}\r\n{{\"n\": 3}}\n{exact}\n  {long}\n{{\"n\": 6}}");
    assert_eq!(
        read(input.as_bytes()),
        [
            record(at(1, 1), r#"{"n": 1}"#),
            too_long(at(2, 1)),
            record(at(3, 1), r#"{"n": 3}"#),
            record(at(4, 1), &exact),
            too_long(at(5, 3)),
            record(at(6, 1), r#"{"n": 6}"#),
        ]
    );
}

#[test]
fn a_last_line_without_a_line_break_is_held_to_the_limit() {
    let exact = "x".repeat(LIMIT);
    let over = "x".repeat(LIMIT + 1);
    assert_eq!(
        read(format!("1\n{exact}").as_bytes()),
        [record(at(1, 1), "1"), record(at(2, 1), &exact)]
    );
    assert_eq!(
        read(format!("1\n{over}").as_bytes()),
        [record(at(1, 1), "1"), too_long(at(2, 1))]
    );
}

#[test]
fn nul_bytes_without_end_are_one_malformed_line() {
    let mut input = vec![0u8; 100_000];
    input.extend_from_slice(b"\n{\"n\": 2}\n");
    assert_eq!(
        read(&input),
        [too_long(at(1, 1)), record(at(2, 1), r#"{"n": 2}"#)]
    );
}

#[test]
fn an_array_item_past_the_limit_is_malformed_and_the_array_goes_on() {
    let long = format!(r#"{{"a": "{}", "b": [1, {{"c": "]"}}]}}"#, "x".repeat(1000));
    let input = format!("[\n{{\"n\": 0}},\n{long},\n{{\"n\": 2}}\n]\n");
    let item = |line, index| at(line, 1).with_index(index);
    assert_eq!(
        read(input.as_bytes()),
        [
            record(item(2, 0), r#"{"n": 0}"#),
            too_long(item(3, 1)),
            record(item(4, 2), r#"{"n": 2}"#),
        ]
    );
}

#[test]
fn a_bulk_event_past_the_limit_and_a_document_ending_inside_one() {
    let long = format!(r#"{{"a": "{}"}}"#, "x".repeat(1000));
    // On one line, the body would be one NDJSON line past the limit.
    let input = format!("{{\"events\": [\n{long}, {{\"n\": 1}}]}}");
    let item = |column, index| at(2, column).with_index(index);
    assert_eq!(
        read(input.as_bytes()),
        [
            too_long(item(1, 0)),
            record(item(long.len() as u64 + 3, 1), r#"{"n": 1}"#)
        ]
    );
    assert_eq!(
        read(format!("{{\"events\": [{long}]}}").as_bytes()),
        [too_long(at(1, 1))]
    );
    // One event never closed: reported when the input ends.
    let input = format!("{{\n\"log_type\": \"x\", \"a\": [{}", "1, ".repeat(1000));
    assert_eq!(read(input.as_bytes()), [too_long(at(1, 1))]);
}

#[test]
fn a_long_key_is_not_kept_whole() {
    // The key is longer than the limit, the object too: one malformed record.
    let input = format!("{{\n\"{}\": 1}}\n", "k".repeat(1000));
    assert_eq!(read(input.as_bytes()), [too_long(at(1, 1))]);
}

#[test]
fn an_http_body_past_the_limit_is_malformed_and_the_next_response_is_read() {
    let long = format!(r#"{{"a": "{}"}}"#, "x".repeat(40));
    let input = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{{\r\n{long},\r\n{long}\r\n}}\r\n\
         HTTP/1.1 200 OK\r\n\r\n{{\"n\": 2}}\r\n\
         HTTP/1.1 200 OK\r\n\r\n{}\r\n\
         HTTP/1.1 500 Internal Server Error\r\n\r\n{}\r\n\
         HTTP/1.1 204 No Content\r\n\r\n",
        "y".repeat(10_000),
        "z".repeat(10_000),
    );
    let response = |line, number| Locus::Http {
        response: number,
        at: Some(Position {
            line,
            column: Some(1),
        }),
        index: None,
    };
    let status = |line, number| Locus::Http {
        response: number,
        at: Some(Position::line(line)),
        index: None,
    };
    assert_eq!(
        read(input.as_bytes()),
        [
            too_long(response(4, 1)),
            record(response(10, 2), r#"{"n": 2}"#),
            too_long(response(13, 3)),
            Found::ErrorResponse(status(14, 4), 500),
            Found::NoEvent(status(17, 5)),
        ]
    );
}

#[test]
fn a_status_line_after_a_body_near_the_limit_is_still_seen() {
    let body = format!(r#"{{"a": "{}"}}"#, "x".repeat(LIMIT - 12));
    let input = format!("HTTP/1.1 200 OK\n\n{body}\nHTTP/1.1 204 No Content\n\n");
    let found = read(input.as_bytes());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(matches!(&found[0], Found::Record(_, text) if *text == body));
    assert!(matches!(found[1], Found::NoEvent(_)), "{found:?}");
}

#[test]
fn a_har_entry_past_the_limit_is_malformed_and_the_next_entry_is_read() {
    let entry = |text: &str| {
        format!(
            r#"{{"request": {{"url": "https://h/api/v1/log_events"}}, "response": {{"status": 200, "content": {{"text": "{text}"}}}}}}"#
        )
    };
    let limit = 300;
    let long = entry(&"x".repeat(1000));
    let input = format!(
        "{{\"log\": {{\"entries\": [\n{long},\n{}\n]}}}}",
        entry("1")
    );
    assert_eq!(
        read_limited(input.as_bytes(), limit),
        [
            too_long_of(at(2, 1).har_entry(0), limit),
            record(
                Locus::Har {
                    entry: 1,
                    at: None,
                    index: None
                },
                "1"
            ),
        ]
    );
}

#[test]
fn a_byte_order_mark_opening_a_later_line_is_skipped() {
    // Two files written with a BOM, concatenated; the first BOM is the file's.
    let found = read(b"\xEF\xBB\xBF{\"a\": 1}\n\xEF\xBB\xBF{\"b\": 2}\n  \xEF\xBB\xBF\n");
    assert_eq!(
        found,
        vec![
            Found::Record(at(1, 1), "{\"a\": 1}".to_owned()),
            Found::Record(at(2, 4), "{\"b\": 2}".to_owned()),
        ]
    );
}
