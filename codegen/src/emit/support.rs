//! Runtime support the generated code carries: checks whose verdicts must be
//! those of the validator (the `jsonschema` crate 0.61.2, draft 2020-12,
//! formats asserted) for `format`, numeric bounds, `multipleOf`, `const` /
//! `enum` / `uniqueItems` equality, string lengths and `pattern`.
//!
//! # Design
//! The checks are ordinary Rust files under `support/`, compiled as modules
//! in this crate's tests (and there compared with jsonschema itself), and
//! pasted as source into the generated `__codegen` module by [`tokens`]: only
//! the items the requested [`Part`]s need, so the generated code holds no
//! dead code. Their items are `pub(super)` or private and name other crates
//! by full path; [`Part::crates`] lists the crates a user's `Cargo.toml` then
//! needs (the codegen README has the versions).

use proc_macro2::TokenStream;

/// A `format` the generated code asserts, as the validator does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// `date`: `is_valid_date`.
    Date,
    /// `time`: `is_valid_time`.
    Time,
    /// `date-time` as jsonschema checks it built in: `is_valid_date_time`.
    DateTime,
    /// `email`: `is_valid_email`.
    Email,
    /// `uuid`: `is_valid_uuid`.
    Uuid,
    /// `ipv4`: `is_valid_ipv4`.
    Ipv4,
    /// `ipv6`: `is_valid_ipv6`.
    Ipv6,
    /// `uri`: `is_valid_uri`.
    Uri,
}

impl Format {
    /// The format a schema names, if it is one of these.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "date" => Self::Date,
            "time" => Self::Time,
            "date-time" => Self::DateTime,
            "email" => Self::Email,
            "uuid" => Self::Uuid,
            "ipv4" => Self::Ipv4,
            "ipv6" => Self::Ipv6,
            "uri" => Self::Uri,
            _ => return None,
        })
    }

    /// The crates the check needs beyond std and `serde_json`.
    pub(crate) fn crates(self) -> &'static [&'static str] {
        match self {
            Self::Email => &["email_address", "unicode-general-category"],
            Self::Uri => &["fluent-uri"],
            _ => &[],
        }
    }

    /// The items of `formats.rs` (or of a whole file) the check needs.
    fn items(self) -> (File, &'static [&'static str]) {
        const DATE: &[&str] = &[
            "is_valid_date",
            "is_leap_year",
            "parse_four_digits",
            "parse_two_digits",
        ];
        const TIME: &[&str] = &["is_valid_time", "is_valid_offset", "parse_two_digits"];
        const DATE_TIME: &[&str] = &[
            "is_valid_date_time",
            "is_valid_date",
            "is_leap_year",
            "parse_four_digits",
            "is_valid_time",
            "is_valid_offset",
            "parse_two_digits",
        ];
        match self {
            Self::Date => (File::Formats, DATE),
            Self::Time => (File::Formats, TIME),
            Self::DateTime => (File::Formats, DATE_TIME),
            Self::Uuid => (File::Formats, &["is_valid_uuid"]),
            Self::Ipv4 => (File::Formats, &["is_valid_ipv4"]),
            Self::Ipv6 => (File::Formats, &["is_valid_ipv6"]),
            Self::Email => (File::Email, ALL),
            Self::Uri => (File::Uri, ALL),
        }
    }
}

/// A piece of support code the generated code calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    /// `is_valid_<format>(&str) -> bool` for one format.
    Format(Format),
    /// `Num` (a bound: `Num::U(5)`, `Num::I(-3)`, `Num::F(2.5)`, or `Num::of(&Number)`)
    /// and `compare(Num, Num) -> Ordering`, exact.
    Compare,
    /// `is_multiple_of(&serde_json::Number, divisor: f64) -> bool`.
    MultipleOf,
    /// `equal(&Value, &Value) -> bool` (`const`, `enum`).
    Equal,
    /// `all_unique(&[Value]) -> bool` (`uniqueItems`).
    Unique,
    /// `char_len(&str) -> usize` (`minLength`, `maxLength`).
    CharLen,
    /// `Pattern` (`static P: Pattern = Pattern::new("...")`, `P.is_match(&str) -> Option<bool>`).
    Pattern,
}

