//! Reported figures: numbers in digits or words with scales ("million",
//! "lakh"), currencies ("U.S. $", "Rs", "euros"), units of measure ("880-mile",
//! "a kilometer", "55 mph") and durations ("48-hour", "a fortnight"), or the
//! thing counted ("six civilians", "three of its commanders"), converted to SI
//! where the unit converts.
//!
//! The contract (`docs/record-v1.md`, "Figures"): `unit` is a unit of measure
//! or a currency only; what is counted goes in `counted` (the head noun as
//! written) and the whole phrase is the span. Ages, emergency and phone
//! numbers, street numbers, identifiers and model names, scores, clock times,
//! years and dates are not figures.

use crate::tokens::Token;

/// A found quantity (byte span).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Byte span start.
    pub start: usize,
    /// Byte span end.
    pub end: usize,
    /// Numeric value (scale applied).
    pub value: f64,
    /// Unit of measure, time unit (durations) or ISO 4217 currency code.
    pub unit: Option<String>,
    /// The head noun of what is counted, as written ("civilians").
    pub counted: Option<String>,
    /// Value and unit in SI, for units that convert.
    pub si: Option<(f64, &'static str)>,
}

/// A unit: the words that name it, its symbol, and its SI factor and unit.
type Unit = (&'static [&'static str], &'static str, Option<(f64, &'static str)>);

/// Units of measure by the (lowercased) words that name them. Time units are
/// durations and use the singular English word as their symbol.
const UNITS: &[Unit] = &[
    (&["mile", "miles", "mi"], "mi", Some((1.609_344, "km"))),
    (
        &["kilometer", "kilometers", "kilometre", "kilometres", "km", "kms"],
        "km",
        None,
    ),
    (&["meter", "meters", "metre", "metres"], "m", None),
    (
        &["centimeter", "centimeters", "centimetre", "centimetres", "cm"],
        "cm",
        Some((0.01, "m")),
    ),
    (
        &["millimeter", "millimeters", "millimetre", "millimetres", "mm"],
        "mm",
        Some((0.001, "m")),
    ),
    (&["foot", "feet", "ft"], "ft", Some((0.3048, "m"))),
    (&["inch", "inches"], "in", Some((0.0254, "m"))),
    (&["yard", "yards"], "yd", Some((0.9144, "m"))),
    (
        &[
            "kilogram",
            "kilograms",
            "kilogramme",
            "kilogrammes",
            "kg",
            "kgs",
            "kilo",
            "kilos",
        ],
        "kg",
        None,
    ),
    (&["pound", "pounds", "lb", "lbs"], "lb", Some((0.453_592_37, "kg"))),
    (&["ounce", "ounces", "oz"], "oz", Some((0.028_349_523, "kg"))),
    (&["ton", "tons", "tonne", "tonnes"], "t", Some((1000.0, "kg"))),
    (&["gram", "grams", "g"], "g", Some((0.001, "kg"))),
    (&["hectare", "hectares", "ha"], "ha", Some((10_000.0, "m2"))),
    (&["acre", "acres"], "acre", Some((4_046.856_422_4, "m2"))),
    (&["liter", "liters", "litre", "litres"], "L", Some((0.001, "m3"))),
    (&["gallon", "gallons"], "gal", Some((0.003_785_411_784, "m3"))),
    (&["barrel", "barrels"], "bbl", Some((0.158_987_294_928, "m3"))),
    (&["percent", "%", "pct"], "%", None),
    (&["mph"], "mph", Some((1.609_344, "km/h"))),
    (&["kph", "kmh", "km/h"], "km/h", None),
    (&["kw"], "kW", None),
    (&["mw"], "MW", None),
    (&["gw"], "GW", None),
    (&["tw"], "TW", None),
    (&["kwh"], "kWh", None),
    (&["mwh"], "MWh", None),
    (&["gwh"], "GWh", None),
    (&["twh"], "TWh", None),
    (&["second", "seconds", "sec", "secs"], "second", None),
    (&["minute", "minutes", "min", "mins"], "minute", Some((60.0, "s"))),
    (&["hour", "hours", "hr", "hrs"], "hour", Some((3600.0, "s"))),
    (&["day", "days"], "day", Some((86_400.0, "s"))),
    (&["week", "weeks"], "week", Some((604_800.0, "s"))),
    (&["month", "months"], "month", None),
    (&["year", "years", "yr", "yrs"], "year", None),
    (&["decade", "decades"], "decade", None),
    (&["century", "centuries"], "century", None),
    (&["caliber", "calibre"], "in", Some((0.0254, "m"))),
];

/// The time units (durations), for rules that treat them apart.
const TIME_UNITS: &[&str] = &[
    "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
];

/// Currencies by the words that follow an amount.
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("won", "KRW"),
    ("rupee", "INR"),
    ("rupees", "INR"),
    ("rupiah", "IDR"),
    ("ruble", "RUB"),
    ("rubles", "RUB"),
    ("rouble", "RUB"),
    ("roubles", "RUB"),
    ("hryvnia", "UAH"),
    ("hryvnias", "UAH"),
    ("naira", "NGN"),
    ("rand", "ZAR"),
    ("lira", "TRY"),
    ("liras", "TRY"),
    ("pesos", "MXN"),
    ("francs", "CHF"),
    ("reais", "BRL"),
    ("riyals", "SAR"),
    ("dirhams", "AED"),
    ("shekels", "ILS"),
    ("taka", "BDT"),
    ("baht", "THB"),
    ("ringgit", "MYR"),
    ("kwacha", "ZMW"),
    ("cedis", "GHS"),
    ("sterling", "GBP"),
];

/// ISO 4217 codes written as words before or after an amount.
const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "KRW", "HKD", "AUD", "CAD", "NZD", "SGD", "CHF", "RUB", "NGN", "ZAR",
    "BRL", "MXN", "TRY", "SAR", "AED", "ILS", "PKR", "BDT", "IDR", "THB", "MYR", "PHP", "KES", "GHS", "UAH",
];

/// Qualifiers of "dollars" ("Hong Kong dollars", "Australian dollars").
const DOLLAR_QUALIFIERS: &[(&str, &str)] = &[
    ("us", "USD"),
    ("u.s.", "USD"),
    ("american", "USD"),
    ("hong kong", "HKD"),
    ("australian", "AUD"),
    ("canadian", "CAD"),
    ("new zealand", "NZD"),
    ("singapore", "SGD"),
    ("taiwan", "TWD"),
    ("zimbabwe", "ZWL"),
];

/// Currency symbols; `$` is the dollar of the article's country (see [`find`]).
const SYMBOLS: &[(&str, &str)] = &[
    ("\u{20ac}", "EUR"),
    ("\u{a3}", "GBP"),
    ("\u{a5}", "JPY"),
    ("\u{20a9}", "KRW"),
    ("\u{20b9}", "INR"),
    ("\u{20bd}", "RUB"),
    ("\u{20a6}", "NGN"),
    ("\u{20b1}", "PHP"),
    ("\u{20ba}", "TRY"),
    ("\u{20b4}", "UAH"),
    ("\u{20aa}", "ILS"),
];

