//! Reading one archived record back from its file and offset (what a stored
//! record keeps), and checking it against its digests: what `gleaner
//! replay` writes out and `gleaner show` vouches for.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use crate::warc::sha1_digest;

/// One WARC record read from its offset.
#[derive(Debug, Clone)]
pub struct Archived {
    /// Header fields as written (names as written).
    pub fields: Vec<(String, String)>,
    /// The block: for a response, the HTTP head and the body as sent.
    pub block: Vec<u8>,
}

impl Archived {
    /// The first value of a WARC header field (case-insensitive name).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The HTTP entity body of a response block (after the blank line),
    /// as archived: what `WARC-Payload-Digest` is computed over.
    pub fn payload(&self) -> &[u8] {
        match self.block.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(i) => &self.block[i + 4..],
            None => &[],
        }
    }

    /// Checks the block and payload digests the record states; the first
    /// mismatch is the error.
    pub fn verify(&self) -> Result<(), String> {
        if let Some(want) = self.field("WARC-Block-Digest") {
            let got = sha1_digest(&self.block);
            if !want.eq_ignore_ascii_case(&got) {
                return Err(format!("WARC-Block-Digest is {want} but the block hashes to {got}"));
            }
        }
        if let Some(want) = self.field("WARC-Payload-Digest") {
            let got = sha1_digest(self.payload());
            if !want.eq_ignore_ascii_case(&got) {
                return Err(format!("WARC-Payload-Digest is {want} but the payload hashes to {got}"));
            }
        }
        Ok(())
    }
}

/// Reads the record starting at `offset` in `path` (a gzip member in a
/// `.warc.gz`, a plain record otherwise), its block at most `max` bytes.
pub fn read_record_at(path: &str, offset: u64, max: u64) -> io::Result<Archived> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    file.seek(SeekFrom::Start(offset))?;
    let inner: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        // One member only: the record at this offset, not the ones after.
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut r = BufReader::new(inner.take(max.saturating_add(64 * 1024)));
    let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
    let mut line = String::new();
    r.read_line(&mut line)?;
    if !line.starts_with("WARC/") {
        return Err(bad("no WARC record starts at this offset"));
    }
    let mut fields = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(bad("the record's header ends early"));
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            fields.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let len: u64 = fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| bad("the record has no Content-Length"))?;
    if len > max {
        return Err(bad(&format!(
            "the record's block is {len} bytes, over the limit of {max}"
        )));
    }
    let mut block = vec![0u8; len as usize];
    r.read_exact(&mut block)?;
    Ok(Archived { fields, block })
}
