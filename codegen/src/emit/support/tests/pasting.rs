//! What `tokens` pastes: Rust that parses, holding every item the parts call
//! (nothing missing) and no item nothing calls (no dead code), each once.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};

use crate::emit::support::{Format, Part, tokens};

const FORMATS: [Format; 8] = [
    Format::Date,
    Format::Time,
    Format::DateTime,
    Format::Email,
    Format::Uuid,
    Format::Ipv4,
    Format::Ipv6,
    Format::Uri,
];

fn every_part() -> Vec<Part> {
    let mut parts: Vec<Part> = FORMATS.iter().map(|f| Part::Format(*f)).collect();
    parts.extend([
        Part::Compare,
        Part::MultipleOf,
        Part::Equal,
        Part::Unique,
        Part::CharLen,
        Part::Pattern,
    ]);
    parts
}

/// The names a part's callers use.
fn entry_points(part: Part) -> &'static [&'static str] {
    match part {
        Part::Format(Format::Date) => &["is_valid_date"],
        Part::Format(Format::Time) => &["is_valid_time"],
        Part::Format(Format::DateTime) => &["is_valid_date_time"],
        Part::Format(Format::Email) => &["is_valid_email"],
        Part::Format(Format::Uuid) => &["is_valid_uuid"],
        Part::Format(Format::Ipv4) => &["is_valid_ipv4"],
        Part::Format(Format::Ipv6) => &["is_valid_ipv6"],
        Part::Format(Format::Uri) => &["is_valid_uri"],
        Part::Compare => &["Num", "compare"],
        Part::MultipleOf => &["is_multiple_of"],
        Part::Equal => &["equal", "Num", "compare"],
        Part::Unique => &["all_unique", "Num", "compare"],
        Part::CharLen => &["char_len"],
        Part::Pattern => &["Pattern"],
    }
}

/// Every identifier in `tokens`.
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => out.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// The names the items define, with duplicates (an `impl` defines none).
fn defined(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter(|item| !matches!(item, syn::Item::Impl(_)))
        .filter_map(super::super::item_name)
        .collect()
}

#[test]
fn each_part_alone_is_complete_and_has_no_dead_code() {
    let all = syn::parse2::<syn::File>(tokens(&every_part())).expect("parses");
    let every_name: BTreeSet<String> = defined(&all).into_iter().collect();
    for part in every_part() {
        let file = syn::parse2::<syn::File>(tokens(&[part])).expect("parses");
        let names = defined(&file);
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{part:?} pastes an item twice");
        for item in &file.items {
            let mut used = Vec::new();
            idents(quote::ToTokens::to_token_stream(item), &mut used);
            for name in used.iter().filter(|n| every_name.contains(*n)) {
                assert!(
                    unique.contains(name),
                    "{part:?}: {name} is called but not pasted"
                );
            }
        }
        for name in &names {
            let elsewhere = file.items.iter().filter(|item| {
                super::super::item_name(item).as_ref() != Some(name)
                    || matches!(item, syn::Item::Impl(_))
            });
            let mut used = Vec::new();
            elsewhere.for_each(|item| idents(quote::ToTokens::to_token_stream(item), &mut used));
            assert!(
                entry_points(part).contains(&name.as_str()) || used.contains(name),
                "{part:?}: {name} is pasted but nothing calls it"
            );
        }
    }
}

#[test]
fn parts_together_paste_shared_items_once() {
    let file = syn::parse2::<syn::File>(tokens(&every_part())).expect("parses");
    let names = defined(&file);
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len());
    assert!(unique.contains(&"parse_two_digits".to_owned()));
    assert!(tokens(&[]).is_empty());
}

#[test]
fn formats_by_name_and_their_crates() {
    for format in FORMATS {
        let name = match format {
            Format::DateTime => "date-time".to_owned(),
            other => format!("{other:?}").to_lowercase(),
        };
        assert_eq!(Format::from_name(&name), Some(format));
    }
    assert_eq!(Format::from_name("hostname"), None);
    assert_eq!(
        Part::Format(Format::Email).crates(),
        ["email_address", "unicode-general-category"]
    );
    assert_eq!(
        Part::Pattern.crates(),
        ["jsonschema-regex", "fancy-regex", "regex"]
    );
    assert!(Part::Compare.crates().is_empty());
}
