//! Authors: from JSON-LD, from `<meta>` tags, or from the byline the page
//! shows, in that order of trust, with two checks that keep a publisher or
//! a neighbouring story's writer out:
//!
//! - a `<meta>` author that the visible byline does not name gives way to the
//!   byline (`author` meta tags often hold the company: "Condé Nast");
//! - of the bylines on a page, the one nearest the start of the article text
//!   is the article's (others belong to teasers, sidebars and comments), and
//!   bylines inside related-story, sidebar or comment containers never count.
//!
//! Names are cut from their labels and trimmings in any of the languages we
//! see ("By", "Von", "Por", "Par", "投稿者", glued or not), at dates, roles and
//! outlets, and split into lists ("A, B and C").

use super::{clean, key, Metas};
use crate::blocks::{visible_text, visible_text_within};
use crate::html::{AttrName, Dom, Tag, NONE};
use crate::patterns::AnyOf;

/// Words before names that introduce a byline, longest first within each
/// language (compared case-insensitively; a colon may follow).
const LABELS: &[&str] = &[
    "about the author",
    "written by",
    "posted by",
    "words by",
    "story by",
    "text by",
    "published by",
    "by",
    "author",
    "authors",
    "von",
    "autor",
    "autorin",
    "autoren",
    "text",
    "por",
    "texto",
    "par",
    "auteur",
    "auteurs",
    "di",
    "door",
    "av",
    "af",
    "przez",
    "投稿者",
    "著者",
    "執筆者",
    "執筆",
    "文",
    "記者",
    "作者",
    "撰文",
    "글",
];

/// The most characters in a label of `LABELS` ("about the author").
const LONGEST_LABEL_CHARS: usize = 16;

/// Last words of a staff byline: the outlet's people as one author.
const COLLECTIVE: &[&str] = &["staff", "team", "desk", "wire", "editors", "newsroom"];

/// Words that are never part of a person's name in a byline: roles,
/// outlets, and link labels (compared lowercase, punctuation trimmed).
const NOT_NAMES: &[&str] = &[
    "staff",
    "admin",
    "administrator",
    "editor",
    "editors",
    "editorial",
    "reporter",
    "correspondent",
    "writer",
    "contributor",
    "news",
    "desk",
    "team",
    "agency",
    "press",
    "associated",
    "reuters",
    "afp",
    "updated",
    "published",
    "posted",
    "share",
    "follow",
    "email",
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "min",
    "read",
    "senior",
    "contributing",
    "photo",
    "photos",
    "image",
    "video",
    "wire",
    "service",
    "bureau",
    "guest",
    "comments",
    "comment",
    "more",
    "view",
    "all",
    "articles",
    "profile",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "corp",
    "media",
    "redaktion",
    "redacción",
    "rédaction",
    "redazione",
    "redação",
    "redactie",
    "redakcja",
    "agencia",
    "agencias",
    "stories",
    "recent",
    "latest",
    "most",
    "posts",
    "the",
    "special",
    "assistant",
    "chief",
    "director",
    "officer",
    "manager",
    "deputy",
    "columnist",
    "analyst",
    "producer",
    "anchor",
    "founder",
    "ceo",
    "professor",
    "intern",
    "fellow",
    "journalist",
    "journalistin",
    "redakteur",
    "redakteurin",
    "periodista",
    "journaliste",
    "giornalista",
];

/// Lowercase words inside names.
const PARTICLES: &[&str] = &[
    "de", "la", "le", "du", "des", "del", "della", "di", "da", "dos", "das", "do", "van", "von", "der", "den", "ter",
    "bin", "ibn", "al", "el", "y", "zu",
];

/// Words that end a byline's names: what follows is a date or a role
/// ("By Jane Doe December 7, 2016", "Jane Doe Updated 3 hours ago").
const STOP_WORDS: &[&str] = &[
    "updated",
    "published",
    "posted",
    "on",
    "at",
    "am",
    "um",
    "翻訳者",
    "翻訳",
    "訳",
    "編集",
    "撮影",
    "写真",
    "译者",
    "编辑",
    "摄影",
];

