//! Capture of Log Events API events without losing one, and a mock of the API.
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
//! - [`journal`], [`output`], [`rejects`]: where bytes go;
//! - [`runner`]: the loop tying them together;
//! - [`mock`] (feature `mock`, on by default): the API on loopback, with faults;
//! - [`forward`] (feature `forward`, on by default): journals into NATS JetStream.

pub mod api;
pub mod batch;
pub mod config;
pub mod connect;
pub mod credentials;
pub mod error;
#[cfg(feature = "forward")]
pub mod forward;
pub mod journal;
#[cfg(feature = "mock")]
pub mod mock;
pub mod output;
pub mod private;
pub mod proxy;
pub mod redact;
pub mod region;
pub mod rejects;
pub mod retry;
pub mod runner;
pub mod secret;
pub mod space;
pub mod token;
