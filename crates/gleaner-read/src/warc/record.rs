//! WARC record framing: header fields (folded lines, LF ends and stray lines
//! tolerated), reading one record and what follows its block, and finding the
//! next record line after damage.

use super::*;

/// The WARC header fields the reader uses.
#[derive(Debug, Default)]
pub(super) struct WarcHeader {
    pub(super) warc_type: Option<String>,
    pub(super) uri: Option<String>,
    pub(super) date: Option<String>,
    pub(super) id: Option<String>,
    pub(super) content_type: Option<String>,
    pub(super) content_length: Option<u64>,
    pub(super) payload_digest: Option<String>,
    pub(super) truncated: Option<String>,
}

impl WarcHeader {
    pub(super) fn from_fields(fields: &[(String, String)]) -> Self {
        let mut h = WarcHeader::default();
        for (name, value) in fields {
            if value.is_empty() {
                continue;
            }
            let slot = match name.as_str() {
                "warc-type" => &mut h.warc_type,
                "warc-target-uri" => &mut h.uri,
                "warc-date" => &mut h.date,
                "warc-record-id" => &mut h.id,
                "content-type" => &mut h.content_type,
                "warc-payload-digest" => &mut h.payload_digest,
                "warc-truncated" => &mut h.truncated,
                "content-length" => {
                    if h.content_length.is_none() {
                        h.content_length = value.parse().ok();
                    }
                    continue;
                }
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.clone());
            }
        }
        h.warc_type = h.warc_type.map(|t| t.to_ascii_lowercase());
        // WARC/1.0's grammar put the target URI in angle brackets by mistake;
        // some writers followed it.
        h.uri = h.uri.map(|u| {
            u.strip_prefix('<')
                .and_then(|u| u.strip_suffix('>'))
                .unwrap_or(&u)
                .trim()
                .to_string()
        });
        h
    }

    /// How to name the record in an error: its id, else its URL.
    pub(super) fn name(&self) -> Option<String> {
        self.id.clone().or_else(|| self.uri.clone())
    }

    pub(super) fn is_web(&self) -> bool {
        self.uri.as_deref().is_some_and(|u| {
            let u = u.to_ascii_lowercase();
            u.starts_with("http://") || u.starts_with("https://")
        })
    }
}

/// Reads one record (header and block) from `s`. `data_end`, when known, is
/// where the data ends, so a Content-Length past it is caught without reading.
pub(super) fn parse_record<S: Stream + ?Sized>(
    s: &mut S,
    limits: &ReadLimits,
    data_end: Option<u64>,
) -> io::Result<Parsed> {
    if s.peek(1)?.is_empty() {
        return Ok(Parsed::Eof);
    }
    let mut line = Vec::new();
    let kind = read_line(s, MAX_LINE, &mut line)?;
    if kind == Line::TooLong || !line.starts_with(b"WARC/") {
        return Ok(Parsed::BadHeader {
            category: "bad record",
            reason: "not a WARC record: expected a WARC/1.x header line".into(),
            at_line_start: kind != Line::TooLong,
            record: None,
        });
    }
    let fields = match read_fields(s, true)? {
        Head::Fields(f) => f,
        Head::Bad {
            category,
            reason,
            at_line_start,
        } => {
            return Ok(Parsed::BadHeader {
                category,
                reason,
                at_line_start,
                record: None,
            })
        }
    };
    let h = WarcHeader::from_fields(&fields);
    let record = h.name();
    let Some(len) = h.content_length else {
        return Ok(Parsed::BadHeader {
            category: "bad record",
            reason: "the record header has no valid Content-Length".into(),
            at_line_start: true,
            record,
        });
    };
    let block_start = s.pos();
    if data_end.is_some_and(|end| block_start.saturating_add(len) > end) {
        return Ok(Parsed::Short {
            block_start,
            len,
            record,
        });
    }
    let mut block = Block {
        s,
        left: len,
        failed: None,
    };
    let outcome = match h.warc_type.as_deref() {
        Some("response") => response(&mut block, &h, limits)?,
        Some("resource") => resource(&mut block, &h, limits)?,
        Some(_) => Verdict::Skip,
        None => outcome_error(&h, "bad record", "the record header has no WARC-Type"),
    };
    block.drain()?;
    if block.left > 0 {
        return Ok(Parsed::Short {
            block_start,
            len,
            record,
        });
    }
    Ok(Parsed::Record { outcome, block_start })
}

/// How a record block ends.
pub(super) enum After {
    /// End of the stream (of the member, for gzip).
    End,
    /// Another record follows, or (in plain archives) at least the record
    /// separator does: then a damaged next header is that record's problem,
    /// reported when it is read.
    Next,
    /// Neither: the Content-Length was too short.
    Junk,
}

/// Skips the blank lines after a block and says what follows. The spec wants
/// exactly CRLF CRLF; any whitespace is tolerated, since writers differ.
///
/// `trust_separator` is for plain archives, where bytes after a proper
/// separator are the next record's. Inside a gzip member they are more likely
/// the output of corrupt compressed data (the checksum is only checked at the
/// member's end), so there only a record header counts.
pub(super) fn after_record<S: PeekRead + ?Sized>(s: &mut S, trust_separator: bool) -> io::Result<After> {
    let newlines = skip_ws(s)?;
    let p = s.peek(5)?;
    Ok(if p.is_empty() {
        After::End
    } else if p.starts_with(b"WARC/") || (trust_separator && newlines >= 2) {
        After::Next
    } else {
        After::Junk
    })
}

