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

struct Builder<'a> {
    src: &'a str,
    pos: usize,
    dom: Dom,
    /// Open elements; `stack[0]` is the document.
    stack: Vec<u32>,
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

    fn markup_declaration(&mut self) {
        let rest = &self.src.as_bytes()[self.pos..];
        if rest.starts_with(b"<!--") {
            self.skip_past(b"-->", self.pos + 4);
        } else if rest.starts_with(b"<![CDATA[") {
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

    fn text(&mut self, start: usize, end: usize) {
        let raw = &self.src[start..end];
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
            self.keep_attr(an_start, an_end, vs, ve);
        }
        self.pos = i;
        self.open(tag, self_closing);
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
                for c in raw.chars() {
                    self.dom.attr_text.push(c.to_ascii_lowercase());
                }
            }
            _ if memchr(b'&', raw.as_bytes()).is_some() => {
                char_refs_decode::decode_into(raw, &mut self.dom.attr_text, true);
            }
            _ => self.dom.attr_text.push_str(raw),
        }
        self.attr_scratch
            .push((name, begin as u32, self.dom.attr_text.len() as u32));
    }

    fn open(&mut self, tag: Tag, self_closing: bool) {
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
        self.implied_end_tags(tag);
        let attr_begin = self.dom.attrs.len() as u32;
        self.dom.attrs.extend_from_slice(&self.attr_scratch);
        let range = (attr_begin, self.dom.attrs.len() as u32);
        let idx = self.append(tag, range);
        if tag.is_raw_text() {
            self.raw_text(tag, idx);
            return;
        }
        if tag.is_void() || self_closing || self.stack.len() >= MAX_DEPTH {
            return;
        }
        self.stack.push(idx);
        self.open_count[tag as usize] += 1;
    }

    /// Closes what a new `tag` implicitly ends (`<p>` before a block, `<li>`
    /// before the next item, cells before the next cell or row).
    fn implied_end_tags(&mut self, tag: Tag) {
        if tag.closes_p() {
            self.close_in_scope(Tag::P, |t| t.is_scope_boundary() || t == Tag::Button);
        }
        match tag {
            Tag::Li => self.close_in_scope(Tag::Li, |t| t.is_scope_boundary() || matches!(t, Tag::Ul | Tag::Ol)),
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
            Tag::Option => self.close_in_scope(Tag::Option, |t| t == Tag::Select || t.is_scope_boundary()),
            Tag::A => self.close_in_scope(Tag::A, |t| t.is_scope_boundary() || t.is_block()),
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => {
                let cur = self.dom.nodes[self.current() as usize].tag;
                if cur.heading_level().is_some() {
                    self.truncate_stack(self.stack.len() - 1);
                }
            }
            _ => {}
        }
    }

    /// Pops up to and including the nearest open `target`, unless a `boundary`
    /// element is nearer.
    fn close_in_scope(&mut self, target: Tag, boundary: impl Fn(Tag) -> bool) {
        if self.open_count[target as usize] == 0 {
            return;
        }
        for depth in (1..self.stack.len()).rev() {
            let t = self.dom.nodes[self.stack[depth] as usize].tag;
            if t == target {
                self.truncate_stack(depth);
                return;
            }
            if boundary(t) {
                return;
            }
        }
    }

    fn truncate_stack(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            if let Some(i) = self.stack.pop() {
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
        let tag = if name_len <= 16 {
            let mut lower = [0u8; 16];
            for (d, s) in lower.iter_mut().zip(&bytes[name_start..i]) {
                *d = s.to_ascii_lowercase();
            }
            Tag::from_name(&lower[..name_len])
        } else {
            Tag::Other
        };
        self.skip_past(b">", i);
        match tag {
            // These end tags close nothing useful; their elements end with the document.
            Tag::Html | Tag::Body | Tag::Head | Tag::Other => {
                if tag == Tag::Other {
                    // Unknown elements: close the nearest open unknown element
                    // without crossing a known block.
                    self.close_in_scope(Tag::Other, |t| {
                        t.is_scope_boundary() || (t != Tag::Other && t.is_block() && t != Tag::Div)
                    });
                }
            }
            Tag::P | Tag::Li | Tag::Dd | Tag::Dt => self.close_in_scope(tag, |t| t.is_scope_boundary()),
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
            // Inline end tags never close a block they did not open inside.
            _ => self.close_in_scope(tag, |t| t.is_block() || t.is_scope_boundary()),
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
        let mut search = start;
        let end = loop {
            match memchr::memmem::find(&bytes[search..], b"</") {
                None => break bytes.len(),
                Some(off) => {
                    let at = search + off;
                    let after = at + 2 + name.len();
                    if after <= bytes.len()
                        && bytes[at + 2..after].eq_ignore_ascii_case(name)
                        && matches!(
                            bytes.get(after),
                            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
                        )
                    {
                        break at;
                    }
                    search = at + 2;
                }
            }
        };
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
        self.skip_past(b">", end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
