//! The support code of lossless round trips for values that compare by
//! their canonical form: how a value was written (`Form`: an open set's
//! spelling, an integer written `1.0`), the per-struct slot keeping it
//! (`Received`, never part of a comparison), and the traits the builders and
//! serializers read and write it through. Emitted into `__codegen` when a
//! struct has such a field.

use proc_macro2::TokenStream;
use quote::quote;

/// How values were written, kept beside them by the structs: the support of
/// lossless round trips for values that compare by their canonical form.
pub(super) fn runtime() -> TokenStream {
    quote! {
        /// How one value was written, when that is not its canonical form.
        #[derive(Clone, Default)]
        #[allow(dead_code, reason = "which forms a module keeps depends on its schemas")]
        pub(super) enum Form {
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
            #[allow(dead_code, reason = "used by open sets only")]
            pub(super) fn text(&self) -> Option<&str> {
                match self {
                    Form::Listed(text) => Some(text),
                    Form::Received(text) => Some(text),
                    Form::Canonical | Form::Float => None,
                }
            }
        }

        impl std::fmt::Debug for Form {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Form::Canonical => f.write_str("Canonical"),
                    Form::Float => f.write_str("Float"),
                    Form::Listed(text) => write!(f, "{text:?}"),
                    Form::Received(text) => write!(f, "{text:?}"),
                }
            }
        }

        /// The forms of a struct's values, one per field that has one. Never
        /// part of a comparison: events compare and hash by their values.
        #[derive(Clone)]
        pub(super) struct Received<const N: usize>(pub(super) [Form; N]);

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

        impl<const N: usize> std::fmt::Debug for Received<N> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_list().entries(self.0.iter().filter(|form| !matches!(form, Form::Canonical))).finish()
            }
        }

        /// Reads a value with how it was written.
        pub(super) trait ReadForm: Sized {
            /// The value and its form.
            fn read_form<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(Self, Form), D::Error>;
        }

        /// A value read with its form: what the builders hold.
        pub(super) struct Formed<T>(pub(super) T, pub(super) Form);

        impl<'de, T: ReadForm> serde::Deserialize<'de> for Formed<T> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                T::read_form(deserializer).map(|(value, form)| Formed(value, form))
            }
        }

        /// Writes a value in the form it was read in, when it still reads as the value.
        pub(super) trait WriteForm {
            /// Serializes `self` as `form` says.
            fn write_form<S: serde::Serializer>(&self, form: &Form, serializer: S) -> Result<S::Ok, S::Error>;
        }

        /// A value and its form, serialized together.
        pub(super) struct WithForm<'a, T>(pub(super) &'a T, pub(super) &'a Form);

        impl<T: WriteForm> serde::Serialize for WithForm<'_, T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.write_form(self.1, serializer)
            }
        }

        /// An optional value's form moved to its slot.
        #[allow(dead_code, reason = "used by optional fields with a form only")]
        pub(super) fn split<T>(value: Option<Formed<T>>, slot: &mut Form) -> Option<T> {
            value.map(|Formed(value, form)| {
                *slot = form;
                value
            })
        }

        /// An optional nullable value's form moved to its slot.
        #[allow(dead_code, reason = "used by optional nullable fields with a form only")]
        pub(super) fn split_null<T>(value: Option<Option<Formed<T>>>, slot: &mut Form) -> Option<Option<T>> {
            value.map(|inner| split(inner, slot))
        }
    }
}

/// Reading an open set's value with its spelling.
pub(super) fn spelling_runtime() -> TokenStream {
    quote! {
        /// An open set, as the spelling reader sees it.
        pub(super) trait Spelled: Sized {
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
        pub(super) struct SpellingVisitor<T>(pub(super) std::marker::PhantomData<T>);

        impl<T: Spelled> serde::de::Visitor<'_> for SpellingVisitor<T> {
            type Value = (T, Form);
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(T, Form), E> {
                Ok(read_spelling(v).unwrap_or_else(|| (T::other(v.to_owned()), Form::Canonical)))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(T, Form), E> {
                Ok(match read_spelling(&v) {
                    Some(read) => read,
                    None => (T::other(v), Form::Canonical),
                })
            }
        }
    }
}
