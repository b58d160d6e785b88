//! The analyse stage: what an article says, not just its text.
//!
//! This crate owns filling a record's `entities`, `times`, `quantities` and
//! `quotes` from its text: tokens and sentences ([`tokens`]), time
//! expressions resolved against the publication date ([`times`]), figures
//! with units and currencies ([`quantities`]), and direct quotes with their
//! speakers ([`quotes`]), and people, organisations, groups and geocoded
//! places ([`entities`], with the GeoNames [`gazetteer`]). Steps run as a chain over one tokenisation; spans
//! are computed on bytes and converted to the record's character offsets at
//! the end. Nothing here reads files or the network.
//!
//! ```
//! let rec = gleaner_analyse::analyse("In April, the 880-mile border closed.", Some("2020-12-19"));
//! assert_eq!(rec.times[0].value, "2020-04");
//! assert_eq!(rec.quantities[0].unit.as_deref(), Some("mi"));
//! ```
#![warn(missing_docs)]

pub mod entities;
pub mod gazetteer;
pub mod quantities;
pub mod quotes;
pub mod times;
pub mod tokens;

use gleaner_record::{Entity, Place, Quantity, Quote, Record, SiValue, TimeExpr};

/// The analysis of one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Named entities.
    pub entities: Vec<Entity>,
    /// Time expressions.
    pub times: Vec<TimeExpr>,
    /// Figures.
    pub quantities: Vec<Quantity>,
    /// Direct quotes.
    pub quotes: Vec<Quote>,
}

/// Analyses `text`; `published` (ISO date) anchors relative times.
pub fn analyse(text: &str, published: Option<&str>) -> Analysis {
    let toks = tokens::tokenize(text);
    let idx = tokens::CharIndex::new(text);
    let span = |s: usize, e: usize| [idx.char_at(text, s), idx.char_at(text, e)];
    let found_times = times::find(&toks, published);
    let taken: Vec<(usize, usize)> = found_times.iter().map(|t| (t.start, t.end)).collect();
    let found_q = quantities::find(&toks, &taken);
    let found_quotes = quotes::find(text);
    let found_entities = entities::find(text, &toks);
    let g = gazetteer::Gazetteer::get();
    Analysis {
        entities: found_entities
            .into_iter()
            .map(|e| Entity {
                text: text[e.start..e.end].to_string(),
                span: span(e.start, e.end),
                label: e.label.to_string(),
                refers_to: e.refers_to.map(|(s, e)| text[s..e].to_string()),
                place: e.place.map(|i| {
                    let p = &g.places[i as usize];
                    Place {
                        name: p.name.clone(),
                        geonameid: Some(p.geonameid),
                        lat: p.lat,
                        lon: p.lon,
                        country: Some(p.country.clone()),
                        admin1: p.admin1.clone(),
                    }
                }),
            })
            .collect(),
        times: found_times
            .iter()
            .map(|t| TimeExpr { text: text[t.start..t.end].to_string(), span: span(t.start, t.end), value: t.value.clone() })
            .collect(),
        quantities: found_q
            .into_iter()
            .map(|q| Quantity {
                text: text[q.start..q.end].to_string(),
                span: span(q.start, q.end),
                value: q.value,
                unit: q.unit,
                si: q.si.map(|(value, unit)| SiValue { value, unit: unit.to_string() }),
            })
            .collect(),
        quotes: found_quotes
            .into_iter()
            .map(|q| {
                // The quoted words without the comma that hands over to "X said".
                let inner = &text[q.start..q.end];
                let trimmed_end = q.start + inner.trim_end_matches([',', ' ', '\n']).len();
                let trimmed_start = q.end.min(q.start + (inner.len() - inner.trim_start().len()));
                let q = quotes::Found { start: trimmed_start, end: trimmed_end.max(trimmed_start), ..q };
                // "told RFA's Korean Service Dec. 5": the time right after the recipient.
                let told_on = q.told_when.and_then(|(s, e)| found_times.iter().find(|t| t.start >= s && t.end <= e).map(|t| t.value.clone()));
                Quote {
                    text: text[q.start..q.end].to_string(),
                    span: span(q.start, q.end),
                    speaker: q.speaker,
                    speaker_id: q.speaker_id,
                    anonymous: q.anonymous,
                    told_to: q.told_to,
                    told_on,
                }
            })
            .collect(),
    }
}

/// Fills a record's analysis fields from its text and publication date.
pub fn analyse_record(record: &mut Record) {
    let a = analyse(&record.text, record.published.as_deref());
    record.entities = a.entities;
    record.times = a.times;
    record.quantities = a.quantities;
    record.quotes = a.quotes;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_spans(text: &str, a: &Analysis) {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let slice = |s: [usize; 2]| -> String { chars[s[0]..s[1]].iter().collect() };
        for t in &a.times {
            assert!(t.span[0] <= t.span[1] && t.span[1] <= n);
            assert_eq!(slice(t.span), t.text);
        }
        for q in &a.quantities {
            assert!(q.span[0] <= q.span[1] && q.span[1] <= n);
            assert_eq!(slice(q.span), q.text);
        }
        for q in &a.quotes {
            assert!(q.span[0] <= q.span[1] && q.span[1] <= n);
            assert_eq!(slice(q.span), q.text);
        }
        for e in &a.entities {
            assert!(e.span[0] <= e.span[1] && e.span[1] <= n);
            assert_eq!(slice(e.span), e.text);
        }
    }

    #[test]
    fn spans_are_character_offsets_of_the_text() {
        let text = "Caf\u{e9} owners said on Monday: \u{201c}We lost \u{20ac}2.5bn in 2019 and 12 percent of 300 customers.\u{201d}\n\nIn April, the 880-mile road closed.";
        let a = analyse(text, Some("2020-12-19"));
        assert!(!a.times.is_empty() && !a.quantities.is_empty() && !a.quotes.is_empty());
        check_spans(text, &a);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn arbitrary_text_never_panics_and_spans_stay_inside(s in "\\PC{0,300}") {
            let a = analyse(&s, Some("2020-12-19"));
            check_spans(&s, &a);
        }

        #[test]
        fn newsy_text_never_panics(parts in proptest::collection::vec(proptest::sample::select(vec![
            "\u{201c}", "\u{201d}", "\"", " said ", " told ", "Dec. ", "5", ", ", ".", "\n\n", "last month", "In April",
            "$", "6.5", " million", "200,000", "-mile", " the source", "Another resident", " a ", "kilometer", "(", ")",
            "U.S.", " Mr. ", "Kim", " on Monday", "2019-2021", " per cent", "\u{20ac}", "bn", "according to ",
        ]), 0..60)) {
            let s: String = parts.concat();
            let a = analyse(&s, Some("2024-02-29"));
            check_spans(&s, &a);
        }
    }
}
