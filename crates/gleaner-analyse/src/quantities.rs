//! Reported figures: numbers in digits or words, with scales ("million"),
//! currencies ("U.S. $", "euros"), units ("880-mile", "a kilometer") or the
//! things counted ("six civilians"), converted to SI where the unit converts.

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
    /// Unit, currency code or counted noun.
    pub unit: Option<String>,
    /// Value and unit in SI, for units that convert.
    pub si: Option<(f64, &'static str)>,
}

/// A unit: the words that name it, its symbol, and its SI factor and unit.
type Unit = (&'static [&'static str], &'static str, Option<(f64, &'static str)>);

/// Units by the words that name them.
const UNITS: &[Unit] = &[
    (&["mile", "miles", "mi"], "mi", Some((1.609_344, "km"))),
    (
        &["kilometer", "kilometers", "kilometre", "kilometres", "km"],
        "km",
        None,
    ),
    (&["meter", "meters", "metre", "metres"], "m", None),
    (&["foot", "feet", "ft"], "ft", Some((0.3048, "m"))),
    (&["inch", "inches"], "in", Some((0.0254, "m"))),
    (&["yard", "yards"], "yd", Some((0.9144, "m"))),
    (
        &["kilogram", "kilograms", "kilogramme", "kilogrammes", "kg"],
        "kg",
        None,
    ),
    (&["pound", "pounds", "lb", "lbs"], "lb", Some((0.453_592_37, "kg"))),
    (&["ton", "tons", "tonne", "tonnes"], "t", Some((1000.0, "kg"))),
    (&["gram", "grams", "g"], "g", Some((0.001, "kg"))),
    (&["hectare", "hectares"], "ha", Some((10_000.0, "m2"))),
    (&["acre", "acres"], "acre", Some((4_046.856_422_4, "m2"))),
    (&["liter", "liters", "litre", "litres"], "L", Some((0.001, "m3"))),
    (&["gallon", "gallons"], "gal", Some((0.003_785_411_784, "m3"))),
    (&["barrel", "barrels"], "bbl", Some((0.158_987_294_928, "m3"))),
    (&["percent", "per cent", "%"], "%", None),
    (&["degree", "degrees"], "deg", None),
    (&["second", "seconds"], "s", None),
    (&["minute", "minutes"], "min", Some((60.0, "s"))),
    (&["hour", "hours"], "h", Some((3600.0, "s"))),
    (&["day", "days"], "d", Some((86_400.0, "s"))),
    (&["week", "weeks"], "wk", None),
    (&["month", "months"], "mo", None),
    (&["year", "years"], "yr", None),
];

/// Currencies by the symbols and words that name them.
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("won", "KRW"),
    ("rupee", "INR"),
    ("rupees", "INR"),
    ("ruble", "RUB"),
    ("rubles", "RUB"),
    ("rouble", "RUB"),
    ("roubles", "RUB"),
    ("hryvnia", "UAH"),
    ("hryvnias", "UAH"),
    ("naira", "NGN"),
    ("rand", "ZAR"),
    ("lira", "TRY"),
    ("pesos", "MXN"),
    ("francs", "CHF"),
    ("reais", "BRL"),
    ("real", "BRL"),
    ("riyals", "SAR"),
    ("dirhams", "AED"),
    ("shekels", "ILS"),
    ("taka", "BDT"),
];

const SYMBOLS: &[(&str, &str)] = &[
    ("$", "USD"),
    ("\u{20ac}", "EUR"),
    ("\u{a3}", "GBP"),
    ("\u{a5}", "JPY"),
    ("\u{20a9}", "KRW"),
    ("\u{20b9}", "INR"),
    ("\u{20bd}", "RUB"),
];

const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("trillion", 1e12),
    ("mn", 1e6),
    ("bn", 1e9),
    ("m", 1e6),
    ("k", 1e3),
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

/// Words that name a unit (used by the time finder to leave "2019 people" alone).
pub fn is_unit_word(w: &str) -> bool {
    unit(w).is_some()
}

fn unit(w: &str) -> Option<(&'static str, Option<(f64, &'static str)>)> {
    UNITS
        .iter()
        .find(|(words, _, _)| words.contains(&w))
        .map(|&(_, sym, si)| (sym, si))
}

