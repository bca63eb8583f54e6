//! What a conversion can be asked: `raw_data` or not, what becomes of an
//! unknown event type, and the severity table.

use std::fmt;
use std::str::FromStr;

use crate::check::SEVERITY_TABLE;

/// The `severity_id` values OCSF 1.8.0 defines (0 Unknown to 6 Fatal, 99 Other).
const SEVERITY_IDS: [i64; 8] = [0, 1, 2, 3, 4, 5, 6, 99];

/// How the vendor's severity (0 to 5) becomes `severity_id`.
///
/// The default is the identity: both are ordered scales of six levels from
/// 0 (see `docs/ocsf.md` for why). Write another as `0=1,1=2,...`; levels
/// not named keep their default, and a level named twice is an error.
///
/// ```
/// use aperture_events_ocsf::SeverityTable;
/// let table: SeverityTable = "0=1,5=6".parse().unwrap();
/// assert_eq!(table.get(0), Some(1));
/// assert_eq!(table.get(3), Some(3));
/// assert!("6=1".parse::<SeverityTable>().is_err());
/// assert!("1=7".parse::<SeverityTable>().is_err());
/// assert!("0=1,0=2".parse::<SeverityTable>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeverityTable([i64; 6]);

impl Default for SeverityTable {
    fn default() -> Self {
        SeverityTable(SEVERITY_TABLE)
    }
}

impl SeverityTable {
    /// The `severity_id` of vendor severity `level`, if `level` is 0 to 5.
    pub fn get(&self, level: i64) -> Option<i64> {
        usize::try_from(level)
            .ok()
            .and_then(|i| self.0.get(i))
            .copied()
    }

    /// The first vendor level with this `severity_id`.
    pub fn level_of(&self, id: i64) -> Option<i64> {
        self.0.iter().position(|&v| v == id).map(|i| i as i64)
    }
}

/// A severity table that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("severity table `{text}`: {reason}")]
pub struct SeverityTableError {
    text: String,
    reason: String,
}

impl FromStr for SeverityTable {
    type Err = SeverityTableError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |reason: String| SeverityTableError {
            text: shown(text),
            reason,
        };
        let mut table = SeverityTable::default();
        let mut given = [false; 6];
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (level, id) = pair
                .split_once('=')
                .ok_or_else(|| fail(format!("`{}` is not LEVEL=SEVERITY_ID", shown(pair))))?;
            let level: usize = level
                .trim()
                .parse()
                .ok()
                .filter(|l| *l < 6)
                .ok_or_else(|| {
                    fail(format!(
                        "`{}` is not a vendor severity (0 to 5)",
                        shown(level)
                    ))
                })?;
            let id: i64 = id
                .trim()
                .parse()
                .ok()
                .filter(|i| SEVERITY_IDS.contains(i))
                .ok_or_else(|| {
                    fail(format!(
                        "`{}` is not an OCSF severity_id {SEVERITY_IDS:?}",
                        shown(id)
                    ))
                })?;
            if std::mem::replace(&mut given[level], true) {
                return Err(fail(format!("level {level} is given twice")));
            }
            table.0[level] = id;
        }
        Ok(table)
    }
}

/// At most 64 characters of a text an error quotes, so that an absurd
/// table gives a message of a line.
fn shown(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

impl fmt::Display for SeverityTable {
    /// `0=0,1=1,...`: what [`FromStr`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{i}={id}")?;
        }
        Ok(())
    }
}

/// What becomes of an event whose `log_type` the mapping does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unknown {
    /// A Base Event (class 0) with the whole event in `unmapped`.
    #[default]
    BaseEvent,
    /// Nothing: the event is skipped (and counted by the caller).
    Skip,
}

/// How to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Put the original event in `raw_data` (on by default).
    pub raw_data: bool,
    /// Unknown event types.
    pub unknown: Unknown,
    /// Vendor severity → `severity_id`.
    pub severity: SeverityTable,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            raw_data: true,
            unknown: Unknown::default(),
            severity: SeverityTable::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_given_twice_is_refused_not_overwritten() {
        // `0=1,0=2` is a typo for `0=1,1=2` more often than a change of mind.
        let error = "0=1,0=2".parse::<SeverityTable>().unwrap_err();
        assert!(
            error.to_string().contains("level 0 is given twice"),
            "{error}"
        );
        assert!(" 3 = 4 , 03=5".parse::<SeverityTable>().is_err());
        // Each level once, in any order, with spaces: fine.
        let table: SeverityTable = " 5=6 , 0 = 1,".parse().unwrap();
        assert_eq!(
            (table.get(0), table.get(5), table.get(1)),
            (Some(1), Some(6), Some(1))
        );
    }

    #[test]
    fn numbers_out_of_range_are_refused_without_overflow() {
        for text in [
            "0=10000000000",
            "0=-1",
            "0=9223372036854775808",
            "0=99999999999999999999999",
            "18446744073709551616=1",
            "-1=1",
            "6=1",
            "0=7",
            "0=",
            "=1",
            "0",
            "0=1=2",
            "٣=1",
        ] {
            assert!(text.parse::<SeverityTable>().is_err(), "{text}");
        }
        // The table's text, all of it: the identity, and what Display writes.
        let table = SeverityTable::default();
        assert_eq!(table.to_string().parse::<SeverityTable>(), Ok(table));
        assert_eq!("".parse::<SeverityTable>(), Ok(table));
    }

    #[test]
    fn a_huge_table_is_refused_with_a_short_message() {
        let text = "0=1,".repeat(100_000);
        let error = text.parse::<SeverityTable>().unwrap_err().to_string();
        assert!(error.len() < 300, "{} bytes", error.len());
    }
}
