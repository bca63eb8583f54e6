//! Doc comments from schema docs, escaped so that rustdoc and doctests cannot
//! break on schema text.
//!
//! Schema descriptions are Markdown-ish prose written for people, not for
//! rustdoc: an indented line would become a code block (and a doctest), a
//! `[word]` a broken intra-doc link, a `<tag>` an HTML tag. Each line is
//! trimmed, and brackets and angle brackets outside code spans are escaped.
//! Examples go in fenced ```` ```json ```` blocks, which rustdoc never runs.
//!
//! # Design
//! Schema text can hold characters a doc comment cannot: rustc refuses a bare
//! carriage return in `///` (`bare CR not allowed in doc-comment`), denies
//! bidirectional overrides in comments (`text_direction_codepoint_in_comment`),
//! and other control characters, U+2028/U+2029 or a NUL would hide in the
//! text or split it. Every line goes through [`lines_to_attrs`], which shows
//! each such character as its Rust escape (`\r`, `\u{202e}`, see
//! `crate::text`): one choke point, so no path (description, title, quirk,
//! value, example, pointer) can carry one through.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;
#[cfg(test)]
use crate::text::is_unsafe_in_docs;
use crate::text::visible;

/// `#[doc]` attributes for a schema item: description (or title), quirk
/// notes, examples, and the schema location it came from.
pub(super) fn attrs(docs: &Docs, lead: Option<&str>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    let paragraph = |lines: &mut Vec<String>, text: Vec<String>| {
        if text.is_empty() {
            return;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text);
    };
    if let Some(lead) = lead {
        paragraph(&mut lines, escape(lead));
    }
    match (&docs.description, &docs.title) {
        (Some(description), _) => paragraph(&mut lines, escape(description)),
        (None, Some(title)) => paragraph(&mut lines, escape(title)),
        (None, None) => {}
    }
    for quirk in &docs.quirks {
        paragraph(&mut lines, escape(&format!("Quirk: {quirk}")));
    }
    if !docs.quirk_values.is_empty() {
        let values: Vec<String> = docs.quirk_values.iter().map(|v| code_span(v)).collect();
        paragraph(
            &mut lines,
            vec![format!(
                "Quirk values (sent, not documented): {}.",
                values.join(", ")
            )],
        );
    }
    if !docs.examples.is_empty() && docs.examples.iter().all(|e| !e.contains('\n')) {
        let spans: Vec<String> = docs.examples.iter().map(|e| code_span(e)).collect();
        let label = if spans.len() == 1 {
            "Example"
        } else {
            "Examples"
        };
        paragraph(&mut lines, vec![format!("{label}: {}.", spans.join(", "))]);
    } else if !docs.examples.is_empty() {
        let mut block = vec![
            if docs.examples.len() == 1 {
                "Example:"
            } else {
                "Examples:"
            }
            .to_owned(),
        ];
        for example in &docs.examples {
            let fence = "`".repeat(longest_backtick_run(example).max(2) + 1);
            block.push(String::new());
            block.push(format!("{fence}json"));
            block.extend(example.lines().map(str::to_owned));
            block.push(fence);
        }
        paragraph(&mut lines, block);
    }
    if !docs.source.is_empty() {
        paragraph(
            &mut lines,
            vec![format!("Schema: {}", code_span(&docs.source))],
        );
    }
    lines_to_attrs(&lines)
}

/// `#[doc]` attributes for a plain sentence written by the generator.
pub(super) fn text(text: &str) -> TokenStream {
    lines_to_attrs(&escape(text))
}

/// One `#[doc = " line"]` per line (the leading space is rustdoc's
/// convention), with every character a doc comment cannot hold made visible.
fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {}", visible(l))
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// Escapes prose for rustdoc, line by line. Lines are trimmed, so a line
/// after a list item would continue it lazily (clippy's
/// `doc_lazy_continuation`): a blank line ends the list first.
pub(crate) fn escape(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_list = false;
    for line in text.lines().map(str::trim) {
        let item = is_list_item(line);
        if in_list && !item && !line.is_empty() {
            out.push(String::new());
        }
        in_list = item || (in_list && !line.is_empty());
        out.push(escape_line(line));
    }
    out
}