/// Prefixes glued to "$" ("HK$", "US$").
const DOLLAR_PREFIXES: &[(&str, &str)] = &[
    ("US", "USD"),
    ("U.S.", "USD"),
    ("HK", "HKD"),
    ("A", "AUD"),
    ("AU", "AUD"),
    ("C", "CAD"),
    ("CA", "CAD"),
    ("Can", "CAD"),
    ("NZ", "NZD"),
    ("S", "SGD"),
    ("R", "BRL"),
    ("NT", "TWD"),
];

const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("lakh", 1e5),
    ("lakhs", 1e5),
    ("million", 1e6),
    ("millions", 1e6),
    ("crore", 1e7),
    ("crores", 1e7),
    ("billion", 1e9),
    ("billions", 1e9),
    ("trillion", 1e12),
    ("mn", 1e6),
    ("mln", 1e6),
    ("bn", 1e9),
    ("bln", 1e9),
    ("tn", 1e12),
];

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Words that end a noun phrase: determiners, prepositions, conjunctions,
/// pronouns, auxiliaries and common verbs of reporting.
const FUNCTION: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "without",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "after",
    "before",
    "since",
    "until",
    "during",
    "between",
    "among",
    "against",
    "across",
    "through",
    "per",
    "via",
    "as",
    "than",
    "and",
    "or",
    "but",
    "nor",
    "so",
    "if",
    "when",
    "while",
    "where",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "why",
    "how",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "said",
    "says",
    "say",
    "told",
    "tell",
    "says",
    "it",
    "they",
    "them",
    "he",
    "she",
    "we",
    "you",
    "i",
    "us",
    "there",
    "here",
    "now",
    "then",
    "also",
    "only",
    "each",
    "every",
    "all",
    "both",
    "some",
    "any",
    "no",
    "not",
    "more",
    "most",
    "less",
    "least",
    "up",
    "down",
    "out",
    "off",
    "ago",
    "later",
    "earlier",
    "last",
    "next",
    "including",
    "like",
    "near",
    "around",
    "within",
    "outside",
    "inside",
    "behind",
    "beyond",
    "toward",
    "towards",
    "upon",
    "amid",
    "despite",
    "because",
    "although",
    "though",
    "whether",
    "remain",
    "remains",
    "became",
    "become",
    "becomes",
    "according",
    "another",
    "such",
    "too",
    "following",
    "very",
    "just",
    "even",
    "still",
    "already",
    "again",
    "ever",
    "never",
    "always",
    "often",
    "sometimes",
];

/// Plurals not formed with "-s".
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "children",
    "men",
    "women",
    "police",
    "personnel",
    "staff",
    "cattle",
    "sheep",
    "fish",
    "aircraft",
    "deer",
    "teeth",
    "mice",
    "geese",
    "crew",
    "data",
    "media",
    "livestock",
    "offspring",
    "swine",
    "poultry",
    "clergy",
];

/// Inanimate heads after "N-year-old" (the age of a thing is a duration
/// figure; the age of a person is not a figure).
const AGED_THINGS: &[&str] = &[
    "building",
    "house",
    "home",
    "church",
    "temple",
    "tree",
    "city",
    "town",
    "village",
    "site",
    "ruins",
    "company",
    "firm",
    "business",
    "law",
    "tradition",
    "record",
    "bridge",
    "tomb",
    "statue",
    "painting",
    "manuscript",
    "ship",
    "wreck",
    "fossil",
    "skeleton",
    "castle",
    "mosque",
    "monastery",
    "structure",
    "treaty",
    "institution",
    "dam",
    "mine",
    "lost",
    "ancient",
    "old",
];

/// Words naming a street, after a house number ("1909 Jolinda Drive").
const STREET_WORDS: &[&str] = &[
    "st",
    "st.",
    "street",
    "ave",
    "ave.",
    "avenue",
    "road",
    "rd",
    "rd.",
    "drive",
    "dr",
    "dr.",
    "place",
    "pl",
    "pl.",
    "lane",
    "ln",
    "ln.",
    "blvd",
    "blvd.",
    "boulevard",
    "way",
    "court",
    "ct",
    "ct.",
    "terrace",
    "circle",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "pike",
    "square",
    "row",
    "crescent",
    "close",
    "gardens",
    "trail",
];

/// Words around a number that make it a telephone or emergency number.
const CALL_WORDS: &[&str] = &[
    "call",
    "calls",
    "called",
    "caller",
    "callers",
    "calling",
    "dial",
    "dialled",
    "dialed",
    "dispatcher",
    "dispatchers",
    "operator",
    "operators",
    "line",
    "hotline",
    "number",
];

/// Words that make the number before them a clock time or an era year.
const CLOCK_OR_ERA: &[&str] = &[
    "a.m.", "p.m.", "am", "pm", "a.m", "p.m", "gmt", "bst", "utc", "et", "est", "edt", "pst", "pdt", "cet", "ist",
    "o'clock", "bc", "bce", "ad", "ce", "hrs.",
];

fn unit(w: &str) -> Option<(&'static str, Option<(f64, &'static str)>)> {
    UNITS
        .iter()
        .find(|(words, _, _)| words.contains(&w))
        .map(|&(_, sym, si)| (sym, si))
}

/// Words that name a unit (used by the time finder to leave "2019 people" alone).
pub fn is_unit_word(w: &str) -> bool {
    unit(w).is_some()
}

fn scale(w: &str) -> Option<f64> {
    SCALES.iter().find(|(s, _)| *s == w).map(|&(_, v)| v)
}

/// A number written in words: "six", "twenty-five", "five-and-a-half".
fn word_number(w: &str) -> Option<f64> {
    if let Some(i) = ONES.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|x| !x.is_empty() && *x == w) {
        return Some((i * 10) as f64);
    }
    if let Some(base) = w.strip_suffix("-and-a-half") {
        return word_number(base).or_else(|| digits_number(base)).map(|v| v + 0.5);
    }
    if let Some((t, o)) = w.split_once('-') {
        let tens = TENS.iter().position(|x| !x.is_empty() && *x == t)?;
        let ones = ONES.iter().position(|x| *x == o).filter(|&o| (1..10).contains(&o))?;
        return Some((tens * 10 + ones) as f64);
    }
    None
}

fn digits_number(w: &str) -> Option<f64> {
    if !(w.starts_with(|c: char| c.is_ascii_digit()) || w.starts_with('.') && w.len() > 1) {
        return None;
    }
    if !w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    let cleaned: String = w.chars().filter(|c| *c != ',').collect();
    cleaned.parse().ok()
}

/// "$10m", "2.5bn", "N500m": a scale glued to the digits.
fn glued_scale(w: &str) -> Option<f64> {
    for (suffix, s) in [
        ("bn", 1e9),
        ("mn", 1e6),
        ("tn", 1e12),
        ("m", 1e6),
        ("k", 1e3),
        ("b", 1e9),
    ] {
        if let Some(num) = w.strip_suffix(suffix) {
            if let Some(v) = digits_number(num) {
                return Some(v * s);
            }
        }
    }
    None
}

