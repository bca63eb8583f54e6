//! The keywords combining subschemas: `allOf`, `anyOf`, `oneOf`, `not`,
//! `if`/`then`/`else`.

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

/// `if`/`then`/`else`: `then` holds where `if` does, `else` where it does not.
pub(super) fn if_then_else(
    ctx: &Ctx<'_>,
    cond: &Accept,
    then: &Accept,
    otherwise: &Accept,
    private: bool,
) -> TokenStream {
    // `when && branch fails`, without a literal `&& true` for a `false` branch.
    let fails = |when: TokenStream, branch: &Accept| match branch {
        Accept::Never => Some(when),
        Accept::Always => None,
        _ => {
            let branch_fails = reject(ctx, branch, quote!(v), private);
            Some(quote!(#when && #branch_fails))
        }
    };
    let check = |fails: Option<TokenStream>, message: TokenStream| {
        fails.map(|f| fail_if(f, message)).unwrap_or_default()
    };
    let then_message = text("matches `if` but not `then`");
    let else_message = text("matches neither `if` nor `else`");
    // A boolean `if` is bound, so that no test reads `true && ...`.
    let literal = matches!(cond, Accept::Always | Accept::Never);
    match (then, otherwise) {
        // One branch: one test, no binding.
        (Accept::Always, _) if !literal => {
            let cond_fails = reject(ctx, cond, quote!(v), private);
            check(fails(cond_fails, otherwise), else_message)
        }
        (_, Accept::Always) if !literal => {
            let cond_holds = accept(ctx, cond, quote!(v), private);
            check(fails(cond_holds, then), then_message)
        }
        _ => {
            let cond_holds = accept(ctx, cond, quote!(v), private);
            let then_check = check(fails(quote!(matched_if), then), then_message);
            let else_check = check(fails(quote!(!matched_if), otherwise), else_message);
            quote! {
                let matched_if = #cond_holds;
                #then_check
                #else_check
            }
        }
    }
}
