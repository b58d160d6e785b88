//! The result of extracting one page, and its text renderings.

use crate::blocks::{Block, BlockKind};
use crate::metadata::Metadata;
use gleaner_record::Syndication;

/// What the extract stage found in one page.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// Title, authors, dates, publisher, language and canonical address.
    pub meta: Metadata,
    /// Article text blocks, in order.
    pub blocks: Vec<Block>,
    /// Pieces cut from inside the article.
    pub removed: Vec<String>,
    /// Reprint notice, when there is one.
    pub syndication: Option<Syndication>,
}

impl Article {
    /// Finds a reprint notice among the article's first and last paragraphs
    /// (moving it to `removed`) or a wire dateline in its first paragraph
    /// (which stays: it is part of the story).
    pub(crate) fn with_html_syndication(mut self) -> Self {
        let n = self.blocks.len();
        let candidates: Vec<usize> = (0..n.min(4)).chain(n.saturating_sub(4)..n).collect();
        for k in candidates {
            if let Some(s) = crate::syndication::notice(&self.blocks[k].text) {
                let b = self.blocks.remove(k);
                self.removed.push(b.text);
                self.syndication = Some(s);
                return self;
            }
        }
        if let Some(first) = self.blocks.first() {
            self.syndication = crate::syndication::wire_dateline(&first.text);
        }
        self
    }

    /// Plain text: paragraphs separated by a blank line, list items and table
    /// rows on lines of their own, cells of a row joined by ` | `.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<&Block> = None;
        for b in &self.blocks {
            if let Some(p) = prev {
                let same_row = b.kind == BlockKind::Cell
                    && p.kind == BlockKind::Cell
                    && b.row != crate::html::NONE
                    && b.row == p.row;
                let same_list = b.kind == BlockKind::ListItem && p.kind == BlockKind::ListItem && b.list == p.list;
                let new_row = b.kind == BlockKind::Cell && p.kind == BlockKind::Cell && !same_row;
                out.push_str(if same_row {
                    " | "
                } else if same_list || new_row {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(&b.text);
            prev = Some(b);
        }
        out
    }

    /// Markdown: `#` headings, `-` list items, `>` quotes, tables as pipe rows,
    /// under a title line.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        if let Some(t) = &self.meta.title {
            out.push_str("# ");
            out.push_str(t);
            out.push_str("\n\n");
        }
        let mut prev: Option<&Block> = None;
        for b in &self.blocks {
            if let Some(p) = prev {
                let same_row = b.kind == BlockKind::Cell
                    && p.kind == BlockKind::Cell
                    && b.row == p.row
                    && b.row != crate::html::NONE;
                let tight = (b.kind == BlockKind::ListItem && p.kind == BlockKind::ListItem && b.list == p.list)
                    || (b.kind == BlockKind::Cell && p.kind == BlockKind::Cell);
                if same_row {
                    out.push_str(" | ");
                    out.push_str(&b.text.replace('\n', " "));
                    prev = Some(b);
                    continue;
                }
                out.push_str(if tight { "\n" } else { "\n\n" });
            }
            match b.kind {
                BlockKind::Heading(level) => {
                    out.push_str(&"#".repeat(usize::from(level.clamp(2, 6))));
                    out.push(' ');
                    out.push_str(&b.text);
                }
                BlockKind::ListItem => {
                    out.push_str("- ");
                    out.push_str(&b.text);
                }
                BlockKind::Quote => {
                    out.push_str("> ");
                    out.push_str(&b.text.replace('\n', "\n> "));
                }
                BlockKind::Pre => {
                    out.push_str("```\n");
                    out.push_str(&b.text);
                    out.push_str("\n```");
                }
                BlockKind::Cell => {
                    out.push_str("| ");
                    out.push_str(&b.text.replace('\n', " "));
                }
                BlockKind::Paragraph => out.push_str(&b.text),
            }
            prev = Some(b);
        }
        out.push('\n');
        out
    }
}
