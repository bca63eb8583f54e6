//! The deserialization protocol of generated code: a struct is read by a
//! [`Builder`] fed one property at a time (through [`ObjectVisitor`], or
//! through [`finish_tagged`] once a union has seen its tag), values are read
//! by the visitors here, and any JSON value by [`ValueSeed`], which refuses
//! duplicate keys at every depth as the validator does.
//!
//! Every error names the property it comes from (`invalid `x`: ...`,
//! `duplicate field `x``), as serde's derive does.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde_core::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Accumulates one object's properties, whichever deserializer they come
/// from; generated code implements it for each struct.
pub trait Builder<'de>: Default {
    /// The finished value.
    type Output;
    /// Takes one property.
    fn take<D: Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error>;
    /// Finishes, reporting missing required properties.
    fn finish<E: de::Error>(self) -> Result<Self::Output, E>;
}

/// Reads a string (an object key, a union's tag), borrowing it when the
/// input allows; holds what an error says was expected.
#[derive(Debug, Clone, Copy)]
pub struct StrSeed(pub &'static str);

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Hands one property's value to a builder.
#[derive(Debug)]
pub struct FieldSeed<'a, B> {
    /// The builder.
    pub builder: &'a mut B,
    /// The property name.
    pub key: &'a str,
}

impl<'de, B: Builder<'de>> DeserializeSeed<'de> for FieldSeed<'_, B> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.builder.take(self.key, deserializer)
    }
}

/// Deserializes an object through its builder.
#[derive(Debug)]
pub struct ObjectVisitor<B> {
    /// What was expected, for error messages.
    pub expecting: &'static str,
    /// The builder type.
    pub builder: PhantomData<B>,
}

impl<B> ObjectVisitor<B> {
    /// A visitor for `B`, saying `expecting` in errors.
    pub const fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            builder: PhantomData,
        }
    }
}

impl<'de, B: Builder<'de>> Visitor<'de> for ObjectVisitor<B> {
    type Value = B::Output;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut builder = B::default();
        while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
            map.next_value_seed(FieldSeed {
                builder: &mut builder,
                key: &key,
            })?;
        }
        builder.finish()
    }
}

/// Deserializes a property's value, naming the property in any error.
pub fn field<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(
    value: D,
    name: &str,
) -> Result<T, D::Error> {
    T::deserialize(value).map_err(|e| de::Error::custom(format_args!("invalid `{name}`: {e}")))
}

/// Fills a builder's slot for one property: refuses a second value, and
/// names the property in any error. The whole `take` arm of a typed field.
#[inline]
pub fn set<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(
    slot: &mut Option<T>,
    value: D,
    name: &str,
) -> Result<(), D::Error> {
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(field(value, name)?);
    Ok(())
}

/// [`set`] for a property holding any JSON value (read by [`ValueSeed`]).
#[inline]
pub fn set_any<'de, D: Deserializer<'de>>(
    slot: &mut Option<serde_json::Value>,
    value: D,
    name: &str,
) -> Result<(), D::Error> {
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(any_field(value, name)?);
    Ok(())
}

/// Records a property whose value is a fixed string ([`expect_const`]),
/// refusing a second one.
#[inline]
pub fn set_const<'de, D: Deserializer<'de>>(
    seen: &mut bool,
    value: D,
    name: &str,
    expected: &'static str,
) -> Result<(), D::Error> {
    if *seen {
        return Err(duplicate(name));
    }
    expect_const(value, name, expected)?;
    *seen = true;
    Ok(())
}

/// The error for a property given twice.
pub fn duplicate<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("duplicate field `{name}`"))
}

/// Deserializes a property holding any JSON value, naming the property in any error.
pub fn any_field<'de, D: Deserializer<'de>>(
    value: D,
    name: &str,
) -> Result<serde_json::Value, D::Error> {
    ValueSeed
        .deserialize(value)
        .map_err(|e| de::Error::custom(format_args!("invalid `{name}`: {e}")))
}

/// Keeps an unknown property, refusing a second one of the same name.
pub fn extra<'de, D: Deserializer<'de>>(
    extras: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    value: D,
) -> Result<(), D::Error> {
    if extras.contains_key(key) {
        return Err(duplicate(key));
    }
    let value = ValueSeed.deserialize(value)?;
    extras.insert(key.to_owned(), value);
    Ok(())
}

