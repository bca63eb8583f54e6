//! Journal behaviour: appending, repair of a cut last line, rotation and its crash recovery.

use super::*;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn appends_lines_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    let (mut j, repair) = Journal::open(&path, JournalOptions::default()).unwrap();
    assert_eq!(repair, None);
    j.append(&[b"{\"a\":1}".to_vec(), b"{\"b\":2}".to_vec()])
        .unwrap();
    drop(j);
    let (mut j, repair) = Journal::open(&path, JournalOptions::default()).unwrap();
    assert_eq!(repair, None);
    j.append(&[b"{\"c\":3}".to_vec()]).unwrap();
    assert_eq!(read(&path), "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
}

#[test]
fn cuts_an_incomplete_last_line_and_keeps_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    std::fs::write(&path, "{\"a\":1}\n{\"b\":").unwrap();
    let (mut j, repair) = Journal::open(&path, JournalOptions::default()).unwrap();
    let repair = repair.unwrap();
    assert_eq!(repair.truncated_bytes, 5);
    assert_eq!(read(&repair.saved_to), "{\"b\":\n");
    j.append(&[b"{\"c\":3}".to_vec()]).unwrap();
    assert_eq!(read(&path), "{\"a\":1}\n{\"c\":3}\n");
}

#[test]
fn a_file_without_any_newline_is_all_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    let long = "x".repeat(200_000);
    std::fs::write(&path, &long).unwrap();
    let (_j, repair) = Journal::open(&path, JournalOptions::default()).unwrap();
    assert_eq!(repair.unwrap().truncated_bytes, 200_000);
    assert_eq!(read(&path), "");
}

#[test]
fn finds_a_newline_far_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    let content = format!("{{}}\n{}", "y".repeat(150_000));
    std::fs::write(&path, content).unwrap();
    let (_j, repair) = Journal::open(&path, JournalOptions::default()).unwrap();
    assert_eq!(repair.unwrap().truncated_bytes, 150_000);
    assert_eq!(read(&path), "{}\n");
}

#[test]
fn rotates_by_size_and_gzips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    let options = JournalOptions {
        rotate_bytes: Some(20),
        gzip: true,
        ..JournalOptions::default()
    };
    let (mut j, _) = Journal::open(&path, options).unwrap();
    for i in 0..5 {
        j.append(&[format!("{{\"n\":{i:015}}}").into_bytes()])
            .unwrap();
        j.rotate_if_full().unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "j.ndjson",
            "j.ndjson.1.gz",
            "j.ndjson.2.gz",
            "j.ndjson.3.gz",
            "j.ndjson.4.gz",
            "j.ndjson.5.gz"
        ]
    );
    let mut text = String::new();
    let gz = std::fs::File::open(dir.path().join("j.ndjson.2.gz")).unwrap();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"n\":000000000000001}\n");
    assert_eq!(read(&path), "");
}

#[test]
fn rotation_numbers_continue_after_restart_and_recover_interrupted_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    // A crash after the rename, before compression finished.
    std::fs::write(dir.path().join("j.ndjson.3"), "{\"old\":1}\n").unwrap();
    std::fs::write(dir.path().join("j.ndjson.3.gz.tmp"), "garbage").unwrap();
    let options = JournalOptions {
        rotate_bytes: Some(1),
        gzip: true,
        ..JournalOptions::default()
    };
    let (mut j, _) = Journal::open(&path, options).unwrap();
    assert!(!dir.path().join("j.ndjson.3").exists());
    assert!(!dir.path().join("j.ndjson.3.gz.tmp").exists());
    let mut text = String::new();
    let gz = std::fs::File::open(dir.path().join("j.ndjson.3.gz")).unwrap();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"old\":1}\n");
    j.append(&[b"{}".to_vec()]).unwrap();
    assert!(
        !dir.path().join("j.ndjson.4.gz").exists(),
        "append alone never rotates"
    );
    j.rotate_if_full().unwrap();
    assert!(dir.path().join("j.ndjson.4.gz").exists());
}

#[cfg(unix)]
#[test]
fn a_link_planted_as_a_rotated_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.ndjson");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "a private file\n").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("j.ndjson.7")).unwrap();
    let options = JournalOptions {
        rotate_bytes: Some(1),
        gzip: true,
        ..JournalOptions::default()
    };
    let (mut j, _) = Journal::open(&path, options).unwrap();
    assert!(
        !dir.path().join("j.ndjson.7.gz").exists(),
        "the link's target was compressed"
    );
    assert!(dir.path().join("j.ndjson.7").is_symlink());
    j.append(&[b"{}".to_vec()]).unwrap();
    j.rotate_if_full().unwrap();
    assert!(
        dir.path().join("j.ndjson.1.gz").exists(),
        "numbered past no link"
    );
    assert_eq!(read(&victim), "a private file\n");
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-dir").join("j.ndjson");
    let err = Journal::open(&path, JournalOptions::default()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("journal {}: ", path.display())),
        "{msg}"
    );
}
