//! One test per input shape: each reader finds every record, in its place.
//! Inputs are the small files of `tests/data/` (and gzip copies made here).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

use aperture_events_validator::Report;
use aperture_events_validator::input::Source;
use aperture_events_validator::{
    Class, Locus, Options, Position, Reading, RunOptions, Validator, run,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn check(path: PathBuf) -> Report {
    let validator = Validator::embedded(Options {
        reading: Reading::Tolerant,
        show_values: false,
    })
    .unwrap();
    run(
        &validator,
        &[Source::File(path)],
        &RunOptions::default(),
        &AtomicU64::new(0),
    )
}

/// `(class, locus)` of every listed error.
fn errors(report: &Report) -> Vec<(Class, Locus)> {
    report
        .errors
        .iter()
        .map(|e| (e.class, e.place.locus))
        .collect()
}

fn counts(report: &Report) -> [u64; 5] {
    let s = &report.summary;
    assert_eq!(
        s.valid + s.invalid + s.malformed + s.unknown_type,
        s.total,
        "classes add up"
    );
    [s.total, s.valid, s.invalid, s.malformed, s.unknown_type]
}

fn line(line: u64) -> Locus {
    Locus::at_line(line)
}

/// Response `n` of a transcript, at line `l`.
fn response(n: u64, l: u64) -> Locus {
    Locus::Http {
        response: n,
        at: Some(Position::line(l)),
        index: None,
    }
}

#[test]
fn ndjson_with_bom_crlf_and_blank_lines() {
    let report = check(data("crlf_bom.ndjson"));
    // line 1 valid (after the BOM), 3 invalid, 5 not JSON, 6 an array (one record), 7 a bulk line.
    assert_eq!(counts(&report), [5, 2, 1, 2, 0]);
    assert_eq!(
        errors(&report),
        vec![
            (Class::Invalid, line(3)),
            (Class::Malformed, Locus::at(5, 2)),
            (Class::Malformed, line(6)),
        ]
    );
}

#[test]
fn json_array_items_keep_their_index_and_line() {
    let report = check(data("array.json"));
    assert_eq!(counts(&report), [4, 1, 1, 1, 1]);
    assert_eq!(
        errors(&report),
        vec![
            (Class::Invalid, line(3).with_index(1)),
            (Class::Malformed, line(4).with_index(2))
        ]
    );
}

#[test]
fn events_glued_on_one_line_are_a_stream_placed_by_column() {
    // What appending single-event responses to a file gives: `{...}{...}{...}`, no line break.
    let report = check(data("glued.json"));
    assert_eq!(counts(&report), [3, 2, 1, 0, 0]);
    assert_eq!(errors(&report), vec![(Class::Invalid, Locus::at(1, 78))]);
}

#[test]
fn bulk_body_events_keep_their_index() {
    let report = check(data("bulk.json"));
    assert_eq!(counts(&report), [2, 1, 1, 0, 0]);
    assert_eq!(
        errors(&report),
        vec![(Class::Invalid, line(4).with_index(1))]
    );
    assert_eq!(report.errors[0].problems[0].pointer, "/timestamp");
}

#[test]
fn single_pretty_printed_event() {
    let report = check(data("single.json"));
    assert_eq!(counts(&report), [1, 1, 0, 0, 0]);
    assert_eq!(report.summary.by_log_type["admin_audit"].valid, 1);
}

#[test]
fn http_transcripts_with_204_error_status_and_non_json_body() {
    let report = check(data("transcripts.http"));
    // Response 1 and 6 are 204s, 2 has an invalid timestamp, 3 is HTML, 4 a 429, 5 a bulk body of two.
    assert_eq!(counts(&report), [4, 1, 2, 1, 0]);
    assert_eq!(report.summary.no_event_responses, 2);
    assert_eq!(report.summary.error_responses, 1);
    assert_eq!(
        errors(&report),
        vec![
            (Class::Invalid, response(2, 11)),
            (Class::Malformed, response(3, 17)),
            (Class::Invalid, response(5, 28).with_index(1)),
        ]
    );
    assert!(report.errors[1].problems[0].message.contains("text/html"));
    assert_eq!(report.notes.len(), 1);
}

#[test]
fn chunked_bodies_are_decoded_when_their_framing_was_kept() {
    let report = check(data("chunked.http"));
    // 1: one event split over two chunks; 2: the header says chunked but the
    // body is decoded already (as `curl -i` prints it); 3: a bulk body of two
    // in one chunk, the second invalid; 4: a body cut inside its chunk.
    assert_eq!(counts(&report), [5, 3, 1, 1, 0]);
    assert_eq!(
        errors(&report),
        vec![
            (Class::Invalid, response(3, 23).with_index(1)),
            (
                Class::Malformed,
                Locus::Http {
                    response: 4,
                    at: Some(Position {
                        line: 31,
                        column: Some(1)
                    }),
                    index: None
                }
            ),
        ]
    );
    assert!(
        report.errors[1].problems[0]
            .message
            .contains("ends inside a chunk")
    );
}

#[test]
fn har_entries_of_the_log_events_endpoints_only() {
    let report = check(data("capture.har"));
    // Entry 0 (the token request) is ignored, 1 is an event, 2 a 204, 3 a base64 bulk body of two, 4 not JSON.
    assert_eq!(counts(&report), [4, 2, 1, 1, 0]);
    assert_eq!(report.summary.no_event_responses, 1);
    let entry = |n| Locus::Har {
        entry: n,
        at: None,
        index: None,
    };
    assert_eq!(
        errors(&report),
        vec![
            (Class::Invalid, entry(3).with_index(1)),
            (Class::Malformed, entry(4))
        ]
    );
    let message = &report.errors[1].problems[0].message;
    assert!(
        message.contains("line 2, column 14 of the body"),
        "{message}"
    );
}

#[test]
fn duplicate_keys_are_invalid_at_the_duplicate() {
    let report = check(data("duplicate.ndjson"));
    assert_eq!(counts(&report), [2, 0, 2, 0, 0]);
    let pointers: Vec<&str> = report
        .errors
        .iter()
        .map(|e| e.problems[0].pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/serial", "/x/y"]);
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.problems[0].keyword == "duplicate-key")
    );
}

