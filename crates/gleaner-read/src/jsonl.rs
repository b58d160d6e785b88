//! JSON Lines inputs: one page per line, streamed.
//!
//! Each line is a JSON object with the page's markup (`html`, or its common
//! aliases `content` and `body`) or its plain text (`text`), and optionally
//! `url`, `title`, `fetched_at` (or `date`) and `published`. Crawl exports
//! run to many gigabytes, so the file is read line by line through a buffer
//! and never held whole; a line longer than `--max-bytes` is read through and
//! discarded, never buffered, and reported as `"too large"`.
//!
//! Offsets are byte offsets of line starts, so a run can stop anywhere and
//! resume from the last item's `next_offset`. For a plain file, resuming seeks
//! straight there. A gzip-compressed file (recognised by its magic bytes,
//! `.jsonl.gz` by convention; concatenated members are read as one stream)
//! cannot be entered in the middle: its offsets count bytes of the
//! *decompressed* stream, and resuming decompresses from the start and skips
//! up to the offset, which costs time proportional to what is skipped.
//!
//! Line numbers in error reasons count from the start of the file, except when
//! a plain file is resumed (the lines before the offset are not read, so they
//! are not counted): then the reason says which offset they count from.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::iter::FusedIterator;
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};

use crate::feeds::normalise_date;
use crate::{DocKind, Item, ItemError, RawPage, ReadError, ReadLimits};

/// Read buffer size: big enough that a typical page line costs few refills.
const BUFFER: usize = 256 * 1024;

/// Keys that hold markup, in order of preference; `text` holds plain text.
const HTML_KEYS: [&str; 3] = ["html", "content", "body"];

/// Opens a JSON Lines file (plain or gzip-compressed) for streaming from
/// `start_offset`, which must be 0 or a `next_offset` an earlier read gave.
///
/// Fails at once, rather than yielding a garbled first item, when the file
/// cannot be opened, when the offset is not the start of a line or lies past
/// the end (an `Io` error of kind `InvalidInput`), or when gzip data is
/// corrupt before the offset. Each line then yields one [`Item`]: a page, or a
/// per-line error (`"bad json"`, `"too large"`; `"truncated"` or
/// `"read error"` when the file cannot be read further, which ends the
/// iteration). Blank lines yield nothing. `limits.max_bytes` caps one line,
/// not the file.
pub fn read_jsonl(path: &Path, start_offset: u64, limits: ReadLimits) -> Result<JsonlReader, ReadError> {
    let mut file = File::open(path)?;
    let mut magic = Vec::with_capacity(2);
    (&mut file).take(2).read_to_end(&mut magic)?;
    let gzipped = magic == [0x1f, 0x8b];
    file.seek(SeekFrom::Start(0))?;

    if gzipped {
        let mut inner = BufReader::with_capacity(BUFFER, MultiGzDecoder::new(file));
        let lines = skip_to(&mut inner, start_offset)?;
        return Ok(JsonlReader::new(
            Box::new(inner),
            start_offset,
            lines,
            None,
            gzipped,
            limits,
        ));
    }

    let len = file.metadata()?.len();
    if start_offset > len {
        return Err(bad_offset(start_offset, "lies past the end of the file"));
    }
    // Resuming at the very end is fine even when the last line has no newline.
    if start_offset > 0 && start_offset < len {
        file.seek(SeekFrom::Start(start_offset - 1))?;
        let mut before = [0u8; 1];
        file.read_exact(&mut before)?;
        if before[0] != b'\n' {
            return Err(bad_offset(start_offset, "is not the start of a line"));
        }
    }
    file.seek(SeekFrom::Start(start_offset))?;
    let resumed = (start_offset > 0).then_some(start_offset);
    Ok(JsonlReader::new(
        Box::new(BufReader::with_capacity(BUFFER, file)),
        start_offset,
        0,
        resumed,
        gzipped,
        limits,
    ))
}

/// JSON Lines already in memory (standard input, read whole and
/// decompressed), from `start_offset` as [`read_jsonl`] takes it.
pub(crate) fn jsonl_from_bytes(
    bytes: Vec<u8>,
    start_offset: u64,
    limits: ReadLimits,
) -> Result<JsonlReader, ReadError> {
    let mut inner = io::Cursor::new(bytes);
    let lines = skip_to(&mut inner, start_offset)?;
    Ok(JsonlReader::new(
        Box::new(inner),
        start_offset,
        lines,
        None,
        false,
        limits,
    ))
}

fn bad_offset(offset: u64, what: &str) -> ReadError {
    ReadError::Io(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("resume offset {offset} {what}"),
    ))
}

