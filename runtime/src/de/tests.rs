//! The protocol on a hand-written builder, as generated code uses it.

use serde_core::de::{self, Deserializer};

use super::*;

/// A builder for `{"id": integer, "tag": "t", ...extras}`.
#[derive(Default)]
struct Point {
    id: Option<u32>,
    tag: bool,
    extras: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Builder<'de> for Point {
    type Output = (u32, serde_json::Map<String, serde_json::Value>);
    fn take<D: Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error> {
        match key {
            "id" => set(&mut self.id, value, "id"),
            "tag" => set_const(&mut self.tag, value, "tag", "t"),
            _ => extra(&mut self.extras, key, value),
        }
    }
    fn finish<E: de::Error>(self) -> Result<Self::Output, E> {
        Ok((self.id.ok_or_else(|| E::missing_field("id"))?, self.extras))
    }
}

fn read(text: &str) -> Result<(u32, serde_json::Map<String, serde_json::Value>), String> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(ObjectVisitor::<Point>::new("a point"))
        .map_err(|e| e.to_string())
}

#[test]
fn a_builder_reads_an_object() {
    let (id, extras) = read(r#"{"id": 3, "tag": "t", "x": {"a": [1, 2]}}"#).unwrap();
    assert_eq!(id, 3);
    assert_eq!(extras["x"], serde_json::json!({"a": [1, 2]}));
}

#[test]
fn errors_name_the_property() {
    assert!(read(r#"{"id": "3"}"#).unwrap_err().contains("invalid `id`"));
    assert!(
        read(r#"{"id": 1, "id": 2}"#)
            .unwrap_err()
            .contains("duplicate field `id`")
    );
    assert!(
        read(r#"{"tag": "u", "id": 1}"#)
            .unwrap_err()
            .contains("the string `t`")
    );
    assert!(
        read(r#"{"x": 1}"#)
            .unwrap_err()
            .contains("missing field `id`")
    );
}

#[test]
fn duplicate_keys_are_refused_at_every_depth() {
    assert!(
        read(r#"{"id": 1, "x": 1, "x": 2}"#)
            .unwrap_err()
            .contains("duplicate field `x`")
    );
    assert!(
        read(r#"{"id": 1, "x": {"a": 1, "a": 1}}"#)
            .unwrap_err()
            .contains("duplicate field `a`")
    );
    let mut de = serde_json::Deserializer::from_str(r#"[{"k": 1, "k": 1}]"#);
    assert!(de::DeserializeSeed::deserialize(ValueSeed, &mut de).is_err());
}

/// A union of one member tagged `"kind": "point"`, reading the tag first.
struct Union;

impl<'de> de::Visitor<'de> for Union {
    type Value = Result<
        (u32, serde_json::Map<String, serde_json::Value>),
        serde_json::Map<String, serde_json::Value>,
    >;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (before, tag) = read_until_tag(&mut map, "kind")?;
        match &*tag {
            "point" => finish_tagged::<PointWithKind, A>("kind", "point", before, map).map(Ok),
            _ => finish_unknown("kind", tag.into_owned(), before, map).map(Err),
        }
    }
}

/// `Point` that also takes the tag.
#[derive(Default)]
struct PointWithKind(Point);

impl<'de> Builder<'de> for PointWithKind {
    type Output = (u32, serde_json::Map<String, serde_json::Value>);
    fn take<D: Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error> {
        if key == "kind" {
            return value.deserialize_ignored_any(de::IgnoredAny).map(|_| ());
        }
        self.0.take(key, value)
    }
    fn finish<E: de::Error>(self) -> Result<Self::Output, E> {
        self.0.finish()
    }
}

#[test]
fn a_union_reads_the_tag_then_streams_the_rest() {
    let mut de = serde_json::Deserializer::from_str(r#"{"x": 1, "kind": "point", "id": 7}"#);
    let (id, extras) = de.deserialize_map(Union).unwrap().unwrap();
    assert_eq!((id, extras["x"].clone()), (7, serde_json::json!(1)));
    let mut de = serde_json::Deserializer::from_str(r#"{"x": 1, "kind": "line", "y": 2}"#);
    let other = de.deserialize_map(Union).unwrap().unwrap_err();
    assert_eq!(
        serde_json::Value::Object(other),
        serde_json::json!({"x": 1, "kind": "line", "y": 2})
    );
    let mut de = serde_json::Deserializer::from_str(r#"{"x": 1, "x": 2, "kind": "point"}"#);
    assert!(de.deserialize_map(Union).is_err());
    let mut de = serde_json::Deserializer::from_str(r#"{"x": 1}"#);
    assert!(
        de.deserialize_map(Union)
            .unwrap_err()
            .to_string()
            .contains("missing field `kind`")
    );
}

#[test]
fn integers_may_be_written_as_floats() {
    let visitor = || IntVisitor {
        expecting: "a small integer",
        check: |v| u8::try_from(v).ok(),
    };
    let mut de = serde_json::Deserializer::from_str("7.0");
    assert_eq!(de.deserialize_any(visitor()).unwrap(), (7, true));
    let mut de = serde_json::Deserializer::from_str("7");
    assert_eq!(de.deserialize_any(visitor()).unwrap(), (7, false));
    let mut de = serde_json::Deserializer::from_str("7.5");
    assert!(de.deserialize_any(visitor()).is_err());
    let mut de = serde_json::Deserializer::from_str("300");
    assert!(de.deserialize_any(visitor()).is_err());
}
