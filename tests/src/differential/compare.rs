//! The oracle (`jsonschema`, draft 2020-12, formats asserted) and the
//! comparison of its verdicts with the generated types' answers; the
//! findings go into a [`Report`].

use std::time::{Duration, Instant};

use aperture_events_codegen::{Config, SchemaSource};
use serde_json::Value;

pub use super::report::{Disagreement, Report};

use super::case::{Case, FILE_NAME, Prepared};
use super::scratch::{Answer, Module, Scratch};

/// How a batch is run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cases the generator refuses (without `"refused": true`) are skipped
    /// and listed instead of failing (`DIFFERENTIAL_ALLOW_REFUSED=1`).
    pub allow_refused: bool,
    /// Lint the generated code with clippy (in the build) too: any warning fails its case.
    pub clippy: bool,
    /// How long the scratch binary may run.
    pub timeout: Duration,
}

impl Options {
    /// From the environment: `DIFFERENTIAL_ALLOW_REFUSED=1` allows refusals,
    /// `DIFFERENTIAL_CLIPPY=0` builds without clippy's lints.
    pub fn from_env() -> Self {
        let set = |name: &str| std::env::var(name).is_ok_and(|v| v == "1");
        Options {
            allow_refused: set("DIFFERENTIAL_ALLOW_REFUSED"),
            clippy: std::env::var("DIFFERENTIAL_CLIPPY").map_or(true, |v| v != "0"),
            timeout: Duration::from_secs(300),
        }
    }
}

/// Walks a JSON text, failing on the first object holding a key twice.
struct UniqueKeys;

impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UniqueKeys)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key `{key}`"
                )));
            }
            map.next_value_seed(UniqueKeys)?;
        }
        Ok(())
    }
}

