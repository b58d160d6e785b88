//! Splits a parsed page into text blocks (paragraphs, headings, list items,
//! cells) and records, for each, what a reader would use to judge it: its
//! length, how much of it is link text, and which "boilerplate-looking"
//! container it sits in.

use crate::html::{AttrName, Dom, Tag, NONE};
use crate::patterns;
use std::collections::HashMap;
/// What kind of text a block is, for layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of running text.
    Paragraph,
    /// A heading of the given level.
    Heading(u8),
    /// An item of a list.
    ListItem,
    /// Quoted text.
    Quote,
    /// Preformatted text.
    Pre,
    /// A table cell.
    Cell,
}

/// One block of text.
#[derive(Debug, Clone)]
pub struct Block {
    /// Layout kind.
    pub kind: BlockKind,
    /// Whitespace-normalised text.
    pub text: String,
    /// The element the text sits in (nearest block-level ancestor).
    pub owner: u32,
    /// Characters of text.
    pub chars: u32,
    /// Characters of text inside links.
    pub link_chars: u32,
    /// Deepest ancestor that looks like boilerplate (by tag, class, id or role), or NONE.
    pub neg: u32,
    /// The table row the block sits in, or NONE.
    pub row: u32,
    /// The list the block belongs to (for list items), or NONE.
    pub list: u32,
}

impl Block {
    /// Share of the text inside links.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// Per-node facts computed once while segmenting.
pub struct Segmented {
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// Whether each node looks like boilerplate by itself.
    pub negative: Vec<bool>,
    /// Whether each node is marked as the article body by its markup.
    pub positive: Vec<bool>,
}

#[derive(Clone, Copy)]
struct Ctx {
    node: u32,
    block: bool,
    neg: u32,
    link: bool,
    kind: BlockKind,
    pre: bool,
    row: u32,
    list: u32,
}

struct Acc {
    text: String,
    chars: u32,
    link_chars: u32,
    pending_space: bool,
}

/// Segments the subtree of `root` into blocks.
pub fn segment(dom: &Dom, root: u32) -> Segmented {
    let n = dom.nodes.len();
    let mut negative = vec![false; n];
    let mut positive = vec![false; n];
    let mut blocks = Vec::new();
    let mut acc = Acc {
        text: String::new(),
        chars: 0,
        link_chars: 0,
        pending_space: false,
    };
    let mut stack: Vec<Ctx> = Vec::with_capacity(64);
    let base = Ctx {
        node: root,
        block: true,
        neg: NONE,
        link: false,
        kind: BlockKind::Paragraph,
        pre: false,
        row: NONE,
        list: NONE,
    };

    let mut runs: Option<Runs> = None;
    let mut class_marks = ClassMarks::default();
    let mut data_tables = DataTables::default();
    let mut i = root;
    'walk: loop {
        let node = dom.node(i);
        let mut descend = false;
        let parent_ctx = *stack.last().unwrap_or(&base);
        let attrs = Attrs::of(dom, i);
        match node.tag {
            Tag::Text => {
                push_text(&mut acc, dom.text_of(i), parent_ctx.link, parent_ctx.pre);
            }
            Tag::Br => {
                if !acc.text.is_empty() {
                    acc.text.push('\n');
                    acc.pending_space = false;
                }
            }
            tag if skip_element(&attrs, tag) => {}
            tag => {
                let (mut is_neg, is_pos) = classify(&attrs, tag, &mut class_marks);
                if is_neg && matches!(tag, Tag::Tr | Tag::Td | Tag::Th) && data_tables.row_of_data(dom, i, tag) {
                    // A row of a data table is data: its class names what the
                    // row holds (a sports `player-…` row, an `ad-…` spend
                    // figure), not page furniture, which is never one row of
                    // many alike.
                    is_neg = false;
                }
                let mut block = tag.is_block();
                // Inline content is part of its paragraph: a link or span in
                // running text stays in it whatever its class says (an
                // auto-linked tag, a ticker symbol), and an unknown element
                // (`<person>`) in running text is inline, as browsers lay it out.
                if (is_neg && !block) || tag == Tag::Other {
                    let runs = runs.get_or_insert_with(|| Runs::new(dom));
                    if runs.in_running_text(dom, i) {
                        if tag == Tag::Other && !runs.has_block[i as usize] {
                            block = false;
                        }
                        if !block {
                            is_neg = false;
                        }
                    }
                }
                negative[i as usize] = is_neg;
                positive[i as usize] = is_pos;
                let block = block || is_neg;
                if block {
                    flush(&mut acc, &mut blocks, &parent_ctx);
                }
                let kind = match tag {
                    t if t.heading_level().is_some() => BlockKind::Heading(t.heading_level().unwrap_or(2)),
                    Tag::Li | Tag::Dd | Tag::Dt => BlockKind::ListItem,
                    Tag::Blockquote => BlockKind::Quote,
                    Tag::Pre => BlockKind::Pre,
                    Tag::Td | Tag::Th => BlockKind::Cell,
                    Tag::P | Tag::Div => match parent_ctx.kind {
                        BlockKind::Heading(_) | BlockKind::Cell | BlockKind::Quote | BlockKind::ListItem => {
                            parent_ctx.kind
                        }
                        _ => BlockKind::Paragraph,
                    },
                    _ => parent_ctx.kind,
                };
                let ctx = Ctx {
                    node: if block { i } else { parent_ctx.node },
                    block,
                    neg: if is_neg { i } else { parent_ctx.neg },
                    link: parent_ctx.link || tag == Tag::A,
                    kind,
                    pre: parent_ctx.pre || tag == Tag::Pre,
                    row: if tag == Tag::Tr {
                        i
                    } else if tag == Tag::Table {
                        NONE
                    } else {
                        parent_ctx.row
                    },
                    list: if matches!(tag, Tag::Ul | Tag::Ol | Tag::Dl) {
                        i
                    } else {
                        parent_ctx.list
                    },
                };
                if node.first_child != NONE {
                    stack.push(ctx);
                    descend = true;
                } else if block {
                    flush(&mut acc, &mut blocks, &ctx);
                }
            }
        }
        if descend {
            i = node.first_child;
            continue;
        }
        // Leave finished nodes, closing their blocks.
        loop {
            if i == root {
                break 'walk;
            }
            let n = dom.node(i);
            if n.next_sibling != NONE {
                i = n.next_sibling;
                continue 'walk;
            }
            i = n.parent;
            if let Some(ctx) = stack.pop() {
                if ctx.block {
                    flush(&mut acc, &mut blocks, &ctx);
                }
            }
        }
    }
    flush(&mut acc, &mut blocks, &base);
    Segmented {
        blocks,
        negative,
        positive,
    }
}

