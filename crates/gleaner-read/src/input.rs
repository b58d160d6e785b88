//! Finding inputs and reading their bytes under limits.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use flate2::read::MultiGzDecoder;

/// File name endings that `extract`'s directory walks pick up (each may also end in `.gz`).
pub const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "txt"];

/// What `ingest`'s directory walks pick up: pages plus archives (WARC, ARC,
/// and Common Crawl's WAT and WET), JSON Lines, feeds and sitemaps (each may
/// also end in `.gz`). A walk goes by name; what a file is, is then decided
/// by its bytes (`sniff`), and a file named on the command line is read
/// whatever its name.
pub const INGEST_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "txt", "warc", "arc", "wat", "wet", "jsonl", "ndjson", "xml", "rss", "rdf", "atom", "json",
];

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file. `display` is the path as the user gave it (or as found under a
    /// directory they gave); `rel` is its path relative to that directory, used
    /// to name output files without collisions.
    File {
        /// Path to open.
        path: PathBuf,
        /// Path relative to the directory it was found under (its file name otherwise).
        rel: PathBuf,
    },
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// The input as it should appear in messages and in `record.input.path`.
    pub fn display(&self) -> String {
        match self {
            Input::File { path, .. } => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// What a document's bytes were recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// Markup.
    Html,
    /// Plain text.
    Text,
}

/// Limits that protect a run from hostile inputs.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Largest input accepted, in bytes, after decompression.
    pub max_bytes: u64,
}

/// The default `max_bytes`: 20 MiB after decompression, for every front end
/// (`--max-bytes` of `extract` and `ingest`, uploads, the Python package).
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A document read into memory, not yet decoded.
#[derive(Debug, Clone)]
pub struct Document {
    /// The raw bytes (decompressed).
    pub bytes: Vec<u8>,
    /// Whether the input was gzip-compressed.
    pub gzipped: bool,
    /// Modification time of the file, when it is one.
    pub modified: Option<SystemTime>,
    /// Kind suggested by the file name, if it says.
    pub name_kind: Option<DocKind>,
}

/// Why one input could not be read. The run reports it and goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// Zero bytes (or only whitespace).
    #[error("empty input")]
    Empty,
    /// Bigger than `--max-bytes`.
    #[error("input is larger than the limit of {limit} bytes (--max-bytes)")]
    TooLarge {
        /// The limit that was exceeded.
        limit: u64,
    },
    /// The gzip stream ends early or is corrupt.
    #[error("truncated or corrupt gzip data: {0}")]
    BadGzip(String),
    /// The bytes are not text in any encoding.
    #[error("binary content, not a text or HTML page ({0})")]
    Binary(String),
    /// A path on the command line does not exist.
    #[error("no such file or directory")]
    NotFound,
    /// The bytes are something Gleaner has no reader for (another
    /// compression, an XML or JSON vocabulary that is not a feed or sitemap,
    /// a list of paths); the message says what they are.
    #[error("not a page, archive, feed or sitemap: {0}")]
    Unsupported(String),
}

/// Expands the user's inputs into files to read: directories are walked
/// recursively (iteratively, in sorted order, not following directory symlinks)
/// for `.html`, `.htm`, `.xhtml`, `.txt` and their `.gz` forms; files named
/// explicitly are taken whatever their name; `-` is standard input.
///
/// Inputs that do not exist come back as errors paired with the name given, so
/// the caller can report them like any other failed input.
pub fn discover(args: &[String]) -> (Vec<Input>, Vec<(String, ReadError)>) {
    discover_with(args, PAGE_EXTENSIONS)
}

/// [`discover`], walking directories for files ending in one of `extensions`.
pub fn discover_with(args: &[String], extensions: &[&str]) -> (Vec<Input>, Vec<(String, ReadError)>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg == "-" {
            found.push(Input::Stdin);
            continue;
        }
        let root = PathBuf::from(arg);
        match fs::metadata(&root) {
            Ok(m) if m.is_dir() => walk_dir(&root, extensions, &mut found, &mut errors),
            Ok(_) => {
                let rel = root.file_name().map(PathBuf::from).unwrap_or_else(|| root.clone());
                found.push(Input::File { path: root, rel });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => errors.push((arg.clone(), ReadError::NotFound)),
            Err(e) => errors.push((arg.clone(), ReadError::Io(e))),
        }
    }
    (found, errors)
}

