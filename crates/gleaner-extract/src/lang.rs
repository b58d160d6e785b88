//! Language identification from text, with [whatlang] (69 languages in 25
//! writing systems), and the choice between a page's declared language and
//! the one its text shows.
//!
//! whatlang replaced a hand-written detector (9 Latin-script languages and a
//! script table) after a side-by-side measurement on the extraction corpus
//! (`bench/lang-detect`, figures in `bench/README.md`): it agrees more often
//! with the pages' declarations, knows the languages the old one reported as
//! a neighbour (Persian as Arabic, Bulgarian as Russian, Catalan as Spanish,
//! Polish as Portuguese), and is fast enough on the 1000 characters it reads.

/// What the detector read in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code.
    pub code: &'static str,
    /// whatlang's confidence, 0..1 (the margin over the runner-up, scaled by
    /// the amount of text).
    pub confidence: f64,
    /// whatlang's own verdict that the guess can be trusted.
    pub reliable: bool,
    script: whatlang::Script,
}

/// The detector reads at most this many characters: as accurate on the
/// corpus as the whole sample, at a third of the time (bench/README.md).
const SAMPLE_CHARS: usize = 1000;

/// Guesses the language of `text`; `None` when it has no letters, or the
/// language has no two-letter code.
pub fn detect(text: &str) -> Option<Detection> {
    let sample = text.char_indices().nth(SAMPLE_CHARS).map_or(text, |(i, _)| &text[..i]);
    let info = whatlang::detect(sample)?;
    Some(Detection {
        code: iso_639_1(info.lang().code())?,
        confidence: info.confidence(),
        reliable: info.is_reliable(),
        script: info.script(),
    })
}

/// Languages a text detector confuses with one another (close relatives that
/// share a script and most of their short words): between two of them the
/// page's declaration is worth more than the guess.
const RELATIVES: &[&[&str]] = &[
    &["es", "ca", "gl", "pt", "oc"],
    &["ru", "bg", "uk", "be", "sr", "mk"],
    &["hr", "sr", "bs", "sl", "sh"],
    &["ar", "fa", "ur", "ps"],
    &["da", "no", "nb", "nn", "sv"],
    &["cs", "sk"],
    &["id", "ms"],
    &["hi", "mr", "ne"],
    &["zh", "ja"],
    &["fr", "oc"],
    &["it", "oc"],
];

