//! Checked values: a newtype over the Rust type the value is held as, whose
//! `Deserialize` reads the JSON value, checks it keyword by keyword (each
//! keyword constrains only the JSON types it names), and converts it.
//!
//! A subschema is checked by deserializing the value into the subschema's
//! own type: `anyOf` of two structs holds when either struct deserializes.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, quote};
use serde_json::Value;

use super::{Ctx, docs, ident};
use crate::ir::{Accept, Check, Checked, JsonType, Module, TypeRef};

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
/// constrains (`v.as_str()`, `v.as_array()`...), so other types pass.
fn check_tokens(ctx: &Ctx<'_>, check: &Check, private: bool) -> TokenStream {
    let h = helpers(private);
    match check {
        // A minimum count of 0 always holds.
        Check::MinLength(0) | Check::MinItems(0) | Check::MinProperties(0) => TokenStream::new(),
        Check::Types(types) => {
            let conds = types.iter().map(|t| type_test(*t, quote!(v), private));
            let names = types
                .iter()
                .map(|t| type_name(*t))
                .collect::<Vec<_>>()
                .join(" or ");
            fail_if(quote!(!(#(#conds)||*)), text(&format!("expected {names}")))
        }
        Check::Minimum(bound, exclusive) | Check::Maximum(bound, exclusive) => {
            let minimum = matches!(check, Check::Minimum(..));
            let bound_tokens = num(bound, private);
            let (word, fails) = match (minimum, exclusive) {
                (true, false) => ("at least", quote!(== std::cmp::Ordering::Less)),
                (true, true) => ("greater than", quote!(!= std::cmp::Ordering::Greater)),
                (false, false) => ("at most", quote!(== std::cmp::Ordering::Greater)),
                (false, true) => ("less than", quote!(!= std::cmp::Ordering::Less)),
            };
            fail_if(
                quote!(v.as_number().is_some_and(|n| #h compare(#h Num::of(n), #bound_tokens) #fails)),
                text(&format!("must be {word} {bound}")),
            )
        }
        Check::MultipleOf(divisor) => {
            let divisor_tokens = super::support::f64_literal(divisor.as_f64().unwrap_or(f64::NAN));
            fail_if(
                quote!(v.as_number().is_some_and(|n| !#h is_multiple_of(n, #divisor_tokens))),
                text(&format!("must be a multiple of {divisor}")),
            )
        }
        Check::MinLength(n) | Check::MaxLength(n) => {
            let (op, message) = match check {
                Check::MinLength(_) => (quote!(<), format!("shorter than {n} characters")),
                _ => (quote!(>), format!("longer than {n} characters")),
            };
            let n = Literal::u64_suffixed(*n);
            fail_if(
                quote!(v.as_str().is_some_and(|s| u64::try_from(#h char_len(s)).unwrap_or(u64::MAX) #op #n)),
                text(&message),
            )
        }
        Check::Pattern(pattern) => {
            let p = pattern_static(ctx.module, pattern, true);
            fail_if(
                quote!(v.as_str().is_some_and(|s| #h #p.is_match(s) != Some(true))),
                text(&format!("does not match the pattern {pattern:?}")),
            )
        }
        Check::Format(format) => {
            let f = quote::format_ident!("is_valid_{}", format.replace('-', "_"));
            fail_if(
                quote!(v.as_str().is_some_and(|s| !#h #f(s))),
                text(&format!("not a valid {format}")),
            )
        }
        Check::MinItems(n) | Check::MaxItems(n) => {
            let (op, message) = match check {
                Check::MinItems(_) => (quote!(<), format!("fewer than {n} items")),
                _ => (quote!(>), format!("more than {n} items")),
            };
            let n = Literal::u64_suffixed(*n);
            fail_if(
                quote!(v.as_array().is_some_and(|a| u64::try_from(a.len()).unwrap_or(u64::MAX) #op #n)),
                text(&message),
            )
        }
        Check::UniqueItems => fail_if(
            quote!(v.as_array().is_some_and(|a| !#h all_unique(a))),
            text("items are not unique"),
        ),
        Check::PrefixItems(accepts) => {
            let each = accepts.iter().enumerate().map(|(i, a)| {
                let message = text(&format!("invalid item {i}"));
                let index = Literal::usize_unsuffixed(i);
                match a {
                    Accept::Always => TokenStream::new(),
                    Accept::Never if i == 0 => {
                        fail_if(quote!(v.as_array().is_some_and(|a| !a.is_empty())), message)
                    }
                    Accept::Never => fail_if(
                        quote!(v.as_array().is_some_and(|a| a.len() > #index)),
                        message,
                    ),
                    _ => {
                        let rejects = reject(ctx, a, quote!(x), private);
                        fail_if(quote!(v.get(#index).is_some_and(|x| #rejects)), message)
                    }
                }
            });
            quote! { #(#each)* }
        }
        Check::Items(from, a) => {
            let from_lit = Literal::usize_unsuffixed(*from);
            match a {
                Accept::Always => TokenStream::new(),
                Accept::Never if *from == 0 => fail_if(
                    quote!(v.as_array().is_some_and(|a| !a.is_empty())),
                    text("no item is allowed"),
                ),
                Accept::Never => fail_if(
                    quote!(v.as_array().is_some_and(|a| a.len() > #from_lit)),
                    text(&format!("more than {from} items")),
                ),
                _ => {
                    let rejects = reject(ctx, a, quote!(x), private);
                    let fails = fail_if(quote!(#rejects), quote!(format!("invalid item {i}")));
                    let skip = (*from > 0).then(|| quote!(.skip(#from_lit)));
                    quote! {
                        for (i, x) in v.as_array().into_iter().flatten().enumerate() #skip {
                            #fails
                        }
                    }
                }
            }
        }
        Check::Required(names) => {
            let fails = fail_if(
                quote!(v.as_object().is_some_and(|o| !o.contains_key(name))),
                quote!(format!("missing property `{name}`")),
            );
            quote! {
                for name in [#(#names),*] {
                    #fails
                }
            }
        }
        Check::Properties(properties) => {
            let each = properties.iter().map(|(key, a)| {
                let message = text(&format!("invalid property `{key}`"));
                match a {
                    Accept::Always => TokenStream::new(),
                    Accept::Never => fail_if(
                        quote!(v.as_object().is_some_and(|o| o.contains_key(#key))),
                        message,
                    ),
                    _ => {
                        let rejects = reject(ctx, a, quote!(x), private);
                        let get = quote!(v.as_object().and_then(|o| o.get(#key)));
                        fail_if(quote!(#get.is_some_and(|x| #rejects)), message)
                    }
                }
            });
            quote! { #(#each)* }
        }
        Check::PatternProperties(properties) => {
            let each = properties.iter().map(|(pattern, a)| {
                let p = pattern_static(ctx.module, pattern, false);
                match a {
                    Accept::Always => TokenStream::new(),
                    Accept::Never => {
                        let fails = fail_if(
                            quote!(#h #p.is_match(k) != Some(false)),
                            quote!(format!("property `{k}` is not allowed")),
                        );
                        quote! {
                            for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                                #fails
                            }
                        }
                    }
                    _ => {
                        let rejects = reject(ctx, a, quote!(x), private);
                        let fails = fail_if(
                            quote!(#h #p.is_match(k) != Some(false) && #rejects),
                            quote!(format!("invalid property `{k}`")),
                        );
                        quote! {
                            for (k, x) in v.as_object().into_iter().flatten() {
                                #fails
                            }
                        }
                    }
                }
            });
            quote! { #(#each)* }
        }
        Check::Additional {
            known,
            patterns,
            accept: a,
        } => {
            // Unlisted: named in no `properties`, matched by no pattern (a key
            // the engine cannot decide counts as unmatched, the stricter reading).
            let mut unlisted: Vec<TokenStream> = Vec::new();
            if !known.is_empty() {
                unlisted.push(quote!(!matches!(k.as_str(), #(#known)|*)));
            }
            for p in patterns {
                let p = pattern_static(ctx.module, p, false);
                unlisted.push(quote!(#h #p.is_match(k) != Some(true)));
            }
            let additional = if unlisted.is_empty() {
                TokenStream::new()
            } else {
                quote!(#(#unlisted)&&*)
            };
            match a {
                Accept::Always => TokenStream::new(),
                Accept::Never => {
                    let fails = if additional.is_empty() {
                        quote!(true)
                    } else {
                        additional
                    };
                    let fail = fail_if(fails, quote!(format!("property `{k}` is not allowed")));
                    quote! {
                        for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                            #fail
                        }
                    }
                }
                _ => {
                    let rejects = reject(ctx, a, quote!(x), private);
                    let fails = if additional.is_empty() {
                        quote!(#rejects)
                    } else {
                        quote!(#additional && #rejects)
                    };
                    let fail = fail_if(fails, quote!(format!("invalid property `{k}`")));
                    quote! {
                        for (k, x) in v.as_object().into_iter().flatten() {
                            #fail
                        }
                    }
                }
            }
        }
        Check::PropertyNames(a) => match a {
            Accept::Always => TokenStream::new(),
            Accept::Never => fail_if(
                quote!(v.as_object().is_some_and(|o| !o.is_empty())),
                text("no property is allowed"),
            ),
            _ => {
                let rejects = reject(ctx, a, quote!(x), private);
                let fail = fail_if(
                    quote!(#rejects),
                    quote!(format!("property name `{k}` is not allowed")),
                );
                quote! {
                    for k in v.as_object().into_iter().flat_map(serde_json::Map::keys) {
                        let name = serde_json::Value::String(k.clone());
                        let x = &name;
                        #fail
                    }
                }
            }
        },
        Check::MinProperties(n) | Check::MaxProperties(n) => {
            let (op, message) = match check {
                Check::MinProperties(_) => (quote!(<), format!("fewer than {n} properties")),
                _ => (quote!(>), format!("more than {n} properties")),
            };
            let n = Literal::u64_suffixed(*n);
            fail_if(
                quote!(v.as_object().is_some_and(|o| u64::try_from(o.len()).unwrap_or(u64::MAX) #op #n)),
                text(&message),
            )
        }
        Check::DependentRequired(pairs) => {
            let each = pairs.iter().filter(|(_, names)| !names.is_empty()).map(|(key, names)| {
                let message = format!("property `{key}` needs property `{{name}}`");
                let fail = fail_if(
                    quote!(v.as_object().is_some_and(|o| o.contains_key(#key) && !o.contains_key(name))),
                    quote!(format!(#message)),
                );
                quote! {
                    for name in [#(#names),*] {
                        #fail
                    }
                }
            });
            quote! { #(#each)* }
        }
        Check::DependentSchemas(pairs) => {
            let each = pairs.iter().map(|(key, a)| {
                let message = format!(
                    "property `{key}` is present and the object does not match its dependent schema"
                );
                match a {
                    Accept::Always => TokenStream::new(),
                    Accept::Never => fail_if(
                        quote!(v.as_object().is_some_and(|o| o.contains_key(#key))),
                        text(&message),
                    ),
                    _ => {
                        let rejects = reject(ctx, a, quote!(v), private);
                        fail_if(
                            quote!(v.as_object().is_some_and(|o| o.contains_key(#key)) && #rejects),
                            text(&message),
                        )
                    }
                }
            });
            quote! { #(#each)* }
        }
        Check::Const(value) => {
            let value = json_value(value);
            fail_if(
                quote!(!#h equal(v, &#value)),
                text("not the value of `const`"),
            )
        }
        Check::Enum(values) => {
            let values = values.iter().map(|t| json_value(t));
            fail_if(
                quote!(![#(#values),*].iter().any(|c| #h equal(v, c))),
                text("not one of the values of `enum`"),
            )
        }
        Check::AllOf(accepts) => {
            let each = accepts.iter().enumerate().map(|(i, a)| match a {
                Accept::Always => TokenStream::new(),
                _ => {
                    let rejects = reject(ctx, a, quote!(v), private);
                    fail_if(
                        quote!(#rejects),
                        text(&format!("does not match `allOf` part {i}")),
                    )
                }
            });
            quote! { #(#each)* }
        }
        Check::AnyOf(accepts) => {
            if accepts.contains(&Accept::Always) {
                return TokenStream::new();
            }
            let branches: Vec<&Accept> = accepts.iter().filter(|a| **a != Accept::Never).collect();
            let fails = match branches.as_slice() {
                [] => quote!(true),
                [one] => reject(ctx, one, quote!(v), private),
                _ => {
                    let tests = branches.iter().map(|a| accept(ctx, a, quote!(v), private));
                    quote!(!(#(#tests)||*))
                }
            };
            fail_if(fails, text("matches no `anyOf` branch"))
        }
        Check::OneOf(accepts) => {
            let tests = accepts
                .iter()
                .filter(|a| **a != Accept::Never)
                .map(|a| accept(ctx, a, quote!(v), private));
            let fail = fail_if(
                quote!(matched != 1),
                quote!(format!("matches {matched} `oneOf` branches instead of one")),
            );
            quote! {
                let matched = [#(#tests),*].into_iter().filter(|m| *m).count();
                #fail
            }
        }
        Check::Not(a) => {
            let test = accept(ctx, a, quote!(v), private);
            fail_if(test, text("matches the schema of `not`"))
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

/// A schema bound as the support code's `Num`.
fn num(n: &serde_json::Number, private: bool) -> TokenStream {
    let h = helpers(private);
    let literal = super::support::num_literal(n);
    quote!(#h #literal)
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
                super::support::f64_literal(n.as_f64().unwrap_or_default())
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

/// Every distinct pattern of the module's checks, in order, with whether
/// it is read as `pattern` (leading lookaheads split) or as a key.
pub(super) fn patterns(module: &Module) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = Vec::new();
    for item in &module.items {
        for check in item.checks() {
            let found: Vec<(&str, bool)> = match check {
                Check::Pattern(p) => vec![(p.as_str(), true)],
                Check::PatternProperties(ps) => ps
                    .iter()
                    .filter(|(_, a)| *a != Accept::Always)
                    .map(|(p, _)| (p.as_str(), false))
                    .collect(),
                Check::Additional { patterns, .. } => {
                    patterns.iter().map(|p| (p.as_str(), false)).collect()
                }
                _ => Vec::new(),
            };
            for p in found {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// The name of the static holding a pattern (`PATTERN_0`).
fn pattern_static(module: &Module, pattern: &str, split: bool) -> proc_macro2::Ident {
    let index = patterns(module)
        .iter()
        .position(|p| *p == (pattern, split))
        .unwrap_or_default();
    quote::format_ident!("PATTERN_{}", index)
}

/// The statics holding every pattern, for `__codegen`.
pub(super) fn pattern_statics(module: &Module) -> TokenStream {
    let statics = patterns(module)
        .into_iter()
        .enumerate()
        .map(|(i, (p, split))| {
            let name = quote::format_ident!("PATTERN_{}", i);
            quote! {
                /// A pattern of the schemas, compiled on first use.
                pub(super) static #name: Pattern = Pattern::new(#p, #split);
            }
        });
    quote! { #(#statics)* }
}
