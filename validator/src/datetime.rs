//! The `date-time` format, checked by the same rule as the generated types.
//!
//! Agreement (a payload the validator accepts deserializes into the generated
//! types, and one it rejects does not) needs one rule for timestamps, not two
//! that almost agree. jsonschema's built-in `date-time` check and chrono's
//! RFC 3339 parser differ at the edges (chrono also accepts a space between
//! date and time), so the validator registers this function for the format.
//!
//! # Design
//! The rule (jsonschema's own: a date, `T` or `t`, a time, a leap second `:60`
//! only at 23:59 UTC) lives in the runtime crate, `aperture-events-runtime`,
//! beside the `Timestamp` type that applies it; the validator calls that very
//! function, so the two cannot drift apart.

pub use aperture_events_runtime::is_valid_date_time;

#[cfg(test)]
mod tests {
    use super::is_valid_date_time;

    #[test]
    fn accepts_rfc3339_with_and_without_fractions_and_offsets() {
        assert!(is_valid_date_time("2017-08-14T23:20:57Z"));
        assert!(is_valid_date_time("2017-02-17T00:18:58.961Z"));
        assert!(is_valid_date_time("2017-08-14t23:20:57+02:00"));
        assert!(is_valid_date_time("2020-02-29T00:00:00Z"));
    }

    #[test]
    fn rejects_what_the_generated_types_reject() {
        assert!(
            !is_valid_date_time("2017-08-14 23:20:57Z"),
            "space separator"
        );
        assert!(!is_valid_date_time("2017-08-14T23:20:57"), "no offset");
        assert!(!is_valid_date_time("2017-02-30T00:00:00Z"), "no such day");
        assert!(!is_valid_date_time("2017-08-14T25:00:00Z"), "hour 25");
        assert!(!is_valid_date_time("1502752857"), "epoch seconds");
        assert!(!is_valid_date_time(""), "empty");
    }

    /// Leap seconds: `:60` only in the last minute of a UTC day, once the
    /// offset is applied (RFC 3339 section 5.7), with the cases of issue 12.
    const LEAP_SECONDS: &[(&str, bool)] = &[
        ("1998-12-31T23:59:60Z", true),
        ("1998-12-31T23:59:60.123Z", true),
        ("1998-12-31t23:59:60z", true),
        ("1998-12-31T15:59:60-08:00", true),
        ("1999-01-01T00:59:60+01:00", true),
        ("1998-12-31T23:29:60-00:30", true),
        ("1998-12-31T23:29:60+00:30", false),
        ("1999-01-01T00:29:60+00:30", true),
        ("1998-12-31T23:58:60Z", false),
        ("1998-12-31T22:59:60Z", false),
        ("1998-12-31T23:59:60+01:00", false),
        ("1998-12-31T15:58:60-08:00", false),
        ("1998-12-31T16:59:60-08:00", false),
        ("1998-12-31T23:59:61Z", false),
        ("1998-12-31T23:59:59Z", true),
    ];

    #[test]
    fn a_leap_second_only_at_23_59_utc() {
        for &(text, valid) in LEAP_SECONDS {
            assert_eq!(is_valid_date_time(text), valid, "{text}");
        }
    }

    #[test]
    fn the_generated_type_and_jsonschema_agree_on_leap_seconds() {
        let builtin = jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({"format": "date-time"}))
            .expect("a valid schema");
        for &(text, valid) in LEAP_SECONDS {
            assert_eq!(
                aperture_events_runtime::Timestamp::parse(text).is_some(),
                valid,
                "type: {text}"
            );
            assert_eq!(
                builtin.is_valid(&serde_json::json!(text)),
                valid,
                "jsonschema: {text}"
            );
        }
    }
}

#[cfg(test)]
mod agreement {
    use proptest::prelude::*;

    /// A date-time near the grammar's edges: every field one past its range,
    /// `T`/`t`/space, fractions, `Z`/`z` and offsets up to 24 hours.
    fn near_rfc3339() -> impl Strategy<Value = String> {
        let date = (0_u32..10_000, 0_u32..14, 0_u32..33)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        let time =
            (0_u32..25, 0_u32..61, 0_u32..62).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"));
        let fraction = prop::sample::select(vec!["", ".5", ".123456789123", ".", ",5"]);
        let separator = prop::sample::select(vec!["T", "t", " ", "TT"]);
        let offset = prop_oneof![
            prop::sample::select(vec!["Z", "z", "", "+0100", "+01"]).prop_map(str::to_owned),
            (prop::sample::select(vec!["+", "-"]), 0_u32..25, 0_u32..61)
                .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        ];
        (date, separator, time, fraction, offset)
            .prop_map(|(d, sep, t, f, o)| format!("{d}{sep}{t}{f}{o}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The validator's rule (chrono, registered for `date-time`) gives
        /// jsonschema's built-in verdict, so code checking `date-time` either
        /// way agrees with the validator.
        #[test]
        fn the_rule_agrees_with_jsonschemas_built_in_date_time(text in near_rfc3339()) {
            let builtin = jsonschema::options()
                .should_validate_formats(true)
                .build(&serde_json::json!({"format": "date-time"}))
                .expect("a valid schema");
            prop_assert_eq!(super::is_valid_date_time(&text), builtin.is_valid(&serde_json::json!(text)), "{}", text);
        }
    }
}
