//! Direct quotes and who said them.
//!
//! A quote is text between quotation marks that reports speech: it is
//! attributed by a speech verb next to it (", X said", "said X", "X told Y",
//! "X said: “…”", "according to X") or stands as a whole paragraph. Short
//! phrases in quotes inside a sentence are scare quotes, not speech. A
//! paragraph that opens a quote without closing it continues into the next
//! paragraph that opens one (the newspaper convention), so a quote can span
//! paragraphs. Speakers get ids: later "the source said" points to the most
//! recent anonymous speaker, "the second source" / "another resident" opens a
//! new one, a surname points to the named speaker it ends.

/// A found quote (byte spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Span of the quoted words (without the marks).
    pub start: usize,
    /// End of the quoted words.
    pub end: usize,
    /// The speaker as described.
    pub speaker: Option<String>,
    /// Stable id per speaker within the text ("s1", "s2", …).
    pub speaker_id: Option<String>,
    /// The speaker is unnamed on purpose or only described.
    pub anonymous: bool,
    /// Whom the words were told to.
    pub told_to: Option<String>,
    /// Byte span of the time expression of when they were told, if any.
    pub told_when: Option<(usize, usize)>,
}

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "explained",
    "explains",
    "stated",
    "states",
    "noted",
    "notes",
    "asked",
    "asks",
    "wrote",
    "writes",
    "warned",
    "warns",
    "claimed",
    "claims",
    "insisted",
    "insists",
    "argued",
    "argues",
    "recalled",
    "recalls",
    "confirmed",
    "confirms",
    "replied",
    "announced",
    "declared",
    "continued",
    "concluded",
    "admitted",
    "acknowledged",
    "stressed",
    "emphasised",
    "emphasized",
    "remarked",
    "commented",
    "tweeted",
    "posted",
    "reported",
    "observed",
    "cautioned",
    "predicted",
    "described",
    "describes",
];

/// Verbs that attribute a quote from earlier in its sentence: "X warned that
/// the government “will not sit on our hands”", "X has described it as a
/// “game-changer”", "X issued a statement, saying: “…”".
const ATTRIBUTION_VERBS: &[&str] = &[
    "called",
    "calls",
    "urged",
    "urges",
    "accused",
    "accuses",
    "pledged",
    "pledges",
    "vowed",
    "vows",
    "promised",
    "promises",
    "blasted",
    "denounced",
    "condemned",
    "praised",
    "dismissed",
    "branded",
    "labelled",
    "labeled",
    "demanded",
    "demands",
    "saying",
    "warning",
    "adding",
    "telling",
    "stating",
    "noting",
    "calling",
    "describing",
    "insisting",
    "arguing",
    "urging",
    "explaining",
    "writing",
    "declaring",
    "announcing",
];

fn is_attribution_verb(w: &str) -> bool {
    is_speech_verb(w) || ATTRIBUTION_VERBS.contains(&w)
}

fn is_speech_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(&w)
}

const OPEN: [char; 2] = ['\u{201c}', '"'];
const CLOSE: [char; 2] = ['\u{201d}', '"'];

/// A raw quoted stretch: byte spans of the marks' insides, possibly across
/// paragraphs.
struct Stretch {
    start: usize,
    end: usize,
    /// Byte just after the closing mark (or the paragraph end when unclosed).
    after: usize,
    /// Byte of the opening mark.
    before: usize,
}

