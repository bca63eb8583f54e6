//! HAR files (HTTP Archive, as browsers and proxies save them): the responses
//! to `/api/v1/log_events` and `/api/v1/log_events_bulk`. Other requests in
//! the archive are ignored. Bodies may be base64-encoded (`content.encoding`).
//! An entry is held whole while it is read, so it is one record for the
//! maximum record size: a longer entry is malformed (see [`super::scan`]).

use base64::Engine;
use serde_json::Value;

use super::Sink;
use super::http::respond;
use crate::place::Locus;

/// The endpoints whose responses hold events.
const ENDPOINTS: [&str; 2] = ["/api/v1/log_events", "/api/v1/log_events_bulk"];

/// Handles entry number `index` of `log.entries`, whose JSON text is `raw`
/// and which starts at `at`; the records of its body may hold `limit` bytes.
pub(super) fn entry(raw: &[u8], index: u64, at: Locus, sink: &mut dyn Sink, limit: usize) {
    let locus = Locus {
        entry: Some(index),
        ..at
    };
    let entry: Value = match serde_json::from_slice(raw) {
        Ok(value) => value,
        Err(e) => {
            sink.malformed(locus, format!("the HAR entry is not JSON: {e}"));
            return;
        }
    };
    let url = entry
        .pointer("/request/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !ENDPOINTS.contains(&path_of(url)) {
        return;
    }
    let status = entry
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let content = entry.pointer("/response/content");
    let content_type = content
        .and_then(|c| c.get("mimeType"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty());
    let text = content
        .and_then(|c| c.get("text"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let base64 = content
        .and_then(|c| c.get("encoding"))
        .and_then(Value::as_str)
        == Some("base64");
    let body = if base64 {
        match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
            Ok(bytes) => bytes,
            Err(e) => {
                sink.malformed(locus, format!("the response body is not valid base64: {e}"));
                return;
            }
        }
    } else {
        text.as_bytes().to_vec()
    };
    // Lines inside a body are not lines of the HAR file: body records are placed by entry.
    let body_locus = Locus {
        entry: Some(index),
        ..Locus::default()
    };
    let status = u16::try_from(status).unwrap_or(0);
    respond(
        status,
        content_type,
        &body,
        Locus {
            entry: Some(index),
            ..at
        },
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
