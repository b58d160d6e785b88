//! The publication date the page shows its readers.
//!
//! Structured timestamps (JSON-LD, `<meta>`) are often in UTC, so the day a
//! page shows can differ from them by one; within a day, the shown one wins
//! (see `metadata::extract`). What counts as "shown": a `<time>` element,
//! an element marked as a date or byline, or a short line that is a date
//! ("December 14, 2016", "2019年4月2日", "1. Dezember 2020") or starts with a
//! publication label ("Published", "Veröffentlicht", "Publicado", "公開日").
//! Of those, the one nearest above the start of the article text is the
//! article's: a page header's "today" and the dates of related links are
//! further away, and the page header, related-story lists and sidebars are
//! not searched at all.

use super::authors::elsewhere;
use crate::blocks::{visible_text, visible_text_within};
use crate::dates::parse_date_in;
use crate::html::{AttrName, Dom, Tag, NONE};
use crate::patterns::AnyOf;

/// Does the page's locale write `03/04/2019` day first? Everywhere but in
/// US English (and English without a region, which US sites mostly send).
pub(super) fn day_first(tag: Option<&str>) -> bool {
    let Some(tag) = tag else { return false };
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    let region = parts.next();
    if lang.is_empty() {
        return false;
    }
    if lang != "en" {
        return true;
    }
    matches!(
        region,
        Some("gb" | "uk" | "au" | "nz" | "ie" | "in" | "za" | "sg" | "ng" | "ke" | "pk" | "my" | "hk" | "gh")
    )
}

/// Words that introduce a publication date, in the languages we see.
const PUBLISHED_LABELS: &[&str] = &[
    "published",
    "posted",
    "veröffentlicht",
    "erschienen",
    "publicado",
    "publicada",
    "publié",
    "publiée",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "publikováno",
    "опубликовано",
    "опубліковано",
    "yayınlanma",
    "تم نشره",
    "نشر في",
    "公開日",
    "登録日",
    "掲載日",
    "発行日",
    "投稿日",
    "发布时间",
    "发布日期",
    "발행일",
    "등록",
];

/// Words that introduce a later date, which is not the publication's.
const UPDATED_LABELS: &[&str] = &[
    "updated",
    "last updated",
    "modified",
    "aktualisiert",
    "geändert",
    "actualizado",
    "mis à jour",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
    "zaktualizowano",
    "обновлено",
    "更新",
    "수정",
];

fn starts_with_any(text: &str, labels: &[&str]) -> bool {
    let lower = text.trim_start().to_lowercase();
    labels.iter().any(|l| lower.starts_with(l))
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_numeric())
}

/// Where a date is about something else: the words of a link (the linked
/// page's date; a `<time>` in a permalink is the page's own), a photo
/// caption, an update line, or the site's own header bar (its "today").
fn not_the_articles(dom: &Dom, i: u32) -> bool {
    let text = dom.node(i).tag == Tag::Text;
    let mut cur = dom.node(i).parent;
    let mut depth = 0;
    while cur != NONE {
        let n = dom.node(cur);
        match n.tag {
            Tag::Article | Tag::Main | Tag::Body | Tag::Html => return false,
            Tag::A if text => return true,
            Tag::Figure | Tag::Figcaption => return true,
            _ => {}
        }
        depth += 1;
        if depth <= 3 && marked_update(dom, cur) {
            return true;
        }
        let class = dom.attr(cur, AttrName::Class).unwrap_or("");
        let id = dom.attr(cur, AttrName::Id).unwrap_or("");
        // (No word holds a space, so it is in a token exactly when it is in
        // the value.)
        static HEADER_BAR: AnyOf = AnyOf::new(&[
            "masthead",
            "topbar",
            "top-bar",
            "navbar",
            "site-header",
            "global-header",
            "header-top",
        ]);
        if HEADER_BAR.is_in(class) || HEADER_BAR.is_in(id) {
            return true;
        }
        cur = n.parent;
    }
    false
}

/// Labels of dates that are about a person, not the page ("Joined May 11,
/// 2017" in a forum's user pane).
const PERSONAL_LABELS: &[&str] = &[
    "joined",
    "registered",
    "member since",
    "born",
    "beigetreten",
    "registriert",
    "mitglied seit",
    "inscrit",
    "inscrito",
    "registrado",
    "iscritto",
    "зарегистрирован",
];

