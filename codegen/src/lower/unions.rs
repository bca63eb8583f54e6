//! A root `oneOf` of object schemas told apart by a constant property (a
//! `discriminator`) becomes a union of their structs.

use serde_json::Value;

use super::objects::is_string_const;
use super::{Hint, Lowerer};
use crate::ir::{CommonField, Item, Union, UnionVariant};
use crate::load::Location;
use crate::names::{snake_case, variant_names};

impl Lowerer<'_> {
    /// Whether a root is a union: it has a `discriminator`, and its `oneOf`
    /// branches are all `$ref`s to object schemas with a required string
    /// `const` property. Other `oneOf`s are checked values (exactly one
    /// branch). Reads the JSON only.
    pub(super) fn is_tagged_union(&self, root: &Location) -> bool {
        let Some(root_object) = self.object(root) else {
            return false;
        };
        // Only `discriminator` (OpenAPI's word for "told apart by this
        // property") says unknown tags are kept: a plain `oneOf` rejects them.
        let root_keywords = self.read(root, root_object);
        if root_keywords.discriminator.is_none() {
            return false;
        }
        let Some(branches) = root_keywords.one_of.ok() else {
            return false;
        };
        let tagged = |index: usize| {
            let branch = Location {
                doc: root.doc,
                pointer: format!("/oneOf/{index}"),
            };
            let object = self.object(&branch)?;
            if !object
                .keys()
                .all(|k| k == "$ref" || super::keywords::is_annotation(k))
            {
                return None;
            }
            let reference = self.read(&branch, object).reference.ok()?;
            let target_location = self.schemas.resolve(&branch, reference).ok()?;
            let target = self.keywords(&target_location)?;
            let properties = target.properties.ok()?;
            // A misshapen `required`'s strings too (reported where it is lowered).
            target.required_names().into_iter().find(|name| {
                properties
                    .get(*name)
                    .and_then(Value::as_object)
                    .is_some_and(|p| {
                        let property = Location {
                            doc: target_location.doc,
                            pointer: format!(
                                "{}/properties/{}",
                                target_location.pointer,
                                crate::ordered::escape_token(name)
                            ),
                        };
                        is_string_const(&self.read(&property, p))
                    })
            })?;
            Some(())
        };
        !branches.is_empty() && (0..branches.len()).all(|i| tagged(i).is_some())
    }

    /// A root `oneOf`: every branch a `$ref` to an object schema with a
    /// required string `const` on the same property.
    pub(super) fn lower_union(&mut self, root: &Location) {
        let Some(object) = self.object(root) else {
            return;
        };
        let keywords = self.read(root, object);
        for key in object.keys() {
            let fine = super::keywords::is_annotation(key)
                || super::keywords::is_extension(key)
                || super::keywords::root_only(key)
                || ["oneOf", "discriminator"].contains(&key.as_str())
                || (key == "type"
                    && keywords.type_is_one
                    && keywords.types.get().is_some_and(|t| *t == ["object"]));
            if !fine {
                self.error(
                    root,
                    Some(key),
                    format!("keyword `{key}` beside a union's `oneOf` is not supported"),
                );
            }
        }
        let Some(branches) = keywords.one_of.ok().filter(|b| !b.is_empty()) else {
            self.error(root, Some("oneOf"), "`oneOf` must be a non-empty array");
            return;
        };
        let mut arms: Vec<(String, String, String)> = Vec::new();
        let mut ok = true;
        for index in 0..branches.len() {
            let branch = Location {
                doc: root.doc,
                pointer: format!("/oneOf/{index}"),
            };
            match self.union_arm(&branch) {
                Some(arm) => arms.push(arm),
                None => ok = false,
            }
        }
        if !ok {
            return;
        }
        let tag = arms[0].0.clone();
        if arms.iter().any(|(t, _, _)| *t != tag) {
            self.error(root, Some("oneOf"), format!("every branch must be told apart by the same required `const` property (`{tag}` in the first)"));
            return;
        }
        let mut seen = std::collections::BTreeSet::new();
        for (_, value, _) in &arms {
            if !seen.insert(value.clone()) {
                self.error(
                    root,
                    Some("oneOf"),
                    format!("two branches share the tag value `{value}`"),
                );
                return;
            }
        }
        let title = keywords.title.unwrap_or_default().to_owned();
        let stem = self.stem(root);
        let wanted = self.options.union_name.clone().unwrap_or(title);
        let name = self.type_name(root, &[&wanted, &stem], "");
        let structs: Vec<&str> = arms.iter().map(|(_, _, ty)| ty.as_str()).collect();
        let unknown = variant_names(&["Unknown"], &structs).remove(0);
        let variants = arms
            .iter()
            .map(|(_, value, ty)| UnionVariant {
                name: ty.clone(),
                tag_value: value.clone(),
                ty: ty.clone(),
            })
            .collect();
        let common = self.common_fields(&arms, &tag);
        let docs = self.docs(root);
        self.named.insert(root.clone(), name.clone());
        self.items.push((
            0,
            Item::Union(Union {
                name,
                docs,
                tag,
                variants,
                unknown,
                common,
            }),
        ));
    }

    /// The fields at least two branches share with one type (and so one
    /// accessor), in order of first appearance.
    fn common_fields(&self, arms: &[(String, String, String)], tag: &str) -> Vec<CommonField> {
        let structs: Vec<&crate::ir::Struct> = arms
            .iter()
            .filter_map(|(_, _, ty)| {
                self.items.iter().find_map(|(_, item)| match item {
                    Item::Struct(s) if s.name == *ty => Some(s),
                    _ => None,
                })
            })
            .collect();
        let tag_method = snake_case(tag).unwrap_or_default();
        let mut out: Vec<CommonField> = Vec::new();
        for s in &structs {
            for field in &s.fields {
                if out.iter().any(|c| c.json_name == field.json_name) {
                    continue;
                }
                let holders: Vec<&crate::ir::Field> = structs
                    .iter()
                    .filter_map(|t| t.fields.iter().find(|f| f.json_name == field.json_name))
                    .collect();
                let same = holders
                    .iter()
                    .all(|f| f.ty == field.ty && f.ident == field.ident);
                if holders.len() < 2 || !same || field.ident.name == tag_method {
                    continue;
                }
                out.push(CommonField {
                    method: field.ident.name.clone(),
                    json_name: field.json_name.clone(),
                    ident: field.ident.clone(),
                    ty: field.ty.clone(),
                    holders: structs
                        .iter()
                        .filter_map(|t| {
                            let f = t.fields.iter().find(|f| f.json_name == field.json_name)?;
                            Some((t.name.clone(), f.required, f.nullable))
                        })
                        .collect(),
                });
            }
        }
        out
    }

    /// One branch of a union: (tag property, tag value, struct name).
    fn union_arm(&mut self, branch: &Location) -> Option<(String, String, String)> {
        let object = self.object(branch);
        let keywords = self.keywords(branch);
        let reference = keywords.as_ref().and_then(|k| k.reference.ok());
        let only_ref = object.is_some_and(|o| {
            o.keys()
                .all(|k| k == "$ref" || super::keywords::is_annotation(k))
        });
        let (Some(reference), true) = (reference, only_ref) else {
            self.error(
                branch,
                None,
                "a union branch must be a `$ref` to an object schema, and nothing else",
            );
            return None;
        };
        let target = match self.schemas.resolve(branch, reference) {
            Ok(target) => target,
            Err(message) => {
                self.refuse(branch, Some("$ref"), message);
                return None;
            }
        };
        let hint = Hint {
            name: self.stem(&target),
            scope: String::new(),
        };
        let (ty, nullable) = self.schema_type(&target, &hint)?;
        let item = self.items.iter().find_map(|(_, item)| match (item, &ty) {
            (Item::Struct(s), crate::ir::TypeRef::Named(n)) if s.name == *n => Some(s.clone()),
            _ => None,
        });
        let Some(item) = item.filter(|_| !nullable) else {
            self.error(
                branch,
                Some("$ref"),
                "a union branch must be an object schema",
            );
            return None;
        };
        let Some(tag) = item.consts.iter().find(|c| c.required) else {
            self.error(
                branch,
                Some("$ref"),
                "a union branch needs a required property with a string `const` (like `log_type`)",
            );
            return None;
        };
        Some((tag.json_name.clone(), tag.value.clone(), item.name.clone()))
    }
}
