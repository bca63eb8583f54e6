//! Lossless round trips for values that compare by their canonical form:
//! how a value was written ([`Form`]: an open set's spelling, an integer
//! written `1.0`), the per-struct slot keeping it ([`Received`], never part
//! of a comparison), and the traits builders and serializers read and write
//! it through ([`ReadForm`], [`WriteForm`], [`Spelled`]).

use std::fmt;
use std::marker::PhantomData;

use serde_core::de::{self, Deserializer, Visitor};
use serde_core::{Deserialize, Serialize, Serializer};

/// How one value was written, when that is not its canonical form.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Form {
    /// As the value writes itself.
    #[default]
    Canonical,
    /// An integer written as a float (`1.0`).
    Float,
    /// A spelling the schema lists (`x-quirk-values`).
    Listed(&'static str),
    /// Any other spelling of a known value (a case variant).
    Received(Box<str>),
}

impl Form {
    /// The spelling, if it is not the canonical one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Form::Listed(text) => Some(text),
            Form::Received(text) => Some(text),
            Form::Canonical | Form::Float => None,
        }
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::Canonical => f.write_str("Canonical"),
            Form::Float => f.write_str("Float"),
            Form::Listed(text) => write!(f, "{text:?}"),
            Form::Received(text) => write!(f, "{text:?}"),
        }
    }
}

/// The forms of a struct's values, one per field that has one. Never part
/// of a comparison: events compare and hash by their values.
#[derive(Clone)]
pub struct Received<const N: usize>(pub [Form; N]);

impl<const N: usize> Default for Received<N> {
    fn default() -> Self {
        Received(std::array::from_fn(|_| Form::Canonical))
    }
}

impl<const N: usize> PartialEq for Received<N> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<const N: usize> Eq for Received<N> {}

impl<const N: usize> std::hash::Hash for Received<N> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl<const N: usize> fmt::Debug for Received<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.0
                    .iter()
                    .filter(|form| !matches!(form, Form::Canonical)),
            )
            .finish()
    }
}

/// Reads a value with how it was written.
pub trait ReadForm: Sized {
    /// The value and its form.
    fn read_form<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Self, Form), D::Error>;
}

/// A value read with its form: what the builders hold.
#[derive(Debug)]
pub struct Formed<T>(pub T, pub Form);

impl<'de, T: ReadForm> Deserialize<'de> for Formed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read_form(deserializer).map(|(value, form)| Formed(value, form))
    }
}

/// Writes a value in the form it was read in, when it still reads as the value.
pub trait WriteForm {
    /// Serializes `self` as `form` says.
    fn write_form<S: Serializer>(&self, form: &Form, serializer: S) -> Result<S::Ok, S::Error>;
}

/// A value and its form, serialized together.
#[derive(Debug)]
pub struct WithForm<'a, T>(pub &'a T, pub &'a Form);

impl<T: WriteForm> Serialize for WithForm<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write_form(self.1, serializer)
    }
}

/// An optional value's form moved to its slot.
pub fn split<T>(value: Option<Formed<T>>, slot: &mut Form) -> Option<T> {
    value.map(|Formed(value, form)| {
        *slot = form;
        value
    })
}

/// An optional nullable value's form moved to its slot.
pub fn split_null<T>(value: Option<Option<Formed<T>>>, slot: &mut Form) -> Option<Option<T>> {
    value.map(|inner| split(inner, slot))
}

/// An open set, as the spelling reader sees it.
pub trait Spelled: Sized {
    /// The known value a spelling reads as, with its listed spelling.
    fn spelled(text: &str) -> Option<(Self, Option<&'static str>)>;
    /// The catch-all value.
    fn other(text: String) -> Self;
    /// The canonical spelling.
    fn canonical(&self) -> &str;
}

/// The value and its form for one spelling.
fn read_spelling<T: Spelled>(text: &str) -> Option<(T, Form)> {
    let (value, listed) = T::spelled(text)?;
    let form = match listed {
        Some(listed) => Form::Listed(listed),
        None if value.canonical() == text => Form::Canonical,
        None => Form::Received(text.into()),
    };
    Some((value, form))
}

/// Reads an open set's value and keeps its spelling.
#[derive(Debug)]
pub struct SpellingVisitor<T>(pub PhantomData<T>);

impl<T: Spelled> Visitor<'_> for SpellingVisitor<T> {
    type Value = (T, Form);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(T, Form), E> {
        Ok(read_spelling(v).unwrap_or_else(|| (T::other(v.to_owned()), Form::Canonical)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(T, Form), E> {
        Ok(match read_spelling(&v) {
            Some(read) => read,
            None => (T::other(v), Form::Canonical),
        })
    }
}

/// Implements [`ReadForm`], [`Spelled`] and [`WriteForm`] for an open set
/// of generated code (an enumeration with a catch-all `Other`), from its
/// inherent `known`, `is_spelled` and `as_str` and its `From<String>`:
/// `open_set_forms!(super::Exposure);` in the generated `__codegen` module.
#[macro_export]
macro_rules! open_set_forms {
    ($ty:ty) => {
        impl $crate::forms::ReadForm for $ty {
            fn read_form<'de, D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<(Self, $crate::forms::Form), D::Error> {
                deserializer
                    .deserialize_str($crate::forms::SpellingVisitor(::core::marker::PhantomData))
            }
        }

        impl $crate::forms::Spelled for $ty {
            fn spelled(
                text: &str,
            ) -> ::core::option::Option<(Self, ::core::option::Option<&'static str>)> {
                Self::known(text)
            }
            fn other(text: ::std::string::String) -> Self {
                // Called for a spelling `known` refused: the catch-all.
                <Self as ::core::convert::From<::std::string::String>>::from(text)
            }
            fn canonical(&self) -> &str {
                self.as_str()
            }
        }

        impl $crate::forms::WriteForm for $ty {
            fn write_form<S: $crate::__serde::Serializer>(
                &self,
                form: &$crate::forms::Form,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match form.text() {
                    ::core::option::Option::Some(text) if self.is_spelled(text) => {
                        serializer.serialize_str(text)
                    }
                    _ => serializer.serialize_str(self.as_str()),
                }
            }
        }
    };
}
