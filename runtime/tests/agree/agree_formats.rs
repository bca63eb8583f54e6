//! Each format check against jsonschema's, on hand-written edge cases and
//! generated strings.

use proptest::prelude::*;
use serde_json::json;

use super::{email, formats, uri, validator};

/// A format, its check here, and jsonschema's validator for it.
fn check(format: &str) -> (fn(&str) -> bool, jsonschema::Validator) {
    let ours: fn(&str) -> bool = match format {
        "date" => formats::is_valid_date,
        "time" => formats::is_valid_time,
        "date-time" => formats::is_valid_date_time,
        "uuid" => formats::is_valid_uuid,
        "ipv4" => formats::is_valid_ipv4,
        "ipv6" => formats::is_valid_ipv6,
        "email" => email::is_valid_email,
        "uri" => uri::is_valid_uri,
        _ => unreachable!("{format}"),
    };
    (ours, validator(&json!({"format": format})))
}

/// Asserts agreement on every case; returns how many jsonschema accepted.
fn agree(format: &str, cases: &[&str]) -> usize {
    let (ours, theirs) = check(format);
    let mut accepted = 0;
    for case in cases {
        let expected = theirs.is_valid(&json!(case));
        assert_eq!(ours(case), expected, "format {format}: {case:?}");
        accepted += usize::from(expected);
    }
    accepted
}

/// Strings built from `pieces`, to stress a format's grammar.
fn spliced(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..12).prop_map(|parts| parts.concat())
}

const DATES: &[&str] = &[
    "2020-02-29",
    "2019-02-29",
    "2000-02-29",
    "1900-02-29",
    "2021-04-31",
    "2021-04-30",
    "2021-12-31",
    "2021-13-01",
    "2021-00-10",
    "2021-01-00",
    "0000-01-01",
    "9999-12-31",
    "2021-1-01",
    "2021-01-1",
    "20210101",
    "2021/01/01",
    "2021-01-01 ",
    " 2021-01-01",
    "2021-01-0a",
    "٢٠٢١-01-01",
    "2021-01-01T",
    "",
    "2021-01-32",
    "２０２１-01-01",
    "2021-0:-01",
    "2021-0/-01",
    "202\u{0}-01-01",
];

const TIMES: &[&str] = &[
    "23:59:60Z",
    "23:59:60z",
    "23:58:60Z",
    "22:59:60Z",
    "15:59:60-08:00",
    "00:59:60+01:00",
    "23:59:60+00:00",
    "23:59:60-00:30",
    "23:29:60-00:30",
    "23:29:60+00:30",
    "12:00:00",
    "12:00:00Z",
    "12:00:00.Z",
    "12:00:00.5Z",
    "12:00:00.123456789123Z",
    "24:00:00Z",
    "12:60:00Z",
    "12:00:61Z",
    "12:00:00+24:00",
    "12:00:00+23:59",
    "12:00:00+23:60",
    "12:00:00+0100",
    "12:00:00+01",
    "12:00:00 Z",
    "1:00:00Z",
    "12:00:00ZZ",
    "12:00:00+01:00Z",
    "12:00:00-00:00",
    "12:00:00.1+01:00",
    "",
    "00:00:60+23:59",
    "23:59:60-23:59",
];

const DATE_TIMES: &[&str] = &[
    "1998-12-31T23:59:60Z",
    "1998-12-31T15:59:60-08:00",
    "1998-12-31T23:58:60Z",
    "2017-08-14t23:20:57z",
    "2017-08-14 23:20:57Z",
    "2017-08-14T23:20:57",
    "2017-02-30T00:00:00Z",
    "2017-08-14T23:20:57.961+02:00",
    "2017-08-14TT23:20:57Z",
    "T23:20:57Z",
    "2017-08-14T",
    "0000-01-01T00:00:00Z",
    "2017-08-14T23:20:57+2:00",
];

