//! The keywords on arrays: `minItems`, `maxItems`, `uniqueItems`,
//! `prefixItems` and `items` (after the prefix).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Ctx, fail_if, helpers, reject, text};
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
