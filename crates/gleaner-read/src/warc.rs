//! Reading WARC archives (`.warc` and `.warc.gz`) record by record.
//!
//! [`WarcReader`] streams an archive and yields one [`Item`] per page worth
//! extracting and one [`Item::Error`] per record it could not read. Nothing is
//! loaded whole: the reader holds one record header, one page (at most
//! `ReadLimits::max_bytes`) and fixed-size buffers.
//!
//! # Which records become pages
//!
//! - `response` records holding an HTTP response (`application/http`) with a
//!   2xx status (but 204) whose Content-Type is `text/html` or
//!   `application/xhtml+xml` (kind HTML), `text/plain` (kind text), or absent
//!   when the payload looks like markup. The payload is the entity body with
//!   chunked transfer encoding and gzip/deflate content encoding undone; since
//!   archives often store payloads already decoded under the original headers
//!   (Common Crawl does), each is undone only when the bytes look encoded.
//!   `charset` comes from the HTTP Content-Type, lowercased.
//! - `resource` records with those Content-Types (the block is the payload).
//! - Nothing, silently: `warcinfo`, `request`, `metadata`, `revisit`,
//!   `conversion`, `continuation` and unknown record types; responses with a
//!   1xx, 3xx (redirects), 4xx or 5xx status, or 204; DNS lookups; resources
//!   of other types under non-web (`urn:`, …) addresses.
//! - An `Item::Error` with category `non-html` (so the run records it): a
//!   successful response, or a resource with an http(s) address, whose payload
//!   is anything else (images, PDFs, JSON), with the media type in the reason.
//!
//! # Offsets and resume
//!
//! Every item carries `offset` (where its record starts) and `next_offset`
//! (where reading resumes to get exactly the items after it), so a crashed or
//! interrupted run can store `next_offset` and call [`WarcReader::open`] with it.
//!
//! - Plain `.warc`: offsets are byte offsets of record starts.
//! - `.warc.gz` (recognised by its magic bytes, not its name): offsets are
//!   *compressed* byte offsets of gzip member starts, because a gzip stream can
//!   only be entered at a member boundary. Archives written per the WARC spec
//!   (annex D, and every Common Crawl file) have one member per record, so each
//!   record gets its own offset. When one member holds several records, all of
//!   them share the member's start as `offset`, and `next_offset` is the member
//!   start for all but the member's last record (the member end for that one):
//!   resuming there re-reads the whole member, which repeats some items; the
//!   store deduplicates them.
//!
//! # Damage
//!
//! Each problem becomes one `Item::Error` and reading goes on:
//!
//! | category | what happened | where reading goes on |
//! |---|---|---|
//! | `truncated` | the file (or a gzip member) ends inside a record | end of file, or the next gzip member found after it |
//! | `bad length` | Content-Length disagrees with the data: the block is not followed by the record separator and the next record, or it runs past the end of its gzip member, or past the end of the file while a record header lies inside it | the first line starting with `WARC/1.` after the block start (in `.warc.gz`: within the member, else the next member) |
//! | `bad gzip` | a gzip member is corrupt (bad header, bad deflate data, CRC mismatch) | the next plausible member (`1f 8b 08` whose first bytes decompress to `WARC/`) |
//! | `bad record` | no parsable WARC header, or a response block that is not HTTP | the next line starting with `WARC/1.` |
//! | `too large` | the payload is over `max_bytes` (after content decoding) | the next record; the payload is discarded in chunks, never held |
//! | `non-html` | a successful response whose payload is not HTML or plain text (images, PDFs, JSON) | the next record |
//! | `bad encoding` | the HTTP chunked framing or Content-Encoding cannot be decoded | the next record |
//! | `io` | the file itself cannot be read or sought | nowhere: the reader stops |
//!
//! Every step consumes input, so any input (binary junk included) ends after a
//! bounded amount of work; binary junk yields a single error, not one per byte.
//!
//! # Limitations
//!
//! - The input must be seekable (a file), not a pipe.
//! - Within a gzip member holding several records, a page is yielded before
//!   the member's checksum has been checked (that needs the whole member); with
//!   one member per record, as archives are written, nothing is yielded from a
//!   member that fails its checksum.
//! - Records a wrong Content-Length swallows inside a multi-record gzip member
//!   are recovered by decompressing the member again, but only up to 64 MiB
//!   into it; beyond that the rest of the member is skipped.
//! - Each record must lie within one gzip member (as the spec requires).
//!   Block-wise compressors that cut members at fixed sizes regardless of
//!   records (bgzip) produce `bad length` errors for the records they split;
//!   a single-member file (plain `gzip` of a `.warc`) is fine.
//! - Segmented records (`continuation`) are not reassembled.
//! - Resynchronising looks for lines starting `WARC/1.`; a payload that
//!   contains such a line (an archive inside an archive) can fool it, but only
//!   after damage.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::bufread::GzDecoder;
use memchr::memchr;

use crate::{DocKind, Item, ItemError, RawPage, ReadError, ReadLimits};

/// Buffer over the file. Large enough that scanning and record headers rarely
/// straddle a refill.
const RAW_BUF: usize = 64 * 1024;
/// Buffer over one gzip member's decompressed bytes.
const MEMBER_BUF: usize = 64 * 1024;
/// Longest header line accepted (WARC or HTTP); real ones are a few KiB at most.
const MAX_LINE: usize = 64 * 1024;
/// Largest header block accepted (WARC or HTTP), so junk cannot grow a header.
const MAX_HEAD: usize = 256 * 1024;
/// Longest chunk-size line in chunked transfer encoding (size plus extensions).
const MAX_CHUNK_LINE: usize = 4096;
/// Compressed bytes a resynchronisation probe may read to see a candidate
/// member's first decompressed bytes.
const PROBE_BYTES: u64 = 64 * 1024;
/// Within a multi-record gzip member, recovering the records a too-long
/// Content-Length swallowed means decompressing the member again up to the bad
/// block. Beyond this many decompressed bytes it is not worth it (only huge
/// single-member archives get there): the rest of the member is given up.
const REWIND_LIMIT: u64 = 64 * 1024 * 1024;
/// Interim HTTP responses (`100 Continue`) followed before giving up.
const MAX_INTERIM: usize = 8;
/// What starts a record line when resynchronising.
const WARC_LINE: &[u8] = b"WARC/1.";

/// The file under the reader: anything readable and seekable, boxed so that
/// [`WarcReader`] has no type parameter.
trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// The file, buffered, with its position known.
type Raw = PeekReader<Box<dyn ReadSeek>>;
/// One gzip member's decompressed bytes; the position counts decompressed bytes
/// from the member start.
type Member = PeekReader<GzDecoder<Raw>>;

/// Streams the pages of one WARC archive. See the [module docs](self) for
/// offsets, resume and what each error category means.
pub struct WarcReader {
    src: Src,
    gzip: bool,
    /// Compressed offset where the current gzip member starts.
    member_start: u64,
    /// File length for plain archives: a Content-Length past it is known to be
    /// wrong before reading the block.
    data_end: Option<u64>,
    limits: ReadLimits,
    done: bool,
}

/// Where bytes come from right now. The file moves into a gzip decoder for the
/// length of one member and back out at its end, because the decoder owns
/// what it reads from.
enum Src {
    Raw(Raw),
    Member(Member),
    Gone,
}

