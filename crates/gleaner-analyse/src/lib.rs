//! The analyse stage: what an article says, not just its text.
//!
//! This crate owns filling a record's `entities`, `times`, `quantities` and
//! `quotes` from its text: tokens and sentences ([`tokens`]), time
//! expressions resolved against the publication date ([`times`]), figures
//! with units and currencies ([`quantities`]), and direct quotes with their
//! speakers ([`quotes`]), and people, organisations, groups and geocoded
//! places ([`entities`], with the GeoNames [`gazetteer`] and a statistical
//! name tagger, [`tagger`]), and typed events
//! with their evidence ([`events`], triggers in `data/events.tsv`). Steps run as a chain over one tokenisation; spans
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
pub mod events;
pub mod gazetteer;
pub mod quantities;
pub mod quotes;
pub mod tagger;
pub mod times;
pub mod tokens;

use gleaner_record::{Entity, Event, Place, Quantity, Quote, Record, SiValue, TimeExpr};

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
    /// Typed events.
    pub events: Vec<Event>,
}

/// Analyses `text`; `published` (ISO date) anchors relative times.
pub fn analyse(text: &str, published: Option<&str>) -> Analysis {
    analyse_with(text, published, entities::DEFAULT_MODE)
}

/// [`analyse`] with the names found as `mode` says (rules, tagger or both):
/// for measuring them side by side (`examples/analyse_jsonl.rs`).
pub fn analyse_with(text: &str, published: Option<&str>, mode: entities::Mode) -> Analysis {
    let toks = tokens::tokenize(text);
    let idx = tokens::CharIndex::new(text);
    let span = |s: usize, e: usize| [idx.char_at(text, s), idx.char_at(text, e)];
    let found_times = times::find(&toks, published);
    // Times own their words, except the duration in "a year ago", which is
    // also a figure.
    let taken: Vec<(usize, usize)> = found_times
        .iter()
        .filter(|t| !text[t.start..t.end].ends_with(" ago"))
        .map(|t| (t.start, t.end))
        .collect();
    let found_quotes = quotes::find(text);
    let found_entities = entities::find_with(text, &toks, mode);
    let country = main_country(&found_entities);
    let found_q = quantities::find(text, &toks, &taken, local_dollar(country.as_deref()));
    let sentences = sentence_spans(&toks);
    let found_events = events::find(text, &sentences);
    let g = gazetteer::Gazetteer::get();
    let place_of = |i: u32| {
        let p = &g.places[i as usize];
        Place {
            name: p.name.clone(),
            geonameid: Some(p.geonameid),
            lat: p.lat,
            lon: p.lon,
            country: Some(p.country.clone()),
            admin1: p.admin1.clone(),
        }
    };
    let quotes: Vec<(quotes::Found, Option<String>)> = found_quotes
        .into_iter()
        .map(|q| {
            // The quoted words without the comma that hands over to "X said".
            let inner = &text[q.start..q.end];
            let trimmed_end = q.start + inner.trim_end_matches([',', ' ', '\n']).len();
            let trimmed_start = q.end.min(q.start + (inner.len() - inner.trim_start().len()));
            let q = quotes::Found {
                start: trimmed_start,
                end: trimmed_end.max(trimmed_start),
                ..q
            };
            // "told RFA's Korean Service Dec. 5": the time right after the recipient.
            let told_on = q.told_when.and_then(|(s, e)| {
                found_times
                    .iter()
                    .find(|t| t.start >= s && t.end <= e)
                    .map(|t| t.value.clone())
            });
            (q, told_on)
        })
        .collect();
    let events = one_per_occurrence(events_to_records(
        text,
        published,
        &found_events,
        &found_entities,
        &found_times,
        &quotes,
        &span,
        &place_of,
    ));
    Analysis {
        entities: found_entities
            .into_iter()
            .map(|e| Entity {
                text: text[e.start..e.end].to_string(),
                span: span(e.start, e.end),
                label: e.label.to_string(),
                refers_to: e.refers_to.map(|(s, e)| text[s..e].to_string()),
                place: e.place.map(place_of),
            })
            .collect(),
        times: found_times
            .iter()
            .map(|t| TimeExpr {
                text: text[t.start..t.end].to_string(),
                span: span(t.start, t.end),
                value: t.value.clone(),
            })
            .collect(),
        quantities: found_q
            .into_iter()
            .map(|q| Quantity {
                text: text[q.start..q.end].to_string(),
                span: span(q.start, q.end),
                value: q.value,
                unit: q.unit,
                counted: q.counted,
                si: q.si.map(|(value, unit)| SiValue {
                    value,
                    unit: unit.to_string(),
                }),
            })
            .collect(),
        quotes: quotes
            .into_iter()
            .map(|(q, told_on)| Quote {
                text: text[q.start..q.end].to_string(),
                span: span(q.start, q.end),
                speaker: q.speaker,
                speaker_id: q.speaker_id,
                anonymous: q.anonymous,
                told_to: q.told_to,
                told_on,
            })
            .collect(),
        events,
    }
}