#[test]
fn gzip_of_any_shape_is_read_by_its_magic_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "crlf_bom.ndjson",
        "array.json",
        "transcripts.http",
        "capture.har",
    ] {
        let plain = check(data(name));
        // A misleading name: detection goes by content.
        let zipped = dir.path().join(format!("{name}.txt"));
        let mut encoder = flate2::write::GzEncoder::new(
            std::fs::File::create(&zipped).unwrap(),
            flate2::Compression::fast(),
        );
        encoder
            .write_all(&std::fs::read(data(name)).unwrap())
            .unwrap();
        encoder.finish().unwrap();
        let report = check(zipped);
        assert_eq!(counts(&report), counts(&plain), "{name}");
        assert_eq!(errors(&report), errors(&plain), "{name}");
        assert_eq!(
            report.summary.no_event_responses, plain.summary.no_event_responses,
            "{name}"
        );
    }
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_as_its_text() {
    // What Windows tools write (PowerShell's `>`: UTF-16LE with a BOM).
    let dir = tempfile::tempdir().unwrap();
    for name in ["crlf_bom.ndjson", "array.json", "transcripts.http"] {
        let plain = check(data(name));
        let text = std::fs::read_to_string(data(name)).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        for (order, bom, unit) in [
            ("le", [0xff, 0xfe], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            ("be", [0xfe, 0xff], u16::to_be_bytes),
        ] {
            let path = dir.path().join(format!("{name}.utf16{order}"));
            let mut bytes = bom.to_vec();
            bytes.extend(text.encode_utf16().flat_map(unit));
            std::fs::write(&path, bytes).unwrap();
            let report = check(path);
            assert_eq!(counts(&report), counts(&plain), "{name} {order}");
            assert_eq!(errors(&report), errors(&plain), "{name} {order}");
        }
    }
}

#[test]
fn an_unreadable_input_is_reported_and_the_rest_still_read() {
    let validator = Validator::embedded(Options::default()).unwrap();
    let sources = [
        Source::File(data("no-such-file.json")),
        Source::File(data("single.json")),
    ];
    let report = run(
        &validator,
        &sources,
        &RunOptions::default(),
        &AtomicU64::new(0),
    );
    assert_eq!(report.summary.unreadable_inputs, 1);
    assert_eq!(report.inputs[0].message, "cannot read: no such file");
    assert_eq!(report.summary.valid, 1);
    assert_eq!(report.exit_code(false), 2);
}

#[test]
fn errors_are_listed_in_input_order_whatever_thread_saw_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.ndjson");
    let mut text = String::new();
    for i in 0..5000 {
        if i % 7 == 0 {
            text.push_str(
                "{\"log_type\": \"incident\", \"timestamp\": \"2017-08-14T23:20:57Z\"}\n",
            );
        } else {
            text.push_str("{\"log_type\": \"activity_monitoring\", \"timestamp\": \"2017-08-14T23:20:57Z\"}\n");
        }
    }
    std::fs::write(&path, text).unwrap();
    let validator = Validator::embedded(Options::default()).unwrap();
    let options = RunOptions {
        jobs: aperture_events_validator::Jobs::new(4).unwrap(),
        max_errors: 100,
        ..RunOptions::default()
    };
    let report = run(
        &validator,
        &[Source::File(path)],
        &options,
        &AtomicU64::new(0),
    );
    assert_eq!(report.summary.invalid, 715);
    assert_eq!(report.errors.len(), 100);
    assert_eq!(report.errors_omitted, 615);
    let lines: Vec<u64> = report
        .errors
        .iter()
        .map(|e| e.place.locus.position().unwrap().line)
        .collect();
    let expected: Vec<u64> = (0..100).map(|k| k * 7 + 1).collect();
    assert_eq!(lines, expected);
}

/// A stream message is placed by its sequence: a syntax error on its first
/// line by column too, one further down by a line of the message (never a
/// later sequence).
#[test]
fn a_stream_message_is_placed_by_sequence_and_column() {
    let validator = Validator::embedded(Options::default()).expect("schemas");
    let mut tally = aperture_events_validator::Tally::new(validator.options().reading);
    let stream = |sequence, column| Locus::Stream { sequence, column };
    for (sequence, text) in [
        (7, "{\"log_type\": x}"),
        (8, "{\"log_type\":\n \"incident\", x}"),
        (9, "{\"log_type\": \"incident\"}"),
    ] {
        let place = aperture_events_validator::Place::new("nats:E", stream(sequence, Some(3)));
        tally.observe(&validator, place, text.as_bytes());
    }
    let report = tally.finish(&validator);
    let shown: Vec<_> = report.errors.iter().map(|e| e.place.to_string()).collect();
    assert_eq!(shown, ["nats:E:7:16", "nats:E:8:3", "nats:E:9:3"]);
    assert_eq!(report.errors[0].place.locus, stream(7, Some(16)));
    let message = &report.errors[1].problems[0].message;
    assert!(
        message.ends_with("(line 2, column 14 of the message)"),
        "{message}"
    );
}