/// A plural noun by its form ("civilians", "cases", "people").
fn is_plural(w: &str) -> bool {
    let l = w.to_lowercase();
    if IRREGULAR_PLURALS.contains(&l.as_str()) {
        return true;
    }
    l.chars().count() > 3
        && l.ends_with('s')
        && !l.ends_with("ss")
        && !l.ends_with("us")
        && !l.ends_with("is")
        && !l.ends_with("ous")
        && !l.ends_with("'s")
        && !l.ends_with("\u{2019}s")
        && l.chars().all(|c| c.is_alphabetic() || c == '-')
}

fn is_function(w: &str) -> bool {
    FUNCTION.contains(&w) || w.ends_with("n't") || w.ends_with("n\u{2019}t")
}

/// Rounds to six significant digits (SI conversions).
fn round(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 6 - (x.abs().log10().floor() as i32) - 1;
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

struct Reader<'t, 'a> {
    text: &'a str,
    tokens: &'t [Token<'a>],
    lower: Vec<std::borrow::Cow<'a, str>>,
    dollar: &'static str,
}

/// What follows a number: its unit or counted noun and where the phrase ends.
#[derive(Debug, Clone, Default)]
struct Tail {
    unit: Option<String>,
    si_unit: Option<(f64, &'static str)>,
    counted: Option<String>,
    /// Byte end of the phrase (None: the number alone).
    end: Option<usize>,
    /// Token index after the phrase.
    next: Option<usize>,
    /// "N of …": the tokens after "of" may hold figures of their own.
    partitive_at: Option<usize>,
    /// A multiplier the tail adds ("a fortnight" = 2 weeks).
    factor: f64,
    /// The number heads a phrase even without a unit or noun ("two of us").
    phrase: bool,
}

impl<'t, 'a> Reader<'t, 'a> {
    fn word(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", |w| &**w)
    }

    fn adjacent(&self, a: usize, b: usize) -> bool {
        b < self.tokens.len() && self.tokens[a].end == self.tokens[b].start
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        b < self.tokens.len() && self.tokens[a].sentence == self.tokens[b].sentence
    }

    /// The unit or currency right after a number at token `j` (the first token after it).
    fn unit_after(&self, j: usize, value: f64) -> Option<Tail> {
        let w = self.word(j);
        if w.is_empty() || !self.same_sentence(j.saturating_sub(1), j) {
            return None;
        }
        let done = |unit: String, si: Option<(f64, &'static str)>, last: usize| Tail {
            unit: Some(unit),
            si_unit: si,
            end: Some(self.tokens[last].end),
            next: Some(last + 1),
            factor: 1.0,
            ..Tail::default()
        };
        // "per cent", "percentage points".
        if w == "per" && self.word(j + 1) == "cent" {
            return Some(done("%".into(), None, j + 1));
        }
        if w == "percentage" && matches!(self.word(j + 1), "point" | "points") {
            return Some(done("%".into(), None, j + 1));
        }
        // "°C", "degrees Celsius".
        if w == "\u{b0}" || w == "degrees" || w == "degree" {
            let k = j + 1;
            let scale_word = self.word(k);
            let sym = match scale_word {
                "c" | "celsius" | "centigrade" => Some("\u{b0}C"),
                "f" | "fahrenheit" => Some("\u{b0}F"),
                _ => None,
            };
            return match sym {
                Some(s) => Some(done(s.into(), None, k)),
                None if w != "\u{b0}" => Some(done("deg".into(), None, j)),
                None => None,
            };
        }
        // "square kilometres", "cubic metres".
        if matches!(w, "square" | "sq" | "cubic") {
            if let Some((sym, _)) =
                unit(self.word(j + 1)).filter(|(s, _)| matches!(*s, "km" | "m" | "mi" | "ft" | "cm"))
            {
                let power = if w == "cubic" { "3" } else { "2" };
                return Some(done(format!("{sym}{power}"), None, j + 1));
            }
        }
        // "km/h".
        if w == "km" && self.word(j + 1) == "/" && self.word(j + 2) == "h" {
            return Some(done("km/h".into(), None, j + 2));
        }
        if w == "fortnight" || w == "fortnights" {
            let mut t = done("week".into(), Some((604_800.0, "s")), j);
            t.factor = 2.0;
            return Some(t);
        }
        if let Some(&(_, code)) = CURRENCY_WORDS.iter().find(|(cw, _)| *cw == w) {
            // "won" after a number is the currency; "pounds sterling" below.
            return Some(done(code.into(), None, j));
        }
        if matches!(w, "pound" | "pounds") && self.word(j + 1) == "sterling" {
            return Some(done("GBP".into(), None, j + 1));
        }
        if let Some(code) = CURRENCY_CODES.iter().find(|c| self.tokens[j].text == **c) {
            return Some(done((*code).into(), None, j));
        }
        // "Hong Kong dollars", "US dollars", "dollars".
        for k in j..(j + 3).min(self.tokens.len()) {
            if matches!(self.word(k), "dollar" | "dollars") {
                let qual = self.lower[j..k].join(" ");
                let code = if k == j {
                    Some(self.dollar)
                } else {
                    DOLLAR_QUALIFIERS.iter().find(|(q, _)| *q == qual).map(|&(_, c)| c)
                };
                if let Some(code) = code {
                    return Some(done(code.into(), None, k));
                }
            }
        }
        if let Some((sym, si)) = unit(w) {
            // "caliber" is a measure in inches only for a fraction (".45-caliber").
            if sym == "in" && w.starts_with("calib") && value >= 1.0 {
                return None;
            }
            // Case matters for short symbols: "g" and "min" only lowercase,
            // "MW" not "mw" in running text; "W" alone is never taken.
            let t = self.tokens[j].text;
            if matches!(sym, "kW" | "MW" | "GW" | "TW" | "kWh" | "MWh" | "GWh" | "TWh")
                && !t.chars().any(char::is_uppercase)
            {
                return None;
            }
            if w.len() <= 2
                && t.chars().next().is_some_and(char::is_uppercase)
                && !matches!(sym, "kW" | "MW" | "GW" | "TW")
            {
                return None;
            }
            return Some(done(sym.into(), si, j));
        }
        None
    }

