//! The differential test of the code generator against `jsonschema`: the
//! hand-written case corpus (`tests/differential/cases/*.json`, one file per
//! construct) and seeded random schemas, compiled as one batch.
//!
//! Passes when, for every instance, `jsonschema` (draft 2020-12, formats
//! asserted) accepts it exactly when the generated type deserializes it, an
//! accepted instance serializes back to equal JSON, every case generates
//! (unless its case file says `"refused": true`) and the generated code
//! compiles and is clippy-clean. `DIFFERENTIAL_ALLOW_REFUSED=1` skips (and
//! lists) the cases the generator refuses, while constructs are being added.

use aperture_events_tests::differential::{self, compare::Options};

#[test]
#[allow(clippy::print_stdout, reason = "the counts are the test's figures")]
fn generated_types_agree_with_jsonschema() {
    let dir = aperture_events_tests::repo_root().join("tests/differential/cases");
    let cases = differential::case::load_dir(&dir);
    let report = differential::run_batch(&cases, &Options::from_env());
    println!("{}", report.render());
    assert!(report.passed(), "{}", report.render());
}
