//! The keywords on objects: `required`, `properties`, `patternProperties`,
//! `additionalProperties`, `propertyNames`, `minProperties`,
//! `maxProperties`, `dependentRequired`, `dependentSchemas`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::patterns::pattern_static;
use super::{Ctx, fail_if, helpers, reject, text};
use crate::ir::Accept;

/// `required`.
pub(super) fn required(names: &[String]) -> TokenStream {
    let fails = fail_if(
        quote!(v.as_object().is_some_and(|o| !o.contains_key(name))),
        quote!(format!("missing property `{name}`")),
    );
    quote! {
        for name in [#(#names),*] {
            #fails
        }
    }
}

/// `properties`: each named property, when present, against its subschema.
pub(super) fn properties(
    ctx: &Ctx<'_>,
    properties: &[(String, Accept)],
    private: bool,
) -> TokenStream {
    let each = properties.iter().map(|(key, a)| {
        let message = text(&format!("invalid property `{key}`"));
        match a {
            Accept::Always => TokenStream::new(),
            Accept::Never => fail_if(
                quote!(v.as_object().is_some_and(|o| o.contains_key(#key))),
                message,
            ),
            _ => {
                let rejects = reject(ctx, a, quote!(x), private);
                let get = quote!(v.as_object().and_then(|o| o.get(#key)));
                fail_if(quote!(#get.is_some_and(|x| #rejects)), message)
            }
        }
    });
    quote! { #(#each)* }
}

/// `patternProperties`: each property a pattern matches against its
/// subschema.
pub(super) fn pattern_properties(
    ctx: &Ctx<'_>,
    properties: &[(String, Accept)],
    private: bool,
) -> TokenStream {
    let h = helpers(private);
    let each = properties.iter().map(|(pattern, a)| {
        let p = pattern_static(ctx.module, pattern, false);
        match a {
            Accept::Always => TokenStream::new(),
            Accept::Never => {
                let fails = fail_if(
                    quote!(#h #p.is_match(k) != Some(false)),
                    quote!(format!("property `{k}` is not allowed")),
                );
                quote! {
                    for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                        #fails
                    }
                }
            }
            _ => {
                let rejects = reject(ctx, a, quote!(x), private);
                let fails = fail_if(
                    quote!(#h #p.is_match(k) != Some(false) && #rejects),
                    quote!(format!("invalid property `{k}`")),
                );
                quote! {
                    for (k, x) in v.as_object().into_iter().flatten() {
                        #fails
                    }
                }
            }
        }
    });
    quote! { #(#each)* }
}

/// `additionalProperties`: the properties neither `known` nor matched by
/// one of `patterns`, against one subschema.
pub(super) fn additional(
    ctx: &Ctx<'_>,
    known: &[String],
    patterns: &[String],
    a: &Accept,
    private: bool,
) -> TokenStream {
    let h = helpers(private);
    // Unlisted: named in no `properties`, matched by no pattern (a key
    // the engine cannot decide counts as unmatched, the stricter reading).
    let mut unlisted: Vec<TokenStream> = Vec::new();
    if !known.is_empty() {
        unlisted.push(quote!(!matches!(k.as_str(), #(#known)|*)));
    }
    for p in patterns {
        let p = pattern_static(ctx.module, p, false);
        unlisted.push(quote!(#h #p.is_match(k) != Some(true)));
    }
    let additional = if unlisted.is_empty() {
        TokenStream::new()
    } else {
        quote!(#(#unlisted)&&*)
    };
    match a {
        Accept::Always => TokenStream::new(),
        Accept::Never => {
            let fails = if additional.is_empty() {
                quote!(true)
            } else {
                additional
            };
            let fail = fail_if(fails, quote!(format!("property `{k}` is not allowed")));
            quote! {
                for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                    #fail
                }
            }
        }
        _ => {
            let rejects = reject(ctx, a, quote!(x), private);
            let fails = if additional.is_empty() {
                quote!(#rejects)
            } else {
                quote!(#additional && #rejects)
            };
            let fail = fail_if(fails, quote!(format!("invalid property `{k}`")));
            quote! {
                for (k, x) in v.as_object().into_iter().flatten() {
                    #fail
                }
            }
        }
    }
}

/// `propertyNames`: every key, as a JSON string, against one subschema.
pub(super) fn property_names(ctx: &Ctx<'_>, a: &Accept, private: bool) -> TokenStream {
    match a {
        Accept::Always => TokenStream::new(),
        Accept::Never => fail_if(
            quote!(v.as_object().is_some_and(|o| !o.is_empty())),
            text("no property is allowed"),
        ),
        _ => {
            let rejects = reject(ctx, a, quote!(x), private);
            let fail = fail_if(
                quote!(#rejects),
                quote!(format!("property name `{k}` is not allowed")),
            );
            quote! {
                for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                    let name = serde_json::Value::String(k.clone());
                    let x = &name;
                    #fail
                }
            }
        }
    }
}

/// `minProperties` (`minimum` true) or `maxProperties`.
pub(super) fn count(n: u64, minimum: bool) -> TokenStream {
    let (op, message) = if minimum {
        (quote!(<), format!("fewer than {n} properties"))
    } else {
        (quote!(>), format!("more than {n} properties"))
    };
    let n = Literal::u64_suffixed(n);
    fail_if(
        quote!(v.as_object().is_some_and(|o| u64::try_from(o.len()).unwrap_or(u64::MAX) #op #n)),
        text(&message),
    )
}

/// `dependentRequired`: a present key requires other keys.
pub(super) fn dependent_required(pairs: &[(String, Vec<String>)]) -> TokenStream {
    let each = pairs
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(key, names)| {
            let message = format!("property `{key}` needs property `{{name}}`");
            let fail = fail_if(
                quote!(v.as_object().is_some_and(|o| o.contains_key(#key) && !o.contains_key(name))),
                quote!(format!(#message)),
            );
            quote! {
                for name in [#(#names),*] {
                    #fail
                }
            }
        });
    quote! { #(#each)* }
}

/// `dependentSchemas`: a present key puts the whole object against a
/// subschema.
pub(super) fn dependent_schemas(
    ctx: &Ctx<'_>,
    pairs: &[(String, Accept)],
    private: bool,
) -> TokenStream {
    let each = pairs.iter().map(|(key, a)| {
        let message = format!(
            "property `{key}` is present and the object does not match its dependent schema"
        );
        match a {
            Accept::Always => TokenStream::new(),
            Accept::Never => fail_if(
                quote!(v.as_object().is_some_and(|o| o.contains_key(#key))),
                text(&message),
            ),
            _ => {
                let rejects = reject(ctx, a, quote!(v), private);
                fail_if(
                    quote!(v.as_object().is_some_and(|o| o.contains_key(#key)) && #rejects),
                    text(&message),
                )
            }
        }
    });
    quote! { #(#each)* }
}
