//! Robustness tests for the extract stage: hostile and malformed input must
//! never panic or hang, and what comes out must be explainable by what went in.
//!
//! The property tests build pages from an HTML-ish token alphabet (tags,
//! unclosed constructs, entities, quotes, stray `<` and `>`, words) and check
//! only what the parser truly guarantees:
//! - no panic, for arbitrary bytes through `gleaner_read::decode` and for
//!   HTML-ish strings, with both page kinds;
//! - when every `<` in the input starts a tag, comment or declaration (and no
//!   entity can decode to `<`), no `<` reaches the text;
//! - when tokens are separated by whitespace and there is no `&`, every output
//!   word is one of the input's words;
//! - extraction is deterministic.
//!
//! Plain tests cover deep nesting (up to 200,000 levels) and a 1 MB flat page.
//! Tests marked `` document real bugs found here; run
//! them with `cargo test -p gleaner-extract --test robustness -- --ignored`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use gleaner_extract::html::Dom;
use gleaner_extract::{extract, Article, PageKind};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Token alphabets
// ---------------------------------------------------------------------------

/// Tags, comments and declarations. In every one of these, `<` is the first
/// character and is followed by a letter, `/` or `!`/`?` (so the parser never
/// takes it for text), and `>` only ever appears as the last character.
const TAGS: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<div class='article-body'>",
    "<div class=\"comments\">",
    "<span>",
    "</span>",
    "<a href='",
    "<a href=\"/x\">",
    "</a>",
    "<ul>",
    "</ul>",
    "<ol>",
    "<li>",
    "</li>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th>",
    "<tbody>",
    "</tr>",
    "</table>",
    "<br>",
    "<br/>",
    "<hr>",
    "<h1>",
    "</h1>",
    "<h2>",
    "</h2>",
    "<h2 class=ad>",
    "<pre>",
    "</pre>",
    "<blockquote>",
    "</blockquote>",
    "<html>",
    "</html>",
    "<body>",
    "</body>",
    "<head>",
    "</head>",
    "<title>",
    "</title>",
    "<meta charset=utf-8>",
    "<script>",
    "</script>",
    "<script type='application/ld+json'>",
    "<style>",
    "</style>",
    "<noscript>",
    "</noscript>",
    "<textarea>",
    "<xmp>",
    "<plaintext>",
    "<iframe>",
    "<nav>",
    "</nav>",
    "<footer>",
    "<aside>",
    "<article>",
    "</article>",
    "<section id=\"main\">",
    "<form>",
    "<select>",
    "<option>",
    "<svg>",
    "</svg>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<em>",
    "<strong>",
    "<p hidden>",
    "<div style='display:none'>",
    "<div aria-hidden=true>",
    "<x-widget>",
    "</x-widget>",
    "<img alt='",
    "<img src=x.png>",
    "<dl>",
    "<dt>",
    "<dd>",
    "<time datetime='2024-01-02'>",
    "<p class='byline'>",
    "<DIV CLASS=Story-Body>",
    "</P>",
    "<!--",
    "<!-- c -->",
    "<!DOCTYPE html>",
    "<?xml",
    "</",
    "</>",
    "</ p>",
    "<p/>",
    "<a",
    "<div\n",
];

/// Text-ish tokens without `<` or `&`.
const SAFE_TEXT: &[&str] = &[
    ">",
    "/>",
    "-->",
    "'",
    "\"",
    "=",
    "/",
    "!",
    "?",
    ";",
    ".",
    ",",
    "|",
    "#",
    "-",
    "*",
    "]]>",
    "Advertisement",
    "Share this",
    "Read more",
    "Z\u{fc}rich",
    "\u{65e5}\u{672c}\u{8a9e}",
    "na\u{ef}ve",
    "\u{1F600}",
    "word.",
    "end!",
    "caf\u{e9}",
    "\u{a0}",
    "This sentence is long enough to count as real article text.",
];

/// Character references that decode to something other than `<`, each
/// complete with its `;` so it cannot combine with the next token.
const SAFE_ENTITIES: &[&str] = &[
    "&amp;", "&nbsp;", "&quot;", "&#x41;", "&#8217;", "&eacute;", "&copy;", "&gt;", "&#150;",
];