/// Keeps an unknown property checked against `additionalProperties`,
/// refusing a second one of the same name.
pub fn typed_extra<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(
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

/// Checks a property whose value is a fixed string.
pub fn expect_const<'de, D: Deserializer<'de>>(
    value: D,
    name: &str,
    expected: &'static str,
) -> Result<(), D::Error> {
    /// Accepts exactly one string.
    struct Const(&'static str);
    impl Visitor<'_> for Const {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "the string `{}`", self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
    }
    value
        .deserialize_str(Const(expected))
        .map_err(|e| de::Error::custom(format_args!("invalid `{name}`: {e}")))
}

/// Reads any JSON value, refusing duplicate keys at every depth
/// (`serde_json::Value`'s own reader keeps the last of them).
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any json value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(serde_json::Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(serde_json::Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v)
            .map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(duplicate(&key));
            }
            let value = map.next_value_seed(ValueSeed)?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Properties a union read before its tag, as JSON values.
pub type Before = Vec<(String, serde_json::Value)>;

/// Reads properties up to the tag, keeping them as JSON values; gives them
/// and the tag's string.
pub fn read_until_tag<'de, A: MapAccess<'de>>(
    map: &mut A,
    tag: &'static str,
) -> Result<(Before, Cow<'de, str>), A::Error> {
    let mut before = Before::new();
    while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
        if key == tag {
            let value = map
                .next_value_seed(StrSeed("a string"))
                .map_err(|e| de::Error::custom(format_args!("invalid `{tag}`: {e}")))?;
            return Ok((before, value));
        }
        if before.iter().any(|(k, _)| *k == *key) {
            return Err(duplicate(&key));
        }
        let value = map.next_value_seed(ValueSeed)?;
        before.push((key.into_owned(), value));
    }
    Err(de::Error::missing_field(tag))
}

/// Finishes a union member: the properties read before the tag, the tag,
/// then the rest streamed straight into the builder.
pub fn finish_tagged<'de, B: Builder<'de>, A: MapAccess<'de>>(
    tag: &'static str,
    value: &'static str,
    before: Before,
    mut map: A,
) -> Result<B::Output, A::Error> {
    let mut builder = B::default();
    for (key, v) in before {
        builder.take(&key, v).map_err(de::Error::custom)?;
    }
    builder.take(tag, de::value::StrDeserializer::<A::Error>::new(value))?;
    while let Some(key) = map.next_key_seed(StrSeed("a property name"))? {
        map.next_value_seed(FieldSeed {
            builder: &mut builder,
            key: &key,
        })?;
    }
    builder.finish()
}

/// Keeps a whole object whose tag is none of the known ones.
pub fn finish_unknown<'de, A: MapAccess<'de>>(
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

/// Deserializes an open enumeration from any string.
#[derive(Debug)]
pub struct OpenVisitor<T>(pub PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> Visitor<'_> for OpenVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// Deserializes a closed enumeration from one of its strings.
#[derive(Debug)]
pub struct ClosedVisitor<T> {
    /// The accepted strings.
    pub values: &'static [&'static str],
    /// The value of a string, if accepted.
    pub parse: fn(&str) -> Option<T>,
}

impl<T> Visitor<'_> for ClosedVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {:?}", self.values)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).ok_or_else(|| E::unknown_variant(v, self.values))
    }
}

/// Deserializes a bounded integer written as an integer or an integral
/// float: the value, and whether it was written as a float (`1.0`).
#[derive(Debug)]
pub struct IntVisitor<T> {
    /// What was expected, for error messages.
    pub expecting: &'static str,
    /// The value if in range.
    pub check: fn(i128) -> Option<T>,
}

impl<T> Visitor<'_> for IntVisitor<T> {
    type Value = (T, bool);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(T, bool), E> {
        (self.check)(i128::from(v))
            .map(|t| (t, false))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(T, bool), E> {
        (self.check)(i128::from(v))
            .map(|t| (t, false))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(T, bool), E> {
        crate::numbers::integral(v)
            .and_then(self.check)
            .map(|t| (t, true))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

#[cfg(test)]
mod tests;
