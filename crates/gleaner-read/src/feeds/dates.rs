//! Feed dates to `YYYY-MM-DD`: RFC 3339 / W3C dates and RFC 822 dates.

/// `YYYY-MM-DD` from an RFC 3339 / W3C date-time (the date part) or an
/// RFC 822 date (`Tue, 5 Mar 2024 10:00:00 +0100`, two-digit years included).
/// `None` when neither reads, or the day does not exist.
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = digits(&b[0..4])?;
        let m = digits(&b[5..7])?;
        let d = digits(&b[8..10])?;
        // "2024-03-05T…", "2024-03-05 10:00", or the bare date.
        if b.len() == 10 || matches!(b[10], b'T' | b't' | b' ') {
            return ymd(y, m, d);
        }
        return None;
    }
    let cleaned = s.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().take(8).collect();
    tokens.windows(3).find_map(|w| {
        // "5 Mar 2024" (RFC 822), or "Mar 5 2024" as some feeds write it.
        let (d, m) = match (
            digits(w[0].as_bytes()),
            month(w[1]),
            month(w[0]),
            digits(w[1].as_bytes()),
        ) {
            (Some(d), Some(m), _, _) if w[0].len() <= 2 => (d, m),
            (_, _, Some(m), Some(d)) if w[1].len() <= 2 => (d, m),
            _ => return None,
        };
        let y = match w[2].len() {
            4 => digits(w[2].as_bytes())?,
            // RFC 2822's rule for obsolete two-digit years.
            2 => {
                let y = digits(w[2].as_bytes())?;
                if y < 50 {
                    2000 + y
                } else {
                    1900 + y
                }
            }
            _ => return None,
        };
        ymd(y, m, d)
    })
}

pub(super) fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter()
        .try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(u32::from(c - b'0')))
}

pub(super) fn month(s: &str) -> Option<u32> {
    let p = s.get(..3)?.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names.iter().position(|n| *n == p).map(|i| i as u32 + 1)
}

// `is_multiple_of` is newer than the workspace's rust-version (1.80).
#[allow(clippy::manual_is_multiple_of)]
pub(super) fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1 && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}
