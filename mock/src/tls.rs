//! The mock's HTTPS: a CA and a server certificate made at start.
//!
//! Published clients hard-code `https://` region hosts, so the mock has to
//! speak TLS under those names. At start it makes a throwaway CA (rcgen,
//! ECDSA P-256) and a server certificate signed by it, valid for
//! `localhost`, `127.0.0.1`, `::1` and every region host
//! `aperture_events_capture::region::Region` knows. A client trusts the CA (its PEM is
//! [`super::MockServer::ca_pem`]; the binary writes it to a file) and maps a
//! region host to the mock's address (a hosts-file entry, or a resolver
//! override such as `aperture-capture --resolve`). Nothing here is kept:
//! each start makes new keys.
//!
//! rustls with the *ring* provider, as the capture's HTTP client uses it.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use aperture_events_capture::region::Region;

/// The names the server certificate is valid for.
pub(crate) fn server_names() -> Vec<String> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".into(), "::1".into()];
    names.extend(Region::ALL.iter().map(|r| r.host().to_owned()));
    names
}

/// A CA and the server certificate it signed, with the server's key.
pub(crate) struct Certificates {
    /// The CA certificate, PEM.
    pub(crate) ca_pem: String,
    server_der: CertificateDer<'static>,
    ca_der: CertificateDer<'static>,
    server_key: PrivatePkcs8KeyDer<'static>,
}

impl std::fmt::Debug for Certificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificates").finish_non_exhaustive()
    }
}

impl Certificates {
    /// Makes a new CA and server certificate.
    pub(crate) fn generate() -> Result<Self, rcgen::Error> {
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.distinguished_name
            .push(DnType::CommonName, "aperture-mock test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key)?;
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate()?;
        let mut server = CertificateParams::new(server_names())?;
        server
            .distinguished_name
            .push(DnType::CommonName, "aperture-mock");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        let server_cert = server.signed_by(&server_key, &issuer)?;
        Ok(Self {
            ca_pem: ca_cert.pem(),
            ca_der: ca_cert.der().clone(),
            server_der: server_cert.der().clone(),
            server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()),
        })
    }

    /// A TLS acceptor serving the server certificate (and the CA after it).
    pub(crate) fn acceptor(&self) -> Result<tokio_rustls::TlsAcceptor, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(
                vec![self.server_der.clone(), self.ca_der.clone()],
                PrivateKeyDer::Pkcs8(self.server_key.clone_key()),
            )?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
    }
}
