//! Capture of Log Events API events without losing one.
//!
//! Reads from the API are destructive: the server forgets an event when it
//! hands it out. So this crate stores every response durably before it asks
//! for the next one ([`runner`]), in a journal that survives a crash at any
//! instant ([`journal`]), and keeps bodies it cannot split whole
//! ([`rejects`]). The pieces, each with one job:
//!
//! - [`config`]: the checked configuration; [`region`]: the region hosts;
//!   [`connect`]: trusted CA certificates and resolver overrides;
//! - [`credentials`] and [`secret`]: client credentials that never reach output;
//! - [`token`]: the cached OAuth token; [`api`]: one request; [`retry`]: backoff;
//! - [`batch`]: a body into journal lines, bytes untouched;
//! - [`journal`] (the crate `aperture-events-journal`, re-exported), [`output`],
//!   [`rejects`]: where bytes go;
//! - [`runner`]: the loop tying them together;
//! - [`expiry`]: how close the drain is to losing events; [`metrics`]: the
//!   metric families and health that `--metrics-listen` serves.
//!
//! The API's mock is the crate `aperture-events-mock`; forwarding journals
//! into NATS JetStream is `aperture-events-forward`. Default features build
//! the command line (`aperture-capture`, with `--validate` and `--forward`);
//! a library user turns them off (`default-features = false`) and compiles
//! no tokio, hyper, NATS client or validator.

pub mod api;
pub mod batch;
pub mod config;
pub mod connect;
pub mod credentials;
pub mod error;
pub mod expiry;
pub mod metrics;
pub mod output;
pub use aperture_events_journal::{self as journal, private};
pub mod proxy;
pub mod redact;
pub mod region;
pub mod rejects;
pub mod retry;
pub mod runner;
pub mod secret;
pub mod space;
pub mod token;