/// Which inline elements sit in running text, computed once per page when
/// first needed (linear passes over the nodes).
struct Runs {
    /// The element holds a known block element (an unknown element that
    /// does is a container, not inline).
    has_block: Vec<bool>,
    /// Another member of the element's inline run (its siblings between two
    /// blocks) holds words outside links.
    run_has_words: Vec<bool>,
    /// Links in the element's subtree (saturating).
    links: Vec<u8>,
}

impl Runs {
    fn new(dom: &Dom) -> Runs {
        let n = dom.nodes.len();
        // Words outside links: link text beside a link is a link list, not prose.
        let mut words = vec![false; n];
        let mut has_block = vec![false; n];
        let mut links = vec![0u8; n];
        for i in (1..n).rev() {
            let node = &dom.nodes[i];
            match node.tag {
                Tag::Text => words[i] = dom.text_of(i as u32).chars().any(char::is_alphanumeric),
                Tag::A => {
                    words[i] = false;
                    links[i] = links[i].saturating_add(1);
                }
                // Invisible: neither words nor blocks count (an SVG icon's parts).
                t if never_text(t) => {
                    words[i] = false;
                    has_block[i] = false;
                }
                _ => {}
            }
            if node.parent != NONE {
                let p = node.parent as usize;
                words[p] |= words[i];
                has_block[p] |= has_block[i] || is_layout_block(node.tag, false);
                links[p] = links[p].saturating_add(links[i]);
            }
        }
        let mut run_has_words = vec![false; n];
        let mut run: Vec<u32> = Vec::new();
        for p in 0..n as u32 {
            if dom.node(p).first_child == NONE {
                continue;
            }
            let mut c = dom.node(p).first_child;
            loop {
                let end = c == NONE || is_layout_block(dom.node(c).tag, has_block[c as usize]);
                if end {
                    let count = run.iter().filter(|&&m| words[m as usize]).count();
                    for &m in &run {
                        run_has_words[m as usize] = count > usize::from(words[m as usize]);
                    }
                    run.clear();
                } else {
                    run.push(c);
                }
                if c == NONE {
                    break;
                }
                c = dom.node(c).next_sibling;
            }
        }
        Runs {
            has_block,
            run_has_words,
            links,
        }
    }

