//! Bodies sent with `Transfer-Encoding: chunked`, as raw captures keep them.
//!
//! `curl -i` (and the vendor's doc) print the header but a decoded body;
//! `curl --raw -i`, proxies and packet captures keep the framing: a
//! hexadecimal size line before each chunk, a zero-size chunk at the end. A
//! body whose header says chunked is decoded when it starts with a size line,
//! and taken as it is otherwise. An event body starts with `{` or `[`, never
//! with a hexadecimal size, so the two cannot be mistaken for each other.

/// How decoding a chunked body went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Broken {
    /// A size line is not a hexadecimal number.
    Size,
    /// The body ends inside a chunk.
    Truncated,
    /// A chunk's data is not followed by a line break.
    NoLineBreak,
}

impl Broken {
    /// The message of a body whose framing is broken.
    pub(super) fn message(self) -> &'static str {
        match self {
            Broken::Size => "the chunked body has a size line that is not a hexadecimal number",
            Broken::Truncated => "the chunked body ends inside a chunk",
            Broken::NoLineBreak => "a chunk of the chunked body is not followed by a line break",
        }
    }
}

/// The body without its chunk framing, or `None` when `body` does not start
/// with a chunk size line (it is already decoded). A body cut short after a
/// whole chunk, without the last zero-size chunk, gives what it holds.
pub(super) fn decode(body: &[u8]) -> Option<Result<Vec<u8>, Broken>> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let mut rest = &body[start..];
    size_line(rest)?;
    let mut out = Vec::with_capacity(rest.len());
    loop {
        if rest.iter().all(u8::is_ascii_whitespace) {
            return Some(Ok(out));
        }
        let Some((size, after)) = size_line(rest) else {
            return Some(Err(Broken::Size));
        };
        if size == 0 {
            // Trailers, if any, are headers: nothing of the body.
            return Some(Ok(out));
        }
        let Some(data) = after.get(..size) else {
            return Some(Err(Broken::Truncated));
        };
        out.extend_from_slice(data);
        rest = match &after[size..] {
            [b'\r', b'\n', more @ ..] | [b'\n', more @ ..] => more,
            [] => return Some(Ok(out)),
            _ => return Some(Err(Broken::NoLineBreak)),
        };
    }
}

/// A chunk size line (`1a`, `1A;name=value`, with LF or CRLF): the size and what follows the line.
fn size_line(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let end = memchr::memchr(b'\n', bytes)?;
    let line = bytes[..end].strip_suffix(b"\r").unwrap_or(&bytes[..end]);
    let digits = line.split(|b| *b == b';').next()?.trim_ascii();
    // 15 hexadecimal digits are more than any body the limit lets through.
    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let size = usize::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    Some((size, &bytes[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framed_body_is_decoded() {
        let body = b"\r\n6\r\n{\"a\": \r\n4;ext=1\r\n\"b\"}\r\n0\r\n\r\n";
        assert_eq!(decode(body), Some(Ok(b"{\"a\": \"b\"}".to_vec())));
        // LF alone, an upper-case digit, a chunk with a line break inside.
        let body = b"B\n{\"a\":\n\"xy\"}\n0\n";
        assert_eq!(decode(body), Some(Ok(b"{\"a\":\n\"xy\"}".to_vec())));
    }

    #[test]
    fn a_decoded_body_is_left_alone() {
        assert_eq!(decode(b"{\"log_type\": \"incident\"}\r\n"), None);
        assert_eq!(decode(b"\r\n[\r\n]"), None);
        assert_eq!(decode(b""), None);
        // A hexadecimal word without a line break is not a size line.
        assert_eq!(decode(b"beef"), None);
    }

    #[test]
    fn broken_framing_says_how() {
        assert_eq!(decode(b"5\r\n{}\r\n"), Some(Err(Broken::Truncated)));
        assert_eq!(decode(b"2\r\n{}x\r\n0\r\n"), Some(Err(Broken::NoLineBreak)));
        assert_eq!(decode(b"2\r\n{}\r\nzz\r\n"), Some(Err(Broken::Size)));
        assert_eq!(
            decode(b"fffffffffffffffff\r\n{}"),
            None,
            "too many digits: not a size line"
        );
    }

    #[test]
    fn a_body_cut_after_a_whole_chunk_gives_what_it_holds() {
        assert_eq!(decode(b"2\r\n{}\r\n"), Some(Ok(b"{}".to_vec())));
        assert_eq!(decode(b"2\r\n{}"), Some(Ok(b"{}".to_vec())));
    }
}
