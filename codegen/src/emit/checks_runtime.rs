//! The helpers checked values call, emitted into `__codegen` only when a
//! check uses them (generated code has no dead code to silence).

use proc_macro2::TokenStream;
use quote::quote;

use super::checked::pattern_statics;
use super::support::{self, Format, Part};
use crate::ir::{Check, Item, JsonType, Module};

/// The helpers the module's checks use.
pub(super) fn emit(module: &Module) -> TokenStream {
    let mut parts = Vec::new();
    let mut integer = false;
    let mut written = false;
    for item in &module.items {
        for check in item.checks() {
            integer |= matches!(check, Check::Types(t) if t.contains(&JsonType::Integer));
            written |= matches!(check, Check::Types(t) if t.contains(&JsonType::WrittenInteger));
            for part in parts_of(check) {
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
        }
    }
    let mut out = support::tokens(&parts);
    if written {
        out.extend(quote! {
            /// Whether a number is written as an integer (`1.0` and `1e2` are
            /// not), as the validator reads `integer` in draft-04.
            pub(super) fn is_written_integer(n: &serde_json::Number) -> bool {
                if n.is_i64() || n.is_u64() {
                    return true;
                }
                let text = n.to_string();
                if text.contains(['e', 'E']) {
                    // Past 2^63 every `f64` is a whole number, written with an exponent.
                    return n
                        .as_f64()
                        .is_some_and(|f| f.abs() >= 9_223_372_036_854_775_808.0);
                }
                !text.contains('.')
            }
        });
    }
    if integer {
        out.extend(quote! {
            /// Whether a number is an integer (`1.0` is), as the validator decides.
            pub(super) fn is_integer(n: &serde_json::Number) -> bool {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
        });
    }
    out.extend(pattern_statics(module));
    out
}

/// The crates beyond `serde`, `serde_json` and `chrono` the module's code
/// needs, sorted.
pub(crate) fn crates(module: &Module) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = module
        .items
        .iter()
        .flat_map(Item::checks)
        .flat_map(parts_of)
        .flat_map(|part| part.crates().iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The support parts one check calls.
fn parts_of(check: &Check) -> Vec<Part> {
    match check {
        Check::Minimum(..) | Check::Maximum(..) => vec![Part::Compare],
        Check::MultipleOf(_) => vec![Part::MultipleOf],
        Check::MinLength(_) | Check::MaxLength(_) => vec![Part::CharLen],
        Check::Pattern(_) | Check::PatternProperties(_) => vec![Part::Pattern],
        Check::Additional { patterns, .. } if !patterns.is_empty() => vec![Part::Pattern],
        Check::Format(name) => Format::from_name(name)
            .map(Part::Format)
            .into_iter()
            .collect(),
        Check::UniqueItems => vec![Part::Unique],
        Check::Const(_) | Check::Enum(_) => vec![Part::Equal],
        _ => Vec::new(),
    }
}
