//! A fast, forgiving HTML parser that builds a compact arena tree.
//!
//! Not a spec-complete HTML5 tree builder: it implements the parts that decide
//! which text belongs to which element on real news pages (implied `</p>`,
//! `</li>`, table cells, raw-text elements, character references, scope rules
//! for stray end tags) and skips what the extractor never reads (comments,
//! script bodies except JSON-LD, style sheets). That keeps it several times
//! faster than a full DOM. Nesting deeper than [`MAX_DEPTH`] is flattened
//! instead of followed, so hostile pages cannot exhaust memory or stack; every
//! walk over the tree is iterative.

mod char_refs;
mod char_refs_decode;
mod tags;

pub(crate) use tags::pack;
pub use tags::Tag;

use memchr::memchr;

/// Elements nested deeper than this become siblings of the deepest open one.
pub const MAX_DEPTH: usize = 400;

/// Sentinel for "no node".
pub const NONE: u32 = u32::MAX;

/// An attribute the extractor reads. Others are dropped while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum AttrName {
    Class,
    Id,
    Itemprop,
    Itemtype,
    Role,
    Name,
    Property,
    Content,
    Rel,
    Href,
    Datetime,
    Lang,
    Type,
    Style,
    Hidden,
    AriaHidden,
    Title,
    Alt,
    DataTestid,
}

impl AttrName {
    fn from_lower(name: &[u8]) -> Option<AttrName> {
        Some(match name {
            b"class" => AttrName::Class,
            b"id" => AttrName::Id,
            b"itemprop" => AttrName::Itemprop,
            b"itemtype" => AttrName::Itemtype,
            b"role" => AttrName::Role,
            b"name" => AttrName::Name,
            b"property" => AttrName::Property,
            b"content" => AttrName::Content,
            b"rel" => AttrName::Rel,
            b"href" => AttrName::Href,
            b"datetime" => AttrName::Datetime,
            b"lang" | b"xml:lang" => AttrName::Lang,
            b"type" => AttrName::Type,
            b"style" => AttrName::Style,
            b"hidden" => AttrName::Hidden,
            b"aria-hidden" => AttrName::AriaHidden,
            b"title" => AttrName::Title,
            b"alt" => AttrName::Alt,
            b"data-testid" | b"data-component" => AttrName::DataTestid,
            _ => return None,
        })
    }
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub struct Node {
    /// Element name, or [`Tag::Text`] / [`Tag::Document`].
    pub tag: Tag,
    /// Parent index ([`NONE`] for the document).
    pub parent: u32,
    /// First child index.
    pub first_child: u32,
    /// Last child index.
    pub last_child: u32,
    /// Next sibling index.
    pub next_sibling: u32,
    /// Text nodes: byte range in [`Dom::text`]. Elements: range in [`Dom::attrs`].
    pub range: (u32, u32),
}

/// A parsed page.
#[derive(Debug, Default)]
pub struct Dom {
    /// Nodes in document order; index 0 is the document. A parent always has a
    /// smaller index than its children, so reverse index order is a post-order.
    pub nodes: Vec<Node>,
    /// Decoded text of all text nodes, concatenated.
    pub text: String,
    /// Attributes kept, as (name, value range in `attr_text`).
    pub attrs: Vec<(AttrName, u32, u32)>,
    /// Decoded attribute values, concatenated.
    pub attr_text: String,
    /// Content of the first `<title>`.
    pub title: Option<String>,
    /// Contents of `<script type="application/ld+json">` blocks.
    pub json_ld: Vec<String>,
}

impl Dom {
    /// Parses a page.
    pub fn parse(html: &str) -> Dom {
        Builder::new(html).run()
    }

    /// The node at `i`.
    #[inline]
    pub fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    /// Text of a text node (empty for elements).
    #[inline]
    pub fn text_of(&self, i: u32) -> &str {
        let n = self.node(i);
        if n.tag == Tag::Text {
            &self.text[n.range.0 as usize..n.range.1 as usize]
        } else {
            ""
        }
    }

    /// Text of a text node without the whitespace at its ends: the same as
    /// `text_of(i).trim()`, faster.
    ///
    /// Most of a page's text nodes are the indentation between tags, and the
    /// metadata scans trim every text node of the page: `str::trim` decodes
    /// and classifies each character (15% of the visible-date scan in the
    /// issue-16 profile). `trim_ascii` cuts ASCII whitespace byte by byte
    /// first; it is all Unicode whitespace, so `trim` then only sees what is
    /// left.
    pub fn trimmed_text_of(&self, i: u32) -> &str {
        self.text_of(i).trim_ascii().trim()
    }

    /// Value of an attribute of an element.
    pub fn attr(&self, i: u32, name: AttrName) -> Option<&str> {
        let n = self.node(i);
        if n.tag == Tag::Text || n.tag == Tag::Document {
            return None;
        }
        self.attrs[n.range.0 as usize..n.range.1 as usize]
            .iter()
            .find(|a| a.0 == name)
            .map(|&(_, s, e)| &self.attr_text[s as usize..e as usize])
    }

    /// The attributes kept on a node, each name once (none on text).
    pub fn attrs_of(&self, i: u32) -> impl Iterator<Item = (AttrName, &str)> {
        let n = self.node(i);
        let range = if n.tag == Tag::Text || n.tag == Tag::Document {
            0..0
        } else {
            n.range.0 as usize..n.range.1 as usize
        };
        self.attrs[range]
            .iter()
            .map(|&(a, s, e)| (a, &self.attr_text[s as usize..e as usize]))
    }

    /// Children of a node.
    pub fn children(&self, i: u32) -> Children<'_> {
        Children {
            dom: self,
            next: self.node(i).first_child,
        }
    }

