//! A journal line as a message: its subject, its id, its headers.
//!
//! The id is `<capture id>:<segment>:<offset>:<hash>`: the same line gets
//! the same id on every publish, so the stream drops a re-publish (after a
//! crash, or an acknowledgement lost on the way) as a duplicate. The hash
//! of the line's bytes tells apart two lines at the same place, which
//! only a power cut can produce (an unsynced tail lost, and new lines
//! written where it was).
//!
//! With [`Format::Ocsf`] (feature `ocsf`, `--format ocsf`) the payload is
//! the line converted to an OCSF 1.8.0 event, and the subject may name its
//! class (`{class}`: the `class_uid`, e.g. `6006`). The id is still the
//! line's (its place and the hash of its bytes as journaled), so a
//! re-publish after a crash carries the same id whatever the format.
//! A line the converter does not turn into an event is [`Skipped`].

use serde::Deserialize;

use super::segments::Line;

/// The default subject template.
pub const DEFAULT_SUBJECT: &str = "aperture.events.{capture}.{log_type}";

/// The default subject template with `--format ocsf`.
pub const DEFAULT_OCSF_SUBJECT: &str = "aperture.ocsf.{capture}.{class}";

/// What a message carries.
#[derive(Debug, Clone, Default)]
pub enum Format {
    /// The journal line as it is.
    #[default]
    Raw,
    /// The line converted to an OCSF 1.8.0 event (feature `ocsf`).
    #[cfg(feature = "ocsf")]
    Ocsf(aperture_events_ocsf::Converter),
}

impl Format {
    /// Its name, as `--format` takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Raw => "raw",
            #[cfg(feature = "ocsf")]
            Format::Ocsf(_) => "ocsf",
        }
    }

    /// The subject template used when none is given.
    pub fn default_subject(&self) -> &'static str {
        match self {
            Format::Raw => DEFAULT_SUBJECT,
            #[cfg(feature = "ocsf")]
            Format::Ocsf(_) => DEFAULT_OCSF_SUBJECT,
        }
    }
}

/// A line that becomes no message: the checkpoint moves past it and it is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// An event of a `log_type` the OCSF mapping does not know, skipped as
    /// asked (`--ocsf-unknown skip`).
    UnknownType(String),
    /// A line the converter cannot turn into an OCSF event (not a JSON
    /// object, or no `timestamp`): the reason.
    Unconvertible(String),
}

/// A message ready for the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub subject: String,
    /// `Nats-Msg-Id`.
    pub id: String,
    /// Other headers: `Aperture-Log-Type`, `Aperture-Capture`, `Aperture-Region`, `Aperture-Segment`, `Aperture-Offset`,
    /// and with OCSF `Aperture-Ocsf-Class` (the `class_uid`).
    pub headers: Vec<(&'static str, String)>,
    pub payload: Vec<u8>,
}

impl Outgoing {
    /// Its size as the server counts it against `max_payload`: the payload
    /// and the header block (`NATS/1.0`, `Nats-Msg-Id` and the others).
    pub fn size(&self) -> usize {
        let header = |name: &str, value: &str| name.len() + 2 + value.len() + 2;
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| header(name, value))
            .sum();
        "NATS/1.0\r\n".len() + header("Nats-Msg-Id", &self.id) + headers + 2 + self.payload.len()
    }
}

/// What each message of one journal shares.
#[derive(Debug, Clone)]
pub struct Labels {
    pub capture: String,
    pub region: Option<String>,
    pub template: String,
    pub format: Format,
}

