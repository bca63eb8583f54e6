//! Places: each shape written, read back, shown and sorted.

use super::*;

/// One locus of each shape, as the readers build them.
fn every_shape() -> Vec<Locus> {
    let at = |line, column| Some(Position { line, column });
    vec![
        Locus::Whole,
        Locus::at_line(3),
        Locus::at(3, 7).with_index(2),
        Locus::Http {
            response: 2,
            at: at(9, Some(4)),
            index: None,
        },
        Locus::Http {
            response: 2,
            at: at(9, None),
            index: Some(1),
        },
        Locus::at(1, 12).har_entry(4),
        Locus::Har {
            entry: 2,
            at: None,
            index: Some(0),
        },
        Locus::Stream {
            sequence: 41,
            column: Some(3),
        },
        Locus::Item { index: 5 },
    ]
}

#[test]
fn display_leaves_out_what_is_unknown() {
    let shown: Vec<String> = every_shape()
        .into_iter()
        .map(|l| Place::new("f", l).to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "f",
            "f:3",
            "f:3:7 (item 2)",
            "f:9:4 (response 2)",
            "f:9 (response 2, item 1)",
            "f:1:12 (HAR entry 4)",
            "f (HAR entry 2, item 0)",
            "f:41:3",
            "f (item 5)",
        ]
    );
}

#[test]
fn every_shape_is_written_as_its_members_and_read_back_as_it_was() {
    let written: Vec<String> = every_shape()
        .into_iter()
        .map(|l| serde_json::to_string(&Place::new("f", l)).unwrap())
        .collect();
    assert_eq!(
        written,
        [
            r#"{"source":"f"}"#,
            r#"{"source":"f","line":3}"#,
            r#"{"source":"f","line":3,"column":7,"index":2}"#,
            r#"{"source":"f","line":9,"column":4,"response":2}"#,
            r#"{"source":"f","line":9,"response":2,"index":1}"#,
            r#"{"source":"f","line":1,"column":12,"entry":4}"#,
            r#"{"source":"f","entry":2,"index":0}"#,
            r#"{"source":"f","sequence":41,"column":3}"#,
            r#"{"source":"f","index":5}"#,
        ]
    );
    for (text, locus) in written.iter().zip(every_shape()) {
        let place: Place = serde_json::from_str(text).unwrap();
        assert_eq!(place.locus, locus, "{text}");
        let alone: Locus = serde_json::from_str(&text.replace(r#""source":"f","#, "")).unwrap();
        assert_eq!(alone, locus, "{text}");
    }
}

#[test]
fn an_older_reports_stream_message_at_a_line_reads_back_as_a_line() {
    let place: Place = serde_json::from_str(r#"{"source":"nats:E","line":4,"column":2}"#).unwrap();
    assert_eq!(place.locus, Locus::at(4, 2));
    assert_eq!(place.to_string(), "nats:E:4:2");
}

#[test]
fn members_no_place_of_the_shape_has_are_left_out() {
    let read = |text: &str| serde_json::from_str::<Place>(text).unwrap().locus;
    assert_eq!(
        read(r#"{"source":"f","sequence":1,"line":2,"response":3,"index":4}"#),
        Locus::Stream {
            sequence: 1,
            column: None
        }
    );
    assert_eq!(
        read(r#"{"source":"f","response":3,"entry":1}"#),
        Locus::Http {
            response: 3,
            at: None,
            index: None
        }
    );
    assert_eq!(read(r#"{"source":"f","column":3}"#), Locus::Whole);
}

#[test]
fn places_sort_by_message_response_entry_then_text_then_item() {
    let before = |a: Locus, b: Locus| Place::new("f", a).is_before(&Place::new("f", b));
    let stream = |sequence, column| Locus::Stream { sequence, column };
    assert!(before(stream(3, Some(9)), stream(5, Some(1))));
    assert!(!before(stream(5, Some(1)), stream(3, Some(9))));
    assert!(before(Locus::at(2, 9), Locus::at(3, 1)));
    assert!(before(
        Locus::at(2, 1).with_index(1),
        Locus::at(2, 1).with_index(2)
    ));
    let har = |entry, at: Option<Position>, index| Locus::Har { entry, at, index };
    // A HAR entry's own place (in the file), and its body's records (no
    // line of the file): by entry first.
    let entry_one = Locus::at(1, 40).har_entry(1);
    assert!(before(har(0, None, Some(3)), entry_one));
    assert!(before(entry_one, har(2, None, Some(0))));
    assert!(!before(har(2, None, Some(0)), entry_one));
    let http = |response, line| Locus::Http {
        response,
        at: Some(Position::line(line)),
        index: None,
    };
    assert!(before(http(1, 30), http(2, 31)));
    assert!(!Place::new("f", Locus::at_line(1)).is_before(&Place::new("g", Locus::at_line(2))));
}
