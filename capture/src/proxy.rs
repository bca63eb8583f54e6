//! Which proxy, if any, a capture may use.
//!
//! A proxy sees whatever is not encrypted end to end, and the token request
//! carries the client secret. So a proxy from the environment is honoured
//! only when the target and the proxy are both `https` (TLS to the proxy,
//! and a tunnel through it), or both on loopback (nothing leaves the
//! machine); any other combination is refused with a message naming the
//! variable, rather than silently ignored or silently used. `--no-proxy`
//! ignores the variables altogether.
//!
//! The variables are read as curl reads them: for an `https` target
//! `HTTPS_PROXY` then `ALL_PROXY`, for an `http` target `HTTP_PROXY` then
//! `ALL_PROXY`, each upper case first, then lower case; the first that is set
//! and not empty is the one. A target host listed in `NO_PROXY`/`no_proxy`
//! (exact host, a domain suffix, or `*`) goes direct.

use ureq::http::Uri;

use crate::config::{ConfigError, is_loopback};

/// The proxy URL to use for `base_url`, reading variables with `get`.
pub fn choose(
    base_url: &str,
    get: impl Fn(&str) -> Option<String>,
) -> Result<Option<String>, ConfigError> {
    let Ok(target) = base_url.parse::<Uri>() else {
        return Ok(None);
    };
    let host = target.host().unwrap_or_default();
    let https = target.scheme_str() == Some("https");
    let names: [&'static str; 4] = if https {
        ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    let Some((name, value)) = names
        .into_iter()
        .find_map(|n| get(n).filter(|v| !v.trim().is_empty()).map(|v| (n, v)))
    else {
        return Ok(None);
    };
    let no_proxy = get("NO_PROXY")
        .or_else(|| get("no_proxy"))
        .unwrap_or_default();
    if bypassed(host, &no_proxy) {
        return Ok(None);
    }
    let refuse = |why: String| ConfigError {
        flag: name,
        message: format!("{why}; unset {name} or pass --no-proxy to connect directly"),
    };
    let value = value.trim();
    // A bare `host:port` means an http proxy, as curl reads it.
    let with_scheme = if value.contains("://") {
        value.to_owned()
    } else {
        format!("http://{value}")
    };
    let proxy: Uri = with_scheme
        .parse()
        .map_err(|_| refuse("is not a proxy url".into()))?;
    let Some(proxy_host) = proxy.host() else {
        return Err(refuse("has no host".into()));
    };
    let scheme = proxy.scheme_str().unwrap_or("http");
    if !["http", "https", "socks4", "socks4a", "socks5", "socks5h"].contains(&scheme) {
        return Err(refuse(format!("has an unknown proxy scheme `{scheme}`")));
    }
    // Named without any user:password the value may hold.
    let shown = format!(
        "{}://{}{}",
        proxy.scheme_str().unwrap_or("http"),
        proxy_host,
        proxy
            .port_u16()
            .map(|p| format!(":{p}"))
            .unwrap_or_default()
    );
    let both_https = https && proxy.scheme_str() == Some("https");
    let both_loopback = is_loopback(host) && is_loopback(proxy_host);
    if both_https || both_loopback {
        return Ok(Some(with_scheme));
    }
    Err(refuse(format!(
        "the proxy {shown} is not used for {base_url}: a proxy is honoured only when it and \
         the API are both https, or both on loopback"
    )))
}

/// Whether `host` is listed in a `NO_PROXY` value.
fn bypassed(host: &str, no_proxy: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    no_proxy.split(',').map(str::trim).any(|entry| {
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        !entry.is_empty()
            && (entry == "*"
                || host.eq_ignore_ascii_case(entry)
                || host
                    .to_ascii_lowercase()
                    .ends_with(&format!(".{}", entry.to_ascii_lowercase())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    const LOCAL: &str = "http://127.0.0.1:8089";
    const REGION: &str = "https://api.aperture.paloaltonetworks.com";

    #[test]
    fn a_non_loopback_proxy_for_a_loopback_target_is_refused_by_name() {
        for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            let e = choose(LOCAL, env(&[(name, "http://user:pw@10.1.2.3:3128")])).unwrap_err();
            assert_eq!(e.flag, name);
            let text = e.to_string();
            assert!(
                text.starts_with(&format!("{name}: the proxy http://10.1.2.3:3128 ")),
                "{text}"
            );
            assert!(
                text.contains("--no-proxy") && !text.contains("pw"),
                "{text}"
            );
        }
    }

    #[test]
    fn both_loopback_or_both_https_are_honoured() {
        assert_eq!(
            choose(LOCAL, env(&[("HTTP_PROXY", "http://127.0.0.1:3128")])).unwrap(),
            Some("http://127.0.0.1:3128".into())
        );
        assert_eq!(
            choose(REGION, env(&[("HTTPS_PROXY", "https://proxy.corp:443")])).unwrap(),
            Some("https://proxy.corp:443".into())
        );
        let e = choose(REGION, env(&[("HTTPS_PROXY", "proxy.corp:3128")])).unwrap_err();
        assert_eq!(e.flag, "HTTPS_PROXY");
        let e = choose(REGION, env(&[("ALL_PROXY", "socks5://127.0.0.1:1080")])).unwrap_err();
        assert_eq!(e.flag, "ALL_PROXY", "loopback proxy, remote target");
        let e = choose(LOCAL, env(&[("HTTP_PROXY", "ftp://127.0.0.1:21")])).unwrap_err();
        assert!(
            e.message.starts_with("has an unknown proxy scheme `ftp`"),
            "{e}"
        );
    }

    #[test]
    fn the_other_schemes_variable_and_no_proxy_mean_direct() {
        assert_eq!(
            choose(LOCAL, env(&[("HTTPS_PROXY", "http://10.1.2.3:1")])).unwrap(),
            None
        );
        assert_eq!(
            choose(REGION, env(&[("HTTP_PROXY", "http://10.1.2.3:1")])).unwrap(),
            None
        );
        let vars = [
            ("HTTP_PROXY", "http://10.1.2.3:1"),
            ("NO_PROXY", "localhost, 127.0.0.1"),
        ];
        assert_eq!(choose(LOCAL, env(&vars)).unwrap(), None);
        let vars = [
            ("HTTPS_PROXY", "http://10.1.2.3:1"),
            ("no_proxy", ".paloaltonetworks.com"),
        ];
        assert_eq!(choose(REGION, env(&vars)).unwrap(), None);
        assert_eq!(choose(LOCAL, env(&[("HTTP_PROXY", " ")])).unwrap(), None);
    }
}
