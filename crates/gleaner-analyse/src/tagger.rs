//! A statistical name tagger: a greedy left-to-right averaged perceptron
//! over hashed features, with BIO tags for people, organisations and
//! places.
//!
//! The rules in [`crate::entities`] find names that a cue announces (a title,
//! "said", an organisation word, the gazetteer); the tagger has learnt from
//! annotated text what names look like in context, so it can type a run the
//! rules cannot ("Emirates", "Comcast") and tell a person from a phrase.
//! `scripts/train-ner.py` trains it on openly licensed corpora (Universal NER
//! English-EWT, wikigold; see `data/README.md`) and writes
//! `data/ner-weights.bin`, compiled in: 2^18 feature buckets × 7 tags of `i8`
//! weights (1.8 MB).
//!
//! Cost is kept to a few hundred nanoseconds a token: every token gets two
//! hashes (its lowercased form and its shape); only tokens that start with a
//! capital or a digit, or follow a name token, are scored (21 features × 7
//! tags of byte-sized additions); all others are O, as in training. The
//! features, their order and the hashes are the ones `train-ner.py` uses:
//! a change to one must be made to both and the model retrained.

use std::sync::OnceLock;

use crate::tokens::Token;

const WEIGHTS: &[u8] = include_bytes!("../data/ner-weights.bin");
const MAGIC: &[u8; 8] = b"GLNER001";
const TAGS: usize = 7;
/// Tag indices: O, then B and I for PER, ORG, LOC.
const LABELS: [&str; 3] = ["PERSON", "ORG", "PLACE"];

/// A name the tagger found (byte span) with its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Index of the first token.
    pub first: usize,
    /// Index after the last token.
    pub last: usize,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end (a possessive "’s" left out).
    pub end: usize,
    /// PERSON, ORG or PLACE.
    pub label: &'static str,
    /// The smallest, over the span's tokens, of the margin between the
    /// chosen tag's score and the best other tag's, in weight units: how
    /// sure the model is.
    pub margin: i32,
}

struct Model {
    mask: u32,
    /// `i8` weights stored as bytes, row-major by bucket.
    weights: &'static [u8],
}

/// The compiled-in model, or `None` if the file is not a model of this
/// layout (then the tagger finds nothing and the rules work alone).
fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let head = WEIGHTS.get(..20)?;
            if &head[..8] != MAGIC {
                return None;
            }
            let bits = u32::from_le_bytes(head[8..12].try_into().ok()?);
            let tags = u32::from_le_bytes(head[12..16].try_into().ok()?);
            if !(8..=24).contains(&bits) || tags as usize != TAGS {
                return None;
            }
            let body = &WEIGHTS[20..];
            if body.len() != (1usize << bits) * TAGS {
                return None;
            }
            Some(Model {
                mask: (1u32 << bits) - 1,
                weights: body,
            })
        })
        .as_ref()
}

/// Whether the compiled-in weights loaded.
pub fn loaded() -> bool {
    model().is_some()
}

/// FNV-1a, 32 bits.
fn fnv(bytes: impl IntoIterator<Item = u8>) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

fn fnv_str(s: &str) -> u32 {
    fnv(s.bytes())
}

/// The bucket of feature `template` with value hash `h`.
fn mix(template: u32, h: u32, mask: u32) -> u32 {
    let mut x = h ^ template.wrapping_mul(0x9E37_79B1);
    x = x.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 15;
    x = x.wrapping_mul(0xC2B2_AE35);
    x ^= x >> 13;
    x & mask
}

fn combine(a: u32, b: u32) -> u32 {
    a.wrapping_mul(31).wrapping_add(b)
}

/// The hash of a word's shape: X uppercase, x lowercase, a other letters,
/// d ASCII digits, anything else itself; runs of one class collapse.
fn shape_hash(w: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    let mut last = '\0';
    let mut buf = [0u8; 4];
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k != last {
            for &b in k.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
            last = k;
        }
    }
    h
}

