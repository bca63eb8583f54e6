//! String enumerations: open ones (a variant per known value plus a
//! catch-all that keeps any other string) and closed ones (only the listed
//! strings), and `OtherValue`, the catch-all's payload.
//!
//! # Design
//! An open set has one variant per *value*, not per spelling: the quirk
//! spellings the schema lists (`x-quirk-values`), and every ASCII case
//! variant when the set is `x-case-insensitive`, read as the value they
//! spell. Equality, hashing and order are the value's. The spelling an event
//! was received with is kept by the struct holding the field (its private
//! `received` slot, see `structs`), so an event still serializes back byte
//! for byte; the enum itself stays a plain, matchable value.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, ident};
use crate::ir::ValueEnum;
use crate::names::OTHER_VALUE_NAME;

/// An open enumeration: a variant per known value plus `Other(OtherValue)`.
pub(super) fn open_enum(ctx: &Ctx<'_>, e: &ValueEnum) -> (TokenStream, TokenStream) {
    let name = ident(&e.name);
    let other = ident(&e.other);
    let other_value = ident(OTHER_VALUE_NAME);
    let case_note = e.case_insensitive.then_some(
        "Case-insensitive (`x-case-insensitive`): any ASCII case variant of a known value is that value.",
    );
    let doc = docs::attrs(&e.docs, None);
    let case_doc = case_note.map(|note| docs::text(&format!("\n{note}")));
    let derives = ctx.derives(
        &e.name,
        &[
            "Debug",
            "Clone",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut text = docs::code_span(&v.value);
        if v.quirk {
            text.push_str(" (a quirk value: sent, not documented)");
        }
        if !v.spellings.is_empty() {
            let spellings: Vec<String> = v.spellings.iter().map(|s| docs::code_span(s)).collect();
            text.push_str(&format!("; also read from {}", spellings.join(", ")));
        }
        let d = docs::text(&format!("{text}."));
        quote! { #d #variant, }
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    let exact = e.variants.iter().flat_map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        let canonical = quote! { #value => Some((Self::#variant, None)), };
        let listed = v.spellings.iter().map(move |s| {
            quote! { #s => Some((Self::#variant, Some(#s))), }
        });
        std::iter::once(canonical).chain(listed).collect::<Vec<_>>()
    });
    let fallback = if e.case_insensitive {
        let checks = e.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let value = &v.value;
            quote! { if text.eq_ignore_ascii_case(#value) { return Some((Self::#variant, None)); } }
        });
        quote! { _ => { #(#checks)* None } }
    } else {
        quote! { _ => None, }
    };
    let values = e.variants.iter().map(|v| &v.value);
    let quirks: Vec<_> = e
        .variants
        .iter()
        .filter(|v| v.quirk)
        .map(|v| ident(&v.name))
        .collect();
    let is_quirk = (!quirks.is_empty()).then(|| {
        quote! {
            /// Whether the value is one that real traffic uses but the doc does not.
            pub fn is_quirk(&self) -> bool {
                matches!(self, #(Self::#quirks)|*)
            }
        }
    });
    let public = quote! {
        #doc
        #case_doc
        #[allow(clippy::enum_variant_names, reason = "variant names are the schema's values")]
        #[non_exhaustive]
        #derives
        pub enum #name {
            #(#variants)*
            /// Any other value, kept exactly as received; never one of the known values.
            #other(#other_value),
        }

        impl #name {
            /// The known values, in their canonical spelling, in schema order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value in its canonical spelling (the received spelling of an
            /// event's field is kept by the event; see its `*_spelling` getter).
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value.as_str(),
                }
            }

            /// Whether the value is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#other(_))
            }

            #is_quirk

            /// The known value a spelling reads as, with the listed quirk
            /// spelling it used (`None` for the canonical one or a case variant).
            fn known(text: &str) -> Option<(Self, Option<&'static str>)> {
                match text {
                    #(#exact)*
                    #fallback
                }
            }

            /// Whether `text` reads as this value.
            #[allow(dead_code, reason = "used when an event keeps this type's spelling")]
            fn is_spelled(&self, text: &str) -> bool {
                match Self::known(text) {
                    Some((value, _)) => value == *self,
                    None => matches!(self, Self::#other(value) if value.as_str() == text),
                }
            }
        }

        impl From<&str> for #name {
            /// The known value a spelling reads as, or `Other`.
            fn from(value: &str) -> Self {
                match Self::known(value) {
                    Some((known, _)) => known,
                    None => Self::#other(#other_value(value.to_owned())),
                }
            }
        }

        impl From<String> for #name {
            /// The known value a spelling reads as, or `Other` (reusing the string).
            fn from(value: String) -> Self {
                match Self::known(&value) {
                    Some((known, _)) => known,
                    None => Self::#other(#other_value(value)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            /// Never fails: an unknown value is `Other`.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            /// The canonical spelling (an event's field is written as received).
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
    // How a value was spelled, for the structs that keep it: the runtime's
    // derive-like macro, from `known`, `is_spelled`, `as_str` and `From<String>`.
    let runtime = &ctx.runtime;
    let private = ctx
        .keeps_forms()
        .then(|| quote! { #runtime::open_set_forms!(super::#name); });
    (public, private.unwrap_or_default())
}

/// `OtherValue`: an open set's value that is none of its known values.
pub(super) fn other_value(ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(OTHER_VALUE_NAME);
    let derives = ctx.derives(
        OTHER_VALUE_NAME,
        &[
            "Debug",
            "Clone",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    quote! {
        /// A value of a value set that is none of its known values, kept exactly
        /// as received. Only the generated code makes one, so an open set's
        /// `Other` never holds a known value: build one with `From<&str>`.
        #derives
        pub struct #name(String);

        impl #name {
            /// The value as received.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for #name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for #name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    }
}

/// A closed enumeration: only the listed strings.
pub(super) fn closed_enum(ctx: &Ctx<'_>, e: &ValueEnum) -> (TokenStream, TokenStream) {
    let name = ident(&e.name);
    let other_value = ident(OTHER_VALUE_NAME);
    let doc = docs::attrs(&e.docs, None);
    let derives = ctx.derives(
        &e.name,
        &[
            "Debug",
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
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

        impl std::str::FromStr for #name {
            /// The string that is none of the values.
            type Err = #other_value;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::from_value(value).ok_or_else(|| #other_value(value.to_owned()))
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
