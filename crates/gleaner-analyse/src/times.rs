//! Time expressions, normalised to ISO 8601 and resolved against the
//! publication date: "Dec. 5" → 2020-12-05, "last month" → 2020-11,
//! "In April" → 2020-04, "on Monday" → the Monday before publication.

use crate::tokens::Token;
use gleaner_record::civil;

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
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    if let Some(i) = NAMES.iter().position(|n| *n == w) {
        return Some(i as u32 + 1);
    }
    // Abbreviations: only with a period, or the three/four-letter forms (not "may", "mar" alone as words).
    let abbr = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ];
    let months = [1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12];
    if word.ends_with('.') || word.chars().next().is_some_and(char::is_uppercase) {
        if let Some(i) = abbr.iter().position(|a| *a == w) {
            // "Mar" or "Jan" capitalised without a period could be names; need a day or period.
            return Some(months[i]);
        }
    }
    None
}

fn weekday(word: &str) -> Option<i64> {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let w = word.to_lowercase();
    DAYS.iter().position(|d| *d == w).map(|i| i as i64)
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

/// The most recent occurrence of month `m` not after `pub_date` (a month
/// named without a year in a news story is this year's unless it lies ahead).
fn resolve_month(m: u32, pub_date: Option<Date>) -> Option<(i32, u32)> {
    let p = pub_date?;
    Some(if m <= p.m { (p.y, m) } else { (p.y - 1, m) })
}

/// Finds time expressions among `tokens` of `text`.
pub fn find(tokens: &[Token<'_>], published: Option<&str>) -> Vec<Found> {
    let pub_date = published.and_then(Date::parse);
    let mut out = Vec::new();
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let word = |i: usize| lower.get(i).map(String::as_str).unwrap_or("");
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let w = word(i);
        let mut push = |start: usize, end: usize, value: Option<String>| {
            if let Some(v) = value {
                out.push(Found { start, end, value: v });
            }
        };
        // Month-based: "Dec. 5", "December 5, 2020", "In April", "late November", "April 2019".
        if let Some(m) = month(t.text).filter(|_| t.is_capitalised()) {
            // "May" and "March" are also words; require a day, year or a preposition/modifier.
            let day = tokens.get(i + 1).and_then(|n| day_number(n.text));
            let (year_idx, year) = match (day, tokens.get(i + 2).map(|x| x.text), tokens.get(i + 3)) {
                (Some(_), Some(","), Some(y)) => (i + 3, year_number(y.text)),
                (Some(_), _, _) => (i + 2, tokens.get(i + 2).and_then(|y| year_number(y.text))),
                (None, _, _) => (i + 1, tokens.get(i + 1).and_then(|y| year_number(y.text))),
            };
            let prev = if i > 0 { word(i - 1) } else { "" };
            let after_month =
                i >= 2 && matches!(prev, "and" | "or" | "to" | "-" | "\u{2013}") && month(tokens[i - 2].text).is_some();
            let modifier = after_month
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
                );
            let ambiguous = matches!(w, "may" | "march" | "august") && day.is_none() && year.is_none() && !modifier;
            if !ambiguous && (day.is_some() || year.is_some() || modifier) {
                let mut start = t.start;
                // "In April" keeps its preposition, as the record spec shows.
                if prev == "in" && i > 0 {
                    start = tokens[i - 1].start;
                }
                if matches!(prev, "late" | "early" | "mid") && i > 0 {
                    start = tokens[i - 1].start;
                }
                let (end, value) = match (day, year) {
                    (Some(d), Some(y)) => (tokens[year_idx].end, Some(ymd(y, m, d))),
                    (Some(d), None) => {
                        let y = pub_date.map(|p| if (m, d) <= (p.m, p.d) { p.y } else { p.y - 1 });
                        (tokens[i + 1].end, y.map(|y| ymd(y, m, d)))
                    }
                    (None, Some(y)) => (tokens[year_idx].end, Some(ym(y, m))),
                    (None, None) => {
                        let v = match prev {
                            "next" => pub_date.map(|p| if m > p.m { ym(p.y, m) } else { ym(p.y + 1, m) }),
                            _ => resolve_month(m, pub_date).map(|(y, m)| ym(y, m)),
                        };
                        if prev == "last" || prev == "next" || prev == "this" {
                            start = tokens[i - 1].start;
                        }
                        (t.end, v)
                    }
                };
                push(start, end, value);
                i = if year.is_some() {
                    year_idx + 1
                } else if day.is_some() {
                    i + 2
                } else {
                    i + 1
                };
                continue;
            }
        }
        // Day Month [Year]: "5 December 2020".
        if let (Some(d), Some(m)) = (day_number(t.text), tokens.get(i + 1).and_then(|n| month(n.text))) {
            let year = tokens.get(i + 2).and_then(|y| year_number(y.text));
            let (end, value) = match year {
                Some(y) => (tokens[i + 2].end, Some(ymd(y, m, d))),
                None => (
                    tokens[i + 1].end,
                    pub_date.map(|p| ymd(if (m, d) <= (p.m, p.d) { p.y } else { p.y - 1 }, m, d)),
                ),
            };
            push(t.start, end, value);
            i += if year.is_some() { 3 } else { 2 };
            continue;
        }
        // ISO dates.
        if t.text.len() == 10 && Date::parse(t.text).is_some() {
            push(t.start, t.end, Some(t.text.to_string()));
            i += 1;
            continue;
        }
        // Relative days.
        let rel_day = match w {
            "yesterday" => Some(-1),
            "today" | "tonight" => Some(0),
            "tomorrow" => Some(1),
            _ => None,
        };
        if let Some(n) = rel_day {
            push(
                t.start,
                t.end,
                pub_date.map(|p| {
                    let d = p.add_days(n);
                    ymd(d.y, d.m, d.d)
                }),
            );
            i += 1;
            continue;
        }
        // Weekdays: the most recent one before publication ("on Monday"),
        // the coming one after "next".
        if let Some(wd) = weekday(w).filter(|_| t.is_capitalised()) {
            let prev = if i > 0 { word(i - 1) } else { "" };
            let value = pub_date.map(|p| {
                let diff = (p.weekday() - wd).rem_euclid(7);
                let d = if prev == "next" {
                    p.add_days((wd - p.weekday()).rem_euclid(7).max(1))
                } else {
                    p.add_days(-diff)
                };
                ymd(d.y, d.m, d.d)
            });
            let start = if prev == "next" || prev == "last" {
                tokens[i - 1].start
            } else {
                t.start
            };
            push(start, t.end, value);
            i += 1;
            continue;
        }
        // "last month", "earlier this month", "next year", "this week".
        if matches!(w, "last" | "this" | "next" | "past") {
            let unit = word(i + 1);
            if matches!(unit, "month" | "year" | "week") {
                let shift = match w {
                    "last" | "past" => -1,
                    "next" => 1,
                    _ => 0,
                };
                let value = pub_date.map(|p| match unit {
                    "month" => {
                        let (y, m) = p.add_months(shift);
                        ym(y, m)
                    }
                    "year" => format!("{:04}", p.y + shift),
                    _ => {
                        // ISO week range of the week in question.
                        let monday = p.add_days(-p.weekday() + 7 * i64::from(shift));
                        let sunday = monday.add_days(6);
                        format!(
                            "{}/{}",
                            ymd(monday.y, monday.m, monday.d),
                            ymd(sunday.y, sunday.m, sunday.d)
                        )
                    }
                });
                let mut start = t.start;
                if i > 0 && matches!(word(i - 1), "earlier" | "later") {
                    start = tokens[i - 1].start;
                }
                push(start, tokens[i + 1].end, value);
                i += 2;
                continue;
            }
        }
        // "N days/weeks/months/years ago".
        if let (Some(n), unit, "ago") = (small_number(w), word(i + 1), word(i + 2)) {
            let value = pub_date.and_then(|p| match unit.trim_end_matches('s') {
                "day" => Some({
                    let d = p.add_days(-(n as i64));
                    ymd(d.y, d.m, d.d)
                }),
                "week" => Some({
                    let d = p.add_days(-7 * n as i64);
                    ymd(d.y, d.m, d.d)
                }),
                "month" => Some({
                    let (y, m) = p.add_months(-(n as i32));
                    ym(y, m)
                }),
                "year" => Some(format!("{:04}", p.y - n as i32)),
                _ => None,
            });
            if value.is_some() {
                push(t.start, tokens[i + 2].end, value);
                i += 3;
                continue;
            }
        }
        // Years and year ranges: "in 2019", "2019-2021", "since 2015".
        if let Some(y) = year_number(t.text) {
            let prev = if i > 0 { word(i - 1) } else { "" };
            let next_is_unit = tokens
                .get(i + 1)
                .is_some_and(|n| crate::quantities::is_unit_word(&n.text.to_lowercase()));
            if !next_is_unit || matches!(prev, "in" | "since" | "by" | "until" | "of" | "from" | "during") {
                push(t.start, t.end, Some(format!("{y:04}")));
                i += 1;
                continue;
            }
        }
        if t.text.len() == 9 && t.text.as_bytes()[4] == b'-' {
            if let (Some(a), Some(b)) = (year_number(&t.text[..4]), year_number(&t.text[5..])) {
                if a < b {
                    push(t.start, t.end, Some(format!("{a:04}/{b:04}")));
                    i += 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
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
}
