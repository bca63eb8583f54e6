//! Validation at scale: records read from a NATS JetStream stream through a
//! durable pull consumer (feature `nats`).
//!
//! Several validators on one durable consumer share the stream's messages;
//! each acknowledges a message once it is classified, so a validator that
//! dies leaves its unacknowledged messages to the others (after the
//! consumer's ack wait). Each prints its `--format json` report, and
//! [`crate::merge`] makes them one. A record's place is the source
//! `nats:<STREAM>` and, as its line, the stream sequence: merged reports
//! then keep the first place in stream order.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer::pull};
use futures_util::StreamExt;

use crate::input::too_long;
use crate::place::{Locus, Place};
use crate::{Tally, Validator};

/// Where to read and when to stop.
#[derive(Debug, Clone)]
pub struct ConsumeOptions {
    /// `nats://HOST:PORT[,HOST:PORT…]`.
    pub servers: String,
    pub stream: String,
    /// The durable consumer's name (shared by validators that share the work).
    pub consumer: String,
    /// Stop after this many records.
    pub max_events: Option<u64>,
    /// Stop once no message came for this long.
    pub until_idle: Option<Duration>,
    /// Messages asked for at a time.
    pub batch: usize,
    /// The longest record classified, in bytes (`--max-record-size`): a
    /// longer message is malformed (`record longer than … bytes`), as a
    /// longer line of a file is, and is not parsed.
    pub max_record_size: usize,
}

/// `nats://HOST:PORT[,HOST:PORT…]/STREAM` → (servers, stream).
pub fn parse_target(target: &str) -> Result<(String, String), String> {
    let rest = target
        .strip_prefix("nats://")
        .ok_or_else(|| format!("`{target}`: expected nats://HOST:PORT/STREAM"))?;
    let hosts_end = rest.find('/').unwrap_or(rest.len());
    if rest[..hosts_end].contains('@') {
        // Not echoed: what stands before the `@` is a secret.
        return Err(
            "nats://…@HOST: credentials in the URL are not read by the stream reader; \
             connect as a user the server takes without them (its `no_auth_user`)"
                .to_owned(),
        );
    }
    let (hosts, stream) = rest
        .split_once('/')
        .ok_or_else(|| format!("`{target}`: name the stream: nats://HOST:PORT/STREAM"))?;
    if hosts.is_empty() || stream.is_empty() || stream.contains(['/', '.', ' ', '*', '>']) {
        return Err(format!("`{target}`: expected nats://HOST:PORT/STREAM"));
    }
    let servers = hosts
        .split(',')
        .map(|h| {
            if h.contains("://") {
                h.to_owned()
            } else {
                format!("nats://{h}")
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    Ok((servers, stream.to_owned()))
}

/// Reads the stream through the durable consumer into `tally`, until an
/// end of `options` (or `stop` resolves); returns the records read.
pub async fn consume(
    validator: &Validator,
    tally: &mut Tally,
    options: &ConsumeOptions,
    stop: impl Future<Output = ()>,
) -> Result<u64, String> {
    let addrs: Vec<async_nats::ServerAddr> = options
        .servers
        .split(',')
        .map(|s| s.parse().map_err(|e| format!("`{s}`: {e}")))
        .collect::<Result<_, _>>()?;
    let client = async_nats::ConnectOptions::new()
        .name("aperture-validate")
        .connect(addrs)
        .await
        .map_err(|e| format!("connecting to {}: {e}", options.servers))?;
    let js = jetstream::new(client.clone());
    let stream = js
        .get_stream(&options.stream)
        .await
        .map_err(|e| format!("stream {}: {e}", options.stream))?;
    let consumer = stream
        .get_or_create_consumer(
            &options.consumer,
            pull::Config {
                durable_name: Some(options.consumer.clone()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                ..pull::Config::default()
            },
        )
        .await
        .map_err(|e| format!("consumer {}: {e}", options.consumer))?;
    let source: Arc<str> = Arc::from(format!("nats:{}", options.stream));
    let mut read = 0u64;
    let mut last = Instant::now();
    tokio::pin!(stop);
    loop {
        let want = match options.max_events {
            Some(max) if read >= max => break,
            Some(max) => (max - read).min(options.batch as u64) as usize,
            None => options.batch,
        };
        let expires = options
            .until_idle
            .map_or(Duration::from_secs(1), |d| d.min(Duration::from_secs(1)))
            .max(Duration::from_millis(100));
        let fetch = consumer
            .fetch()
            .max_messages(want)
            .expires(expires)
            .messages();
        let mut batch = tokio::select! {
            b = fetch => b.map_err(|e| format!("fetching: {e}"))?,
            () = &mut stop => break,
        };
        let mut got = 0;
        while let Some(message) = batch.next().await {
            let message = message.map_err(|e| format!("fetching: {e}"))?;
            let sequence = message.info().map_err(|e| e.to_string())?.stream_sequence;
            // As a journal line is read from a file: white space around it
            // is not part of the record, and a blank line is no record.
            let payload: &[u8] = &message.payload;
            let text = payload.trim_ascii();
            if !text.is_empty() {
                let leading = payload.len() - payload.trim_ascii_start().len();
                let locus = Locus::Stream {
                    sequence,
                    column: Some(leading as u64 + 1),
                };
                let place = Place::new(source.clone(), locus);
                if text.len() > options.max_record_size {
                    tally.malformed(place, too_long(options.max_record_size));
                } else {
                    tally.observe(validator, place, text);
                }
            }
            // Acknowledged once classified: a validator that dies before
            // leaves the message to another.
            message
                .ack()
                .await
                .map_err(|e| format!("acknowledging: {e}"))?;
            got += 1;
        }
        read += got;
        if got > 0 {
            last = Instant::now();
        } else if options
            .until_idle
            .is_some_and(|idle| last.elapsed() >= idle)
        {
            break;
        }
    }
    client
        .flush()
        .await
        .map_err(|e| format!("acknowledging: {e}"))?;
    Ok(read)
}
