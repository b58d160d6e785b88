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
//!   chunked transfer encoding and gzip/deflate/br content encoding undone; since
//!   archives often store payloads already decoded under the original headers
//!   (Common Crawl does), each is undone only when the bytes look encoded.
//!   `charset` comes from the HTTP Content-Type, lowercased; the record's
//!   `WARC-Payload-Digest`, when present, is passed on as written.
//! - `resource` records with those Content-Types (the block is the payload).
//! - Nothing, silently: responses for `/robots.txt`; successful responses
//!   holding a feed or sitemap (RSS, Atom, JSON Feed, sitemap or sitemap
//!   index, recognised by their bytes under an XML or JSON media type: a
//!   crawler fetched them to find pages, they are not failed pages);
//!   `warcinfo`, `request`, `metadata`, `revisit`,
//!   `conversion`, `continuation` and unknown record types; responses with a
//!   1xx, 3xx (redirects), 4xx or 5xx status, or 204; DNS lookups; resources
//!   of other types under non-web (`urn:`, …) addresses.
//! - An `Item::Error` with category `truncated`: a response whose payload
//!   the archive did not keep (`WARC-Truncated` and no payload).
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

use crate::sniff::{arc_fields, is_arc_header, is_warc_line};
use crate::{DocKind, Item, ItemError, RawPage, ReadError, ReadLimits};

mod gzip;
mod http;
mod peek;
mod record;
#[cfg(test)]
mod tests;
pub mod write;

use gzip::*;
use http::*;
use peek::*;
use record::*;

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
const WARC_LINE: &[u8] = b"WARC/";
/// Longest ARC header line looked at when resynchronising.
const MAX_ARC_LINE: usize = 8192;

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
    Member(Box<Member>),
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
            Src::Member(m) => Some((*m).into_inner().into_inner()),
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
            self.src = Src::Member(Box::new(PeekReader::new(GzDecoder::new(raw), 0, MEMBER_BUF)));
        }
        let start = self.member_start;
        let Src::Member(m) = &mut self.src else {
            return Step::Eof;
        };
        let m = &mut **m;
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
            Parsed::Record {
                outcome,
                block_start,
                header,
            } => match after_record(m, false) {
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
                    self.recover_member(block_start, &header, record, BAD_LENGTH.to_string())
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
                header,
            } => {
                let reason = format!("Content-Length {len} runs past the end of the record's gzip member");
                if block_start > REWIND_LIMIT {
                    let next = self.leave_member().map_or(start, |r| r.pos);
                    return Step::Item(error_item(start, next, record, "bad length", reason));
                }
                if let Err(e) = self.rewind_member(block_start) {
                    return self.gzip_failure(e, record);
                }
                self.recover_member(block_start, &header, record, reason)
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
        let m = &mut **m;
        match scan_to_record(m, at_line_start) {
            Ok(true) => Step::Item(error_item(start, start, record, category, reason)),
            Ok(false) => {
                let next = self.leave_member().map_or(start, |r| r.pos);
                Step::Item(error_item(start, next, record, category, reason))
            }
            Err(e) => self.gzip_failure(e, record),
        }
    }

    /// A record whose Content-Length is wrong, in a gzip member positioned
    /// at its block start: finds where the next record (or the member)
    /// starts, and reads the block again with that length. A page when that
    /// works; else the `bad length` error, reading going on at the next
    /// record as [`resync_member`](Self::resync_member) does.
    fn recover_member(&mut self, block_start: u64, h: &WarcHeader, record: Option<String>, reason: String) -> Step {
        let start = self.member_start;
        let Src::Member(m) = &mut self.src else {
            return Step::Eof;
        };
        let m = &mut **m;
        let found = match scan_to_record(m, true) {
            Ok(f) => f,
            Err(e) => return self.gzip_failure(e, record),
        };
        let to = m.pos;
        let len = to.saturating_sub(block_start);
        let mut page = None;
        if len <= self.limits.max_bytes.saturating_add(MAX_HEAD as u64) {
            if let Err(e) = self.rewind_member(block_start) {
                return self.gzip_failure(e, record);
            }
            let Src::Member(m) = &mut self.src else {
                return Step::Eof;
            };
            let mut region = Vec::with_capacity(len as usize);
            match (&mut **m).take(len).read_to_end(&mut region) {
                Ok(_) => page = reread_block(region, h, &self.limits),
                Err(e) => return self.gzip_failure(e, record),
            }
        }
        // Within the member the next record shares its start as offset;
        // at the member's end, reading goes on after it.
        let next = if found {
            start
        } else {
            if let Src::Member(m) = &mut self.src {
                // Reach the member's end so that its trailer is checked.
                if let Err(e) = io::copy(&mut **m, &mut io::sink()) {
                    return self.gzip_failure(e, record);
                }
            }
            self.leave_member().map_or(start, |r| r.pos)
        };
        match page {
            Some(p) => Step::Item(Item::Page(RawPage {
                offset: start,
                next_offset: next,
                ..p
            })),
            None => Step::Item(error_item(start, next, record, "bad length", reason)),
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
        self.src = Src::Member(Box::new(PeekReader::new(GzDecoder::new(raw), 0, MEMBER_BUF)));
        let Src::Member(m) = &mut self.src else {
            return Err(io::Error::other("archive no longer open"));
        };
        let m = &mut **m;
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
        Parsed::Record {
            outcome,
            block_start,
            header,
        } => match after_record(raw, true)? {
            After::End | After::Next => outcome.finish(start, raw.pos),
            After::Junk => {
                // Too short, or too long but not past the end of the file: in
                // both cases the next record starts somewhere after the block
                // start, possibly inside what the length claimed.
                let record = outcome.record();
                raw.seek_to(block_start)?;
                let found = scan_to_record(raw, true)?;
                let next = raw.pos;
                if found {
                    if let Some(page) = reread_plain(raw, block_start, next, &header, limits)? {
                        return Ok(Step::Item(Item::Page(RawPage {
                            offset: start,
                            next_offset: next,
                            ..page
                        })));
                    }
                }
                Step::Item(error_item(start, next, record, "bad length", BAD_LENGTH))
            }
        },
        Parsed::BadHeader {
            category,
            reason,
            at_line_start,
            record,
        } => {
            scan_to_record(raw, at_line_start)?;
            Step::Item(error_item(start, raw.pos, record, category, reason))
        }
        Parsed::Short {
            block_start,
            len,
            record,
            header,
        } => {
            // Either the file is cut inside this record, or the length is a lie
            // that swallowed the records after it: look inside the block for
            // the next record header to tell which, and to recover them.
            raw.seek_to(block_start)?;
            if scan_to_record(raw, true)? {
                let next = raw.pos;
                if let Some(page) = reread_plain(raw, block_start, next, &header, limits)? {
                    return Ok(Step::Item(Item::Page(RawPage {
                        offset: start,
                        next_offset: next,
                        ..page
                    })));
                }
                let reason = format!("Content-Length {len} runs past the next record");
                Step::Item(error_item(start, next, record, "bad length", reason))
            } else {
                let reason = format!("the file ends inside the record (Content-Length {len})");
                Step::Item(error_item(start, raw.pos, record, "truncated", reason))
            }
        }
    })
}