/// Labels that are also words of names ("Di Maria", "Von Trier"): a label
/// only before two capitalised words.
const AMBIGUOUS_LABELS: &[&str] = &["von", "di", "par", "por", "door", "av", "af", "text", "texto", "autor"];

/// Is this word a month or weekday name (which ends a byline's names)?
fn is_calendar_word(w: &str) -> bool {
    let w = w.trim_end_matches(['.', ',']).to_lowercase();
    crate::dates::month_from_word(&w).is_some()
        || [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "mon",
            "tue",
            "wed",
            "thu",
            "fri",
            "sat",
            "sun",
        ]
        .contains(&w.as_str())
}

/// Removes byline labels from the start of `t`, repeatedly ("By by X",
/// "ByX", "Autor: X", "投稿者 X", "文● X").
fn strip_labels(t: &str) -> &str {
    let mut t = t.trim_start();
    'again: loop {
        // Most texts start with no label's first letter: they are spared the
        // lowercased copy. (The first character's lowercase is the copy's
        // first character; a final sigma aside, and no label starts with one.)
        let first = t.chars().next().and_then(|c| c.to_lowercase().next());
        if !first.is_some_and(|f| LABELS.iter().any(|l| l.starts_with(f))) {
            return t;
        }
        let lower = t.to_lowercase();
        for label in LABELS {
            if !lower.starts_with(label) {
                continue;
            }
            // Lowercasing can change byte lengths only outside ASCII; labels
            // are matched on the original by character count.
            let n = label.chars().count();
            let Some((cut, _)) = t.char_indices().nth(n).or(Some((t.len(), ' '))) else {
                continue;
            };
            let rest = &t[cut..];
            let next = rest.chars().next();
            let label_is_cjk = !label.is_ascii();
            let glued_name = next.is_some_and(|c| c.is_uppercase()) && n >= 2;
            let separated = next.is_some_and(|c| {
                c.is_whitespace() || matches!(c, ':' | '：' | '●' | '■' | '・' | '/' | '／' | '|' | '-' | '–')
            });
            let long_cjk = label_is_cjk && n >= 2 && next.is_some();
            if AMBIGUOUS_LABELS.contains(label) {
                let after: Vec<&str> = rest.split_whitespace().take(2).collect();
                let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
                if !(separated && after.len() == 2 && after.iter().all(capitalised)) {
                    continue;
                }
            }
            if separated || glued_name || long_cjk {
                t = rest.trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ':' | '：' | '●' | '■' | '・' | '/' | '／' | '|' | '-' | '–')
                });
                continue 'again;
            }
        }
        return t;
    }
}

/// "Andrew HusbandTwitter" → "Andrew Husband": a label word glued to the end
/// of a name by markup without spaces.
fn unglue_labels(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for w in name.split_whitespace() {
        let mut w = w.to_string();
        // (`w` changes only on the way out of the loop: one lowercasing per
        // word, not one per label.)
        let lw = w.to_lowercase();
        for label in NOT_NAMES {
            if lw.len() > label.len() + 1 && lw.ends_with(label) {
                let cut = w.len() - label.len();
                if w.is_char_boundary(cut)
                    && w[cut..].chars().next().is_some_and(char::is_uppercase)
                    && w[..cut].chars().last().is_some_and(char::is_lowercase)
                {
                    w.truncate(cut);
                    break;
                }
            }
        }
        words.push(w);
    }
    words.join(" ")
}

