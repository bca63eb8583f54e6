//! `Config::schemars` on the differential corpus: for every case the
//! generator accepts (the hand-written corpus of `tests/differential/cases`,
//! each case also in a property's place, and the seeded random schemas), the
//! schema the emitted `JsonSchema` impls give the root type, as `schema_for!`
//! gives it under the draft 2020-12 and draft-07 settings, gives `jsonschema`
//! the verdict of the case's own schema on every instance.
//!
//! # Design
//! The impls are read back from the generated code's text
//! (`tests/schemars_text.rs`, shared with `codegen/tests/schemars_impls.rs`):
//! each type's schema text, its markers turned into references as
//! `SchemaGenerator::subschema_for` turns them, the settings' transforms
//! applied. No scratch crate is compiled, so the whole corpus takes seconds;
//! `generated/tests/schemars.rs` checks the compiled impls of the stock types.
//!
//! # What a schema text cannot carry (counted, not failures)
//! - Draft-04 `integer` refuses a number written with a fraction or an
//!   exponent (`1.0`, `1e2`, `-0`); the impls' schemas are draft 2020-12
//!   texts, where `integer` accepts them (the generated types follow the
//!   case's draft, the impls' schemas do not).
//! - Under the draft-07 settings, schemars labels the schema draft-07 but
//!   keeps the keywords draft-07 does not define (`minContains`,
//!   `dependentRequired`, `unevaluatedProperties`, ... and formats such as
//!   `uuid`), which a draft-07 validator ignores: it accepts more. Its
//!   draft-07 transforms turn `unevaluatedProperties` into
//!   `additionalProperties`, which does not see the properties a `$ref` or
//!   an `allOf` declares: it refuses more.
//!
//! A root type that is an alias of a plain Rust type (`Option<T>`, `f64`,
//! a runtime type) has no impl of ours: `schema_for!` gives schemars' schema
//! of that Rust type. Those cases are listed, not checked.

use aperture_events_codegen::{Config, Draft, SchemaSource};
use aperture_events_schema::vocabulary;
use aperture_events_tests::differential::case::{self, FILE_NAME, Prepared};
use aperture_events_tests::differential::compare::oracle;
use serde_json::Value;

#[path = "../schemars_text.rs"]
mod schemars_text;

/// The first seed of the random schemas, as `tests/tests/differential.rs` draws them.
const SEED: u64 = 20_261_127;

/// Keywords of drafts after 7 that a draft-07 validator ignores.
const AFTER_DRAFT_07: &[&str] = &[
    "minContains",
    "maxContains",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
];

/// Whether `schema` uses a keyword or a format draft-07 does not define.
fn beyond_draft_07(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(key, value)| {
            AFTER_DRAFT_07.contains(&key.as_str())
                || (key == "format"
                    && value
                        .as_str()
                        .is_some_and(|f| !vocabulary::format_in_draft(f, Draft::Draft7)))
                || beyond_draft_07(value)
        }),
        Value::Array(items) => items.iter().any(beyond_draft_07),
        _ => false,
    }
}

/// Whether `instance` holds a number written as a float with no fraction
/// (`1.0`, `1e2`, `-0`): not an `integer` in draft-04.
fn has_integral_float(instance: &Value) -> bool {
    match instance {
        Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(|f| f.fract() == 0.0),
        Value::Array(items) => items.iter().any(has_integral_float),
        Value::Object(map) => map.values().any(has_integral_float),
        _ => false,
    }
}

#[test]
#[allow(clippy::print_stdout, reason = "the counts are the test's figures")]
fn the_emitted_impls_agree_with_each_case_schema() {
    let dir = aperture_events_tests::repo_root().join("tests/differential/cases");
    let mut cases = case::with_property_twins(case::load_dir(&dir));
    let hand_written = cases.len();
    cases.extend(case::seeded(SEED, 150));
    let (mut checked, mut verdicts, mut refused, mut no_root) = (0, 0, 0, Vec::new());
    let (mut draft04_integers, mut draft07_laxer, mut draft07_stricter) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for case in &cases {
        let prep = Prepared::new(case);
        let Ok(source) = oracle(&case.schema, case.default_draft()) else {
            refused += 1;
            continue;
        };
        let Ok(output) = Config::new()
            .default_draft(case.default_draft())
            .schemars(true)
            .generate(&[SchemaSource::new(FILE_NAME, prep.schema_text.clone())])
        else {
            refused += 1;
            continue;
        };
        let impls = schemars_text::impls(&output.code);
        let Some(root) = prep.root_type(&output).filter(|r| impls.contains_key(r)) else {
            no_root.push(case.name.clone());
            continue;
        };
        checked += 1;
        let draft04 = Draft::detect(&case.schema, case.default_draft()).ok() == Some(Draft::Draft4);
        for mut setting in schemars_text::settings() {
            let root_schema = schemars_text::root_schema(&impls, &root, &mut setting);
            if std::env::var("SCHEMARS_DEBUG").is_ok_and(|n| n == case.name) {
                println!("{root_schema:#}");
            }
            let ours = match jsonschema::options()
                .should_validate_formats(true)
                .build(&root_schema)
            {
                Ok(ours) => ours,
                Err(e) => {
                    disagreements.push(format!(
                        "{} ({}): does not compile: {e}",
                        case.name, setting.0
                    ));
                    continue;
                }
            };
            for text in case.instance_texts() {
                // What serde_json cannot read (`1e400`) is no instance for either side.
                let Ok(instance) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let Ok(wrapped) = serde_json::from_str::<Value>(&prep.instance_text(&text)) else {
                    continue;
                };
                let expected = source.is_valid(&instance);
                verdicts += 1;
                if ours.is_valid(&wrapped) == expected {
                    continue;
                }
                if draft04 && has_integral_float(&instance) {
                    draft04_integers += 1;
                } else if setting.1 == "definitions"
                    && (beyond_draft_07(&case.schema) || beyond_draft_07(&root_schema))
                {
                    if expected {
                        draft07_stricter += 1;
                    } else {
                        draft07_laxer += 1;
                    }
                } else {
                    disagreements.push(format!(
                        "{} ({}): {text}: the case's schema {}",
                        case.name,
                        setting.0,
                        if expected { "accepts it" } else { "refuses it" }
                    ));
                }
            }
        }
    }
    println!(
        "{hand_written} hand-written cases and 150 random ones: {checked} checked \
         ({verdicts} verdicts under the two settings), {refused} refused by the generator \
         or jsonschema, {} with no JsonSchema impl for the root type; {draft04_integers} \
         verdicts differ on a draft-04 integer written as a float; under the draft-07 settings, \
         on a case with a keyword or format draft-07 lacks, {draft07_laxer} accepted but refused \
         by the case's schema, {draft07_stricter} refused but accepted by it; {} other \
         disagreements",
        no_root.len(),
        disagreements.len()
    );
    for name in &no_root {
        println!("  no impl for the root type: {name}");
    }
    assert!(checked > 100, "{checked} cases checked");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
