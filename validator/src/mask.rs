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
//!
//! Names and categories (an undocumented field's name, an unknown
//! `log_type`, a value outside a field's known list) are shown only when they
//! look like what they claim to be ([`looks_like_category`]): a canary sent
//! as `exposure` (an email, a person's name) is masked like any value.
//!
//! Every text that reaches a report goes through [`printable`]: cut, and
//! with the characters that could forge output (control characters, bidi
//! overrides, XML's forbidden noncharacters) written as `\u001b`. The report
//! holds such text as a [`Text`], which can be built only through
//! [`printable`], also when a report is read back from its JSON: a renderer
//! cannot be handed raw text.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The longest value text shown when values are shown.
pub const MAX_SHOWN: usize = 80;

/// Describes `value` for a message: its kind when `show` is false, its JSON
/// text (truncated to [`MAX_SHOWN`] characters) when true.
pub fn describe(value: &Value, show: bool) -> String {
    if show {
        return printable(&truncate(&value.to_string(), MAX_SHOWN), MAX_SHOWN + 1).into_owned();
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

/// [`describe`] for a parsed document, without turning a large one into a
/// `Value` (a record may be an array of millions of items).
pub fn describe_doc(doc: &crate::doc::Doc<'_>, show: bool) -> String {
    use crate::doc::Doc;
    match doc {
        Doc::Array(items) if !show || items.len() > MAX_SHOWN => match items.len() {
            0 => "an empty array".to_owned(),
            n => plural(n, "an array of", "item"),
        },
        Doc::Object(members) if !show || members.len() > MAX_SHOWN => match members.len() {
            0 => "an empty object".to_owned(),
            n => plural(n, "an object with", "field"),
        },
        Doc::String(s) if show => printable(
            &truncate(
                &Value::String(s.chars().take(MAX_SHOWN).collect()).to_string(),
                MAX_SHOWN,
            ),
            MAX_SHOWN + 1,
        )
        .into_owned(),
        _ => describe(&doc.to_value(), show),
    }
}

fn plural(n: usize, prefix: &str, noun: &str) -> String {
    if n == 1 {
        format!("{prefix} 1 {noun}")
    } else {
        format!("{prefix} {n} {noun}s")
    }
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// Whether `c` is written as `\uXXXX` in reports: control characters (C0,
/// DEL, C1), the bidi and invisible format characters that reorder or hide
/// text, line and paragraph separators, and noncharacters (XML forbids
/// U+FFFE and U+FFFF).
fn is_hidden(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u, 0x061C | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF)
        || matches!(u, 0xFDD0..=0xFDEF)
        || u & 0xFFFE == 0xFFFE
}

/// `text` cut to at most `max` characters (marked `…`), with every hidden
/// character (`is_hidden`) written `\u001b`: safe to print on a terminal,
/// in XML, in a workflow command. Borrows when there is nothing to change.
pub fn printable(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let short = text.len() <= max;
    if short && !text.chars().any(is_hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)) + 8);
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if is_hidden(c) {
            let u = c as u32;
            if u > 0xFFFF {
                out.push_str(&format!("\\u{{{u:x}}}"));
            } else {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text as a report holds it: made `printable` and cut to at most `MAX`
/// characters (marked `…`), whether it was built during a run
/// ([`Text::new`]) or read back from a report (`Deserialize`,
/// [`Text::kept`]). There is no other way to build one, so every text a
/// renderer prints went through `printable`.
///
/// Cheap to clone (shared), compared and ordered as the `str` it holds.
///
/// # Design
/// A text read back is kept as written when it is already printable and
/// no longer than what `printable` writes for `MAX` characters
/// ([`Text::LONGEST`]: each written at most as `\u{10ffff}`), so that a
/// report reads back as itself; anything else (a raw control character, a
/// longer string) is made printable and cut to `MAX` characters, exactly as
/// a run cuts what it reads.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<const MAX: usize>(Arc<str>);

impl<const MAX: usize> Text<MAX> {
    /// The most characters a text holds: `printable` writes a hidden
    /// character as at most 10 (`\u{10ffff}`), and marks a cut with `…`.
    pub const LONGEST: usize = MAX.saturating_mul(10).saturating_add(1);

    /// `text` made printable and cut to `MAX` characters (`printable`).
    pub fn new(text: &str) -> Self {
        Text(match printable(text, MAX) {
            Cow::Borrowed(text) => Arc::from(text),
            Cow::Owned(text) => Arc::from(text),
        })
    }

    /// [`Text::new`] of a shared string, sharing it when nothing changes.
    pub fn shared(text: Arc<str>) -> Self {
        match printable(&text, MAX) {
            Cow::Borrowed(_) => Text(text),
            Cow::Owned(text) => Text(Arc::from(text)),
        }
    }

    /// Text that was shown already (read back from a report, or a shown text
    /// with a printable suffix): kept as it is when it is printable and at
    /// most [`Text::LONGEST`] characters, made printable and cut to `MAX`
    /// characters ([`Text::new`]) otherwise.
    pub fn kept(text: &str) -> Self {
        let mut chars = 0usize;
        let clean = text.chars().all(|c| {
            chars += 1;
            chars <= Self::LONGEST && !is_hidden(c)
        });
        if clean {
            Text(Arc::from(text))
        } else {
            Text::new(text)
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, shared.
    pub fn to_arc(&self) -> Arc<str> {
        self.0.clone()
    }
}

impl<const MAX: usize> Default for Text<MAX> {
    fn default() -> Self {
        Text(Arc::from(""))
    }
}

impl<const MAX: usize> std::ops::Deref for Text<MAX> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> AsRef<str> for Text<MAX> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> Borrow<str> for Text<MAX> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> PartialEq<str> for Text<MAX> {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl<const MAX: usize> PartialEq<&str> for Text<MAX> {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl<const MAX: usize> fmt::Debug for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl<const MAX: usize> From<Text<MAX>> for String {
    fn from(text: Text<MAX>) -> String {
        text.0.to_string()
    }
}

impl<const MAX: usize> Serialize for Text<MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    /// A text read back: [`Text::kept`], looked at where the deserializer
    /// holds it (no copy of a long string is made).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<const MAX: usize>;
        impl<const MAX: usize> serde::de::Visitor<'_> for Visitor<MAX> {
            type Value = Text<MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Text<MAX>, E> {
                Ok(Text::kept(text))
            }
        }
        deserializer.deserialize_str(Visitor::<MAX>)
    }
}

impl<const MAX: usize> schemars::JsonSchema for Text<MAX> {
    /// A string, of any length: a text read back is cut where it is longer
    /// than a run writes it ([`Text::kept`]), not refused.
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// The longest category shown when masking: categories are short words.
pub const MAX_CATEGORY: usize = 32;

/// Whether `text` looks like a category (an event type, a field name, a
/// value of an open set such as `exposure`) rather than personal data, so
/// that it may be shown without `--show-values`.
///
/// The rule: at most [`MAX_CATEGORY`] ASCII characters; either one word of
/// letters, digits, `_` and `-` that starts with a letter and holds at most
/// four digits (`dlp_scan`, `remoteAddress`, `grayware`, `v2`), or several
/// such words separated by single spaces when every one of them (ignoring
/// case) is in `vocabulary`, the words of the field's documented values
/// (`Alerted Quarantine`). So an email, a URL, a path, a sentence, a
/// person's full name, an identifier or a number is masked; a single
/// made-up word is not (that is what a new category looks like).
pub fn looks_like_category(text: &str, vocabulary: &[String]) -> bool {
    let word = |w: &str| {
        w.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if text.is_empty() || text.len() > MAX_CATEGORY || digits > 4 {
        return false;
    }
    if !text.contains(' ') {
        return word(text);
    }
    text.split(' ')
        .all(|w| word(w) && vocabulary.iter().any(|v| v.eq_ignore_ascii_case(w)))
}

/// A name or category as a report shows it, cut to `MAX` characters:
/// [`printable`] when `show` or when it [`looks_like_category`]; otherwise
/// masked, saying only its length (`(masked: 20 characters)`).
pub fn category<const MAX: usize>(text: &str, vocabulary: &[String], show: bool) -> Text<MAX> {
    if show || looks_like_category(text, vocabulary) {
        Text::new(text)
    } else {
        Text::new(&(plural(text.chars().count(), "(masked:", "character") + ")"))
    }
}

#[cfg(test)]
mod tests;
