//! Shared helpers for the cross-crate tests: fixtures and compiled schemas.
