//! The one URI join of the toolkit: a `$ref` against the `$id` of the
//! schema holding it, as RFC 3986 §5.2 resolves a reference against a base.
//!
//! The loader ([`crate::SchemaSet`]) and the generator's exporter both resolve
//! through here, so `../x` means one thing everywhere. A file without `$id`
//! is named by its file name, a relative base RFC 3986 does not define: it is
//! resolved as a path below an empty root, so `../x` from `a/b.json` is `x`
//! (never above the root).
//!
//! # Design
//! The RFC's own algorithm (§5.2.2 transform, §5.2.3 merge, §5.2.4
//! remove_dot_segments) over the components of Appendix B's split, on
//! strings: no normalisation beyond it (case, percent-encoding) is done,
//! since `$id`s are compared as written.

/// The components of a URI reference (RFC 3986 Appendix B).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(text: &str) -> Parts<'_> {
    let (text, fragment) = match text.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (text, None),
    };
    let (text, query) = match text.split_once('?') {
        Some((t, q)) => (t, Some(q)),
        None => (text, None),
    };
    let (scheme, text) = match text.find(':') {
        Some(i) if !text[..i].contains('/') && i > 0 => (Some(&text[..i]), &text[i + 1..]),
        _ => (None, text),
    };
    let (authority, path) = match text.strip_prefix("//") {
        Some(rest) => {
            let end = rest.find('/').unwrap_or(rest.len());
            (Some(&rest[..end]), &rest[end..])
        }
        None => (None, text),
    };
    Parts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// RFC 3986 §5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output = String::new();
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." { "/" } else { &input[3..] };
            let cut = output.rfind('/').unwrap_or(0);
            output.truncate(cut);
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| start + i);
            output.push_str(&input[..end]);
            input = &input[end..];
        }
    }
    output
}

/// RFC 3986 §5.2.3.
fn merge(base: &Parts<'_>, reference: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        format!("/{reference}")
    } else {
        match base.path.rfind('/') {
            Some(i) => format!("{}{reference}", &base.path[..=i]),
            None => reference.to_owned(),
        }
    }
}

/// RFC 3986 §5.2.2 and §5.3, for an absolute base.
fn resolve_absolute(base: &str, reference: &str) -> String {
    let b = split(base);
    let r = split(reference);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_owned();
                query = r.query.or(b.query);
            } else {
                path = if r.path.starts_with('/') {
                    remove_dot_segments(r.path)
                } else {
                    remove_dot_segments(&merge(&b, r.path))
                };
                query = r.query;
            }
        }
    }
    let mut out = String::new();
    if let Some(scheme) = scheme {
        out.push_str(scheme);
        out.push(':');
    }
    if let Some(authority) = authority {
        out.push_str("//");
        out.push_str(authority);
    }
    out.push_str(&path);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = r.fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// The scheme a relative base is resolved under (and stripped again).
const RELATIVE_ROOT: &str = "x-aperture-relative:/";

/// Resolves `reference` against `base` (RFC 3986 §5.2). A relative `base`
/// (a file name) is a path below an empty root; an empty one leaves the
/// reference as it is.
///
/// ```
/// use aperture_events_schema::join_uri;
/// assert_eq!(join_uri("https://x.dev/v1/a.json", "../v2/b.json"), "https://x.dev/v2/b.json");
/// assert_eq!(join_uri("a/b.json", "../x"), "x");
/// ```
pub fn join_uri(base: &str, reference: &str) -> String {
    if base.is_empty() {
        return reference.to_owned();
    }
    if split(base).scheme.is_some() {
        return resolve_absolute(base, reference);
    }
    let path = base.trim_start_matches('/');
    let resolved = resolve_absolute(&format!("{RELATIVE_ROOT}{path}"), reference);
    match resolved.strip_prefix(RELATIVE_ROOT) {
        Some(rest) if base.starts_with('/') => format!("/{rest}"),
        Some(rest) => rest.to_owned(),
        None => resolved,
    }
}

/// A `$ref` split into the address it names (empty for the same document)
/// and its fragment, `%XX` escapes decoded (a JSON pointer, or an anchor).
pub fn split_reference(reference: &str) -> (&str, String) {
    match reference.split_once('#') {
        Some((address, fragment)) => (address, percent_decode(fragment)),
        None => (reference, String::new()),
    }
}

/// Decodes `%XX` escapes in a URI fragment (JSON pointers in `$ref`s may use
/// them). Works on bytes throughout: an invalid escape, or a `%` before
/// non-ASCII text, is kept as written.
pub fn percent_decode(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://a/b/c/d;p?q";

    /// RFC 3986 §5.4.1, every normal example.
    #[test]
    fn rfc_3986_normal_examples() {
        let cases = [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("g;x?y#s", "http://a/b/c/g;x?y#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../", "http://a/"),
            ("../../g", "http://a/g"),
        ];
        for (reference, expected) in cases {
            assert_eq!(join_uri(BASE, reference), expected, "{reference}");
        }
    }

    /// RFC 3986 §5.4.2, every abnormal example (strict parser).
    #[test]
    fn rfc_3986_abnormal_examples() {
        let cases = [
            ("../../../g", "http://a/g"),
            ("../../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            (".g", "http://a/b/c/.g"),
            ("g..", "http://a/b/c/g.."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g?y/../x", "http://a/b/c/g?y/../x"),
            ("g#s/./x", "http://a/b/c/g#s/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"),
            ("http:g", "http:g"),
        ];
        for (reference, expected) in cases {
            assert_eq!(join_uri(BASE, reference), expected, "{reference}");
        }
    }

    #[test]
    fn schema_ids_and_file_names() {
        let base = "https://schemas.aperture-events.dev/v1/incident.schema.json";
        assert_eq!(
            join_uri(base, "common.schema.json"),
            "https://schemas.aperture-events.dev/v1/common.schema.json"
        );
        assert_eq!(
            join_uri(base, "./common.schema.json"),
            "https://schemas.aperture-events.dev/v1/common.schema.json"
        );
        assert_eq!(
            join_uri(base, "../v2/x.json"),
            "https://schemas.aperture-events.dev/v2/x.json"
        );
        assert_eq!(join_uri("a.schema.json", "b.schema.json"), "b.schema.json");
        // The case the two former joins disagreed on.
        assert_eq!(join_uri("a/b.json", "../x"), "x");
        assert_eq!(join_uri("a/b.json", "./x"), "a/x");
        assert_eq!(join_uri("a/b.json", "../../x"), "x");
        assert_eq!(join_uri("/a/b.json", "x"), "/a/x");
    }

    #[test]
    fn fragments_are_split_and_percent_decoded() {
        assert_eq!(
            split_reference("common.schema.json#/$defs/a%20b"),
            ("common.schema.json", "/$defs/a b".to_owned())
        );
        assert_eq!(split_reference("x.json"), ("x.json", String::new()));
        assert_eq!(percent_decode("/x%"), "/x%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
        assert_eq!(percent_decode("/$defs/%aé"), "/$defs/%aé");
        assert_eq!(percent_decode("/%C3%A9"), "/é");
        assert_eq!(percent_decode("/%25"), "/%");
    }
}
