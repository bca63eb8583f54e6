//! `--format junit`: JUnit XML, which CI servers show as test results. Each
//! record not accepted is a failed test case; the accepted records are one
//! passing test case; drift is a test case that fails with `--fail-on-drift`.

use std::io::{self, Write};

use super::{count, finding_line};
use crate::report::Report;

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow (control characters other
            // than tab and line breaks, U+FFFE, U+FFFF) are written visibly.
            // Report texts have none left (`mask::printable`); this keeps the
            // document well-formed whatever a caller puts in a report.
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}') =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

struct Case {
    classname: String,
    name: String,
    failure: Option<(String, String, String)>,
    error: Option<String>,
    output: Option<String>,
}

/// Writes `report` as JUnit XML.
pub fn junit(report: &Report, out: &mut dyn Write, fail_on_drift: bool) -> io::Result<()> {
    let mut cases = Vec::new();
    for e in &report.errors {
        let details: Vec<String> = e
            .problems
            .iter()
            .map(|p| {
                let pointer = if p.pointer.is_empty() {
                    "(event)"
                } else {
                    &p.pointer
                };
                match &p.schema {
                    Some(schema) => format!("{pointer}: {} [{schema}]", p.message),
                    None => format!("{pointer}: {}", p.message),
                }
            })
            .collect();
        let message = details.first().cloned().unwrap_or_default();
        cases.push(Case {
            classname: e.place.source.to_string(),
            name: e.place.to_string(),
            failure: Some((e.class.name().to_owned(), message, details.join("\n"))),
            error: None,
            output: None,
        });
    }
    if report.errors_omitted > 0 {
        let message = format!("{} more not listed", count(report.errors_omitted, "record"));
        cases.push(Case {
            classname: "aperture-validate".into(),
            name: "records not listed".into(),
            failure: Some(("omitted".into(), message.clone(), message)),
            error: None,
            output: None,
        });
    }
    for input in &report.inputs {
        cases.push(Case {
            classname: input.source.to_string(),
            name: input.source.to_string(),
            failure: None,
            error: Some(input.message.to_string()),
            output: None,
        });
    }
    let s = &report.summary;
    let accepted = s.valid
        + if report.reading() == crate::Reading::Tolerant {
            s.unknown_type
        } else {
            0
        };
    cases.push(Case {
        classname: "aperture-validate".into(),
        name: format!("accepted records ({accepted})"),
        failure: None,
        error: None,
        output: None,
    });
    let d = &report.drift;
    let drift: Vec<String> = d.findings().map(|finding| finding_line(&finding)).collect();
    let drift_text = drift.join("\n");
    cases.push(Case {
        classname: "aperture-validate".into(),
        name: "drift".into(),
        failure: (fail_on_drift && d.has_drift()).then(|| {
            (
                "drift".into(),
                format!("{} of drift", count(drift.len() as u64, "kind")),
                drift_text.clone(),
            )
        }),
        error: None,
        output: (!drift.is_empty()).then_some(drift_text),
    });
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let errors = cases.iter().filter(|c| c.error.is_some()).count();
    let suite = format!("aperture-validate ({} reading)", s.reading);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="aperture-validate" tests="{}" failures="{failures}" errors="{errors}">"#,
        cases.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="{errors}" skipped="0">"#,
        xml(&suite),
        cases.len()
    )?;
    for case in &cases {
        write!(
            out,
            r#"    <testcase classname="{}" name="{}""#,
            xml(&case.classname),
            xml(&case.name)
        )?;
        if case.failure.is_none() && case.error.is_none() && case.output.is_none() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        if let Some((kind, message, details)) = &case.failure {
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                xml(kind),
                xml(message),
                xml(details)
            )?;
        }
        if let Some(message) = &case.error {
            writeln!(
                out,
                r#"      <error type="unreadable" message="{}"/>"#,
                xml(message)
            )?;
        }
        if let Some(text) = &case.output {
            writeln!(out, "      <system-out>{}</system-out>", xml(text))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
        assert_eq!(xml("a\u{1}b\u{ffff}"), "a\\u0001b\\uffff");
    }
}
