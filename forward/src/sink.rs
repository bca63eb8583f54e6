//! Where forwarded lines go: a small trait, and NATS JetStream behind it.
//!
//! A [`Sink`] takes a batch and returns only once every message of it is
//! stored (acknowledged), or says why not: [`SinkError::Retry`] (the stream
//! is unreachable, a leader is being elected, an ack timed out: try the
//! same batch again), [`SinkError::Fatal`] (the stream exists with other
//! settings, its subjects overlap another's, a limit or a permission: a
//! person must decide; see [`super::permanent`]) or [`SinkError::TooLarge`]
//! (a message over [`Sink::max_message`]: nothing was published). Another
//! log (Kafka) would be another implementation of the trait; only JetStream
//! is built.

use std::future::Future;
use std::time::Duration;

use async_nats::jetstream::{
    self, ErrorCode, context::CreateStreamErrorKind, context::GetStreamErrorKind, stream,
};

use super::message::Outgoing;
use super::permanent::{self, Violations};

/// Why a batch was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// Try again later: nothing of the batch is known to be stored.
    #[error("{0}")]
    Retry(String),
    /// Stop: retrying cannot help.
    #[error("{0}")]
    Fatal(String),
    /// A message of the batch is larger than the sink takes now (the limit
    /// changed since [`Sink::max_message`] was asked): nothing was published.
    #[error("a message is larger than the server takes")]
    TooLarge,
}

/// The largest message a sink takes, and whose limit it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Bytes, as [`Outgoing::size`] counts them.
    pub bytes: usize,
    /// Whose limit: `the server's max_payload`, `the stream's max_msg_size`.
    pub what: &'static str,
}

/// A durable destination that acknowledges what it stored.
pub trait Sink {
    /// Makes the destination ready (creates or checks the stream).
    fn prepare(&mut self) -> impl Future<Output = Result<(), SinkError>>;

    /// Stores every message of `batch`, in order, returning once all are acknowledged.
    fn publish(&mut self, batch: &[Outgoing]) -> impl Future<Output = Result<(), SinkError>>;

    /// The largest message the destination takes now (`None`: not known, or no limit).
    fn max_message(&self) -> Option<Limit>;
}

/// The stream the forwarder writes to: created with these settings, or
/// checked against them when it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSettings {
    pub name: String,
    /// The subjects the stream takes (from the subject template).
    pub subject: String,
    pub replicas: usize,
    pub max_age: Duration,
    /// `None`: no limit by size.
    pub max_bytes: Option<i64>,
    /// At least the forwarder's retry horizon.
    pub dedup_window: Duration,
}

impl StreamSettings {
    fn config(&self) -> stream::Config {
        stream::Config {
            name: self.name.clone(),
            subjects: vec![self.subject.clone()],
            num_replicas: self.replicas,
            max_age: self.max_age,
            max_bytes: self.max_bytes.unwrap_or(-1),
            max_messages: -1,
            max_messages_per_subject: -1,
            max_message_size: -1,
            max_consumers: -1,
            duplicate_window: self.dedup_window,
            storage: stream::StorageType::File,
            retention: stream::RetentionPolicy::Limits,
            discard: stream::DiscardPolicy::Old,
            description: Some("aperture-events journals, forwarded by aperture-forward".into()),
            ..stream::Config::default()
        }
    }

