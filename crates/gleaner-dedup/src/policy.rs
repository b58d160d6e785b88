//! The rules that decide what is a copy and what is one occurrence, in one
//! place: the similarity threshold and LSH shape for copies, the key and the
//! actor test for merging events, and which report of several ranks first.
//!
//! Every backend and every front end applies these through [`Policy`]; the
//! store only keeps what they decide (see `gleaner_store::DedupWrite`).

use gleaner_record::Event;

use crate::{Lsh, MinHasher};

/// What a text is compared on: its MinHash signature and the LSH band keys
/// under which similar signatures meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// MinHash signature ([`MinHasher::signature`]).
    pub signature: Vec<u64>,
    /// `(band, key)` pairs ([`Lsh::band_keys`]).
    pub band_keys: Vec<(u32, u64)>,
}

/// The key under which reports of one occurrence meet: same type, same place
/// (as written, or none) and same month (the first 7 characters of the date:
/// a month, or a bare year; empty when undated). An exact key, never a
/// prefix: if "2019" found "2019-11" but not the reverse, what merges would
/// depend on which report came first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKey {
    /// Event type (`movement_restriction`, …).
    pub kind: String,
    /// Place as the event names it.
    pub place: Option<String>,
    /// `YYYY-MM`, `YYYY`, or empty.
    pub month: String,
}

impl EventKey {
    /// The key of an event.
    pub fn of(event: &Event) -> Self {
        EventKey {
            kind: event.kind.clone(),
            place: event.place.clone(),
            month: event
                .date
                .as_deref()
                .map(|d| d.chars().take(7).collect())
                .unwrap_or_default(),
        }
    }
}

/// The dedup policy. `Policy::default()` is what Gleaner runs with.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Signatures.
    pub hasher: MinHasher,
    /// Band shape (its buckets stay empty: stores keep the keys).
    lsh: Lsh,
    /// Estimated Jaccard similarity from which two texts are copies.
    pub threshold: f64,
}

impl Default for Policy {
    /// 128-value signatures over 4-word shingles, 32 bands of 4 rows, copies
    /// from an estimated similarity of 0.5 (a pair at 0.5 shares a band with
    /// probability 0.87, at 0.6 with 0.99).
    fn default() -> Self {
        Policy::new(MinHasher::default(), 0.5)
    }
}

impl Policy {
    /// A policy over `hasher`'s signatures, cut into bands of 4 rows, with
    /// copies from `threshold` on.
    pub fn new(hasher: MinHasher, threshold: f64) -> Self {
        let lsh = Lsh::new(hasher.perms() / 4, 4);
        Policy { hasher, lsh, threshold }
    }

    /// A text's signature and band keys.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        let signature = self.hasher.signature(text);
        let band_keys = self.lsh.band_keys(&signature);
        Fingerprint { signature, band_keys }
    }

    /// The band keys of a signature made by this policy's hasher (a stored
    /// one: the signature is made once, where the record is made).
    pub fn band_keys(&self, signature: &[u64]) -> Vec<(u32, u64)> {
        self.lsh.band_keys(signature)
    }

    /// Of the candidates (records sharing a band key, as `(id, signature)`),
    /// those `id` is a copy of, with their estimated similarity. `id` itself
    /// is never its own copy.
    pub fn copies<'a>(
        &self,
        id: &str,
        signature: &[u64],
        candidates: impl IntoIterator<Item = (&'a str, &'a [u64])>,
    ) -> Vec<(String, f64)> {
        candidates
            .into_iter()
            .filter(|(other, _)| *other != id)
            .map(|(other, sig)| (other.to_string(), MinHasher::similarity(signature, sig)))
            .filter(|(_, sim)| *sim >= self.threshold)
            .collect()
    }

    /// The events of a record that count as reports of occurrences, each
    /// with its key: negated and hedged events are not reports, and an
    /// occurrence told twice in one article is reported once (its first telling).
    pub fn reports<'a>(&self, events: &'a [Event]) -> Vec<(EventKey, &'a Event)> {
        let mut out: Vec<(EventKey, &Event)> = Vec::new();
        for ev in events.iter().filter(|e| !e.negated && !e.hedged) {
            let key = EventKey::of(ev);
            if !out.iter().any(|(k, _)| *k == key) {
                out.push((key, ev));
            }
        }
        out
    }

    /// Whether a report with actor `actor` joins a stored occurrence whose
    /// reports have the actors `reported` (with the same key): when any of
    /// them is compatible ([`actors_compatible`]).
    pub fn joins<'a>(&self, actor: Option<&str>, reported: impl IntoIterator<Item = Option<&'a str>>) -> bool {
        reported.into_iter().any(|a| actors_compatible(a, actor))
    }

    /// Every pair of texts (by index) that are copies of each other, found
    /// through the LSH buckets and checked against the threshold, as
    /// `(i, j, similarity)` with `i < j`: the in-memory form of what the
    /// ingest pass does against a store.
    pub fn pairs(&self, texts: &[&str]) -> Vec<(u32, u32, f64)> {
        let sigs: Vec<Vec<u64>> = texts.iter().map(|t| self.hasher.signature(t)).collect();
        let mut lsh = self.lsh.clone();
        let mut pairs = Vec::new();
        for (i, sig) in sigs.iter().enumerate() {
            for j in lsh.candidates(sig) {
                let s = MinHasher::similarity(sig, &sigs[j as usize]);
                if s >= self.threshold {
                    pairs.push((j, i as u32, s));
                }
            }
            lsh.insert(i as u32, sig);
        }
        pairs
    }
}

