//! The errors of one request, sorted by what the capture loop does next.

use std::time::Duration;

/// What kind of transient failure a request (or a response) met, for the
/// `aperture_capture_api_errors_total{kind}` metric: a closed set, so the
/// metric's label values are bounded. (A fatal error ends the capture.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// No answer in time.
    Timeout,
    /// The connection could not be made or was lost before a body.
    Connection,
    /// `429 Too Many Requests`.
    TooManyRequests,
    /// A `5xx`.
    ServerError,
    /// The token endpoint failed (`429`, `5xx`).
    Token,
    /// A `200` body cut off mid-way.
    BodyCut,
    /// A `200` body that does not split into events.
    Malformed,
    /// A `200` body over the size held in memory.
    Oversize,
    /// Not asked: the journal or the rejects directory lacked room.
    NoSpace,
}

impl FailureKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [FailureKind; 9] = [
        FailureKind::Timeout,
        FailureKind::Connection,
        FailureKind::TooManyRequests,
        FailureKind::ServerError,
        FailureKind::Token,
        FailureKind::BodyCut,
        FailureKind::Malformed,
        FailureKind::Oversize,
        FailureKind::NoSpace,
    ];

    /// The label value (`timeout`, `server_error`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Timeout => "timeout",
            FailureKind::Connection => "connection",
            FailureKind::TooManyRequests => "too_many_requests",
            FailureKind::ServerError => "server_error",
            FailureKind::Token => "token",
            FailureKind::BodyCut => "body_cut",
            FailureKind::Malformed => "malformed",
            FailureKind::Oversize => "oversize",
            FailureKind::NoSpace => "no_space",
        }
    }
}

/// A failed request: retry it, or stop with a clear message.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Worth another try after a wait (`429`, `5xx`, timeouts, dropped connections).
    #[error("{cause}")]
    Transient {
        /// What happened, with the request's place.
        cause: String,
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
        /// Bytes of a body cut off mid-way, to be saved before retrying.
        partial: Option<Vec<u8>>,
        /// What kind of failure it is.
        kind: FailureKind,
    },
    /// Retrying cannot help (bad host, bad credentials, missing scope, bad request).
    #[error("{0}")]
    Fatal(String),
}

impl ApiError {
    pub(crate) fn transient(kind: FailureKind, cause: String) -> Self {
        ApiError::Transient {
            cause,
            retry_after: None,
            partial: None,
            kind,
        }
    }
}

/// The error for a `3xx`: redirects are never followed (see [`crate::api`]).
pub(crate) fn redirect(place: &str, status: u16, location: &str) -> ApiError {
    ApiError::Fatal(format!(
        "{place}: redirected ({status}) to {location}: redirects are not followed \
         (the events or the credentials could go to another host); point --base-url at the final address"
    ))
}

/// Classifies a transport error of a request to `place` (method and URL).
pub(crate) fn from_ureq(place: &str, err: ureq::Error) -> ApiError {
    match err {
        ureq::Error::HostNotFound => {
            ApiError::Fatal(format!("{place}: bad host: the host name does not resolve"))
        }
        ureq::Error::Timeout(t) => {
            ApiError::transient(FailureKind::Timeout, format!("{place}: timed out ({t})"))
        }
        ureq::Error::Io(e) => ApiError::transient(FailureKind::Connection, format!("{place}: {e}")),
        ureq::Error::Protocol(e) => ApiError::transient(
            FailureKind::Connection,
            format!("{place}: http protocol error: {e}"),
        ),
        ureq::Error::ConnectionFailed => ApiError::transient(
            FailureKind::Connection,
            format!("{place}: connection failed"),
        ),
        other => ApiError::Fatal(format!("{place}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_errors_are_sorted_by_what_to_do() {
        let place = "GET https://api.example/api/v1/log_events";
        match from_ureq(place, ureq::Error::HostNotFound) {
            ApiError::Fatal(m) => assert_eq!(
                m,
                format!("{place}: bad host: the host name does not resolve")
            ),
            other => panic!("{other:?}"),
        }
        let refused = ureq::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(matches!(
            from_ureq(place, refused),
            ApiError::Transient { .. }
        ));
        let timeout = ureq::Error::Timeout(ureq::Timeout::RecvResponse);
        assert!(matches!(
            from_ureq(place, timeout),
            ApiError::Transient { .. }
        ));
        assert!(matches!(
            from_ureq(place, ureq::Error::BadUri("x".into())),
            ApiError::Fatal(_)
        ));
    }
}
