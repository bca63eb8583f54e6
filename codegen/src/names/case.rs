//! Case conversion: text to words, and words to `PascalCase`, `snake_case`
//! and `SCREAMING_SNAKE_CASE`.

/// Splits text into words: at every character that is not an ASCII letter or
/// digit, and at case changes (`itemSize` → `item`, `Size`; `HTTPServer` →
/// `HTTP`, `Server`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        let chars: Vec<char> = chunk.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0 && c.is_ascii_uppercase() && {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// `UpperCamelCase` of text, for type and variant names; `None` when the text
/// has no ASCII letter or digit.
pub fn pascal_case(text: &str) -> Option<String> {
    let mut out = String::new();
    for word in words(text) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    Some(out)
}

/// `snake_case` of text, for field names; `None` when the text has no ASCII
/// letter or digit.
pub fn snake_case(text: &str) -> Option<String> {
    let out = words(text)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("n{out}"));
    }
    Some(out)
}

/// `SCREAMING_SNAKE_CASE` of text, for associated constants.
pub fn screaming_snake_case(text: &str) -> Option<String> {
    snake_case(text).map(|s| s.to_ascii_uppercase())
}
