//! The full-text index's words, made here rather than by the server.
//!
//! `to_tsvector` was the largest single cost of a PostgreSQL ingest: its
//! parser took 4.4 s of the server's CPU for the 19 MB of text of the
//! 3,620-page benchmark, on a machine whose two cores the extraction also
//! needs (issue 16). Splitting the text here costs a small fraction of that,
//! and the server reads the result in its binary form, without parsing.
//!
//! The words are those of [`crate::query::search_words`]: runs of letters
//! and digits, lowercased. A search looks for exactly those words
//! ([`ts_query`]), so what is indexed and what is asked are split by one
//! rule, the same one the SQLite store's tokenizer follows.

use postgres::types::{to_sql_checked, IsNull, ToSql, Type};

/// Characters of the text that are indexed (a `tsvector` holds at most 1 MB).
const MAX_TEXT_CHARS: usize = 300_000;
/// The server's limits: a word's bytes, a word's positions (`to_tsvector`
/// keeps 255 of the 256 a `tsvector` may hold), a position, and the bytes of
/// all the words together.
const MAX_WORD_BYTES: usize = 2047;
const MAX_POSITIONS: usize = 255;
const MAX_POSITION: u16 = 16_383;
const MAX_WORDS_BYTES: usize = (1 << 20) - 1;

/// Weights as the server stores them in a position's top two bits.
const WEIGHT_A: u16 = 3 << 14;
const WEIGHT_B: u16 = 2 << 14;

/// A record's words with their positions, in the server's binary format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TsVector(Vec<u8>);

/// The index entry of a record: its title's words weighted A, then the
/// first [`MAX_TEXT_CHARS`] characters of its text weighted B, numbered on
/// from the title's, as `setweight(to_tsvector(title), 'A') ||
/// setweight(to_tsvector(text), 'B')` numbers them.
pub(super) fn ts_vector(title: Option<&str>, text: &str) -> TsVector {
    let text = match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    // A record has a few hundred distinct words among thousands: the map
    // is looked up once per word, so it hashes with foldhash (seeded per
    // map, as the extractor's maps of page text are) rather than SipHash,
    // and a word is copied only the first time it is met (perf: hashing,
    // lowercasing and allocation were most of this function's time, which
    // the SQLite store does not spend).
    let mut words: std::collections::HashMap<String, Vec<u16>, foldhash::fast::RandomState> =
        std::collections::HashMap::with_capacity_and_hasher(256, Default::default());
    let mut lower = String::new();
    let mut words_bytes = 0usize;
    let mut position = 0u16;
    for (part, weight) in [(title.unwrap_or(""), WEIGHT_A), (text, WEIGHT_B)] {
        for word in part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if word.len() > MAX_WORD_BYTES {
                continue; // the server skips such a word too
            }
            // Past the last position every word shares it, as on the server.
            position = position.saturating_add(1).min(MAX_POSITION);
            let word: &str = if !word.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                word
            } else {
                lower.clear();
                if word.is_ascii() {
                    lower.push_str(word);
                    lower.make_ascii_lowercase();
                } else {
                    // Full Unicode rules (final sigma and the like), as before.
                    lower.push_str(&word.to_lowercase());
                }
                &lower
            };
            let positions = match words.get_mut(word) {
                Some(p) => p,
                None => {
                    if words_bytes + word.len() > MAX_WORDS_BYTES {
                        continue; // full: later new words go unindexed
                    }
                    words_bytes += word.len();
                    words.entry(word.to_owned()).or_default()
                }
            };
            let last = positions.last().map(|p| p & 0x3fff);
            if positions.len() < MAX_POSITIONS && last != Some(position) {
                positions.push(weight | position);
            }
        }
    }
    // Sorted by their bytes, as the server keeps them.
    let mut sorted: Vec<(String, Vec<u16>)> = words.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = Vec::with_capacity(4 + words_bytes + sorted.len() * 5);
    out.extend_from_slice(&(sorted.len() as i32).to_be_bytes());
    for (word, positions) in &sorted {
        out.extend_from_slice(word.as_bytes());
        out.push(0);
        out.extend_from_slice(&(positions.len() as u16).to_be_bytes());
        for p in positions {
            out.extend_from_slice(&p.to_be_bytes());
        }
    }
    TsVector(out)
}

