//! The reader's bounds as command-line flags, for every command that reads
//! inputs as `aperture-validate` does (`aperture-ocsf` too): one definition
//! of `--max-record-size` and `--max-decompression-ratio`, their syntax and
//! their ranges.

use super::{DEFAULT_MAX_DECOMPRESSION_RATIO, ReadOptions};
use crate::limits::OutOfRange;

/// `--max-record-size` and `--max-decompression-ratio`, for a clap parser
/// (`#[command(flatten)]`); [`ReadFlags::options`] checks them.
#[derive(Debug, Clone, clap::Args)]
pub struct ReadFlags {
    /// The longest record read, in bytes (suffixes K, M, G: 1024-based; at most 1G); a longer one is reported and skipped.
    /// A record (an NDJSON line, a JSON value, an HTTP body, a HAR entry) is held whole: memory grows with BYTES.
    #[arg(long, value_name = "BYTES", default_value = "8M", value_parser = parse_size)]
    pub max_record_size: usize,
    /// What a gzipped input may decompress to, in times the bytes read of it (1 to 1000000); past it, the input is not read further.
    /// The default, 1100, is more than one layer of gzip can give: only a compression bomb (gzip inside gzip) reaches it.
    #[arg(long, value_name = "RATIO", default_value_t = DEFAULT_MAX_DECOMPRESSION_RATIO)]
    pub max_decompression_ratio: u64,
}

/// A flag out of its range: the flag, and the range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag}: {range}")]
pub struct FlagError {
    /// The flag, as written on the command line.
    pub flag: &'static str,
    /// What was given, and what may be.
    pub range: OutOfRange,
}

impl ReadFlags {
    /// The options the flags ask for, each checked against its range.
    pub fn options(&self) -> Result<ReadOptions, FlagError> {
        let out_of = |flag| move |range| FlagError { flag, range };
        ReadOptions::default()
            .with_max_record_size(self.max_record_size)
            .map_err(out_of("--max-record-size"))?
            .with_max_decompression_ratio(self.max_decompression_ratio)
            .map_err(out_of("--max-decompression-ratio"))
    }
}

/// A size in bytes: digits, then optionally `K`, `M` or `G` (powers of 1024,
/// any case, an optional `B` or `iB` after them: `64M`, `64MiB`, `1g`).
fn parse_size(text: &str) -> Result<usize, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, suffix) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 1048576, 512K, 64M or 1G"))?;
    let shift = match suffix.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{text}`: the size's unit must be K, M or G")),
    };
    let bytes = number
        .checked_mul(1 << shift)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("`{text}` is too large"))?;
    if bytes == 0 {
        return Err("a record may not be empty: the size must be at least 1 byte".to_owned());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::DEFAULT_MAX_RECORD_SIZE;
    use super::*;

    #[derive(Debug, Parser)]
    struct Command {
        #[command(flatten)]
        read: ReadFlags,
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("8388608"), Ok(DEFAULT_MAX_RECORD_SIZE));
        assert_eq!(parse_size("8M"), Ok(DEFAULT_MAX_RECORD_SIZE));
        assert_eq!(parse_size("8MiB"), Ok(DEFAULT_MAX_RECORD_SIZE));
        assert_eq!(parse_size("64k"), Ok(64 * 1024));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("100b"), Ok(100));
        for bad in [
            "",
            "M",
            "-1",
            "1.5M",
            "1T",
            "12 M",
            "0",
            "0K",
            "99999999999999999999G",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} is accepted");
        }
    }

    #[test]
    fn the_defaults_are_the_library_defaults_and_ranges_are_checked() {
        let flags = Command::parse_from(["x"]).read;
        assert_eq!(flags.options(), Ok(ReadOptions::default()));
        let flags = Command::parse_from(["x", "--max-record-size", "1K"]).read;
        assert_eq!(flags.options().map(|o| o.max_record_size()), Ok(1024));
        let flags = Command::parse_from(["x", "--max-record-size", "2G"]).read;
        let error = flags.options().unwrap_err();
        assert_eq!(error.flag, "--max-record-size");
        assert!(
            error.to_string().starts_with("--max-record-size: "),
            "{error}"
        );
        let flags = Command::parse_from(["x", "--max-decompression-ratio", "0"]).read;
        assert_eq!(
            flags.options().unwrap_err().flag,
            "--max-decompression-ratio"
        );
    }
}