    /// A counted noun phrase starting at token `j`: modifiers then the head
    /// noun ("high-ranking insurgents", "United States service members").
    /// Returns (head token index).
    fn counted_after(&self, j: usize, value: f64, partitive: bool) -> Option<usize> {
        let start_sentence = self.tokens.get(j)?.sentence;
        let mut run: Vec<usize> = Vec::new();
        let mut k = j;
        while k < self.tokens.len() && run.len() < 6 {
            let t = &self.tokens[k];
            if t.sentence != start_sentence || !t.is_word() {
                break;
            }
            let w = self.word(k);
            if w == "and" && !run.is_empty() && value != 1.0 {
                // "maintenance and cleaning workers": only inside one phrase
                // whose head is still to come.
                let next_ok = self.tokens.get(k + 1).is_some_and(|n| n.is_word()) && !is_function(self.word(k + 1));
                if next_ok && !is_plural(self.tokens[run[run.len() - 1]].text) {
                    k += 1;
                    continue;
                }
                break;
            }
            // "US" is a country here, not the pronoun.
            let acronym = t.text.len() >= 2 && t.text.chars().all(|c| c.is_ascii_uppercase() || c == '.');
            if (is_function(w) && !acronym)
                || crate::times::month(t.text).is_some() && t.is_capitalised()
                || word_number(w).is_some()
                || scale(w).is_some()
            {
                break;
            }
            if t.is_number() && digits_number(t.text).is_none() && !t.text.contains('-') {
                break;
            }
            // A past-tense verb or an adverb after the head ends the phrase:
            // "two leaders sidestepped tricky questions".
            if (w.ends_with("ed") || w.ends_with("ly")) && run.iter().any(|&r| is_plural(self.tokens[r].text)) {
                break;
            }
            run.push(k);
            k += 1;
        }
        if run.is_empty() {
            return None;
        }
        // The head: the last plural in the run; for one thing, the last noun.
        let plural = run
            .iter()
            .rev()
            .copied()
            .find(|&k| is_plural(self.tokens[k].text) && !self.tokens[k].is_number());
        if value != 1.0 {
            if let Some(h) = plural {
                // A capitalised plural is a head only as the run's first word
                // ("150 Indians") or after another capitalised word's modifiers.
                return Some(h);
            }
            if !partitive {
                return None;
            }
        }
        // Singular head: drop trailing verb-like words ("one man died").
        let mut end = run.len();
        while end > 1 {
            let w = self.word(run[end - 1]);
            if w.ends_with("ed") || w.ends_with("ing") || w.ends_with("ly") {
                end -= 1;
            } else {
                break;
            }
        }
        let h = run[end - 1];
        let w = self.word(h);
        if self.tokens[h].is_number() || w.ends_with("ly") || w.ends_with("ed") {
            return None;
        }
        Some(h)
    }

    /// The tail of a number whose last token is `last`.
    fn tail(&self, last: usize, value: f64, with_currency: bool) -> Tail {
        let j = last + 1;
        if with_currency {
            // "$0.23/W", "$0.03/kWh": a price per unit.
            if self.word(j) == "/" && self.adjacent(last, j) && self.adjacent(j, j + 1) {
                let per = self.tokens.get(j + 1).map_or("", |t| t.text);
                if matches!(
                    per,
                    "W" | "kW" | "MW" | "GW" | "kWh" | "MWh" | "Wh" | "kg" | "t" | "L" | "lb" | "oz"
                ) {
                    return Tail {
                        unit: Some(format!("/{per}")),
                        end: Some(self.tokens[j + 1].end),
                        next: Some(j + 2),
                        factor: 1.0,
                        ..Tail::default()
                    };
                }
            }
            return Tail {
                factor: 1.0,
                ..Tail::default()
            };
        }
        if let Some(t) = self.unit_after(j, value) {
            return t;
        }
        // "three of its commanders", "30 of Boeing's 787-9 Dreamliner jets".
        if self.word(j) == "of" && self.same_sentence(last, j) {
            let mut k = j + 1;
            if matches!(
                self.word(k),
                "the" | "its" | "their" | "his" | "her" | "our" | "these" | "those" | "them" | "us" | "you"
            ) || self
                .tokens
                .get(k)
                .is_some_and(|t| t.text.ends_with("\u{2019}s") || t.text.ends_with("'s"))
            {
                if matches!(self.word(k), "them" | "us" | "you") {
                    return Tail {
                        phrase: true,
                        end: Some(self.tokens[k].end),
                        next: Some(k + 1),
                        factor: 1.0,
                        ..Tail::default()
                    };
                }
                k += 1;
                // "four of the last six summers": the inner number is a figure of its own.
                let inner_number = self
                    .tokens
                    .get(k)
                    .is_some_and(|t| digits_number(t.text).is_some() || word_number(&t.text.to_lowercase()).is_some());
                let run_from = if inner_number || self.word(k) == "last" || self.word(k) == "first" {
                    k + usize::from(self.word(k) == "last" || self.word(k) == "first")
                } else {
                    k
                };
                let run_from =
                    if self.tokens.get(run_from).is_some_and(|t| {
                        digits_number(t.text).is_some() || word_number(&t.text.to_lowercase()).is_some()
                    }) {
                        run_from + 1
                    } else {
                        run_from
                    };
                if let Some(h) = self.counted_after(run_from, value, true) {
                    return Tail {
                        counted: Some(self.tokens[h].text.to_string()),
                        end: Some(self.tokens[h].end),
                        next: Some(h + 1),
                        partitive_at: Some(j + 1),
                        factor: 1.0,
                        ..Tail::default()
                    };
                }
            }
            return Tail {
                factor: 1.0,
                ..Tail::default()
            };
        }
        if let Some(h) = self.counted_after(j, value, false) {
            // A unit can still close the phrase: "three high-ranking" … no;
            // a time unit head is a duration ("two long years").
            let head = self.word(h);
            if let Some((sym, si)) = unit(head).filter(|(s, _)| TIME_UNITS.contains(s)) {
                return Tail {
                    unit: Some(sym.into()),
                    si_unit: si,
                    end: Some(self.tokens[h].end),
                    next: Some(h + 1),
                    factor: 1.0,
                    ..Tail::default()
                };
            }
            return Tail {
                counted: Some(self.tokens[h].text.to_string()),
                end: Some(self.tokens[h].end),
                next: Some(h + 1),
                factor: 1.0,
                ..Tail::default()
            };
        }
        Tail {
            factor: 1.0,
            ..Tail::default()
        }
    }

    /// A currency written before the number at token `i`: ("USD", first token).
    fn currency_before(&self, i: usize) -> Option<(String, usize)> {
        if i == 0 {
            return None;
        }
        let p = &self.tokens[i - 1];
        if p.text == "$" && p.end == self.tokens[i].start {
            // "US$", "HK$" glued; "U.S. $" with a space.
            if i >= 2 {
                let q = &self.tokens[i - 2];
                if let Some(&(_, code)) = DOLLAR_PREFIXES.iter().find(|(pre, _)| *pre == q.text) {
                    if q.end == p.start || q.text == "U.S." || q.text == "US" {
                        return Some((code.into(), i - 2));
                    }
                }
            }
            return Some((self.dollar.into(), i - 1));
        }
        if let Some(&(_, code)) = SYMBOLS.iter().find(|(s, _)| p.text == *s) {
            if p.end == self.tokens[i].start || self.text[p.end..self.tokens[i].start].chars().all(char::is_whitespace)
            {
                return Some((code.into(), i - 1));
            }
        }
        // "Rs 24 lakh", "Rs. 24", "INR 500", "USD 5 million".
        if matches!(p.text, "Rs" | "Rs." | "Rs\u{a0}") {
            return Some(("INR".into(), i - 1));
        }
        if p.text == "." && i >= 2 && self.tokens[i - 2].text == "Rs" {
            return Some(("INR".into(), i - 2));
        }
        if let Some(code) = CURRENCY_CODES.iter().find(|c| p.text == **c) {
            return Some(((*code).into(), i - 1));
        }
        None
    }

