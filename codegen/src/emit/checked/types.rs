//! `type`: the JSON types a value may be.

use proc_macro2::TokenStream;
use quote::quote;

use super::{fail_if, helpers, text};
use crate::ir::JsonType;

/// `type`: the value is one of `types`.
pub(super) fn types(types: &[JsonType], private: bool) -> TokenStream {
    let conds = types.iter().map(|t| type_test(*t, quote!(v), private));
    let names = types
        .iter()
        .map(|t| type_name(*t))
        .collect::<Vec<_>>()
        .join(" or ");
    fail_if(quote!(!(#(#conds)||*)), text(&format!("expected {names}")))
}

/// The test that a value is of a JSON type.
fn type_test(t: JsonType, v: TokenStream, private: bool) -> TokenStream {
    let h = helpers(private);
    match t {
        JsonType::Null => quote!(#v.is_null()),
        JsonType::Boolean => quote!(#v.is_boolean()),
        JsonType::Integer => quote!(#v.as_number().is_some_and(#h is_integer)),
        JsonType::WrittenInteger => quote!(#v.as_number().is_some_and(#h is_written_integer)),
        JsonType::Number => quote!(#v.is_number()),
        JsonType::String => quote!(#v.is_string()),
        JsonType::Array => quote!(#v.is_array()),
        JsonType::Object => quote!(#v.is_object()),
    }
}

/// A JSON type's name, for messages.
fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::WrittenInteger => "an integer written without a fraction",
        JsonType::Number => "a number",
        JsonType::String => "a string",
        JsonType::Array => "an array",
        JsonType::Object => "an object",
    }
}
