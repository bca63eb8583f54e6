//! Writing generated code for `build.rs`: only when its bytes changed (an
//! unchanged schema must not trigger a rebuild, as prost-build's
//! `write_file_if_changed`), and telling cargo which files to watch.

use std::path::{Path, PathBuf};

use super::Config;
use crate::error::{Diagnostic, Result};

impl Config {
    /// The one call for `build.rs`: reads the schemas, generates, writes
    /// `OUT_DIR/aperture_events.rs` (or the configured place) if its bytes
    /// changed, prints `cargo:rerun-if-changed` for every schema file and
    /// directory read, and a `cargo:warning` for each of
    /// [`Output::warnings`](super::Output::warnings). Gives the path written.
    pub fn compile(&self) -> Result<PathBuf> {
        let sources = self.read_sources()?;
        let output = self.generate(&sources)?;
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Diagnostic::file(
                        "OUT_DIR",
                        "not set: call compile() from a build script, or set out_dir",
                    )
                })?,
        };
        let path = dir.join(&self.file_name);
        write_if_changed(&path, output.code.as_bytes()).map_err(|e| {
            Diagnostic::file(
                &path.display().to_string(),
                format!("cannot write generated code: {e}"),
            )
        })?;
        let watched = self.schema_dirs.iter().chain(&self.schema_files);
        let read = sources.iter().filter_map(|s| s.path.as_ref());
        rerun_if_changed(watched.chain(read));
        print_instructions(&warning_instructions(&output.warnings));
        Ok(path)
    }
}

/// Writes `bytes` to `path` unless it already holds exactly them; gives
/// whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)?;
    Ok(true)
}

/// Tells cargo which paths the build script read.
#[allow(
    clippy::print_stdout,
    reason = "cargo reads build script instructions from stdout"
)]
fn rerun_if_changed<'a>(paths: impl Iterator<Item = &'a PathBuf>) {
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        if seen.insert(path) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// One `cargo:warning` instruction per warning. The message quotes schema
/// text with escapes, but the JSON pointer holds property names as they are:
/// a control character there (a line break would end the instruction early)
/// is shown as its escape.
fn warning_instructions(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| format!("cargo:warning={}", one_line(&w.to_string())))
        .collect()
}

/// Prints build script instructions.
#[allow(
    clippy::print_stdout,
    reason = "cargo reads build script instructions from stdout"
)]
fn print_instructions(lines: &[String]) {
    for line in lines {
        println!("{line}");
    }
}

/// Text with every control character written as its Rust escape.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_warning_is_one_cargo_instruction() {
        let warnings = [
            Diagnostic::at(
                "t.json",
                "/properties/a\nb",
                "property \"a\\nb\" becomes field `a_b_2`",
            ),
            Diagnostic::at("t.json", "/properties/c", "x"),
        ];
        assert_eq!(
            warning_instructions(&warnings),
            [
                "cargo:warning=t.json:/properties/a\\nb: property \"a\\nb\" becomes field `a_b_2`",
                "cargo:warning=t.json:/properties/c: x"
            ]
        );
    }

    #[test]
    fn writes_only_when_bytes_change() {
        let dir = std::env::temp_dir().join(format!("aperture-codegen-{}", std::process::id()));
        let path = dir.join("out.rs");
        assert!(write_if_changed(&path, b"a").expect("first write"));
        assert!(!write_if_changed(&path, b"a").expect("same bytes"));
        assert!(write_if_changed(&path, b"b").expect("new bytes"));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
