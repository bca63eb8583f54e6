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
    assert_eq!(Part::MultipleOf.crates(), ["zmij"]);
}

/// A call of the part's entry points, from the module holding `__codegen`.
fn call(part: Part) -> TokenStream {
    match part {
        Part::Format(format) => {
            let name = quote::format_ident!("{}", entry_points(part)[0]);
            let _ = format;
            quote::quote! { __codegen::#name("") }
        }
        Part::Compare => quote::quote! {
            __codegen::compare(__codegen::Num::U(1), __codegen::Num::of(&serde_json::Number::from(1))).is_eq()
        },
        Part::MultipleOf => {
            quote::quote! { __codegen::is_multiple_of(&serde_json::Number::from(4), 2.0) }
        }
        Part::Equal => {
            quote::quote! { __codegen::equal(&serde_json::Value::Null, &serde_json::Value::Null) }
        }
        Part::Unique => quote::quote! { __codegen::all_unique(&[]) },
        Part::CharLen => quote::quote! { __codegen::char_len("") == 0 },
        Part::Pattern => quote::quote! {{
            static P: __codegen::Pattern = __codegen::Pattern::new("^a", true);
            P.is_match("a") == Some(true)
        }},
    }
}

/// Each part pasted alone into a crate of its own module, as generated code
/// holds it, then `cargo clippy -D warnings` on it (offline, with the
/// workspace's lock file and target directory). A minute or so, so run on
/// demand: `cargo test -p aperture-events-codegen --lib pasted -- --ignored`.
#[test]
#[ignore = "builds a scratch crate with cargo clippy; run with --ignored"]
fn pasted_parts_pass_clippy_in_a_crate() {
    let modules = every_part().into_iter().enumerate().map(|(i, part)| {
        let name = quote::format_ident!("part_{i}");
        let pasted = tokens(&[part]);
        let call = call(part);
        quote::quote! {
            pub mod #name {
                mod __codegen { #pasted }
                /// Calls the part.
                pub fn call() -> bool { #call }
            }
        }
    });
    let lib = quote::quote! { #(#modules)* };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest = "[package]\nname = \"pasted\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n\
        serde_json = \"1\"\nemail_address = \"0.2.9\"\nunicode-general-category = \"1.1\"\nfluent-uri = \"0.4.1\"\n\
        jsonschema-regex = \"0.61.2\"\nfancy-regex = \"0.20.2\"\nregex = \"1.11.1\"\nzmij = \"1.0.21\"\n\n[workspace]\n";
    std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("write");
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock"))
        .expect("copy the lock file");
    std::fs::create_dir(dir.path().join("src")).expect("mkdir");
    // Formatted, as the generator writes its output.
    let lib = prettyplease::unparse(&syn::parse2(lib).expect("parses"));
    std::fs::write(dir.path().join("src/lib.rs"), lib).expect("write");
    let output = std::process::Command::new(env!("CARGO"))
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", root.join("target/pasted"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn number_literals_read_back_exactly() {
    use crate::emit::support::{f64_literal, num_literal};
    let cases = [
        ("5", "Num :: U (5u64)"),
        ("-3", "Num :: I (- 3i64)"),
        ("18446744073709551615", "Num :: U (18446744073709551615u64)"),
        (
            "-9223372036854775808",
            "Num :: I (- 9223372036854775808i64)",
        ),
    ];
    for (text, expected) in cases {
        let number: serde_json::Number = serde_json::from_str(text).expect("a number");
        assert_eq!(num_literal(&number).to_string(), expected, "{text}");
    }
    for value in [
        0.1,
        2.5,
        -0.0,
        0.0,
        1e300,
        -1e-300,
        5e-324,
        9_007_199_254_740_993.0,
        f64::MAX,
        0.30000000000000004,
    ] {
        let tokens = f64_literal(value);
        let read: syn::Expr = syn::parse2(tokens.clone()).expect("an expression");
        let (negative, literal) = match read {
            syn::Expr::Unary(unary) => (true, *unary.expr),
            other => (false, other),
        };
        // `0f64` reads as an integer literal with a float suffix; both are `f64`s to rustc.
        let magnitude: f64 = match literal {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Float(float),
                ..
            }) => float.base10_parse().expect("an f64"),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(int),
                ..
            }) if int.suffix() == "f64" => int.base10_parse().expect("an f64"),
            _ => panic!("{tokens}"),
        };
        let back = if negative { -magnitude } else { magnitude };
        assert_eq!(back.to_bits(), value.to_bits(), "{tokens}");
        let number = serde_json::Number::from_f64(value).expect("finite");
        if value.fract() != 0.0 || value.abs() >= 1e20 {
            assert!(
                num_literal(&number).to_string().starts_with("Num :: F"),
                "{value}"
            );
        }
    }
}
