//! Capture of Log Events API events.