/// Decompresses and discards `offset` bytes, checking that they end a line.
/// Returns how many lines were skipped.
fn skip_to(inner: &mut impl BufRead, offset: u64) -> Result<u64, ReadError> {
    let mut remaining = offset;
    let mut lines = 0u64;
    let mut last = b'\n';
    while remaining > 0 {
        let chunk = match inner.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadError::BadGzip(e.to_string())),
        };
        if chunk.is_empty() {
            return Err(bad_offset(offset, "lies past the end of the decompressed stream"));
        }
        let n = usize::try_from(remaining).unwrap_or(usize::MAX).min(chunk.len());
        lines += memchr::memchr_iter(b'\n', &chunk[..n]).count() as u64;
        last = chunk[n - 1];
        inner.consume(n);
        remaining -= n as u64;
    }
    if last != b'\n' {
        // Only the end of a final line without a newline is a valid place to stop.
        let at_end = inner
            .fill_buf()
            .map(|c| c.is_empty())
            .map_err(|e| ReadError::BadGzip(e.to_string()))?;
        if !at_end {
            return Err(bad_offset(offset, "is not the start of a line"));
        }
    }
    Ok(lines)
}

/// What reading one line produced.
enum Line {
    /// End of input, nothing read.
    Eof,
    /// A line, now in the buffer (without its `\n`).
    Read,
    /// A line over the limit, read through and dropped; its length.
    TooLong(u64),
}

/// The iterator [`read_jsonl`] returns: one [`Item`] per non-blank line.
pub struct JsonlReader {
    inner: Box<dyn BufRead + Send>,
    /// Byte offset of the next unread byte (in the decompressed stream for gzip).
    pos: u64,
    /// Number of the last line read (1-based once a line is read).
    line_no: u64,
    /// Set when line numbers count from a resume offset rather than the file start.
    resumed_at: Option<u64>,
    gzipped: bool,
    limits: ReadLimits,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    fn new(
        inner: Box<dyn BufRead + Send>,
        pos: u64,
        line_no: u64,
        resumed_at: Option<u64>,
        gzipped: bool,
        limits: ReadLimits,
    ) -> Self {
        Self {
            inner,
            pos,
            line_no,
            resumed_at,
            gzipped,
            limits,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Whether the input is gzip-compressed (offsets then count decompressed bytes).
    pub fn gzipped(&self) -> bool {
        self.gzipped
    }

    /// Reads the next line into `buf`, copying at most `max_bytes` of it:
    /// past that the rest is consumed straight from the reader's buffer.
    fn read_line(&mut self) -> io::Result<Line> {
        self.buf.clear();
        let max = self.limits.max_bytes;
        let mut len = 0u64;
        let mut too_long = false;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (content, used, found) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, i + 1, true),
                None => (chunk.len(), chunk.len(), false),
            };
            len += content as u64;
            if !too_long {
                if len > max {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&chunk[..content]);
                }
            }
            self.inner.consume(used);
            self.pos += used as u64;
            if found {
                break;
            }
        }
        Ok(match (any, too_long) {
            (false, _) => Line::Eof,
            (true, true) => Line::TooLong(len),
            (true, false) => Line::Read,
        })
    }

    /// "line 7", or "line 2 after offset 512" when numbering starts at a resume point.
    fn line_desc(&self) -> String {
        match self.resumed_at {
            Some(at) => format!("line {} after resume offset {at}", self.line_no),
            None => format!("line {}", self.line_no),
        }
    }

    fn error(&self, offset: u64, record: Option<String>, category: &'static str, reason: String) -> Item {
        Item::Error(ItemError {
            offset,
            next_offset: self.pos,
            record,
            category,
            reason,
        })
    }

    /// Turns the line in `buf` (which started at `offset`) into an item.
    fn parse(&mut self, offset: u64) -> Item {
        let mut line: &[u8] = &self.buf;
        if offset == 0 {
            line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        }
        let value: Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => return self.error(offset, None, "bad json", format!("{}: not JSON: {e}", self.line_desc())),
        };
        let Value::Object(mut map) = value else {
            return self.error(
                offset,
                None,
                "bad json",
                format!("{}: not a JSON object", self.line_desc()),
            );
        };
        let url = take_str(&mut map, "url");
        let payload = HTML_KEYS
            .iter()
            .find_map(|k| take_str(&mut map, k))
            .map(|h| (h, DocKind::Html))
            .or_else(|| take_str(&mut map, "text").map(|t| (t, DocKind::Text)));
        let Some((bytes, kind)) = payload else {
            let reason = format!("{}: no \"html\" or \"text\" string field", self.line_desc());
            return self.error(offset, url, "bad json", reason);
        };
        Item::Page(RawPage {
            bytes: bytes.into_bytes(),
            url,
            fetched_at: take_str(&mut map, "fetched_at").or_else(|| take_str(&mut map, "date")),
            // JSON text is Unicode; the payload is re-encoded as UTF-8 whatever the page once was.
            charset: Some("utf-8".to_string()),
            kind: Some(kind),
            published: take_str(&mut map, "published").as_deref().and_then(normalise_date),
            title: take_str(&mut map, "title")
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            offset,
            next_offset: self.pos,
            ..RawPage::default()
        })
    }
}

