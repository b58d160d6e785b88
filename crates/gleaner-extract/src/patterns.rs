//! Word lists that recognise boilerplate and article containers by their
//! class, id and test-id names, and boilerplate lines by their wording.
//!
//! Names are matched per word: `article-body__text` is split into `article`,
//! `body`, `text`. Short words (`ad`, `nav`) must match a whole word, so
//! `header` does not match `ad`; long distinctive stems (`comment`,
//! `newsletter`) match anywhere inside a word, so `commentlist` does.

use crate::html::pack;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Whole words in a class/id that mark boilerplate (kept sorted, each at most 16 bytes).
/// Mostly English, with the newsroom words of other languages for the same
/// furniture (Spanish `firma` and French `auteur` for a byline, `foto` for a
/// photo, `antetitulo` for a kicker, `fecha` for a date line).
const NEG_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adslot",
    "adunit",
    "adv",
    "advert",
    "adverts",
    "affiliate",
    "alert",
    "alerts",
    "antetitulo",
    "app",
    "aside",
    "audio",
    "auteur",
    "author",
    "authors",
    "autor",
    "autore",
    "avatar",
    "banner",
    "bio",
    "bottombar",
    "brand",
    "breadcrumb",
    "breadcrumbs",
    "breaking",
    "btn",
    "button",
    "byline",
    "bylines",
    "caption",
    "captions",
    "carousel",
    "comment",
    "comments",
    "commercial",
    "consent",
    "contact",
    "cookie",
    "cookies",
    "copyright",
    "credit",
    "credits",
    "crumbs",
    "date",
    "dateline",
    "dfp",
    "disclaimer",
    "disqus",
    "donate",
    "donation",
    "download",
    "dropcap",
    "dropdown",
    "embed",
    "embedded",
    "eyebrow",
    "fecha",
    "feed",
    "figcaption",
    "firma",
    "follow",
    "foot",
    "footer",
    "foto",
    "fotos",
    "gallery",
    "gdpr",
    "gpt",
    "header",
    "headline",
    "headlines",
    "hero",
    "hidden",
    "hide",
    "icon",
    "icons",
    "image",
    "img",
    "infobox",
    "jumplink",
    "keywords",
    "kicker",
    "lede-image",
    "legal",
    "links",
    "login",
    "logo",
    "marketing",
    "masthead",
    "media",
    "menu",
    "menus",
    "metadata",
    "modal",
    "more",
    "most",
    "mostread",
    "nav",
    "navbar",
    "newsletter",
    "newsletters",
    "newsticker",
    "next",
    "note",
    "offscreen",
    "outbrain",
    "overlay",
    "pager",
    "pagination",
    "partner",
    "partners",
    "photo",
    "photos",
    "picture",
    "player",
    "podcast",
    "popular",
    "popup",
    "prev",
    "previous",
    "print",
    "profile",
    "promo",
    "promos",
    "published",
    "rating",
    "ratings",
    "reactions",
    "readmore",
    "recirc",
    "recommendations",
    "recommended",
    "register",
    "related",
    "search",
    "share",
    "shares",
    "side",
    "sidebar",
    "signup",
    "skip",
    "slideshow",
    "social",
    "sponsor",
    "sponsored",
    "sponsors",
    "sr",
    "sticky",
    "subnav",
    "subscribe",
    "subscription",
    "taboola",
    "tag",
    "tagcloud",
    "tagged",
    "tags",
    "teaser",
    "teasers",
    "ticker",
    "timestamp",
    "title",
    "toc",
    "toolbar",
    "tooltip",
    "topbar",
    "topics",
    "trending",
    "updated",
    "upsell",
    "video",
    "visually",
    "widget",
    "widgets",
    "zergnet",
];

/// Stems that mark boilerplate wherever they occur inside a word.
const NEG_STEMS: &[&str] = &[
    "comment",
    "advert",
    "sponsor",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "sharing",
    "sharebar",
    "socialmedia",
    "breadcrumb",
    "sidebar",
    "related",
    "recommend",
    "trending",
    "popular",
    "promo",
    "outbrain",
    "taboola",
    "zergnet",
    "disqus",
    "signup",
    "banner",
    "navigation",
    "navbar",
    "footer",
    "masthead",
    "byline",
    "caption",
    "widget",
    "modal",
    "popup",
    "tooltip",
    "pagination",
    "slideshow",
    "carousel",
    "readmore",
    "morestories",
    "mostread",
    "mostpopular",
    "authorinfo",
    "authorbio",
    "author-bio",
    "copyright",
    "adslot",
    "adunit",
    "adwrap",
    "adcontainer",
    "dfp-",
];

