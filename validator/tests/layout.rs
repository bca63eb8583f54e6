//! The source's layout, as the style guide asks: no source file over 400
//! lines, and no two source files that import each other (an import circle:
//! each needs the other to be understood or changed). Checked on
//! `src/` as it is, so that a change that breaks either fails here.
//!
//! A file's imports are its `crate::…` and `super::…` paths, in code (not
//! comments or doc links) and outside its `#[cfg(test)] mod tests` block;
//! the library (`lib.rs`) and the binary (`main.rs`) are two crates whose
//! modules have distinct names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines a source file may have.
const MAX_LINES: usize = 400;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, by its module path (`merge::read`).
fn modules(dir: &Path, root: &Path, out: &mut BTreeMap<String, PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            modules(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            out.insert(parts.join("::"), path);
        }
    }
}

/// The code of a file: without comments and its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read a source file");
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths that follow `prefix` in `code` (`crate::` → `drift::acc`).
fn paths_after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = Vec<&'a str>> + 'a {
    code.match_indices(prefix).filter_map(move |(at, _)| {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let rest = &code[at + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let segments: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        Some(segments)
    })
}

/// The longest module among `files` that `segments` (from `base`) names:
/// `base` itself at the shortest, never the crate's root.
fn resolve(files: &BTreeMap<String, PathBuf>, base: &[&str], segments: &[&str]) -> Option<String> {
    let full: Vec<&str> = base.iter().chain(segments).copied().collect();
    (base.len().max(1)..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| files.contains_key(m))
}

fn imports(files: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for (module, path) in files {
        let code = code(path);
        let mut to = BTreeSet::new();
        for segments in paths_after(&code, "crate::") {
            to.extend(resolve(files, &[], &segments));
        }
        // `super` of `merge::read` is `merge`, whether it is `merge.rs` or `merge/mod.rs`.
        let own: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        let parent = &own[..own.len().saturating_sub(1)];
        for segments in paths_after(&code, "super::") {
            to.extend(resolve(files, parent, &segments));
        }
        to.remove(module);
        edges.insert(module.clone(), to);
    }
    edges
}

#[test]
fn no_source_file_is_over_400_lines() {
    let mut files = BTreeMap::new();
    modules(&src(), &src(), &mut files);
    let long: Vec<String> = files
        .values()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:#?}");
}

#[test]
fn no_two_source_files_import_each_other() {
    let mut files = BTreeMap::new();
    modules(&src(), &src(), &mut files);
    assert!(files.contains_key("merge::read"), "{:?}", files.keys());
    let edges = imports(&files);
    // The check sees imports: the Tally imports the drift accumulator.
    assert!(edges["report::tally"].contains("drift::acc"), "{edges:#?}");
    let circles: Vec<(&String, &String)> = edges
        .iter()
        .flat_map(|(a, to)| to.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a < b && edges.get(*b).is_some_and(|back| back.contains(*a)))
        .collect();
    assert!(circles.is_empty(), "import circles: {circles:?}");
}
