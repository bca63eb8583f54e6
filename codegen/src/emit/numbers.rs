//! Number-like value types: bounded integer newtypes (accepting `1` and
//! `1.0` alike, as JSON Schema does) and values of several JSON types, kept
//! in the type they arrived as.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, helper, ident};
use crate::ir::{Bounds, Branch, IntRepr, Integer, Multi};
use crate::names::OUT_OF_RANGE_NAME;

/// The Rust integer type of a representation.
fn repr_type(repr: IntRepr) -> TokenStream {
    match repr {
        IntRepr::U8 => quote!(u8),
        IntRepr::U64 => quote!(u64),
        IntRepr::I64 => quote!(i64),
    }
}

/// `true` when `v: i128` lies within the bounds (an expression).
fn bounds_check(bounds: &Bounds<i128>) -> TokenStream {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) => quote! { (#min..=#max).contains(&v) },
        (Some(min), None) => quote! { v >= #min },
        (None, Some(max)) => quote! { v <= #max },
        (None, None) => quote! { true },
    }
}

/// "an integer from 0 to 5" and the like.
fn describe(bounds: &Bounds<i128>) -> String {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) => format!("an integer from {min} to {max}"),
        (Some(min), None) => format!("an integer of at least {min}"),
        (None, Some(max)) => format!("an integer of at most {max}"),
        (None, None) => "an integer".to_owned(),
    }
}