/// Everything nasty that is not a CDATA section: incomplete references,
/// references to `<`, stray `<`, half tags, NUL and invisible characters.
const RISKY: &[&str] = &[
    "<",
    "<<",
    "< ",
    "&",
    "&#",
    "&#x",
    "&#x3c;",
    "&#60;",
    "&lt;",
    "&lt",
    "&LT",
    "&gt",
    "&amp",
    "&#0;",
    "&#55296;",
    "&#99999999999;",
    "&#x1F600;",
    "&#x110000;",
    "&notit;",
    "&bogus;",
    "<p",
    "</p",
    "</div",
    "<script",
    "</script",
    "</script ",
    "</scriptx>",
    "<title>&amp;",
    "<a href=",
    "<a href=\"",
    "<a b c d",
    "\0",
    "\u{200b}",
    "\u{feff}",
    "\u{ad}",
    "\r\n",
    "\u{fffd}",
    "\u{2028}",
    "<?",
    "<!",
    "<!-",
    "<!---",
    "--!>",
];

/// CDATA sections, kept apart because of a known bug (see
/// `unterminated_cdata_with_multibyte_tail_does_not_panic`).
const CDATA: &[&str] = &["<![CDATA[", "<![CDATA[x]]>", "]]>", "]]"];

/// Constructs that swallow the rest of the input when left open.
const UNTERMINATED: &[&str] = &[
    "<!--",
    "<script>",
    "<style>",
    "<title>",
    "<textarea>",
    "<a href='",
    "<a href=\"",
    "<a href=",
    "<a ",
    "<p",
    "</p",
    "</",
    "<",
    "<!",
    "<?",
    "&",
    "&#",
    "&#x",
    "&#x1",
    "&am",
    "<plaintext>",
];

const SEPARATORS: &[&str] = &[" ", "\n", "\t", "  ", " \n "];

fn pick(set: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(set).prop_map(str::to_string).boxed()
}

fn word() -> BoxedStrategy<String> {
    "[a-zA-Z]{1,10}".boxed()
}

/// Tokens in which every `<` starts a tag and nothing decodes to `<`.
fn tag_safe_token() -> BoxedStrategy<String> {
    prop_oneof![4 => pick(TAGS), 2 => pick(SAFE_TEXT), 4 => word(), 1 => pick(SAFE_ENTITIES)].boxed()
}

/// Tokens with no `&` (so text is copied, not decoded), no NUL and no
/// invisible characters (which the block builder drops from words).
fn no_amp_token() -> BoxedStrategy<String> {
    prop_oneof![4 => pick(TAGS), 2 => pick(SAFE_TEXT), 4 => word()].boxed()
}

/// Everything except CDATA sections.
fn risky_token() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(TAGS),
        2 => pick(SAFE_TEXT),
        3 => word(),
        1 => pick(SAFE_ENTITIES),
        3 => pick(RISKY),
        1 => any::<char>().prop_map(String::from),
        1 => pick(SEPARATORS),
    ]
    .boxed()
}

/// Everything, CDATA sections included.
fn any_token() -> BoxedStrategy<String> {
    prop_oneof![10 => risky_token(), 1 => pick(CDATA)].boxed()
}

fn page(token: BoxedStrategy<String>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token, 0..max).prop_map(|v| v.concat())
}

/// Tokens joined by whitespace, so that every text node starts and ends at a
/// word boundary of the input.
fn spaced_page(token: BoxedStrategy<String>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((token, pick(SEPARATORS)), 0..max)
        .prop_map(|v| v.into_iter().flat_map(|(t, s)| [t, s]).collect::<String>())
}

/// Runs both page kinds and every rendering; returns the HTML article.
fn extract_all(page: &str) -> Article {
    let html = extract(page, PageKind::Html, None);
    let _ = html.text();
    let _ = html.markdown();
    let text = extract(page, PageKind::Text, None);
    let _ = text.text();
    let _ = text.markdown();
    html
}

fn html_text(page: &str) -> String {
    extract(page, PageKind::Html, None).text()
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// 256 cases each; no regression files in the source tree (a failure prints
/// its minimal input).
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(256)
    }
}

