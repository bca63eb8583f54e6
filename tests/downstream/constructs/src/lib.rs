//! The code generated for every supported schema construct, compiled and
//! linted with the workspace's lints: once with the default settings, once
//! with every setting changed. Its tests check the behaviour of each construct.

/// The construct schemas with the default settings.
pub mod defaults {
    include!(concat!(env!("OUT_DIR"), "/defaults.rs"));
}

/// The construct schemas with every setting changed (union `Animal`, string
/// date-times, unknown fields dropped, extra derives and attributes).
pub mod changed {
    include!(concat!(env!("OUT_DIR"), "/changed.rs"));
}