/// A word without its possessive, and whether it had one.
fn bare(w: &str) -> (&str, bool) {
    for s in ["\u{2019}s", "'s"] {
        if w.len() > s.len() {
            if let Some(b) = w.strip_suffix(s) {
                return (b, true);
            }
        }
    }
    (w, false)
}

/// 'u' inner capital, 'c' an English word never a name, 'n' a word also a
/// name, '-' not an English word.
fn word_class(w: &str) -> u32 {
    let t = w.trim_end_matches(['.', ',']);
    if t.chars().skip(1).any(char::is_uppercase) {
        return u32::from(b'u');
    }
    match crate::entities::english_word(t) {
        Some(true) => u32::from(b'c'),
        Some(false) => u32::from(b'n'),
        None => u32::from(b'-'),
    }
}

/// Whether a token is scored: a capital or a digit first, or right after a
/// name token.
fn scored(w: &str, prev_tag: usize) -> bool {
    prev_tag != 0 || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Per-token hashes every neighbour's features use.
struct Base {
    low: u32,
    shape: u32,
}

/// Tags every sentence of `tokens` and returns the names found, in order.
pub fn tag(tokens: &[Token<'_>]) -> Vec<Span> {
    let Some(m) = model() else { return Vec::new() };
    let bos = fnv_str("<s>");
    let eos = fnv_str("</s>");
    let sh_bos = fnv_str("<S>");
    let mut lower = String::new();
    let base: Vec<Base> = tokens
        .iter()
        .map(|t| {
            let (b, _) = bare(t.text);
            lower.clear();
            if b.is_ascii() {
                lower.push_str(b);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(b.chars().flat_map(char::to_lowercase));
            }
            Base {
                low: fnv_str(&lower),
                shape: shape_hash(b),
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut tags = vec![0usize; tokens.len()];
    let mut margins = vec![0i32; tokens.len()];
    let mut s = 0;
    while s < tokens.len() {
        let sentence = tokens[s].sentence;
        let mut e = s;
        while e < tokens.len() && tokens[e].sentence == sentence {
            e += 1;
        }
        let (mut p1, mut p2) = (0usize, 0usize);
        for i in s..e {
            let k = i - s;
            let w = tokens[i].text;
            if !scored(w, p1) {
                p2 = p1;
                p1 = 0;
                continue;
            }
            let (b, poss) = bare(w);
            lower.clear();
            lower.extend(b.chars().flat_map(char::to_lowercase));
            // The first and the last three characters.
            let pre = &lower[..lower.char_indices().nth(3).map_or(lower.len(), |(at, _)| at)];
            let suf = &lower[lower.char_indices().rev().nth(2).map_or(0, |(at, _)| at)..];
            let gz = !crate::gazetteer::Gazetteer::get().lookup(b).is_empty();
            let first = u32::from(k == 0);
            let cls = word_class(b);
            let low = base[i].low;
            let sh = base[i].shape;
            let pw = if k > 0 { base[i - 1].low } else { bos };
            let pw2 = if k > 1 { base[i - 2].low } else { bos };
            let nw = if i + 1 < e { base[i + 1].low } else { eos };
            let nw2 = if i + 2 < e { base[i + 2].low } else { eos };
            let psh = if k > 0 { base[i - 1].shape } else { sh_bos };
            let nsh = if i + 1 < e { base[i + 1].shape } else { sh_bos };
            let (t1, t2) = (p1 as u32, p2 as u32);
            let feats = [
                (1, 0),
                (2, low),
                (3, fnv_str(pre)),
                (4, fnv_str(suf)),
                (5, sh),
                (6, pw),
                (7, nw),
                (8, pw2),
                (9, nw2),
                (10, psh),
                (11, nsh),
                (12, combine(sh, first)),
                (13, u32::from(poss)),
                (14, u32::from(gz)),
                (15, combine(cls, first)),
                (16, t1),
                (17, combine(t1, t2)),
                (18, combine(low, t1)),
                (19, combine(sh, t1)),
                (20, combine(pw, low)),
                (21, combine(low, nw)),
            ];
            let mut scores = [0i32; TAGS];
            for (template, h) in feats {
                let at = mix(template, h, m.mask) as usize * TAGS;
                if let Some(row) = m.weights.get(at..at + TAGS) {
                    for (sc, &wt) in scores.iter_mut().zip(row) {
                        *sc += i32::from(wt as i8);
                    }
                }
            }
            let mut best = 0;
            for t in 1..TAGS {
                if scores[t] > scores[best] {
                    best = t;
                }
            }
            let second = (0..TAGS).filter(|&t| t != best).map(|t| scores[t]).max().unwrap_or(0);
            tags[i] = best;
            margins[i] = scores[best] - second;
            p2 = p1;
            p1 = best;
        }
        // Spans: a B, or an I that does not continue its type, opens one.
        let mut i = s;
        while i < e {
            let t = tags[i];
            if t == 0 {
                i += 1;
                continue;
            }
            let kind = (t - 1) / 2;
            let mut j = i + 1;
            let mut margin = margins[i];
            while j < e && tags[j] == 2 + 2 * kind {
                margin = margin.min(margins[j]);
                j += 1;
            }
            let last = &tokens[j - 1];
            let (b, _) = bare(last.text);
            out.push(Span {
                first: i,
                last: j,
                start: tokens[i].start,
                end: last.start + b.len(),
                label: LABELS[kind],
                margin,
            });
            i = j;
        }
        s = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn names(text: &str) -> Vec<(String, &'static str)> {
        tag(&tokenize(text))
            .into_iter()
            .map(|s| (text[s.start..s.end].to_string(), s.label))
            .collect()
    }

    #[test]
    fn the_weights_load() {
        assert!(loaded(), "data/ner-weights.bin is not a model of this layout");
    }

    #[test]
    fn finds_a_person_no_cue_announces() {
        // No title, no "said", not in any list: only context and shape.
        let got = names("Yesterday Tomasz Wiercinski walked into the bakery with his daughter.");
        assert!(got.contains(&("Tomasz Wiercinski".to_string(), "PERSON")), "{got:?}");
    }

    #[test]
    fn types_companies_and_places_by_context() {
        let got = names("Investors sold shares of Verizon and Comcast on Tuesday.");
        assert!(got.contains(&("Verizon".to_string(), "ORG")), "{got:?}");
        assert!(got.contains(&("Comcast".to_string(), "ORG")), "{got:?}");
        let got = names("Flooding closed roads in Ottertail and Wabasha counties on Monday.");
        assert!(got.contains(&("Ottertail".to_string(), "PLACE")), "{got:?}");
        assert!(got.contains(&("Wabasha".to_string(), "PLACE")), "{got:?}");
    }

    #[test]
    fn possessive_is_left_out_of_the_span() {
        let got = names("Maria Kowalczyk's lawyer declined to comment.");
        assert!(got.contains(&("Maria Kowalczyk".to_string(), "PERSON")), "{got:?}");
    }

    #[test]
    fn lowercase_text_has_no_names() {
        assert!(names("the cat sat on the mat and then it went away.").is_empty());
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            " ",
            "\u{0}\u{feff}'s",
            "'s 's ’s",
            "ÀÉÎ ǅ ß İ ﬁ 𝔄𝔅 Ⅻ",
            "A",
            &"Xy ".repeat(20_000),
            &"É".repeat(10_000),
        ] {
            let _ = names(text);
        }
    }

    #[test]
    fn hashes_match_the_training_script() {
        // Values printed by scripts/train-ner.py's fnv, mix and shape (2^18 buckets).
        let mask = (1 << 18) - 1;
        assert_eq!(fnv_str("paris"), 0x4ffa_b1a0);
        assert_eq!(mix(2, fnv_str("paris"), mask), 0x2cf3b);
        assert_eq!(shape_hash("McCain"), fnv_str("XxXx"));
        assert_eq!(shape_hash("McCain"), 0x1fd5_9a95);
        assert_eq!(mix(12, combine(fnv_str("Xx"), 1), mask), 0x3c488);
    }
}