fn stretches(text: &str) -> Vec<Stretch> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find(|c: char| OPEN.contains(&c)) {
        let open = i + off;
        let open_len = text[open..].chars().next().map_or(1, char::len_utf8);
        let start = open + open_len;
        let is_straight = text[open..].starts_with('"');
        // The matching close: curly “ ends at ” (or at ’’, which some pages
        // type for it); straight " at the next ".
        let close_rel = if is_straight {
            text[start..].find('"')
        } else {
            let curly = text[start..].find('\u{201d}');
            let doubled = text[start..].find("\u{2019}\u{2019}");
            match (curly, doubled) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        let para_end = text[start..].find("\n\n").map(|p| start + p);
        match close_rel.map(|c| start + c) {
            Some(close) if para_end.is_none_or(|p| close < p) => {
                let close_len = if text[close..].starts_with("\u{2019}\u{2019}") {
                    2 * '\u{2019}'.len_utf8()
                } else {
                    text[close..].chars().next().map_or(1, char::len_utf8)
                };
                out.push(Stretch {
                    start,
                    end: close,
                    after: close + close_len,
                    before: open,
                });
                i = close + close_len;
            }
            _ => {
                // Unclosed in this paragraph: it continues if the next paragraph opens a quote.
                let Some(p) = para_end else {
                    out.push(Stretch {
                        start,
                        end: text.len(),
                        after: text.len(),
                        before: open,
                    });
                    break;
                };
                let next_para = p + 2;
                let rest = text[next_para..].trim_start();
                let continues = rest.starts_with(OPEN);
                if continues {
                    // Merge with the quote that starts the next paragraph.
                    let mut end_search = next_para;
                    let mut merged_end = None;
                    for _ in 0..20 {
                        let rest_start =
                            end_search + (text[end_search..].len() - text[end_search..].trim_start().len());
                        let mark_len = text[rest_start..].chars().next().map_or(1, char::len_utf8);
                        let inner = rest_start + mark_len;
                        let pe = text[inner..].find("\n\n").map(|x| inner + x);
                        let close = text[inner..].find(CLOSE).map(|x| inner + x);
                        match close {
                            Some(c) if pe.is_none_or(|pe| c < pe) => {
                                merged_end = Some(c);
                                break;
                            }
                            _ => match pe {
                                Some(pe) if text[pe + 2..].trim_start().starts_with(OPEN) => end_search = pe + 2,
                                Some(pe) => {
                                    merged_end = Some(pe);
                                    break;
                                }
                                None => {
                                    merged_end = Some(text.len());
                                    break;
                                }
                            },
                        }
                    }
                    let end = merged_end.unwrap_or(p);
                    let after = text[end..]
                        .chars()
                        .next()
                        .filter(|c| CLOSE.contains(c))
                        .map_or(end, |c| end + c.len_utf8());
                    out.push(Stretch {
                        start,
                        end,
                        after,
                        before: open,
                    });
                    i = after.max(next_para);
                } else {
                    out.push(Stretch {
                        start,
                        end: p,
                        after: p,
                        before: open,
                    });
                    i = next_para;
                }
            }
        }
    }
    out
}

/// The attribution right after a quote: `, X said`, `, said X`, `X told Y Dec. 5.`
struct Attribution {
    speaker: Option<String>,
    told_to: Option<String>,
    told_when_after: Option<usize>,
    anonymous_hint: bool,
    found: bool,
}

fn words_of(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect()
}

