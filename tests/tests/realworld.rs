//! The code generator on real, published schemas with their published
//! instances (`tests/realworld/README.md`), against `jsonschema`.
//!
//! The corpus is downloaded, not vendored: `bash tests/realworld/run.sh`
//! fetches the pinned packages, builds the corpus and runs this test with
//! `REALWORLD_CORPUS` set (hence `#[ignore]` in a plain `cargo test`).
//!
//! Each schema may be refused, with its pointer; a schema that generates must
//! compile clippy-clean and agree with `jsonschema` on every instance, and
//! round trip each accepted one. The acceptance count is a ratchet: fewer
//! schemas accepted than [`LEAST_ACCEPTED`] fails, so support only grows.

use std::path::PathBuf;

use aperture_events_codegen::Draft;
use aperture_events_tests::differential::{self, compare::Options, suite};

/// Schemas of the corpus the generator accepted when this was last raised.
const LEAST_ACCEPTED: usize = 22;

/// Schemas the corpus holds at least (so a broken download fails).
const LEAST_SCHEMAS: usize = 23;

#[test]
#[ignore = "needs the downloaded corpus: bash tests/realworld/run.sh"]
#[allow(clippy::print_stdout, reason = "the counts are the test's figures")]
fn generated_types_agree_with_jsonschema_on_real_world_schemas() {
    // `tests/realworld/survey.sh --compile` runs this on batches of another
    // corpus: agreement and clean code are asserted, the counts are not.
    let survey = std::env::var_os("REALWORLD_SURVEY").is_some();
    let dir = PathBuf::from(
        std::env::var_os("REALWORLD_CORPUS")
            .expect("REALWORLD_CORPUS: the corpus directory (bash tests/realworld/run.sh sets it)"),
    );
    // Every schema declares its `$schema`; the default only names a draft
    // for the oracle and the generator alike.
    let mut loaded = suite::load(&dir, Draft::Draft202012);
    assert!(
        survey || loaded.len() >= LEAST_SCHEMAS,
        "only {} schemas under {}",
        loaded.len(),
        dir.display()
    );
    for schema in &mut loaded {
        schema.case.name = schema.case.name.replacen("suite/", "realworld/", 1);
        schema.case.may_refuse = true;
    }
    let publisher_departures = suite::disagreements_with_suite(&loaded);
    let cases: Vec<_> = loaded.into_iter().map(|s| s.case).collect();
    let report = differential::run_batch("realworld", &cases, &Options::from_env());
    println!("{}", report.render());

    // Every case may be refused: the report files a refusal under either list.
    let refused: std::collections::BTreeMap<&str, &str> = report
        .refused_as_expected
        .iter()
        .chain(&report.refused_skipped)
        .map(|(case, error)| (case.as_str(), error.lines().next().unwrap_or_default()))
        .collect();
    for case in &cases {
        let instances = case.instances.len();
        match refused.get(case.name.as_str()) {
            Some(error) => println!(
                "realworld: refused   {} ({instances} instances): {error}",
                case.name
            ),
            None => {
                let disagreeing = report
                    .disagreements
                    .iter()
                    .filter(|d| d.case == case.name)
                    .count();
                println!(
                    "realworld: generated {}: {} of {instances} instances agree",
                    case.name,
                    instances - disagreeing
                );
            }
        }
    }
    for (case, instance, valid) in &publisher_departures {
        let short: String = instance.chars().take(120).collect();
        println!(
            "realworld: jsonschema departs from the publisher: {case}: {short} (published: valid={valid})"
        );
    }
    let accepted = cases.len() - refused.len();
    println!(
        "realworld: {} schemas, {accepted} generated, {} refused; {} instances, {} disagreements; \
         jsonschema departs from the published verdict on {} instances",
        cases.len(),
        refused.len(),
        report.instances,
        report.disagreements.len(),
        publisher_departures.len()
    );
    assert!(
        report.passed(),
        "{} disagreements, {} failures (listed above)",
        report.disagreements.len(),
        report.failures.len()
    );
    assert!(
        survey || accepted >= LEAST_ACCEPTED,
        "{accepted} schemas generated, fewer than the {LEAST_ACCEPTED} of before (refusals listed above)"
    );
}
