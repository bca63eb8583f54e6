//! `metadata.uid`: a content hash, since the API gives events no id and
//! captures hold exact duplicates.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// `metadata.uid`: SHA-256 of the event's canonical JSON (members sorted
/// by name, serde_json's number spelling), the first 16 bytes in hex. The
/// same event always gets the same uid, whatever the order of its members.
pub fn content_hash(event: &Value) -> String {
    // The canonical text is written to a buffer and hashed at once (many
    // small updates cost more than the copy).
    let mut text = Vec::with_capacity(1024);
    canonical(event, &mut text);
    digest_hex(&text)
}

/// The first 16 bytes of the SHA-256 of `text`, in hex.
pub(crate) fn digest_hex(text: &[u8]) -> String {
    digest_hex_bytes(text)
        .iter()
        .map(|b| char::from(*b))
        .collect()
}

/// [`digest_hex`], without allocating.
pub(crate) fn digest_hex_bytes(text: &[u8]) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text);
    let mut out = [0; 32];
    for (i, b) in digest[..16].iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0xf)];
    }
    out
}

pub(crate) fn canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            out.push(b'{');
            // serde_json's map keeps its members sorted unless its
            // `preserve_order` feature is on: then they are sorted here.
            if map.keys().is_sorted() {
                members(map.iter(), out);
            } else {
                let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
                sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
                members(sorted.into_iter(), out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out);
            }
            out.push(b']');
        }
        other => write(other, out),
    }
}

fn members<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(k, out);
        out.push(b':');
        canonical(v, out);
    }
}

/// A string or a scalar as serde_json writes it.
fn write(value: &(impl serde::Serialize + ?Sized), out: &mut Vec<u8>) {
    // Writing a string or a scalar to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}
