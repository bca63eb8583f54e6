//! The keywords on numbers: `minimum`, `maximum` (exclusive or not) and
//! `multipleOf`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{fail_if, helpers, text};

/// `minimum` (`minimum` true) or `maximum`, `exclusive` or not.
pub(super) fn bound(
    bound: &serde_json::Number,
    exclusive: bool,
    minimum: bool,
    private: bool,
) -> TokenStream {
    let h = helpers(private);
    let bound_tokens = num(bound, private);
    let (word, fails) = match (minimum, exclusive) {
        (true, false) => ("at least", quote!(== std::cmp::Ordering::Less)),
        (true, true) => ("greater than", quote!(!= std::cmp::Ordering::Greater)),
        (false, false) => ("at most", quote!(== std::cmp::Ordering::Greater)),
        (false, true) => ("less than", quote!(!= std::cmp::Ordering::Less)),
    };
    fail_if(
        quote!(v.as_number().is_some_and(|n| #h compare(#h Num::of(n), #bound_tokens) #fails)),
        text(&format!("must be {word} {bound}")),
    )
}

/// `multipleOf`.
pub(super) fn multiple_of(divisor: &serde_json::Number, private: bool) -> TokenStream {
    let h = helpers(private);
    let divisor_tokens =
        super::super::checks_runtime::f64_literal(divisor.as_f64().unwrap_or(f64::NAN));
    fail_if(
        quote!(v.as_number().is_some_and(|n| !#h is_multiple_of(n, #divisor_tokens))),
        text(&format!("must be a multiple of {divisor}")),
    )
}

/// A schema bound as the support code's `Num`.
fn num(n: &serde_json::Number, private: bool) -> TokenStream {
    let h = helpers(private);
    let literal = super::super::checks_runtime::num_literal(n);
    quote!(#h #literal)
}
