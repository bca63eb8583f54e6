//! The formats added for issue 24 (`regex`, `uri-reference`, `iri`,
//! `iri-reference`, `hostname` in both of jsonschema's readings,
//! `idn-hostname`, `idn-email`, `duration`,
//! `json-pointer`, `relative-json-pointer`, `uri-template`) against
//! jsonschema's verdict, on hand-written edge cases and generated strings.

use proptest::prelude::*;
use serde_json::json;

use super::{formats, hostname, idn, pattern, uri};

/// A format's check here, and jsonschema's validator for it under `draft`.
fn check(format: &str, draft: jsonschema::Draft) -> (fn(&str) -> bool, jsonschema::Validator) {
    let ours: fn(&str) -> bool = match format {
        "regex" => pattern::is_valid_regex,
        "uri-reference" => uri::is_valid_uri_reference,
        "iri" => uri::is_valid_iri,
        "iri-reference" => uri::is_valid_iri_reference,
        "hostname" if draft <= jsonschema::Draft::Draft6 => formats::is_valid_hostname_rfc1034,
        "hostname" => hostname::is_valid_hostname,
        "idn-hostname" => idn::is_valid_idn_hostname,
        "idn-email" => idn::is_valid_idn_email,
        "duration" => formats::is_valid_duration,
        "json-pointer" => formats::is_valid_json_pointer,
        "relative-json-pointer" => formats::is_valid_relative_json_pointer,
        "uri-template" => formats::is_valid_uri_template,
        _ => unreachable!("{format}"),
    };
    let theirs = jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&json!({"format": format}))
        .expect("a valid schema");
    (ours, theirs)
}

/// Asserts agreement under `draft` on every case; returns how many jsonschema accepted.
fn agree_in(draft: jsonschema::Draft, format: &str, cases: &[&str]) -> usize {
    let (ours, theirs) = check(format, draft);
    let mut accepted = 0;
    for case in cases {
        let expected = theirs.is_valid(&json!(case));
        assert_eq!(
            ours(case),
            expected,
            "format {format} ({draft:?}): {case:?}"
        );
        accepted += usize::from(expected);
    }
    accepted
}

/// Asserts agreement under 2020-12, and that jsonschema accepted some and refused some.
fn agree(format: &str, cases: &[&str]) {
    let accepted = agree_in(jsonschema::Draft::Draft202012, format, cases);
    assert!(
        accepted > 2 && accepted + 2 < cases.len(),
        "{format}: {accepted} of {} accepted: the cases should cover both verdicts",
        cases.len()
    );
}

/// Strings built from `pieces`, to stress a format's grammar.
fn spliced(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..12).prop_map(|parts| parts.concat())
}

const REGEXES: &[&str] = &[
    "",
    "^a+$",
    "[a-z]{2,3}",
    "a{3,2}",
    "(?<name>x)\\k<name>",
    "(?<a>x)|(?<a>y)",
    "(?<a>x)(?<a>y)",
    "(?i)abc",
    "(?=a)b",
    "(?<=a)b",
    "(?<!a)b",
    "\\p{L}+",
    "\\p{Letter}",
    "\\p{Script=Greek}",
    "\\p{Nope}",
    "\\P{Lu}",
    "\\d\\w\\s\\D\\W\\S\\b\\B",
    "\\Z",
    "\\A",
    "\\a",
    "\\cA",
    "\\c",
    "\\x41",
    "\\x4",
    "\\u0041",
    "\\u{1F600}",
    "\\u{110000}",
    "\\0",
    "\\1",
    "(a)\\1",
    "\\/",
    "\\-",
    "[\\-]",
    "[z-a]",
    "[\\d-z]",
    "[]",
    "[^]",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "a{",
    "a{1",
    "x{1}{2}",
    "a**",
    "a+?",
    "a??",
    "*a",
    "+",
    "?",
    "^*",
    "$+",
    "(?:a|b)*",
    "(?",
    "(?P<n>a)",
    "a|",
    "|",
    "\\",
    "é+",
    "\u{0}",
    "[\\b]",
    "\\k<nope>",
    "\\k",
    "(?<1a>x)",
    ".*\\.json$",
    "^[^/]+/[^/]+$",
    "^(?!.*\\.\\.)[a-z.]+$",
];

