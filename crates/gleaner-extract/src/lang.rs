//! Language identification from text, for pages that do not declare one (or
//! declare the wrong one): the writing system first, then function words.

/// Frequent short words per language; distinctive enough in combination.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "for", "with", "was", "on", "are", "it", "this", "by", "from",
            "have", "has", "but", "not", "they",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "für", "ein", "eine", "auch", "dem",
            "den", "zu", "von", "wird", "sind", "im",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "du", "pour", "dans", "que", "qui", "pas", "sur", "au",
            "avec", "ce", "sont", "il", "en",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "y", "que", "del", "en", "por", "con", "una", "para", "es", "se", "su", "al",
            "lo", "como", "más", "pero",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "la", "e", "per", "una", "del", "della", "non", "sono", "con", "gli", "anche", "nel",
            "alla", "si", "è", "le", "dei",
        ],
    ),
    (
        "pt",
        &[
            "o", "de", "que", "e", "do", "da", "em", "um", "para", "com", "não", "uma", "os", "no", "se", "na", "por",
            "mais", "as", "dos", "é", "você",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "is", "dat", "op", "te", "niet", "zijn", "voor", "met", "ook", "aan",
            "er", "maar", "om", "wordt",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "tidak", "akan", "pada", "ke", "juga",
            "dalam", "ada", "kita", "saya", "oleh", "karena",
        ],
    ),
    (
        "sv",
        &[
            "och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "inte", "om",
            "ett", "jag",
        ],
    ),
];

/// Guesses the ISO 639-1 code of `text`, with a confidence in 0..1.
pub fn detect(text: &str) -> Option<(&'static str, f32)> {
    let mut counts = [0usize; 8];
    let mut letters = 0usize;
    for c in text.chars().take(20_000) {
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        let slot = match c as u32 {
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => 0, // Hangul
            0x3040..=0x30FF => 1,                                     // Kana
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => 2,                   // Han
            0x0400..=0x04FF => 3,                                     // Cyrillic
            0x0600..=0x06FF | 0x0750..=0x077F => 4,                   // Arabic
            0x0E00..=0x0E7F => 5,                                     // Thai
            0x0590..=0x05FF => 6,                                     // Hebrew
            0x0370..=0x03FF => 7,                                     // Greek
            _ => continue,
        };
        counts[slot] += 1;
    }
    if letters == 0 {
        return None;
    }
    let share = |n: usize| n as f32 / letters as f32;
    if share(counts[0]) > 0.3 {
        return Some(("ko", 0.95));
    }
    if share(counts[1]) > 0.05 && share(counts[1] + counts[2]) > 0.3 {
        return Some(("ja", 0.95));
    }
    if share(counts[2]) > 0.3 {
        return Some(("zh", 0.9));
    }
    for (slot, code) in [(3, "ru"), (4, "ar"), (5, "th"), (6, "he"), (7, "el")] {
        if share(counts[slot]) > 0.4 {
            // Cyrillic could be Ukrainian or Bulgarian; letters tell them apart.
            if slot == 3 && text.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ')) {
                return Some(("uk", 0.8));
            }
            return Some((code, 0.85));
        }
    }
    let mut scores = vec![0usize; STOPWORDS.len()];
    let mut words = 0usize;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(3000)
    {
        words += 1;
        let lw = w.to_lowercase();
        for (k, (_, list)) in STOPWORDS.iter().enumerate() {
            if list.contains(&lw.as_str()) {
                scores[k] += 1;
            }
        }
    }
    if words < 5 {
        return None;
    }
    let (best, &top) = scores.iter().enumerate().max_by_key(|&(_, s)| *s)?;
    let second = scores
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != best)
        .map(|(_, s)| *s)
        .max()
        .unwrap_or(0);
    if top == 0 {
        return None;
    }
    // Confidence grows with the share of function words and the margin to the runner-up.
    let conf = ((top - second) as f32 / top as f32).min(1.0) * (top as f32 / words as f32 * 4.0).min(1.0);
    Some((STOPWORDS[best].0, conf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_stopwords() {
        assert_eq!(
            detect("서울 시장은 오늘 새로운 정책을 발표했다").map(|d| d.0),
            Some("ko")
        );
        assert_eq!(
            detect("東京の天気は晴れでした。明日は雨です。").map(|d| d.0),
            Some("ja")
        );
        assert_eq!(detect("Москва стала столицей в этом году").map(|d| d.0), Some("ru"));
        assert_eq!(
            detect("The council said that the bridge is closed for repairs and the road is open.").map(|d| d.0),
            Some("en")
        );
        assert_eq!(
            detect("Der Stadtrat hat beschlossen, dass die Brücke nicht mit dem Auto befahren wird und das ist gut.")
                .map(|d| d.0),
            Some("de")
        );
        assert_eq!(
            detect("O governo disse que não vai mudar a lei para os estados e que é uma decisão final.").map(|d| d.0),
            Some("pt")
        );
        assert_eq!(detect("12345 !!!"), None);
    }
}
