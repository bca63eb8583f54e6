//! What a batch found, and its rendering for a person: every refusal,
//! failure and disagreement, the schemas at fault, the counts and timings.

use std::fmt::Write as _;
use std::time::Duration;

/// One instance on which the generated type and `jsonschema` disagree, or
/// whose round trip changed it.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// The case's name.
    pub case: String,
    /// The instance text.
    pub instance: String,
    /// `jsonschema`'s verdict, with its first error.
    pub jsonschema: String,
    /// The generated type's answer.
    pub generated: String,
}

/// What a batch found.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases whose code was generated and compiled.
    pub schemas: usize,
    /// Instances checked.
    pub instances: usize,
    /// Instances on which both sides agree (and the round trip held).
    pub agreements: usize,
    /// Instances `jsonschema` accepts, among those checked.
    pub accepted: usize,
    /// Cases refused as their case file expects (or allows), with the error.
    pub refused_as_expected: Vec<(String, String)>,
    /// Cases the generator refused that were skipped (`allow_refused`), with the error.
    pub refused_skipped: Vec<(String, String)>,
    /// Every disagreement.
    pub disagreements: Vec<Disagreement>,
    /// Cases that failed outright: unexpected refusals, code that does not
    /// compile or lint, a refusal without a pointer, an unexpected acceptance.
    pub failures: Vec<String>,
    /// The schema of each case with a disagreement or failure, in order.
    pub schemas_at_fault: Vec<(String, String)>,
    /// Time spent generating, building (and linting), running.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    /// Whether nothing failed and nothing disagreed.
    pub fn passed(&self) -> bool {
        self.disagreements.is_empty() && self.failures.is_empty()
    }

    /// The whole report, for a person.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (case, error) in &self.refused_as_expected {
            let first = error.lines().next().unwrap_or_default();
            let _ = writeln!(out, "refused (as expected): {case}: {first}");
        }
        for (case, error) in &self.refused_skipped {
            let first = error.lines().next().unwrap_or_default();
            let _ = writeln!(out, "refused (skipped): {case}: {first}");
        }
        for failure in &self.failures {
            let _ = writeln!(out, "FAILURE: {failure}");
        }
        for d in &self.disagreements {
            let _ = writeln!(
                out,
                "DISAGREEMENT: {}\n  instance:   {}\n  jsonschema: {}\n  generated:  {}",
                d.case, d.instance, d.jsonschema, d.generated
            );
        }
        for (case, schema) in &self.schemas_at_fault {
            let _ = writeln!(out, "schema of {case}: {schema}");
        }
        let mut per_case: Vec<(&str, usize)> = Vec::new();
        for d in &self.disagreements {
            match per_case.last_mut() {
                Some((case, n)) if *case == d.case => *n += 1,
                _ => per_case.push((&d.case, 1)),
            }
        }
        if !per_case.is_empty() {
            let list: Vec<String> = per_case.iter().map(|(c, n)| format!("{c} ({n})")).collect();
            let _ = writeln!(out, "disagreements by case: {}", list.join(", "));
        }
        let _ = writeln!(
            out,
            "differential: {} schemas compiled, {} instances ({} accepted by jsonschema), {} agreements, \
             {} disagreements, {} refused as expected, {} refused and skipped, {} failures",
            self.schemas,
            self.instances,
            self.accepted,
            self.agreements,
            self.disagreements.len(),
            self.refused_as_expected.len(),
            self.refused_skipped.len(),
            self.failures.len()
        );
        let timings: Vec<String> = self
            .timings
            .iter()
            .map(|(what, d)| format!("{what} {:.1}s", d.as_secs_f64()))
            .collect();
        let _ = writeln!(out, "differential timing: {}", timings.join(", "));
        out
    }
}
