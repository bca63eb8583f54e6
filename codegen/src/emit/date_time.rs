//! The generated date-time type and its validity rule.
//!
//! A `format: date-time` string is kept exactly as received (so it comes back
//! byte for byte) together with its parsed value. The validity rule is a
//! public function of the generated module so that a JSON Schema validator
//! can register the very same rule for `format: date-time`: the types and the
//! validator then agree by construction.
//!
//! # Design
//! The rule is `chrono::DateTime::parse_from_rfc3339` plus one check chrono
//! leaves out: RFC 3339 separates date and time with `T` (or `t`), while
//! chrono also accepts a space.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};

/// The date-time type and `is_valid_date_time`.
pub(super) fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&ctx.module.date_time_name);
    let derives = ctx.derives(
        &ctx.module.date_time_name,
        &["Debug", "Clone", "PartialEq", "Eq", "Hash"],
    );
    quote! {
        /// An RFC 3339 date-time (`format: date-time`), kept exactly as received
        /// together with its parsed value.
        ///
        /// Two values are equal when their text is: `2017-08-14T23:20:57Z` and
        /// `2017-08-14T23:20:57.000Z` are the same instant but not equal; compare
        /// [`value`](Self::value) for instants.
        #derives
        pub struct #name {
            /// The text as received.
            text: String,
            /// The parsed value.
            value: chrono::DateTime<chrono::FixedOffset>,
        }

        impl #name {
            /// Parses an RFC 3339 date-time, keeping its text; `None` unless
            /// [`is_valid_date_time`] holds.
            pub fn parse(text: &str) -> Option<Self> {
                Self::parse_string(text.to_owned())
            }

            /// Like [`parse`](Self::parse), taking the string.
            fn parse_string(text: String) -> Option<Self> {
                if !has_rfc3339_separator(&text) {
                    return None;
                }
                let value = chrono::DateTime::parse_from_rfc3339(&text).ok()?;
                Some(Self { text, value })
            }

            /// The text as received.
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// The parsed value, with the offset it was written with.
            pub fn value(&self) -> chrono::DateTime<chrono::FixedOffset> {
                self.value
            }
        }

        impl From<chrono::DateTime<chrono::FixedOffset>> for #name {
            /// Writes the value in RFC 3339 (`Z` for UTC, fractional seconds only when needed).
            fn from(value: chrono::DateTime<chrono::FixedOffset>) -> Self {
                Self { text: value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), value }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text)
            }
        }

        /// Whether `text` is a valid `format: date-time` string: RFC 3339, as
        /// `chrono::DateTime::parse_from_rfc3339` reads it, with `T` or `t` (not a
        /// space) between date and time.
        ///
        /// This is the rule the generated types apply; register it with a JSON
        /// Schema validator (for example `jsonschema`'s `with_format("date-time",
        /// is_valid_date_time)`) to make both agree.
        pub fn is_valid_date_time(text: &str) -> bool {
            has_rfc3339_separator(text) && chrono::DateTime::parse_from_rfc3339(text).is_ok()
        }

        /// Whether byte 10 (after `YYYY-MM-DD`) is `T` or `t`.
        fn has_rfc3339_separator(text: &str) -> bool {
            matches!(text.as_bytes().get(10), Some(b'T' | b't'))
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                /// Reads a date-time string.
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an RFC 3339 date-time")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<#name, E> {
                        #name::parse(v).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
                    }
                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<#name, E> {
                        if is_valid_date_time(&v) {
                            #name::parse_string(v).ok_or_else(|| E::custom("invalid date-time"))
                        } else {
                            Err(E::invalid_value(serde::de::Unexpected::Str(&v), &self))
                        }
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    }
}