const UUIDS: &[&str] = &[
    "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
    "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
    "2eb8aa08aa9811eab4aa73b441d16380",
    "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
    "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
    "2eb8aa08-aa98-11ea-b4aa-73b441d163800",
    "2eb8aa0-8aa98-11ea-b4aa-73b441d16380",
    "2eb8aa08-aa98-11ea-b4aa-73b441d1638g",
    "00000000-0000-0000-0000-000000000000",
    "urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380",
    "2eb8aa08-aa98-11ea-b4aa_73b441d16380",
    "2eb8aa08-aa98-11ea-b4aa-73b441d1638é",
];

const IPS: &[&str] = &[
    "127.0.0.1",
    "255.255.255.255",
    "256.0.0.1",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.5",
    "0.0.0.0",
    " 1.2.3.4",
    "1.2.3.4\n",
    "::",
    "::1",
    "1::",
    "fe80::1%eth0",
    "2001:db8::ff00:42:8329",
    "::ffff:1.2.3.4",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "12345::",
    "::ffff:1.2.3",
    "[::1]",
    "١.٢.٣.٤",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "",
    "::1.2.3.04",
];

const EMAILS: &[&str] = &[
    "joe.bloggs@example.com",
    "joe@localhost",
    "\"\"@example.com",
    "\"joe bloggs\"@example.com",
    "joe..bloggs@example.com",
    ".joe@example.com",
    "joe.@example.com",
    "joe@[127.0.0.1]",
    "joe@[IPv6:::1]",
    "joe@[ipv6:::1]",
    "joe@[IPv6:1.2.3.4]",
    "joe@[300.0.0.1]",
    "joe@-example.com",
    "joe@example-.com",
    "joe@ex_ample.com",
    "joe@example.com.",
    "joé@example.com",
    "joe@exämple.com",
    "joe@xn--exmple-cua.com",
    "joe@xn--a.com",
    "joe@ab--cd.com",
    "joe@xn--.com",
    "@example.com",
    "joe@",
    "joe",
    "a@b",
    "\"a\\\"b\"@example.com",
    "te~st@example.com",
    "joe@123.123.123.123",
    "joe@example..com",
    "\"é\"@example.com",
    "joe@[IPv6:2001:db8::1]",
    "joe@[ipv4:1.2.3.4]",
    "joe@a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z",
    "joe@xn--bcher-kva.example",
];

const URIS: &[&str] = &[
    "http://example.com/a/b?c=d#e",
    "http://[::1]:80/",
    "http://[v1.fe]/",
    "http://[::1/",
    "http://[1.2.3.4]/",
    "http://[fe80::1%25eth0]/",
    "urn:isbn:0451450523",
    "mailto:joe@example.com",
    "//example.com",
    "/a/b",
    "a:b",
    "1a:b",
    "http://exa mple.com",
    "http://example.com/%zz",
    "http://example.com/%2F",
    "http:",
    "http://user:pass@host:8080/p",
    "http://host:port/",
    "http://a@b@c/",
    "file:///etc/hosts",
    "HTTP://EXAMPLE.COM",
    "http://example.com/ä",
    "http://example.com/?q=ä",
    "http:\\\\example.com",
    "http://[::1]x/",
    "http://[::1]]/",
    "a+b-c.d:e",
    "",
    "#frag",
    "http://example.com#a#b",
    "http://[2001:db8::7]/c=GB?objectClass?one",
    "ldap://[2001:db8::7]/c=GB?objectClass?one",
    "news:comp.infosystems.www.servers.unix",
    "tel:+1-816-555-1212",
    "http://host/%",
];

