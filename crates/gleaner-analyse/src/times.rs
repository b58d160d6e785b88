//! Time expressions, normalised to ISO 8601 and resolved against the
//! publication date: "Dec. 5" → 2020-12-05, "last month" → 2020-11,
//! "In April" → 2020-04, "last week" → 2020-W50, "the first half of next
//! year" → 2021-01/2021-06, "the 14th Century" → 1300/1399, "11pm" on a
//! named day → 2024-03-13T23:00.
//!
//! A date without a year, a bare month and a weekday are placed before or
//! after the publication date by the nearest tense cue in their sentence
//! ("will play on Saturday" → the coming Saturday; "said on Sunday" → the
//! last one); with no cue, the nearest such date (a day up to six weeks
//! ahead counts as nearer than one ten months back). Seasons use the ISO
//! 8601-2 (EDTF) season numbers ("last autumn" → 2023-23); years before the
//! common era are astronomical ("500 BC" → -0499).

use crate::tokens::Token;
use gleaner_record::civil;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

/// A found time expression (byte span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte span in the text.
    pub start: usize,
    /// Byte span end.
    pub end: usize,
    /// ISO 8601 value.
    pub value: String,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub y: i32,
    /// Month 1–12.
    pub m: u32,
    /// Day 1–31.
    pub d: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a longer timestamp is cut to its date).
    pub fn parse(s: &str) -> Option<Date> {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        ((1..=12).contains(&m) && d >= 1 && d <= days_in(y, m)).then_some(Date { y, m, d })
    }

    fn days(self) -> i64 {
        civil::days_from_civil(i64::from(self.y), self.m, self.d)
    }

    fn from_days(z: i64) -> Date {
        let (y, m, d) = civil::civil_from_days(z);
        Date { y: y as i32, m, d }
    }

    fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// 0 = Monday.
    fn weekday(self) -> i64 {
        civil::weekday(self.days())
    }

    fn add_months(self, n: i32) -> (i32, u32) {
        let total = self.y * 12 + self.m as i32 - 1 + n;
        (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32)
    }
}

/// A time value as an event's date, which is a day, a month or a year only
/// (`docs/record-v1.md`): a week becomes the month of its Thursday (the
/// month most of its days fall in), a range the month or the year both ends
/// share, a season its year, a clock time its day. A range over several
/// years (a decade), a bare clock time or a year before the common era
/// dates no single occurrence: `None`.
pub fn event_period(value: &str) -> Option<String> {
    if let Some((a, b)) = value.split_once('/') {
        let (a, b) = (event_period(a)?, event_period(b)?);
        return if a == b {
            Some(a)
        } else if a.len() >= 7 && b.len() >= 7 && a[..7] == b[..7] {
            Some(a[..7].to_string())
        } else if a[..4] == b[..4] {
            Some(a[..4].to_string())
        } else {
            None
        };
    }
    let year: i32 = value
        .get(..4)
        .filter(|y| y.bytes().all(|c| c.is_ascii_digit()))?
        .parse()
        .ok()?;
    let rest = &value[4..];
    if rest.is_empty() {
        return Some(value.to_string());
    }
    if let Some(week) = rest.strip_prefix("-W") {
        let w: i64 = week.get(..2)?.parse().ok()?;
        // The Monday of week 1 is the Monday on or before 4 January.
        let jan4 = Date { y: year, m: 1, d: 4 };
        let thursday = jan4.add_days(-jan4.weekday() + 7 * (w - 1) + 3);
        return Some(ym(thursday.y, thursday.m));
    }
    let month: u32 = rest.get(1..3)?.parse().ok()?;
    if (21..=24).contains(&month) {
        return Some(value[..4].to_string());
    }
    if rest.len() >= 6 {
        return Date::parse(value).map(|d| ymd(d.y, d.m, d.d));
    }
    (1..=12).contains(&month).then(|| ym(year, month))
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Month from a word ("December", "Dec.", "Sept").
pub fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.');
    // The names are ASCII without a 'k', and the only other letter that
    // lowercases to ASCII is the Kelvin sign ('k'): a word with any other
    // letter matches none, so no lowercased copy is needed (this runs on
    // every token; issue 16).
    if w.len() < 3 || !w.is_ascii() {
        return None;
    }
    if let Some(i) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(w)) {
        return Some(i as u32 + 1);
    }
    // Abbreviations: only with a period, or the three/four-letter forms (not "may", "mar" alone as words).
    let abbr = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ];
    let months = [1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12];
    if word.ends_with('.') || word.chars().next().is_some_and(char::is_uppercase) {
        if let Some(i) = abbr.iter().position(|a| a.eq_ignore_ascii_case(w)) {
            // "Mar" or "Jan" capitalised without a period could be names; need a day or period.
            return Some(months[i]);
        }
    }
    None
}

pub(crate) fn weekday(word: &str) -> Option<i64> {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    // ASCII names without a 'k': see `month`.
    if !word.is_ascii() {
        return None;
    }
    DAYS.iter().position(|d| d.eq_ignore_ascii_case(word)).map(|i| i as i64)
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !(suffix.is_empty() || matches!(suffix, "st" | "nd" | "rd" | "th")) || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<i32> {
    (word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1800..=2100).contains(y))
}

/// Which way an expression without a year (or a bare weekday) points from
/// the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Past,
    Future,
    Nearest,
}

/// Words that point to the future ("will play on Sunday").
const FUTURE_CUES: &[&str] = &[
    "will",
    "shall",
    "should",
    "would",
    "won't",
    "won\u{2019}t",
    "going",
    "expected",
    "scheduled",
    "due",
    "upcoming",
    "coming",
    "plans",
    "plan",
    "aims",
    "intends",
    "until",
    "till",
    "ahead",
    "next",
    "tomorrow",
];

/// Past forms that are not "-ed" ("said on Sunday").
const PAST_CUES: &[&str] = &[
    "said",
    "told",
    "was",
    "were",
    "had",
    "did",
    "ago",
    "last",
    "earlier",
    "went",
    "came",
    "began",
    "took",
    "made",
    "gave",
    "got",
    "saw",
    "met",
    "left",
    "held",
    "found",
    "became",
    "won",
    "lost",
    "fell",
    "rose",
    "hit",
    "shot",
    "killed",
    "since",
    "yesterday",
    "wrote",
    "spoke",
    "sent",
    "paid",
    "put",
    "set",
    "struck",
    "broke",
    "brought",
    "bought",
    "sold",
    "led",
    "ran",
    "stood",
    "kept",
    "felt",
    "heard",
    "thought",
    "knew",
    "grew",
    "drew",
    "flew",
];

