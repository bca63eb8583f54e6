//! The vendor's region hosts, and the base URL a capture talks to.
//!
//! All requests must go to the tenant's region-specific host. `us`, `eu` and
//! `apac` are the hosts seen in real traffic; `uk` follows the same naming
//! pattern and is an assumption (the observed notes do not list it).

use std::fmt;
use std::str::FromStr;

/// A vendor region, chosen with `--region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Americas: `api.aperture.paloaltonetworks.com`.
    Us,
    /// Europe: `api.aperture-eu.paloaltonetworks.com`.
    Eu,
    /// Asia-Pacific: `api.aperture-apac.paloaltonetworks.com`.
    Apac,
    /// United Kingdom: `api.aperture-uk.paloaltonetworks.com` (assumed, see module docs).
    Uk,
}

impl Region {
    /// Every region, in the order `--help` lists them.
    pub const ALL: [Region; 4] = [Region::Us, Region::Eu, Region::Apac, Region::Uk];

    /// The host name of the region's API.
    pub fn host(self) -> &'static str {
        match self {
            Region::Us => "api.aperture.paloaltonetworks.com",
            Region::Eu => "api.aperture-eu.paloaltonetworks.com",
            Region::Apac => "api.aperture-apac.paloaltonetworks.com",
            Region::Uk => "api.aperture-uk.paloaltonetworks.com",
        }
    }

    /// The base URL (scheme and host, no trailing slash).
    pub fn base_url(self) -> String {
        format!("https://{}", self.host())
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Apac => "apac",
            Region::Uk => "uk",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Region {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown region `{s}` (expected one of us, eu, apac, uk)"))
    }
}

#[cfg(test)]
mod tests {
    use super::Region;

    #[test]
    fn maps_regions_to_hosts() {
        assert_eq!(
            Region::Us.base_url(),
            "https://api.aperture.paloaltonetworks.com"
        );
        assert_eq!(
            Region::Eu.base_url(),
            "https://api.aperture-eu.paloaltonetworks.com"
        );
        assert_eq!(
            Region::Apac.base_url(),
            "https://api.aperture-apac.paloaltonetworks.com"
        );
        assert_eq!(
            Region::Uk.base_url(),
            "https://api.aperture-uk.paloaltonetworks.com"
        );
    }

    #[test]
    fn parses_names_case_insensitively() {
        assert_eq!("EU".parse::<Region>(), Ok(Region::Eu));
        for r in Region::ALL {
            assert_eq!(r.name().parse::<Region>(), Ok(r));
        }
        let err = "mars".parse::<Region>().unwrap_err();
        assert!(err.contains("unknown region `mars`"), "{err}");
    }
}