/// "By Jane Doe and John Roe, Staff Writers" → ["Jane Doe", "John Roe",
/// "Staff Writers"] (the caller keeps what looks like a person).
pub fn split_names(s: &str) -> Vec<String> {
    let t = clean(s);
    let mut t = strip_labels(&t);
    // A short label before a colon, in any language ("Текст: …", "Fotos y texto: …").
    if let Some((label, rest)) = t.split_once([':', '：']) {
        if label.split_whitespace().count() <= 3
            && !label.chars().any(|c| c.is_ascii_digit())
            && !rest.trim().is_empty()
        {
            t = rest.trim();
        }
    }
    // Parenthesised handles and notes go: "Junichi Niino（jniino）".
    let mut no_parens = String::new();
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' if depth > 0 => depth -= 1,
            _ if depth == 0 => no_parens.push(c),
            _ => {}
        }
    }
    // Cut trailing roles, dates and outlets: "Jane Doe | Updated", "Jane Doe. Outlet".
    let t = no_parens.split(['|', '•', '·', '\n', '—']).next().unwrap_or("").trim();
    let t = cut_at_sentence_end(t);
    let mut out = Vec::new();
    for (n, part) in t
        .split([',', ';', '&', '/', '、', '，'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" und "))
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" e "))
        .flat_map(|p| p.split(" y "))
        .flat_map(|p| p.split(" i "))
        .flat_map(|p| p.split(" en "))
        .flat_map(|p| p.split(" och "))
        .flat_map(|p| p.split(" og "))
        .flat_map(|p| p.split(" AND "))
        .enumerate()
    {
        let p = strip_labels(part.trim());
        let p = unglue_labels(p);
        let mut words: Vec<&str> = Vec::new();
        let all: Vec<&str> = p.split_whitespace().collect();
        for (k, w) in all.iter().enumerate() {
            let lw = w.to_lowercase();
            let bare = lw.trim_matches(|c: char| !c.is_alphanumeric());
            // A month or weekday before a number is a date ("April" alone is a name).
            let date_word = is_calendar_word(w) && all.get(k + 1).is_none_or(|n| n.chars().any(|c| c.is_ascii_digit()));
            // A lowercase word after a name ends it ("Michael Larabel in Valve"),
            // unless it is a particle ("de la").
            let lower_word = w.chars().next().is_some_and(char::is_lowercase) && !PARTICLES.contains(&bare);
            if w.chars().any(|c| c.is_ascii_digit())
                || date_word
                || STOP_WORDS.contains(&bare)
                || (lower_word && !words.is_empty())
            {
                break;
            }
            words.push(w);
        }
        // A role after the first name ends it: "Steve Gillman Contributor",
        // "Sam Stein Senior Politics Editor" (a later part with a role is a
        // role: "Jane Doe, AP Auto Writer").
        if n == 0 {
            let is_role = |w: &&str| listed(NOT_NAMES, w);
            // A collective last word is no role but a staff byline ("ZDNet
            // Japan Staff"), which `name_like` judges whole.
            let staff = words.len() >= 2 && listed(COLLECTIVE, words[words.len() - 1]);
            if let Some(r) = words
                .iter()
                .position(is_role)
                .filter(|&r| r >= 2 && !(staff && r == words.len() - 1))
            {
                words.truncate(r);
            }
        }
        let p = words.join(" ");
        let p = p.trim().trim_end_matches(['.', ':', ',', '-']).trim();
        if !p.is_empty() {
            out.push(p.to_string());
        }
    }
    out
}

/// The names before a sentence end (". "), where a single capital before the
/// dot is an initial ("Laura E. Adkins", "T.C. Sottek"), not an end.
fn cut_at_sentence_end(t: &str) -> &str {
    let mut from = 0;
    while let Some(off) = t[from..].find(". ") {
        let at = from + off;
        let word = t[..at].rsplit(' ').next().unwrap_or("");
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let initial = letters == 1
            || (word.contains('.') && letters <= 3)
            || ["jr", "sr", "dr", "st"].contains(&word.to_lowercase().as_str());
        if !initial {
            return &t[..at];
        }
        from = at + 2;
    }
    t
}

/// A person's name: 1–5 words, mostly capitalised (or in a script without
/// case), no digits, no role words. One word only where the source says it
/// is an author (`strong`): handles such as "doumae" are names there.
pub fn looks_like_person(s: &str) -> bool {
    name_like(s, false)
}