/// Whether `w` is in `FUTURE_CUES` and in `PAST_CUES`: one hash lookup per
/// token, where scanning both lists was 1.5 % of an ingest's CPU (issue 16).
fn cue_lists(w: &str) -> (bool, bool) {
    type Cues = std::collections::HashMap<&'static str, (bool, bool), foldhash::fast::FixedState>;
    static CUES: std::sync::OnceLock<Cues> = std::sync::OnceLock::new();
    let cues = CUES.get_or_init(|| {
        let mut cues = Cues::default();
        for &f in FUTURE_CUES {
            cues.entry(f).or_default().0 = true;
        }
        for &p in PAST_CUES {
            cues.entry(p).or_default().1 = true;
        }
        cues
    });
    cues.get(w).copied().unwrap_or_default()
}

/// A time value before it is written out.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Day(Date),
    Month(i32, u32),
    Year(i32),
    Week(i32, u32),
    Raw(String),
}

impl V {
    fn text(&self) -> String {
        match self {
            V::Day(d) => ymd(d.y, d.m, d.d),
            V::Month(y, m) => ym(*y, *m),
            V::Year(y) => format!("{y:04}"),
            V::Week(y, w) => format!("{y:04}-W{w:02}"),
            V::Raw(s) => s.clone(),
        }
    }
}

/// The ISO week (year, number) of a date.
fn iso_week(d: Date) -> (i32, u32) {
    // The Thursday of the date's week decides the week's year.
    let thursday = d.add_days(3 - d.weekday());
    let jan1 = Date {
        y: thursday.y,
        m: 1,
        d: 1,
    };
    let week = (thursday.days() - jan1.days()) / 7 + 1;
    (thursday.y, week as u32)
}

/// A day of month `m`, day `d` without a year, placed by `dir` around `p`.
fn place_day(m: u32, d: u32, p: Date, dir: Dir) -> Option<Date> {
    let make = |y: i32| (d <= days_in(y, m)).then_some(Date { y, m, d });
    let this = make(p.y)?;
    let (past, future) = if this <= p {
        (Some(this), make(p.y + 1))
    } else {
        (make(p.y - 1), Some(this))
    };
    let dist = |x: Option<Date>| x.map_or(i64::MAX, |x| (x.days() - p.days()).abs());
    // A date within two months on one side and over six on the other is the
    // near one, whatever the tense: a report names a date a year off with its year.
    if dist(past) <= 60 && dist(future) > 180 {
        return past;
    }
    if dist(future) <= 60 && dist(past) > 180 {
        return future;
    }
    match dir {
        Dir::Past => past,
        Dir::Future => future,
        // A day within six weeks ahead is more likely than one ten months back.
        Dir::Nearest => {
            if dist(future) <= 45 || dist(future) < dist(past) {
                future
            } else {
                past
            }
        }
    }
}

/// A month without a year, placed by `dir` around `p`.
fn place_month(m: u32, p: Date, dir: Dir) -> (i32, u32) {
    let past = if m <= p.m { p.y } else { p.y - 1 };
    let future = if m >= p.m { p.y } else { p.y + 1 };
    match dir {
        Dir::Future => (future, m),
        Dir::Past => (past, m),
        Dir::Nearest => {
            let ahead = (future * 12 + m as i32) - (p.y * 12 + p.m as i32);
            let back = (p.y * 12 + p.m as i32) - (past * 12 + m as i32);
            if ahead < back && ahead <= 1 {
                (future, m)
            } else {
                (past, m)
            }
        }
    }
}

/// A weekday placed by `dir` around `p` (0 = Monday).
fn place_weekday(wd: i64, p: Date, dir: Dir) -> Date {
    let back = (p.weekday() - wd).rem_euclid(7);
    let ahead = (wd - p.weekday()).rem_euclid(7);
    match dir {
        Dir::Past => p.add_days(-back),
        Dir::Future => p.add_days(ahead),
        Dir::Nearest => {
            if ahead < back {
                p.add_days(ahead)
            } else {
                p.add_days(-back)
            }
        }
    }
}

/// Seasons in EDTF (ISO 8601-2) numbering: 21 spring … 24 winter, with the
/// month each starts in (northern hemisphere).
fn season(word: &str) -> Option<(u32, u32)> {
    match word {
        "spring" => Some((21, 3)),
        "summer" => Some((22, 6)),
        "autumn" | "fall" => Some((23, 9)),
        "winter" => Some((24, 12)),
        _ => None,
    }
}

/// The ordinal or cardinal number of a century word ("14th", "fourteenth").
fn century_number(w: &str) -> Option<i32> {
    const ORD: [&str; 21] = [
        "",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    if let Some(i) = ORD.iter().position(|x| !x.is_empty() && *x == w) {
        return Some(i as i32);
    }
    if w == "twenty-first" {
        return Some(21);
    }
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if matches!(suffix, "st" | "nd" | "rd" | "th") {
        return digits.parse().ok().filter(|n| (1..=22).contains(n));
    }
    None
}

/// "6am", "11pm", "6:30pm" and "12" followed by "p.m.": (hour, minute).
fn clock(toks: &[Token<'_>], lower: &[Cow<'_, str>], i: usize) -> Option<((u32, u32), usize)> {
    let w = lower.get(i)?;
    let meridiem = |s: &str| match s {
        "am" | "a.m." | "a.m" => Some(false),
        "pm" | "p.m." | "p.m" => Some(true),
        _ => None,
    };
    let to24 = |h: u32, pm: bool| -> Option<u32> {
        if !(1..=12).contains(&h) {
            return None;
        }
        Some(match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        })
    };
    // Glued: "6am", "11pm".
    if let Some(pos) = w.find(|c: char| !c.is_ascii_digit()) {
        if pos > 0 && pos <= 2 {
            let pm = meridiem(&w[pos..])?;
            let h: u32 = w[..pos].parse().ok()?;
            return Some(((to24(h, pm)?, 0), i + 1));
        }
        return None;
    }
    let h: u32 = w.parse().ok().filter(|_| w.len() <= 2)?;
    // "10:30 a.m." / "10:30pm".
    let (minute, k) = if lower.get(i + 1).map(|w| w.as_ref()) == Some(":")
        && toks.get(i + 1).is_some_and(|c| c.start == toks[i].end)
    {
        let m = lower.get(i + 2)?;
        let digits = m.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        let mm: u32 = digits.parse().ok().filter(|x| *x < 60 && digits.len() == 2)?;
        let rest = &m[digits.len()..];
        if !rest.is_empty() {
            let pm = meridiem(rest)?;
            return Some(((to24(h, pm)?, mm), i + 3));
        }
        (mm, i + 3)
    } else {
        (0, i + 1)
    };
    let pm = meridiem(lower.get(k)?)?;
    Some(((to24(h, pm)?, minute), k + 1))
}

