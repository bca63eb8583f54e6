//! The support code of unions in `__codegen`: reading the tag first.

use proc_macro2::TokenStream;
use quote::quote;

/// The union's tag-first reading.
pub(super) fn union_runtime() -> TokenStream {
    quote! {
        /// Properties read before the tag, as JSON values.
        pub(super) type Before = Vec<(String, serde_json::Value)>;

        /// Reads properties up to the tag, keeping them as JSON values; gives
        /// them and the tag's string.
        pub(super) fn read_until_tag<'de, A: serde::de::MapAccess<'de>>(
            map: &mut A,
            tag: &'static str,
        ) -> Result<(Before, std::borrow::Cow<'de, str>), A::Error> {
            let mut before = Before::new();
            while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
                if key == tag {
                    let value = map
                        .next_value_seed(StrSeed("a string"))
                        .map_err(|e| serde::de::Error::custom(format_args!("invalid `{tag}`: {e}")))?;
                    return Ok((before, value));
                }
                if before.iter().any(|(k, _)| *k == *key) {
                    return Err(duplicate(&key));
                }
                let value = map.next_value_seed(ValueSeed)?;
                before.push((key.into_owned(), value));
            }
            Err(serde::de::Error::missing_field(tag))
        }

        /// Finishes a union member: the properties read before the tag, the
        /// tag, then the rest streamed straight into the builder.
        pub(super) fn finish_tagged<'de, B: Builder<'de>, A: serde::de::MapAccess<'de>>(
            tag: &'static str,
            value: &'static str,
            before: Before,
            mut map: A,
        ) -> Result<B::Output, A::Error> {
            let mut builder = B::default();
            for (key, v) in before {
                builder.take(&key, v).map_err(serde::de::Error::custom)?;
            }
            builder.take(tag, serde::de::value::StrDeserializer::<A::Error>::new(value))?;
            while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
                map.next_value_seed(FieldSeed { builder: &mut builder, key: &key })?;
            }
            builder.finish()
        }

        /// Keeps a whole object whose tag is none of the known ones.
        pub(super) fn finish_unknown<'de, A: serde::de::MapAccess<'de>>(
            tag: &'static str,
            value: String,
            before: Before,
            mut map: A,
        ) -> Result<serde_json::Map<String, serde_json::Value>, A::Error> {
            let mut out: serde_json::Map<String, serde_json::Value> = before.into_iter().collect();
            out.insert(tag.to_owned(), serde_json::Value::String(value));
            while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
                if out.contains_key(&*key) {
                    return Err(duplicate(&key));
                }
                let v = map.next_value_seed(ValueSeed)?;
                out.insert(key.into_owned(), v);
            }
            Ok(out)
        }
    }
}