/// The article's main country: the one its places point to most (ties go
/// to the one named first).
fn main_country(ents: &[entities::Found]) -> Option<String> {
    let g = gazetteer::Gazetteer::get();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in ents.iter().filter(|e| e.label == "PLACE") {
        if let Some(c) = e.place.map(|i| g.places[i as usize].country.as_str()) {
            match counts.iter_mut().find(|x| x.0 == c) {
                Some(x) => x.1 += 1,
                None => counts.push((c, 1)),
            }
        }
    }
    let best = counts.iter().map(|x| x.1).max()?;
    counts.iter().find(|x| x.1 == best).map(|x| x.0.to_string())
}

/// The currency a bare "$" stands for: the dollar of the article's country
/// where that country's currency is a dollar, else the US dollar.
fn local_dollar(country: Option<&str>) -> &'static str {
    match country {
        Some("CA") => "CAD",
        Some("AU") => "AUD",
        Some("NZ") => "NZD",
        Some("SG") => "SGD",
        Some("HK") => "HKD",
        Some("TW") => "TWD",
        Some("JM") => "JMD",
        Some("TT") => "TTD",
        Some("BS") => "BSD",
        Some("BB") => "BBD",
        Some("GY") => "GYD",
        Some("BZ") => "BZD",
        Some("NA") => "NAD",
        Some("LR") => "LRD",
        Some("FJ") => "FJD",
        _ => "USD",
    }
}

