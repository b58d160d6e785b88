//! The headline: the one the page shows its readers (an `<h1>`, or the
//! element marked `itemprop=headline`) when the page's metadata (JSON-LD
//! `headline`, `og:title`, `<title>`) agrees with it, else the metadata's.
//!
//! Site names are the hazard: a branding `<h1>` holding the logo's name, a
//! `<title>` of "Headline | Section | Site", a site link glued to the
//! headline. Names known to be the site's (`og:site_name`, the JSON-LD
//! publisher, `<h1>`s that agree with nothing but an end of `<title>`) are
//! cut from the ends of every candidate before they are compared.

use super::{clean, key, Metas};
use crate::blocks::visible_text;
use crate::html::{AttrName, Dom, Tag, NONE};

/// Separators between the parts of a title, with spaces around them.
const SPACED_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " // ", " » ", " « ", " : ", " ｜ ", " • ",
];

/// Separators written without spaces: always these…
const BARE_SEPARATORS: &[char] = &['|', '｜', '：', '\u{3000}', '»', '«', '•'];
/// …and these only next to a letter of a script without spaces (CJK, Thai):
/// "見出し:サイト名", "标题_栏目_网站", but not "Re:Zero" or "snake_case".
const BARE_SEPARATORS_CJK: &[char] = &[':', '_', '-', '·'];

/// A place where a title can be cut: the byte range of the separator.
fn cuts(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for sep in SPACED_SEPARATORS {
        let mut from = 0;
        while let Some(off) = t[from..].find(sep) {
            out.push((from + off, from + off + sep.len()));
            from += off + sep.len();
        }
    }
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        let unspaced = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|&(_, n)| !n.is_whitespace());
        let (before, after) = (k.checked_sub(1), Some(k + 1));
        if !(unspaced(before) || unspaced(after)) {
            continue; // spaced: one of the above
        }
        let bare = BARE_SEPARATORS.contains(&c)
            || (BARE_SEPARATORS_CJK.contains(&c)
                && [before, after].iter().any(|j| {
                    j.and_then(|j| chars.get(j))
                        .is_some_and(|&(_, n)| is_unspaced_script(n))
                }));
        if bare {
            out.push((at, at + c.len_utf8()));
        }
    }
    out.sort_unstable();
    out.dedup();
    // Overlapping cuts (" | " holds "|"): keep the widest.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for c in out {
        match merged.last_mut() {
            Some(last) if c.0 < last.1 => last.1 = last.1.max(c.1),
            _ => merged.push(c),
        }
    }
    merged
}

/// Letters of scripts written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0xAC00..=0xD7AF | 0x0E00..=0x0E7F)
}

/// A short part: a section label or a site name, not a headline.
fn is_short(part: &str) -> bool {
    let words = part.split_whitespace().count();
    let chars = part.chars().filter(|c| c.is_alphanumeric()).count();
    if part.chars().any(is_unspaced_script) {
        chars <= 8
    } else {
        words <= 3
    }
}

fn is_long(part: &str) -> bool {
    let words = part.split_whitespace().count();
    if part.chars().any(is_unspaced_script) {
        part.chars().filter(|c| c.is_alphanumeric()).count() >= 6
    } else {
        words >= 3
    }
}

/// Does `part` name the site (one of `sites`, given as keys)?
fn names_site(part: &str, sites: &[String]) -> bool {
    let k = key(part);
    let n = k.chars().count();
    n >= 2
        && sites.iter().any(|s| {
            let m = s.chars().count();
            *s == k || (s.contains(&k) && n * 2 >= m) || (k.contains(s.as_str()) && m * 2 >= n)
        })
}

