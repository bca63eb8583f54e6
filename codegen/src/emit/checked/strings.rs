//! The keywords on strings: `minLength`, `maxLength`, `pattern`, `format`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::patterns::pattern_static;
use super::{Ctx, fail_if, helpers, text};

/// `minLength` (`minimum` true) or `maxLength`, in characters.
pub(super) fn length(n: u64, minimum: bool, private: bool) -> TokenStream {
    let h = helpers(private);
    let (op, message) = if minimum {
        (quote!(<), format!("shorter than {n} characters"))
    } else {
        (quote!(>), format!("longer than {n} characters"))
    };
    let n = Literal::u64_suffixed(n);
    fail_if(
        quote!(v.as_str().is_some_and(|s| u64::try_from(#h char_len(s)).unwrap_or(u64::MAX) #op #n)),
        text(&message),
    )
}

/// `pattern`.
pub(super) fn pattern(ctx: &Ctx<'_>, pattern: &str, private: bool) -> TokenStream {
    let h = helpers(private);
    let p = pattern_static(ctx.module, pattern, true);
    fail_if(
        quote!(v.as_str().is_some_and(|s| #h #p.is_match(s) != Some(true))),
        text(&format!("does not match the pattern {pattern:?}")),
    )
}

/// `format` (an asserted one; `hostname-rfc1034` is draft-04's and -06's `hostname`).
pub(super) fn format(format: &str, private: bool) -> TokenStream {
    let h = helpers(private);
    let f = super::super::ident(&crate::names::format_check(format));
    let shown = format.strip_suffix("-rfc1034").unwrap_or(format);
    fail_if(
        quote!(v.as_str().is_some_and(|s| !#h #f(s))),
        text(&format!("not a valid {shown}")),
    )
}