    /// Whether a bare number (no unit, no counted noun) at token `i` names
    /// something rather than counting it: an age, a house number, a phone
    /// or emergency number, an identifier or model, a date or a clock time.
    fn is_label(&self, i: usize, value: f64) -> bool {
        let t = &self.tokens[i];
        let prev = if i > 0 { self.word(i - 1) } else { "" };
        let next = self.word(i + 1);
        let small_int = value.fract() == 0.0 && value <= 120.0;
        // Ages: "Webb, 51,", "Hollman 31, of Hope", "aged 70", "who was 21".
        if small_int {
            let after_name = |k: usize| {
                self.tokens.get(k).is_some_and(|n| {
                    (n.is_capitalised() && n.is_word()) || matches!(n.text, "Jr." | "Sr." | "Jr" | "Sr")
                })
            };
            let closes = matches!(next, "," | ")" | ";" | "." | "and" | "of" | "who" | "from")
                || self.tokens.get(i + 1).is_none();
            if closes && ((prev == "," && i >= 2 && after_name(i - 2)) || (i >= 1 && after_name(i - 1) && next == ","))
            {
                return true;
            }
            if matches!(prev, "aged" | "age" | "ages") {
                return true;
            }
            if i >= 2 && matches!(prev, "was" | "is") && matches!(self.word(i - 2), "who" | "he" | "she") {
                return true;
            }
            if matches!(next, "years" | "year") && self.word(i + 2) == "old" {
                return true;
            }
        }
        // Clock times and era years: "12 p.m.", "500 BC", "10:30".
        if CLOCK_OR_ERA.contains(&next)
            || (next == ":" && self.adjacent(i, i + 1))
            || prev == ":" && i >= 2 && self.adjacent(i - 1, i) && self.tokens[i - 2].is_number()
        {
            return true;
        }
        // Identifiers glued to slashes: "FHC/ABJ/03/095/2018", "2022/23".
        if (prev == "/" && self.adjacent(i - 1, i)) || (next == "/" && self.adjacent(i, i + 1)) {
            return true;
        }
        // Phone numbers: a leading zero, or a long unseparated run of digits.
        let digits = t.text.chars().filter(char::is_ascii_digit).count();
        if t.text.starts_with('0') && digits >= 3 && !t.text.contains('.') {
            return true;
        }
        if digits >= 5 && !t.text.contains(',') && !t.text.contains('.') {
            return true;
        }
        if i > 0 && self.tokens[i - 1].is_number() && self.tokens[i - 1].text.starts_with('0') {
            return true;
        }
        // House numbers: "1909 Jolinda Drive", "3170 W. County Road 600S".
        for k in i + 1..(i + 6).min(self.tokens.len()) {
            let w = self.word(k);
            if STREET_WORDS.contains(&w) && k > i + 1 {
                return true;
            }
            let tk = &self.tokens[k];
            if !(tk.is_capitalised() || tk.text == "." || (tk.is_number() && tk.text.chars().any(char::is_alphabetic)))
            {
                break;
            }
        }
        // Dates: "October 11 and 13", "pre-August 5", "on 26".
        if small_int && (1.0..=31.0).contains(&value) {
            if i > 0 && crate::times::month(self.tokens[i - 1].text.rsplit('-').next().unwrap_or("")).is_some() {
                return true;
            }
            if matches!(prev, "and" | "to" | "-" | "\u{2013}" | "through" | "until")
                && i >= 3
                && self.tokens[i - 2].is_number()
                && crate::times::month(self.tokens[i - 3].text).is_some()
            {
                return true;
            }
            if prev == "on" {
                return true;
            }
        }
        // Model names and numbered things: "737 Max", "Interstate 10",
        // "Articles 370", "Nikkei 225", "the 777 program", "No. 1".
        if matches!(prev, "no." | "no" | "number" | "nos." | "#") {
            return true;
        }
        if self
            .tokens
            .get(i + 1)
            .is_some_and(|n| n.is_capitalised() && n.is_word() && n.sentence == t.sentence)
        {
            return true;
        }
        if i > 0 {
            let p = &self.tokens[i - 1];
            let sentence_initial = i == 1 || self.tokens[i - 2].sentence != p.sentence;
            if p.is_capitalised()
                && p.is_word()
                && p.sentence == t.sentence
                && !sentence_initial
                && crate::times::month(p.text).is_none()
                && !CURRENCY_CODES.contains(&p.text)
            {
                return true;
            }
        }
        if let Some(n) = self.tokens.get(i + 1) {
            let w = self.word(i + 1);
            if n.is_word()
                && !n.is_number()
                && n.sentence == t.sentence
                && !is_function(w)
                && !w.ends_with("ed")
                && !w.ends_with("ing")
                && !w.ends_with("ly")
                && scale(w).is_none()
            {
                return true;
            }
        }
        false
    }
}

/// Finds quantities among `tokens` of `text`, skipping byte ranges `taken`
/// by times. `dollar` is the currency a bare "$" stands for (the dollar of
/// the article's country, else "USD").
pub fn find(text: &str, tokens: &[Token<'_>], taken: &[(usize, usize)], dollar: &'static str) -> Vec<Found> {
    let r = Reader {
        text,
        tokens,
        lower: tokens.iter().map(|t| crate::tokens::lowercase_cow(t.text)).collect(),
        dollar,
    };
    let is_taken = |t: &Token| taken.iter().any(|&(s, e)| t.start < e && s < t.end);
    let mut out: Vec<Found> = Vec::new();
    // Byte end of the last figure, to tell a rate ("$53 million a week",
    // "one boat an hour") from a duration ("for nearly an hour").
    let mut last_end = usize::MAX;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if is_taken(t) {
            i += 1;
            continue;
        }
        // Borrowed from `r.lower`: a String per token here was the
        // largest allocation cost of the quantity pass (issue 16).
        let w = r.word(i);
        let prev = if i > 0 { r.word(i - 1) } else { "" };
        // "a kilometer", "an hour", "a fortnight", "a dozen", "a million".
        if matches!(w, "a" | "an") {
            let n = r.word(i + 1);
            // "52 weeks in a year", "once a week": a rate's denominator.
            let rate = i > 0
                && (tokens[i - 1].end == last_end
                    || matches!(prev, "per" | "once" | "twice" | "thrice" | "times" | "every")
                    || (i >= 2 && tokens[i - 2].end == last_end && matches!(prev, "in" | "per" | "each")));
            if let Some(s) = scale(n).filter(|_| !matches!(n, "mn" | "bn" | "tn" | "mln" | "bln")) {
                let tail = r.tail(i + 1, s, false);
                if tail.counted.is_some() || tail.unit.is_some() {
                    push(
                        &mut out,
                        &mut last_end,
                        t.start,
                        s * tail.factor,
                        &tail,
                        tokens[i + 1].end,
                    );
                    i = tail.next.unwrap_or(i + 2);
                    continue;
                }
            }
            if n == "dozen" {
                let tail = r.tail(i + 1, 12.0, false);
                push(
                    &mut out,
                    &mut last_end,
                    t.start,
                    12.0 * tail.factor,
                    &tail,
                    tokens[i + 1].end,
                );
                i = tail.next.unwrap_or(i + 2);
                continue;
            }
            if let Some(tail) = r.unit_after(i + 1, 1.0) {
                let sym = tail.unit.as_deref().unwrap_or("");
                let measure = matches!(
                    sym,
                    "mi" | "km" | "m" | "ft" | "kg" | "lb" | "t" | "ha" | "acre" | "L" | "gal" | "mm" | "cm"
                );
                let duration = TIME_UNITS.contains(&sym) && n != "second";
                if (measure || duration) && !rate {
                    push(&mut out, &mut last_end, t.start, tail.factor, &tail, tokens[i + 1].end);
                    i = tail.next.unwrap_or(i + 2);
                    continue;
                }
            }
            // "a third of", "a quarter of".
            if r.word(i + 2) == "of" {
                let frac = match n {
                    "third" => Some(1.0 / 3.0),
                    "quarter" => Some(0.25),
                    "fifth" => Some(0.2),
                    _ => None,
                };
                if let Some(v) = frac {
                    out.push(Found {
                        start: t.start,
                        end: tokens[i + 1].end,
                        value: v,
                        unit: None,
                        counted: None,
                        si: None,
                    });
                    last_end = tokens[i + 1].end;
                    i += 2;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        // "About half of …" (not "the first half of").
        if w == "half"
            && r.word(i + 1) == "of"
            && !matches!(
                prev,
                "a" | "the" | "first" | "second" | "last" | "latter" | "other" | "one" | "and"
            )
        {
            out.push(Found {
                start: t.start,
                end: t.end,
                value: 0.5,
                unit: None,
                counted: None,
                si: None,
            });
            last_end = t.end;
            i += 1;
            continue;
        }
        // Hyphenated: "880-mile", "2,500-year-old", "30-60", "one-to-seven", "two-thirds".
        if t.text.contains('-') && !t.text.ends_with("-and-a-half") {
            if let Some(consumed) = compound(&r, i, &mut out, &mut last_end) {
                i = consumed;
                continue;
            }
        }
        // The number itself.
        let currency = r.currency_before(i);
        let mut value = match digits_number(t.text) {
            Some(v) => v,
            None => match glued_scale(t.text).filter(|_| currency.is_some()) {
                Some(v) => v,
                None => {
                    // "N500m": the naira sign written as a letter, with a scale.
                    match t.text.strip_prefix('N').and_then(glued_scale) {
                        Some(v) if t.text.len() > 2 => {
                            let tail = Tail {
                                unit: Some("NGN".into()),
                                factor: 1.0,
                                ..Tail::default()
                            };
                            push(&mut out, &mut last_end, t.start, v, &tail, t.end);
                            i += 1;
                            continue;
                        }
                        _ => match word_number(w) {
                            Some(v) => v,
                            None => {
                                i += 1;
                                continue;
                            }
                        },
                    }
                }
            },
        };
        let start = t.start;
        let is_word_number = !t.is_number();
        // Emergency numbers: "911 calls", "dial 999".
        if matches!(t.text, "911" | "999" | "112")
            && (CALL_WORDS.contains(&r.word(i + 1)) || CALL_WORDS.contains(&prev) || r.word(i + 1) == "emergency")
        {
            i += 1;
            continue;
        }
        // "one" as a pronoun, "one of …", a rank ("the number one buyer"),
        // an idiom ("at one point") or the first of a contrast ("from one room
        // … to another") is not a count.
        let contrast = || {
            tokens[i + 1..]
                .iter()
                .take(25)
                .any(|x| x.text.eq_ignore_ascii_case("another"))
        };
        if w == "one"
            && (r.word(i + 1) == "of"
                || r.word(i + 1) == "another"
                || matches!(r.word(i + 1), "point" | "way" | "hand" | "side" | "thing" | "time")
                || matches!(
                    prev,
                    "no" | "any" | "every" | "some" | "each" | "the" | "this" | "that" | "which" | "number" | "no."
                )
                || contrast())
        {
            i += 1;
            continue;
        }
        let (unit_from_currency, start) = match &currency {
            Some((code, k)) => (Some(code.clone()), tokens[*k].start),
            None => (None, start),
        };
        let mut last = i;
        // "two million", "Rs 24 lakh", "$6.5 million".
        if let Some(s) = scale(r.word(i + 1)) {
            value *= s;
            last = i + 1;
        } else if currency.is_some() && matches!(r.word(i + 1), "m" | "k" | "b") && r.adjacent(i, i + 1) {
            value *= match r.word(i + 1) {
                "m" => 1e6,
                "k" => 1e3,
                _ => 1e9,
            };
            last = i + 1;
        }
        if currency.is_some() {
            let tail = r.tail(last, value, true);
            let unit = match &tail.unit {
                Some(per) if per.starts_with('/') => unit_from_currency.map(|c| format!("{c}{per}")),
                _ => unit_from_currency,
            };
            let tail = Tail { unit, ..tail };
            push(&mut out, &mut last_end, start, value, &tail, tokens[last].end);
            i = tail.next.unwrap_or(last + 1);
            continue;
        }
        let mut tail = r.tail(last, value, false);
        // A range: "242 to 330 passengers", "four or five times": the first
        // number keeps its bare span and takes the second's unit and noun.
        if tail.unit.is_none() && tail.counted.is_none() {
            let conn = r.word(last + 1);
            let between = matches!(conn, "to" | "or" | "-" | "\u{2013}") || (conn == "and" && prev == "between");
            if between {
                let k = last + 2;
                if let Some(second) = tokens.get(k).map(|x| x.text.to_lowercase()) {
                    let v2 = digits_number(&second).or_else(|| word_number(&second));
                    if let Some(v2) = v2 {
                        let mut l2 = k;
                        if scale(r.word(k + 1)).is_some() {
                            l2 = k + 1;
                        }
                        let t2 = r.tail(l2, v2, false);
                        if t2.unit.is_some() || t2.counted.is_some() {
                            tail = Tail {
                                unit: t2.unit,
                                si_unit: t2.si_unit,
                                counted: t2.counted,
                                factor: t2.factor,
                                ..Tail::default()
                            };
                            if scale(r.word(l2)).is_some() && l2 > k && last == i {
                                // "$40-50 billion" style scales apply to both.
                                value *= scale(r.word(l2)).unwrap_or(1.0);
                            }
                        }
                    }
                }
            }
        }
        let bare = tail.unit.is_none() && tail.counted.is_none() && !tail.phrase;
        if bare {
            // Bare word numbers are figures only where a count clearly stands
            // alone ("All but four have", "two to Biman …").
            if is_word_number {
                let next = r.word(last + 1);
                let standalone = value >= 2.0
                    && !matches!(
                        prev,
                        "the" | "these" | "those" | "both" | "all" | "of" | "its" | "their"
                    )
                    && (matches!(
                        next,
                        "," | "." | ";" | ":" | "to" | "have" | "had" | "were" | "are" | "remain" | "died"
                    ) || tokens.get(last + 1).is_none());
                if !standalone {
                    i += 1;
                    continue;
                }
            } else if r.is_label(i, value) {
                i += 1;
                continue;
            }
        } else if tail.unit.as_deref() == Some("year") && value <= 120.0 && r.word(tail.next.unwrap_or(0)) == "old" {
            // "51 years old": an age.
            i = tail.next.unwrap_or(i + 1) + 1;
            continue;
        }
        push(
            &mut out,
            &mut last_end,
            start,
            value * tail.factor,
            &tail,
            tokens[last].end,
        );
        i = match tail.partitive_at {
            Some(k) => k,
            None => tail.next.unwrap_or(last + 1),
        };
    }
    out
}

fn push(out: &mut Vec<Found>, last_end: &mut usize, start: usize, value: f64, tail: &Tail, bare_end: usize) {
    let end = tail.end.unwrap_or(bare_end);
    out.push(Found {
        start,
        end,
        value,
        unit: tail.unit.clone(),
        counted: tail.counted.clone(),
        si: tail.si_unit.map(|(f, u)| (round(value * f), u)),
    });
    *last_end = end;
}

/// A hyphenated token starting with a number: a measure ("880-mile"), an age
/// or the age of a thing ("2,500-year-old"), a range ("30-60", "one-to-seven")
/// or a fraction ("two-thirds"). Returns the token index to continue from, or
/// None when the token is not one of these.
fn compound(r: &Reader<'_, '_>, i: usize, out: &mut Vec<Found>, last_end: &mut usize) -> Option<usize> {
    let t = &r.tokens[i];
    let (left, right) = r.word(i).split_once('-')?;
    let left_value = digits_number(left).or_else(|| word_number(left))?;
    let left_end = t.start + left.len();
    // Fractions: "two-thirds of".
    let frac = match right {
        "third" | "thirds" => Some(3.0),
        "quarter" | "quarters" => Some(4.0),
        "fifth" | "fifths" => Some(5.0),
        _ => None,
    };
    if let Some(d) = frac {
        out.push(Found {
            start: t.start,
            end: t.end,
            value: left_value / d,
            unit: None,
            counted: None,
            si: None,
        });
        *last_end = t.end;
        return Some(i + 1);
    }
    // Ranges inside one token: "30-60 per cent", "one-to-seven days", "30-600 MW".
    let right_num = right.strip_prefix("to-").unwrap_or(right);
    if let Some(right_value) = digits_number(right_num).or_else(|| word_number(right_num)) {
        // Scores and model numbers: "won 3-1", "787-9".
        if right_value <= left_value {
            return Some(i + 1);
        }
        let tail = r.tail(i, right_value, false);
        let second_start = t.end - right_num.len();
        if tail.unit.is_none() && tail.counted.is_none() {
            // A bare range of small numbers is a score or an identifier.
            return Some(i + 1);
        }
        out.push(Found {
            start: t.start,
            end: left_end,
            value: left_value,
            unit: tail.unit.clone(),
            counted: tail.counted.clone(),
            si: tail.si_unit.map(|(f, u)| (round(left_value * f), u)),
        });
        push(out, last_end, second_start, right_value * tail.factor, &tail, t.end);
        return Some(tail.next.unwrap_or(i + 1));
    }
    // Measures and durations: "880-mile", "48-hour", "five-year", "2,500-year-old".
    let (unit_word, old) = match right.strip_suffix("-old") {
        Some(u) => (u, true),
        None => (right, false),
    };
    if let Some((sym, si)) = unit(unit_word) {
        if old && sym == "year" {
            // A person's age is not a figure; a thing's age is a duration.
            let next = r.word(i + 1);
            let thing = AGED_THINGS.contains(&next) || left_value > 130.0;
            if !thing {
                return Some(i + 1);
            }
        } else if old {
            return Some(i + 1);
        }
        if sym == "in" && unit_word.starts_with("calib") && left_value >= 1.0 {
            return Some(i + 1);
        }
        let (start, value) = (t.start, left_value);
        let tail = Tail {
            unit: Some(sym.into()),
            si_unit: si,
            end: Some(t.end),
            next: Some(i + 1),
            factor: 1.0,
            ..Tail::default()
        };
        push(out, last_end, start, value, &tail, t.end);
        return Some(i + 1);
    }
    // "10,000-mark", "50-plus": the number alone.
    if matches!(right, "mark" | "plus" | "odd" | "something") {
        out.push(Found {
            start: t.start,
            end: left_end,
            value: left_value,
            unit: None,
            counted: None,
            si: None,
        });
        *last_end = left_end;
        return Some(i + 1);
    }
    // "190-country", "two-class": a counted noun glued to the number.
    let right_written = &t.text[left.len() + 1..];
    if right_written.chars().all(|c| c.is_ascii_lowercase())
        && left != "zero"
        && right.len() > 2
        && !matches!(
            right,
            "time" | "off" | "way" | "fold" | "odd" | "plus" | "something" | "point" | "star" | "run" | "man" | "woman"
        )
        && !right.ends_with("ly")
        && !right.ends_with("ed")
    {
        // "10,000-mark" is counted "mark" by the same rule; a word-number
        // compound needs a noun ("two-class") and leaves "one-sided" alone.
        let tail = Tail {
            counted: Some(t.text[left.len() + 1..].to_string()),
            end: Some(t.end),
            next: Some(i + 1),
            factor: 1.0,
            ..Tail::default()
        };
        push(out, last_end, t.start, left_value, &tail, t.end);
        return Some(i + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    type Q = (String, f64, Option<String>, Option<String>);

    fn q(text: &str) -> Vec<Q> {
        let toks = tokenize(text);
        find(text, &toks, &[], "USD")
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.value, f.unit, f.counted))
            .collect()
    }

    fn one(text: &str, value: f64, unit: Option<&str>, counted: Option<&str>) -> Q {
        (
            text.into(),
            value,
            unit.map(str::to_string),
            counted.map(str::to_string),
        )
    }

    #[test]
    fn the_example_reprint_figures() {
        assert_eq!(
            q("closed their 880-mile border"),
            [one("880-mile", 880.0, Some("mi"), None)]
        );
        assert_eq!(
            q("gold worth about U.S. $6.5 million into China"),
            [one("U.S. $6.5 million", 6_500_000.0, Some("USD"), None)]
        );
        assert_eq!(
            q("the entire city of 200,000, allowing none"),
            [one("200,000", 200_000.0, None, None)]
        );
        assert_eq!(
            q("six civilians were involved"),
            [one("six civilians", 6.0, None, Some("civilians"))]
        );
        assert_eq!(
            q("within a kilometer (0.6 miles) of the border"),
            [
                one("a kilometer", 1.0, Some("km"), None),
                one("0.6 miles", 0.6, Some("mi"), None)
            ]
        );
        assert_eq!(
            q("over five previous trips."),
            [one("five previous trips", 5.0, None, Some("trips"))]
        );
    }

    #[test]
    fn counted_things_are_not_units() {
        assert_eq!(
            q("Two United States service members have been killed"),
            [one("Two United States service members", 2.0, None, Some("members"))]
        );
        assert_eq!(
            q("for three of its commanders held by"),
            [one("three of its commanders", 3.0, None, Some("commanders"))]
        );
        assert_eq!(
            q("including one woman, were deported"),
            [one("one woman", 1.0, None, Some("woman"))]
        );
        assert_eq!(
            q("1,000 maintenance and cleaning workers will"),
            [one(
                "1,000 maintenance and cleaning workers",
                1000.0,
                None,
                Some("workers")
            )]
        );
        assert_eq!(
            q("seating 242 to 330 passengers"),
            [
                one("242", 242.0, None, Some("passengers")),
                one("330 passengers", 330.0, None, Some("passengers"))
            ]
        );
        assert_eq!(
            q("in four of the last six summers, leaving"),
            [
                one("four of the last six summers", 4.0, None, Some("summers")),
                one("six summers", 6.0, None, Some("summers"))
            ]
        );
    }

    #[test]
    fn durations_use_time_units() {
        assert_eq!(q("a 48-hour strike"), [one("48-hour", 48.0, Some("hour"), None)]);
        assert_eq!(q("after 18 years in"), [one("18 years", 18.0, Some("year"), None)]);
        assert_eq!(q("within a fortnight."), [one("a fortnight", 2.0, Some("week"), None)]);
        assert_eq!(q("the crash came a day after"), [one("a day", 1.0, Some("day"), None)]);
        // A rate's "an hour" is not a figure of its own.
        assert_eq!(q("one boat an hour"), [one("one boat", 1.0, None, Some("boat"))]);
        assert_eq!(
            q("spent $53 million a week"),
            [one("$53 million", 53_000_000.0, Some("USD"), None)]
        );
        assert_eq!(
            q("The 2,500-year-old lost city"),
            [one("2,500-year-old", 2500.0, Some("year"), None)]
        );
    }

    #[test]
    fn measures_currencies_and_ranges() {
        let toks = tokenize("the 880-mile border");
        let f = &find("the 880-mile border", &toks, &[], "USD")[0];
        assert_eq!(f.si, Some((1416.22, "km")));
        assert_eq!(q("rose 12 percent"), [one("12 percent", 12.0, Some("%"), None)]);
        assert_eq!(q("fell 3.5 per cent"), [one("3.5 per cent", 3.5, Some("%"), None)]);
        assert_eq!(
            q("up three percentage points"),
            [one("three percentage points", 3.0, Some("%"), None)]
        );
        assert_eq!(
            q("cost 40 million euros"),
            [one("40 million euros", 40_000_000.0, Some("EUR"), None)]
        );
        assert_eq!(
            q("\u{20ac}2.5bn in aid"),
            [one("\u{20ac}2.5bn", 2_500_000_000.0, Some("EUR"), None)]
        );
        assert_eq!(q("a $10m fine"), [one("$10m", 10_000_000.0, Some("USD"), None)]);
        assert_eq!(
            q("spent Rs 24 lakh in"),
            [one("Rs 24 lakh", 2_400_000.0, Some("INR"), None)]
        );
        assert_eq!(
            q("the sum of N500m only"),
            [one("N500m", 500_000_000.0, Some("NGN"), None)]
        );
        assert_eq!(q("winds of 55 mph"), [one("55 mph", 55.0, Some("mph"), None)]);
        assert_eq!(q("gusts of 88.5 kph"), [one("88.5 kph", 88.5, Some("km/h"), None)]);
        assert_eq!(q("installed 8.69 GW"), [one("8.69 GW", 8.69, Some("GW"), None)]);
        assert_eq!(q("from $0.23/W today"), [one("$0.23/W", 0.23, Some("USD/W"), None)]);
        assert_eq!(
            q("a 30-60 per cent chance"),
            [
                one("30", 30.0, Some("%"), None),
                one("60 per cent", 60.0, Some("%"), None)
            ]
        );
        assert_eq!(
            q("a period of one-to-seven days"),
            [
                one("one", 1.0, Some("day"), None),
                one("seven days", 7.0, Some("day"), None)
            ]
        );
        assert_eq!(
            q("a loaded .45-caliber handgun"),
            [one(".45-caliber", 0.45, Some("in"), None)]
        );
        let toks = tokenize("rents of $3,500");
        assert_eq!(
            find("rents of $3,500", &toks, &[], "CAD")[0].unit.as_deref(),
            Some("CAD")
        );
        assert_eq!(q("4.5 billion Hong Kong dollars")[0].2.as_deref(), Some("HKD"));
    }

    #[test]
    fn what_is_not_a_figure() {
        // Ages.
        assert!(q("said Hollis Penberthy, 64, who runs").is_empty());
        assert!(q("Ryan S. Hollman 31, of Hope").is_empty());
        assert!(q("a 34-year-old man was").is_empty());
        assert!(q("Roof, who was 21 at the time").is_empty());
        // Phone and emergency numbers.
        assert!(q("call the line on 01632 960418.").is_empty());
        assert!(q("cannot make 911 calls").is_empty());
        // House numbers.
        assert!(q("Burton, 57, of 3170 W. County Road 600S, a").is_empty());
        assert!(q("a garage behind 2134 Caldwell Place.").is_empty());
        // Identifiers, models, scores, clock times, eras, dates.
        assert!(q("with Number FHC/ABJ/03/095/2018, was filed").is_empty());
        assert!(q("its popular 737 Max jet").is_empty());
        assert!(q("arrested on Interstate 10 when").is_empty());
        assert!(q("Japan's Nikkei 225 (N225) declined").is_empty());
        assert!(q("The club won 3-1 on Sunday").is_empty());
        assert!(q("at a 12 p.m. rally").is_empty());
        assert!(q("dates back to 5,316 BCE and").is_empty());
        assert!(q("between October 11 and 13, is").is_empty());
        assert!(q("the 777 program has faced delays").is_empty());
        // Pronoun "one" and "one of".
        assert!(q("no one spoke; one of the first").is_empty());
    }

    #[test]
    fn years_claimed_by_times_are_skipped() {
        let text = "in 2019 some 300 people";
        let toks = tokenize(text);
        let got: Vec<String> = find(text, &toks, &[(3, 7)], "USD")
            .into_iter()
            .map(|f| text[f.start..f.end].to_string())
            .collect();
        assert_eq!(got, ["300 people"]);
    }
}
