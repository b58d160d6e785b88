//! `POST /api/ingest`: an upload streamed to a private folder, then ingested.
//!
//! Nothing is read before the request may go on: ingest must be on, the
//! bearer token right, the kind known, the declared length within
//! `--max-body` and an upload slot free; otherwise the answer comes at once
//! and the connection is closed on the unread body. The body is written to
//! disk as it arrives (memory stays flat whatever its size) and counted, so a
//! body without a length cannot pass the limit either. Uploads live in a
//! folder only this process can use, created fresh (`tempfile`: a random name,
//! mode 0700, never an existing path or link) and removed on exit; folders
//! left by a killed server are removed at the next start.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use gleaner_ingest::{IngestOptions, Silent};
use gleaner_read::{name_has_extension, INGEST_EXTENSIONS};
use http_body_util::BodyExt;
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::api::ApiError;

/// The prefix of upload folders; the process id follows, so a later server
/// can tell which folders are left over.
const PREFIX: &str = "gleaner-uploads-";

/// Where uploads go while they are read and ingested.
pub struct UploadDir {
    dir: tempfile::TempDir,
}

impl UploadDir {
    /// A fresh private folder under the system's temporary folder, after
    /// removing those that servers no longer running left behind.
    pub fn create() -> std::io::Result<Self> {
        remove_stale(&std::env::temp_dir());
        use std::os::unix::fs::PermissionsExt;
        // Only this user may list or enter it (tempfile's default is 0755).
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()?;
        Ok(UploadDir { dir })
    }

    /// A new empty file for one upload, named with `extension` so its kind
    /// reads as the upload's name says.
    fn file(&self, extension: &str) -> std::io::Result<tempfile::NamedTempFile> {
        tempfile::Builder::new()
            .prefix("upload-")
            .suffix(extension)
            .tempfile_in(self.dir.path())
    }

    /// The folder.
    #[cfg(test)]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Removes upload folders of processes that are gone: only real folders
/// (not links) owned by this user, named by the prefix and a process id
/// that no longer runs.
fn remove_stale(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else { return };
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        use std::os::unix::fs::MetadataExt;
        if !meta.is_dir() || meta.uid() != me || pid == std::process::id() as i32 || process_alive(pid) {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

fn process_alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// The extension (`.warc.gz`, `.html`, …) of an upload, from `?name=` or
/// the Content-Type; the name itself, reduced to a safe file name, is what
/// records will carry (`upload:NAME`).
pub fn upload_kind(name: Option<String>, content_type: Option<&str>) -> Result<(String, String), ApiError> {
    let unsupported = |message: String| ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message);
    let name = match name {
        Some(n) => {
            let base = n.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            let safe: String = base
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "._-".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if safe.len() > 200 {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "name= is longer than 200 characters",
                ));
            }
            if safe.starts_with('.') || !name_has_extension(&safe, INGEST_EXTENSIONS) {
                let endings: Vec<String> = INGEST_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
                return Err(unsupported(format!(
                    "name={n:?}: give a file name ending in one of {} (each optionally .gz)",
                    endings.join(" ")
                )));
            }
            safe
        }
        None => {
            let ct = content_type
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let n = match ct.as_str() {
                "text/html" | "application/xhtml+xml" => "upload.html",
                "text/plain" => "upload.txt",
                "application/warc" => "upload.warc",
                "application/x-ndjson" | "application/jsonl" => "upload.jsonl",
                "application/rss+xml" | "application/atom+xml" | "application/xml" | "text/xml" => "upload.xml",
                "application/feed+json" => "upload.json",
                _ => return Err(unsupported(
                    "say what the body is: ?name=FILE.warc.gz (or .html, .txt, .jsonl, .xml …) or a Content-Type such as text/html or application/warc".into(),
                )),
            };
            n.to_string()
        }
    };
    let lower = name.to_ascii_lowercase();
    let gz = if lower.ends_with(".gz") { ".gz" } else { "" };
    let stem = &lower[..lower.len() - gz.len()];
    let ext = stem.rsplit_once('.').map_or("", |(_, e)| e);
    Ok((name, format!(".{ext}{gz}")))
}

/// The declared body length, when the request gives one.
pub fn declared_length(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    match headers.get(header::CONTENT_LENGTH) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "Content-Length is not a number")),
    }
}

