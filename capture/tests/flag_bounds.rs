//! Every numeric flag of `aperture-capture` (but its `--forward` ones, whose
//! tests live with the forwarder; the mock's are in the mock's tests), given 10^10 and
//! 2^64-1: either refused at once with an error naming the flag and its
//! bound (exit 2), or taken and run normally. Never an abort, a panic, or a
//! wait of minutes (each run is killed, failing the test, after 60 s).

mod common;

use common::*;

#[test]
fn every_numeric_capture_flag_is_bounded() {
    let mock = start(mock_config(), 5);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.ndjson");
    let mut cases: Vec<(&str, &str, Expect)> = vec![
        ("--size", TEN_BILLION, refused("--size", "")),
        ("--size", U64_MAX, refused("--size", "")),
        ("--max-events", TEN_BILLION, Expect::Taken),
        ("--max-events", U64_MAX, Expect::Taken),
        (
            "--poll-wait-ms",
            TEN_BILLION,
            refused("--poll-wait-ms", "is not in 0..=3600000"),
        ),
        (
            "--poll-wait-ms",
            U64_MAX,
            refused("--poll-wait-ms", "is not in 0..=3600000"),
        ),
        (
            "--timeout-secs",
            TEN_BILLION,
            refused("--timeout-secs", "is not in 1..=86400"),
        ),
        (
            "--timeout-secs",
            U64_MAX,
            refused("--timeout-secs", "is not in 1..=86400"),
        ),
        (
            "--max-failures",
            TEN_BILLION,
            refused("--max-failures", "is not in 0..=4294967295"),
        ),
        ("--max-failures", U64_MAX, refused("--max-failures", "")),
        (
            "--retry-base-ms",
            TEN_BILLION,
            refused("--retry-base-ms", "is not in 0..=3600000"),
        ),
        (
            "--retry-base-ms",
            U64_MAX,
            refused("--retry-base-ms", "is not in 0..=3600000"),
        ),
        (
            "--retry-cap-ms",
            TEN_BILLION,
            refused("--retry-cap-ms", "is not in 0..=3600000"),
        ),
        (
            "--retry-cap-ms",
            U64_MAX,
            refused("--retry-cap-ms", "is not in 0..=3600000"),
        ),
        (
            "--max-body",
            TEN_BILLION,
            refused("--max-body", "is not in 1..=268435456"),
        ),
        (
            "--max-body",
            U64_MAX,
            refused("--max-body", "is not in 1..=268435456"),
        ),
        (
            "--retention-secs",
            TEN_BILLION,
            refused("--retention-secs", "is not in 1..=604800"),
        ),
        (
            "--retention-secs",
            U64_MAX,
            refused("--retention-secs", "is not in 1..=604800"),
        ),
        ("--rotate-size", TEN_BILLION, Expect::Taken),
        ("--rotate-size", U64_MAX, Expect::Taken),
        ("--max-rejects-size", TEN_BILLION, Expect::Taken),
        ("--max-rejects-size", U64_MAX, Expect::Taken),
        (
            "--file-mode",
            TEN_BILLION,
            Expect::Refused(vec![
                "--file-mode: `10000000000`: only read and write bits (at most 0666)".into(),
            ]),
        ),
        (
            "--file-mode",
            U64_MAX,
            Expect::Refused(vec![
                "--file-mode: `18446744073709551615` is not an octal mode".into(),
            ]),
        ),
    ];
    // Ports inside --resolve: parsed as u16, the rule refused whole.
    let resolve = "`api.aperture.paloaltonetworks.com:";
    cases.extend([
        (
            "--resolve",
            "api.aperture.paloaltonetworks.com:10000000000:127.0.0.1",
            Expect::Refused(vec![format!(
                "--resolve: {resolve}10000000000:127.0.0.1` is not HOST:PORT:ADDR"
            )]),
        ),
        (
            "--resolve",
            "api.aperture.paloaltonetworks.com:443:127.0.0.1:18446744073709551615",
            Expect::Refused(vec![format!(
                "--resolve: {resolve}443:127.0.0.1:18446744073709551615` is not HOST:PORT:ADDR"
            )]),
        ),
    ]);
    for (flag, value, expect) in cases {
        let what = format!("aperture-capture {flag} {value}");
        let out = run(bare()
            .args(["--base-url", &mock.base_url(), "--until-drained", "-o"])
            .arg(&journal)
            .args([flag, value]));
        check(&what, &out, &expect);
    }
}
