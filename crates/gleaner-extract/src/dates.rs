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
    // Romanian
    ("ianuarie", 1),
    ("februarie", 2),
    ("martie", 3),
    ("aprilie", 4),
    ("iunie", 6),
    ("iulie", 7),
    ("septembrie", 9),
    ("octombrie", 10),
    ("noiembrie", 11),
    ("decembrie", 12),
    // Polish (genitive, as dates write them, and nominative)
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    ("styczeń", 1),
    ("luty", 2),
    ("marzec", 3),
    ("kwiecień", 4),
    ("czerwiec", 6),
    ("lipiec", 7),
    ("sierpień", 8),
    ("wrzesień", 9),
    ("październik", 10),
    ("listopad", 11),
    ("grudzień", 12),
    // Czech
    ("ledna", 1),
    ("února", 2),
    ("března", 3),
    ("dubna", 4),
    ("května", 5),
    ("června", 6),
    ("července", 7),
    ("srpna", 8),
    ("září", 9),
    ("října", 10),
    ("listopadu", 11),
    ("prosince", 12),
    // Russian (genitive and nominative) and Ukrainian
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    // Turkish
    ("ocak", 1),
    ("şubat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayıs", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("ağustos", 8),
    ("eylül", 9),
    ("ekim", 10),
    ("kasım", 11),
    ("aralık", 12),
    // Hungarian
    ("január", 1),
    ("február", 2),
    ("március", 3),
    ("április", 4),
    ("május", 5),
    ("június", 6),
    ("július", 7),
    ("augusztus", 8),
    ("szeptember", 9),
    ("október", 10),
    // Swedish, Danish, Norwegian
    ("augusti", 8),
    ("maj", 5),
    // Finnish
    ("tammikuuta", 1),
    ("helmikuuta", 2),
    ("maaliskuuta", 3),
    ("huhtikuuta", 4),
    ("toukokuuta", 5),
    ("kesäkuuta", 6),
    ("heinäkuuta", 7),
    ("elokuuta", 8),
    ("syyskuuta", 9),
    ("lokakuuta", 10),
    ("marraskuuta", 11),
    ("joulukuuta", 12),
    // Serbian, Croatian and Bosnian
    ("januar", 1),
    ("februar", 2),
    ("jun", 6),
    ("jul", 7),
    ("avgust", 8),
    ("septembar", 9),
    ("oktobar", 10),
    ("novembar", 11),
    ("decembar", 12),
    ("siječnja", 1),
    ("veljače", 2),
    ("ožujka", 3),
    ("travnja", 4),
    ("svibnja", 5),
    ("lipnja", 6),
    ("srpnja", 7),
    ("kolovoza", 8),
    ("rujna", 9),
    ("studenoga", 11),
    ("prosinca", 12),
    // Catalan
    ("gener", 1),
    ("febrer", 2),
    ("març", 3),
    ("maig", 5),
    ("juny", 6),
    ("juliol", 7),
    ("agost", 8),
    ("setembre", 9),
    ("octubre", 10),
    ("desembre", 12),
    // Indonesian and Malay
    ("maret", 3),
    // Greek (genitive)
    ("ιανουαρίου", 1),
    ("φεβρουαρίου", 2),
    ("μαρτίου", 3),
    ("απριλίου", 4),
    ("μαΐου", 5),
    ("ιουνίου", 6),
    ("ιουλίου", 7),
    ("αυγούστου", 8),
    ("σεπτεμβρίου", 9),
    ("οκτωβρίου", 10),
    ("νοεμβρίου", 11),
    ("δεκεμβρίου", 12),
    // Arabic (Egyptian and Levantine names)
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    ("ايلول", 9),
    // Hebrew
    ("ינואר", 1),
    ("פברואר", 2),
    ("מרץ", 3),
    ("אפריל", 4),
    ("מאי", 5),
    ("יוני", 6),
    ("יולי", 7),
    ("אוגוסט", 8),
    ("ספטמבר", 9),
    ("אוקטובר", 10),
    ("נובמבר", 11),
    ("דצמבר", 12),
    // Hindi
    ("जनवरी", 1),
    ("फ़रवरी", 2),
    ("फरवरी", 2),
    ("मार्च", 3),
    ("अप्रैल", 4),
    ("मई", 5),
    ("जून", 6),
    ("जुलाई", 7),
    ("अगस्त", 8),
    ("सितंबर", 9),
    ("सितम्बर", 9),
    ("अक्टूबर", 10),
    ("नवंबर", 11),
    ("नवम्बर", 11),
    ("दिसंबर", 12),
    ("दिसम्बर", 12),
];