/// Cuts the site's name and the section labels next to it from the ends of a
/// title: "Headline » Local » News » Site" → "Headline". Without a known
/// site name, one short end part beside a long one is taken for it.
pub(super) fn strip_site_name(t: &str, sites: &[String]) -> String {
    let mut t = t.trim().to_string();
    let mut cut_site = false;
    for _ in 0..6 {
        let cs = cuts(&t);
        let (Some(&first), Some(&last)) = (cs.first(), cs.last()) else {
            break;
        };
        let (head, tail) = (t[..last.0].trim(), t[last.1..].trim());
        if names_site(tail, sites) || (cut_site && is_short(tail) && is_long(head)) || tail.is_empty() {
            t = head.to_string();
            cut_site = true;
            continue;
        }
        let (head, tail) = (t[..first.0].trim(), t[first.1..].trim());
        if names_site(head, sites) || head.is_empty() {
            t = tail.to_string();
            cut_site = true;
            continue;
        }
        break;
    }
    if cut_site {
        return t;
    }
    // No known site name: "Headline | Site" or "Site: A long headline".
    let site_like = |p: &str| {
        if p.chars().any(is_unspaced_script) {
            p.chars().filter(|c| c.is_alphanumeric()).count() <= 12
        } else {
            p.split_whitespace().count() <= 4
        }
    };
    let headline_like = |p: &str| {
        if p.chars().any(is_unspaced_script) {
            p.chars().filter(|c| c.is_alphanumeric()).count() >= 8
        } else {
            p.split_whitespace().count() >= 3
        }
    };
    for sep in SPACED_SEPARATORS {
        if let Some(idx) = t.rfind(sep) {
            let (head, tail) = (&t[..idx], &t[idx + sep.len()..]);
            if site_like(tail) && headline_like(head) {
                return head.trim().to_string();
            }
            if head.split_whitespace().count() <= 4 && tail.split_whitespace().count() >= 5 {
                return tail.trim().to_string();
            }
        }
    }
    t
}

/// Is `m` the heading `h` plus a part set off by a title separator
/// ("Headline - Full Text View", "見出し | 会社名")? Then the extra part is a
/// label, and the heading is the headline.
fn heading_plus_label(h: &str, m: &str) -> bool {
    let k = key(h);
    cuts(m).iter().any(|&(a, b)| key(&m[..a]) == k || key(&m[b..]) == k)
}

/// A visible headline element.
struct Heading {
    text: String,
    /// Hidden from view (a screen-reader-only site name) or in a logo/brand
    /// container: it counts only when the metadata agrees with it exactly.
    quiet: bool,
}

fn is_quiet(dom: &Dom, i: u32) -> bool {
    let mut cur = i;
    for _ in 0..4 {
        if cur == NONE {
            break;
        }
        let class = dom.attr(cur, AttrName::Class).unwrap_or("");
        let id = dom.attr(cur, AttrName::Id).unwrap_or("");
        let marked = |s: &str| {
            [
                "logo",
                "brand",
                "site-title",
                "sitetitle",
                "site-name",
                "sitename",
                "masthead",
            ]
            .iter()
            .any(|w| s.contains(w))
        };
        if marked(class) || marked(id) {
            return true;
        }
        if cur == i
            && ["hidden", "hide", "sr-only", "screen-reader", "offscreen"]
                .iter()
                .any(|w| class.contains(w))
        {
            return true;
        }
        cur = dom.node(cur).parent;
    }
    false
}

fn headings(dom: &Dom) -> Vec<Heading> {
    let mut out: Vec<(u32, Heading)> = Vec::new();
    let marked = dom.nodes.iter().enumerate().filter_map(|(i, n)| {
        let i = i as u32;
        (n.tag != Tag::Meta && n.tag != Tag::Text && dom.attr(i, AttrName::Itemprop) == Some("headline")).then_some(i)
    });
    for i in dom.elements(Tag::H1).take(8).chain(marked.take(3)) {
        if out.iter().any(|(j, _)| *j == i) || dom.attr(i, AttrName::Itemprop) == Some("alternativeheadline") {
            continue;
        }
        let text = clean(&visible_text(dom, i));
        if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            continue;
        }
        out.push((
            i,
            Heading {
                text,
                quiet: is_quiet(dom, i),
            },
        ));
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, h)| h).collect()
}