    /// What differs between an existing stream's settings and these, in words.
    pub fn differences(&self, found: &stream::Config) -> Vec<String> {
        let mut out = Vec::new();
        let secs = |d: Duration| humantime(d);
        if !found
            .subjects
            .iter()
            .any(|s| s == &self.subject || s == ">")
        {
            out.push(format!(
                "subjects are {:?}, without {:?}",
                found.subjects, self.subject
            ));
        }
        if found.num_replicas.max(1) != self.replicas {
            out.push(format!(
                "replicas {} (wanted {})",
                found.num_replicas.max(1),
                self.replicas
            ));
        }
        if found.duplicate_window < self.dedup_window {
            out.push(format!(
                "de-duplication window {} (wanted at least {}, the forwarder's retry horizon)",
                secs(found.duplicate_window),
                secs(self.dedup_window)
            ));
        }
        if found.max_age != self.max_age {
            out.push(format!(
                "max age {} (wanted {})",
                secs(found.max_age),
                secs(self.max_age)
            ));
        }
        let bytes = |b: i64| {
            if b <= 0 {
                "no limit".to_owned()
            } else {
                format!("{b} bytes")
            }
        };
        if found.max_bytes.max(-1) != self.max_bytes.unwrap_or(-1) {
            out.push(format!(
                "max bytes {} (wanted {})",
                bytes(found.max_bytes),
                bytes(self.max_bytes.unwrap_or(-1))
            ));
        }
        if found.storage != stream::StorageType::File {
            out.push("storage in memory (wanted file)".into());
        }
        if found.retention != stream::RetentionPolicy::Limits {
            out.push(format!("retention {:?} (wanted limits)", found.retention));
        }
        out
    }
}

/// `90s`, `10m`, `7d`: the largest unit that divides the duration.
pub fn humantime(d: Duration) -> String {
    let s = d.as_secs();
    if s == 0 {
        return format!("{}ms", d.as_millis());
    }
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s % n == 0 {
            return format!("{}{unit}", s / n);
        }
    }
    format!("{s}s")
}

/// NATS JetStream.
#[derive(Debug)]
pub struct JetStream {
    context: jetstream::Context,
    client: async_nats::Client,
    stream: StreamSettings,
    /// Whether the stream has been created or checked on this connection.
    checked: bool,
    /// The stream's own largest message, when it has one.
    stream_max_message: Option<usize>,
    /// Permission violations the server reported on the connection.
    violations: Violations,
}

/// `nats://a:4222,b:4223` (the scheme optional on each) as server addresses.
/// A message about one that does not parse shows it without its
/// credentials.
pub fn servers(url: &str) -> Result<Vec<async_nats::ServerAddr>, String> {
    let mut out = Vec::new();
    for part in url.split(',') {
        let part = part.trim();
        let full = if part.contains("://") {
            part.to_owned()
        } else {
            format!("nats://{part}")
        };
        out.push(
            full.parse()
                .map_err(|e| format!("`{}`: {e}", without_credentials(part)))?,
        );
    }
    Ok(out)
}

/// `part` with what stands before an `@` (a user, a password, a token)
/// replaced by `***`: a message may show where, never how, it logs in.
fn without_credentials(part: &str) -> String {
    let (scheme, rest) = part.split_once("://").unwrap_or(("", part));
    let host_start = rest.find('/').unwrap_or(rest.len());
    match rest[..host_start].rfind('@') {
        Some(at) if scheme.is_empty() => format!("***{}", &rest[at..]),
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => part.to_owned(),
    }
}

/// How the servers' URLs say to log in: `nats://user:password@host`, or
/// `nats://token@host` (NATS's convention), percent-decoded.
#[derive(PartialEq, Eq)]
pub enum Credentials {
    UserPassword(String, String),
    Token(String),
}

impl std::fmt::Debug for Credentials {
    /// Never the secret itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::UserPassword(user, _) => write!(f, "UserPassword({user:?}, ***)"),
            Credentials::Token(_) => f.write_str("Token(***)"),
        }
    }
}

/// The credentials the servers' URLs carry, which `async-nats` does not
/// read from a URL itself. One connection logs in one way: servers that
/// carry different credentials are an error, and servers that carry none
/// take those of the others.
pub fn credentials(addrs: &[async_nats::ServerAddr]) -> Result<Option<Credentials>, String> {
    let decode = |s: &str| -> Result<String, String> {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| "the credentials in --nats are not UTF-8 once percent-decoded".to_owned())
    };
    let mut found: Option<Credentials> = None;
    for addr in addrs {
        let Some(user) = addr.username() else {
            continue;
        };
        let these = match addr.password() {
            Some(password) => Credentials::UserPassword(decode(user)?, decode(password)?),
            None => Credentials::Token(decode(user)?),
        };
        match &found {
            Some(first) if *first != these => {
                return Err(
                    "the servers in --nats carry different credentials: one connection logs in one way"
                        .to_owned(),
                );
            }
            Some(_) => {}
            None => found = Some(these),
        }
    }
    Ok(found)
}