fn word_number(w: &str) -> Option<f64> {
    if let Some(i) = ONES.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|x| !x.is_empty() && *x == w) {
        return Some((i * 10) as f64);
    }
    if let Some((t, o)) = w.split_once('-') {
        let tens = TENS.iter().position(|x| !x.is_empty() && *x == t)?;
        let ones = ONES.iter().position(|x| *x == o).filter(|&o| (1..10).contains(&o))?;
        return Some((tens * 10 + ones) as f64);
    }
    match w {
        "dozen" => Some(12.0),
        _ => None,
    }
}

fn digits_number(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let cleaned: String = w.chars().filter(|c| *c != ',').collect();
    cleaned.parse().ok()
}

/// Nouns that are counted, not measured, when a number stands before them:
/// any lowercase plural is taken; these irregular plurals too.
fn counted_noun(w: &str) -> bool {
    let irregular = [
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
        "troops",
    ];
    if irregular.contains(&w) {
        return true;
    }
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && w.chars().all(|c| c.is_ascii_lowercase())
        && ![
            "its", "was", "has", "is", "this", "thus", "plus", "minus", "times", "across", "less", "unless",
            "previous", "various", "serious", "famous",
        ]
        .contains(&w)
}

/// Finds quantities among `tokens`, skipping byte ranges `taken` by times.
pub fn find(tokens: &[Token<'_>], taken: &[(usize, usize)]) -> Vec<Found> {
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let is_taken = |t: &Token| taken.iter().any(|&(s, e)| t.start < e && s < t.end);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if is_taken(t) {
            i += 1;
            continue;
        }
        let w = lower[i].as_str();
        // "a kilometer", "an hour": one of the unit.
        if matches!(w, "a" | "an") {
            if let Some(next) = lower.get(i + 1) {
                if let Some((sym, si)) = unit(next).filter(|(s, _)| {
                    matches!(
                        *s,
                        "mi" | "km" | "m" | "ft" | "kg" | "lb" | "t" | "ha" | "acre" | "L" | "gal"
                    )
                }) {
                    out.push(Found {
                        start: t.start,
                        end: tokens[i + 1].end,
                        value: 1.0,
                        unit: Some(sym.into()),
                        si: si.map(|(f, u)| (round(f), u)),
                    });
                    i += 2;
                    continue;
                }
            }
        }
        // Compound "880-mile", "10-year", "48-hour".
        if let Some((num, rest)) = t.text.split_once('-') {
            if let (Some(v), Some((sym, si))) = (digits_number(num), unit(&rest.to_lowercase())) {
                out.push(Found {
                    start: t.start,
                    end: t.end,
                    value: v,
                    unit: Some(sym.into()),
                    si: si.map(|(f, u)| (round(v * f), u)),
                });
                i += 1;
                continue;
            }
        }
        // Currency before: "$", "U.S. $", "US$", "€".
        let mut currency: Option<&str> = None;
        let mut start = t.start;
        if i > 0 {
            if let Some(&(_, code)) = SYMBOLS
                .iter()
                .find(|(s, _)| tokens[i - 1].text == *s && tokens[i - 1].end == t.start)
            {
                currency = Some(code);
                start = tokens[i - 1].start;
                if i > 1 && matches!(tokens[i - 2].text, "U.S." | "US" | "USD") {
                    start = tokens[i - 2].start;
                }
            }
        }
        // "$10m", "€2.5bn": a scale glued to an amount of money.
        let base = digits_number(w)
            .or_else(|| currency.and_then(|_| glued_scale(w)))
            .or_else(|| word_number(w));
        let Some(mut value) = base else {
            i += 1;
            continue;
        };
        let is_word_number = !w.starts_with(|c: char| c.is_ascii_digit());
        // Skip "one" as a pronoun ("one of the soldiers" is still a count; "no one" is not).
        if w == "one"
            && i > 0
            && matches!(
                lower[i - 1].as_str(),
                "no" | "any" | "every" | "some" | "each" | "the" | "this" | "that"
            )
        {
            i += 1;
            continue;
        }
        let mut end = t.end;
        let mut j = i + 1;
        // "a hundred" / "two million".
        if let Some(&(_, scale)) = lower.get(j).and_then(|n| SCALES.iter().find(|(s, _)| s == n)) {
            let symbolic = matches!(lower[j].as_str(), "m" | "k" | "mn" | "bn");
            if !symbolic || currency.is_some() {
                value *= scale;
                end = tokens[j].end;
                j += 1;
            }
        }
        let mut unit_name: Option<String> = currency.map(str::to_string);
        let mut si = None;
        if unit_name.is_none() {
            if let Some(next) = lower.get(j) {
                if let Some(&(_, code)) = CURRENCY_WORDS.iter().find(|(cw, _)| cw == next) {
                    unit_name = Some(code.into());
                    end = tokens[j].end;
                    j += 1;
                } else if next == "per" && lower.get(j + 1).is_some_and(|c| c == "cent") {
                    unit_name = Some("%".into());
                    end = tokens[j + 1].end;
                    j += 2;
                } else if let Some((sym, conv)) = unit(next) {
                    unit_name = Some(sym.into());
                    si = conv.map(|(f, u)| (round(value * f), u));
                    end = tokens[j].end;
                    j += 1;
                } else if counted_noun(next) {
                    unit_name = Some(next.clone());
                    end = tokens[j].end;
                    j += 1;
                }
            }
        }
        // Bare word numbers ("one", "two") without a unit or noun are too
        // often not figures, and "the two sides" refers rather than reports.
        let referring = i > 0 && matches!(lower[i - 1].as_str(), "the" | "these" | "those" | "both" | "all");
        if is_word_number && (unit_name.is_none() || referring) {
            i += 1;
            continue;
        }
        out.push(Found {
            start,
            end,
            value,
            unit: unit_name,
            si,
        });
        i = j;
    }
    out
}

