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
/// not named keep their default.
///
/// ```
/// use aperture_events_ocsf::SeverityTable;
/// let table: SeverityTable = "0=1,5=6".parse().unwrap();
/// assert_eq!(table.get(0), Some(1));
/// assert_eq!(table.get(3), Some(3));
/// assert!("6=1".parse::<SeverityTable>().is_err());
/// assert!("1=7".parse::<SeverityTable>().is_err());
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
            text: text.to_owned(),
            reason,
        };
        let mut table = SeverityTable::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (level, id) = pair
                .split_once('=')
                .ok_or_else(|| fail(format!("`{pair}` is not LEVEL=SEVERITY_ID")))?;
            let level: usize = level
                .trim()
                .parse()
                .ok()
                .filter(|l| *l < 6)
                .ok_or_else(|| fail(format!("`{level}` is not a vendor severity (0 to 5)")))?;
            let id: i64 = id
                .trim()
                .parse()
                .ok()
                .filter(|i| SEVERITY_IDS.contains(i))
                .ok_or_else(|| {
                    fail(format!(
                        "`{id}` is not an OCSF severity_id {SEVERITY_IDS:?}"
                    ))
                })?;
            table.0[level] = id;
        }
        Ok(table)
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
