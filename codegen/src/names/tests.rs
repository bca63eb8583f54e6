//! One unit test per naming edge case.

use super::*;

#[test]
fn words_split_at_separators_and_case_changes() {
    assert_eq!(words("log_type"), ["log", "type"]);
    assert_eq!(words("itemSize"), ["item", "Size"]);
    assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
    assert_eq!(words("Business Justified"), ["Business", "Justified"]);
    assert_eq!(words("sha256Sum"), ["sha256", "Sum"]);
    assert_eq!(words("--"), Vec::<String>::new());
}

#[test]
fn pascal_case_of_titles_and_values() {
    assert_eq!(
        pascal_case("ActivityMonitoring").as_deref(),
        Some("ActivityMonitoring")
    );
    assert_eq!(
        pascal_case("not available").as_deref(),
        Some("NotAvailable")
    );
    assert_eq!(pascal_case("COMPANY").as_deref(), Some("Company"));
    assert_eq!(pascal_case("sign_in").as_deref(), Some("SignIn"));
    assert_eq!(pascal_case("3d").as_deref(), Some("V3d"));
    assert_eq!(pascal_case("é"), None);
    assert_eq!(pascal_case(""), None);
}

#[test]
fn snake_case_of_properties() {
    assert_eq!(snake_case("log_type").as_deref(), Some("log_type"));
    assert_eq!(snake_case("itemSize").as_deref(), Some("item_size"));
    assert_eq!(snake_case("item-size").as_deref(), Some("item_size"));
    assert_eq!(snake_case("2fa").as_deref(), Some("n2fa"));
    assert_eq!(
        screaming_snake_case("log_type").as_deref(),
        Some("LOG_TYPE")
    );
}

#[test]
fn keywords_become_raw_or_get_an_underscore() {
    let mut names = FieldNames::default();
    assert_eq!(
        names.field("type"),
        Ident {
            name: "type".into(),
            raw: true
        }
    );
    assert_eq!(names.field("self"), Ident::plain("self_"));
    assert_eq!(names.field("Self"), Ident::plain("self_2"));
    assert_eq!(names.field("crate"), Ident::plain("crate_"));
}

#[test]
fn colliding_fields_are_numbered_in_order() {
    let mut names = FieldNames::default();
    assert_eq!(names.field("item_size"), Ident::plain("item_size"));
    assert_eq!(names.field("itemSize"), Ident::plain("item_size_2"));
    assert_eq!(names.field("item-size"), Ident::plain("item_size_3"));
    assert_eq!(names.field("%%"), Ident::plain("field"));
}

#[test]
fn extras_field_steps_aside_for_a_property_named_extras() {
    let mut names = FieldNames::default();
    assert_eq!(names.field("extras"), Ident::plain("extras"));
    assert_eq!(names.extras(), Ident::plain("extras_2"));
}

#[test]
fn rename_needed_only_when_names_differ() {
    assert!(!needs_rename("log_type", &Ident::plain("log_type")));
    assert!(needs_rename("itemSize", &Ident::plain("item_size")));
    assert!(!needs_rename(
        "type",
        &Ident {
            name: "type".into(),
            raw: true
        }
    ));
}

#[test]
fn type_names_avoid_the_prelude_and_each_other() {
    let mut names = TypeNames::new(&["DateTime"]);
    assert_eq!(names.claim(&["Severity"], "common"), "Severity");
    assert_eq!(names.claim(&["severity"], "incident"), "IncidentSeverity");
    assert_eq!(names.claim(&["Severity"], "incident"), "SeverityType");
    assert_eq!(names.claim(&["Severity"], "incident"), "SeverityType2");
    assert_eq!(names.claim(&["String"], "x"), "XString");
    assert_eq!(names.claim(&["DateTime"], ""), "DateTimeType");
    assert_eq!(names.claim(&["", "item_size"], ""), "ItemSize");
    assert_eq!(names.claim(&["%"], ""), "Type");
}

