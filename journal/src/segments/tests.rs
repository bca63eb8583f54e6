use super::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn an_offset_inside_a_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("events.ndjson");
    let text = b"{\"a\":1}\n{\"b\":22}\n";
    std::fs::write(dir.path().join("events.ndjson.1"), text).unwrap();
    std::fs::write(dir.path().join("events.ndjson.2.gz"), gzip(text)).unwrap();
    std::fs::write(&journal, text).unwrap();
    for segment in [1, 2, 3] {
        // At a line's start: whole lines from there.
        for (offset, first) in [(0, &b"{\"a\":1}"[..]), (8, b"{\"b\":22}"), (17, b"")] {
            let mut r = SegmentReader::open(&journal, segment, offset, 0)
                .unwrap()
                .unwrap();
            let mut out = Vec::new();
            r.read(10, 1 << 20, &mut out).unwrap();
            assert_eq!(
                out.first().map_or(&b""[..], |l| &l.bytes[..]),
                first,
                "segment {segment} offset {offset}"
            );
        }
        // Inside a line: an error, not a fragment.
        for offset in [1, 5, 7, 9, 16] {
            let err = SegmentReader::open(&journal, segment, offset, 1).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            let text = err.to_string();
            assert!(
                text.contains(&format!(
                    "offset {offset} is inside a line (the byte before it is not a newline)"
                )),
                "{text}"
            );
        }
    }
}
