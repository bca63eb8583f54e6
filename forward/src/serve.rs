//! The `--metrics-listen` endpoint of `aperture-forward` and
//! `aperture-capture` (feature `cli`): a small HTTP/1 server on a thread
//! of its own, answering
//!
//! - `GET /metrics`: the registry, in the OpenMetrics text format when
//!   the scraper asks for it (`Accept: application/openmetrics-text`, as
//!   Prometheus does), else in the Prometheus text format 0.0.4;
//! - `GET /healthz` and `GET /readyz`: the [`Probe`]'s verdict as a small
//!   JSON body, `200` when good and `503` when not (without a probe, both
//!   say `{"status":"ok"}`: the process answers);
//! - anything else: `404`.
//!
//! # Design
//! The listener is bound before [`spawn`] returns, so a bad or busy
//! address is a usage error at start, not a silent loss of metrics. The
//! server holds no lock while the program runs: the metrics are atomics
//! that the encoder reads at scrape time.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use prometheus_client::registry::Registry;

/// The OpenMetrics text format's content type.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What `/healthz` and `/readyz` answer: (good, JSON body).
pub trait Probe: Send + Sync + std::fmt::Debug {
    /// Whether the process is alive and turning.
    fn healthz(&self) -> (bool, String);
    /// Whether it is doing its job.
    fn readyz(&self) -> (bool, String);
}

/// A running endpoint; stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// The address it listens on (with the port chosen, for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[derive(Debug)]
struct Shared {
    registry: Registry,
    probe: Option<Arc<dyn Probe>>,
}

/// Binds `addr` and serves `registry` (and `probe`) on a thread of its own.
pub fn spawn(
    addr: SocketAddr,
    registry: Registry,
    probe: Option<Arc<dyn Probe>>,
) -> std::io::Result<Server> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let shared = Arc::new(Shared { registry, probe });
    let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("metrics-listen".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = &mut rx => return,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let shared = Arc::clone(&shared);
                            tokio::spawn(async move {
                                let service = hyper::service::service_fn(move |req| {
                                    let shared = Arc::clone(&shared);
                                    async move { Ok::<_, Infallible>(answer(&shared, &req)) }
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                    }
                }
            });
        })?;
    Ok(Server {
        addr,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn answer(shared: &Shared, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "application/json",
            r#"{"error":"method not allowed"}"#.into(),
        );
    }
    let verdict = |(good, body): (bool, String)| {
        let status = if good {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        respond(status, "application/json", body)
    };
    let alive = || (true, r#"{"status":"ok"}"#.to_owned());
    match req.uri().path() {
        "/metrics" => {
            let openmetrics = req
                .headers()
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("application/openmetrics-text"));
            let mut text = String::new();
            let (encoded, content_type) = if openmetrics {
                (
                    prometheus_client::encoding::text::encode(&mut text, &shared.registry),
                    OPENMETRICS,
                )
            } else {
                (
                    prometheus_client::encoding::prometheus_text::encode(
                        &mut text,
                        &shared.registry,
                    ),
                    prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
                )
            };
            match encoded {
                Ok(()) => respond(StatusCode::OK, content_type, text),
                Err(_) => respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "application/json",
                    r#"{"error":"encoding the metrics failed"}"#.into(),
                ),
            }
        }
        "/healthz" => verdict(shared.probe.as_ref().map_or_else(alive, |p| p.healthz())),
        "/readyz" => verdict(shared.probe.as_ref().map_or_else(alive, |p| p.readyz())),
        _ => respond(
            StatusCode::NOT_FOUND,
            "application/json",
            r#"{"error":"not found: try /metrics, /healthz or /readyz"}"#.into(),
        ),
    }
}