/// Whether `w`, lowercased and without surrounding punctuation, is in `list`.
fn listed(list: &[&str], w: &str) -> bool {
    list.contains(&w.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Whether a word's first letter is a capital.
fn is_cap(w: &str) -> bool {
    w.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase)
}

fn name_like(s: &str, strong: bool) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 5
        || s.chars().any(|c| c.is_ascii_digit() || c == '#')
        || s.contains("://")
        || s.contains('@')
    {
        return false;
    }
    // "ZDNet Japan Staff", "Smart Shopping Team": a staff byline, where the
    // source says it is the author, names the author collectively. (A bare
    // outlet, "Condé Nast", is still no author.)
    if strong && words.len() >= 2 && listed(COLLECTIVE, words[words.len() - 1]) {
        let owner = &words[..words.len() - 1];
        return owner.iter().all(|w| is_cap(w)) && owner.iter().all(|w| !listed(NOT_NAMES, w));
    }
    if words.iter().any(|w| listed(NOT_NAMES, w)) {
        return false;
    }
    let caseless = s
        .chars()
        .any(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase());
    if caseless {
        return s.chars().count() <= 20;
    }
    // "Cleveland.com", "example.org": a site, not a person.
    let domain = words.iter().any(|w| {
        w.rsplit_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && (2..=4).contains(&b.len()) && b.chars().all(|c| c.is_ascii_lowercase())
        })
    });
    if domain {
        return false;
    }
    if words.len() == 1 {
        // Single words are too often handles or outlets ("admin", "Reuters").
        let lw = s.to_lowercase();
        return strong
            && s.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !NOT_NAMES.iter().any(|n| n.len() >= 4 && lw.contains(n));
    }
    // Names begin and end with a capital; particles may be lowercase
    // ("Alejandro de la Garza", "Ludwig van Beethoven").
    let particles = words
        .iter()
        .filter(|w| PARTICLES.contains(&w.to_lowercase().as_str()))
        .count();
    let capitalised = words.iter().filter(|w| is_cap(w)).count();
    is_cap(words[0]) && words.last().is_some_and(|w| is_cap(w)) && capitalised * 2 > words.len() - particles
}

/// Names from one source, with what is not a person's name dropped.
fn names(texts: &[String], strong: bool, publishers: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        let after = strip_labels(t);
        let labelled = after.len() < t.trim_start().len();
        // "By clicking this box, I agree…": a sentence, not a byline.
        if labelled && after.split_whitespace().count() > 2 && after.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let mut parts = split_names(t);
        // "By X": the label says X is the author, even one word ("by doumae").
        let strong = strong || labelled;
        // "Gillman, Steve": one name written surname first.
        if strong && parts.len() == 2 && parts.iter().all(|p| !p.contains(' ')) && t.matches(',').count() == 1 {
            parts = vec![format!("{} {}", parts[1], parts[0])];
        }
        // "January 17, 2017 at 6:08 PM by Kori Schulman": the names follow
        // a label inside the line.
        let mut strong = strong;
        if !parts.iter().any(|n| name_like(n, strong)) {
            if let Some(rest) = after_inner_label(t) {
                parts = split_names(rest);
                strong = true;
            }
        }
        for n in parts {
            let k = key(&n);
            if name_like(&n, strong) && !publishers.contains(&k) && !out.iter().any(|o| key(o) == k) {
                out.push(n);
            }
        }
    }
    out
}

/// The text after a byline label standing inside a line (" by ", " von ").
fn after_inner_label(t: &str) -> Option<&str> {
    let lower = t.to_lowercase();
    ["by", "von", "por", "par"].iter().find_map(|label| {
        [format!(" {label} "), format!(" {label}: ")]
            .iter()
            .find_map(|pat| lower.find(pat.as_str()))
            .and_then(|at| t.get(at + 1..))
    })
}

