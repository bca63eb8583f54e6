//! A response body that tells the log when it was handed over whole, or
//! fails halfway to make hyper drop the connection mid-body.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

use super::state::State;

/// A one-chunk body announcing `len` bytes.
#[derive(Debug)]
pub(crate) struct MockBody {
    data: Option<Bytes>,
    len: u64,
    fail: bool,
    /// Before failing, a pause that lets hyper flush the head and the first
    /// half, so the client sees a body cut off, not a connection refused.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    track: Option<(Arc<State>, usize)>,
}

impl MockBody {
    /// A body with no tracking (error answers).
    pub(crate) fn plain(data: impl Into<Bytes>) -> Self {
        let data = data.into();
        Self {
            len: data.len() as u64,
            data: Some(data),
            fail: false,
            pause: None,
            track: None,
        }
    }

    /// The whole `data`, marking log entry `idx` completed once handed over.
    pub(crate) fn tracked(data: Vec<u8>, state: Arc<State>, idx: usize) -> Self {
        Self {
            len: data.len() as u64,
            data: Some(data.into()),
            fail: false,
            pause: None,
            track: Some((state, idx)),
        }
    }

    /// Announces all of `data` but sends only its first half, then fails.
    pub(crate) fn cut(data: Vec<u8>) -> Self {
        let len = data.len() as u64;
        let half = Bytes::from(data).slice(..(len / 2) as usize);
        let pause = Some(Box::pin(tokio::time::sleep(
            std::time::Duration::from_millis(20),
        )));
        Self {
            data: Some(half),
            len,
            fail: true,
            pause,
            track: None,
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        if self.fail {
            self.fail = false;
            return Poll::Ready(Some(Err(std::io::Error::other(
                "mock drops the connection mid-body",
            ))));
        }
        if let Some((state, idx)) = self.track.take() {
            state.mark_completed(idx);
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail && self.track.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

impl Drop for MockBody {
    fn drop(&mut self) {
        // hyper may stop polling once it has written `len` bytes.
        if self.data.is_none() && !self.fail {
            if let Some((state, idx)) = self.track.take() {
                state.mark_completed(idx);
            }
        }
    }
}
