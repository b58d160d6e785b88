//! The analyse stage: what an article says, not just its text.
//!
//! This crate owns filling a record's `entities`, `times`, `quantities` and
//! `quotes` from its text: tokens and sentences ([`tokens`]), time
//! expressions resolved against the publication date ([`times`]), figures
//! with units and currencies ([`quantities`]), and direct quotes with their
//! speakers ([`quotes`]). Steps run as a chain over one tokenisation; spans
//! are computed on bytes and converted to the record's character offsets at
//! the end. Nothing here reads files or the network.
//!
//! ```
//! let rec = gleaner_analyse::analyse("In April, the 880-mile border closed.", Some("2020-12-19"));
//! assert_eq!(rec.times[0].value, "2020-04");
//! assert_eq!(rec.quantities[0].unit.as_deref(), Some("mi"));
//! ```
#![warn(missing_docs)]

pub mod quantities;
pub mod quotes;
pub mod times;
pub mod tokens;

use gleaner_record::{Entity, Quantity, Quote, Record, SiValue, TimeExpr};

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
    Analysis {
        entities: Vec::new(),
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
                // "told RFA's Korean Service Dec. 5": the time right after the recipient.
                let told_on = q.told_when.and_then(|(s, e)| found_times.iter().find(|t| t.start >= s && t.end <= e).map(|t| t.value.clone()));
                Quote {
                    text: text[q.start..q.end].trim().to_string(),
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
