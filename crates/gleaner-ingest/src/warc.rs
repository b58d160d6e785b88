//! A WARC archive as a stream of outcomes, for callers without a store (the
//! Python package, the Spark job).

use std::path::Path;

use gleaner_read::{Item, ReadError, ReadLimits, SourceKind, WarcReader};

use crate::item::{process_item, ItemSource, Outcome};

/// Opens a WARC archive (`.warc` or `.warc.gz`, gzip by magic bytes) for
/// [`WarcRecords`]. An empty file is an error ([`ReadError::Empty`]), as in
/// `gleaner ingest`, rather than an archive with nothing in it.
pub fn open_warc(path: &Path, limits: ReadLimits) -> Result<WarcReader, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if meta.len() == 0 {
        return Err(ReadError::Empty);
    }
    WarcReader::open(path, 0, limits)
}

/// A WARC archive as records and error rows, in archive order, one item at a
/// time on the calling thread. `source` becomes `input.path` of every record.
pub struct WarcRecords {
    reader: WarcReader,
    source: String,
    analyse: bool,
}

impl WarcRecords {
    /// The next raw item, unprocessed: for callers that extract items on
    /// several threads (see [`map_ordered`]) and call [`process_item`] there.
    pub fn next_item(&mut self) -> Option<Item> {
        self.reader.next()
    }

    /// How items of this archive are named in records and errors.
    pub fn source(&self) -> ItemSource<'_> {
        ItemSource {
            path: &self.source,
            kind: SourceKind::Warc,
            analyse: self.analyse,
        }
    }
}

impl Iterator for WarcRecords {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        let item = self.reader.next()?;
        Some(process_item(item, &self.source()))
    }
}

/// Opens `path` as a stream of [`Outcome`]s; `source` is the name records
/// carry as `input.path` (the CLI uses the path as given on its command line).
pub fn read_warc(path: &Path, source: &str, limits: ReadLimits, analyse: bool) -> Result<WarcRecords, ReadError> {
    Ok(WarcRecords {
        reader: open_warc(path, limits)?,
        source: source.to_string(),
        analyse,
    })
}
