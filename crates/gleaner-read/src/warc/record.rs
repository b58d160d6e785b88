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
    let h = if kind == Line::TooLong {
        None
    } else if is_warc_line(&line) {
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
        Some(WarcHeader::from_fields(&fields))
    } else {
        arc_header(&line)
    };
    let Some(h) = h else {
        return Ok(Parsed::BadHeader {
            category: "bad record",
            reason: "not a WARC or ARC record: expected a WARC/1.x or ARC header line".into(),
            at_line_start: kind != Line::TooLong,
            record: None,
        });
    };
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
            header: Box::new(h),
        });
    }
    let mut block = Block {
        s,
        left: len,
        failed: None,
    };
    let outcome = read_block(&mut block, &h, limits)?;
    block.drain()?;
    if block.left > 0 {
        return Ok(Parsed::Short {
            block_start,
            len,
            record,
            header: Box::new(h),
        });
    }
    Ok(Parsed::Record {
        outcome,
        block_start,
        header: Box::new(h),
    })
}

/// What a record's block holds, by the record's type.
pub(super) fn read_block<S: Stream + ?Sized>(
    block: &mut Block<'_, S>,
    h: &WarcHeader,
    limits: &ReadLimits,
) -> io::Result<Verdict> {
    Ok(match h.warc_type.as_deref() {
        Some("response") => response(block, h, limits)?,
        // WET files hold each page's text as a `conversion` of its response.
        Some("resource" | "conversion") => resource(block, h, limits)?,
        // `metadata` (WAT files, crawler logs), `warcinfo`, `request`,
        // `revisit`, `continuation`, ARC's file header: no pages.
        Some(_) => Verdict::Skip,
        None => outcome_error(h, "bad record", "the record header has no WARC-Type"),
    })
}

/// A record whose Content-Length was wrong, read again with the length the
/// data shows: `region` is everything from the block start to the next
/// record, less the record separator. Readers such as warcio take a block
/// a few bytes short (a cut gzip trailer) as it is; re-reading the true
/// block recovers the whole payload. `None` when the region is no page
/// either (then the caller reports the bad length).
pub(super) fn reread_block(region: Vec<u8>, h: &WarcHeader, limits: &ReadLimits) -> Option<RawPage> {
    let mut end = region.len();
    // Strip the separator (CRLF CRLF, or what a sloppy writer left of it).
    for _ in 0..4 {
        if end > 0 && matches!(region[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
    }
    let len = end as u64;
    let mut s = PeekReader::new(io::Cursor::new(region), 0, 64 * 1024);
    let mut block = Block {
        s: &mut s,
        left: len,
        failed: None,
    };
    match read_block(&mut block, h, limits) {
        Ok(Verdict::Page(p)) => Some(p),
        _ => None,
    }
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
    if s.peek(1)?.is_empty() {
        return Ok(After::End);
    }
    Ok(if starts_record(s)? || (trust_separator && newlines >= 2) {
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
        if warc && is_warc_line(r.peek(WARC_LINE.len() + 1)?) {
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
                // A value may start on the continuation line (`Content-Length:` CRLF ` 693`).
                if !value.is_empty() {
                    value.push(' ');
                }
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

/// Whether a record starts here: a `WARC/1.x` line, or an ARC header line.
pub(super) fn starts_record<S: PeekRead + ?Sized>(s: &mut S) -> io::Result<bool> {
    let p = s.peek(MAX_ARC_LINE)?;
    if is_warc_line(p) {
        return Ok(true);
    }
    // ARC header lines start with an address: skip the peek for anything else.
    if !p.first().is_some_and(u8::is_ascii_alphabetic) {
        return Ok(false);
    }
    Ok(memchr(b'\n', p).is_some_and(|end| is_arc_header(&p[..end])))
}

/// The ARC header line of a record (`URL IP date content-type length`, or
/// version 2's ten fields), as the header fields the reader uses. ARC's file
/// header record (`filedesc://…`) becomes a record of its own type, which is
/// skipped; one whose length is not a number is a bad record, found again
/// by resynchronisation.
pub(super) fn arc_header(line: &[u8]) -> Option<WarcHeader> {
    let text = std::str::from_utf8(line).ok()?.trim_end();
    if text.starts_with("filedesc://") {
        let fields: Vec<&str> = text.split(' ').filter(|f| !f.is_empty()).collect();
        let length = fields.last()?.parse::<u64>().ok()?;
        return Some(WarcHeader {
            warc_type: Some("arc-filedesc".to_string()),
            uri: fields.first().map(|u| u.to_string()),
            date: fields.get(2).and_then(|d| arc_date(d)),
            id: None,
            content_type: None,
            content_length: Some(length),
            payload_digest: None,
            truncated: None,
        });
    }
    let fields = arc_fields(line)?;
    Some(WarcHeader {
        warc_type: Some("response".to_string()),
        uri: Some(fields[0].clone()),
        date: arc_date(&fields[2]),
        id: None,
        content_type: Some(fields[3].clone()),
        content_length: fields.last()?.parse().ok(),
        payload_digest: None,
        truncated: None,
    })
}

/// ARC's 14-digit date (12 in old files) as RFC 3339.
fn arc_date(d: &str) -> Option<String> {
    if !(d.len() == 14 || d.len() == 12) || !d.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let sec = d.get(12..14).unwrap_or("00");
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        sec
    ))
}

/// Consumes input until it is at the start of a record ([`starts_record`]:
/// true) or at its end (false). `at_line_start` says whether the current
/// position already is a line start.
pub(super) fn scan_to_record<S: PeekRead + ?Sized>(s: &mut S, mut at_line_start: bool) -> io::Result<bool> {
    loop {
        if at_line_start && starts_record(s)? {
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