impl fmt::Debug for WarcReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WarcReader")
            .field("gzip", &self.gzip)
            .field("member_start", &self.member_start)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl WarcReader {
    /// Opens an archive and positions it at `start_offset`: 0 for the whole
    /// file, or a `next_offset` an earlier run returned, to resume after it.
    /// Gzip is recognised by the file's first bytes, whatever its name.
    pub fn open(path: &Path, start_offset: u64, limits: ReadLimits) -> Result<WarcReader, ReadError> {
        let file = File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        })?;
        Self::from_reader(file, start_offset, limits)
    }

    /// Like [`open`](Self::open), over any seekable reader (a file, or an
    /// in-memory `Cursor` in tests). Seeking is needed to detect gzip at the
    /// start of the stream, to resume, and to resynchronise after damage.
    pub fn from_reader<R: Read + Seek + Send + 'static>(
        mut reader: R,
        start_offset: u64,
        limits: ReadLimits,
    ) -> Result<WarcReader, ReadError> {
        let len = reader.seek(SeekFrom::End(0))?;
        reader.seek(SeekFrom::Start(0))?;
        let mut magic = [0u8; 2];
        let n = read_full(&mut reader, &mut magic)?;
        let gzip = n == 2 && magic == [0x1f, 0x8b];
        reader.seek(SeekFrom::Start(start_offset))?;
        let raw = PeekReader::new(Box::new(reader) as Box<dyn ReadSeek>, start_offset, RAW_BUF);
        Ok(WarcReader {
            src: Src::Raw(raw),
            gzip,
            member_start: start_offset,
            data_end: (!gzip).then_some(len),
            limits,
            done: false,
        })
    }

    /// Whether the archive is gzip-compressed (offsets are then member offsets).
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// Takes the file back out of a gzip decoder (or wherever it is).
    fn take_raw(&mut self) -> Option<Raw> {
        match std::mem::replace(&mut self.src, Src::Gone) {
            Src::Raw(r) => Some(r),
            Src::Member(m) => Some(m.into_inner().into_inner()),
            Src::Gone => None,
        }
    }

    /// Leaves the current member (if any) and returns the file, positioned
    /// where the decoder stopped reading.
    fn leave_member(&mut self) -> Option<&mut Raw> {
        let raw = self.take_raw()?;
        self.src = Src::Raw(raw);
        match &mut self.src {
            Src::Raw(r) => Some(r),
            _ => None,
        }
    }

    /// One step of reading a plain archive.
    fn plain_step(&mut self) -> Step {
        let Src::Raw(raw) = &mut self.src else { return Step::Eof };
        match plain_record(raw, &self.limits, self.data_end) {
            Ok(step) => step,
            Err(e) => Step::Fatal(io_error(raw.pos, e)),
        }
    }

    /// One step of reading a gzip archive: start a member if between members,
    /// then read one record from it.
    fn gzip_step(&mut self) -> Step {
        if let Src::Raw(raw) = &mut self.src {
            match raw.fill_buf() {
                Ok([]) => return Step::Eof,
                Ok(_) => {}
                Err(e) => return Step::Fatal(io_error(raw.pos, e)),
            }
            self.member_start = raw.pos;
            let Some(raw) = self.take_raw() else { return Step::Eof };
            self.src = Src::Member(PeekReader::new(GzDecoder::new(raw), 0, MEMBER_BUF));
        }
        let start = self.member_start;
        let Src::Member(m) = &mut self.src else {
            return Step::Eof;
        };
        let parsed = match skip_ws(m).and_then(|_| parse_record(m, &self.limits, None)) {
            Ok(p) => p,
            Err(e) => return self.gzip_failure(e, None),
        };
        match parsed {
            // The member ended cleanly (trailer checked): go on with the next.
            Parsed::Eof => {
                self.leave_member();
                Step::Skipped
            }
            Parsed::Record { outcome, block_start } => match after_record(m, false) {
                Err(e) => self.gzip_failure(e, outcome.record()),
                Ok(After::End) => {
                    let next = self.leave_member().map_or(start, |r| r.pos);
                    outcome.finish(start, next)
                }
                Ok(After::Next) => outcome.finish(start, start),
                Ok(After::Junk) => {
                    // As for plain archives, the next record (in this member)
                    // may start inside what the length claimed.
                    let record = outcome.record();
                    if block_start > REWIND_LIMIT {
                        return self.resync_member(false, record, "bad length", BAD_LENGTH.to_string());
                    }
                    if let Err(e) = self.rewind_member(block_start) {
                        return self.gzip_failure(e, record);
                    }
                    self.resync_member(true, record, "bad length", BAD_LENGTH.to_string())
                }
            },
            Parsed::BadHeader {
                category,
                reason,
                at_line_start,
                record,
            } => self.resync_member(at_line_start, record, category, reason),
            // The member ended cleanly inside the block: the length is wrong
            // (a cut file would have failed the gzip checks instead).
            Parsed::Short {
                block_start,
                len,
                record,
            } => {
                let reason = format!("Content-Length {len} runs past the end of the record's gzip member");
                if block_start > REWIND_LIMIT {
                    let next = self.leave_member().map_or(start, |r| r.pos);
                    return Step::Item(error_item(start, next, record, "bad length", reason));
                }
                if let Err(e) = self.rewind_member(block_start) {
                    return self.gzip_failure(e, record);
                }
                self.resync_member(true, record, "bad length", reason)
            }
        }
    }

    /// Reports an error for the current record and finds the next record in
    /// the same member, or the member's end.
    fn resync_member(
        &mut self,
        at_line_start: bool,
        record: Option<String>,
        category: &'static str,
        reason: String,
    ) -> Step {
        let start = self.member_start;
        let Src::Member(m) = &mut self.src else {
            return Step::Eof;
        };
        match scan_to_warc(m, at_line_start) {
            Ok(true) => Step::Item(error_item(start, start, record, category, reason)),
            Ok(false) => {
                let next = self.leave_member().map_or(start, |r| r.pos);
                Step::Item(error_item(start, next, record, category, reason))
            }
            Err(e) => self.gzip_failure(e, record),
        }
    }

    /// Decompresses the current member again from its start up to `to`
    /// decompressed bytes, to look for records a wrong Content-Length swallowed.
    fn rewind_member(&mut self, to: u64) -> io::Result<()> {
        let start = self.member_start;
        let Some(mut raw) = self.take_raw() else {
            return Err(io::Error::other("archive no longer open"));
        };
        raw.seek_to(start)?;
        self.src = Src::Member(PeekReader::new(GzDecoder::new(raw), 0, MEMBER_BUF));
        let Src::Member(m) = &mut self.src else {
            return Err(io::Error::other("archive no longer open"));
        };
        let skipped = io::copy(&mut m.take(to), &mut io::sink())?;
        if skipped < to {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "member shorter on second reading",
            ));
        }
        Ok(())
    }

    /// A gzip member could not be decompressed: report it and continue at the
    /// next plausible member after its start (the decoder may have read past
    /// the member's real end before noticing, so its position is no guide).
    fn gzip_failure(&mut self, e: io::Error, record: Option<String>) -> Step {
        let start = self.member_start;
        let (category, reason) = if e.kind() == io::ErrorKind::UnexpectedEof {
            (
                "truncated",
                "the gzip member ends early: the file is cut short".to_string(),
            )
        } else {
            ("bad gzip", format!("corrupt gzip member: {e}"))
        };
        let Some(raw) = self.leave_member() else {
            return Step::Fatal(io_error(start, io::Error::other("archive no longer open")));
        };
        if let Err(e) = raw.seek_to(start.saturating_add(1)).and_then(|_| scan_to_member(raw)) {
            return Step::Fatal(io_error(start, e));
        }
        Step::Item(error_item(start, raw.pos, record, category, reason))
    }
}

impl Iterator for WarcReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let step = if self.gzip { self.gzip_step() } else { self.plain_step() };
            match step {
                Step::Eof => self.done = true,
                Step::Skipped => {}
                Step::Item(item) => return Some(item),
                Step::Fatal(item) => {
                    self.done = true;
                    self.src = Src::Gone;
                    return Some(item);
                }
            }
        }
        // Close the file as soon as the archive is finished.
        self.src = Src::Gone;
        None
    }
}

/// What one step of the reader produced.
enum Step {
    Eof,
    /// A record with nothing to yield; the input advanced.
    Skipped,
    Item(Item),
    /// An error after which the input cannot be read further.
    Fatal(Item),
}

const BAD_LENGTH: &str = "the bytes after the record's Content-Length are not the next record (the length is wrong)";

/// Reads one record of a plain archive, resynchronising after damage.
fn plain_record(raw: &mut Raw, limits: &ReadLimits, data_end: Option<u64>) -> io::Result<Step> {
    skip_ws(raw)?;
    let start = raw.pos;
    Ok(match parse_record(raw, limits, data_end)? {
        Parsed::Eof => Step::Eof,
        Parsed::Record { outcome, block_start } => match after_record(raw, true)? {
            After::End | After::Next => outcome.finish(start, raw.pos),
            After::Junk => {
                // Too short, or too long but not past the end of the file: in
                // both cases the next record starts somewhere after the block
                // start, possibly inside what the length claimed.
                let record = outcome.record();
                raw.seek_to(block_start)?;
                scan_to_warc(raw, true)?;
                Step::Item(error_item(start, raw.pos, record, "bad length", BAD_LENGTH))
            }
        },
        Parsed::BadHeader {
            category,
            reason,
            at_line_start,
            record,
        } => {
            scan_to_warc(raw, at_line_start)?;
            Step::Item(error_item(start, raw.pos, record, category, reason))
        }
        Parsed::Short {
            block_start,
            len,
            record,
        } => {
            // Either the file is cut inside this record, or the length is a lie
            // that swallowed the records after it: look inside the block for
            // the next record header to tell which, and to recover them.
            raw.seek_to(block_start)?;
            let (category, reason) = if scan_to_warc(raw, true)? {
                ("bad length", format!("Content-Length {len} runs past the next record"))
            } else {
                (
                    "truncated",
                    format!("the file ends inside the record (Content-Length {len})"),
                )
            };
            Step::Item(error_item(start, raw.pos, record, category, reason))
        }
    })
}