fn walk_dir(root: &Path, extensions: &[&str], found: &mut Vec<Input>, errors: &mut Vec<(String, ReadError)>) {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.display().to_string(), ReadError::Io(e)));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if (ft.is_file() || (ft.is_symlink() && path.is_file())) && has_extension(&path, extensions) {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let rel = path
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.clone());
        found.push(Input::File { path, rel });
    }
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    // A name that is not UTF-8 (possible on Unix) is judged by its readable
    // part: the extension is ASCII, and skipping such files loses them.
    name_has_extension(
        &path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        extensions,
    )
}

/// Whether a file name ends in `.EXT` or `.EXT.gz` for one of `extensions`
/// (any case), with something before the dot: the test directory walks
/// apply, and the one uploads to the server pass ([`INGEST_EXTENSIONS`]).
pub fn name_has_extension(name: &str, extensions: &[&str]) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    extensions.iter().any(|ext| {
        name.len() > ext.len() + 1 && name.ends_with(ext) && name.as_bytes()[name.len() - ext.len() - 1] == b'.'
    })
}

fn kind_from_name(name: &str) -> Option<DocKind> {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        Some(DocKind::Html)
    } else if name.ends_with(".txt") {
        Some(DocKind::Text)
    } else {
        None
    }
}

/// Reads one input fully, decompressing gzip (recognised by its magic bytes,
/// whatever the name), and enforces `limits` on the decompressed size so that a
/// small compressed file cannot expand without bound.
pub fn read_input(input: &Input, limits: ReadLimits) -> Result<Document, ReadError> {
    let (reader, modified, name_kind, size): (Box<dyn Read>, _, _, u64) = match input {
        Input::Stdin => (Box::new(io::stdin().lock()), None, None, 0),
        Input::File { path, .. } => {
            let file = fs::File::open(path)?;
            let meta = file.metadata()?;
            // Checking the size before reading turns a 10 GB file into an instant error.
            // The compressed size of a gzip file can be smaller than its content, so the
            // decompressed size is checked again while reading.
            if meta.len() > limits.max_bytes {
                return Err(ReadError::TooLarge {
                    limit: limits.max_bytes,
                });
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (Box::new(file), meta.modified().ok(), kind_from_name(name), meta.len())
        }
    };
    let raw = read_limited(reader, limits.max_bytes, size)?;
    let mut doc = read_bytes(raw, limits)?;
    doc.modified = modified;
    doc.name_kind = name_kind;
    Ok(doc)
}

/// A page a library caller already holds in memory, read the way
/// [`read_input`] reads a file: the size limit, gzip by magic bytes (with the
/// same truncation and bomb checks) and the empty check. No name, so no kind
/// from it and no modification time.
pub fn read_bytes(raw: Vec<u8>, limits: ReadLimits) -> Result<Document, ReadError> {
    if raw.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let (bytes, gzipped) = if raw.starts_with(&[0x1f, 0x8b]) {
        (gunzip(&raw, limits.max_bytes)?, true)
    } else {
        (raw, false)
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    Ok(Document {
        bytes,
        gzipped,
        modified: None,
        name_kind: None,
    })
}

/// `size` is the expected length (a file's size; 0 when unknown): reserved up
/// front, the buffer is not regrown and copied while reading.
fn read_limited(reader: impl Read, limit: u64, size: u64) -> Result<Vec<u8>, ReadError> {
    // (+1: read_to_end probes for the end with one more byte.)
    let mut buf = Vec::with_capacity(size.min(limit).saturating_add(1) as usize);
    reader.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(buf)
}

fn gunzip(raw: &[u8], limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(limit as usize + 1));
    match MultiGzDecoder::new(raw).take(limit + 1).read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > limit => Err(ReadError::TooLarge { limit }),
        Ok(_) => Ok(out),
        Err(e) => Err(ReadError::BadGzip(e.to_string())),
    }
}