/// Writes the body to a new file in `dir`, stopping at `max_body` bytes.
/// Answers the file (deleted when dropped) and its length.
pub async fn receive(
    dir: &UploadDir,
    extension: &str,
    mut body: Body,
    max_body: u64,
) -> Result<(tempfile::NamedTempFile, u64), ApiError> {
    let server_error = |e: std::io::Error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot keep the upload: {e}"),
        )
    };
    let temp = dir.file(extension).map_err(server_error)?;
    let mut file = tokio::fs::File::from_std(temp.reopen().map_err(server_error)?);
    let mut total: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("cannot read the body: {e}")))?;
        let Ok(data) = frame.into_data() else { continue };
        total += data.len() as u64;
        if total > max_body {
            return Err(too_large());
        }
        file.write_all(&data).await.map_err(server_error)?;
    }
    file.flush().await.map_err(server_error)?;
    Ok((temp, total))
}

pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "the body is larger than this server accepts (--max-body)",
    )
}

/// Runs one received upload through `gleaner ingest`'s engine, recorded as
/// `upload:NAME`; answers the run's summary as `--json` prints it.
pub fn ingest(db: &str, file: &Path, name: &str) -> Result<Value, String> {
    let mut store = gleaner_store::open(db).map_err(|e| format!("cannot open the store: {e}"))?;
    let summary = gleaner_ingest::ingest_named(
        &mut *store,
        file,
        &format!("upload:{name}"),
        &IngestOptions::default(),
        &mut Silent,
    )
    .map_err(|e| e.to_string())?;
    serde_json::to_value(summary).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names() {
        let name = |n: &str| upload_kind(Some(n.into()), None).ok();
        assert_eq!(
            name("../../etc/x.warc.gz"),
            Some(("x.warc.gz".into(), ".warc.gz".into()))
        );
        assert_eq!(name("my page.html"), Some(("my_page.html".into(), ".html".into())));
        assert_eq!(name("feed.XML.gz"), Some(("feed.XML.gz".into(), ".xml.gz".into())));
        assert_eq!(
            name("lines.jsonl.gz"),
            Some(("lines.jsonl.gz".into(), ".jsonl.gz".into()))
        );
        assert!(name("x.exe").is_none());
        assert!(name(".html").is_none());
        let long = format!("{}.html", "a".repeat(300));
        assert_eq!(
            upload_kind(Some(long), None).err().map(|e| e.status_code()),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            upload_kind(None, Some("text/html; charset=utf-8")).ok(),
            Some(("upload.html".into(), ".html".into()))
        );
        assert!(upload_kind(None, Some("image/png")).is_err());
        assert!(upload_kind(None, None).is_err());
    }

    #[test]
    fn stale_folders_of_dead_processes_are_removed_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        // A pid that cannot be running (above pid_max on Linux).
        let dead = tmp.path().join(format!("{PREFIX}99999999-abc"));
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("upload-1.html"), b"x").unwrap();
        let alive = tmp.path().join(format!("{PREFIX}{}-def", std::process::id()));
        std::fs::create_dir(&alive).unwrap();
        let unrelated = tmp.path().join("gleaner-uploads-notapid-x");
        std::fs::create_dir(&unrelated).unwrap();
        // A link with the dead-process name, pointing at a folder that must survive.
        let target = tmp.path().join("precious");
        std::fs::create_dir(&target).unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join(format!("{PREFIX}99999998-lnk"))).unwrap();
        remove_stale(tmp.path());
        assert!(!dead.exists());
        assert!(alive.exists() && unrelated.exists() && target.exists());
    }

    #[test]
    fn upload_folders_are_private_and_fresh() {
        use std::os::unix::fs::PermissionsExt;
        let a = UploadDir::create().unwrap();
        let b = UploadDir::create().unwrap();
        assert_ne!(a.path(), b.path());
        let mode = std::fs::metadata(a.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let f = a.file(".warc.gz").unwrap();
        assert!(f.path().starts_with(a.path()));
        assert!(f.path().to_string_lossy().ends_with(".warc.gz"));
        let kept = a.path().to_path_buf();
        drop(f);
        drop(a);
        assert!(!kept.exists(), "the folder goes with the server");
    }
}
