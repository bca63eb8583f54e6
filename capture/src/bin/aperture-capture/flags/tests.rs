use super::*;

fn settings(args: &[&str]) -> Result<Settings, String> {
    let mut argv = vec!["aperture-capture"];
    argv.extend_from_slice(args);
    let raw = RawFlags::try_parse_from(argv).map_err(|e| e.to_string())?;
    Settings::from_raw_with_env(raw, |_| None).map_err(|e| e.to_string())
}

#[test]
fn proxies_and_modes() {
    let raw = RawFlags::try_parse_from([
        "aperture-capture",
        "--base-url",
        "http://127.0.0.1:9",
        "-o",
        "x",
    ])
    .unwrap();
    let proxy_env = |k: &str| (k == "HTTP_PROXY").then(|| "http://0.0.0.0:3128".to_owned());
    let err = Settings::from_raw_with_env(raw, proxy_env).unwrap_err();
    assert_eq!(err.flag, "HTTP_PROXY");
    let raw = RawFlags::try_parse_from([
        "aperture-capture",
        "--base-url",
        "http://127.0.0.1:9",
        "-o",
        "x",
        "--no-proxy",
    ])
    .unwrap();
    let s = Settings::from_raw_with_env(raw, proxy_env).unwrap();
    assert_eq!(s.capture.proxy, None);
    let s = settings(&["--region", "us", "-o", "x", "--file-mode", "0640"]).unwrap();
    assert_eq!(s.journal.mode.file(), 0o640);
    assert_eq!(
        settings(&["--region", "us", "-o", "x", "--file-mode", "0700"]).unwrap_err(),
        "--file-mode: `0700`: only read and write bits (at most 0666) are allowed"
    );
}

#[test]
fn sizes() {
    let parse = |t| parse_size("--rotate-size", t);
    assert_eq!(parse("64K").unwrap(), 65536);
    assert_eq!(parse("2g").unwrap(), 2 << 30);
    assert_eq!(parse("123").unwrap(), 123);
    assert_eq!(parse("18446744073709551615").unwrap(), u64::MAX);
    assert!(parse("0").is_err());
    assert!(parse("M").is_err());
    assert!(parse("99999999999999999999G").is_err());
    assert!(parse("18446744073709551615K").is_err());
}

#[test]
fn defaults_and_checks() {
    let s = settings(&["--region", "eu", "-o", "j.ndjson"]).unwrap();
    assert_eq!(
        s.capture.base_url,
        "https://api.aperture-eu.paloaltonetworks.com"
    );
    assert_eq!(s.capture.endpoint, Endpoint::Bulk { size: 100 });
    assert_eq!(s.rejects, PathBuf::from("j.ndjson.rejects"));
    assert!(s.journal.fsync);
    assert_eq!(
        settings(&["--region", "mars", "-o", "x"]).unwrap_err(),
        "--region: unknown region `mars` (expected one of us, eu, apac, uk, in1, au1, uk2, jp1)"
    );
    assert!(
        settings(&["--region", "us", "--size", "101", "-o", "x"])
            .unwrap_err()
            .starts_with("--size:")
    );
    assert!(
        settings(&["--region", "us", "-o", "-", "--rotate-size", "1M"])
            .unwrap_err()
            .starts_with("--rotate-size:")
    );
    assert!(
        settings(&[
            "--region",
            "us",
            "--base-url",
            "http://127.0.0.1:1",
            "-o",
            "x"
        ])
        .is_err()
    );
    assert!(settings(&["-o", "x"]).is_err());
    let s = settings(&["--base-url", "http://127.0.0.1:9", "--single", "-o", "-"]).unwrap();
    assert_eq!(s.capture.endpoint, Endpoint::Single);
    assert_eq!(s.out, OutTarget::Stdout);
}

#[test]
fn ca_file_and_resolve_are_checked() {
    let s = settings(&[
        "--region",
        "jp1",
        "-o",
        "x",
        "--resolve",
        "api.jp1.prisma-saas.paloaltonetworks.com:443:127.0.0.1:8443",
    ])
    .unwrap();
    assert_eq!(
        s.capture.base_url,
        "https://api.jp1.prisma-saas.paloaltonetworks.com"
    );
    assert_eq!(s.capture.connect.resolve[0].to.port(), 8443);
    assert!(
        settings(&["--region", "us", "-o", "x", "--resolve", "nonsense"])
            .unwrap_err()
            .starts_with("--resolve: `nonsense` is not HOST:PORT:ADDR")
    );
    assert!(
        settings(&[
            "--region",
            "us",
            "-o",
            "x",
            "--ca-file",
            "/nonexistent/ca.pem"
        ])
        .unwrap_err()
        .starts_with("--ca-file: /nonexistent/ca.pem:")
    );
}

#[test]
fn no_flag_takes_a_secret() {
    let err = settings(&["--region", "us", "-o", "x", "--client-secret", "s"]).unwrap_err();
    assert!(err.contains("unexpected argument"), "{err}");
}
