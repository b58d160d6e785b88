//! The element names the extractor distinguishes, and what each means for
//! tree building and for text layout.

/// Packs up to 16 bytes into an integer (zero-padded), so names compare in one step.
pub(crate) const fn pack(name: &[u8]) -> u128 {
    let mut v = 0u128;
    let mut i = 0;
    while i < name.len() && i < 16 {
        v |= (name[i] as u128) << (8 * i);
        i += 1;
    }
    v
}

macro_rules! tags {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// An element name. Unknown names are [`Tag::Other`]; elements inside
        /// `<svg>` and `<math>` (other than those roots) are [`Tag::Foreign`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        #[allow(missing_docs)]
        pub enum Tag { Document, Text, Other, Foreign, $($variant),* }

        /// Every known name packed into an integer, sorted, for binary search.
        fn sorted_keys() -> &'static [(u128, Tag)] {
            static KEYS: std::sync::OnceLock<Vec<(u128, Tag)>> = std::sync::OnceLock::new();
            KEYS.get_or_init(|| {
                let mut v = vec![$((pack($name), Tag::$variant)),*];
                v.sort_unstable_by_key(|k| k.0);
                v
            })
        }

        impl Tag {
            /// Looks up a lowercase ASCII element name. Names are compared as
            /// packed integers: matching byte strings compiled to a chain of
            /// memcmp calls that dominated parsing profiles.
            pub fn from_name(name: &[u8]) -> Tag {
                if name.is_empty() || name.len() > 16 {
                    return Tag::Other;
                }
                let key = pack(name);
                let keys = sorted_keys();
                match keys.binary_search_by_key(&key, |k| k.0) {
                    Ok(i) => keys[i].1,
                    Err(_) => Tag::Other,
                }
            }

            /// The element name (`"#text"` for text nodes).
            pub fn name(self) -> &'static str {
                match self {
                    Tag::Document => "#document",
                    Tag::Text => "#text",
                    Tag::Other => "#other",
                    Tag::Foreign => "#foreign",
                    $(Tag::$variant => std::str::from_utf8($name).unwrap_or("?"),)*
                }
            }
        }
    };
}

tags! {
    A = b"a", Abbr = b"abbr", Address = b"address", Applet = b"applet", Area = b"area",
    Article = b"article", Aside = b"aside", Audio = b"audio", B = b"b", Base = b"base",
    Bdi = b"bdi", Bdo = b"bdo", Big = b"big", Blockquote = b"blockquote", Body = b"body",
    Br = b"br", Button = b"button", Canvas = b"canvas", Caption = b"caption", Center = b"center",
    Cite = b"cite", Code = b"code", Col = b"col", Colgroup = b"colgroup", Dd = b"dd",
    Del = b"del", Details = b"details", Dfn = b"dfn", Dialog = b"dialog", Dir = b"dir",
    Div = b"div", Dl = b"dl", Dt = b"dt", Em = b"em", Embed = b"embed",
    Fieldset = b"fieldset", Figcaption = b"figcaption", Figure = b"figure", Font = b"font",
    Footer = b"footer", Form = b"form", Frame = b"frame", Frameset = b"frameset",
    H1 = b"h1", H2 = b"h2", H3 = b"h3", H4 = b"h4", H5 = b"h5", H6 = b"h6",
    Head = b"head", Header = b"header", Hgroup = b"hgroup", Hr = b"hr", Html = b"html",
    I = b"i", Iframe = b"iframe", Img = b"img", Input = b"input", Ins = b"ins", Kbd = b"kbd",
    Keygen = b"keygen", Label = b"label", Legend = b"legend", Li = b"li", Link = b"link",
    Main = b"main", Map = b"map", Mark = b"mark", Marquee = b"marquee", Math = b"math",
    Menu = b"menu", Meta = b"meta", Meter = b"meter", Nav = b"nav", Nobr = b"nobr",
    Noembed = b"noembed", Noframes = b"noframes", Noscript = b"noscript", Object = b"object",
    Ol = b"ol", Optgroup = b"optgroup", Option = b"option", Output = b"output", P = b"p",
    Param = b"param", Picture = b"picture", Plaintext = b"plaintext", Pre = b"pre",
    Progress = b"progress", Q = b"q", Rp = b"rp", Rt = b"rt", Ruby = b"ruby", S = b"s",
    Samp = b"samp", Script = b"script", Search = b"search", Section = b"section",
    Select = b"select", Small = b"small", Source = b"source", Span = b"span", Strike = b"strike",
    Strong = b"strong", Style = b"style", Sub = b"sub", Summary = b"summary", Sup = b"sup",
    Svg = b"svg", Table = b"table", Tbody = b"tbody", Td = b"td", Template = b"template",
    Textarea = b"textarea", Tfoot = b"tfoot", Th = b"th", Thead = b"thead", Time = b"time",
    Title = b"title", Tr = b"tr", Track = b"track", Tt = b"tt", U = b"u", Ul = b"ul",
    Var = b"var", Video = b"video", Wbr = b"wbr", Xmp = b"xmp",
}

