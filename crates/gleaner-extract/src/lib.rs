//! The extract stage: one page in, the text-and-metadata part of a record out.
//!
//! This crate owns turning a decoded page into article text and metadata:
//! parsing HTML into a compact arena ([`html`]), splitting it into text blocks,
//! choosing the article's blocks ([`main_text`]), metadata from JSON-LD,
//! OpenGraph, `<meta>`, `<time>`, bylines and the URL, and syndication notices.
//! Plain-text reprints go through their own path. It reads nothing from disk
//! and knows nothing of inputs; the read stage hands it a `&str`.
//!
//! ```
//! use gleaner_extract::{extract, PageKind};
//!
//! let page = r#"<html lang="en"><head><title>Ferries halted | The Coastline Post</title>
//!   <meta property="og:title" content="Ferries halted as crews strike">
//!   <meta property="article:published_time" content="2024-04-18T09:00:00Z"></head>
//!   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Ferries halted as crews strike</h1><p class="byline">By Teodora Brandt</p>
//!   <p>LISBON (Reuters) - Ferry crossings between Lisbon and the south bank of the Tagus were
//!   largely halted on Thursday as crews walked out over new rosters, the operator said.</p>
//!   <p>About 60,000 passengers use the crossings on a normal weekday.</p></article>
//!   <footer>© The Coastline Post. All rights reserved.</footer></body></html>"#;
//!
//! let article = extract(page, PageKind::Html, Some("https://coastline.example/ferries"));
//! assert_eq!(article.meta.title.as_deref(), Some("Ferries halted as crews strike"));
//! assert_eq!(article.meta.published.as_deref(), Some("2024-04-18"));
//! assert_eq!(article.meta.authors, ["Teodora Brandt"]);
//! let text = article.text();
//! // The headline is the title, not the text's first line.
//! assert!(text.starts_with("LISBON (Reuters) - Ferry crossings between Lisbon"));
//! assert!(!text.contains("All rights reserved"));
//! assert!(!text.contains("Home"));
//! ```
#![warn(missing_docs)]

pub mod blocks;
pub mod dates;
pub mod html;
pub mod lang;
pub mod main_text;
pub mod metadata;
mod patterns;
pub mod plaintext;
pub mod syndication;

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
    match kind {
        PageKind::Html => {
            let dom = html::Dom::parse(page);
            let main = main_text::extract(&dom);
            let md = metadata::extract_near(&dom, url, main.blocks.first().map(|b| b.owner));
            let text_sample: String = main
                .blocks
                .iter()
                .take(30)
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let language = lang::choose(md.language.clone(), &text_sample);
            let mut blocks = main.blocks;
            // The headline is the record's title, not the first line of its
            // text (and Markdown would print it twice).
            if let Some(title) = md.title.as_deref().map(metadata::key) {
                if let Some(k) = blocks
                    .iter()
                    .take(3)
                    .position(|b| matches!(b.kind, BlockKind::Heading(_)) && metadata::key(&b.text) == title)
                {
                    blocks.remove(k);
                }
            }
            Article {
                meta: metadata::Metadata { language, ..md },
                syndication: None,
                blocks,
                removed: main.removed,
            }
            .with_html_syndication()
        }
        PageKind::Text => {
            let mut art = plaintext::extract(page);
            let sample: String = art
                .blocks
                .iter()
                .take(30)
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            art.meta.language = lang::choose(None, &sample);
            if art.meta.published.is_none() {
                art.meta.published = url.and_then(dates::date_from_url);
            }
            art
        }
    }
}