struct Scan<'t, 'a> {
    toks: &'t [Token<'a>],
    /// Lowercased words without a possessive ("year’s" → "year"); shared so
    /// that `at` can hold its words while it pushes.
    lower: Rc<[Cow<'a, str>]>,
    /// The tense cue of every token, computed on the first `dir_at`: it
    /// scans whole sentences for every expression.
    cues: OnceCell<Vec<Option<Dir>>>,
    pub_date: Option<Date>,
    out: Vec<Found>,
    /// The last day, month and year the text named, for "the next day",
    /// "the following week", "the preceding year" and clock times.
    last_day: Option<(Date, usize)>,
    last_year: Option<i32>,
}

impl Scan<'_, '_> {
    fn w(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", |w| &**w)
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        a < self.toks.len() && b < self.toks.len() && self.toks[a].sentence == self.toks[b].sentence
    }

    /// The tense cue of token `k`, if it is one.
    fn cue(&self, k: usize) -> Option<Dir> {
        let w = self.w(k);
        let before = || if k > 0 { self.w(k - 1) } else { "" };
        let (future_cue, past_cue) = cue_lists(w);
        if future_cue || w.ends_with("'ll") || w.ends_with("\u{2019}ll") || (w == "set" && self.w(k + 1) == "to") {
            // "was due to", "were expected to": a future seen from the past.
            let past_future = matches!(before(), "was" | "were");
            return Some(if past_future { Dir::Past } else { Dir::Future });
        }
        if past_cue && w != "set" {
            return Some(Dir::Past);
        }
        // "The Federal Reserve cut rates on Wednesday": a past written like
        // the present is past after its subject; not after a modal or "to"
        // ("will cut"), nor as a noun ("a rate cut").
        if matches!(w, "cut" | "shut" | "spread" | "quit" | "hurt")
            && !matches!(
                before(),
                "to" | "will"
                    | "would"
                    | "can"
                    | "could"
                    | "may"
                    | "might"
                    | "must"
                    | "should"
                    | "shall"
                    | "do"
                    | "does"
                    | "not"
                    | "a"
                    | "an"
                    | "the"
                    | "rate"
                    | "tax"
                    | "job"
                    | "price"
                    | "deep"
                    | "further"
            )
        {
            return Some(Dir::Past);
        }
        if w.len() > 4 && w.ends_with("ed") {
            let before = before();
            // A participle after "be" is passive, not past: "will be postponed".
            let passive = matches!(before, "be" | "been" | "being");
            // "the damaged section": a participle used as an adjective.
            let adjective = matches!(
                before,
                "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that" | "these" | "those"
            );
            if !passive && !adjective {
                return Some(Dir::Past);
            }
        }
        None
    }

    /// The direction of the nearest tense cue in the clause of token `i`
    /// (between commas, semicolons and colons), else in its sentence.
    fn dir_at(&self, i: usize) -> Dir {
        let cues = self
            .cues
            .get_or_init(|| (0..self.toks.len()).map(|k| self.cue(k)).collect());
        let sentence = self.toks[i].sentence;
        let boundary = |k: usize| matches!(self.toks[k].text, "," | ";" | ":" | "(" | ")" | "\u{2014}" | "\u{2013}");
        for clause_only in [true, false] {
            let mut best: Option<(usize, Dir)> = None;
            let mut consider = |k: usize| {
                if let Some(d) = cues[k] {
                    let dist = k.abs_diff(i);
                    if best.is_none_or(|(bd, bdir)| dist < bd || (dist == bd && d == Dir::Future && bdir != d)) {
                        best = Some((dist, d));
                    }
                }
            };
            let mut k = i;
            while k > 0 && self.toks[k - 1].sentence == sentence && !(clause_only && boundary(k - 1)) {
                k -= 1;
                consider(k);
            }
            let mut k = i + 1;
            while k < self.toks.len() && self.toks[k].sentence == sentence && !(clause_only && boundary(k)) {
                consider(k);
                k += 1;
            }
            if let Some((_, d)) = best {
                return d;
            }
        }
        Dir::Nearest
    }

    fn push(&mut self, a: usize, b: usize, v: V) {
        // Modifiers and frames before the expression: "late November", "the
        // end of 2025", "the first half of next year", "the evening of June 17".
        let first = a;
        let mut a = a;
        let mut v = v;
        let prev_end = self.out.last().map_or(0, |f| f.end);
        let free = |k: usize, s: &Self| s.toks[k].start >= prev_end && s.same_sentence(k, first);
        if a >= 1
            && matches!(self.w(a - 1), "early" | "late" | "mid" | "mid-" | "earlier" | "later")
            && free(a - 1, self)
        {
            a -= 1;
        }
        if a >= 3 && self.w(a - 1) == "of" && self.w(a - 3) == "the" && free(a - 3, self) {
            let head = self.w(a - 2);
            if matches!(
                head,
                "end"
                    | "beginning"
                    | "start"
                    | "middle"
                    | "turn"
                    | "close"
                    | "evening"
                    | "morning"
                    | "night"
                    | "afternoon"
            ) {
                a -= 3;
            }
        }
        if a >= 4 && self.w(a - 1) == "of" && self.w(a - 2) == "half" && self.w(a - 4) == "the" && free(a - 4, self) {
            let first = match self.w(a - 3) {
                "first" => Some(true),
                "second" => Some(false),
                _ => None,
            };
            if let (Some(first), V::Year(y)) = (first, &v) {
                v = V::Raw(if first {
                    format!("{y:04}-01/{y:04}-06")
                } else {
                    format!("{y:04}-07/{y:04}-12")
                });
                a -= 4;
            }
        }
        // "the first seven months of the year".
        if a >= 5
            && self.w(a - 1) == "of"
            && self.w(a - 2) == "months"
            && self.w(a - 4) == "first"
            && self.w(a - 5) == "the"
            && free(a - 5, self)
        {
            if let (Some(n), V::Year(y)) = (small_number(self.w(a - 3)), &v) {
                if (1..=12).contains(&n) {
                    v = V::Raw(format!("{y:04}-01/{y:04}-{n:02}"));
                    a -= 5;
                }
            }
        }
        let (start, end) = (self.toks[a].start, self.toks[b - 1].end);
        match &v {
            V::Day(d) => self.last_day = Some((*d, b)),
            V::Year(y) | V::Month(y, _) => self.last_year = Some(*y),
            _ => {}
        }
        if let V::Day(d) = &v {
            self.last_year = Some(d.y);
        }
        self.out.push(Found {
            start,
            end,
            value: v.text(),
        });
    }

