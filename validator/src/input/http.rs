//! HTTP response transcripts, as in the vendor's doc and `curl -i` output.
//!
//! Each response is a status line, headers, a blank line and a body; several
//! may follow each other in one file. A body ends where the next status line
//! begins. Blank lines between headers (as in the vendor's doc) are allowed.
//! `204 No Content` is a response without an event; a 2xx body whose
//! `Content-Type` is not JSON is reported as malformed; 4xx and 5xx
//! responses are noted, not counted as records; 1xx responses are skipped.
//! A body with `Transfer-Encoding: chunked` that still has its framing is
//! decoded first ([`super::chunked`]); its records' lines are counted in the
//! decoded body, from the line after the first size line.
//!
//! # Design
//! A body is held whole before it is scanned, so it is bounded by the
//! maximum record size: a body line is read straight into the body, never
//! past the limit, and a body that goes past it is counted as one malformed
//! record; its remaining lines are skipped, only looked at for the next
//! status line. Outside headers and bodies (before the first response, after
//! stray text) only the first [`PEEK`] bytes of a line are read.

use std::io::{self, BufRead};

use super::Sink;
use super::bounded::{Line, read_line, skip_line, too_long};
use super::chunked;
use super::scan::Scanner;
use crate::place::{Locus, Position};

/// The bytes of a line read where only a status line matters: any status line.
const PEEK: usize = 4096;

/// The status code of a status line (`HTTP/1.1 204 No Content`), if `line` is one.
fn status_of(line: &[u8]) -> Option<u16> {
    if !line.starts_with(b"HTTP/") {
        return None;
    }
    let mut words = line
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let code = words.nth(1)?;
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}

/// The most of a header value kept (a content type is a few dozen
/// characters; a hostile one can be as long as a record).
const MAX_HEADER: usize = 200;

/// A header value as kept: cut to [`MAX_HEADER`] characters, keeping
/// whether the whole value names JSON (`…; x=json` past the cut) by ending
/// the cut text with `json`.
pub(super) fn kept_header(value: &str) -> String {
    if value.len() <= MAX_HEADER {
        return value.to_owned();
    }
    let mut kept = crate::mask::truncate(value, MAX_HEADER);
    if names_json(value) && !names_json(&kept) {
        kept.push_str(" (json)");
    }
    kept
}

/// Whether a content type names JSON (`application/json`, `…+json`), in any case.
fn names_json(content_type: &str) -> bool {
    let bytes = content_type.as_bytes();
    memchr::memchr2_iter(b'j', b'J', bytes).any(|at| {
        bytes
            .get(at..at + 4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"json"))
    })
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

/// Where a response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Headers,
    Body,
    /// A body past the limit: its lines are skipped.
    TooLong,
}

struct Response {
    status: u16,
    locus: Locus,
    content_type: Option<String>,
    chunked: bool,
    body: Vec<u8>,
    body_line: Option<u64>,
    part: Part,
}

impl Response {
    fn new(status: u16, line: u64, number: u64) -> Self {
        Response {
            status,
            locus: Locus::Http {
                response: number,
                at: Some(Position::line(line)),
                index: None,
            },
            content_type: None,
            chunked: false,
            body: Vec::new(),
            body_line: None,
            part: Part::Headers,
        }
    }

    /// Gives up the body: it is past the limit.
    fn too_long(&mut self) {
        self.part = Part::TooLong;
        self.body = Vec::new();
    }
}

