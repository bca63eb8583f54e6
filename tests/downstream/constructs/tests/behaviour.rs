//! What each construct's generated type accepts, rejects and gives back.

use aperture_events_constructs::{changed, defaults};
use serde_json::{Value, json};

fn cat() -> Value {
    json!({
        "kind": "cat", "name": "Tom", "born": "2020-01-01T00:00:00Z",
        "nickname": null, "lives": 9.0, "temperature": -5, "weight": 4.25, "indoor": true,
        "color": "ginger tabby", "coat": "LONG", "chip": "A1", "owner": {"email": "a@b", "phone": null},
        "tag": [1, {"x": null}], "type": "house", "lastSeen": null, "unlisted": {"a": 1}
    })
}

fn rejects<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value, field: &str) {
    let error = serde_json::from_value::<T>(value).expect_err("rejected");
    assert!(
        error.to_string().contains(field),
        "{error} does not name {field}"
    );
}

#[test]
fn every_construct_round_trips() {
    let pet: defaults::Pet = serde_json::from_value(cat()).expect("accepted");
    let defaults::Pet::Cat(c) = &pet else {
        panic!("a cat")
    };
    assert!(!c.version, "optional const absent");
    assert_eq!(
        c.nickname,
        Some(None),
        "present null is kept apart from absent"
    );
    assert_eq!(c.lives.map(defaults::Lives::get), Some(9));
    assert_eq!(c.temperature.map(defaults::Temperature::get), Some(-5));
    assert_eq!(c.color, Some(defaults::Color::GingerTabby));
    assert_eq!(
        c.coat,
        Some(Some(defaults::Coat::Long)),
        "a quirk spelling of `long`"
    );
    assert_eq!(c.coat(), Some(&defaults::Coat::Long));
    assert_eq!(c.coat_spelling(), Some("LONG"));
    assert_eq!(c.chip, Some(Some(defaults::Chip::String("A1".into()))));
    assert_eq!(c.owner.as_ref().map(|o| o.email.as_str()), Some("a@b"));
    assert_eq!(c.r#type.as_deref(), Some("house"));
    assert_eq!(c.last_seen, Some(None));
    assert_eq!(c.extras["unlisted"], json!({"a": 1}));
    let back = serde_json::to_value(&pet).expect("serialize");
    // Value-equal, spellings and number forms (`9.0`) included.
    assert_eq!(back, cat());
}

#[test]
fn bounds_types_and_closed_sets_are_enforced() {
    for (field, bad) in [
        ("lives", json!(10)),
        ("lives", json!(1.5)),
        ("temperature", json!(-41)),
        ("color", json!("blue")),
        ("chip", json!(-1)),
        ("chip", json!(true)),
        ("kind", json!("cow")),
        ("version", json!("v2")),
        ("born", json!("2020-01-01 00:00:00Z")),
        ("owner", json!({"phone": "1"})),
        ("weight", json!("4")),
    ] {
        let mut value = cat();
        value[field] = bad;
        if field == "kind" {
            // Another tag: the union keeps it as unknown; the struct itself rejects it.
            rejects::<defaults::Cat>(value, "`kind`");
            continue;
        }
        rejects::<defaults::Pet>(value, &format!("`{field}`"));
    }
}

#[test]
fn duplicate_keys_are_rejected() {
    let text = r#"{"kind": "cat", "name": "a", "name": "b", "born": "2020-01-01T00:00:00Z"}"#;
    assert!(
        serde_json::from_str::<defaults::Pet>(text)
            .unwrap_err()
            .to_string()
            .contains("duplicate field `name`")
    );
    let text = r#"{"kind": "cat", "x": 1, "x": 2, "name": "a", "born": "2020-01-01T00:00:00Z"}"#;
    assert!(
        serde_json::from_str::<defaults::Pet>(text)
            .unwrap_err()
            .to_string()
            .contains("duplicate field `x`")
    );
    let text = r#"{"x": 1, "x": 2, "kind": "cat", "name": "a", "born": "2020-01-01T00:00:00Z"}"#;
    assert!(
        serde_json::from_str::<defaults::Pet>(text)
            .unwrap_err()
            .to_string()
            .contains("duplicate field `x`")
    );
    let text = r#"{"kind": "cow", "x": 1, "x": 2}"#;
    assert!(
        serde_json::from_str::<defaults::Pet>(text)
            .unwrap_err()
            .to_string()
            .contains("duplicate field `x`")
    );
}

#[test]
fn closed_objects_reject_unknown_properties() {
    let dog = json!({"kind": "dog", "good": 0.5});
    let parsed: defaults::Pet = serde_json::from_value(dog.clone()).expect("accepted");
    assert_eq!(serde_json::to_value(&parsed).expect("serialize"), dog);
    rejects::<defaults::Pet>(json!({"kind": "dog", "bark": true}), "unknown field `bark`");
}

#[test]
fn changed_settings_take_effect() {
    let animal: changed::Animal = serde_json::from_value(cat()).expect("accepted");
    let changed::Animal::Cat(c) = &animal else {
        panic!("a cat")
    };
    let born: &String = &c.born;
    assert_eq!(born, "2020-01-01T00:00:00Z");
    let back = serde_json::to_value(&animal).expect("serialize");
    assert!(
        back.get("unlisted").is_none(),
        "unknown fields dropped when not kept"
    );
    assert!(
        changed::Color::Black < changed::Color::White,
        "extra derive"
    );
    let _default = changed::Cat::default();
}

#[test]
fn duplicate_keys_nested_in_kept_values_are_rejected() {
    let born = r#""born": "2020-01-01T00:00:00Z", "name": "a""#;
    for text in [
        format!(r#"{{"kind": "cat", {born}, "tag": {{"a": 1, "a": 2}}}}"#),
        format!(r#"{{"kind": "cat", {born}, "x": [{{"a": 1, "a": 2}}]}}"#),
        format!(r#"{{"x": {{"a": 1, "a": 2}}, "kind": "cat", {born}}}"#),
        r#"{"kind": "cow", "x": {"b": {"a": 1, "a": 2}}}"#.to_owned(),
    ] {
        let error = serde_json::from_str::<defaults::Pet>(&text).expect_err(&text);
        assert!(
            error.to_string().contains("duplicate field `a`"),
            "{text}: {error}"
        );
    }
}

#[test]
fn a_value_named_like_the_catch_all_keeps_its_chosen_variant() {
    // `x-rust-variant-names` chooses `OtherValue` for the value "Other" (the
    // catch-all is `Other`), so the build script warns of no rename.
    let coat: defaults::Coat = serde_json::from_value(json!("Other")).expect("a known value");
    assert_eq!(coat, defaults::Coat::OtherValue);
    let unknown: defaults::Coat = serde_json::from_value(json!("curly")).expect("open set");
    assert!(matches!(unknown, defaults::Coat::Other(_)));
    assert_eq!(
        serde_json::to_value(&coat).expect("serializes"),
        json!("Other")
    );
}
