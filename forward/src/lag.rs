//! How far the forwarder is behind the journal, for its progress lines.
//!
//! Two figures a person watching a fleet asks for:
//! - **events behind**: the bytes left to forward (the rest of the current
//!   segment and every later segment, rotated or live) divided by the mean
//!   length of the lines forwarded so far. An estimate: gzipped segments count
//!   by their compressed size.
//! - **oldest unforwarded age**: now minus the `timestamp` of the first line
//!   not yet acknowledged (the event's own time, which the API stamps close
//!   to when the capture received it); in the regular progress line, of the
//!   last line forwarded, which the next one follows.
//!
//! # Design
//! Both are worked out only when a progress line is printed (every few
//! seconds), from file sizes and one line already in memory: the forwarding
//! loop pays nothing for them.

use std::path::Path;

use super::segments::{self, SegmentReader};

/// Mean line length, from what was forwarded.
#[derive(Debug, Default, Clone, Copy)]
pub struct LineSize {
    bytes: u64,
    lines: u64,
}

impl LineSize {
    /// Counts forwarded lines.
    pub fn add(&mut self, bytes: u64, lines: u64) {
        self.bytes = self.bytes.saturating_add(bytes);
        self.lines = self.lines.saturating_add(lines);
    }

    /// The estimated number of lines in `bytes` (a line per 1 kB before any was seen).
    pub fn lines_in(&self, bytes: u64) -> u64 {
        let mean = self
            .bytes
            .checked_div(self.lines)
            .map_or(1024, |m| m.max(1));
        bytes.div_ceil(mean)
    }
}

/// Bytes left to forward after the reader's position in segment `current`.
pub fn bytes_left(journal: &Path, current: u64, reader: Option<&SegmentReader>) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let here = reader.and_then(SegmentReader::bytes_behind).unwrap_or(0);
    let later: u64 = segments::rotated(journal)
        .unwrap_or_default()
        .iter()
        .filter(|r| r.number > current)
        .map(|r| size(&r.path))
        .sum();
    let live = if reader.is_some_and(|r| r.live) {
        0
    } else {
        size(journal)
    };
    here.saturating_add(later).saturating_add(live)
}

/// The age in seconds of the event on `line`, from its `timestamp`, if it has one.
pub fn age_secs(line: &[u8], now: std::time::SystemTime) -> Option<i64> {
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    #[derive(serde::Deserialize)]
    struct Stamped<'a> {
        #[serde(borrow)]
        timestamp: Option<&'a str>,
    }
    let stamped: Stamped<'_> = serde_json::from_slice(line).ok()?;
    let at = chrono::DateTime::parse_from_rfc3339(stamped.timestamp?).ok()?;
    Some((now - at.with_timezone(&chrono::Utc)).num_seconds().max(0))
}

/// The progress figures as words: `about N events behind, the oldest from Ns ago`.
pub fn describe(events_behind: u64, oldest_age: Option<i64>) -> String {
    match oldest_age {
        Some(age) => {
            format!("about {events_behind} events behind, the oldest unforwarded from {age}s ago")
        }
        None => format!("about {events_behind} events behind"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_behind_scale_with_the_mean_line() {
        let mut size = LineSize::default();
        assert_eq!(size.lines_in(4096), 4, "a kB per line before any was seen");
        size.add(1000, 10);
        assert_eq!(size.lines_in(1000), 10);
        assert_eq!(size.lines_in(1001), 11);
        assert_eq!(size.lines_in(0), 0);
    }

    #[test]
    fn the_age_comes_from_the_event_timestamp() {
        let now = std::time::SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(
                chrono::DateTime::parse_from_rfc3339("2024-05-09T00:01:40Z")
                    .expect("time")
                    .timestamp() as u64,
            );
        let line = br#"{"log_type": "incident", "timestamp": "2024-05-09T01:00:00+01:00"}"#;
        assert_eq!(age_secs(line, now), Some(100));
        assert_eq!(age_secs(br#"{"log_type": "incident"}"#, now), None);
        assert_eq!(age_secs(b"not json", now), None);
        assert_eq!(
            describe(7, Some(100)),
            "about 7 events behind, the oldest unforwarded from 100s ago"
        );
    }

    #[test]
    fn bytes_left_count_the_live_journal_after_a_rotated_segment() {
        let dir = tempfile::tempdir().expect("dir");
        let journal = dir.path().join("events.ndjson");
        std::fs::write(&journal, b"0123456789\n").expect("write");
        // No reader yet (nothing opened): the live file is all left.
        assert_eq!(bytes_left(&journal, 1, None), 11);
    }
}
