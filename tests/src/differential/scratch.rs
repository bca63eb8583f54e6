//! The scratch crate: the generated code of a batch of cases, compiled once.
//!
//! It is written to a directory under the system's temporary directory
//! (outside the workspace, so no workspace setting applies to it), with the
//! workspace's `Cargo.lock` copied in (the versions the workspace already
//! built, so `--offline` works) and a target directory shared across runs
//! under the workspace's `target/differential`, so its dependencies are built
//! once per machine. The generated code calls the workspace's
//! `aperture-events-runtime` (by path), with the features the generator says
//! the cases need (`Output::runtime_features`: `patterns`, `email`...);
//! `serde_json` reads numbers as `jsonschema` does (`float_roundtrip`).
//!
//! The crate is a library (a public module per case, so nothing generated is
//! dead code) and a binary that reads `[[case, text], ...]` and writes one
//! answer per instance: `{"accepted": text}`, `{"rejected": error}`,
//! `{"unserializable": error}` or `{"panicked": message}`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// One case's generated code.
#[derive(Debug, Clone)]
pub struct Module {
    /// The generated Rust source.
    pub code: String,
    /// The Rust type instances deserialize into, as written inside the module.
    pub root_type: String,
    /// The runtime features it needs (`Output::runtime_features`).
    pub runtime_features: Vec<String>,
}

/// What the generated type made of one instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Deserialized; the text it serialized back to.
    Accepted(String),
    /// Not deserialized: serde's error.
    Rejected(String),
    /// Deserialized, but serializing it back failed.
    Unserializable(String),
    /// The generated code panicked.
    Panicked(String),
}

/// The directory the scratch crates build into: `target/differential` of the
/// workspace (or of `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::absolute(PathBuf::from(dir))
            .unwrap_or_else(|_| crate::repo_root().join("target"))
            .join("differential"),
        None => crate::repo_root().join("target").join("differential"),
    }
}

