//! The public entry point: a `Config` builder in the prost-build manner.
//!
//! [`Config::generate`] is the side-effect-free core: schema texts in, code
//! out, no file touched. [`Config::compile`] is the one call for `build.rs`: it
//! reads the configured schema files, generates, writes into `OUT_DIR` only
//! when the bytes changed (so an unchanged schema never triggers a rebuild),
//! and tells cargo to rerun when any schema file changes (see `compile`).

use std::path::{Path, PathBuf};

use crate::emit;
use crate::error::{Collector, Diagnostic, Result};
use crate::ir::DateTimeRepr;
use crate::load::{SchemaSource, Schemas};
use crate::lower::{self, Options};
use crate::render;
use aperture_events_schema::Draft;

mod additions;
mod compile;

pub use compile::write_if_changed;

/// Which Rust type `format: date-time` strings become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateTimeMapping {
    /// The runtime's `Timestamp`, keeping the exact text and a
    /// `chrono::DateTime<FixedOffset>`. Invalid date-times are rejected, by
    /// the validator's rule (`aperture_events_runtime::is_valid_date_time`).
    /// Being the runtime's type, it takes none of the derives and attributes
    /// [`Config::derive`] and [`Config::attribute`] add.
    #[default]
    Chrono,
    /// A plain `String`. The format is not checked, so the types accept
    /// strings a validator asserting formats rejects.
    String,
}

/// What [`Config::generate`] produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The generated Rust source, header included.
    pub code: String,
    /// The names of the schema files it was generated from, sorted.
    pub sources: Vec<String>,
    /// What did not stop generation but needs a look, each at its file and
    /// JSON pointer: every name the generator had to change to settle a
    /// collision (or invent, for text with no ASCII letter or digit), with
    /// the `x-rust-*` keyword that chooses it. In the order the generator
    /// met them (the same for the same schemas).
    /// [`compile`](Config::compile) prints each as a `cargo:warning`;
    /// [`deny_renames`](Config::deny_renames) makes them errors.
    pub warnings: Vec<Diagnostic>,
    /// The Rust type of each file's root schema, in `sources` order (`None`
    /// for a file holding only `$defs`): `Incident`, `Vec<Tag>`, `Option<String>`.
    pub root_types: Vec<Option<String>>,
    /// The features of `aperture-events-runtime` the code needs (`patterns`
    /// for a `pattern`, `email`, `uri`, `multiple-of`), sorted; without one,
    /// the code fails to compile with a message naming it.
    pub runtime_features: Vec<String>,
}

/// Settings of one generation; see the crate docs for a `build.rs` example.
#[derive(Debug, Clone)]
pub struct Config {
    date_time: DateTimeMapping,
    derives: Vec<String>,
    derives_for: Vec<(String, String)>,
    attributes: Vec<String>,
    attributes_for: Vec<(String, String)>,
    union_name: Option<String>,
    keep_unknown_fields: bool,
    deny_renames: bool,
    default_draft: Draft,
    deny_unknown_keywords: bool,
    deny_unknown_formats: bool,
    regenerate_command: Option<String>,
    schema_dirs: Vec<PathBuf>,
    schema_files: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    file_name: String,
    runtime_path: String,
    schemars: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            date_time: DateTimeMapping::default(),
            derives: Vec::new(),
            derives_for: Vec::new(),
            attributes: Vec::new(),
            attributes_for: Vec::new(),
            union_name: None,
            keep_unknown_fields: true,
            deny_renames: false,
            default_draft: Draft::Draft202012,
            deny_unknown_keywords: false,
            deny_unknown_formats: false,
            regenerate_command: None,
            schema_dirs: Vec::new(),
            schema_files: Vec::new(),
            out_dir: None,
            file_name: "aperture_events.rs".to_owned(),
            runtime_path: "::aperture_events_runtime".to_owned(),
            schemars: false,
        }
    }
}

impl Config {
    /// Default settings: chrono date-times, unknown fields kept, the union
    /// named after its schema's title, and the stock schemas (embedded in
    /// `aperture-events-schema`, so no file is needed):
    /// [`schema_file`](Self::schema_file) lays edited files over them,
    /// [`schema_dir`](Self::schema_dir) replaces them with a set of your own.
    pub fn new() -> Self {
        Self::default()
    }