/// One record read from the decompressed stream.
enum Parsed {
    /// Nothing left but whitespace.
    Eof,
    /// A complete record; its block has been consumed. `block_start` is
    /// where to look for the next record if what follows the block is not one.
    Record { outcome: Outcome, block_start: u64 },
    /// The header could not be parsed; resynchronisation is needed.
    BadHeader {
        category: &'static str,
        reason: String,
        at_line_start: bool,
        record: Option<String>,
    },
    /// The stream ends before the block does (or, for plain archives, the
    /// Content-Length points past the end of the file).
    Short {
        block_start: u64,
        len: u64,
        record: Option<String>,
    },
}

/// What a complete record means, before offsets are attached.
enum Outcome {
    Page(RawPage),
    Skip,
    Error(ItemError),
}

impl Outcome {
    fn record(&self) -> Option<String> {
        match self {
            Outcome::Page(p) => p.warc_record_id.clone().or_else(|| p.url.clone()),
            Outcome::Error(e) => e.record.clone(),
            Outcome::Skip => None,
        }
    }

    fn finish(self, offset: u64, next_offset: u64) -> Step {
        match self {
            Outcome::Skip => Step::Skipped,
            Outcome::Page(p) => Step::Item(Item::Page(RawPage {
                offset,
                next_offset,
                ..p
            })),
            Outcome::Error(e) => Step::Item(Item::Error(ItemError {
                offset,
                next_offset,
                ..e
            })),
        }
    }
}

fn error_item(
    offset: u64,
    next_offset: u64,
    record: Option<String>,
    category: &'static str,
    reason: impl Into<String>,
) -> Item {
    Item::Error(ItemError {
        offset,
        next_offset,
        record,
        category,
        reason: reason.into(),
    })
}

fn io_error(at: u64, e: io::Error) -> Item {
    error_item(at, at, None, "io", format!("cannot read the archive: {e}"))
}

fn outcome_error(h: &WarcHeader, category: &'static str, reason: impl Into<String>) -> Outcome {
    Outcome::Error(ItemError {
        record: h.name(),
        category,
        reason: reason.into(),
        ..Default::default()
    })
}

/// The WARC header fields the reader uses.
#[derive(Debug, Default)]
struct WarcHeader {
    warc_type: Option<String>,
    uri: Option<String>,
    date: Option<String>,
    id: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
}

impl WarcHeader {
    fn from_fields(fields: &[(String, String)]) -> Self {
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
    fn name(&self) -> Option<String> {
        self.id.clone().or_else(|| self.uri.clone())
    }

    fn is_web(&self) -> bool {
        self.uri.as_deref().is_some_and(|u| {
            let u = u.to_ascii_lowercase();
            u.starts_with("http://") || u.starts_with("https://")
        })
    }
}

/// Reads one record (header and block) from `s`. `data_end`, when known, is
/// where the data ends, so a Content-Length past it is caught without reading.
fn parse_record<S: Stream + ?Sized>(s: &mut S, limits: &ReadLimits, data_end: Option<u64>) -> io::Result<Parsed> {
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
        Some(_) => Outcome::Skip,
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
enum After {
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
fn after_record<S: PeekRead + ?Sized>(s: &mut S, trust_separator: bool) -> io::Result<After> {
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

/// A `response` record: an HTTP response (status line, headers, entity).
fn response<S: Stream + ?Sized>(b: &mut Block<'_, S>, h: &WarcHeader, limits: &ReadLimits) -> io::Result<Outcome> {
    let ct = h.content_type.as_deref().unwrap_or("").to_ascii_lowercase();
    let http = ct.starts_with("application/http") || b.peek(5)?.starts_with(b"HTTP/");
    if !http {
        // DNS lookups (Heritrix writes them as responses) are no pages; other
        // non-HTTP responses carry their payload as the block, like resources.
        let dns = ct.starts_with("text/dns")
            || h.uri
                .as_deref()
                .is_some_and(|u| u.to_ascii_lowercase().starts_with("dns:"));
        return if dns { Ok(Outcome::Skip) } else { resource(b, h, limits) };
    }
    let mut status = 0u16;
    let mut fields = Vec::new();
    let mut line = Vec::new();
    for _ in 0..MAX_INTERIM {
        let kind = read_line(b, MAX_LINE, &mut line)?;
        let code = match kind {
            Line::None => {
                return Ok(outcome_error(
                    h,
                    "bad record",
                    "the response record holds no HTTP response",
                ))
            }
            Line::TooLong => None,
            Line::Full | Line::Last => parse_status(&line),
        };
        let Some(code) = code else {
            return Ok(outcome_error(
                h,
                "bad record",
                "the response record does not start with an HTTP status line",
            ));
        };
        match read_fields(b, false)? {
            Head::Fields(f) => fields = f,
            Head::Bad { reason, .. } => return Ok(outcome_error(h, "bad record", format!("HTTP header: {reason}"))),
        }
        status = code;
        // `100 Continue` and friends precede the real response in the block.
        if !(100..200).contains(&code) {
            break;
        }
    }
    // Redirects and failures hold no article; 204 holds nothing at all.
    if !(200..300).contains(&status) || status == 204 {
        return Ok(Outcome::Skip);
    }
    let (media, charset) = parse_content_type(field(&fields, "content-type"));
    let class = classify(&media);
    if class == Class::Other {
        return Ok(non_html(h, &media));
    }
    let chunked = field(&fields, "transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let encoding = field(&fields, "content-encoding").unwrap_or("").to_ascii_lowercase();
    let bytes = match read_body(b, chunked, &encoding, limits.max_bytes)? {
        Body::Bytes(v) => v,
        Body::TooLarge => return Ok(too_large(h, limits)),
        Body::Bad(reason) => return Ok(outcome_error(h, "bad encoding", reason)),
    };
    Ok(page(h, bytes, charset, class, true))
}

/// A `resource` record (or a non-HTTP response): the block is the payload and
/// the WARC Content-Type describes it.
fn resource<S: Stream + ?Sized>(b: &mut Block<'_, S>, h: &WarcHeader, limits: &ReadLimits) -> io::Result<Outcome> {
    let (media, charset) = parse_content_type(h.content_type.as_deref());
    let class = classify(&media);
    // Resources also hold crawler-side files (screenshots, page info under
    // urn: addresses); only those standing for a web address are reported.
    let web = h.is_web();
    if class == Class::Other {
        return Ok(if web { non_html(h, &media) } else { Outcome::Skip });
    }
    let bytes = match read_body(b, false, "", limits.max_bytes)? {
        Body::Bytes(v) => v,
        Body::TooLarge => return Ok(too_large(h, limits)),
        Body::Bad(reason) => return Ok(outcome_error(h, "bad encoding", reason)),
    };
    Ok(page(h, bytes, charset, class, web))
}

fn non_html(h: &WarcHeader, media: &str) -> Outcome {
    outcome_error(h, "non-html", format!("the payload is {media}, not HTML or plain text"))
}

fn too_large(h: &WarcHeader, limits: &ReadLimits) -> Outcome {
    outcome_error(
        h,
        "too large",
        format!(
            "the payload is larger than the limit of {} bytes (--max-bytes)",
            limits.max_bytes
        ),
    )
}

/// Builds the page, sniffing the payload when no Content-Type said what it is.
fn page(h: &WarcHeader, bytes: Vec<u8>, charset: Option<String>, class: Class, report: bool) -> Outcome {
    let kind = match class {
        Class::Html => DocKind::Html,
        Class::Text => DocKind::Text,
        Class::Unknown if looks_html(&bytes) => DocKind::Html,
        Class::Unknown | Class::Other => {
            return if report {
                outcome_error(
                    h,
                    "non-html",
                    "the payload has no Content-Type and does not look like HTML",
                )
            } else {
                Outcome::Skip
            };
        }
    };
    Outcome::Page(RawPage {
        bytes,
        url: h.uri.clone(),
        fetched_at: h.date.clone(),
        warc_record_id: h.id.clone(),
        charset,
        kind: Some(kind),
        ..Default::default()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Html,
    Text,
    /// No Content-Type: decide from the bytes.
    Unknown,
    Other,
}

fn classify(media: &str) -> Class {
    match media {
        "" => Class::Unknown,
        "text/html" | "application/xhtml+xml" => Class::Html,
        "text/plain" => Class::Text,
        _ => Class::Other,
    }
}

/// Splits a Content-Type value into its lowercased media type and charset.
fn parse_content_type(value: Option<&str>) -> (String, Option<String>) {
    let value = value.unwrap_or("");
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let v = v
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_ascii_lowercase();
        (!v.is_empty()).then_some(v)
    });
    (media, charset)
}

/// The first non-empty value of a header (names are stored lowercased).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, v)| n == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// `HTTP/1.1 200 OK` → 200. `HTTP/2 200` too.
fn parse_status(line: &[u8]) -> Option<u16> {
    if !line.starts_with(b"HTTP/") {
        return None;
    }
    let mut parts = line.split(|c| *c == b' ' || *c == b'\t').filter(|p| !p.is_empty());
    parts.next()?;
    let code = parts.next()?;
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}

/// Markup near the start, as `sniff_kind` judges it, on raw bytes.
fn looks_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 2048)];
    if !head.starts_with(b"<") {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    const TAGS: &[&[u8]] = &[
        b"<!doctype",
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<div",
        b"<p",
        b"<!--",
        b"<?xml",
        b"<title",
        b"<article",
    ];
    TAGS.iter().any(|t| memchr::memmem::find(&lower, t).is_some())
}

/// Result of reading a payload.
enum Body {
    Bytes(Vec<u8>),
    TooLarge,
    /// The transfer or content encoding could not be decoded.
    Bad(String),
}

/// Reads the entity body from the rest of the block, undoing chunked transfer
/// encoding and gzip/deflate content encoding, under `limit` decompressed bytes.
///
/// Archives often keep the original headers while storing the payload already
/// decoded (Common Crawl does), so each encoding is undone only when the bytes
/// actually look encoded.
fn read_body<S: Stream + ?Sized>(b: &mut Block<'_, S>, chunked: bool, encoding: &str, limit: u64) -> io::Result<Body> {
    let chunked = chunked && looks_chunked(b.peek(32)?);
    // What is left of the block is the entity's size when it is stored as is.
    let hint = b.left;
    let result = {
        let base: Box<dyn Read + '_> = if chunked {
            Box::new(Chunked {
                inner: &mut *b,
                left: 0,
                done: false,
                line: Vec::new(),
            })
        } else {
            Box::new(&mut *b)
        };
        decode_limited(base, encoding, limit, hint)
    };
    // An error from below the block is the archive failing (a corrupt gzip
    // member), not this payload: the caller must hear of it as such.
    if let Some(f) = b.failed.take() {
        return Err(f);
    }
    Ok(result.unwrap_or_else(|e| Body::Bad(format!("cannot decode the payload: {e}"))))
}

fn decode_limited<'a>(mut base: Box<dyn Read + 'a>, encoding: &str, limit: u64, hint: u64) -> io::Result<Body> {
    let mut head = [0u8; 2];
    let n = read_full(&mut base, &mut head)?;
    let head = &head[..n];
    // An entity that starts like text was stored decoded, whatever the header says.
    let textual = head
        .first()
        .is_some_and(|&c| c == b'<' || c.is_ascii_whitespace() || c == 0xef);
    let codings: Vec<&str> = encoding
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "identity" && *c != "none")
        .collect();
    let chained = io::Cursor::new(head.to_vec()).chain(base);
    let mut reader: Box<dyn Read + 'a> = match codings.as_slice() {
        [] => Box::new(chained),
        ["gzip" | "x-gzip"] if head == [0x1f, 0x8b] => Box::new(flate2::read::MultiGzDecoder::new(chained)),
        ["gzip" | "x-gzip"] => Box::new(chained),
        ["deflate"] if is_zlib(head) => Box::new(flate2::read::ZlibDecoder::new(chained)),
        ["deflate"] if !textual => Box::new(flate2::read::DeflateDecoder::new(chained)),
        _ if textual => Box::new(chained),
        _ => return Ok(Body::Bad(format!("unsupported Content-Encoding: {encoding}"))),
    };
    read_capped(&mut reader, limit, hint)
}

