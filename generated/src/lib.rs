//! Types for the Log Events API events, generated from `schema/`.