fn relatives(a: &str, b: &str) -> bool {
    RELATIVES.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// The whatlang language of an ISO 639-1 code, when whatlang knows it.
fn whatlang_lang(code: &str) -> Option<whatlang::Lang> {
    whatlang::Lang::all()
        .iter()
        .copied()
        .find(|l| iso_639_1(l.code()) == Some(code))
}

/// The page's language: the declared one unless the text is surely in
/// another that the detector can tell apart from it (templates hard-code
/// `lang="en"`); the detected one when none is declared.
///
/// A declaration gives way only to a reliable detection of a language that
/// is no close relative of the declared one ([`RELATIVES`]), and, within one
/// writing system, only when the detector knows the declared language at all
/// (it cannot tell Basque from what it knows). A text in another writing
/// system than the declared language's always wins.
pub fn choose(declared: Option<String>, text: &str) -> Option<String> {
    let Some(found) = detect(text) else {
        return declared;
    };
    let Some(declared) = declared else {
        // Undeclared: the best guess, unless it is a coin toss.
        return (found.confidence >= UNDECLARED_MIN_CONFIDENCE).then(|| found.code.to_string());
    };
    if found.code == declared || !found.reliable || relatives(found.code, &declared) {
        return Some(declared);
    }
    match whatlang_lang(&declared) {
        // Known to the detector: it was weighed against the found one and lost.
        Some(_) => Some(found.code.to_string()),
        // Unknown: only another writing system tells it apart.
        None if is_script_of_few(found.script) => Some(found.code.to_string()),
        None => Some(declared),
    }
}

/// Below this confidence an undeclared page gets no language: the two best
/// guesses are nearly tied.
const UNDECLARED_MIN_CONFIDENCE: f64 = 0.2;

/// A writing system used by a single language or a few that the detector
/// all knows (not Latin, Cyrillic, Arabic or Devanagari, which unknown
/// languages share too).
fn is_script_of_few(script: whatlang::Script) -> bool {
    use whatlang::Script as S;
    !matches!(script, S::Latin | S::Cyrillic | S::Arabic | S::Devanagari)
}

/// The ISO 639-1 code of an ISO 639-3 code (as whatlang gives them), for the
/// languages whatlang knows; `None` for those without a two-letter code.
pub fn iso_639_1(code_639_3: &str) -> Option<&'static str> {
    Some(match code_639_3 {
        "epo" => "eo",
        "eng" => "en",
        "rus" => "ru",
        "cmn" => "zh",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" => "fr",
        "deu" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" => "nl",
        "hun" => "hu",
        "ces" => "cs",
        "ell" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        "cym" => "cy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<&'static str> {
        detect(text).map(|d| d.code)
    }

    #[test]
    fn scripts_and_languages() {
        assert_eq!(code("서울 시장은 오늘 새로운 정책을 발표했다"), Some("ko"));
        assert_eq!(code("東京の天気は晴れでした。明日は雨です。"), Some("ja"));
        assert_eq!(
            code("Москва стала столицей России в этом году, сообщили власти."),
            Some("ru")
        );
        assert_eq!(
            code("The council said that the bridge is closed for repairs and the road is open."),
            Some("en")
        );
        assert_eq!(
            code("Der Stadtrat hat beschlossen, dass die Brücke nicht mit dem Auto befahren wird und das ist gut."),
            Some("de")
        );
        assert_eq!(
            code("O governo disse que não vai mudar a lei para os estados e que é uma decisão final."),
            Some("pt")
        );
        assert_eq!(code("12345 !!!"), None);
    }

    // The languages the hand-written detector gave a neighbour's code.
    const PERSIAN: &str = "وزارت امور خارجه ایران روز دوشنبه اعلام کرد که مذاکرات با کشورهای اروپایی \
                           در هفته آینده ادامه خواهد یافت و هیئت ایرانی به ژنو سفر می‌کند.";
    const BULGARIAN: &str = "Министерският съвет одобри днес проекта на бюджета за следващата година, \
                             съобщиха от правителствената пресслужба. Депутатите ще го гласуват през ноември.";
    const POLISH: &str = "Rząd przyjął we wtorek projekt ustawy budżetowej na przyszły rok. Według ministra \
                          finansów deficyt będzie niższy niż w tym roku, a wydatki na zdrowie wzrosną.";
    const CATALAN: &str = "El Govern ha aprovat avui el projecte de pressupostos per a l'any vinent, que \
                           preveu més despesa en sanitat i educació i una rebaixa dels impostos.";

    #[test]
    fn languages_the_old_detector_took_for_a_neighbour() {
        assert_eq!(code(PERSIAN), Some("fa"));
        assert_eq!(code(BULGARIAN), Some("bg"));
        assert_eq!(code(POLISH), Some("pl"));
        assert_eq!(code(CATALAN), Some("ca"));
        // Undeclared pages get the detected language.
        assert_eq!(choose(None, POLISH).as_deref(), Some("pl"));
        assert_eq!(choose(None, PERSIAN).as_deref(), Some("fa"));
    }

    #[test]
    fn a_declaration_gives_way_only_to_a_language_told_apart_from_it() {
        let german = "Der Stadtrat hat am Dienstag beschlossen, dass die alte Brücke über den Fluss im \
                      nächsten Jahr für den Autoverkehr gesperrt wird, weil die Sanierung nicht mehr \
                      aufgeschoben werden kann und die Kosten sonst weiter steigen.";
        // A template's hard-coded lang="en" on a German article.
        assert_eq!(choose(Some("en".into()), german).as_deref(), Some("de"));
        // Another writing system than the declared one.
        assert_eq!(choose(Some("en".into()), BULGARIAN).as_deref(), Some("bg"));
        // Close relatives: the declaration stands, whatever the detector says.
        assert_eq!(choose(Some("ru".into()), BULGARIAN).as_deref(), Some("ru"));
        assert_eq!(choose(Some("es".into()), CATALAN).as_deref(), Some("es"));
        assert_eq!(choose(Some("ca".into()), CATALAN).as_deref(), Some("ca"));
        assert_eq!(choose(Some("ar".into()), PERSIAN).as_deref(), Some("ar"));
        assert_eq!(
            choose(
                Some("ja".into()),
                "中国国务院今天发布了新的经济政策，以促进国内消费和就业。"
            )
            .as_deref(),
            Some("ja")
        );
        // A language the detector does not know, in a shared script: kept.
        assert_eq!(choose(Some("eu".into()), german).as_deref(), Some("eu"));
        // A Korean text under an unknown declaration: another script, replaced.
        assert_eq!(
            choose(Some("eu".into()), "서울 시장은 오늘 새로운 정책을 발표했다").as_deref(),
            Some("ko")
        );
        // No text to read: the declaration.
        assert_eq!(choose(Some("de".into()), "").as_deref(), Some("de"));
    }
}
