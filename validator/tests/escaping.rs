//! Whatever a payload holds, every output format stays well-formed and free
//! of raw control characters: a property test over keys, values and
//! `log_type`s made of control characters, markup and separators.
//!
//! Each generated case is observed in the tolerant and the strict reading,
//! with and without `--show-values`, and rendered in the four formats: the
//! text must hold no control character but its line breaks (and, in JSON,
//! every string escapes them), the JSON must parse, every GitHub line must be
//! one workflow command or the summary, and the JUnit XML must parse (with
//! roxmltree, an XML 1.0 parser that refuses what XML forbids).

use aperture_events_validator::{Locus, Options, Place, Reading, Report, Tally, Validator, render};
use proptest::prelude::*;

/// Text mixing the characters that break outputs with ordinary ones.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{1b}[2J",
        "\r\n",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{7}",
        "\u{7f}",
        "\u{85}",
        "\u{9b}",
        "\u{ffff}",
        "\u{fffe}",
        "\u{202e}",
        "\u{2028}",
        "\u{feff}",
        "\u{1fffe}",
        "<",
        ">",
        "&",
        "\"",
        "'",
        "%",
        ":",
        ",",
        "::",
        "]]>",
        "\\",
        "~",
        "/",
        "a",
        "é",
        "ok: every record is accepted",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|parts| parts.concat())
}

/// Whether `c` must never appear raw in an output (line breaks are the outputs' own).
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{202e}' | '\u{2028}')
}

/// The four validators (reading × show values), compiled once.
fn validators() -> &'static [Validator] {
    static ALL: std::sync::OnceLock<Vec<Validator>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        for reading in [Reading::Tolerant, Reading::Strict] {
            for show_values in [false, true] {
                let options = Options {
                    reading,
                    show_values,
                };
                all.push(Validator::embedded(options).expect("schemas"));
            }
        }
        all
    })
}

fn outputs(report: &Report) -> [(&'static str, String); 4] {
    let render = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut out = Vec::new();
        f(&mut out).expect("render");
        String::from_utf8(out).expect("UTF-8")
    };
    [
        (
            "text",
            render(&|out| render::text(report, out, &render::TextOptions::default())),
        ),
        ("json", render(&|out| render::json(report, out))),
        ("github", render(&|out| render::github(report, out, true))),
        ("junit", render(&|out| render::junit(report, out, true))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn outputs_parse_and_hold_no_raw_control_character(
        key in hostile(),
        value in hostile(),
        log_type in hostile(),
    ) {
        let json = |s: &str| serde_json::to_string(s).expect("escape");
        let events = [
            // An undocumented field, a category value and a string value.
            format!(
                r#"{{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", "incident_id": {v}, "exposure": {v}, {k}: {v}}}"#,
                k = json(&key),
                v = json(&value)
            ),
            // A value that breaks the schema (shown with --show-values).
            format!(r#"{{"log_type": "incident", "severity": {}}}"#, json(&value)),
            // An unknown type, and a repeated key.
            format!(r#"{{"log_type": {}}}"#, json(&log_type)),
            format!(r#"{{"log_type": "incident", {k}: 1, {k}: 2}}"#, k = json(&key)),
            // Not JSON, with the hostile text in it.
            format!("{{{key}"),
        ];
        for validator in validators() {
                let reading = validator.options().reading;
                let mut tally = Tally::new(reading);
                for (i, event) in events.iter().enumerate() {
                    let place = Place::new(format!("in{key}.ndjson"), Locus::at_line(i as u64 + 1));
                    tally.observe(validator, place, event.as_bytes());
                }
                tally.unreadable(&format!("un{value}readable"), format!("cannot read: {value}"));
                let report = tally.finish(validator);
                for (format, out) in outputs(&report) {
                    let raw: Vec<char> = out.chars().filter(|c| forbidden(*c)).collect();
                    prop_assert!(raw.is_empty(), "{} has {:?}: {}", format, raw, out);
                    match format {
                        "json" => {
                            let parsed: serde_json::Value = serde_json::from_str(&out)
                                .map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
                            prop_assert_eq!(&parsed["summary"]["total"], 5);
                        }
                        "junit" => {
                            roxmltree::Document::parse(&out)
                                .map_err(|e| TestCaseError::fail(format!("XML: {e}: {out}")))?;
                        }
                        "github" => {
                            let lines: Vec<&str> = out.lines().collect();
                            let (summary, commands) = lines.split_last().expect("lines");
                            prop_assert!(summary.starts_with("aperture-validate ("), "{}", summary);
                            for line in commands {
                                prop_assert!(line.starts_with("::"), "not a command: {}", line);
                            }
                        }
                        _ => {
                            let forged = out.lines().filter(|l| l.starts_with("ok:")).count();
                            prop_assert_eq!(forged, 0, "a forged verdict line: {}", out);
                        }
                    }
                }
        }
    }
}