/// Reads to the end, failing as soon as more than `limit` bytes come. The
/// buffer starts at `hint` and grows by doubling, but never beyond `limit`
/// (`read_to_end` could reach twice the limit), so a page costs at most
/// `max_bytes` of memory.
fn read_capped(r: &mut dyn Read, limit: u64, hint: u64) -> io::Result<Body> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut out: Vec<u8> = Vec::with_capacity(usize::try_from(hint).unwrap_or(usize::MAX).min(limit));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => return Ok(Body::Bytes(out)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n > limit - out.len() {
            return Ok(Body::TooLarge);
        }
        if out.capacity() - out.len() < n {
            let want = out.capacity().saturating_mul(2).max(out.len() + n).min(limit);
            out.reserve_exact(want - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// A zlib header (RFC 1950): deflate method, and the check bits agree.
fn is_zlib(head: &[u8]) -> bool {
    matches!(head, [a, b] if a & 0x0f == 8 && (u16::from(*a) << 8 | u16::from(*b)) % 31 == 0)
}

/// A chunk-size line: hex digits, then an extension, blank or line end.
fn looks_chunked(p: &[u8]) -> bool {
    let hex = p.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    (1..=16).contains(&hex) && matches!(p.get(hex), Some(b'\r' | b'\n' | b';' | b' ' | b'\t'))
}

/// Undoes HTTP/1.1 chunked transfer encoding. Lenient where that is harmless
/// (missing CRLF after a chunk, data ending without the last chunk); a chunk
/// size that is not hex is an error.
struct Chunked<B> {
    inner: B,
    left: u64,
    done: bool,
    line: Vec<u8>,
}

impl<B: BufRead> Read for Chunked<B> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            match read_line(&mut self.inner, MAX_CHUNK_LINE, &mut self.line)? {
                Line::None => {
                    self.done = true;
                    return Ok(0);
                }
                Line::TooLong => return Err(io::Error::new(io::ErrorKind::InvalidData, "chunk size line too long")),
                Line::Full | Line::Last => {}
            }
            let size_part = self.line.split(|c| *c == b';').next().unwrap_or(&[]).trim_ascii();
            if size_part.is_empty() {
                continue; // the line end after a chunk's data
            }
            let size = std::str::from_utf8(size_part)
                .ok()
                .filter(|s| s.len() <= 16)
                .and_then(|s| u64::from_str_radix(s, 16).ok())
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        "bad chunk size in chunked transfer encoding",
                    )
                })?;
            if size == 0 {
                // Trailer fields up to a blank line; each pass consumes a line.
                while let Line::Full | Line::Last = read_line(&mut self.inner, MAX_CHUNK_LINE, &mut self.line)? {
                    if self.line.is_empty() {
                        break;
                    }
                }
                self.done = true;
                return Ok(0);
            }
            self.left = size;
        }
        let want = out.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut out[..want])?;
        if n == 0 {
            self.done = true;
            self.left = 0;
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

/// A header block: fields with lowercased names, or why it is unusable.
enum Head {
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
fn read_fields<R: PeekRead + ?Sized>(r: &mut R, warc: bool) -> io::Result<Head> {
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
enum Line {
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
fn read_line<R: BufRead + ?Sized>(r: &mut R, max: usize, out: &mut Vec<u8>) -> io::Result<Line> {
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

fn strip_cr(out: &mut Vec<u8>, kind: Line) -> Line {
    if out.last() == Some(&b'\r') {
        out.pop();
    }
    kind
}

/// Skips whitespace (the blank lines between records); returns how many line
/// feeds it skipped (counting stops at 2, all that callers ask).
fn skip_ws<R: BufRead + ?Sized>(r: &mut R) -> io::Result<usize> {
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
fn scan_to_warc<S: PeekRead + ?Sized>(s: &mut S, mut at_line_start: bool) -> io::Result<bool> {
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

/// Moves the file to the next plausible gzip member start, or to its end. A
/// candidate needs the gzip magic and method (`1f 8b 08`), no reserved flags,
/// and a start that decompresses to a WARC record, so that the magic bytes
/// occurring by chance inside compressed data are not taken for members.
fn scan_to_member(raw: &mut Raw) -> io::Result<()> {
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

/// Whether the gzip member at `at` starts with a WARC record. Leaves the file
/// at `at`.
fn probe_member(raw: &mut Raw, at: u64) -> io::Result<bool> {
    raw.seek_to(at)?;
    let ok = {
        let mut dec = GzDecoder::new(BufReader::new((&mut raw.inner).take(PROBE_BYTES)));
        let mut out = [0u8; 64];
        let mut n = 0;
        while n < out.len() {
            match dec.read(&mut out[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        let start = out[..n].iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(n);
        out[start..n].starts_with(b"WARC/")
    };
    raw.seek_to(at)?;
    Ok(ok)
}

/// Reads until `buf` is full or the input ends; returns the count.
fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
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

/// A buffered reader that can look several bytes ahead (across refills, which
/// `BufReader` cannot) and counts what it has consumed.
trait PeekRead: BufRead {
    /// At least `n` bytes (at most the buffer size) unless the input ends first.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]>;
}

/// A [`PeekRead`] that knows its position.
trait Stream: PeekRead {
    fn pos(&self) -> u64;
}

struct PeekReader<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Position of `buf[start]` in the stream.
    pos: u64,
}

impl<R> PeekReader<R> {
    fn new(inner: R, pos: u64, cap: usize) -> Self {
        Self {
            inner,
            buf: vec![0; cap].into_boxed_slice(),
            start: 0,
            end: 0,
            pos,
        }
    }

    /// The underlying reader; buffered bytes are dropped (callers only do this
    /// at the end of the input, or before seeking).
    fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> PeekReader<R> {
    /// Reads more into the buffer, compacting it first if needed. Ok(0) is
    /// the end of the input (never called with a full buffer).
    fn read_more(&mut self) -> io::Result<usize> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read + Seek> PeekReader<R> {
    fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        self.inner.seek(SeekFrom::Start(pos))?;
        self.pos = pos;
        Ok(())
    }
}

impl<R: Read> Read for PeekReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_through_buf(self, out)
    }
}

impl<R: Read> BufRead for PeekReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.pos += n as u64;
    }
}

impl<R: Read> PeekRead for PeekReader<R> {
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(self.buf.len());
        while self.end - self.start < n {
            if self.read_more()? == 0 {
                break;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }
}

impl<R: Read> Stream for PeekReader<R> {
    fn pos(&self) -> u64 {
        self.pos
    }
}

/// A record's block: the next `left` bytes of the stream. Remembers whether
/// the stream below failed, so that a decoding error in the payload can be
/// told apart from a broken archive.
struct Block<'a, S: ?Sized> {
    s: &'a mut S,
    left: u64,
    failed: Option<io::Error>,
}

impl<S: Stream + ?Sized> Block<'_, S> {
    /// Discards the rest of the block in buffer-sized chunks. Stops early only
    /// at the end of the stream (then `left > 0`).
    fn drain(&mut self) -> io::Result<()> {
        while self.left > 0 {
            let n = self.fill_buf()?.len();
            if n == 0 {
                break;
            }
            self.consume(n);
        }
        Ok(())
    }
}

fn clamp(len: usize, left: u64) -> usize {
    usize::try_from(left).map_or(len, |l| len.min(l))
}

/// `Read` for a type whose `BufRead` does the work: copy from its buffer.
fn read_through_buf<B: BufRead + ?Sized>(b: &mut B, out: &mut [u8]) -> io::Result<usize> {
    let n = {
        let buf = b.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        n
    };
    b.consume(n);
    Ok(n)
}

fn copy_error(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

impl<S: Stream + ?Sized> Read for Block<'_, S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_through_buf(self, out)
    }
}

impl<S: Stream + ?Sized> BufRead for Block<'_, S> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.left == 0 {
            return Ok(&[]);
        }
        let left = self.left;
        match self.s.fill_buf() {
            Ok(buf) => Ok(&buf[..clamp(buf.len(), left)]),
            Err(e) => {
                self.failed = Some(copy_error(&e));
                Err(e)
            }
        }
    }

    fn consume(&mut self, n: usize) {
        let n = clamp(n, self.left);
        self.s.consume(n);
        self.left -= n as u64;
    }
}

impl<S: Stream + ?Sized> PeekRead for Block<'_, S> {
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let left = self.left;
        match self.s.peek(clamp(n, left)) {
            Ok(buf) => Ok(&buf[..clamp(buf.len(), left)]),
            Err(e) => {
                self.failed = Some(copy_error(&e));
                Err(e)
            }
        }
    }
}

