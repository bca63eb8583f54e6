//! The `date-time` format, checked by the same rule as the generated types.
//!
//! Agreement (a payload the validator accepts deserializes into the generated
//! types, and one it rejects does not) needs one rule for timestamps, not two
//! that almost agree. jsonschema's built-in `date-time` check and chrono's
//! RFC 3339 parser differ at the edges (chrono also accepts a space between
//! date and time), so the validator registers this function for the format.
//!
//! # Design
//! The rule (byte 10 is `T` or `t`, and `chrono::DateTime::parse_from_rfc3339`
//! succeeds) lives in the generated crate, `aperture-events`, beside the type
//! that applies it; the validator calls that very function, so the two cannot
//! drift apart.

pub use aperture_events::is_valid_date_time;

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
}