/// A scratch crate on disk; removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
    label: String,
    modules: Vec<Option<Module>>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::env::var_os("DIFFERENTIAL_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A build problem in one case's module (compiler or clippy output).
#[derive(Debug, Clone)]
pub struct ModuleError {
    /// The case's index in the batch.
    pub index: usize,
    /// The compiler's lines about it.
    pub message: String,
}

impl Scratch {
    /// Writes the crate: module `i` of `modules` is `case_i` (`None`: no module).
    ///
    /// The directory's name is stable for a target directory and a `label`
    /// (the test, the replay): cargo names the build's artifacts after the
    /// crate's path, so each run overwrites the previous run's instead of
    /// adding hundreds of megabytes. Two runs with the same label and target
    /// directory must not overlap.
    pub fn new(label: &str, modules: Vec<Option<Module>>) -> std::io::Result<Self> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        target_dir().hash(&mut hasher);
        let name = format!("aperture-differential-{label}-{:016x}", hasher.finish());
        let dir = std::env::temp_dir().join(name);
        // Sources of an earlier run (its modules) must not linger.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src"))?;
        let scratch = Scratch {
            dir,
            label: label.to_owned(),
            modules,
        };
        scratch.write()?;
        Ok(scratch)
    }

    /// Where the crate is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Drops module `index` (its code does not compile) and rewrites the crate.
    pub fn remove(&mut self, index: usize) -> std::io::Result<()> {
        self.modules[index] = None;
        self.write()
    }

    fn write(&self) -> std::io::Result<()> {
        let features: std::collections::BTreeSet<&str> = self
            .modules
            .iter()
            .flatten()
            .flat_map(|m| m.runtime_features.iter().map(String::as_str))
            .collect();
        // One package (and binary) name per label: runs of other labels
        // share the target directory without overwriting each other's binary.
        let mut manifest = format!(
            "[package]\nname = \"differential-scratch-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\nname = \"differential_scratch\"\n\n",
            self.label
        );
        manifest.push_str(
            "[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = { version = \"1\", features = [\"float_roundtrip\"] }\n\
             aperture-events-runtime = { path = ",
        );
        // The workspace's runtime, with the features the generator says the
        // code needs; its dependencies at the versions the workspace's lock
        // file holds.
        let runtime = crate::repo_root().join("runtime");
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        let _ = writeln!(
            manifest,
            "{:?}, features = [{}] }}",
            runtime.display().to_string(),
            features.join(", ")
        );
        // No debug info, no incremental cache: the crate is built once.
        manifest.push_str("\n[profile.dev]\ndebug = 0\nincremental = false\n\n[workspace]\n");
        std::fs::write(self.dir.join("Cargo.toml"), manifest)?;
        let lock = crate::repo_root().join("Cargo.lock");
        if !self.dir.join("Cargo.lock").exists() && lock.exists() {
            std::fs::copy(lock, self.dir.join("Cargo.lock"))?;
        }
        let mut lib = String::from(
            "//! Generated code of a differential test batch.\n\n\
             use serde::Serialize;\nuse serde::de::DeserializeOwned;\n\n",
        );
        let mut dispatch = String::new();
        for (index, module) in self.modules.iter().enumerate() {
            let path = self.dir.join("src").join(format!("case_{index}.rs"));
            let Some(module) = module else {
                let _ = std::fs::remove_file(path);
                continue;
            };
            std::fs::write(path, &module.code)?;
            // The root type is written as inside the generated module (`Vec<Tag>`).
            let _ = writeln!(
                lib,
                "/// Case {index}.\npub mod case_{index} {{\n    include!(\"case_{index}.rs\");\n\n    \
                 /// The root type.\n    pub type DifferentialRoot = {};\n}}",
                module.root_type
            );
            let _ = writeln!(
                dispatch,
                "        {index} => round_trip::<case_{index}::DifferentialRoot>(text),"
            );
        }
        let _ = write!(
            lib,
            "\n/// Deserializes `text` as case `case`'s root type and serializes it back.\n\
             pub fn run(case: usize, text: &str) -> serde_json::Value {{\n    match case {{\n{dispatch}        \
             _ => serde_json::json!({{ \"rejected\": \"no such case\" }}),\n    }}\n}}\n\n\
             fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> serde_json::Value {{\n    \
             match serde_json::from_str::<T>(text) {{\n        \
             Err(e) => serde_json::json!({{ \"rejected\": e.to_string() }}),\n        \
             Ok(value) => match serde_json::to_string(&value) {{\n            \
             Ok(text) => serde_json::json!({{ \"accepted\": text }}),\n            \
             Err(e) => serde_json::json!({{ \"unserializable\": e.to_string() }}),\n        }},\n    }}\n}}\n"
        );
        std::fs::write(self.dir.join("src").join("lib.rs"), lib)?;
        std::fs::write(self.dir.join("src").join("main.rs"), MAIN)?;
        Ok(())
    }

    /// Builds the crate; with `lint`, clippy's lints run in the same pass
    /// (`clippy-driver` as the workspace's rustc wrapper, as `cargo clippy`
    /// does, but building): `Ok` with the warnings of each module, otherwise
    /// the errors of each module it could attribute, or the whole output when
    /// it could attribute none.
    pub fn build(&self, lint: bool) -> Result<Vec<ModuleError>, Result<Vec<ModuleError>, String>> {
        let mut env = Vec::new();
        if lint {
            let driver = clippy_driver().map_err(Err)?;
            env.push(("RUSTC_WORKSPACE_WRAPPER", driver.into_os_string()));
            // Deny-by-default lints as warnings: reported per case, while the
            // case still runs. (How `cargo clippy` passes clippy's arguments.)
            env.push(("CLIPPY_ARGS", "--cap-lints=warn__CLIPPY_HACKERY__".into()));
        }
        match self.cargo(&["build"], &env) {
            Ok(stderr) => Ok(attribute(&stderr, ": warning")),
            Err(stderr) => {
                let errors = attribute(&stderr, ": error");
                if errors.is_empty() {
                    Err(Err(stderr))
                } else {
                    Err(Ok(errors))
                }
            }
        }
    }

    /// Runs `cargo <args>` on the crate: its stderr, as `Ok` when it succeeded.
    fn cargo(&self, args: &[&str], env: &[(&str, std::ffi::OsString)]) -> Result<String, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let run = |offline: bool| {
            let mut command = Command::new(&cargo);
            // Cargo's own options first, then what follows `--` (for clippy).
            let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
            command
                .args(&args[..split])
                .arg("--message-format=short")
                .current_dir(&self.dir)
                .env("CARGO_TARGET_DIR", target_dir())
                .env_remove("RUSTFLAGS")
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .stdout(Stdio::null());
            for (key, value) in env {
                command.env(key, value);
            }
            if offline {
                command.arg("--offline");
            }
            command.args(&args[split..]);
            command.output()
        };
        let mut output = run(true).map_err(|e| format!("cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success()
            && (stderr.contains("offline") || stderr.contains("failed to select a version"))
        {
            // A crate the workspace never built: let cargo fetch it.
            output = run(false).map_err(|e| format!("cargo: {e}"))?;
        }
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if output.status.success() {
            Ok(stderr)
        } else {
            Err(stderr)
        }
    }

    /// Runs the built binary on `instances` (`(case index, text)`), at most
    /// `timeout`; one answer per instance.
    pub fn run(
        &self,
        instances: &[(usize, String)],
        timeout: Duration,
    ) -> Result<Vec<Answer>, String> {
        let input = self.dir.join("instances.json");
        let output = self.dir.join("answers.json");
        std::fs::write(
            &input,
            serde_json::to_string(instances).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let binary = target_dir()
            .join("debug")
            .join(format!("differential-scratch-{}", self.label));
        let mut child = Command::new(&binary)
            .arg(&input)
            .arg(&output)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("the scratch binary ran over {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if !status.success() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            return Err(format!("the scratch binary failed ({status}): {stderr}"));
        }
        let text = std::fs::read_to_string(&output).map_err(|e| e.to_string())?;
        let answers: Vec<Value> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        answers
            .into_iter()
            .map(|a| {
                let (key, value) = a
                    .as_object()
                    .and_then(|m| m.iter().next())
                    .ok_or_else(|| format!("bad answer {a}"))?;
                let text = value.as_str().unwrap_or_default().to_owned();
                Ok(match key.as_str() {
                    "accepted" => Answer::Accepted(text),
                    "rejected" => Answer::Rejected(text),
                    "unserializable" => Answer::Unserializable(text),
                    _ => Answer::Panicked(text),
                })
            })
            .collect()
    }
}

/// The scratch binary.
const MAIN: &str = r#"//! Reads `[[case, text], ...]` from the first argument, writes one answer per instance to the second.

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().expect("an instances file");
    let output = args.next().expect("an answers file");
    let text = std::fs::read_to_string(input).expect("the instances file");
    let instances: Vec<(usize, String)> = serde_json::from_str(&text).expect("instances");
    std::panic::set_hook(Box::new(|_| {}));
    let answers: Vec<serde_json::Value> = instances
        .iter()
        .map(|(case, text)| {
            std::panic::catch_unwind(|| differential_scratch::run(*case, text)).unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                serde_json::json!({ "panicked": message })
            })
        })
        .collect();
    std::fs::write(output, serde_json::to_string(&answers).expect("answers")).expect("the answers file");
}
"#;

