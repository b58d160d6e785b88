//! Reprint notices ("This article was originally published by …") and wire
//! datelines ("LISBON (Reuters) -"), which link a copy to the publisher it
//! came from.

use aho_corasick::AhoCorasick;
use gleaner_record::Syndication;
use std::sync::OnceLock;

/// Phrases after which a notice names the original publisher.
const NOTICE_CUES: &[&str] = &[
    "originally published by ",
    "originally published in ",
    "originally published on ",
    "originally published at ",
    "originally appeared in ",
    "originally appeared on ",
    "originally appeared at ",
    "first published by ",
    "first published in ",
    "first published on ",
    "first appeared in ",
    "first appeared on ",
    "reprinted with permission from ",
    "reprinted with permission of ",
    "republished with permission from ",
    "republished from ",
    "republished with permission of ",
    "reproduced with permission from ",
    "reprinted from ",
    "is republished from ",
    "courtesy of ",
    "published in partnership with ",
];

/// Wire services recognised in datelines, by the form they take in parentheses.
const WIRES: &[(&str, &str)] = &[
    ("Reuters", "Reuters"),
    ("AP", "Associated Press"),
    ("AFP", "Agence France-Presse"),
    ("Bloomberg", "Bloomberg"),
    ("dpa", "Deutsche Presse-Agentur"),
    ("UPI", "United Press International"),
    ("Xinhua", "Xinhua"),
    ("Yonhap", "Yonhap"),
    ("IANS", "IANS"),
    ("PTI", "Press Trust of India"),
    ("ANI", "ANI"),
    ("EFE", "EFE"),
    ("ANSA", "ANSA"),
    ("Kyodo", "Kyodo News"),
    ("TASS", "TASS"),
    ("CNN", "CNN"),
    ("AAP", "Australian Associated Press"),
    ("CP", "The Canadian Press"),
];

/// A reprint notice in one paragraph: the original publisher and the notice.
/// Only short paragraphs qualify: a notice is a sentence or two, not a story
/// that happens to mention another outlet.
pub fn notice(paragraph: &str) -> Option<Syndication> {
    let p = paragraph.trim();
    if p.chars().count() > 400 {
        return None;
    }
    // Most paragraphs hold no cue: one case-blind pass over them spares the
    // lowercased copy and the cue-by-cue searches (issue 16). It misses
    // nothing the searches below would find: the cues are ASCII with no 'k'
    // and no 'i' last, and no other letter lowercases to their letters
    // (the Kelvin sign gives 'k'; 'İ' gives 'i' and a combining dot).
    static CUES: OnceLock<AhoCorasick> = OnceLock::new();
    let cues = CUES.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(NOTICE_CUES)
            .unwrap_or_else(|e| unreachable!("fixed patterns: {e}"))
    });
    if !cues.is_match(p) {
        return None;
    }
    let lower = p.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; only trust ASCII positions.
    if lower.len() != p.len() {
        return None;
    }
    for cue in NOTICE_CUES {
        if let Some(pos) = lower.find(cue) {
            let rest = &p[pos + cue.len()..];
            let publisher = publisher_name(rest)?;
            return Some(Syndication {
                original_publisher: Some(publisher),
                notice: Some(p.to_string()),
                duplicate_of: None,
            });
        }
    }
    None
}

/// The capitalised name at the start of `s`: "Radio Free Asia and is …" →
/// "Radio Free Asia"; "The Conversation under a Creative Commons …" → "The Conversation".
fn publisher_name(s: &str) -> Option<String> {
    let mut words = Vec::new();
    for (k, w) in s.split_whitespace().enumerate() {
        let clean = w.trim_end_matches([',', '.', ';', ':', ')', '"', '\u{201d}']);
        let ends = clean.len() != w.len();
        let joins = matches!(clean, "of" | "for" | "the" | "and" | "&" | "de" | "del" | "der") && k > 0;
        let capital = clean
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !(capital || joins) || clean.is_empty() {
            break;
        }
        words.push(clean);
        if ends || words.len() >= 8 {
            break;
        }
    }
    // A trailing joiner ("Radio Free Asia and") is not part of the name.
    while words
        .last()
        .is_some_and(|w| matches!(*w, "of" | "for" | "the" | "and" | "&" | "de" | "del" | "der"))
    {
        words.pop();
    }
    let name = words.join(" ");
    (!name.is_empty()).then_some(name)
}

/// A wire dateline at the start of a story: "LISBON (Reuters) - …",
/// "WASHINGTON (AP) — …". Returns the wire's name and the dateline.
pub fn wire_dateline(first_paragraph: &str) -> Option<Syndication> {
    let head: String = first_paragraph.chars().take(80).collect();
    let open = head.find('(')?;
    let close = open + head[open..].find(')')?;
    let after = head[close + 1..].trim_start();
    if !after.starts_with(['-', '\u{2013}', '\u{2014}', ':']) {
        return None;
    }
    let inside = head[open + 1..close].trim();
    let place = head[..open].trim();
    // The place is written in capitals ("LISBON", "NEW DELHI") or is absent.
    if place.chars().any(|c| c.is_lowercase()) || place.chars().count() > 40 {
        return None;
    }
    let (_, full) = WIRES
        .iter()
        .find(|(short, _)| inside == *short || inside.eq_ignore_ascii_case(short) && short.len() > 3)?;
    let dash_end = close + 1 + (head[close + 1..].len() - after.len()) + after.chars().next().map_or(0, char::len_utf8);
    Some(Syndication {
        original_publisher: Some(full.to_string()),
        notice: Some(head[..dash_end].trim().to_string()),
        duplicate_of: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprint_notices() {
        let s = notice("This article was originally published by Radio Free Asia and is reprinted with permission.")
            .unwrap();
        assert_eq!(s.original_publisher.as_deref(), Some("Radio Free Asia"));
        let s = notice("Reprinted with permission from The Kestrel Basin Monitor.").unwrap();
        assert_eq!(s.original_publisher.as_deref(), Some("The Kestrel Basin Monitor"));
        let s = notice("This article is republished from The Conversation under a Creative Commons license.").unwrap();
        assert_eq!(s.original_publisher.as_deref(), Some("The Conversation"));
        assert!(notice("The minister said the plan was first published in draft form last year.").is_none());
    }

    #[test]
    fn wire_datelines() {
        let s = wire_dateline("LISBON (Reuters) - Portugal's government said on Monday...").unwrap();
        assert_eq!(s.original_publisher.as_deref(), Some("Reuters"));
        assert_eq!(s.notice.as_deref(), Some("LISBON (Reuters) -"));
        let s = wire_dateline("NEW DELHI (AP) \u{2014} Officials said").unwrap();
        assert_eq!(s.original_publisher.as_deref(), Some("Associated Press"));
        assert!(wire_dateline("The mayor (who was elected in May) - said nothing").is_none());
        assert!(wire_dateline("Officials in Lisbon (Reuters reported) said").is_none());
    }
}
