//! Page metadata: title, authors, dates, publisher, language and address.
//!
//! Sources, strongest first: JSON-LD (`NewsArticle` and friends), OpenGraph
//! and other `<meta>` conventions, microdata (`itemprop`), `<time>`, visible
//! bylines, and the URL. The original publication date is preferred over any
//! update date.

mod authors;
mod published;
mod title;

pub use authors::{looks_like_person, split_names};

use crate::dates::{date_from_url, parse_date_in};
use crate::html::{AttrName, Dom, Tag};
use serde_json::Value;

/// Metadata found in a page.
#[derive(Debug, Default, Clone)]
pub struct Metadata {
    /// Headline.
    pub title: Option<String>,
    /// Byline person names.
    pub authors: Vec<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Modification date.
    pub modified: Option<String>,
    /// Site name.
    pub publisher: Option<String>,
    /// Declared language (ISO 639-1).
    pub language: Option<String>,
    /// Canonical address.
    pub canonical_url: Option<String>,
}

/// `<meta>` values by lowercase `name`/`property`/`itemprop`, first one wins.
struct Metas<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Metas<'a> {
    fn collect(dom: &'a Dom) -> Self {
        let mut pairs = Vec::new();
        for i in dom.elements(Tag::Meta) {
            let Some(content) = dom.attr(i, AttrName::Content) else {
                continue;
            };
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            for key in [AttrName::Property, AttrName::Name, AttrName::Itemprop] {
                if let Some(k) = dom.attr(i, key) {
                    pairs.push((k.trim(), content));
                }
            }
        }
        Metas { pairs }
    }

    /// Every value of one key, in page order.
    fn get_all<'k>(&'k self, key: &'k str) -> impl Iterator<Item = &'a str> + 'k {
        self.pairs.iter().filter(move |(n, _)| *n == key).map(|&(_, v)| v)
    }

    fn get(&self, keys: &[&str]) -> Option<&'a str> {
        keys.iter()
            .find_map(|k| self.pairs.iter().find(|(n, _)| n == k).map(|&(_, v)| v))
    }
}

/// The JSON-LD facts about the article.
#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    in_language: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "LiveBlogPosting",
    "Report",
    "WebPage",
    "Blog",
    "Review",
];

/// The JSON values of a script's text, in order, up to the first error:
/// pages concatenate objects in one script, or leave a stray brace or
/// semicolon after a complete one, and what comes before is still good.
fn json_values(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

fn ld_objects(dom: &Dom) -> Vec<Value> {
    let mut out = Vec::new();
    for raw in &dom.json_ld {
        let mut values = json_values(raw);
        if values.is_empty() {
            // Pages put raw newlines and tabs inside strings; JSON forbids them.
            let cleaned: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            values = json_values(&cleaned);
        }
        // Flatten arrays and @graph containers, iteratively.
        let mut stack = values;
        stack.reverse();
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(g) = map.remove("@graph") {
                        stack.push(g);
                    }
                    out.push(Value::Object(map));
                }
                _ => {}
            }
        }
    }
    out
}

fn type_rank(v: &Value) -> Option<usize> {
    let types: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    types
        .iter()
        .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
        .min()
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(m) => m
            .get("name")
            .and_then(str_of)
            .or_else(|| m.get("@value").and_then(str_of)),
        Value::Array(a) => a.iter().find_map(str_of),
        _ => None,
    }
}

fn names_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(names_of).collect(),
        Value::Object(m) => {
            let is_org = m
                .get("@type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains("Organization"));
            if is_org {
                Vec::new()
            } else {
                m.get("name").and_then(str_of).into_iter().collect()
            }
        }
        Value::String(s) => vec![s.trim().to_string()],
        _ => Vec::new(),
    }
}