proptest! {
    #![proptest_config(config())]

    /// Arbitrary bytes → decode → sniff → extract (both kinds) never panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let decoded = gleaner_read::decode(&bytes);
        let _ = gleaner_read::sniff_kind(&decoded.text, None);
        extract_all(&decoded.text);
    }

    /// HTML-ish tokens mixed with random bytes, through the decoder (so
    /// invalid UTF-8 becomes U+FFFD next to markup). Excludes CDATA.
    #[test]
    fn htmlish_bytes_never_panic(
        parts in prop::collection::vec(
            prop_oneof![
                3 => risky_token().prop_map(String::into_bytes),
                1 => prop::collection::vec(any::<u8>(), 1..4),
            ],
            0..120,
        )
    ) {
        let bytes = parts.concat();
        let decoded = gleaner_read::decode(&bytes);
        let _ = gleaner_read::sniff_kind(&decoded.text, None);
        extract_all(&decoded.text);
    }

    /// Malformed HTML-ish strings (everything but CDATA) never panic, in the
    /// parser or in extraction.
    #[test]
    fn htmlish_without_cdata_never_panics(
        s in page(risky_token(), 120),
        end in pick(UNTERMINATED),
        tail in "\\PC{0,4}",
    ) {
        let _ = Dom::parse(&s);
        extract_all(&s);
        // Also with an unterminated construct and a few characters at the very end.
        let s = s + &end + &tail;
        let _ = Dom::parse(&s);
        extract_all(&s);
    }

    /// Same, with CDATA sections in the alphabet.
    #[test]
    fn htmlish_never_panics(s in page(any_token(), 120), end in pick(CDATA), tail in "\\PC{0,4}") {
        let _ = Dom::parse(&s);
        extract_all(&s);
        let s = s + &end + &tail;
        let _ = Dom::parse(&s);
        extract_all(&s);
    }

    /// When every `<` in the input starts a tag, comment or declaration and no
    /// entity decodes to `<`, no `<` reaches the parsed text or the output.
    #[test]
    fn no_markup_leaks_into_text(s in page(tag_safe_token(), 120)) {
        // The one exception: `</` at the very end of the input is text (the
        // HTML tokeniser's end tag open state at end of file emits `<` and
        // `/`), as browsers and html5ever give it.
        prop_assume!(!s.ends_with("</"));
        let dom = Dom::parse(&s);
        prop_assert!(!dom.text.contains('<'), "parsed text {:?}", dom.text);
        let a = extract(&s, PageKind::Html, None);
        let text = a.text();
        prop_assert!(!text.contains('<'), "text {:?}", text);
        // The title line is the page's `<title>`, raw text that may hold '<'.
        let mut untitled = a.clone();
        untitled.meta.title = None;
        prop_assert!(!untitled.markdown().contains('<'), "markdown {:?}", untitled.markdown());
        for needle in ["<p>", "<div", "</", "<!--", "<script", "<a "] {
            prop_assert!(!text.contains(needle));
        }
    }

    /// With tokens separated by whitespace and no `&`, every word of the text is
    /// a word of the input (`|` aside: it joins the cells of a table row).
    #[test]
    fn output_words_come_from_input(s in spaced_page(no_amp_token(), 100)) {
        let input_words: HashSet<&str> = s.split_whitespace().collect();
        let text = html_text(&s);
        for w in text.split_whitespace() {
            prop_assert!(w == "|" || input_words.contains(w), "word {:?} of {:?} is not in the input", w, text);
        }
    }

    /// Plain prose without any markup comes out whole, whitespace-normalised.
    #[test]
    fn plain_text_is_kept_whole(words in prop::collection::vec("[a-z]{3,10}", 8..80), seps in prop::collection::vec(pick(SEPARATORS), 80)) {
        let s: String = words.iter().zip(&seps).flat_map(|(w, sep)| [w.as_str(), sep.as_str()]).collect();
        prop_assert_eq!(html_text(&s), words.join(" "));
    }

    /// Any page address, including non-ASCII and date-like paths, with both
    /// page kinds: no panic. Excludes the known bad case (see
    /// `url_path_segment_split_at_byte_10_does_not_panic`): a path segment of
    /// 10+ bytes whose 10th byte is inside a multibyte character.
    #[test]
    fn page_address_never_panics(
        segs in prop::collection::vec(
            prop_oneof![
                Just("2024".to_string()), Just("03".to_string()), Just("31".to_string()),
                Just("2024-03-31".to_string()), Just("20240331".to_string()), "[0-9]{1,5}", "[a-z-]{1,12}",
                Just("?".to_string()), Just("#".to_string()), Just("".to_string()),
            ],
            0..8,
        ),
        s in page(tag_safe_token(), 40),
    ) {
        let url = format!("https://news.example/{}", segs.join("/"));
        for kind in [PageKind::Html, PageKind::Text] {
            let a = extract(&s, kind, Some(&url));
            let _ = (a.text(), a.markdown());
        }
    }

    /// Same, with arbitrary characters in the address.
    #[test]
    fn arbitrary_page_address_never_panics(url in "\\PC{0,60}", s in page(tag_safe_token(), 20)) {
        for kind in [PageKind::Html, PageKind::Text] {
            let a = extract(&s, kind, Some(&url));
            let _ = (a.text(), a.markdown());
        }
    }

    /// The same input gives the same output, twice.
    #[test]
    fn extraction_is_deterministic(s in page(risky_token(), 120)) {
        let a = extract(&s, PageKind::Html, None);
        let b = extract(&s, PageKind::Html, None);
        prop_assert_eq!(a.text(), b.text());
        prop_assert_eq!(a.markdown(), b.markdown());
        prop_assert_eq!(&a.removed, &b.removed);
        let (d1, d2) = (Dom::parse(&s), Dom::parse(&s));
        prop_assert_eq!(d1.nodes.len(), d2.nodes.len());
        prop_assert_eq!(&d1.text, &d2.text);
        prop_assert_eq!(&d1.attr_text, &d2.attr_text);
        prop_assert_eq!(extract(&s, PageKind::Text, None).text(), extract(&s, PageKind::Text, None).text());
    }
}

