//! The `idn-hostname` and `idn-email` formats, with the verdicts of the
//! `jsonschema` crate 0.61.2 (its `idna` feature, on by default there and in
//! this workspace's validator): UTS 46 (the `idna` crate jsonschema uses)
//! turns the name to ASCII, which must then be a `hostname`
//! ([`crate::hostname::is_valid_hostname`]), and back to Unicode, whose labels
//! are held to RFC 5892. An `idn-email` is an `email` whose local part may
//! hold non-ASCII and whose domain is an `idn-hostname`. The code is
//! jsonschema's (MIT).
//!
//! Behind the `idna` feature (it brings `idna`, and the `email` feature).

use crate::email::is_valid_email_domain;
use crate::hostname::{is_valid_hostname, validate_unicode_label};

/// `format: idn-hostname` (draft-07 on), as jsonschema 0.61.2 checks it.
#[must_use]
pub fn is_valid_idn_hostname(hostname: &str) -> bool {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

    let Ok(ascii_hostname) = Uts46::new().to_ascii(
        hostname.as_bytes(),
        AsciiDenyList::STD3,
        // Prohibit hyphens in the first, third, fourth, and last position in the label
        Hyphens::Check,
        DnsLength::Verify,
    ) else {
        return false;
    };

    if !is_valid_hostname(&ascii_hostname) {
        return false;
    }

    let (unicode_hostname, _) = Uts46::new().to_unicode(
        ascii_hostname.as_bytes(),
        AsciiDenyList::EMPTY,
        Hyphens::Allow,
    );

    unicode_hostname
        .split('.')
        .all(|label| !label.is_empty() && validate_unicode_label(label))
}

/// `format: idn-email`, as jsonschema 0.61.2 checks it: `email_address` 0.2
/// parses it (an empty quoted local part read as `"a"`; non-ASCII, which that
/// crate refuses in a quoted local part, read as `a` for the parse), and the
/// domain is an `idn-hostname` or a bracketed IPv4 / `IPv6:` literal.
#[must_use]
pub fn is_valid_idn_email(email: &str) -> bool {
    if let Some(domain) = email.strip_prefix("\"\"@") {
        return is_valid_idn_email(&format!("\"a\"@{domain}"));
    }
    if let Ok(parsed) = <email_address::EmailAddress as std::str::FromStr>::from_str(email) {
        return is_valid_email_domain(parsed.domain(), is_valid_idn_hostname);
    }
    if email.is_ascii() {
        return false;
    }
    let masked: String = email
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'a' })
        .collect();
    if <email_address::EmailAddress as std::str::FromStr>::from_str(&masked).is_err() {
        return false;
    }
    let mut parts = email.rsplitn(2, '@');
    let domain = parts.next().unwrap_or_default();
    if parts.next().is_none() {
        return false;
    }
    is_valid_email_domain(domain, is_valid_idn_hostname)
}
