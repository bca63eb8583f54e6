//! The regular expressions of a module's checks (`pattern`,
//! `patternProperties`), each compiled once into a static of `__codegen`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Accept, Check, Module};

/// Every distinct pattern of the module's checks, in order, with whether
/// it is read as `pattern` (leading lookaheads split) or as a key.
fn patterns(module: &Module) -> Vec<(&str, bool)> {
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
                Check::Unevaluated { nodes, .. } => nodes
                    .iter()
                    .flat_map(|n| n.patterns.iter().map(|p| (p.as_str(), false)))
                    .collect(),
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
pub(super) fn pattern_static(module: &Module, pattern: &str, split: bool) -> proc_macro2::Ident {
    let index = patterns(module)
        .iter()
        .position(|p| *p == (pattern, split))
        .unwrap_or_default();
    super::super::ident(&crate::names::pattern_static(index))
}

/// The statics holding every pattern, for `__codegen`.
pub(in crate::emit) fn pattern_statics(module: &Module) -> TokenStream {
    let statics = patterns(module)
        .into_iter()
        .enumerate()
        .map(|(i, (p, split))| {
            let name = super::super::ident(&crate::names::pattern_static(i));
            quote! {
                /// A pattern of the schemas, compiled on first use.
                pub(super) static #name: Pattern = Pattern::new(#p, #split);
            }
        });
    quote! { #(#statics)* }
}
