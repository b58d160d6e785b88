//! Tokens and sentences over a text, with byte spans (converted to the
//! record's character spans only at the end).

/// A word, number or punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written.
    pub text: &'a str,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset after its end.
    pub end: usize,
    /// Index of the sentence it belongs to.
    pub sentence: usize,
}

impl Token<'_> {
    /// Starts with an uppercase letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Letters or digits (not punctuation).
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    /// Digits (with , . separators; ".45" too).
    pub fn is_number(&self) -> bool {
        let mut c = self.text.chars();
        match c.next() {
            Some('.') => c.next().is_some_and(|d| d.is_ascii_digit()),
            first => first.is_some_and(|d| d.is_ascii_digit()),
        }
    }
}

/// Abbreviations that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev",
    "st", "mt", "ft", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "corp", "co", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx",
    "dept", "est", "fig", "min", "max", "mln", "bn", "pres", "atty", "supt", "msgr", "hon",
];

/// Splits `text` into tokens and assigns each to a sentence.
///
/// Words keep internal hyphens and apostrophes ("880-mile", "country's"),
/// numbers keep their separators ("200,000", "6.5"), dotted abbreviations
/// stay whole ("U.S.", "Dec."). A sentence ends at `.`, `!` or `?` (and at a
/// closing quote right after one) unless the period belongs to an
/// abbreviation or an initial, and at every paragraph break.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut sentence = 0usize;
    let mut i = 0usize;
    let mut pending_break = false;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if c.is_whitespace() {
            // A blank line is a paragraph break.
            if c == '\n' && text[i + 1..].starts_with('\n') {
                pending_break = true;
            }
            i += len;
            continue;
        }
        if pending_break {
            if out.last().is_some_and(|t: &Token| t.sentence == sentence) {
                sentence += 1;
            }
            pending_break = false;
        }
        let start = i;
        // ".45-caliber": a decimal point after a space starts a number.
        let leading_point = c == '.'
            && text[i + 1..].starts_with(|d: char| d.is_ascii_digit())
            && (i == 0 || text[..i].ends_with(char::is_whitespace));
        if c.is_alphanumeric() || leading_point {
            let mut j = i + len;
            while let Some(n) = text[j..].chars().next() {
                if n.is_alphanumeric() {
                    j += n.len_utf8();
                    continue;
                }
                // Joiners inside a word: 880-mile, country's, 200,000, 6.5, U.S.
                let after = text[j + n.len_utf8()..].chars().next();
                let prev_digit = b[j - 1].is_ascii_digit();
                let joins = match n {
                    '-' | '\'' | '\u{2019}' | '\u{2011}' => after.is_some_and(char::is_alphanumeric),
                    ',' => {
                        prev_digit
                            && after.is_some_and(|a| a.is_ascii_digit())
                            && text[j + 1..].bytes().take_while(u8::is_ascii_digit).count() == 3
                    }
                    '.' => {
                        (prev_digit && after.is_some_and(|a| a.is_ascii_digit()))
                            // Dotted initialisms: U.S. / U.N. (single letters between dots).
                            || (after.is_some_and(|a| a.is_alphabetic())
                                && is_single_letter_before(text, j)
                                && text.get(j + 1 + after.map_or(0, char::len_utf8)..).is_some_and(|r| r.starts_with('.')))
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += n.len_utf8();
            }
            // The final period of an initialism or abbreviation belongs to it.
            let word = &text[start..j];
            let mut end = j;
            if text[j..].starts_with('.')
                && (is_abbreviation(word)
                    || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
                    || word.contains('.'))
            {
                end = j + 1;
            }
            out.push(Token {
                text: &text[start..end],
                start,
                end,
                sentence,
            });
            i = end;
            continue;
        }
        out.push(Token {
            text: &text[start..start + len],
            start,
            end: start + len,
            sentence,
        });
        i += len;
        if matches!(c, '.' | '!' | '?' | '\u{3002}') {
            // A closing quote right after the stop belongs to the same sentence.
            let rest = text[i..].trim_start_matches(['"', '\u{201d}', '\u{2019}', ')']);
            let quote_len = text.len() - i - rest.len();
            if quote_len > 0 {
                for (k, q) in text[i..i + quote_len].char_indices() {
                    out.push(Token {
                        text: &text[i + k..i + k + q.len_utf8()],
                        start: i + k,
                        end: i + k + q.len_utf8(),
                        sentence,
                    });
                }
                i += quote_len;
            }
            // Only a following capital, digit, quote or end starts a new sentence.
            let next = text[i..].trim_start().chars().next();
            // Scripts without case (Hangul, Kana, Han) start sentences with any letter.
            if next.is_none_or(|n| {
                n.is_uppercase()
                    || (n.is_alphabetic() && !n.is_lowercase())
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '\u{201c}' | '(')
            }) {
                sentence += 1;
            }
        }
    }
    out
}