const URI_REFERENCES: &[&str] = &[
    "",
    "#",
    "#frag",
    "#fr ag",
    "/path",
    "//host",
    "//host:80/p",
    "//host:8a/p",
    "//user@host",
    "//[::1]/a",
    "//[::1",
    "//[v1.x]/",
    "//[vz.x]/",
    "//[::1]:80",
    "//[1.2.3.4]",
    "a:b",
    "a:b:c",
    "1a:b",
    "./a:b",
    "a/b:c",
    "?q",
    "?q#f",
    "%",
    "%2",
    "%25",
    "%zz",
    "a b",
    "é",
    "\\\\WINDOWS\\fileshare",
    "abc",
    "http://example.com/a?b#c",
    "http://ex ample.com",
    "mailto:a@b",
    "urn:isbn:0451450523",
    "../a/./b",
    "a#b#c",
    "a?b?c",
    "[",
    "]",
    "a[",
    "http://[::1]x/",
    "http://a@b@c",
    "http://a:b@c",
    "{",
    "`",
    "^",
    "|",
    "\"",
];

const IRIS: &[&str] = &[
    "http://ƒøø.ßår/?∂éœ=πîx#πîüx",
    "http://ƒøø.com/blah_(wîkïpédiå)_blah#ßité-1",
    "http://➡.ws/䨹",
    "http://example.com/\u{A0}",
    "http://example.com/\u{E000}",
    "http://example.com/?\u{E000}",
    "http://example.com/\u{FFFF}",
    "http://[::1]/",
    "http://[:::1]/",
    "http://[2001:0db8:85a3:0000:0000:8a2e:0370:7334]",
    "http://2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "/abc",
    "//ƒøø.ßår/",
    "#ƒrägmênt",
    "\\\\WINDOWS\\filëßåré",
    "#ƒräg\\mênt",
    "ƒøø",
    "a:b",
    "",
    "http://a b",
    "http://é%zz",
    "http://é%C3%A9",
    "é:b",
    "http://example.com/\u{7F}",
    "http://example.com/\u{80}",
    "http://example.com/\u{202E}",
    "http://example.com/\u{1F600}",
    "mailto:é@x",
];

const HOSTNAMES: &[&str] = &[
    "www.example.com",
    "xn--4gbwdl.xn--wgbh1c",
    "xn--bcher-kva.example",
    "xn--bcher-kvab.example",
    "xn--",
    "xn---",
    "xn--a",
    "xn--zca",
    "xn--ls8h",
    "xn--4ca9at",
    "XN--BCHER-KVA.example",
    "ab--cd",
    "a.b--c",
    "-a",
    "a-",
    "a.-b",
    "a",
    "1",
    "123.456",
    "a.",
    ".a",
    "a..b",
    "",
    "a_b",
    "ex ample",
    "éxample.com",
    "a.b.c.d.e",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    "xn--l-fda.com",
    "xn--0ca",
    "xn--wgv71a119e",
    "xn--ihqwcrb4cv8a8dqg056pqjye",
    "xn--chq89f",
    "xn--hxa3aa",
    "xn--5ca",
    "xn--mgba3gch31f",
];

const IDN_HOSTNAMES: &[&str] = &[
    "실례.테스트",
    "〮실례.테스트",
    "실〮례.테스트",
    "-> $1.00 <--",
    "xn--ihqwcrb4cv8a8dqg056pqjye",
    "xn--X",
    "XN--aa---o47jg78q",
    "-hello",
    "hello-",
    "ヘ-ヘ",
    "l·l",
    "a·l",
    "·l",
    "ΑΒΓ͵ΔΕ",
    "α͵S",
    "α͵β",
    "A׳ב",
    "׳ב",
    "א׳ב",
    "A״ב",
    "א״ב",
    "def・abc",
    "・",
    "・ぁ",
    "・ァ",
    "・丈",
    "ب٠ب",
    "ب٠۰",
    "۰٠",
    "ب۰ب",
    "क्\u{200D}ष",
    "\u{200D}ष",
    "क\u{200C}ष",
    "ب\u{200C}ي",
    "\u{0300}hello",
    "\u{0488}hello",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
    "example.com",
    "example.",
    "。",
    "．example",
    "",
    "a_b",
    "münchen.de",
    "MÜNCHEN.DE",
    "xn--mnchen-3ya.de",
    "xn--mnchen-3yb.de",
    "ß.de",
    "ﬀ.de",
    "\u{FFFD}.de",
    "a\u{00AD}b.de",
    "😀.de",
];

