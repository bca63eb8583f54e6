//! Using the generator from `build.rs` compiles no HTTP client, no regex
//! crate (not even a parser: codegen's `patterns` feature stays off) and no
//! JSON Schema validator: checked on this crate's own dependency graph
//! (normal and build dependencies), as cargo resolves it. And the validator
//! takes the `date-time` rule from the runtime, not from the types crate.

use std::process::Command;

/// Crates that must not be on the build path.
const FORBIDDEN: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "http",
    "rustls",
    "openssl",
    "native-tls",
    "regex",
    "regex-automata",
    "regex-syntax",
    "fancy-regex",
    "jsonschema-regex",
    "jsonschema",
    "referencing",
    "clap",
];

/// The normal dependencies of `package` with `args`, one crate name a line.
fn tree(package: &str, args: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The capture as a library (`default-features = false`): the client, the
/// runner and the journal, without the mock's server, the forwarder's NATS
/// client and runtime, the validator or the command line.
#[test]
fn the_capture_library_pulls_no_server_runtime_nats_or_validator() {
    let crates = tree("aperture-events-capture", &["--no-default-features"]);
    assert!(
        crates.iter().any(|c| c == "aperture-events-journal"),
        "the journal is a dependency: {crates:?}"
    );
    let forbidden = [
        "hyper",
        "tokio",
        "async-nats",
        "aperture-events-validator",
        "aperture-events-forward",
        "aperture-events-mock",
        "clap",
        "indicatif",
    ];
    let found: Vec<&&str> = forbidden
        .iter()
        .filter(|f| crates.iter().any(|c| c == *f))
        .collect();
    assert!(
        found.is_empty(),
        "in the capture library: {found:?}\n{crates:?}"
    );
    // The metric families and the expiry model are the library's (light:
    // atomics and a text encoder); the HTTP listener is the command line's.
    assert!(
        crates.iter().any(|c| c == "prometheus-client"),
        "the metrics are in the library: {crates:?}"
    );
    // The binary's features do bring them: the check above sees the tree.
    let cli = tree("aperture-events-capture", &[]);
    for needed in [
        "aperture-events-validator",
        "aperture-events-forward",
        "tokio",
        "hyper",
    ] {
        assert!(
            cli.iter().any(|c| c == needed),
            "the binary's {needed}: {cli:?}"
        );
    }
}

/// The validator as a library (`default-features = false`, as the workspace,
/// Python and capture's `--validate` depend on it): the schemas, the readers
/// and the classifier, without the command line's flag parser, error chain
/// and progress bar.
#[test]
fn the_validator_library_pulls_no_command_line_crates() {
    let crates = tree("aperture-events-validator", &["--no-default-features"]);
    assert!(
        crates.iter().any(|c| c == "jsonschema"),
        "the validator is in the tree: {crates:?}"
    );
    let found: Vec<&str> = ["clap", "anyhow", "indicatif"]
        .into_iter()
        .filter(|f| crates.iter().any(|c| c == f))
        .collect();
    assert!(
        found.is_empty(),
        "in the validator library: {found:?}\n{crates:?}"
    );
    // The binary's feature does bring them: the check above sees the tree.
    let cli = tree("aperture-events-validator", &[]);
    for needed in ["clap", "anyhow", "indicatif"] {
        assert!(
            cli.iter().any(|c| c == needed),
            "the binary's {needed}: {cli:?}"
        );
    }
}

/// The forwarder as a library has no HTTP server: `--metrics-listen`'s
/// listener (`serve`) comes with its command line (feature `cli`).
#[test]
fn the_forward_library_pulls_no_http_server() {
    let crates = tree("aperture-events-forward", &["--no-default-features"]);
    for forbidden in ["hyper", "hyper-util", "clap"] {
        assert!(
            !crates.iter().any(|c| c == forbidden),
            "{forbidden} in the forward library: {crates:?}"
        );
    }
    assert!(crates.iter().any(|c| c == "prometheus-client"));
}

/// The validator needs the `date-time` rule, from the runtime: never the
/// types crate (thousands of generated lines) for one function.
#[test]
fn the_validator_pulls_the_runtime_not_the_types() {
    let crates = tree("aperture-events-validator", &[]);
    assert!(
        crates.iter().any(|c| c == "aperture-events-runtime"),
        "the runtime is a dependency: {crates:?}"
    );
    assert!(
        !crates.iter().any(|c| c == "aperture-events"),
        "the types crate is in the validator's tree: {crates:?}"
    );
}

/// The types crate calls the runtime, with none of its optional features
/// (the stock schemas need none): no regex crate in the types' tree.
#[test]
fn the_types_pull_the_runtime_without_regex() {
    let crates = tree("aperture-events", &[]);
    assert!(
        crates.iter().any(|c| c == "aperture-events-runtime"),
        "the runtime is a dependency: {crates:?}"
    );
    let found: Vec<&&str> = FORBIDDEN
        .iter()
        .filter(|f| crates.iter().any(|c| c == *f))
        .collect();
    assert!(
        found.is_empty(),
        "in the types' tree: {found:?}\n{crates:?}"
    );
}

#[test]
fn build_path_pulls_no_http_regex_or_validator() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "aperture-events-downstream",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"aperture-events-codegen"),
        "the generator is a dependency: {crates:?}"
    );
    let found: Vec<&&str> = FORBIDDEN.iter().filter(|f| crates.contains(f)).collect();
    assert!(found.is_empty(), "on the build path: {found:?}\n{tree}");
}
