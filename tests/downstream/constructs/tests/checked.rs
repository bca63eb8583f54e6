//! What the checked constructs of `extended.schema.json` accept, reject and
//! give back, written as a user would call them.

use aperture_events_constructs::defaults::Extended;
use serde_json::{Value, json};

fn parse(value: Value) -> Result<Extended, serde_json::Error> {
    serde_json::from_value(value)
}

fn with(key: &str, value: Value) -> Value {
    let mut event = json!({"tags": ["a"]});
    event[key] = value;
    event
}

#[test]
fn an_event_with_every_construct_round_trips() {
    let event = json!({
        "tags": ["a", "😀😀😀"], "plain": [1, 2], "code": "AB1", "ratio": 0.5, "step": 10,
        "either": "x", "exactly": 1, "anything": {"x": 1}, "notnull": 0,
        "child": {"tags": ["b"]}, "kids": [{"tags": ["c"], "kids": []}],
        "answer": 42, "choice": {"x": [1]}, "bounded": 5, "when": "2020-02-29",
        "ip": "10.0.0.1", "map": {"a": 1}, "dict": {"x-a": "1", "x-b": "2"},
        "pair": ["a", 1], "refd": "ab", "node": {"next": {"value": null}, "value": 1},
        "unknown": [true]
    });
    let parsed = parse(event.clone()).expect("valid");
    assert_eq!(serde_json::to_value(&parsed).expect("serialize"), event);
    assert_eq!(parsed.tags.get().len(), 2);
    let child = parsed.child.as_deref().expect("a child");
    assert_eq!(child.tags.get()[0].get(), "b");
    assert_eq!(parsed.map.as_ref().map(|m| m.extras.len()), Some(1));
    // `format: ipv4` is std's address; a fixed-length array is a tuple.
    assert_eq!(
        parsed.ip.as_ref().map(|ip| *ip.get()),
        Some(std::net::Ipv4Addr::new(10, 0, 0, 1))
    );
    let (name, count) = parsed.pair.as_ref().expect("a pair").get();
    assert_eq!(name, "a");
    assert_eq!(count.get().as_u64(), Some(1));
}

#[test]
fn each_constraint_is_enforced() {
    let invalid = [
        json!({"tags": []}),
        json!({"tags": ["abcd"]}),
        json!({"tags": ["a", "a"]}),
        with("plain", json!([-1])),
        with("code", json!("ab1")),
        with("ratio", json!(1)),
        with("step", json!(7)),
        with("either", json!(3.5)),
        with("exactly", json!(3)),
        with("never", json!(null)),
        with("notnull", json!(null)),
        with("child", json!({"tags": []})),
        with("kids", json!([{"tags": ["a", "a"]}])),
        with("answer", json!("42")),
        with("choice", json!("b")),
        with("bounded", json!(4.5)),
        with("ip", json!("1.2.3")),
        with("map", json!({"a": "x"})),
        with("dict", json!({"x-a": "1"})),
        with("dict", json!({"y": "1"})),
        with("dict", json!({})),
        with("pair", json!(["a", 1, 2])),
        with("pair", json!(["a"])),
        with("refd", json!("abcde")),
        with("node", json!({"next": {"value": "x"}})),
    ];
    for value in invalid {
        assert!(parse(value.clone()).is_err(), "{value} must be rejected");
    }
}

#[test]
fn numbers_compare_by_value_not_by_spelling() {
    for value in [json!(42.0), json!(42)] {
        assert!(parse(with("answer", value)).is_ok());
    }
    assert!(parse(with("step", json!(10.0))).is_ok());
    assert!(parse(with("choice", json!({"x": [1.0]}))).is_ok());
    assert!(
        parse(with("bounded", json!("not a number"))).is_ok(),
        "`minimum` constrains numbers only"
    );
}

#[test]
fn lengths_count_code_points() {
    assert!(parse(json!({"tags": ["😀😀😀"]})).is_ok());
    assert!(parse(json!({"tags": ["😀😀😀😀"]})).is_err());
}

#[test]
fn an_object_with_more_keywords_stays_a_struct() {
    let parsed = parse(with("headers", json!({"host": "h", "x-a": 1}))).expect("valid");
    let headers = parsed.headers.expect("present");
    assert_eq!(headers.host.as_deref(), Some("h"));
    assert_eq!(headers.extras.get("x-a"), Some(&json!(1)));
    for invalid in [
        json!({}),
        json!({"x-a": 1}),
        json!({"host": "h", "x-a": "1"}),
        json!({"host": "h", "other": 1}),
        json!({"hostname": "h"}),
    ] {
        assert!(
            parse(with("headers", invalid.clone())).is_err(),
            "{invalid}"
        );
    }
    assert!(parse(with("shape", json!({"kind": "c", "radius": 1}))).is_ok());
    for invalid in [json!({"kind": "c"}), json!({"radius": 1, "side": 2})] {
        assert!(parse(with("shape", invalid.clone())).is_err(), "{invalid}");
    }
}

#[test]
fn an_integer_bounded_on_one_side_takes_any_size() {
    for big in [json!(u64::MAX), json!(1e20), json!(0), json!(3.0)] {
        let parsed = parse(with("count", big.clone())).expect("an integer of at least 0");
        assert_eq!(serde_json::to_value(parsed.count).expect("serialize"), big);
    }
    for invalid in [json!(-1), json!(1.5), json!("1")] {
        assert!(parse(with("count", invalid.clone())).is_err(), "{invalid}");
    }
}

#[test]
fn an_all_of_of_objects_is_one_struct() {
    let parsed = parse(with("person", json!({"name": "Ann", "age": 30, "x": 1}))).expect("valid");
    let person = parsed.person.expect("present");
    assert_eq!((person.name.as_str(), person.age.get()), ("Ann", 30));
    for invalid in [
        json!({"name": "Ann"}),
        json!({"age": 30}),
        json!("Ann"),
        json!({"name": 1, "age": 1}),
    ] {
        assert!(parse(with("person", invalid.clone())).is_err(), "{invalid}");
    }
    // Parts with no `type` constrain objects only: a string passes, as the schema says.
    assert!(parse(with("loose", json!("text"))).is_ok());
    assert!(parse(with("loose", json!({"a": "x"}))).is_ok());
    assert!(parse(with("loose", json!({"b": "x"}))).is_err());
}