    /// Is element `i` part of a paragraph's running text: words beside it in
    /// its run, or beside an inline ancestor that wraps only it (an inline
    /// element holding several links is a widget, such as a hover card).
    fn in_running_text(&self, dom: &Dom, i: u32) -> bool {
        let mut cur = i;
        while cur != NONE {
            if self.run_has_words[cur as usize] {
                return true;
            }
            let p = dom.node(cur).parent;
            if p == NONE || is_layout_block(dom.node(p).tag, self.has_block[p as usize]) || self.links[p as usize] > 1 {
                return false;
            }
            cur = p;
        }
        false
    }
}

/// Does an element start a new block of text? Known block elements do; an
/// unknown one does when it holds a block.
fn is_layout_block(tag: Tag, holds_block: bool) -> bool {
    match tag {
        Tag::Text | Tag::Br => false,
        Tag::Other => holds_block,
        t => t.is_block() && !never_text(t),
    }
}

fn push_text(acc: &mut Acc, text: &str, link: bool, pre: bool) {
    let before = acc.chars;
    // Runs of ordinary characters are copied whole (one push per run, not
    // per character: this loop sees every character of the page's text).
    let mut run = 0; // byte offset where the current run starts
    let mut run_chars: u32 = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most of a page's text is ASCII: its bytes are judged without
        // decoding a char (decoding and the Unicode whitespace lookup per
        // character were this loop's cost in the issue-16 profile). Every
        // character the slow path treats specially is either ASCII
        // whitespace or non-ASCII, so the two paths agree.
        let b = bytes[at];
        let c = if b < 0x80 {
            at += 1;
            if !b.is_ascii_whitespace() && b != 0x0b {
                if run_chars == 0 {
                    run = at - 1;
                }
                run_chars += 1;
                continue;
            }
            b as char
        } else {
            let Some(c) = text[at..].chars().next() else { break };
            at += c.len_utf8();
            let ordinary =
                !c.is_whitespace() && !matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}' | '\u{200c}' | '\u{200d}');
            if ordinary {
                if run_chars == 0 {
                    run = at - c.len_utf8();
                }
                run_chars += 1;
                continue;
            }
            c
        };
        let start = at - c.len_utf8();
        push_run(acc, &text[run..start], run_chars);
        run_chars = 0;
        if c.is_whitespace() && !(pre && c == '\n') {
            if !acc.text.is_empty() && !acc.text.ends_with('\n') {
                acc.pending_space = true;
            }
        } else if c == '\n' {
            acc.text.push('\n');
            acc.pending_space = false;
        }
        // (Zero-width characters and soft hyphens are dropped.)
    }
    push_run(acc, &text[run..], run_chars);
    if link {
        acc.link_chars += acc.chars - before;
    }
}

/// Appends a run of ordinary characters (`chars` of them), after the space
/// a whitespace before it left pending.
fn push_run(acc: &mut Acc, run: &str, chars: u32) {
    if chars == 0 {
        return;
    }
    if acc.pending_space {
        acc.text.push(' ');
        acc.pending_space = false;
    }
    acc.text.push_str(run);
    acc.chars += chars;
}

fn flush(acc: &mut Acc, blocks: &mut Vec<Block>, ctx: &Ctx) {
    let text = acc.text.trim();
    if acc.chars > 0 && !text.is_empty() {
        blocks.push(Block {
            kind: ctx.kind,
            text: text.to_string(),
            owner: ctx.node,
            chars: acc.chars,
            link_chars: acc.link_chars,
            neg: ctx.neg,
            row: ctx.row,
            list: ctx.list,
        });
    }
    acc.text.clear();
    acc.chars = 0;
    acc.link_chars = 0;
    acc.pending_space = false;
}

/// The text of `root`'s subtree as a reader sees it: hidden and invisible
/// elements left out, a space where blocks and line breaks separate words
/// (`<span>Headline</span><div>Site</div>` is "Headline Site"), whitespace
/// collapsed.
pub fn visible_text(dom: &Dom, root: u32) -> String {
    visible_text_within(dom, root, usize::MAX).unwrap_or_default()
}