impl Tag {
    /// Elements that never have content.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Keygen
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
                | Tag::Frame
        )
    }

    /// Elements whose content is raw text up to the matching end tag.
    pub fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Xmp
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Noscript
                | Tag::Textarea
                | Tag::Title
                | Tag::Plaintext
        )
    }

    /// Headings.
    pub fn heading_level(self) -> Option<u8> {
        Some(match self {
            Tag::H1 => 1,
            Tag::H2 => 2,
            Tag::H3 => 3,
            Tag::H4 => 4,
            Tag::H5 => 5,
            Tag::H6 => 6,
            _ => return None,
        })
    }

    /// Elements that are laid out as blocks: text on either side of them belongs
    /// to different paragraphs. Unknown (custom) elements count as blocks, since
    /// sites use them mostly as containers.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text
                | Tag::A
                | Tag::Abbr
                | Tag::B
                | Tag::Bdi
                | Tag::Bdo
                | Tag::Big
                | Tag::Cite
                | Tag::Code
                | Tag::Del
                | Tag::Dfn
                | Tag::Em
                | Tag::Font
                | Tag::I
                | Tag::Ins
                | Tag::Kbd
                | Tag::Label
                | Tag::Mark
                | Tag::Nobr
                | Tag::Q
                | Tag::Rp
                | Tag::Rt
                | Tag::Ruby
                | Tag::S
                | Tag::Samp
                | Tag::Small
                | Tag::Span
                | Tag::Strike
                | Tag::Strong
                | Tag::Sub
                | Tag::Sup
                | Tag::Time
                | Tag::Tt
                | Tag::U
                | Tag::Var
                | Tag::Wbr
                | Tag::Img
                | Tag::Picture
                | Tag::Source
        )
    }

    /// Elements that close an open `<p>` when they start.
    pub fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Dir
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Header
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Ul
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
                | Tag::Plaintext
                | Tag::Xmp
                | Tag::Search
        )
    }

    /// Boundaries that end tags of other elements do not reach across (the
    /// HTML standard's "element scope"; its SVG and MathML members, the
    /// integration points, are recognised by the tree builder, which knows
    /// foreign element names).
    pub fn is_scope_boundary(self) -> bool {
        matches!(
            self,
            Tag::Html
                | Tag::Table
                | Tag::Td
                | Tag::Th
                | Tag::Caption
                | Tag::Template
                | Tag::Applet
                | Tag::Marquee
                | Tag::Object
                | Tag::Document
        )
    }

    /// Block elements the adoption agency stops at (the standard's "special"
    /// category, approximately): known blocks, not unknown or foreign ones.
    pub fn is_special(self) -> bool {
        self.is_block() && !matches!(self, Tag::Other | Tag::Foreign | Tag::Svg | Tag::Math | Tag::Document)
    }

    /// Elements that may stay open in `<head>`; any other start tag (or text)
    /// ends the head.
    pub fn belongs_in_head(self) -> bool {
        matches!(
            self,
            Tag::Base
                | Tag::Link
                | Tag::Meta
                | Tag::Title
                | Tag::Style
                | Tag::Script
                | Tag::Noscript
                | Tag::Noframes
                | Tag::Template
                | Tag::Head
                | Tag::Html
        )
    }

    /// HTML elements whose start tag ends foreign content (`<svg>`, `<math>`)
    /// when it appears inside it: pages that forget `</svg>` go on in HTML.
    /// (`<font>` only with `color`, `face` or `size`; `<listing>` is unknown
    /// here and checked by name.)
    pub fn breaks_out_of_foreign(self) -> bool {
        matches!(
            self,
            Tag::B
                | Tag::Big
                | Tag::Blockquote
                | Tag::Body
                | Tag::Br
                | Tag::Center
                | Tag::Code
                | Tag::Dd
                | Tag::Div
                | Tag::Dl
                | Tag::Dt
                | Tag::Em
                | Tag::Embed
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Head
                | Tag::Hr
                | Tag::I
                | Tag::Img
                | Tag::Li
                | Tag::Menu
                | Tag::Meta
                | Tag::Nobr
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Ruby
                | Tag::S
                | Tag::Small
                | Tag::Span
                | Tag::Strong
                | Tag::Strike
                | Tag::Sub
                | Tag::Sup
                | Tag::Table
                | Tag::Tt
                | Tag::U
                | Tag::Ul
                | Tag::Var
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (name, tag) in [
            (&b"a"[..], Tag::A),
            (b"blockquote", Tag::Blockquote),
            (b"figcaption", Tag::Figcaption),
            (b"h6", Tag::H6),
            (b"xmp", Tag::Xmp),
        ] {
            assert_eq!(Tag::from_name(name), tag);
            assert_eq!(tag.name().as_bytes(), name);
        }
        assert_eq!(Tag::from_name(b"custom-element"), Tag::Other);
        assert_eq!(Tag::from_name(b""), Tag::Other);
        assert_eq!(Tag::from_name(b"averyveryverylongname"), Tag::Other);
    }
}