#[test]
fn variants_keep_exact_spellings_and_suffix_other_cases() {
    assert_eq!(
        variant_names(&["Public", "Company", "PUBLIC", "COMPANY"], &["Other"]),
        ["Public", "Company", "PublicUpper", "CompanyUpper"]
    );
    assert_eq!(
        variant_names(&["file", "File", "FILE"], &["Other"]),
        ["FileLower", "File", "FileUpper"]
    );
    assert_eq!(variant_names(&["file", "FILE"], &[]), ["File", "FileUpper"]);
    assert_eq!(
        variant_names(&["super_admin", "not available"], &[]),
        ["SuperAdmin", "NotAvailable"]
    );
}

#[test]
fn variants_step_aside_for_the_catch_all_and_odd_values() {
    assert_eq!(
        variant_names(&["Other", "other"], &["Other"]),
        ["OtherValue", "OtherLower"]
    );
    assert_eq!(
        variant_names(&["", "é", "ü"], &[]),
        ["Empty", "Value", "Value2"]
    );
    assert_eq!(
        variant_names(&["a-b", "a_b", "A B"], &[]),
        ["AB", "ABLower", "ABUpper"]
    );
}

#[test]
fn self_never_names_a_variant() {
    assert_eq!(
        variant_names(&["self", "Self", "SELF"], &[]),
        ["SelfLower", "SelfValue", "SelfUpper"]
    );
}

#[test]
fn hostile_text_still_gives_identifiers() {
    let mut names = FieldNames::default();
    for text in [
        "", "_", "__", "\r", "\u{0}", "🦀", "1st", "r#type", "super", "a\rb",
    ] {
        let ident = names.field(text);
        let ok = ident
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !ident.name.starts_with(|c: char| c.is_ascii_digit())
            && ident.name != "_"
            && !NOT_RAW.contains(&ident.name.as_str());
        assert!(ok, "{text:?} gave {ident:?}");
    }
    let values = ["", "_", "🦀", "1", "\u{202e}", "a\rb"];
    for name in variant_names(&values, &["Other"]) {
        let ok = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && name != "Self";
        assert!(ok, "{name}");
    }
    let mut types = TypeNames::new(&[]);
    assert_eq!(types.claim(&["self", "crate"], ""), "SelfType");
    assert_eq!(types.claim(&["\r"], ""), "Type");
}

#[test]
fn every_collision_is_a_rename() {
    let (names, renames) = variants(
        &["not available", "Not Available"],
        &["Other"],
        &BTreeMap::new(),
    )
    .expect("nothing chosen");
    assert_eq!(names, ["NotAvailable", "NotAvailableValue"]);
    assert_eq!(
        renames,
        [Rename {
            kind: NameKind::Variant,
            text: "Not Available".into(),
            wanted: Some("NotAvailable".into()),
            given: "NotAvailableValue".into(),
            taken_by: Some("value \"not available\"".into()),
        }]
    );
    let mut fields = FieldNames::default();
    fields.field("item_size");
    fields.field("itemSize");
    fields.field("🦀");
    let renames = fields.take_renames();
    let given: Vec<(&str, Option<&str>)> = renames
        .iter()
        .map(|r| (r.given.as_str(), r.taken_by.as_deref()))
        .collect();
    assert_eq!(
        given,
        [
            ("item_size_2", Some("property \"item_size\"")),
            ("field", None)
        ]
    );
    assert!(fields.take_renames().is_empty(), "taken once");
    let mut types = TypeNames::new(&[]);
    types.claim_at(
        &["Severity"],
        "common",
        "common.schema.json#/$defs/severity",
    );
    types.claim_at(
        &["severity"],
        "incident",
        "incident.schema.json#/properties/severity",
    );
    let renames = types.take_renames();
    assert_eq!(renames.len(), 1);
    assert_eq!(
        renames[0].message(),
        "the type for \"severity\" is named `IncidentSeverity`: `Severity` is taken by \
         the type of common.schema.json#/$defs/severity; choose the name with `x-rust-name` on the schema"
    );
}