    /// The node following `i` in pre-order, staying inside `root`'s subtree.
    /// With `skip_children`, `i`'s own descendants are skipped.
    #[inline]
    pub fn next_in(&self, root: u32, i: u32, skip_children: bool) -> u32 {
        let n = self.node(i);
        if !skip_children && n.first_child != NONE {
            return n.first_child;
        }
        let mut cur = i;
        while cur != root {
            let c = self.node(cur);
            if c.next_sibling != NONE {
                return c.next_sibling;
            }
            cur = c.parent;
        }
        NONE
    }

    /// Every text of the subtree, concatenated (no layout).
    pub fn subtree_text(&self, root: u32) -> String {
        let mut out = String::new();
        let mut i = root;
        while i != NONE {
            if self.node(i).tag == Tag::Text {
                out.push_str(self.text_of(i));
            }
            i = self.next_in(root, i, false);
        }
        out
    }

    /// Elements with `tag`, in document order.
    pub fn elements(&self, tag: Tag) -> impl Iterator<Item = u32> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.tag == tag)
            .map(|(i, _)| i as u32)
    }
}

/// Iterator over a node's children.
pub struct Children<'a> {
    dom: &'a Dom,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let cur = self.next;
        self.next = self.dom.node(cur).next_sibling;
        Some(cur)
    }
}

/// The namespace of an open element: HTML, or the foreign content of an
/// inline `<svg>` or `<math>`, where tags follow XML-like rules (`<title/>`
/// closes itself, no raw-text elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

/// What the tree builder remembers of an open element besides its node.
#[derive(Debug, Clone, Copy)]
struct Open {
    /// The lowercase name packed by [`name_key`] (end tags of unknown and
    /// foreign elements are matched by name).
    key: u128,
    ns: Ns,
    /// An SVG `foreignObject`/`desc`/`title` or a MathML text element: its
    /// children are HTML again, and it bounds the scope of end tags.
    integration: bool,
}

const HTML_OPEN: Open = Open {
    key: 0,
    ns: Ns::Html,
    integration: false,
};

/// An element name as an integer, ASCII case folded: [`pack`] for names up
/// to 16 bytes, a fold of the rest beyond.
fn name_key(raw: &[u8]) -> u128 {
    let mut v = 0u128;
    for (i, &b) in raw.iter().enumerate() {
        let b = u128::from(b.to_ascii_lowercase());
        if i < 16 {
            v |= b << (8 * i);
        } else {
            v = v.rotate_left(7) ^ b;
        }
    }
    v
}

const KEY_SVG_INTEGRATION: [u128; 3] = [pack(b"foreignobject"), pack(b"desc"), pack(b"title")];
const KEY_MATH_TEXT: [u128; 5] = [pack(b"mi"), pack(b"mo"), pack(b"mn"), pack(b"ms"), pack(b"mtext")];
const KEY_ANNOTATION_XML: u128 = pack(b"annotation-xml");
const KEY_LISTING: u128 = pack(b"listing");

/// Facts about a start tag's attributes that decide how it is parsed,
/// gathered while scanning them (the attributes themselves are not kept).
#[derive(Default, Clone, Copy)]
struct TagFlags {
    /// `color`, `face` or `size`: a `<font>` with one of these ends foreign content.
    font_style: bool,
    /// `encoding="text/html"` (or XHTML): an `annotation-xml` holding HTML.
    html_encoding: bool,
}

