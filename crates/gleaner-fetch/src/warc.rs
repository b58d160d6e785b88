//! The evidence: every exchange as WARC/1.1 records in rotating `.warc.gz`
//! files, one gzip member per record (so each record can be read alone
//! from its offset), with digests a reader can check.
//!
//! Each exchange is a `response` record then a `request` record pointing to
//! it with `WARC-Concurrent-To`; a redirect chain is one such pair per hop.
//! Both carry `WARC-Block-Digest`, the response also `WARC-Payload-Digest`
//! (the body as sent, content encoding kept), SHA-1 in base 32 as is
//! customary. A body cut short says so in `WARC-Truncated`. A request that
//! got no response (a timeout, a refused connection) is kept alone. Each
//! file starts with a `warcinfo` record naming the software and its rules.
//!
//! Records are appended and synced before the store is told, and the store
//! keeps each file's acknowledged length: after a crash the bytes past it
//! (a half-written member) are cut off, so every file stays readable.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use gleaner_read::warc::write::{gzip_member, record_id, record_with};
use sha1::{Digest, Sha1};

use crate::client::Exchange;

/// Files are closed and a new one started past this size unless told otherwise.
pub const DEFAULT_WARC_MAX_BYTES: u64 = 1_000_000_000;

/// `sha1:` and the digest in base 32 (RFC 4648), as WARC readers expect.
pub fn sha1_digest(bytes: &[u8]) -> String {
    let d = Sha1::digest(bytes);
    format!("sha1:{}", base32(&d))
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Where one exchange's records landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file.
    pub file: String,
    /// Offset of each exchange's response record (`None`: no response), in
    /// the order given.
    pub responses: Vec<Option<u64>>,
    /// The payload digest of each response.
    pub digests: Vec<Option<String>>,
    /// The file's length after them.
    pub end: u64,
}

/// Appends records to the current file, starting a new one past the size limit.
pub struct WarcWriter {
    dir: PathBuf,
    max_bytes: u64,
    current: Option<(String, File, u64)>,
    serial: u32,
    info: String,
}

impl WarcWriter {
    /// A writer into `dir` (created if needed). `info` is the body of each
    /// file's `warcinfo` record (software, operator, robots policy).
    pub fn new(dir: &Path, max_bytes: u64, info: String) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(WarcWriter {
            dir: dir.to_path_buf(),
            max_bytes: max_bytes.max(1),
            current: None,
            serial: 0,
            info,
        })
    }

    /// The file being written, if one is open.
    pub fn current(&self) -> Option<(&str, u64)> {
        self.current.as_ref().map(|(p, _, len)| (p.as_str(), *len))
    }

    /// Opens the next file: `gleaner-YYYYMMDDHHMMSS-SERIAL-PID.warc.gz`.
    fn open_next(&mut self) -> io::Result<()> {
        let now = gleaner_read::rfc3339_utc(SystemTime::now());
        let stamp: String = now.chars().filter(char::is_ascii_digit).take(14).collect();
        loop {
            self.serial += 1;
            let name = format!("gleaner-{stamp}-{:05}-{}.warc.gz", self.serial, std::process::id());
            let path = self.dir.join(&name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let block = self.info.as_bytes();
                    let id = record_id();
                    let digest = sha1_digest(block);
                    let fields = [
                        ("WARC-Record-ID", id.as_str()),
                        ("WARC-Date", now.as_str()),
                        ("WARC-Filename", name.as_str()),
                        ("WARC-Block-Digest", digest.as_str()),
                    ];
                    let member = gzip_member(&record_with("warcinfo", &fields, "application/warc-fields", block));
                    file.write_all(&member)?;
                    self.current = Some((path.display().to_string(), file, member.len() as u64));
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Writes the records of `exchanges` (one fetch: robots.txt, retries,
    /// redirect hops) into one file, synced to disk before returning.
    pub fn write(&mut self, exchanges: &[Exchange]) -> io::Result<Written> {
        if self.current.as_ref().is_none_or(|(_, _, len)| *len >= self.max_bytes) {
            self.open_next()?;
        }
        let Some((path, file, len)) = self.current.as_mut() else {
            return Err(io::Error::other("no WARC file open"));
        };
        let mut responses = Vec::with_capacity(exchanges.len());
        let mut digests = Vec::with_capacity(exchanges.len());
        let mut out = Vec::new();
        for x in exchanges {
            let request_id = record_id();
            let mut concurrent = None;
            if let Some(r) = &x.response {
                let response_id = record_id();
                let mut block = r.head.clone();
                block.extend_from_slice(&r.body);
                let block_digest = sha1_digest(&block);
                let payload_digest = sha1_digest(&r.body);
                let mut fields = vec![
                    ("WARC-Record-ID", response_id.as_str()),
                    ("WARC-Date", x.date.as_str()),
                    ("WARC-Target-URI", x.url.as_str()),
                    ("WARC-Concurrent-To", request_id.as_str()),
                    ("WARC-Block-Digest", block_digest.as_str()),
                    ("WARC-Payload-Digest", payload_digest.as_str()),
                ];
                if let Some(t) = r.truncated {
                    fields.push(("WARC-Truncated", t));
                }
                responses.push(Some(*len + out.len() as u64));
                digests.push(Some(payload_digest.clone()));
                out.extend(gzip_member(&record_with(
                    "response",
                    &fields,
                    "application/http; msgtype=response",
                    &block,
                )));
                concurrent = Some(response_id);
            } else {
                responses.push(None);
                digests.push(None);
            }
            let block_digest = sha1_digest(&x.request);
            let mut fields = vec![
                ("WARC-Record-ID", request_id.as_str()),
                ("WARC-Date", x.date.as_str()),
                ("WARC-Target-URI", x.url.as_str()),
            ];
            if let Some(c) = &concurrent {
                fields.push(("WARC-Concurrent-To", c.as_str()));
            }
            fields.push(("WARC-Block-Digest", block_digest.as_str()));
            out.extend(gzip_member(&record_with(
                "request",
                &fields,
                "application/http; msgtype=request",
                &x.request,
            )));
        }
        file.write_all(&out)?;
        file.sync_data()?;
        *len += out.len() as u64;
        Ok(Written {
            file: path.clone(),
            responses,
            digests,
            end: *len,
        })
    }
}

/// Cuts a WARC file back to its acknowledged length: what a run that died
/// wrote after the store last vouched for the file (at worst a half-written
/// gzip member) goes, and with it the one fetch that was not recorded.
/// Returns the bytes cut.
pub fn truncate_to_acked(path: &Path, acked: u64) -> io::Result<u64> {
    let file = match OpenOptions::new().write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    if len <= acked {
        return Ok(0);
    }
    file.set_len(acked)?;
    file.sync_all()?;
    Ok(len - acked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_is_rfc4648() {
        // RFC 4648 test vectors.
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY======");
        assert_eq!(base32(b"fo"), "MZXQ====");
        assert_eq!(base32(b"foob"), "MZXW6YQ=");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
        // SHA-1 is 20 bytes: 32 characters, no padding.
        assert_eq!(sha1_digest(b"abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    }
}
