//! Stage three: turn the IR into Rust tokens. The only stage that calls `quote!`.
//!
//! Public items come first (unions, structs, then the types they use), each
//! with its `Serialize`/`Deserialize` impls beside it. The type-specific
//! builders behind the impls live in one private module, `__codegen`, so the
//! public namespace holds only the schema's types; everything generic (the
//! builder protocol, visitors, `Timestamp`, the checks) is the runtime
//! crate's, which `__codegen` imports whole from one path
//! ([`crate::Config::runtime_path`]).
//!
//! # Design
//! The (de)serializers are written out rather than derived: serde's derive
//! cannot check an integer written as `1.0`, keep absent apart from `null`,
//! reject duplicate unknown keys, or dispatch a union on `log_type` without
//! buffering the whole event (`#[serde(tag)]` and `flatten` go through serde's
//! private `Content` buffer, several times slower). The struct deserializers
//! are builders fed one property at a time, generic over the deserializer, so
//! the union can stream an event straight into the right builder once it has
//! seen the tag.
//!
//! Values compare by what they mean, not by how they were written (an open
//! set's `"PUBLIC"` is `Public`, an integer's `1.0` is 1, a timestamp is an
//! instant), yet an event must serialize back to the same JSON. So the struct
//! holding such a field keeps how its value was written in a private slot
//! (`forms`), which takes no part in comparisons; the value types stay plain,
//! matchable and `Copy` where they can be (`methods` adds the getters).

mod checked;
pub(crate) mod checks_runtime;
mod date_time;
mod docs;
mod fields;
pub(crate) mod json_schema;
mod methods;
mod numbers;
mod structs;
mod union;
mod values;

use std::cell::RefCell;
use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens as _, quote};

use crate::error::Diagnostic;
use crate::ir::{DateTimeRepr, Item, Module, TypeRef};
use crate::names;

/// Derives and attributes the user asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Additions {
    /// Extra derives on every generated type: (last path segment, path).
    pub derives: Vec<(String, TokenStream)>,
    /// Extra derives on named types.
    pub derives_for: BTreeMap<String, Vec<(String, TokenStream)>>,
    /// Extra attributes on every generated type.
    pub attributes: Vec<TokenStream>,
    /// Extra attributes on named types.
    pub attributes_for: BTreeMap<String, Vec<TokenStream>>,
}

/// Emits the whole module, calling the runtime crate at `runtime` (a path),
/// and a warning for each convenience method left out because its name was taken.
/// With `schemas`, every type also implements `schemars::JsonSchema` ([`json_schema`]).
pub(crate) fn module(
    module: &Module,
    additions: &Additions,
    runtime: &TokenStream,
    schemas: Option<&json_schema::Sources>,
) -> (TokenStream, Vec<Diagnostic>) {
    let ctx = Ctx {
        module,
        additions,
        runtime: runtime.clone(),
        warnings: RefCell::default(),
    };
    let mut public = TokenStream::new();
    let mut private = TokenStream::new();
    let mut impls = TokenStream::new();
    for item in &module.items {
        let (item_tokens, support) = match item {
            Item::Struct(s) => structs::emit(&ctx, s),
            Item::Union(u) => union::emit(&ctx, u),
            Item::OpenEnum(e) => values::open_enum(&ctx, e),
            Item::ClosedEnum(e) => values::closed_enum(&ctx, e),
            Item::Integer(i) => numbers::integer(&ctx, i),
            Item::Multi(m) => numbers::multi(&ctx, m),
            Item::Checked(c) => checked::emit(&ctx, c),
        };
        public.extend(item_tokens);
        if let Some(schemas) = schemas {
            impls.extend(json_schema::emit(&ctx, item, schemas));
        }
        private.extend(support);
    }
    if module.date_time == Some(DateTimeRepr::Chrono) {
        public.extend(date_time::emit(&ctx));
    }
    if module
        .items
        .iter()
        .any(|i| matches!(i, Item::OpenEnum(_) | Item::ClosedEnum(_)))
    {
        public.extend(values::other_value(&ctx));
    }
    if module.items.iter().any(|i| matches!(i, Item::Integer(_))) {
        public.extend(numbers::out_of_range(&ctx));
    }
    let features = checks_runtime::features(module);
    if schemas.is_some() {
        public.extend(json_schema::gate(runtime, impls));
    }
    let (major, minor) = generator_version();
    let statics = checked::pattern_statics(module);
    let tokens = quote! {
        // The runtime must be of the generator's major.minor version, with the features the checks need.
        const _: () = #runtime::check_version(#major, #minor);
        #(#runtime::require_feature!(#features);)*

        #public

        /// The type-specific builders of the generated (de)serializers. Not part of the API.
        mod __codegen {
            #[allow(unused_imports, reason = "which runtime items a module calls depends on its schemas")]
            pub(super) use #runtime::codegen::*;
            #statics
            #private
        }
    };
    (tokens, ctx.warnings.into_inner())
}