fn is_single_letter_before(text: &str, dot: usize) -> bool {
    let before: Vec<char> = text[..dot].chars().rev().take(2).collect();
    before.first().is_some_and(|c| c.is_alphabetic()) && before.get(1).is_none_or(|c| !c.is_alphanumeric() || *c == '.')
}

fn is_abbreviation(word: &str) -> bool {
    let w = word.to_lowercase();
    ABBREVIATIONS.contains(&w.as_str())
}

/// Character offsets for byte offsets of `text`, for spans in records.
pub struct CharIndex {
    /// (byte, char) checkpoints every 64 characters.
    marks: Vec<(usize, usize)>,
}

impl CharIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> Self {
        let mut marks = vec![(0, 0)];
        for (n, (b, _)) in text.char_indices().enumerate() {
            if n % 64 == 0 && n > 0 {
                marks.push((b, n));
            }
        }
        CharIndex { marks }
    }

    /// The character offset of byte offset `byte` of `text`.
    pub fn char_at(&self, text: &str, byte: usize) -> usize {
        let k = self.marks.partition_point(|&(b, _)| b <= byte).saturating_sub(1);
        let (b0, c0) = self.marks[k];
        c0 + text.get(b0..byte).map_or(0, |s| s.chars().count())
    }
}

/// `s` lowercased, in `buf` when it is ASCII and fits: the word lists and
/// the gazetteer are looked up for most words of a page, and a lowercase
/// copy on the heap each time was a tenth of the analysis time (issue 16).
/// `s` lowercased as `str::to_lowercase` does, borrowing `s` when it is
/// ASCII without capitals: most words of a text, so the rules that lowercase
/// every token (times, quantities) do not allocate a string for each of them
/// (issue 16).
pub(crate) fn lowercase_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

pub(crate) fn lowercased<'a>(s: &str, buf: &'a mut [u8]) -> std::borrow::Cow<'a, str> {
    match buf.get_mut(..s.len()) {
        Some(b) if s.is_ascii() => {
            b.copy_from_slice(s.as_bytes());
            b.make_ascii_lowercase();
            std::borrow::Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default())
        }
        _ => std::borrow::Cow::Owned(s.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn lowercase_cow_is_to_lowercase_and_borrows_plain_words() {
        for w in [
            "year",
            "Year",
            "NASA",
            "été",
            "Été",
            "ΣΑΣ",
            "İstanbul",
            "",
            "3.5",
            "mid-September",
        ] {
            assert_eq!(lowercase_cow(w), w.to_lowercase(), "{w}");
        }
        assert!(matches!(lowercase_cow("year's"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(lowercase_cow("Year"), std::borrow::Cow::Owned(_)));
    }

    #[test]
    fn keeps_compounds_numbers_and_abbreviations() {
        assert_eq!(words("the 880-mile border"), ["the", "880-mile", "border"]);
        assert_eq!(
            words("U.S. $6.5 million, 200,000 people"),
            ["U.S.", "$", "6.5", "million", ",", "200,000", "people"]
        );
        assert_eq!(
            words("the country\u{2019}s Dec. 5 report"),
            ["the", "country\u{2019}s", "Dec.", "5", "report"]
        );
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        let t = tokenize("Gen. Kim met Mr. Lee in the U.S. on Monday. They talked. \u{201c}It went well.\u{201d} He left.\n\nNew paragraph here");
        let sentence_of = |w: &str| t.iter().find(|x| x.text == w).map(|x| x.sentence);
        assert_eq!(sentence_of("Gen."), sentence_of("Monday"));
        assert_ne!(sentence_of("Monday"), sentence_of("They"));
        assert_eq!(sentence_of("It"), sentence_of("well"));
        assert_ne!(sentence_of("well"), sentence_of("He"));
        assert_ne!(sentence_of("left"), sentence_of("New"));
    }

    #[test]
    fn non_english_text() {
        let t = tokenize("Der Bürgermeister sagte am Montag, die Straße bleibt zu. Die Anwohner sind verärgert.");
        assert!(t.iter().any(|x| x.text == "Bürgermeister") && t.iter().any(|x| x.text == "Straße"));
        assert_ne!(
            t.iter().find(|x| x.text == "zu").map(|x| x.sentence),
            t.iter().find(|x| x.text == "Anwohner").map(|x| x.sentence)
        );
        let k = tokenize("배추 가격이 42% 올랐다. 상인들은 걱정한다.");
        assert!(k.iter().any(|x| x.text == "배추"));
        assert!(k.iter().any(|x| x.text == "42"));
        assert_eq!(k.last().map(|x| x.sentence), Some(1));
    }

    #[test]
    fn char_index_matches_chars() {
        let text = "caf\u{e9} \u{201c}quoted\u{201d} ".repeat(40);
        let idx = CharIndex::new(&text);
        for (n, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_at(&text, b), n);
        }
        assert_eq!(idx.char_at(&text, text.len()), text.chars().count());
    }
}