/// Word tokens for comparing two titles (characters in scripts without spaces).
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if w.chars().any(is_unspaced_script) {
            out.extend(w.chars().map(|c| c.to_lowercase().collect::<String>()));
        } else {
            out.push(w.to_lowercase());
        }
    }
    out
}

/// Share of `a`'s tokens found in `b` (as a bag).
fn covered(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() {
        return 0.0;
    }
    let mut pool: Vec<&String> = b.iter().collect();
    let mut hit = 0;
    for t in a {
        if let Some(p) = pool.iter().position(|x| *x == t) {
            pool.swap_remove(p);
            hit += 1;
        }
    }
    hit as f32 / a.len() as f32
}

pub(super) fn title(dom: &Dom, metas: &Metas, ld_headline: Option<&str>, publishers: &[String]) -> Option<String> {
    let mut sites: Vec<String> = publishers
        .iter()
        .map(|p| key(p))
        .filter(|k| k.chars().count() >= 2)
        .collect();
    let meta_titles: Vec<String> = ld_headline
        .into_iter()
        .chain(
            [
                "og:title",
                "twitter:title",
                "sailthru.title",
                "parsely-title",
                "dc.title",
                "headline",
            ]
            .iter()
            .filter_map(|k| metas.get(&[k])),
        )
        .map(clean)
        .filter(|t| !t.is_empty() && !sites.contains(&key(t)))
        .collect();
    let doc_title = dom.title.as_deref().map(clean).filter(|t| !t.is_empty());
    let heads = headings(dom);

    // Headings that agree with no metadata but name the site: an end part
    // of <title> (the shorter side of a cut), or a logo's heading.
    let raw_keys: Vec<String> = meta_titles.iter().map(|t| key(t)).collect();
    let agrees_raw = |h: &Heading| {
        let k = key(&h.text);
        raw_keys.iter().any(|m| m.contains(&k) || k.contains(m.as_str()))
    };
    for h in &heads {
        if agrees_raw(h) {
            continue;
        }
        // (Only against metadata: without it, "Headline - Site" cannot tell
        // which end a short heading is.)
        let end_of_title = !meta_titles.is_empty()
            && doc_title.as_deref().is_some_and(|t| {
                cuts(t).iter().any(|&(a, b)| {
                    let (head, tail) = (t[..a].trim(), t[b..].trim());
                    let k = key(&h.text);
                    (key(tail) == k && tail.chars().count() <= head.chars().count())
                        || (key(head) == k && head.chars().count() <= tail.chars().count())
                })
            });
        if h.quiet || end_of_title || names_site(&h.text, &sites) {
            sites.push(key(&h.text));
        }
    }

    // <title>'s short end part, cut as a guess, names the site too: the same
    // words then come off the metadata and the headings.
    if let Some(t) = &doc_title {
        let stripped = strip_site_name(t, &sites);
        let k = key(t);
        let sk = key(&stripped);
        if sk.len() < k.len() {
            let rest = if k.starts_with(&sk) {
                &k[sk.len()..]
            } else if k.ends_with(&sk) {
                &k[..k.len() - sk.len()]
            } else {
                ""
            };
            if rest.chars().count() >= 2 && !sites.iter().any(|s| s == rest) {
                sites.push(rest.to_string());
            }
        }
    }
    let metas_s: Vec<String> = meta_titles
        .iter()
        .map(|t| strip_site_name(t, &sites))
        .filter(|t| !t.is_empty())
        .collect();
    let doc_s = doc_title
        .as_deref()
        .map(|t| strip_site_name(t, &sites))
        .filter(|t| !t.is_empty());
    let confirm: Vec<&String> = metas_s.iter().chain(doc_s.iter()).collect();
    // Exact agreement also counts before cutting: a headline with a colon
    // in it ("“Song” Lyrics : Artist") may lose a part to the cutting.
    let confirm_raw: Vec<&String> = confirm
        .iter()
        .copied()
        .chain(meta_titles.iter())
        .chain(doc_title.iter())
        .collect();
    let visible: Vec<&Heading> = heads.iter().filter(|h| !names_site(&h.text, &sites)).collect();

    // 1. A heading that some metadata states exactly; then one that is the
    //    metadata's words with the site's name glued on (in a logo link).
    for h in &visible {
        let k = key(&h.text);
        if confirm_raw.iter().any(|c| key(c) == k) {
            return Some(h.text.clone());
        }
    }
    for h in &visible {
        let k = key(&h.text);
        for c in &confirm {
            let ck = key(c);
            if ck.chars().count() >= 2 && sites.iter().any(|s| k == format!("{ck}{s}") || k == format!("{s}{ck}")) {
                return Some((*c).clone());
            }
        }
    }
    let loud: Vec<&&Heading> = visible.iter().filter(|h| !h.quiet).collect();
    // 2. A heading that is part of the metadata's title: the fuller one wins
    //    ("Artist" in "Artist: Album"); metadata that is part of the heading
    //    gives way to it, unless a second source has the shorter form too.
    for h in &loud {
        let k = key(&h.text);
        if k.chars().count() < 4 {
            continue;
        }
        for (n, m) in metas_s.iter().enumerate() {
            let mk = key(m);
            if mk.len() > k.len() && mk.contains(&k) {
                return Some(if heading_plus_label(&h.text, m) {
                    h.text.clone()
                } else {
                    m.clone()
                });
            }
            if k.len() > mk.len() && k.contains(&mk) && mk.chars().count() * 10 >= k.chars().count() * 5 {
                let seconded = confirm.iter().enumerate().any(|(j, c)| j != n && key(c) == mk);
                return Some(if seconded { m.clone() } else { h.text.clone() });
            }
        }
        // <title> adds site names and labels to the headline, not words.
        if let Some(d) = &doc_s {
            let dk = key(d);
            if dk.contains(&k) && k.chars().count() * 10 >= dk.chars().count() * 3 {
                return Some(h.text.clone());
            }
        }
    }
    // 3. A heading that shares most of its words with the metadata's title
    //    (which adds a topic label, or spells an abbreviation out).
    for h in &loud {
        let ht = tokens(&h.text);
        if ht.len() < 3 {
            continue;
        }
        for m in &metas_s {
            let mt = tokens(m);
            if covered(&ht, &mt) >= 0.6 && covered(&mt, &ht) >= 0.5 {
                return Some(h.text.clone());
            }
        }
    }
    metas_s
        .into_iter()
        .next()
        .or(doc_s)
        .or_else(|| loud.first().map(|h| h.text.clone()))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| key(x)).collect()
    }

    #[test]
    fn site_names_and_labels_are_cut_from_the_ends() {
        let s = sites(&["Ultima Hora Mallorca"]);
        assert_eq!(
            strip_site_name(
                "Anticorrupción decidirá en Madrid » Local » Noticias » Ultima Hora Mallorca",
                &s
            ),
            "Anticorrupción decidirá en Madrid"
        );
        assert_eq!(
            strip_site_name(
                "Kashmir issue: China snubs Imran Khan | India News - Times of India",
                &sites(&["The Times of India"])
            ),
            "Kashmir issue: China snubs Imran Khan"
        );
        assert_eq!(
            strip_site_name(
                "マインドマップ風のツリーを描画できる「Treeviz」:phpspot開発日誌",
                &sites(&["phpspot開発日誌"])
            ),
            "マインドマップ風のツリーを描画できる「Treeviz」"
        );
        assert_eq!(
            strip_site_name("てくろぐ: 2019年のスマホ政策", &sites(&["てくろぐ"])),
            "2019年のスマホ政策"
        );
        assert_eq!(
            strip_site_name(
                "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报",
                &sites(&["好奇心日报"])
            ),
            "这个约会软件，想用你和对方的相似好恶来帮你找对象"
        );
        // No known site: one short end part beside a long one.
        assert_eq!(
            strip_site_name("Rain returns to the valley - Example Gazette", &[]),
            "Rain returns to the valley"
        );
        // Colons inside Latin words and titles are not cuts.
        assert_eq!(
            strip_site_name("Re:Zero returns: the second season", &[]),
            "Re:Zero returns: the second season"
        );
    }

    fn title_of(html: &str) -> Option<String> {
        crate::metadata::extract(&Dom::parse(html), None).title
    }

    #[test]
    fn a_branding_heading_is_not_the_title() {
        // The logo's <h1> (an SVG title inside it) and a hidden site-name <h1>.
        let page = r#"<head><title>Ferries halted as crews strike | The Coastline Post</title>
            <meta property="og:title" content="Ferries halted as crews strike">
            <meta property="og:site_name" content="The Coastline Post"></head>
            <body><header><a href="/"><h1><svg><title>The Coastline Post</title></svg></h1></a></header>
            <h1 class="visually-hidden">The Coastline Post</h1>
            <article><h1>Ferries halted as crews strike</h1><p>Text.</p></article></body>"#;
        assert_eq!(title_of(page).as_deref(), Some("Ferries halted as crews strike"));
        // Without og:site_name: a heading that is only the end of <title>.
        let page = r#"<head><title>Lisbon ferries halted as crews strike 　国際ニュース：Wire News</title>
            <meta property="og:title" content="Lisbon ferries halted as crews strike"></head>
            <body><h1>国際ニュース：Wire News</h1><h1>Lisbon ferries halted as crews strike</h1></body>"#;
        assert_eq!(title_of(page).as_deref(), Some("Lisbon ferries halted as crews strike"));
    }

    #[test]
    fn the_heading_and_the_metadata_agree_or_the_fuller_one_wins() {
        // The heading is part of og:title: the fuller one.
        let page = r#"<head><meta property="og:title" content="Lust for Youth: Lust for Youth"></head>
            <body><h1>Lust for Youth</h1></body>"#;
        assert_eq!(title_of(page).as_deref(), Some("Lust for Youth: Lust for Youth"));
        // …unless the rest is set off as a label.
        let page = r#"<head><meta property="og:title" content="Changes in Tumor DNA in Lung Cancer - Full Text View"></head>
            <body><h1>Changes in Tumor DNA in Lung Cancer</h1></body>"#;
        assert_eq!(title_of(page).as_deref(), Some("Changes in Tumor DNA in Lung Cancer"));
        // A topic label and a spelled-out abbreviation: most words shared.
        let page = r#"<head><meta property="og:title" content="Kashmir issue: China snubs Imran Khan, says resolve Jammu and Kashmir bilaterally | India News - Times of India">
            <meta property="og:site_name" content="The Times of India"></head>
            <body><h1>China snubs Imran Khan, says resolve J&amp;K bilaterally</h1></body>"#;
        assert_eq!(
            title_of(page).as_deref(),
            Some("China snubs Imran Khan, says resolve J&K bilaterally")
        );
        // A site link glued to the headline inside the <h1>.
        let page = r#"<head><title>Anticorrupción decidirá si recurre » Local » Noticias » Ultima Hora Mallorca</title>
            <meta name="twitter:title" content="Anticorrupción decidirá si recurre"></head>
            <body><h1><span>Anticorrupción decidirá si recurre</span><a href="/">Ultima Hora Mallorca</a></h1></body>"#;
        assert_eq!(title_of(page).as_deref(), Some("Anticorrupción decidirá si recurre"));
        // An alternative headline is not the headline.
        let page = r#"<head><title>Decorating Mistakes | Home</title>
            <meta property="og:title" content="The 5 Biggest Decorating Mistakes Millennials Make"></head>
            <body><h1 itemprop="alternativeHeadline">Decorating Mistakes</h1></body>"#;
        assert_eq!(
            title_of(page).as_deref(),
            Some("The 5 Biggest Decorating Mistakes Millennials Make")
        );
    }
}
