//! The differential test of the code generator against `jsonschema`: the
//! hand-written case corpus (`tests/differential/cases/*.json`, one file per
//! construct; each case at the root of its file and again in a property's
//! place) and seeded random schemas from the supported grammar
//! (`aperture-events-schema-grammar`), compiled as one batch.
//!
//! Passes when, for every instance, `jsonschema` (draft 2020-12, formats
//! asserted) accepts it exactly when the generated type deserializes it, an
//! accepted instance serializes back to equal JSON, every case generates
//! (unless its case file says `"refused": true`) and the generated code
//! compiles and is clippy-clean. `DIFFERENTIAL_ALLOW_REFUSED=1` skips (and
//! lists) the cases the generator refuses, while constructs are being added;
//! `DIFFERENTIAL_SEEDS` sets how many random schemas (default 150).

use aperture_events_tests::differential::{self, compare::Options};

/// The first seed of the random schemas: fixed, so a run is reproducible.
const SEED: u64 = 20_261_127;

#[test]
#[allow(clippy::print_stdout, reason = "the counts are the test's figures")]
fn generated_types_agree_with_jsonschema() {
    let dir = aperture_events_tests::repo_root().join("tests/differential/cases");
    let mut cases = differential::case::with_property_twins(differential::case::load_dir(&dir));
    let hand_written = cases.len();
    let seeds = std::env::var("DIFFERENTIAL_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    cases.extend(differential::case::seeded(SEED, seeds));
    let report = differential::run_batch("test", &cases, &Options::from_env());
    println!("{hand_written} hand-written cases, {seeds} random ones (seed {SEED})");
    println!("{}", report.render());
    assert!(
        report.passed(),
        "{} disagreements, {} failures (listed above)",
        report.disagreements.len(),
        report.failures.len()
    );
}