/// A date labelled as a member's (in its own text or its label element just
/// before it, as in `<dt>Joined</dt><dd>May 11, 2017</dd>`).
fn someone_elses(dom: &Dom, i: u32) -> bool {
    let own = if dom.node(i).tag == Tag::Text {
        i
    } else {
        dom.node(i).first_child
    };
    if own != NONE && starts_with_any(dom.text_of(own), PERSONAL_LABELS) {
        return true;
    }
    // The element holding the date, and the sibling element before it.
    let holder = if dom.node(i).tag == Tag::Text {
        dom.node(i).parent
    } else {
        i
    };
    if holder == NONE || dom.node(holder).parent == NONE {
        return false;
    }
    let mut prev = NONE;
    for c in dom.children(dom.node(holder).parent) {
        if c == holder {
            break;
        }
        if dom.node(c).tag != Tag::Text || !dom.trimmed_text_of(c).is_empty() {
            prev = c;
        }
    }
    prev != NONE && visible_text_within(dom, prev, 40).is_some_and(|t| starts_with_any(&t, PERSONAL_LABELS))
}

/// Is the text a date and little else ("Monday, 18 November 2019, 14:05
/// Uhr"), rather than a sentence that mentions one?
fn mostly_date(t: &str) -> bool {
    let other: usize = t
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && crate::dates::month_from_word(w).is_none())
        .map(|w| w.chars().count())
        .sum();
    other <= 16
}

/// Words whose presence in a class, id, itemprop or test id marks a date
/// (`DATE_MARKS`), unless one of the `DATE_UNMARKS` is there too.
const DATE_MARKS: [&str; 9] = [
    "date", "time", "publish", "posted", "byline", "meta", "dateline", "created", "stamp",
];
const DATE_UNMARKS: [&str; 5] = ["update", "modif", "timeline", "runtime", "timer"];

static MARK_SET: AnyOf = AnyOf::new(&DATE_MARKS);
static UNMARK_SET: AnyOf = AnyOf::new(&DATE_UNMARKS);

fn marks_date(dom: &Dom, i: u32) -> bool {
    // One pass over the element's attributes, not one lookup per name: this
    // runs on every element of the page.
    dom.attrs_of(i).any(|(a, v)| {
        matches!(
            a,
            AttrName::Class | AttrName::Id | AttrName::Itemprop | AttrName::DataTestid
        ) && MARK_SET.is_in(v)
            && !UNMARK_SET.is_in(v)
    })
}

fn marked_update(dom: &Dom, i: u32) -> bool {
    let class = dom.attr(i, AttrName::Class).unwrap_or("");
    let itemprop = dom.attr(i, AttrName::Itemprop).unwrap_or("");
    class.contains("update") || class.contains("modif") || itemprop == "datemodified"
}

/// The date the page shows for the article, if any.
pub(super) fn visible_date(dom: &Dom, article_start: Option<u32>, day_first: bool) -> Option<Shown> {
    // (after the article's start, distance to it): smaller is better.
    let mut best: Option<((bool, u32), String)> = None;
    let mut consider = |at: u32, value: String| {
        let rank = match article_start {
            Some(s) => (at > s, at.abs_diff(s)),
            None => (false, at),
        };
        if best.as_ref().is_none_or(|(r, _)| rank < *r) {
            best = Some((rank, value));
        }
    };
    let parse = |t: &str| -> Option<String> {
        // (A bare number is no date on a page: unix timestamps are for metadata.)
        if !has_digit(t) || starts_with_any(t, UPDATED_LABELS) || t.trim().chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        parse_date_in(t, day_first)
    };
    for idx in 0..dom.nodes.len() as u32 {
        let node = dom.node(idx);
        let value = match node.tag {
            Tag::Document | Tag::Script | Tag::Style | Tag::Meta | Tag::Link | Tag::Head | Tag::Title => continue,
            Tag::Text => {
                let t = dom.trimmed_text_of(idx);
                // Neither a short date nor a labelled line is longer than
                // 120 characters: the paragraphs of the article, most of a
                // page's text, are passed over without a scan for digits.
                if t.is_empty() || t.chars().nth(120).is_some() || !has_digit(t) {
                    continue;
                }
                let n = t.chars().count();
                let short_date = n <= 60 && mostly_date(t);
                let labelled = n <= 120 && starts_with_any(t, PUBLISHED_LABELS);
                if !(short_date || labelled) {
                    continue;
                }
                match parse(t) {
                    Some(v) => v,
                    None => continue,
                }
            }
            Tag::Time => {
                if marked_update(dom, idx) {
                    continue;
                }
                let shown = visible_text(dom, idx);
                match parse(&shown).or_else(|| dom.attr(idx, AttrName::Datetime).and_then(&parse)) {
                    Some(v) => v,
                    None => continue,
                }
            }
            _ => {
                if !marks_date(dom, idx) || marked_update(dom, idx) {
                    continue;
                }
                if dom.attr(idx, AttrName::Itemprop) == Some("datepublished") {
                    if let Some(v) = dom.attr(idx, AttrName::Content).and_then(&parse) {
                        v
                    } else {
                        continue;
                    }
                } else {
                    let Some(t) = visible_text_within(dom, idx, 200) else {
                        continue;
                    };
                    match parse(&t) {
                        Some(v) => v,
                        None => continue,
                    }
                }
            }
        };
        if elsewhere(dom, idx) || not_the_articles(dom, idx) || someone_elses(dom, idx) {
            continue;
        }
        consider(idx, value);
    }
    best.map(|((after, _), date)| Shown { date, above: !after })
}

