//! The vendor's region hosts, and the base URL a capture talks to.
//!
//! All requests must go to the tenant's region-specific host. `us`, `eu` and
//! `apac` are the hosts seen in real traffic; `uk` and the `prisma-saas`
//! hosts `in1`, `au1`, `uk2` and `jp1` are the ones a published add-on lists
//! (see `shared/reference/observed-payloads.md`, "Hosts").

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
    /// United Kingdom: `api.aperture-uk.paloaltonetworks.com`.
    Uk,
    /// India: `api.in1.prisma-saas.paloaltonetworks.com`.
    In1,
    /// Australia: `api.au1.prisma-saas.paloaltonetworks.com`.
    Au1,
    /// United Kingdom, second host: `api.uk2.prisma-saas.paloaltonetworks.com`.
    Uk2,
    /// Japan: `api.jp1.prisma-saas.paloaltonetworks.com`.
    Jp1,
}

impl Region {
    /// Every region, in the order `--help` lists them.
    pub const ALL: [Region; 8] = [
        Region::Us,
        Region::Eu,
        Region::Apac,
        Region::Uk,
        Region::In1,
        Region::Au1,
        Region::Uk2,
        Region::Jp1,
    ];

    /// The host name of the region's API.
    pub fn host(self) -> &'static str {
        match self {
            Region::Us => "api.aperture.paloaltonetworks.com",
            Region::Eu => "api.aperture-eu.paloaltonetworks.com",
            Region::Apac => "api.aperture-apac.paloaltonetworks.com",
            Region::Uk => "api.aperture-uk.paloaltonetworks.com",
            Region::In1 => "api.in1.prisma-saas.paloaltonetworks.com",
            Region::Au1 => "api.au1.prisma-saas.paloaltonetworks.com",
            Region::Uk2 => "api.uk2.prisma-saas.paloaltonetworks.com",
            Region::Jp1 => "api.jp1.prisma-saas.paloaltonetworks.com",
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
            Region::In1 => "in1",
            Region::Au1 => "au1",
            Region::Uk2 => "uk2",
            Region::Jp1 => "jp1",
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
            .ok_or_else(|| {
                let names: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
                format!(
                    "unknown region `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
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
        for (name, host) in [
            ("in1", "api.in1.prisma-saas.paloaltonetworks.com"),
            ("au1", "api.au1.prisma-saas.paloaltonetworks.com"),
            ("uk2", "api.uk2.prisma-saas.paloaltonetworks.com"),
            ("jp1", "api.jp1.prisma-saas.paloaltonetworks.com"),
        ] {
            assert_eq!(name.parse::<Region>().unwrap().host(), host);
        }
    }

    #[test]
    fn parses_names_case_insensitively() {
        assert_eq!("EU".parse::<Region>(), Ok(Region::Eu));
        for r in Region::ALL {
            assert_eq!(r.name().parse::<Region>(), Ok(r));
        }
        let err = "mars".parse::<Region>().unwrap_err();
        assert_eq!(
            err,
            "unknown region `mars` (expected one of us, eu, apac, uk, in1, au1, uk2, jp1)"
        );
    }
}
