//! The generic support code every generated module carries (inside its
//! private `__codegen` module): the builder protocol, key and value seeds,
//! and the visitors shared by enumerations and integers.
//!
//! Only the pieces the module uses are emitted, so generated code has no
//! dead code to silence.

use proc_macro2::TokenStream;
use quote::quote;

mod union;
mod unique_value;

use union::union_runtime;
use unique_value::unique_value;

use crate::ir::{Branch, Item, Module, TypeRef, Unknown};

/// The support code `module` needs; `forms` when a struct keeps how its
/// values were written.
pub(super) fn emit(module: &Module, forms: bool) -> TokenStream {
    let has = |f: &dyn Fn(&Item) -> bool| module.items.iter().any(f);
    let structs = has(&|i| matches!(i, Item::Struct(_)));
    let keeps = has(
        &|i| matches!(i, Item::Struct(s) if s.unknown == Unknown::Keep && s.extras_type.is_none()),
    );
    let typed_extras = has(&|i| matches!(i, Item::Struct(s) if s.extras_type.is_some()));
    let consts = has(&|i| matches!(i, Item::Struct(s) if !s.consts.is_empty()));
    let any_field =
        has(&|i| matches!(i, Item::Struct(s) if s.fields.iter().any(|f| f.ty == TypeRef::Any)));
    let unions = has(&|i| matches!(i, Item::Union(_)));
    let open = has(&|i| matches!(i, Item::OpenEnum(_)));
    let closed = has(&|i| matches!(i, Item::ClosedEnum(_)));
    let integers = has(&|i| matches!(i, Item::Integer(_)));
    let integral = integers
        || has(
            &|i| matches!(i, Item::Multi(m) if m.branches.iter().any(|b| matches!(b, Branch::Integer(..)))),
        );
    let mut out = TokenStream::new();
    if structs {
        out.extend(quote! {
            /// Accumulates one object's properties, whichever deserializer they come from.
            pub(super) trait Builder<'de>: Default {
                /// The finished value.
                type Output;
                /// Takes one property.
                fn take<D: serde::Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error>;
                /// Finishes, reporting missing required properties.
                fn finish<E: serde::de::Error>(self) -> Result<Self::Output, E>;
            }

            /// Reads a string (an object key, a union's tag), borrowing it when
            /// the input allows; holds what an error says was expected.
            pub(super) struct StrSeed(pub(super) &'static str);

            impl<'de> serde::de::DeserializeSeed<'de> for StrSeed {
                type Value = std::borrow::Cow<'de, str>;
                fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                    deserializer.deserialize_str(self)
                }
            }

            impl<'de> serde::de::Visitor<'de> for StrSeed {
                type Value = std::borrow::Cow<'de, str>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.0)
                }
                fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                    Ok(std::borrow::Cow::Borrowed(v))
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok(std::borrow::Cow::Owned(v.to_owned()))
                }
                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                    Ok(std::borrow::Cow::Owned(v))
                }
            }

            /// Hands one property's value to a builder.
            pub(super) struct FieldSeed<'a, B> {
                /// The builder.
                pub(super) builder: &'a mut B,
                /// The property name.
                pub(super) key: &'a str,
            }

            impl<'de, B: Builder<'de>> serde::de::DeserializeSeed<'de> for FieldSeed<'_, B> {
                type Value = ();
                fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
                    self.builder.take(self.key, deserializer)
                }
            }

            /// Deserializes an object through its builder.
            pub(super) struct ObjectVisitor<B> {
                /// What was expected, for error messages.
                pub(super) expecting: &'static str,
                /// The builder type.
                pub(super) builder: std::marker::PhantomData<B>,
            }

            impl<'de, B: Builder<'de>> serde::de::Visitor<'de> for ObjectVisitor<B> {
                type Value = B::Output;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.expecting)
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut builder = B::default();
                    while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
                        map.next_value_seed(FieldSeed { builder: &mut builder, key: &key })?;
                    }
                    builder.finish()
                }
            }
        });
    }
    // `field` reads a typed property (or a typed extra); a struct of `Any`s does not call it.
    let typed_fields = has(
        &|i| matches!(i, Item::Struct(s) if s.extras_type.is_some() || s.fields.iter().any(|f| f.ty != TypeRef::Any)),
    );
    if typed_fields {
        out.extend(quote! {
            /// Deserializes a property's value, naming the property in any error.
            pub(super) fn field<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
                value: D,
                name: &str,
            ) -> Result<T, D::Error> {
                T::deserialize(value).map_err(|e| serde::de::Error::custom(format_args!("invalid `{name}`: {e}")))
            }
        });
    }
    let checked = has(&|i| matches!(i, Item::Checked(_)));
    if structs || checked {
        out.extend(quote! {
            /// The error for a property given twice.
            pub(super) fn duplicate<E: serde::de::Error>(name: &str) -> E {
                E::custom(format_args!("duplicate field `{name}`"))
            }
        });
    }
    if keeps || unions || any_field || checked {
        out.extend(unique_value());
    }
    if any_field {
        out.extend(quote! {
            /// Deserializes a property holding any JSON value, naming the property in any error.
            pub(super) fn any_field<'de, D: serde::Deserializer<'de>>(
                value: D,
                name: &str,
            ) -> Result<serde_json::Value, D::Error> {
                serde::de::DeserializeSeed::deserialize(ValueSeed, value)
                    .map_err(|e| serde::de::Error::custom(format_args!("invalid `{name}`: {e}")))
            }
        });
    }
    if keeps {
        out.extend(quote! {
            /// Keeps an unknown property, refusing a second one of the same name.
            pub(super) fn extra<'de, D: serde::Deserializer<'de>>(
                extras: &mut serde_json::Map<String, serde_json::Value>,
                key: &str,
                value: D,
            ) -> Result<(), D::Error> {
                if extras.contains_key(key) {
                    return Err(duplicate(key));
                }
                let value = serde::de::DeserializeSeed::deserialize(ValueSeed, value)?;
                extras.insert(key.to_owned(), value);
                Ok(())
            }
        });
    }
    if typed_extras {
        out.extend(quote! {
            /// Keeps an unknown property checked against `additionalProperties`,
            /// refusing a second one of the same name.
            pub(super) fn typed_extra<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
                extras: &mut std::collections::BTreeMap<String, T>,
                key: &str,
                value: D,
            ) -> Result<(), D::Error> {
                if extras.contains_key(key) {
                    return Err(duplicate(key));
                }
                let value = field(value, key)?;
                extras.insert(key.to_owned(), value);
                Ok(())
            }
        });
    }
    if consts {
        out.extend(quote! {
            /// Checks a property whose value is a fixed string.
            pub(super) fn expect_const<'de, D: serde::Deserializer<'de>>(
                value: D,
                name: &str,
                expected: &'static str,
            ) -> Result<(), D::Error> {
                /// Accepts exactly one string.
                struct Const(&'static str);
                impl serde::de::Visitor<'_> for Const {
                    type Value = ();
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "the string `{}`", self.0)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
                        if v == self.0 { Ok(()) } else { Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)) }
                    }
                }
                value
                    .deserialize_str(Const(expected))
                    .map_err(|e| serde::de::Error::custom(format_args!("invalid `{name}`: {e}")))
            }
        });
    }
    if unions {
        out.extend(union_runtime());
    }
    if open {
        out.extend(quote! {
            /// Deserializes an open enumeration from any string.
            pub(super) struct OpenVisitor<T>(pub(super) std::marker::PhantomData<T>);

            impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for OpenVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a string")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
                    Ok(T::from(v))
                }
                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
                    Ok(T::from(v))
                }
            }
        });
    }
    if closed {
        out.extend(quote! {
            /// Deserializes a closed enumeration from one of its strings.
            pub(super) struct ClosedVisitor<T> {
                /// The accepted strings.
                pub(super) values: &'static [&'static str],
                /// The value of a string, if accepted.
                pub(super) parse: fn(&str) -> Option<T>,
            }

            impl<T> serde::de::Visitor<'_> for ClosedVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "one of {:?}", self.values)
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
                    (self.parse)(v).ok_or_else(|| E::unknown_variant(v, self.values))
                }
            }
        });
    }
    if forms {
        out.extend(super::forms::runtime());
    }
    if forms && open {
        out.extend(super::forms::spelling_runtime());
    }
    if integral {
        out.extend(quote! {
            /// An integral JSON number as `i128` (`1.0` is the integer 1, as in JSON Schema).
            pub(super) fn integral(v: f64) -> Option<i128> {
                (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e30).then_some(v as i128)
            }
        });
    }
    if integers {
        out.extend(quote! {
            /// Deserializes a bounded integer written as an integer or an integral float.
            pub(super) struct IntVisitor<T> {
                /// What was expected, for error messages.
                pub(super) expecting: &'static str,
                /// The value if in range.
                pub(super) check: fn(i128) -> Option<T>,
            }

            /// The value, and whether it was written as a float (`1.0`).
            impl<T> serde::de::Visitor<'_> for IntVisitor<T> {
                type Value = (T, bool);
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.expecting)
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(T, bool), E> {
                    (self.check)(i128::from(v)).map(|t| (t, false)).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(T, bool), E> {
                    (self.check)(i128::from(v)).map(|t| (t, false)).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(T, bool), E> {
                    integral(v)
                        .and_then(self.check)
                        .map(|t| (t, true))
                        .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
                }
            }
        });
    }
    out
}
