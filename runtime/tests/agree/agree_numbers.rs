//! Numeric bounds, `multipleOf`, equality, `uniqueItems` and string length
//! against jsonschema, on numbers as `serde_json` parses them from text.

use proptest::prelude::*;
use serde_json::{Number, Value, json};
use std::cmp::Ordering;

use super::{json as eq, multiple_of, numbers, validator};

/// Numbers at the edges: signs of zero, the ends of `i64`/`u64`, 2^53 and
/// its neighbours, fractions, exponents and integers written as floats.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "0e10",
    "1",
    "1.0",
    "-1",
    "-1.0",
    "1e0",
    "10e-1",
    "0.1",
    "0.3",
    "0.30000000000000004",
    "2.5",
    "-2.5",
    "3",
    "3.0000000000000004",
    "9007199254740992",
    "9007199254740993",
    "9007199254740992.0",
    "9007199254740993.0",
    "-9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "18446744073709551615.0",
    "1e19",
    "1e20",
    "-1e20",
    "1e300",
    "-1e300",
    "1.7976931348623157e308",
    "5e-324",
    "1e-400",
    "-1e-400",
    "123456789.123456789",
    "1070468.14",
    "0.01",
    "0.02",
    "0.0001",
    "1e-7",
    "4.35",
    "19.99",
    "100",
    "1e2",
    "3.14159",
    "0.5",
    "1.5",
    "4503599627370496.5",
    "12345678901234567890",
    "7",
    "21",
    "-21",
    "1e40",
    "1.5e-40",
];

fn parse(text: &str) -> Number {
    serde_json::from_str(text).expect("a JSON number")
}

/// The keyword schema `{keyword: bound}` applied to `value`, by jsonschema.
fn theirs(keyword: &str, bound: &Number, value: &Number) -> bool {
    validator(&json!({ keyword: bound })).is_valid(&Value::Number(value.clone()))
}

/// Our verdict for one of the four bounds.
fn ours_bound(keyword: &str, bound: &Number, value: &Number) -> bool {
    let order = numbers::compare(numbers::Num::of(value), numbers::Num::of(bound));
    match keyword {
        "minimum" => order != Ordering::Less,
        "maximum" => order != Ordering::Greater,
        "exclusiveMinimum" => order == Ordering::Greater,
        "exclusiveMaximum" => order == Ordering::Less,
        _ => unreachable!(),
    }
}

fn agree_bounds(bound: &Number, value: &Number) {
    for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        assert_eq!(
            ours_bound(keyword, bound, value),
            theirs(keyword, bound, value),
            "{keyword} {bound}: {value}"
        );
    }
}

fn agree_multiple(divisor: &Number, value: &Number) {
    let Some(d) = divisor.as_f64().filter(|d| *d > 0.0) else {
        return;
    };
    assert_eq!(
        multiple_of::is_multiple_of(value, d),
        theirs("multipleOf", divisor, value),
        "multipleOf {divisor}: {value}"
    );
}

#[test]
fn bounds_on_every_pair() {
    let numbers: Vec<Number> = NUMBERS.iter().map(|t| parse(t)).collect();
    for bound in &numbers {
        for value in &numbers {
            agree_bounds(bound, value);
        }
    }
}

#[test]
fn multiple_of_on_every_pair() {
    let numbers: Vec<Number> = NUMBERS.iter().map(|t| parse(t)).collect();
    let mut multiples = 0;
    for divisor in &numbers {
        for value in &numbers {
            agree_multiple(divisor, value);
            multiples += usize::from(
                divisor.as_f64().is_some_and(|d| d > 0.0) && theirs("multipleOf", divisor, value),
            );
        }
    }
    assert!(multiples > 100, "{multiples}");
}

#[test]
fn a_divisor_with_two_shortest_spellings_reads_as_jsonschemas_printer_writes_it() {
    // Found by the proptest below: `1825744593194433.2` and `…33` both print
    // the divisor shortest; jsonschema's printer picks `.2`, and 25 times it is the value.
    for (divisor, value) in [
        ("1825744593194433.2", "45643614829860830"),
        ("1825744593194433.2", "4.564361482986083e16"),
        ("1825744593194433.2", "45643614829860832.5"),
    ] {
        agree_multiple(&parse(divisor), &parse(value));
    }
}

