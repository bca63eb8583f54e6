//! Documentation gathered from schema objects: `title`, `description`,
//! `examples`, and the quirk notes of the `x-` vocabulary.

use serde_json::Value;

use super::Lowerer;
use crate::ir::Docs;
use crate::load::Location;

impl Lowerer<'_> {
    /// The docs of the schema object at `location` itself.
    pub(super) fn docs(&self, location: &Location) -> Docs {
        let mut docs = Docs {
            source: self.place(location),
            ..Docs::default()
        };
        if let Some(keywords) = self.keywords(location) {
            docs.title = keywords.title.map(str::to_owned);
            docs.description = keywords.description.map(str::to_owned);
            docs.quirks.extend(keywords.quirk.map(str::to_owned));
            docs.quirk_values = keywords
                .quirk_values
                .get()
                .map(|values| values.iter().map(|v| (*v).to_owned()).collect())
                .unwrap_or_default();
            docs.examples = examples(keywords.examples);
        }
        docs
    }

    /// The docs of a property: its own description and examples, or those of
    /// the schema its `$ref` leads to; quirk notes from the whole chain.
    pub(super) fn field_docs(&self, location: &Location) -> Docs {
        let mut docs = Docs {
            source: self.place(location),
            ..Docs::default()
        };
        let mut current = location.clone();
        // A bounded walk: cycles are reported elsewhere.
        for _ in 0..16 {
            let Some(keywords) = self.keywords(&current) else {
                break;
            };
            if docs.description.is_none() {
                docs.description = keywords.description.map(str::to_owned);
            }
            if let Some(quirk) = keywords.quirk {
                if !docs.quirks.iter().any(|q| q == quirk) {
                    docs.quirks.push(quirk.to_owned());
                }
            }
            if docs.examples.is_empty() {
                docs.examples = examples(keywords.examples);
            }
            let next = keywords
                .reference
                .ok()
                .and_then(|r| self.schemas.resolve(&current, r).ok());
            match next {
                Some(next) => current = next,
                None => break,
            }
        }
        docs
    }
}

/// Each example as compact JSON text.
fn examples(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}
