use super::*;

#[test]
fn keywords_belong_to_the_drafts_jsonschema_gives_them() {
    assert!(keyword(D4, "const").is_none());
    assert!(keyword(D6, "const").is_some());
    assert!(keyword(D6, "if").is_none());
    assert!(keyword(D7, "if").is_some());
    assert!(keyword(D4, "id").is_some() && keyword(D6, "id").is_none());
    assert!(keyword(D4, "$id").is_none() && keyword(D6, "$id").is_some());
    assert!(keyword(D7, "prefixItems").is_none());
    assert!(keyword(D2019, "$recursiveRef").is_some());
    assert!(keyword(D2020, "$recursiveRef").is_none());
    assert_eq!(
        keyword(D4, "exclusiveMinimum").map(|k| k.shape),
        Some(NumberOrBoolean)
    );
    assert_eq!(
        keyword(D7, "exclusiveMinimum").map(|k| k.shape),
        Some(Number)
    );
    assert_eq!(
        keyword(D7, "contentEncoding").map(|k| k.kind),
        Some(Assertion)
    );
    assert_eq!(
        keyword(D2020, "contentEncoding").map(|k| k.kind),
        Some(Annotation)
    );
    // A place references point into, in every draft.
    assert!(
        Draft::ALL
            .iter()
            .all(|d| keyword(*d, "definitions").is_some())
    );
    assert_eq!(drafts_of("if"), [D7, D2019, D2020]);
}

#[test]
fn each_name_has_one_entry_per_draft() {
    for entry in KEYWORDS {
        for draft in Draft::ALL {
            let count = KEYWORDS
                .iter()
                .filter(|k| k.name == entry.name && k.in_draft(draft))
                .count();
            assert!(count <= 1, "{} in {draft}: {count} entries", entry.name);
        }
    }
}

#[test]
fn data_keywords_are_never_walked_for_schemas() {
    for name in [
        "const",
        "enum",
        "default",
        "examples",
        "x-known-values",
        "x-quirk-values",
    ] {
        assert!(holds_data(name), "{name}");
    }
    for name in ["x-strict", "properties", "items", "markdownDescription"] {
        assert!(!holds_data(name), "{name}");
    }
}

/// `schema/vocabulary.json` is the registry as it is: regenerate with
/// `UPDATE_VOCABULARY=1 cargo test -p aperture-events-schema vocabulary_json`.
#[test]
fn vocabulary_json_is_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vocabulary.json");
    let text = to_json();
    if std::env::var("UPDATE_VOCABULARY").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("write schema/vocabulary.json");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "schema/vocabulary.json is stale: run `UPDATE_VOCABULARY=1 cargo test -p aperture-events-schema vocabulary_json`"
    );
}

#[test]
fn a_misspelt_extension_names_the_intended_keyword() {
    assert_eq!(misspelt_extension("x-known-value"), Some("x-known-values"));
    assert_eq!(misspelt_extension("x-quirks"), Some("x-quirk"));
    assert_eq!(misspelt_extension("x-qurik"), Some("x-quirk"));
    assert_eq!(misspelt_extension("x-quirk"), None);
    assert_eq!(misspelt_extension("x-vendor-thing"), None);
    assert_eq!(misspelt_extension("markdownDescription"), None);
    assert_eq!(misspelt_extension(&"x".repeat(1 << 20)), None);
}