/// Decides whether decoded text is HTML or plain text, and refuses binary junk.
///
/// `name_kind` (from the file name) wins when it is given: a `.txt` file of
/// markup is the user's word for it. Otherwise markup is recognised by a tag
/// near the start.
pub fn sniff_kind(text: &str, name_kind: Option<DocKind>) -> Result<DocKind, ReadError> {
    check_not_binary(text)?;
    let head: String = text.chars().take(2048).collect::<String>().to_ascii_lowercase();
    let trimmed = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let looks_html = trimmed.starts_with('<')
        && [
            "<!doctype",
            "<html",
            "<head",
            "<body",
            "<meta",
            "<div",
            "<p",
            "<!--",
            "<?xml",
            "<title",
            "<article",
        ]
        .iter()
        .any(|t| head.contains(t));
    match name_kind {
        Some(k) => Ok(k),
        None if looks_html => Ok(DocKind::Html),
        None => Ok(DocKind::Text),
    }
}

/// Text whose first few kilobytes are largely control characters is binary data
/// that happened to decode (images, PDFs, archives), not a page.
fn check_not_binary(text: &str) -> Result<(), ReadError> {
    let mut total = 0usize;
    let mut control = 0usize;
    let mut replacement = 0usize;
    for c in text.chars().take(4096) {
        total += 1;
        if c == '\u{fffd}' {
            replacement += 1;
        } else if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    if total == 0 {
        return Err(ReadError::Empty);
    }
    if control * 10 > total {
        return Err(ReadError::Binary(format!(
            "{control} control characters in the first {total}"
        )));
    }
    if replacement * 4 > total {
        return Err(ReadError::Binary(format!(
            "{replacement} undecodable bytes in the first {total} characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gleaner-read-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn file(p: PathBuf) -> Input {
        Input::File {
            rel: p.clone(),
            path: p,
        }
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn reads_gzip_by_magic() {
        let p = tmp("a.html.gz", &gz(b"<p>hi</p>"));
        let d = read_input(&file(p), ReadLimits::default()).unwrap();
        assert!(d.gzipped);
        assert_eq!(d.bytes, b"<p>hi</p>");
        assert_eq!(d.name_kind, Some(DocKind::Html));
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let mut z = gz(&b"<p>hello world</p>".repeat(1000));
        z.truncate(z.len() / 2);
        let p = tmp("t.html.gz", &z);
        assert!(matches!(
            read_input(&file(p), ReadLimits::default()),
            Err(ReadError::BadGzip(_))
        ));
    }

    #[test]
    fn gzip_bomb_hits_the_limit() {
        let p = tmp("bomb.html.gz", &gz(&vec![b' '; 5_000_000]));
        let r = read_input(&file(p), ReadLimits { max_bytes: 1_000_000 });
        assert!(matches!(r, Err(ReadError::TooLarge { limit: 1_000_000 })));
    }

    #[test]
    fn empty_and_oversized() {
        let p = tmp("e.html", b"  \n ");
        assert!(matches!(
            read_input(&file(p), ReadLimits::default()),
            Err(ReadError::Empty)
        ));
        let p = tmp("big.html", &vec![b'a'; 2000]);
        assert!(matches!(
            read_input(&file(p), ReadLimits { max_bytes: 1000 }),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn binary_is_refused() {
        let junk: String = (0..3000u32).map(|i| char::from_u32(i % 32).unwrap()).collect();
        assert!(matches!(sniff_kind(&junk, None), Err(ReadError::Binary(_))));
        assert_eq!(sniff_kind("Just a note.\nSecond line.", None).unwrap(), DocKind::Text);
        assert_eq!(sniff_kind("  <!DOCTYPE html><html>", None).unwrap(), DocKind::Html);
    }

    #[test]
    fn walks_directories_sorted_with_page_names_only() {
        let root = std::env::temp_dir().join(format!("gleaner-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("sub")).unwrap();
        for n in ["b.html", "a.htm", "sub/c.txt.gz", "skip.png", "sub/d.xhtml", "html"] {
            fs::write(root.join(n), b"x").unwrap();
        }
        let (found, errs) = discover(&[root.display().to_string(), "/no/such/path".into()]);
        assert_eq!(errs.len(), 1);
        assert!(matches!(errs[0].1, ReadError::NotFound));
        let rels: Vec<String> = found
            .iter()
            .map(|i| match i {
                Input::File { rel, .. } => rel.display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(rels, ["a.htm", "b.html", "sub/c.txt.gz", "sub/d.xhtml"]);
    }
}