/// The `clippy-driver` of the toolchain that runs the tests.
fn clippy_driver() -> Result<PathBuf, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc --print sysroot: {e}"))?;
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let driver = Path::new(&sysroot).join("bin").join("clippy-driver");
    if driver.exists() {
        Ok(driver)
    } else {
        Err(format!(
            "{} is missing: install clippy (rustup component add clippy), or set DIFFERENTIAL_CLIPPY=0",
            driver.display()
        ))
    }
}

/// The lines of `stderr` (`--message-format=short`) about each case module
/// that contain `kind` (`": error"`, `": warning"`).
fn attribute(stderr: &str, kind: &str) -> Vec<ModuleError> {
    let mut found: Vec<ModuleError> = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("src/case_") else {
            continue;
        };
        if !line.contains(kind) {
            continue;
        }
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(index) = digits.parse::<usize>() else {
            continue;
        };
        match found.iter_mut().find(|e| e.index == index) {
            Some(e) => {
                e.message.push('\n');
                e.message.push_str(line);
            }
            None => found.push(ModuleError {
                index,
                message: line.to_owned(),
            }),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::attribute;

    #[test]
    fn compiler_lines_are_attributed_to_their_case() {
        let stderr = "   Compiling differential-scratch-test v0.0.0\n\
            src/case_3.rs:12:5: error[E0072]: recursive type `Root` has infinite size\n\
            src/case_3.rs:40:1: error: bare CR not allowed in doc-comment\n\
            src/case_12.rs:7:9: warning: function `field` is never used\n\
            src/lib.rs:1:1: error: something in the dispatch\n";
        let errors = attribute(stderr, ": error");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].index, 3);
        assert_eq!(errors[0].message.lines().count(), 2);
        let warnings = attribute(stderr, ": warning");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].index, 12);
    }
}