struct Builder<'a> {
    src: &'a str,
    pos: usize,
    dom: Dom,
    /// Open elements; `stack[0]` is the document.
    stack: Vec<u32>,
    /// Parallel to `stack`: names and namespaces of the open elements.
    open_info: Vec<Open>,
    attr_scratch: Vec<(AttrName, u32, u32)>,
    seen_body: bool,
    seen_html: bool,
    seen_head: bool,
    /// How many elements of each tag are open, so that implied end tags need
    /// not search the stack for an element that is not there (which made
    /// 100,000 nested `<div>`s cost 400 steps each).
    open_count: [u32; 256],
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        let mut dom = Dom::default();
        // Typical pages: one node per ~60 bytes, half the bytes are text.
        dom.nodes.reserve(src.len() / 60 + 16);
        dom.text.reserve(src.len() / 3);
        dom.nodes.push(Node {
            tag: Tag::Document,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            range: (0, 0),
        });
        Builder {
            src,
            pos: 0,
            dom,
            stack: vec![0],
            open_info: vec![HTML_OPEN],
            attr_scratch: Vec::new(),
            seen_body: false,
            seen_html: false,
            seen_head: false,
            open_count: [0; 256],
        }
    }

    fn run(mut self) -> Dom {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            let Some(off) = memchr(b'<', &bytes[self.pos..]) else {
                self.text(self.pos, bytes.len());
                break;
            };
            let lt = self.pos + off;
            if lt > self.pos {
                self.text(self.pos, lt);
            }
            self.pos = lt;
            match bytes.get(lt + 1) {
                Some(b'!') => self.markup_declaration(),
                Some(b'?') => self.skip_past(b">", lt + 2),
                Some(b'/') => match bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => self.end_tag(),
                    Some(b'>') => self.pos = lt + 3,
                    // `</` at the end of the input is text.
                    None => {
                        self.text(lt, lt + 2);
                        self.pos = lt + 2;
                    }
                    _ => self.skip_past(b">", lt + 2),
                },
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(),
                _ => {
                    self.text(lt, lt + 1);
                    self.pos = lt + 1;
                }
            }
        }
        self.dom
    }

    fn skip_past(&mut self, needle: &[u8], from: usize) {
        let bytes = self.src.as_bytes();
        let from = from.min(bytes.len());
        self.pos = match memchr::memmem::find(&bytes[from..], needle) {
            Some(i) => from + i + needle.len(),
            None => bytes.len(),
        };
    }

    /// Skips a comment opened at `self.pos` (`<!--`). `<!-->` and `<!--->`
    /// are whole (empty) comments, and `--!>` ends one as `-->` does.
    fn comment(&mut self) {
        let bytes = self.src.as_bytes();
        let body = self.pos + 4;
        if bytes.get(body) == Some(&b'>') {
            self.pos = body + 1;
            return;
        }
        if bytes.get(body..body + 2) == Some(b"->") {
            self.pos = body + 2;
            return;
        }
        let mut from = body;
        while let Some(off) = memchr::memmem::find(&bytes[from.min(bytes.len())..], b"--") {
            let at = from + off;
            match bytes.get(at + 2) {
                Some(b'>') => {
                    self.pos = at + 3;
                    return;
                }
                Some(b'!') if bytes.get(at + 3) == Some(&b'>') => {
                    self.pos = at + 4;
                    return;
                }
                _ => from = at + 1,
            }
        }
        // Unterminated: the comment runs to the end of the input.
        self.pos = bytes.len();
    }

    fn markup_declaration(&mut self) {
        let rest = &self.src.as_bytes()[self.pos..];
        if rest.starts_with(b"<!--") {
            self.comment();
        } else if rest.starts_with(b"<![CDATA[") && self.in_foreign() {
            // CDATA sections exist only in SVG and MathML; in HTML they are
            // bogus comments (below).
            let start = self.pos + 9;
            let bytes = self.src.as_bytes();
            let (end, next) = match memchr::memmem::find(&bytes[start.min(bytes.len())..], b"]]>") {
                Some(i) => (start + i, start + i + 3),
                // Unterminated: the section runs to the end of the input.
                None => (bytes.len(), bytes.len()),
            };
            self.pos = next;
            self.append_text_raw(start.min(end), end);
        } else {
            self.skip_past(b">", self.pos + 2);
        }
    }

    fn current(&self) -> u32 {
        *self.stack.last().unwrap_or(&0)
    }

    fn current_open(&self) -> Open {
        *self.open_info.last().unwrap_or(&HTML_OPEN)
    }

    /// Is the current node an SVG or MathML element whose content is
    /// foreign (not an integration point, whose children are HTML)?
    fn in_foreign(&self) -> bool {
        let o = self.current_open();
        o.ns != Ns::Html && !o.integration
    }

    fn append(&mut self, tag: Tag, range: (u32, u32)) -> u32 {
        let parent = self.current();
        let idx = self.dom.nodes.len() as u32;
        self.dom.nodes.push(Node {
            tag,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            range,
        });
        let p = &mut self.dom.nodes[parent as usize];
        let prev_last = p.last_child;
        p.last_child = idx;
        if prev_last == NONE {
            p.first_child = idx;
        } else {
            self.dom.nodes[prev_last as usize].next_sibling = idx;
        }
        idx
    }

    fn push(&mut self, idx: u32, tag: Tag, open: Open) {
        self.stack.push(idx);
        self.open_info.push(open);
        self.open_count[tag as usize] += 1;
    }

    fn text(&mut self, start: usize, end: usize) {
        let raw = &self.src[start..end];
        // Text that is not blank ends an explicit <head>: it belongs to the body.
        if self.dom.nodes[self.current() as usize].tag == Tag::Head
            && raw
                .bytes()
                .any(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            self.close_in_scope(Tag::Head, |t| t.is_scope_boundary());
        }
        let begin = self.dom.text.len();
        if memchr(b'&', raw.as_bytes()).is_some() {
            char_refs_decode::decode_into(raw, &mut self.dom.text, false);
        } else {
            self.dom.text.push_str(raw);
        }
        self.finish_text(begin);
    }

    fn append_text_raw(&mut self, start: usize, end: usize) {
        let begin = self.dom.text.len();
        self.dom.text.push_str(&self.src[start..end]);
        self.finish_text(begin);
    }

    fn finish_text(&mut self, begin: usize) {
        let end = self.dom.text.len();
        if end == begin {
            return;
        }
        if self.dom.text.as_bytes()[begin..end].contains(&0) {
            let cleaned: String = self.dom.text[begin..].chars().filter(|&c| c != '\0').collect();
            self.dom.text.truncate(begin);
            self.dom.text.push_str(&cleaned);
        }
        let end = self.dom.text.len() as u32;
        // Adjacent text (split by a comment or a dropped tag) is one node.
        let parent = self.current();
        let last = self.dom.nodes[parent as usize].last_child;
        if last != NONE {
            let l = &mut self.dom.nodes[last as usize];
            if l.tag == Tag::Text && l.range.1 == begin as u32 {
                l.range.1 = end;
                return;
            }
        }
        self.append(Tag::Text, (begin as u32, end));
    }

    /// Parses `<name attrs...>` at `self.pos`.
    fn start_tag(&mut self) {
        let bytes = self.src.as_bytes();
        let name_start = self.pos + 1;
        let mut i = name_start;
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            i += 1;
        }
        let name_end = i;
        let name_len = name_end - name_start;
        let key = name_key(&bytes[name_start..name_end]);
        let tag = if name_len <= 16 {
            let mut lower = [0u8; 16];
            for (d, s) in lower.iter_mut().zip(&bytes[name_start..name_end]) {
                *d = s.to_ascii_lowercase();
            }
            Tag::from_name(&lower[..name_len])
        } else {
            Tag::Other
        };
        self.attr_scratch.clear();
        let mut flags = TagFlags::default();
        let mut self_closing = false;
        // Attributes.
        loop {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
            match bytes[i] {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' => {
                    if bytes.get(i + 1) == Some(&b'>') {
                        self_closing = true;
                        i += 2;
                        break;
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let an_start = i;
            i += 1; // an attribute name may start with '='
            while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'=') {
                i += 1;
            }
            let an_end = i;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            let (mut vs, mut ve) = (i, i);
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    vs = i + 1;
                    ve = memchr(q, &bytes[vs..]).map_or(bytes.len(), |o| vs + o);
                    i = (ve + 1).min(bytes.len());
                } else {
                    vs = i;
                    while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>') {
                        i += 1;
                    }
                    ve = i;
                }
            }
            if matches!(tag, Tag::Font | Tag::Other) {
                self.note_flags(&mut flags, key, an_start, an_end, vs, ve);
            }
            self.keep_attr(an_start, an_end, vs, ve);
        }
        self.pos = i;
        if self.in_foreign() {
            let breaks_out =
                tag.breaks_out_of_foreign() || (tag == Tag::Font && flags.font_style) || key == KEY_LISTING;
            if !breaks_out {
                self.open_foreign(tag, key, self.current_open().ns, flags, self_closing);
                return;
            }
            self.leave_foreign();
        }
        match tag {
            Tag::Svg => self.open_foreign(tag, key, Ns::Svg, flags, self_closing),
            Tag::Math => self.open_foreign(tag, key, Ns::Math, flags, self_closing),
            _ => self.open(tag, key),
        }
    }

    /// Records the attributes that change how a start tag is parsed.
    fn note_flags(&self, flags: &mut TagFlags, key: u128, ns: usize, ne: usize, vs: usize, ve: usize) {
        let name = &self.src.as_bytes()[ns..ne];
        if name.eq_ignore_ascii_case(b"color")
            || name.eq_ignore_ascii_case(b"face")
            || name.eq_ignore_ascii_case(b"size")
        {
            flags.font_style = true;
        } else if key == KEY_ANNOTATION_XML && name.eq_ignore_ascii_case(b"encoding") {
            let v = self.src[vs..ve].trim();
            flags.html_encoding =
                v.eq_ignore_ascii_case("text/html") || v.eq_ignore_ascii_case("application/xhtml+xml");
        }
    }

    /// Opens an element of an `<svg>` or `<math>` subtree. Foreign elements
    /// honour `/>` and never hold raw text (an SVG `<title/>` or `<style>`
    /// is an ordinary element there).
    fn open_foreign(&mut self, tag: Tag, key: u128, ns: Ns, flags: TagFlags, self_closing: bool) {
        let (root, ns) = if self.in_foreign() {
            (false, ns)
        } else {
            (true, if tag == Tag::Math { Ns::Math } else { Ns::Svg })
        };
        let node_tag = if root { tag } else { Tag::Foreign };
        let attr_begin = self.dom.attrs.len() as u32;
        if root {
            self.dom.attrs.extend_from_slice(&self.attr_scratch);
        }
        let range = (attr_begin, self.dom.attrs.len() as u32);
        let idx = self.append(node_tag, range);
        if self_closing || self.stack.len() >= MAX_DEPTH {
            return;
        }
        let integration = match ns {
            Ns::Svg => KEY_SVG_INTEGRATION.contains(&key),
            Ns::Math => KEY_MATH_TEXT.contains(&key) || (key == KEY_ANNOTATION_XML && flags.html_encoding),
            Ns::Html => false,
        };
        self.push(idx, node_tag, Open { key, ns, integration });
    }

    /// Pops foreign elements until the current node is HTML or an
    /// integration point: an HTML tag inside `<svg>` ends it.
    fn leave_foreign(&mut self) {
        let mut len = self.stack.len();
        while len > 1 {
            let o = self.open_info[len - 1];
            if o.ns == Ns::Html || o.integration {
                break;
            }
            len -= 1;
        }
        self.truncate_stack(len);
    }

    fn keep_attr(&mut self, ns: usize, ne: usize, vs: usize, ve: usize) {
        if ne - ns > 14 {
            return;
        }
        let mut lower = [0u8; 14];
        for (d, s) in lower.iter_mut().zip(&self.src.as_bytes()[ns..ne]) {
            *d = s.to_ascii_lowercase();
        }
        let Some(name) = AttrName::from_lower(&lower[..ne - ns]) else {
            return;
        };
        if self.attr_scratch.iter().any(|a| a.0 == name) {
            return; // the first occurrence wins, as in browsers
        }
        let raw = &self.src[vs..ve];
        let begin = self.dom.attr_text.len();
        match name {
            // Class and id are matched against lowercase patterns; lowercase them once here.
            AttrName::Class
            | AttrName::Id
            | AttrName::Itemprop
            | AttrName::Role
            | AttrName::Rel
            | AttrName::Type
            | AttrName::Name
            | AttrName::Property
            | AttrName::DataTestid
            | AttrName::Style => {
                // Copied whole, then lowercased in place: ASCII lowercasing
                // keeps every byte's place, and a char-by-char push cost more.
                if memchr(b'&', raw.as_bytes()).is_some() {
                    char_refs_decode::decode_into(raw, &mut self.dom.attr_text, true);
                } else {
                    self.dom.attr_text.push_str(raw);
                }
                self.dom.attr_text[begin..].make_ascii_lowercase();
            }
            _ if memchr(b'&', raw.as_bytes()).is_some() => {
                char_refs_decode::decode_into(raw, &mut self.dom.attr_text, true);
            }
            _ => self.dom.attr_text.push_str(raw),
        }
        self.attr_scratch
            .push((name, begin as u32, self.dom.attr_text.len() as u32));
    }

    fn open(&mut self, tag: Tag, key: u128) {
        match tag {
            Tag::Html | Tag::Head => {
                // A second <html> or <head> adds nothing; counted, not searched
                // for, so that thousands of them stay linear.
                let seen = if tag == Tag::Html {
                    &mut self.seen_html
                } else {
                    &mut self.seen_head
                };
                if *seen {
                    return;
                }
                *seen = true;
            }
            Tag::Body => {
                if self.seen_body {
                    return;
                }
                self.seen_body = true;
            }
            _ => {}
        }
        // Anything but head content ends an explicit <head> (pages that omit
        // </head> or <body> would otherwise keep their text in the head).
        if !tag.belongs_in_head() && self.dom.nodes[self.current() as usize].tag == Tag::Head {
            self.close_in_scope(Tag::Head, |t| t.is_scope_boundary());
        }
        self.implied_end_tags(tag);
        let attr_begin = self.dom.attrs.len() as u32;
        self.dom.attrs.extend_from_slice(&self.attr_scratch);
        let range = (attr_begin, self.dom.attrs.len() as u32);
        let idx = self.append(tag, range);
        if tag.is_raw_text() {
            self.raw_text(tag, idx);
            return;
        }
        // A <form> between table rows holds nothing: browsers leave it empty
        // and keep the row's cells in the table.
        let form_in_table = tag == Tag::Form
            && matches!(
                self.dom.nodes[self.dom.nodes[idx as usize].parent as usize].tag,
                Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Tr
            );
        // `/>` does not close an HTML element (`<div/>` opens a div, as in browsers).
        if tag.is_void() || form_in_table || self.stack.len() >= MAX_DEPTH {
            return;
        }
        self.push(
            idx,
            tag,
            Open {
                key,
                ns: Ns::Html,
                integration: false,
            },
        );
    }

    /// Closes what a new `tag` implicitly ends (`<p>` before a block, `<li>`
    /// before the next item, cells before the next cell or row).
    fn implied_end_tags(&mut self, tag: Tag) {
        if tag.closes_p() {
            self.close_in_scope(Tag::P, |t| t.is_scope_boundary() || t == Tag::Button);
        }
        match tag {
            Tag::Li => {
                self.close_in_scope(Tag::Li, |t| t.is_scope_boundary() || matches!(t, Tag::Ul | Tag::Ol));
            }
            Tag::Dd | Tag::Dt => {
                self.close_in_scope(Tag::Dd, |t| t.is_scope_boundary() || t == Tag::Dl);
                self.close_in_scope(Tag::Dt, |t| t.is_scope_boundary() || t == Tag::Dl);
            }
            Tag::Tr => {
                self.close_in_scope(Tag::Tr, |t| t == Tag::Table || t == Tag::Html);
            }
            Tag::Td | Tag::Th => {
                self.close_in_scope(Tag::Td, |t| matches!(t, Tag::Tr | Tag::Table | Tag::Html));
                self.close_in_scope(Tag::Th, |t| matches!(t, Tag::Tr | Tag::Table | Tag::Html));
            }
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                for t in [Tag::Tbody, Tag::Thead, Tag::Tfoot] {
                    self.close_in_scope(t, |t| matches!(t, Tag::Table | Tag::Html));
                }
            }
            Tag::Option => {
                self.close_in_scope(Tag::Option, |t| t == Tag::Select || t.is_scope_boundary());
            }
            // Links never nest: a new one ends the open one.
            Tag::A => {
                self.close_link();
            }
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => {
                let cur = self.dom.nodes[self.current() as usize].tag;
                if cur.heading_level().is_some() {
                    self.truncate_stack(self.stack.len() - 1);
                }
            }
            _ => {}
        }
    }

    /// Ends the nearest open `<a>`. When blocks were opened inside it (a
    /// `<a name=top/>` left open, or `<a><div>…</a>`), the first of them
    /// moves out of the link to become its next sibling and stays open, as
    /// the HTML standard's adoption agency does: what follows is no longer
    /// link text, and no open element is closed early.
    fn close_link(&mut self) {
        if self.open_count[Tag::A as usize] == 0 {
            return;
        }
        let len = self.stack.len();
        let mut at = None;
        for depth in (1..len).rev() {
            let t = self.dom.nodes[self.stack[depth] as usize].tag;
            if t == Tag::A {
                at = Some(depth);
                break;
            }
            if t.is_scope_boundary() || self.open_info[depth].integration {
                return;
            }
        }
        let Some(da) = at else { return };
        let Some(df) = (da + 1..len).find(|&d| self.dom.nodes[self.stack[d] as usize].tag.is_special()) else {
            self.truncate_stack(da);
            return;
        };
        let (a, f) = (self.stack[da], self.stack[df]);
        // Unlink `f`, the last child of its parent (it is open), …
        let p = self.dom.nodes[f as usize].parent;
        let mut prev = NONE;
        let mut c = self.dom.nodes[p as usize].first_child;
        while c != f && c != NONE {
            prev = c;
            c = self.dom.nodes[c as usize].next_sibling;
        }
        if prev == NONE {
            self.dom.nodes[p as usize].first_child = NONE;
        } else {
            self.dom.nodes[prev as usize].next_sibling = NONE;
        }
        self.dom.nodes[p as usize].last_child = prev;
        // … and append it after the link, the last child of the link's parent.
        // Document order and contiguous subtrees still hold: `f` and its
        // descendants were the last nodes of the link's subtree.
        let g = self.dom.nodes[a as usize].parent;
        self.dom.nodes[a as usize].next_sibling = f;
        self.dom.nodes[g as usize].last_child = f;
        self.dom.nodes[f as usize].parent = g;
        for d in da..df {
            let t = self.dom.nodes[self.stack[d] as usize].tag;
            self.open_count[t as usize] = self.open_count[t as usize].saturating_sub(1);
        }
        self.stack.drain(da..df);
        self.open_info.drain(da..df);
    }

    /// Pops up to and including the nearest open `target`, unless a `boundary`
    /// element (or an SVG/MathML integration point) is nearer. Returns whether
    /// it found one.
    fn close_in_scope(&mut self, target: Tag, boundary: impl Fn(Tag) -> bool) -> bool {
        if self.open_count[target as usize] == 0 {
            return false;
        }
        self.close_matching(|t| t == target, boundary)
    }

    fn close_matching(&mut self, target: impl Fn(Tag) -> bool, boundary: impl Fn(Tag) -> bool) -> bool {
        for depth in (1..self.stack.len()).rev() {
            let t = self.dom.nodes[self.stack[depth] as usize].tag;
            if target(t) {
                self.truncate_stack(depth);
                return true;
            }
            if boundary(t) || self.open_info[depth].integration {
                return false;
            }
        }
        false
    }

    fn truncate_stack(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            if let Some(i) = self.stack.pop() {
                self.open_info.pop();
                let t = self.dom.nodes[i as usize].tag;
                self.open_count[t as usize] = self.open_count[t as usize].saturating_sub(1);
            }
        }
    }

    fn end_tag(&mut self) {
        let bytes = self.src.as_bytes();
        let name_start = self.pos + 2;
        let mut i = name_start;
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            i += 1;
        }
        let name_len = i - name_start;
        let key = name_key(&bytes[name_start..i]);
        let tag = if name_len <= 16 {
            let mut lower = [0u8; 16];
            for (d, s) in lower.iter_mut().zip(&bytes[name_start..i]) {
                *d = s.to_ascii_lowercase();
            }
            Tag::from_name(&lower[..name_len])
        } else {
            Tag::Other
        };
        self.pos = tag_end(bytes, i);
        if self.current_open().ns != Ns::Html {
            if matches!(tag, Tag::Br | Tag::P) {
                self.leave_foreign();
            } else {
                // Foreign content: close the nearest open element of that
                // name, unless an HTML element comes first (then the HTML
                // rules below decide).
                for depth in (1..self.stack.len()).rev() {
                    let o = self.open_info[depth];
                    if o.ns == Ns::Html {
                        break;
                    }
                    if o.key == key {
                        self.truncate_stack(depth);
                        return;
                    }
                }
            }
        }
        match tag {
            // `</br>` is read as `<br>` by browsers.
            Tag::Br => {
                self.attr_scratch.clear();
                self.open(Tag::Br, key);
            }
            // The body and the document end with the input.
            Tag::Html | Tag::Body => {}
            Tag::Head => {
                self.close_in_scope(Tag::Head, |t| t.is_scope_boundary());
            }
            // A template ends whatever was left open inside it.
            Tag::Template => {
                self.close_in_scope(Tag::Template, |t| t == Tag::Html);
            }
            Tag::Other | Tag::Foreign => {
                // Unknown elements close by name, never across a known block.
                for depth in (1..self.stack.len()).rev() {
                    let t = self.dom.nodes[self.stack[depth] as usize].tag;
                    if self.open_info[depth].key == key && matches!(t, Tag::Other | Tag::Foreign) {
                        self.truncate_stack(depth);
                        return;
                    }
                    if (t != Tag::Other && t.is_block()) || t.is_scope_boundary() || self.open_info[depth].integration {
                        return;
                    }
                }
            }
            Tag::P => {
                // A `</p>` with no open paragraph still ends one: browsers
                // insert an empty paragraph, a block boundary.
                if !self.close_in_scope(Tag::P, |t| t.is_scope_boundary() || t == Tag::Button) {
                    let a = self.dom.attrs.len() as u32;
                    self.append(Tag::P, (a, a));
                }
            }
            Tag::Li | Tag::Dd | Tag::Dt => {
                self.close_in_scope(tag, |t| t.is_scope_boundary());
            }
            // Any heading end tag closes the open heading, whatever its level.
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => {
                let open: u32 = [Tag::H1, Tag::H2, Tag::H3, Tag::H4, Tag::H5, Tag::H6]
                    .iter()
                    .map(|&h| self.open_count[h as usize])
                    .sum();
                if open > 0 {
                    self.close_matching(|t| t.heading_level().is_some(), |t| t.is_scope_boundary());
                }
            }
            _ if tag.is_block() => {
                let table_part = matches!(
                    tag,
                    Tag::Td | Tag::Th | Tag::Tr | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Table | Tag::Caption
                );
                if table_part {
                    self.close_in_scope(tag, |t| t == Tag::Html || (t == Tag::Table && tag != Tag::Table));
                } else {
                    self.close_in_scope(tag, |t| t.is_scope_boundary() && t != tag);
                }
            }
            Tag::A => self.close_link(),
            // Inline end tags never close a block they did not open inside.
            _ => {
                self.close_in_scope(tag, |t| t.is_block() || t.is_scope_boundary());
            }
        }
    }

    /// Consumes the content of a raw-text element up to its end tag.
    fn raw_text(&mut self, tag: Tag, idx: u32) {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        if tag == Tag::Plaintext {
            self.pos = bytes.len();
            return;
        }
        let name = tag.name().as_bytes();
        let mut end = find_end_tag(bytes, start, name);
        // `<!--` inside a script opens the standard's "escaped" states, where a
        // `<script>` … `</script>` pair written by `document.write` does not
        // end the element: look again only when the script has a `<!--`.
        if tag == Tag::Script && memchr::memmem::find(&bytes[start..end], b"<!--").is_some() {
            end = script_end(bytes, start);
        }
        let content = &self.src[start..end];
        match tag {
            Tag::Title if self.dom.title.is_none() => {
                let mut t = String::new();
                char_refs_decode::decode_into(content, &mut t, false);
                self.dom.title = Some(t);
            }
            Tag::Script
                if self
                    .dom
                    .attr(idx, AttrName::Type)
                    .is_some_and(|t| t.contains("ld+json")) =>
            {
                self.dom.json_ld.push(content.to_string());
            }
            _ => {}
        }
        self.pos = tag_end(bytes, end + 2);
    }
}

