//! The masks' unit tests.

use super::*;
use serde_json::json;

#[test]
fn printable_text_has_no_hidden_character() {
    assert_eq!(printable("remoteAddress", 100), "remoteAddress");
    assert_eq!(
        printable("\u{1b}[2J\r\nok: every record", 100),
        "\\u001b[2J\\u000d\\u000aok: every record"
    );
    assert_eq!(
        printable("a\u{ffff}\u{fffe}b\u{202e}", 100),
        "a\\uffff\\ufffeb\\u202e"
    );
    assert_eq!(printable("\u{10ffff}", 100), "\\u{10ffff}");
    assert_eq!(printable("abcdef", 3), "abc…");
    assert_eq!(printable("\u{7f}\u{85}", 1), "\\u007f…");
    assert_eq!(printable("é", 1), "é");
}

#[test]
fn categories_are_shown_and_personal_data_masked() {
    let vocabulary: Vec<String> = ["Admin", "Quarantine", "Alerted"]
        .map(str::to_owned)
        .to_vec();
    for shown in [
        "grayware",
        "dlp_scan",
        "remoteAddress",
        "EXTERNAL",
        "v2",
        "Alerted Quarantine",
        "admin quarantine",
    ] {
        assert!(looks_like_category(shown, &vocabulary), "{shown}");
    }
    for masked in [
        "jane.doe@example.com",
        "Jane Doe",
        "https://x.example/a",
        "/home/jane/salaries.xlsx",
        "5eb5ed492021c32b37588a6c",
        "4111111111111111",
        "Jürgen",
        "",
        " admin",
        "admin  Quarantine",
        "a_very_long_made_up_category_name_x",
        "\u{1b}[2J",
    ] {
        assert!(!looks_like_category(masked, &vocabulary), "{masked}");
    }
    assert_eq!(
        category::<40>("jane.doe@example.com", &vocabulary, false),
        "(masked: 20 characters)"
    );
    assert_eq!(
        category::<40>("jane.doe@example.com", &vocabulary, true),
        "jane.doe@example.com"
    );
    assert_eq!(category::<40>("grayware", &vocabulary, false), "grayware");
    assert_eq!(category::<40>("\u{1b}x", &[], true), "\\u001bx");
}

#[test]
fn texts_are_printable_however_they_are_built() {
    let raw = "\u{1b}[2J\r\nok\u{7}";
    assert_eq!(Text::<100>::new(raw), "\\u001b[2J\\u000d\\u000aok\\u0007");
    assert_eq!(Text::<100>::kept(raw), Text::<100>::new(raw));
    assert_eq!(Text::<3>::new("abcdef"), "abc…");
    // What a run wrote reads back as itself, escapes included.
    let shown = Text::<3>::new("\u{1b}\u{1b}\u{1b}\u{1b}");
    assert_eq!(shown, "\\u001b\\u001b\\u001b…");
    assert_eq!(Text::<3>::kept(&shown), shown);
    // Longer than a run writes: cut as a run cuts.
    let long = "a".repeat(Text::<3>::LONGEST + 1);
    assert_eq!(Text::<3>::kept(&long), "aaa…");
    let read: Text<3> = serde_json::from_str("\"x\\u0007yz\"").unwrap();
    assert_eq!(read, "x\\u0007y…");
}

#[test]
fn masked_descriptions_never_contain_the_value() {
    assert_eq!(
        describe(&json!("jane.doe@example.com"), false),
        "a string of 20 characters"
    );
    assert_eq!(describe(&json!("é"), false), "a string of 1 character");
    assert_eq!(describe(&json!(""), false), "an empty string");
    assert_eq!(describe(&json!(7), false), "an integer");
    assert_eq!(describe(&json!(2.5), false), "a number with a fraction");
    assert_eq!(describe(&json!(7.0), false), "an integer");
    assert_eq!(describe(&json!(["a", "b"]), false), "an array of 2 items");
    assert_eq!(describe(&json!({"a": 1}), false), "an object with 1 field");
    assert_eq!(describe(&json!(null), false), "null");
}

#[test]
fn shown_values_are_json_and_truncated() {
    assert_eq!(describe(&json!("x"), true), "\"x\"");
    let long = "a".repeat(200);
    let shown = describe(&json!(long), true);
    assert_eq!(shown.chars().count(), MAX_SHOWN + 1);
    assert!(shown.ends_with('…'));
}

#[test]
fn integral_floats_are_integers() {
    // `Doc::type_name` names a value's type for the masks and quirks.
    let arena = bumpalo::Bump::new();
    let type_name = |text: &str| {
        let doc = crate::parse::parse(text.as_bytes(), &arena).unwrap();
        doc.type_name()
    };
    assert_eq!(type_name("1.0"), "integer");
    assert_eq!(type_name("1.5"), "number");
}
