//! Dates as pages write them, normalised to ISO 8601 (`YYYY-MM-DD`).
//!
//! Timestamps keep the calendar date they were written with: a page that says
//! `2019-11-18T22:45:00-05:00` was published on the 18th where it was written,
//! which is what its readers saw.

/// Month names and abbreviations in the languages of the news we see most.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // German, French, Spanish, Italian, Portuguese, Dutch, Indonesian
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("juni", 6),
    ("desember", 12),
    ("agustus", 8),
    ("okt", 10),
    ("des", 12),
    ("mrt", 3),
    ("dez", 12),
    ("fev", 2),
    ("abr", 4),
    ("ago", 8),
    ("set", 9),
    ("out", 10),
    ("dic", 12),
    ("ene", 1),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
];

pub(crate) fn month_from_word(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(name, _)| *name == w).map(|&(_, m)| m)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1990..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn fmt(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses a date written in a machine format (ISO 8601, RFC 2822, `YYYY/MM/DD`,
/// `YYYYMMDD`) or in words ("November 18, 2019", "18. November 2019",
/// "2019년 11월 18일"). Returns `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    iso_like(s)
        .or_else(|| cjk(s))
        .or_else(|| worded(s))
        .or_else(|| numeric_dmy(s))
}

/// `2019-11-18…`, `2019/11/18`, `2019.11.18`, `20191118`.
fn iso_like(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let start = b.iter().position(|c| c.is_ascii_digit())?;
    let t = &s[start..];
    let tb = t.as_bytes();
    if tb.len() >= 10 && tb[..4].iter().all(u8::is_ascii_digit) && matches!(tb[4], b'-' | b'/' | b'.') {
        let sep = tb[4];
        let rest = &t[5..];
        let (m_str, rest) = rest.split_once(sep as char)?;
        let d_str: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let (y, m, d) = (t[..4].parse().ok()?, m_str.trim().parse().ok()?, d_str.parse().ok()?);
        if m_str.len() <= 2 && valid(y, m, d) {
            return Some(fmt(y, m, d));
        }
    }
    if tb.len() >= 8 && tb[..8].iter().all(u8::is_ascii_digit) && tb.get(8).is_none_or(|c| !c.is_ascii_digit()) {
        let (y, m, d) = (t[..4].parse().ok()?, t[4..6].parse().ok()?, t[6..8].parse().ok()?);
        if valid(y, m, d) {
            return Some(fmt(y, m, d));
        }
    }
    None
}

/// `2019年11月18日`, `2019년 11월 18일`.
fn cjk(s: &str) -> Option<String> {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .filter_map(|p| p.parse().ok())
        .collect();
    if (s.contains('年') || s.contains('년')) && nums.len() == 3 && valid(nums[0] as i32, nums[1], nums[2]) {
        return Some(fmt(nums[0] as i32, nums[1], nums[2]));
    }
    None
}

/// Dates with a month word: "Nov. 18, 2019", "18 November 2019", "Monday 18th of November 2019".
fn worded(s: &str) -> Option<String> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '|' | '(' | ')'))
        .filter(|t| !t.is_empty())
        .collect();
    for (i, tok) in tokens.iter().enumerate() {
        let Some(m) = month_from_word(tok) else { continue };
        let num = |t: &str| -> Option<u32> {
            let t = t.trim_end_matches('.');
            let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let t = t.trim_end_matches('.');
            (!t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        let year_at = |j: usize| tokens.get(j).and_then(|t| num(t)).filter(|y| (1990..=2100).contains(y));
        // Month Day, Year
        if let (Some(d), Some(y)) = (tokens.get(i + 1).and_then(|t| num(t)), year_at(i + 2)) {
            if valid(y as i32, m, d) {
                return Some(fmt(y as i32, m, d));
            }
        }
        // Day Month Year (also "18. November 2019", "18 de noviembre de 2019")
        let before = if i >= 1 && tokens[i - 1].eq_ignore_ascii_case("de") && i >= 2 {
            i - 2
        } else {
            i.wrapping_sub(1)
        };
        let after = if tokens.get(i + 1).is_some_and(|t| t.eq_ignore_ascii_case("de")) {
            i + 2
        } else {
            i + 1
        };
        if let (Some(d), Some(y)) = (tokens.get(before).and_then(|t| num(t)), year_at(after)) {
            if valid(y as i32, m, d) {
                return Some(fmt(y as i32, m, d));
            }
        }
    }
    None
}

/// `18.11.2019` (dots: day first) and `11/18/2019` (slashes: month first, as
/// US pages write it, unless only the day-first reading is a valid date).
fn numeric_dmy(s: &str) -> Option<String> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .collect();
    if parts.len() < 3 || parts[2].len() != 4 {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    let dotted = s.contains('.');
    if dotted && valid(y, b, a) {
        return Some(fmt(y, b, a));
    }
    if s.contains('/') {
        // US pages write month first; take it when only that reading is valid
        // or when the page is otherwise US-style (slashes).
        if valid(y, a, b) {
            return Some(fmt(y, a, b));
        }
        if valid(y, b, a) {
            return Some(fmt(y, b, a));
        }
    }
    None
}

/// Finds a `/2019/11/18/` or `/2019-11-18/` date in a URL path.
pub fn date_from_url(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    for w in parts.windows(3) {
        if w[0].len() == 4 && w[1].len() <= 2 && !w[1].is_empty() {
            let d: String = w[2].chars().take_while(char::is_ascii_digit).collect();
            if let (Ok(y), Ok(m), Ok(d)) = (w[0].parse::<i32>(), w[1].parse::<u32>(), d.parse::<u32>()) {
                if d > 0
                    && w[2].len() >= d.to_string().len()
                    && valid(y, m, d)
                    && (w[2].len() <= 2 || !w[2].as_bytes()[2].is_ascii_digit())
                {
                    return Some(fmt(y, m, d));
                }
            }
        }
    }
    for p in parts {
        // `get` rather than slicing: a path segment can hold multibyte characters.
        if let Some(head) = p.get(..10) {
            if let Some(d) = iso_like(head).filter(|_| p.as_bytes()[4] == b'-') {
                return Some(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_formats() {
        assert_eq!(parse_date("2019-11-18T22:45:00-05:00").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("2019/11/18").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("20191118").as_deref(), Some("2019-11-18"));
        assert_eq!(
            parse_date("Mon, 18 Nov 2019 10:45:00 GMT").as_deref(),
            Some("2019-11-18")
        );
        assert_eq!(parse_date("2019-02-30"), None);
    }

    #[test]
    fn worded_dates() {
        assert_eq!(parse_date("December 19, 2020").as_deref(), Some("2020-12-19"));
        assert_eq!(
            parse_date("Published: Nov. 5, 2019 at 3 pm").as_deref(),
            Some("2019-11-05")
        );
        assert_eq!(parse_date("18. November 2019").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("Monday 4th March 2024").as_deref(), Some("2024-03-04"));
        assert_eq!(parse_date("18 de noviembre de 2019").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("2019년 11월 18일 오후").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("2019年11月18日").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("18.11.2019").as_deref(), Some("2019-11-18"));
        assert_eq!(parse_date("no date here"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            date_from_url("https://x.test/2019/07/02/some-story").as_deref(),
            Some("2019-07-02")
        );
        assert_eq!(
            date_from_url("https://x.test/news/2019-07-02-story").as_deref(),
            Some("2019-07-02")
        );
        assert_eq!(date_from_url("https://x.test/2019/07/story"), None);
        assert_eq!(date_from_url("https://x.test/a/b"), None);
        assert_eq!(date_from_url("https://x/abcdefghi\u{e9}"), None);
    }
}