    /// Chooses the Rust type of `format: date-time` strings.
    ///
    /// ```
    /// use aperture_events_codegen::{Config, DateTimeMapping};
    /// Config::new().date_time(DateTimeMapping::String);
    /// ```
    pub fn date_time(&mut self, mapping: DateTimeMapping) -> &mut Self {
        self.date_time = mapping;
        self
    }

    /// Adds a derive to every generated type (skipped where the type already has it).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().derive("Eq").derive("serde_with::SerializeDisplay");
    /// ```
    pub fn derive(&mut self, path: &str) -> &mut Self {
        self.derives.push(path.to_owned());
        self
    }

    /// Adds a derive to one generated type, by its Rust name.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().derive_for("Severity", "Default");
    /// ```
    pub fn derive_for(&mut self, type_name: &str, path: &str) -> &mut Self {
        self.derives_for
            .push((type_name.to_owned(), path.to_owned()));
        self
    }

    /// Adds an attribute to every generated type.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().attribute("#[non_exhaustive]");
    /// ```
    pub fn attribute(&mut self, attribute: &str) -> &mut Self {
        self.attributes.push(attribute.to_owned());
        self
    }

    /// Adds an attribute to one generated type, by its Rust name.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().attribute_for("Incident", "#[must_use]");
    /// ```
    pub fn attribute_for(&mut self, type_name: &str, attribute: &str) -> &mut Self {
        self.attributes_for
            .push((type_name.to_owned(), attribute.to_owned()));
        self
    }

    /// Names the union type (by default its schema's `title`, `LogEvent`).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().union_name("Event");
    /// ```
    pub fn union_name(&mut self, name: &str) -> &mut Self {
        self.union_name = Some(name.to_owned());
        self
    }

    /// Whether every generated type implements `schemars::JsonSchema` (off by
    /// default). The impls are compiled only with the runtime's `schemars`
    /// feature (which [`Output::runtime_features`] then lists), so a types
    /// crate can offer them behind a feature of its own:
    /// `schemars = ["aperture-events-runtime/schemars"]`. A type's `json_schema()` is
    /// its source schema (the tolerant reading, which is the schema as
    /// written), not a description of its Rust shape: `x-known-values` stay
    /// open sets, nullables stay nullable, `1.0` stays an integer. References
    /// to other generated types go through `SchemaGenerator::subschema_for`,
    /// so they land where the generator's settings put definitions (`$defs`
    /// for draft 2020-12, `definitions` for draft-07, `#/components/schemas/`
    /// for OpenAPI 3.0); other references are written in place. `schema_name`
    /// is the type's name, `schema_id` its path (`module_path!()::Name`).
    ///
    /// OpenAPI 3.0, with schemars' `SchemaSettings::openapi3()`:
    ///
    /// ```ignore
    /// let mut generator = schemars::generate::SchemaSettings::openapi3().into_generator();
    /// let log_event = generator.subschema_for::<aperture_events::LogEvent>(); // {"$ref": "#/components/schemas/LogEvent"}
    /// let components = generator.take_definitions(true); // every type the events use, for `components.schemas`
    /// ```
    ///
    /// Its transforms (schemars 1.2) rewrite what OpenAPI 3.0 says otherwise:
    /// `"null"` in a `type` list becomes `nullable: true` (a type `null` alone
    /// becomes `nullable: true, const: null`), `const` becomes a one-value
    /// `enum`, keywords beside a `$ref` move into an `allOf`, `prefixItems`
    /// become `items`, `examples` a single `example`, boolean schemas `{}` or
    /// `{"not": {}}`. A `type` list of two types besides `null`
    /// (`["string", "integer"]`) stays a list, which 3.0 refuses: add the
    /// runtime's `json_schema::SplitTypeLists` transform, which writes it as an
    /// `anyOf`. What 3.0 cannot express: an integer written `1.0` (its
    /// validators type values as draft 4 does, so they refuse it where the
    /// source schema accepts it), and `nullable` beside a `$ref` moved into
    /// an `allOf`. A union's `discriminator` gets a `mapping` from each tag
    /// value to its type's reference (without one, OpenAPI takes the tag for
    /// a component's name). The `x-` annotations (`x-known-values`, `x-quirk`)
    /// are kept: 3.0 allows extensions.
    ///
    /// The schema texts are draft 2020-12, whatever the source's draft, so
    /// draft 2020-12 and OpenAPI 3.1 settings say what the source says, with
    /// one exception: a draft-04 `integer` refuses `1.0`, a 2020-12 one
    /// accepts it. The draft-07 settings keep keywords draft-07 lacks
    /// (`minContains`, `dependentRequired`, `unevaluatedItems`, formats such
    /// as `uuid`), which draft-07 validators ignore, and turn
    /// `unevaluatedProperties` into `additionalProperties`, which does not see
    /// the properties of a `$ref` or an `allOf` (measured on the differential
    /// corpus: `tests/tests/schemars_differential.rs`). A root type that is an
    /// alias of a plain Rust type (`Option<T>`, `f64`) has no impl of its
    /// own: `schema_for!` gives schemars' schema of that type.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().schemars(true);
    /// ```
    pub fn schemars(&mut self, on: bool) -> &mut Self {
        self.schemars = on;
        self
    }