pub(crate) fn month_from_word(w: &str) -> Option<u32> {
    // Sorted once for binary search: every short text of a page is tried.
    static SORTED: std::sync::OnceLock<Vec<(&'static str, u32)>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v = MONTHS.to_vec();
        v.sort_unstable();
        v.dedup_by_key(|e| e.0);
        v
    });
    let w = w.trim_end_matches(['.', ',']);
    if w.is_empty() || w.len() > 40 || w.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let w = w.to_lowercase();
    sorted
        .binary_search_by(|(name, _)| name.cmp(&w.as_str()))
        .ok()
        .map(|i| sorted[i].1)
}

/// Digits of other scripts (Arabic-Indic, Persian, Devanagari, fullwidth) as
/// ASCII, so that "٢٠٢٠" and "２０１９" parse like "2020".
fn ascii_digits(s: &str) -> std::borrow::Cow<'_, str> {
    let map = |c: char| -> Option<char> {
        let base = match c as u32 {
            0x0660..=0x0669 => 0x0660,
            0x06F0..=0x06F9 => 0x06F0,
            0x0966..=0x096F => 0x0966,
            0xFF10..=0xFF19 => 0xFF10,
            _ => return None,
        };
        char::from_digit(c as u32 - base, 10)
    };
    if s.chars().all(|c| map(c).is_none()) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(|c| map(c).unwrap_or(c)).collect())
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
/// `YYYYMMDD`, a Unix timestamp) or in words ("November 18, 2019", "18.
/// November 2019", "2019년 11월 18일", "20 septembrie 2020"). Returns
/// `YYYY-MM-DD`. Numbers in an ambiguous order (`03/04/2019`) are read
/// month first, as US pages write them; see [`parse_date_in`].
pub fn parse_date(s: &str) -> Option<String> {
    parse_date_in(s, false)
}

/// [`parse_date`], reading `03/04/2019` day first when `day_first` (the
/// page's locale writes dates so: everywhere but the US and a few others).
pub fn parse_date_in(s: &str, day_first: bool) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    let s = ascii_digits(s);
    let s = s.as_ref();
    unix(s)
        .or_else(|| iso_like(s))
        .or_else(|| cjk(s))
        .or_else(|| worded(s))
        .or_else(|| numeric_dmy(s, day_first))
}

