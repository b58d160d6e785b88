//! Finding gzip members: after a corrupt member, the next plausible one.

use super::*;

/// Moves the file to the next plausible gzip member start, or to its end. A
/// candidate needs the gzip magic and method (`1f 8b 08`), no reserved flags,
/// and a start that decompresses to a WARC or ARC record, so that the magic bytes
/// occurring by chance inside compressed data are not taken for members.
pub(super) fn scan_to_member(raw: &mut Raw) -> io::Result<()> {
    loop {
        let buf = raw.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match memchr(0x1f, buf) {
            None => {
                let n = buf.len();
                raw.consume(n);
                continue;
            }
            Some(i) => raw.consume(i),
        }
        let p = raw.peek(4)?;
        if p.len() >= 4 && p[1] == 0x8b && p[2] == 8 && p[3] & 0xe0 == 0 {
            let at = raw.pos;
            if probe_member(raw, at)? {
                return Ok(());
            }
            // The probe left the file at `at` with nothing buffered.
            raw.seek_to(at + 1)?;
        } else {
            raw.consume(1);
        }
    }
}

/// Whether the gzip member at `at` starts with a WARC or ARC record. Leaves the file
/// at `at`.
pub(super) fn probe_member(raw: &mut Raw, at: u64) -> io::Result<bool> {
    raw.seek_to(at)?;
    let ok = {
        let mut dec = GzDecoder::new(BufReader::new((&mut raw.inner).take(PROBE_BYTES)));
        // Enough for an ARC header line with a long address.
        let mut out = vec![0u8; 4096];
        let mut n = 0;
        while n < out.len() {
            match dec.read(&mut out[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        let start = out[..n].iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(n);
        let head = &out[start..n];
        is_warc_line(head) || memchr(b'\n', head).is_some_and(|end| is_arc_header(&head[..end]))
    };
    raw.seek_to(at)?;
    Ok(ok)
}

/// Reads until `buf` is full or the input ends; returns the count.
pub(super) fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