/// [`visible_text`] when it has at most `max_chars` characters, else `None`:
/// a caller that drops a long text is spared collecting the rest of a
/// container that holds a whole article.
pub fn visible_text_within(dom: &Dom, root: u32, max_chars: usize) -> Option<String> {
    let mut out = String::new();
    // Characters in `out`; counted only when there is a limit to keep.
    let mut chars = 0usize;
    let bounded = max_chars != usize::MAX;
    let mut i = root;
    let mut gap = false;
    while i != NONE {
        let node = dom.node(i);
        let mut skip = false;
        match node.tag {
            Tag::Text => {
                let t = dom.text_of(i);
                gap |= t.starts_with(char::is_whitespace);
                for (k, w) in t.split_whitespace().enumerate() {
                    if (k > 0 || gap) && !out.is_empty() {
                        out.push(' ');
                        chars += 1;
                    }
                    out.push_str(w);
                    gap = false;
                    if bounded {
                        chars += w.chars().count();
                        // The text only grows: past the limit, it stays past.
                        if chars > max_chars {
                            return None;
                        }
                    }
                }
                gap |= t.ends_with(char::is_whitespace);
            }
            Tag::Br => gap = true,
            tag if i != root && skip_element(&Attrs::of(dom, i), tag) => skip = true,
            tag => gap |= is_layout_block(tag, true),
        }
        let next = dom.next_in(root, i, skip);
        if next != NONE && (skip || next != node.first_child) {
            // Leaving elements on the way to `next`: a block ends a word.
            let mut a = i;
            while a != NONE && a != root {
                gap |= is_layout_block(dom.node(a).tag, true);
                if dom.node(a).next_sibling == next {
                    break;
                }
                a = dom.node(a).parent;
            }
        }
        i = next;
    }
    Some(out)
}

/// Elements whose content is never text a reader sees.
fn never_text(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Head
            | Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Iframe
            | Tag::Object
            | Tag::Embed
            | Tag::Canvas
            | Tag::Video
            | Tag::Audio
            | Tag::Select
            | Tag::Option
            | Tag::Textarea
            | Tag::Input
            | Tag::Button
            | Tag::Title
            | Tag::Meta
            | Tag::Link
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Xmp
            | Tag::Frameset
            | Tag::Dialog
            | Tag::Map
    )
}

/// Which row groups (`<table>`, `<tbody>`, `<thead>`, `<tfoot>`) hold a data
/// table: at least [`DATA_ROWS`] rows, four in five of them with the same
/// number (two or more) of cells. Layout tables have few rows, or rows of
/// different shapes. Each group is judged once, so a table of any size (or
/// tables nested in cells) costs one pass over its rows.
#[derive(Default)]
struct DataTables {
    judged: std::collections::HashMap<u32, bool>,
}

/// Rows a data table has at least.
const DATA_ROWS: usize = 5;

impl DataTables {
    /// Whether `i`, a `<tr>`, `<td>` or `<th>`, is a row or cell of a data table.
    fn row_of_data(&mut self, dom: &Dom, i: u32, tag: Tag) -> bool {
        let row = if tag == Tag::Tr { i } else { dom.node(i).parent };
        if row == NONE || dom.node(row).tag != Tag::Tr {
            return false;
        }
        let group = dom.node(row).parent;
        if group == NONE {
            return false;
        }
        *self.judged.entry(group).or_insert_with(|| {
            let cells = |r: u32| {
                dom.children(r)
                    .filter(|&c| matches!(dom.node(c).tag, Tag::Td | Tag::Th))
                    .count()
            };
            let mut shapes: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
            let mut rows = 0;
            for r in dom.children(group).filter(|&c| dom.node(c).tag == Tag::Tr) {
                rows += 1;
                *shapes.entry(cells(r)).or_default() += 1;
            }
            let (width, alike) = shapes.into_iter().max_by_key(|&(w, k)| (k, w)).unwrap_or((0, 0));
            rows >= DATA_ROWS && width >= 2 && alike * 5 >= rows * 4
        })
    }
}

/// Elements whose content is never article text.
/// The attributes the segmenter reads, gathered in one pass over an
/// element's attributes (each name is kept once): a lookup per name was a
/// scan of the list each, eight per element of the page.
#[derive(Default)]
struct Attrs<'a> {
    hidden: bool,
    aria_hidden: Option<&'a str>,
    style: Option<&'a str>,
    itemprop: &'a str,
    class: &'a str,
    id: &'a str,
    testid: &'a str,
    role: &'a str,
}