/// Words marking the article body itself.
const POS_PHRASES: &[&str] = &[
    "article-body",
    "articlebody",
    "article_body",
    "article-content",
    "articlecontent",
    "article_content",
    "article-text",
    "articletext",
    "article__body",
    "article__content",
    "article__text",
    "story-body",
    "storybody",
    "story-content",
    "storycontent",
    "story-text",
    "storytext",
    "story__body",
    "post-body",
    "postbody",
    "post-content",
    "postcontent",
    "post_content",
    "entry-content",
    "entrycontent",
    "entry_content",
    "body-text",
    "bodytext",
    "body-copy",
    "bodycopy",
    "content-body",
    "main-content-body",
    "article-main",
    "text-content",
    "rich-text",
    "richtext",
    "articlepage-body",
    "news-body",
    "newsbody",
    "news-content",
    "newscontent",
    "news_content",
    "article-detail",
    "article_detail",
    "detail-content",
    "post-entry",
    "single-content",
    "the-content",
    "blog-content",
    "blogpost-content",
    "td-post-content",
    "field-name-body",
    "field--name-body",
    "itemfulltext",
    "item-fulltext",
    "zn-body",
    "paywall-article",
    "article-section",
    "articlesection",
    "l-article__text",
    "c-entry-content",
    "article-page-content",
];

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

/// Class-name prefixes that describe a page's state or taxonomy rather than
/// the element's role (WordPress' `tag-…`, `category-…`, `has-sidebar`):
/// they say nothing about whether the element is boilerplate.
pub(crate) const STATE_PREFIXES: &[&str] = &[
    "tag-",
    "tags-",
    "category-",
    "post-",
    "postid-",
    "type-",
    "format-",
    "status-",
    "has-",
    "is-",
    "with-",
    "no-",
    "page-",
    "template-",
    "single-",
    "layout-",
    "theme-",
    "wp-",
    "hide-",
    "show-",
    "lang-",
];

/// Does a lowercase class or id value look like boilerplate?
pub fn is_negative(s: &str) -> bool {
    s.split_ascii_whitespace().any(|token| {
        if STATE_PREFIXES.iter().any(|p| token.starts_with(p)) {
            return false;
        }
        words(token).any(is_neg_word) || neg_stems().is_match(token)
    })
}

/// Every phrase in [`POS_PHRASES`] contains one of these; checking them first
/// spares most class names the full list.
const POS_KEYS: &[&str] = &[
    "body", "content", "text", "copy", "detail", "entry", "main", "article", "section",
];

static POS_KEY_SET: AnyOf = AnyOf::new(POS_KEYS);

/// Does a lowercase class or id value name the article body?
pub fn is_positive(s: &str) -> bool {
    !s.is_empty() && POS_KEY_SET.is_in(s) && pos_phrases().is_match(s)
}

/// A small fixed set of words, asked only whether one of them occurs in a
/// short string such as a class name. One pass over the string that stops
/// only at bytes some word starts with: on class names (a few dozen bytes,
/// asked once per element) a substring search per word, or an automaton's
/// per-call set-up, cost more than the scan itself (issue 16 profiles).
pub(crate) struct AnyOf {
    words: &'static [&'static str],
    /// For each byte, the words that start with it (bit i: `words[i]`).
    starts: [u32; 256],
    /// For each byte, the words whose second byte it is, plus the one-byte
    /// words (which match whatever follows). Class names are made of the
    /// few letters the words start with, so the first byte alone let most
    /// positions through to a comparison (a libc memcmp call each, the
    /// largest self cost of the metadata scans in the issue-16 profile);
    /// two bytes turn nearly all of them away.
    seconds: [u32; 256],
    /// The one-byte words: the only ones the last byte of a string can start.
    singles: u32,
}

impl AnyOf {
    /// At most 32 non-empty words; checked when the static is evaluated.
    pub(crate) const fn new(words: &'static [&'static str]) -> AnyOf {
        assert!(words.len() <= 32, "AnyOf holds at most 32 words");
        let mut starts = [0u32; 256];
        let mut seconds = [0u32; 256];
        let mut singles = 0u32;
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            assert!(!w.is_empty(), "AnyOf words are non-empty");
            starts[w[0] as usize] |= 1 << i;
            if w.len() == 1 {
                singles |= 1 << i;
                let mut b = 0;
                while b < 256 {
                    seconds[b] |= 1 << i;
                    b += 1;
                }
            } else {
                seconds[w[1] as usize] |= 1 << i;
            }
            i += 1;
        }
        AnyOf {
            words,
            starts,
            seconds,
            singles,
        }
    }

    /// Does any of the words occur in `hay` (case-sensitive)?
    pub(crate) fn is_in(&self, hay: &str) -> bool {
        let h = hay.as_bytes();
        for at in 0..h.len() {
            let next = match h.get(at + 1) {
                Some(&b) => self.seconds[b as usize],
                None => self.singles,
            };
            let mut set = self.starts[h[at] as usize] & next;
            while set != 0 {
                let i = set.trailing_zeros() as usize;
                // Compared inline: the words are a few bytes long, shorter
                // than a memcmp call's own overhead.
                let w = self.words[i].as_bytes();
                if h.len() - at >= w.len() && h[at..at + w.len()].iter().zip(w).all(|(a, b)| a == b) {
                    return true;
                }
                set &= set - 1;
            }
        }
        false
    }
}

