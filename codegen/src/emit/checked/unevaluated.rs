//! `unevaluatedProperties`/`unevaluatedItems` beside applicators: the
//! table of the schema's applicators, in a `static` the runtime's
//! `evaluated` module walks on each value (see [`crate::ir::Evaluator`]).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::patterns::pattern_static;
use super::{Ctx, accept, helpers};
use crate::ir::{Accept, Evaluator};

/// The check: the table, and a failure naming the first property or item
/// nothing evaluated and the keyword refuses.
pub(super) fn unevaluated(
    ctx: &Ctx<'_>,
    items: bool,
    nodes: &[Evaluator],
    private: bool,
) -> TokenStream {
    let runtime = &ctx.runtime;
    let count = nodes.len();
    let entries = nodes.iter().map(|node| entry(ctx, node, private));
    let fails = if items {
        quote! {
            if let Some(i) = #runtime::evaluated::unevaluated_item(&NODES, v) {
                return Err(format!("item {i} is not evaluated, and `unevaluatedItems` refuses it"));
            }
        }
    } else {
        quote! {
            if let Some(k) = #runtime::evaluated::unevaluated_property(&NODES, v) {
                return Err(format!("property `{k}` is not evaluated, and `unevaluatedProperties` refuses it"));
            }
        }
    };
    quote! {
        {
            /// The subschemas that may evaluate something, this schema's own first.
            static NODES: [#runtime::evaluated::Node; #count] = [#(#entries),*];
            #fails
        }
    }
}

/// One node: only the fields that differ from `Node::EMPTY`.
fn entry(ctx: &Ctx<'_>, node: &Evaluator, private: bool) -> TokenStream {
    let runtime = &ctx.runtime;
    let valid = |a: &Accept| valid_fn(ctx, a, private);
    let index = |i: &usize| Literal::usize_unsuffixed(*i);
    let indexes = |list: &[usize]| {
        let list = list.iter().map(index);
        quote!(&[#(#list),*])
    };
    let mut fields = Vec::new();
    if let Some(a) = &node.valid {
        let f = valid(a);
        fields.push(quote!(valid: #f,));
    }
    if !node.properties.is_empty() {
        let names = &node.properties;
        fields.push(quote!(properties: &[#(#names),*],));
    }
    if !node.patterns.is_empty() {
        let h = helpers(private);
        let matchers = node.patterns.iter().map(|p| {
            let p = pattern_static(ctx.module, p, false);
            quote!(|k: &str| #h #p.is_match(k) != Some(false))
        });
        fields.push(quote!(patterns: &[#(#matchers),*],));
    }
    if node.additional {
        fields.push(quote!(additional: true,));
    }
    if let Some(a) = &node.unevaluated_properties {
        let f = valid(a);
        fields.push(quote!(unevaluated_properties: Some(#f),));
    }
    if node.prefix_items > 0 {
        let n = Literal::usize_unsuffixed(node.prefix_items);
        fields.push(quote!(prefix_items: #n,));
    }
    if node.items {
        fields.push(quote!(items: true,));
    }
    if let Some(a) = &node.contains {
        let f = valid(a);
        fields.push(quote!(contains: Some(#f),));
    }
    if let Some(a) = &node.unevaluated_items {
        let f = valid(a);
        fields.push(quote!(unevaluated_items: Some(#f),));
    }
    if let Some(i) = &node.reference {
        let i = index(i);
        fields.push(quote!(reference: Some(#i),));
    }
    for (name, list) in [
        ("all_of", &node.all_of),
        ("any_of", &node.any_of),
        ("one_of", &node.one_of),
    ] {
        if !list.is_empty() {
            let name = super::super::ident(name);
            let list = indexes(list);
            fields.push(quote!(#name: #list,));
        }
    }
    if let Some((cond, then, otherwise)) = &node.conditional {
        let option = |i: &Option<usize>| match i {
            Some(i) => {
                let i = index(i);
                quote!(Some(#i))
            }
            None => quote!(None),
        };
        let (cond, then, otherwise) = (index(cond), option(then), option(otherwise));
        fields.push(quote!(conditional: Some((#cond, #then, #otherwise)),));
    }
    if !node.dependent.is_empty() {
        let pairs = node.dependent.iter().map(|(key, i)| {
            let i = index(i);
            quote!((#key, #i))
        });
        fields.push(quote!(dependent: &[#(#pairs),*],));
    }
    quote! {
        #runtime::evaluated::Node { #(#fields)* ..#runtime::evaluated::Node::EMPTY }
    }
}

/// A `fn(&serde_json::Value) -> bool` answering whether a value is valid
/// against a subschema.
fn valid_fn(ctx: &Ctx<'_>, a: &Accept, private: bool) -> TokenStream {
    let runtime = &ctx.runtime;
    match a {
        Accept::Always => quote!(#runtime::evaluated::always),
        Accept::Never => quote!(#runtime::evaluated::never),
        Accept::Type(..) => {
            let test = accept(ctx, a, quote!(x), private);
            quote!(|x: &serde_json::Value| #test)
        }
    }
}