/// The JetStream API error inside `e` (or its sources), if any.
fn jetstream_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a jetstream::Error> {
    let mut at = Some(e);
    while let Some(e) = at {
        if let Some(j) = e.downcast_ref::<jetstream::Error>() {
            return Some(j);
        }
        at = e.source();
    }
    None
}

impl JetStream {
    /// Connects to `url` (servers separated by commas). A server that is
    /// down is not an error: the client keeps trying in the background and
    /// publishes fail (to be retried) until it answers.
    pub async fn connect(url: &str, stream: StreamSettings) -> Result<Self, SinkError> {
        let addrs = servers(url).map_err(SinkError::Fatal)?;
        let options = match credentials(&addrs).map_err(SinkError::Fatal)? {
            Some(Credentials::UserPassword(user, password)) => {
                async_nats::ConnectOptions::with_user_and_password(user, password)
            }
            Some(Credentials::Token(token)) => async_nats::ConnectOptions::with_token(token),
            None => async_nats::ConnectOptions::new(),
        };
        let violations = Violations::default();
        let noted = violations.clone();
        let client = options
            .name("aperture-forward")
            .retry_on_initial_connect()
            .max_reconnects(None)
            .connection_timeout(Duration::from_secs(2))
            .event_callback(move |event| {
                noted.note(&event);
                async {}
            })
            .connect(addrs)
            .await
            .map_err(|e| SinkError::Retry(format!("connecting: {e}")))?;
        let mut context = jetstream::new(client.clone());
        context.set_timeout(Duration::from_secs(5));
        Ok(JetStream {
            context,
            client,
            stream,
            checked: false,
            stream_max_message: None,
            violations,
        })
    }

    /// Sorts a failure of `doing`: a violation the server reported, or a
    /// JetStream error no retry fixes, is fatal; anything else is retried.
    fn failed(&self, doing: &str, e: &dyn std::fmt::Display, code: Option<ErrorCode>) -> SinkError {
        if let Some(violation) = self.violations.take() {
            return SinkError::Fatal(format!("{doing}: {violation}"));
        }
        match code.and_then(permanent::fix) {
            Some(fix) => SinkError::Fatal(format!(
                "{doing}: {}",
                permanent::describe(&e.to_string(), fix)
            )),
            None => SinkError::Retry(format!("{doing}: {e}")),
        }
    }

    /// Creates the stream, or checks the one that exists.
    pub async fn ensure_stream(&mut self) -> Result<(), SinkError> {
        let name = self.stream.name.clone();
        match self.context.get_stream(&name).await {
            Ok(mut found) => {
                let info = match found.info().await {
                    Ok(info) => info.clone(),
                    Err(e) => {
                        let code = jetstream_error(&e).map(jetstream::Error::error_code);
                        return Err(self.failed(&format!("stream {name}"), &e, code));
                    }
                };
                let differences = self.stream.differences(&info.config);
                if !differences.is_empty() {
                    return Err(SinkError::Fatal(format!(
                        "stream {name} exists with other settings: {}",
                        differences.join("; ")
                    )));
                }
                self.stream_max_message = usize::try_from(info.config.max_message_size)
                    .ok()
                    .filter(|n| *n > 0);
            }
            Err(e) => {
                let code = match e.kind() {
                    GetStreamErrorKind::JetStream(j) => Some(j.error_code()),
                    _ => jetstream_error(&e).map(jetstream::Error::error_code),
                };
                if code != Some(ErrorCode::STREAM_NOT_FOUND) {
                    return Err(self.failed(&format!("looking up stream {name}"), &e, code));
                }
                if let Err(e) = self.context.create_stream(self.stream.config()).await {
                    let code = match e.kind() {
                        CreateStreamErrorKind::JetStream(j) => Some(j.error_code()),
                        _ => jetstream_error(&e).map(jetstream::Error::error_code),
                    };
                    // Another forwarder created it meanwhile (a transient
                    // code): it is checked on the next try.
                    return Err(self.failed(&format!("creating stream {name}"), &e, code));
                }
                self.stream_max_message = None;
            }
        }
        self.checked = true;
        Ok(())
    }
}