/// Whole-word lookup in [`NEG_WORDS`], on words packed into integers (string
/// comparisons in a binary search showed up as memcmp in profiles).
fn is_neg_word(w: &str) -> bool {
    static PACKED: OnceLock<Vec<u128>> = OnceLock::new();
    let packed = PACKED.get_or_init(|| {
        let mut v: Vec<u128> = NEG_WORDS.iter().map(|w| pack(w.as_bytes())).collect();
        v.sort_unstable();
        v
    });
    w.len() <= 16 && packed.binary_search(&pack(w.as_bytes())).is_ok()
}

// One automaton per list: testing ~60 substrings one by one per class name was
// the extractor's hottest loop.
fn neg_stems() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(NEG_STEMS).unwrap_or_else(|e| unreachable!("fixed patterns: {e}")))
}

fn pos_phrases() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(POS_PHRASES).unwrap_or_else(|e| unreachable!("fixed patterns: {e}")))
}

/// Whole lines that are widget labels, not article text (compared after
/// lowercasing and trimming punctuation).
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertisements",
    "advertising",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add comment",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related content",
    "read more",
    "read next",
    "more stories",
    "recommended",
    "you may also like",
    "you might also like",
    "most read",
    "most popular",
    "trending",
    "continue reading",
    "story continues below advertisement",
    "skip advertisement",
    "subscribe",
    "sign up",
    "follow us",
    "click here",
    "see also",
    "also read",
    "loading",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "publicidade",
    "реклама",
    "광고",
    "広告",
    "top stories",
    "latest news",
    "back to top",
    "next article",
    "previous article",
    "scroll to continue with content",
    "image",
    "photo",
    "video",
    "watch",
    "listen",
];

/// Is this short line a widget label ("Advertisement", "Share this")?
pub fn is_boilerplate_line(text: &str) -> bool {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    BOILERPLATE_LINES.contains(&t.as_str())
}

/// Does an inline style hide the element?
pub fn style_hides(style: &str) -> bool {
    if !style.contains("none") && !style.contains("hidden") {
        return false;
    }
    let compact: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_match_whole_words_only() {
        assert!(is_negative("ad-slot top"));
        assert!(is_negative("site-nav"));
        assert!(!is_negative("heading-wrapper"));
        assert!(!is_negative("post-123 tag-comments category-sidebar has-sidebar"));
        assert!(!is_negative("shadow loaded thread"));
        assert!(is_negative("commentlist"));
        assert!(is_negative("js-newsletter-box"));
        assert!(!is_negative("content main"));
    }

    #[test]
    fn every_positive_phrase_has_a_key() {
        for p in POS_PHRASES {
            assert!(POS_KEYS.iter().any(|k| p.contains(k)), "{p}");
        }
    }

    #[test]
    fn word_list_is_sorted_and_packs() {
        assert!(NEG_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(NEG_WORDS.iter().all(|w| w.len() <= 16), "pack() holds 16 bytes");
        assert!(is_neg_word("sidebar") && !is_neg_word("sideba") && !is_neg_word("averyveryverylongword"));
    }

    #[test]
    fn positive_names() {
        assert!(is_positive("c-article-body__text"));
        assert!(is_positive("entry-content clearfix"));
        assert!(!is_positive("sidebar"));
    }

    /// The scan must agree with a substring search on every word, wherever
    /// it stands, with words that share a first byte, and on non-ASCII text;
    /// a one-byte word (`z`) matches at the end of a string as well.
    #[test]
    fn any_of_agrees_with_substring_search() {
        static WORDS: &[&str] = &["date", "dateline", "time", "timer", "stamp", "\u{e9}", "z"];
        static SET: AnyOf = AnyOf::new(WORDS);
        let hays = [
            "",
            "d",
            "dat",
            "date",
            "post-date",
            "xdatex",
            "datum",
            "tim",
            "runtime",
            "the-timer",
            "stam",
            "timestamp",
            "caf\u{e9}",
            "cafe",
            "\u{e9}t\u{e9}-da",
            "ti-me",
            "DATE",
            "dat e",
            "z",
            "az",
            "za",
            "tz",
            "ZZ",
        ];
        for h in hays {
            let expected = WORDS.iter().any(|w| h.contains(w));
            assert_eq!(SET.is_in(h), expected, "{h:?}");
        }
        assert!(POS_KEY_SET.is_in("story-body") && !POS_KEY_SET.is_in("sidebar"));
    }

    #[test]
    fn hiding_styles() {
        assert!(style_hides("color:red; display: none"));
        assert!(!style_hides("display:block"));
    }
}