fn is_tag_name_end(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'))
}

/// Where `</name` (followed by a space, `/` or `>`) starts, from `from` on;
/// the end of the input when it never comes.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut search = from;
    loop {
        match memchr::memmem::find(&bytes[search..], b"</") {
            None => return bytes.len(),
            Some(off) => {
                let at = search + off;
                let after = at + 2 + name.len();
                if after <= bytes.len()
                    && bytes[at + 2..after].eq_ignore_ascii_case(name)
                    && is_tag_name_end(bytes.get(after))
                {
                    return at;
                }
                search = at + 2;
            }
        }
    }
}

/// The end of a script's content that holds `<!--`: the standard's script
/// data states, where `<!-- <script> … </script>` is data and only the
/// next `</script>` ends the element.
fn script_end(bytes: &[u8], start: usize) -> usize {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = start;
    while let Some(off) = memchr::memchr2(b'<', b'-', &bytes[i..]) {
        let at = i + off;
        let rest = &bytes[at..];
        let tag_named = |skip: usize| {
            rest.len() >= skip + 6
                && rest[skip..skip + 6].eq_ignore_ascii_case(b"script")
                && is_tag_name_end(rest.get(skip + 6))
        };
        i = at + 1;
        match state {
            State::Data => {
                if rest[0] == b'<' && rest.get(1) == Some(&b'/') && tag_named(2) {
                    return at;
                }
                if rest.starts_with(b"<!--") {
                    state = State::Escaped;
                    // `<!--` and `-->` may share dashes (`<!-->`).
                    i = at + 2;
                }
            }
            State::Escaped => {
                if rest.starts_with(b"-->") {
                    state = State::Data;
                    i = at + 3;
                } else if rest[0] == b'<' && rest.get(1) == Some(&b'/') && tag_named(2) {
                    return at;
                } else if rest[0] == b'<' && tag_named(1) {
                    state = State::DoubleEscaped;
                }
            }
            State::DoubleEscaped => {
                if rest.starts_with(b"-->") {
                    state = State::Data;
                    i = at + 3;
                } else if rest[0] == b'<' && rest.get(1) == Some(&b'/') && tag_named(2) {
                    state = State::Escaped;
                }
            }
        }
    }
    bytes.len()
}

