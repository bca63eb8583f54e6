//! Strings escaped exactly as serde_json escapes them.

/// What serde_json writes for each byte of a string: 0 the byte itself,
/// `u` `\u00XX`, any other the byte after a backslash.
pub(super) const ESCAPE: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Writes `text` as a JSON string, escaped as serde_json escapes it.
pub(super) fn write_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    write_str_body(out, text.as_bytes());
    out.push(b'"');
}

/// The inside of [`write_str`]. Eight bytes are tested at a time (for a
/// control character, `"` or `\\`: the lowest flagged byte of these
/// tests is always a true one) and copied whole; before an escape the copy
/// is cut back to it.
pub(super) fn write_str_body(out: &mut Vec<u8>, bytes: &[u8]) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    out.reserve(bytes.len() + 2);
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        out.extend_from_slice(&eight);
        let v = u64::from_le_bytes(eight);
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let flags = ((v.wrapping_sub(ONES * 0x20) & !v)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGH;
        if flags == 0 {
            i += 8;
            continue;
        }
        let clean = (flags.trailing_zeros() / 8) as usize;
        out.truncate(out.len() - (8 - clean));
        escape(out, bytes[i + clean]);
        i += clean + 1;
    }
    for &b in &bytes[i..] {
        if ESCAPE[usize::from(b)] == 0 {
            out.push(b);
        } else {
            escape(out, b);
        }
    }
}

/// The escape of a byte that needs one.
pub(super) fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPE[usize::from(b)] {
        b'u' => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
        short => out.extend_from_slice(&[b'\\', short]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0..=0x7f_u8)
            .map(char::from)
            .chain("é\u{2028}😀".chars())
            .collect();
        let mut texts = vec![all.clone(), String::new(), "plain".into(), "\"q\"\\".into()];
        // Every byte at every place of a word, between clean runs.
        for b in 0..=0x7f_u8 {
            for at in 0..17 {
                let mut text = "abcdefghijklmnopq".to_owned();
                text.insert(at, char::from(b));
                texts.push(text);
            }
        }
        for text in &texts {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap());
        }
    }
}