/// The Rust type of each file's root schema, as text.
pub(crate) fn root_types(module: &Module, additions: &Additions) -> Vec<Option<String>> {
    let ctx = Ctx {
        module,
        additions,
        runtime: TokenStream::new(),
        warnings: RefCell::default(),
    };
    module
        .roots
        .iter()
        .map(|root| {
            root.as_ref().map(|(ty, nullable)| {
                let ty = ctx.type_ref(ty, false);
                let ty = if *nullable { quote!(Option<#ty>) } else { ty };
                ty.to_string().replace(' ', "")
            })
        })
        .collect()
}

/// What every emitter needs.
pub(crate) struct Ctx<'a> {
    module: &'a Module,
    additions: &'a Additions,
    /// The path of the runtime crate (`::aperture_events_runtime`).
    runtime: TokenStream,
    /// Methods left out because their name was taken (see [`Ctx::warn`]).
    warnings: RefCell<Vec<Diagnostic>>,
}

impl Ctx<'_> {
    /// Records a warning at the schema `source` (`file#pointer`, as in
    /// [`crate::ir::Docs::source`]).
    fn warn(&self, source: &str, message: String) {
        // A pointer holds no `#/` (a `/` in a name is `~1`), a file name may.
        let (file, pointer) = match source.rsplit_once("#/") {
            Some((file, rest)) => (file, format!("/{rest}")),
            None => (source.strip_suffix('#').unwrap_or(source), String::new()),
        };
        self.warnings
            .borrow_mut()
            .push(Diagnostic::at(file, &pointer, message));
    }

    /// The derive list and attributes of a public type: its own derives, then
    /// the user's (skipping any it already has).
    fn derives(&self, name: &str, own: &[&str]) -> TokenStream {
        self.derives_beside(name, own, &[])
    }

    /// Like [`derives`](Self::derives), for a type that also implements
    /// `manual` by hand (a user's derive of one of them is skipped).
    fn derives_beside(&self, name: &str, own: &[&str], manual: &[&str]) -> TokenStream {
        let mut names: Vec<String> = own.iter().chain(manual).map(|d| (*d).to_owned()).collect();
        let mut paths: Vec<TokenStream> =
            own.iter().map(|d| ident(d).into_token_stream()).collect();
        let extra = self
            .additions
            .derives
            .iter()
            .chain(self.additions.derives_for.get(name).into_iter().flatten());
        for (last, path) in extra {
            if !names.contains(last) {
                names.push(last.clone());
                paths.push(path.clone());
            }
        }
        let attributes = self.additions.attributes.iter().chain(
            self.additions
                .attributes_for
                .get(name)
                .into_iter()
                .flatten(),
        );
        quote! {
            #[derive(#(#paths),*)]
            #(#attributes)*
        }
    }

    /// The Rust type of a field value (without nullability); `private` when
    /// written inside `__codegen`, where the public types are `super::` items.
    fn type_ref(&self, ty: &TypeRef, private: bool) -> TokenStream {
        let prefix = private.then(|| quote!(super::));
        match ty {
            TypeRef::String => quote!(String),
            TypeRef::Bool => quote!(bool),
            TypeRef::Number(_) => quote!(serde_json::Number),
            TypeRef::Any => quote!(serde_json::Value),
            TypeRef::Ipv4Addr => quote!(std::net::Ipv4Addr),
            TypeRef::DateTime => {
                let name = ident(&self.module.date_time_name);
                quote!(#prefix #name)
            }
            TypeRef::Named(name) => {
                let name = ident(name);
                quote!(#prefix #name)
            }
            TypeRef::List(item, nullable) => {
                let item = self.type_ref(item, private);
                if *nullable {
                    quote!(Vec<Option<#item>>)
                } else {
                    quote!(Vec<#item>)
                }
            }
            TypeRef::Tuple(elements) => {
                let elements = elements.iter().map(|e| {
                    let mut ty = self.type_ref(&e.ty, private);
                    if e.boxed {
                        ty = quote!(Box<#ty>);
                    }
                    if e.nullable {
                        ty = quote!(Option<#ty>);
                    }
                    ty
                });
                quote!((#(#elements,)*))
            }
        }
    }

    /// Whether any struct keeps how a field's value was written.
    fn keeps_forms(&self) -> bool {
        self.module.items.iter().any(|i| match i {
            Item::Struct(s) => s.fields.iter().any(|f| self.has_form(&f.ty)),
            _ => false,
        })
    }

    /// The generated item of a name.
    fn item(&self, name: &str) -> Option<&Item> {
        self.module.items.iter().find(|i| i.name() == name)
    }

    /// Whether a field of this type keeps how its value was written (an
    /// open set's spelling, an integer written `1.0`) beside the value.
    fn has_form(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        self.item(name).is_some_and(|item| match item {
            Item::OpenEnum(_) | Item::Integer(_) => true,
            Item::Multi(m) => m
                .branches
                .iter()
                .any(|b| matches!(b, crate::ir::Branch::Integer(..))),
            _ => false,
        })
    }

    /// Whether values of this type are `Copy` (getters hand them out by value).
    fn is_copy(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Bool | TypeRef::Ipv4Addr => true,
            TypeRef::Named(name) => self
                .item(name)
                .is_some_and(|i| matches!(i, Item::Integer(_) | Item::ClosedEnum(_))),
            _ => false,
        }
    }

    /// The type a getter hands out for a field value, and the method call
    /// turning an `Option<&T>` into it (none when it is one).
    fn getter(&self, ty: &TypeRef) -> (TokenStream, TokenStream) {
        let rust = self.type_ref(ty, false);
        match ty {
            TypeRef::String => (quote!(&str), quote!(.map(String::as_str))),
            _ if self.is_copy(ty) => (quote!(#rust), quote!(.copied())),
            _ => (quote!(&#rust), TokenStream::new()),
        }
    }
}

/// An identifier from a name the `names` module produced (always valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A field identifier, raw when it is a keyword.
pub(crate) fn field_ident(name: &names::Ident) -> Ident {
    if name.raw {
        Ident::new_raw(&name.name, Span::call_site())
    } else {
        ident(&name.name)
    }
}

/// The name of a private helper item for a public type (`IncidentBuilder`).
pub(crate) fn helper(name: &str, suffix: &str) -> Ident {
    ident(&names::suffixed(name, suffix))
}

/// The generator's major and minor version, which the runtime must share.
fn generator_version() -> (u32, u32) {
    let number = |text: &str| text.parse::<u32>().unwrap_or_default();
    (
        number(env!("CARGO_PKG_VERSION_MAJOR")),
        number(env!("CARGO_PKG_VERSION_MINOR")),
    )
}