/// A Unix timestamp in seconds or milliseconds (a whole string of 10 or 13
/// digits), as the UTC day.
fn unix(s: &str) -> Option<String> {
    if !(s.len() == 10 || s.len() == 13) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut secs: i64 = s.parse().ok()?;
    if s.len() == 13 {
        secs /= 1000;
    }
    let (y, m, d) = gleaner_record::civil::civil_from_days(secs.div_euclid(86_400));
    // Other ten-digit numbers (ids, phone numbers) fall outside these years.
    ((2000..=2040).contains(&y) && valid(y as i32, m, d)).then(|| fmt(y as i32, m, d))
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
        // Month Day, Year (a time of day may stand between: "Aug 03 12:45:00 EDT 2015")
        if let Some(d) = tokens.get(i + 1).and_then(|t| num(t)) {
            let year = (i + 2..i + 5)
                .take_while(|&j| {
                    j == i + 2
                        || tokens
                            .get(j - 1)
                            .is_some_and(|t| t.contains(':') || t.chars().all(|c| c.is_ascii_uppercase()))
                })
                .find_map(year_at);
            if let Some(y) = year {
                if valid(y as i32, m, d) {
                    return Some(fmt(y as i32, m, d));
                }
            }
        }
        // Day Month Year (also "18. November 2019", "18 de noviembre de 2019")
        let before = if i >= 1 && tokens[i - 1].eq_ignore_ascii_case("de") && i >= 2 {
            i - 2
        } else {
            i.wrapping_sub(1)
        };
        let mut after = if tokens.get(i + 1).is_some_and(|t| t.eq_ignore_ascii_case("de")) {
            i + 2
        } else {
            i + 1
        };
        // The same month in a second calendar's name ("24 نيسان / أبريل 2020").
        if tokens.get(after).and_then(|t| month_from_word(t)) == Some(m) {
            after += 1;
        }
        if let (Some(d), Some(y)) = (tokens.get(before).and_then(|t| num(t)), year_at(after)) {
            if valid(y as i32, m, d) {
                return Some(fmt(y as i32, m, d));
            }
        }
    }
    None
}

/// `18.11.2019` (dots: day first) and `11/18/2019` or `11-18-2019` (month
/// first, as US pages write it, unless `day_first` or only the day-first
/// reading is a valid date).
fn numeric_dmy(s: &str, day_first: bool) -> Option<String> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .collect();
    if parts.len() < 3 || parts[2].len() != 4 || parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    let dotted = s.contains('.');
    if dotted && valid(y, b, a) {
        return Some(fmt(y, b, a));
    }
    if s.contains('/') || s.contains('-') {
        let (first, second) = if day_first { ((b, a), (a, b)) } else { ((a, b), (b, a)) };
        if valid(y, first.0, first.1) {
            return Some(fmt(y, first.0, first.1));
        }
        if valid(y, second.0, second.1) {
            return Some(fmt(y, second.0, second.1));
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
        assert_eq!(parse_date("20 septembrie 2020").as_deref(), Some("2020-09-20"));
        assert_eq!(parse_date("07 أكتوبر 2020").as_deref(), Some("2020-10-07"));
        assert_eq!(
            parse_date("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22").as_deref(),
            Some("2020-04-24")
        );
        assert_eq!(parse_date("1 czerwca 2019 r.").as_deref(), Some("2019-06-01"));
        assert_eq!(parse_date("12 марта 2020 года").as_deref(), Some("2020-03-12"));
        assert_eq!(
            parse_date("Mon Aug 03 12:45:00 EDT 2015").as_deref(),
            Some("2015-08-03")
        );
        assert_eq!(parse_date("٢٤ أبريل ٢٠٢٠").as_deref(), Some("2020-04-24"));
        assert_eq!(parse_date("２０１９年３月１５日").as_deref(), Some("2019-03-15"));
    }

    #[test]
    fn numbers_in_the_page_locale_order() {
        assert_eq!(parse_date("12-15-2016").as_deref(), Some("2016-12-15"));
        assert_eq!(parse_date("03/04/2019").as_deref(), Some("2019-03-04"));
        assert_eq!(parse_date_in("03/04/2019", true).as_deref(), Some("2019-04-03"));
        assert_eq!(parse_date_in("01.12.2020", false).as_deref(), Some("2020-12-01"));
        assert_eq!(parse_date_in("12/15/2016", true).as_deref(), Some("2016-12-15"));
    }

    #[test]
    fn unix_timestamps_are_utc_days() {
        assert_eq!(parse_date("1579305600").as_deref(), Some("2020-01-18"));
        assert_eq!(parse_date("1579305600000").as_deref(), Some("2020-01-18"));
        assert_eq!(parse_date("12345"), None);
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
