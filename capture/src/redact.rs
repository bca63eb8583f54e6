//! The one way out for text: secrets redacted, then cut, then escaped.
//!
//! Every piece of text that came from a server or a user (an error body, a
//! `Location`, a parse error quoting a value, a path) passes through a
//! [`Redactor`] before it is printed. It knows every secret of the run: the
//! client secret, the HTTP Basic value built from `id:secret`, and every
//! access token issued so far (the token source adds each one as it arrives).
//!
//! # Design
//!
//! - **Forms, not strings.** A server echoing a request may JSON-escape it
//!   (`S3cr3t\/x`, `\u0053...`), URL-encode it (`%2B`, `%2F`) or mix both. The
//!   matcher accepts, for each character of a secret, the character itself,
//!   its `\uXXXX` escape, `\/` for `/`, `\"` and `\\`, its percent-encoded
//!   UTF-8 bytes in either case of hex, and `+` for a space. Base64 values are
//!   also added unpadded and in the URL-safe alphabet.
//! - **Redact before cutting.** A whole body window is redacted first, and
//!   only then cut to length, so a cut cannot split a secret in two and leave
//!   half of it. After the cut, a tail that is the start of a secret (four
//!   characters or more, in any form) is redacted too, so a server that
//!   itself sent a truncated secret cannot have its prefix shown at the cut.
//! - **Escape last.** Control characters (ESC, BEL, CR, ...) and the
//!   invisible bidirectional controls are printed as `\u{1b}`-style escapes,
//!   so a server cannot drive the terminal or hide text.

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::Engine;

/// What a redacted secret becomes.
pub const MASK: &str = "***";

/// How many characters of a secret at the end of a cut text make it recognisable.
const MIN_PREFIX: usize = 4;

/// Bytes of a body looked at for an excerpt (far more than any excerpt shows).
const WINDOW: usize = 64 * 1024;

/// The secrets of a run, shared by everything that prints or builds messages.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<Vec<char>>>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.secrets.read().map_or(0, |s| s.len());
        write!(f, "Redactor({n} secrets)")
    }
}

impl Redactor {
    /// A redactor that knows no secret yet (it still escapes control characters).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one secret value (ignored when empty or already known).
    pub fn add(&self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let chars: Vec<char> = secret.chars().collect();
        if let Ok(mut all) = self.secrets.write() {
            if !all.contains(&chars) {
                all.push(chars);
            }
        }
    }

    /// Adds a client's secret and the HTTP Basic value of `id:secret`, in
    /// every base64 spelling.
    pub fn add_client(&self, id: &str, secret: &str) {
        self.add(secret);
        let pair = format!("{id}:{secret}");
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        for engine in [&STANDARD, &STANDARD_NO_PAD] {
            self.add(&engine.encode(&pair));
            self.add(&engine.encode(secret));
        }
        self.add(&URL_SAFE_NO_PAD.encode(&pair));
        self.add(&URL_SAFE_NO_PAD.encode(secret));
    }

    /// Text ready to print: every secret redacted, control characters escaped.
    pub fn clean(&self, text: &str) -> String {
        escape(&self.redact(text, false), false)
    }

    /// Like [`Redactor::clean`] for a multi-line report: newlines stay, and
    /// with `keep_color` so do SGR colour sequences (`ESC [ digits ; m`).
    pub fn clean_report(&self, text: &str, keep_color: bool) -> String {
        self.redact(text, false)
            .split('\n')
            .map(|line| escape(line, keep_color))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// At most `max` characters of a server's body for a message: decoded
    /// lossily, trimmed, redacted, then cut (with `…`), then escaped.
    pub fn excerpt(&self, body: &[u8], max: usize) -> String {
        let window = &body[..body.len().min(WINDOW)];
        let text = String::from_utf8_lossy(window);
        let redacted = self.redact(text.trim(), false);
        let mut cut: String = redacted.chars().take(max).collect();
        if cut.len() < redacted.len() || window.len() < body.len() {
            cut = self.redact(&cut, true);
            cut.push('…');
        }
        escape(&cut, false)
    }

    /// Replaces every form of every secret by [`MASK`]; with `cut_end`, also
    /// a recognisable start of one at the very end of `text`.
    fn redact(&self, text: &str, cut_end: bool) -> String {
        let Ok(secrets) = self.secrets.read() else {
            return text.to_owned();
        };
        if secrets.is_empty() {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let hit = secrets
                .iter()
                .filter_map(|s| match_at(&chars[i..], s, cut_end))
                .max();
            match hit {
                Some(n) => {
                    out.push_str(MASK);
                    i += n;
                }
                None => {
                    out.push(chars[i]);
                    i += 1;
                }
            }
        }
        out
    }
}

/// How many characters of `text` spell `secret` from its start, in any
/// accepted form; with `cut_end`, a spelling of at least [`MIN_PREFIX`]
/// characters of the secret that runs into the end of `text` counts too.
fn match_at(text: &[char], secret: &[char], cut_end: bool) -> Option<usize> {
    let mut pos = 0;
    for (k, &c) in secret.iter().enumerate() {
        match one_char(&text[pos..], c) {
            Step::Matched(n) => pos += n,
            Step::Ended if cut_end && k >= MIN_PREFIX.min(secret.len()) => return Some(text.len()),
            Step::Ended | Step::No => return None,
        }
    }
    Some(pos)
}

enum Step {
    /// The character is spelled by this many characters of the text.
    Matched(usize),
    /// The text ended before (or inside) a spelling of it.
    Ended,
    /// The text spells something else.
    No,
}

fn one_char(text: &[char], c: char) -> Step {
    let Some(&first) = text.first() else {
        return Step::Ended;
    };
    if first == c || (c == ' ' && first == '+') {
        return Step::Matched(1);
    }
    match first {
        '\\' => {
            let Some(&next) = text.get(1) else {
                return Step::Ended;
            };
            match next {
                '/' | '"' | '\\' if next == c => Step::Matched(2),
                'u' | 'U' => hex_escape(&text[2..], 4, c as u32, 2),
                _ => Step::No,
            }
        }
        '%' => {
            let mut buf = [0u8; 4];
            let mut pos = 0;
            for &byte in c.encode_utf8(&mut buf).as_bytes() {
                if pos >= text.len() {
                    return Step::Ended;
                }
                if text[pos] != '%' {
                    return Step::No;
                }
                match hex_escape(&text[pos + 1..], 2, u32::from(byte), 1) {
                    Step::Matched(n) => pos += n,
                    other => return other,
                }
            }
            Step::Matched(pos)
        }
        _ => Step::No,
    }
}

/// `digits` hex digits at the start of `text` equal to `value`; `lead` is
/// the length of what came before them (`\u` or `%`).
fn hex_escape(text: &[char], digits: usize, value: u32, lead: usize) -> Step {
    let mut got = 0u32;
    for i in 0..digits {
        let Some(&d) = text.get(i) else {
            return Step::Ended;
        };
        let Some(v) = d.to_digit(16) else {
            return Step::No;
        };
        got = got * 16 + v;
    }
    if got == value {
        Step::Matched(lead + digits)
    } else {
        Step::No
    }
}

/// Control characters and invisible bidirectional controls as escapes.
fn escape(text: &str, keep_color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_color && c == '\u{1b}' {
            if let Some(len) = sgr_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if c.is_control() || is_invisible_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of an SGR sequence (`ESC [ 0-9; ... m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests;