/// A compiled `jsonschema` validator for a case's own schema, under the
/// draft its `$schema` declares, else `default` (as the generator reads it).
pub fn oracle(
    schema: &Value,
    default: aperture_events_codegen::Draft,
) -> Result<jsonschema::Validator, String> {
    use aperture_events_codegen::Draft;
    let draft = match Draft::detect(schema, default) {
        Ok(Draft::Draft4) => jsonschema::Draft::Draft4,
        Ok(Draft::Draft6) => jsonschema::Draft::Draft6,
        Ok(Draft::Draft7) => jsonschema::Draft::Draft7,
        Ok(Draft::Draft201909) => jsonschema::Draft::Draft201909,
        Ok(Draft::Draft202012) => jsonschema::Draft::Draft202012,
        // An unknown `$schema`: jsonschema refuses it as the validator does.
        Err(_) => return jsonschema::validator_for(schema).map_err(|e| e.to_string()),
    };
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// `jsonschema`'s verdict on one instance text: `Ok(value)` when accepted.
/// A text with a duplicate key is rejected before it reaches `jsonschema`
/// (whose `serde_json::Value` keeps the last one silently): the validator
/// refuses duplicates (`duplicate-key`), and so do the generated types.
fn judge(validator: &jsonschema::Validator, text: &str) -> Result<Value, String> {
    let mut reader = serde_json::Deserializer::from_str(text);
    if let Err(e) = serde::de::DeserializeSeed::deserialize(UniqueKeys, &mut reader) {
        if e.to_string().starts_with("duplicate key") {
            return Err(format!(
                "rejects: {e} (the validator refuses duplicate keys)"
            ));
        }
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("rejects: serde_json cannot read it ({e})"))?;
    let first = validator.iter_errors(&value).next().map(|error| {
        let path = error.instance_path().to_string();
        let path = if path.is_empty() {
            "(root)".to_owned()
        } else {
            path
        };
        format!("rejects at {path}: {error}")
    });
    match first {
        None => Ok(value),
        Some(error) => Err(error),
    }
}

/// Whether `got` (what the type wrote back) equals `expected` (what was
/// read), a number written with a zero fraction (`1.0`, `-0`) being allowed
/// to come back as the integer of the same value.
pub fn same_json(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::Number(e), Value::Number(g)) => {
            if e == g {
                return true;
            }
            // `1.0` or `-0` written back as the integer of the same value.
            let Some(f) = e.as_f64().filter(|f| e.is_f64() && f.fract() == 0.0) else {
                return false;
            };
            if g.is_f64() {
                return false;
            }
            g.as_i64()
                .map(|i| i as f64 == f)
                .or_else(|| g.as_u64().map(|u| u as f64 == f))
                .unwrap_or(false)
        }
        (Value::Array(e), Value::Array(g)) => {
            e.len() == g.len() && e.iter().zip(g).all(|(e, g)| same_json(e, g))
        }
        (Value::Object(e), Value::Object(g)) => {
            e.len() == g.len()
                && e.iter()
                    .all(|(k, v)| g.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => expected == got,
    }
}

/// Generates, builds and runs a batch, and compares every instance; `label`
/// names the scratch crate's directory (one per kind of run).
pub fn run_batch(label: &str, cases: &[Case], options: &Options) -> Report {
    let mut report = Report::default();
    let started = Instant::now();
    let mut prepared = Vec::new();
    let mut modules = Vec::new();
    let mut validators = Vec::new();
    for case in cases {
        let prep = Prepared::new(case);
        let validator = oracle(&case.schema, case.default_draft());
        let generated = Config::new()
            .default_draft(case.default_draft())
            .generate(&[SchemaSource::new(FILE_NAME, prep.schema_text.clone())]);
        let module = match (generated, case.refused) {
            (Ok(output), false) => match (&validator, prep.root_type(&output)) {
                (Ok(_), Some(root_type)) => Some(Module {
                    root_type,
                    runtime_features: output.runtime_features,
                    code: output.code,
                }),
                (Ok(_), None) => {
                    report
                        .failures
                        .push(format!("{}: the generator reports no root type", case.name));
                    None
                }
                (Err(e), _) => {
                    report.failures.push(format!(
                        "{}: generated, but jsonschema cannot compile the schema: {e}",
                        case.name
                    ));
                    None
                }
            },
            (Ok(_), true) => {
                report
                    .failures
                    .push(format!("{}: expected a refusal, got code", case.name));
                None
            }
            (Err(error), refused) => {
                let unplaced: Vec<String> = error
                    .diagnostics()
                    .iter()
                    .filter(|d| d.pointer.is_none() || d.file != FILE_NAME)
                    .map(ToString::to_string)
                    .collect();
                if !unplaced.is_empty() {
                    report.failures.push(format!(
                        "{}: a refusal without a pointer into the schema: {}",
                        case.name,
                        unplaced.join("; ")
                    ));
                } else if refused || case.may_refuse || validator.is_err() {
                    report
                        .refused_as_expected
                        .push((case.name.clone(), error.to_string()));
                } else if options.allow_refused {
                    report
                        .refused_skipped
                        .push((case.name.clone(), error.to_string()));
                } else {
                    report
                        .failures
                        .push(format!("{}: refused: {error}", case.name));
                }
                None
            }
        };
        modules.push(module);
        prepared.push(prep);
        validators.push(validator.ok());
    }
    report.timings.push(("generate", started.elapsed()));

    if modules.iter().all(Option::is_none) {
        return report;
    }
    let mut scratch = match Scratch::new(label, modules.clone()) {
        Ok(s) => s,
        Err(e) => {
            report
                .failures
                .push(format!("writing the scratch crate: {e}"));
            return report;
        }
    };
    let started = Instant::now();
    // Code that does not compile fails its case; the others still run.
    let mut lints = Vec::new();
    for _attempt in 0..4 {
        match scratch.build(options.clippy) {
            Ok(warnings) => {
                lints = warnings;
                break;
            }
            Err(Ok(errors)) => {
                for error in errors {
                    report.failures.push(format!(
                        "{}: the generated code does not compile:\n{}",
                        cases[error.index].name, error.message
                    ));
                    modules[error.index] = None;
                    if let Err(e) = scratch.remove(error.index) {
                        report
                            .failures
                            .push(format!("rewriting the scratch crate: {e}"));
                        return report;
                    }
                }
            }
            Err(Err(output)) => {
                report
                    .failures
                    .push(format!("the scratch crate does not build:\n{output}"));
                return report;
            }
        }
    }
    for lint in lints {
        report.failures.push(format!(
            "{}: the generated code is not warning-free (rustc and clippy lints):\n{}",
            cases[lint.index].name, lint.message
        ));
    }
    report.timings.push(("build", started.elapsed()));

    let started = Instant::now();
    let mut instances = Vec::new();
    let mut owners = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        if modules[index].is_none() {
            continue;
        }
        report.schemas += 1;
        for text in case.instance_texts() {
            instances.push((index, prepared[index].instance_text(&text)));
            owners.push((index, text));
        }
    }
    let answers = match scratch.run(&instances, options.timeout) {
        Ok(a) => a,
        Err(e) => {
            report.failures.push(e);
            return report;
        }
    };
    report.timings.push(("run", started.elapsed()));
    let at_fault = |name: &str, report: &Report| {
        report.disagreements.iter().any(|d| d.case == name)
            || report
                .failures
                .iter()
                .any(|f| f.starts_with(&format!("{name}: ")))
    };
    for ((index, text), answer) in owners.into_iter().zip(answers) {
        let case = &cases[index];
        let validator = validators[index]
            .as_ref()
            .expect("compiled cases have an oracle");
        report.instances += 1;
        let verdict = judge(validator, &text);
        if verdict.is_ok() {
            report.accepted += 1;
        }
        let problem = match (&verdict, &answer) {
            (Ok(expected), Answer::Accepted(written)) => {
                let back = serde_json::from_str::<Value>(written)
                    .ok()
                    .and_then(|v| prepared[index].unwrap_output(v));
                match back {
                    Some(back) if same_json(expected, &back) => None,
                    _ => Some(format!("accepts, but writes back {written}")),
                }
            }
            (Err(_), Answer::Rejected(_)) => None,
            (_, Answer::Accepted(written)) => Some(format!("accepts (writes back {written})")),
            (_, Answer::Rejected(e)) => Some(format!("rejects: {e}")),
            (_, Answer::Unserializable(e)) => {
                Some(format!("deserializes, then fails to serialize: {e}"))
            }
            (_, Answer::Panicked(e)) => Some(format!("PANICS: {e}")),
        };
        match problem {
            None => report.agreements += 1,
            Some(generated) => report.disagreements.push(Disagreement {
                case: case.name.clone(),
                instance: text,
                jsonschema: match verdict {
                    Ok(_) => "accepts".to_owned(),
                    Err(e) => e,
                },
                generated,
            }),
        }
    }

    for case in cases {
        if at_fault(&case.name, &report) {
            report
                .schemas_at_fault
                .push((case.name.clone(), case.schema.to_string()));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::same_json;
    use serde_json::{Value, json};

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn a_zero_fraction_may_come_back_as_the_integer_and_nothing_else_changes() {
        assert!(same_json(&parse("1.0"), &json!(1)));
        assert!(same_json(&parse("-0"), &json!(0)));
        assert!(same_json(
            &parse("[2.0,{\"a\":-3.0}]"),
            &json!([2, {"a": -3}])
        ));
        assert!(same_json(
            &json!({"a": 1, "b": 2}),
            &parse("{\"b\":2,\"a\":1}")
        ));
        // An integer written back as a float, another value, a lost or extra member: different.
        assert!(!same_json(&json!(1), &parse("1.0")));
        assert!(!same_json(&parse("1.5"), &json!(1)));
        assert!(!same_json(&parse("2.0"), &json!(1)));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!([1, 2]), &json!([1])));
        assert!(!same_json(&json!("1"), &json!(1)));
        assert!(!same_json(&json!(null), &json!({})));
    }
}
