//! The code generator on the official JSON Schema Test Suite (draft 2020-12,
//! `tests/differential/suite/`), against `jsonschema`: every group whose
//! schema uses only what the generator speaks must generate, compile
//! clippy-clean, and agree with `jsonschema` on every test's data (and round
//! trip it). Groups using what the generator refuses by design may be refused,
//! with a pointer; when they generate anyway, they must agree all the same.
//!
//! Prints the counts: groups, generated, refused, instances, agreements, and
//! where `jsonschema` itself departs from the suite's `valid`.

use aperture_events_codegen::Draft;
use aperture_events_tests::differential::{self, compare::Options, suite};

/// The suite's draft directories, each with the least number of groups its
/// vendored copy holds (so a missing or truncated copy fails).
const DRAFTS: &[(&str, usize)] = &[
    ("draft4", 199),
    ("draft6", 276),
    ("draft7", 321),
    ("draft2019-09", 448),
    ("draft2020-12", 461),
];

#[test]
#[allow(clippy::print_stdout, reason = "the counts are the test's figures")]
fn generated_types_agree_with_jsonschema_on_the_official_suite() {
    let root = aperture_events_tests::repo_root().join("tests/differential/suite");
    let mut suite_cases = Vec::new();
    let mut per_draft = Vec::new();
    for (name, least) in DRAFTS {
        let draft = Draft::from_name(name).expect("a known draft");
        let dir = root.join(name);
        let cases = suite::load(&dir, draft);
        assert!(
            cases.len() >= *least,
            "only {} test groups under {}",
            cases.len(),
            dir.display()
        );
        per_draft.push((*name, draft.name().to_owned()));
        suite_cases.extend(cases.into_iter().map(|mut s| {
            s.case.name = s.case.name.replacen("suite/", &format!("suite/{name}/"), 1);
            s
        }));
    }
    let reasons: std::collections::BTreeMap<String, Vec<String>> = suite_cases
        .iter()
        .filter(|s| !s.refusals.is_empty())
        .map(|s| (s.case.name.clone(), s.refusals.clone()))
        .collect();
    let by_design = reasons.len();
    let oracle_departures = suite::disagreements_with_suite(&suite_cases);
    let cases: Vec<_> = suite_cases.into_iter().map(|s| s.case).collect();
    let report = differential::run_batch("suite", &cases, &Options::from_env());
    println!("{}", report.render());
    for (case, instance, valid) in &oracle_departures {
        println!("jsonschema departs from the suite: {case}: {instance} (suite: valid={valid})");
    }
    for (name, _) in &per_draft {
        let prefix = format!("suite/{name}/");
        let groups = cases.iter().filter(|c| c.name.starts_with(&prefix)).count();
        let refused = report
            .refused_as_expected
            .iter()
            .filter(|(c, _)| c.starts_with(&prefix))
            .count();
        let instances: usize = cases
            .iter()
            .filter(|c| {
                c.name.starts_with(&prefix)
                    && !report.refused_as_expected.iter().any(|(r, _)| r == &c.name)
            })
            .map(|c| c.instances.len() + c.raw.len())
            .sum();
        let disagreeing = report
            .disagreements
            .iter()
            .filter(|d| d.case.starts_with(&prefix))
            .count();
        println!(
            "suite {name}: {groups} groups, {} generated, {refused} refused; {} of {instances} instances agree",
            groups - refused,
            instances - disagreeing
        );
    }
    println!(
        "suite: {} groups, {} using what the generator refuses by design, {} generated, {} refused; \
         jsonschema departs from the suite on {} instances",
        cases.len(),
        by_design,
        report.schemas,
        report.refused_as_expected.len(),
        oracle_departures.len()
    );
    // A group allowed to be refused is refused for what it was allowed for
    // (`contains` for `contains`...), not for something else; groups that
    // `jsonschema` cannot compile either have no reason here.
    for (case, error) in &report.refused_as_expected {
        if let Some(reasons) = reasons.get(case) {
            let named = |reason: &String| {
                let keyword = reason.split(' ').next().unwrap_or_default();
                error.contains(keyword)
            };
            assert!(
                reasons.iter().any(named),
                "{case}: allowed to be refused for {reasons:?}, refused for: {error}"
            );
        }
    }
    assert!(
        report.passed(),
        "{} disagreements, {} failures (listed above)",
        report.disagreements.len(),
        report.failures.len()
    );
}
