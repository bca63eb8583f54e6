//! `metadata.uid`: a content hash, since the API gives events no id and
//! captures hold exact duplicates.

use std::io;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// `metadata.uid`: SHA-256 of the event's canonical JSON (members sorted
/// by name, serde_json's number spelling), the first 16 bytes in hex. The
/// same event always gets the same uid, whatever the order of its members.
pub fn content_hash(event: &Value) -> String {
    let mut hasher = Sha256::new();
    canonical(event, &mut hasher);
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds what serde_json writes into the hash, without a buffer.
struct Hashing<'a>(&'a mut Sha256);

impl io::Write for Hashing<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn canonical(value: &Value, h: &mut Sha256) {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            h.update(b"{");
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    h.update(b",");
                }
                // Writing a string or a scalar to a hash cannot fail.
                let _ = serde_json::to_writer(Hashing(h), k);
                h.update(b":");
                canonical(v, h);
            }
            h.update(b"}");
        }
        Value::Array(items) => {
            h.update(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    h.update(b",");
                }
                canonical(item, h);
            }
            h.update(b"]");
        }
        other => {
            let _ = serde_json::to_writer(Hashing(h), other);
        }
    }
}