fn clean_word(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// Reads the clause after a closing quote (up to the sentence end).
fn after_clause(clause: &str, clause_start: usize) -> Attribution {
    let mut a = Attribution {
        speaker: None,
        told_to: None,
        told_when_after: None,
        anonymous_hint: false,
        found: false,
    };
    let c = clause.trim_start_matches([',', ' ']);
    let lead = clause.len() - c.len();
    let ws = words_of(c);
    if ws.is_empty() {
        return a;
    }
    // ", said the second source." / ", said Kim."
    if is_speech_verb(&clean_word(ws[0])) {
        let rest = c[c.find(ws[0]).map_or(0, |p| p + ws[0].len())..].trim();
        let speaker = cut_speaker(rest);
        a.found = !speaker.is_empty();
        a.anonymous_hint = rest.contains("anonymity") || rest.contains("not to be named");
        a.speaker = (!speaker.is_empty()).then_some(speaker);
        return a;
    }
    // ", a resident of X, who requested anonymity, told RFA's Korean Service Dec. 5."
    // ASCII lowercasing keeps byte offsets valid for slicing `c`.
    let lower = c.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for v in SPEECH_VERBS {
        let pat = format!(" {v}");
        if let Some(p) = lower.find(&pat) {
            let after = lower[p + pat.len()..].chars().next();
            if after.is_none_or(|ch| !ch.is_alphanumeric()) && best.is_none_or(|(bp, _)| p < bp) {
                best = Some((p, v));
            }
        }
    }
    let Some((vp, verb)) = best else { return a };
    // The speaker phrase must be short-ish: this is an attribution, not a new sentence.
    let subject = &c[..vp];
    if words_of(subject).len() > 30 || subject.contains(". ") {
        return a;
    }
    a.anonymous_hint = subject.contains("anonymity")
        || subject.contains("not to be named")
        || subject.contains("declined to be identified")
        || subject.contains("unnamed");
    let Some(speaker) = noun_phrase(&cut_speaker(subject)) else {
        return a;
    };
    a.found = true;
    a.speaker = Some(speaker);
    if verb == "told" || verb == "tells" {
        let obj_start = vp + 1 + verb.len();
        let obj = c[obj_start..].trim_start();
        let obj_off = c.len() - obj.len();
        // The recipient runs until a date word, a comma or the sentence end.
        let mut end = obj.find(['.', ',', ';', '\n']).unwrap_or(obj.len());
        // "RFA's Korean Service Dec. 5" → stop before a month/weekday word.
        let mut acc = 0;
        for w in obj.split(' ') {
            if crate::times::month(w).is_some()
                || ["on", "in", "last", "this", "yesterday", "earlier", "that"].contains(&clean_word(w).as_str())
            {
                end = end.min(acc.max(1) - 1);
                break;
            }
            acc += w.len() + 1;
        }
        let to = obj[..end.min(obj.len())].trim().trim_end_matches(',').to_string();
        if !to.is_empty() {
            a.told_to = Some(to);
        }
        a.told_when_after = Some(clause_start + lead + obj_off + end.min(obj.len()));
    }
    a
}

/// "a resident of Ryanggang province in the country's central northern region, who requested anonymity"
/// → the noun phrase before any relative clause.
fn cut_speaker(s: &str) -> String {
    let s = s.trim().trim_start_matches(',').trim();
    let mut cut = s.len();
    // A participle clause after the speaker ("…, adding that …") is what
    // they went on to say, not who they are.
    for stop in [
        ", who",
        ", which",
        " who ",
        ", speaking",
        ", according",
        ". ",
        ".\n",
        ";",
        " on condition",
        " in an interview",
        " in a statement",
        ", adding",
        ", saying",
        ", noting",
        ", explaining",
        ", insisting",
        ", warning",
    ] {
        if let Some(p) = s.find(stop) {
            cut = cut.min(p);
        }
    }
    s[..cut].trim().trim_end_matches(['.', ',', ':']).trim().to_string()
}

/// Words that open an introductory phrase before a sentence's subject
/// ("In a statement, the ministry said …").
const INTRODUCTORY: &[&str] = &[
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "since",
    "referring",
    "speaking",
    "earlier",
    "later",
    "last",
    "this",
    "but",
    "and",
    "however",
    "meanwhile",
    "critically",
    "separately",
    "instead",
    "still",
    "yet",
    "also",
    "asked",
    "when",
    "while",
    "as",
    "following",
    "according",
    "despite",
    "although",
    "though",
    "responding",
    "writing",
    "then",
    "now",
    "today",
    "yesterday",
];

/// `subject` without an introductory phrase that ends with a comma ("In a
/// statement on Monday, the ministry" → "the ministry").
fn without_introduction(subject: &str) -> &str {
    let first = clean_word(words_of(subject).first().copied().unwrap_or(""));
    match subject.find(", ") {
        Some(c) if INTRODUCTORY.contains(&first.as_str()) => subject[c + 2..].trim(),
        _ => subject,
    }
}

/// The speaker named as the subject of a speech verb earlier in the quote's
/// sentence: "China’s ambassador to Britain … warned that the government
/// “will not sit on our hands”", "Trump has described it as a “game-changer”".
/// `sentence` is the text from the sentence start to the quote's opening mark.
fn sentence_subject(sentence: &str) -> Option<String> {
    let ws = words_of(sentence);
    let k = (1..ws.len()).find(|&k| is_attribution_verb(&clean_word(ws[k])))?;
    let verb_at = sentence.find(&format!(" {}", ws[k]))?;
    let mut subject = sentence[..verb_at].trim();
    subject = without_introduction(subject);
    // Drop auxiliaries and adverbs before the verb: "The UK has urged".
    while let Some((head, last)) = subject.rsplit_once(' ') {
        if matches!(
            clean_word(last).as_str(),
            "has"
                | "have"
                | "had"
                | "also"
                | "then"
                | "would"
                | "will"
                | "could"
                | "is"
                | "was"
                | "were"
                | "are"
                | "been"
                | "later"
                | "repeatedly"
                | "previously"
                | "publicly"
                | "once"
                | "again"
                | "statement"
                | "a"
                | "issued"
                | "released"
        ) {
            subject = head.trim_end_matches(',').trim();
        } else {
            break;
        }
    }
    // A dateline before the subject: "LONDON (AP) — Britain's Conservative Party".
    if let Some(p) = subject.find(" \u{2014} ").or_else(|| subject.find(" -- ")) {
        let head = &subject[..p];
        if head.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
            subject = subject[p..].trim_start_matches([' ', '\u{2014}', '-']).trim();
        }
    }
    noun_phrase(&cut_speaker(subject))
}

