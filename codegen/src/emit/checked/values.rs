//! The keywords naming values: `const` and `enum`.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, quote};
use serde_json::Value;

use super::{fail_if, helpers, text};

/// `const`: the value equals the JSON text `value`.
pub(super) fn constant(value: &str, private: bool) -> TokenStream {
    let h = helpers(private);
    let value = json_value(value);
    fail_if(
        quote!(!#h equal(v, &#value)),
        text("not the value of `const`"),
    )
}

/// `enum`: the value equals one of the JSON texts `values`.
pub(super) fn one_of(values: &[String], private: bool) -> TokenStream {
    let h = helpers(private);
    let values = values.iter().map(|t| json_value(t));
    fail_if(
        quote!(![#(#values),*].iter().any(|c| #h equal(v, c))),
        text("not one of the values of `enum`"),
    )
}

/// A `serde_json::Value` expression for a JSON text the lowering produced.
fn json_value(text: &str) -> TokenStream {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    value_tokens(&value)
}

/// A `serde_json::Value` expression building `value`.
fn value_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(serde_json::Value::Null),
        Value::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            let literal = if let Some(u) = n.as_u64() {
                Literal::u64_suffixed(u).into_token_stream()
            } else if let Some(i) = n.as_i64() {
                Literal::i64_suffixed(i).into_token_stream()
            } else {
                super::super::checks_runtime::f64_literal(n.as_f64().unwrap_or_default())
            };
            quote!(serde_json::Value::from(#literal))
        }
        Value::String(s) => quote!(serde_json::Value::String(#s.to_owned())),
        Value::Array(items) => {
            let items = items.iter().map(value_tokens);
            quote!(serde_json::Value::Array(vec![#(#items),*]))
        }
        Value::Object(map) if map.is_empty() => {
            quote!(serde_json::Value::Object(serde_json::Map::new()))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = value_tokens(v);
                quote!((#k.to_owned(), #v))
            });
            quote!(serde_json::Value::Object([#(#entries),*].into_iter().collect()))
        }
    }
}
