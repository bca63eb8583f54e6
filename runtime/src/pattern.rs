//! `pattern` and `patternProperties`: ECMA-262 regular expressions, matched
//! with the verdicts of the `jsonschema` crate 0.61.2 under its default
//! options (the `fancy-regex` engine without a configured backtrack limit).
//!
//! jsonschema translates a pattern to Rust syntax with `jsonschema-regex`
//! (the same version), then picks a matcher: literal forms (`^abc`, `^abc$`,
//! `^(a|b)$`, `^\S*$`), an ASCII class sequence with a `regex` fallback,
//! leading lookaheads split into lookaround-free `regex` parts, and otherwise
//! `fancy-regex` on the translation (or its cheaper search form). The forms
//! never change a verdict, but only `fancy-regex` can fail to finish a match
//! (its default backtrack limit, or a panic it recovers from), so this file
//! takes the same route to fail exactly where jsonschema does: [`Pattern::is_match`]
//! then answers `None`. jsonschema counts an instance valid only when it is
//! valid whichever way such a match would have gone.
//!
//! `patternProperties` takes the same route but for one step: jsonschema does
//! not split leading lookaheads there, and the verdicts can differ: on `"é"`,
//! `^(?=[^!*,;{}[\]~\n]+$)(?=(.*\w)).+$` does not match as a `pattern`
//! (ECMA-262's `\w` is ASCII) but matches as a `patternProperties` key (the
//! whole translation handed to `fancy-regex` reads `\w` as Unicode). Hence
//! the flag of [`Pattern::new`]; the tests hold every pattern to all three
//! readings: `pattern`, a key, a key beside `additionalProperties: false`.
//!
//! `format: regex` is here too ([`is_valid_regex`]): jsonschema checks it with the
//! same crate's ECMA-262 parser.
//!
//! Generated code holds one `static` per pattern:
//! `static P0: Pattern = Pattern::new("^a+$", true);`. Behind the `patterns`
//! feature (it brings `jsonschema-regex`, `fancy-regex` and `regex`).

/// `format: regex`: whether `pattern` is an ECMA-262 regular expression, as
/// jsonschema 0.61.2 decides it (`jsonschema_regex::is_valid_ecma_regex`: the
/// syntax under the `u` flag, identity escapes of non-alphanumerics allowed).
#[must_use]
pub fn is_valid_regex(pattern: &str) -> bool {
    jsonschema_regex::is_valid_ecma_regex(pattern)
}

/// An ECMA-262 pattern, compiled on its first match.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the schema writes it.
    source: &'static str,
    /// Whether leading lookaheads are matched as separate parts (`pattern`),
    /// or not (`patternProperties` keys).
    split_lookaheads: bool,
    /// The matcher jsonschema would build; `None` for a pattern it refuses.
    compiled: std::sync::OnceLock<Option<Matcher>>,
}

impl Pattern {
    /// A pattern to compile on first use: `split_lookaheads` for the
    /// `pattern` keyword (`propertyNames` too), not for `patternProperties`
    /// keys, as jsonschema does.
    pub const fn new(source: &'static str, split_lookaheads: bool) -> Self {
        Self {
            source,
            split_lookaheads,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Whether the pattern matches somewhere in `text`; `None` when the
    /// engine cannot finish (or jsonschema would refuse the pattern).
    pub fn is_match(&self, text: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| Matcher::compile(self.source, self.split_lookaheads))
            .as_ref()?
            .is_match(text)
    }
}

/// How jsonschema matches one pattern.
#[derive(Debug)]
enum Matcher {
    /// `^abc`, `^abc$`, `^(a|b)$` or `^\S*$`.
    Literal(jsonschema_regex::PatternAnalysis<'static>),
    /// An anchored ASCII class sequence, with a regex for what it cannot decide.
    Sequence(Box<jsonschema_regex::Sequence>, regex::Regex),
    /// Leading lookaheads: every part must match.
    All(Vec<Matcher>),
    /// A count of characters in one class (`^X{m,n}$`).
    Repeated(jsonschema_regex::RepeatedClass),
    /// The `regex` engine (lookahead parts only).
    Regex(regex::Regex),
    /// The `fancy-regex` engine.
    Fancy(Box<fancy_regex::Regex>),
}

impl Matcher {
    /// jsonschema's choice for `pattern`; `None` for a pattern it refuses.
    fn compile(pattern: &'static str, split_lookaheads: bool) -> Option<Self> {
        if let Some(literal) = jsonschema_regex::analyze_pattern(pattern) {
            return Some(Self::Literal(literal));
        }
        if let Some(sequence) = Self::sequence(pattern) {
            return Some(sequence);
        }
        let split = split_lookaheads.then(|| jsonschema_regex::split_leading_lookaheads(pattern));
        if let Some(parts) = split.flatten() {
            let parts: Option<Vec<Self>> = parts
                .iter()
                .map(|part| {
                    Self::sequence(part).or_else(|| {
                        Self::searched(part, |t| regex::Regex::new(t).ok().map(Self::Regex))
                    })
                })
                .collect();
            if let Some(parts) = parts {
                return Some(Self::All(parts));
            }
        }
        Self::searched(pattern, |t| {
            fancy_regex::Regex::new(t)
                .ok()
                .map(|r| Self::Fancy(Box::new(r)))
        })
    }

    /// The class sequence of `pattern`, when it is one.
    fn sequence(pattern: &str) -> Option<Self> {
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        let sequence = jsonschema_regex::Sequence::compile(&translated)?;
        let fallback = regex::Regex::new(&translated).ok()?;
        Some(Self::Sequence(Box::new(sequence), fallback))
    }

    /// `pattern` translated, in its search form, built by `build`.
    fn searched(pattern: &str, build: impl FnOnce(&str) -> Option<Self>) -> Option<Self> {
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        match jsonschema_regex::search_form(pattern, &translated) {
            Some(jsonschema_regex::Search::RepeatedClass(class)) => Some(Self::Repeated(class)),
            Some(jsonschema_regex::Search::Collapsed(collapsed)) => build(&collapsed),
            None => build(&translated),
        }
    }

    /// The verdict on `text`; `None` when an engine fails or panics.
    fn is_match(&self, text: &str) -> Option<bool> {
        use jsonschema_regex::PatternAnalysis;
        match self {
            Self::Literal(PatternAnalysis::Prefix(prefix)) => Some(text.starts_with(&**prefix)),
            Self::Literal(PatternAnalysis::Exact(exact)) => Some(text == exact),
            Self::Literal(PatternAnalysis::Alternation(options)) => {
                Some(options.iter().any(|o| o == text))
            }
            Self::Literal(PatternAnalysis::NoWhitespace) => {
                Some(!jsonschema_regex::contains_ecma_whitespace(text))
            }
            Self::Sequence(sequence, fallback) => sequence
                .is_match(text.as_bytes())
                .map_or_else(|| caught(|| Some(fallback.is_match(text))), Some),
            Self::All(parts) => {
                for part in parts {
                    if !part.is_match(text)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            Self::Repeated(class) => Some(class.is_match(text)),
            Self::Regex(regex) => caught(|| Some(regex.is_match(text))),
            Self::Fancy(regex) => caught(|| regex.is_match(text).ok()),
        }
    }
}

/// `run`'s answer, `None` if it panics (as jsonschema recovers from a panicking engine).
fn caught(run: impl FnOnce() -> Option<bool>) -> Option<bool> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .ok()
        .flatten()
}