/// FNV-1a, 64 bits: cheap, stable across versions and machines.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The `log_type` of a line: `None` when the line is not a JSON object
/// with a string `log_type`.
pub fn log_type(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Typed {
        log_type: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Typed>(line).ok()?.log_type? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

/// `text` as one subject token: `A-Z a-z 0-9 _ -` kept, anything else `_`, at most 64 characters.
pub fn token(text: &str) -> String {
    let t: String = text
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() { "_".to_owned() } else { t }
}

/// `text` as a header value: printable, at most 100 characters.
fn header_value(text: &str) -> String {
    text.chars()
        .take(100)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// What fills a subject template's placeholders.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    pub capture: &'a str,
    pub log_type: &'a str,
    pub region: &'a str,
    /// The OCSF `class_uid` (`{class}`; only with `--format ocsf`).
    pub class: &'a str,
}

/// Fills the template: `{capture}`, `{log_type}`, `{region}` and `{class}`.
pub fn subject(template: &str, fill: Fill<'_>) -> String {
    template
        .replace("{capture}", fill.capture)
        .replace("{log_type}", fill.log_type)
        .replace("{region}", fill.region)
        .replace("{class}", fill.class)
}

/// The subjects a stream must take for `template`: each placeholder a wildcard token.
pub fn stream_subject(template: &str) -> String {
    let any = "*";
    subject(
        template,
        Fill {
            capture: any,
            log_type: any,
            region: any,
            class: any,
        },
    )
}

/// Checks a subject template for `format`: dot-separated tokens,
/// placeholders whole tokens, `{capture}` in it, `{class}` only with OCSF.
pub fn check_template(template: &str, format: &Format) -> Result<(), String> {
    if !template.contains("{capture}") {
        return Err(
            "must contain {capture}, so that captures do not share message subjects".into(),
        );
    }
    for part in template.split('.') {
        let ok = matches!(part, "{capture}" | "{log_type}" | "{region}" | "{class}")
            || (!part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        if !ok {
            return Err(format!(
                "`{part}`: each dot-separated part is a placeholder ({{capture}}, {{log_type}}, {{region}}, {{class}}) or letters, digits, `_`, `-`"
            ));
        }
        if part == "{class}" && matches!(format, Format::Raw) {
            return Err("{class} is the OCSF class: it needs --format ocsf".into());
        }
    }
    Ok(())
}

impl Labels {
    /// The message of `line`, from segment `segment`, or why it has none
    /// (only with [`Format::Ocsf`]).
    pub fn message(&self, segment: u64, line: &Line) -> Result<Outgoing, Skipped> {
        let log_type = log_type(&line.bytes);
        let (payload, class) = match &self.format {
            Format::Raw => (line.bytes.clone(), None),
            #[cfg(feature = "ocsf")]
            Format::Ocsf(converter) => {
                use aperture_events_ocsf::Written;
                // The converter's fast path: the event's JSON text, no `Value`.
                let mut payload = Vec::with_capacity(2 * line.bytes.len() + 1024);
                match converter.convert_json_to(&line.bytes, &mut payload) {
                    Ok(Written::Event { class_uid }) => (payload, Some(class_uid)),
                    Ok(Written::Skipped { log_type }) => {
                        return Err(Skipped::UnknownType(log_type));
                    }
                    Err(e) => return Err(Skipped::Unconvertible(e.to_string())),
                }
            }
        };
        let region = self.region.as_deref().unwrap_or("none");
        let type_token = match &log_type {
            Some(t) => token(t),
            // Not an event with a string `log_type`: consumers still get it.
            None => "_unknown".to_owned(),
        };
        let mut headers = vec![
            ("Aperture-Capture", self.capture.clone()),
            ("Aperture-Segment", segment.to_string()),
            ("Aperture-Offset", line.offset.to_string()),
        ];
        if let Some(t) = &log_type {
            headers.push(("Aperture-Log-Type", header_value(t)));
        }
        if let Some(r) = &self.region {
            headers.push(("Aperture-Region", header_value(r)));
        }
        let class = class.map(|c: i64| c.to_string());
        if let Some(c) = &class {
            headers.push(("Aperture-Ocsf-Class", c.clone()));
        }
        let fill = Fill {
            capture: &self.capture,
            log_type: &type_token,
            region: &token(region),
            class: class.as_deref().unwrap_or("_"),
        };
        Ok(Outgoing {
            subject: subject(&self.template, fill),
            // The line's place and bytes, not the payload's: the same id
            // for the same line, whatever the format.
            id: format!(
                "{}:{segment}:{}:{:016x}",
                self.capture,
                line.offset,
                fnv(&line.bytes)
            ),
            headers,
            payload,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8], offset: u64) -> Line {
        Line {
            offset,
            end: offset + bytes.len() as u64 + 1,
            line: 1,
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_line_becomes_a_message_with_a_stable_id() {
        let labels = Labels {
            capture: "eu-1".into(),
            region: Some("eu".into()),
            template: DEFAULT_SUBJECT.into(),
            format: Format::Raw,
        };
        let event = br#"{"log_type":"incident","x":1}"#;
        let m = labels.message(2, &line(event, 40)).unwrap();
        assert_eq!(m.subject, "aperture.events.eu-1.incident");
        assert!(m.id.starts_with("eu-1:2:40:"), "{}", m.id);
        assert_eq!(m.id, labels.message(2, &line(event, 40)).unwrap().id);
        assert_ne!(
            m.id,
            labels
                .message(2, &line(br#"{"log_type":"incident","x":2}"#, 40))
                .unwrap()
                .id
        );
        assert_ne!(m.id, labels.message(3, &line(event, 40)).unwrap().id);
        assert!(
            m.headers
                .contains(&("Aperture-Log-Type", "incident".into()))
        );
        assert!(m.headers.contains(&("Aperture-Region", "eu".into())));
        assert_eq!(m.payload, event);
        let odd = labels
            .message(1, &line(br#"{"log_type":"a.b *>\r\n"}"#, 0))
            .unwrap();
        assert_eq!(odd.subject, "aperture.events.eu-1.a_b_____");
        assert!(
            odd.headers
                .contains(&("Aperture-Log-Type", "a.b *>  ".into()))
        );
        assert_eq!(
            labels.message(1, &line(b"{oops", 0)).unwrap().subject,
            "aperture.events.eu-1._unknown"
        );
    }

    #[test]
    fn templates_are_checked() {
        assert!(check_template(DEFAULT_SUBJECT, &Format::Raw).is_ok());
        assert!(check_template("fleet.{region}.{capture}", &Format::Raw).is_ok());
        assert!(check_template("aperture.events.{log_type}", &Format::Raw).is_err());
        assert!(check_template("a..{capture}", &Format::Raw).is_err());
        assert!(check_template("a.x{capture}", &Format::Raw).is_err());
        assert!(check_template("a.>.{capture}", &Format::Raw).is_err());
        assert_eq!(stream_subject(DEFAULT_SUBJECT), "aperture.events.*.*");
    }

    #[test]
    fn class_is_a_placeholder_of_ocsf_only() {
        let err = check_template("a.{capture}.{class}", &Format::Raw).unwrap_err();
        assert!(err.contains("--format ocsf"), "{err}");
        assert!(check_template("a.{capture}x{class}", &Format::Raw).is_err());
        assert_eq!(stream_subject("a.{capture}.{class}.{log_type}"), "a.*.*.*");
        let fill = Fill {
            capture: "c",
            log_type: "incident",
            region: "eu",
            class: "2006",
        };
        assert_eq!(
            subject("x.{region}.{capture}.{class}.{log_type}", fill),
            "x.eu.c.2006.incident"
        );
    }

    #[cfg(feature = "ocsf")]
    mod ocsf {
        use super::*;
        use aperture_events_ocsf::{Converter, Options, Unknown};

        fn labels(unknown: Unknown, template: &str) -> Labels {
            let format = Format::Ocsf(Converter::new(Options {
                unknown,
                ..Options::default()
            }));
            assert!(check_template(template, &format).is_ok());
            Labels {
                capture: "eu-1".into(),
                region: None,
                template: template.into(),
                format,
            }
        }

        const INCIDENT: &[u8] = br#"{"log_type":"incident","incident_id":"5eb5ed492021c32b37588a6c","severity":3.0,"timestamp":"2020-05-08T23:50:55Z"}"#;

        #[test]
        fn the_payload_is_the_ocsf_event_and_the_id_the_lines() {
            let ocsf = labels(Unknown::BaseEvent, DEFAULT_OCSF_SUBJECT);
            let m = ocsf.message(2, &line(INCIDENT, 40)).unwrap();
            assert_eq!(m.subject, "aperture.ocsf.eu-1.2006");
            let event: serde_json::Value = serde_json::from_slice(&m.payload).unwrap();
            assert_eq!(event["class_uid"], 2006);
            assert_eq!(event["finding_info"]["uid"], "5eb5ed492021c32b37588a6c");
            assert!(m.headers.contains(&("Aperture-Ocsf-Class", "2006".into())));
            assert!(
                m.headers
                    .contains(&("Aperture-Log-Type", "incident".into()))
            );
            // The id names the journal line: the same as the raw message's.
            let raw = Labels {
                format: Format::Raw,
                template: DEFAULT_SUBJECT.into(),
                ..ocsf.clone()
            };
            assert_eq!(m.id, raw.message(2, &line(INCIDENT, 40)).unwrap().id);
            // {log_type} still works next to {class}.
            let both = labels(Unknown::BaseEvent, "o.{capture}.{log_type}.{class}");
            assert_eq!(
                both.message(1, &line(INCIDENT, 0)).unwrap().subject,
                "o.eu-1.incident.2006"
            );
        }

        #[test]
        fn unknown_types_are_base_events_or_skipped() {
            let odd = br#"{"log_type":"brand_new","timestamp":"2020-05-08T23:50:55Z"}"#;
            let base = labels(Unknown::BaseEvent, DEFAULT_OCSF_SUBJECT);
            assert_eq!(
                base.message(1, &line(odd, 0)).unwrap().subject,
                "aperture.ocsf.eu-1.0"
            );
            let skip = labels(Unknown::Skip, DEFAULT_OCSF_SUBJECT);
            assert_eq!(
                skip.message(1, &line(odd, 0)),
                Err(Skipped::UnknownType("brand_new".into()))
            );
            for bad in [&b"{oops"[..], b"[1]", br#"{"log_type":"incident"}"#] {
                assert!(
                    matches!(
                        skip.message(1, &line(bad, 0)),
                        Err(Skipped::Unconvertible(_))
                    ),
                    "{}",
                    String::from_utf8_lossy(bad)
                );
            }
        }
    }
}