    /// Part of a day after a day word: "Tuesday night", "yesterday morning".
    fn part_of_day(&self, k: usize) -> bool {
        matches!(self.w(k), "morning" | "afternoon" | "evening" | "night" | "overnight") && self.same_sentence(k - 1, k)
    }

    /// Tries every form at token `i`; returns the token index after a match.
    fn at(&mut self, i: usize) -> Option<usize> {
        let p = self.pub_date;
        let t = self.toks[i];
        let lower = Rc::clone(&self.lower);
        let w = lower.get(i).map_or("", |w| &**w);
        let prev = if i > 0 {
            lower.get(i - 1).map_or("", |w| &**w)
        } else {
            ""
        };

        // ISO dates.
        if t.text.len() == 10 && Date::parse(t.text).is_some() {
            let d = Date::parse(t.text)?;
            self.push(i, i + 1, V::Day(d));
            return Some(i + 1);
        }

        // Months: "Dec. 5", "December 5, 2020", "In April", "May this year",
        // "mid-September", "October 11 and 13".
        let (month_word, glued_mid) = match w.strip_prefix("mid-") {
            Some(rest) => (rest, true),
            None => (w, false),
        };
        let month_token = if glued_mid {
            month(month_word).filter(|_| t.text[4..].starts_with(char::is_uppercase))
        } else {
            month(t.text).filter(|_| t.is_capitalised())
        };
        if let Some(m) = month_token {
            let day = self
                .toks
                .get(i + 1)
                .and_then(|n| day_number(n.text))
                .filter(|_| self.same_sentence(i, i + 1));
            let (year_idx, year) = match (day, self.toks.get(i + 2).map(|x| x.text), self.toks.get(i + 3)) {
                (Some(_), Some(","), Some(y)) => (i + 3, year_number(y.text)),
                (Some(_), _, _) => (i + 2, self.toks.get(i + 2).and_then(|y| year_number(y.text))),
                (None, _, _) => (i + 1, self.toks.get(i + 1).and_then(|y| year_number(y.text))),
            };
            let after_month = i >= 2
                && matches!(prev, "and" | "or" | "to" | "-" | "\u{2013}")
                && month(self.toks[i - 2].text).is_some();
            let modifier = glued_mid
                || after_month
                || matches!(
                    prev,
                    "in" | "since"
                        | "late"
                        | "early"
                        | "mid"
                        | "until"
                        | "by"
                        | "last"
                        | "this"
                        | "next"
                        | "from"
                        | "through"
                        | "during"
                        | "of"
                        | "before"
                        | "after"
                        | "for"
                );
            let rel_year = matches!(self.w(i + 1), "this" | "last" | "next") && self.w(i + 2) == "year";
            // "a July forecast", "the October deadline".
            let attributive = matches!(prev, "a" | "the" | "its" | "their" | "his" | "her")
                && self
                    .toks
                    .get(i + 1)
                    .is_some_and(|n| n.is_word() && !n.is_capitalised() && !n.is_number());
            let modifier = modifier || attributive;
            // "in May Pen", "from August Town": a month's word before a
            // capitalised word is part of a place's or a person's name.
            let names_part = matches!(w, "may" | "march" | "august")
                && day.is_none()
                && year.is_none()
                && self.same_sentence(i, i + 1)
                && self
                    .toks
                    .get(i + 1)
                    .is_some_and(|n| n.is_word() && n.is_capitalised() && !n.is_number() && month(n.text).is_none());
            if names_part {
                return Some(i + 1);
            }
            let ambiguous =
                matches!(w, "may" | "march" | "august") && day.is_none() && year.is_none() && !modifier && !rel_year;
            if !ambiguous && (day.is_some() || year.is_some() || modifier || rel_year) {
                let dir = self.dir_at(i);
                match (day, year) {
                    (Some(d), Some(y)) => {
                        if d <= days_in(y, m) {
                            self.push(i, year_idx + 1, V::Day(Date { y, m, d }));
                        }
                        return Some(year_idx + 1);
                    }
                    (Some(d), None) => {
                        let Some(pd) = p else { return Some(i + 2) };
                        let Some(date) = place_day(m, d, pd, dir) else {
                            return Some(i + 2);
                        };
                        // "October 11 and 13", "June 3-5": a range of days.
                        let conn = self.w(i + 2);
                        if matches!(conn, "and" | "to" | "-" | "\u{2013}" | "through") {
                            if let Some(d2) = self.toks.get(i + 3).and_then(|n| day_number(n.text)) {
                                if d2 > d && d2 <= days_in(date.y, m) && self.same_sentence(i, i + 3) {
                                    let v = V::Raw(format!("{}/{}", ymd(date.y, m, d), ymd(date.y, m, d2)));
                                    self.push(i, i + 4, v);
                                    self.last_day = Some((date, i + 4));
                                    return Some(i + 4);
                                }
                            }
                        }
                        self.push(i, i + 2, V::Day(date));
                        return Some(i + 2);
                    }
                    (None, Some(y)) => {
                        self.push(i, year_idx + 1, V::Month(y, m));
                        return Some(year_idx + 1);
                    }
                    (None, None) => {
                        let Some(pd) = p else { return Some(i + 1) };
                        if rel_year {
                            let y = match self.w(i + 1) {
                                "last" => pd.y - 1,
                                "next" => pd.y + 1,
                                _ => pd.y,
                            };
                            self.push(i, i + 3, V::Month(y, m));
                            return Some(i + 3);
                        }
                        let (y, m2) = match prev {
                            "next" => place_month(m, pd.add_days(31), Dir::Future),
                            "last" => place_month(m, pd.add_days(-1), Dir::Past),
                            "since" => place_month(m, pd, Dir::Past),
                            "this" => (pd.y, m),
                            _ => place_month(m, pd, dir),
                        };
                        let a = if matches!(prev, "last" | "next" | "this" | "in") {
                            i - 1
                        } else {
                            i
                        };
                        self.push(a, i + 1, V::Month(y, m2));
                        return Some(i + 1);
                    }
                }
            }
        }

        // Day Month [Year]: "5 December 2020", "on 15 November".
        if let (Some(d), Some(m)) = (day_number(t.text), self.toks.get(i + 1).and_then(|n| month(n.text))) {
            if self.same_sentence(i, i + 1) && self.toks[i + 1].is_capitalised() {
                let year = self.toks.get(i + 2).and_then(|y| year_number(y.text));
                match (year, p) {
                    (Some(y), _) if d <= days_in(y, m) => {
                        self.push(i, i + 3, V::Day(Date { y, m, d }));
                        return Some(i + 3);
                    }
                    (None, Some(pd)) => {
                        if let Some(date) = place_day(m, d, pd, self.dir_at(i)) {
                            self.push(i, i + 2, V::Day(date));
                        }
                        return Some(i + 2);
                    }
                    _ => return Some(i + 2),
                }
            }
        }

        // Weekdays: "on Monday", "Tuesday night", "last Friday", "Tuesday, November 19".
        if let Some(wd) = weekday(w).filter(|_| t.is_capitalised()) {
            // An explicit date after the weekday decides.
            if self.w(i + 1) == "," {
                if let Some(m) = self.toks.get(i + 2).and_then(|x| month(x.text)) {
                    if let Some(d) = self.toks.get(i + 3).and_then(|x| day_number(x.text)) {
                        let year = match (self.w(i + 4), self.toks.get(i + 5)) {
                            (",", Some(y)) => year_number(y.text).map(|y| (y, i + 6)),
                            (y, _) => year_number(y).map(|y| (y, i + 5)),
                        };
                        let (date, end) = match (year, p) {
                            (Some((y, e)), _) => (Some(Date { y, m, d }).filter(|_| d <= days_in(y, m)), e),
                            (None, Some(pd)) => (place_day(m, d, pd, self.dir_at(i)), i + 4),
                            _ => (None, i + 4),
                        };
                        if let Some(date) = date {
                            self.push(i, end, V::Day(date));
                        }
                        return Some(end);
                    }
                }
            }
            let Some(pd) = p else { return Some(i + 1) };
            let dir = match prev {
                "last" | "past" => Dir::Past,
                "next" | "coming" => Dir::Future,
                _ => self.dir_at(i),
            };
            let date = match prev {
                // "last Friday" is before today even on a Friday; "next Monday" after.
                "last" | "past" => pd.add_days(-((pd.weekday() - wd - 1).rem_euclid(7) + 1)),
                "next" | "coming" => pd.add_days((wd - pd.weekday() - 1).rem_euclid(7) + 1),
                _ => place_weekday(wd, pd, dir),
            };
            let a = if matches!(prev, "last" | "next" | "this" | "past" | "coming") {
                i - 1
            } else {
                i
            };
            let b = if self.part_of_day(i + 1) { i + 2 } else { i + 1 };
            self.push(a, b, V::Day(date));
            return Some(b);
        }

        // Relative days: "yesterday", "tonight", "last night", "this morning", "overnight".
        if let Some(pd) = p {
            let rel = match w {
                "yesterday" => Some(-1),
                "today" | "tonight" => Some(0),
                "tomorrow" => Some(1),
                _ => None,
            };
            if let Some(n) = rel {
                let b = if self.part_of_day(i + 1) { i + 2 } else { i + 1 };
                self.push(i, b, V::Day(pd.add_days(n)));
                return Some(b);
            }
            if w == "last" && self.w(i + 1) == "night" {
                self.push(i, i + 2, V::Day(pd.add_days(-1)));
                return Some(i + 2);
            }
            if w == "this" && matches!(self.w(i + 1), "morning" | "afternoon" | "evening") {
                self.push(i, i + 2, V::Day(pd));
                return Some(i + 2);
            }
            if w == "overnight" {
                let y = pd.add_days(-1);
                self.push(
                    i,
                    i + 1,
                    V::Raw(format!("{}/{}", ymd(y.y, y.m, y.d), ymd(pd.y, pd.m, pd.d))),
                );
                return Some(i + 1);
            }
        }

        // "last month", "earlier this month", "next year", "this week", "the weekend",
        // "the next decade".
        if let Some(pd) = p {
            if matches!(w, "last" | "this" | "next" | "past" | "coming" | "the") {
                let unit = self.w(i + 1).to_string();
                let shift = match w {
                    "last" | "past" => -1,
                    "next" | "coming" => 1,
                    "the" => match self.dir_at(i) {
                        Dir::Future => 1,
                        _ => -1,
                    },
                    _ => 0,
                };
                let v = match unit.as_str() {
                    "month" if w != "the" => {
                        let (y, m) = pd.add_months(shift);
                        Some(V::Month(y, m))
                    }
                    "year" if w != "the" => Some(V::Year(pd.y + shift)),
                    "week" if w != "the" => {
                        let (y, wk) = iso_week(pd.add_days(7 * i64::from(shift)));
                        Some(V::Week(y, wk))
                    }
                    "weekend" => {
                        // The Saturday and Sunday of the weekend meant.
                        let sat = if shift < 0 || (w == "this" && pd.weekday() >= 5) {
                            pd.add_days(-((pd.weekday() - 5).rem_euclid(7)))
                        } else {
                            pd.add_days((5 - pd.weekday()).rem_euclid(7))
                        };
                        let sat = if shift < 0 && sat == pd { sat.add_days(-7) } else { sat };
                        let sun = sat.add_days(1);
                        Some(V::Raw(format!(
                            "{}/{}",
                            ymd(sat.y, sat.m, sat.d),
                            ymd(sun.y, sun.m, sun.d)
                        )))
                    }
                    "decade" if w != "the" => {
                        let base = (pd.y / 10 + shift) * 10;
                        Some(V::Raw(format!("{base:04}/{:04}", base + 9)))
                    }
                    _ => None,
                };
                if let Some(v) = v {
                    self.push(i, i + 2, v);
                    return Some(i + 2);
                }
                // "the next decade", "the coming week".
                if w == "the" && matches!(self.w(i + 1), "next" | "coming" | "past" | "last") {
                    let shift = if matches!(self.w(i + 1), "next" | "coming") {
                        1
                    } else {
                        -1
                    };
                    let v = match self.w(i + 2) {
                        "decade" => {
                            let base = (pd.y / 10 + shift) * 10;
                            Some(V::Raw(format!("{base:04}/{:04}", base + 9)))
                        }
                        "week" => {
                            let (y, wk) = iso_week(pd.add_days(7 * i64::from(shift)));
                            Some(V::Week(y, wk))
                        }
                        _ => None,
                    };
                    if let Some(v) = v {
                        self.push(i, i + 3, v);
                        return Some(i + 3);
                    }
                }
            }
        }

        // Anchored to the last date named: "the next day", "the following week",
        // "the preceding year".
        if w == "the" {
            let rel = match self.w(i + 1) {
                "next" | "following" => Some(1),
                "previous" | "preceding" => Some(-1),
                _ => None,
            };
            if let Some(n) = rel {
                let unit = self.w(i + 2).to_string();
                let anchor_day = self.last_day.map(|(d, _)| d).or(p);
                let v = match unit.as_str() {
                    "day" => anchor_day.map(|d| V::Day(d.add_days(n))),
                    "week" if self.w(i + 1) != "next" => anchor_day.map(|d| {
                        let (y, wk) = iso_week(d.add_days(7 * n));
                        V::Week(y, wk)
                    }),
                    "year" if self.w(i + 1) != "next" => {
                        self.last_year.or(p.map(|d| d.y)).map(|y| V::Year(y + n as i32))
                    }
                    _ => None,
                };
                if let Some(v) = v {
                    self.push(i, i + 3, v);
                    return Some(i + 3);
                }
            }
            // "the end of the year", "the first seven months of the year".
            if self.w(i + 1) == "year" && prev == "of" {
                if let Some(pd) = p {
                    self.push(i, i + 2, V::Year(pd.y));
                    return Some(i + 2);
                }
            }
        }

        // "N days/weeks/months/years ago", "a year ago".
        if let (Some(n), unit, "ago") = (small_number(w), self.w(i + 1).to_string(), self.w(i + 2)) {
            if let Some(pd) = p {
                let v = match unit.trim_end_matches('s') {
                    "day" => Some(V::Day(pd.add_days(-(n as i64)))),
                    "week" => {
                        let (y, wk) = iso_week(pd.add_days(-7 * n as i64));
                        Some(V::Week(y, wk))
                    }
                    "month" => {
                        let (y, m) = pd.add_months(-(n as i32));
                        Some(V::Month(y, m))
                    }
                    // A year ago is the same month a year back.
                    "year" => {
                        let (y, m) = pd.add_months(-12 * n as i32);
                        Some(V::Month(y, m))
                    }
                    _ => None,
                };
                if let Some(v) = v {
                    self.push(i, i + 3, v);
                    return Some(i + 3);
                }
            }
        }

        // Seasons (EDTF numbering): "last autumn", "the spring of 2020", "this summer".
        if let Some((code, start_month)) = season(self.w(i + 1)) {
            if matches!(w, "last" | "this" | "next" | "the") && self.same_sentence(i, i + 1) {
                let of_year = (self.w(i + 2) == "of")
                    .then(|| self.toks.get(i + 3).and_then(|y| year_number(y.text)))
                    .flatten();
                let y = match (of_year, p) {
                    (Some(y), _) => Some(y),
                    (None, Some(pd)) => {
                        let passed = pd.m > start_month + 2 || (start_month == 12 && pd.m < 3);
                        let current = pd.y;
                        Some(match w {
                            "next" => current + i32::from(pd.m >= start_month),
                            "this" => current,
                            // "last autumn", "the spring": the most recent one.
                            _ if passed => current,
                            _ => current - 1,
                        })
                    }
                    _ => None,
                };
                // "the fall" only as a season word after "the" in "in the fall".
                let plausible = w != "the" || prev == "in" || prev == "since" || of_year.is_some();
                if let (Some(y), true) = (y, plausible) {
                    let end = if of_year.is_some() { i + 4 } else { i + 2 };
                    self.push(i, end, V::Raw(format!("{y:04}-{code}")));
                    return Some(end);
                }
            }
        }

        // Decades and centuries: "the 1990s", "the early 2020s", "the 14th Century".
        if w.len() == 5 && w.ends_with('s') {
            if let Some(y) = year_number(&w[..4]).filter(|y| y % 10 == 0) {
                let mut a = i;
                if matches!(prev, "early" | "late" | "mid") {
                    a -= 1;
                }
                if a > 0 && self.w(a - 1) == "the" {
                    a -= 1;
                }
                self.push(a, i + 1, V::Raw(format!("{y:04}/{:04}", y + 9)));
                return Some(i + 1);
            }
        }
        if let Some(n) = century_number(w) {
            if self.w(i + 1) == "century" && self.same_sentence(i, i + 1) {
                let base = (n - 1) * 100;
                let a = if prev == "the" { i - 1 } else { i };
                if matches!(self.w(i + 2), "bc" | "bce") {
                    return Some(i + 3);
                }
                self.push(a, i + 2, V::Raw(format!("{base:04}/{:04}", base + 99)));
                return Some(i + 2);
            }
        }

        // Clock times: "6am", "11pm", "10:30 a.m.", "12 p.m.": on the day the
        // sentence names, else on the publication day when the sentence tells
        // of a past or coming event, else as a daily hour.
        if t.is_number() {
            if let Some(((h, mi), end)) = clock(self.toks, &self.lower, i) {
                let day = self
                    .last_day
                    .filter(|(_, at)| *at <= i && self.toks[i].sentence - self.toks[at.saturating_sub(1)].sentence <= 1)
                    .map(|(d, _)| d)
                    .or_else(|| p.filter(|_| self.dir_at(i) != Dir::Nearest));
                let v = match day {
                    Some(d) => format!("{}T{h:02}:{mi:02}", ymd(d.y, d.m, d.d)),
                    None => format!("T{h:02}:{mi:02}"),
                };
                self.push(i, end, V::Raw(v));
                return Some(end);
            }
        }

        // Era years: "500 BC", "5,316 BCE" (astronomical numbering: 1 BC = 0000).
        if t.is_number() && matches!(self.w(i + 1), "bc" | "bce" | "b.c." | "b.c") {
            let n: i64 = t.text.replace(',', "").parse().ok()?;
            if n >= 1 {
                self.push(i, i + 2, V::Raw(format!("-{:04}", n - 1)));
            }
            return Some(i + 2);
        }

        // Years and year ranges: "in 2019", "2019-2021", "from 2010 to 2015", "the 2022/23 season".
        if let Some(y) = year_number(t.text) {
            let glued_slash = |k: usize| self.toks.get(k).is_some_and(|x| x.text == "/");
            // "2022/23": a season of two years.
            if glued_slash(i + 1) && self.toks[i + 1].start == t.end {
                if let Some(n) = self.toks.get(i + 2).filter(|x| x.start == self.toks[i + 1].end) {
                    if n.text.len() == 2 && n.text.chars().all(|c| c.is_ascii_digit()) {
                        let y2 = y / 100 * 100 + n.text.parse::<i32>().unwrap_or(0);
                        if y2 == y + 1 {
                            let mut a = i;
                            let mut b = i + 3;
                            if prev == "the" && self.w(i + 3) == "season" {
                                a = i - 1;
                                b = i + 4;
                            }
                            self.push(a, b, V::Raw(format!("{y:04}/{y2:04}")));
                            return Some(b);
                        }
                    }
                }
                return Some(i + 1);
            }
            // Part of an identifier or a house number: "FHC/ABJ/03/095/2018", "1909 Jolinda Drive".
            if i > 0 && self.toks[i - 1].text == "/" && self.toks[i - 1].end == t.start {
                return Some(i + 1);
            }
            let next_is_unit = self
                .toks
                .get(i + 1)
                .is_some_and(|n| crate::quantities::is_unit_word(&n.text.to_lowercase()));
            if next_is_unit && !matches!(prev, "in" | "since" | "by" | "until" | "of" | "from" | "during") {
                return Some(i + 1);
            }
            let house = self
                .toks
                .get(i + 1)
                .is_some_and(|n| n.is_capitalised() && n.is_word() && month(n.text).is_none())
                && (i + 2..(i + 5).min(self.toks.len())).any(|k| {
                    matches!(
                        self.w(k),
                        "st."
                            | "street"
                            | "drive"
                            | "road"
                            | "avenue"
                            | "ave."
                            | "place"
                            | "lane"
                            | "boulevard"
                            | "way"
                            | "court"
                    )
                });
            if house {
                return Some(i + 1);
            }
            // "2010 to 2015", "between 2017 and 2020".
            if matches!(self.w(i + 1), "to" | "-" | "\u{2013}" | "and" | "through") {
                if let Some(y2) = self.toks.get(i + 2).and_then(|x| year_number(x.text)) {
                    if y2 > y && (self.w(i + 1) != "and" || prev == "between") && self.same_sentence(i, i + 2) {
                        self.push(i, i + 3, V::Raw(format!("{y:04}/{y2:04}")));
                        return Some(i + 3);
                    }
                }
            }
            self.push(i, i + 1, V::Year(y));
            return Some(i + 1);
        }
        if t.text.len() == 9 && t.text.as_bytes()[4] == b'-' {
            if let (Some(a), Some(b)) = (year_number(&t.text[..4]), year_number(&t.text[5..])) {
                if a < b {
                    self.push(i, i + 1, V::Raw(format!("{a:04}/{b:04}")));
                    return Some(i + 1);
                }
            }
        }
        None
    }
}

