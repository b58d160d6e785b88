//! Plain-text pages, such as scraped reprints: a promo line glued on top, a
//! headline, an image caption with its credit, a date line, a reprint notice,
//! then the story.
//!
//! The page is read as paragraphs. The header (everything before the first
//! paragraph of running prose) is sorted into headline, date, byline, credits,
//! promos and notices; the rest is the body, from which promos and credits are
//! cut as well.

use crate::article::Article;
use crate::blocks::{Block, BlockKind};
use crate::dates::parse_date;
use crate::html::NONE;
use crate::metadata::{looks_like_person, split_names};
use crate::syndication;

const PLATFORMS: &[&str] = &[
    "Telegram",
    "WhatsApp",
    "YouTube",
    "Facebook",
    "Twitter",
    "Instagram",
    "TikTok",
    "Signal",
    "Viber",
    "Discord",
];

/// Extracts an article from plain text.
pub fn extract(text: &str) -> Article {
    let paragraphs = split_paragraphs(text);
    let mut art = Article::default();
    let mut in_header = true;
    for p in paragraphs {
        if let Some(publisher) = promo_publisher(&p) {
            if art.meta.publisher.is_none() && !publisher.is_empty() {
                art.meta.publisher = Some(publisher);
            }
            art.removed.push(p);
            continue;
        }
        if let Some(s) = syndication::notice(&p) {
            if art.syndication.is_none() {
                art.syndication = Some(s);
            }
            art.removed.push(p);
            continue;
        }
        if is_credit_line(&p) {
            art.removed.push(p);
            continue;
        }
        if in_header {
            let short = p.chars().count() <= 200 && !p.contains('\n');
            if short && art.meta.published.is_none() && p.chars().count() <= 60 {
                if let Some(d) = parse_date(&p) {
                    art.meta.published = Some(d);
                    continue;
                }
            }
            if short && art.meta.authors.is_empty() && (p.starts_with("By ") || p.starts_with("by ")) {
                let names: Vec<String> = split_names(&p).into_iter().filter(|n| looks_like_person(n)).collect();
                if !names.is_empty() {
                    art.meta.authors = names;
                    continue;
                }
            }
            if short && art.meta.title.is_none() && !is_prose(&p) {
                art.meta.title = Some(p);
                continue;
            }
            in_header = false;
        }
        let kind = if !is_prose(&p) && p.chars().count() < 120 && !p.ends_with(['"', '\u{201d}']) {
            BlockKind::Heading(2)
        } else {
            BlockKind::Paragraph
        };
        let chars = p.chars().count() as u32;
        art.blocks.push(Block {
            kind,
            text: p,
            owner: 0,
            chars,
            link_chars: 0,
            neg: NONE,
            row: NONE,
            list: NONE,
        });
    }
    if art.syndication.is_none() {
        if let Some(first) = art.blocks.first() {
            art.syndication = syndication::wire_dateline(&first.text);
        }
    }
    art
}