/// `speaker` when it reads as a noun phrase: it opens with a capital, a
/// determiner or a pronoun and holds no finite verb or second clause ("The
/// patient was diagnosed with what's", "for $5.9 million, though he later"
/// are not speakers); else the noun phrase after its last comma or "and"
/// ("and diagnoses are delayed, …, he" → "he").
fn noun_phrase(speaker: &str) -> Option<String> {
    let valid = |sp: &str| {
        let sw = words_of(sp);
        // "company CEO Andy Vesey": a short phrase around a name.
        let names = sw.len() <= 6 && sw.iter().any(|w| w.chars().next().is_some_and(char::is_uppercase));
        let opens = names
            || sw.first().is_some_and(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    || matches!(
                        clean_word(w).as_str(),
                        "a" | "an"
                            | "the"
                            | "his"
                            | "her"
                            | "its"
                            | "their"
                            | "one"
                            | "two"
                            | "three"
                            | "several"
                            | "some"
                            | "many"
                            | "he"
                            | "she"
                            | "they"
                            | "we"
                            | "i"
                            | "it"
                            | "another"
                            | "other"
                            | "both"
                    )
            });
        let clause_inside = sw.iter().any(|w| {
            matches!(
                clean_word(w).as_str(),
                "is" | "was"
                    | "were"
                    | "are"
                    | "has"
                    | "have"
                    | "had"
                    | "be"
                    | "been"
                    | "though"
                    | "although"
                    | "while"
                    | "because"
                    | "when"
                    | "and"
            ) && !w.chars().next().is_some_and(char::is_uppercase)
        }) && sw.first().is_none_or(|w| clean_word(w) != "and");
        opens
            && !clause_inside
            && (1..=15).contains(&sw.len())
            && !sp.contains(['\u{201c}', '\u{201d}', '"'])
            && sw.first().is_none_or(|w| clean_word(w) != "and")
    };
    let sp = speaker.trim();
    if valid(sp) {
        return Some(sp.to_string());
    }
    let tail = [", ", " and ", "\u{201d} ", "\" "]
        .iter()
        .filter_map(|sep| sp.rfind(sep).map(|p| &sp[p + sep.len()..]))
        .min_by_key(|t| t.len())?;
    let tail = cut_speaker(tail);
    valid(&tail).then_some(tail)
}

/// The part of the sentence before a quote (earlier quotes in the same
/// sentence included): from the last sentence end in `before`.
fn sentence_before(before: &str) -> &str {
    let mut start = 0;
    for (i, _) in before
        .match_indices(". ")
        .chain(before.match_indices("? "))
        .chain(before.match_indices("! "))
    {
        // Not after an initial or a short abbreviation ("U.S. officials", "Mr. Lee").
        let word = before[..i].rsplit(' ').next().unwrap_or("");
        let abbreviation = word.len() <= 3 && word.chars().next().is_some_and(char::is_uppercase) || word.contains('.');
        if !abbreviation && i + 2 > start {
            start = i + 2;
        }
    }
    if let Some(p) = before.rfind(".\u{201d} ") {
        start = start.max(p + ".\u{201d} ".len());
    }
    &before[start..]
}

