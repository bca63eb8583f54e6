//! Numeric keywords (`minimum`, `maximum`, `exclusiveMinimum`,
//! `exclusiveMaximum`), numeric equality and the `integer` type, with the
//! verdicts of the `jsonschema` crate 0.61.2 on `serde_json` numbers (without
//! `arbitrary_precision`).
//!
//! jsonschema compares a number as `serde_json` stores it (`u64`, `i64` or
//! `f64`) against the bound as stored, exactly (no rounding to `f64`: 2^53 + 1
//! is above the bound 2^53). `multipleOf` is in the
//! `multiple_of` module (feature `multiple-of`).

/// A JSON number as `serde_json` stores it; bounds are written as one
/// (`Num::U(5)`, `Num::I(-3)`, `Num::F(2.5)`).
#[derive(Debug, Clone, Copy)]
pub enum Num {
    /// A non-negative integer.
    U(u64),
    /// A negative integer.
    I(i64),
    /// Anything else (a fraction, an exponent, an integer past 64 bits).
    F(f64),
}

impl Num {
    /// The number as `serde_json` holds it.
    pub fn of(number: &serde_json::Number) -> Self {
        if let Some(u) = number.as_u64() {
            Self::U(u)
        } else if let Some(i) = number.as_i64() {
            Self::I(i)
        } else {
            Self::F(number.as_f64().unwrap_or(f64::NAN))
        }
    }
}

/// The exact order of `value` and `bound` (`-0` equals `0`, `1.0` equals `1`).
pub fn compare(value: Num, bound: Num) -> std::cmp::Ordering {
    match (value, bound) {
        (Num::F(a), Num::F(b)) => a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
        (Num::F(a), b) => compare_int_float(int_of(b), a).reverse(),
        (a, Num::F(b)) => compare_int_float(int_of(a), b),
        (a, b) => int_of(a).cmp(&int_of(b)),
    }
}

/// An integer `Num` widened (a float is not asked for).
fn int_of(number: Num) -> i128 {
    match number {
        Num::U(u) => i128::from(u),
        Num::I(i) => i128::from(i),
        Num::F(_) => 0,
    }
}

/// The exact order of the integer `a` and the finite float `b`.
fn compare_int_float(a: i128, b: f64) -> std::cmp::Ordering {
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    if b >= TWO_64 {
        return std::cmp::Ordering::Less;
    }
    if b < -TWO_64 {
        return std::cmp::Ordering::Greater;
    }
    // |b| < 2^64: its whole part is exact in i128.
    #[allow(clippy::cast_possible_truncation)]
    let whole = b.trunc() as i128;
    a.cmp(&whole).then_with(|| {
        0.0_f64
            .partial_cmp(&b.fract())
            .unwrap_or(std::cmp::Ordering::Equal)
    })
}

/// Whether a number is an integer (`1.0` is), as the validator decides.
pub fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// Whether a number is written as an integer (`1.0` and `1e2` are not), as
/// the validator reads `integer` in draft-04.
pub fn is_written_integer(n: &serde_json::Number) -> bool {
    if n.is_i64() || n.is_u64() {
        return true;
    }
    let text = n.to_string();
    if text.contains(['e', 'E']) {
        // Past 2^63 every `f64` is a whole number, written with an exponent.
        return n
            .as_f64()
            .is_some_and(|f| f.abs() >= 9_223_372_036_854_775_808.0);
    }
    !text.contains('.')
}

/// An integral JSON number as `i128` (`1.0` is the integer 1, as in JSON
/// Schema); `None` for a fraction, a non-finite value or one past `1e30`.
#[allow(
    clippy::cast_possible_truncation,
    reason = "below 1e30, the value fits"
)]
pub fn integral(v: f64) -> Option<i128> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e30).then_some(v as i128)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn bounds_compare_exactly() {
        assert_eq!(
            compare(
                Num::U(9_007_199_254_740_993),
                Num::F(9_007_199_254_740_992.0)
            ),
            Ordering::Greater
        );
        assert_eq!(compare(Num::F(-0.0), Num::U(0)), Ordering::Equal);
        assert_eq!(compare(Num::F(1.0), Num::U(1)), Ordering::Equal);
        assert_eq!(compare(Num::I(-3), Num::F(-2.5)), Ordering::Less);
    }

    #[test]
    fn integers_as_the_validator_reads_them() {
        let n = |t: &str| serde_json::from_str::<serde_json::Number>(t).unwrap();
        assert!(is_integer(&n("1.0")));
        assert!(!is_integer(&n("1.5")));
        assert!(!is_written_integer(&n("1.0")));
        assert!(!is_written_integer(&n("1e2")));
        assert!(is_written_integer(&n("-7")));
        assert_eq!(integral(3.0), Some(3));
        assert_eq!(integral(3.5), None);
        assert_eq!(integral(f64::INFINITY), None);
        assert_eq!(integral(1e31), None);
    }
}
