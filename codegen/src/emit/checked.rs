//! Checked values: a newtype over the Rust type the value is held as, whose
//! `Deserialize` reads the JSON value, checks it keyword by keyword (each
//! keyword constrains only the JSON types it names), and converts it.
//!
//! A subschema is checked by deserializing the value into the subschema's
//! own type: `anyOf` of two structs holds when either struct deserializes.
//!
//! This module builds the newtype and dispatches each keyword to the module
//! of its family (`types`, `numbers`, `strings`, `arrays`, `objects`,
//! `values`, `composition`, `unevaluated`), as jsonschema does; `patterns` keeps the
//! compiled regular expressions.

mod arrays;
mod composition;
mod numbers;
mod objects;
mod patterns;
mod strings;
mod types;
mod unevaluated;
mod values;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, ident};
use crate::ir::{Accept, Check, Checked, TypeRef};

pub(super) use patterns::pattern_statics;

/// The newtype and its impls (public); checked values need no private support of their own.
pub(super) fn emit(ctx: &Ctx<'_>, c: &Checked) -> (TokenStream, TokenStream) {
    let name = ident(&c.name);
    let doc = docs::attrs(&c.docs, None);
    let derives = ctx.derives(&c.name, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let inner = ctx.type_ref(&c.inner, false);
    let checks: Vec<TokenStream> = c
        .checks
        .iter()
        .map(|check| check_tokens(ctx, check, false))
        .filter(|tokens| !tokens.is_empty())
        .collect();
    let never = c.checks.iter().any(Check::is_impossible);
    let v = if checks.is_empty() || never {
        quote!(_v)
    } else {
        quote!(v)
    };
    let body = if never {
        quote!(Err("no value is valid here".to_owned()))
    } else {
        quote!(#(#checks)* Ok(()))
    };
    let convert = if c.inner == TypeRef::Any {
        quote! { Ok(Self(value)) }
    } else {
        quote! {
            <#inner as serde::Deserialize>::deserialize(value)
                .map(Self)
                .map_err(serde::de::Error::custom)
        }
    };
    // A tuple of a dozen elements, or of a few `Option<Box<T>>`, is the
    // schema's shape, not a type to factor out.
    let allow = matches!(c.inner, TypeRef::Tuple(_)).then(|| {
        quote!(#[allow(clippy::type_complexity, reason = "the tuple of the schema's `prefixItems`")])
    });
    let public = quote! {
        #doc
        #derives
        #allow
        pub struct #name(#inner);

        #allow
        impl #name {
            /// The value.
            pub fn get(&self) -> &#inner {
                &self.0
            }

            /// The value, taken out.
            pub fn into_inner(self) -> #inner {
                self.0
            }

            /// Checks a JSON value against the schema's constraints.
            fn check(#v: &serde_json::Value) -> Result<(), String> {
                #body
            }
        }

        impl TryFrom<serde_json::Value> for #name {
            type Error = serde_json::Error;
            /// Checks and converts a JSON value.
            fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
                serde::Deserialize::deserialize(value)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde::de::DeserializeSeed::deserialize(__codegen::ValueSeed, deserializer)?;
                Self::check(&value).map_err(serde::de::Error::custom)?;
                #convert
            }
        }
    };
    (public, TokenStream::new())
}

/// `if <fails> { return Err(<message>) }`.
fn fail_if(fails: TokenStream, message: TokenStream) -> TokenStream {
    quote! {
        if #fails {
            return Err(#message);
        }
    }
}

