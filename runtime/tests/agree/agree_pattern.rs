//! `Pattern` against jsonschema's `pattern`, on each of its matcher routes.

use proptest::prelude::*;
use serde_json::json;

use super::{pattern::Pattern, validator};

/// Patterns for each route jsonschema takes: literals, class sequences,
/// leading lookaheads, counted classes, and the full engine (backreferences,
/// lookbehind, Unicode classes, ECMA escapes).
const PATTERNS: &[&str] = &[
    "^x-",
    "^abc$",
    "^(get|put|post)$",
    r"^\S*$",
    "abc",
    "",
    "^[a-z]+$",
    "^[a-z0-9_-]{3,16}$",
    r"^\d+$",
    r"^\w+@\w+\.\w+$",
    r"^(?=.*\d)(?=.*[a-z])\w{4,}$",
    r"^(?=[^!*,;{}[\]~\n]+$)(?=(.*\w)).+$",
    r"^(?=(a))\1b",
    r"^.{1,3}$",
    r"^[^\s]{2,5}$",
    r"(a)\1",
    r"(?<!a)b",
    r"(?<=a)b",
    r"\p{L}+",
    r"^\p{Lu}",
    r"\bfoo\b",
    r"^\cJ$",
    r"^\u00e9$",
    r"^\x41",
    r"[\u{1F600}]",
    r"^.$",
    r"^..$",
    r"\D",
    r"\W",
    r"\s",
    r"^[^a]$",
    r"a|b",
    r"^(a+)+$",
    r"^$",
    r"$",
    r"^",
    r"^a*?b",
    r"^(?:ab)*$",
    r"^[A-Z]{2}-\d{4}$",
    r"\d{3}",
    r"\/",
    r"^\.",
    r"é+",
    r"^\s*$",
    r"^[0-9]*$",
    r"(?i)abc",
    r"^[\w.-]+$",
    r"^(a|ab)(c|bcd)(d*)$",
    r"^\t$",
];

const TEXTS: &[&str] = &[
    "",
    "a",
    "b",
    "ab",
    "aab",
    "abc",
    "ABC",
    "x-foo",
    "x",
    "get",
    "post",
    "gets",
    "abc1",
    "ab12",
    "abcd",
    "a,b",
    "--",
    "é",
    "é-1",
    "😀",
    "😀😀",
    "a\nb",
    "\n",
    " ",
    "\t",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "foo",
    "a foo b",
    "foobar",
    "AB-1234",
    "ab-1234",
    "123",
    "12a",
    "a.b",
    ".a",
    "ab@cd.ef",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    "A",
    "Éa",
    "abcd",
    "\u{0}",
    "user_name-1",
    "a/b",
    "٣",
    "ｄ",
];

/// jsonschema's three readings of `source`: `pattern`, a `patternProperties`
/// key, and one beside `additionalProperties: false` (compiled apart).
struct Theirs {
    pattern: jsonschema::Validator,
    key: jsonschema::Validator,
    key_beside_additional: jsonschema::Validator,
}

impl Theirs {
    fn new(source: &str) -> Self {
        Self {
            pattern: validator(&json!({ "pattern": source })),
            key: validator(&json!({ "patternProperties": { source: false } })),
            key_beside_additional: validator(
                &json!({ "patternProperties": { source: true }, "additionalProperties": false }),
            ),
        }
    }
}

/// Asserts agreement on `text`; returns whether `pattern` matched.
fn agree(source: &'static str, text: &str, theirs: &Theirs) -> bool {
    let expected = theirs.pattern.is_valid(&json!(text));
    assert_eq!(
        Pattern::new(source, true).is_match(text),
        Some(expected),
        "pattern {source:?} on {text:?}"
    );
    let key = Pattern::new(source, false).is_match(text);
    let object = json!({ text: 0 });
    assert_eq!(
        key.map(|m| !m),
        Some(theirs.key.is_valid(&object)),
        "key {source:?} on {text:?}"
    );
    assert_eq!(
        key,
        Some(theirs.key_beside_additional.is_valid(&object)),
        "key beside additionalProperties {source:?} on {text:?}"
    );
    expected
}

#[test]
fn jsonschema_builds_every_listed_pattern() {
    let refused: Vec<&str> = PATTERNS
        .iter()
        .copied()
        .filter(|p| {
            jsonschema::options()
                .build(&json!({ "pattern": p }))
                .is_err()
        })
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

#[test]
fn every_pattern_on_every_text() {
    let mut matched = 0;
    for &source in PATTERNS {
        let theirs = Theirs::new(source);
        for text in TEXTS {
            matched += usize::from(agree(source, text, &theirs));
        }
    }
    assert!(matched > 500, "{matched}");
}

#[test]
fn patterns_jsonschema_refuses_are_refused() {
    for source in [
        "(",
        "[a-",
        "a{2,1}",
        r"\p{Nope}",
        "(?<n>a)(?<n>b)",
        r"\k<x>",
        "a**",
        r"[\d-z]",
        r"[\b]",
        r"\0",
    ] {
        let refused = jsonschema::options()
            .build(&json!({ "pattern": source }))
            .is_err();
        let keys_refused = jsonschema::options()
            .build(&json!({ "patternProperties": { source: true } }))
            .is_err();
        assert_eq!(
            Pattern::new(source, true).is_match("a").is_none(),
            refused,
            "{source:?}"
        );
        assert_eq!(
            Pattern::new(source, false).is_match("a").is_none(),
            keys_refused,
            "key {source:?}"
        );
    }
}

#[test]
fn an_unfinished_match_is_undecided_as_in_jsonschema() {
    // Catastrophic backtracking the fancy engine gives up on (its default limit).
    let source = r"^(a|a)*\1b$";
    let text = "a".repeat(40);
    assert_eq!(Pattern::new(source, true).is_match(&text), None);
    assert_eq!(Pattern::new(source, false).is_match(&text), None);
    // jsonschema then counts the instance valid only if valid either way: `pattern` alone fails.
    assert!(!validator(&json!({ "pattern": source })).is_valid(&json!(text)));
    // ... while under `not` too, it is invalid, not valid.
    assert!(!validator(&json!({ "not": { "pattern": source } })).is_valid(&json!(text)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_texts(index in 0..PATTERNS.len(), text in "[a-cA-Z0-9 é😀\\n_.@-]{0,12}") {
        let source = PATTERNS[index];
        agree(source, &text, &Theirs::new(source));
    }
}

#[test]
fn a_key_reads_leading_lookaheads_as_jsonschema_does() {
    // jsonschema's own `pattern` test case; as a key its verdict differs.
    let source = r"^(?=[^!*,;{}[\]~\n]+$)(?=(.*\w)).+$";
    assert!(!validator(&json!({ "pattern": source })).is_valid(&json!("é")));
    assert!(
        !validator(&json!({ "patternProperties": { source: false } })).is_valid(&json!({"é": 0}))
    );
    assert_eq!(Pattern::new(source, true).is_match("é"), Some(false));
    assert_eq!(Pattern::new(source, false).is_match("é"), Some(true));
}