#[test]
fn names_converting_to_themselves_are_no_renames() {
    let (_, renames) = variants(
        &["Public", "internal", "sign_in"],
        &["Other"],
        &BTreeMap::new(),
    )
    .expect("nothing chosen");
    assert!(renames.is_empty(), "{renames:?}");
    let mut fields = FieldNames::default();
    for text in ["type", "self", "logType", "extras"] {
        fields.field(text);
    }
    fields.extras();
    assert!(
        fields.take_renames().is_empty(),
        "keyword escapes and the generator's own names are no renames"
    );
}

#[test]
fn chosen_names_win_and_are_checked() {
    let chosen: BTreeMap<String, String> =
        [("Not Available".to_owned(), "Unavailable".to_owned())].into();
    let (names, renames) =
        variants(&["not available", "Not Available"], &["Other"], &chosen).expect("valid");
    assert_eq!(names, ["NotAvailable", "Unavailable"]);
    assert!(renames.is_empty());
    let bad: BTreeMap<String, String> = [
        ("a".to_owned(), "Other".to_owned()),
        ("b".to_owned(), "not_camel".to_owned()),
        ("zzz".to_owned(), "Zzz".to_owned()),
    ]
    .into();
    let problems = variants(&["a", "b"], &["Other"], &bad).expect_err("refused");
    assert_eq!(
        problems,
        [
            "value \"a\": chosen name `Other` is already a variant the generated code uses",
            "value \"b\": chosen name \"not_camel\" is not UpperCamelCase ascii (`NotCamel` would do)",
            "\"zzz\" is not a value of this enumeration",
        ]
    );
    let chosen: BTreeMap<String, String> = [("itemSize".to_owned(), "item_size".to_owned())].into();
    let mut fields = FieldNames::with_chosen(&chosen).expect("valid");
    assert_eq!(fields.field("item_size"), Ident::plain("item_size_2"));
    assert_eq!(fields.field("itemSize"), Ident::plain("item_size"));
    let clash: BTreeMap<String, String> = [
        ("a".to_owned(), "x".to_owned()),
        ("b".to_owned(), "x".to_owned()),
    ]
    .into();
    assert_eq!(FieldNames::with_chosen(&clash).expect_err("twice").len(), 1);
    assert_eq!(
        check_chosen(NameKind::Field, "type"),
        Ok(()),
        "written r#type"
    );
    assert!(check_chosen(NameKind::Field, "self").is_err());
    assert!(check_chosen(NameKind::Type, "Self").is_err());
    assert!(check_chosen(NameKind::Type, "HTTPServer").is_err());
    assert!(check_chosen(NameKind::Type, "").is_err());
    let mut types = TypeNames::new(&["Timestamp"]);
    types.reserve_chosen(["Severity"]);
    assert_eq!(types.claim(&["severity"], ""), "SeverityType");
    assert_eq!(types.choose("Severity", "a#"), Ok("Severity".to_owned()));
    assert!(types.choose("Severity", "b#").is_err(), "chosen twice");
    assert!(types.choose("Timestamp", "c#").is_err(), "reserved");
}

#[test]
fn colliding_constants_are_renames_and_follow_chosen_field_names() {
    let mut names = FieldNames::default();
    assert_eq!(names.constant("log_type"), "LOG_TYPE");
    assert_eq!(names.constant("logType"), "LOG_TYPE_");
    assert_eq!(names.constant("🦀"), "VALUE");
    let renames = names.take_renames();
    assert_eq!(
        renames[0].message(),
        "property \"logType\" becomes constant `LOG_TYPE_`: `LOG_TYPE` is taken by property \"log_type\"; \
         choose the name with `x-rust-field-names` on the object schema"
    );
    assert_eq!(renames.len(), 2, "{renames:?}");
    let chosen: BTreeMap<String, String> =
        [("logType".to_owned(), "camel_log_type".to_owned())].into();
    let mut names = FieldNames::with_chosen(&chosen).expect("valid");
    assert_eq!(names.constant("log_type"), "LOG_TYPE");
    assert_eq!(names.constant("logType"), "CAMEL_LOG_TYPE");
    assert!(names.take_renames().is_empty());
}