fn ld_article(dom: &Dom) -> LdArticle {
    let objects = ld_objects(dom);
    let mut best: Option<(usize, &Value)> = None;
    for o in &objects {
        if let Some(rank) = type_rank(o) {
            // Prefer real article types; among WebPage-like ones, the one with a date.
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, o));
            }
        }
    }
    let mut ld = LdArticle::default();
    if let Some((_, a)) = best {
        // A field the article object lacks may sit one level down, in the
        // page object it wraps (a misplaced brace puts it there).
        let field = |name: &str| -> Option<&Value> {
            a.get(name).or_else(|| {
                a.as_object()?
                    .values()
                    .filter(|v| v.is_object())
                    .find_map(|v| v.get(name))
            })
        };
        ld.headline = field("headline")
            .and_then(str_of)
            .or_else(|| a.get("name").and_then(str_of));
        ld.published = field("datePublished")
            .and_then(str_of)
            .or_else(|| field("dateCreated").and_then(str_of));
        ld.modified = field("dateModified").and_then(str_of);
        ld.authors = field("author")
            .or_else(|| field("creator"))
            .map(names_of)
            .unwrap_or_default();
        ld.publisher = a.get("publisher").and_then(str_of);
        ld.in_language = a.get("inLanguage").and_then(str_of);
    }
    if ld.publisher.is_none() {
        ld.publisher = objects
            .iter()
            .find(|o| {
                o.get("@type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t == "Organization" || t == "NewsMediaOrganization" || t == "WebSite")
            })
            .and_then(|o| o.get("name").and_then(str_of));
    }
    ld
}

/// Extracts metadata from a parsed page; `url` is the page's address if known.
pub fn extract(dom: &Dom, url: Option<&str>) -> Metadata {
    extract_near(dom, url, None)
}

/// [`extract`], knowing where the article's text starts (the node of its
/// first block): of several bylines or dates shown on a page, the nearest
/// to the article's start is the article's.
pub fn extract_near(dom: &Dom, url: Option<&str>, article_start: Option<u32>) -> Metadata {
    let metas = Metas::collect(dom);
    let ld = ld_article(dom);
    let canonical_url = dom
        .elements(Tag::Link)
        .find(|&i| {
            dom.attr(i, AttrName::Rel)
                .is_some_and(|r| r.split_whitespace().any(|t| t == "canonical"))
        })
        .and_then(|i| dom.attr(i, AttrName::Href))
        .map(|s| s.trim().to_string())
        .filter(|s| s.starts_with("http"))
        .or_else(|| {
            metas
                .get(&["og:url"])
                .map(str::to_string)
                .filter(|s| s.starts_with("http"))
        });
    let mut md = Metadata {
        canonical_url,
        ..Metadata::default()
    };
    let page_url = url.map(str::to_string).or_else(|| md.canonical_url.clone());

    md.publisher = metas
        .get(&[
            "og:site_name",
            "application-name",
            "al:android:app_name",
            "al:iphone:app_name",
        ])
        .map(clean)
        .or(ld.publisher.clone().map(|s| clean(&s)))
        .filter(|s| !s.is_empty());

    let publishers: Vec<String> = [
        metas.get(&["og:site_name"]),
        metas.get(&["application-name"]),
        ld.publisher.as_deref(),
        md.publisher.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(clean)
    .collect();
    md.title = title::title(dom, &metas, ld.headline.as_deref(), &publishers);
    if md.publisher.is_none() {
        md.publisher = publisher_from_title(dom.title.as_deref(), md.title.as_deref());
    }

    let locale = dom
        .elements(Tag::Html)
        .next()
        .and_then(|h| dom.attr(h, AttrName::Lang))
        .or_else(|| metas.get(&["content-language", "language", "dc.language", "og:locale", "inlanguage"]))
        .or(ld.in_language.as_deref());
    let day_first = published::day_first(locale);
    let parse_date = |s: &str| parse_date_in(s, day_first);
    let structured = ld.published.as_deref().and_then(parse_date).or_else(|| {
        metas
            .get(&[
                "article:published_time",
                "article:published",
                "og:published_time",
                "published_time",
                "datepublished",
                "publishdate",
                "publish-date",
                "pubdate",
                "date",
                "dc.date.issued",
                "dc.date",
                "dcterms.date",
                "dcterms.created",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "cxenseparse:recs:publishtime",
                "originalpublicationdate",
                "article_date_original",
                "date_published",
                "dc.date.created",
                "citation_publication_date",
                "og:pubdate",
                "release_date",
                "creation_date",
                "rnews:datepublished",
                "article.created",
                "publication_date",
                "publish_date",
                "pub_date",
                "datecreated",
                "timestamp",
            ])
            .and_then(parse_date)
    });
    let visible = published::visible_date(dom, article_start, day_first);
    md.published = match (structured, visible) {
        // Structured timestamps are often in UTC; the date the page shows its
        // readers above the article is the local one. Within a day of each
        // other, the page wins.
        (Some(s), Some(v)) if v.above && within_a_day(&s, &v.date) => Some(v.date),
        (Some(s), _) => Some(s),
        (None, v) => v
            .map(|v| v.date)
            .or_else(|| published::time_element(dom, day_first))
            .or_else(|| page_url.as_deref().and_then(date_from_url)),
    };
    md.modified = ld
        .modified
        .as_deref()
        .and_then(parse_date)
        .or_else(|| {
            metas
                .get(&[
                    "article:modified_time",
                    "og:updated_time",
                    "datemodified",
                    "last-modified",
                    "dcterms.modified",
                    "dc.date.modified",
                ])
                .and_then(parse_date)
        })
        .filter(|m| md.published.as_ref().is_none_or(|p| m >= p));

    let mut author_publishers: Vec<String> = publishers.iter().map(|p| key(p)).collect();
    author_publishers.extend(md.publisher.as_deref().map(key));
    // The site's own name in its address ("linknaija" of www.linknaija.com)
    // is the publisher when a page gives it as the author.
    author_publishers.extend(page_url.as_deref().and_then(site_label));
    let authors = authors::authors(dom, &metas, &ld.authors, &author_publishers, article_start);
    md.authors = authors;

    md.language = dom
        .elements(Tag::Html)
        .next()
        .and_then(|h| dom.attr(h, AttrName::Lang))
        .or_else(|| metas.get(&["content-language", "language", "dc.language", "og:locale", "inlanguage"]))
        .or(ld.in_language.as_deref())
        .and_then(language_code);
    md
}

/// The name-like label of a URL's host: "cnn" for edition.cnn.com,
/// "bbc" for www.bbc.co.uk.
fn site_label(url: &str) -> Option<String> {
    let host = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['/', '?', '#', ':'])
        .next()?;
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let mut end = labels.len() - 1; // the top-level domain
    if end >= 2
        && labels[end].len() == 2
        && ["co", "com", "org", "net", "ac", "gov", "ne", "or", "go"].contains(&labels[end - 1])
    {
        end -= 1;
    }
    let label = key(labels[end - 1]);
    (label.len() >= 3).then_some(label)
}

