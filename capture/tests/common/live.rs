//! A capture (or forwarder) left running while a test watches it: its
//! stderr read line by line as it comes, its `--metrics-listen` endpoint
//! scraped over loopback.

use std::io::{BufRead, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A running child whose stderr lines arrive with the instant they were read.
#[derive(Debug)]
pub struct Live {
    pub child: Child,
    lines: Receiver<(Instant, String)>,
    /// Every stderr line so far.
    pub seen: Vec<(Instant, String)>,
}

impl Live {
    /// Spawns `cmd` with stderr piped (stdout to null).
    pub fn spawn(cmd: &mut Command) -> Live {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("child starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                if tx.send((Instant::now(), line)).is_err() {
                    return;
                }
            }
        });
        Live {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Reads what arrived, waiting at most `wait`.
    pub fn poll(&mut self, wait: Duration) {
        let end = Instant::now() + wait;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// The first stderr line containing `text`, waiting up to `limit` for it.
    pub fn wait_for(&mut self, text: &str, limit: Duration) -> Option<(Instant, String)> {
        let end = Instant::now() + limit;
        loop {
            if let Some(found) = self.seen.iter().find(|(_, l)| l.contains(text)) {
                return Some(found.clone());
            }
            if Instant::now() >= end {
                return None;
            }
            self.poll(Duration::from_millis(50));
        }
    }

    /// The address of `--metrics-listen` (port 0 chosen by the system), from the start line.
    pub fn metrics_addr(&mut self) -> SocketAddr {
        let (_, line) = self
            .wait_for("serving metrics on http://", Duration::from_secs(30))
            .unwrap_or_else(|| panic!("no metrics line: {:?}", self.seen));
        let rest = line.split("http://").nth(1).expect("address");
        rest.split('/').next().unwrap().parse().expect("an address")
    }

    /// Every stderr line so far, joined.
    pub fn stderr(&self) -> String {
        self.seen
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// SIGTERM, then the exit status (SIGKILL after 30 s).
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        #[cfg(unix)]
        signal(&self.child, rustix::process::Signal::TERM);
        let end = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                break self.child.wait().expect("wait");
            }
            self.poll(Duration::from_millis(50));
        };
        self.poll(Duration::from_millis(200));
        let text = self.stderr();
        (status, text)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn signal(child: &Child, signal: rustix::process::Signal) {
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process(pid, signal);
    }
}

/// `GET path` over plain HTTP/1.1 (a test's probe): the status and the body.
pub fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("response");
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

/// The exposition at `/metrics`.
pub fn scrape(addr: SocketAddr) -> String {
    let (status, body) = http_get(addr, "/metrics");
    assert_eq!(status, 200, "{body}");
    body
}

/// The value of the sample `series` (a name with its labels, exactly as exposed).
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// The sum of every sample of the metric `name` (all its label sets).
pub fn total(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|r| r.starts_with('{') || r.starts_with(' '))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// How many series the metric `name` has.
pub fn series(text: &str, name: &str) -> usize {
    text.lines()
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|r| r.starts_with('{') || r.starts_with(' '))
        })
        .count()
}
