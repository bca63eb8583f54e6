//! HTTP response transcripts, as in the vendor's doc and `curl -i` output.
//!
//! Each response is a status line, headers, a blank line and a body; several
//! may follow each other in one file. A body ends where the next status line
//! begins. Blank lines between headers (as in the vendor's doc) are allowed.
//! `204 No Content` is a response without an event; a 2xx body whose
//! `Content-Type` is not JSON is reported as malformed; 4xx and 5xx
//! responses are noted, not counted as records; 1xx responses are skipped.

use std::io::{self, BufRead};

use super::Sink;
use super::scan::Scanner;
use crate::place::Locus;

/// The status code of a status line (`HTTP/1.1 204 No Content`), if `line` is one.
fn status_of(line: &[u8]) -> Option<u16> {
    if !line.starts_with(b"HTTP/") {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    let code = text.split_ascii_whitespace().nth(1)?;
    if code.len() != 3 {
        return None;
    }
    code.parse().ok()
}

/// `Name: value` with a token name.
fn header_of(line: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(line).ok()?;
    let (name, value) = text.split_once(':')?;
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    token.then(|| (name.to_ascii_lowercase(), value.trim().to_owned()))
}

struct Response {
    status: u16,
    locus: Locus,
    content_type: Option<String>,
    body: Vec<u8>,
    body_line: Option<u64>,
    in_headers: bool,
}

/// Reads every response of a transcript.
pub(super) fn read(mut reader: impl BufRead, sink: &mut dyn Sink) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut number = 0u64;
    let mut current: Option<Response> = None;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line += 1;
        let text = buf.trim_ascii_end();
        if let Some(status) = status_of(text) {
            if let Some(done) = current.take() {
                finish(done, sink);
            }
            number += 1;
            let locus = Locus {
                line: Some(line),
                response: Some(number),
                ..Locus::default()
            };
            current = Some(Response {
                status,
                locus,
                content_type: None,
                body: Vec::new(),
                body_line: None,
                in_headers: true,
            });
            continue;
        }
        let Some(response) = current.as_mut() else {
            if !text.is_empty() {
                sink.malformed(
                    Locus::at_line(line),
                    "expected an HTTP status line such as `HTTP/1.1 200 OK`".to_owned(),
                );
                // Skip to the next status line: one report for the stray text.
                current = None;
                skip_stray(
                    &mut reader,
                    &mut buf,
                    &mut line,
                    &mut number,
                    &mut current,
                    sink,
                )?;
                if current.is_none() {
                    break;
                }
            }
            continue;
        };
        if response.in_headers {
            if text.is_empty() {
                continue;
            }
            if let Some((name, value)) = header_of(text) {
                if name == "content-type" {
                    response.content_type = Some(value);
                }
                continue;
            }
            response.in_headers = false;
        }
        if response.body_line.is_none() {
            response.body_line = Some(line);
        }
        response.body.extend_from_slice(&buf);
    }
    if let Some(done) = current.take() {
        finish(done, sink);
    }
    Ok(())
}

/// Consumes lines until a status line, which becomes `current`.
fn skip_stray(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    line: &mut u64,
    number: &mut u64,
    current: &mut Option<Response>,
    _sink: &mut dyn Sink,
) -> io::Result<()> {
    loop {
        buf.clear();
        if reader.read_until(b'\n', buf)? == 0 {
            return Ok(());
        }
        *line += 1;
        if let Some(status) = status_of(buf.trim_ascii_end()) {
            *number += 1;
            *current = Some(Response {
                status,
                locus: Locus {
                    line: Some(*line),
                    response: Some(*number),
                    ..Locus::default()
                },
                content_type: None,
                body: Vec::new(),
                body_line: None,
                in_headers: true,
            });
            return Ok(());
        }
    }
}

fn finish(response: Response, sink: &mut dyn Sink) {
    let mut body_locus = response.locus;
    body_locus.line = response.body_line;
    body_locus.column = Some(1);
    // A body read from a transcript always has a line; `respond` scans it from there.
    respond(
        response.status,
        response.content_type.as_deref(),
        &response.body,
        response.locus,
        body_locus,
        sink,
    );
}

/// Handles one HTTP response, from a transcript or a HAR entry.
pub(super) fn respond(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    locus: Locus,
    body_locus: Locus,
    sink: &mut dyn Sink,
) {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    match status {
        100..=199 => {}
        204 if blank => sink.no_event(locus),
        204 => sink.malformed(locus, "a 204 No Content response with a body".to_owned()),
        200..=299 if blank => sink.malformed(locus, format!("a {status} response without a body")),
        200..=299 => match content_type {
            Some(ct) if !ct.to_ascii_lowercase().contains("json") => sink.malformed(
                locus,
                format!("the body's content type is `{ct}`, not JSON"),
            ),
            _ => {
                // An in-memory body cannot fail to read.
                let _ = Scanner::new(body, body_locus).document(sink);
            }
        },
        _ => sink.error_response(locus, status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_and_headers() {
        assert_eq!(status_of(b"HTTP/1.1 204 No Content"), Some(204));
        assert_eq!(status_of(b"HTTP/2 200"), Some(200));
        assert_eq!(status_of(b"HTTP/1.1 OK"), None);
        assert_eq!(
            header_of(b"Content-Type: application/json"),
            Some(("content-type".into(), "application/json".into()))
        );
        assert_eq!(header_of(br#""log_type": "incident""#), None);
    }
}