fn glued_scale(w: &str) -> Option<f64> {
    for (suffix, scale) in [("bn", 1e9), ("mn", 1e6), ("m", 1e6), ("k", 1e3), ("b", 1e9)] {
        if let Some(num) = w.strip_suffix(suffix) {
            if let Some(v) = digits_number(num) {
                return Some(v * scale);
            }
        }
    }
    None
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn q(text: &str) -> Vec<(String, f64, Option<String>)> {
        let toks = tokenize(text);
        find(&toks, &[])
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.value, f.unit))
            .collect()
    }

    #[test]
    fn the_example_reprint_figures() {
        assert_eq!(
            q("closed their 880-mile border"),
            [("880-mile".into(), 880.0, Some("mi".into()))]
        );
        assert_eq!(
            q("gold worth about U.S. $6.5 million into China"),
            [("U.S. $6.5 million".into(), 6_500_000.0, Some("USD".into()))]
        );
        assert_eq!(
            q("the entire city of 200,000, allowing none"),
            [("200,000".into(), 200_000.0, None)]
        );
        assert_eq!(
            q("six civilians were involved"),
            [("six civilians".into(), 6.0, Some("civilians".into()))]
        );
        assert_eq!(
            q("after two members of the military"),
            [("two members".into(), 2.0, Some("members".into()))]
        );
        assert_eq!(
            q("within a kilometer (0.6 miles) of the border"),
            [
                ("a kilometer".into(), 1.0, Some("km".into())),
                ("0.6 miles".into(), 0.6, Some("mi".into()))
            ]
        );
    }

    #[test]
    fn si_conversion_and_other_forms() {
        let toks = tokenize("the 880-mile border");
        let f = &find(&toks, &[])[0];
        assert_eq!(f.si, Some((1416.2, "km")));
        assert_eq!(q("rose 12 percent"), [("12 percent".into(), 12.0, Some("%".into()))]);
        assert_eq!(q("fell 3.5 per cent"), [("3.5 per cent".into(), 3.5, Some("%".into()))]);
        assert_eq!(
            q("cost 40 million euros"),
            [("40 million euros".into(), 40_000_000.0, Some("EUR".into()))]
        );
        assert_eq!(
            q("\u{20ac}2.5bn in aid"),
            [("\u{20ac}2.5bn".into(), 2_500_000_000.0, Some("EUR".into()))]
        );
        assert_eq!(q("a $10m fine"), [("$10m".into(), 10_000_000.0, Some("USD".into()))]);
        assert!(q("the two sides met and no one spoke").is_empty());
    }

    #[test]
    fn years_claimed_by_times_are_skipped() {
        let text = "in 2019 some 300 people";
        let toks = tokenize(text);
        let taken = [(3, 7)];
        let got: Vec<String> = find(&toks, &taken)
            .into_iter()
            .map(|f| text[f.start..f.end].to_string())
            .collect();
        assert_eq!(got, ["300 people"]);
    }
}
