//! The generated date-time type and its validity rule.
//!
//! A `format: date-time` string is kept exactly as received (so it comes back
//! byte for byte) together with its parsed value. The validity rule is a
//! public function of the generated module so that a JSON Schema validator
//! can register the very same rule for `format: date-time`: the types and the
//! validator then agree by construction.
//!
//! # Design
//! The rule is `chrono::DateTime::parse_from_rfc3339` plus two checks chrono
//! leaves out: RFC 3339 separates date and time with `T` (or `t`), while
//! chrono also accepts a space; and a leap second (`:60`) may only fall in the
//! last minute of a UTC day (23:59 once the offset is applied), while chrono
//! accepts `:60` in any minute.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};

/// The date-time type and `is_valid_date_time`.
pub(super) fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&ctx.module.date_time_name);
    let invalid = ident(&crate::names::invalid_date_time(&ctx.module.date_time_name));
    let derives = ctx.derives_beside(
        &ctx.module.date_time_name,
        &["Debug", "Clone"],
        &["PartialEq", "Eq", "Hash", "PartialOrd", "Ord"],
    );
    quote! {
        /// An instant: an RFC 3339 date-time (`format: date-time`), kept exactly
        /// as received together with its parsed value.
        ///
        /// Values compare, order and hash by the instant they name, not by
        /// their text: `2017-08-14T23:20:57Z`, `2017-08-14T23:20:57.000Z` and
        /// `2017-08-15T01:20:57+02:00` are equal (and sort together), although
        /// each serializes back as written. Compare [`as_str`](Self::as_str)
        /// for the text, or [`value`](Self::value)`.offset()` for the offset.
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
                let value = parse_rfc3339(&text)?;
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

            /// The instant in UTC.
            pub fn to_utc(&self) -> chrono::DateTime<chrono::Utc> {
                self.value.with_timezone(&chrono::Utc)
            }
        }

        impl PartialEq for #name {
            /// The same instant, whatever the text and offset.
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl Eq for #name {}

        impl PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for #name {
            /// Earlier instants first, whatever the offsets.
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.value.cmp(&other.value)
            }
        }

        impl std::hash::Hash for #name {
            /// The instant (in UTC), consistent with equality.
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.value.with_timezone(&chrono::Utc).hash(state);
            }
        }

        impl std::str::FromStr for #name {
            type Err = #invalid;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text).ok_or(#invalid)
            }
        }

        /// A string that is not an RFC 3339 date-time (the error of `FromStr`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct #invalid;

        impl std::fmt::Display for #invalid {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("not an RFC 3339 date-time")
            }
        }

        impl std::error::Error for #invalid {}

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
        /// space) between date and time, and a leap second (`:60`) only at 23:59
        /// UTC (`1998-12-31T15:59:60-08:00` is one, `1998-12-31T23:58:60Z` is not).
        ///
        /// This is the rule the generated types apply; register it with a JSON
        /// Schema validator (for example `jsonschema`'s `with_format("date-time",
        /// is_valid_date_time)`) to make both agree.
        pub fn is_valid_date_time(text: &str) -> bool {
            parse_rfc3339(text).is_some()
        }

        /// The value of `text` under the rule of [`is_valid_date_time`].
        fn parse_rfc3339(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
            if !has_rfc3339_separator(text) {
                return None;
            }
            let value = chrono::DateTime::parse_from_rfc3339(text).ok()?;
            is_leap_second_placed(&value).then_some(value)
        }

        /// Whether a leap second (chrono: a nanosecond count past one second)
        /// falls at 23:59 UTC, as RFC 3339 requires; any other value holds.
        fn is_leap_second_placed(value: &chrono::DateTime<chrono::FixedOffset>) -> bool {
            use chrono::Timelike;
            let utc = value.naive_utc();
            value.nanosecond() < 1_000_000_000 || (utc.hour() == 23 && utc.minute() == 59)
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