/// Byte spans of the sentences the tokenizer found.
fn sentence_spans(toks: &[tokens::Token<'_>]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut current = usize::MAX;
    for t in toks {
        if t.sentence != current {
            out.push((t.start, t.end));
            current = t.sentence;
        } else if let Some(last) = out.last_mut() {
            last.1 = t.end;
        }
    }
    out
}

/// Words that name who acts when no entity does.
const ACTOR_WORDS: &[&str] = &[
    "authorities",
    "police",
    "government",
    "officials",
    "troops",
    "soldiers",
    "army",
    "military",
    "regime",
    "forces",
    "guards",
    "protesters",
    "militants",
    "rebels",
    "insurgents",
    "court",
    "prosecutors",
    "ministry",
    "state",
];

#[allow(clippy::too_many_arguments)]
fn events_to_records(
    text: &str,
    published: Option<&str>,
    found: &[events::Found],
    ents: &[entities::Found],
    times: &[times::Found],
    quotes: &[(quotes::Found, Option<String>)],
    span: &dyn Fn(usize, usize) -> [usize; 2],
    place_of: &dyn Fn(u32) -> Place,
) -> Vec<Told> {
    // The article's main country: the one its places point to most.
    let g = gazetteer::Gazetteer::get();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for e in ents.iter().filter(|e| e.label == "PLACE") {
        if let Some(c) = e.place.map(|i| g.places[i as usize].country.clone()) {
            match counts.iter_mut().find(|x| x.0 == c) {
                Some(x) => x.1 += 1,
                None => counts.push((c, 1)),
            }
        }
    }
    let main_country = counts
        .iter()
        .max_by_key(|x| x.1)
        .and_then(|x| g.country(&x.0).map(|p| (p.name.clone(), x.0.clone())));
    let month = published.and_then(|p| p.get(..7)).map(str::to_string);
    // A negated, hypothetical, planned or future mention is not an event
    // (issue 13): only occurrences are listed.
    found
        .iter()
        .filter(|f| !f.negated && !f.hedged)
        .map(|f| {
            let (ts, te) = f.trigger;
            let in_sentence = |s: usize, e: usize| s >= f.start && e <= f.end;
            // Actor: an entity ending just before the trigger, else an actor word there,
            // else the last entity before it in the sentence.
            let before = &text[f.start..ts];
            let near_words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
            let actor = ents
                .iter()
                .filter(|e| {
                    in_sentence(e.start, e.end) && e.end <= ts && text[e.end..ts].split_whitespace().count() <= 3
                })
                .max_by_key(|e| e.end)
                .map(|e| text[e.start..e.end].to_string())
                .or_else(|| {
                    near_words
                        .iter()
                        .find(|w| {
                            ACTOR_WORDS
                                .contains(&w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase().as_str())
                        })
                        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                })
                .or_else(|| {
                    ents.iter()
                        .filter(|e| {
                            in_sentence(e.start, e.end)
                                && e.end <= ts
                                && matches!(e.label, "ORG" | "GROUP" | "PLACE" | "PERSON")
                        })
                        .filter(|e| !text[e.end..ts].trim_start().to_lowercase().starts_with("reported"))
                        .max_by_key(|e| e.end)
                        .map(|e| text[e.start..e.end].to_string())
                });
            // Target: the words right after the trigger, up to punctuation or a linking word.
            let after = &text[te..f.end];
            let mut target_words = Vec::new();
            for w in after.split_whitespace() {
                if w.contains(['\u{201d}', '\u{201c}', '"']) {
                    // A quotation mark ends the phrase ("… without mercy,” the source said).
                    let head = w.split(['\u{201d}', '\u{201c}', '"']).next().unwrap_or("");
                    let head = head.trim_matches(|c: char| !c.is_alphanumeric());
                    if !head.is_empty() {
                        target_words.push(head);
                    }
                    break;
                }
                let clean = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\u{2019}');
                let lower = clean.to_lowercase();
                if [
                    "and", "to", "in", "on", "at", "for", "from", "into", "with", "by", "as", "that", "which", "who",
                    "of", "after", "before", "since", "because", "but", "while",
                ]
                .contains(&lower.as_str())
                    || clean.is_empty()
                {
                    break;
                }
                target_words.push(clean);
                if w.ends_with([',', '.', ';', ':']) || target_words.len() >= 4 {
                    break;
                }
            }
            let target =
                (!target_words.is_empty() && target_words.iter().any(|w| w.len() > 2)).then(|| target_words.join(" "));
            // Place (issue 13): from the trigger's own clause first, then the
            // sentence, then the nearest place the paragraph names before
            // it, else the article's main country. Within each, a place
            // introduced by "in" ("Authorities in North Korea") first, else
            // the one nearest the trigger.
            let dist = |s: usize, e: usize| if e <= ts { ts - e } else { s.saturating_sub(te) };
            // The two words before a byte offset, lowercased, past a "the"
            // ("into the US").
            let words_before = |pos: usize| {
                let mut it = text[..pos]
                    .split_whitespace()
                    .rev()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
                    .filter(|w| w != "the");
                (it.next().unwrap_or_default(), it.next().unwrap_or_default())
            };
            // Places after "into", "to", "from", "across", "with", "out of"
            // are where things go or who the other party is, not where the
            // event happens ("smuggle gold … into China", "trading with
            // China", "closed its borders with Syria").
            let directional = |e: &entities::Found| {
                let (last, second) = words_before(e.start);
                // Not "across": what spreads across a country happens there
                // ("bushfires are spreading across Australia").
                ["into", "to", "from", "toward", "towards", "with"].contains(&last.as_str())
                    || last == "of" && second == "out"
            };
            let introduced = |e: &entities::Found| words_before(e.start).0 == "in";
            let (cs, ce) = clause_of(text, f.start, f.end, ts, te);
            // A city or region written as the subject of a measure ("Pyongyang
            // extended …", "Washington imposed …", "Beijing has instituted a
            // zero-Covid policy") is a government acting, not where the
            // measure holds: it gives way to any other place, and alone it
            // stands for its country. A city that suffers an occurrence
            // ("Paris has suffered from smog") is its place.
            let measure = matches!(
                f.kind,
                "policy_measure" | "movement_restriction" | "security_deployment"
            ) || f.subtype == "trade_suspension";
            let verbish = |w: &str| {
                ["has", "have", "had", "also", "then", "later", "again", "and"].contains(&w) || w.ends_with("ed")
            };
            let metonymic = |e: &entities::Found| {
                let between = text[e.end..ts.max(e.end)].split_whitespace().collect::<Vec<_>>();
                let next = between.first().map(|w| w.to_lowercase()).unwrap_or_default();
                let trigger_verb = text[ts..te]
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| w.ends_with("ed"));
                // Right before the trigger verb ("Washington imposed"), or the
                // clause's subject followed by its verb.
                let adjacent = between.len() <= 2 && between.iter().all(|w| verbish(w)) && trigger_verb;
                let subject = e.start >= cs
                    && (text[cs..e.start].trim().is_empty() || text[cs..e.start].trim().eq_ignore_ascii_case("the"))
                    && verbish(&next);
                measure
                    && e.end <= ts
                    && !introduced(e)
                    && e.place
                        .is_some_and(|p| g.places[p as usize].kind != gazetteer::Kind::Country)
                    && (adjacent || subject)
            };
            // The place's name and, where the gazetteer knows it, its country.
            // A place the names pass left unresolved ("the Israeli-occupied
            // West Bank") still has the country its name has in the
            // gazetteer: a country first, then a region, then the most
            // populous city of the name.
            let name_country = |e: &entities::Found| match e.place {
                Some(p) => {
                    let p = place_of(p);
                    (p.name, p.country)
                }
                None => {
                    let name = &text[e.start..e.end];
                    let country = g
                        .lookup(name)
                        .iter()
                        .map(|&i| &g.places[i as usize])
                        .min_by_key(|p| {
                            let rank = match p.kind {
                                gazetteer::Kind::Country => 0,
                                gazetteer::Kind::Admin1 => 1,
                                gazetteer::Kind::City => 2,
                            };
                            (rank, std::cmp::Reverse(p.population))
                        })
                        .map(|p| p.country.clone());
                    (name.to_string(), country)
                }
            };
            let best_in = |from: usize, to: usize| {
                ents.iter()
                    .filter(|e| {
                        e.label == "PLACE" && e.start >= from && e.end <= to && !directional(e) && !metonymic(e)
                    })
                    .min_by_key(|e| (!introduced(e), dist(e.start, e.end)))
                    .map(name_country)
            };
            // A demonym before a noun in the clause names the country too
            // ("deported by Mexican immigration authorities", "Swedish
            // prosecutors decided to reopen …"); not one used as a noun ("the
            // Australian was evicted").
            let demonym = || {
                ents.iter()
                    .filter(|e| e.label == "GROUP" && e.place.is_some() && e.start >= cs && e.end <= ce)
                    .filter(|e| {
                        let next = text[e.end..].split_whitespace().next().unwrap_or("");
                        next.chars().next().is_some_and(char::is_lowercase)
                            && ![
                                "was", "were", "is", "are", "has", "have", "had", "said", "says", "who", "and", "or",
                            ]
                            .contains(&next.trim_matches(|c: char| !c.is_alphanumeric()))
                    })
                    .min_by_key(|e| dist(e.start, e.end))
                    .and_then(|e| e.place)
                    .map(|p| {
                        let p = place_of(p);
                        (p.name, p.country)
                    })
            };
            // A place the gazetteer cannot put in a country (a street, a
            // neighbourhood: "demonstrated … on the Nursery Road", "the
            // murder of two officers in Bed-Stuy") gives way to the next place
            // that can, so the event keeps its country; it stands only when
            // no such place follows.
            let unplaced = best_in(cs, ce)
                .or_else(|| best_in(f.start, f.end))
                .filter(|(_, c)| c.is_none());
            let known = |p: Option<(String, Option<String>)>| p.filter(|(_, c)| c.is_some());
            // An occurrence told as worldwide ("its fleet … around the world
            // have been grounded", "confirmed cases worldwide") happens in no
            // one place: with no place in its clause, no earlier place or the
            // article's country stands in.
            let worldwide = {
                let s = text[f.start..f.end].to_lowercase();
                [
                    "worldwide",
                    "globally",
                    "around the world",
                    "across the world",
                    "all over the world",
                ]
                .iter()
                .any(|w| s.contains(w))
            };
            let place = known(best_in(cs, ce))
                .or_else(|| known(demonym()))
                .or_else(|| if worldwide { Some((String::new(), None)) } else { None })
                .or_else(|| known(best_in(f.start, f.end)))
                .or_else(|| {
                    ents.iter()
                        .filter(|e| e.label == "PLACE" && in_sentence(e.start, e.end) && metonymic(e))
                        .find_map(|e| e.place)
                        .and_then(|p| g.country(&g.places[p as usize].country))
                        .map(|c| (c.name.clone(), Some(c.country.clone())))
                })
                // Else the nearest place the paragraph names before the
                // sentence ("Police arrested three men in Leeds. The arrests
                // followed a raid."), else the article's main country.
                .or_else(|| {
                    let para_start = text[..f.start].rfind("\n\n").map_or(0, |p| p + 2);
                    known(
                        ents.iter()
                            .filter(|e| {
                                e.label == "PLACE" && e.start >= para_start && e.end <= f.start && !directional(e)
                            })
                            .filter(|e| e.place.is_some() || !g.lookup(&text[e.start..e.end]).is_empty())
                            .max_by_key(|e| e.end)
                            .map(name_country),
                    )
                })
                .or_else(|| main_country.clone().map(|(name, code)| (name, Some(code))))
                .or(unplaced);
            let (place, place_country) = place
                .filter(|(n, _)| !n.is_empty())
                .map_or((None, None), |(n, c)| (Some(n), c));
            // Date: the time expression nearest the trigger ("RFA reported earlier
            // this month that … in late November … executed" is November).
            // A time after "to", "until", "through" or "by" is where something
            // ends ("extended to the end of the year"), not when it happened.
            let end_point = |t: &times::Found| {
                let before = text[f.start..t.start].trim_end().to_lowercase();
                ["to", "until", "till", "through", "by"]
                    .iter()
                    .any(|w| before.ends_with(&format!(" {w}")) || before == *w)
            };
            // An event's date is a day, a month or a year: a week or a
            // weekend is its month, a season its year; a decade dates none.
            // (A sentence without a time does not borrow one from an earlier
            // sentence of its paragraph: tried in issue 13, any earlier time
            // lowered the development part's (type, country, month) F1 from
            // 0.626 to 0.601, and only an earlier event's own time, +0.002
            // there, cost one month on the test part.)
            // A time written as a modifier between a determiner and a noun
            // ("sentenced … for the 2023 murder") dates that noun's event,
            // not the sentence's other acts.
            let dates_another_noun = |t: &times::Found| {
                let before = text[f.start..t.start]
                    .split_whitespace()
                    .last()
                    .unwrap_or("")
                    .to_lowercase();
                let next = text[t.end..].trim_start();
                let noun_start = t.end + (text.len() - t.end - next.len());
                let next_word = next.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                ["the", "a", "an", "his", "her", "its", "their", "this", "that"].contains(&before.as_str())
                    && next_word.chars().next().is_some_and(char::is_lowercase)
                    // "in the last month to counter …": a preposition or a
                    // verb after the time ends its phrase; no noun follows.
                    && !FUNCTION_WORDS.contains(&next_word)
                    && noun_start != ts
            };
            let from_text = times
                .iter()
                .filter(|t| in_sentence(t.start, t.end) && !end_point(t) && !dates_another_noun(t))
                .filter_map(|t| times::event_period(&t.value).map(|v| (v, t)))
                .min_by_key(|(_, t)| dist(t.start, t.end))
                .map(|(v, _)| v);
            let date_basis = match (&from_text, &month) {
                (Some(_), _) => Some("text".to_string()),
                (None, Some(_)) => Some("published".to_string()),
                (None, None) => None,
            };
            let date = from_text.or_else(|| month.clone());
            let attributed_to = quotes
                .iter()
                .find(|(q, _)| q.start <= f.start + 4 && f.end <= q.end + 4)
                .and_then(|(q, _)| q.speaker.clone())
                .or_else(|| {
                    ents.iter()
                        .filter(|e| in_sentence(e.start, e.end) && matches!(e.label, "ORG" | "PERSON"))
                        .find(|e| text[e.end..f.end].trim_start().to_lowercase().starts_with("reported"))
                        .map(|e| text[e.start..e.end].to_string())
                });
            let event = Event {
                kind: f.kind.to_string(),
                subtype: Some(f.subtype.to_string()),
                actor,
                target,
                place,
                date,
                date_basis,
                negated: f.negated,
                hedged: f.hedged,
                evidence: text[f.start..f.end].to_string(),
                evidence_span: span(f.start, f.end),
                attributed_to,
            };
            Told {
                event,
                country: place_country,
                definite: f.definite,
                trigger: text[ts..te].to_lowercase(),
            }
        })
        .collect()
}