const IDN_EMAILS: &[&str] = &[
    "실례@실례.테스트",
    "2962",
    "joe.bloggs@example.com",
    "\"joe bloggs\"@example.com",
    "\"joé\"@example.com",
    "joé@example.com",
    "joe@exämple.com",
    "joe@[127.0.0.1]",
    "joe@[IPv6:::1]",
    "joe@[ipv6:::1]",
    "joe@[::1]",
    "\"\"@example.com",
    "joe@-example.com",
    "joe@ex_ample.com",
    ".joe@example.com",
    "joe.@example.com",
    "jo..e@example.com",
    "joe@",
    "@example.com",
    "joe@example",
    "joe@@example.com",
    "jo@e@example.com",
    "\"jo@e\"@example.com",
    "\"é@e\"@ex.com",
    "é@ex@ex.com",
    "joe@xn--mnchen-3ya.de",
    "joe@xn--mnchen-3yb.de",
];

const DURATIONS: &[&str] = &[
    "P4DT12H30M5S",
    "PT1H",
    "PT1M",
    "PT1S",
    "P1Y",
    "P1M",
    "P1W",
    "P1D",
    "P2W1D",
    "P1WT1H",
    "P1Y2M3D",
    "P1Y3D",
    "PT1H3S",
    "PT1H2M3S",
    "P",
    "PT",
    "P1",
    "PT1",
    "P1DT",
    "P1.5D",
    "PT0.5S",
    "p1d",
    "P1D1D",
    "P1M1Y",
    "PT1S1M",
    "P1T1H",
    "PTT1H",
    "P1DT1H1M1S",
    "P٢Y",
    "P1YT",
    "1D",
    "",
    "P-1D",
    "P99999999999999999999D",
];

const POINTERS: &[&str] = &[
    "", "/", "/foo", "/foo/0", "/a~0b", "/a~1b", "/a~2b", "/a~", "~", "foo", "#/a", "//", "/ ",
    "/é", "/~01", "/~10", "/a/~", "0", "1", "0#", "1#", "0##", "0/a", "01/a", "10/a", "-1/a",
    "1/a~", "1/a~1", "+1/a", "0 /a", "12#/a", "\u{0}", "/\u{0}", "/a\u{7F}",
];

const URI_TEMPLATES: &[&str] = &[
    "",
    "http://example.com/{term:1}/{term}/{test*}/foo{?query,number}",
    "http://example.com/dictionary/{term:1}/{term}",
    "http://example.com/dictionary/{term:1}/{term",
    "dictionary/{term:1}/{term}",
    "{",
    "}",
    "{}",
    "{a}",
    "{+a}",
    "{#a,b}",
    "{.a}",
    "{/a*}",
    "{;a:3}",
    "{?a:0}",
    "{?a:10000}",
    "{?a:9999}",
    "{&a.b}",
    "{a..b}",
    "{.a.}",
    "{=a}",
    "{,a}",
    "{!a}",
    "{@a}",
    "{|a}",
    "{$a}",
    "{a,}",
    "{a b}",
    "{%41}",
    "{%4}",
    "%41",
    "%4",
    "%",
    "a b",
    "a'b",
    "a\"b",
    "<a>",
    "a\\b",
    "a^b",
    "a`b",
    "a|b",
    "é",
    "{é}",
    "{a}{b}",
    "{a}}",
    "{{a}",
    "{a*:3}",
    "{a:3*}",
];

#[test]
fn regexes() {
    agree("regex", REGEXES);
    // jsonschema asserts `regex` in every draft.
    agree_in(jsonschema::Draft::Draft4, "regex", REGEXES);
}

#[test]
fn uri_references_and_iris() {
    agree("uri-reference", URI_REFERENCES);
    agree_in(jsonschema::Draft::Draft6, "uri-reference", URI_REFERENCES);
    // The URI cases hold for IRIs too, and the IRI cases for URI references.
    let cases: Vec<&str> = URI_REFERENCES.iter().chain(IRIS).copied().collect();
    agree("uri-reference", &cases);
    agree("iri", &cases);
    agree("iri-reference", &cases);
}

