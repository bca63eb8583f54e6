//! The mapping table of `docs/ocsf.md`, generated from the mapping files
//! and our schemas (a test keeps the page equal to it).

use std::collections::BTreeSet;
use std::fmt::Write;

use aperture_events_schema::{SchemaSet, documented};
use serde_json::Value;

use crate::check::SEVERITY_TABLE;
use crate::model::{self, Activity, Conv, Mapping, Rule};
use crate::ocsf_doc::Doc;

/// The Markdown of the mapping: one section per event type and route.
pub fn mapping_markdown() -> String {
    let mapping = model::parse(model::FILES).expect("the stock mapping parses (checked at build)");
    let schemas = SchemaSet::embedded().expect("the embedded schemas load");
    render(&mapping, &schemas, &Doc::vendored())
}

fn code(s: &str) -> String {
    format!("`{s}`")
}

fn conversion(rule: &Rule) -> String {
    let mut text = match rule.conv {
        Conv::Copy => "copy".to_owned(),
        Conv::Time => "RFC 3339 → ms since the epoch".to_owned(),
        Conv::Severity => "severity table".to_owned(),
        Conv::Table => {
            let pairs: Vec<String> = rule
                .table
                .iter()
                .flatten()
                .map(|(k, v)| format!("{k} → {v}"))
                .collect();
            let mut t = format!("table: {}", pairs.join(", "));
            if let Some(f) = &rule.fallback {
                let _ = write!(t, "; others → {f}");
            }
            if rule.fold_case {
                t.push_str(" (any case)");
            }
            t
        }
    };
    if let Some(types) = &rule.types {
        let _ = write!(text, "; {} only", types.join(", "));
    }
    for (k, v) in &rule.with {
        let _ = write!(text, "; with `{k}` = {v}");
    }
    text
}

fn render(mapping: &Mapping, schemas: &SchemaSet, doc: &Doc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Every event type shares these rules:\n");
    let _ = writeln!(
        out,
        "| source field | OCSF attribute | conversion |\n| --- | --- | --- |"
    );
    for rule in &mapping.common.rules {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&rule.from),
            rule.to
                .iter()
                .map(|t| code(t))
                .collect::<Vec<_>>()
                .join(", "),
            conversion(rule)
        );
    }
    let product: Vec<String> = mapping
        .common
        .product
        .iter()
        .map(|(k, v)| format!("`{k}` = \"{v}\""))
        .collect();
    let _ = writeln!(
        out,
        "\n`metadata.product`: {}. `metadata.version` = \"1.8.0\", `metadata.profiles` = [] (no profile), `metadata.uid` = the content hash.",
        product.join(", ")
    );
    let severity: Vec<String> = SEVERITY_TABLE
        .iter()
        .enumerate()
        .map(|(i, id)| format!("{i} → {id}"))
        .collect();
    let _ = writeln!(
        out,
        "The default severity table (vendor `severity` → `severity_id`): {}.",
        severity.join(", ")
    );
    for (_, types) in &mapping.types {
        let Some((_, index)) = schemas
            .event_types()
            .into_iter()
            .find(|(t, _)| *t == types.log_type)
        else {
            continue;
        };
        let fields: Vec<String> = documented::fields(schemas, index)
            .iter()
            .map(|f| f.name.to_owned())
            .collect();
        let _ = writeln!(out, "\n### `{}`", types.log_type);
        for route in &types.routes {
            let class = &doc.classes[&route.class];
            let _ = writeln!(out, "\n#### {} ({})\n", class.caption, class.uid);
            match &route.when {
                Some(w) => {
                    let _ = writeln!(
                        out,
                        "When `{}` is {}{}.\n",
                        w.field,
                        w.values
                            .iter()
                            .map(|v| code(v))
                            .collect::<Vec<_>>()
                            .join(" or "),
                        if w.fold_case { " (any case)" } else { "" }
                    );
                }
                None if types.routes.len() == 1 => {
                    let _ = writeln!(out, "Every event of the type.\n");
                }
                None => {
                    let _ = writeln!(out, "Otherwise.\n");
                }
            }
            let captions = class.attributes["activity_id"]
                .enum_
                .clone()
                .unwrap_or_default();
            let caption = |id: &i64| captions.get(&id.to_string()).cloned().unwrap_or_default();
            let mut read = BTreeSet::new();
            match &route.activity {
                Activity::Fixed { id } => {
                    let _ = writeln!(out, "Activity: {id} {}.\n", caption(id));
                }
                Activity::Table {
                    from,
                    table,
                    fallback,
                } => {
                    read.insert(from.clone());
                    let pairs: Vec<String> = table
                        .iter()
                        .map(|(k, v)| format!("{k} → {v} {}", caption(v)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "Activity from `{from}`: {}; others → {fallback} {} (`activity_name` = the value).\n",
                        pairs.join(", "),
                        caption(fallback)
                    );
                }
            }
            let _ = writeln!(
                out,
                "| source field | OCSF attribute | conversion |\n| --- | --- | --- |"
            );
            for rule in mapping.common.rules.iter().chain(&route.rules) {
                read.insert(rule.from.clone());
                if route.rules.iter().any(|r| std::ptr::eq(r, rule)) {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |",
                        code(&rule.from),
                        rule.to
                            .iter()
                            .map(|t| code(t))
                            .collect::<Vec<_>>()
                            .join(", "),
                        conversion(rule)
                    );
                }
            }
            if !route.set.is_empty() {
                let set: Vec<String> = route
                    .set
                    .iter()
                    .map(|(k, v)| format!("`{k}` = {v}"))
                    .collect();
                let _ = writeln!(out, "\nConstants: {}.", set.join(", "));
            }
            let defaults: Vec<String> = route
                .defaults
                .iter()
                .map(|d| {
                    let value = match &d.value {
                        Value::String(s) => format!("\"{s}\""),
                        other => other.to_string(),
                    };
                    match &d.only_if {
                        Some(c) => format!("`{}` = {value} (if `{c}` exists)", d.at),
                        None => format!("`{}` = {value}", d.at),
                    }
                })
                .collect();
            if !defaults.is_empty() {
                let _ = writeln!(out, "\nWhen absent: {}.", defaults.join(", "));
            }
            let unmapped: Vec<String> = fields
                .iter()
                .filter(|f| !read.contains(*f))
                .map(|f| code(f))
                .collect();
            if !unmapped.is_empty() {
                let _ = writeln!(
                    out,
                    "\nTo `unmapped`: {}, and any field the schema does not list.",
                    unmapped.join(", ")
                );
            }
        }
    }
    out
}
