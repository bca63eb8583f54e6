//! The keywords on arrays: `minItems`, `maxItems`, `uniqueItems`,
//! `prefixItems`, `items` (after the prefix), and `contains` with
//! `minContains`/`maxContains`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Ctx, accept, fail_if, helpers, reject, text};
use crate::ir::Accept;

/// `minItems` (`minimum` true) or `maxItems`.
pub(super) fn count(n: u64, minimum: bool) -> TokenStream {
    let (op, message) = if minimum {
        (quote!(<), format!("fewer than {n} items"))
    } else {
        (quote!(>), format!("more than {n} items"))
    };
    let n = Literal::u64_suffixed(n);
    fail_if(
        quote!(v.as_array().is_some_and(|a| u64::try_from(a.len()).unwrap_or(u64::MAX) #op #n)),
        text(&message),
    )
}

/// `uniqueItems: true`.
pub(super) fn unique(private: bool) -> TokenStream {
    let h = helpers(private);
    fail_if(
        quote!(v.as_array().is_some_and(|a| !#h all_unique(a))),
        text("items are not unique"),
    )
}

/// `prefixItems`: the item at each index against its subschema.
pub(super) fn prefix_items(ctx: &Ctx<'_>, accepts: &[Accept], private: bool) -> TokenStream {
    let each = accepts.iter().enumerate().map(|(i, a)| {
        let message = text(&format!("invalid item {i}"));
        let index = Literal::usize_unsuffixed(i);
        match a {
            Accept::Always => TokenStream::new(),
            Accept::Never if i == 0 => {
                fail_if(quote!(v.as_array().is_some_and(|a| !a.is_empty())), message)
            }
            Accept::Never => fail_if(
                quote!(v.as_array().is_some_and(|a| a.len() > #index)),
                message,
            ),
            _ => {
                let rejects = reject(ctx, a, quote!(x), private);
                fail_if(quote!(v.get(#index).is_some_and(|x| #rejects)), message)
            }
        }
    });
    quote! { #(#each)* }
}

/// `items`: every item from index `from` on against one subschema.
pub(super) fn items(ctx: &Ctx<'_>, from: usize, a: &Accept, private: bool) -> TokenStream {
    let from_lit = Literal::usize_unsuffixed(from);
    match a {
        Accept::Always => TokenStream::new(),
        Accept::Never if from == 0 => fail_if(
            quote!(v.as_array().is_some_and(|a| !a.is_empty())),
            text("no item is allowed"),
        ),
        Accept::Never => fail_if(
            quote!(v.as_array().is_some_and(|a| a.len() > #from_lit)),
            text(&format!("more than {from} items")),
        ),
        _ => {
            let rejects = reject(ctx, a, quote!(x), private);
            let fails = fail_if(quote!(#rejects), quote!(format!("invalid item {i}")));
            let skip = (from > 0).then(|| quote!(.skip(#from_lit)));
            quote! {
                for (i, x) in v.as_array().into_iter().flatten().enumerate() #skip {
                    #fails
                }
            }
        }
    }
}

/// `contains` with `minContains`/`maxContains`: the items matching `a`
/// number at least `min` and at most `max`, as `jsonschema` counts them.
pub(super) fn contains(
    ctx: &Ctx<'_>,
    a: &Accept,
    min: u64,
    max: Option<u64>,
    private: bool,
) -> TokenStream {
    let none = text("no item matches `contains`");
    match (a, max) {
        // Any count from 0 up passes.
        _ if min == 0 && (max.is_none() || *a == Accept::Never) => TokenStream::new(),
        // Nothing matches: 0 items, fewer than `min`.
        (Accept::Never, _) => fail_if(quote!(v.is_array()), none),
        // One match is enough: stop at the first.
        (_, None) if min == 1 => {
            let test = match a {
                Accept::Always => quote!(a.is_empty()),
                _ => {
                    let accepts = accept(ctx, a, quote!(x), private);
                    quote!(!a.iter().any(|x| #accepts))
                }
            };
            fail_if(quote!(v.as_array().is_some_and(|a| #test)), none)
        }
        _ => {
            let count = match a {
                Accept::Always => quote!(a.len()),
                _ => {
                    let accepts = accept(ctx, a, quote!(x), private);
                    quote!(a.iter().filter(|&x| #accepts).count())
                }
            };
            let fewer = match min {
                0 => TokenStream::new(),
                1 => fail_if(quote!(matched == 0), none),
                _ => {
                    let message = format!("{{matched}} items match `contains`, fewer than {min}");
                    let min = Literal::u64_suffixed(min);
                    fail_if(quote!(matched < #min), quote!(format!(#message)))
                }
            };
            let more = max.map(|max| {
                let message = format!("{{matched}} items match `contains`, more than {max}");
                let max = Literal::u64_suffixed(max);
                fail_if(quote!(matched > #max), quote!(format!(#message)))
            });
            quote! {
                if let Some(a) = v.as_array() {
                    let matched = u64::try_from(#count).unwrap_or(u64::MAX);
                    #fewer
                    #more
                }
            }
        }
    }
}