/// The position after the `>` that ends a tag whose attributes start at
/// `from`: quoted values may hold `>` (`</script foo=">">`).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from.min(bytes.len());
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                    i += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                    i = memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |o| i + 1 + o + 1);
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_text_is_the_text_trimmed_with_unicode_whitespace_and_multibyte_ends() {
        // ASCII indentation around non-ASCII whitespace (no-break space,
        // vertical tab, ideographic space) and multi-byte letters at the ends.
        for text in [
            "\n\t  ",
            "\n  \u{a0}\u{3000} ",
            "  \u{a0}Ärger am Fluss\u{2003}\n",
            "\u{0b} 東京 \u{0b}",
            "é",
            "\r\n  2024年4月18日\u{a0}",
        ] {
            let dom = Dom::parse(&format!("<body><p>x</p>{text}<p>y</p></body>"));
            let node = (0..dom.nodes.len() as u32)
                .find(|&i| dom.node(i).tag == Tag::Text && dom.text_of(i) == text)
                .expect("the text is kept as one node");
            assert_eq!(dom.trimmed_text_of(node), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn attrs_of_gives_what_attr_gives() {
        let dom = Dom::parse("<div class='A b' id=x class=second data-testid=t>text</div>");
        let div = dom.elements(Tag::Div).next().unwrap_or(NONE);
        let all: Vec<(AttrName, &str)> = dom.attrs_of(div).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        for (a, v) in &all {
            assert_eq!(dom.attr(div, *a), Some(*v));
        }
        assert_eq!(dom.attr(div, AttrName::Class), Some("a b"));
        assert_eq!(dom.attrs_of(dom.node(div).first_child).count(), 0);
    }

    fn outline(dom: &Dom) -> String {
        // Iterative serialisation for assertions: tags and texts in document order.
        let mut out = String::new();
        let mut i = dom.node(0).first_child;
        let mut depth_stack: Vec<u32> = Vec::new();
        while i != NONE {
            while let Some(&top) = depth_stack.last() {
                if dom.node(i).parent == top {
                    break;
                }
                depth_stack.pop();
                out.push(')');
            }
            let n = dom.node(i);
            if n.tag == Tag::Text {
                out.push_str(&format!("'{}'", dom.text_of(i)));
            } else {
                out.push_str(n.tag.name());
                out.push('(');
                depth_stack.push(i);
                if n.first_child == NONE {
                    depth_stack.pop();
                    out.push(')');
                }
            }
            i = dom.next_in(0, i, false);
        }
        for _ in depth_stack {
            out.push(')');
        }
        out
    }

    #[test]
    fn implied_paragraph_and_list_ends() {
        let d = Dom::parse("<body><p>one<p>two<div>three</div><ul><li>a<li>b</ul></body>");
        assert_eq!(outline(&d), "body(p('one')p('two')div('three')ul(li('a')li('b')))");
    }

    #[test]
    fn tables_and_stray_end_tags() {
        let d = Dom::parse("<table><tr><td>a<td>b</span></div><tr><td>c</table><p>x</b>y</p>");
        assert_eq!(
            outline(&d),
            "table(tr(td('a')td('b'))tr(td('c')))p('x''y')".replace("''", "")
        );
    }

    #[test]
    fn raw_text_and_json_ld() {
        let d = Dom::parse(
            "<title>A &amp; B</title><script>if (a</b) {}</script><script type=\"application/ld+json\">{\"x\":1}</script><style>p{}</style><p>t</p>",
        );
        assert_eq!(d.title.as_deref(), Some("A & B"));
        assert_eq!(d.json_ld, vec!["{\"x\":1}".to_string()]);
        assert_eq!(outline(&d), "title()script()script()style()p('t')");
    }

    #[test]
    fn attributes_are_kept_and_lowercased() {
        let d = Dom::parse("<div CLASS='Article-Body main' id=x data-x=1 content=\"a&amp;b\">t</div>");
        let div = d.elements(Tag::Div).next().unwrap();
        assert_eq!(d.attr(div, AttrName::Class), Some("article-body main"));
        assert_eq!(d.attr(div, AttrName::Id), Some("x"));
        assert_eq!(d.attr(div, AttrName::Content), Some("a&b"));
    }

    #[test]
    fn comments_and_entities() {
        let d = Dom::parse("<p>a<!-- hidden <p>no</p> -->b &eacute; &#x27;</p>");
        assert_eq!(outline(&d), "p('ab \u{e9} '')");
    }

    #[test]
    fn svg_title_and_style_close_themselves_instead_of_swallowing_the_page() {
        let d = Dom::parse("<p>a<svg><title/><style/><path d='M0'/></svg>b</p><p>rest</p>");
        assert_eq!(outline(&d), "p('a'svg(#foreign()#foreign()#foreign())'b')p('rest')");
        assert_eq!(d.title, None, "an SVG <title> is not the page's title");
    }

    #[test]
    fn html_tags_break_out_of_unclosed_svg_and_math() {
        let d = Dom::parse("<div><svg><g><path></g><p>text</p></div><math><mi>x</mi><div>y</div>");
        assert_eq!(
            outline(&d),
            "div(svg(#foreign(#foreign()))p('text'))math(#foreign('x'))div('y')"
        );
        // HTML inside an integration point stays inside it.
        let d = Dom::parse("<svg><foreignObject><p>in</p></foreignObject><text>t</text></svg><p>out</p>");
        assert_eq!(outline(&d), "svg(#foreign(p('in'))#foreign('t'))p('out')");
        // `</p>` and `</br>` leave foreign content too.
        let d = Dom::parse("<p>a<svg><g></p>b");
        assert_eq!(outline(&d), "p('a'svg(#foreign()))'b'");
    }

    #[test]
    fn a_link_left_open_does_not_swallow_the_blocks_after_it() {
        let d = Dom::parse("<body><a name=top/><div id=x>text<a href=/>link</a> more</div></body>");
        assert_eq!(outline(&d), "body(a()div('text'a('link')' more'))");
        let d = Dom::parse("<a href=/>x<div>y</a>z</div>");
        assert_eq!(outline(&d), "a('x')div('yz')");
        let d = Dom::parse("<p><a>one<b>two<a>three</p>");
        assert_eq!(outline(&d), "p(a('one'b('two'))a('three'))");
    }

    #[test]
    fn a_form_between_table_rows_stays_empty() {
        let d = Dom::parse("<table><tr><form><td>cell</td></form></tr></table>");
        assert_eq!(outline(&d), "table(tr(form()td('cell')))");
    }

    #[test]
    fn script_data_states() {
        // document.write of a script inside an escaped script: the first
        // `</script>` is data.
        let d = Dom::parse("<script><!-- document.write('<script src=x></script>'); //--></script><p>after</p>");
        assert_eq!(outline(&d), "script()p('after')");
        let d = Dom::parse("<script><!-- a </script><p>b</p>");
        assert_eq!(outline(&d), "script()p('b')");
        let d = Dom::parse("FOO<script></script foo=\">\" dd>BAR");
        assert_eq!(outline(&d), "'FOO'script()'BAR'");
    }

    #[test]
    fn end_tag_at_the_end_of_input_is_text_and_template_ends_all() {
        assert_eq!(outline(&Dom::parse("a</")), "'a</'");
        let d = Dom::parse("<template><table></template><p>Foo</p>");
        assert_eq!(outline(&d), "template(table())p('Foo')");
    }

    #[test]
    fn end_br_is_a_line_break() {
        let d = Dom::parse("<p>Match</br>Report</p>");
        assert_eq!(outline(&d), "p('Match'br()'Report')");
    }

    #[test]
    fn stray_end_p_is_a_block_boundary() {
        let d = Dom::parse("<div>one</p>two</div>");
        assert_eq!(outline(&d), "div('one'p()'two')");
    }

    #[test]
    fn text_after_an_explicit_head_is_not_in_the_head() {
        let d = Dom::parse("<html><head><title>t</title></head>Body text<p>more</p></html>");
        assert_eq!(outline(&d), "html(head(title())'Body text'p('more'))");
        let d = Dom::parse("<head><meta charset=utf-8><div>no body tag</div>");
        assert_eq!(outline(&d), "head(meta())div('no body tag')");
        let d = Dom::parse("<head><title>t</title>Loose text");
        assert_eq!(outline(&d), "head(title())'Loose text'");
    }

    #[test]
    fn short_and_bang_comment_ends() {
        let d = Dom::parse("<p>a<!-->b<!--->c<!-- x --!>d<!-- y --->e</p>");
        assert_eq!(outline(&d), "p('abcde')");
    }

    #[test]
    fn heading_end_tags_close_any_open_heading() {
        let d = Dom::parse("<h2>Title</h3><p>body</p>");
        assert_eq!(outline(&d), "h2('Title')p('body')");
    }

    #[test]
    fn unknown_elements_close_by_name() {
        let d = Dom::parse("<p>x <person>Donald <b>Trump</person> said</p>");
        assert_eq!(outline(&d), "p('x '#other('Donald 'b('Trump'))' said')");
        let d = Dom::parse("<a-b><c-d>one</a-b>two");
        assert_eq!(outline(&d), "#other(#other('one'))'two'");
    }

    #[test]
    fn class_and_id_values_are_entity_decoded() {
        let d = Dom::parse("<div class='Side&#98;ar' id='&#x41;d'>t</div>");
        let div = d.elements(Tag::Div).next().unwrap();
        assert_eq!(d.attr(div, AttrName::Class), Some("sidebar"));
        assert_eq!(d.attr(div, AttrName::Id), Some("ad"));
    }

    #[test]
    fn deep_nesting_is_flattened_not_followed() {
        let html = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let d = Dom::parse(&html);
        assert!(d.subtree_text(0).contains("deep text"));
        let max_depth = (0..d.nodes.len() as u32)
            .map(|mut i| {
                let mut depth = 0;
                while i != NONE {
                    i = d.node(i).parent;
                    depth += 1;
                }
                depth
            })
            .max()
            .unwrap();
        assert!(max_depth <= MAX_DEPTH + 2, "depth {max_depth}");
    }

    #[test]
    fn unterminated_constructs_do_not_hang() {
        for s in [
            "<",
            "<a",
            "<a href='x",
            "<!--",
            "<script>x",
            "</",
            "</a",
            "<![CDATA[x",
            "&",
            "&#",
            "<p>&#x",
        ] {
            let _ = Dom::parse(s);
        }
    }
}