pub mod write {
    //! A minimal WARC writer, for tests and benchmarks (here and in other
    //! crates' integration tests) that need archives without shipping binary
    //! fixtures. It writes well-formed WARC/1.1 records; it is not meant for
    //! producing archives for anyone else.

    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    static COUNTER: AtomicU64 = AtomicU64::new(0);

    /// A fresh `<urn:uuid:…>` record id, unique within the process (and, by
    /// the process id and clock in it, almost surely across processes).
    pub fn record_id() -> String {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let pid = std::process::id();
        format!(
            "<urn:uuid:{pid:08x}-{:04x}-4{:03x}-8{:03x}-{n:012x}>",
            clock >> 16,
            clock & 0xfff,
            (clock >> 4) & 0xfff
        )
    }

    /// A complete WARC/1.1 record of any type around `block`, with the record
    /// separator (CRLF CRLF) after it.
    pub fn record(warc_type: &str, target_uri: Option<&str>, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(block.len() + 512);
        out.extend_from_slice(b"WARC/1.1\r\n");
        out.extend_from_slice(format!("WARC-Type: {warc_type}\r\n").as_bytes());
        out.extend_from_slice(format!("WARC-Record-ID: {}\r\n", record_id()).as_bytes());
        out.extend_from_slice(format!("WARC-Date: {date}\r\n").as_bytes());
        if let Some(uri) = target_uri {
            out.extend_from_slice(format!("WARC-Target-URI: {uri}\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                block.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// An HTTP/1.1 response: status line, the given headers as they are (no
    /// Content-Length added), a blank line and `body`.
    pub fn http_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let reason = if status == 200 { "OK" } else { "Status" };
        let mut out = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(body);
        out
    }

    /// A `response` record: an HTTP/1.1 200 response with `content_type` and
    /// Content-Length headers and `body`, fetched from `url` at `date`.
    pub fn response_record(url: &str, date: &str, body: &[u8], content_type: &str) -> Vec<u8> {
        let len = body.len().to_string();
        let http = http_response(200, &[("Content-Type", content_type), ("Content-Length", &len)], body);
        record("response", Some(url), date, "application/http; msgtype=response", &http)
    }

    /// `bytes` as one gzip member, as `.warc.gz` writers store each record.
    pub fn gzip_member(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing into a Vec cannot fail.
        e.write_all(bytes).expect("writing to a Vec");
        e.finish().expect("writing to a Vec")
    }
}

#[cfg(test)]
mod tests {
    use super::write::{gzip_member, http_response, record, response_record};
    use super::*;
    use proptest::prelude::*;
    use std::io::{Cursor, Write};

    const DATE: &str = "2024-05-01T12:00:00Z";

    fn html(i: usize) -> Vec<u8> {
        format!(
            "<!DOCTYPE html><html><head><title>Story {i}</title></head>\
             <body><p>Paragraph {i} of the story, with some words.</p></body></html>"
        )
        .into_bytes()
    }

    fn url(i: usize) -> String {
        format!("https://news.example/story/{i}")
    }

    fn limits() -> ReadLimits {
        ReadLimits::default()
    }

    fn read_all(bytes: &[u8], start: u64, limits: ReadLimits) -> Vec<Item> {
        let reader = WarcReader::from_reader(Cursor::new(bytes.to_vec()), start, limits).unwrap();
        // A cap far above any sane count, so a looping reader fails instead of hanging.
        let cap = bytes.len() + 16;
        let items: Vec<Item> = reader.take(cap).collect();
        assert!(items.len() < cap, "reader did not terminate");
        items
    }

    fn pages(items: &[Item]) -> Vec<&RawPage> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Page(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    fn errors(items: &[Item]) -> Vec<&ItemError> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Error(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    fn categories(items: &[Item]) -> Vec<&'static str> {
        items
            .iter()
            .map(|i| match i {
                Item::Page(_) => "page",
                Item::Pending(_) => "pending",
                Item::Error(e) => e.category,
            })
            .collect()
    }

    /// Records of every kind, each with the page body it must yield, if any.
    /// Record ids are made deterministic so that failing cases replay.
    fn fixture() -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let mut fx = fixture_records();
        for (i, (rec, _)) in fx.iter_mut().enumerate() {
            let at = memchr::memmem::find(rec, b"WARC-Record-ID: <urn:uuid:").unwrap() + 26;
            rec[at..at + 36].copy_from_slice(format!("00000000-0000-4000-8000-{i:012x}").as_bytes());
        }
        fx
    }

    fn fixture_records() -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let redirect = http_response(301, &[("Location", "https://news.example/")], b"");
        let missing = http_response(404, &[("Content-Type", "text/html")], b"<html>gone</html>");
        vec![
            (
                record(
                    "warcinfo",
                    None,
                    DATE,
                    "application/warc-fields",
                    b"software: test\r\nformat: WARC 1.1\r\n",
                ),
                None,
            ),
            (
                record(
                    "request",
                    Some(&url(1)),
                    DATE,
                    "application/http; msgtype=request",
                    b"GET /story/1 HTTP/1.1\r\nHost: news.example\r\n\r\n",
                ),
                None,
            ),
            (
                response_record(&url(1), DATE, &html(1), "text/html; charset=UTF-8"),
                Some(html(1)),
            ),
            (
                record(
                    "metadata",
                    Some(&url(1)),
                    DATE,
                    "application/warc-fields",
                    b"fetchTimeMs: 12\r\n",
                ),
                None,
            ),
            (response_record(&url(2), DATE, &html(2), "text/html"), Some(html(2))),
            (
                record(
                    "response",
                    Some(&url(3)),
                    DATE,
                    "application/http; msgtype=response",
                    &redirect,
                ),
                None,
            ),
            (
                response_record(&url(4), DATE, b"Just a plain note.\nSecond line.", "text/plain"),
                Some(b"Just a plain note.\nSecond line.".to_vec()),
            ),
            (
                record(
                    "response",
                    Some(&url(5)),
                    DATE,
                    "application/http; msgtype=response",
                    &missing,
                ),
                None,
            ),
            (
                record(
                    "revisit",
                    Some(&url(2)),
                    DATE,
                    "application/http; msgtype=response",
                    b"HTTP/1.1 200 OK\r\n\r\n",
                ),
                None,
            ),
            (
                response_record(&url(6), DATE, &html(6), "application/xhtml+xml"),
                Some(html(6)),
            ),
        ]
    }

    fn plain(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<u8> {
        fx.iter().flat_map(|(r, _)| r.clone()).collect()
    }

    fn gz(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<u8> {
        fx.iter().flat_map(|(r, _)| gzip_member(r)).collect()
    }

    fn expected(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<Vec<u8>> {
        fx.iter().filter_map(|(_, p)| p.clone()).collect()
    }

    fn bodies(items: &[Item]) -> Vec<Vec<u8>> {
        pages(items).iter().map(|p| p.bytes.clone()).collect()
    }

    #[test]
    fn plain_round_trip_skips_records_without_pages() {
        let fx = fixture();
        let items = read_all(&plain(&fx), 0, limits());
        assert_eq!(categories(&items), ["page"; 4]);
        assert_eq!(bodies(&items), expected(&fx));
        let p = pages(&items);
        assert_eq!(p[0].url.as_deref(), Some(url(1).as_str()));
        assert_eq!(p[0].fetched_at.as_deref(), Some(DATE));
        assert!(p[0]
            .warc_record_id
            .as_deref()
            .is_some_and(|id| id.starts_with("<urn:uuid:") && id.ends_with('>')));
        assert_eq!(p[0].charset.as_deref(), Some("utf-8"));
        assert_eq!(p[0].kind, Some(DocKind::Html));
        assert_eq!(p[1].charset, None);
        assert_eq!(p[2].kind, Some(DocKind::Text));
        assert_eq!(p[3].kind, Some(DocKind::Html));
        // Plain offsets are record starts.
        let starts: Vec<u64> = fx
            .iter()
            .scan(0u64, |at, (r, _)| {
                let s = *at;
                *at += r.len() as u64;
                Some(s)
            })
            .collect();
        assert_eq!(p[0].offset, starts[2]);
        assert_eq!(p[0].next_offset, starts[3]);
        assert_eq!(p[3].next_offset, plain(&fx).len() as u64);
    }

    #[test]
    fn gzip_round_trip_with_member_offsets() {
        let fx = fixture();
        let data = gz(&fx);
        let r = WarcReader::from_reader(Cursor::new(data.clone()), 0, limits()).unwrap();
        assert!(r.is_gzip());
        let items: Vec<Item> = r.collect();
        assert_eq!(bodies(&items), expected(&fx));
        let mut starts = vec![0u64];
        for (rec, _) in &fx {
            starts.push(starts[starts.len() - 1] + gzip_member(rec).len() as u64);
        }
        // gzip output is deterministic, so the member sizes are those of `data`.
        assert_eq!(*starts.last().unwrap(), data.len() as u64);
        let p = pages(&items);
        assert_eq!((p[0].offset, p[0].next_offset), (starts[2], starts[3]));
        assert_eq!((p[3].offset, p[3].next_offset), (starts[9], starts[10]));
    }

    #[test]
    fn resuming_from_every_next_offset_yields_exactly_the_rest() {
        let fx = fixture();
        for data in [plain(&fx), gz(&fx)] {
            let all = read_all(&data, 0, limits());
            assert_eq!(all.len(), 4);
            for (i, item) in all.iter().enumerate() {
                let rest = read_all(&data, item.next_offset(), limits());
                assert_eq!(rest, all[i + 1..], "resuming at {}", item.next_offset());
                let again = read_all(&data, item.offset(), limits());
                assert_eq!(again, all[i..], "re-reading at {}", item.offset());
            }
        }
    }

    #[test]
    fn one_member_holding_many_records() {
        let fx = fixture();
        let data = gzip_member(&plain(&fx));
        let items = read_all(&data, 0, limits());
        assert_eq!(bodies(&items), expected(&fx));
        let offs: Vec<(u64, u64)> = items.iter().map(|i| (i.offset(), i.next_offset())).collect();
        let end = data.len() as u64;
        assert_eq!(offs, [(0, 0), (0, 0), (0, 0), (0, end)]);
        assert!(read_all(&data, end, limits()).is_empty());
    }

    #[test]
    fn empty_input_yields_nothing() {
        assert!(read_all(b"", 0, limits()).is_empty());
        assert!(read_all(b"\r\n\r\n", 0, limits()).is_empty());
        assert!(read_all(&gzip_member(b""), 0, limits()).is_empty());
    }

    #[test]
    fn binary_junk_is_one_bad_record() {
        let junk: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let items = read_all(&junk, 0, limits());
        assert_eq!(categories(&items), ["bad record"]);
        assert_eq!(items[0].next_offset(), junk.len() as u64);
        let mut gz_junk = vec![0x1f, 0x8b, 0x08, 0x00];
        gz_junk.extend_from_slice(&junk);
        let items = read_all(&gz_junk, 0, limits());
        assert_eq!(categories(&items), ["bad gzip"]);
        assert_eq!(items[0].next_offset(), gz_junk.len() as u64);
    }

    #[test]
    fn junk_between_records_is_skipped_once() {
        let mut data = response_record(&url(1), DATE, &html(1), "text/html");
        data.extend_from_slice(b"garbage line\nmore garbage\n");
        data.extend_from_slice(&response_record(&url(2), DATE, &html(2), "text/html"));
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "bad record", "page"]);
    }

    #[test]
    fn truncated_last_gzip_member() {
        let fx = fixture();
        let mut data = gz(&fx);
        let last = gzip_member(&fx[fx.len() - 1].0).len();
        data.truncate(data.len() - last / 2);
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "page", "page", "truncated"]);
        assert_eq!(items[3].next_offset(), data.len() as u64);
        assert_eq!(bodies(&items), expected(&fx)[..3]);
    }

    #[test]
    fn truncated_last_plain_record() {
        let fx = fixture();
        let mut data = plain(&fx);
        data.truncate(data.len() - 40);
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "page", "page", "truncated"]);
        let e = errors(&items)[0];
        assert!(e.record.as_deref().is_some_and(|r| r.starts_with("<urn:uuid:")));
        assert_eq!(e.next_offset, data.len() as u64);
        // Cut inside the header.
        let one = response_record(&url(1), DATE, &html(1), "text/html");
        let items = read_all(&one[..30], 0, limits());
        assert_eq!(categories(&items), ["truncated"]);
    }

    /// Rewrites the Content-Length of a record's WARC header by `delta`.
    fn with_length(rec: &[u8], delta: i64) -> Vec<u8> {
        let text = rec.to_vec();
        let at = memchr::memmem::find(&text, b"\r\nContent-Length: ").unwrap() + 18;
        let end = at + memchr(b'\r', &text[at..]).unwrap();
        let len: i64 = std::str::from_utf8(&text[at..end]).unwrap().parse().unwrap();
        let mut out = text[..at].to_vec();
        out.extend_from_slice((len + delta).to_string().as_bytes());
        out.extend_from_slice(&text[end..]);
        out
    }

    fn three(mid: Vec<u8>) -> Vec<Vec<u8>> {
        vec![
            response_record(&url(1), DATE, &html(1), "text/html"),
            mid,
            response_record(&url(3), DATE, &html(3), "text/html"),
        ]
    }

    #[test]
    fn content_length_too_long() {
        let recs = three(with_length(&response_record(&url(2), DATE, &html(2), "text/html"), 300));
        // Plain: the block would swallow the next record; it is found and read.
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(categories(&items), ["page", "bad length", "page"]);
        assert_eq!(bodies(&items), [html(1), html(3)]);
        // Plain, last record: indistinguishable from a cut file.
        let mut last = recs.clone();
        last.swap(1, 2);
        assert_eq!(
            categories(&read_all(&last.concat(), 0, limits())),
            ["page", "page", "truncated"]
        );
        // Gzip: the member ends inside the block.
        let data: Vec<u8> = recs.iter().flat_map(|r| gzip_member(r)).collect();
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "bad length", "page"]);
        // Gzip, one member for all: the swallowed record is recovered.
        let items = read_all(&gzip_member(&recs.concat()), 0, limits());
        assert_eq!(categories(&items), ["page", "bad length", "page"]);
        assert_eq!(bodies(&items), [html(1), html(3)]);
    }

    #[test]
    fn content_length_too_short() {
        let recs = three(with_length(&response_record(&url(2), DATE, &html(2), "text/html"), -25));
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(categories(&items), ["page", "bad length", "page"]);
        assert_eq!(bodies(&items), [html(1), html(3)]);
        let e = errors(&items)[0];
        assert!(e.record.is_some());
        assert_eq!(e.next_offset, (recs[0].len() + recs[1].len()) as u64);
        let data: Vec<u8> = recs.iter().flat_map(|r| gzip_member(r)).collect();
        assert_eq!(
            categories(&read_all(&data, 0, limits())),
            ["page", "bad length", "page"]
        );
        assert_eq!(
            categories(&read_all(&gzip_member(&recs.concat()), 0, limits())),
            ["page", "bad length", "page"]
        );
    }

    #[test]
    fn damaged_next_header_does_not_cost_the_previous_record() {
        let mut recs = three(response_record(&url(2), DATE, &html(2), "text/html"));
        recs[1][0] = b'X'; // "XARC/1.1"
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(categories(&items), ["page", "bad record", "page"]);
    }

    #[test]
    fn corrupt_gzip_member_in_the_middle() {
        let recs = three(response_record(&url(2), DATE, &html(2), "text/html"));
        let members: Vec<Vec<u8>> = recs.iter().map(|r| gzip_member(r)).collect();
        let mut data = members.concat();
        let mid = members[0].len() + members[1].len() / 2;
        for b in &mut data[mid..mid + 8] {
            *b ^= 0x5a;
        }
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "bad gzip", "page"]);
        assert_eq!(items[1].offset(), members[0].len() as u64);
        assert_eq!(items[1].next_offset(), (members[0].len() + members[1].len()) as u64);
        // Junk between members.
        let mut data = members[0].clone();
        data.extend_from_slice(b"\x00\x00junk\x1f\x8b\x08\x00 not a member");
        data.extend_from_slice(&members[2]);
        let items = read_all(&data, 0, limits());
        assert_eq!(categories(&items), ["page", "bad gzip", "page"]);
    }

    #[test]
    fn non_html_payloads_are_errors() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let recs = [
            response_record("https://news.example/a.png", DATE, png, "image/png"),
            response_record("https://news.example/a.pdf", DATE, b"%PDF-1.7", "application/pdf"),
            response_record(&url(1), DATE, &html(1), "text/html"),
        ];
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(categories(&items), ["non-html", "non-html", "page"]);
        let e = errors(&items);
        assert!(e[0].reason.contains("image/png"));
        assert!(e[1].reason.contains("application/pdf"));
        assert_eq!(e[0].record.as_deref().map(|r| r.starts_with("<urn:uuid:")), Some(true));
    }

    #[test]
    fn missing_content_type_is_sniffed() {
        let rec = |body: &[u8]| {
            let http = http_response(200, &[], body);
            record(
                "response",
                Some(&url(1)),
                DATE,
                "application/http; msgtype=response",
                &http,
            )
        };
        let items = read_all(&[rec(&html(1)), rec(b"\x00\x01\x02 binary")].concat(), 0, limits());
        assert_eq!(categories(&items), ["page", "non-html"]);
        assert_eq!(pages(&items)[0].kind, Some(DocKind::Html));
    }

    #[test]
    fn resource_records() {
        let recs = [
            record(
                "resource",
                Some(&url(1)),
                DATE,
                "text/html; charset=windows-1252",
                &html(1),
            ),
            record("resource", Some("urn:pageinfo:x"), DATE, "application/json", b"{}"),
            record(
                "resource",
                Some("https://news.example/logo.gif"),
                DATE,
                "image/gif",
                b"GIF89a",
            ),
        ];
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(categories(&items), ["page", "non-html"]);
        assert_eq!(pages(&items)[0].charset.as_deref(), Some("windows-1252"));
        assert_eq!(pages(&items)[0].bytes, html(1));
    }

    #[test]
    fn chunked_transfer_encoding_and_charset() {
        let body = b"b\r\n<html><p>Gr\r\n7;name=v\r\n\xfc\xdfe</p>\r\n0\r\nX-Trailer: 1\r\n\r\n";
        let http = http_response(
            200,
            &[
                ("Content-Type", "text/html; Charset=\"ISO-8859-1\""),
                ("Transfer-Encoding", "chunked"),
            ],
            body,
        );
        let rec = record(
            "response",
            Some(&url(1)),
            DATE,
            "application/http; msgtype=response",
            &http,
        );
        let items = read_all(&rec, 0, limits());
        let p = pages(&items);
        assert_eq!(p[0].bytes, b"<html><p>Gr\xfc\xdfe</p>");
        assert_eq!(p[0].charset.as_deref(), Some("iso-8859-1"));
        // Already de-chunked by the crawler, header kept: passed through.
        let http = http_response(
            200,
            &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            &html(2),
        );
        let rec = record(
            "response",
            Some(&url(2)),
            DATE,
            "application/http; msgtype=response",
            &http,
        );
        assert_eq!(bodies(&read_all(&rec, 0, limits())), [html(2)]);
    }

    #[test]
    fn content_encodings() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&html(2)).unwrap();
        let zlib = z.finish().unwrap();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(&html(3)).unwrap();
        let raw_deflate = d.finish().unwrap();
        let rec = |enc: &str, body: &[u8]| {
            let http = http_response(200, &[("Content-Type", "text/html"), ("Content-Encoding", enc)], body);
            record(
                "response",
                Some(&url(1)),
                DATE,
                "application/http; msgtype=response",
                &http,
            )
        };
        let recs = [
            rec("gzip", &gzip_member(&html(1))),
            rec("deflate", &zlib),
            rec("deflate", &raw_deflate),
            rec("gzip", &html(4)), // stored decoded, header kept
            rec("br", &html(5)),   // likewise
            rec("br", b"\x1b\x2a\x00\x00 compressed"),
            rec("gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03 broken"),
        ];
        let items = read_all(&recs.concat(), 0, limits());
        assert_eq!(
            categories(&items),
            ["page", "page", "page", "page", "page", "bad encoding", "bad encoding"]
        );
        assert_eq!(bodies(&items), [html(1), html(2), html(3), html(4), html(5)]);
    }

    #[test]
    fn gzip_bomb_payload_is_too_large() {
        let bomb = gzip_member(&vec![b' '; 3_000_000]);
        let http = http_response(
            200,
            &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            &bomb,
        );
        let recs = [
            record(
                "response",
                Some(&url(1)),
                DATE,
                "application/http; msgtype=response",
                &http,
            ),
            response_record(&url(2), DATE, &html(2), "text/html"),
        ];
        let items = read_all(&recs.concat(), 0, ReadLimits { max_bytes: 1_000_000 });
        assert_eq!(categories(&items), ["too large", "page"]);
    }

    /// Writes a response record with a `size`-byte body to `w` without holding
    /// the body in memory.
    fn write_big_record(w: &mut dyn Write, size: usize) {
        let http_head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n\r\n");
        let block_len = http_head.len() + size;
        write!(
            w,
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:big>\r\nWARC-Date: {DATE}\r\n\
             WARC-Target-URI: https://news.example/big\r\nContent-Type: application/http; msgtype=response\r\n\
             Content-Length: {block_len}\r\n\r\n{http_head}"
        )
        .unwrap();
        let chunk = vec![b'a'; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len());
            w.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        w.write_all(b"\r\n\r\n").unwrap();
    }

    #[test]
    fn payload_over_the_limit_is_skipped() {
        let dir = std::env::temp_dir().join(format!("gleaner-warc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let limits = ReadLimits {
            max_bytes: 20 * 1024 * 1024,
        };
        for gzip in [false, true] {
            let path = dir.join(if gzip { "big.warc.gz" } else { "big.warc" });
            {
                let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
                if gzip {
                    let mut e = flate2::write::GzEncoder::new(&mut f, flate2::Compression::fast());
                    write_big_record(&mut e, 50 * 1024 * 1024);
                    e.finish().unwrap();
                } else {
                    write_big_record(&mut f, 50 * 1024 * 1024);
                }
                let next = response_record(&url(2), DATE, &html(2), "text/html");
                f.write_all(&if gzip { gzip_member(&next) } else { next }).unwrap();
            }
            let items: Vec<Item> = WarcReader::open(&path, 0, limits).unwrap().collect();
            assert_eq!(categories(&items), ["too large", "page"], "gzip: {gzip}");
            assert_eq!(errors(&items)[0].record.as_deref(), Some("<urn:uuid:big>"));
            assert_eq!(bodies(&items), [html(2)]);
            std::fs::remove_file(&path).unwrap();
        }
    }

    #[test]
    fn tolerant_header_syntax() {
        let body = html(1);
        let http = format!(
            "HTTP/1.0 200 OK\ncontent-type: text/html;charset=utf-8\n\n{}",
            String::from_utf8_lossy(&body)
        );
        let rec = format!(
            "WARC/1.0\nwarc-type: Response\nWARC-Target-URI: <{}>\nwarc-date: {DATE}\nWARC-Record-ID: <urn:uuid:x>\n\
             X-Folded: a\n  b\ncontent-length: {}\n\n{http}\n\n",
            url(1),
            http.len()
        );
        let items = read_all(rec.as_bytes(), 0, limits());
        let p = pages(&items);
        assert_eq!(p.len(), 1, "{items:?}");
        assert_eq!(p[0].url.as_deref(), Some(url(1).as_str()));
        assert_eq!(p[0].charset.as_deref(), Some("utf-8"));
        assert_eq!(p[0].bytes, body);
    }

    #[test]
    fn interim_responses_and_statuses() {
        let cont = [
            b"HTTP/1.1 100 Continue\r\n\r\n".as_slice(),
            &http_response(200, &[("Content-Type", "text/html")], &html(1)),
        ]
        .concat();
        let recs = [
            record(
                "response",
                Some(&url(1)),
                DATE,
                "application/http; msgtype=response",
                &cont,
            ),
            record(
                "response",
                Some(&url(2)),
                DATE,
                "application/http; msgtype=response",
                &http_response(204, &[], b""),
            ),
            record(
                "response",
                Some(&url(3)),
                DATE,
                "application/http; msgtype=response",
                &http_response(503, &[], b"busy"),
            ),
            record(
                "response",
                Some(&url(4)),
                DATE,
                "application/http; msgtype=response",
                b"not http at all",
            ),
            record(
                "response",
                Some("dns:news.example"),
                DATE,
                "text/dns",
                b"20240501 news.example. 300 IN A 10.0.0.1",
            ),
        ];
        let items = read_all(&recs.concat(), 0, limits());
        // The 4th has an HTTP content type but no status line.
        assert_eq!(categories(&items), ["page", "bad record"]);
    }

    #[test]
    fn missing_fields_are_bad_records() {
        let no_len = b"WARC/1.1\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html></html>\r\n\r\n".to_vec();
        let no_type = b"WARC/1.1\r\nContent-Length: 2\r\n\r\nab\r\n\r\n".to_vec();
        let good = response_record(&url(1), DATE, &html(1), "text/html");
        let items = read_all(&[no_len, no_type, good].concat(), 0, limits());
        assert_eq!(categories(&items), ["bad record", "bad record", "page"]);
    }

    #[test]
    fn open_reports_missing_files() {
        assert!(matches!(
            WarcReader::open(Path::new("/no/such/file.warc.gz"), 0, limits()),
            Err(ReadError::NotFound)
        ));
    }

    #[test]
    fn reader_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<WarcReader>();
    }

    /// Checks the invariants every item sequence must keep: offsets within the
    /// input and never going backwards.
    fn check_offsets(items: &[Item], len: u64) {
        let mut last = 0;
        for i in items {
            assert!(
                i.offset() <= i.next_offset() && i.next_offset() <= len.max(i.offset()),
                "{i:?}"
            );
            assert!(i.offset() >= last, "offsets went backwards: {items:?}");
            last = i.offset();
        }
    }

    /// Ends of each record in the plain fixture and of each member in the
    /// gzip one, with the page each record yields. `block` stops a plain
    /// record's end before its separator: a cut file needs no more to yield it,
    /// but damage to the separator makes the length look wrong.
    fn ends(fx: &[(Vec<u8>, Option<Vec<u8>>)], gzip: bool, block: bool) -> Vec<(usize, Option<Vec<u8>>)> {
        let mut at = 0;
        fx.iter()
            .map(|(r, p)| {
                let len = if gzip { gzip_member(r).len() } else { r.len() };
                at += len;
                (if gzip || !block { at } else { at - 4 }, p.clone())
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(
            prefix in 0usize..3,
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let head: &[u8] = match prefix {
                0 => b"",
                1 => b"\x1f\x8b\x08\x00",
                _ => b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
            };
            let data = [head, &bytes].concat();
            let items = read_all(&data, 0, ReadLimits { max_bytes: 512 });
            check_offsets(&items, data.len() as u64);
        }

        #[test]
        fn arbitrary_bytes_after_valid_records(bytes in proptest::collection::vec(any::<u8>(), 0..1024), gzip in any::<bool>()) {
            let fx = fixture();
            let mut data = if gzip { gz(&fx) } else { plain(&fx) };
            data.extend_from_slice(&bytes);
            let items = read_all(&data, 0, limits());
            check_offsets(&items, data.len() as u64);
            prop_assert_eq!(bodies(&items)[..4].to_vec(), expected(&fx));
        }

        #[test]
        fn truncation_keeps_every_record_before_the_cut(cut in 0.0f64..1.0, gzip in any::<bool>()) {
            let fx = fixture();
            let mut data = if gzip { gz(&fx) } else { plain(&fx) };
            let cut = (data.len() as f64 * cut) as usize;
            data.truncate(cut);
            let items = read_all(&data, 0, limits());
            check_offsets(&items, data.len() as u64);
            let want: Vec<Vec<u8>> = ends(&fx, gzip, true).into_iter().filter(|(end, _)| *end <= cut).filter_map(|(_, p)| p).collect();
            prop_assert_eq!(bodies(&items), want);
            prop_assert!(errors(&items).len() <= 1, "{:?}", items);
            // Resuming from any offset terminates too.
            for i in &items {
                let rest = read_all(&data, i.next_offset(), limits());
                check_offsets(&rest, data.len() as u64);
            }
        }

        #[test]
        fn corruption_keeps_every_record_before_the_damage(
            at in 0.0f64..1.0,
            junk in proptest::collection::vec(any::<u8>(), 1..6),
            gzip in any::<bool>(),
        ) {
            let fx = fixture();
            let mut data = if gzip { gz(&fx) } else { plain(&fx) };
            let at = ((data.len() - junk.len()) as f64 * at) as usize;
            data[at..at + junk.len()].copy_from_slice(&junk);
            let items = read_all(&data, 0, limits());
            check_offsets(&items, data.len() as u64);
            let before: Vec<Vec<u8>> = ends(&fx, gzip, false).into_iter().filter(|(end, _)| *end <= at).filter_map(|(_, p)| p).collect();
            let got = bodies(&items);
            prop_assert!(got.len() >= before.len(), "{:?}", items);
            prop_assert_eq!(&got[..before.len()], &before[..]);
            if gzip {
                // CRCs protect the rest: whatever comes out is a real page.
                let all = expected(&fx);
                prop_assert!(got.iter().all(|g| all.contains(g)));
            }
        }
    }
}
