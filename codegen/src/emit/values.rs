//! String enumerations: open ones (known values plus a catch-all that keeps
//! any other string) and closed ones (only the listed strings).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, ident};
use crate::ir::ValueEnum;

/// An open enumeration: a variant per known spelling plus `Other(String)`.
pub(super) fn open_enum(ctx: &Ctx<'_>, e: &ValueEnum) -> (TokenStream, TokenStream) {
    let name = ident(&e.name);
    let other = ident(&e.other);
    let doc = docs::attrs(&e.docs, None);
    let derives = ctx.derives(&e.name, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let note = if v.quirk {
            " (a quirk spelling: sent, not documented)"
        } else {
            ""
        };
        let d = docs::text(&format!("{}{note}.", docs::code_span(&v.value)));
        quote! { #d #variant, }
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    let from_str: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.name);
            let value = &v.value;
            quote! { #value => Self::#variant, }
        })
        .collect();
    let quirks: Vec<_> = e
        .variants
        .iter()
        .filter(|v| v.quirk)
        .map(|v| ident(&v.name))
        .collect();
    let is_quirk = (!quirks.is_empty()).then(|| {
        quote! {
            /// Whether the value is a known spelling that real traffic uses but the doc does not.
            pub fn is_quirk(&self) -> bool {
                matches!(self, #(Self::#quirks)|*)
            }
        }
    });
    let public = quote! {
        #doc
        #[allow(clippy::enum_variant_names, reason = "variant names are the schema's values")]
        #derives
        pub enum #name {
            #(#variants)*
            /// Any other value, kept exactly as received.
            #other(String),
        }

        impl #name {
            /// The value as spelled in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }

            /// Whether the value is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#other(_))
            }

            #is_quirk
        }

        impl From<&str> for #name {
            /// The known variant for a spelling, or `Other`.
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            /// The known variant for a spelling, or `Other` (reusing the string).
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_str)*
                    _ => Self::#other(value),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(__codegen::OpenVisitor(std::marker::PhantomData))
            }
        }
    };
    (public, TokenStream::new())
}

/// A closed enumeration: only the listed strings.
pub(super) fn closed_enum(ctx: &Ctx<'_>, e: &ValueEnum) -> (TokenStream, TokenStream) {
    let name = ident(&e.name);
    let doc = docs::attrs(&e.docs, None);
    let derives = ctx.derives(
        &e.name,
        &["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash"],
    );
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let d = docs::text(&format!("{}.", docs::code_span(&v.value)));
        quote! { #d #variant, }
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    let parse = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { #value => Some(Self::#variant), }
    });
    let values = e.variants.iter().map(|v| &v.value);
    let public = quote! {
        #doc
        #[allow(clippy::enum_variant_names, reason = "variant names are the schema's values")]
        #derives
        pub enum #name { #(#variants)* }

        impl #name {
            /// Every accepted value, in schema order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as spelled in JSON.
            pub fn as_str(&self) -> &'static str {
                match self { #(#as_str)* }
            }

            /// The variant for a spelling, if it is one of the values.
            pub fn from_value(value: &str) -> Option<Self> {
                match value {
                    #(#parse)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(__codegen::ClosedVisitor { values: Self::VALUES, parse: Self::from_value })
            }
        }
    };
    (public, TokenStream::new())
}
