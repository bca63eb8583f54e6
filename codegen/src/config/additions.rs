//! The derives and attributes a `Config` adds to generated types, parsed and
//! checked against the names of the types generated.

use std::collections::BTreeMap;

use super::Config;
use crate::emit::Additions;
use crate::error::{Collector, Diagnostic, Result};
use crate::ir::{DateTimeRepr, Module};

impl Config {
    /// Parses the requested derives and attributes, checking type names.
    pub(super) fn additions(&self, module: &Module) -> Result<Additions> {
        let mut errors = Collector::default();
        let known: Vec<&str> = module.items.iter().map(|i| i.name()).collect();
        // The date-time type is the runtime's `Timestamp`, re-exported: a
        // derive or attribute cannot be added to it.
        let runtime_type = (module.date_time == Some(DateTimeRepr::Chrono))
            .then_some(module.date_time_name.as_str());
        let check = |errors: &mut Collector, name: &str| {
            if runtime_type == Some(name) {
                errors.push(Diagnostic::file(
                    "Config",
                    format!(
                        "`{name}` is aperture-events-runtime's `Timestamp`, re-exported: derives and attributes cannot be added to it"
                    ),
                ));
            } else if !known.contains(&name) {
                errors.push(Diagnostic::file(
                    "Config",
                    format!("no generated type is named `{name}`"),
                ));
            }
        };
        let parse_path =
            |errors: &mut Collector, text: &str| match syn::parse_str::<syn::Path>(text) {
                Ok(path) => {
                    let last = path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    Some((last, quote::ToTokens::into_token_stream(path)))
                }
                Err(e) => {
                    errors.push(Diagnostic::file(
                        "Config",
                        format!("`{text}` is not a derive path: {e}"),
                    ));
                    None
                }
            };
        let parse_attribute = |errors: &mut Collector, text: &str| {
            let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text);
            match parsed {
                Ok(attributes) => attributes
                    .into_iter()
                    .map(quote::ToTokens::into_token_stream)
                    .collect(),
                Err(e) => {
                    errors.push(Diagnostic::file(
                        "Config",
                        format!("`{text}` is not an outer attribute: {e}"),
                    ));
                    Vec::new()
                }
            }
        };
        let mut additions = Additions::default();
        for derive in &self.derives {
            additions.derives.extend(parse_path(&mut errors, derive));
        }
        let mut derives_for: BTreeMap<String, Vec<(String, proc_macro2::TokenStream)>> =
            BTreeMap::new();
        for (name, derive) in &self.derives_for {
            check(&mut errors, name);
            derives_for
                .entry(name.clone())
                .or_default()
                .extend(parse_path(&mut errors, derive));
        }
        additions.derives_for = derives_for;
        for attribute in &self.attributes {
            additions
                .attributes
                .extend(parse_attribute(&mut errors, attribute));
        }
        for (name, attribute) in &self.attributes_for {
            check(&mut errors, name);
            additions
                .attributes_for
                .entry(name.clone())
                .or_default()
                .extend(parse_attribute(&mut errors, attribute));
        }
        errors.finish(additions)
    }
}
