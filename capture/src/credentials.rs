//! Where the OAuth client credentials come from.
//!
//! Never from the command line (a command line is visible to every user of
//! the machine in `ps`): from the environment (`APERTURE_CLIENT_ID`,
//! `APERTURE_CLIENT_SECRET`) or from a file given with `--credentials`. The
//! file holds `KEY=VALUE` lines with the same two keys (`#` starts a comment),
//! so one file works both for this tool and as a shell `env` file.

use std::path::{Path, PathBuf};

use crate::secret::Secret;

/// Environment variable holding the client id.
pub const CLIENT_ID_VAR: &str = "APERTURE_CLIENT_ID";
/// Environment variable holding the client secret.
pub const CLIENT_SECRET_VAR: &str = "APERTURE_CLIENT_SECRET";

/// An OAuth client's id and secret.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The client id (not secret, but kept out of messages all the same).
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
}

/// Why credentials could not be had.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Neither the environment nor a file provided them.
    #[error(
        "missing credentials: set {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} or pass --credentials FILE"
    )]
    Missing,
    /// The file could not be read.
    #[error("credentials file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is readable but lacks a key or has a bad line.
    #[error("credentials file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong (never the secret itself).
        message: String,
    },
}

impl Credentials {
    /// Credentials from the process environment.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Credentials from any `name -> value` lookup (the environment in
    /// production, a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        match (get(CLIENT_ID_VAR), get(CLIENT_SECRET_VAR)) {
            (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => Ok(Credentials {
                client_id: id,
                client_secret: Secret::new(secret),
            }),
            _ => Err(CredentialsError::Missing),
        }
    }

    /// Credentials from a `KEY=VALUE` file.
    pub fn from_file(path: &Path) -> Result<Self, CredentialsError> {
        let text = std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse_file(&text).map_err(|message| CredentialsError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    fn parse_file(text: &str) -> Result<Self, String> {
        let mut id = None;
        let mut secret = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let Some((key, value)) = line.split_once('=') else {
                return Err(format!("line {}: expected KEY=VALUE", n + 1));
            };
            let value = unquote(value.trim());
            match key.trim() {
                CLIENT_ID_VAR | "client_id" => id = Some(value.to_owned()),
                CLIENT_SECRET_VAR | "client_secret" => secret = Some(Secret::new(value)),
                // Never quote the key: a line holding only a secret (with `=`
                // in its base64 padding) would put the secret in the message.
                _ => {
                    return Err(format!(
                        "line {}: unknown key (expected {CLIENT_ID_VAR} or {CLIENT_SECRET_VAR}; \
                         the line is not shown, as it may hold a secret)",
                        n + 1
                    ));
                }
            }
        }
        match (id, secret) {
            (Some(client_id), Some(client_secret))
                if !client_id.is_empty() && !client_secret.expose().is_empty() =>
            {
                Ok(Credentials {
                    client_id,
                    client_secret,
                })
            }
            _ => Err(format!(
                "needs both {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR}"
            )),
        }
    }
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lookup() {
        let c = Credentials::from_lookup(|k| match k {
            CLIENT_ID_VAR => Some("id".into()),
            CLIENT_SECRET_VAR => Some("s3cr3t".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.client_id, "id");
        assert_eq!(c.client_secret.expose(), "s3cr3t");
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn missing_or_empty_is_an_error() {
        assert!(matches!(
            Credentials::from_lookup(|_| None),
            Err(CredentialsError::Missing)
        ));
        let empty = Credentials::from_lookup(|_| Some(String::new()));
        assert!(matches!(empty, Err(CredentialsError::Missing)));
    }

    #[test]
    fn parses_env_style_file() {
        let c = Credentials::parse_file(
            "# creds\nexport APERTURE_CLIENT_ID=abc\nAPERTURE_CLIENT_SECRET=\"x=y\"\n",
        )
        .unwrap();
        assert_eq!(c.client_id, "abc");
        assert_eq!(c.client_secret.expose(), "x=y");
    }

    #[test]
    fn file_errors_never_show_the_secret() {
        let err = Credentials::parse_file("APERTURE_CLIENT_SECRET=topsecret\n").unwrap_err();
        assert!(err.contains("needs both"), "{err}");
        assert!(!err.contains("topsecret"));
        let err = Credentials::parse_file("topsecret\n").unwrap_err();
        assert_eq!(err, "line 1: expected KEY=VALUE");
        // A base64 secret alone on a line splits at its padding.
        let err = Credentials::parse_file("APERTURE_CLIENT_ID=x\nc2VjcmV0LXZhbHVl=\n").unwrap_err();
        assert!(err.starts_with("line 2: unknown key"), "{err}");
        assert!(!err.contains("c2Vj"), "{err}");
        let err = Credentials::parse_file(" c2VjcmV0 = x\n").unwrap_err();
        assert!(!err.contains("c2Vj"), "{err}");
    }
}