/// Words that end the phrase of a time before them ("in the last month to
/// counter …", "the week before"): no noun of its own follows the time.
const FUNCTION_WORDS: &[&str] = &[
    "to", "of", "in", "on", "at", "for", "with", "by", "from", "and", "or", "but", "as", "when", "that", "which",
    "after", "before", "was", "were", "is", "are", "had", "has", "have", "will", "would", "alone", "ago",
];

/// Words that open a clause of their own: an occurrence's place is looked
/// for first between them and punctuation ("Swedish prosecutors decided to
/// reopen the investigation in May | after he was hauled out of the embassy
/// in London").
const CLAUSE_WORDS: &[&str] = &[
    "after",
    "before",
    "when",
    "while",
    "because",
    "since",
    "although",
    "though",
    "whereas",
    "but",
    "which",
    "who",
    "whom",
    "where",
    "until",
    "unless",
    "following",
];

/// The byte span of the clause around a trigger (`ts..te`) inside the
/// sentence `start..end`: out to the nearest punctuation or clause word on
/// either side.
fn clause_of(text: &str, start: usize, end: usize, ts: usize, te: usize) -> (usize, usize) {
    let is_break = |c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '\u{2014}' | '\u{2013}');
    let is_clause_word = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        CLAUSE_WORDS.iter().any(|k| w.eq_ignore_ascii_case(k))
    };
    // Leftwards: the clause starts after the nearest break or clause word.
    let mut cs = start;
    let mut pos = ts;
    for (i, w) in text[start..ts]
        .split_inclusive(char::is_whitespace)
        .rev()
        .scan(ts, |p, w| {
            *p -= w.len();
            Some((*p, w))
        })
    {
        if w.trim_end().ends_with(is_break) {
            cs = pos;
            break;
        }
        if is_clause_word(w) {
            cs = i;
            break;
        }
        if w.contains(is_break) {
            cs = pos;
            break;
        }
        pos = i;
    }
    // Rightwards: it ends at the nearest break or clause word.
    let mut ce = end;
    let mut pos = te;
    for w in text[te..end].split_inclusive(char::is_whitespace) {
        if pos > te && is_clause_word(w) {
            ce = pos;
            break;
        }
        if let Some(k) = w.find(is_break) {
            ce = pos + k;
            break;
        }
        pos += w.len();
    }
    (cs, ce.max(cs))
}