/// Reads `[from, to)` of a plain archive (the true block of a record with
/// a wrong Content-Length, up to the next record) and parses it as `h`'s
/// block. Leaves the file at `to`. Regions larger than a page may be are
/// not read.
fn reread_plain(raw: &mut Raw, from: u64, to: u64, h: &WarcHeader, limits: &ReadLimits) -> io::Result<Option<RawPage>> {
    let len = to.saturating_sub(from);
    if len > limits.max_bytes.saturating_add(MAX_HEAD as u64) {
        return Ok(None);
    }
    raw.seek_to(from)?;
    let mut region = Vec::with_capacity(len as usize);
    (&mut *raw).take(len).read_to_end(&mut region)?;
    raw.seek_to(to)?;
    Ok(reread_block(region, h, limits))
}

/// One record read from the decompressed stream.
enum Parsed {
    /// Nothing left but whitespace.
    Eof,
    /// A complete record; its block has been consumed. `block_start` is
    /// where to look for the next record if what follows the block is not
    /// one; `header` is kept to read the block again with the right length.
    Record {
        outcome: Verdict,
        block_start: u64,
        header: Box<WarcHeader>,
    },
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
        header: Box<WarcHeader>,
    },
}

/// What a complete record means, before offsets are attached.
enum Verdict {
    Page(RawPage),
    Skip,
    Error(ItemError),
}

impl Verdict {
    fn record(&self) -> Option<String> {
        match self {
            Verdict::Page(p) => p.warc_record_id.clone().or_else(|| p.url.clone()),
            Verdict::Error(e) => e.record.clone(),
            Verdict::Skip => None,
        }
    }

    fn finish(self, offset: u64, next_offset: u64) -> Step {
        match self {
            Verdict::Skip => Step::Skipped,
            Verdict::Page(p) => Step::Item(Item::Page(RawPage {
                offset,
                next_offset,
                ..p
            })),
            Verdict::Error(e) => Step::Item(Item::Error(ItemError {
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

fn outcome_error(h: &WarcHeader, category: &'static str, reason: impl Into<String>) -> Verdict {
    Verdict::Error(ItemError {
        record: h.name(),
        category,
        reason: reason.into(),
        ..Default::default()
    })
}
