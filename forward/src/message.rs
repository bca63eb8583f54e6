//! A journal line as a message: its subject, its id, its headers.
//!
//! The id is `<capture id>:<segment>:<offset>:<hash>`: the same line gets
//! the same id on every publish, so the stream drops a re-publish (after a
//! crash, or an acknowledgement lost on the way) as a duplicate. The hash
//! of the line's bytes tells apart two lines at the same place, which
//! only a power cut can produce (an unsynced tail lost, and new lines
//! written where it was).

use serde::Deserialize;

use super::segments::Line;

/// The default subject template.
pub const DEFAULT_SUBJECT: &str = "aperture.events.{capture}.{log_type}";

/// A message ready for the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub subject: String,
    /// `Nats-Msg-Id`.
    pub id: String,
    /// Other headers: `Aperture-Log-Type`, `Aperture-Capture`, `Aperture-Region`, `Aperture-Segment`, `Aperture-Offset`.
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

/// Fills the template: `{capture}`, `{log_type}` and `{region}`.
pub fn subject(template: &str, capture: &str, log_type: &str, region: &str) -> String {
    template
        .replace("{capture}", capture)
        .replace("{log_type}", log_type)
        .replace("{region}", region)
}

/// The subjects a stream must take for `template`: each placeholder a wildcard token.
pub fn stream_subject(template: &str) -> String {
    subject(template, "*", "*", "*")
}

/// Checks a subject template: dot-separated tokens, placeholders whole tokens, `{capture}` in it.
pub fn check_template(template: &str) -> Result<(), String> {
    if !template.contains("{capture}") {
        return Err(
            "must contain {capture}, so that captures do not share message subjects".into(),
        );
    }
    for part in template.split('.') {
        let ok = matches!(part, "{capture}" | "{log_type}" | "{region}")
            || (!part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        if !ok {
            return Err(format!(
                "`{part}`: each dot-separated part is a placeholder ({{capture}}, {{log_type}}, {{region}}) or letters, digits, `_`, `-`"
            ));
        }
    }
    Ok(())
}

impl Labels {
    /// The message of `line`, from segment `segment`.
    pub fn message(&self, segment: u64, line: &Line) -> Outgoing {
        let log_type = log_type(&line.bytes);
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
        Outgoing {
            subject: subject(&self.template, &self.capture, &type_token, &token(region)),
            id: format!(
                "{}:{segment}:{}:{:016x}",
                self.capture,
                line.offset,
                fnv(&line.bytes)
            ),
            headers,
            payload: line.bytes.clone(),
        }
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
        };
        let event = br#"{"log_type":"incident","x":1}"#;
        let m = labels.message(2, &line(event, 40));
        assert_eq!(m.subject, "aperture.events.eu-1.incident");
        assert!(m.id.starts_with("eu-1:2:40:"), "{}", m.id);
        assert_eq!(m.id, labels.message(2, &line(event, 40)).id);
        assert_ne!(
            m.id,
            labels
                .message(2, &line(br#"{"log_type":"incident","x":2}"#, 40))
                .id
        );
        assert_ne!(m.id, labels.message(3, &line(event, 40)).id);
        assert!(
            m.headers
                .contains(&("Aperture-Log-Type", "incident".into()))
        );
        assert!(m.headers.contains(&("Aperture-Region", "eu".into())));
        assert_eq!(m.payload, event);
        let odd = labels.message(1, &line(br#"{"log_type":"a.b *>\r\n"}"#, 0));
        assert_eq!(odd.subject, "aperture.events.eu-1.a_b_____");
        assert!(
            odd.headers
                .contains(&("Aperture-Log-Type", "a.b *>  ".into()))
        );
        assert_eq!(
            labels.message(1, &line(b"{oops", 0)).subject,
            "aperture.events.eu-1._unknown"
        );
    }

    #[test]
    fn templates_are_checked() {
        assert!(check_template(DEFAULT_SUBJECT).is_ok());
        assert!(check_template("fleet.{region}.{capture}").is_ok());
        assert!(check_template("aperture.events.{log_type}").is_err());
        assert!(check_template("a..{capture}").is_err());
        assert!(check_template("a.x{capture}").is_err());
        assert!(check_template("a.>.{capture}").is_err());
        assert_eq!(stream_subject(DEFAULT_SUBJECT), "aperture.events.*.*");
    }
}