#[test]
fn equality_and_uniqueness_of_numbers_and_structures() {
    let mut values: Vec<Value> = NUMBERS.iter().map(|t| Value::Number(parse(t))).collect();
    values.extend([
        json!(null),
        json!(true),
        json!(false),
        json!(""),
        json!("1"),
        json!([]),
        json!({}),
        json!([1, 2]),
        json!([1.0, 2.0]),
        json!([2, 1]),
        json!({"a": 1, "b": [0]}),
        json!({"b": [-0.0], "a": 1.0}),
        json!({"a": 1}),
        json!({"a": 1, "c": 2}),
        json!([[]]),
        json!([{}]),
        json!({"a": null}),
    ]);
    for a in &values {
        for b in &values {
            let expected = validator(&json!({ "const": a })).is_valid(b);
            assert_eq!(eq::equal(b, a), expected, "const {a}: {b}");
            let pair = [a.clone(), b.clone()];
            let unique = validator(&json!({"uniqueItems": true})).is_valid(&json!(pair));
            assert_eq!(eq::all_unique(&pair), unique, "unique {a}, {b}");
        }
    }
    // Past the pairwise threshold jsonschema hashes; so do we.
    let many: Vec<Value> = (0..40)
        .map(|i| json!({"k": i}))
        .chain([json!({"k": 7.0})])
        .collect();
    assert!(!eq::all_unique(&many));
    assert!(!validator(&json!({"uniqueItems": true})).is_valid(&json!(many)));
    assert!(eq::all_unique(&many[..40]));
}

#[test]
fn lengths_count_code_points() {
    for text in [
        "",
        "a",
        "é",
        "e\u{301}",
        "😀",
        "😀😀a",
        "\u{0}",
        "日本語",
        "\u{feff}",
    ] {
        for limit in 0..5_u64 {
            let min = validator(&json!({"minLength": limit})).is_valid(&json!(text));
            let max = validator(&json!({"maxLength": limit})).is_valid(&json!(text));
            assert_eq!(
                eq::char_len(text) >= usize::try_from(limit).unwrap(),
                min,
                "minLength {limit}: {text:?}"
            );
            assert_eq!(
                eq::char_len(text) <= usize::try_from(limit).unwrap(),
                max,
                "maxLength {limit}: {text:?}"
            );
        }
    }
}

/// JSON number texts: integers of any width and sign, decimals, exponents.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|u| u.to_string()),
        (any::<i32>(), 0..6_u32).prop_map(|(i, d)| format!(
            "{}.{}",
            i / 10_i32.pow(d.min(8)),
            i.unsigned_abs() % 10_u32.pow(d)
        )),
        (-40_i32..40, 1..999_u32, -30_i32..30).prop_map(|(a, b, e)| format!("{a}.{b}e{e}")),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        (1..100_u32, 0..4_u32).prop_map(|(a, d)| format!("0.{}{a}", "0".repeat(d as usize))),
        (-9_007_199_254_740_999_i64..-9_007_199_254_740_985).prop_map(|i| i.to_string()),
        (9_007_199_254_740_985_i64..9_007_199_254_740_999).prop_map(|i| format!("{i}.0")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn generated_bounds(bound in number_text(), value in number_text()) {
        let (Ok(bound), Ok(value)) = (serde_json::from_str::<Number>(&bound), serde_json::from_str::<Number>(&value)) else {
            return Ok(());
        };
        agree_bounds(&bound, &value);
        agree_bounds(&value, &bound);
    }

    #[test]
    fn generated_multiples(divisor in number_text(), value in number_text(), k in -50_i64..50) {
        let (Ok(divisor), Ok(value)) = (serde_json::from_str::<Number>(&divisor), serde_json::from_str::<Number>(&value)) else {
            return Ok(());
        };
        agree_multiple(&divisor, &value);
        // A product is a multiple more often than chance.
        if let Some(product) = divisor.as_f64().and_then(|d| Number::from_f64(d * k as f64)) {
            agree_multiple(&divisor, &product);
        }
    }
}

/// A JSON value from a small pool of leaves (numeric forms of the same
/// values, strings, literals), nested, so that equal values turn up often.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop::sample::select(vec![
        json!(0),
        json!(-0.0),
        json!(0.0),
        json!(1),
        json!(1.0),
        json!(-1),
        json!(2.5),
        json!(9_007_199_254_740_993_u64),
        json!(9_007_199_254_740_992.0),
        json!("a"),
        json!(""),
        json!(true),
        json!(null),
    ]);
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(vec!["a", "b"]), inner, 0..3)
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_const_and_unique_items(a in json_value(), b in json_value(), items in prop::collection::vec(json_value(), 0..24)) {
        prop_assert_eq!(eq::equal(&b, &a), validator(&json!({ "const": a })).is_valid(&b));
        prop_assert_eq!(eq::all_unique(&items), validator(&json!({"uniqueItems": true})).is_valid(&json!(items)));
    }
}
