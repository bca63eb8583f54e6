//! `multipleOf`, with the verdicts of the `jsonschema` crate 0.61.2 on
//! `serde_json` numbers (without `arbitrary_precision`): integer remainders
//! for a whole divisor, and for a fractional one the quotient of the two
//! numbers read as the shortest decimals they print as (with the `zmij`
//! printer jsonschema uses), falling back (past `i128`) to `fraction`'s
//! reading of an `f64`, computed here on `u128` without a big-number crate.
//!
//! Behind the `multiple-of` feature (it brings `zmij`).

/// `multipleOf: divisor` (the schema's number as an `f64`), as jsonschema decides it.
pub fn is_multiple_of(value: &serde_json::Number, divisor: f64) -> bool {
    if divisor.fract() == 0.0 {
        is_multiple_of_whole(value, divisor)
    } else {
        is_multiple_of_fraction(value, divisor)
    }
}

/// A whole divisor: integer remainders where exact, `f64` otherwise.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::float_cmp
)]
fn is_multiple_of_whole(value: &serde_json::Number, divisor: f64) -> bool {
    const SAFE: f64 = 9_007_199_254_740_992.0;
    if divisor > 0.0 && divisor <= SAFE {
        if let Some(v) = value.as_u64() {
            return v % (divisor as u64) == 0;
        }
        if let Some(v) = value.as_i64() {
            return v % (divisor as i64) == 0;
        }
        // Past 2^53 the `f64` lost digits: the text still has them all.
        let beyond_f64 = value.as_f64().is_none_or(|v| v.abs() >= SAFE);
        let decimal =
            beyond_f64.then(|| decimal_is_multiple_of(&value.to_string(), divisor as u64));
        if let Some(answer) = decimal.flatten() {
            return answer;
        }
    }
    let Some(v) = value.as_f64() else {
        return false;
    };
    if v == 0.0 && !decimal_is_zero(&value.to_string()) {
        return false;
    }
    v.fract() == 0.0 && v % divisor == 0.0
}

/// Whether the number written in `text` is exactly zero.
fn decimal_is_zero(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    mantissa
        .bytes()
        .all(|byte| !byte.is_ascii_digit() || byte == b'0')
}

/// Whether the plain decimal integer in `text` divides by `divisor`; `None` for an exponent.
fn decimal_is_multiple_of(text: &str, divisor: u64) -> Option<bool> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let text = text.strip_prefix('-').unwrap_or(text);
    let (digits, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|byte| byte == b'0') {
        return Some(false);
    }
    let mut remainder = 0_u64;
    for byte in digits.bytes() {
        remainder = (remainder * 10 + u64::from(byte - b'0')) % divisor;
    }
    Some(remainder == 0)
}

/// A fractional divisor: the quotient of the shortest decimal readings.
fn is_multiple_of_fraction(value: &serde_json::Number, divisor: f64) -> bool {
    let Some(v) = value.as_f64() else {
        return false;
    };
    if v == 0.0 {
        return decimal_is_zero(&value.to_string());
    }
    if v.abs() < divisor {
        return false;
    }
    divides_exactly(v, divisor).unwrap_or_else(|| fraction_divides(v, divisor))
}

/// A finite `f64` as the decimal jsonschema prints it with (the `zmij`
/// crate): `mantissa / 10^decimals`. Where two shortest spellings exist
/// (`1825744593194433.2` and `…33`), the printer's choice decides, so it is
/// the same printer.
fn decimal_parts(value: f64) -> Option<(i128, i32)> {
    if !value.is_finite() {
        return None;
    }
    let mut buffer = zmij::Buffer::new();
    let mut mantissa: i128 = 0;
    let mut decimals = 0;
    let mut exponent = 0;
    let mut negative = false;
    let mut fractional = false;
    let mut bytes = buffer.format_finite(value).bytes();
    for byte in &mut bytes {
        match byte {
            b'-' => negative = true,
            b'.' => fractional = true,
            b'e' => {
                exponent = parse_exponent(&mut bytes)?;
                break;
            }
            _ => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(i128::from(byte.checked_sub(b'0')?))?;
                decimals += i32::from(fractional);
            }
        }
    }
    Some((
        if negative { -mantissa } else { mantissa },
        decimals - exponent,
    ))
}

/// The signed exponent left in `bytes` after an `e`.
fn parse_exponent(bytes: &mut impl Iterator<Item = u8>) -> Option<i32> {
    let mut exponent = 0_i32;
    let mut negative = false;
    for byte in bytes {
        match byte {
            b'+' => {}
            b'-' => negative = true,
            _ => {
                exponent = exponent
                    .checked_mul(10)?
                    .checked_add(i32::from(byte.checked_sub(b'0')?))?;
            }
        }
    }
    Some(if negative { -exponent } else { exponent })
}

/// Whether `value / multiple` is whole in decimal reading; `None` past `i128`.
fn divides_exactly(value: f64, multiple: f64) -> Option<bool> {
    let (value_mantissa, value_decimals) = decimal_parts(value)?;
    let (multiple_mantissa, multiple_decimals) = decimal_parts(multiple)?;
    if multiple_mantissa == 0 {
        return None;
    }
    let shared = value_decimals.min(multiple_decimals);
    let scale = |mantissa: i128, decimals: i32| {
        let places = u32::try_from(decimals - shared).ok()?;
        mantissa.checked_mul(10_i128.checked_pow(places)?)
    };
    Some(scale(value_mantissa, multiple_decimals)? % scale(multiple_mantissa, value_decimals)? == 0)
}

/// Whether `value / multiple` is whole when both are read as `fraction` 0.17
/// reads an `f64` (`numerator / 10^p`, both as the `f64`s it computes), as
/// jsonschema falls back to past `i128`; `false` where `fraction` would parse text.
fn fraction_divides(value: f64, multiple: f64) -> bool {
    let (Some((vn, vd)), Some((mn, md))) = (fraction_parts(value), fraction_parts(multiple)) else {
        return false;
    };
    // value / multiple = (vn * md) / (vd * mn), each factor `m * 2^e` with `m < 2^53`.
    let (top, top_exp) = (u128::from(vn.0) * u128::from(md.0), vn.1 + md.1);
    let (bottom, bottom_exp) = (u128::from(vd.0) * u128::from(mn.0), vd.1 + mn.1);
    if top == 0 || bottom == 0 {
        // `0 / x` is whole; `x / 0` is no fraction with a denominator, which jsonschema accepts.
        return true;
    }
    let (top_zeros, bottom_zeros) = (top.trailing_zeros(), bottom.trailing_zeros());
    let twos = (top_exp + i64::from(top_zeros)) - (bottom_exp + i64::from(bottom_zeros));
    twos >= 0 && (top >> top_zeros) % (bottom >> bottom_zeros) == 0
}

/// `fraction`'s numerator and denominator of a finite `f64`, each as `(m, e)` for `m * 2^e`.
#[allow(clippy::float_cmp)]
fn fraction_parts(value: f64) -> Option<((u64, i64), (u64, i64))> {
    let mut p = 0;
    let mut scaled = value;
    while (scaled.floor() - scaled).abs() >= f64::EPSILON {
        p += 1;
        scaled = value * 10.0_f64.powi(p);
        if scaled.is_infinite() {
            return None;
        }
    }
    Some((
        binary_parts(scaled.abs().trunc()),
        binary_parts(10.0_f64.powi(p)),
    ))
}

/// A whole, finite, non-negative `f64` as `(m, e)` with `value = m * 2^e`.
fn binary_parts(value: f64) -> (u64, i64) {
    let bits = value.to_bits();
    let exponent = i64::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    }
}