/// A fixed error message.
fn text(message: &str) -> TokenStream {
    quote!(#message.to_owned())
}

/// The statement making one check on `v`, returning an error when it fails;
/// empty when the check always holds. Each check reads only the JSON type it
/// constrains (`v.as_str()`, `v.as_array()`...), so other types pass. Each
/// keyword family has its module.
fn check_tokens(ctx: &Ctx<'_>, check: &Check, private: bool) -> TokenStream {
    match check {
        // A minimum count of 0 always holds.
        Check::MinLength(0) | Check::MinItems(0) | Check::MinProperties(0) => TokenStream::new(),
        Check::Types(t) => types::types(t, private),
        Check::Minimum(bound, exclusive) => numbers::bound(bound, *exclusive, true, private),
        Check::Maximum(bound, exclusive) => numbers::bound(bound, *exclusive, false, private),
        Check::MultipleOf(divisor) => numbers::multiple_of(divisor, private),
        Check::MinLength(n) => strings::length(*n, true, private),
        Check::MaxLength(n) => strings::length(*n, false, private),
        Check::Pattern(pattern) => strings::pattern(ctx, pattern, private),
        Check::Format(format) => strings::format(format, private),
        Check::MinItems(n) => arrays::count(*n, true),
        Check::MaxItems(n) => arrays::count(*n, false),
        Check::UniqueItems => arrays::unique(private),
        Check::PrefixItems(accepts) => arrays::prefix_items(ctx, accepts, private),
        Check::Items(from, a) => arrays::items(ctx, *from, a, private),
        Check::Contains { accept, min, max } => arrays::contains(ctx, accept, *min, *max, private),
        Check::Required(names) => objects::required(names),
        Check::Properties(properties) => objects::properties(ctx, properties, private),
        Check::PatternProperties(properties) => {
            objects::pattern_properties(ctx, properties, private)
        }
        Check::Additional {
            known,
            patterns,
            accept: a,
        } => objects::additional(ctx, known, patterns, a, private),
        Check::PropertyNames(a) => objects::property_names(ctx, a, private),
        Check::MinProperties(n) => objects::count(*n, true),
        Check::MaxProperties(n) => objects::count(*n, false),
        Check::DependentRequired(pairs) => objects::dependent_required(pairs),
        Check::DependentSchemas(pairs) => objects::dependent_schemas(ctx, pairs, private),
        Check::Const(value) => values::constant(value, private),
        Check::Enum(values) => values::one_of(values, private),
        Check::AllOf(accepts) => composition::all_of(ctx, accepts, private),
        Check::AnyOf(accepts) => composition::any_of(ctx, accepts, private),
        Check::OneOf(accepts) => composition::one_of(ctx, accepts, private),
        Check::Not(a) => composition::not(ctx, a, private),
        Check::IfThenElse {
            cond,
            then,
            otherwise,
        } => composition::if_then_else(ctx, cond, then, otherwise, private),
        Check::Unevaluated { items, nodes } => {
            unevaluated::unevaluated(ctx, *items, nodes, private)
        }
    }
}

/// Whether the JSON value `x` (an expression of type `&serde_json::Value`)
/// is valid against a subschema.
fn accept(ctx: &Ctx<'_>, a: &Accept, x: TokenStream, private: bool) -> TokenStream {
    match a {
        Accept::Always => quote!(true),
        Accept::Never => quote!(false),
        Accept::Type(ty, nullable) => {
            let base = match ty {
                TypeRef::String => quote!(#x.is_string()),
                TypeRef::Bool => quote!(#x.is_boolean()),
                TypeRef::Number(_) => quote!(#x.is_number()),
                TypeRef::Any => quote!(true),
                _ => {
                    let rust = ctx.type_ref(ty, private);
                    quote!(<#rust as serde::Deserialize>::deserialize(#x).is_ok())
                }
            };
            if *nullable {
                quote!(#x.is_null() || #base)
            } else {
                base
            }
        }
    }
}

/// Whether the JSON value `x` is not valid against a subschema: the
/// negation of [`accept`], written the way clippy wants it.
fn reject(ctx: &Ctx<'_>, a: &Accept, x: TokenStream, private: bool) -> TokenStream {
    match a {
        Accept::Always => quote!(false),
        Accept::Never => quote!(true),
        Accept::Type(ty, nullable) => {
            let base = match ty {
                TypeRef::String => quote!(!#x.is_string()),
                TypeRef::Bool => quote!(!#x.is_boolean()),
                TypeRef::Number(_) => quote!(!#x.is_number()),
                TypeRef::Any => quote!(false),
                _ => {
                    let rust = ctx.type_ref(ty, private);
                    quote!(<#rust as serde::Deserialize>::deserialize(#x).is_err())
                }
            };
            if *nullable {
                quote!(!#x.is_null() && #base)
            } else {
                base
            }
        }
    }
}

/// The path of the helpers in `__codegen`: none from inside it.
fn helpers(private: bool) -> TokenStream {
    if private {
        TokenStream::new()
    } else {
        quote!(__codegen::)
    }
}

/// The private function checking a struct's JSON against the checks its
/// fields do not make, for `__codegen` (its builder calls it from `finish`).
pub(super) fn struct_check_fn(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    checks: &[Check],
) -> TokenStream {
    let doc = docs::text(&format!(
        "Checks the JSON of a `{name}` against what its fields do not check."
    ));
    if checks.iter().any(Check::is_impossible) {
        return quote! {
            #doc
            pub(super) fn #name(_v: &serde_json::Value) -> Result<(), String> {
                Err("no value is valid here".to_owned())
            }
        };
    }
    let checks = checks.iter().map(|check| check_tokens(ctx, check, true));
    quote! {
        #doc
        pub(super) fn #name(v: &serde_json::Value) -> Result<(), String> {
            #(#checks)*
            Ok(())
        }
    }
}
