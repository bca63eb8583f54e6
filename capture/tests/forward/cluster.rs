//! Three `nats-server` nodes on loopback with routes, a stream of 3
//! replicas: one node killed in the middle of forwarding and brought back,
//! then the stream leader killed; every event still stored once.

use std::time::Duration;

use aperture_events_capture::mock::{Faults, MockConfig};

use crate::common::*;
use crate::server::{cluster, urls};
use crate::{assert_exactly_once, checkpoint, read_stream, runtime};

/// The server name of the stream's leader.
fn leader(url: &str) -> Option<String> {
    runtime().block_on(async {
        let addrs = aperture_events_capture::forward::sink::servers(url).ok()?;
        let client = async_nats::connect(addrs).await.ok()?;
        let js = async_nats::jetstream::new(client);
        let mut stream = js.get_stream("APERTURE").await.ok()?;
        let info = stream.info().await.ok()?;
        info.cluster.as_ref()?.leader.clone()
    })
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn node_and_leader_failures_still_store_every_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = cluster(dir.path());
    let url = urls(&nodes);
    let mock = start(
        MockConfig {
            faults: Faults {
                slow_every: Some(1),
                slow_delay: Duration::from_millis(5),
                ..Faults::default()
            },
            ..mock_config()
        },
        6000,
    );
    let journal = dir.path().join("events.ndjson");
    let child = capture(&mock, journal.to_str().unwrap())
        .args([
            "--until-drained",
            "--size",
            "20",
            "--rotate-size",
            "64K",
            "--gzip",
            "--keep-forwarded",
        ])
        .args([
            "--forward",
            &url,
            "--replicas",
            "3",
            "--forward-drain-secs",
            "90",
        ])
        .spawn()
        .unwrap();
    // Wait for forwarding to be under way.
    let started = std::time::Instant::now();
    while checkpoint(&journal).is_none_or(|(_, _, line)| line == 0) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "forwarding did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A node that is not the leader dies and comes back.
    let first_leader = leader(&url).expect("the stream has a leader");
    let i = nodes.iter().position(|n| n.name != first_leader).unwrap();
    let before = checkpoint(&journal);
    nodes[i].kill();
    std::thread::sleep(Duration::from_millis(700));
    nodes[i].start();
    std::thread::sleep(Duration::from_millis(700));
    // Then the leader dies; it comes back once another is elected.
    let l = leader(&url).expect("the stream has a leader");
    let j = nodes.iter().position(|n| n.name == l).unwrap();
    nodes[j].kill();
    std::thread::sleep(Duration::from_millis(2500));
    nodes[j].start();
    let after = checkpoint(&journal);
    assert_ne!(before, after, "forwarding went on through the failures");
    let out = wait(child, Duration::from_secs(180));
    assert_success(&out);
    let lines = all_lines(dir.path(), "events.ndjson");
    assert_eq!(lines, delivered(&mock.log()));
    assert_exactly_once(&read_stream(&url, "APERTURE"), &lines);
    let now = leader(&url);
    eprintln!("leaders: {first_leader} then {l}, now {now:?}");
}
