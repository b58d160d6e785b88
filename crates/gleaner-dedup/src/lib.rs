//! The dedup stage: which records are copies of one another.
//!
//! This crate owns near-duplicate detection: [`MinHasher`] turns a text into
//! a MinHash signature (one-permutation hashing) over word shingles of its
//! normalised words, and
//! [`Lsh`] buckets signatures by bands so that only likely pairs are
//! compared. Copies with different boilerplate, a promo line, truncation,
//! small edits or reordered paragraphs share most shingles; different
//! articles on the same topic share few. Candidates from the buckets are
//! checked against the signature's Jaccard estimate, so a pair is reported
//! only when it is actually similar.
//!
//! [`Policy`] holds the rules built on those: the threshold and band shape
//! for copies, the key and actor test under which event reports merge into
//! one occurrence, and which of several reports ranks first. The ingest
//! pass applies it against a store; [`Policy::pairs`] applies it in memory.
//!
//! ```
//! use gleaner_dedup::{MinHasher, Lsh};
//! let h = MinHasher::default();
//! let a = h.signature("the border was closed in january and all trade was suspended to stop the virus from spreading");
//! let b = h.signature("Join our channel! The border was closed in January and all trade was suspended to stop the virus from spreading.");
//! assert!(MinHasher::similarity(&a, &b) > 0.6);
//! let mut lsh = Lsh::default();
//! lsh.insert(0, &a);
//! assert_eq!(lsh.candidates(&b), vec![0]);
//! ```
#![warn(missing_docs)]

mod policy;

use std::collections::HashMap;

pub use policy::{actors_compatible, rank, EventKey, Fingerprint, Policy};

/// Computes MinHash signatures.
#[derive(Debug, Clone)]
pub struct MinHasher {
    /// Words per shingle.
    pub shingle: usize,
    /// Signature length (bins of one-permutation hashing).
    bins: usize,
}

impl Default for MinHasher {
    /// 128 bins over 4-word shingles.
    fn default() -> Self {
        MinHasher::new(128, 4)
    }
}

