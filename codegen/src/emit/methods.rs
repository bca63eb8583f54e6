//! The methods of a generated struct beside its fields: `new(required
//! fields)` (the structs are `#[non_exhaustive]`), a getter per optional
//! nullable field that flattens absent and `null`, and the received spelling
//! of each open-set field.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::{field_type, slot_of};
use super::{Ctx, docs, field_ident, ident};
use crate::ir::{Field, Struct, TypeRef, Unknown};

/// `new(required fields)`: the constructor tests and producers need, as the
/// struct is `#[non_exhaustive]`.
pub(super) fn constructor(ctx: &Ctx<'_>, s: &Struct, has_received: bool) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for c in s.consts.iter().filter(|c| !c.required) {
        let id = field_ident(&c.ident);
        inits.push(quote! { #id: false, });
    }
    for f in &s.fields {
        let id = field_ident(&f.ident);
        if f.required {
            if f.ty == TypeRef::String && !f.nullable {
                params.push(quote! { #id: impl Into<String> });
                inits.push(quote! { #id: #id.into(), });
            } else {
                let ty = field_type(ctx, f, false);
                params.push(quote! { #id: #ty });
                inits.push(quote! { #id, });
            }
        } else {
            inits.push(quote! { #id: None, });
        }
    }
    if s.unknown == Unknown::Keep {
        let extras = field_ident(&s.extras);
        let empty = match s.extras_type {
            None => quote!(serde_json::Map::new()),
            Some(_) => quote!(std::collections::BTreeMap::new()),
        };
        inits.push(quote! { #extras: #empty, });
    }
    if has_received {
        let received = field_ident(&s.received);
        inits.push(quote! { #received: __codegen::Received::default(), });
    }
    let many = (params.len() > 7).then(|| {
        quote! { #[allow(clippy::too_many_arguments, reason = "one parameter per required field")] }
    });
    let d = docs::text(&format!(
        "A `{}` with its required fields; every optional field absent{}.",
        s.name,
        if s.unknown == Unknown::Keep {
            ", no unknown field"
        } else {
            ""
        }
    ));
    quote! {
        #d
        #many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* }
        }
    }
}

/// `Option<&T>` of a field's value, whatever its shape (named `value` by callers).
fn value_ref(f: &Field) -> TokenStream {
    let id = field_ident(&f.ident);
    match (f.required, f.nullable) {
        (true, false) => quote! { Some(&self.#id) },
        (true, true) | (false, false) => quote! { self.#id.as_ref() },
        (false, true) => quote! { self.#id.as_ref().and_then(Option::as_ref) },
    }
}

/// Getters: one flattening absent and `null` per optional nullable field,
/// and the received spelling of each open-set field.
///
/// A getter whose name another method has is left out, with a warning at the
/// property (the field itself is still there).
pub(super) fn getters(ctx: &Ctx<'_>, s: &Struct, forms: &[(usize, usize)]) -> Vec<TokenStream> {
    let mut taken =
        std::collections::BTreeMap::from([("new".to_owned(), "the constructor".to_owned())]);
    let left_out = |f: &Field, name: &str, by: &str| {
        ctx.warn(
            &f.docs.source,
            format!(
                "property `{}` gets no method `{name}()`: {by} has that name (the field `{}` itself is there); choose field names with `x-rust-field-names` on the object's schema",
                f.json_name, f.ident.name
            ),
        );
    };
    let mut out = Vec::new();
    for f in s.fields.iter().filter(|f| !f.required && f.nullable) {
        if let Some(by) = taken.get(&f.ident.name) {
            left_out(f, &f.ident.name, by);
            continue;
        }
        taken.insert(
            f.ident.name.clone(),
            format!("the getter of property `{}`", f.json_name),
        );
        let method = field_ident(&f.ident);
        let (ret, mut convert) = ctx.getter(&f.ty);
        if f.boxed {
            convert = quote!(.map(Box::as_ref));
        }
        let value = value_ref(f);
        let d = docs::text(&format!(
            "`{}`, absent and `null` alike as `None` (the field itself keeps them apart).",
            f.json_name
        ));
        out.push(quote! {
            #d
            pub fn #method(&self) -> Option<#ret> {
                #value #convert
            }
        });
    }
    let received = field_ident(&s.received);
    for (index, f) in s.fields.iter().enumerate() {
        let open = matches!(&f.ty, TypeRef::Named(n) if matches!(ctx.item(n), Some(crate::ir::Item::OpenEnum(_))));
        let Some(slot) = slot_of(forms, index).filter(|_| open) else {
            continue;
        };
        let slot = proc_macro2::Literal::usize_unsuffixed(slot);
        let name = format!("{}_spelling", f.ident.name);
        if let Some(by) = taken.get(&name) {
            left_out(f, &name, by);
            continue;
        }
        taken.insert(
            name.clone(),
            format!("the spelling getter of property `{}`", f.json_name),
        );
        let method = ident(&name);
        let value = value_ref(f);
        let d = docs::text(&format!(
            "`{}` spelled as received (where the value's `as_str` gives its canonical spelling); `None` when absent or `null`.",
            f.json_name
        ));
        out.push(quote! {
            #d
            pub fn #method(&self) -> Option<&str> {
                let value = #value;
                value.map(|value| match self.#received.0[#slot].text() {
                    Some(text) if value.is_spelled(text) => text,
                    _ => value.as_str(),
                })
            }
        });
    }
    out
}
