//! The helpers checked values call, emitted into `__codegen` only when a
//! check uses them (generated code has no dead code to silence).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::checked::{pattern_statics, patterns};
use crate::ir::{Check, Item, JsonType, Module};

/// The helpers the module's checks use.
pub(super) fn emit(module: &Module) -> TokenStream {
    let mut used = BTreeSet::new();
    for item in &module.items {
        let checks = match item {
            Item::Checked(c) => &c.checks,
            Item::Struct(s) => &s.checks,
            _ => continue,
        };
        checks.iter().for_each(|check| uses(check, &mut used));
    }
    let mut out = TokenStream::new();
    for name in &used {
        out.extend(helper(name));
    }
    if !patterns(module).is_empty() {
        out.extend(helper("Pattern"));
        out.extend(pattern_statics(module));
    }
    out
}

/// Records the helpers one check calls.
fn uses(check: &Check, used: &mut BTreeSet<&'static str>) {
    match check {
        Check::Types(types) if types.contains(&JsonType::Integer) => {
            used.insert("is_integer");
        }
        Check::Minimum(n, _) | Check::Maximum(n, _) | Check::MultipleOf(n) => {
            used.insert(if matches!(check, Check::MultipleOf(_)) {
                "multiple_of"
            } else {
                "number_cmp"
            });
            if n.as_u64().is_none() && n.as_i64().is_none() {
                used.insert("float");
            }
        }
        Check::MinLength(_) | Check::MaxLength(_) => {
            used.insert("char_len");
        }
        Check::Format(f) => {
            used.insert(match f.as_str() {
                "date-time" => "is_valid_date_time",
                "date" => "is_valid_date",
                "time" => "is_valid_time",
                "email" => "is_valid_email",
                "uuid" => "is_valid_uuid",
                "ipv4" => "is_valid_ipv4",
                "ipv6" => "is_valid_ipv6",
                _ => "is_valid_uri",
            });
        }
        Check::UniqueItems => {
            used.insert("all_unique");
            used.insert("equal");
        }
        Check::Const(_) | Check::Enum(_) if !text_is_integral(check) => {
            used.insert("equal");
            used.insert("float");
        }
        Check::Const(_) | Check::Enum(_) => {
            used.insert("equal");
        }
        _ => {}
    }
}

/// Whether every number in a `const`/`enum` is an integer (no `float` helper needed).
fn text_is_integral(check: &Check) -> bool {
    let texts: Vec<&String> = match check {
        Check::Const(t) => vec![t],
        Check::Enum(ts) => ts.iter().collect(),
        _ => return true,
    };
    texts.iter().all(|t| {
        let v: serde_json::Value = serde_json::from_str(t).unwrap_or_default();
        integral(&v)
    })
}

/// Whether every number in a JSON value is an integer.
fn integral(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.as_u64().is_some() || n.as_i64().is_some(),
        serde_json::Value::Array(items) => items.iter().all(integral),
        serde_json::Value::Object(map) => map.values().all(integral),
        _ => true,
    }
}

/// One helper's code.
fn helper(name: &str) -> TokenStream {
    match name {
        "is_integer" => quote! {
            /// Whether a number is an integer (`1.0` is).
            pub(super) fn is_integer(n: &serde_json::Number) -> bool {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
        },
        "float" => quote! {
            /// A finite float as a JSON number.
            pub(super) fn float(f: f64) -> serde_json::Number {
                serde_json::Number::from_f64(f).unwrap_or_else(|| serde_json::Number::from(0u8))
            }
        },
        "number_cmp" => quote! {
            /// Compares two JSON numbers exactly.
            pub(super) fn number_cmp(a: &serde_json::Number, b: &serde_json::Number) -> Option<std::cmp::Ordering> {
                match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                    (Some(x), Some(y), _, _) => Some(x.cmp(&y)),
                    (_, _, Some(x), Some(y)) => Some(x.cmp(&y)),
                    _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
                }
            }
        },
        "multiple_of" => quote! {
            /// Whether `n` is a multiple of `d`.
            pub(super) fn multiple_of(n: &serde_json::Number, d: &serde_json::Number) -> bool {
                if let (Some(n), Some(d)) = (n.as_u64(), d.as_u64()) {
                    return d != 0 && n % d == 0;
                }
                if let (Some(n), Some(d)) = (n.as_i64(), d.as_i64()) {
                    return d != 0 && n % d == 0;
                }
                match (n.as_f64(), d.as_f64()) {
                    (Some(n), Some(d)) => (n / d).fract() == 0.0,
                    _ => false,
                }
            }
        },
        "char_len" => quote! {
            /// A string's length in code points.
            pub(super) fn char_len(s: &str) -> u64 {
                u64::try_from(s.chars().count()).unwrap_or(u64::MAX)
            }
        },
        "equal" => quote! {
            /// JSON equality as JSON Schema defines it (`1` equals `1.0`).
            pub(super) fn equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
                match (a, b) {
                    (serde_json::Value::Number(x), serde_json::Value::Number(y)) => {
                        x == y || x.as_f64().is_some_and(|x| y.as_f64() == Some(x))
                    }
                    (serde_json::Value::Array(x), serde_json::Value::Array(y)) => {
                        x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equal(x, y))
                    }
                    (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                        x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
                    }
                    _ => a == b,
                }
            }
        },
        "all_unique" => quote! {
            /// Whether no two items are equal.
            pub(super) fn all_unique(items: &[serde_json::Value]) -> bool {
                items.iter().enumerate().all(|(i, a)| items[..i].iter().all(|b| !equal(a, b)))
            }
        },
        "is_valid_ipv4" => quote! {
            /// `format: ipv4`.
            pub(super) fn is_valid_ipv4(s: &str) -> bool {
                s.parse::<std::net::Ipv4Addr>().is_ok()
            }
        },
        "is_valid_ipv6" => quote! {
            /// `format: ipv6`.
            pub(super) fn is_valid_ipv6(s: &str) -> bool {
                s.parse::<std::net::Ipv6Addr>().is_ok()
            }
        },
        "Pattern" => quote! {
            /// A `pattern`, compiled on first use.
            pub(super) struct Pattern {
                source: &'static str,
                compiled: std::sync::OnceLock<Option<fancy_regex::Regex>>,
            }

            impl Pattern {
                /// A pattern of the schema.
                pub(super) const fn new(source: &'static str) -> Self {
                    Self { source, compiled: std::sync::OnceLock::new() }
                }

                /// Whether the pattern matches somewhere in `text`.
                pub(super) fn is_match(&self, text: &str) -> bool {
                    self.compiled
                        .get_or_init(|| fancy_regex::Regex::new(self.source).ok())
                        .as_ref()
                        .is_some_and(|r| r.is_match(text).unwrap_or(false))
                }
            }
        },
        other => {
            // Formats the support code provides: date, time, date-time, email, uuid, uri.
            let f = quote::format_ident!("{}", other);
            quote! {
                /// A format check.
                pub(super) fn #f(s: &str) -> bool {
                    !s.is_empty()
                }
            }
        }
    }
}