/// A date the page shows, and whether it stands above the article's text.
pub(super) struct Shown {
    pub date: String,
    pub above: bool,
}

/// A `<time>` element's machine-readable date (its `datetime`), for pages
/// that show none in words: the one marked as the publication's, else the
/// first that is not marked as an update.
pub(super) fn time_element(dom: &Dom, day_first: bool) -> Option<String> {
    let mut fallback = None;
    for i in dom.elements(Tag::Time) {
        if marked_update(dom, i) || elsewhere(dom, i) {
            continue;
        }
        let class = dom.attr(i, AttrName::Class).unwrap_or("");
        let itemprop = dom.attr(i, AttrName::Itemprop).unwrap_or("");
        if let Some(v) = dom
            .attr(i, AttrName::Datetime)
            .and_then(|d| parse_date_in(d, day_first))
        {
            if itemprop == "datepublished" || class.contains("publish") || class.contains("posted") {
                return Some(v);
            }
            fallback.get_or_insert(v);
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_mark_counts_unless_an_update_or_timeline_mark_shares_the_name() {
        let marks = |class: &str| {
            let dom = Dom::parse(&format!("<body><div class=\"{class}\">x</div></body>"));
            (0..dom.nodes.len() as u32).any(|i| marks_date(&dom, i))
        };
        assert!(marks("post-date"));
        assert!(marks("entry-meta"));
        assert!(marks("timestamp"));
        assert!(!marks("date-updated"));
        assert!(!marks("timeline"));
        assert!(!marks("article-body"));
    }

    fn shown(html: &str) -> Option<String> {
        let dom = Dom::parse(html);
        let main = crate::main_text::extract(&dom);
        visible_date(&dom, main.blocks.first().map(|b| b.owner), false).map(|s| s.date)
    }

    const BODY: &str = "<p>The council voted on Tuesday to close the old bridge for repairs that are expected to last until the spring, officials said.</p><p>Traffic will be diverted through the town centre, where new signals have been installed this week.</p>";

    #[test]
    fn a_date_line_above_the_article_beats_the_header_and_related_links() {
        let page = format!(
            "<body><header class=\"site-header\"><span class=\"today\">Monday, March 2, 2020</span></header>\
             <h1>Bridge closes</h1><div>December 14, 2016</div><article>{BODY}</article>\
             <div class=\"related\"><a href=/x>Older story</a> <span class=\"date\">May 1, 2015</span></div></body>"
        );
        assert_eq!(shown(&page).as_deref(), Some("2016-12-14"));
    }

    #[test]
    fn dates_in_many_languages_and_labelled_lines() {
        for (line, want) in [
            ("1. Dezember 2020", "2020-12-01"),
            ("Veröffentlicht am 01.12.2020, 14:05 Uhr", "2020-12-01"),
            ("2019年4月2日 09:43", "2019-04-02"),
            ("20 septembrie 2020", "2020-09-20"),
            ("Publié le 3 mars 2021 à 10h", "2021-03-03"),
        ] {
            let page = format!("<body><h1>Bridge closes</h1><p class=\"x\">{line}</p><article>{BODY}</article></body>");
            assert_eq!(shown(&page).as_deref(), Some(want), "{line}");
        }
        // An update line is not the publication date.
        let page = format!("<body><h1>Bridge closes</h1><p>Updated: 03.01.2021</p><article>{BODY}</article></body>");
        assert_eq!(shown(&page), None);
    }

    #[test]
    fn dates_about_something_else_do_not_count() {
        // A linked story's date, an update line, a member's join date, a caption.
        let page = format!(
            "<body><h1>Bridge closes</h1><p><a href=/orig>Original (posted 2019/02/16)</a></p>\
             <div class=\"updated\"><span>March 3, 2021</span></div>\
             <dl><dt>Joined</dt><dd>May 11, 2017</dd></dl>\
             <figure><figcaption>The bridge on Jan. 23, 2016.</figcaption></figure>\
             <article>{BODY}</article></body>"
        );
        assert_eq!(shown(&page), None);
        // A <time> in a permalink is the page's own date.
        let page = format!(
            "<body><h1>Bridge closes</h1><a href=/p/1><time datetime=\"2020-03-18T12:22:42-0400\">Mar 18, 2020</time></a>\
             <article>{BODY}</article></body>"
        );
        assert_eq!(shown(&page).as_deref(), Some("2020-03-18"));
    }

    #[test]
    fn locales() {
        assert!(!day_first(Some("en-US")));
        assert!(!day_first(Some("en")));
        assert!(day_first(Some("en-GB")));
        assert!(day_first(Some("de")));
        assert!(day_first(Some("pt_BR")));
        assert!(!day_first(None));
    }
}
