//! The union of object types told apart by a tag property (`LogEvent`).
//!
//! Deserialization reads properties until the tag, keeping any before it as
//! JSON values (real events usually start with `log_type`, so there are
//! rarely any), then streams the rest straight into the right struct's
//! builder. An object whose tag is a string the union does not know is kept
//! whole in the fallback variant; a missing or non-string tag is an error.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, field_ident, helper, ident};
use crate::ir::Union;
use crate::names;

/// The enum and its impls (public), and its visitor (private).
pub(super) fn emit(ctx: &Ctx<'_>, u: &Union) -> (TokenStream, TokenStream) {
    let name = ident(&u.name);
    let unknown = ident(&u.unknown);
    let visitor = helper(&u.name, "Visitor");
    let doc = docs::attrs(&u.docs, None);
    let derives = ctx.derives(&u.name, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let tag = &u.tag;
    let tags_const = ident(&names::tags_const(tag));
    let accessor = ident(&names::tag_accessor(tag));
    let tag_values: Vec<&str> = u.variants.iter().map(|v| v.tag_value.as_str()).collect();

    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        let d = docs::text(&format!("`{tag}` is `{}`.", v.tag_value));
        quote! { #d #variant(#ty), }
    });
    let unknown_doc = docs::text(&format!(
        "An object whose `{tag}` is none of the known values, kept whole, exactly as received."
    ));
    let tag_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        let const_name = ident(&names::tag_const(tag));
        quote! { Self::#variant(_) => #ty::#const_name, }
    });
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote! { Self::#variant(value) => serde::Serialize::serialize(value, serializer), }
    });
    let from_impls = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        let d = docs::text(&format!("Wraps the `{}`.", v.ty));
        quote! {
            impl From<#ty> for #name {
                #d
                fn from(value: #ty) -> Self { Self::#variant(value) }
            }
        }
    });
    let tags_doc = docs::text(&format!(
        "The `{tag}` values with a variant of their own, in schema order."
    ));
    let accessor_doc = docs::text(&format!(
        "The object's `{tag}` (for the fallback variant, its `{tag}` string, or `\"\"` if it has none)."
    ));
    let expecting = format!("a {} object", u.name);
    let accessors = accessors(ctx, u, &accessor.to_string());

    let public = quote! {
        #doc
        #[allow(clippy::large_enum_variant, reason = "events are handled one at a time; boxing would cost an allocation per event")]
        #[non_exhaustive]
        #derives
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Map<String, serde_json::Value>),
        }

        impl #name {
            #tags_doc
            pub const #tags_const: &'static [&'static str] = &[#(#tag_values),*];

            #accessor_doc
            pub fn #accessor(&self) -> &str {
                match self {
                    #(#tag_arms)*
                    Self::#unknown(map) => map.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default(),
                }
            }

            #(#accessors)*
        }

        #(#from_impls)*

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#unknown(map) => serde::Serialize::serialize(map, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(__codegen::#visitor)
            }
        }
    };

    let dispatch = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let builder = helper(&v.ty, "Builder");
        let value = &v.tag_value;
        quote! {
            #value => finish_tagged::<#builder, A>(#tag, #value, before, map).map(super::#name::#variant),
        }
    });
    let visitor_doc = docs::text(&format!(
        "Reads a `{}`: tag first, then the right builder.",
        u.name
    ));
    let private = quote! {
        #visitor_doc
        pub(super) struct #visitor;

        impl<'de> serde::de::Visitor<'de> for #visitor {
            type Value = super::#name;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#expecting)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (before, tag) = read_until_tag(&mut map, #tag)?;
                match &*tag {
                    #(#dispatch)*
                    _ => finish_unknown(#tag, tag.into_owned(), before, map).map(super::#name::#unknown),
                }
            }
        }
    };
    (public, private)
}

/// An accessor per field several branches share: `None` for the branches
/// without it, for absent and `null`, and for the fallback variant.
fn accessors(ctx: &Ctx<'_>, u: &Union, tag_accessor: &str) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for c in u.common.iter().filter(|c| c.method != tag_accessor) {
        let method = field_ident(&c.ident);
        let id = field_ident(&c.ident);
        let (ret, convert) = ctx.getter(&c.ty);
        let arms = c.holders.iter().map(|(variant, required, nullable)| {
            let variant = ident(variant);
            let value = match (required, nullable) {
                (true, false) => quote! { Some(&event.#id) },
                (true, true) | (false, false) => quote! { event.#id.as_ref() },
                (false, true) => quote! { event.#id.as_ref().and_then(Option::as_ref) },
            };
            quote! { Self::#variant(event) => #value, }
        });
        let branches: Vec<String> = c.holders.iter().map(|(v, _, _)| format!("`{v}`")).collect();
        let all = c.holders.len() == u.variants.len();
        let d = docs::text(&format!(
            "`{}` of {}; `None` {}when absent or `null`.",
            c.json_name,
            if all {
                "every known event type".to_owned()
            } else {
                branches.join(", ")
            },
            if all {
                "for an unknown type, or ".to_owned()
            } else {
                "for other types, or ".to_owned()
            }
        ));
        let pick = quote! {
            match self {
                #(#arms)*
                _ => None,
            }
        };
        let body = if convert.is_empty() {
            pick
        } else {
            quote! { (#pick) #convert }
        };
        out.push(quote! {
            #d
            pub fn #method(&self) -> Option<#ret> {
                #body
            }
        });
    }
    out
}