/// Whether a trimmed line starts a Markdown list item (`- `, `* `, `+ `, `1. `, `1) `).
fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    if digits > 0 {
        rest.starts_with(". ") || rest.starts_with(") ")
    } else {
        ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m))
    }
}

/// Escapes one trimmed line: `[`, `]`, `<`, `>` and runs of three or more
/// backticks outside code spans; a leading `#`, `>`, `-`, `+`, `*` or
/// `1.` keeps its meaning (headings and lists are harmless).
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            // A code span: the same run of backticks closes it.
            let closing = (run < 3).then(|| find_run(&chars, i + run, run)).flatten();
            match closing {
                Some(end) => {
                    out.extend(&chars[i..end + run]);
                    i = end + run;
                }
                None => {
                    for _ in 0..run {
                        out.push_str("\\`");
                    }
                    i += run;
                }
            }
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The index where a run of exactly `len` backticks starts at or after `from`.
fn find_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// The longest run of backticks in text.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Text as a Markdown code span, whatever backticks it holds.
pub(super) fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_after_a_list_is_a_new_paragraph() {
        assert_eq!(
            escape("Filters:\n- a\n- b\nThe order matters.\n1. c\nend"),
            [
                "Filters:",
                "- a",
                "- b",
                "",
                "The order matters.",
                "1. c",
                "",
                "end"
            ]
        );
    }

    #[test]
    fn brackets_and_tags_are_escaped_outside_code_spans() {
        assert_eq!(escape_line("see [here] <b>"), "see \\[here\\] \\<b\\>");
        assert_eq!(escape_line("keep `[x]` as is"), "keep `[x]` as is");
        assert_eq!(escape_line("a \\ b"), "a \\\\ b");
    }

    #[test]
    fn fences_and_indentation_cannot_start_a_doctest() {
        assert_eq!(escape("    let x = 1;"), ["let x = 1;"]);
        assert_eq!(
            escape("```\nfn main() {}\n```"),
            ["\\`\\`\\`", "fn main() {}", "\\`\\`\\`"]
        );
        assert_eq!(escape_line("an `unclosed span"), "an \\`unclosed span");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span(""), "`  `");
        assert_eq!(code_span("`x"), "`` `x ``");
    }

    #[test]
    fn no_path_into_the_docs_carries_a_raw_control_character() {
        let hostile = "a\rb\u{0}c\u{202e}d\u{2028}e\u{85}f\u{1b}";
        let docs = Docs {
            title: Some(hostile.into()),
            description: Some(format!("{hostile}\r\nsecond\rline")),
            quirks: vec![hostile.into()],
            quirk_values: vec![hostile.into(), "x\ny".into()],
            examples: vec![
                format!("\"{hostile}\""),
                format!("{{\n\"{hostile}\": 1\n}}"),
            ],
            source: format!("t.schema.json#/properties/{hostile}"),
        };
        let tokens = attrs(&docs, Some(hostile));
        let file: syn::File = syn::parse2(quote! { #tokens struct S; }).expect("parses");
        let text = prettyplease::unparse(&file);
        assert!(
            !text.chars().any(|c| is_unsafe_in_docs(c) && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.lines()
                .all(|l| l.trim_start().starts_with("///") || l.starts_with("struct")),
            "{text}"
        );
        assert!(text.contains("a\\rb\\0c\\u{202e}d"), "{text}");
        let plain = super::text("x\ry");
        assert!(plain.to_string().contains("x\\\\ry"), "{plain}");
    }

    #[test]
    fn example_fences_outgrow_backticks_in_the_example() {
        let docs = Docs {
            examples: vec!["{\n  \"a\": \"````\"\n}".into()],
            ..Docs::default()
        };
        let text = attrs(&docs, None).to_string();
        assert!(text.contains("`````json"), "{text}");
    }
}
