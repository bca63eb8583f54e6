//! HAR files (HTTP Archive, as browsers and proxies save them): the responses
//! to `/api/v1/log_events` and `/api/v1/log_events_bulk`. Other requests in
//! the archive are ignored. Bodies may be base64-encoded (`content.encoding`).
//! An entry is held whole while it is read, so it is one record for the
//! maximum record size: a longer entry is malformed (see [`super::scan`]).
//! It is read into the few members that matter, its other members skipped.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Sink;
use super::http::respond;
use crate::place::Locus;

/// The endpoints whose responses hold events.
const ENDPOINTS: [&str; 2] = ["/api/v1/log_events", "/api/v1/log_events_bulk"];

/// The parts of an entry read: everything else (headers, timings, the
/// request's body) is skipped without being kept, so an entry costs its text
/// and its body, not a `serde_json::Value` of it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Entry<'a> {
    #[serde(borrow)]
    request: Request<'a>,
    #[serde(borrow)]
    response: Response<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Request<'a> {
    #[serde(borrow)]
    url: Loose<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Response<'a> {
    #[serde(borrow)]
    status: Loose<'a>,
    #[serde(borrow)]
    content: Content<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Content<'a> {
    #[serde(rename = "mimeType", borrow)]
    mime_type: Loose<'a>,
    #[serde(borrow)]
    text: Loose<'a>,
    #[serde(borrow)]
    encoding: Loose<'a>,
}

/// A member that should be a string (or a status number); any other value
/// is skipped and counts as absent, as a browser's odd HAR would have it.
#[derive(Default)]
enum Loose<'a> {
    #[default]
    Absent,
    Text(Cow<'a, str>),
    Number(u64),
}

impl<'a> Loose<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Loose::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Loose<'de>, E> {
        Ok(Loose::Text(Cow::Owned(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Loose<'de>, E> {
        Ok(Loose::Number(v))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Loose<'de>, E> {
        Ok(Loose::Absent)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Loose<'de>, E> {
        Ok(Loose::Absent)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Loose<'de>, E> {
        Ok(Loose::Absent)
    }

    fn visit_unit<E>(self) -> Result<Loose<'de>, E> {
        Ok(Loose::Absent)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Absent)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Absent)
    }
}

/// What an entry of one of the [`ENDPOINTS`] says, owned: the entry's text can go.
struct Read {
    status: u16,
    content_type: Option<String>,
    text: String,
    base64: bool,
}

/// Reads what matters of an entry, or `None` for another request.
fn read(raw: &[u8]) -> Result<Option<Read>, serde_json::Error> {
    let entry: Entry<'_> = serde_json::from_slice(raw)?;
    let url = entry.request.url.as_str().unwrap_or_default();
    if !ENDPOINTS.contains(&path_of(url)) {
        return Ok(None);
    }
    let status = match entry.response.status {
        Loose::Number(n) => u16::try_from(n).unwrap_or(0),
        _ => 0,
    };
    let content = entry.response.content;
    // A content type is a few dozen characters: a longer one is kept cut,
    // enough to say what it is (and whether it names JSON).
    let content_type = content
        .mime_type
        .as_str()
        .filter(|t| !t.is_empty())
        .map(super::http::kept_header);
    let base64 = content.encoding.as_str() == Some("base64");
    let text = match content.text {
        Loose::Text(text) => text.into_owned(),
        _ => String::new(),
    };
    Ok(Some(Read {
        status,
        content_type,
        text,
        base64,
    }))
}

/// Handles entry number `index` of `log.entries`, whose JSON text is `raw`
/// and which starts at `at`; the records of its body may hold `limit` bytes.
/// `raw` is given up before the body is read: the reader holds the entry's
/// text, then its body, never both with the body's records.
pub(super) fn entry(raw: Vec<u8>, index: u64, at: Locus, sink: &mut dyn Sink, limit: usize) {
    let locus = at.har_entry(index);
    let read = read(&raw);
    drop(raw);
    let found = match read {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(e) => {
            sink.malformed(locus, format!("the HAR entry cannot be read: {e}"));
            return;
        }
    };
    let body = if found.base64 {
        match base64::engine::general_purpose::STANDARD.decode(found.text.trim()) {
            Ok(bytes) => bytes,
            Err(e) => {
                sink.malformed(locus, format!("the response body is not valid base64: {e}"));
                return;
            }
        }
    } else {
        found.text.into_bytes()
    };
    // Lines inside a body are not lines of the HAR file: body records are placed by entry.
    let body_locus = Locus::Har {
        entry: index,
        at: None,
        index: None,
    };
    respond(
        found.status,
        found.content_type.as_deref(),
        &body,
        locus,
        body_locus,
        sink,
        limit,
    );
}

/// The path of a URL, without scheme, host, query or fragment.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let end = path.find(['?', '#']).unwrap_or(path.len());
    path[..end].trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::path_of;

    #[test]
    fn paths_of_urls() {
        assert_eq!(
            path_of("https://api.aperture.paloaltonetworks.com/api/v1/log_events"),
            "/api/v1/log_events"
        );
        assert_eq!(
            path_of("https://h/api/v1/log_events_bulk?size=100"),
            "/api/v1/log_events_bulk"
        );
        assert_eq!(path_of("https://h/oauth/token"), "/oauth/token");
        assert_eq!(path_of("https://h"), "");
    }
}
