//! The keywords combining subschemas: `allOf`, `anyOf`, `oneOf`, `not`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, accept, fail_if, reject, text};
use crate::ir::Accept;

/// `allOf`: every part holds.
pub(super) fn all_of(ctx: &Ctx<'_>, accepts: &[Accept], private: bool) -> TokenStream {
    let each = accepts.iter().enumerate().map(|(i, a)| match a {
        Accept::Always => TokenStream::new(),
        _ => {
            let rejects = reject(ctx, a, quote!(v), private);
            fail_if(
                quote!(#rejects),
                text(&format!("does not match `allOf` part {i}")),
            )
        }
    });
    quote! { #(#each)* }
}

/// `anyOf`: one branch at least holds.
pub(super) fn any_of(ctx: &Ctx<'_>, accepts: &[Accept], private: bool) -> TokenStream {
    if accepts.contains(&Accept::Always) {
        return TokenStream::new();
    }
    let branches: Vec<&Accept> = accepts.iter().filter(|a| **a != Accept::Never).collect();
    let fails = match branches.as_slice() {
        [] => quote!(true),
        [one] => reject(ctx, one, quote!(v), private),
        _ => {
            let tests = branches.iter().map(|a| accept(ctx, a, quote!(v), private));
            quote!(!(#(#tests)||*))
        }
    };
    fail_if(fails, text("matches no `anyOf` branch"))
}

/// `oneOf`: exactly one branch holds.
pub(super) fn one_of(ctx: &Ctx<'_>, accepts: &[Accept], private: bool) -> TokenStream {
    let tests = accepts
        .iter()
        .filter(|a| **a != Accept::Never)
        .map(|a| accept(ctx, a, quote!(v), private));
    let fail = fail_if(
        quote!(matched != 1),
        quote!(format!("matches {matched} `oneOf` branches instead of one")),
    );
    quote! {
        let matched = [#(#tests),*].into_iter().filter(|m| *m).count();
        #fail
    }
}

/// `not`: the subschema does not hold.
pub(super) fn not(ctx: &Ctx<'_>, a: &Accept, private: bool) -> TokenStream {
    let test = accept(ctx, a, quote!(v), private);
    fail_if(test, text("matches the schema of `not`"))
}
