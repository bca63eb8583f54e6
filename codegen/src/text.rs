//! Schema text made safe to appear in generated source: in doc comments and
//! in the header's `//` comments.
//!
//! rustc refuses a bare carriage return in a doc comment (`bare CR not
//! allowed in doc-comment`) and denies bidirectional overrides in any comment
//! (`text_direction_codepoint_in_comment`); a line break in a `//` comment
//! would end it and turn the rest into code; other control characters,
//! U+2028/U+2029 or a NUL would hide in the text. Such characters are shown
//! as their Rust escapes, so a reader still sees they are there. (String
//! literals need none of this: `proc_macro2` escapes them.)

use std::borrow::Cow;

/// Whether a character must not appear raw in a doc comment: control
/// characters other than tab (C0, DEL, C1: a bare CR is refused by rustc, the
/// others hide or break lines), the Unicode line and paragraph separators, the
/// bidirectional overrides and isolates rustc denies in comments, and the
/// byte order mark.
pub(crate) fn is_unsafe_in_docs(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        )
}

/// Text with each character [`is_unsafe_in_docs`] refuses written as its
/// Rust escape (`\r`, `\n`, `\0`, `\u{202e}`), so a reader sees it is there.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_in_docs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            c if is_unsafe_in_docs(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_a_doc_comment_cannot_hold_are_shown_as_escapes() {
        assert_eq!(visible("a\rb"), "a\\rb");
        assert_eq!(
            visible("nul\0 esc\u{1b} del\u{7f} nel\u{85}"),
            "nul\\0 esc\\u{1b} del\\u{7f} nel\\u{85}"
        );
        assert_eq!(visible("ls\u{2028}ps\u{2029}"), "ls\\u{2028}ps\\u{2029}");
        assert_eq!(visible("\u{202e}evil\u{2066}"), "\\u{202e}evil\\u{2066}");
        assert_eq!(visible("tab\tand é 🦀 stay"), "tab\tand é 🦀 stay");
        assert!(matches!(visible("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
