//! What the module's checks need of the runtime crate: the features to
//! turn on (a schema with `format: email` needs `email`...), and the
//! literals of the runtime's number types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Check, Item, Module};

/// The runtime features a check needs (none for most).
fn feature(check: &Check) -> Option<&'static str> {
    match check {
        Check::MultipleOf(_) => Some("multiple-of"),
        Check::Pattern(_) | Check::PatternProperties(_) => Some("patterns"),
        Check::Additional { patterns, .. } if !patterns.is_empty() => Some("patterns"),
        Check::Unevaluated { nodes, .. } if nodes.iter().any(|n| !n.patterns.is_empty()) => {
            Some("patterns")
        }
        Check::Format(name) => match name.as_str() {
            "email" => Some("email"),
            "hostname" => Some("hostname"),
            "idn-hostname" | "idn-email" => Some("idna"),
            "uri" | "uri-reference" | "iri" | "iri-reference" => Some("uri"),
            "regex" => Some("patterns"),
            _ => None,
        },
        _ => None,
    }
}

/// The runtime features the module's code needs, sorted.
pub(crate) fn features(module: &Module) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = module
        .items
        .iter()
        .flat_map(Item::checks)
        .filter_map(feature)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A schema's number as the runtime's `Num` (`Num::U(5u64)`, `Num::I(-3i64)`,
/// `Num::F(2.5f64)`), exactly as `serde_json` holds it; written where `Num`
/// is in scope.
pub(crate) fn num_literal(number: &serde_json::Number) -> TokenStream {
    if let Some(u) = number.as_u64() {
        quote! { Num::U(#u) }
    } else if let Some(i) = number.as_i64() {
        quote! { Num::I(#i) }
    } else {
        let f = f64_literal(number.as_f64().unwrap_or(f64::NAN));
        quote! { Num::F(#f) }
    }
}

/// An `f64` literal that reads back as exactly `value` (the shortest
/// round-trip digits; `-0.0` keeps its sign), e.g. a `multipleOf` divisor.
pub(crate) fn f64_literal(value: f64) -> TokenStream {
    let literal = proc_macro2::Literal::f64_suffixed(value.abs());
    if value.is_sign_negative() {
        quote! { -#literal }
    } else {
        quote! { #literal }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_needs_the_feature_its_runtime_check_is_behind() {
        let needs = |f: &str| feature(&Check::Format(f.to_owned()));
        assert_eq!(needs("email"), Some("email"));
        assert_eq!(needs("hostname"), Some("hostname"));
        assert_eq!(needs("hostname-rfc1034"), None);
        for f in ["uri", "uri-reference", "iri", "iri-reference"] {
            assert_eq!(needs(f), Some("uri"), "{f}");
        }
        assert_eq!(needs("regex"), Some("patterns"));
        assert_eq!(needs("idn-hostname"), Some("idna"));
        assert_eq!(needs("idn-email"), Some("idna"));
        for f in [
            "date",
            "duration",
            "json-pointer",
            "relative-json-pointer",
            "uri-template",
        ] {
            assert_eq!(needs(f), None, "{f}");
        }
    }

    #[test]
    fn literals_read_back_exactly() {
        let n = |t: &str| serde_json::from_str::<serde_json::Number>(t).unwrap();
        assert_eq!(num_literal(&n("5")).to_string(), "Num :: U (5u64)");
        assert_eq!(num_literal(&n("-3")).to_string(), "Num :: I (- 3i64)");
        assert_eq!(num_literal(&n("2.5")).to_string(), "Num :: F (2.5f64)");
        assert_eq!(f64_literal(-0.0).to_string(), "- 0f64");
        assert_eq!(f64_literal(0.1).to_string(), "0.1f64");
    }
}