/// A 64-bit mixer (SplitMix64's finaliser): cheap and well distributed.
#[inline]
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over a word's bytes.
#[inline]
fn word_hash(w: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in w {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl MinHasher {
    /// Signatures of `perms` values over shingles of `shingle` words.
    pub fn new(perms: usize, shingle: usize) -> Self {
        MinHasher {
            shingle: shingle.max(1),
            bins: perms,
        }
    }

    /// Signature length.
    pub fn perms(&self) -> usize {
        self.bins
    }

    /// The words a text is compared on: lowercase alphanumeric runs, so
    /// punctuation, case and markup-level whitespace differences vanish.
    fn word_hashes(text: &str) -> Vec<u64> {
        let mut out = Vec::with_capacity(text.len() / 6);
        let mut buf = Vec::with_capacity(32);
        let flush = |buf: &mut Vec<u8>, out: &mut Vec<u64>| {
            if !buf.is_empty() {
                out.push(word_hash(buf));
                buf.clear();
            }
        };
        for c in text.chars() {
            if c.is_alphanumeric() {
                if c.is_ascii() {
                    buf.push(c.to_ascii_lowercase() as u8);
                } else {
                    for l in c.to_lowercase() {
                        let mut tmp = [0u8; 4];
                        buf.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
                    }
                }
            } else {
                flush(&mut buf, &mut out);
            }
        }
        flush(&mut buf, &mut out);
        out
    }

    /// The signature of a text, by one-permutation hashing: each shingle is
    /// hashed once, the hash picks one of the `perms` bins and the bin keeps
    /// its minimum. Empty bins borrow from the next filled bin (rotation
    /// densification), so short texts still compare fairly. Two signatures
    /// agree in a bin with probability equal to the texts' Jaccard
    /// similarity, as with classic MinHash, at 1/`perms` of the hashing cost.
    pub fn signature(&self, text: &str) -> Vec<u64> {
        let words = Self::word_hashes(text);
        let bins = self.bins;
        let mut sig = vec![u64::MAX; bins];
        if words.is_empty() || bins == 0 {
            return sig;
        }
        let k = self.shingle.min(words.len());
        for win in words.windows(k) {
            let mut h = 0x9e37_79b9_7f4a_7c15u64;
            for &w in win {
                h = mix(h ^ w);
            }
            // Multiply-high maps the hash onto the bins without a modulo bias.
            let bin = ((u128::from(h) * bins as u128) >> 64) as usize;
            let v = mix(h ^ 0x2545_f491_4f6c_dd1d) >> 1; // top bit clear: never u64::MAX
            if v < sig[bin] {
                sig[bin] = v;
            }
        }
        // Densify: an empty bin takes the value of the next filled bin (cyclically),
        // offset by the distance so that borrowed values stay distinguishable.
        if sig.contains(&u64::MAX) {
            let filled = sig.clone();
            for (i, slot) in sig.iter_mut().enumerate() {
                if *slot != u64::MAX {
                    continue;
                }
                for d in 1..bins {
                    let v = filled[(i + d) % bins];
                    if v != u64::MAX {
                        *slot = mix(v ^ d as u64) >> 1;
                        break;
                    }
                }
            }
        }
        sig
    }

    /// Estimated Jaccard similarity of the shingle sets behind two signatures.
    pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
        if a.is_empty() || a.len() != b.len() {
            return 0.0;
        }
        let same = a.iter().zip(b).filter(|(x, y)| x == y && **x != u64::MAX).count();
        // Empty texts (all bins empty) are similar to nothing.
        same as f64 / a.len() as f64
    }
}

/// Locality-sensitive hashing by bands: signatures that agree on all rows of
/// any band share a bucket.
#[derive(Debug, Clone)]
pub struct Lsh {
    bands: usize,
    rows: usize,
    buckets: Vec<HashMap<u64, Vec<u32>>>,
}

impl Default for Lsh {
    /// 32 bands of 4 rows (for 128-hash signatures): pairs with Jaccard 0.5
    /// collide with probability 0.87, 0.6 with 0.99, 0.2 with 0.05.
    fn default() -> Self {
        Lsh::new(32, 4)
    }
}

impl Lsh {
    /// `bands` × `rows` must not exceed the signature length.
    pub fn new(bands: usize, rows: usize) -> Self {
        Lsh {
            bands,
            rows,
            buckets: vec![HashMap::new(); bands],
        }
    }

    fn band_key(&self, sig: &[u64], band: usize) -> Option<u64> {
        let rows = sig.get(band * self.rows..(band + 1) * self.rows)?;
        if rows.iter().all(|&r| r == u64::MAX) {
            return None; // empty text: no bucket
        }
        Some(rows.iter().fold(0u64, |h, &r| mix(h ^ r)))
    }

    /// The (band, key) pairs of a signature, for storing buckets elsewhere.
    pub fn band_keys(&self, sig: &[u64]) -> Vec<(u32, u64)> {
        (0..self.bands)
            .filter_map(|b| self.band_key(sig, b).map(|k| (b as u32, k)))
            .collect()
    }

    /// Adds a signature under `id`.
    pub fn insert(&mut self, id: u32, sig: &[u64]) {
        for band in 0..self.bands {
            if let Some(k) = self.band_key(sig, band) {
                self.buckets[band].entry(k).or_default().push(id);
            }
        }
    }

    /// Ids that share a bucket with `sig`, sorted, without repeats.
    pub fn candidates(&self, sig: &[u64]) -> Vec<u32> {
        let mut out = Vec::new();
        for band in 0..self.bands {
            if let Some(ids) = self.band_key(sig, band).and_then(|k| self.buckets[band].get(&k)) {
                out.extend_from_slice(ids);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Every pair of texts (by index) whose estimated Jaccard similarity is at
/// least `threshold`, as `(i, j, similarity)` with `i < j`: [`Policy::pairs`]
/// with this hasher and threshold.
pub fn near_duplicate_pairs(hasher: &MinHasher, texts: &[&str], threshold: f64) -> Vec<(u32, u32, f64)> {
    Policy::new(hasher.clone(), threshold).pairs(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str =
        "Authorities closed the border in January and suspended all trade to prevent the spread of the virus. \
        The closure had disastrous effects on an economy already crippled by sanctions. \
        Citizens who made their living by trading saw their livelihoods evaporate. \
        Many ignored the restrictions and crossed the border illegally to smuggle goods, \
        an act the government now punishes with increasingly harsh measures including public execution.";

    #[test]
    fn copies_with_edits_are_similar_and_other_texts_are_not() {
        let h = MinHasher::default();
        let a = h.signature(ARTICLE);
        let promo = h.signature(&format!(
            "Join our Telegram channel for news! {ARTICLE} Share this article."
        ));
        let cut = h.signature(&ARTICLE[..ARTICLE.len() * 3 / 4]);
        let other = h.signature("The city council approved a new budget for road repairs on Tuesday, with most of the money going to bridges and the harbour wall.");
        assert!(MinHasher::similarity(&a, &promo) > 0.7);
        assert!(MinHasher::similarity(&a, &cut) > 0.5);
        assert!(MinHasher::similarity(&a, &other) < 0.1);
        assert_eq!(MinHasher::similarity(&a, &a), 1.0);
    }

    #[test]
    fn pairs_through_lsh() {
        let h = MinHasher::default();
        let reordered = {
            let mut s: Vec<&str> = ARTICLE.split(". ").collect();
            s.reverse();
            s.join(". ")
        };
        let texts = [
            ARTICLE,
            "Completely unrelated words about football and weather in the spring season.",
            reordered.as_str(),
        ];
        let pairs = near_duplicate_pairs(&h, &texts, 0.5);
        assert_eq!(pairs.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), vec![(0, 2)]);
    }

    #[test]
    fn empty_texts_match_nothing() {
        let h = MinHasher::default();
        let pairs = near_duplicate_pairs(&h, &["", "", "words"], 0.5);
        assert!(pairs.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn similarity_is_symmetric_and_bounded(a in "\\PC{0,200}", b in "\\PC{0,200}") {
            let h = MinHasher::new(32, 3);
            let (x, y) = (h.signature(&a), h.signature(&b));
            let s = MinHasher::similarity(&x, &y);
            proptest::prop_assert!((0.0..=1.0).contains(&s));
            proptest::prop_assert_eq!(s, MinHasher::similarity(&y, &x));
        }
    }
}