/// One occurrence told several times in an article is one event: a later
/// event of the same type and subtype, at the same place and with the same
/// date (both from the text, or both the publication fallback) repeats an
/// earlier one and is dropped. `events` pairs each event with its place's
/// country code and whether a definite noun tells it. A definite noun
/// without a time of its own told before the occurrence it names ("caused
/// the recent lockdown of the city" … "authorities sealed off the city in
/// November") is a retelling too: the plain telling is the event. (A later
/// mention without a time of its own is not taken for a retelling of any
/// dated one of its type: on the development part that lost as many distinct
/// occurrences, and their months, as it removed repeats. Only the same act on
/// the same thing, at one place or its country, dated in the publication
/// month, is: see `same_act`.)
fn one_per_occurrence(events: Vec<Told>) -> Vec<Event> {
    let mut out: Vec<&Told> = Vec::with_capacity(events.len());
    for (k, told) in events.iter().enumerate() {
        let (e, country, definite) = (&told.event, &told.country, &told.definite);
        let undated = e.date_basis.as_deref() != Some("text");
        let same_country = |c: &Option<String>| country.is_none() || c.is_none() || c == country;
        // The same act on the same thing, told once with its time and once
        // without, before or after ("shot down two Syrian government
        // warplanes" … "On Sunday it shot down two Syrian planes in Idlib"):
        // the telling that gives the time is the event, with its own place
        // and evidence, rather than a second event dated by the fallback.
        // Only where the time falls in the publication month: an act told
        // without a time in another month ("charged in relation to an
        // investigation" in October, one "back in August") may be another.
        let dated_elsewhere = undated
            && events.iter().enumerate().any(|(j, o)| {
                j != k
                    && o.event.date_basis.as_deref() == Some("text")
                    && o.event.date.as_ref().and_then(|d| d.get(..7)) == e.date.as_ref().and_then(|d| d.get(..7))
                    && o.event.kind == e.kind
                    && o.event.subtype == e.subtype
                    && o.event.evidence_span != e.evidence_span
                    && country.is_some()
                    && o.country == *country
                    && same_place(o, told)
                    && same_act(o, told)
            });
        if dated_elsewhere {
            continue;
        }
        let told_later = events[k + 1..].iter().any(|later| {
            let (o, c, o_definite) = (&later.event, &later.country, &later.definite);
            !o_definite
                && o.kind == e.kind
                && o.subtype == e.subtype
                && o.evidence_span != e.evidence_span
                && same_country(c)
        });
        if *definite && undated && told_later {
            continue;
        }
        // A protest's subtype says what a sentence tells of it (the
        // crowd, the tear gas): told twice, it is still one protest.
        // Acts told apart in one sentence are told apart on purpose
        // (`events::find`): two plague cases a week apart in one month.
        // A measure is what it does: a plain telling of a measure by other
        // words ("banned public gatherings" … "ordered the closure of
        // markets") is another measure, not the same one told again; one
        // retold shares a trigger word ("imposed new restrictions" …
        // "the restrictions were imposed") or is a definite noun.
        let measure = matches!(e.kind.as_str(), "policy_measure" | "movement_restriction");
        let repeats = out.iter().any(|o| {
            let (o_told, o) = (*o, &o.event);
            o.evidence_span != e.evidence_span
                && o.kind == e.kind
                && (o.subtype == e.subtype || matches!(e.kind.as_str(), "protest" | "riot"))
                && o.place == e.place
                && o.date == e.date
                && o.date_basis == e.date_basis
                && (!measure || *definite || shares_a_word(&o_told.trigger, &told.trigger))
        });
        if !repeats {
            out.push(told);
        }
    }
    out.into_iter().map(|t| t.event.clone()).collect()
}

