//! A struct per object schema, its `Serialize` impl, and the builder its
//! `Deserialize` impl (and any union holding it) feeds.
//!
//! Field shapes, so that absent and `null` both survive a round trip:
//! required → `T`; required and nullable → `Option<T>`, always written;
//! optional → `Option<T>`, skipped when `None`; optional and nullable →
//! `Option<Option<T>>`, skipped when `None`, `null` when `Some(None)`.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{field_type, slot_of};
use super::{Ctx, docs, field_ident, helper, ident};
use crate::ir::{Struct, TypeRef, Unknown};
use crate::names;

/// The struct and its impls (public), and its builder (private).
pub(super) fn emit(ctx: &Ctx<'_>, s: &Struct) -> (TokenStream, TokenStream) {
    let name = ident(&s.name);
    let builder = helper(&s.name, "Builder");
    let doc = docs::attrs(&s.docs, None);
    // With no required field, `new()` takes nothing: `Default` is the same.
    let no_required = s.fields.iter().all(|f| !f.required);
    let manual: &[&str] = if no_required { &["Default"] } else { &[] };
    let derives = ctx.derives_beside(
        &s.name,
        &["Debug", "Clone", "PartialEq", "Eq", "Hash"],
        manual,
    );
    let default_impl = no_required.then(|| {
        quote! {
            impl Default for #name {
                /// The same as [`new`](Self::new).
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let forms = formed(ctx, s);

    let mut fields = Vec::new();
    for c in s.consts.iter().filter(|c| !c.required) {
        let id = field_ident(&c.ident);
        let d = docs::text(&format!(
            "Whether `{}` (always `{}`) was present.",
            c.json_name, c.value
        ));
        fields.push(quote! { #d pub #id: bool, });
    }
    for f in &s.fields {
        let id = field_ident(&f.ident);
        let ty = field_type(ctx, f, false);
        let rename = names::needs_rename(&f.json_name, &f.ident)
            .then(|| format!("JSON name: {}.", docs::code_span(&f.json_name)));
        let d = docs::attrs(&f.docs, rename.as_deref());
        fields.push(quote! { #d pub #id: #ty, });
    }
    let extras = field_ident(&s.extras);
    if s.unknown == Unknown::Keep {
        let ty = extras_type(ctx, s, false);
        let d = docs::text(match s.extras_type {
            None => "Properties the schema does not list, kept as received.",
            Some(_) => {
                "Properties the schema does not list, each checked against `additionalProperties`."
            }
        });
        fields.push(quote! { #d pub #extras: #ty, });
    }
    let received = field_ident(&s.received);
    if !forms.is_empty() {
        let n = proc_macro2::Literal::usize_unsuffixed(forms.len());
        let d = docs::text(
            "How values were written where that is not their canonical form (a quirk spelling, `1.0` for 1), so that the event serializes back as received. Takes no part in comparisons.",
        );
        fields.push(quote! { #d #received: __codegen::Received<#n>, });
    }

    let consts = s.consts.iter().map(|c| {
        let const_name = ident(&c.const_name);
        let value = &c.value;
        let d = docs::text(&format!(
            "The value of `{}` in every `{}`.",
            c.json_name, s.name
        ));
        quote! { #d pub const #const_name: &'static str = #value; }
    });
    let constructor = super::methods::constructor(ctx, s, !forms.is_empty());
    let getters = super::methods::getters(ctx, s, &forms);

    let serialize = serialize(s, &forms);
    let expecting = &s.expecting;
    let public = quote! {
        #doc
        #[non_exhaustive]
        #derives
        pub struct #name { #(#fields)* }

        impl #name {
            #(#consts)*
            #constructor
            #(#getters)*
        }

        #default_impl

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(__codegen::ObjectVisitor::<__codegen::#builder> {
                    expecting: #expecting,
                    builder: std::marker::PhantomData,
                })
            }
        }
    };
    (public, builder_tokens(ctx, s, &forms))
}

/// The fields that keep how their value was written: (index in
/// `s.fields`, slot in the `received` array).
fn formed(ctx: &Ctx<'_>, s: &Struct) -> Vec<(usize, usize)> {
    s.fields
        .iter()
        .enumerate()
        .filter(|(_, f)| ctx.has_form(&f.ty))
        .enumerate()
        .map(|(slot, (index, _))| (index, slot))
        .collect()
}

/// The type of the map holding unknown properties.
fn extras_type(ctx: &Ctx<'_>, s: &Struct, private: bool) -> TokenStream {
    match &s.extras_type {
        None => quote!(serde_json::Map<String, serde_json::Value>),
        Some((ty, nullable)) => {
            let mut ty = ctx.type_ref(ty, private);
            if *nullable {
                ty = quote!(Option<#ty>);
            }
            quote!(std::collections::BTreeMap<String, #ty>)
        }
    }
}

/// The body of `Serialize::serialize`: a map, in schema order, extras last;
/// values with a form written as received.
fn serialize(s: &Struct, forms: &[(usize, usize)]) -> TokenStream {
    let mut entries = Vec::new();
    for c in &s.consts {
        let key = &c.json_name;
        let const_name = ident(&c.const_name);
        if c.required {
            entries.push(quote! { map.serialize_entry(#key, Self::#const_name)?; });
        } else {
            let id = field_ident(&c.ident);
            entries.push(quote! { if self.#id { map.serialize_entry(#key, Self::#const_name)?; } });
        }
    }
    let received = field_ident(&s.received);
    for (index, f) in s.fields.iter().enumerate() {
        let key = &f.json_name;
        let id = field_ident(&f.ident);
        let entry = match slot_of(forms, index) {
            None if f.required => quote! { map.serialize_entry(#key, &self.#id)?; },
            None => {
                quote! { if let Some(value) = &self.#id { map.serialize_entry(#key, value)?; } }
            }
            Some(slot) => {
                let slot = proc_macro2::Literal::usize_unsuffixed(slot);
                let form = quote! { &self.#received.0[#slot] };
                match (f.required, f.nullable) {
                    (true, false) => {
                        quote! { map.serialize_entry(#key, &__codegen::WithForm(&self.#id, #form))?; }
                    }
                    (true, true) => quote! {
                        map.serialize_entry(#key, &self.#id.as_ref().map(|v| __codegen::WithForm(v, #form)))?;
                    },
                    (false, false) => quote! {
                        if let Some(value) = &self.#id { map.serialize_entry(#key, &__codegen::WithForm(value, #form))?; }
                    },
                    (false, true) => quote! {
                        if let Some(value) = &self.#id {
                            map.serialize_entry(#key, &value.as_ref().map(|v| __codegen::WithForm(v, #form)))?;
                        }
                    },
                }
            }
        };
        entries.push(entry);
    }
    if s.unknown == Unknown::Keep {
        let extras = field_ident(&s.extras);
        entries.push(
            quote! { for (key, value) in &self.#extras { map.serialize_entry(key, value)?; } },
        );
    }
    let map = if entries.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    quote! {
        use serde::ser::SerializeMap as _;
        let #map = serializer.serialize_map(None)?;
        #(#entries)*
        map.end()
    }
}

/// The private builder: one slot per property, `take` and `finish`.
fn builder_tokens(ctx: &Ctx<'_>, s: &Struct, forms: &[(usize, usize)]) -> TokenStream {
    let name = ident(&s.name);
    let builder = helper(&s.name, "Builder");
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut finish_checks = Vec::new();
    let mut finish_fields = Vec::new();
    for c in &s.consts {
        let id = field_ident(&c.ident);
        let key = &c.json_name;
        let const_name = ident(&c.const_name);
        slots.push(quote! { #id: bool, });
        arms.push(
            quote! { #key => set_const(&mut self.#id, value, #key, super::#name::#const_name)?, },
        );
        if c.required {
            finish_checks.push(quote! { if !self.#id { return Err(E::missing_field(#key)); } });
        } else {
            finish_fields.push(quote! { #id: self.#id, });
        }
    }
    let received = field_ident(&s.received);
    let mut splits = Vec::new();
    for (index, f) in s.fields.iter().enumerate() {
        let id = field_ident(&f.ident);
        let key = &f.json_name;
        let slot = slot_of(forms, index);
        let mut stored = ctx.type_ref(&f.ty, true);
        if f.boxed {
            stored = quote!(Box<#stored>);
        }
        if slot.is_some() {
            stored = quote!(Formed<#stored>);
        }
        if f.nullable {
            stored = quote!(Option<#stored>);
        }
        slots.push(quote! { #id: Option<#stored>, });
        let set = if f.ty == TypeRef::Any {
            quote!(set_any)
        } else {
            quote!(set)
        };
        arms.push(quote! { #key => #set(&mut self.#id, value, #key)?, });
        match slot {
            None if f.required => {
                finish_fields.push(quote! { #id: self.#id.ok_or_else(|| E::missing_field(#key))?, })
            }
            None => finish_fields.push(quote! { #id: self.#id, }),
            Some(slot) => {
                let slot = proc_macro2::Literal::usize_unsuffixed(slot);
                let into = quote! { &mut #received.0[#slot] };
                splits.push(match (f.required, f.nullable) {
                    (true, false) => quote! {
                        let Formed(#id, __form) = self.#id.ok_or_else(|| E::missing_field(#key))?;
                        #received.0[#slot] = __form;
                    },
                    (true, true) => quote! {
                        let #id = split(self.#id.ok_or_else(|| E::missing_field(#key))?, #into);
                    },
                    (false, false) => quote! { let #id = split(self.#id, #into); },
                    (false, true) => quote! { let #id = split_null(self.#id, #into); },
                });
                finish_fields.push(quote! { #id, });
            }
        }
    }
    let received_init = (!forms.is_empty()).then(|| {
        let n = proc_macro2::Literal::usize_unsuffixed(forms.len());
        finish_fields.push(quote! { #received, });
        quote! { let mut #received = Received::<#n>::default(); }
    });
    let extras = field_ident(&s.extras);
    // (the arm as it goes in the `match`, the statement when there is no `match`)
    let (fallback_arm, fallback) = match s.unknown {
        Unknown::Keep => {
            let ty = extras_type(ctx, s, true);
            slots.push(quote! { #extras: #ty, });
            finish_fields.push(quote! { #extras: self.#extras, });
            let call = match s.extras_type {
                None => quote! { extra(&mut self.#extras, key, value)? },
                Some(_) => quote! { typed_extra(&mut self.#extras, key, value)? },
            };
            (quote! { _ => #call, }, quote! { #call; })
        }
        Unknown::Ignore => (
            quote! { _ => { value.deserialize_ignored_any(serde::de::IgnoredAny)?; } },
            quote! { let _ = key; value.deserialize_ignored_any(serde::de::IgnoredAny)?; },
        ),
        Unknown::Deny => {
            let names = s
                .consts
                .iter()
                .map(|c| &c.json_name)
                .chain(s.fields.iter().map(|f| &f.json_name));
            let error = quote! { Err(serde::de::Error::unknown_field(key, &[#(#names),*])) };
            (
                quote! { _ => return #error, },
                quote! { let _ = value; #error },
            )
        }
    };
    // A struct with no listed property sends every one to the fallback.
    let take = match (arms.is_empty(), s.unknown) {
        // Every property is refused: the call ends there.
        (true, Unknown::Deny) => quote! { #fallback },
        (true, _) => quote! { #fallback Ok(()) },
        (false, _) => quote! {
            match key {
                #(#arms)*
                #fallback_arm
            }
            Ok(())
        },
    };
    // Keywords the fields do not check run on the finished struct's JSON,
    // which serializes back as received.
    let check = ident(&names::struct_check(&s.name));
    let finish = if s.checks.is_empty() {
        quote! { Ok(super::#name { #(#finish_fields)* }) }
    } else {
        quote! {
            let output = super::#name { #(#finish_fields)* };
            let json = serde_json::to_value(&output).map_err(E::custom)?;
            #check(&json).map_err(E::custom)?;
            Ok(output)
        }
    };
    let check_fn =
        (!s.checks.is_empty()).then(|| super::checked::struct_check_fn(ctx, &check, &s.checks));
    let doc = docs::text(&format!("Collects the properties of a `{}`.", s.name));
    quote! {
        #check_fn

        #doc
        #[derive(Default)]
        pub(super) struct #builder { #(#slots)* }

        impl<'de> Builder<'de> for #builder {
            type Output = super::#name;

            fn take<D: serde::Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error> {
                #take
            }

            fn finish<E: serde::de::Error>(self) -> Result<super::#name, E> {
                #(#finish_checks)*
                #received_init
                #(#splits)*
                #finish
            }
        }
    }
}
