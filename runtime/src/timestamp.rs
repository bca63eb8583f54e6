//! [`Timestamp`], what `format: date-time` strings become: the text as
//! received and its parsed value.
//!
//! # Design
//! One rule decides what is a date-time: the validator's,
//! [`is_valid_date_time`] (jsonschema's own, in [`crate::formats`]). chrono
//! only holds the value of a string the rule accepted, built from the fields
//! the rule already checked (chrono's own parser, more lenient, with a space
//! for `T` or a leap second in any minute, never decides, and does not run
//! a second time over the text).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde_core::de::{self, Deserializer, Visitor};
use serde_core::{Deserialize, Serialize, Serializer};

pub use crate::formats::is_valid_date_time;

/// An instant: an RFC 3339 date-time (`format: date-time`), kept exactly as
/// received together with its parsed value.
///
/// Values compare, order and hash by the instant they name, not by their
/// text: `2017-08-14T23:20:57Z`, `2017-08-14T23:20:57.000Z` and
/// `2017-08-15T01:20:57+02:00` are equal (and sort together), although each
/// serializes back as written. Compare [`as_str`](Self::as_str) for the
/// text, or [`value`](Self::value)`.offset()` for the offset.
#[derive(Debug, Clone)]
pub struct Timestamp {
    /// The text as received.
    text: String,
    /// The parsed value.
    value: chrono::DateTime<chrono::FixedOffset>,
}

impl Timestamp {
    /// Parses an RFC 3339 date-time, keeping its text; `None` unless
    /// [`is_valid_date_time`] holds.
    pub fn parse(text: &str) -> Option<Self> {
        Self::parse_string(text.to_owned())
    }

    /// Like [`parse`](Self::parse), taking the string.
    fn parse_string(text: String) -> Option<Self> {
        if !is_valid_date_time(&text) {
            return None;
        }
        let value = value_of(&text).or_else(|| chrono::DateTime::parse_from_rfc3339(&text).ok())?;
        Some(Self { text, value })
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed value, with the offset it was written with.
    pub fn value(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.value
    }

    /// The instant in UTC.
    pub fn to_utc(&self) -> chrono::DateTime<chrono::Utc> {
        self.value.with_timezone(&chrono::Utc)
    }
}

/// The value of a date-time [`is_valid_date_time`] accepted, read from its
/// fixed places (`YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or
/// `±HH:MM`), as chrono's RFC 3339 parser reads it: a fraction past nine
/// digits is cut, and a leap second is second 59 plus one second of
/// nanoseconds. `None` only if chrono refuses the fields.
fn value_of(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::TimeZone as _;
    let bytes = text.as_bytes();
    let number = |at: usize, len: usize| {
        bytes.get(at..at + len).map(|digits| {
            digits
                .iter()
                .fold(0_u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 2)?,
        number(8, 2)?,
    )?;
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    let mut at = 19;
    let mut nanos = 0;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let mut scale = 100_000_000;
        while let Some(digit) = bytes.get(at).filter(|d| d.is_ascii_digit()) {
            nanos += u32::from(digit - b'0') * scale;
            scale /= 10;
            at += 1;
        }
    }
    let offset = match bytes.get(at)? {
        b'Z' | b'z' => 0,
        sign => {
            let seconds =
                i32::try_from(number(at + 1, 2)? * 3600 + number(at + 4, 2)? * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
    };
    let (second, nanos) = if second == 60 {
        (59, nanos + 1_000_000_000)
    } else {
        (second, nanos)
    };
    let time = chrono::NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    chrono::FixedOffset::east_opt(offset)?
        .from_local_datetime(&date.and_time(time))
        .single()
}

impl PartialEq for Timestamp {
    /// The same instant, whatever the text and offset.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// Earlier instants first, whatever the offsets.
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl Hash for Timestamp {
    /// The instant (in UTC), consistent with equality.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_utc().hash(state);
    }
}

impl std::str::FromStr for Timestamp {
    type Err = InvalidTimestamp;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or(InvalidTimestamp)
    }
}

/// A string that is not an RFC 3339 date-time (the error of `FromStr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTimestamp;

impl fmt::Display for InvalidTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an RFC 3339 date-time")
    }
}

impl std::error::Error for InvalidTimestamp {}

impl From<chrono::DateTime<chrono::FixedOffset>> for Timestamp {
    /// Writes the value in RFC 3339 (`Z` for UTC, fractional seconds only when needed).
    fn from(value: chrono::DateTime<chrono::FixedOffset>) -> Self {
        Self {
            text: value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            value,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Reads a date-time string.
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Timestamp, E> {
                if is_valid_date_time(&v) {
                    Timestamp::parse_string(v).ok_or_else(|| E::custom("invalid date-time"))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(&v), &self))
                }
            }
        }
        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_comes_back_and_the_instant_compares() {
        let a: Timestamp = "2017-08-14T23:20:57Z".parse().unwrap();
        let b: Timestamp = "2017-08-15T01:20:57.000+02:00".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(b.as_str(), "2017-08-15T01:20:57.000+02:00");
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            "\"2017-08-15T01:20:57.000+02:00\""
        );
        let c: Timestamp = serde_json::from_str("\"2017-08-14T23:20:58z\"").unwrap();
        assert!(a < c);
    }

    #[test]
    fn the_validator_rule_decides_not_chrono() {
        // chrono parses these; the rule (jsonschema's) refuses them.
        for text in ["2017-08-14 23:20:57Z", "1998-12-31T23:58:60Z"] {
            assert!(chrono::DateTime::parse_from_rfc3339(text).is_ok(), "{text}");
            assert!(Timestamp::parse(text).is_none(), "{text}");
            assert!(serde_json::from_str::<Timestamp>(&format!("\"{text}\"")).is_err());
        }
        // A leap second at 23:59 UTC, written with an offset.
        let leap = Timestamp::parse("1998-12-31T15:59:60-08:00").unwrap();
        assert_eq!(leap.to_utc().date_naive().to_string(), "1998-12-31");
        assert_eq!("nope".parse::<Timestamp>(), Err(InvalidTimestamp));
    }

    #[test]
    fn the_value_is_chrono_s_reading() {
        for text in [
            "2017-08-14T23:20:57Z",
            "2017-08-14t23:20:57.123456789123z",
            "2017-08-14T23:20:57.5-00:00",
            "1998-12-31T15:59:60.25-08:00",
            "1999-01-01T00:29:60+00:30",
            "0000-01-01T00:00:00+23:59",
            "2020-02-29T12:00:00.000000001Z",
        ] {
            let ours = Timestamp::parse(text).unwrap_or_else(|| panic!("{text}"));
            let chrono = chrono::DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(ours.value(), chrono, "{text}");
            assert_eq!(ours.value().to_rfc3339(), chrono.to_rfc3339(), "{text}");
        }
    }

    #[test]
    fn from_a_chrono_value() {
        let value = chrono::DateTime::parse_from_rfc3339("2020-02-29T12:00:00+00:00").unwrap();
        assert_eq!(Timestamp::from(value).as_str(), "2020-02-29T12:00:00Z");
    }
}