#[test]
fn hostnames_in_both_readings() {
    agree("hostname", HOSTNAMES);
    let accepted = agree_in(jsonschema::Draft::Draft6, "hostname", HOSTNAMES);
    assert!(accepted > 5);
    agree_in(jsonschema::Draft::Draft4, "hostname", HOSTNAMES);
    agree_in(jsonschema::Draft::Draft7, "hostname", HOSTNAMES);
}

#[test]
fn idn_hostnames_and_emails() {
    agree("idn-hostname", IDN_HOSTNAMES);
    agree_in(jsonschema::Draft::Draft7, "idn-hostname", IDN_HOSTNAMES);
    // Every hostname case is an IDN hostname case too.
    agree("idn-hostname", HOSTNAMES);
    agree("idn-email", IDN_EMAILS);
    agree_in(jsonschema::Draft::Draft4, "idn-email", IDN_EMAILS);
}

#[test]
fn durations() {
    agree("duration", DURATIONS);
}

#[test]
fn json_pointers() {
    agree("json-pointer", POINTERS);
    agree("relative-json-pointer", POINTERS);
}

#[test]
fn uri_templates() {
    agree("uri-template", URI_TEMPLATES);
}

/// Whether `format` asserts under `draft`, each checked against jsonschema on `text`.
fn agree_everywhere(format: &str, text: &str) {
    for draft in [jsonschema::Draft::Draft6, jsonschema::Draft::Draft202012] {
        agree_in(draft, format, &[text]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn generated_regexes(text in spliced(&["a", "(", ")", "(?", "<", ">", "=", "!", ":", "[", "]", "^", "-", "{", "}", "1", ",", "*", "+", "?", "|", "\\", "d", "p", "u", "k", "c", "x", "é", "$", "."])) {
        agree_everywhere("regex", &text);
    }

    #[test]
    fn generated_uri_and_iri_references(text in spliced(&["http", "a", ":", "//", "/", "?", "#", "@", "[", "]", "::1", "v1.x", "%", "25", "zz", "é", "\u{E000}", "\u{FFFF}", " ", "80", "+", "1", ".", "{", "\\"])) {
        agree_everywhere("uri-reference", &text);
        agree_in(jsonschema::Draft::Draft7, "iri", &[&text]);
        agree_in(jsonschema::Draft::Draft7, "iri-reference", &[&text]);
    }

    #[test]
    fn generated_hostnames(text in spliced(&["xn--", "a", "b", "-", "--", ".", "bcher-kva", "zca", "ls8h", "1", "é", "_", "4gbwdl", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])) {
        agree_in(jsonschema::Draft::Draft4, "hostname", &[&text]);
        agree_everywhere("hostname", &text);
    }

    #[test]
    fn generated_idn_hostnames_and_emails(text in spliced(&["xn--", "a", "-", ".", "。", "bcher-kva", "é", "ü", "ß", "·", "l", "׳", "ב", "・", "ぁ", "٠", "۰", "\u{200D}", "\u{200C}", "्", "\u{0300}", "_", "@", "\"", "[", "]", "1.2.3.4", "IPv6:", "::1"])) {
        agree_in(jsonschema::Draft::Draft7, "idn-hostname", &[&text]);
        agree_everywhere("idn-email", &text);
    }

    #[test]
    fn generated_durations(text in spliced(&["P", "T", "1", "12", "Y", "M", "W", "D", "H", "S", ".", "-", "p"])) {
        agree_in(jsonschema::Draft::Draft201909, "duration", &[&text]);
    }

    #[test]
    fn generated_pointers(text in spliced(&["/", "~", "0", "1", "2", "#", "a", "é", " ", "-", "\u{0}"])) {
        agree_in(jsonschema::Draft::Draft7, "json-pointer", &[&text]);
        agree_in(jsonschema::Draft::Draft7, "relative-json-pointer", &[&text]);
    }

    #[test]
    fn generated_uri_templates(text in spliced(&["{", "}", "a", "+", "#", ".", "/", ";", "?", "&", ",", ":", "*", "3", "0", "%", "41", "é", " ", "'", "\""])) {
        agree_everywhere("uri-template", &text);
    }
}
