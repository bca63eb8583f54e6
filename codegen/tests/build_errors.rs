//! What a build script shows when the schemas are wrong: `main` returning
//! `Result<(), Box<dyn Error>>` prints the error through `Debug`, so `Debug`
//! must be the readable form: one problem per line, `path:pointer: message`,
//! the path as the build script gave it.

use std::error::Error;
use std::path::{Path, PathBuf};

use aperture_events_codegen::Config;

/// A scratch directory for one test, shown as `$DIR` in snapshots.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("aperture-codegen-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write schema");
        path
    }

    /// What `fn main() -> Result<(), Box<dyn Error>>` prints for `config`.
    fn shown(&self, config: &Config) -> String {
        let error: Box<dyn Error> = match config.read_sources().and_then(|s| config.generate(&s)) {
            Ok(_) => panic!("the schemas are wrong, generation must fail"),
            Err(e) => e.into(),
        };
        format!("{error:?}").replace(&self.0.display().to_string(), "$DIR")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_typo_in_a_ref_of_an_edited_stock_file() {
    let scratch = Scratch::new("typo");
    let stock = aperture_events_codegen::embedded::file("incident.schema.json").expect("stock");
    let edited = stock.text.replacen(
        "common.schema.json#/$defs/severity",
        "common.schema.json#/$defs/severty",
        1,
    );
    assert_ne!(
        edited, stock.text,
        "the stock incident schema refers to severity"
    );
    let path = scratch.write("incident.schema.json", &edited);
    let shown = scratch.shown(Config::new().schema_file(&path));
    insta::assert_snapshot!(shown);
}

#[test]
fn unsupported_keywords_each_on_their_own_line() {
    let scratch = Scratch::new("unsupported");
    scratch.write(
        "t.schema.json",
        r##"{"type": "object", "properties": {"a": {"type": "string", "$dynamicRef": "#a"}, "b": {"$vocabulary": {}}}}"##,
    );
    let shown = scratch.shown(Config::new().schema_dir(&scratch.0));
    assert_eq!(shown.lines().count(), 2, "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn a_missing_directory() {
    let shown = format!(
        "{:?}",
        Config::new()
            .schema_dir(Path::new("no/such/schemas"))
            .read_sources()
            .expect_err("missing")
    );
    // The OS's own words follow the colon; the place and our words are fixed.
    let (ours, _os) = shown.split_at(shown.find(": No such").unwrap_or(shown.len()));
    insta::assert_snapshot!(ours);
}