    /// Whether structs keep properties their schema does not list, in an
    /// `extras` map (the default, so that nothing received is dropped).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().keep_unknown_fields(false);
    /// ```
    pub fn keep_unknown_fields(&mut self, keep: bool) -> &mut Self {
        self.keep_unknown_fields = keep;
        self
    }

    /// Whether a name the generator had to change (two properties, values or
    /// types converting to the same Rust name) fails the generation instead
    /// of being a warning in [`Output::warnings`]. Off by default.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().deny_renames(true);
    /// ```
    pub fn deny_renames(&mut self, deny: bool) -> &mut Self {
        self.deny_renames = deny;
        self
    }

    /// The draft of a schema (file or subschema) without `$schema`: draft
    /// 2020-12 unless set. A `$schema` always wins; an unknown one is an error
    /// listing the known drafts.
    ///
    /// ```
    /// use aperture_events_codegen::{Config, Draft};
    /// Config::new().default_draft(Draft::Draft7);
    /// ```
    pub fn default_draft(&mut self, draft: Draft) -> &mut Self {
        self.default_draft = draft;
        self
    }

    /// Whether keywords the file's draft does not define fail the generation.
    /// Off by default: such a keyword (`markdownDescription`, or `const` in
    /// draft-04) is an annotation, as the specification says, and each file
    /// gets one warning in [`Output::warnings`] listing them, each at the
    /// place it first appears. A key one edit away from one of the toolkit's
    /// `x-` keywords (`x-known-value`) is an error either way.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().deny_unknown_keywords(true);
    /// ```
    pub fn deny_unknown_keywords(&mut self, deny: bool) -> &mut Self {
        self.deny_unknown_keywords = deny;
        self
    }

    /// Whether a `format` no draft defines (`int64`, `semver`) fails the
    /// generation. Off by default: `jsonschema` ignores such a format, so the
    /// generated types ignore it too (a plain string), and each file gets one
    /// warning in [`Output::warnings`] listing them. The formats drafts
    /// define are asserted, or refused where the generator does not enforce
    /// them yet.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().deny_unknown_formats(true);
    /// ```
    pub fn deny_unknown_formats(&mut self, deny: bool) -> &mut Self {
        self.deny_unknown_formats = deny;
        self
    }

    /// The command the generated header gives for regenerating the file.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().regenerate_command("cargo xtask codegen");
    /// ```
    pub fn regenerate_command(&mut self, command: &str) -> &mut Self {
        self.regenerate_command = Some(command.to_owned());
        self
    }

