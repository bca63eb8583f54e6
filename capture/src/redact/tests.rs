use base64::Engine;

use super::*;

const ID: &str = "CANARYID";
const SECRET: &str = "S3cr3t/CANARY+xyz";

fn redactor() -> Redactor {
    let r = Redactor::new();
    r.add_client(ID, SECRET);
    r
}

/// Every spelling a hostile server was seen to use, and a few more.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    let json = json.trim_matches('"').to_owned();
    let url: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let all_u: String = secret
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let all_pct: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
    vec![
        secret.to_owned(),
        json.clone(),
        json.replace('/', "\\/"),
        url.clone(),
        all_u,
        all_pct.to_lowercase(),
        all_pct,
    ]
}

#[test]
fn every_form_of_the_secret_and_basic_value_is_redacted() {
    let r = redactor();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{SECRET}"));
    assert_eq!(basic, "Q0FOQVJZSUQ6UzNjcjN0L0NBTkFSWSt4eXo=");
    for value in [
        SECRET.to_owned(),
        basic.clone(),
        basic.trim_end_matches('=').to_owned(),
    ] {
        for form in forms(&value) {
            let text = format!("{{\"echo\":\"Authorization: Basic {form}\"}}");
            let out = r.clean(&text);
            assert!(out.contains(MASK), "{form} -> {out}");
            for f in forms(&value) {
                assert!(!out.contains(&f), "{form} -> {out}");
            }
            assert!(
                !out.contains("S3cr3t") && !out.contains("UzNjcjN0"),
                "{out}"
            );
        }
    }
}

#[test]
fn tokens_added_later_are_redacted() {
    let r = redactor();
    assert_eq!(r.clean("Bearer tok-123456"), "Bearer tok-123456");
    r.add("tok-123456");
    assert_eq!(r.clean("Bearer tok-123456."), "Bearer ***.");
}

#[test]
fn a_cut_at_any_offset_leaves_no_recognisable_prefix() {
    let r = redactor();
    r.add("tok-ABCDEFGHIJKLMNOP");
    for secret in [SECRET, "tok-ABCDEFGHIJKLMNOP"] {
        for form in forms(secret) {
            for pad in 0..=200 {
                let body = format!("{}{form}{}", "x".repeat(pad), "y".repeat(50));
                let out = r.excerpt(body.as_bytes(), 200);
                assert!(out.chars().count() <= 201, "{out}");
                for len in MIN_PREFIX..=secret.len() {
                    let prefix: String = secret.chars().take(len).collect();
                    for f in forms(&prefix) {
                        assert!(!out.contains(&f), "pad {pad}, {form}: {out}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_truncated_secret_sent_by_the_server_is_hidden_at_the_cut() {
    let r = redactor();
    let body = format!("{}S3cr3t/CANARY+xy", "a".repeat(190));
    let out = r.excerpt(body.as_bytes(), 200);
    assert_eq!(out, format!("{}***…", "a".repeat(190)));
}

#[test]
fn control_characters_are_escaped() {
    let r = Redactor::new();
    assert_eq!(
        r.clean("a\u{1b}[2J\u{1b}]0;pwned\u{7}b\r\n\u{202e}c"),
        "a\\u{1b}[2J\\u{1b}]0;pwned\\u{7}b\\u{d}\\u{a}\\u{202e}c"
    );
    assert_eq!(
        r.clean_report("\u{1b}[1mtitle\u{1b}[0m\nx\u{1b}[2Jy", true),
        "\u{1b}[1mtitle\u{1b}[0m\nx\\u{1b}[2Jy"
    );
    assert_eq!(r.clean_report("\u{1b}[1mt", false), "\\u{1b}[1mt");
}

#[test]
fn excerpts_are_bounded_and_trimmed() {
    let r = Redactor::new();
    assert_eq!(r.excerpt(b"  short \n", 10), "short");
    assert_eq!(r.excerpt("ééééé".as_bytes(), 3), "ééé…");
    let huge = vec![b'z'; WINDOW * 2];
    assert_eq!(r.excerpt(&huge, 5), "zzzzz…");
}

#[test]
fn redacting_twice_changes_nothing() {
    let r = redactor();
    let once = r.clean(&format!("x {SECRET} \u{1b} y"));
    assert_eq!(r.clean(&once), once);
}