/// Paragraphs are separated by blank lines; a text without any blank line has
/// one paragraph per line.
fn split_paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let has_blank = text.split('\n').any(|l| l.trim().is_empty());
    let raw: Vec<&str> = if has_blank {
        text.split("\n\n").collect()
    } else {
        text.split('\n').collect()
    };
    let mut out = Vec::new();
    for chunk in raw {
        // Within a paragraph, lines are rejoined unless they are short
        // header-like lines written one after another.
        let lines: Vec<&str> = chunk.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        // Header lines written one under another (caption, then date) are
        // separate; hard-wrapped prose is one paragraph.
        let header_like = |l: &str| {
            (l.chars().count() <= 60 && parse_date(l).is_some())
                || is_credit_line(l)
                || l.starts_with("By ")
                || promo_publisher(l).is_some()
        };
        if lines.len() > 1 && lines.iter().any(|l| header_like(l)) {
            out.extend(lines.iter().map(|l| collapse(l)));
        } else {
            out.push(collapse(&lines.join(" ")));
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Running prose: long enough and ending like a sentence.
fn is_prose(p: &str) -> bool {
    let words = p.split_whitespace().count();
    words >= 12
        && p.trim_end()
            .ends_with(['.', '!', '?', '"', '\u{201d}', '\u{2019}', ':', '\u{3002}'])
}

/// A promo line ("Join our brand new verified AMN Telegram channel …").
/// Returns the outlet it names (possibly empty) when it is one.
fn promo_publisher(p: &str) -> Option<String> {
    if p.chars().count() > 250 {
        return None;
    }
    let lower = p.to_lowercase();
    let promo = [
        "join our",
        "follow us",
        "subscribe to our",
        "sign up for our",
        "download our app",
        "support our journalism",
        "click here to",
        "like us on",
    ]
    .iter()
    .any(|c| lower.starts_with(c) || lower.contains(&format!(". {c}")))
        || PLATFORMS
            .iter()
            .any(|pl| lower.contains(&format!("{} channel", pl.to_lowercase())));
    if !promo {
        return None;
    }
    let words: Vec<&str> = p.split_whitespace().collect();
    let name = words
        .iter()
        .position(|w| {
            PLATFORMS
                .iter()
                .any(|pl| w.trim_matches(|c: char| !c.is_alphanumeric()) == *pl)
        })
        .and_then(|k| {
            let mut name = Vec::new();
            for w in words[..k].iter().rev() {
                let lw = w.to_lowercase();
                if !w.chars().next().is_some_and(char::is_uppercase)
                    || matches!(lw.as_str(), "join" | "our" | "the" | "verified" | "official")
                {
                    break;
                }
                name.push(*w);
            }
            name.reverse();
            (!name.is_empty()).then(|| name.join(" "))
        });
    Some(name.unwrap_or_default())
}

/// Image captions and credits: "North Korean border to China (Nicor/WikiCommons)",
/// "Photo: Jane Roe/AP", "(Getty Images)".
fn is_credit_line(p: &str) -> bool {
    if p.chars().count() > 200 || is_prose(p) {
        return false;
    }
    let lower = p.to_lowercase();
    let starts = [
        "photo:",
        "photo by",
        "image:",
        "image by",
        "credit:",
        "photograph:",
        "picture:",
        "pictured:",
        "file photo",
        "(photo",
        "(image",
        "caption:",
    ];
    if starts.iter().any(|s| lower.starts_with(s)) {
        return true;
    }
    let agencies = [
        "getty images",
        "ap photo",
        "afp via getty",
        "reuters/",
        "shutterstock",
        "wikicommons",
        "wikimedia",
        "/ap",
        "/afp",
        "creative commons",
        "istock",
        "epa-efe",
        "/epa",
    ];
    if let (Some(open), true) = (p.rfind('('), p.trim_end().ends_with(')')) {
        let inside = &lower[lower.len().min(open)..];
        if inside.contains('/')
            || agencies.iter().any(|a| inside.contains(a))
            || inside.contains("photo")
            || inside.contains("credit")
        {
            return true;
        }
    }
    agencies.iter().any(|a| lower.ends_with(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promo_names_the_outlet() {
        assert_eq!(
            promo_publisher("Join our brand new verified AMN Telegram channel and get important news uncensored!")
                .as_deref(),
            Some("AMN")
        );
        assert_eq!(promo_publisher("Authorities said the border was closed."), None);
    }

    #[test]
    fn credits() {
        assert!(is_credit_line("North Korean border to China (Nicor/WikiCommons)"));
        assert!(is_credit_line("Photo: Jane Roe"));
        assert!(!is_credit_line(
            "The ministry (which oversees trade) said it would act."
        ));
    }

    #[test]
    fn header_and_body() {
        let a = extract("Follow us on Telegram for more!\n\nRiver talks stall again\n\nMarch 3, 2023\n\nBy Ana Lima\n\nNegotiators from both provinces left the meeting without an agreement on Tuesday, officials said.\n\n\u{201c}We will return next week,\u{201d} one delegate said after the talks ended in the capital.");
        assert_eq!(a.meta.title.as_deref(), Some("River talks stall again"));
        assert_eq!(a.meta.published.as_deref(), Some("2023-03-03"));
        assert_eq!(a.meta.authors, vec!["Ana Lima"]);
        assert_eq!(a.blocks.len(), 2);
        assert!(a.text().starts_with("Negotiators"));
        assert_eq!(a.removed, vec!["Follow us on Telegram for more!"]);
    }
}