impl Sink for JetStream {
    async fn prepare(&mut self) -> Result<(), SinkError> {
        self.ensure_stream().await
    }

    fn max_message(&self) -> Option<Limit> {
        // 0 until the server's INFO arrived.
        let payload = Some(self.client.server_info().max_payload)
            .filter(|n| *n > 0)
            .map(|bytes| Limit {
                bytes,
                what: "the server's max_payload",
            });
        let stream = self.stream_max_message.map(|bytes| Limit {
            bytes,
            what: "the stream's max_msg_size",
        });
        payload.into_iter().chain(stream).min_by_key(|l| l.bytes)
    }

    async fn publish(&mut self, batch: &[Outgoing]) -> Result<(), SinkError> {
        if !self.checked {
            self.ensure_stream().await?;
        }
        // Over the limit, the server would close the connection and every
        // retry would do the same: the caller sets such a message aside.
        if let Some(limit) = self.max_message() {
            if batch.iter().any(|m| m.size() > limit.bytes) {
                return Err(SinkError::TooLarge);
            }
        }
        let mut acks = Vec::with_capacity(batch.len());
        for m in batch {
            let mut headers = async_nats::HeaderMap::new();
            headers.insert("Nats-Msg-Id", m.id.as_str());
            for (name, value) in &m.headers {
                headers.insert(*name, value.as_str());
            }
            let ack = match self
                .context
                .publish_with_headers(m.subject.clone(), headers, m.payload.clone().into())
                .await
            {
                Ok(ack) => ack,
                Err(e) => {
                    let code = jetstream_error(&e).map(jetstream::Error::error_code);
                    return Err(self.failed("publishing", &e, code));
                }
            };
            acks.push(ack);
        }
        for ack in acks {
            let ack = match ack.await {
                Ok(ack) => ack,
                Err(e) => {
                    let code = jetstream_error(&e).map(jetstream::Error::error_code);
                    return Err(self.failed("publishing", &e, code));
                }
            };
            if ack.stream != self.stream.name {
                let cause = format!(
                    "stream {} stored a message meant for {}: their subjects overlap",
                    ack.stream, self.stream.name
                );
                let fix = permanent::fix(ErrorCode::STREAM_SUBJECT_OVERLAP).unwrap_or_default();
                return Err(SinkError::Fatal(permanent::describe(&cause, fix)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_url_are_read_decoded_and_must_agree() {
        let read = |url: &str| servers(url).and_then(|addrs| credentials(&addrs));
        assert_eq!(read("127.0.0.1:4222,nats://b:4223"), Ok(None));
        assert_eq!(
            read("nats://app:p%40ss%3Aword@a:4222,b:4223"),
            Ok(Some(Credentials::UserPassword(
                "app".into(),
                "p@ss:word".into()
            )))
        );
        assert_eq!(
            read("s3cr3t-token@a:4222"),
            Ok(Some(Credentials::Token("s3cr3t-token".into())))
        );
        assert_eq!(
            read("u:p@a:4222,u:p@b:4223"),
            Ok(Some(Credentials::UserPassword("u".into(), "p".into())))
        );
        let differ = read("u:p@a:4222,u:other@b:4223").unwrap_err();
        assert!(differ.contains("different credentials"), "{differ}");
        assert!(!differ.contains("other"), "{differ}");
    }

    #[test]
    fn messages_and_debug_output_never_show_a_secret() {
        let err = servers("nats://user:hunter2@bad host:4222").unwrap_err();
        assert!(err.contains("***@bad host:4222"), "{err}");
        assert!(!err.contains("hunter2") && !err.contains("user:"), "{err}");
        let err = servers("tok-en@[::1:4222").unwrap_err();
        assert!(!err.contains("tok-en"), "{err}");
        assert_eq!(without_credentials("nats://a:4222"), "nats://a:4222");
        let shown = format!(
            "{:?} {:?}",
            Credentials::UserPassword("app".into(), "hunter2".into()),
            Credentials::Token("tok-en".into())
        );
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok-en"),
            "{shown}"
        );
    }
}
