//! Three `nats-server` nodes on loopback with routes, a stream of 3
//! replicas: one node killed in the middle of forwarding and brought back,
//! then the stream leader killed; every event still stored once.

use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig};

use crate::common::*;
use crate::server::{cluster, urls};
use crate::{assert_exactly_once, checkpoint, read_stream, runtime};

/// The server name of the stream's leader.
fn leader(url: &str) -> Option<String> {
    runtime().block_on(async {
        let addrs = aperture_events_forward::sink::servers(url).ok()?;
        let client = async_nats::connect(addrs).await.ok()?;
        let js = async_nats::jetstream::new(client);
        let mut stream = js.get_stream("APERTURE").await.ok()?;
        let info = stream.info().await.ok()?;
        info.cluster.as_ref()?.leader.clone()
    })
}

/// Waits until every node of the cluster answers JetStream requests (its
/// meta leader is elected): before that, a stream of 3 replicas cannot be
/// made, and the test would measure cluster formation, not forwarding.
fn wait_for_jetstream(nodes: &[crate::server::Node]) {
    let started = std::time::Instant::now();
    for node in nodes {
        let url = node.url();
        while !runtime().block_on(async {
            let Ok(client) = async_nats::connect(url.as_str()).await else {
                return false;
            };
            // A stream lookup answers "not found" once JetStream is up, and
            // times out or says "temporarily unavailable" before.
            let lookup = async_nats::jetstream::new(client)
                .get_stream("NO-SUCH-STREAM")
                .await;
            matches!(lookup.map(|_| ()).map_err(|e| e.kind()),
                Err(async_nats::jetstream::context::GetStreamErrorKind::JetStream(j))
                    if j.error_code() == async_nats::jetstream::ErrorCode::STREAM_NOT_FOUND)
        }) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the cluster's JetStream did not come up"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn node_and_leader_failures_still_store_every_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = cluster(dir.path());
    let url = urls(&nodes);
    wait_for_jetstream(&nodes);
    let mock = start(
        MockConfig {
            // 300 responses of 20 events, 30 ms each: the capture (and the
            // forwarder behind it) runs for about 9 s, longer than the
            // failures below take even on a fast, quiet machine.
            faults: Faults::every(
                1,
                Fault::Slow {
                    delay: Duration::from_millis(30),
                },
            ),
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
            started.elapsed() < Duration::from_secs(60),
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
    let out = wait(child, Duration::from_secs(180));
    assert_success(&out);
    // The failures came in the middle of forwarding: there was more to
    // forward after the first one (how much went on while a node was down
    // depends on how fast the cluster elects; not asserted).
    assert_ne!(
        before,
        checkpoint(&journal),
        "the nodes died in the middle of forwarding"
    );
    let lines = all_lines(dir.path(), "events.ndjson");
    assert_eq!(lines, delivered(&mock.log()));
    assert_exactly_once(&read_stream(&url, "APERTURE"), &lines);
    let now = leader(&url);
    eprintln!("leaders: {first_leader} then {l}, now {now:?}");
}
