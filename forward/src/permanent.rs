//! Errors no retry can fix, and the flag (or setting) that does.
//!
//! An outage passes: a server restarts, a leader is elected, an
//! acknowledgement times out. Those are retried with backoff for as long
//! as it takes. Other errors stay whatever the wait: a stream whose subjects
//! overlap another's, an account's stream or storage limit, an account
//! without JetStream, a user without permission. Retrying those for the
//! whole retry horizon only hides them, so the forwarder stops at once and
//! says what fixes them.
//!
//! # Design
//! JetStream API errors are sorted by their `err_code` (stable across
//! server versions, unlike the texts). Permission violations never come
//! back as an answer: the server sends `-ERR 'Permissions Violation …'` on
//! the connection and the request times out. The connection's event
//! callback keeps that text ([`Violations`]) and the next failure reports
//! it as the cause instead of the timeout.

use std::sync::{Arc, Mutex, PoisonError};

use async_nats::jetstream::ErrorCode;

/// What fixes a JetStream error that retrying cannot, or `None` for one
/// that may pass (a leader election, a cluster without quorum, a race
/// with another forwarder creating the same stream).
pub fn fix(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::STREAM_SUBJECT_OVERLAP => {
            "give the stream other subjects with --subject-template, \
             or name the stream that takes these subjects already with --stream"
        }
        ErrorCode::MAXIMUM_STREAMS_LIMIT => {
            "name a stream that exists with --stream, or raise the account's max_streams"
        }
        ErrorCode::STORAGE_RESOURCES_EXCEEDED
        | ErrorCode::MEMORY_RESOURCES_EXCEEDED
        | ErrorCode::ACCOUNT_RESOURCES_EXCEEDED
        | ErrorCode::INSUFFICIENT_RESOURCES => {
            "make the stream smaller with --max-bytes, or raise the account's JetStream limits (max_file)"
        }
        ErrorCode::JETSTREAM_NOT_ENABLED_FOR_ACCOUNT => {
            "connect (--nats) as a user of an account with JetStream, or enable JetStream for this account"
        }
        ErrorCode::JETSTREAM_NOT_ENABLED => {
            "enable JetStream on the server, or connect (--nats) to one that has it"
        }
        ErrorCode::STREAM_REPLICAS_NOT_SUPPORTED => {
            "use --replicas 1 on a server without a cluster"
        }
        ErrorCode::STREAM_INVALID_CONFIG | ErrorCode::BAD_REQUEST => {
            "change the stream's settings (--max-age, --max-bytes, --dedup-window, --replicas, --subject-template)"
        }
        ErrorCode::STREAM_MESSAGE_EXCEEDS_MAXIMUM => {
            "raise the stream's max_msg_size (lowered while forwarding: lines over it are set aside on the next run)"
        }
        _ => return None,
    })
}

/// What fixes a permission violation.
pub const PERMISSION_FIX: &str = "allow the user to publish to $JS.API.> and to the subjects of \
     --subject-template, or connect (--nats) as a user who may";

/// What fixes an authorization violation.
pub const AUTHORIZATION_FIX: &str =
    "connect (--nats) to a server that takes this connection, or give it credentials it accepts";

/// The sentence that starts every permanent error's advice.
pub const CANNOT_HELP: &str = "retrying cannot help";

/// `cause: retrying cannot help; fix`.
pub fn describe(cause: &str, fix: &str) -> String {
    format!("{cause}: {CANNOT_HELP}; {fix}")
}

/// Permission and authorization violations the server reported on the
/// connection, kept for the next failure to report.
#[derive(Debug, Clone, Default)]
pub struct Violations(Arc<Mutex<Option<String>>>);

impl Violations {
    /// Keeps what a connection event says, if it is a violation.
    pub fn note(&self, event: &async_nats::Event) {
        let said = match event {
            async_nats::Event::ServerError(async_nats::ServerError::AuthorizationViolation) => {
                describe("authorization violation", AUTHORIZATION_FIX)
            }
            // Refused while connecting (wrong or missing credentials): the
            // client reports the kind of its connect error, as text.
            async_nats::Event::ClientError(async_nats::ClientError::Other(text))
                if *text == async_nats::ConnectErrorKind::AuthorizationViolation.to_string() =>
            {
                describe("authorization violation", AUTHORIZATION_FIX)
            }
            async_nats::Event::ServerError(async_nats::ServerError::Other(text))
                if text.to_lowercase().contains("permissions violation") =>
            {
                // The server's text names only the subject (kept as it is,
                // its case matters); cut and made printable in case.
                const HEAD: &str = "permissions violation";
                let rest = text.get(HEAD.len()..).filter(|_| {
                    text.get(..HEAD.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(HEAD))
                });
                let text: String = rest
                    .map_or_else(|| text.clone(), |rest| format!("{HEAD}{rest}"))
                    .chars()
                    .take(300)
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                describe(&text, PERMISSION_FIX)
            }
            _ => return,
        };
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(said);
    }

    /// The violation reported since the last call, if any.
    pub fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_pass_and_configuration_errors_do_not() {
        for transient in [
            ErrorCode::CLUSTER_NOT_AVAILABLE,
            ErrorCode::CLUSTER_NOT_LEADER,
            ErrorCode::STREAM_NAME_EXIST,
            ErrorCode::STREAM_NOT_FOUND,
            ErrorCode::STREAM_STORE_FAILED,
        ] {
            assert_eq!(fix(transient), None, "{transient:?}");
        }
        assert!(
            fix(ErrorCode::STREAM_SUBJECT_OVERLAP)
                .is_some_and(|f| f.contains("--subject-template"))
        );
        assert!(fix(ErrorCode::MAXIMUM_STREAMS_LIMIT).is_some_and(|f| f.contains("--stream")));
        assert!(
            fix(ErrorCode::STORAGE_RESOURCES_EXCEEDED).is_some_and(|f| f.contains("--max-bytes"))
        );
        assert!(
            fix(ErrorCode::JETSTREAM_NOT_ENABLED_FOR_ACCOUNT).is_some_and(|f| f.contains("--nats"))
        );
    }

    #[test]
    fn violations_are_kept_until_taken() {
        let v = Violations::default();
        v.note(&async_nats::Event::Connected);
        assert_eq!(v.take(), None);
        v.note(&async_nats::Event::ServerError(
            async_nats::ServerError::Other(
                "Permissions Violation for Publish to \"x.y\"\x1b[2J".into(),
            ),
        ));
        let said = v.take().unwrap();
        assert!(
            said.starts_with(
                "permissions violation for Publish to \"x.y\" [2J: retrying cannot help"
            ),
            "{said}"
        );
        assert_eq!(v.take(), None);
    }
}