/// Reads every response of a transcript; a body may hold `limit` bytes.
pub(super) fn read(mut reader: impl BufRead, sink: &mut dyn Sink, limit: usize) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut number = 0u64;
    let mut current: Option<Response> = None;
    // Text before the first status line was reported: skip to a status line.
    let mut stray = false;
    loop {
        buf.clear();
        // A body line goes straight into the body (held once, never past the
        // limit by more than `PEEK`); it moves to `buf` if it is a status line.
        let mut body_line = false;
        let got = match current.as_mut() {
            Some(response) if response.part == Part::Body => {
                let start = response.body.len();
                let max = limit.saturating_sub(start).max(PEEK).saturating_add(1);
                let got = read_line(&mut reader, &mut response.body, max)?;
                if status_of(&response.body[start..]).is_some() {
                    buf.extend_from_slice(&response.body[start..]);
                    response.body.truncate(start);
                } else {
                    body_line = true;
                }
                got
            }
            // A header, or the body's first line.
            Some(response) if response.part == Part::Headers => {
                read_line(&mut reader, &mut buf, limit.saturating_add(1))?
            }
            _ => read_line(&mut reader, &mut buf, PEEK)?,
        };
        if got == Line::End {
            break;
        }
        line += 1;
        if got == Line::Cut {
            skip_line(&mut reader)?;
        }
        if let Some(response) = current.as_mut().filter(|_| body_line) {
            if got == Line::Cut || response.body.len() > limit {
                response.too_long();
            }
            continue;
        }
        let text = buf.trim_ascii_end();
        if let Some(status) = status_of(text) {
            if let Some(done) = current.take() {
                finish(done, sink, limit);
            }
            number += 1;
            current = Some(Response::new(status, line, number));
            stray = false;
            continue;
        }
        let Some(response) = current.as_mut() else {
            if !text.is_empty() && !stray {
                sink.malformed(
                    Locus::at_line(line),
                    "expected an HTTP status line such as `HTTP/1.1 200 OK`".to_owned(),
                );
                // One report for the stray text, up to the next status line.
                stray = true;
            }
            continue;
        };
        if response.part != Part::Headers {
            continue;
        }
        if got == Line::Whole {
            if text.is_empty() {
                continue;
            }
            if let Some((name, value)) = header_of(text) {
                match name.as_str() {
                    "content-type" => response.content_type = Some(kept_header(&value)),
                    "transfer-encoding" => {
                        response.chunked = value.to_ascii_lowercase().contains("chunked");
                    }
                    _ => {}
                }
                continue;
            }
        }
        // Not a header: the body's first line.
        response.body_line = Some(line);
        if got == Line::Cut {
            response.too_long();
        } else {
            response.part = Part::Body;
            response.body = std::mem::take(&mut buf);
        }
    }
    if let Some(done) = current.take() {
        finish(done, sink, limit);
    }
    Ok(())
}

fn finish(response: Response, sink: &mut dyn Sink, limit: usize) {
    // A response without a body line has an empty body: `respond` places
    // what it finds at the response.
    let mut body_locus = response.locus;
    if let Locus::Http { at, .. } = &mut body_locus {
        *at = response.body_line.map(|line| Position {
            line,
            column: Some(1),
        });
    }
    if response.part == Part::TooLong {
        match response.status {
            100..=199 => {}
            200..=299 => sink.malformed(body_locus, too_long(limit)),
            status => sink.error_response(response.locus, status),
        }
        return;
    }
    let decoded;
    let body = match (response.chunked, response.status) {
        (true, 200..=299) => match chunked::decode(&response.body) {
            None => &response.body,
            Some(Ok(body)) => {
                decoded = body;
                if let Some(at) = body_locus.position_mut() {
                    at.line += 1;
                }
                &decoded
            }
            Some(Err(broken)) => {
                sink.malformed(body_locus, broken.message().to_owned());
                return;
            }
        },
        _ => &response.body,
    };
    // A body read from a transcript always has a line; `respond` scans it from there.
    respond(
        response.status,
        response.content_type.as_deref(),
        body,
        response.locus,
        body_locus,
        sink,
        limit,
    );
}

/// Handles one HTTP response, from a transcript or a HAR entry; its records
/// may hold `limit` bytes.
pub(super) fn respond(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    locus: Locus,
    body_locus: Locus,
    sink: &mut dyn Sink,
    limit: usize,
) {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    match status {
        100..=199 => {}
        204 if blank => sink.no_event(locus),
        204 => sink.malformed(locus, "a 204 No Content response with a body".to_owned()),
        200..=299 if blank => sink.malformed(locus, format!("a {status} response without a body")),
        200..=299 => match content_type {
            Some(ct) if !names_json(ct) => sink.malformed(
                locus,
                format!(
                    "the body's content type is `{}`, not JSON",
                    crate::mask::printable(ct, 100)
                ),
            ),
            _ => {
                // An in-memory body cannot fail to read.
                let _ = Scanner::new(body, body_locus, limit).document(sink);
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
        assert_eq!(status_of(b"HTTP/1.1  200  OK\r\n"), Some(200));
        assert_eq!(status_of(b"HTTP/1.1 OK"), None);
        assert_eq!(status_of(b"HTTP/1.1 20x OK"), None);
        assert_eq!(status_of(b"HTTP/1.1 200 \xff"), Some(200));
        assert_eq!(
            header_of(b"Content-Type: application/json"),
            Some(("content-type".into(), "application/json".into()))
        );
        assert_eq!(header_of(br#""log_type": "incident""#), None);
    }
}
