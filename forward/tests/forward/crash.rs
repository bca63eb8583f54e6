//! SIGKILL of the forwarder and of the capture at random moments, 20 times,
//! each restarted on the same journal: every journaled event is in the
//! stream once, in journal order.

use std::process::{Command, Stdio};
use std::time::Duration;

use aperture_events_mock::{Fault, Faults, MockConfig};

use crate::common::*;
use crate::server::Node;
use crate::{assert_exactly_once, read_stream};

#[test]
#[ignore = "needs nats-server: run by tests/nats/run.sh"]
fn twenty_sigkills_of_forwarder_and_capture_still_exactly_once() {
    const KILLS: usize = 20;
    let dir = tempfile::tempdir().unwrap();
    let node = Node::single(dir.path());
    let mock = start(
        MockConfig {
            faults: Faults::every(9, Fault::DropMidBody).and(
                1,
                Fault::Slow {
                    delay: Duration::from_millis(2),
                },
            ),
            ..mock_config()
        },
        12_000,
    );
    let journal = dir.path().join("events.ndjson");
    let path = journal.to_str().unwrap().to_owned();
    let seed = fastrand::u64(..);
    eprintln!("forward crash test seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut kills = 0;
    // Rounds go on until KILLS processes were killed while running: one
    // that had ended on its own is not a kill, and a fixed 20 rounds made
    // the test fail now and then with 19.
    let mut round = 0;
    while kills < KILLS && round < 3 * KILLS {
        round += 1;
        let size = rng.u32(5..=50).to_string();
        let rotation = ["--rotate-size", "48K", "--gzip", "--keep-forwarded"];
        // Odd rounds: the capture forwards itself. Even rounds: a stand-alone
        // forwarder follows the journal while the capture writes it.
        let mut capture_cmd = capture(&mock, &path);
        capture_cmd
            .args(["--until-drained", "--quiet", "--size", &size])
            .args(rotation);
        let mut forwarder = None;
        if round % 2 == 1 {
            capture_cmd.args(["--forward", &node.url()]);
        } else {
            forwarder = Some(
                Command::new(env!("CARGO_BIN_EXE_aperture-forward"))
                    .args([
                        "--nats",
                        &node.url(),
                        "--follow",
                        "--quiet",
                        "--keep-forwarded",
                        &path,
                    ])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
        }
        let mut child = capture_cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(30..400)));
        if let Some(mut f) = forwarder {
            if f.try_wait().unwrap().is_none() {
                kills += 1;
            }
            f.kill().unwrap();
            let _ = f.wait();
        }
        std::thread::sleep(Duration::from_millis(rng.u64(0..100)));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap();
        let _ = child.wait();
    }
    assert!(
        kills >= KILLS,
        "only {kills} processes were killed while running"
    );
    eprintln!("{kills} SIGKILLs");
    // The end: capture what is left, forwarding, and let it catch up.
    let out = run(capture(&mock, &path)
        .args(["--until-drained", "--size", "100", "--forward", &node.url()])
        .args(["--rotate-size", "48K", "--gzip", "--keep-forwarded"]));
    assert_success(&out);
    assert_eq!(mock.remaining(), 0);
    let lines = all_lines(dir.path(), "events.ndjson");
    assert_exactly_once(&read_stream(&node.url(), "APERTURE"), &lines);
}
