//! Cutting long strings while a report is read.
//!
//! serde_json holds a string whole (in its scratch buffer) before a
//! deserializer sees it: a report with a 200 MB string would take 200 MB
//! before any `Text` could cut it. [`Tokens`] sits between the file and the
//! parser and cuts every string at [`MAX_TOKEN`] bytes as the bytes go by
//! (at a character boundary, never inside an escape, a UTF-8 character or a
//! surrogate pair, its closing quote kept), so the parser never holds more.

use std::io::{self, Read};

/// The longest string (or number) of a report kept whole while it is read,
/// in bytes: a longer string is cut as it is read (and then to its
/// [`Text`](crate::mask::Text)'s length, marked `…`), a longer number is
/// refused. A report's longest text, an input's name of 4,096 characters
/// each written `\u{10ffff}`, takes 45,057 bytes of JSON.
pub const MAX_TOKEN: usize = 1 << 20;

/// How far into a JSON token [`Tokens`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tokens, or in a number or literal of `len` bytes.
    Outside { len: usize },
    /// In a string, `len` bytes in.
    String { len: usize, at: Boundary },
    /// In a string cut at [`MAX_TOKEN`]: its bytes are dropped up to its end.
    Cut { escaped: bool },
}

/// Whether a string may be cut here: not inside an escape, a UTF-8
/// character, or a surrogate pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    Yes,
    /// After `\`.
    Escape,
    /// In `\uXXXX`, with `n` hex digits to come (`value` so far).
    Hex {
        n: u8,
        value: u16,
    },
    /// In a UTF-8 character, with `n` bytes to come.
    Utf8 {
        n: u8,
    },
    /// After a leading surrogate `\uD8xx`, before its trailing one.
    Surrogate,
}

/// A reader of JSON text that cuts every string longer than [`MAX_TOKEN`]
/// bytes (at a character boundary, its end kept), and refuses a number or
/// literal that long, so that no token a parser holds whole is longer.
pub(crate) struct Tokens<R> {
    inner: R,
    state: State,
    /// Bytes read so far, to name where a token is too long.
    offset: u64,
}

impl<R> Tokens<R> {
    pub(crate) fn new(inner: R) -> Self {
        Tokens {
            inner,
            state: State::Outside { len: 0 },
            offset: 0,
        }
    }

    /// Whether `byte`, the next one, is kept; moves the state on.
    fn step(&mut self, byte: u8) -> io::Result<bool> {
        self.offset += 1;
        self.state = match self.state {
            State::Outside { len } => match byte {
                b'"' => State::String {
                    len: 0,
                    at: Boundary::Yes,
                },
                b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                    State::Outside { len: 0 }
                }
                _ if len >= MAX_TOKEN => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "a number longer than {MAX_TOKEN} bytes at byte {}",
                            self.offset
                        ),
                    ));
                }
                _ => State::Outside { len: len + 1 },
            },
            State::Cut { escaped: true } => {
                self.state = State::Cut { escaped: false };
                return Ok(false);
            }
            State::Cut { escaped: false } => match byte {
                b'"' => State::Outside { len: 0 },
                _ => {
                    self.state = State::Cut {
                        escaped: byte == b'\\',
                    };
                    return Ok(false);
                }
            },
            State::String { len, at } => {
                let at = match (at, byte) {
                    (Boundary::Escape, b'u') => Boundary::Hex { n: 4, value: 0 },
                    (Boundary::Escape, _) => Boundary::Yes,
                    (Boundary::Hex { n, value }, _) => {
                        let digit = (byte as char).to_digit(16).unwrap_or(0) as u16;
                        let value = value.wrapping_mul(16).wrapping_add(digit);
                        match n {
                            1 if (0xD800..0xDC00).contains(&value) => Boundary::Surrogate,
                            1 => Boundary::Yes,
                            _ => Boundary::Hex { n: n - 1, value },
                        }
                    }
                    (Boundary::Utf8 { n: 1 }, _) => Boundary::Yes,
                    (Boundary::Utf8 { n }, _) => Boundary::Utf8 { n: n - 1 },
                    (_, b'"') => {
                        self.state = State::Outside { len: 0 };
                        return Ok(true);
                    }
                    (Boundary::Surrogate, b'\\') | (Boundary::Yes, b'\\') => Boundary::Escape,
                    (_, 0xF0..) => Boundary::Utf8 { n: 3 },
                    (_, 0xE0..) => Boundary::Utf8 { n: 2 },
                    (_, 0xC0..) => Boundary::Utf8 { n: 1 },
                    _ => Boundary::Yes,
                };
                let len = len + 1;
                if len >= MAX_TOKEN && at == Boundary::Yes {
                    State::Cut { escaped: false }
                } else {
                    State::String { len, at }
                }
            }
        };
        Ok(true)
    }
}

impl<R: Read> Read for Tokens<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            for i in 0..n {
                let byte = buf[i];
                if self.step(byte)? {
                    buf[kept] = byte;
                    kept += 1;
                }
            }
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(text: &str) -> String {
        let mut out = String::new();
        Tokens::new(text.as_bytes())
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn long_strings_are_cut_at_a_boundary_and_closed() {
        let short = r#"{"a": "b\"c", "n": [1, 2.5e3, true]}"#;
        assert_eq!(through(short), short);
        for piece in ["s", "é", "\\u0007", "\\ud83d\\ude00", "\\\"", "😀"] {
            let long = piece.repeat(MAX_TOKEN / piece.len() + 10);
            let text = format!(r#"["{long}", "after"]"#);
            let cut = through(&text);
            assert!(cut.len() < MAX_TOKEN + 32, "{piece}: {}", cut.len());
            let value: Vec<String> = serde_json::from_str(&cut).expect(piece);
            assert_eq!(value[1], "after");
            let unescaped: String = serde_json::from_str(&format!("\"{piece}\"")).unwrap();
            assert!(value[0].starts_with(&unescaped.repeat(10)), "{piece}");
        }
    }

    #[test]
    fn long_numbers_are_refused() {
        let text = format!("[{}]", "1".repeat(MAX_TOKEN + 1));
        let mut out = String::new();
        let error = Tokens::new(text.as_bytes())
            .read_to_string(&mut out)
            .unwrap_err();
        assert!(
            error.to_string().starts_with("a number longer than"),
            "{error}"
        );
    }
}