/// An event as `events_to_records` tells it: with its place's country code,
/// whether a definite noun tells it, and its trigger's words, lowercased.
struct Told {
    event: Event,
    country: Option<String>,
    definite: bool,
    trigger: String,
}

/// Whether two tellings may be of one place: the same place, or one of them
/// only its country ("in Syria" … "in Idlib"); two towns ("arrested in
/// Springfield" … "charged at Eugene Police Department") are two occurrences.
fn same_place(a: &Told, b: &Told) -> bool {
    let g = gazetteer::Gazetteer::get();
    let only_country = |t: &Told| {
        t.country
            .as_deref()
            .and_then(|c| g.country(c))
            .is_some_and(|p| t.event.place.as_deref() == Some(p.name.as_str()))
    };
    a.event.place == b.event.place || only_country(a) || only_country(b)
}

/// Whether two tellings name the same act on the same thing: their triggers
/// share a word and, with what they name, they share two ("shot down two
/// Syrian government warplanes", "shot down two Syrian planes"; "arrested
/// three men" and "arrested a woman" share one). A trigger's gap may hold
/// the object, so trigger and target are read together.
fn same_act(a: &Told, b: &Told) -> bool {
    if !shares_a_word(&a.trigger, &b.trigger) {
        return false;
    }
    let words = |t: &Told| -> Vec<String> {
        let target = t.event.target.as_deref().unwrap_or("");
        let mut w: Vec<String> = t
            .trigger
            .split(|c: char| !c.is_alphanumeric())
            .chain(target.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() > 3)
            .map(|w| w.chars().take(5).collect::<String>().to_lowercase())
            .collect();
        w.sort();
        w.dedup();
        w
    };
    let wb = words(b);
    words(a).iter().filter(|w| wb.contains(w)).count() >= 2
}

/// Whether two triggers share a word longer than three letters (not the
/// words a trigger's gap let in: "a", "the", "new"), by its first five
/// letters ("punishments" and "punishment", "imposed" and "imposition").
fn shares_a_word(a: &str, b: &str) -> bool {
    let stems = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .map(|w| w.chars().take(5).collect())
            .collect()
    };
    let b = stems(b);
    stems(a).iter().any(|w| b.contains(w))
}

/// Fills a record's analysis fields from its text and publication date.
///
/// The word lists, trigger words, month names and the tagger are English:
/// a record whose language is known and is not English gets empty analysis
/// fields rather than German nouns taken for people and Russian names for
/// places. A record of unknown language is analysed.
pub fn analyse_record(record: &mut Record) {
    if record.language.as_deref().is_some_and(|l| !is_english(l)) {
        record.entities.clear();
        record.times.clear();
        record.quantities.clear();
        record.quotes.clear();
        record.events.clear();
        return;
    }
    let a = analyse(&record.text, record.published.as_deref());
    record.entities = a.entities;
    record.times = a.times;
    record.quantities = a.quantities;
    record.quotes = a.quotes;
    record.events = a.events;
}