impl<'a> Attrs<'a> {
    fn of(dom: &'a Dom, i: u32) -> Attrs<'a> {
        let mut out = Attrs::default();
        for (a, v) in dom.attrs_of(i) {
            match a {
                AttrName::Hidden => out.hidden = true,
                AttrName::AriaHidden => out.aria_hidden = Some(v),
                AttrName::Style => out.style = Some(v),
                AttrName::Itemprop => out.itemprop = v,
                AttrName::Class => out.class = v,
                AttrName::Id => out.id = v,
                AttrName::DataTestid => out.testid = v,
                AttrName::Role => out.role = v,
                _ => {}
            }
        }
        out
    }
}

fn skip_element(attrs: &Attrs, tag: Tag) -> bool {
    if never_text(tag) {
        return true;
    }
    if attrs.hidden {
        return true;
    }
    if attrs.aria_hidden == Some("true") && tag != Tag::Body {
        return true;
    }
    if let Some(style) = attrs.style {
        if patterns::style_hides(style) {
            return true;
        }
    }
    false
}

/// Each distinct class value's (positive, negative) verdict, once per page.
/// A page repeats a few dozen class values over thousands of elements (list
/// items, cards, links), and the pattern tests cost a scan of the value
/// against ~400 words each: asked per element they were the segmenter's
/// largest cost (issue 16 callgrind profile). Ids are nearly all distinct,
/// so they are not kept.
#[derive(Default)]
struct ClassMarks<'a> {
    seen: HashMap<&'a str, (bool, bool), foldhash::fast::RandomState>,
}

impl<'a> ClassMarks<'a> {
    fn of(&mut self, class: &'a str) -> (bool, bool) {
        if class.is_empty() {
            return (false, false);
        }
        *self
            .seen
            .entry(class)
            .or_insert_with(|| (patterns::is_positive(class), patterns::is_negative(class)))
    }
}

/// Whether an element looks like boilerplate, or like the article body, by its
/// own markup (tag, class, id, role, itemprop).
fn classify<'a>(attrs: &Attrs<'a>, tag: Tag, class_marks: &mut ClassMarks<'a>) -> (bool, bool) {
    if matches!(tag, Tag::Html | Tag::Body | Tag::Main) {
        // Page-level names (`articlepage-body`, a `<main class="main-sidebar">`
        // layout) describe the page, not a container: <main> is by definition
        // the page's main content.
        return (false, false);
    }
    let itemprop = attrs.itemprop;
    if itemprop.contains("articlebody") || itemprop == "text" && tag != Tag::Span {
        return (false, true);
    }
    let (class, id, testid) = (attrs.class, attrs.id, attrs.testid);
    let (class_pos, class_neg) = class_marks.of(class);
    if class_pos || patterns::is_positive(id) {
        return (false, true);
    }
    let tag_neg = matches!(
        tag,
        Tag::Nav
            | Tag::Aside
            | Tag::Footer
            | Tag::Header
            | Tag::Form
            | Tag::Figcaption
            | Tag::Figure
            | Tag::Menu
            | Tag::Address
            | Tag::Fieldset
            | Tag::Legend
            | Tag::Label
            | Tag::Caption
    );
    if tag_neg {
        return (true, false);
    }
    let role = attrs.role;
    let neg = class_neg
        || patterns::is_negative(id)
        || patterns::is_negative(testid)
        || matches!(
            role,
            "navigation"
                | "complementary"
                | "banner"
                | "contentinfo"
                | "dialog"
                | "search"
                | "menu"
                | "menubar"
                | "alert"
                | "toolbar"
        );
    (neg, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_within_is_the_visible_text_up_to_the_limit() {
        let dom = Dom::parse("<body><div><p>Jane  Doe</p><p>Staff <b>Writer</b></p></div></body>");
        let div = dom.elements(Tag::Div).next().expect("a div");
        let full = visible_text(&dom, div);
        assert_eq!(full, "Jane Doe Staff Writer");
        let n = full.chars().count();
        assert_eq!(visible_text_within(&dom, div, n).as_deref(), Some(full.as_str()));
        assert_eq!(visible_text_within(&dom, div, n - 1), None);
        let p = dom.elements(Tag::P).next().expect("a p");
        assert_eq!(visible_text_within(&dom, p, 8).as_deref(), Some("Jane Doe"));
        // The space between two words counts.
        assert_eq!(visible_text_within(&dom, p, 7), None);
    }
}