// ---------------------------------------------------------------------------
// CDATA
// ---------------------------------------------------------------------------

#[test]
fn unterminated_cdata_with_multibyte_tail_does_not_panic() {
    for s in [
        "<![CDATA[\u{1F600}",
        "<![CDATA[\u{20ac}x",
        "<![CDATA[a\u{1F600}",
        "<p>text<![CDATA[ab\u{e9}",
    ] {
        let _ = Dom::parse(s);
        let _ = html_text(s);
    }
}

#[test]
fn unterminated_cdata_is_kept_whole_or_dropped_whole() {
    let text = html_text("<p>x<![CDATA[ hello world");
    assert!(text == "x hello world" || text == "x", "{text:?}");
}

#[test]
fn cdata_is_a_comment_in_html_and_text_only_in_svg() {
    // As in browsers (and html5ever): `<![CDATA[` opens a bogus comment up to
    // the next `>` in HTML; only SVG and MathML have CDATA sections.
    assert_eq!(html_text("<p>x<![CDATA[ hidden]]> shown</p>"), "x shown");
    let d = Dom::parse("<svg><text><![CDATA[a<b]]></text></svg><p>after</p>");
    assert_eq!(d.subtree_text(0), "a<bafter");
    let _ = html_text("<![CDATA[\u{20ac}x]]>");
}

#[test]
fn url_path_segment_split_at_byte_10_does_not_panic() {
    // Reached from the page alone too: the canonical link stands in for the URL.
    let _ = extract(
        "<link rel=canonical href='https://x/abcdefghi\u{e9}'><p>x</p>",
        PageKind::Html,
        None,
    )
    .text();
    for url in [
        "https://x/abcdefghi\u{e9}",
        "https://ko.example/2024/\u{b274}\u{c2a4}\u{b274}\u{c2a4}",
        "https://x/orc\u{5693}\u{5693}\u{5693}",
    ] {
        for kind in [PageKind::Html, PageKind::Text] {
            let _ = extract("<p>x</p>", kind, Some(url)).text();
        }
    }
}

// ---------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------

const SHORT: &str = "Some words here";
const LONG: &str = "This sentence is long enough to count as real article text.";
const OPENERS: &[&str] = &["<div>", "<span>", "<li>", "<table><tr><td>", "<b>", "<p>"];
const DEPTHS: &[usize] = &[1, 10, 100, 399, 1_000, 10_000, 200_000];

