//! A hostile HTTP server on loopback: it answers each request with whatever
//! the test's script says (echoes of the request, redirects, huge bodies,
//! terminal escapes, absurd token lifetimes), and records every request.
//! It also plays a proxy: a `CONNECT` is accepted and the tunnel is served
//! as if it were the API.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// `POST /oauth/token HTTP/1.1` and the like.
    pub line: String,
    /// Header lines, as received.
    pub headers: Vec<String>,
    pub body: Vec<u8>,
    /// Whether it came through a `CONNECT` tunnel.
    pub tunnelled: bool,
}

impl Request {
    pub fn path(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }
    pub fn is_token(&self) -> bool {
        self.path().ends_with("/oauth/token")
    }
    /// The request as text: line, headers, blank line, body.
    pub fn echo(&self) -> String {
        format!(
            "{}\r\n{}\r\n\r\n{}",
            self.line,
            self.headers.join("\r\n"),
            String::from_utf8_lossy(&self.body)
        )
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Announce twice the body's length, then close: a body cut off mid-way.
    pub cut: bool,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            cut: false,
        }
    }
    pub fn cut(mut self) -> Self {
        self.cut = true;
        self
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Decides the answer to the n-th request (counting from 0, per endpoint
/// kind: token requests and the others are counted apart).
pub type Script = dyn Fn(&Request, usize) -> Response + Send + Sync;

pub struct Hostile {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Hostile {
    pub fn start(script: impl Fn(&Request, usize) -> Response + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let counters = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        {
            let (requests, connections, stop) = (
                Arc::clone(&requests),
                Arc::clone(&connections),
                Arc::clone(&stop),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            connections.fetch_add(1, Ordering::SeqCst);
                            let (requests, script, counters) = (
                                Arc::clone(&requests),
                                Arc::clone(&script),
                                Arc::clone(&counters),
                            );
                            std::thread::spawn(move || {
                                let _ = serve(stream, &requests, &*script, &counters);
                            });
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            });
        }
        Self {
            port,
            requests,
            connections,
            stop,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(
    stream: TcpStream,
    requests: &Mutex<Vec<Request>>,
    script: &Script,
    counters: &(AtomicUsize, AtomicUsize),
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut tunnelled = false;
    loop {
        let Some(req) = read_request(&mut reader, tunnelled)? else {
            return Ok(());
        };
        if req.line.starts_with("CONNECT ") {
            writer.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
            requests.lock().unwrap().push(req);
            tunnelled = true;
            continue;
        }
        let counter = if req.is_token() {
            &counters.0
        } else {
            &counters.1
        };
        let n = counter.fetch_add(1, Ordering::SeqCst);
        requests.lock().unwrap().push(req.clone());
        let resp = script(&req, n);
        let mut head = format!("HTTP/1.1 {} X\r\n", resp.status);
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if resp.status != 204 {
            let announced = resp.body.len() * if resp.cut { 2 } else { 1 };
            head.push_str(&format!("Content-Length: {announced}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        writer.write_all(head.as_bytes())?;
        if resp.status != 204 {
            writer.write_all(&resp.body)?;
        }
        writer.flush()?;
        return Ok(());
    }
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    tunnelled: bool,
) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            break;
        }
        let h = h.trim_end().to_owned();
        if h.is_empty() {
            break;
        }
        headers.push(h);
    }
    let mut req = Request {
        line: line.trim_end().to_owned(),
        headers,
        body: Vec::new(),
        tunnelled,
    };
    let len: usize = req
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    req.body = vec![0; len];
    reader.read_exact(&mut req.body)?;
    Ok(Some(req))
}

/// The spellings of `value` a server may echo it in.
pub fn forms(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).unwrap();
    let json = json.trim_matches('"').to_owned();
    let url: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let all_u: String = value
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let mut v = vec![
        value.to_owned(),
        json.clone(),
        json.replace('/', "\\/"),
        url,
        all_u,
    ];
    v.dedup();
    v
}

/// Panics if `text` holds any spelling of `secret`, or of its first
/// `min_prefix` characters or more.
pub fn assert_absent(what: &str, text: &[u8], secret: &str, min_prefix: usize) {
    let text = String::from_utf8_lossy(text);
    let n = secret.chars().count();
    for len in min_prefix.min(n)..=n {
        let prefix: String = secret.chars().take(len).collect();
        for f in forms(&prefix) {
            assert!(
                !text.contains(&f),
                "{what} holds `{f}` (a form of the first {len} characters of a secret):\n{text}"
            );
        }
    }
}

/// Every file under `dir`, recursively, with its bytes (gzip decoded).
pub fn all_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in rd {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            let mut bytes = std::fs::read(&path).unwrap();
            if path.extension().is_some_and(|e| e == "gz") {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                bytes = plain;
            }
            out.push((path, bytes));
        }
    }
    out
}