#[test]
fn dates_times_and_date_times() {
    assert!(agree("date", DATES) > 3);
    assert!(agree("time", TIMES) > 10);
    assert!(agree("date-time", DATE_TIMES) > 3);
    // The time cases also serve after a date.
    let joined: Vec<String> = TIMES.iter().map(|t| format!("1998-12-31T{t}")).collect();
    agree(
        "date-time",
        &joined.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn uuids_and_ip_addresses() {
    assert!(agree("uuid", UUIDS) >= 3);
    assert!(agree("ipv4", IPS) >= 3);
    assert!(agree("ipv6", IPS) >= 5);
}

#[test]
fn emails() {
    assert!(agree("email", EMAILS) > 10);
}

#[test]
fn uris() {
    assert!(agree("uri", URIS) > 10);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_dates_and_times(text in spliced(&["19", "98", "2", "-", "12", "31", "29", "02", "T", "t", ":", "59", "60", "23", "00", "Z", "+", "08", ".", "5", " ", "é"])) {
        for format in ["date", "time", "date-time"] {
            agree(format, &[&text]);
        }
    }

    #[test]
    fn generated_uuids_and_ips(text in spliced(&["2eb8", "aa08", "-", "AA", "g", ":", "::", ".", "1", "255", "01", "ffff", "%", "[", "]"])) {
        for format in ["uuid", "ipv4", "ipv6"] {
            agree(format, &[&text]);
        }
    }

    #[test]
    fn generated_emails(text in spliced(&["joe", "@", ".", "\"", "\\", " ", "[", "]", "IPv6:", "::1", "1.2.3.4", "-", "xn--", "bcher-kva", "é", "com", "a", "_", "~", "(", ")"])) {
        agree("email", &[&text]);
    }

    #[test]
    fn generated_uris(text in spliced(&["http", "a", ":", "//", "/", "?", "#", "@", "[", "]", "::1", "v1.x", "%", "25", "zz", "é", " ", "80", "+", "1", "."])) {
        agree("uri", &[&text]);
    }
}

/// A date-time near the grammar's edges: every field one past its range,
/// `T`/`t`/space, fractions, `Z`/`z` and offsets up to 24 hours.
fn near_rfc3339() -> impl Strategy<Value = String> {
    let date =
        (0_u32..10_000, 0_u32..14, 0_u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let time =
        (0_u32..25, 0_u32..61, 0_u32..62).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"));
    let fraction = prop::sample::select(vec!["", ".5", ".123456789123", ".", ",5"]);
    let separator = prop::sample::select(vec!["T", "t", " ", "TT"]);
    let offset = prop_oneof![
        prop::sample::select(vec!["Z", "z", "", "+0100", "+01"]).prop_map(str::to_owned),
        (prop::sample::select(vec!["+", "-"]), 0_u32..25, 0_u32..61)
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
    ];
    (date, separator, time, fraction, offset)
        .prop_map(|(d, sep, t, f, o)| format!("{d}{sep}{t}{f}{o}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// `Timestamp` accepts exactly what the rule (jsonschema's verdict)
    /// accepts: chrono parses every such string, so it never narrows the rule.
    #[test]
    fn the_timestamp_takes_exactly_what_the_rule_accepts(text in near_rfc3339()) {
        let valid = formats::is_valid_date_time(&text);
        static DATE_TIME: std::sync::LazyLock<jsonschema::Validator> =
            std::sync::LazyLock::new(|| validator(&json!({"format": "date-time"})));
        prop_assert_eq!(valid, DATE_TIME.is_valid(&json!(text)), "{}", text);
        let parsed = aperture_events_runtime::Timestamp::parse(&text);
        prop_assert_eq!(parsed.is_some(), valid, "{}", text);
        // The value is the one chrono's parser gives, offset included.
        if let Some(parsed) = parsed {
            let chrono = chrono::DateTime::parse_from_rfc3339(&text).expect("chrono parses what the rule accepts");
            prop_assert_eq!(parsed.value(), chrono, "{}", text);
            prop_assert_eq!(*parsed.value().offset(), *chrono.offset(), "{}", text);
            prop_assert_eq!(parsed.value().to_rfc3339(), chrono.to_rfc3339(), "{}", text);
        }
    }
}