impl Part {
    /// The crates the part needs beyond std and `serde_json`.
    pub(crate) fn crates(self) -> &'static [&'static str] {
        match self {
            Self::Format(format) => format.crates(),
            Self::Pattern => &["jsonschema-regex", "fancy-regex", "regex"],
            Self::MultipleOf => &["zmij"],
            _ => &[],
        }
    }

    /// The items, per file, the part needs.
    fn items(self) -> Vec<(File, &'static [&'static str])> {
        const NUM: &[&str] = &["Num", "compare", "int_of", "compare_int_float"];
        const MULTIPLE: &[&str] = &[
            "is_multiple_of",
            "is_multiple_of_whole",
            "decimal_is_zero",
            "decimal_is_multiple_of",
            "is_multiple_of_fraction",
            "decimal_parts",
            "parse_exponent",
            "divides_exactly",
            "fraction_divides",
            "fraction_parts",
            "binary_parts",
        ];
        match self {
            Self::Format(format) => vec![format.items()],
            Self::Compare => vec![(File::Numbers, NUM)],
            Self::MultipleOf => vec![(File::Numbers, MULTIPLE)],
            Self::Equal => vec![(File::Numbers, NUM), (File::Json, &["equal"])],
            Self::Unique => vec![
                (File::Numbers, NUM),
                (File::Json, &["equal", "all_unique", "hash_value"]),
            ],
            Self::CharLen => vec![(File::Json, &["char_len"])],
            Self::Pattern => vec![(File::Pattern, ALL)],
        }
    }
}

/// Every item of a file.
const ALL: &[&str] = &["*"];

/// A support source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum File {
    Formats,
    Email,
    Uri,
    Numbers,
    Json,
    Pattern,
}

impl File {
    /// Every file, in the order they are pasted.
    const EVERY: [File; 6] = [
        Self::Formats,
        Self::Email,
        Self::Uri,
        Self::Numbers,
        Self::Json,
        Self::Pattern,
    ];

    /// The file's source text.
    fn source(self) -> &'static str {
        match self {
            Self::Formats => include_str!("support/formats.rs"),
            Self::Email => include_str!("support/email.rs"),
            Self::Uri => include_str!("support/uri.rs"),
            Self::Numbers => include_str!("support/numbers.rs"),
            Self::Json => include_str!("support/json.rs"),
            Self::Pattern => include_str!("support/pattern.rs"),
        }
    }
}

/// The source of everything `parts` need, each item once, for the module
/// the generated code calls them from (`__codegen`).
pub(crate) fn tokens(parts: &[Part]) -> TokenStream {
    let wanted: Vec<(File, &str)> = parts
        .iter()
        .flat_map(|part| part.items())
        .flat_map(|(file, names)| names.iter().map(move |name| (file, *name)))
        .collect();
    let mut out = TokenStream::new();
    for file in File::EVERY {
        let names: Vec<&str> = wanted
            .iter()
            .filter(|(f, _)| *f == file)
            .map(|(_, n)| *n)
            .collect();
        if names.is_empty() {
            continue;
        }
        let parsed = syn::parse_file(file.source()).expect("the support sources are Rust");
        for item in parsed.items {
            if item_name(&item)
                .is_some_and(|name| names.contains(&"*") || names.contains(&name.as_str()))
            {
                quote::ToTokens::to_tokens(&item, &mut out);
            }
        }
    }
    out
}

/// A schema's number as the `Num` the numbers part compares with
/// (`Num::U(5u64)`, `Num::I(-3i64)`, `Num::F(2.5f64)`), exactly as
/// `serde_json` holds it; written where `Num` is in scope.
pub(crate) fn num_literal(number: &serde_json::Number) -> TokenStream {
    if let Some(u) = number.as_u64() {
        quote::quote! { Num::U(#u) }
    } else if let Some(i) = number.as_i64() {
        quote::quote! { Num::I(#i) }
    } else {
        let f = f64_literal(number.as_f64().unwrap_or(f64::NAN));
        quote::quote! { Num::F(#f) }
    }
}

/// An `f64` literal that reads back as exactly `value` (the shortest
/// round-trip digits; `-0.0` keeps its sign), e.g. a `multipleOf` divisor.
pub(crate) fn f64_literal(value: f64) -> TokenStream {
    let literal = proc_macro2::Literal::f64_suffixed(value.abs());
    if value.is_sign_negative() {
        quote::quote! { -#literal }
    } else {
        quote::quote! { #literal }
    }
}

/// The name an item defines (for an `impl`, its type's).
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Fn(item) => Some(item.sig.ident.to_string()),
        syn::Item::Const(item) => Some(item.ident.to_string()),
        syn::Item::Static(item) => Some(item.ident.to_string()),
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Impl(item) => match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests;