/// A search for all of `words` (as [`crate::query::search_words`] gives
/// them) in `tsquery` syntax: each word quoted, lowercased as indexed.
pub(super) fn ts_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            // Letters and digits only, so no quote or backslash to escape;
            // escaped all the same in case the split ever changes.
            let w = w.to_lowercase().replace('\\', "\\\\").replace('\'', "''");
            format!("'{w}'")
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

impl ToSql for TsVector {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        out.extend_from_slice(&self.0);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        ty.name() == "tsvector"
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes the binary form back into (word, positions) pairs.
    fn decode(v: &TsVector) -> Vec<(String, Vec<u16>)> {
        let b = &v.0;
        let n = i32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let mut at = 4;
        let mut out = Vec::new();
        for _ in 0..n {
            let end = at + b[at..].iter().position(|&c| c == 0).unwrap();
            let word = String::from_utf8(b[at..end].to_vec()).unwrap();
            at = end + 1;
            let count = u16::from_be_bytes([b[at], b[at + 1]]) as usize;
            at += 2;
            let positions = (0..count)
                .map(|k| u16::from_be_bytes([b[at + 2 * k], b[at + 2 * k + 1]]))
                .collect();
            at += 2 * count;
            out.push((word, positions));
        }
        assert_eq!(at, b.len());
        out
    }

    #[test]
    fn words_are_lowercased_sorted_and_numbered_on_from_the_title() {
        let v = decode(&ts_vector(
            Some("Floods in Hyesan"),
            "The floods, the rain; Hyesan's 2020 floods.",
        ));
        let find = |w: &str| v.iter().find(|(x, _)| x == w).map(|(_, p)| p.clone());
        assert_eq!(find("floods"), Some(vec![WEIGHT_A | 1, WEIGHT_B | 5, WEIGHT_B | 11]));
        assert_eq!(find("hyesan"), Some(vec![WEIGHT_A | 3, WEIGHT_B | 8]));
        assert_eq!(find("s"), Some(vec![WEIGHT_B | 9]));
        assert_eq!(find("2020"), Some(vec![WEIGHT_B | 10]));
        let words: Vec<&str> = v.iter().map(|(w, _)| w.as_str()).collect();
        let mut sorted = words.clone();
        sorted.sort();
        assert_eq!(words, sorted);
        assert_eq!(words.len(), 7); // floods in hyesan the rain s 2020
    }

    #[test]
    fn the_servers_limits_hold_on_any_text() {
        // More positions than a word may keep, past the last position.
        let text = "word ".repeat(20_000);
        let v = decode(&ts_vector(None, &text));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].1.len(), MAX_POSITIONS);
        assert!(v[0].1.windows(2).all(|w| w[0] < w[1]), "positions strictly rise");
        // Past 16,383 every word shares the last position, once each.
        let many: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let v = decode(&ts_vector(None, &many));
        assert!(v.iter().all(|(_, p)| p.len() == 1));
        let last = v.iter().filter(|(_, p)| p[0] & 0x3fff == MAX_POSITION).count();
        assert_eq!(last, 20_000 - (MAX_POSITION as usize - 1));
        // An over-long word is left out; the word bytes stay under 1 MB.
        let long = format!("a{} short", "b".repeat(3000));
        assert_eq!(decode(&ts_vector(None, &long)).len(), 1);
        // 600 different words of 500 four-byte letters: 1.2 MB of words.
        let letter = |k: u32| char::from_u32(0x1D400 + k).unwrap();
        let unique: String = (0..600u32)
            .map(|i| {
                let mut w: String = [letter(i / 26), letter(i % 26)].into_iter().collect();
                w.extend(std::iter::repeat_n(letter(0), 498));
                w + " "
            })
            .collect();
        let v = decode(&ts_vector(None, &unique));
        let bytes: usize = v.iter().map(|(w, _)| w.len()).sum();
        assert!(bytes <= MAX_WORDS_BYTES && bytes > MAX_WORDS_BYTES - 2000, "{bytes}");
        assert!(decode(&ts_vector(Some(""), "")).is_empty());
    }

    #[test]
    fn a_query_quotes_each_word() {
        assert_eq!(ts_query(&["Hyesan".into(), "2020".into()]), "'hyesan' & '2020'");
        assert_eq!(ts_query(&["o'k".into()]), "'o''k'");
    }
}
