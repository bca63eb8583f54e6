//! Validation of captured payloads.