    /// Adds every top-level `*.schema.json` file of a directory. With a
    /// directory the stock schemas are not used: the directories hold the
    /// whole set.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().schema_dir("schema");
    /// ```
    pub fn schema_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.schema_dirs.push(dir.as_ref().to_owned());
        self
    }

    /// Adds one schema file; it replaces the stock file (or a directory's
    /// file) of the same name, or joins the set under a new name. An edited
    /// copy of one stock schema is all a build script needs: its `$ref`s into
    /// the other stock files still resolve.
    ///
    /// ```
    /// aperture_events_codegen::Config::new().schema_file("schema/incident.schema.json");
    /// ```
    pub fn schema_file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.schema_files.push(path.as_ref().to_owned());
        self
    }

    /// Where [`compile`](Self::compile) writes (by default `OUT_DIR`).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().out_dir("src/generated");
    /// ```
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The name of the file [`compile`](Self::compile) writes (by default `aperture_events.rs`).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().file_name("events.rs");
    /// ```
    pub fn file_name(&mut self, name: &str) -> &mut Self {
        self.file_name = name.to_owned();
        self
    }

    /// The path through which generated code calls the runtime crate, by
    /// default `::aperture_events_runtime`: set it when the crate is reached
    /// another way, for example through a re-export
    /// (`::aperture_events::runtime`).
    ///
    /// ```
    /// aperture_events_codegen::Config::new().runtime_path("crate::runtime");
    /// ```
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        self.runtime_path = path.to_owned();
        self
    }

    /// Reads the configured schema files: the stock schemas (or, when
    /// [`schema_dir`](Self::schema_dir) is set, the directories' files
    /// instead), then the single files, each replacing the file of the same
    /// name or joining the set.
    pub fn read_sources(&self) -> Result<Vec<SchemaSource>> {
        let mut errors = Collector::default();
        let mut sources = Vec::new();
        if self.schema_dirs.is_empty() {
            sources = SchemaSource::embedded();
        }
        let reads = self.schema_dirs.iter().map(|d| SchemaSource::read_dir(d));
        let reads = reads.chain(
            self.schema_files
                .iter()
                .map(|f| SchemaSource::read_file(f).map(|s| vec![s])),
        );
        for read in reads {
            match read {
                Ok(read) => sources.extend(read),
                Err(e) => errors.extend(e),
            }
        }
        errors.finish(sources)
    }

    /// Generates the code for `sources`; touches no file. Every problem in the
    /// schemas is reported at once, each with its file and JSON pointer;
    /// renamed names come back in [`Output::warnings`] (or as errors, with
    /// [`deny_renames`](Self::deny_renames)).
    pub fn generate(&self, sources: &[SchemaSource]) -> Result<Output> {
        let schemas = Schemas::load_with(sources, self.default_draft)?;
        let per_file = |list: Vec<(String, String)>| -> Vec<Diagnostic> {
            list.into_iter()
                .map(|(file, message)| Diagnostic::file(&file, message))
                .collect()
        };
        let unknown = per_file(schemas.unknown_keywords());
        let formats = per_file(schemas.unknown_formats());
        let denied = [
            (self.deny_unknown_keywords, &unknown),
            (self.deny_unknown_formats, &formats),
        ];
        let denied = denied.into_iter().filter(|(deny, _)| *deny);
        let denied: Vec<Diagnostic> = denied.flat_map(|(_, list)| list.clone()).collect();
        if let Some(error) = crate::error::Error::from_diagnostics(denied) {
            return Err(error);
        }
        let options = Options {
            date_time: match self.date_time {
                DateTimeMapping::Chrono => DateTimeRepr::Chrono,
                DateTimeMapping::String => DateTimeRepr::String,
            },
            keep_unknown: self.keep_unknown_fields,
            union_name: self.union_name.clone(),
        };
        let mut warnings = unknown;
        warnings.extend(formats);
        let module = lower::lower(&schemas, &options, &mut warnings)?;
        if self.deny_renames {
            let mut errors = Collector::default();
            for warning in warnings.drain(..) {
                errors.push(warning);
            }
            errors.finish(())?;
        }
        let additions = self.additions(&module)?;
        let runtime = match syn::parse_str::<syn::Path>(&self.runtime_path) {
            Ok(path) => quote::ToTokens::into_token_stream(path),
            Err(e) => {
                let message = format!("`{}` is not a runtime path: {e}", self.runtime_path);
                return Err(crate::error::Error::from_diagnostics(vec![Diagnostic::file(
                    "Config", message,
                )])
                .expect("one diagnostic"));
            }
        };
        let sources = self
            .schemars
            .then(|| emit::json_schema::Sources::new(&module, &schemas));
        let (tokens, left_out) = emit::module(&module, &additions, &runtime, sources.as_ref());
        warnings.extend(left_out);
        let regenerate = self.regenerate_command.as_deref().unwrap_or(
            "cargo build (a build script runs aperture-events-codegen; edit the schemas, never this file)",
        );
        let code = render::render(tokens, &module.sources, regenerate)?;
        Ok(Output {
            code,
            root_types: emit::root_types(&module, &additions),
            runtime_features: {
                let mut features = emit::checks_runtime::features(&module);
                features.extend(self.schemars.then_some("schemars"));
                features.sort_unstable();
                features.into_iter().map(str::to_owned).collect()
            },
            sources: module.sources,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests;