/// Whether a language tag names English ("en", "en-GB", "EN_us").
fn is_english(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("en") || primary.eq_ignore_ascii_case("eng")
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
    fn only_english_records_are_analysed() {
        use gleaner_record::{InputInfo, InputKind};
        let text = "Die Patienten warten in Berlin seit April auf 200 Befunde, sagte Anna Schmidt.";
        let mut rec = Record::new(InputInfo::new(InputKind::Text, "t.txt", 0));
        rec.text = text.to_string();
        rec.published = Some("2020-05-01".to_string());
        // Unknown language: analysed (the words look like names to English rules).
        analyse_record(&mut rec);
        assert!(!rec.entities.is_empty(), "{rec:?}");
        for (tag, analysed) in [
            ("de", false),
            ("ru", false),
            ("en", true),
            ("en-GB", true),
            ("EN", true),
        ] {
            rec.language = Some(tag.to_string());
            analyse_record(&mut rec);
            assert_eq!(!rec.entities.is_empty(), analysed, "{tag}: {:?}", rec.entities);
        }
    }

    #[test]
    fn spans_are_character_offsets_of_the_text() {
        let text = "Caf\u{e9} owners said on Monday: \u{201c}We lost \u{20ac}2.5bn in 2019 and 12 percent of 300 customers.\u{201d}\n\nIn April, the 880-mile road closed.";
        let a = analyse(text, Some("2020-12-19"));
        assert!(!a.times.is_empty() && !a.quantities.is_empty() && !a.quotes.is_empty());
        check_spans(text, &a);
    }

    #[test]
    fn one_occurrence_told_twice_is_one_event_dated_by_its_own_clause() {
        let text = "Police arrested three men in Leeds on Monday. The arrests on Monday followed a raid. \
                    In April, the council extended the ban to the end of the year.";
        let a = analyse(text, Some("2020-12-19"));
        let arrests: Vec<_> = a.events.iter().filter(|e| e.kind == "arrest_detention").collect();
        assert_eq!(arrests.len(), 1, "{:?}", a.events);
        let extension = a
            .events
            .iter()
            .find(|e| e.kind == "policy_measure")
            .expect("the extension");
        assert_eq!(extension.date.as_deref(), Some("2020-04"));
    }

    #[test]
    fn an_event_is_dated_by_a_day_a_month_or_a_year() {
        // "last week" is a week, "last spring" a season: the event takes
        // their month and year, which is what the record's date allows.
        let a = analyse(
            "Police arrested two men in Leeds last week. Floods hit the valley last spring.",
            Some("2019-11-20"),
        );
        let date = |kind: &str| a.events.iter().find(|e| e.kind == kind).and_then(|e| e.date.clone());
        assert_eq!(date("arrest_detention").as_deref(), Some("2019-11"), "{:?}", a.events);
        assert_eq!(date("disaster_health").as_deref(), Some("2019"), "{:?}", a.events);
        // A decade dates no occurrence: the publication month is the marked fallback.
        let a = analyse("In the 1990s, police arrested two men in Leeds.", Some("2019-11-20"));
        assert_eq!(a.events[0].date_basis.as_deref(), Some("published"), "{:?}", a.events);
    }

    #[test]
    fn measures_told_by_other_words_are_other_measures() {
        let text = "Officials banned public gatherings in Lagos. They also ordered the closure of markets in Lagos. \
                    Restrictions on interstate travel were imposed in Lagos. \
                    The government imposed the restrictions after a surge in cases in Lagos.";
        let a = analyse(text, Some("2020-04-10"));
        let decrees: Vec<_> = a.events.iter().filter(|e| e.kind == "policy_measure").collect();
        // The ban, the closure order and the travel restrictions; the last
        // sentence tells the restrictions again.
        assert_eq!(decrees.len(), 3, "{:?}", a.events);
    }

    #[test]
    fn an_event_takes_its_place_from_its_own_clause_first() {
        let place = |text: &str, kind: &str| {
            let a = analyse(text, Some("2019-11-20"));
            a.events
                .iter()
                .find(|e| e.kind == kind)
                .and_then(|e| e.place.clone())
                .unwrap_or_else(|| panic!("{text:?}: {:?}", a.events))
        };
        // The place of the other clause is the arrest's, not the inquiry's.
        assert_eq!(
            place(
                "Prosecutors in Stockholm said on Monday they had reopened the investigation, after his arrest in London.",
                "arrest_detention"
            ),
            "Stockholm"
        );
        // A demonym before a noun in the clause names the country.
        assert_eq!(
            place(
                "On Friday, 300 migrants were deported by Mexican immigration officers to the US.",
                "arrest_detention"
            ),
            "Mexico"
        );
        // The other party and the destination are not where it happens.
        assert_eq!(
            place(
                "Jordan braced for refugees. Soldiers closed the border with Syria on Monday.",
                "movement_restriction"
            ),
            "Jordan"
        );
        // A capital as the subject is a government acting: the measure is
        // placed where it holds, or in the capital's country.
        assert_eq!(
            place("Moscow imposed new tariffs on Vietnam.", "policy_measure"),
            "Vietnam"
        );
        assert_eq!(
            place(
                "Beijing has instituted a strict zero-Covid policy.",
                "movement_restriction"
            ),
            "China"
        );
    }

    #[test]
    fn acts_told_apart_in_one_sentence_stay_apart_in_one_month() {
        let a = analyse(
            "In May, officials in Ulan Bator reported a case of plague after two other plague cases were revealed.",
            Some("2020-12-19"),
        );
        let outbreaks = a.events.iter().filter(|e| e.kind == "disaster_health").count();
        assert_eq!(outbreaks, 2, "{:?}", a.events);
    }

    #[test]
    fn negated_and_hypothetical_mentions_are_no_events() {
        let text = "Police did not arrest anyone. The council will impose a curfew. If talks fail, crews could strike.";
        let a = analyse(text, Some("2020-12-19"));
        assert!(a.events.is_empty(), "{:?}", a.events);
    }

    #[test]
    fn a_protest_told_twice_with_its_intervention_is_one_protest() {
        let text = "Thousands marched in Tehran on Friday. Police fired tear gas at the marchers in Tehran on Friday.";
        let a = analyse(text, Some("2019-11-20"));
        let protests: Vec<_> = a.events.iter().filter(|e| e.kind == "protest").collect();
        assert_eq!(protests.len(), 1, "{:?}", a.events);
    }

    #[test]
    fn a_definite_noun_told_before_the_occurrence_is_its_retelling() {
        let text =
            "Residents blamed traders for the recent lockdown of the town. Officials locked down the town in May.";
        let a = analyse(text, Some("2020-12-19"));
        assert_eq!(a.events.len(), 1, "{:?}", a.events);
        assert!(a.events[0].evidence.starts_with("Officials"), "{:?}", a.events);
        assert_eq!(a.events[0].date.as_deref(), Some("2020-05"));
        // Alone, the definite noun still tells of the occurrence.
        let a = analyse(
            "Residents blamed traders for the recent lockdown of the town.",
            Some("2020-12-19"),
        );
        assert_eq!(a.events.len(), 1, "{:?}", a.events);
    }

    /// The place of the only event of `text`, published on 2020-03-02.
    fn only_place(text: &str) -> Option<String> {
        let a = analyse(text, Some("2020-03-02"));
        assert_eq!(a.events.len(), 1, "{text:?}: {:?}", a.events);
        a.events[0].place.clone()
    }

    #[test]
    fn a_place_with_no_country_gives_way_to_one_with_one() {
        // A street the gazetteer cannot place: the event keeps the country
        // of the article rather than a place with no country.
        assert_eq!(
            only_place(
                "Two newborns died at a hospital in Bhakkar, Pakistan, on Sunday.\n\n\
                 Relatives of the babies demonstrated against the staff on the Nursery Road on Monday."
            )
            .as_deref(),
            Some("Pakistan")
        );
        // A name the names pass leaves unresolved is still placed by the
        // gazetteer, so it is kept over the article's country.
        assert_eq!(
            only_place(
                "Officials in Washington said on Monday that they would help.\n\n\
                 The Palestinian Authority in the Israeli-occupied West Bank has announced a partial two-week lockdown."
            )
            .as_deref(),
            Some("West Bank")
        );
    }

    #[test]
    fn what_spreads_across_a_country_happens_there() {
        assert_eq!(
            only_place(
                "Officials in Washington offered help on Monday. \
                 Dozens of bushfires are spreading across Australia, burning more than two million acres."
            )
            .as_deref(),
            Some("Australia")
        );
    }

    #[test]
    fn a_year_before_another_acts_noun_dates_that_act_only() {
        let a = analyse(
            "A man was sentenced to 12 years in prison for the 2023 murder of a taxi driver.",
            Some("2026-03-10"),
        );
        let date = |subtype: &str| {
            a.events
                .iter()
                .find(|e| e.subtype.as_deref() == Some(subtype))
                .and_then(|e| e.date.clone())
        };
        assert_eq!(date("prosecution").as_deref(), Some("2026-03"), "{:?}", a.events);
        assert_eq!(date("attack").as_deref(), Some("2023"), "{:?}", a.events);
        // A time that ends its phrase still dates the act ("in the last month to counter").
        let a = analyse(
            "Turkey has sent thousands of troops and vehicles in the last month to counter the advance.",
            Some("2020-03-02"),
        );
        assert_eq!(a.events.len(), 1, "{:?}", a.events);
        assert_eq!(a.events[0].date_basis.as_deref(), Some("text"), "{:?}", a.events);
    }

    #[test]
    fn a_worldwide_occurrence_has_no_place() {
        assert_eq!(
            only_place("The airline is based in Dubai.\n\nIts fleet of roughly 400 jets around the world has been grounded since March."),
            None
        );
    }

    #[test]
    fn an_act_told_undated_and_dated_is_one_event_from_the_dated_telling() {
        let a = analyse(
            "Turkish forces shot down two Syrian government warplanes, officials said.\n\n\
             On Sunday it shot down two Syrian planes in Idlib.",
            Some("2020-03-02"),
        );
        assert_eq!(a.events.len(), 1, "{:?}", a.events);
        let e = &a.events[0];
        assert_eq!(e.date.as_deref(), Some("2020-03-01"));
        assert_eq!(e.date_basis.as_deref(), Some("text"));
        assert_eq!(e.place.as_deref(), Some("Idlib"));
        assert!(e.evidence.starts_with("On Sunday"), "{:?}", e.evidence);
        // The same charge in two towns is two occurrences.
        let a = analyse(
            "Police arrested a man in Springfield on Monday and charged him with armed robbery.\n\n\
             A second man was charged with armed robbery in Eugene.",
            Some("2020-03-02"),
        );
        let charges = a.events.iter().filter(|e| e.subtype.as_deref() == Some("prosecution"));
        assert_eq!(charges.count(), 2, "{:?}", a.events);
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
