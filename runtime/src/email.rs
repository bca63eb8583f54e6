//! The `email` format, with the verdicts of the `jsonschema` crate 0.61.2
//! (draft 2020-12, formats asserted): the address is parsed by the crate
//! jsonschema uses (`email_address` 0.2), its domain checked by jsonschema's
//! own hostname rule ([`crate::hostname::is_valid_hostname`]).
//!
//! Behind the `email` feature (it brings `email_address`, and the `hostname`
//! feature).

/// `format: email`, as jsonschema 0.61.2 checks it: `email_address` 0.2
/// parses it (an empty quoted local part read as `"a"`), the local part is
/// ASCII, and the domain is a hostname or a bracketed IPv4 / `IPv6:` literal.
#[must_use]
pub fn is_valid_email(email: &str) -> bool {
    if let Some(domain) = email.strip_prefix("\"\"@") {
        return is_valid_email(&format!("\"a\"@{domain}"));
    }
    match <email_address::EmailAddress as std::str::FromStr>::from_str(email) {
        Ok(parsed) => {
            parsed.local_part().is_ascii()
                && is_valid_email_domain(parsed.domain(), crate::hostname::is_valid_hostname)
        }
        Err(_) => false,
    }
}

/// The domain of an email address: a hostname (by `hostname`), `[IPv4]` or `[IPv6:...]`.
pub(crate) fn is_valid_email_domain(domain: &str, hostname: fn(&str) -> bool) -> bool {
    const IPV6_TAG: &str = "IPv6:";
    if let Some(domain) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        if domain
            .as_bytes()
            .get(..IPV6_TAG.len())
            .is_some_and(|tag| tag.eq_ignore_ascii_case(IPV6_TAG.as_bytes()))
        {
            domain[IPV6_TAG.len()..]
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
        } else {
            domain.parse::<std::net::Ipv4Addr>().is_ok()
        }
    } else {
        hostname(domain)
    }
}
