//! Forwarding journals into a real `nats-server` (on loopback): exactly once
//! from the mock with faults, through SIGKILLs of the forwarder and the
//! capture, through node and leader failures of a 3-node cluster, and with
//! JetStream down at the start; hostile journals, checkpoints and servers
//! (`attacks`, `oversized`: events over `max_payload`, `permanent`: errors
//! no retry fixes); `ocsf`: the same with `--format ocsf`.
//!
//! These tests need `nats-server` on the PATH: `tests/nats/run.sh` installs
//! it and runs them (`cargo build -p aperture-events-capture --bins && cargo test -p aperture-events-forward --test forward -- --ignored`).
//! The bounds of the numeric flags (`flags`) need no server and run with
//! the ordinary tests.
#![allow(clippy::print_stderr)]

#[path = "../../../capture/tests/common/mod.rs"]
mod common;
mod server;

mod attacks;
mod cluster;
mod crash;
mod flags;
mod metrics;
mod ocsf;
mod one_node;
mod oversized;
mod permanent;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// A message read back from the stream.
#[derive(Debug, Clone)]
pub struct Stored {
    pub sequence: u64,
    pub subject: String,
    pub id: String,
    pub capture: String,
    pub payload: Vec<u8>,
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Every message of `stream`, in stream order; retried while a cluster elects its leaders.
pub fn read_stream(url: &str, stream: &str) -> Vec<Stored> {
    let start = Instant::now();
    loop {
        match runtime().block_on(try_read(url, stream)) {
            Ok(all) => return all,
            Err(e) if start.elapsed() < Duration::from_secs(60) => {
                eprintln!("reading the stream: {e}; again");
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("cannot read stream {stream}: {e}"),
        }
    }
}

async fn try_read(url: &str, name: &str) -> Result<Vec<Stored>, String> {
    let addrs = aperture_events_forward::sink::servers(url)?;
    let client = async_nats::connect(addrs)
        .await
        .map_err(|e| e.to_string())?;
    let js = async_nats::jetstream::new(client);
    let mut stream = js.get_stream(name).await.map_err(|e| e.to_string())?;
    let info = stream.info().await.map_err(|e| e.to_string())?.clone();
    let mut out = Vec::new();
    if info.state.messages == 0 {
        return Ok(out);
    }
    for seq in info.state.first_sequence..=info.state.last_sequence {
        let m = stream
            .get_raw_message(seq)
            .await
            .map_err(|e| format!("message {seq}: {e}"))?;
        let header = |name: &str| {
            m.headers
                .get(name)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default()
        };
        out.push(Stored {
            sequence: m.sequence,
            subject: m.subject.to_string(),
            id: m
                .headers
                .get(async_nats::header::NATS_MESSAGE_ID)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            capture: header("Aperture-Capture"),
            payload: m.payload.to_vec(),
        });
    }
    Ok(out)
}

/// The stream holds each line of `journal` exactly once, in journal order,
/// with one message id per line.
pub fn assert_exactly_once(stored: &[Stored], journal: &[Vec<u8>]) {
    let payloads: Vec<&[u8]> = stored.iter().map(|s| s.payload.as_slice()).collect();
    let lines: Vec<&[u8]> = journal.iter().map(Vec::as_slice).collect();
    if payloads != lines {
        let mut count: HashMap<&[u8], i64> = HashMap::new();
        for p in &payloads {
            *count.entry(p).or_default() += 1;
        }
        for l in &lines {
            *count.entry(l).or_default() -= 1;
        }
        let extra = count.values().filter(|c| **c > 0).count();
        let missing = count.values().filter(|c| **c < 0).count();
        panic!(
            "stream ({} messages) is not the journal ({} lines): {extra} lines stored too often, {missing} missing",
            payloads.len(),
            lines.len()
        );
    }
    let mut ids: Vec<&str> = stored.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), stored.len(), "message ids are not unique");
}

/// The journal's checkpoint: (segment, offset, line).
pub fn checkpoint(journal: &Path) -> Option<(u64, u64, u64)> {
    let text = std::fs::read(common_side(journal, "forwarded")).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
    Some((
        v["segment"].as_u64()?,
        v["offset"].as_u64()?,
        v["line"].as_u64()?,
    ))
}

fn common_side(journal: &Path, suffix: &str) -> std::path::PathBuf {
    aperture_events_journal::side_path(journal, suffix)
}
