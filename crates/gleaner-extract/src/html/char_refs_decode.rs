//! Character reference decoding (`&amp;`, `&#8217;`, `&eacute`).

use super::char_refs::CHAR_REFS;

/// Appends `s` to `out` with character references decoded. In attribute values
/// a legacy reference without `;` followed by an alphanumeric or `=` stays
/// literal, as browsers do (so `?a=1&copy=2` in a URL keeps its `&copy`).
pub(crate) fn decode_into(s: &str, out: &mut String, in_attribute: bool) {
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &bytes[i..]) {
        let amp = i + off;
        out.push_str(&s[last..amp]);
        match decode_one(&s[amp + 1..], in_attribute) {
            Some((text, used)) => {
                out.push_str(&text.as_str());
                i = amp + 1 + used;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
        last = i;
    }
    out.push_str(&s[last..]);
}

enum Decoded {
    Char(char),
    Static(&'static str),
}

impl Decoded {
    fn as_str(&self) -> std::borrow::Cow<'static, str> {
        match self {
            Decoded::Char(c) => std::borrow::Cow::Owned(c.to_string()),
            Decoded::Static(s) => std::borrow::Cow::Borrowed(s),
        }
    }
}

/// Decodes one reference starting right after `&`; returns the text and the
/// number of bytes consumed.
fn decode_one(rest: &str, in_attribute: bool) -> Option<(Decoded, usize)> {
    let b = rest.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = b[start..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let mut end = start + digits;
        // Leading zeros do not count towards the overflow check (`&#x000041;` is "A").
        let num_str = rest[start..end].trim_start_matches('0');
        let value = if num_str.is_empty() {
            0
        } else if num_str.len() > 8 {
            u32::MAX
        } else {
            u32::from_str_radix(num_str, if hex { 16 } else { 10 }).unwrap_or(u32::MAX)
        };
        if b.get(end) == Some(&b';') {
            end += 1;
        }
        return Some((Decoded::Char(numeric_char(value)), end));
    }
    let run = b.iter().take(32).take_while(|c| c.is_ascii_alphanumeric()).count();
    if run == 0 {
        return None;
    }
    if b.get(run) == Some(&b';') {
        let key = &rest[..=run];
        if let Ok(idx) = CHAR_REFS.binary_search_by(|(n, _)| n.cmp(&key)) {
            return Some((Decoded::Static(CHAR_REFS[idx].1), run + 1));
        }
    }
    // Legacy references without a semicolon: the longest known prefix.
    for len in (2..=run.min(6)).rev() {
        let key = &rest[..len];
        if let Ok(idx) = CHAR_REFS.binary_search_by(|(n, _)| n.cmp(&key)) {
            let next = b.get(len).copied();
            if in_attribute && matches!(next, Some(c) if c.is_ascii_alphanumeric() || c == b'=') {
                return None;
            }
            return Some((Decoded::Static(CHAR_REFS[idx].1), len));
        }
    }
    None
}

/// Numeric references in 0x80..0x9F mean windows-1252 characters, as in browsers.
fn numeric_char(v: u32) -> char {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let v = if (0x80..=0x9F).contains(&v) {
        C1[(v - 0x80) as usize]
    } else {
        v
    };
    if v == 0 {
        return '\u{FFFD}';
    }
    char::from_u32(v).unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, attr: bool) -> String {
        let mut o = String::new();
        decode_into(s, &mut o, attr);
        o
    }

    #[test]
    fn decodes_common_forms() {
        assert_eq!(dec("a &amp; b &lt;c&gt; &quot;d&quot;", false), "a & b <c> \"d\"");
        assert_eq!(
            dec("it&#8217;s &#x201C;x&#x201d; &#150;", false),
            "it\u{2019}s \u{201c}x\u{201d} \u{2013}"
        );
        assert_eq!(
            dec("caf&eacute; &nbsp;&copy 2020", false),
            "caf\u{e9} \u{a0}\u{a9} 2020"
        );
        assert_eq!(dec("&bogus; & &#; &#xZZ;", false), "&bogus; & &#; &#xZZ;");
        assert_eq!(dec("&#0; &#99999999999;", false), "\u{fffd} \u{fffd}");
        let zeros = "0".repeat(60);
        assert_eq!(dec(&format!("&#x{zeros}41; &#{zeros}65;"), false), "A A");
    }

    #[test]
    fn attributes_keep_url_queries() {
        assert_eq!(dec("?a=1&copy=2&amp;b", true), "?a=1&copy=2&b");
    }
}
