//! The `date`, `time`, `date-time`, `uuid`, `ipv4` and `ipv6` formats, with
//! the verdicts of the `jsonschema` crate 0.61.2 (draft 2020-12, formats
//! asserted), whose validator the generated types must agree with.
//!
//! The date and time code is jsonschema's own (MIT), with its offset macro
//! turned into a function. `date-time` here is the one rule of the project:
//! [`crate::Timestamp`] accepts what [`is_valid_date_time`] accepts, and the
//! validator registers the same function.

/// `format: date` (RFC 3339 `full-date`), as jsonschema 0.61.2 checks it.
#[must_use]
pub fn is_valid_date(date: &str) -> bool {
    if date.len() != 10 {
        return false;
    }

    let bytes = date.as_bytes();

    // Check format: YYYY-MM-DD
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }

    // Parse year (YYYY)
    let Some(year) = parse_four_digits(&bytes[0..4]) else {
        return false;
    };

    // Parse month (MM)
    let Some(month) = parse_two_digits(&bytes[5..7]) else {
        return false;
    };
    if !(1..=12).contains(&month) {
        return false;
    }

    // Parse day (DD)
    let Some(day) = parse_two_digits(&bytes[8..10]) else {
        return false;
    };
    if day == 0 {
        return false;
    }

    // Check day validity
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => day <= 31,
        4 | 6 | 9 | 11 => day <= 30,
        2 => {
            if is_leap_year(year) {
                day <= 29
            } else {
                day <= 28
            }
        }
        _ => unreachable!("Month value is checked above"),
    }
}

#[inline]
fn is_leap_year(year: u16) -> bool {
    // Remainders matched rather than compared, which every clippy accepts.
    matches!((year % 4, year % 100, year % 400), (0, 1.., _) | (_, _, 0))
}

#[inline]
fn parse_four_digits(bytes: &[u8]) -> Option<u16> {
    // Little-endian layout: bytes[0] lands in the lowest byte of the u32.
    // After subtracting '0' from each byte, a digit lane holds 0..=9: its high nibble is 0
    // with and without +6. A lane below '0' holds 0xCF..=0xFF even after a borrow from the
    // lane below, so `sub` alone flags it; the borrow and carries only disturb lanes above
    // one that is already flagged.
    let value = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let sub = value.wrapping_sub(0x3030_3030);
    if (sub | sub.wrapping_add(0x0606_0606)) & 0xF0F0_F0F0 != 0 {
        return None;
    }
    let val = (sub & 0x0F0F_0F0F).wrapping_mul(2561) >> 8;
    Some(((val & 0x00FF_00FF).wrapping_mul(6_553_601) >> 16) as u16)
}

#[inline]
fn parse_two_digits(bytes: &[u8]) -> Option<u8> {
    // Little-endian layout: bytes[0] lands in the low byte of the u16.
    // Same digit test as `parse_four_digits`.
    let value = u16::from_le_bytes([bytes[0], bytes[1]]);
    let sub = value.wrapping_sub(0x3030);
    if (sub | sub.wrapping_add(0x0606)) & 0xF0F0 != 0 {
        return None;
    }
    Some(((sub & 0x0F0F).wrapping_mul(2561) >> 8) as u8)
}

/// `format: time` (RFC 3339 `full-time`, a leap second only at 23:59 UTC), as jsonschema 0.61.2 checks it.
#[must_use]
pub fn is_valid_time(time: &str) -> bool {
    let bytes = time.as_bytes();
    let len = bytes.len();

    if len < 9 {
        // Minimum valid time is "HH:MM:SSZ"
        return false;
    }

    // Check HH:MM:SS format
    if bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }

    // Parse hour (HH)
    let Some(hour) = parse_two_digits(&bytes[..2]) else {
        return false;
    };
    // Parse minute (MM)
    let Some(minute) = parse_two_digits(&bytes[3..5]) else {
        return false;
    };
    // Parse second (SS)
    let Some(second) = parse_two_digits(&bytes[6..8]) else {
        return false;
    };

    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }

    let mut i = 8;

    // Check fractional seconds
    if i < len && bytes[i] == b'.' {
        i += 1;
        let mut has_digit = false;
        while i < len && bytes[i].is_ascii_digit() {
            has_digit = true;
            i += 1;
        }
        if !has_digit {
            return false;
        }
    }

    // Check offset
    if i == len {
        return false;
    }

    match bytes[i] {
        b'Z' | b'z' => i == len - 1 && (second != 60 || (hour == 23 && minute == 59)),
        b'+' => is_valid_offset(&bytes[i..], -1, hour, minute, second),
        b'-' => is_valid_offset(&bytes[i..], 1, hour, minute, second),
        _ => false,
    }
}

/// `format: date-time` as jsonschema 0.61.2 checks it built in: a date, `T` or `t`, a time.
#[must_use]
pub fn is_valid_date_time(datetime: &str) -> bool {
    // Find the position of 'T' or 't' separator
    let Some(t_pos) = datetime.bytes().position(|b| b == b'T' || b == b't') else {
        return false;
    };

    // Split the string into date and time parts
    let (date_part, time_part) = datetime.split_at(t_pos);

    is_valid_date(date_part) && is_valid_time(&time_part[1..])
}

/// A numeric offset (`+HH:MM`/`-HH:MM`, `sign` already turned into the
/// direction towards UTC), and a leap second only at 23:59 UTC.
fn is_valid_offset(bytes: &[u8], sign: i16, hour: u8, minute: u8, second: u8) -> bool {
    if bytes.len() != 6 || bytes[3] != b':' {
        return false;
    }
    let (Some(offset_hh), Some(offset_mm)) = (
        parse_two_digits(&bytes[1..3]),
        parse_two_digits(&bytes[4..6]),
    ) else {
        return false;
    };
    if offset_hh > 23 || offset_mm > 59 {
        return false;
    }
    if second != 60 {
        return true;
    }
    let mut utc_hh = i16::from(hour) + sign * i16::from(offset_hh);
    let mut utc_mm = i16::from(minute) + sign * i16::from(offset_mm);
    utc_hh += utc_mm / 60;
    utc_mm %= 60;
    if utc_mm < 0 {
        utc_mm += 60;
        utc_hh -= 1;
    }
    utc_hh = (utc_hh + 24) % 24;
    utc_hh == 23 && utc_mm == 59
}

/// `format: uuid`, as jsonschema 0.61.2 checks it (`uuid_simd::parse_hyphenated`):
/// 36 bytes, hyphens at 8, 13, 18 and 23, hexadecimal digits elsewhere.
#[must_use]
pub fn is_valid_uuid(uuid: &str) -> bool {
    uuid.len() == 36
        && uuid.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `format: ipv4`: what `std::net::Ipv4Addr` parses (dotted quad, no leading zeros).
#[must_use]
pub fn is_valid_ipv4(ip: &str) -> bool {
    ip.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `format: ipv6`: what `std::net::Ipv6Addr` parses.
#[must_use]
pub fn is_valid_ipv6(ip: &str) -> bool {
    ip.parse::<std::net::Ipv6Addr>().is_ok()
}
