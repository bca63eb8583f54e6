//! A response body that tells the log when it was handed over whole, or
//! fails halfway to make hyper drop the connection mid-body, or goes on with
//! spaces (made as they are sent) to a size far beyond its events.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

use super::state::State;

/// The padding of an oversize body, sent a chunk at a time.
static SPACES: [u8; 64 << 10] = [b' '; 64 << 10];

/// A one-chunk body announcing `len` bytes.
#[derive(Debug)]
pub(crate) struct MockBody {
    data: Option<Bytes>,
    len: u64,
    /// Spaces still to send after `data`.
    pad: u64,
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
            pad: 0,
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
            pad: 0,
            fail: false,
            pause: None,
            track: Some((state, idx)),
        }
    }

    /// The same body followed by spaces up to `total` bytes (JSON allows
    /// trailing whitespace, so it still parses).
    pub(crate) fn padded_to(mut self, total: u64) -> Self {
        self.pad = total.saturating_sub(self.len);
        self.len = self.len.max(total);
        self
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
            pad: 0,
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
        if self.pad > 0 {
            let n = usize::try_from(self.pad).map_or(SPACES.len(), |p| p.min(SPACES.len()));
            self.pad -= n as u64;
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&SPACES[..n])))));
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
        self.data.is_none() && self.pad == 0 && !self.fail && self.track.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len)
    }
}

impl Drop for MockBody {
    fn drop(&mut self) {
        // hyper may stop polling once it has written `len` bytes.
        if self.data.is_none() && self.pad == 0 && !self.fail {
            if let Some((state, idx)) = self.track.take() {
                state.mark_completed(idx);
            }
        }
    }
}