/// A bounded integer newtype; accepts `1` and `1.0` alike.
pub(super) fn integer(ctx: &Ctx<'_>, i: &Integer) -> (TokenStream, TokenStream) {
    let name = ident(&i.name);
    let repr = repr_type(i.repr);
    let repr_name = repr.to_string();
    let limit = (i.bounds.min.is_none() || i.bounds.max.is_none()).then(|| {
        format!("Held as a `{repr_name}`: an integer beyond its range is rejected, although the schema sets no bound there.")
    });
    let doc = docs::attrs(&i.docs, limit.as_deref());
    let derives = ctx.derives(
        &i.name,
        &[
            "Debug",
            "Clone",
            "Copy",
            "PartialEq",
            "Eq",
            "PartialOrd",
            "Ord",
            "Hash",
        ],
    );
    let check = bounds_check(&i.bounds);
    let expecting = describe(&i.bounds);
    let limits = [
        ("MIN", i.bounds.min, "smallest"),
        ("MAX", i.bounds.max, "largest"),
    ]
    .map(|(n, v, word)| {
        v.map(|v| {
            let n = ident(n);
            let literal = proc_macro2::Literal::i128_unsuffixed(v);
            let d = docs::text(&format!("The {word} valid value."));
            quote! { #d pub const #n: #repr = #literal; }
        })
    });
    let (repr_min, repr_max): (i128, i128) = match i.repr {
        IntRepr::U8 => (0, 255),
        IntRepr::U64 => (0, i128::from(u64::MAX)),
        IntRepr::I64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
    };
    // The checks the representation does not already make, for `const fn new`.
    let mut const_checks = Vec::new();
    if let Some(min) = i.bounds.min.filter(|m| *m > repr_min) {
        let literal = proc_macro2::Literal::i128_unsuffixed(min);
        const_checks.push(quote! { value >= #literal });
    }
    if let Some(max) = i.bounds.max.filter(|m| *m < repr_max) {
        let literal = proc_macro2::Literal::i128_unsuffixed(max);
        const_checks.push(quote! { value <= #literal });
    }
    let const_check = if const_checks.is_empty() {
        quote!(true)
    } else {
        quote!(#(#const_checks)&&*)
    };
    let out_of_range = ident(OUT_OF_RANGE_NAME);
    let public = quote! {
        #doc
        #derives
        pub struct #name(#repr);

        impl #name {
            #(#limits)*

            /// The value, if within the schema's bounds.
            pub const fn new(value: #repr) -> Option<Self> {
                if #const_check { Some(Self(value)) } else { None }
            }

            /// The value.
            pub const fn get(self) -> #repr {
                self.0
            }

            /// The value of an `i128`, if within the bounds and the representation.
            fn check(v: i128) -> Option<Self> {
                if #check { #repr::try_from(v).ok().map(Self) } else { None }
            }
        }

        impl From<#name> for #repr {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        impl TryFrom<#repr> for #name {
            type Error = #out_of_range;
            /// The value, or the error naming it when outside the schema's bounds.
            fn try_from(value: #repr) -> Result<Self, Self::Error> {
                Self::new(value).ok_or(#out_of_range { value: i128::from(value), expected: #expecting })
            }
        }

        impl PartialEq<#repr> for #name {
            fn eq(&self, other: &#repr) -> bool {
                self.0 == *other
            }
        }

        impl PartialOrd<#repr> for #name {
            fn partial_cmp(&self, other: &#repr) -> Option<std::cmp::Ordering> {
                self.0.partial_cmp(other)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl serde::Serialize for #name {
            /// As an integer (an event's field is written as received: `1.0` stays `1.0`).
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .deserialize_any(__codegen::IntVisitor { expecting: #expecting, check: Self::check })
                    .map(|(value, _)| value)
            }
        }
    };
    let private = ctx.keeps_forms().then(|| {
        quote! {
            impl ReadForm for super::#name {
                fn read_form<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(Self, Form), D::Error> {
                    let (value, float) = deserializer.deserialize_any(IntVisitor { expecting: #expecting, check: Self::check })?;
                    Ok((value, if float { Form::Float } else { Form::Canonical }))
                }
            }

            impl WriteForm for super::#name {
                #[allow(clippy::cast_precision_loss, reason = "the value was read from this very float")]
                fn write_form<S: serde::Serializer>(&self, form: &Form, serializer: S) -> Result<S::Ok, S::Error> {
                    match form {
                        Form::Float => serializer.serialize_f64(self.0 as f64),
                        _ => serde::Serialize::serialize(&self.0, serializer),
                    }
                }
            }
        }
    });
    (public, private.unwrap_or_default())
}

/// `OutOfRange`: the error of a bounded integer's `TryFrom`.
pub(super) fn out_of_range(ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(OUT_OF_RANGE_NAME);
    let derives = ctx.derives(
        OUT_OF_RANGE_NAME,
        &["Debug", "Clone", "Copy", "PartialEq", "Eq"],
    );
    quote! {
        /// An integer outside a schema's bounds (the error of `TryFrom` on the bounded integer types).
        #derives
        pub struct #name {
            /// The rejected value.
            pub value: i128,
            /// What the schema accepts (`an integer from 0 to 5`).
            pub expected: &'static str,
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{} is out of range: expected {}", self.value, self.expected)
            }
        }

        impl std::error::Error for #name {}
    }
}

/// A value of several JSON types, kept in the type it arrived as.
pub(super) fn multi(ctx: &Ctx<'_>, m: &Multi) -> (TokenStream, TokenStream) {
    let name = ident(&m.name);
    let visitor = helper(&m.name, "Visitor");
    let doc = docs::attrs(&m.docs, None);
    let derives = ctx.derives(&m.name, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let mut variants = Vec::new();
    let mut visits = Vec::new();
    let mut kinds = Vec::new();
    let mut inherent = Vec::new();
    for branch in &m.branches {
        let variant = ident(branch.variant());
        match branch {
            Branch::String => {
                kinds.push("a string".to_owned());
                variants.push(quote! { /// Sent as a JSON string, kept exactly.
                #variant(String), });
                visits.push(quote! {
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                        Ok((super::#name::#variant(v.to_owned()), false))
                    }
                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                        Ok((super::#name::#variant(v), false))
                    }
                });
            }
            Branch::Boolean => {
                kinds.push("a boolean".to_owned());
                variants.push(quote! { /// Sent as a JSON boolean.
                #variant(bool), });
                visits.push(quote! {
                    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                        Ok((super::#name::#variant(v), false))
                    }
                });
            }
            Branch::Integer(repr, bounds) => {
                kinds.push(describe(bounds));
                let ty = repr_type(*repr);
                let check = bounds_check(bounds);
                variants.push(
                    quote! { /// Sent as a JSON number (an integer; `1.0` counts as 1).
                    #variant(#ty), },
                );
                visits.push(quote! {
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                        Self::integer(i128::from(v)).map(|i| (i, false)).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        Self::integer(i128::from(v)).map(|i| (i, false)).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                        integral(v).and_then(Self::integer).map(|i| (i, true)).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
                    }
                });
                inherent.push(quote! {
                    /// The integer branch's value, if within bounds and the representation.
                    fn integer(v: i128) -> Option<super::#name> {
                        if #check { #ty::try_from(v).ok().map(super::#name::#variant) } else { None }
                    }
                });
            }
            Branch::Number(_) => {
                kinds.push("a number".to_owned());
                variants.push(quote! { /// Sent as a JSON number, kept exactly.
                #variant(serde_json::Number), });
                visits.push(quote! {
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                        Ok((super::#name::#variant(v.into()), false))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        Ok((super::#name::#variant(v.into()), false))
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                        serde_json::Number::from_f64(v)
                            .map(|n| (super::#name::#variant(n), false))
                            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
                    }
                });
            }
        }
    }
    let serialize_arms = m.branches.iter().map(|b| {
        let variant = ident(b.variant());
        quote! { Self::#variant(value) => serde::Serialize::serialize(value, serializer), }
    });
    let expecting = kinds.join(" or ");
    let visitor_doc = docs::text(&format!(
        "Reads a `{}` in whichever JSON type it arrived.",
        m.name
    ));
    let inherent_impl = quote! { impl #visitor { #(#inherent)* } };
    let public = quote! {
        #doc
        #derives
        pub enum #name { #(#variants)* }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self { #(#serialize_arms)* }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(__codegen::#visitor).map(|(value, _)| value)
            }
        }
    };
    let inherent_impl = (!inherent.is_empty()).then_some(inherent_impl);
    let private = quote! {
        #visitor_doc
        pub(super) struct #visitor;

        #inherent_impl

        /// The value, and whether an integer was written as a float (`1.0`).
        impl serde::de::Visitor<'_> for #visitor {
            type Value = (super::#name, bool);
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#expecting)
            }
            #(#visits)*
        }
    };
    let integer = m.branches.iter().find_map(|b| match b {
        Branch::Integer(..) => Some(ident(b.variant())),
        _ => None,
    });
    let forms = integer.filter(|_| ctx.keeps_forms()).map(|variant| {
        quote! {
            impl ReadForm for super::#name {
                fn read_form<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(Self, Form), D::Error> {
                    let (value, float) = deserializer.deserialize_any(#visitor)?;
                    Ok((value, if float { Form::Float } else { Form::Canonical }))
                }
            }

            impl WriteForm for super::#name {
                #[allow(clippy::cast_precision_loss, reason = "the value was read from this very float")]
                fn write_form<S: serde::Serializer>(&self, form: &Form, serializer: S) -> Result<S::Ok, S::Error> {
                    match (self, form) {
                        (super::#name::#variant(value), Form::Float) => serializer.serialize_f64(*value as f64),
                        _ => serde::Serialize::serialize(self, serializer),
                    }
                }
            }
        }
    });
    (public, quote! { #private #forms })
}
