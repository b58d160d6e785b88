//! Output formats and where they go.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use gleaner_read::Input;

use gleaner_ingest::Done;

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON record per line.
    Jsonl,
    /// Pretty-printed JSON: an array of records on stdout, one record per file with --out-dir.
    Json,
    /// The main text only.
    Text,
    /// Title and main text as Markdown.
    Markdown,
}

impl Format {
    /// File extension used with `--out-dir`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Text => "txt",
            Format::Markdown => "md",
        }
    }
}

/// Writes one finished input in `format`.
pub fn render(done: &Done, format: Format, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            serde_json::to_writer(&mut *out, &done.record)?;
            out.write_all(b"\n")
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &done.record)?;
            out.write_all(b"\n")
        }
        Format::Text => {
            out.write_all(done.record.text.as_bytes())?;
            out.write_all(b"\n")
        }
        Format::Markdown => out.write_all(done.article.markdown().as_bytes()),
    }
}

/// The output file for an input under `--out-dir`: its path relative to the
/// directory it was found in, with `.gz` and the page extension replaced by the
/// format's extension (`a/b.html.gz` → `OUT/a/b.txt`).
pub fn out_path(dir: &Path, input: &Input, format: Format) -> PathBuf {
    let rel = match input {
        Input::File { rel, .. } => rel.clone(),
        Input::Stdin => PathBuf::from("stdin"),
    };
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("stdin").to_string();
    let mut stem = name.as_str();
    if stem.to_ascii_lowercase().ends_with(".gz") {
        stem = &stem[..stem.len() - 3];
    }
    for ext in [".html", ".htm", ".xhtml", ".txt"] {
        if stem.len() > ext.len() && stem.to_ascii_lowercase().ends_with(ext) {
            stem = &stem[..stem.len() - ext.len()];
            break;
        }
    }
    let file = format!("{stem}.{}", format.extension());
    match rel.parent() {
        Some(p) if !p.as_os_str().is_empty() => dir.join(p).join(file),
        _ => dir.join(file),
    }
}

/// Whether an error chain ends in a broken pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_paths_strip_page_extensions() {
        let f = |rel: &str| Input::File {
            path: PathBuf::from(rel),
            rel: PathBuf::from(rel),
        };
        let d = Path::new("OUT");
        assert_eq!(out_path(d, &f("abc.html.gz"), Format::Text), Path::new("OUT/abc.txt"));
        assert_eq!(
            out_path(d, &f("sub/x.HTM"), Format::Jsonl),
            Path::new("OUT/sub/x.jsonl")
        );
        assert_eq!(out_path(d, &f("note.txt"), Format::Markdown), Path::new("OUT/note.md"));
        assert_eq!(out_path(d, &f("weird"), Format::Json), Path::new("OUT/weird.json"));
        assert_eq!(out_path(d, &Input::Stdin, Format::Text), Path::new("OUT/stdin.txt"));
    }
}
