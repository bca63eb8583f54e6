//! `nats-server` processes on loopback for the forwarding tests: one node,
//! or a cluster of three with routes; killed (SIGKILL) and started again on
//! the same ports and store.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port free on loopback now, and never handed out before in this test
/// process: tests run in parallel, and the OS may give a just-released port
/// again, so two servers would race for it (one exits, its test then talks
/// to the other's server until that one is killed).
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut given = GIVEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if given.insert(port) {
            return port;
        }
    }
}

/// One `nats-server` with JetStream.
#[derive(Debug)]
pub struct Node {
    pub name: String,
    pub port: u16,
    conf: PathBuf,
    child: Option<Child>,
}

impl Node {
    fn new(dir: &Path, name: &str, port: u16, cluster: Option<(u16, &[u16])>) -> Node {
        Node::configured(dir, name, port, cluster, "")
    }

    fn configured(
        dir: &Path,
        name: &str,
        port: u16,
        cluster: Option<(u16, &[u16])>,
        extra: &str,
    ) -> Node {
        let store = dir.join(format!("{name}-store"));
        let mut conf = format!(
            "server_name: {name}\nlisten: 127.0.0.1:{port}\njetstream {{ store_dir: \"{}\" }}\n",
            store.display()
        );
        if let Some((cport, routes)) = cluster {
            let routes: Vec<String> = routes
                .iter()
                .map(|p| format!("\"nats-route://127.0.0.1:{p}\""))
                .collect();
            conf.push_str(&format!(
                "cluster {{ name: aperture-test\n listen: 127.0.0.1:{cport}\n routes: [{}] }}\n",
                routes.join(", ")
            ));
        }
        conf.push_str(extra);
        let path = dir.join(format!("{name}.conf"));
        std::fs::write(&path, conf).expect("config written");
        Node {
            name: name.to_owned(),
            port,
            conf: path,
            child: None,
        }
    }

    /// One node on a free port, started.
    pub fn single(dir: &Path) -> Node {
        let mut node = Node::new(dir, "n1", free_port(), None);
        node.start();
        node
    }

    /// One node on a free port with `extra` lines of configuration
    /// (accounts, permissions, limits), started.
    pub fn single_with(dir: &Path, extra: &str) -> Node {
        let mut node = Node::configured(dir, "n1", free_port(), None, extra);
        node.start();
        node
    }

    /// One node on a free port, not started.
    pub fn stopped(dir: &Path) -> Node {
        Node::new(dir, "n1", free_port(), None)
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "{} runs already", self.name);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.conf.with_extension("log"))
            .expect("log file");
        let child = Command::new("nats-server")
            .arg("-c")
            .arg(&self.conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("nats-server starts (tests/nats/run.sh installs it)");
        self.child = Some(child);
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{} did not start",
                self.name
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no goodbye to the cluster, no flush.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Three nodes with routes to each other, started.
pub fn cluster(dir: &Path) -> Vec<Node> {
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let cports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut nodes: Vec<Node> = (0..3)
        .map(|i| {
            let routes: Vec<u16> = cports.iter().copied().filter(|p| *p != cports[i]).collect();
            Node::new(
                dir,
                &format!("n{}", i + 1),
                ports[i],
                Some((cports[i], &routes)),
            )
        })
        .collect();
    for node in &mut nodes {
        node.start();
    }
    nodes
}

/// `nats://…,nats://…` of all nodes.
pub fn urls(nodes: &[Node]) -> String {
    nodes.iter().map(Node::url).collect::<Vec<_>>().join(",")
}