/// ISO 639-1 code from a language tag ("en-US", "pt_BR", "ko").
pub fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_lowercase())).then_some(primary)
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A comparison key: lowercase letters and digits only.
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " // ", " » ", " « ", " : "];

fn publisher_from_title(doc_title: Option<&str>, title: Option<&str>) -> Option<String> {
    let t = doc_title?;
    // Site names stand at either end of the document title.
    let title_key = title.map(key).unwrap_or_default();
    for sep in TITLE_SEPARATORS {
        if let Some(idx) = t.rfind(sep) {
            let (head, tail) = (&t[..idx], t[idx + sep.len()..].trim());
            if !title_key.is_empty()
                && key(head).contains(&title_key)
                && !tail.is_empty()
                && tail.split_whitespace().count() <= 5
            {
                return Some(tail.to_string());
            }
            let head = head.trim();
            if !title_key.is_empty()
                && key(tail).contains(&title_key)
                && !head.is_empty()
                && head.split_whitespace().count() <= 5
            {
                return Some(head.to_string());
            }
        }
    }
    None
}

fn within_a_day(a: &str, b: &str) -> bool {
    fn days(s: &str) -> Option<i64> {
        let y: i64 = s.get(0..4)?.parse().ok()?;
        let m: i64 = s.get(5..7)?.parse().ok()?;
        let d: i64 = s.get(8..10)?.parse().ok()?;
        Some(y * 372 + m * 31 + d)
    }
    match (days(a), days(b)) {
        // Month ends make 372-day years approximate; a day's difference is all that matters here.
        (Some(x), Some(y)) => (x - y).abs() <= 1 || ((x - y).abs() <= 4 && a[..4] == b[..4] && a[5..7] != b[5..7]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> Metadata {
        extract(&Dom::parse(html), None)
    }

    #[test]
    fn json_ld_wins_and_prefers_published() {
        let m = md(r#"<html lang="en-GB"><head><title>Big story | The Daily Test</title>
            <meta property="og:site_name" content="The Daily Test">
            <meta property="article:modified_time" content="2021-05-06T10:00:00Z">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
              "headline":"Big story","datePublished":"2021-05-04T23:10:00-04:00","dateModified":"2021-05-05",
              "author":[{"@type":"Person","name":"Ana Lima"},{"@type":"Person","name":"Bo Chen"}],
              "publisher":{"@type":"Organization","name":"Daily Test Ltd"}}]}</script></head>
            <body><h1>Big story</h1><p>Text.</p></body></html>"#);
        assert_eq!(m.title.as_deref(), Some("Big story"));
        assert_eq!(m.published.as_deref(), Some("2021-05-04"));
        assert_eq!(m.modified.as_deref(), Some("2021-05-05"));
        assert_eq!(m.authors, vec!["Ana Lima", "Bo Chen"]);
        assert_eq!(m.publisher.as_deref(), Some("The Daily Test"));
        assert_eq!(m.language.as_deref(), Some("en"));
    }

    #[test]
    fn json_ld_before_a_stray_brace_or_next_to_another_object_is_read() {
        for script in [
            // One closing brace too many after a complete object.
            r#"{"@type":"NewsArticle","datePublished":"2020-10-26T18:10:00+01:00"}}"#,
            // Two objects in one script, the article second.
            r#"{"@type":"Organization","name":"Gazette"} {"@type":"NewsArticle","datePublished":"2020-10-26"}"#,
            // A statement's semicolon after the object.
            "{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-10-26\"};",
        ] {
            let m = md(&format!(
                r#"<head><script type="application/ld+json">{script}</script></head>
                <body><div class="related"><a href="/x">Other story</a><span class="date">09.08.2020</span></div>
                <p>Text.</p></body>"#
            ));
            assert_eq!(m.published.as_deref(), Some("2020-10-26"), "{script}");
        }
    }

    #[test]
    fn meta_and_byline_fallbacks() {
        let m = md(r#"<head><title>Rain returns - Example Gazette</title>
            <link rel="canonical" href="https://gazette.test/2019/07/02/rain-returns"></head>
            <body><h1>Rain returns</h1><div class="byline">By Jane Roe and John Poe</div><p>x</p></body>"#);
        assert_eq!(m.title.as_deref(), Some("Rain returns"));
        assert_eq!(m.published.as_deref(), Some("2019-07-02"));
        assert_eq!(m.authors, vec!["Jane Roe", "John Poe"]);
        assert_eq!(m.publisher.as_deref(), Some("Example Gazette"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://gazette.test/2019/07/02/rain-returns")
        );
    }

    #[test]
    fn agencies_and_roles_are_not_authors() {
        assert!(!looks_like_person("Reuters"));
        assert!(!looks_like_person("Staff Writer"));
        assert!(looks_like_person("Anna Beispiel"));
        assert!(looks_like_person("정덕현"));
        let people: Vec<String> = split_names("By Jane Doe, Senior Editor")
            .into_iter()
            .filter(|n| looks_like_person(n))
            .collect();
        assert_eq!(people, ["Jane Doe"]);
    }

    #[test]
    fn a_staff_byline_given_as_the_author_is_kept() {
        let body = "<body><article><p>Text.</p></article></body>";
        let m = md(&format!(
            r#"<head><meta name="author" content="CNN Wire"></head>{body}"#
        ));
        assert_eq!(m.authors, vec!["CNN Wire"]);
        let m = md(&format!(
            r#"<head><meta name="author" content="Valley Herald Staff"></head>{body}"#
        ));
        assert_eq!(m.authors, vec!["Valley Herald Staff"]);
        // A role is still no author, nor a bare outlet.
        let m = md(&format!(
            r#"<head><meta name="author" content="Staff Writer"></head>{body}"#
        ));
        assert!(m.authors.is_empty(), "{:?}", m.authors);
        let m = md(&format!(r#"<head><meta name="author" content="Reuters"></head>{body}"#));
        assert!(m.authors.is_empty(), "{:?}", m.authors);
    }
}