/// Containers whose bylines belong to other stories or to readers (judged
/// per class token, skipping page-state tokens such as `has-sidebar`).
pub(super) fn elsewhere(dom: &Dom, i: u32) -> bool {
    static WORDS: AnyOf = AnyOf::new(&[
        "related",
        "recommend",
        "sidebar",
        "teaser",
        "promo",
        "trending",
        "popular",
        "recirc",
        "comment",
        "outbrain",
        "taboola",
        "latest",
        "summary-item",
        "read-next",
        "readnext",
        "more-stories",
        "morestories",
        "most-read",
        "mostread",
        "widget",
    ]);
    // (No tag counts: pages put the article's byline in <aside>, <footer>
    // and even <nav>.)
    let mut cur = dom.node(i).parent;
    while cur != NONE {
        let n = dom.node(cur);
        if matches!(n.tag, Tag::Body | Tag::Html) {
            return false;
        }
        for a in [AttrName::Class, AttrName::Id, AttrName::DataTestid] {
            let Some(v) = dom.attr(cur, a) else { continue };
            let hit = v.split_ascii_whitespace().any(|token| {
                WORDS.is_in(token) && !crate::patterns::STATE_PREFIXES.iter().any(|p| token.starts_with(p))
            });
            if hit {
                return true;
            }
        }
        cur = n.parent;
    }
    false
}

/// Path segments of a link to the writer's page: /author/jane-doe, /autoren/…
const AUTHOR_SEGMENTS: [&str; 24] = [
    "author",
    "authors",
    "autor",
    "autoren",
    "auteur",
    "auteurs",
    "autore",
    "autori",
    "journalist",
    "journalists",
    "journalisten",
    "writer",
    "writers",
    "contributor",
    "contributors",
    "editors",
    "columnist",
    "columnists",
    "reporter",
    "reporters",
    "redakteur",
    "redaktion",
    "periodista",
    "periodistas",
];

/// Words in a class, id or test id that mark a byline (`BYLINE_MARKS`),
/// unless one of the `BYLINE_UNMARKS` is there too (in any of them).
const BYLINE_MARKS: [&str; 4] = ["byline", "author", "writer", "contributor"];
const BYLINE_UNMARKS: [&str; 14] = [
    "bio",
    "avatar",
    "image",
    "img",
    "photo",
    "description",
    "about",
    "more",
    "follow",
    "social",
    "share",
    "job",
    "title",
    "count",
];

static BYLINE_MARK_SET: AnyOf = AnyOf::new(&BYLINE_MARKS);
static BYLINE_UNMARK_SET: AnyOf = AnyOf::new(&BYLINE_UNMARKS);

