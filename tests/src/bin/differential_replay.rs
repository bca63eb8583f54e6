//! Replays the `codegen_schema` fuzz corpus through the differential test:
//! each grammar input (first byte 16 or more; see the fuzz target) becomes
//! the schema and instances `aperture-events-schema-grammar` derives from the
//! rest of its bytes, all compiled once, checked against `jsonschema`.
//!
//! `differential-replay DIR [MAX]`: at most MAX inputs (default 200), in
//! file-name order. Exits 1 on any disagreement or failure.

use std::process::ExitCode;

use aperture_events_tests::differential::{self, case, compare::Options};

#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command's report"
)]
fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: differential-replay CORPUS_DIR [MAX]");
        return ExitCode::from(2);
    };
    let max: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(200);
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            return ExitCode::from(2);
        }
    };
    files.sort();
    let mut cases = Vec::new();
    let mut other = 0;
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        match bytes.split_first() {
            Some((&selector, rest)) if selector >= 16 => {
                if cases.len() < max {
                    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
                    cases.push(case::derived(name.unwrap_or_default(), rest));
                }
            }
            _ => other += 1,
        }
    }
    println!(
        "differential replay of {dir}: {} grammar inputs (at most {max}), {other} text inputs left to the fuzz target",
        cases.len()
    );
    let report = differential::run_batch("replay", &cases, &Options::from_env());
    println!("{}", report.render());
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