/// Moves a string field out of the object (pages are large; no copy).
/// Non-string values are left alone and count as absent.
fn take_str(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::String(_)) => match map.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let start = self.pos;
            match self.read_line() {
                Ok(Line::Eof) => self.done = true,
                Ok(Line::TooLong(len)) => {
                    self.line_no += 1;
                    let limit = self.limits.max_bytes;
                    let reason = format!(
                        "{}: {len} bytes, over the limit of {limit} (--max-bytes)",
                        self.line_desc()
                    );
                    return Some(self.error(start, None, "too large", reason));
                }
                Ok(Line::Read) => {
                    self.line_no += 1;
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(self.parse(start));
                }
                Err(e) => {
                    // The stream cannot go on; resuming retries this line.
                    self.done = true;
                    let category = if self.gzipped { "truncated" } else { "read error" };
                    let reason = format!("line {}: {e}", self.line_no + 1);
                    return Some(Item::Error(ItemError {
                        offset: start,
                        next_offset: start,
                        record: None,
                        category,
                        reason,
                    }));
                }
            }
        }
        None
    }
}

impl FusedIterator for JsonlReader {}

impl std::fmt::Debug for JsonlReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlReader")
            .field("pos", &self.pos)
            .field("line_no", &self.line_no)
            .field("gzipped", &self.gzipped)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn tmp(bytes: &[u8]) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("gleaner-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let p = dir.join(format!("{}.jsonl", N.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&p, bytes).expect("write temp");
        p
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip")
    }

    fn fixture() -> String {
        let long = format!(
            "{{\"url\": \"https://x.example/big\", \"html\": \"{}\"}}",
            "a".repeat(300)
        );
        [
            r#"{"url": "https://x.example/a", "html": "<p>First</p>", "title": " A ", "fetched_at": "2024-01-02T03:04:05Z"}"#,
            r#"{"url": "https://x.example/b", "text": "Second, plain.", "date": "2024-01-03"}"#,
            "   ",
            r#"{"url": "https://x.example/c", "html": "<p>unterminated"#,
            r#"{"url": "https://x.example/d", "summary": "no body"}"#,
            &long,
            r#"{"url": "https://x.example/e", "content": "<p>Alias</p>", "published": "Mon, 08 Jan 2024 10:00:00 GMT"}"#,
            "[1, 2]",
        ]
        .join("\n")
    }

    fn check_fixture(items: &[Item], text: &str) {
        assert_eq!(items.len(), 7, "{items:?}");
        let Item::Page(p) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(p.bytes, b"<p>First</p>");
        assert_eq!(p.kind, Some(DocKind::Html));
        assert_eq!(p.title.as_deref(), Some("A"));
        assert_eq!(p.fetched_at.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(p.offset, 0);
        let Item::Page(q) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(
            (q.kind, q.bytes.as_slice()),
            (Some(DocKind::Text), &b"Second, plain."[..])
        );
        assert_eq!(q.fetched_at.as_deref(), Some("2024-01-03"));
        assert_eq!(p.next_offset, q.offset);
        let Item::Error(e) = &items[2] else {
            panic!("{:?}", items[2])
        };
        assert_eq!(e.category, "bad json");
        assert!(e.reason.starts_with("line 4:"), "{}", e.reason);
        let Item::Error(e) = &items[3] else {
            panic!("{:?}", items[3])
        };
        assert_eq!(
            (e.category, e.record.as_deref()),
            ("bad json", Some("https://x.example/d"))
        );
        assert!(e.reason.starts_with("line 5:"), "{}", e.reason);
        let Item::Error(e) = &items[4] else {
            panic!("{:?}", items[4])
        };
        assert_eq!(e.category, "too large");
        assert!(e.reason.starts_with("line 6:"), "{}", e.reason);
        let Item::Page(r) = &items[5] else {
            panic!("{:?}", items[5])
        };
        assert_eq!(
            (r.bytes.as_slice(), r.published.as_deref()),
            (&b"<p>Alias</p>"[..], Some("2024-01-08"))
        );
        assert!(matches!(&items[6], Item::Error(e) if e.category == "bad json"));
        // Offsets are line starts; each item resumes where the next begins.
        for pair in items.windows(2) {
            let next = pair[0].next_offset() as usize;
            assert!(next <= pair[1].offset() as usize);
            assert!(text[next..pair[1].offset() as usize].trim().is_empty());
        }
        assert_eq!(items[6].next_offset() as usize, text.len());
        for it in items {
            let o = it.offset() as usize;
            assert!(o == 0 || text.as_bytes()[o - 1] == b'\n');
        }
    }

    const LIMITS: ReadLimits = ReadLimits { max_bytes: 200 };

    #[test]
    fn reads_pages_errors_and_blank_lines() {
        let text = fixture();
        let items: Vec<Item> = read_jsonl(&tmp(text.as_bytes()), 0, LIMITS).expect("open").collect();
        check_fixture(&items, &text);
    }

    #[test]
    fn reads_gzip_as_the_same_stream() {
        let text = fixture();
        let reader = read_jsonl(&tmp(&gz(text.as_bytes())), 0, LIMITS).expect("open");
        assert!(reader.gzipped());
        let items: Vec<Item> = reader.collect();
        check_fixture(&items, &text);
    }

    #[test]
    fn resumes_from_an_offset() {
        let text = fixture();
        let all: Vec<Item> = read_jsonl(&tmp(text.as_bytes()), 0, LIMITS).expect("open").collect();
        for (plain, path) in [(true, tmp(text.as_bytes())), (false, tmp(&gz(text.as_bytes())))] {
            for k in 0..all.len() {
                let from = all[k].next_offset();
                let rest: Vec<Item> = read_jsonl(&path, from, LIMITS).expect("resume").collect();
                assert_eq!(rest.len(), all.len() - k - 1);
                for (a, b) in rest.iter().zip(&all[k + 1..]) {
                    match (a, b) {
                        (Item::Error(x), Item::Error(y)) => {
                            assert_eq!((x.offset, x.category), (y.offset, y.category));
                            if plain {
                                assert!(
                                    x.reason.contains(&format!("after resume offset {from}")),
                                    "{}",
                                    x.reason
                                );
                            } else {
                                assert_eq!(x.reason, y.reason);
                            }
                        }
                        _ => assert_eq!(a, b),
                    }
                }
            }
            // Mid-line and past-the-end offsets are refused.
            assert!(
                matches!(read_jsonl(&path, 3, LIMITS), Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::InvalidInput)
            );
            assert!(read_jsonl(&path, text.len() as u64 + 10, LIMITS).is_err());
        }
    }

    #[test]
    fn bom_crlf_and_missing_final_newline() {
        let text = "\u{feff}{\"html\": \"<p>x</p>\"}\r\n{\"text\": \"y\"}";
        let items: Vec<Item> = read_jsonl(&tmp(text.as_bytes()), 0, ReadLimits::default())
            .expect("open")
            .collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(matches!(&items[0], Item::Page(p) if p.url.is_none() && p.bytes == b"<p>x</p>"));
        assert_eq!(items[1].next_offset() as usize, text.len());
        let none: Vec<Item> = read_jsonl(&tmp(text.as_bytes()), text.len() as u64, ReadLimits::default())
            .expect("open")
            .collect();
        assert!(none.is_empty());
    }

    #[test]
    fn truncated_gzip_ends_with_an_error() {
        let body: String = (0..2000)
            .map(|i| format!("{{\"url\": \"u{i}\", \"text\": \"line {i} {}\"}}\n", i * 7919))
            .collect();
        let mut z = gz(body.as_bytes());
        z.truncate(z.len() / 2);
        let items: Vec<Item> = read_jsonl(&tmp(&z), 0, ReadLimits::default()).expect("open").collect();
        assert!(items.len() > 1);
        let Some(Item::Error(e)) = items.last() else {
            panic!("{:?}", items.last())
        };
        assert_eq!(e.category, "truncated");
        assert_eq!(e.next_offset, e.offset);
        assert!(items[..items.len() - 1].iter().all(|i| matches!(i, Item::Page(_))));
    }

    #[test]
    fn missing_file_is_an_error() {
        assert!(matches!(
            read_jsonl(Path::new("/no/such/file.jsonl"), 0, LIMITS),
            Err(ReadError::Io(_))
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), max in 1u64..64) {
            let path = tmp(&bytes);
            let items: Vec<Item> = read_jsonl(&path, 0, ReadLimits { max_bytes: max }).expect("open").collect();
            // Offsets of a gzip stream count decompressed bytes; check plain files only.
            if !bytes.starts_with(&[0x1f, 0x8b]) {
                let mut last = 0u64;
                for it in &items {
                    prop_assert!(it.offset() >= last);
                    prop_assert!(it.next_offset() > it.offset());
                    prop_assert!(it.next_offset() <= bytes.len() as u64);
                    last = it.next_offset();
                }
            }
            let _ = std::fs::remove_file(path);
        }
    }
}
