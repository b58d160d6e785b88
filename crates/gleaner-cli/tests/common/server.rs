//! The `gleaner serve` harness: a store of the sample pages, the server on a
//! free port, and raw HTTP/1.1 requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::common::repo;

pub fn tmpdir(name: &str) -> PathBuf {
    crate::common::tmpdir("serve", name)
}

/// A store ingested from the sample pages and the spec's reprint.
pub fn sample_store(dir: &Path) -> String {
    let db = dir.join("store.db").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["ingest", "--quiet", "--db", &db])
        .arg(repo().join("examples/pages"))
        .arg(repo().join("../shared/spec/example-reprint.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// Every line the server wrote on stderr so far (a thread keeps reading,
    /// so the server never blocks on a full pipe).
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(db: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stderr.take().unwrap());
        // Warnings may come before the line that names the address.
        let mut lines = Vec::new();
        let mut line = String::new();
        while !line.contains("http://") {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                panic!("the server stopped: {lines:?}");
            }
            lines.push(line.trim_end().to_string());
        }
        let log = Arc::new(Mutex::new(lines));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for l in reader.lines() {
                let Ok(l) = l else { break };
                sink.lock().unwrap().push(l);
            }
        });
        // "gleaner: serving DB at http://127.0.0.1:PORT/ (…"
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server {
            child,
            addr: addr.to_string(),
            log,
        }
    }

    /// One request; answers (status, headers lower-cased, body).
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // The server may answer (413) before reading a large body; a reset then is fine.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(&raw)));
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap();
        let mut body = raw[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        (status, head, body)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let (status, head, body) = self.request("GET", path, &[], b"");
        assert!(head.contains("content-type: application/json"), "{path}: {head}");
        (
            status,
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&body))),
        )
    }

    pub fn ok(&self, path: &str) -> Value {
        let (status, v) = self.get(path);
        assert_eq!(status, 200, "{path}: {v}");
        v
    }

    /// A 4xx with the JSON error shape, whose message mentions `needle`.
    pub fn refused(&self, path: &str, status: u16, needle: &str) {
        let (got, v) = self.get(path);
        assert_eq!(got, status, "{path}: {v}");
        assert_eq!(v["error"]["status"], status, "{path}: {v}");
        let msg = v["error"]["message"].as_str().unwrap_or("");
        assert!(msg.contains(needle), "{path}: {msg:?} should mention {needle:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + size]);
        b = &b[end + 2 + size + 2..];
    }
}
