//! The inputs named on the command line: files, directories (walked
//! recursively, in name order, hidden entries skipped) and `-` for stdin.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input, named `-`.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// The name used in places: the path as given, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// Opens it for reading: standard input, or the file.
    pub fn open(&self) -> io::Result<Box<dyn Read>> {
        Ok(match self {
            Source::Stdin => Box::new(io::stdin().lock()),
            Source::File(path) => Box::new(File::open(path)?),
        })
    }
}

/// Expands command-line paths into sources. Paths that cannot be listed are
/// returned as `(name, error)` so the run can report them and go on.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(String, String)>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if path.is_dir() {
            let mut visited = HashSet::new();
            walk(path, &mut sources, &mut errors, &mut visited);
        } else {
            // Missing or unreadable files are reported when opened.
            sources.push(Source::File(path.clone()));
        }
    }
    (sources, errors)
}

fn walk(
    dir: &Path,
    sources: &mut Vec<Source>,
    errors: &mut Vec<(String, String)>,
    visited: &mut HashSet<PathBuf>,
) {
    // A symbolic link back up the tree would make the walk endless: each
    // directory is entered once, by its canonical path.
    match std::fs::canonicalize(dir) {
        Ok(canonical) if visited.contains(&canonical) => {
            let message = "a directory already read (a symbolic link loop), skipped".to_owned();
            errors.push((dir.display().to_string(), message));
            return;
        }
        Ok(canonical) => {
            visited.insert(canonical);
        }
        Err(e) => {
            errors.push((
                dir.display().to_string(),
                format!("cannot list directory: {e}"),
            ));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((
                dir.display().to_string(),
                format!("cannot list directory: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, sources, errors, visited),
            // Opening a FIFO waits for a writer, a device may never end:
            // inside a directory only regular files are inputs.
            Ok(meta) if !meta.is_file() => errors.push((
                path.display().to_string(),
                "not a regular file (a FIFO, socket or device), skipped".to_owned(),
            )),
            // Files, and paths whose error is reported when opened.
            _ => sources.push(Source::File(path)),
        }
    }
}