/// Finds time expressions among `tokens`, resolved against `published`
/// (an ISO date; relative expressions stay unresolved without it).
pub fn find(tokens: &[Token<'_>], published: Option<&str>) -> Vec<Found> {
    let lower = tokens
        .iter()
        .map(|t| {
            let mut l = crate::tokens::lowercase_cow(t.text);
            if let Some(n) = l
                .strip_suffix("\u{2019}s")
                .or_else(|| l.strip_suffix("'s"))
                .map(str::len)
            {
                match &mut l {
                    Cow::Borrowed(b) => *b = &b[..n],
                    Cow::Owned(o) => o.truncate(n),
                }
            }
            l
        })
        .collect();
    let mut s = Scan {
        toks: tokens,
        lower,
        cues: OnceCell::new(),
        pub_date: published.and_then(Date::parse),
        out: Vec::new(),
        last_day: None,
        last_year: None,
    };
    let mut i = 0;
    while i < tokens.len() {
        i = s.at(i).map_or(i + 1, |n| n.max(i + 1));
    }
    s.out
}

/// "one" … "twelve" and digits, for "three days ago".
fn small_number(w: &str) -> Option<u32> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ];
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i as u32)
        .or_else(|| if w == "a" { Some(1) } else { w.parse().ok() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    #[test]
    fn month_and_weekday_names_in_any_case_and_nothing_else() {
        assert_eq!(month("DECEMBER"), Some(12));
        assert_eq!(month("December"), Some(12));
        assert_eq!(month("Dec."), Some(12));
        assert_eq!(month("dec."), Some(12));
        assert_eq!(month("Sept"), Some(9));
        // An abbreviation needs a capital or a period.
        assert_eq!(month("dec"), None);
        assert_eq!(month("Décembre"), None);
        assert_eq!(month("Ma"), None);
        assert_eq!(weekday("SUNDAY"), Some(6));
        assert_eq!(weekday("monday"), Some(0));
        assert_eq!(weekday("Mönday"), None);
    }

    fn times(text: &str, published: &str) -> Vec<(String, String)> {
        let toks = tokenize(text);
        find(&toks, Some(published))
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.value))
            .collect()
    }

    #[test]
    fn the_example_reprint_expressions() {
        let p = "2020-12-19";
        assert_eq!(
            times("told RFA's Korean Service Dec. 5.", p),
            [("Dec. 5".into(), "2020-12-05".into())]
        );
        assert_eq!(
            times("Since last month, the judicial authorities", p),
            [("last month".into(), "2020-11".into())]
        );
        assert_eq!(
            times("In April, Pyongyang extended", p),
            [("In April".into(), "2020-04".into())]
        );
        assert_eq!(
            times("RFA reported earlier this month that", p),
            [("earlier this month".into(), "2020-12".into())]
        );
        assert_eq!(
            times("increased this posture in late November to", p),
            [("late November".into(), "2020-11".into())]
        );
        assert_eq!(
            times("incidents in October and November", p),
            [
                ("in October".to_string(), "2020-10".to_string()),
                ("November".to_string(), "2020-11".to_string())
            ]
        );
    }

    #[test]
    fn absolute_and_relative_forms() {
        let p = "2024-03-14"; // a Thursday
        assert_eq!(
            times("on December 19, 2020.", p),
            [("December 19, 2020".into(), "2020-12-19".into())]
        );
        assert_eq!(
            times("on 5 December 2020", p),
            [("5 December 2020".into(), "2020-12-05".into())]
        );
        assert_eq!(times("yesterday", p), [("yesterday".into(), "2024-03-13".into())]);
        assert_eq!(
            times("on Monday the council", p),
            [("Monday".into(), "2024-03-11".into())]
        );
        assert_eq!(times("next Monday", p), [("next Monday".into(), "2024-03-18".into())]);
        assert_eq!(times("last year", p), [("last year".into(), "2023".into())]);
        assert_eq!(
            times("three days ago", p),
            [("three days ago".into(), "2024-03-11".into())]
        );
        assert_eq!(
            times("since 2015 and in 2019-2021", p),
            [("2015".into(), "2015".into()), ("2019-2021".into(), "2019/2021".into())]
        );
        assert_eq!(
            times("in September, not in May", p),
            [
                ("in September".to_string(), "2023-09".to_string()),
                ("in May".to_string(), "2023-05".to_string())
            ]
        );
        assert!(times("You may go", p).is_empty());
        assert!(times("March on Washington", p).is_empty());
    }

    fn t(text: &str, published: &str) -> Vec<(String, String)> {
        times(text, published)
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.into(), b.into())
    }

    #[test]
    fn weeks_weekends_parts_of_days_and_clock_times() {
        let p = "2019-11-20"; // a Wednesday
        assert_eq!(t("reported last week", p), [pair("last week", "2019-W46")]);
        assert_eq!(t("earlier this week", p), [pair("earlier this week", "2019-W47")]);
        assert_eq!(
            t("was reported over the weekend", p),
            [pair("the weekend", "2019-11-16/2019-11-17")]
        );
        assert_eq!(t("was shot down last night", p), [pair("last night", "2019-11-19")]);
        assert_eq!(
            t("talks continued into Tuesday night", p),
            [pair("Tuesday night", "2019-11-19")]
        );
        assert_eq!(
            t("landed at 6am, an official said", p),
            [pair("6am", "2019-11-20T06:00")]
        );
        assert_eq!(
            t(
                "flooded on Wednesday night. The water was deep by about 11pm, it said.",
                "2024-03-14"
            ),
            [pair("Wednesday night", "2024-03-13"), pair("11pm", "2024-03-13T23:00")]
        );
        assert_eq!(
            t("Sandbags are available between 8am and 6pm", p),
            [pair("8am", "T08:00"), pair("6pm", "T18:00")]
        );
    }

    #[test]
    fn tense_places_dates_without_a_year() {
        let p = "2019-11-18"; // a Monday
                              // The coming day when the clause looks ahead, the last one when it looks back.
        assert_eq!(
            t("the meeting will be postponed from Tuesday to Friday", p),
            [pair("Tuesday", "2019-11-19"), pair("Friday", "2019-11-22")]
        );
        assert_eq!(t("the company said on Friday", p), [pair("Friday", "2019-11-15")]);
        assert_eq!(
            t("the licence is now set to expire in February", p),
            [pair("in February", "2020-02")]
        );
        assert_eq!(
            t("he was due to be released in September", p),
            [pair("in September", "2019-09")]
        );
        // Near on one side, far on the other: the near one, whatever the tense.
        assert_eq!(
            t("Britain would leave the EU on Oct. 31", p),
            [pair("Oct. 31", "2019-10-31")]
        );
        assert_eq!(t("the vote on Dec. 9 was called", p), [pair("Dec. 9", "2019-12-09")]);
    }

    #[test]
    fn a_past_written_like_the_present_and_a_month_inside_a_name() {
        let p = "2019-11-18"; // a Monday
        assert_eq!(
            t("The Federal Reserve cut interest rates on Wednesday", p),
            [pair("Wednesday", "2019-11-13")]
        );
        assert_eq!(
            t("The Fed will cut rates on Wednesday", p),
            [pair("Wednesday", "2019-11-20")]
        );
        // "May Pen" is a town, "March Madness" a tournament: no month.
        assert_eq!(t("He was stabbed in May Pen", p), []);
        assert_eq!(t("tickets for March Madness sold out", p), []);
        assert_eq!(t("He was stabbed in May", p), [pair("in May", "2019-05")]);
    }

    #[test]
    fn frames_ranges_decades_centuries_seasons_and_eras() {
        let p = "2019-11-20";
        assert_eq!(t("by the end of 2025", p), [pair("the end of 2025", "2025")]);
        assert_eq!(
            t("in the first half of next year", p),
            [pair("the first half of next year", "2020-01/2020-06")]
        );
        assert_eq!(
            t("capacity for the first seven months of the year reached", p),
            [pair("the first seven months of the year", "2019-01/2019-07")]
        );
        assert_eq!(t("cutback early this year led", p), [pair("early this year", "2019")]);
        assert_eq!(t("In May this year, travellers", p), [pair("May this year", "2019-05")]);
        assert_eq!(
            t("From 2010 to 2015 there were", p),
            [pair("2010 to 2015", "2010/2015")]
        );
        assert_eq!(
            t("the visit between October 11 and 13", p),
            [pair("October 11 and 13", "2019-10-11/2019-10-13")]
        );
        assert_eq!(t("in the early 2020s", p), [pair("the early 2020s", "2020/2029")]);
        assert_eq!(t("in the 14th Century", p), [pair("the 14th Century", "1300/1399")]);
        assert_eq!(
            t("during the fourteenth century", p),
            [pair("the fourteenth century", "1300/1399")]
        );
        assert_eq!(
            t("until the end of the 2022/23 season", p),
            [pair("the end of the 2022/23 season", "2022/2023")]
        );
        assert_eq!(t("since mid-September", p), [pair("mid-September", "2019-09")]);
        assert_eq!(
            t("as recently as last autumn", "2024-03-14"),
            [pair("last autumn", "2023-23")]
        );
        assert_eq!(t("dates back to 500 BC", p), [pair("500 BC", "-0499")]);
        assert_eq!(
            t("on June 17, 2015. He was arrested the next day.", p),
            [pair("June 17, 2015", "2015-06-17"), pair("the next day", "2015-06-18")]
        );
        assert_eq!(t("a year ago", p), [pair("a year ago", "2018-11")]);
        // House numbers and identifiers are not years.
        assert!(t("of 1909 Jolinda Drive", p).is_empty());
        assert!(t("suit number FHC/ABJ/03/095/2018", p).is_empty());
    }

    #[test]
    fn event_periods_are_days_months_or_years() {
        assert_eq!(event_period("2019-11-18").as_deref(), Some("2019-11-18"));
        assert_eq!(event_period("2019-11").as_deref(), Some("2019-11"));
        assert_eq!(event_period("2019").as_deref(), Some("2019"));
        // Week 46 of 2019 runs from 11 to 17 November; week 1 of 2020 from
        // 30 December 2019, its Thursday in January.
        assert_eq!(event_period("2019-W46").as_deref(), Some("2019-11"));
        assert_eq!(event_period("2020-W01").as_deref(), Some("2020-01"));
        assert_eq!(event_period("2019-11-16/2019-11-17").as_deref(), Some("2019-11"));
        assert_eq!(event_period("2019-11-30/2019-12-01").as_deref(), Some("2019"));
        assert_eq!(event_period("2020-01/2020-06").as_deref(), Some("2020"));
        assert_eq!(event_period("2022-21").as_deref(), Some("2022"));
        assert_eq!(event_period("2019-11-19T15:00").as_deref(), Some("2019-11-19"));
        assert_eq!(event_period("2010/2019"), None);
        assert_eq!(event_period("T15:00"), None);
        assert_eq!(event_period("-0044"), None);
    }
}