/// A header block: fields with lowercased names, or why it is unusable.
pub(super) enum Head {
    Fields(Vec<(String, String)>),
    Bad {
        category: &'static str,
        reason: String,
        at_line_start: bool,
    },
}

/// Reads `Name: value` lines up to a blank line, tolerating LF line ends,
/// folded continuation lines and stray lines without a colon. For a WARC
/// header (`warc`), the end of input before the blank line means a cut record,
/// and a line starting `WARC/1.` means the header was cut and the next record
/// begins (it is left unread for resynchronisation); for HTTP headers inside a
/// block, the block's end simply ends the headers.
pub(super) fn read_fields<R: PeekRead + ?Sized>(r: &mut R, warc: bool) -> io::Result<Head> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut total = 0usize;
    let mut line = Vec::new();
    loop {
        if warc && r.peek(WARC_LINE.len())?.starts_with(WARC_LINE) {
            return Ok(Head::Bad {
                category: "bad record",
                reason: "the record header ends without a blank line before the next record".into(),
                at_line_start: true,
            });
        }
        match read_line(r, MAX_LINE, &mut line)? {
            Line::None if warc => {
                return Ok(Head::Bad {
                    category: "truncated",
                    reason: "the input ends inside a record header".into(),
                    at_line_start: true,
                })
            }
            Line::None => return Ok(Head::Fields(fields)),
            Line::TooLong => {
                return Ok(Head::Bad {
                    category: "bad record",
                    reason: format!("a header line is longer than {MAX_LINE} bytes"),
                    at_line_start: false,
                })
            }
            Line::Full | Line::Last => {}
        }
        total += line.len() + 1;
        if total > MAX_HEAD {
            return Ok(Head::Bad {
                category: "bad record",
                reason: format!("the header block is larger than {MAX_HEAD} bytes"),
                at_line_start: true,
            });
        }
        if line.is_empty() {
            return Ok(Head::Fields(fields));
        }
        if matches!(line[0], b' ' | b'\t') {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(String::from_utf8_lossy(&line).trim());
            }
            continue;
        }
        if let Some(colon) = memchr(b':', &line) {
            let name = String::from_utf8_lossy(&line[..colon]).trim().to_ascii_lowercase();
            let value = String::from_utf8_lossy(&line[colon + 1..]).trim().to_string();
            fields.push((name, value));
        }
    }
}

/// How [`read_line`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// A line ending in LF (CRLF or LF stripped).
    Full,
    /// The input's last line, without a line end.
    Last,
    /// Nothing left.
    None,
    /// `max` bytes without a line end; they were consumed.
    TooLong,
}

/// Reads one line into `out` (cleared first), at most `max` bytes, without
/// its line end.
pub(super) fn read_line<R: BufRead + ?Sized>(r: &mut R, max: usize, out: &mut Vec<u8>) -> io::Result<Line> {
    out.clear();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(if out.is_empty() {
                Line::None
            } else {
                strip_cr(out, Line::Last)
            });
        }
        let room = max.saturating_sub(out.len());
        match memchr(b'\n', buf) {
            Some(i) if i <= room => {
                out.extend_from_slice(&buf[..i]);
                r.consume(i + 1);
                return Ok(strip_cr(out, Line::Full));
            }
            _ => {
                let take = buf.len().min(room);
                out.extend_from_slice(&buf[..take]);
                r.consume(take);
                if out.len() >= max {
                    return Ok(Line::TooLong);
                }
            }
        }
    }
}

pub(super) fn strip_cr(out: &mut Vec<u8>, kind: Line) -> Line {
    if out.last() == Some(&b'\r') {
        out.pop();
    }
    kind
}

/// Skips whitespace (the blank lines between records); returns how many line
/// feeds it skipped (counting stops at 2, all that callers ask).
pub(super) fn skip_ws<R: BufRead + ?Sized>(r: &mut R) -> io::Result<usize> {
    let mut newlines = 0;
    loop {
        let buf = r.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        if newlines < 2 {
            newlines += buf[..n].iter().filter(|c| **c == b'\n').take(2).count();
        }
        let all = n == buf.len();
        r.consume(n);
        if !all || n == 0 {
            return Ok(newlines);
        }
    }
}

/// Consumes input until it is at the start of a line beginning `WARC/1.`
/// (true) or at its end (false). `at_line_start` says whether the current
/// position already is a line start.
pub(super) fn scan_to_warc<S: PeekRead + ?Sized>(s: &mut S, mut at_line_start: bool) -> io::Result<bool> {
    loop {
        if at_line_start && s.peek(WARC_LINE.len())?.starts_with(WARC_LINE) {
            return Ok(true);
        }
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        match memchr(b'\n', buf) {
            Some(i) => {
                s.consume(i + 1);
                at_line_start = true;
            }
            None => {
                let n = buf.len();
                s.consume(n);
                at_line_start = false;
            }
        }
    }
}