/// The attribution before a quote: `X said: “…”`, `X said, “…”`, `According to X, “…”`.
fn before_clause(before: &str) -> Option<String> {
    let b = before.trim_end();
    let b = b
        .strip_suffix(':')
        .or_else(|| b.strip_suffix(','))
        .unwrap_or(b)
        .trim_end();
    let sentence_start = b
        .rfind(['.', '!', '?', '\n', '\u{201d}'])
        .map_or(0, |p| p + b[p..].chars().next().map_or(1, char::len_utf8));
    let clause = b[sentence_start..].trim();
    let ws = words_of(clause);
    // "X said:", "X said on Monday:", "X told reporters:" — the verb near the end.
    let n = ws.len();
    if let Some(k) = (n.saturating_sub(5)..n)
        .rev()
        .find(|&k| k >= 1 && is_attribution_verb(&clean_word(ws[k])))
    {
        // "X issued a statement, saying:" — the participle's subject is the
        // sentence's, found by `sentence_subject`.
        if clean_word(ws[k]).ends_with("ing") {
            return None;
        }
        let verb_at = clause.find(&format!(" {}", ws[k])).unwrap_or(0);
        let speaker = cut_speaker(without_introduction(&clause[..verb_at]));
        return (!speaker.is_empty() && words_of(&speaker).len() <= 12).then_some(speaker);
    }
    if clause.to_ascii_lowercase().starts_with("according to ") {
        return Some(cut_speaker(&clause["according to ".len()..]));
    }
    None
}

/// A speaker described, not named: "a resident of Ryanggang province",
/// "the second source", "two officials".
fn is_anonymous_description(speaker: &str) -> bool {
    let first = speaker.split_whitespace().next().unwrap_or("").to_lowercase();
    let lower = speaker.to_lowercase();
    let nouns = [
        "source", "resident", "official", "person", "witness", "insider", "people", "member", "diplomat", "officer",
        "worker", "defector", "citizen", "villager", "trader", "smuggler",
    ];
    matches!(
        first.as_str(),
        "a" | "an" | "one" | "another" | "the" | "two" | "three" | "several" | "some"
    ) && nouns.iter().any(|w| lower.contains(w))
}

/// Where the sentence running at `from` ends: the first `.`, `!` or `?`
/// followed by a space or line end that does not close an abbreviation
/// ("Dec. 5", "Mr. Lee", "U.S. officials"), or a line break; at most 400 bytes on.
fn sentence_end(text: &str, from: usize) -> usize {
    let limit = (from + 400).min(text.len());
    let mut i = from;
    while i < limit {
        let Some(c) = text[i..].chars().next() else { break };
        if c == '\n' {
            return i;
        }
        if matches!(c, '.' | '!' | '?') {
            let next = text[i + 1..].chars().next();
            if next.is_none_or(|n| n.is_whitespace()) {
                let word_start = text[..i]
                    .rfind(|ch: char| ch.is_whitespace())
                    .map_or(0, |p| p + text[p..].chars().next().map_or(1, char::len_utf8));
                let word = text[word_start..i].trim_start_matches(|ch: char| !ch.is_alphanumeric());
                let abbreviation = crate::times::month(&format!("{word}.")).is_some()
                    || [
                        "Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen", "Rep", "St", "U.S",
                        "U.K", "U.N", "No", "Jr", "Sr", "Prof",
                    ]
                    .contains(&word)
                    || (word.chars().count() == 1 && word.chars().all(char::is_uppercase));
                if !abbreviation {
                    return i + 1;
                }
            }
        }
        i += c.len_utf8();
    }
    limit
}

/// A second anonymous source introduced outside a quote ("Another resident
/// of Ryanggang, who requested anonymity to speak freely, confirmed …"):
/// the description, looked for in the two paragraphs before `pos`.
fn introduced_source(text: &str, pos: usize) -> Option<String> {
    let mut start = pos;
    for _ in 0..3 {
        start = text[..start.saturating_sub(2)].rfind("\n\n").map_or(0, |p| p + 2);
        if start == 0 {
            break;
        }
    }
    let window = &text[start..pos];
    let at = window.find("Another ").or_else(|| window.find("A second "))?;
    let rest = &window[at..];
    let rest = &rest[..sentence_end(rest, 0).min(rest.len())];
    let mut cut = rest.len();
    for stop in [", who", " who ", ", speaking", ","] {
        if let Some(p) = rest.find(stop) {
            cut = cut.min(p);
        }
    }
    let desc = rest[..cut].trim();
    (words_of(desc).len() <= 10 && !desc.is_empty()).then(|| desc.to_string())
}

