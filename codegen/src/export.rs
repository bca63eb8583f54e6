//! Self-contained exports of the schemas for other languages (filled in by the export issue).
