//! How the capture reaches the API: which CA certificates it trusts, and
//! where host names resolve.
//!
//! Both exist so that a capture can run against a stand-in for the API under
//! the real region host names, without touching system files: `--ca-file`
//! trusts the certificates of a file (the mock's throwaway CA, a company's
//! TLS-inspecting proxy) instead of the built-in web roots, as curl's
//! `--cacert` does, and `--resolve HOST:PORT:ADDR` sends connections for
//! `HOST:PORT` to `ADDR`, as curl's `--resolve` does. `ADDR` may carry a port
//! of its own (`127.0.0.1:8443`), so a region host's port 443 can be mapped
//! to a mock on an unprivileged port. The certificate is still checked
//! against `HOST`: a resolver override never weakens TLS.
//!
//! The resolver hook is ureq's `unversioned` API; ureq is pinned in the
//! workspace, so a change there shows up as a build error, not a surprise.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// One `--resolve` rule: connections for `host:port` go to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveRule {
    /// Host name as in the URL (compared without case).
    pub host: String,
    /// Port as in the URL (443 for `https://` without one).
    pub port: u16,
    /// Where to connect instead.
    pub to: SocketAddr,
}

impl FromStr for ResolveRule {
    type Err = String;

    /// `HOST:PORT:ADDR` or `HOST:PORT:ADDR:PORT2`; an IPv6 `ADDR` in brackets.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err =
            || format!("`{s}` is not HOST:PORT:ADDR (ADDR an IP address, optionally with :PORT)");
        let (host, rest) = s.split_once(':').ok_or_else(err)?;
        let (port, addr) = rest.split_once(':').ok_or_else(err)?;
        if host.is_empty() {
            return Err(err());
        }
        let port: u16 = port.parse().map_err(|_| err())?;
        let to = match addr.parse::<SocketAddr>() {
            Ok(a) => a,
            Err(_) => {
                let bare = addr.trim_start_matches('[').trim_end_matches(']');
                SocketAddr::new(bare.parse::<IpAddr>().map_err(|_| err())?, port)
            }
        };
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
            to,
        })
    }
}

/// Trust and name resolution for the capture's connections.
#[derive(Debug, Clone, Default)]
pub struct Connect {
    /// CA certificates (DER) to trust instead of the built-in web roots; empty: the web roots.
    pub ca_certs: Vec<Vec<u8>>,
    /// Resolver overrides.
    pub resolve: Vec<ResolveRule>,
}

impl Connect {
    /// The TLS settings: the CA certificates given, or ureq's defaults.
    pub fn tls_config(&self) -> TlsConfig {
        if self.ca_certs.is_empty() {
            return TlsConfig::default();
        }
        let certs: Vec<Certificate<'static>> = self
            .ca_certs
            .iter()
            .map(|der| Certificate::from_der(der).to_owned())
            .collect();
        TlsConfig::builder()
            .root_certs(RootCerts::new_with_certs(&certs))
            .build()
    }

    /// An agent with `config`, resolving through the overrides if there are any.
    pub fn agent(&self, config: Config) -> ureq::Agent {
        if self.resolve.is_empty() {
            return config.into();
        }
        let resolver = OverrideResolver {
            rules: Arc::new(self.resolve.clone()),
            fallback: DefaultResolver::default(),
        };
        ureq::Agent::with_parts(config, DefaultConnector::default(), resolver)
    }
}

/// Reads the certificates of a PEM file; at least one is required.
pub fn load_ca_file(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    load_ca_pem(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The certificates (DER) of PEM text; at least one is required.
pub fn load_ca_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c.der().to_vec()),
            Ok(_) => {}
            Err(e) => return Err(format!("not PEM: {e}")),
        }
    }
    if certs.is_empty() {
        return Err("no certificate (-----BEGIN CERTIFICATE-----) in the file".into());
    }
    Ok(certs)
}

#[derive(Debug)]
struct OverrideResolver {
    rules: Arc<Vec<ResolveRule>>,
    fallback: DefaultResolver,
}

impl Resolver for OverrideResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri.port_u16().or_else(|| match uri.scheme_str() {
            Some("http") => Some(80),
            Some("https") => Some(443),
            _ => None,
        });
        let rule = self
            .rules
            .iter()
            .find(|r| r.host.eq_ignore_ascii_case(host) && Some(r.port) == port);
        match rule {
            Some(r) => {
                let mut addrs = self.empty();
                addrs.push(r.to);
                Ok(addrs)
            }
            None => self.fallback.resolve(uri, config, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_rules_parse_like_curl_with_an_optional_port() {
        let r: ResolveRule = "API.aperture.paloaltonetworks.com:443:127.0.0.1"
            .parse()
            .unwrap();
        assert_eq!(r.host, "api.aperture.paloaltonetworks.com");
        assert_eq!((r.port, r.to), (443, "127.0.0.1:443".parse().unwrap()));
        let r: ResolveRule = "h:443:127.0.0.1:8443".parse().unwrap();
        assert_eq!(r.to, "127.0.0.1:8443".parse().unwrap());
        let r: ResolveRule = "h:443:[::1]".parse().unwrap();
        assert_eq!(r.to, "[::1]:443".parse().unwrap());
        let r: ResolveRule = "h:443:[::1]:9".parse().unwrap();
        assert_eq!(r.to, "[::1]:9".parse().unwrap());
        for bad in [
            "h",
            "h:443",
            ":443:127.0.0.1",
            "h:x:127.0.0.1",
            "h:443:localhost",
            "h:99999:127.0.0.1",
        ] {
            assert!(bad.parse::<ResolveRule>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_override_answers_only_its_host_and_port() {
        let resolver = OverrideResolver {
            rules: Arc::new(vec!["api.example.test:443:127.0.0.1:9".parse().unwrap()]),
            fallback: DefaultResolver::default(),
        };
        let config = Config::default();
        let got = resolver
            .resolve(
                &"https://API.example.test/x".parse().unwrap(),
                &config,
                NextTimeout::default(),
            )
            .unwrap();
        let want: SocketAddr = "127.0.0.1:9".parse().unwrap();
        assert_eq!(got.iter().copied().collect::<Vec<_>>(), [want]);
        // Another port falls through to the system resolver (a literal address: no lookup).
        let other = resolver
            .resolve(
                &"http://127.0.0.2:80/".parse().unwrap(),
                &config,
                NextTimeout::default(),
            )
            .unwrap();
        let want: SocketAddr = "127.0.0.2:80".parse().unwrap();
        assert_eq!(other.iter().copied().collect::<Vec<_>>(), [want]);
    }

    #[test]
    fn a_ca_file_needs_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        assert!(load_ca_file(&empty).unwrap_err().contains("no certificate"));
        assert!(load_ca_file(&dir.path().join("missing.pem")).is_err());
    }
}