/// Finds quotes in `text`.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Speaker registry: (id, description, anonymous, surname key).
    let mut speakers: Vec<(String, String, bool)> = Vec::new();
    let mut last_anonymous: Option<usize> = None;
    let mut last_speaker: Option<usize> = None;
    let mut last_quote_paragraph: Option<usize> = None;
    let mut last_named: Option<usize> = None;
    for st in stretches(text) {
        let quoted = &text[st.start..st.end];
        let n_words = words_of(quoted).len();
        // The rest of the sentence after the quote.
        let tail_end = sentence_end(text, st.after);
        let tail = text.get(st.after..tail_end).unwrap_or("");
        let attr = after_clause(tail, st.after);
        let para_start = text[..st.before].rfind("\n\n").map_or(0, |p| p + 2);
        let before = &text[para_start..st.before];
        let before_speaker = if attr.found {
            None
        } else {
            // A term in quotes mid-sentence ("increased this posture to the
            // “ultra-high-level,”") is a scare quote, not speech: the subject
            // of an earlier verb speaks only for a phrase of two words or more.
            before_clause(before).or_else(|| (n_words >= 2).then(|| sentence_subject(sentence_before(before)))?)
        };
        let whole_paragraph = before.trim().is_empty() && n_words >= 6;
        // “…,” she said. “More words.” — the second quote is still hers.
        let continues_paragraph = last_quote_paragraph == Some(para_start) && n_words >= 3;
        let attributed = attr.found || before_speaker.is_some();
        if !attributed && !whole_paragraph && !continues_paragraph {
            continue; // scare quotes or titles
        }
        if n_words < 3 && !attributed {
            continue;
        }
        let described = attr.speaker.clone().or(before_speaker);
        // Resolve the speaker id.
        let (speaker, id, anonymous) = match described {
            Some(desc) => {
                let lower = desc.to_lowercase();
                let pronoun = matches!(lower.as_str(), "he" | "she" | "they" | "i" | "we");
                let as_written = desc.clone();
                let anon = attr.anonymous_hint || is_anonymous_description(&desc);
                let is_new_source = lower.starts_with("another ")
                    || lower.contains("second source")
                    || lower.contains("second resident")
                    || lower.contains("other source")
                    || lower.starts_with("a ")
                    || lower.starts_with("an ");
                let refers_back = (lower.starts_with("the ") || lower.starts_with("this "))
                    && !lower.contains(" of ")
                    && words_of(&lower).len() <= 3;
                let idx = if pronoun {
                    // "he said": the most recent named speaker, else the last one.
                    last_named.or(last_speaker)
                } else if refers_back && lower.contains("second") {
                    // "the second source": the one introduced as "Another …" or an
                    // earlier second speaker; otherwise a new speaker.
                    speakers.iter().rposition(|s| {
                        s.1.to_lowercase().contains("second") || s.1.to_lowercase().starts_with("another")
                    })
                } else if refers_back {
                    last_anonymous.or(last_speaker)
                } else if is_new_source {
                    None
                } else {
                    // A name: the same person if the surname matches an earlier speaker.
                    let key = desc.split_whitespace().last().unwrap_or("").to_lowercase();
                    speakers
                        .iter()
                        .position(|s| s.1.split_whitespace().last().is_some_and(|l| l.to_lowercase() == key))
                };
                let idx = match idx {
                    Some(i) => i,
                    None => {
                        let desc = if lower.contains("second") {
                            introduced_source(text, st.before).unwrap_or(desc)
                        } else {
                            desc
                        };
                        let anon = anon || is_anonymous_description(&desc);
                        speakers.push((format!("s{}", speakers.len() + 1), desc.clone(), anon));
                        speakers.len() - 1
                    }
                };
                if speakers[idx].2 {
                    last_anonymous = Some(idx);
                } else {
                    last_named = Some(idx);
                }
                last_speaker = Some(idx);
                // The speaker as written at this quote ("the source"), except
                // pronouns, which say nothing on their own.
                let shown = if pronoun { speakers[idx].1.clone() } else { as_written };
                (Some(shown), Some(speakers[idx].0.clone()), speakers[idx].2)
            }
            // An unattributed whole-paragraph quote continues the last speaker.
            None => match last_speaker {
                Some(i) => (Some(speakers[i].1.clone()), Some(speakers[i].0.clone()), speakers[i].2),
                None => (None, None, false),
            },
        };
        last_quote_paragraph = Some(para_start);
        let told_when = attr.told_when_after.map(|p| (p, tail_end));
        out.push(Found {
            start: st.start,
            end: st.end,
            speaker,
            speaker_id: id,
            anonymous,
            told_to: attr.told_to,
            told_when,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_forms() {
        let text = "\u{201c}We will not stop until the border is safe,\u{201d} the minister said.\n\n\u{201c}Prices have doubled since the spring,\u{201d} said Anna Lee, a trader.\n\nOfficials said: \u{201c}The road will reopen on Friday morning.\u{201d}";
        let q = find(text);
        assert_eq!(q.len(), 3);
        assert_eq!(q[0].speaker.as_deref(), Some("the minister"));
        assert_eq!(q[1].speaker.as_deref(), Some("Anna Lee, a trader"));
        assert_eq!(q[2].speaker.as_deref(), Some("Officials"));
        assert_ne!(q[0].speaker_id, q[1].speaker_id);
    }

    #[test]
    fn what_the_speaker_went_on_to_say_is_not_the_speaker() {
        let q = find("\u{201c}Nobody expected this on a forum about bins,\u{201d} said Odile Marchetti, the council's digital manager, adding that no data was exposed.");
        assert_eq!(
            q[0].speaker.as_deref(),
            Some("Odile Marchetti, the council's digital manager")
        );
    }

    #[test]
    fn scare_quotes_are_not_speech() {
        let q = find("Pyongyang extended an \u{201c}emergency quarantine posture\u{201d} to the end of the year.");
        assert!(q.is_empty());
    }

    #[test]
    fn quotes_span_paragraphs() {
        let text = "\u{201c}The first part of what she said.\n\n\u{201c}The second part of it,\u{201d} the mayor said.";
        let q = find(text);
        assert_eq!(q.len(), 1);
        assert!(text[q[0].start..q[0].end].contains("second part"));
        assert_eq!(q[0].speaker.as_deref(), Some("the mayor"));
    }

    #[test]
    fn the_subject_of_an_earlier_speech_verb_speaks() {
        let q = find("China\u{2019}s ambassador to Britain, Zheng Zeguang, warned that the government \u{201c}will not sit on our hands if the rules change\u{201d} in the coming weeks.");
        assert_eq!(q.len(), 1);
        assert_eq!(
            q[0].speaker.as_deref(),
            Some("China\u{2019}s ambassador to Britain, Zheng Zeguang")
        );
        let q = find("In a statement on Monday, the ministry urged residents to \u{201c}stay indoors until the smoke clears from the valley\u{201d}.");
        assert_eq!(q[0].speaker.as_deref(), Some("the ministry"));
        let q = find(
            "The company issued a statement, saying: \u{201c}We are reviewing every one of the contracts.\u{201d}",
        );
        assert_eq!(q[0].speaker.as_deref(), Some("The company"));
    }

    #[test]
    fn a_clause_is_not_a_speaker() {
        assert_eq!(noun_phrase("The patient was diagnosed with what"), None);
        assert_eq!(noun_phrase("and diagnoses are delayed, he").as_deref(), Some("he"));
        assert_eq!(
            noun_phrase("company CEO Andy Vesey").as_deref(),
            Some("company CEO Andy Vesey")
        );
    }

    #[test]
    fn doubled_apostrophes_close_a_curly_quote() {
        let text =
            "\u{201c}We expected the water to rise much faster than this,\u{2019}\u{2019} the mayor said on Monday.";
        let q = find(text);
        assert_eq!(q.len(), 1);
        assert!(
            text[q[0].start..q[0].end].ends_with("than this,"),
            "{:?}",
            &text[q[0].start..q[0].end]
        );
        assert_eq!(q[0].speaker.as_deref(), Some("the mayor"));
    }
}