/// `opener` × n, then a short paragraph: the extracted text keeps it.
fn check_deep(opener: &str) {
    let mut failures = Vec::new();
    for &n in DEPTHS {
        let page = opener.repeat(n) + "<p>Some words here.</p>";
        let text = html_text(&page);
        if !text.contains(SHORT) {
            failures.push(format!("n={n}: {text:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{opener} × n + <p>Some words here.</p> lost the text: {failures:?}"
    );
}

/// The parser keeps the text reachable however deep the nesting, without
/// recursion (no stack overflow building, walking or dropping the tree).
#[test]
fn deep_nesting_parser_keeps_text() {
    for opener in OPENERS {
        let page = opener.repeat(200_000) + "<p>Some words here.</p>";
        let dom = Dom::parse(&page);
        assert!(dom.subtree_text(0).contains(SHORT), "{opener}");
    }
}

/// Deep nesting inside `<body>`, with a sentence-length paragraph: extraction
/// finds it at every depth.
#[test]
fn deep_nesting_in_body_keeps_sentence() {
    for opener in OPENERS {
        for &n in DEPTHS {
            let page = format!("<body>{}<p>{LONG}</p>", opener.repeat(n));
            let text = html_text(&page);
            assert!(text.contains(LONG), "{opener} × {n}: {text:?}");
        }
    }
}

/// Deep closed nesting: `<div>` × n, text, `</div>` × n.
#[test]
fn deep_closed_nesting_keeps_text() {
    for n in [10usize, 1_000, 100_000] {
        let page = format!("<body>{}<p>{LONG}</p>{}", "<div>".repeat(n), "</div>".repeat(n));
        assert!(html_text(&page).contains(LONG), "n={n}");
    }
}

#[test]
fn deep_div() {
    check_deep("<div>");
}

#[test]
fn deep_span() {
    check_deep("<span>");
}

#[test]
fn deep_li() {
    check_deep("<li>");
}

#[test]
fn deep_table() {
    check_deep("<table><tr><td>");
}

#[test]
fn deep_b() {
    check_deep("<b>");
}

#[test]
fn deep_unclosed_p() {
    check_deep("<p>");
}

// ---------------------------------------------------------------------------
// Large flat input
// ---------------------------------------------------------------------------

/// 1 MB of short paragraphs, no `<body>`.
#[test]
fn large_flat_short_paragraphs() {
    let para = "<p>word word word.</p>";
    let n = 1_000_000 / para.len() + 1;
    let page = para.repeat(n);
    let start = Instant::now();
    let text = html_text(&page);
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    let count = text.split("\n\n").filter(|p| *p == "word word word.").count();
    assert_eq!(count, n, "paragraphs out of {n}");
}

/// 1 MB of numbered sentence-length paragraphs inside `<body>`: all come out,
/// in order.
#[test]
fn large_flat_sentences_in_body() {
    let mut page = String::from("<html><body>");
    let mut n = 0;
    while page.len() < 1_000_000 {
        page.push_str(&format!(
            "<p>Paragraph {n} has enough words in it to count as article text.</p>\n"
        ));
        n += 1;
    }
    page.push_str("</body></html>");
    let start = Instant::now();
    let text = html_text(&page);
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    let paras: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paras.len(), n);
    for (i, p) in paras.iter().enumerate() {
        assert_eq!(
            *p,
            format!("Paragraph {i} has enough words in it to count as article text.")
        );
    }
}

// ---------------------------------------------------------------------------
// Pathological sizes
// ---------------------------------------------------------------------------

/// Many tags that the parser opens only once (`<html>`, `<head>`) after a long
/// run of other elements must stay linear.
#[test]
fn repeated_html_and_head_tags_stay_linear() {
    let page = "<i>".repeat(100_000) + &"<html>".repeat(25_000) + &"<head>".repeat(25_000);
    let start = Instant::now();
    let _ = Dom::parse(&page);
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}

/// Unterminated constructs swallowing a large input must not be slow.
#[test]
fn unterminated_constructs_on_large_input() {
    let body = "word &amp; <b>more</b> text. ".repeat(40_000);
    for prefix in [
        "<!--",
        "<script>",
        "<a href='",
        "<title>",
        "<plaintext>",
        "<?",
        "<!x",
        "</x",
        "<textarea>",
    ] {
        let page = format!("<body><p>{LONG}</p>{prefix}{body}");
        let start = Instant::now();
        let text = html_text(&page);
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{prefix}: took {:?}",
            start.elapsed()
        );
        assert!(text.contains(LONG), "{prefix}: {text:?}");
    }
}

/// Many stray end tags, entities and `<` characters.
#[test]
fn many_stray_constructs() {
    for unit in ["</div>", "</p>", "&", "&#", "<", "</", "&amp;", "<br>", "<a>", "</a>"] {
        let page = format!("<body><p>{LONG}</p>{}", unit.repeat(100_000));
        let text = html_text(&page);
        assert!(text.contains(LONG), "{unit}: {text:?}");
    }
}