/// Two reports' actors can be the same actor: either is unknown, or they
/// share a word (of three letters or more, not "the", "and", "of"), so
/// "North Korean authorities" and "authorities" are compatible and
/// "Pyongyang" and "Seoul" are not.
pub fn actors_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let wb = actor_words(b);
            actor_words(a).iter().any(|w| wb.contains(w))
        }
        _ => true,
    }
}

fn actor_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !matches!(*w, "the" | "and" | "of"))
        .map(str::to_lowercase)
        .collect()
}

/// The order in which reports (of one text's copies, or of one occurrence)
/// rank: earliest publication first, undated last, then record id. The
/// earliest report names a cluster and is the one an occurrence shows;
/// ranking rather than arrival keeps stores independent of arrival order.
pub fn rank(published: Option<&str>, id: &str) -> String {
    format!("{} {id}", published.unwrap_or("9999"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, place: Option<&str>, date: Option<&str>, actor: Option<&str>) -> Event {
        serde_json::from_value(serde_json::json!({
            "type": kind, "subtype": null, "actor": actor, "target": null, "place": place, "date": date,
            "negated": false, "hedged": false, "evidence": "…", "evidence_span": [0, 1], "attributed_to": null,
        }))
        .expect("an event")
    }

    #[test]
    fn actor_compatibility() {
        assert!(actors_compatible(Some("North Korean authorities"), Some("authorities")));
        assert!(actors_compatible(None, Some("Pyongyang")));
        assert!(!actors_compatible(Some("Pyongyang"), Some("Seoul")));
        let p = Policy::default();
        assert!(p.joins(Some("police"), [Some("army"), Some("the police")]));
        assert!(!p.joins(Some("police"), [Some("army")]));
        assert!(!p.joins(Some("police"), []));
    }

    #[test]
    fn keys_are_exact_months_and_reports_are_counted_once() {
        let a = event("protest", Some("Hyesan"), Some("2020-11-05"), None);
        let b = event("protest", Some("Hyesan"), Some("2020-11"), Some("residents"));
        let c = event("protest", Some("Hyesan"), Some("2020"), None);
        assert_eq!(EventKey::of(&a), EventKey::of(&b));
        assert_ne!(EventKey::of(&a), EventKey::of(&c));
        let mut negated = event("arrest_detention", None, None, None);
        negated.negated = true;
        let events = [a, b, c, negated];
        let reports = Policy::default().reports(&events);
        assert_eq!(reports.len(), 2, "{reports:?}");
        assert_eq!(reports[1].0.month, "2020");
    }

    #[test]
    fn copies_pass_the_threshold_and_never_include_themselves() {
        let p = Policy::default();
        let text = "The border was closed in January and all trade was suspended to stop the virus from spreading across the river towns.";
        let fp = p.fingerprint(text);
        let copy = p.fingerprint(&format!("Join our channel! {text}"));
        let other = p.fingerprint("Football results from the weekend were mixed for the home side, who lost twice.");
        let found = p.copies(
            "a",
            &fp.signature,
            [
                ("a", fp.signature.as_slice()),
                ("b", copy.signature.as_slice()),
                ("c", other.signature.as_slice()),
            ],
        );
        assert_eq!(found.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["b"]);
        assert!(!fp.band_keys.is_empty());
        assert_eq!(p.band_keys(&fp.signature), fp.band_keys);
    }

    #[test]
    fn rank_puts_undated_reports_last() {
        assert!(rank(Some("2020-11-05"), "b") < rank(Some("2020-12"), "a"));
        assert!(rank(Some("2020-12"), "z") < rank(None, "a"));
        assert!(rank(None, "a") < rank(None, "b"));
    }
}
