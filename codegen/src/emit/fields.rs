//! What the struct emitter and the methods beside it both need to know of a
//! field: its Rust type, and its slot in the `received` array.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::Field;

/// The Rust type of a field, with its `Option`s (and `Box` when recursive).
pub(super) fn field_type(ctx: &Ctx<'_>, f: &Field, private: bool) -> TokenStream {
    let mut ty = ctx.type_ref(&f.ty, private);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    match (f.required, f.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => quote!(Option<#ty>),
        (false, true) => quote!(Option<Option<#ty>>),
    }
}

/// The slot of a field in the `received` array, if it has one.
pub(super) fn slot_of(forms: &[(usize, usize)], index: usize) -> Option<usize> {
    forms
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, slot)| *slot)
}