/// Does the element's markup say it holds the byline or an author's name?
fn marks_byline(dom: &Dom, i: u32, tag: Tag) -> bool {
    // The six attributes read here are gathered in one pass over the
    // element's attributes (each name is kept once): this runs on every
    // element, and a lookup per name was a scan of the list each.
    let (mut rel, mut itemprop, mut href) = (None, None, None);
    let mut marked: [Option<&str>; 3] = [None; 3]; // class, id, test id
    for (a, v) in dom.attrs_of(i) {
        match a {
            AttrName::Rel => rel = Some(v),
            AttrName::Itemprop => itemprop = Some(v),
            AttrName::Href => href = Some(v),
            AttrName::Class => marked[0] = Some(v),
            AttrName::Id => marked[1] = Some(v),
            AttrName::DataTestid => marked[2] = Some(v),
            _ => {}
        }
    }
    if tag == Tag::A && rel.is_some_and(|r| r.contains("author")) {
        return true;
    }
    if itemprop.is_some_and(|p| p == "author" || p == "creator") {
        return true;
    }
    // A link to the writer's page: /author/jane-doe, /autoren/…, /about/editors/….
    if tag == Tag::A {
        let path_marks = href.is_some_and(|h| {
            let path = h
                .split_once("://")
                .map_or(h, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
            path.split(['/', '?', '#'])
                .any(|seg| AUTHOR_SEGMENTS.iter().any(|w| w.eq_ignore_ascii_case(seg)))
        });
        if path_marks {
            return true;
        }
    }
    let has = |set: &AnyOf| marked.iter().flatten().any(|v| set.is_in(v));
    has(&BYLINE_MARK_SET) && !has(&BYLINE_UNMARK_SET)
}

/// A byline the page shows: its element's document position and the text(s)
/// to read names from.
struct Byline {
    at: u32,
    texts: Vec<String>,
    /// The markup says "author" (not only a "By" line in the text).
    marked: bool,
    /// `rel=author` or `itemprop=author`: one-word names (handles) count.
    explicit: bool,
}

fn visible_bylines(dom: &Dom) -> Vec<Byline> {
    let mut out: Vec<Byline> = Vec::new();
    let mut inside_until = 0u32; // skip elements inside a byline already taken
    for idx in 0..dom.nodes.len() as u32 {
        let tag = dom.node(idx).tag;
        if idx < inside_until || matches!(tag, Tag::Text | Tag::Document | Tag::Meta | Tag::Link | Tag::Script) {
            continue;
        }
        if !marks_byline(dom, idx, tag) || elsewhere(dom, idx) {
            continue;
        }
        // Nested names (itemprop=name) are the cleanest reading.
        let end = subtree_end(dom, idx);
        let mut texts: Vec<String> = Vec::new();
        for j in idx + 1..end {
            if dom.attr(j, AttrName::Itemprop) == Some("name") {
                let t = if dom.node(j).tag == Tag::Meta {
                    dom.attr(j, AttrName::Content).unwrap_or("").to_string()
                } else {
                    visible_text(dom, j)
                };
                if !t.trim().is_empty() {
                    texts.push(t);
                }
            }
        }
        if texts.is_empty() {
            // A long text is a container that happens to be named so.
            // (`clean` leaves a visible text as it is: single spaces between
            // words, none at the ends.)
            let Some(t) = visible_text_within(dom, idx, 200).map(|t| clean(&t)) else {
                continue;
            };
            if t.is_empty() {
                continue;
            }
            texts.push(t);
        }
        let explicit = (tag == Tag::A && dom.attr(idx, AttrName::Rel).is_some_and(|r| r.contains("author")))
            || dom
                .attr(idx, AttrName::Itemprop)
                .is_some_and(|p| p == "author" || p == "creator");
        out.push(Byline {
            at: idx,
            texts,
            marked: true,
            explicit,
        });
        inside_until = end;
    }
    // Bylines written as text: a short line that starts with a label.
    for idx in 0..dom.nodes.len() as u32 {
        if dom.node(idx).tag != Tag::Text {
            continue;
        }
        let t = dom.trimmed_text_of(idx);
        // Length first: most text nodes are long, and the label checks
        // lowercase the whole text.
        if t.is_empty() || t.len() > 200 {
            continue;
        }
        // Lowercasing never shortens a text in characters, so a text longer
        // than every label is none, and is spared the lowercased copy.
        let lone_label = || {
            let bare = t.trim_end_matches([':', '：']);
            bare.chars().nth(LONGEST_LABEL_CHARS).is_none() && LABELS.contains(&bare.to_lowercase().as_str())
        };
        if strip_labels(t).len() == t.len() && !lone_label() {
            continue;
        }
        // The label may stand alone ("By " then a link): read on in its
        // block from the label.
        let mut p = dom.node(idx).parent;
        while p != NONE && !dom.node(p).tag.is_block() {
            p = dom.node(p).parent;
        }
        let block = if p != NONE {
            clean(&visible_text(dom, p))
        } else {
            t.to_string()
        };
        let line: String = match block.find(t) {
            Some(at) => block[at..].chars().take(200).collect(),
            None => t.to_string(),
        };
        if elsewhere(dom, idx) {
            continue;
        }
        out.push(Byline {
            at: idx,
            texts: vec![line],
            marked: false,
            explicit: false,
        });
    }
    out
}

fn subtree_end(dom: &Dom, root: u32) -> u32 {
    let mut cur = root;
    loop {
        let n = dom.node(cur);
        if n.next_sibling != NONE {
            return n.next_sibling;
        }
        if n.parent == NONE {
            return dom.nodes.len() as u32;
        }
        cur = n.parent;
    }
}

/// Meta tags naming authors, most specific first; every tag of a key counts
/// (scholarly pages list one `citation_author` per author).
const META_KEYS: &[&str] = &[
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
    "cxenseparse:author",
    "author",
];

pub(super) fn authors(
    dom: &Dom,
    metas: &Metas,
    ld_authors: &[String],
    publishers: &[String],
    article_start: Option<u32>,
) -> Vec<String> {
    let from_ld = names(ld_authors, true, publishers);
    if !from_ld.is_empty() {
        return from_ld;
    }
    let mut from_meta = Vec::new();
    for k in META_KEYS {
        let values: Vec<String> = metas
            .get_all(k)
            .filter(|v| !v.starts_with("http"))
            .map(str::to_string)
            .collect();
        from_meta = names(&values, true, publishers);
        if !from_meta.is_empty() {
            break;
        }
    }
    // The byline nearest the start of the article text: marked ones first,
    // then those above the text (bylines stand under the headline).
    let bylines = visible_bylines(dom);
    let rank = |b: &Byline| {
        let (before, distance) = match article_start {
            Some(s) => (b.at <= s, b.at.abs_diff(s)),
            None => (true, b.at),
        };
        (!b.marked, !before, distance)
    };
    let mut best: Option<((bool, bool, u32), Vec<String>)> = None;
    for b in &bylines {
        // A "By" line in the text counts above the article or at its start,
        // not after it (a footer's "Theme by …").
        if !b.marked && article_start.is_some_and(|s| b.at > s + 50) {
            continue;
        }
        let found = names(&b.texts, b.explicit, publishers);
        if found.is_empty() {
            continue;
        }
        let r = rank(b);
        if best.as_ref().is_none_or(|(br, _)| r < *br) {
            best = Some((r, found));
        }
    }
    let from_page = best.map(|(_, n)| n).unwrap_or_default();
    if from_meta.is_empty() {
        return from_page;
    }
    // A meta author that no byline on the page names (the publishing
    // company, a desk) gives way to the byline's names.
    let shown: Vec<String> = bylines.iter().flat_map(|b| b.texts.iter().map(|t| key(t))).collect();
    let corroborated = from_meta.iter().any(|m| {
        let k = key(m);
        shown.iter().any(|t| t.contains(&k))
    });
    if !from_page.is_empty() && !corroborated {
        return from_page;
    }
    from_meta
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lone-label check skips texts longer than this; a longer label
    /// would never be found alone.
    #[test]
    fn longest_label_chars_is_the_longest_label() {
        let longest = LABELS.iter().map(|l| l.chars().count()).max();
        assert_eq!(longest, Some(LONGEST_LABEL_CHARS));
    }

    /// The first-letter shortcut must not skip a label in any case or
    /// script, and must leave texts that start otherwise untouched.
    #[test]
    fn labels_come_off_in_any_case_and_others_stay() {
        assert_eq!(strip_labels("BY Jane Doe"), "Jane Doe");
        assert_eq!(strip_labels("  AUTHOR: Jan Nowak"), "Jan Nowak");
        assert_eq!(strip_labels("Autor Jan Nowak"), "Jan Nowak");
        assert_eq!(strip_labels("投稿者 山田太郎"), "山田太郎");
        assert_eq!(strip_labels("글 김철수"), "김철수");
        assert_eq!(strip_labels("Jane Doe"), "Jane Doe");
        assert_eq!(strip_labels("Σ by X"), "Σ by X");
        assert_eq!(strip_labels(""), "");
    }

    #[test]
    fn labels_and_trimmings_come_off() {
        assert_eq!(split_names("ByTravis Haney"), ["Travis Haney"]);
        assert_eq!(
            split_names("By by JOSH HASKELL, DAVID CAPLAN and PATRICK REEVELL"),
            ["JOSH HASKELL", "DAVID CAPLAN", "PATRICK REEVELL"]
        );
        assert_eq!(split_names("About The AuthorPaul"), ["Paul"]);
        assert_eq!(split_names("投稿者 Masafumi Negishi"), ["Masafumi Negishi"]);
        assert_eq!(
            split_names("Von Anna Beispiel und Jonas Muster"),
            ["Anna Beispiel", "Jonas Muster"]
        );
        assert_eq!(split_names("Por María López"), ["María López"]);
        assert_eq!(split_names("Par Jean Dupont"), ["Jean Dupont"]);
        assert_eq!(split_names("Andrew HusbandTwitter"), ["Andrew Husband"]);
        assert_eq!(split_names("By Megan French December 7, 2016"), ["Megan French"]);
        assert_eq!(split_names("by Steve Gillman Contributor"), ["Steve Gillman"]);
        assert_eq!(split_names("Laura E. Adkins"), ["Laura E. Adkins"]);
        assert_eq!(split_names("T.C. Sottek"), ["T.C. Sottek"]);
        assert_eq!(split_names("Junichi Niino（jniino）"), ["Junichi Niino"]);
        assert_eq!(split_names("Jane Doe. The Outlet"), ["Jane Doe"]);
    }

    fn authors_of(html: &str) -> Vec<String> {
        let dom = Dom::parse(html);
        let main = crate::main_text::extract(&dom);
        crate::metadata::extract_near(
            &dom,
            Some("https://www.dailyplanet.test/a"),
            main.blocks.first().map(|b| b.owner),
        )
        .authors
    }

    const BODY: &str = "<p>The council voted on Tuesday to close the old bridge for repairs that are expected to last until the spring, officials said.</p><p>Traffic will be diverted through the town centre, where new signals have been installed this week.</p>";

    #[test]
    fn a_publisher_in_the_author_meta_gives_way_to_the_byline() {
        let page = format!(
            r#"<head><meta name="author" content="Condé Nast"></head><body><h1>Bridge closes</h1>
            <p class="byline">By <a href="/contributors/jane-roe">Jane Roe</a></p><article>{BODY}</article></body>"#
        );
        assert_eq!(authors_of(&page), ["Jane Roe"]);
        // A meta author the byline names stays.
        let page = format!(
            r#"<head><meta name="author" content="Jane Roe"></head><body><p class="byline">By Jane Roe, Staff Writer</p>
            <article>{BODY}</article></body>"#
        );
        assert_eq!(authors_of(&page), ["Jane Roe"]);
    }

    #[test]
    fn the_byline_nearest_the_article_wins_and_teasers_do_not_count() {
        let page = format!(
            r#"<body><div class="sidebar"><span class="author">Heidi Other</span></div>
            <h1>Bridge closes</h1><div class="post-byline">January 17, 2017 at 6:08 PM ET by Kori Schulman</div>
            <article>{BODY}</article>
            <div class="related-stories"><a rel="author" href="/author/x">Sam Else</a></div>
            <footer>Theme by TemplateShop</footer></body>"#
        );
        assert_eq!(authors_of(&page), ["Kori Schulman"]);
    }

    #[test]
    fn every_citation_author_counts_and_the_site_is_no_author() {
        let page = format!(
            r#"<head><meta name="citation_author" content="Havell Markus"><meta name="citation_author" content="Jun Zhao">
            </head><body>{BODY}</body>"#
        );
        assert_eq!(authors_of(&page), ["Havell Markus", "Jun Zhao"]);
        let page = format!(r#"<head><meta name="author" content="DailyPlanet"></head><body>{BODY}</body>"#);
        assert_eq!(authors_of(&page), Vec::<String>::new());
        // A "By" sentence is not a byline.
        let page =
            format!(r#"<body>{BODY}<p>By checking this box, I agree to the terms and privacy policy.</p></body>"#);
        assert!(authors_of(&page).is_empty());
    }

    #[test]
    fn single_words_only_where_the_markup_says_author() {
        assert!(name_like("doumae", true));
        assert!(!name_like("doumae", false));
        assert!(!name_like("Reuters", true));
        assert!(!name_like("mediagene Inc", true));
    }
}
