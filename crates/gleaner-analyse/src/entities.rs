//! People, organisations, places and groups.
//!
//! Candidates are runs of capitalised words (with inner "of", "the", "al-"
//! and the like). Each is classified by, in order: demonyms (GROUP, with the
//! country linked), the gazetteer (PLACE, resolved to one place using the
//! countries and regions the article names and population as a prior),
//! organisation cue words and acronyms (ORG), person cues (titles before,
//! "said" after, or two-to-four name-like words: PERSON). A run that ends in
//! an English word that is never a name (`data/common-words.txt`, from SCOWL:
//! "Black Death", "Full Fact") is no PERSON; a word with a capital inside
//! ("WeWork") is an ORG; named structures (airports, prisons, bridges) are
//! places. Later mentions of a person's surname ("Kim"), or of the first part
//! of a family-name-first name ("Xi"), are the same PERSON. A capitalised epithet that
//! the text says refers to a person ("the Highest Dignity … to refer to
//! North Korean leader Kim Jong Un") is a PERSON.
//!
//! The statistical tagger ([`crate::tagger`]) then works beside the rules
//! ([`Mode`]; [`DEFAULT_MODE`] combines them): a name it finds that no rule
//! span touches is added when its margin is at least 50 ("Ottertail and
//! Wabasha counties"), and a rule's name of exactly the same span is retyped
//! when the tagger gives it another type with a margin of at least 120
//! (GROUPs are never retyped). Both margins were chosen on the development
//! part of the gold set, where the range 40–60 / 100–150 scores the same.

use std::sync::OnceLock;

use crate::gazetteer::{Gazetteer, Kind};
use crate::tokens::Token;

/// A found entity (byte span).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Span start.
    pub start: usize,
    /// Span end.
    pub end: usize,
    /// PERSON, ORG, PLACE or GROUP.
    pub label: &'static str,
    /// The resolved place (PLACE) or the linked country (GROUP).
    pub place: Option<u32>,
    /// For an epithet, the byte span of the name it refers to.
    pub refers_to: Option<(usize, usize)>,
    /// The rules' type is a guess between readings they cannot tell apart
    /// ("Muriel Spark": a given name before an English word, a person or a
    /// company), which the tagger may overrule at the margin it needs to add
    /// a name rather than the one it needs to retype a rule's.
    guess: bool,
}

impl Found {
    /// A name found at `start..end`, linked to no other name.
    fn named(start: usize, end: usize, label: &'static str, place: Option<u32>) -> Self {
        Found {
            start,
            end,
            label,
            place,
            refers_to: None,
            guess: false,
        }
    }
}

/// Organisations named by a common word: parties in the plural, a
/// country's armed services ("the Conservatives", "the Navy", "Amnesty").
const ORG_NAMES: &[&str] = &[
    "amnesty",
    // The US central bank's short name ("the Fed raised rates", "the Kansas
    // City Fed"): "fed" is written small as a verb.
    "fed",
    "telegram",
    "conservatives",
    "liberals",
    "socialists",
    "army",
    "navy",
    "militia",
];

/// Lowercase nouns for a kind of organisation: a name right after one is
/// that organisation, whatever its words ("the research firm Oanda", "the
/// flagship carrier Emirates", "the fact-checking website Full Fact", "the
/// bank Santander"), unless it reads as a person's.
const ORG_KINDS: &[&str] = &[
    "airline",
    "automaker",
    "bank",
    "broadcaster",
    "carmaker",
    "carrier",
    "charity",
    "company",
    "conglomerate",
    "consultancy",
    "firm",
    "giant",
    "insurer",
    "lender",
    "magazine",
    "manufacturer",
    "newspaper",
    "nonprofit",
    "non-profit",
    "organisation",
    "organization",
    "outlet",
    "publisher",
    "regulator",
    "retailer",
    "startup",
    "start-up",
    "tabloid",
    "watchdog",
    "website",
];

/// Words after a name that say it acts or speaks as a body ("the Federal
/// Reserve said", "a Border Patrol spokesman", "Sky Sports reported").
const BODY_AFTER: &[&str] = &[
    "said",
    "says",
    "announced",
    "reported",
    "reports",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "economists",
    "analysts",
    "researchers",
];

/// Last words of named structures, which are places (not institutions).
const STRUCTURES: &[&str] = &[
    "airport",
    "bridge",
    "prison",
    "jail",
    "embassy",
    "stadium",
    "hotel",
    "station",
    "tower",
    "arena",
    "palace",
    // Venues: a concert's or a race's place, not its organiser.
    "auditorium",
    "amphitheatre",
    "amphitheater",
    "pavilion",
    "coliseum",
    "colosseum",
    "ballpark",
    "speedway",
    "raceway",
    "racecourse",
    "velodrome",
    "theater",
    "theatre",
];

/// Words before "Center" that make it a venue ("Music Center").
const VENUE_CENTRES: &[&str] = &[
    "music",
    "arts",
    "convention",
    "conference",
    "events",
    "event",
    "exhibition",
    "expo",
    "shopping",
    "trade",
    "performing",
];

/// Last words of the names of events, competitions, wars and laws ("Davis
/// Cup", "Dubai Air Show", "Cold War"), which are not entities.
const EVENT_LAST: &[&str] = &[
    "cup",
    "finals",
    "olympics",
    "paralympics",
    "show",
    "championship",
    "championships",
    "tournament",
    "festival",
    "expo",
    "awards",
    "prix",
    "marathon",
    // Laws and treaties ("Logan Act", "First Amendment", "Abraham Accords"),
    // which the conventions leave untagged like events.
    "act",
    "amendment",
    "accords",
    "treaty",
    // Wars ("Cold War", "Korean War", "World War II" with its ordinal set
    // aside by `names_an_event`).
    "war",
];

/// Brands among the organisation words, which also open a product's name
/// ("Google Stadia", "Apple TV").
const BRANDS: &[&str] = &[
    "Google",
    "Apple",
    "Microsoft",
    "Amazon",
    "Facebook",
    "Twitter",
    "Boeing",
    "Airbus",
];

/// Last words of newspapers' names after a place or a people ("Jamaica
/// Gleaner", "Trinidad Express", "China Daily"); alone they are English
/// words, so they name a paper only in that company.
const MASTHEADS: &[&str] = &[
    "Observer",
    "Inquirer",
    "Enquirer",
    "Gleaner",
    "Advocate",
    "Express",
    "Guardian",
    "Independent",
    "Standard",
    "Chronicle",
    "Examiner",
    "Sentinel",
    "Dispatch",
    "Bulletin",
    "Courier",
    "Register",
    "Mirror",
    "Star",
    "Sun",
    "Globe",
    "Monitor",
    "Record",
    "Echo",
    "Bee",
    "Today",
    "Daily",
    "Nation",
    "Times",
    "Post",
    "Herald",
    "Journal",
    "Telegraph",
    "Gazette",
    "Tribune",
    "Mail",
];

/// Words that end an agency's name after "and" though they name no kind of
/// body: the field it works in ("Customs and Border Protection",
/// "Immigration and Customs Enforcement", "Health and Human Services").
const AGENCY_FIELDS: &[&str] = &[
    "services",
    "protection",
    "enforcement",
    "prevention",
    "development",
    "studies",
    "research",
    "affairs",
    "resources",
    "management",
];

/// Where the fields listed after an organisation's word and "of" or "for"
/// end, when the run `a..b` holds such a word and a list goes on at `b`:
/// "Ministry of Science and Technology", "Centers for Disease Control and
/// Prevention", "Bureau of Alcohol, Tobacco, Firearms and Explosives". A
/// field is English words; a name after "and" ("Bank of England and
/// Barclays"), a title ("Ministry of Health and Education Minister …") or
/// another body's word ("Ministry of Defence and Army") starts something
/// else, and a list that never reaches its "and" joins nothing.
fn field_list_end(
    tokens: &[Token<'_>],
    a: usize,
    b: usize,
    cap_at: &dyn Fn(usize) -> bool,
    same_line: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    // English words, or words made as abstract nouns are ("Wellness",
    // "Biodiversity") when the word list lacks them.
    let english = |t: &Token| {
        let w = t.text.to_lowercase();
        let abstract_noun = [
            "ness", "ment", "tion", "sion", "ity", "ism", "ics", "ture", "ance", "ence", "ogy",
        ]
        .iter()
        .any(|s| w.len() > s.len() + 2 && w.ends_with(s));
        (british_or_english_word(t.text).is_some() || abstract_noun && !t.text.chars().skip(1).any(char::is_uppercase))
            && !is_stop(t.text)
            && !TITLES.contains(&w.as_str())
            && !OFFICES.contains(&w.as_str())
    };
    // After "and", a body's word starts another body; before it, it may be
    // a field ("Ministry of Labour and Social Security").
    let field_word = |t: &Token| english(t) && !is_org_word(t.text);
    let opened = (a..b.saturating_sub(2)).any(|h| {
        is_org_word(tokens[h].text)
            && matches!(tokens[h + 1].text, "of" | "for")
            && tokens[h + 2..b].iter().all(english)
    });
    if !opened {
        return None;
    }
    let mut k = b;
    // A bounded list: six fields are more than any body's name holds.
    for _ in 0..6 {
        if k >= tokens.len() || !same_line(k) {
            return None;
        }
        let (mut c, mut closes) = (k + 1, false);
        match tokens[k].text {
            "and" => closes = true,
            "," if tokens.get(c).is_some_and(|t| t.text == "and") && same_line(c) => {
                c += 1;
                closes = true;
            }
            "," => {}
            _ => return None,
        }
        let from = c;
        while cap_at(c) && field_word(&tokens[c]) {
            c += 1;
        }
        if c == from || cap_at(c) {
            return None;
        }
        if closes {
            return Some(c);
        }
        k = c;
    }
    None
}

/// Name prefixes before an inner capital ("McCain", "DeSantis", "O'Hare").
const NAME_PREFIXES: &[&str] = &[
    "Mc",
    "Mac",
    "De",
    "Le",
    "La",
    "Di",
    "Du",
    "Da",
    "Van",
    "Von",
    "Del",
    "Des",
    "Al",
    "El",
    "Fitz",
    "O'",
    "O\u{2019}",
    "D'",
    "St",
];

/// A word with a capital after a lowercase letter, other than after a name prefix.
fn is_camel_case(w: &str) -> bool {
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    chars
        .windows(2)
        .any(|p| p[0].1.is_lowercase() && p[1].1.is_uppercase() && !NAME_PREFIXES.contains(&&w[..p[1].0]))
        && chars.first().is_some_and(|c| c.1.is_uppercase())
}

/// Words that end or make up organisation names.
const ORG_WORDS: &[&str] = &[
    "ministry",
    "service",
    "corps",
    "committee",
    "party",
    "agency",
    // News agencies named in their own language ("Agence France-Presse").
    "agence",
    "agencia",
    "agenzia",
    "council",
    "department",
    "university",
    "inc",
    "inc.",
    // Company forms in other jurisdictions ("Unilever plc", "Brandt GmbH").
    "plc",
    "llc",
    "llp",
    "gmbh",
    "pty",
    "limited",
    "corp",
    "corp.",
    "company",
    "co.",
    "ltd",
    "bank",
    "association",
    "union",
    "army",
    "police",
    "court",
    "commission",
    "news",
    "times",
    "post",
    "radio",
    "institute",
    "foundation",
    "organization",
    "organisation",
    "group",
    "office",
    "bureau",
    "authority",
    "forces",
    // "Jamaica Constabulary Force", "Barbados Defence Force", "Quds Force".
    "force",
    "constabulary",
    "navy",
    "guard",
    "command",
    "parliament",
    "congress",
    "senate",
    "assembly",
    "government",
    "administration",
    "federation",
    "league",
    "club",
    "fund",
    "trust",
    "network",
    "press",
    "journal",
    "herald",
    "tribune",
    "gazette",
    "telegraph",
    "broadcasting",
    "television",
    "channel",
    "airlines",
    "airways",
    "motors",
    "technologies",
    "systems",
    "holdings",
    "partners",
    "capital",
    "securities",
    "exchange",
    "school",
    "college",
    "hospital",
    "center",
    "centers",
    "centres",
    "centre",
    "church",
    "brigade",
    "battalion",
    "regiment",
    "division",
    "militia",
    "front",
    "movement",
    "coalition",
    "alliance",
    "secretariat",
    "cabinet",
    "board",
    "directorate",
    "ministries",
    "fc",
    "labs",
    "media",
    "reuters",
    "bloomberg",
    "facebook",
    "google",
    "apple",
    "microsoft",
    "amazon",
    "twitter",
    "telegram",
    "academy",
    "international",
    "airline",
    "airlines",
    "nations",
    "chiefs",
    "staff",
    "institution",
    "society",
    "museum",
    "library",
    "studio",
    "studios",
    "records",
    "pictures",
    "enterprises",
    "industries",
    "electric",
    "energy",
    "petroleum",
    "oil",
    "gas",
    "telecom",
    "communications",
    "insurance",
    "pharmaceuticals",
    "democrats",
    "republicans",
    "conservatives",
    "labour",
    "tories",
    "taliban",
    "hamas",
    "hezbollah",
    "wikileaks",
    "boeing",
    "airbus",
    "amnesty",
    "fed",
    "greenpeace",
    "interpol",
    "europol",
];

/// Acronyms that name organisations.
const ORG_ACRONYMS: &[&str] = &[
    "UN", "EU", "NATO", "WHO", "RFA", "AP", "AFP", "BBC", "CNN", "FBI", "CIA", "IMF", "KCNA", "UNICEF", "WTO", "OPEC",
    "ASEAN", "NASA", "NSA", "ICC", "ICRC", "NGO", "NBC", "CBS", "ABC", "NPR", "PTI", "IAEA", "KGB", "FSB", "SEC",
    "FDA", "CDC", "EPA", "DOJ", "GOP", "ANC", "PLA", "IDF", "UNHCR", "OSCE", "G7", "G20", "MSF",
];

/// Acronyms of three letters or more that name no organisation: titles
/// (CEO), financial and economic terms (IPO, GDP), eras (BCE), medicine
/// (ICU, PPE), technology (GPS, USB) and the like. An unknown acronym is
/// taken for an organisation; these are the common ones that are not.
/// Acronyms of things, not organisations: medicine, finance, computing and
/// media formats, time zones and chat shorthand.
const NOT_ORG_ACRONYMS: &[&str] = &[
    "AIDS", "API", "ASAP", "ATM", "AWD", "BCE", "BFF", "BST", "CDMA", "CEO", "CEOs", "CET", "CFO", "CIO", "COO", "CPI",
    "CPU", "CSS", "CTO", "DIY", "DNA", "DVD", "DVR", "EBITDA", "EDT", "EST", "ETF", "EUA", "FAQ", "FPS", "FYI", "GDP",
    "GMO", "GMT", "GNP", "GPS", "GPU", "GSM", "GUI", "HDMI", "HDR", "HIV", "HTML", "HTTP", "HTTPS", "HVAC", "ICU",
    "ICYMI", "IPO", "IST", "JSON", "JST", "KST", "LAN", "LED", "LGBT", "LGBTQ", "LOL", "MBA", "MRI", "MSRP", "MVP",
    "OMG", "PCR", "PDF", "PDT", "PHP", "PIN", "PPE", "PST", "RAM", "REIT", "RGB", "RNA", "RPM", "RSVP", "RWD", "SDK",
    "SEO", "SMS", "SQL", "SSD", "SUV", "SVG", "UDP", "URL", "USB", "UTC", "VAT", "VGA", "VIP", "VOD", "VPN", "WTF",
    "XML", "YOLO",
];

/// Last words that make a capitalised name a place ("Tamsin River",
/// "South China Sea", "Quayside Row").
const FEATURE_LAST: &[&str] = &[
    "sea",
    "ocean",
    "river",
    "creek",
    "lake",
    "mountain",
    "mountains",
    "bay",
    "gulf",
    "island",
    "islands",
    "valley",
    "bridge",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "drive",
    "boulevard",
    "blvd",
    "highway",
    "parkway",
    "terrace",
    "crescent",
    "place",
    "lane",
    "square",
    "park",
    "airport",
    "station",
    "harbour",
    "harbor",
    "desert",
    "plateau",
    "glacier",
    "canyon",
    "lagoon",
    "peninsula",
    "strait",
    "straits",
    "canal",
    "coast",
    "hills",
    "hill",
    "range",
    "forest",
    "flat",
    "flats",
    "falls",
    "beach",
    "point",
    "plain",
    "plains",
    "area",
    "row",
    "yard",
    "quay",
    "wharf",
    "dam",
    "reservoir",
    "basin",
    "delta",
    "heights",
    "village",
    "town",
    "county",
    "province",
    "region",
    "district",
    "territory",
    "territories",
    "east",
    "west",
    "embassy",
    "headquarters",
    "camp",
    "prison",
    "base",
    "border",
    "crossing",
    "corridor",
    "strip",
    "bank",
    "estate",
    "gardens",
    "green",
    "common",
    "marsh",
    "moor",
];

/// First words that make a capitalised name a place ("Mount Kenya", "Port Ellery").
const FEATURE_FIRST: &[&str] = &[
    "mount", "mt", "lake", "port", "fort", "cape", "gulf", "isle", "st", "saint", "san", "santa", "lower", "upper",
    "river", "loch",
];

/// Regions of the world the gazetteer does not list as places.
const WORLD_REGIONS: &[&str] = &[
    "europe",
    "asia",
    "africa",
    "north america",
    "south america",
    "latin america",
    "central america",
    "middle east",
    "the middle east",
    "north africa",
    "west africa",
    "east africa",
    "southern africa",
    "sub-saharan africa",
    "central asia",
    "south asia",
    "southeast asia",
    "east asia",
    "the balkans",
    "balkans",
    "the caucasus",
    "caucasus",
    "scandinavia",
    "the sahel",
    "sahel",
    "the gulf",
    "persian gulf",
    "the arctic",
    "arctic",
    "antarctica",
    "the pacific",
    "pacific",
    "atlantic",
    "the atlantic",
    "mediterranean",
    "the mediterranean",
    "eastern europe",
    "western europe",
    "central europe",
    "the west",
    "oceania",
    "the americas",
    "indo-pacific",
    "horn of africa",
    "the horn of africa",
    "siberia",
    "patagonia",
    "kashmir",
    "gaza",
    "the west bank",
    "west bank",
    "donbas",
    "crimea",
    "tibet",
    "xinjiang",
    "kurdistan",
];

/// Religious, political and other groups named like demonyms.
const GROUP_WORDS: &[&str] = &[
    "muslim",
    "muslims",
    "christian",
    "christians",
    "jewish",
    "jews",
    "jew",
    "hindu",
    "hindus",
    "buddhist",
    "buddhists",
    "sikh",
    "sikhs",
    "catholic",
    "catholics",
    "protestant",
    "protestants",
    "sunni",
    "sunnis",
    "shia",
    "shiite",
    "shiites",
    "kurd",
    "kurds",
    "kurdish",
    "arab",
    "arabs",
    "nazi",
    "nazis",
    "neo-nazi",
    "neo-nazis",
    "communist",
    "communists",
    "mujahideen",
    "rohingya",
    "uyghur",
    "uyghurs",
    "uighur",
    "uighurs",
    "pashtun",
    "pashtuns",
    "tamil",
    "tamils",
    "maori",
    "aboriginal",
    "latino",
    "latinos",
    "hispanic",
    "hispanics",
    "palestinians",
    "israelis",
    "europeans",
    "westerners",
    "asians",
    "africans",
    "european",
    "asian",
    "african",
    "roma",
    // Peoples that no one country's demonym names.
    "korean",
    "koreans",
    "tibetan",
    "tibetans",
    "hazara",
    "hazaras",
    "baloch",
    "berber",
    "berbers",
    "basque",
    "basques",
    "catalan",
    "catalans",
    "kashmiri",
    "kashmiris",
    "druze",
    "yazidi",
    "yazidis",
    "alawite",
    "alawites",
    // Faiths and movements named like peoples.
    "islamic",
    "islamist",
    "islamists",
    "jihadist",
    "jihadists",
    "salafi",
    "salafist",
    "salafists",
    "wahhabi",
    "zionist",
    "zionists",
    "evangelical",
    "evangelicals",
    "mormon",
    "mormons",
    "anglican",
    "anglicans",
    "methodist",
    "methodists",
    "lutheran",
    "lutherans",
    "presbyterian",
    "presbyterians",
    "pentecostal",
    "pentecostals",
    "quaker",
    "quakers",
    "amish",
    "hasidic",
    "orthodox",
    "copt",
    "copts",
    "coptic",
    "maronite",
    "maronites",
    "ismaili",
    "ismailis",
    "ahmadi",
    "ahmadis",
    "sufi",
    "sufis",
    "zoroastrian",
    "zoroastrians",
    "jain",
    "jains",
    "marxist",
    "marxists",
    "maoist",
    "maoists",
    "bolshevik",
    "bolsheviks",
    "fascist",
    "fascists",
    "soviet",
    "soviets",
    "yugoslav",
    // Peoples of more than one country.
    "congolese",
    "guinean",
    "guineans",
    "punjabi",
    "punjabis",
    "bengali",
    "bengalis",
    "hausa",
    "fulani",
    "tutsi",
    "tutsis",
    "hutu",
    "hutus",
    "hmong",
    "inuit",
    "bedouin",
    "bedouins",
    "assyrian",
    "assyrians",
    "circassian",
    "circassians",
    "ossetian",
    "ossetians",
    "slav",
    "slavs",
    "slavic",
    "scandinavian",
    "scandinavians",
    "nordic",
    "latin american",
    "latin americans",
    "middle eastern",
    "native american",
    "native americans",
    "aborigines",
];

/// Words that end an organisation's name: after one, "and" starts another
/// name ("International Monetary Fund and World Bank").
const NAME_ENDS: &[&str] = &[
    "inc",
    "inc.",
    "llp",
    "gmbh",
    "pty",
    "limited",
    "corp",
    "corp.",
    "co",
    "co.",
    "ltd",
    "ltd.",
    "llc",
    "plc",
    "ag",
    "bank",
    "fund",
    "union",
    "group",
    "company",
    "corporation",
    "nations",
    "airlines",
    "party",
];

/// Offices that a name may come before ("Microsoft CEO", "US President",
/// "Maharashtra CM") or that "of" may follow ("Commissioner of Police"):
/// titles, not organisations.
const OFFICES: &[&str] = &[
    "president",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "cm",
    "pm",
    "minister",
    "secretary",
    "chairman",
    "chairwoman",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "governor",
    "mayor",
    "ambassador",
    "commissioner",
    "inspector-general",
    "premier",
    "chancellor",
    "envoy",
    "advocate",
    "attorney-general",
];

/// The most tokens a capitalised run may hold: the longest names in the
/// development texts have a dozen ("Virgin Mary and St. Pachomius Coptic
/// Orthodox Church" has eight).
const MAX_NAME_TOKENS: usize = 24;

/// Titles that precede a person's name.
const TITLES: &[&str] = &[
    "president",
    "president-elect",
    "pm",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "gen",
    "gen.",
    "general",
    "leader",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "chairwoman",
    "chair",
    "secretary",
    "director",
    "chief",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "cio",
    "governor",
    "gov.",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "judge",
    "justice",
    "colonel",
    "col.",
    "lt.",
    "lieutenant",
    "captain",
    "capt.",
    "sgt.",
    "sergeant",
    "commander",
    "premier",
    "chancellor",
    "envoy",
    "sheikh",
    "emir",
    "ayatollah",
    "archbishop",
    "bishop",
    "rev.",
    "father",
    "coach",
    "officer",
    "analyst",
    "professor",
    "economist",
    "author",
    "founder",
    "activist",
    "lawyer",
    "vp",
    "lt",
    "col",
    "co-founder",
    "co-founders",
    "cofounder",
    "manager",
    "producer",
    "attorney",
    "deputy",
    "vice",
    "official",
    "head",
    "editor",
    "reporter",
    "correspondent",
    "researcher",
    "ombudsman",
    "ombudswoman",
    "realtor",
    "broker",
    "prosecutor",
    "inspector",
    "superintendent",
    "detective",
    "constable",
    "sheriff",
    "administrator",
    "commissioner",
    "supervisor",
    "councilmember",
    "magistrate",
    "comptroller",
    "registrar",
    "councillor",
    "councilman",
    "councilwoman",
    "alderman",
    "lawmaker",
    "legislator",
    "congressman",
    "congresswoman",
    "assemblyman",
    "assemblywoman",
    "treasurer",
    "adviser",
    "advisor",
    "choreographer",
    "cmdr",
    "cmdr.",
    "defenseman",
    "defender",
    "goalkeeper",
    "quarterback",
    "striker",
    "midfielder",
];

/// Capitalised words that start sentences or headings but name nothing.
const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "if",
    "as",
    "after",
    "before",
    "when",
    "while",
    "since",
    "with",
    "without",
    "for",
    "from",
    "to",
    "of",
    "by",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "there",
    "here",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "some",
    "many",
    "most",
    "more",
    "all",
    "any",
    "each",
    "every",
    "no",
    "not",
    "yes",
    "so",
    "yet",
    "also",
    "still",
    "even",
    "just",
    "only",
    "then",
    "now",
    "once",
    "however",
    "meanwhile",
    "although",
    "though",
    "because",
    "despite",
    "during",
    "under",
    "over",
    "about",
    "between",
    "among",
    "into",
    "through",
    "according",
    "instead",
    "other",
    "another",
    "such",
    "both",
    "either",
    "neither",
    "much",
    "few",
    "several",
    "one",
    "two",
    "three",
    "first",
    "last",
    "next",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "covid-19",
    "covid",
    "coronavirus",
    "internet",
    "read",
    "click",
    "photo",
    "image",
    "video",
    "watch",
    "advertisement",
    "subscribe",
    "share",
    "please",
    "sign",
    "follow",
    "like",
    "said",
    "says",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "can",
    "could",
    "will",
    "would",
    "should",
    "may",
    "might",
    "must",
    "let",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sir",
];

/// English words that are never names (scripts/gen-common-words.py): a
/// capitalised phrase that ends in one ("Black Death", "Full Fact", "LG
/// Electronics") is not a person.
const COMMON_WORDS: &str = include_str!("../data/common-words.txt");

/// Whether `w` is an English word (`Some`), and if so whether it is never a
/// name (`Some(true)`: "death", "team") or also one (`Some(false)`: "black",
/// "young"). A word spelt in capitals ("IV", "LG") or with inner capitals is
/// a name or an acronym (`None`).
pub(crate) fn english_word(w: &str) -> Option<bool> {
    // A sorted list searched by halves, not a hash map: made on first use
    // without hashing or allocating per word (64,000 of them), which keeps
    // a short run's start-up small (issue 16). The search runs over each
    // word's first eight bytes as a number (`prefix`), which orders them as
    // the words do: integer comparisons, then a string comparison only
    // among the few words that share those bytes.
    struct Words {
        words: Vec<(&'static str, bool)>,
        prefixes: Vec<u64>,
        // Where the words starting with each two bytes begin (65,537
        // entries, made in one pass): the search by halves then runs over
        // a few hundred prefixes, not 64,000 (it was 2 % of an ingest).
        starts: Vec<u32>,
    }
    static WORDS: OnceLock<Words> = OnceLock::new();
    let list = WORDS.get_or_init(|| {
        let mut words: Vec<(&'static str, bool)> = COMMON_WORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.strip_suffix('*').map_or((l, true), |w| (w, false)))
            .collect();
        // The file is sorted already; this only makes sure.
        words.sort_unstable();
        let prefixes: Vec<u64> = words.iter().map(|(w, _)| prefix(w)).collect();
        let mut starts = Vec::with_capacity(1 << 16 | 1);
        let mut at = 0;
        for two in 0..=1u64 << 16 {
            while prefixes.get(at).is_some_and(|p| p >> 48 < two) {
                at += 1;
            }
            starts.push(at as u32);
        }
        Words {
            words,
            prefixes,
            starts,
        }
    });
    let w = bare(w).trim_end_matches(['.', ',']);
    if w.chars().skip(1).any(char::is_uppercase) {
        return None;
    }
    // The list's words are ASCII and at most 22 bytes.
    let mut buf = [0u8; 32];
    let w = crate::tokens::lowercased(w, &mut buf);
    let w = w.as_ref();
    let key = prefix(w);
    let two = (key >> 48) as usize;
    let (from, to) = (list.starts[two] as usize, list.starts[two + 1] as usize);
    let first = from + list.prefixes[from..to].partition_point(|&p| p < key);
    list.prefixes[first..to]
        .iter()
        .zip(&list.words[first..to])
        .take_while(|(&p, _)| p == key)
        .find(|(_, (word, _))| *word == w)
        .map(|(_, &(_, never_a_name))| never_a_name)
}

/// [`english_word`] for a word spelt as the British do, which the word list
/// (spelt as Americans do) may lack: "Labour", "Defence", "Centre".
fn british_or_english_word(w: &str) -> Option<bool> {
    english_word(w).or_else(|| {
        let w = bare(w).to_lowercase();
        let american = if let Some(stem) = w.strip_suffix("our") {
            format!("{stem}or")
        } else if let Some(stem) = w.strip_suffix("ence") {
            format!("{stem}ense")
        } else if let Some(stem) = w.strip_suffix("tre") {
            format!("{stem}ter")
        } else {
            return None;
        };
        english_word(&american)
    })
}

/// The first eight bytes of `w` as a big-endian number, zero-padded: for
/// words without a NUL byte, `prefix(a) < prefix(b)` implies `a < b`, and
/// equal words have equal prefixes.
fn prefix(w: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = w.len().min(8);
    b[..n].copy_from_slice(&w.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// A holiday or a named day ("Black Friday", "Election Day", "New Year's
/// Eve"): a time, never a person or an organisation, though its capitals
/// read like a given name and a surname to the rules and the tagger alike.
fn names_a_day(name: &str) -> bool {
    let last = name.split_whitespace().last().unwrap_or_default();
    crate::times::weekday(last).is_some() || matches!(last.to_lowercase().as_str(), "day" | "eve")
}

/// An event's or a competition's name ("Davis Cup", "Los Angeles Auto
/// Show", "ATP Finals"), a war's or a storm's ("Cold War", "Hurricane
/// Florence"), a law's ("Logan Act", "Treaty of Rome") or a stage's group
/// ("Group C"): not an entity, nor the places and people in it, to the rules
/// and the tagger alike.
fn names_an_event(name: &str) -> bool {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    // A war's ordinal ("World War II") is no part of the test.
    if words.len() >= 3
        && words
            .last()
            .is_some_and(|w| matches!(w.trim_end_matches('.'), "I" | "II" | "III" | "IV"))
    {
        words.pop();
    }
    let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    words.len() >= 2 && EVENT_LAST.contains(&last.as_str())
        || words.len() >= 3 && words[0] == "Treaty" && words[1] == "of"
        // A named storm ("Hurricane Florence", "Typhoon Hagibis").
        || words.len() >= 2 && matches!(words[0], "Hurricane" | "Typhoon" | "Cyclone" | "Storm")
        // Football's competitions, which the conventions leave untagged (the
        // "Arab League" and the "Awami League" are bodies).
        || last == "league"
            && words.len() >= 2
            && matches!(words[words.len() - 2], "Premier" | "Champions" | "Europa" | "Nations" | "Conference")
        || words.len() == 2
            && matches!(words[0], "Group" | "Pool")
            && words[1].len() == 1
            && words[1].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Whether the capitalised words just before token `first` name an event
/// ("World War" before "I. Then", "Hurricane" before "Michael"): what
/// follows is the rest of that name, not a name of its own.
fn follows_an_event_name(text: &str, tokens: &[Token<'_>], first: usize) -> bool {
    let mut a = first;
    while a > 0 && first - a < 6 && tokens[a - 1].is_capitalised() {
        a -= 1;
    }
    a < first
        && (names_an_event(&text[tokens[a].start..tokens[first - 1].end])
            || names_an_event(&text[tokens[first - 1].start..tokens[first].end]))
}

/// A market index ("Hang Seng Index", "Shanghai Composite", "Dow Jones
/// Industrial Average") or its ticker in brackets after it ("(HSI)"), which
/// the conventions leave untagged with the places inside.
fn names_an_index(tokens: &[Token<'_>], a: usize, b: usize) -> bool {
    let index_word = |t: &Token| matches!(t.text, "Index" | "Composite" | "Average");
    b - a >= 2 && index_word(&tokens[b - 1])
        || b - a == 1
            && a >= 2
            && tokens[a - 1].text == "("
            && index_word(&tokens[a - 2])
            && tokens[a]
                .text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Capitals and digits together are a model's or a standard's code ("A350",
/// "HL7", "A12X"): no organisation, save a club of nations ("G7", "G20").
fn model_code(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !(word.starts_with('G') && word[1..].chars().all(|c| c.is_ascii_digit()))
        && !ORG_ACRONYMS.contains(&word)
}

/// Given names, lowercase and sorted (scripts/gen-given-names.py): the US
/// Census Bureau's 1990 lists (public domain), and the names of Faker's
/// lists by country that those lack (MIT).
const GIVEN_NAMES: &str = include_str!("../data/given-names.txt");
const GIVEN_NAMES_WORLD: &str = include_str!("../data/given-names-world.txt");

/// Whether `w` is a given name ("Austin", "Fiona", "Kyleigh").
fn given_name(w: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    static WORLD: OnceLock<Vec<&'static str>> = OnceLock::new();
    listed_lowercase(&NAMES, GIVEN_NAMES, w) || listed_lowercase(&WORLD, GIVEN_NAMES_WORLD, w)
}

/// [`listed`] for a word in any case, against a list of lowercase lines.
fn listed_lowercase(list: &'static OnceLock<Vec<&'static str>>, data: &'static str, w: &str) -> bool {
    let mut buf = [0u8; 32];
    listed(list, data, &crate::tokens::lowercased(w, &mut buf))
}

/// Frequent surnames that are English words never written as names
/// otherwise, lowercase and sorted (scripts/gen-given-names.py: the US Census
/// Bureau's 1990 surname list, public domain).
const WORD_SURNAMES: &str = include_str!("../data/word-surnames.txt");

/// Whether `w` is a frequent surname that is also an English word ("Keys", "Law").
fn word_surname(w: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    listed_lowercase(&NAMES, WORD_SURNAMES, w)
}

/// Whether `key` is a line of `data`, a generated list of sorted lines
/// with `#` comments, read into `list` on first use.
fn listed(list: &'static OnceLock<Vec<&'static str>>, data: &'static str, key: &str) -> bool {
    let lines = list.get_or_init(|| {
        let mut lines: Vec<&str> = data.lines().filter(|l| !l.starts_with('#')).collect();
        // The generators sort them; sorting again keeps the search right after a hand edit.
        lines.sort_unstable();
        lines
    });
    // The lists write the typewriter's apostrophe ("McDonald's", "Ba'ath");
    // pages mostly print the typographer's.
    if key.contains('\u{2019}') {
        return lines.binary_search(&key.replace('\u{2019}', "'").as_str()).is_ok();
    }
    lines.binary_search(&key).is_ok()
}

/// Large listed companies by the names news gives them, sorted
/// (scripts/gen-companies.py: stock-index constituents from PyPI
/// pytickersymbols, MIT).
const COMPANIES: &str = include_str!("../data/companies.txt");

/// Whether `name` is, exactly, a large company's name ("Airbus", "Home
/// Depot", "AT&T").
fn is_company(name: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    listed(&NAMES, COMPANIES, name)
}

/// Organisations named bare or in common words that no generated list
/// holds, by hand (legislatures, central banks, agencies, companies whose
/// name is also a town's).
const BODIES: &str = include_str!("../data/bodies.txt");

/// Whether `name` is, exactly, one of those organisations ("Bundestag",
/// "Federal Reserve", "Toyota").
fn is_body(name: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    listed(&NAMES, BODIES, name)
}

/// Whether a chunk reads as a given name and a surname, with an optional
/// middle initial ("Austin Dillon", "Paul W. Menard").
/// `known_place` says whether the whole chunk is a gazetteer name, which the
/// caller has looked up already.
fn reads_as_given_name_and_surname(words: &[&str], known_place: bool, g: &Gazetteer) -> bool {
    let (first, last) = match words {
        [first, last] => (*first, *last),
        [first, middle, last] if middle.len() == 2 && middle.ends_with('.') => (*first, *last),
        _ => return false,
    };
    let plain = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
    };
    let surname = bare(last);
    let lower = surname.to_lowercase();
    // A country, a region or a city of over 100,000.
    let large_place = |w: &str| {
        g.lookup(&w.to_lowercase()).iter().any(|&p| {
            let row = &g.places[p as usize];
            row.kind != Kind::City || row.population > 100_000
        })
    };
    let big_place = large_place(surname);
    let feature_after_place = FEATURE_LAST.contains(&lower.as_str()) && !g.lookup(&first.to_lowercase()).is_empty();
    // A surname that is also an English word ("Alicia Keys", "David Law")
    // only after a given name that is no English word and no large place
    // ("Will Power", "Georgia Power" and "Orlando Magic" are no one), and not
    // when the word names a place's kind ("Heinz Field", "Oak Street").
    let word_ok = |surname: &str| {
        english_word(surname) != Some(true)
            || word_surname(surname)
                && english_word(first).is_none()
                && !large_place(first)
                && ![STRUCTURES, FEATURE_LAST, &["center", "centre", "field"]]
                    .iter()
                    .any(|list| list.contains(&lower.as_str()))
    };
    plain(first)
        && given_name(first)
        && plain(surname)
        && surname.len() >= 2
        && word_ok(surname)
        && !is_org_word(surname)
        && !STRUCTURES.contains(&lower.as_str())
        && !big_place
        && !feature_after_place
        && !known_place
}

/// A word spelt in capitals only ("FRANCE", "WINS"), at least two letters.
fn is_shouted(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

/// A word in capitals that, written small, is a word that is never a name
/// ("WINS", "AGAIN"); [`english_word`] reads capitals as an acronym.
fn shouted_common(w: &str) -> bool {
    is_shouted(w) && is_common_word(&w.to_lowercase())
}

/// A word that is never a name ("Death", "Services").
fn is_common_word(w: &str) -> bool {
    english_word(w) == Some(true)
}

fn is_stop(w: &str) -> bool {
    let l = w.to_lowercase();
    let l = l.trim_end_matches('.');
    STOP.contains(&l)
}

/// A token without its possessive ("Korea’s" → "Korea").
fn bare(t: &str) -> &str {
    t.strip_suffix("\u{2019}s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t)
}

fn is_cap_word(t: &Token) -> bool {
    t.is_word() && t.is_capitalised() && !t.is_number()
}

/// How far back from a word the look-ups for a link or a spelt-out acronym
/// read: a host or an acronym's words lie close before it, and a long run
/// without spaces must not be read again for every word in it.
const LOOK_BACK: usize = 256;

/// `text[..end]`, at most its last [`LOOK_BACK`] bytes (from a character boundary).
fn just_before(text: &str, end: usize) -> &str {
    let mut from = end.saturating_sub(LOOK_BACK);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..end]
}

/// The acronyms that `text` spells out in capitalised words before them in
/// parentheses: "Shiromani Akali Dal (SAD)". Read once per text.
fn spelt_out_acronyms(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for (open, _) in text.match_indices('(') {
        let rest = &text[open + 1..];
        // An acronym of 2 to 10 capitals: look no further for the ")".
        let Some(close) = rest.bytes().take(11).position(|b| b == b')') else {
            continue;
        };
        let short = &rest[..close];
        if short.len() < 2 || !short.bytes().all(|b| b.is_ascii_uppercase()) || found.contains(&short) {
            continue;
        }
        let words: Vec<&str> = just_before(text, open)
            .split_whitespace()
            .rev()
            .take(short.len())
            .collect();
        if words.len() == short.len()
            && words
                .iter()
                .rev()
                .zip(short.chars())
                .all(|(w, c)| w.starts_with(c) && w.chars().next().is_some_and(char::is_uppercase))
        {
            found.push(short);
        }
    }
    found
}

/// Whether the word at byte `start` of `text` is part of an account name, a
/// hashtag or a web address ("@PressSec", "#BlackLivesMatter",
/// "@STN_Airport", "Facebook.com/WhiteHouse", "pic.twitter.com/Q8FFsT2ITu"):
/// never a name in running text, whatever its capitals.
fn in_handle_or_link(text: &str, start: usize) -> bool {
    let before = just_before(text, start);
    let run = &before[before.trim_end_matches(|c: char| !c.is_whitespace()).len()..];
    // An underscore goes on an account name ("@STN_Airport"), but also
    // separates a role from a name in credits ("Director_Oh Kyeong Taek").
    if before.ends_with(['@', '#']) || before.ends_with('_') && run.contains('@') || run.contains("://") {
        return true;
    }
    // A host before the first slash: a dot and lowercase letters ("t.co",
    // "facebook.com"), not a list ("Bulgaria/Israel") or initials ("U.S./Canada").
    run.split_once('/').is_some_and(|(host, _)| {
        host.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase())
        })
    })
}

const CONNECTORS: &[&str] = &[
    "of", "de", "del", "da", "al", "bin", "van", "von", "der", "la", "le", "and", "for", "the", "du", "el", "ten",
    "ter", "den", "dos", "das", "ibn",
];

/// The lowercase particles of family names, which may come two together
/// ("von der Leyen", "van den Berg", "de la Cruz").
const PARTICLES: &[&str] = &[
    "de", "del", "da", "van", "von", "der", "den", "la", "le", "du", "ten", "ter", "dos", "das", "los",
];

/// Where a place named with "and" ends, when one goes on at `b` ("Trinidad
/// and Tobago", "Antigua and Barbuda", "Saint Vincent and the Grenadines"):
/// the words from one or two before "and" to two after it, as the
/// gazetteer knows a country or a first-level region by them.
fn place_with_and(
    text: &str,
    tokens: &[Token<'_>],
    a: usize,
    b: usize,
    g: &Gazetteer,
    cap_at: &dyn Fn(usize) -> bool,
    same_line: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    if tokens.get(b)?.text != "and" || !same_line(b) {
        return None;
    }
    let mut after = b + 1;
    if tokens.get(after).is_some_and(|t| t.text == "the") && same_line(after) {
        after += 1;
    }
    for c in [after + 1, after + 2] {
        if !(after..c).all(cap_at) {
            break;
        }
        for from in [b.saturating_sub(2), b - 1] {
            if from < a {
                continue;
            }
            let end = tokens[c - 1].start + bare(tokens[c - 1].text).len();
            let name = text[tokens[from].start..end].to_lowercase();
            let known = g
                .lookup(&name)
                .iter()
                .any(|&p| matches!(g.places[p as usize].kind, Kind::Country | Kind::Admin1));
            if known {
                return Some(c);
            }
        }
    }
    None
}

/// How the rules and the statistical tagger ([`crate::tagger`]) share the
/// work of finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The rules alone.
    Rules,
    /// The tagger alone (PERSON, ORG, PLACE; places resolved with the
    /// gazetteer where it knows them).
    Model,
    /// The rules, with the tagger adding names no rule found and retyping a
    /// rule's name where it is confident (margins in weight units).
    Combined {
        /// Smallest margin for a name no rule span overlaps.
        add: i32,
        /// Smallest margin to change the type of a rule's name of the same span.
        relabel: i32,
    },
}

/// The mode [`find`] uses.
pub const DEFAULT_MODE: Mode = Mode::Combined { add: 50, relabel: 120 };

/// Finds entities among `tokens` of `text`.
pub fn find(text: &str, tokens: &[Token<'_>]) -> Vec<Found> {
    find_with(text, tokens, DEFAULT_MODE)
}

/// Finds entities among `tokens` of `text`, the rules and the tagger
/// combined as `mode` says.
pub fn find_with(text: &str, tokens: &[Token<'_>], mode: Mode) -> Vec<Found> {
    let g = Gazetteer::get();
    // Chunks of capitalised words.
    let mut chunks: Vec<(usize, usize)> = Vec::new(); // token index range [a, b)
    let mut i = 0;
    while i < tokens.len() {
        if !is_cap_word(&tokens[i]) || in_handle_or_link(text, tokens[i].start) {
            i += 1;
            continue;
        }
        let a = i;
        let mut b = i + 1;
        // Whether token `k` is on the line of the token before it: a name
        // never runs over a line break ("Amazon" at a paragraph's end and
        // a source's name, "BGR", on the next line).
        let same_line = |k: usize| k < tokens.len() && !text[tokens[k - 1].end..tokens[k].start].contains('\n');
        // A capitalised word at `k`, in the run's sentence and on its line.
        let cap_at = |k: usize| {
            k < tokens.len() && is_cap_word(&tokens[k]) && tokens[k].sentence == tokens[a].sentence && same_line(k)
        };
        loop {
            // A run this long is a heading or junk, not a name: ending it
            // keeps the work per name, and the depth of classify_chunk's
            // splitting, bounded ("Chief CEO of " 30,000 times once took
            // minutes and overflowed the stack).
            if b - a >= MAX_NAME_TOKENS {
                break;
            }
            // Dates are not part of names ("… Korean Service Dec. 5").
            let dateish = |t: &Token| {
                crate::times::month(t.text).is_some() && t.text.len() <= 5
                    || is_stop(t.text)
                        && t.text.len() > 3
                        && STOP[STOP.len() - 60..].contains(&t.text.to_lowercase().as_str())
            };
            if cap_at(b)
                && !dateish(&tokens[b])
                && (!ends_with_possessive(tokens[b - 1].text)
                    // "Moody’s Investors Service": the "’s" is the company's.
                    || is_company(tokens[b - 1].text)
                    || possessive_in_org_name(tokens, b)
                    || possessive_in_street_name(tokens, b, g))
            {
                b += 1;
                continue;
            }
            // "PG&E", "Pacific Gas & Electric": an ampersand joins a name.
            if cap_at(b + 1) && same_line(b) && tokens[b].text == "&" {
                b += 2;
                continue;
            }
            // "Securities and Exchange Commission", "Department of Health and
            // Human Services": "and" inside an organisation's name, when the
            // words after it end in an organisation's word ("Britain and
            // France" stay two).
            if cap_at(b + 1) && same_line(b) && tokens[b].text == "and" && !ends_with_possessive(tokens[b - 1].text) {
                let mut c = b + 1;
                while cap_at(c) {
                    c += 1;
                }
                let org_word = |t: &Token| {
                    let w = t.text.to_lowercase();
                    ORG_WORDS.contains(&w.as_str()) || AGENCY_FIELDS.contains(&w.as_str())
                };
                // The part after "and" must end in one: "the Commission and
                // Pacific Gas" stay apart.
                // Once per name: "… Commission and Pacific Gas" is a second name.
                // Two words at least after "and": "Democrats and Republicans"
                // are two parties.
                // The words before "and" must not be a whole name of their
                // own: a common word ("Food and Drug Administration",
                // "Department of Health and Human Services") joins, but a
                // name, an acronym or a name's last word does not ("SpaceX
                // and Tyvak Nano-Satellite Systems", "IRS and Treasury
                // Department", "Gilead Sciences Inc. and Oracle Corp.").
                // A place's name ending in a feature's or a town's word is
                // whole too ("Gordon Town and Mavis Bank" are two villages).
                let left_last = tokens[b - 1].text.to_lowercase();
                let left_is_whole = english_word(tokens[b - 1].text).is_none()
                    || NAME_ENDS.contains(&left_last.as_str())
                    || b - a >= 2 && (FEATURE_LAST.contains(&left_last.as_str()) || left_last == "town");
                if org_word(&tokens[c - 1])
                    && c - b >= 3
                    && !left_is_whole
                    && tokens[b + 1..c].iter().all(|t| !is_stop(t.text))
                    && !tokens[a..b].iter().any(|t| t.text == "and")
                {
                    b = c;
                    continue;
                }
            }
            if let Some(c) = field_list_end(tokens, a, b, &cap_at, &same_line) {
                b = c;
                continue;
            }
            // "Trinidad and Tobago", "Bosnia and Herzegovina", "Saint Vincent
            // and the Grenadines": a country or a region named with "and".
            if let Some(c) = place_with_and(text, tokens, a, b, g, &cap_at, &same_line) {
                b = c;
                continue;
            }
            // "Ursula von der Leyen", "Rafael van der Vaart": two particles.
            if cap_at(b + 2)
                && same_line(b)
                && same_line(b + 1)
                && PARTICLES.contains(&tokens[b].text)
                && PARTICLES.contains(&tokens[b + 1].text)
            {
                b += 3;
                continue;
            }
            // "University of the West Indies", "Bank of the Philippine
            // Islands": a body's word, "of the" and a name is one body. Not
            // before a title, which the title rules split off ("Office of
            // the Inspector General" would keep "Office of the").
            if cap_at(b + 2)
                && same_line(b)
                && same_line(b + 1)
                && tokens[b].text == "of"
                && tokens[b + 1].text == "the"
                && is_org_word(tokens[b - 1].text)
                && !TITLES.contains(&tokens[b + 2].text.to_lowercase().as_str())
            {
                b += 3;
                continue;
            }
            // "Ministry of State Security", "Bank of England".
            if cap_at(b + 1)
                && same_line(b)
                && CONNECTORS.contains(&tokens[b].text)
                && !ends_with_possessive(tokens[b - 1].text)
                && tokens[b].text != "and"
            {
                b += 2;
                continue;
            }
            break;
        }
        // Drop leading stopwords ("The Ministry" keeps "Ministry"; "In April" drops "In").
        let mut a2 = a;
        // ("WHO" is the organisation, not the pronoun; "AT" in "AT&T" opens
        // the name: a stop word joined by "&" to the capital after it.)
        let joined_by_ampersand = |k: usize| {
            tokens
                .get(k + 1)
                .is_some_and(|t| t.text == "&" && t.start == tokens[k].end)
        };
        // "May Pen": a month's word that opens a place's name stays in it.
        let opens_a_place = |k: usize| {
            crate::times::month(tokens[k].text).is_some()
                && b - k >= 2
                && !g
                    .lookup(&text[tokens[k].start..tokens[b - 1].end].to_lowercase())
                    .is_empty()
        };
        while a2 < b
            && is_stop(tokens[a2].text)
            && !ORG_ACRONYMS.contains(&tokens[a2].text)
            && !joined_by_ampersand(a2)
            && !opens_a_place(a2)
        {
            a2 += 1;
        }
        // And connectors left at the front ("Shares of PG&E" → "PG&E").
        while a2 < b && CONNECTORS.contains(&tokens[a2].text) {
            a2 += 1;
        }
        // Drop trailing connectors.
        let mut b2 = b;
        while b2 > a2 && CONNECTORS.contains(&tokens[b2 - 1].text) {
            b2 -= 1;
        }
        if a2 < b2 {
            chunks.push((a2, b2));
        }
        i = b;
    }

    // Countries the article names: the context for resolving ambiguous places.
    let mut countries: Vec<String> = Vec::new();
    let mut regions: Vec<String> = Vec::new();
    for &(a, b) in &chunks {
        let name = span_text(text, tokens, a, b);
        for &p in g.lookup(bare(&name)) {
            let row = &g.places[p as usize];
            if row.kind == Kind::Country && !countries.contains(&row.country) {
                countries.push(row.country.clone());
            }
            if row.kind == Kind::Admin1 {
                regions.push(row.name.clone());
            }
        }
        if let Some(c) = g.demonym(bare(&name)) {
            if !countries.contains(&c.to_string()) {
                countries.push(c.to_string());
            }
        }
    }

    let mut out: Vec<Found> = Vec::new();
    if mode != Mode::Model {
        let mut persons: Vec<String> = Vec::new();
        let spelt = spelt_out_acronyms(text);
        for &(a, b) in &chunks {
            classify_chunk(
                text,
                tokens,
                a,
                b,
                g,
                &countries,
                &regions,
                &spelt,
                &mut persons,
                &mut out,
            );
        }
        // The Highest Dignity: an epithet the text ties to a named person.
        link_epithets(text, &mut out);
    }
    match mode {
        Mode::Rules => {}
        Mode::Model => {
            for s in crate::tagger::tag(tokens) {
                out.push(model_found(text, g, &s, &countries, &regions));
            }
        }
        Mode::Combined { add, relabel } => {
            let rules = out.len();
            for s in crate::tagger::tag(tokens) {
                let same = out[..rules].iter().position(|f| f.start == s.start && f.end == s.end);
                let overlaps = out[..rules].iter().any(|f| f.start < s.end && s.start < f.end);
                match same {
                    Some(k)
                        if (s.margin >= relabel || out[k].guess && s.margin >= add)
                            && out[k].label != s.label
                            && out[k].label != "GROUP"
                            // A listed organisation is one whatever verb
                            // follows it ("Komeito said").
                            && !(out[k].label == "ORG" && (is_body(&text[s.start..s.end]) || is_company(&text[s.start..s.end]))) =>
                    {
                        out[k] = model_found(text, g, &s, &countries, &regions);
                    }
                    // A name made only of words that are never names ("The
                    // Department said") refers back to one: the rules leave it out.
                    None if !overlaps
                        && s.margin >= add
                        && !text[s.start..s.end]
                            .split_whitespace()
                            .all(|w| is_common_word(w) || shouted_common(w))
                        && !names_a_day(&text[s.start..s.end])
                        && !names_an_event(&text[s.start..s.end])
                        && !follows_an_event_name(text, tokens, s.first)
                        && !text[s.start..s.end].split_whitespace().any(model_code) =>
                    {
                        out.push(model_found(text, g, &s, &countries, &regions));
                    }
                    _ => {}
                }
            }
        }
    }
    out.sort_by_key(|f| (f.start, f.end));
    out.dedup_by(|x, y| x.start == y.start && x.end == y.end);
    sides_named_alone(text, tokens, &mut out);
    clubs_named_after_towns(text, g, &mut out);
    names_with_commas(text, g, &mut out);
    dateline_agencies(text, &mut out);
    people_named_again(text, tokens, g, &mut out);
    things_said_of_as_it(text, tokens, g, &mut out);
    groups_written_small(tokens, &mut out);
    places_named_by_context(text, tokens, g, &mut out);
    state_abbreviations(text, tokens, g, &mut out);
    out.retain(|f| !products_and_phrases(f, &text[f.start..f.end]) && !in_handle_or_link(text, f.start));
    out
}

/// US states as news agencies abbreviate them after a town or a party
/// letter: "Orange County, Calif., sheriff", "Ilhan Omar, D-Minn.", "R-W.Va.".
const US_STATES_AP: &[(&str, &str)] = &[
    ("Ala", "Alabama"),
    ("Ariz", "Arizona"),
    ("Ark", "Arkansas"),
    ("Calif", "California"),
    ("Colo", "Colorado"),
    ("Conn", "Connecticut"),
    ("Del", "Delaware"),
    ("Fla", "Florida"),
    ("Ga", "Georgia"),
    ("Ill", "Illinois"),
    ("Ind", "Indiana"),
    ("Kan", "Kansas"),
    ("Kans", "Kansas"),
    ("Ky", "Kentucky"),
    ("La", "Louisiana"),
    ("Md", "Maryland"),
    ("Mass", "Massachusetts"),
    ("Mich", "Michigan"),
    ("Minn", "Minnesota"),
    ("Miss", "Mississippi"),
    ("Mo", "Missouri"),
    ("Mont", "Montana"),
    ("Neb", "Nebraska"),
    ("Nev", "Nevada"),
    ("N.H", "New Hampshire"),
    ("N.J", "New Jersey"),
    ("N.M", "New Mexico"),
    ("N.Y", "New York"),
    ("N.C", "North Carolina"),
    ("N.D", "North Dakota"),
    ("Okla", "Oklahoma"),
    ("Ore", "Oregon"),
    ("Pa", "Pennsylvania"),
    ("R.I", "Rhode Island"),
    ("S.C", "South Carolina"),
    ("S.D", "South Dakota"),
    ("Tenn", "Tennessee"),
    ("Vt", "Vermont"),
    ("Va", "Virginia"),
    ("Wash", "Washington"),
    ("W.Va", "West Virginia"),
    ("Wis", "Wisconsin"),
    ("Wyo", "Wyoming"),
];

/// The state of a dateline or a lawmaker's party tag, abbreviated with its
/// period ("Calif.", "D-Minn."), is the place. Only after a capitalised
/// word and a comma, or after "D-", "R-" or "I-": alone, "Miss." and "Ind."
/// are other words.
fn state_abbreviations(text: &str, tokens: &[Token<'_>], g: &Gazetteer, out: &mut Vec<Found>) {
    for (k, t) in tokens.iter().enumerate() {
        let party = ["D-", "R-", "I-"].iter().any(|p| t.text.starts_with(p));
        let after_town = k >= 2 && tokens[k - 1].text == "," && tokens[k - 2].is_capitalised();
        if !party && !after_town {
            continue;
        }
        // Matched on the text: the tokenizer splits "R-W.Va." its own way.
        let start = if party { t.start + 2 } else { t.start };
        let rest = &text[start..];
        let us_state = |name: &str| {
            g.lookup(&name.to_lowercase()).iter().copied().find(|&p| {
                let row = &g.places[p as usize];
                row.kind == Kind::Admin1 && row.country == "US"
            })
        };
        let abbreviated = US_STATES_AP.iter().find(|(a, _)| {
            rest.strip_prefix(a)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
        });
        let (end, place) = match abbreviated {
            Some(&(abbr, state)) => (start + abbr.len() + 1, us_state(state)),
            // A party tag with the state in full: "Ted Cruz, R-Texas",
            // "D-New York".
            None if party => {
                let one = (t.end, us_state(&text[start..t.end]));
                let two = tokens
                    .get(k + 1)
                    .filter(|n| n.is_capitalised() && n.start == t.end + 1)
                    .map(|n| (n.end, us_state(&text[start..n.end])));
                match two {
                    Some((e, Some(p))) => (e, Some(p)),
                    _ => one,
                }
            }
            None => continue,
        };
        let Some(place) = place else {
            continue;
        };
        out.retain(|f| !(f.start < end && start < f.end));
        out.push(Found::named(start, end, "PLACE", Some(place)));
    }
    out.sort_by_key(|f| (f.start, f.end));
}

/// Whether a one-word demonym between `prev` and `next` (both lowercase)
/// names a language: after a verb of speech or learning, or "in"/"into",
/// with no noun after it; or before a word about the language itself.
fn names_a_language(prev: &str, next: &str) -> bool {
    const BEFORE: &[&str] = &[
        "in",
        "into",
        "speak",
        "speaks",
        "spoke",
        "speaking",
        "spoken",
        "fluent",
        "learn",
        "learns",
        "learning",
        "learned",
        "learnt",
        "teach",
        "teaches",
        "teaching",
        "taught",
        "translated",
    ];
    const AFTER: &[&str] = &[
        "language",
        "languages",
        "speaker",
        "speakers",
        "speaking",
        "dialect",
        "dialects",
        "translation",
        "translations",
        "subtitles",
        "words",
        "word",
    ];
    // "speaks French fluently": an adverb is no noun.
    let noun_follows = next.starts_with(|c: char| c.is_alphabetic()) && !STOP.contains(&next) && !next.ends_with("ly");
    (BEFORE.contains(&prev) && !noun_follows) || AFTER.contains(&next)
}

/// The entity of `out` (sorted by start) that overlaps `start..end`, found
/// by halves: the passes over every token stay linear in a long text. The
/// three entities starting last before `end` are asked, which suffices while
/// entities do not nest (the name rules keep one entity per span of text).
fn overlapping(out: &[Found], start: usize, end: usize) -> Option<usize> {
    let after = out.partition_point(|f| f.start < end);
    (after.saturating_sub(3)..after).rev().find(|&i| out[i].end > start)
}

/// Places the gazetteer does not hold, named by what the text says of them:
/// a lowercase place word after the name ("in Pangram area", "the
/// Saemangeum area", "Logar province"), or a known region or country right
/// after it ("from Xilingol in Inner Mongolia", "in Senkata, Bolivia").
/// Only runs of one to three capitalised words that no rule named, none a
/// word that is never a name, and not opening a sentence unless no English
/// word at all.
fn places_named_by_context(text: &str, tokens: &[Token<'_>], g: &Gazetteer, out: &mut Vec<Found>) {
    const PLACE_WORDS: &[&str] = &[
        "area",
        "province",
        "district",
        "county",
        "region",
        "village",
        "town",
        "city",
        "township",
        "municipality",
        "prefecture",
        "governorate",
        "oblast",
        "neighbourhood",
        "neighborhood",
        "suburb",
        "valley",
    ];
    let named = |t: &Token, out: &[Found]| overlapping(out, t.start, t.end).is_some();
    let region_or_country_at = |i: usize, out: &[Found]| {
        tokens.get(i).is_some_and(|t| {
            overlapping(out, t.start, t.end).is_some_and(|k| {
                let f = &out[k];
                f.start == t.start
                    && f.label == "PLACE"
                    && f.place
                        .is_some_and(|p| matches!(g.places[p as usize].kind, Kind::Country | Kind::Admin1))
            })
        })
    };
    let mut added = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_cap_word(&tokens[i]) || named(&tokens[i], out) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < tokens.len()
            && is_cap_word(&tokens[j])
            && !named(&tokens[j], out)
            && tokens[j].sentence == tokens[i].sentence
        {
            j += 1;
        }
        let run = &tokens[i..j];
        // The context first, which few runs have; the word lists after.
        let prev = if i > 0 { tokens[i - 1].text } else { "" };
        let next = tokens.get(j).map_or("", |t| t.text);
        let by_word = PLACE_WORDS.contains(&next);
        let by_region = matches!(prev, "in" | "from" | "near" | "outside")
            && (next == "in" || next == ",")
            && region_or_country_at(j + 1, out);
        let opens_sentence = i == 0 || tokens[i - 1].sentence != tokens[i].sentence;
        let name_like = || {
            run.len() <= 3
                && run.iter().all(|t| {
                    let w = t.text;
                    english_word(w) != Some(true)
                        && !STOP.contains(&w.to_lowercase().as_str())
                        && !given_name(w)
                        && w.chars().skip(1).any(char::is_lowercase)
                })
                && (!opens_sentence || english_word(run[0].text).is_none())
        };
        if (by_word || by_region) && name_like() {
            let (start, end) = (run[0].start, run[run.len() - 1].end);
            if g.lookup(&text[start..end].to_lowercase()).is_empty() {
                added.push(Found::named(start, end, "PLACE", None));
            }
        }
        i = j.max(i + 1);
    }
    if !added.is_empty() {
        out.extend(added);
        out.sort_by_key(|f| (f.start, f.end));
    }
}

/// Group words that news writes in lower case as often as not
/// ("mujahideen", "neo-Nazis"): the capitalised runs never see them.
fn groups_written_small(tokens: &[Token<'_>], out: &mut Vec<Found>) {
    for t in tokens {
        if !t.text.starts_with(|c: char| c.is_ascii_lowercase()) {
            continue;
        }
        if ["mujahideen", "neo-nazi", "neo-nazis"]
            .iter()
            .any(|w| t.text.eq_ignore_ascii_case(w))
            && !out.iter().any(|f| f.start < t.end && t.start < f.end)
        {
            out.push(Found::named(t.start, t.end, "GROUP", None));
        }
    }
    out.sort_by_key(|f| (f.start, f.end));
}

/// A one-word name the text speaks of as "its" or "which" is a company or
/// another organisation, not a person, in all its mentions: "Nissan says
/// its new engine", "Instagram, which began testing". Only names no person
/// named in full in the text ends with: after "Anthony Davis", "Davis said
/// its rim" is still Davis. A word that names nothing else is an
/// organisation in all its mentions, also where no rule named it, when the
/// text gives it a company's cue or cites it as a source ("told Mashable").
fn things_said_of_as_it(text: &str, tokens: &[Token<'_>], g: &Gazetteer, out: &mut Vec<Found>) {
    let surnames: Vec<&str> = out
        .iter()
        .filter(|f| f.label == "PERSON")
        .map(|f| &text[f.start..f.end])
        .filter(|t| t.contains(char::is_whitespace))
        .filter_map(|t| t.split_whitespace().last())
        .collect();
    // Any mention of the name in the text counts, found as a name or not:
    // "Instacart said …" then "Instacart, which delivers food". One pass
    // collects every word so spoken of.
    let word = |i: usize| tokens.get(i).map_or("", |t| t.text);
    // Where a company's cue stands ("Huawei, the … company", "analyst at
    // Oanda"), found once for both uses below.
    let company_cued: Vec<usize> = (0..tokens.len())
        .filter(|&k| {
            owns_as_a_company(tokens, k)
                || works_at(tokens, k)
                || in_apposition_with_a_kind(tokens, k)
                || staff_of(tokens, k)
        })
        .collect();
    let spoken_of_as_it: Vec<&str> = (0..tokens.len())
        .filter(|&k| {
            let speaks = [
                "said",
                "says",
                "told",
                "announced",
                "added",
                "stated",
                "confirmed",
                "expects",
            ]
            .iter()
            .any(|v| word(k + 1).eq_ignore_ascii_case(v));
            // Not "said it": "Halvorsen said it was late" is a person too.
            speaks && word(k + 2).eq_ignore_ascii_case("its")
                || word(k + 1) == "," && word(k + 2).eq_ignore_ascii_case("which")
                || company_cued.binary_search(&k).is_ok()
        })
        .map(|k| bare(tokens[k].text))
        .collect();
    let as_it = |name: &str| spoken_of_as_it.contains(&name);
    let mut orgs: Vec<String> = Vec::new();
    for f in out.iter() {
        let name = &text[f.start..f.end];
        if f.label == "PERSON"
            && !name.contains(char::is_whitespace)
            && !surnames.contains(&name)
            && !orgs.iter().any(|o| o == name)
            && as_it(name)
        {
            orgs.push(name.to_string());
        }
    }
    for f in out.iter_mut() {
        if f.label == "PERSON" && orgs.iter().any(|o| o == &text[f.start..f.end]) {
            f.label = "ORG";
        }
    }
    // "sell to Huawei, the embattled Chinese tech company": a word no rule
    // named, that the text sets beside a kind of organisation, gives its
    // shares, employs an analyst or cites as a source, is that organisation
    // in every mention. Only a word that names nothing else: no English
    // word, given name or place, and no surname of a person named in full.
    // "told Mashable", "reported by Axios": a lone word cited as a source
    // is an outlet or a body, unless a rule read a mention of it as a
    // person ("told Trump" after "President Trump").
    let cited: Vec<usize> = (0..tokens.len()).filter(|&k| cited_as_a_source(tokens, k)).collect();
    let mut strong: Vec<&str> = company_cued
        .iter()
        .chain(&cited)
        .map(|&k| bare(tokens[k].text))
        .filter(|&w| {
            w.len() >= 2
                && w.starts_with(|c: char| c.is_uppercase())
                && w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '&')
                && english_word(w).is_none()
                && !given_name(w)
                && g.lookup(w).is_empty()
                && !surnames.contains(&w)
                && !STOP.contains(&w.to_lowercase().as_str())
                && !TITLES.contains(&w.to_lowercase().as_str())
        })
        .collect();
    // Each word once, and a bounded number of them: every one costs a pass
    // over the tokens.
    strong.sort_unstable();
    strong.dedup();
    strong.truncate(64);
    if strong.is_empty() {
        return;
    }
    out.sort_by_key(|f| (f.start, f.end));
    // A mention read as a person, or as a place the gazetteer does not
    // know ("an analyst at Brindlay"), is retyped; one read otherwise keeps
    // its reading, and the word is left alone.
    let mut added = Vec::new();
    for &w in &strong {
        let mentions: Vec<(usize, Option<usize>)> = tokens
            .iter()
            .filter(|t| bare(t.text) == w)
            .map(|t| (t.start, overlapping(out, t.start, t.end)))
            .collect();
        let retypable = |f: &Found| {
            &text[f.start..f.end] == w && matches!((f.label, f.place), ("PERSON" | "ORG", _) | ("PLACE", None))
        };
        let only_cited = !company_cued.iter().any(|&k| bare(tokens[k].text) == w);
        let clash = mentions
            .iter()
            .any(|&(_, i)| i.is_some_and(|i| !retypable(&out[i]) || only_cited && out[i].label == "PERSON"));
        if clash {
            continue;
        }
        for (start, i) in mentions {
            match i {
                Some(i) => out[i].label = "ORG",
                None => added.push(Found::named(start, start + w.len(), "ORG", None)),
            }
        }
    }
    if !added.is_empty() {
        out.extend(added);
        out.sort_by_key(|f| (f.start, f.end));
    }
}

/// "Huawei's shares", "Nvidia's chief executive": what a company has and a
/// person does not (not "spokesman": leaders have those too).
fn owns_as_a_company(tokens: &[Token<'_>], k: usize) -> bool {
    const OWNED: &[&str] = &[
        "shares",
        "stock",
        "revenue",
        "revenues",
        "profit",
        "profits",
        "earnings",
        "subsidiary",
        "subsidiaries",
        "headquarters",
        "ceo",
        "chief executive",
        "chief executive officer",
        "board of directors",
        "market value",
        "share price",
        "shareholders",
        "stock price",
    ];
    let Some(t) = tokens.get(k) else { return false };
    if !ends_with_possessive(t.text) {
        return false;
    }
    let after: Vec<String> = tokens[k + 1..tokens.len().min(k + 4)]
        .iter()
        .map(|t| t.text.to_lowercase())
        .collect();
    (1..=after.len()).any(|n| OWNED.contains(&after[..n].join(" ").as_str()))
}

/// "told Mashable", "Axios reported", "according to Politico", "in an
/// interview with Bloomberg": a lone capitalised word cited as the source of
/// news.
fn cited_as_a_source(tokens: &[Token<'_>], k: usize) -> bool {
    let Some(t) = tokens.get(k) else { return false };
    let lower = |i: usize| tokens.get(i).map(|t| t.text.to_lowercase()).unwrap_or_default();
    let capital = |i: Option<usize>| i.and_then(|i| tokens.get(i)).is_some_and(|t| t.is_capitalised());
    if !t.is_capitalised() || capital(k.checked_sub(1)) || capital(Some(k + 1)) {
        return false;
    }
    // Each neighbour lowercased once.
    let before = |n: usize| k.checked_sub(n).map(&lower).unwrap_or_default();
    let (b1, b2, after) = (before(1), before(2), lower(k + 1));
    // A reporter is the clause's subject: not "people with BED reported".
    let subject = !matches!(
        b1.as_str(),
        "with" | "of" | "for" | "from" | "in" | "on" | "to" | "by" | "at" | "without" | "among"
    );
    subject && matches!(after.as_str(), "reported" | "reports")
        || b1 == "told" && after != "that"
        || b1 == "by" && matches!(b2.as_str(), "reported" | "published" | "obtained")
        || b1 == "to" && b2 == "according"
        || b1 == "with" && matches!(b2.as_str(), "interview" | "interviews")
}

/// "Keidanren chairman Masakazu Tokura", "Tepco officials", "Caltrans
/// employees": a lone word before the staff only a body has.
fn staff_of(tokens: &[Token<'_>], k: usize) -> bool {
    const STAFF: &[&str] = &[
        "chairman",
        "chairwoman",
        "chairperson",
        "ceo",
        "officials",
        "executives",
        "employees",
        "shareholders",
    ];
    // Not a spokesman: people have those too ("Pelosi spokesman Drew
    // Hammill").
    let capital = |i: Option<usize>| i.and_then(|i| tokens.get(i)).is_some_and(|t| t.is_capitalised());
    capital(Some(k))
        && (k == 0 || !capital(Some(k - 1)) || is_stop(tokens[k - 1].text))
        && tokens
            .get(k + 1)
            .is_some_and(|t| STAFF.contains(&t.text.to_lowercase().as_str()) && !t.is_capitalised())
}

/// "analyst at Oanda", "an economist with ING": a job's holder works at a
/// body, not at a person.
fn works_at(tokens: &[Token<'_>], k: usize) -> bool {
    const JOBS: &[&str] = &[
        "analyst",
        "economist",
        "strategist",
        "researcher",
        "engineer",
        "executive",
        "scientist",
        "trader",
        "manager",
        "employee",
        "employees",
        "spokesperson",
        "spokesman",
        "spokeswoman",
    ];
    k >= 2 && matches!(tokens[k - 1].text, "at" | "with") && JOBS.contains(&tokens[k - 2].text.to_lowercase().as_str())
}

/// "Oanda, a currency data firm,", "Sonos, the speaker maker": a name set
/// beside a kind of organisation. The kind must come within five words of
/// the article, before any other comma.
fn in_apposition_with_a_kind(tokens: &[Token<'_>], k: usize) -> bool {
    if tokens.get(k + 1).map(|t| t.text) != Some(",")
        || !tokens
            .get(k + 2)
            .is_some_and(|t| matches!(t.text.to_lowercase().as_str(), "a" | "an" | "the"))
    {
        return false;
    }
    // The kind heads the apposition: what follows it ends or continues the
    // phrase, so "a firm believer", "a former bank manager" and "the
    // company's founder" are people.
    let ends_phrase = |t: Option<&Token>| {
        t.is_none_or(|t| {
            matches!(
                t.text,
                "," | "."
                    | ";"
                    | ")"
                    | "that"
                    | "which"
                    | "whose"
                    | "in"
                    | "with"
                    | "based"
                    | "owned"
                    | "backed"
                    | "headquartered"
                    | "founded"
                    | "of"
                    | "and"
            )
        })
    };
    let end = tokens.len().min(k + 8);
    (k + 3..end)
        .take_while(|&i| tokens[i].text != "," && tokens[i].sentence == tokens[k].sentence)
        .any(|i| {
            let w = tokens[i].text;
            (ORG_KINDS.contains(&w.to_lowercase().as_str()) || matches!(w, "maker" | "makers"))
                && ends_phrase(tokens.get(i + 1))
        })
}

/// Capitalised runs that are no one's name, whatever the rules or the tagger
/// made of them: a product with a model number or a model's word ("Dell G3",
/// "RAV4 Prime", "AirPods Pro", "Switch Lite") read as a person, and words
/// with a contraction ("We’re", "We’re On It"), a slogan or a sentence's
/// start.
fn products_and_phrases(f: &Found, name: &str) -> bool {
    let contraction = name.split_whitespace().any(|w| {
        let w = w.replace('\u{2019}', "'").to_lowercase();
        ["'re", "'ve", "'ll", "'m", "n't", "'d"].iter().any(|c| w.ends_with(c))
    });
    let product = f.label == "PERSON"
        && name.split_whitespace().any(|w| {
            let letters = w.chars().any(char::is_alphabetic);
            let digits = w.chars().any(|c| c.is_ascii_digit());
            letters && digits
                || matches!(
                    w,
                    "Pro" | "Plus" | "Ultra" | "Mini" | "Lite" | "Edition" | "Bundle" | "Series" | "HD" | "HDTV"
                )
        });
    // No one's name holds a possessive before its last word: "Invoxia's
    // Triby" is a company's product.
    let owned = f.label == "PERSON" && {
        let ws: Vec<&str> = name.split_whitespace().collect();
        ws.len() >= 2 && ws[..ws.len() - 1].iter().any(|w| ends_with_possessive(w))
    };
    // A disease is no one ("Small Cell Lung Cancer").
    let disease = f.label == "PERSON"
        && matches!(
            name.split_whitespace().last(),
            Some("Cancer" | "Disease" | "Syndrome" | "Disorder" | "Virus" | "Fever" | "Sclerosis" | "Infection")
        );
    // A head of state's aircraft by its call sign ("Air Force One").
    let call_sign = matches!(name, "Air Force One" | "Marine One" | "Army One" | "Navy One");
    // A market index, whichever reading gave it ("MSCI Asia Pacific Index").
    let index = f.label != "GROUP" && matches!(name.split_whitespace().last(), Some("Index" | "Composite" | "Average"));
    contraction || product || owned || index || call_sign || disease
}

/// One name, one referent in an article: a person named in full ("Fiona
/// Hill", "Anthony Davis") is that person wherever the name comes back,
/// whole or by surname alone, even where the rules read the words on their
/// own as a place or an organisation ("his predecessor, Fiona Hill," with a
/// hill's name; "Davis said" with a town's). A country or a first-level
/// region keeps its reading ("Jordan" stays the country beside "Michael
/// Jordan"): those are far more often meant than a surname.
fn people_named_again(text: &str, tokens: &[Token<'_>], g: &Gazetteer, out: &mut Vec<Found>) {
    // Only plain personal names count as evidence: two or three capitalised
    // words, no connector ("Rosaly Lopes of NASA"), no acronym, none of them
    // an English word that is never a name. Middle initials and a
    // generational suffix are passed over ("Patrick W. Carlineo Jr." is
    // Carlineo).
    let plain_word = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
            && english_word(w) != Some(true)
    };
    let passed_over = |w: &str| {
        let w = w.trim_end_matches(',');
        matches!(w, "Jr." | "Jr" | "Sr." | "Sr" | "II" | "III" | "IV")
            || w.len() == 2 && w.ends_with('.') && w.starts_with(|c: char| c.is_ascii_uppercase())
    };
    let mut full: Vec<&str> = Vec::new();
    let mut surnames: Vec<&str> = Vec::new();
    for f in out.iter().filter(|f| f.label == "PERSON") {
        let name = &text[f.start..f.end];
        let words: Vec<&str> = name.split_whitespace().filter(|w| !passed_over(w)).collect();
        if (2..=3).contains(&words.len()) && words.iter().all(|w| plain_word(w)) {
            full.push(name);
            surnames.extend(words.last());
        }
    }
    if full.is_empty() {
        return;
    }
    for f in out.iter_mut() {
        let name = &text[f.start..f.end];
        let whole = (f.label == "PLACE" || f.label == "ORG") && full.contains(&name);
        // A surname read as a town ("Davis said"), or as an organisation
        // when it is no English word ("McDonald"); never a country, a
        // region, a continent or an acronym.
        let surname = !name.contains(char::is_whitespace)
            && plain_word(name)
            && surnames.contains(&name)
            && match f.label {
                "PLACE" => f.place.is_some_and(|p| g.places[p as usize].kind == Kind::City),
                "ORG" => english_word(name).is_none() && !is_camel_case(name),
                _ => false,
            };
        // A company's name with its "’s" ("McDonald’s"), where the text
        // names a person of that surname ("Michael McDonald"): the person's
        // possessive.
        let owner = bare(name);
        if f.label == "ORG" && owner.len() < name.len() && surnames.contains(&owner) {
            f.end = f.start + owner.len();
            f.label = "PERSON";
            f.place = None;
        }
        if whole || surname {
            f.label = "PERSON";
            f.place = None;
        }
    }
    // A surname no rule named ("Carlineo faces", "Carlineo's attorney") is
    // the person: standing alone, as no part of a longer capitalised run
    // ("Dick Clark Productions", "the Cosby Show"), no pronoun or stop word
    // ("He Jianxiong" gives no "He has"), and not opening a sentence as an
    // English word ("Young voters" beside "Neil Young").
    out.sort_by_key(|f| (f.start, f.end));
    let mut added = Vec::new();
    let cap_at = |k: usize| tokens.get(k).is_some_and(is_cap_word);
    for (k, t) in tokens.iter().enumerate() {
        let name = bare(t.text);
        let opens_sentence = k == 0 || tokens[k - 1].sentence != t.sentence;
        if is_cap_word(t)
            && surnames.contains(&name)
            && !(k > 0 && cap_at(k - 1) && tokens[k - 1].sentence == t.sentence)
            && !(cap_at(k + 1) && tokens[k + 1].sentence == t.sentence)
            && !STOP.contains(&name.to_lowercase().as_str())
            && (!opens_sentence || english_word(name).is_none())
            && overlapping(out, t.start, t.end).is_none()
        {
            added.push(Found::named(t.start, t.start + name.len(), "PERSON", None));
        }
    }
    if !added.is_empty() {
        out.extend(added);
        out.sort_by_key(|f| (f.start, f.end));
    }
}

/// The news agency of a dateline: "SEOUL, Aug. 20 (Yonhap) --", "LISBON
/// (Reuters) -". Capitalised words in brackets right before a dash name the
/// organisation that filed the story, known to the rules or not.
fn dateline_agencies(text: &str, out: &mut Vec<Found>) {
    let mut from = 0;
    while let Some(i) = text[from..].find(')').map(|i| from + i) {
        from = i + 1;
        let after = text[i + 1..].trim_start_matches(' ');
        if !["--", "-", "\u{2014}", "\u{2013}"].iter().any(|d| after.starts_with(d)) {
            continue;
        }
        // An agency's name is short: look back a little, not to the start
        // (a text of many brackets would cost its length squared).
        let mut lo = i.saturating_sub(80);
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        let Some(open) = text[lo..i].rfind('(').map(|o| lo + o) else {
            continue;
        };
        let (start, end) = (open + 1, i);
        let name = &text[start..end];
        let words: Vec<&str> = name.split(' ').collect();
        let fits = (1..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '&' | '\''))
            });
        if !fits {
            continue;
        }
        out.retain(|f| f.end <= start || f.start >= end);
        let at = out.partition_point(|f| f.start < start);
        out.insert(at, Found::named(start, end, "ORG", None));
    }
}

/// Organisations whose names hold a comma, which ends a run of capitalised
/// words: a ministry's list of portfolios ("Ministry of Trade, Industry and
/// Energy": common words, closed by "and") and a university's campus
/// ("University of California, Berkeley": a place the gazetteer knows,
/// ending the clause).
fn names_with_commas(text: &str, g: &Gazetteer, out: &mut Vec<Found>) {
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut k = 0;
    while k < out.len() {
        let f = &out[k];
        let name = &text[f.start..f.end];
        let head = name.split_whitespace().next().unwrap_or("").to_lowercase();
        let mut new_end = None;
        if f.label == "ORG" && name.contains(" of ") {
            let rest = &text[f.end..];
            if matches!(head.as_str(), "ministry" | "department" | "secretariat") {
                // ", Word" repeated, then " and Word".
                let mut at = 0;
                let mut items = 0;
                while let Some(r) = rest[at..].strip_prefix(", ") {
                    let w = r.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                    if !capitalised(w) || !is_common_word(w) {
                        break;
                    }
                    at += 2 + w.len();
                    items += 1;
                }
                if let Some(r) = rest[at..].strip_prefix(" and ").or(rest[at..].strip_prefix(", and ")) {
                    let w = r.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                    let skip = rest[at..].len() - r.len();
                    if items > 0 && capitalised(w) && is_common_word(w) {
                        new_end = Some(f.end + at + skip + w.len());
                    }
                }
            } else if head == "university" {
                if let Some(r) = rest.strip_prefix(", ") {
                    let w = r
                        .split(|c: char| !(c.is_alphanumeric() || c == ' '))
                        .next()
                        .unwrap_or("");
                    // The campus's words up to the clause's next word that is not a name.
                    let campus: Vec<&str> = w.split(' ').take_while(|x| capitalised(x)).collect();
                    let campus = campus.join(" ");
                    if !campus.is_empty() && !g.lookup(&campus).is_empty() {
                        new_end = Some(f.end + 2 + campus.len());
                    }
                }
            }
        }
        if let Some(end) = new_end {
            let start = out[k].start;
            out[k].end = end;
            // What the longer name now covers was part of it.
            let mut i = 0;
            out.retain(|x| {
                let keep = i == k || x.end <= start || x.start >= end;
                i += 1;
                keep
            });
            k = out.iter().position(|x| x.start == start && x.end == end).unwrap_or(k);
        }
        k += 1;
    }
}

/// First and last words by which sports clubs are named after their towns
/// ("FC Porto", "Real Madrid", "Tottenham Hotspur", "Manchester United").
const CLUB_FIRST: &[&str] = &[
    "FC",
    "AC",
    "AS",
    "SC",
    "CF",
    "SV",
    "Real",
    "Inter",
    "Atletico",
    "Atlético",
    "Sporting",
    "Olympique",
    "Dynamo",
    "Dinamo",
    "Borussia",
];
/// Roles a club has and a town has not, after the club's name.
const CLUB_ROLES: &[&str] = &[
    "manager",
    "boss",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "winger",
    "full-back",
    "centre-back",
    "center-back",
];

const CLUB_LAST: &[&str] = &[
    "FC",
    "AFC",
    "CF",
    "United",
    "Hotspur",
    "Rovers",
    "Wanderers",
    "Athletic",
    "Albion",
    "Rangers",
    "Argyle",
];

/// Words before a name that make it the place itself ("in Manchester").
const LOCATIVES: &[&str] = &[
    "in", "at", "near", "from", "outside", "across", "around", "into", "through", "to",
];

/// A side of a match's result that no rule named ("Spurs beat Arsenal
/// 2-1", "drew 1-1 with Everton"): a run of capitalised words no entity
/// covers, beside a result verb in a sentence with a score, is a club or a
/// team. Not a stop word ("He beat …") nor a given name, and not where the
/// sentence reads as a tennis result ("Federer beat Nadal 6-4, 6-3": sets,
/// or a set's score), whose sides are players.
fn sides_named_alone(text: &str, tokens: &[Token<'_>], out: &mut Vec<Found>) {
    let sets = |start: usize, end: usize| {
        let (from, to) = result_sentence(text, start, end);
        // Each score with its word's place in the sentence: sets follow one
        // another ("6-4, 6-3"); two matches' results do not.
        let scores: Vec<(usize, u32, u32)> = text[from..to]
            .split_whitespace()
            .enumerate()
            .filter_map(|(i, w)| score(w).map(|(x, y)| (i, x, y)))
            .collect();
        scores.windows(2).any(|p| p[1].0 == p[0].0 + 1)
            || scores
                .iter()
                .any(|&(_, x, y)| (6..=7).contains(&x.max(y)) && x.min(y) <= 5)
    };
    let mut added = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        if !is_cap_word(&tokens[k]) || is_stop(tokens[k].text) {
            k += 1;
            continue;
        }
        let mut e = k + 1;
        while e < tokens.len() && e - k < 3 && is_cap_word(&tokens[e]) && tokens[e].sentence == tokens[k].sentence {
            e += 1;
        }
        let (start, end) = (tokens[k].start, tokens[e - 1].start + bare(tokens[e - 1].text).len());
        if overlapping(out, start, end).is_none()
            && !(e == k + 1 && given_name(tokens[k].text))
            && plays_in_a_result(text, start, end)
            && !sets(start, end)
        {
            added.push(Found::named(start, end, "ORG", None));
        }
        k = e;
    }
    if !added.is_empty() {
        out.extend(added);
        out.sort_by_key(|f| (f.start, f.end));
    }
}

/// Sports clubs named after their towns are organisations (metonymy: the
/// town's name stands for the club). A club-form name ([`CLUB_FIRST`],
/// [`CLUB_LAST`]) around a town the gazetteer knows is an ORG; a town in a
/// plain list with such a club ("managed FC Porto, Chelsea and Inter
/// Milan") is one too; and in a text that names a club, its town's bare name
/// is the club wherever no locative word makes it the place ("Porto won";
/// not "in Porto").
fn clubs_named_after_towns(text: &str, g: &Gazetteer, out: &mut [Found]) {
    let mut towns: Vec<String> = Vec::new();
    let mut club = vec![false; out.len()];
    for (k, f) in out.iter_mut().enumerate() {
        let words: Vec<&str> = text[f.start..f.end].split_whitespace().collect();
        let n = words.len();
        // "the Liverpool manager", "Napoli striker Victor Osimhen": a town
        // before a role only a club has is the club.
        let club_role = text[f.end..]
            .split_whitespace()
            .next()
            .is_some_and(|w| CLUB_ROLES.contains(&w.trim_end_matches([',', '.'])));
        let city = f.place.is_some_and(|p| g.places[p as usize].kind == Kind::City);
        if n <= 3 && f.label == "PLACE" && (plays_in_a_result(text, f.start, f.end) || city && club_role) {
            f.label = "ORG";
            f.place = None;
            club[k] = true;
            towns.push(words.join(" "));
            continue;
        }
        if n < 2 {
            continue;
        }
        let town = if CLUB_FIRST.contains(&words[0]) {
            words[1..].join(" ")
        } else if CLUB_LAST.contains(&words[n - 1]) {
            words[..n - 1].join(" ")
        } else {
            continue;
        };
        if g.lookup(&town).is_empty() {
            continue;
        }
        f.label = "ORG";
        f.place = None;
        club[k] = true;
        towns.push(town);
    }
    if towns.is_empty() {
        return;
    }
    // Lists: a place joined to a club by a comma or "and" is a club too
    // (forward, then backward, so a run of them all turn).
    let joined =
        |a: &Found, b: &Found| a.end <= b.start && matches!(text[a.end..b.start].trim(), "," | "and" | ", and");
    let after_locative = |start: usize| {
        let before = text[..start]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        LOCATIVES.contains(&before.as_str())
    };
    for k in (1..out.len()).chain((1..out.len()).rev()) {
        let (a, b) = (k - 1, k);
        if !joined(&out[a], &out[b]) {
            continue;
        }
        // "in Madrid and Manchester United": the list is a list of places.
        let mut first = a;
        while first > 0 && joined(&out[first - 1], &out[first]) {
            first -= 1;
        }
        if after_locative(out[first].start) {
            continue;
        }
        for (from, to) in [(a, b), (b, a)] {
            if club[from] && !club[to] && out[to].label == "PLACE" {
                out[to].label = "ORG";
                out[to].place = None;
                club[to] = true;
                towns.push(text[out[to].start..out[to].end].to_string());
            }
        }
    }
    for f in out.iter_mut() {
        let name = &text[f.start..f.end];
        if f.label != "PLACE" || !towns.iter().any(|t| t == name) {
            continue;
        }
        if !after_locative(f.start) {
            f.label = "ORG";
            f.place = None;
        }
    }
}

/// Verbs of a match's result ("Liverpool beat Chelsea 2-0").
const RESULT_VERBS: &[&str] = &[
    "beat",
    "beats",
    "defeated",
    "defeats",
    "thrashed",
    "edged",
    "drew",
    "draw",
    "lost",
    "loses",
    "routed",
    "hammered",
    "overcame",
    "stunned",
    "downed",
    "crushed",
    "thumped",
    "trounced",
    "outscored",
    "blanked",
];

/// The sentence around `start..end` as a match report is read: between
/// full stops, semicolons and line breaks.
fn result_sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    let from = text[..start].rfind(['.', '\n', ';']).map_or(0, |i| i + 1);
    let to = text[end..].find(['.', '\n', ';']).map_or(text.len(), |i| end + i);
    (from, to)
}

/// A word written as a score ("2-1", "(6-4)", "3\u{2013}0,"): its two sides.
fn score(w: &str) -> Option<(u32, u32)> {
    let w = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')'));
    let mut parts = w.split(['-', '\u{2013}']);
    let (Some(x), Some(y), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let goals = |p: &str| {
        if (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    Some((goals(x)?, goals(y)?))
}

/// Whether the name at `start..end` is a side in a match's result: a verb
/// of one right after it or before it ("Liverpool beat Chelsea", "drew 1-1
/// with Everton", "lost 3-1 to West Ham") and a score in the same sentence.
fn plays_in_a_result(text: &str, start: usize, end: usize) -> bool {
    let (sentence_start, sentence_end) = result_sentence(text, start, end);
    let score = |w: &str| score(w).is_some();
    if !text[sentence_start..sentence_end].split_whitespace().any(score) {
        return false;
    }
    let verb = |w: &str| RESULT_VERBS.contains(&w.to_lowercase().as_str());
    let after = text[end..sentence_end].split_whitespace().next().unwrap_or("");
    // Before it: the verb, with a score and "with", "to" or "over" at most
    // between ("drew 1-1 with Everton").
    let before: Vec<&str> = text[sentence_start..start].split_whitespace().rev().take(3).collect();
    let between = |w: &&str| matches!(*w, "with" | "to" | "against" | "over" | "the") || score(w);
    let verb_before = match before.iter().position(|w| verb(w)) {
        Some(i) => before[..i].iter().all(between),
        None => false,
    };
    verb(after) || verb_before
}

/// A tagger's name as a found entity; a place is resolved when the gazetteer
/// knows its name.
fn model_found(text: &str, g: &Gazetteer, s: &crate::tagger::Span, countries: &[String], regions: &[String]) -> Found {
    let place = if s.label == "PLACE" {
        let cands = g.lookup(&text[s.start..s.end]);
        (!cands.is_empty()).then(|| resolve(g, cands, countries, regions))
    } else {
        None
    };
    Found::named(s.start, s.end, s.label, place)
}

/// Words of quantity that open a sentence before "of" ("Most of", "Half of").
const QUANTITY_HEADS: &[&str] = &[
    "Most", "Many", "Some", "All", "None", "Each", "One", "Both", "Much", "Part", "Rest", "Half", "Few", "Several",
];

/// Whether a word (trailing "." or "," aside, any case) is one of
/// [`ORG_WORDS`].
fn is_org_word(w: &str) -> bool {
    // "Co." only as written after a company's name: "CO" is Colorado's or
    // carbon monoxide's.
    ORG_WORDS.contains(&w.trim_end_matches(['.', ',']).to_lowercase().as_str()) || matches!(w, "Co." | "Co.,")
}

fn ends_with_possessive(t: &str) -> bool {
    t.ends_with("\u{2019}s") || t.ends_with("'s")
}

/// Whether the possessive before token `b` is inside an organisation's name
/// ("Bartholomew County Sheriff's Office", "U.S. Attorney's Office",
/// "People's Liberation Army"): the possessive word is a common noun, not a
/// name ("Britain's Foreign Office" is two), and the capitalised words after
/// it end in an organisation's word.
fn possessive_in_org_name(tokens: &[Token<'_>], b: usize) -> bool {
    let owner = bare(tokens[b - 1].text);
    if english_word(owner) != Some(true) {
        return false;
    }
    let mut c = b;
    while c < tokens.len() && is_cap_word(&tokens[c]) && tokens[c].sentence == tokens[b].sentence && c - b < 4 {
        if is_org_word(tokens[c].text) {
            return true;
        }
        if ends_with_possessive(tokens[c].text) {
            return false;
        }
        c += 1;
    }
    false
}

/// Whether the possessive before token `b` is inside a street's or a
/// feature's name ("Cooper's Lane", "Tanner's Yard", "King's Cross" is not:
/// only a feature's word ending the name counts). Not after a country or a
/// region: "Britain's Lake District" is Britain's.
fn possessive_in_street_name(tokens: &[Token<'_>], b: usize, g: &Gazetteer) -> bool {
    let feature = |t: &Token| FEATURE_LAST.contains(&t.text.to_lowercase().as_str());
    let ends_there = tokens
        .get(b + 1)
        .is_none_or(|t| !is_cap_word(t) || t.sentence != tokens[b].sentence);
    let owner = bare(tokens[b - 1].text).to_lowercase();
    feature(&tokens[b])
        && ends_there
        && !g
            .lookup(&owner)
            .iter()
            .any(|&p| matches!(g.places[p as usize].kind, Kind::Country | Kind::Admin1))
}

fn span_text(text: &str, tokens: &[Token<'_>], a: usize, b: usize) -> String {
    text[tokens[a].start..tokens[b - 1].end].to_string()
}

#[allow(clippy::too_many_arguments)]
fn classify_chunk(
    text: &str,
    tokens: &[Token<'_>],
    a: usize,
    b: usize,
    g: &Gazetteer,
    countries: &[String],
    regions: &[String],
    spelt: &[&str],
    persons: &mut Vec<String>,
    out: &mut Vec<Found>,
) {
    let start = tokens[a].start;
    let last = &tokens[b - 1];
    // Possessives end the span before "’s", unless the "’s" is part of a
    // listed company's name ("Moody's said", "McDonald’s restaurants") and
    // no person this text has named bears the name ("Rob Lowe's film"; every
    // name in `persons` is in `out` too).
    let owned = &text[start..last.end - (last.text.len() - bare(last.text).len())];
    let company_with_s = last.text.len() != bare(last.text).len()
        && is_company(&format!("{owned}'s"))
        && !out
            .iter()
            .any(|f| f.label == "PERSON" && text[f.start..f.end].split_whitespace().last() == Some(owned));
    let end = if company_with_s { last.end } else { start + owned.len() };
    let name = &text[start..end];
    let words: Vec<&str> = name.split_whitespace().collect();
    let lower = name.to_lowercase();
    let place_cands = g.lookup(&lower);
    let prev = if a > 0 {
        tokens[a - 1].text.to_lowercase()
    } else {
        String::new()
    };
    let next = tokens.get(b).map(|t| t.text.to_lowercase()).unwrap_or_default();
    let sentence_initial =
        a == 0 || tokens[a - 1].sentence != tokens[a].sentence || matches!(tokens[a - 1].text, "\u{201c}" | "\"" | "(");

    // "Leaders of Trinidad and Tobago", "Hundreds of Amazon workers": a
    // plural or a quantity opening the sentence, capitalised only for its
    // place, is no part of the name its "of" leads to. Not a body's or a
    // title's word ("Bank of England", "Governors of the Fed").
    if sentence_initial
        && b - a >= 3
        && tokens[a + 1].text == "of"
        && is_common_word(tokens[a].text)
        && !is_org_word(tokens[a].text)
        && !TITLES.contains(&tokens[a].text.to_lowercase().as_str())
        && (tokens[a].text.ends_with('s') || QUANTITY_HEADS.contains(&tokens[a].text))
    {
        classify_chunk(text, tokens, a + 2, b, g, countries, regions, spelt, persons, out);
        return;
    }
    // "Jamaica Observer", "Philadelphia Inquirer", "Barbados Advocate",
    // "Irish Independent": a place or a people before a newspaper's word is
    // that newspaper (the word may also be an office, "Advocate").
    if words.len() >= 2 && MASTHEADS.contains(&bare(words[words.len() - 1])) {
        let head = &text[start..tokens[b - 2].end];
        let head_last = bare(words[words.len() - 2]);
        // Not a small town's name ("Golden Globe"), nor an English word
        // that is no country ("North Star"; but "China Daily").
        let english_head = english_word(head).is_some();
        let known_place = g.lookup(&head.to_lowercase()).iter().any(|&p| {
            let row = &g.places[p as usize];
            row.kind == Kind::Country || !english_head && (row.kind == Kind::Admin1 || row.population >= 100_000)
        });
        if known_place
            || g.demonym(head).is_some()
            || matches!(head_last, "Daily" | "Sunday" | "Evening" | "Morning" | "Weekly")
        {
            out.push(Found::named(start, end, "ORG", None));
            return;
        }
    }
    // "Florida Democrat Val Demings", "Texas Republican Ted Cruz": a party's
    // member word before a person splits the run like a title, but it is
    // an entity itself, the party (the conventions tag party words used as
    // names).
    if let Some(k) = (a..b.saturating_sub(2)).find(|&k| {
        matches!(tokens[k].text, "Democrat" | "Republican")
            && given_name(tokens[k + 1].text)
            && (2..=3).contains(&(b - k - 1))
    }) {
        if k > a {
            classify_chunk(text, tokens, a, k, g, countries, regions, spelt, persons, out);
        }
        out.push(Found::named(tokens[k].start, tokens[k].end, "ORG", None));
        persons.push(text[tokens[k + 1].start..end].to_string());
        out.push(Found::named(tokens[k + 1].start, end, "PERSON", None));
        return;
    }
    // A title is no entity, but the name it holds is ("Senate" in "Senate
    // President"): an office after a name ("Microsoft CEO", "US President")
    // leaves the name; titles before "of" ("Prime Minister of Jamaica",
    // "Commissioner of Police") leave what follows "of". An office right
    // after "of" stays in the name ("Department of Justice"); a ruler's
    // title is no office ("Burger King").
    let office = |t: &Token| OFFICES.contains(&t.text.to_lowercase().trim_end_matches('.'));
    if b - a >= 2 && office(&tokens[b - 1]) && !CONNECTORS.contains(&tokens[b - 2].text) {
        let mut k = b - 1;
        while k > a && (office(&tokens[k - 1]) || TITLES.contains(&tokens[k - 1].text.to_lowercase().as_str())) {
            k -= 1;
        }
        if k > a {
            classify_chunk(text, tokens, a, k, g, countries, regions, spelt, persons, out);
        }
        return;
    }
    if let Some(of) = (a + 1..b.saturating_sub(1)).find(|&k| tokens[k].text == "of") {
        let titles_before = tokens[a..of].iter().all(|t| {
            office(t)
                || matches!(
                    t.text,
                    "Prime"
                        | "Vice"
                        | "Deputy"
                        | "Acting"
                        | "Former"
                        | "Senior"
                        | "Assistant"
                        | "Associate"
                        | "Chief"
                        | "Executive"
                        | "Permanent"
                        | "Principal"
                        | "Interim"
                )
        }) && tokens[a..of].iter().any(office);
        // A person's name may follow the office ("Director of Product
        // Management Joe Ambeault", "Commissioner of Police Antony
        // Anderson"): from a given name, or the two last words when they are
        // no English words and no places. The office's field between is no
        // entity.
        let rest = &tokens[of + 1..b];
        let name_word = |t: &Token| english_word(t.text) != Some(true) && g.lookup(bare(t.text)).is_empty();
        // A given name that is the last word ("Fitz Bailey") leaves no
        // surname: it is the surname.
        let person_at = rest[..rest.len().saturating_sub(1)]
            .iter()
            .position(|t| given_name(t.text))
            .map(|i| of + 1 + i)
            .or_else(|| (rest.len() >= 3 && rest[rest.len() - 2..].iter().all(name_word)).then_some(b - 2));
        if titles_before && !rest.iter().any(|t| t.text == "for") {
            match person_at {
                Some(p) if p > of + 1 && b - p >= 2 => {
                    let (pstart, pend) = (tokens[p].start, end);
                    persons.push(text[pstart..pend].to_string());
                    out.push(Found::named(pstart, pend, "PERSON", None));
                }
                Some(_) => {}
                None => classify_chunk(text, tokens, of + 1, b, g, countries, regions, spelt, persons, out),
            }
            return;
        }
        // "Permanent Secretary in the Ministry of Health Dunstan Bryan": a
        // body's name run into the person after it. The person starts at a
        // given name after the body's English field and is two or three
        // words that are no common words ("Bank of America Merrill Lynch"
        // keeps its place name before the given name, and stays whole).
        if is_org_word(tokens[of - 1].text) {
            let field = |t: &Token| british_or_english_word(t.text).is_some() && !is_stop(t.text);
            let person = (of + 2..b.saturating_sub(1)).find(|&p| {
                given_name(tokens[p].text)
                    && (2..=3).contains(&(b - p))
                    && tokens[of + 1..p].iter().all(field)
                    && tokens[p + 1..b]
                        .iter()
                        .all(|t| english_word(t.text) != Some(true) && !is_org_word(t.text))
            });
            if let Some(p) = person {
                classify_chunk(text, tokens, a, p, g, countries, regions, spelt, persons, out);
                persons.push(text[tokens[p].start..end].to_string());
                out.push(Found::named(tokens[p].start, end, "PERSON", None));
                return;
            }
        }
    }
    // A title inside the run splits it: "Afghan President Ashraf Ghani" is a
    // GROUP and a PERSON; "White House Press Secretary Stephanie Grisham" an
    // ORG and a PERSON.
    // "English Premier League", "Chinese Grand Prix": a competition's or an
    // event's name holds no entity, nor a title splitting it.
    if b - a >= 2 && names_an_event(name) {
        return;
    }
    if b - a >= 2 {
        // "General Assembly", "Premier Bank": a title before words that end in
        // an organisation's word and name no one is part of that name.
        // A title that only qualifies another ("Deputy News Director") is no
        // name's first word.
        let names_a_body = |k: usize| {
            !matches!(
                tokens[k].text.to_lowercase().as_str(),
                "deputy" | "acting" | "vice" | "assistant" | "associate" | "senior" | "former" | "interim"
            ) && is_org_word(tokens[b - 1].text)
                && tokens[k + 1..b]
                    .iter()
                    .all(|t| is_org_word(t.text) || is_common_word(t.text))
        };
        // "Secretary of State Hillary Rodham Clinton": a title's "of" and
        // its department run on to the person, who starts at the last given
        // name leaving two to four words.
        let department_then_person = |k: usize| {
            (k + 3 < b && tokens[k + 1].text == "of")
                .then(|| {
                    (k + 2..b - 1)
                        .rev()
                        .find(|&j| given_name(tokens[j].text) && tokens[j - 1].text != "of")
                })
                .flatten()
                .filter(|&j| (2..=4).contains(&(b - j)))
        };
        if let Some((k, person)) = (a..b - 1).rev().find_map(|k| {
            if !TITLES.contains(&tokens[k].text.to_lowercase().as_str()) || names_a_body(k) {
                None
            } else if tokens[k + 1].is_capitalised() {
                Some((k, k + 1))
            } else {
                department_then_person(k).map(|j| (k, j))
            }
        }) {
            // Words of a compound title go with it ("Deputy Press Secretary"),
            // not with the organisation before ("White House").
            let in_title = |t: &Token| {
                let lower = t.text.to_lowercase();
                TITLES.contains(&lower.as_str())
                    || matches!(
                        lower.as_str(),
                        "press"
                            | "communications"
                            | "project"
                            | "product"
                            | "marketing"
                            | "sales"
                            | "emergency"
                            | "cabinet"
                    )
            };
            let mut title_start = k;
            while title_start > a && in_title(&tokens[title_start - 1]) {
                title_start -= 1;
            }
            if title_start > a {
                classify_chunk(text, tokens, a, title_start, g, countries, regions, spelt, persons, out);
            }
            let person_start = tokens[person].start;
            let pname = &text[person_start..end];
            // "New York State Attorney General": a title after a title names
            // no one, nor does a heading's "PRODUCER OF THE YEAR".
            let only_titles = pname.split_whitespace().all(|w| {
                TITLES.contains(&w.to_lowercase().as_str()) || is_common_word(w) || shouted_common(w) || is_stop(w)
            });
            if !pname.is_empty() && !only_titles {
                persons.push(pname.to_string());
                out.push(Found::named(person_start, end, "PERSON", None));
            }
            return;
        }
    }
    // "Britain Liu Xiaming" (from "China's ambassador to Britain Liu
    // Xiaming"): a country's name run into the personal name after it. The
    // words after the country must be two or three that are no English
    // words, places or organisations' words ("China Southern Airlines",
    // "US Justice Department" stay whole).
    if (3..=4).contains(&(b - a))
        && g.lookup(&tokens[a].text.to_lowercase())
            .iter()
            .any(|&p| g.places[p as usize].kind == Kind::Country)
        && tokens[a + 1..b].iter().all(|t| {
            t.text.chars().skip(1).any(char::is_lowercase)
                && english_word(t.text).is_none()
                && !is_org_word(t.text)
                && g.lookup(bare(t.text)).is_empty()
        })
    {
        classify_chunk(text, tokens, a, a + 1, g, countries, regions, spelt, persons, out);
        classify_chunk(text, tokens, a + 1, b, g, countries, regions, spelt, persons, out);
        return;
    }
    // A headline in capitals ("FRANCE WINS AGAIN", "AUSTRALIA AHEAD"): the
    // plain English words after a place are the headline's verb and
    // adverbs, not part of a name; capitals made only of such words ("GET
    // OUT", "OPEN RUN") name nothing, unless one is an organisation's word
    // ("WORLD BANK").
    if b - a >= 2 && words.iter().all(|w| is_shouted(w)) {
        let mut k = b;
        while k > a + 1 && shouted_common(tokens[k - 1].text) {
            k -= 1;
        }
        if k < b
            && !tokens[a..k].iter().all(|t| shouted_common(t.text))
            && !g.lookup(&text[start..tokens[k - 1].end].to_lowercase()).is_empty()
        {
            classify_chunk(text, tokens, a, k, g, countries, regions, spelt, persons, out);
            return;
        }
        if words.iter().all(|w| shouted_common(w) && !is_org_word(w)) {
            return;
        }
    }
    // "Yasutaka Uchiyama of Japan", "Rosaly Lopes of NASA": a personal name
    // before "of" and a place or an organisation is two names, not one
    // organisation's. The words before "of" must read as given names and a
    // surname: two or three, none a place, a title, a feature's or an
    // organisation's word, and the last no English word ("Bank of England",
    // "Duke of Edinburgh", "Mayor of London", "Gulf of Mexico" stay whole).
    if let Some(k) = (a + 2..b.saturating_sub(1).min(a + 4)).find(|&k| tokens[k].text == "of") {
        // After a given name, a surname may be a town's too ("Olgin" is
        // Holguín's), but not a country's or a region's.
        let after_given = given_name(tokens[a].text) && !is_org_word(tokens[a].text);
        let name_word = |t: &Token| {
            let lower = t.text.to_lowercase();
            let places = g.lookup(bare(t.text));
            t.text.chars().skip(1).any(char::is_lowercase)
                && !t.text.contains('-')
                && (places.is_empty()
                    || after_given
                        && places
                            .iter()
                            .all(|&p| !matches!(g.places[p as usize].kind, Kind::Country | Kind::Admin1)))
                && !is_org_word(t.text)
                && ![TITLES, FEATURE_LAST, FEATURE_FIRST, STRUCTURES]
                    .iter()
                    .any(|list| list.contains(&lower.as_str()))
        };
        // The surname, right before "of", is no English word at all. A given
        // name that a place shares opens the name all the same ("Alexandra
        // Olgin of South Carolina Public Radio", "Michael Venus of New Zealand").
        // After a given name, it may be an English word that is also a name
        // ("John Brown of Kingston") or a frequent surname that is otherwise
        // only a word.
        let surname = tokens[k - 1].text;
        let surname_reads = match english_word(surname) {
            None => true,
            Some(false) => after_given,
            Some(true) => after_given && word_surname(surname),
        };
        let personal =
            (name_word(&tokens[a]) || after_given) && tokens[a + 1..k].iter().all(name_word) && surname_reads;
        if personal {
            classify_chunk(text, tokens, a, k, g, countries, regions, spelt, persons, out);
            classify_chunk(text, tokens, k + 1, b, g, countries, regions, spelt, persons, out);
            return;
        }
    }
    // "Patrick W. Carlineo Jr.": a generational suffix ends a person's name.
    if words.len() >= 2
        && matches!(
            words[words.len() - 1].trim_end_matches(['.', ',']),
            "Jr" | "Sr" | "II" | "III" | "IV"
        )
        && words[..words.len() - 1].iter().all(|w| english_word(w) != Some(true))
    {
        persons.push(name.to_string());
        out.push(Found::named(start, end, "PERSON", None));
        return;
    }
    // "O'Brien, 45, was charged", "Webb (51)": an age in apposition follows
    // a person. Not a country, a region or a large city ("Kingston, 12,
    // …" would be a count), nor an organisation's or a title's word.
    let age_after = {
        let num = |t: Option<&Token>| {
            t.is_some_and(|t| t.text.parse::<u32>().is_ok_and(|n| (1..=119).contains(&n)) && !t.text.starts_with('0'))
        };
        let at = |k: usize| tokens.get(k).map(|t| t.text);
        (at(b) == Some(",") && num(tokens.get(b + 1)) && matches!(at(b + 2), Some("," | "." | ";"))
            || at(b) == Some("(") && num(tokens.get(b + 1)) && at(b + 2) == Some(")"))
            && tokens.get(b + 1).is_some_and(|t| t.sentence == tokens[a].sentence)
            // Not a street and its number before a town ("corso Monforte, 15, Milan").
            && !(at(b + 2) == Some(",") && tokens.get(b + 3).is_some_and(|t| !g.lookup(bare(t.text)).is_empty()))
    };
    if age_after
        && words.len() <= 4
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !words
            .iter()
            .any(|w| is_org_word(w) || TITLES.contains(&w.to_lowercase().as_str()))
        && g.demonym(name).is_none()
        && place_cands.iter().all(|&p| {
            let row = &g.places[p as usize];
            row.kind == Kind::City && row.population < 100_000
        })
    {
        persons.push(name.to_string());
        out.push(Found::named(start, end, "PERSON", None));
        return;
    }
    // "U.S. $6.5 million": the country is part of the money.
    if tokens.get(b).is_some_and(|t| t.text == "$") {
        return;
    }
    // A common given name and a surname ("Austin Dillon", "Fiona Hill"): a
    // person, although the given name is a city's or the surname a
    // landform's word. Not when the whole is a known place, when the
    // surname is a country or a region ("Will Russia"), a word that is never
    // a name, or an organisation's or a structure's word; and a place's name
    // before a feature's word stays the place ("Jordan River").
    if reads_as_given_name_and_surname(&words, !place_cands.is_empty(), g) {
        persons.push(name.to_string());
        out.push(Found::named(start, end, "PERSON", None));
        return;
    }
    // "the research firm Oanda", "the bank Santander": a kind of
    // organisation names the one after it, also when its name is a place's
    // or English words. Not a person the text has named, a title or a day.
    if ORG_KINDS.contains(&prev.as_str())
        && !persons.iter().any(|p| p.split_whitespace().last() == Some(name))
        && !TITLES.contains(&words[0].to_lowercase().as_str())
        && !names_a_day(name)
        && !names_an_event(name)
    {
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    // "speaks French", "in English.", "Welsh speakers": a demonym naming a
    // language is no entity (the conventions; spaCy has LANGUAGE apart).
    // "in Chinese hands" keeps its group: a noun after it makes it an adjective.
    if b - a == 1
        && names_a_language(&prev, &next)
        && (g.demonym(name).is_some() || GROUP_WORDS.contains(&lower.as_str()))
    {
        return;
    }
    // 1. Demonyms ("North Korean", "Chinese", "Americans") and groups ("Muslim").
    let singular = name.strip_suffix('s').unwrap_or(name);
    if let Some(code) = g.demonym(name).or_else(|| g.demonym(singular)) {
        out.push(Found::named(start, end, "GROUP", country_index(g, code)));
        return;
    }
    if GROUP_WORDS.contains(&lower.as_str()) {
        out.push(Found::named(start, end, "GROUP", None));
        return;
    }
    // "Australian-born Assange", "Chinese-made": the demonym in a compound
    // is a GROUP; the rest of the run is classified on its own.
    if let Some((head, tail)) = words[0].split_once('-') {
        // "English-speaking peoples", "English-Speaking Union": the language.
        let of_language = ["speaking", "language"].iter().any(|w| tail.eq_ignore_ascii_case(w));
        if let Some(code) = g.demonym(head).filter(|_| !of_language) {
            out.push(Found::named(start, start + head.len(), "GROUP", country_index(g, code)));
            if b - a >= 2 {
                classify_chunk(text, tokens, a + 1, b, g, countries, regions, spelt, persons, out);
            }
            return;
        }
    }
    // "London-based", "New York-born", "US-China": a place joined by a
    // hyphen to a word of origin or control, or to another place, is that
    // place (and the other). Not when the whole is one place's name ("Guinea-Bissau")
    // or the part after the hyphen is another name ("Newark-Liberty",
    // "Pierre-Olivier").
    if let Some((head, tail)) = name.rsplit_once('-') {
        let head_places = g.lookup(&head.to_lowercase());
        let tail_places = g.lookup(&bare(tail).to_lowercase());
        // Words that say where something is from or is ("Bush-era",
        // "Siri-enabled", "Olympic-sized" say nothing of a place).
        let tail_word = matches!(
            tail,
            "based"
                | "born"
                | "bred"
                | "made"
                | "built"
                | "listed"
                | "registered"
                | "headquartered"
                | "area"
                | "led"
                | "backed"
                | "bound"
                | "owned"
                | "funded"
                | "controlled"
                | "held"
                | "occupied"
                | "run"
                | "wide"
                | "specific"
        );
        if !tail.contains(char::is_whitespace)
            && !head.contains('-')
            && !head_places.is_empty()
            && place_cands.is_empty()
            && (tail_word || !tail_places.is_empty())
        {
            out.push(Found::named(
                start,
                start + head.len(),
                "PLACE",
                Some(resolve(g, head_places, countries, regions)),
            ));
            if !tail_word {
                out.push(Found::named(
                    start + head.len() + 1,
                    end,
                    "PLACE",
                    Some(resolve(g, tail_places, countries, regions)),
                ));
            }
            return;
        }
    }
    // "Indian Council of Medical Research", "Canadian Real Estate
    // Association", "Afghan Army": a demonym that starts a name holding an
    // organisation's word is part of that name, not a GROUP before it.
    let holds_org_word = words.len() >= 2 && words[1..].iter().any(|w| is_org_word(w));
    // "Ecuadorean Embassy", "Arabian Sea": a demonym before a feature's
    // word names that place (the feature rule below).
    let names_a_feature = words.len() >= 2
        && words
            .last()
            .is_some_and(|w| FEATURE_LAST.contains(&w.to_lowercase().trim_end_matches('.')));
    if words.len() >= 2 && !holds_org_word && !names_a_feature {
        // "Afghan Taliban": a demonym before an organisation.
        if let Some(code) = g.demonym(words[0]) {
            let first_end = tokens[a].end;
            out.push(Found::named(start, first_end, "GROUP", country_index(g, code)));
            classify_chunk(text, tokens, a + 1, b, g, countries, regions, spelt, persons, out);
            return;
        }
    }
    // Party words used as names are organisations, as the conventions have
    // them: alone ("the Republican side", "Democratic efforts"), before a
    // name ("Republican Phil Bryant", "Democratic FCC commissioner") and
    // after a state ("a Virginia Democrat"). Inside a longer name they are
    // part of it ("Republican National Committee", "Democratic Republic of
    // Congo").
    let party = |w: &str| matches!(w, "Republican" | "Democrat" | "Democratic");
    if words.len() == 1 && party(bare(name)) {
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    if words.len() >= 2 && place_cands.is_empty() && !holds_org_word && party(words[0]) && next != "party" {
        out.push(Found::named(start, tokens[a].end, "ORG", None));
        classify_chunk(text, tokens, a + 1, b, g, countries, regions, spelt, persons, out);
        return;
    }
    if (2..=3).contains(&words.len()) && place_cands.is_empty() && party(bare(words[words.len() - 1])) {
        let head = &words[..words.len() - 1].join(" ");
        let cands = g.lookup(&head.to_lowercase());
        // A state's or a country's party member, not a town's ("Liberal
        // Democrat" is a party, Liberal a town in Kansas).
        if cands
            .iter()
            .any(|&p| matches!(g.places[p as usize].kind, Kind::Admin1 | Kind::Country))
        {
            let head_end = tokens[b - 2].end;
            out.push(Found::named(
                start,
                head_end,
                "PLACE",
                Some(resolve(g, cands, countries, regions)),
            ));
            out.push(Found::named(tokens[b - 1].start, end, "ORG", None));
            return;
        }
    }
    if WORLD_REGIONS.contains(&lower.as_str()) {
        out.push(Found::named(start, end, "PLACE", None));
        return;
    }
    // A large company named bare ("Comcast said", "Airbus delivered",
    // "shares of Home Depot"): an organisation, not a person or nothing.
    // Not after a title ("Mr. Ford"), nor the surname of a person this text
    // has named ("Harrison Ford" … "Ford"); a name that is also an English
    // word takes no article as a company ("the Southwest", "a Mercury").
    if is_company(name.strip_prefix("The ").unwrap_or(name))
        && !TITLES.contains(&prev.as_str())
        && !persons.iter().any(|p| p.split_whitespace().last() == Some(name))
        && (english_word(name).is_none() || !matches!(prev.as_str(), "the" | "a" | "an"))
    {
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    // A company's name before a product's ("Airbus A350-900", "Apple
    // AirPods", "Ford Mustang"): the company is named, the product is not an
    // entity. Not when the words after it hold an organisation's word
    // ("Ford Foundation", "Penn State"), a structure's ("Bridgestone
    // Arena"), a given name or a place.
    let listed_with_s = words.len() >= 2 && is_company(words[0]);
    if words.len() >= 2
        && (is_company(bare(words[0])) || listed_with_s || BRANDS.contains(&words[0]))
        && !TITLES.contains(&prev.as_str())
        && words[1..].iter().all(|w| {
            let lower = w.to_lowercase();
            !is_org_word(w)
                && !matches!(*w, "State" | "Services")
                && ![STRUCTURES, FEATURE_LAST, &["center", "centre", "field"]]
                    .iter()
                    .any(|list| list.contains(&lower.as_str()))
                && !given_name(w)
                && g.lookup(bare(w)).is_empty()
                && !TITLES.contains(&lower.as_str())
        })
    {
        // The first word, not the first token: "AT&T" is three tokens. Its
        // "’s" stays where the company's name has one ("McDonald's Big Mac").
        let first = if listed_with_s { words[0] } else { bare(words[0]) };
        out.push(Found::named(start, start + first.len(), "ORG", None));
        return;
    }
    if names_an_event(name) || names_an_index(tokens, a, b) {
        return;
    }
    let last_lower = words[words.len() - 1].to_lowercase();
    // A demonym followed by more capitalised words: "North Korean leader" is
    // not capitalised; "Chinese Communist Party" is an ORG, handled below.
    // 2. ORG by acronym or cue word.
    let is_acronym = words.len() == 1
        && name.len() >= 2
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '&');
    // "Force" opens no body's name ("Force Majeure", a film).
    let has_org_word = words
        .iter()
        .enumerate()
        .any(|(i, w)| is_org_word(w) && (i > 0 || *w != "Force"))
        // A body named like a town is the town after a preposition of place
        // ("a plant in Toyota, Aichi").
        || is_body(name.strip_prefix("The ").unwrap_or(name))
            && (place_cands.is_empty() || !matches!(prev.as_str(), "in" | "near" | "outside" | "around"))
        || words.contains(&"and")
            && words
                .last()
                .is_some_and(|w| AGENCY_FIELDS.contains(&w.to_lowercase().as_str()));
    // 3. Places: the whole chunk, or the chunk before "province"/"city"/"region".
    // "Western diplomats", "Central bankers": an English word used as an
    // adjective before a lowercase noun is not the region it also names,
    // unless a preposition of place or "the" introduces it ("in Nice on
    // Monday", "the North has carried out tests").
    let adjective_use = words.len() == 1
        && english_word(words[0]).is_some()
        && place_cands.iter().all(|&p| g.places[p as usize].kind != Kind::Country)
        && !matches!(
            prev.as_str(),
            "in" | "at" | "from" | "to" | "near" | "of" | "across" | "outside" | "into" | "around" | "the"
        )
        && tokens
            .get(b)
            .is_some_and(|t| t.is_word() && t.text.chars().next().is_some_and(char::is_lowercase));
    // The US presidency's office, an institution ("the White House said",
    // "White House negotiators"), except as the building one is at, in or
    // near ("remarks at the White House"), which is a place.
    if lower == "white house" {
        let before_the = if prev == "the" && a >= 2 {
            tokens[a - 2].text.to_lowercase()
        } else {
            prev.clone()
        };
        if !matches!(
            before_the.as_str(),
            "at" | "in" | "inside" | "outside" | "near" | "into"
        ) {
            out.push(Found::named(start, end, "ORG", None));
            return;
        }
    }
    if !place_cands.is_empty() && !adjective_use && !has_org_word && (!is_acronym || !ORG_ACRONYMS.contains(&name)) {
        let best = resolve(g, place_cands, countries, regions);
        // A lone word that is only a small town far from anything the text
        // names, with nothing saying it is a place ("Obama" a town in Fukui,
        // "Sale" one in Morocco, "Draper" one in Utah, in texts naming
        // neither), is someone's or something's name: the rules leave it to
        // the tagger. A preposition of place or a region after a comma
        // ("in Hyesan", "Burke, Va.") keeps it.
        let row = &g.places[best as usize];
        let stray_town = words.len() == 1
            && row.kind == Kind::City
            && row.population < 100_000
            && !countries.contains(&row.country)
            && !row.admin1.as_ref().is_some_and(|r| regions.contains(r))
            && !matches!(
                prev.as_str(),
                "in" | "at" | "from" | "to" | "near" | "outside" | "into" | "around" | "across" | "of" | "through"
            )
            && !(next == "," && tokens.get(b + 1).is_some_and(|t| t.is_capitalised()));
        if !stray_town {
            out.push(Found::named(start, end, "PLACE", Some(best)));
        }
        return;
    }
    if is_acronym {
        if model_code(name) {
            return;
        }
        // An English word in capitals is emphasis or a heading ("VOTE",
        // "UPDATE", "FILE PHOTO"), not an acronym, unless a known one ("WHO")
        // or one the text spells out ("Shiromani Akali Dal (SAD)").
        if ORG_ACRONYMS.contains(&name)
            || name.len() >= 3
                && !is_stop(name)
                && !NOT_ORG_ACRONYMS.contains(&name)
                && (!shouted_common(name) || spelt.contains(&name))
        {
            out.push(Found::named(start, end, "ORG", None));
        }
        return;
    }
    // Named structures are places even with an organisation's word in their
    // name ("Chicago O'Hare International Airport", "Bartholomew County Jail").
    // A centre for shows, trade or shopping is a venue ("Blossom Music
    // Center", "Moscone Convention Center"), not an institution.
    let venue_centre = words.len() >= 3
        && matches!(last_lower.as_str(), "center" | "centre")
        && VENUE_CENTRES.contains(&words[words.len() - 2].to_lowercase().as_str());
    if venue_centre
        || words.len() >= 2 && STRUCTURES.contains(&words[words.len() - 1].to_lowercase().trim_end_matches(['.', ',']))
    {
        out.push(Found::named(start, end, "PLACE", None));
        return;
    }
    // "the Department", "Police", "the Court" alone: a capitalised common
    // noun that refers back to an organisation named in full elsewhere. A
    // newspaper's word that reports is the paper's short name ("the Times
    // reported", "the Telegraph revealed").
    let reports = matches!(next.as_str(), "reported" | "reports" | "published" | "revealed");
    let paper_reports = reports && MASTHEADS.contains(&bare(words[0]));
    if has_org_word
        && words.len() == 1
        && is_common_word(words[0])
        && !ORG_NAMES.contains(&lower.as_str())
        && !paper_reports
        // A hand-listed body is a name, not a word referring back ("Arsenal").
        && !is_body(words[0])
    {
        return;
    }
    // "Fed up with …", "Fed by rain, …": the verb, opening a sentence.
    if sentence_initial && lower == "fed" && matches!(next.as_str(), "up" | "by" | "with") {
        return;
    }
    if has_org_word {
        // "Ryanggang Provincial Party Committee", "RFA’s Korean Service".
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    // A place name plus a generic word ("Ryanggang province" is lowercase, but
    // "Ryanggang Province" capitalised): the known part is the place.
    if words.len() >= 2 {
        let head = words[..words.len() - 1].join(" ");
        let tail = words[words.len() - 1].to_lowercase();
        if matches!(
            tail.as_str(),
            "province" | "region" | "city" | "county" | "state" | "district" | "prefecture" | "oblast"
        ) {
            let c = g.lookup(&head);
            if !c.is_empty() {
                // The generic word names an area: a town known by the head
                // only as one of its other names is another place ("Sonoma
                // County" is not Ennis, Texas, once called Sonoma). Such an
                // area stays a place the gazetteer cannot resolve.
                let fits: Vec<u32> = c
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let p = &g.places[i as usize];
                        p.kind != Kind::City || p.name.eq_ignore_ascii_case(&head)
                    })
                    .collect();
                let place = (!fits.is_empty()).then(|| resolve(g, &fits, countries, regions));
                out.push(Found::named(start, end, "PLACE", place));
                return;
            }
        }
    }
    // Named features and streets: "Tamsin River", "South China Sea", "Port Ellery".
    let last_word = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    let first_word = words[0].to_lowercase();
    if words.len() >= 2
        && (FEATURE_LAST.contains(&last_word.trim_end_matches('.'))
            || FEATURE_FIRST.contains(&first_word.trim_end_matches('.')))
    {
        // "Residents of Jolinda Drive": a common word and "of" opening a
        // sentence are not part of the place's name.
        if sentence_initial
            && words.len() >= 4
            && words[1] == "of"
            && is_common_word(words[0])
            && !is_org_word(words[0])
        {
            classify_chunk(text, tokens, a + 2, b, g, countries, regions, spelt, persons, out);
            return;
        }
        out.push(Found::named(start, end, "PLACE", None));
        return;
    }
    // A name containing a known place is not a person: "Diplomatic Academy
    // of Vietnam", "Dubai Air Show", "Air Astana".
    // Not "Kisha Rivera": a word that is no English word before a place name
    // at the end reads as a given name and a surname.
    let given_and_surname = words.len() == 2
        && english_word(words[0]).is_none()
        && !g.lookup(bare(words[1])).is_empty()
        && g.lookup(bare(words[0])).is_empty();
    let contains_place = words.len() >= 2
        && !given_and_surname
        && words.iter().any(|w| {
            // Not a family name's particle: "van" in "Louis van Gaal" is no Van.
            w.starts_with(char::is_uppercase)
                && g.lookup(bare(w))
                    .iter()
                    .any(|&p| g.places[p as usize].kind != Kind::City || g.places[p as usize].population > 500_000)
        });
    if contains_place {
        // "Southern California", "West Michigan": a direction before a place
        // is a part of that place.
        let direction = matches!(
            words[0].to_lowercase().as_str(),
            "north" | "south" | "east" | "west" | "northern" | "southern" | "eastern" | "western" | "central"
        );
        if direction && words.len() == 2 {
            let c = g.lookup(&words[1].to_lowercase());
            if !c.is_empty() {
                out.push(Found::named(
                    start,
                    end,
                    "PLACE",
                    Some(resolve(g, c, countries, regions)),
                ));
                return;
            }
        }
        // "Vietnam War", "Tibetan Plateau", "Shanghai Composite": a place
        // before a common word that is no organisation's word names a war, a
        // landform or an index, none of them an organisation.
        // A town before a club's word ("Manchester United", "Bristol
        // Rovers") is that club, whatever the sport.
        let last = words[words.len() - 1];
        if CLUB_LAST.contains(&bare(last)) && !g.lookup(&words[..words.len() - 1].join(" ")).is_empty() {
            out.push(Found::named(start, end, "ORG", None));
            return;
        }
        if words.last().is_some_and(|w| w.split('-').all(is_common_word)) {
            return;
        }
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    // A word with a capital inside ("WeWork", "SoftBank", "SunExpress") is a
    // brand or a company; name prefixes ("McCain", "DeSantis", "MacArthur")
    // are not.
    if words.len() == 1 && is_camel_case(bare(words[0])) {
        out.push(Found::named(start, end, "ORG", None));
        return;
    }
    if words.len() >= 2 && names_a_day(name) {
        return;
    }
    // 4. People.
    let titled = TITLES.contains(&prev.as_str())
        || (a >= 2 && TITLES.contains(&tokens[a - 2].text.to_lowercase().as_str()) && tokens[a - 1].is_capitalised());
    // "Following Assange", "Welcome Jose Mourinho": a common word opening
    // the sentence is not part of the name after it.
    if words.len() >= 2 && sentence_initial && is_common_word(words[0]) && !titled {
        let mut rest = a + 1;
        while rest < b && CONNECTORS.contains(&tokens[rest].text) {
            rest += 1;
        }
        if rest < b {
            classify_chunk(text, tokens, rest, b, g, countries, regions, spelt, persons, out);
        }
        return;
    }
    // A phrase that ends in a common word is not a person's name: "Black
    // Death", "Second Amendment" are nothing; after a name-like word ("LG
    // Electronics", "Wheeling News-Register") it is an organisation.
    // Unless the text uses that last word alone, capitalised mid-sentence, as
    // a name ("Dylann Roof" … "Roof was arrested").
    let last_alone_as_name = |w: &str| {
        (0..tokens.len()).any(|i| {
            let capital_neighbour =
                |j: Option<usize>| j.and_then(|j| tokens.get(j)).is_some_and(|t: &Token| is_cap_word(t));
            (i < a || i >= b)
                && bare(tokens[i].text) == w
                && i > 0
                && tokens[i - 1].sentence == tokens[i].sentence
                && !matches!(tokens[i - 1].text, "\u{201c}" | "\"" | "(")
                && !capital_neighbour(i.checked_sub(1))
                && !capital_neighbour(Some(i + 1))
        })
    };
    // After a particle the last word is a family name ("Joost van Hoof").
    let after_particle = words.len() >= 3 && PARTICLES.contains(&words[words.len() - 2]);
    if words.len() >= 2
        && !titled
        && !after_particle
        && words
            .last()
            .is_some_and(|w| w.split('-').all(is_common_word) && !last_alone_as_name(bare(w)))
    {
        // Made of English words, it is a body when it acts or is a source as
        // one ("the Federal Reserve said", "told Sky Sports", "according to
        // Live Science", "a Border Patrol spokesman").
        // The words before it, past a "the" ("seen by The Real Deal").
        let skip = usize::from(prev == "the");
        let before = |k: usize| a.checked_sub(k + skip).map(|i| tokens[i].text.to_lowercase());
        let p1 = before(1).unwrap_or_default();
        let as_a_body = BODY_AFTER.contains(&next.as_str())
            || p1 == "told"
            || before(2).as_deref() == Some("according") && p1 == "to"
            || matches!(
                before(2).as_deref(),
                Some("published" | "seen" | "reported" | "obtained")
            ) && matches!(p1.as_str(), "by" | "on");
        if english_word(words[0]).is_none() || as_a_body && !names_an_event(name) {
            let mut f = Found::named(start, end, "ORG", None);
            // "Muriel Spark", "Pamela Burch Fort" as much as "Austin Energy":
            // after a given name, only context tells a person from a company.
            f.guess = !as_a_body && given_name(words[0]) && !words.iter().any(|w| is_org_word(bare(w)));
            out.push(f);
        }
        return;
    }
    let speaks = matches!(next.as_str(), "said" | "says" | "told" | "added" | "wrote" | "asked");
    // Particles do not count: "Ursula von der Leyen" is two names.
    let name_words = words.iter().filter(|w| !PARTICLES.contains(w)).count();
    let name_like = name_words <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || CONNECTORS.contains(w));
    // A later mention by surname, or by the first part of the name when that
    // is no English word ("Xi" after "Xi Jinping", "Jose" after "Jose
    // Mourinho"): family-name-first names are mentioned by their first part.
    let known_surname = words.len() == 1
        && persons.iter().any(|p| {
            p.split_whitespace().last() == Some(words[0])
                || p.split_whitespace().next() == Some(words[0])
                    && (p.split_whitespace().count() >= 3 || english_word(words[0]).is_none())
        });
    // "the Kremlin said", "the Treasury said": a person's name takes no
    // article, so a lone word after "the" that speaks is a body. Not a word
    // that is never a name ("the Defence said", "the State said": a side in
    // court), a role ("the Coroner said" is a title's job) or an
    // organisation's common word ("the Ministry said" refers back to one).
    // A legislature's chamber is one too, speaking or not ("the House
    // passed the bill").
    // A paper that reports may be its English word ("the Gleaner reported",
    // "the Observer revealed"), a role may not ("the Coroner reported").
    if words.len() == 1 && prev == "the" && !titled && !known_surname {
        let plain = british_or_english_word(words[0]) != Some(true);
        if lower == "house"
            || ((speaks || reports) && plain || reports && MASTHEADS.contains(&bare(words[0])))
                && !TITLES.contains(&lower.as_str())
                && !OFFICES.contains(&lower.as_str())
                && !is_org_word(words[0])
        {
            out.push(Found::named(start, end, "ORG", None));
        }
        return;
    }
    if name_like
        && (titled
            || known_surname
            || (words.len() >= 2 && !sentence_initial)
            || (words.len() >= 2 && speaks)
            || (words.len() >= 2 && sentence_initial && name_words <= 3))
    {
        if words.len() >= 2 {
            persons.push(name.to_string());
        }
        out.push(Found::named(start, end, "PERSON", None));
        return;
    }
    // "Obstfeld said": a word that is no English word, speaking, is a
    // person's name also at the start of a sentence.
    if words.len() == 1 && (titled || speaks) && (!sentence_initial || speaks && english_word(words[0]).is_none()) {
        persons.push(name.to_string());
        out.push(Found::named(start, end, "PERSON", None));
    }
}

fn country_index(g: &Gazetteer, code: &str) -> Option<u32> {
    g.lookup(&g.country(code)?.name)
        .iter()
        .copied()
        .find(|&i| g.places[i as usize].kind == Kind::Country)
}

/// One place among namesakes: countries first, then places in a country the
/// article names, in a region it names, and the most populous.
fn resolve(g: &Gazetteer, cands: &[u32], countries: &[String], regions: &[String]) -> u32 {
    let mut best = cands[0];
    let mut best_score = f64::MIN;
    for &c in cands {
        let p = &g.places[c as usize];
        let mut score = ((p.population as f64) + 1.0).ln();
        match p.kind {
            Kind::Country => score += 30.0,
            Kind::Admin1 => score += 6.0,
            Kind::City => {}
        }
        if countries.contains(&p.country) {
            score += 15.0;
        }
        if p.admin1.as_ref().is_some_and(|a| regions.contains(a)) {
            score += 5.0;
        }
        if score > best_score {
            best_score = score;
            best = c;
        }
    }
    best
}

/// "the Highest Dignity …, using an honorific term to refer to North Korean
/// leader Kim Jong Un": the capitalised epithet becomes a PERSON.
fn link_epithets(text: &str, out: &mut Vec<Found>) {
    let lower = text.to_ascii_lowercase();
    for cue in ["honorific", "epithet", "a term used to refer to", "refer to"] {
        let Some(pos) = lower.find(cue) else { continue };
        // The epithet: "the X Y" with capitals, before the cue in the same paragraph.
        let para_start = text[..pos].rfind("\n\n").map_or(0, |p| p + 2);
        let para = &text[para_start..pos];
        // Any whitespace separates words: pages write "the\u{a0}Highest Dignity".
        for (at, _) in para.match_indices("the") {
            let after = &para[at + 3..];
            let Some(sp) = after.chars().next().filter(|c| c.is_whitespace()) else {
                continue;
            };
            let s = at + 3 + sp.len_utf8();
            let rest = &para[s..];
            // Capitalised words in a row, with their byte extent.
            let mut len = 0;
            let mut count = 0;
            let mut pos_in = 0;
            for w in rest.split(char::is_whitespace) {
                if !w.chars().next().is_some_and(char::is_uppercase) {
                    break;
                }
                count += 1;
                len = pos_in + w.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
                pos_in += w.len() + rest[pos_in + w.len()..].chars().next().map_or(0, char::len_utf8);
            }
            if count >= 2 {
                let start = para_start + s;
                let end = start + len;
                out.retain(|f| !(f.start >= start && f.end <= end));
                // The named person the text says it refers to: the first after the cue.
                let target = out
                    .iter()
                    .filter(|f| f.label == "PERSON" && f.start > pos)
                    .min_by_key(|f| f.start)
                    .map(|f| (f.start, f.end));
                out.push(Found {
                    start,
                    end,
                    label: "PERSON",
                    place: None,
                    refers_to: target,
                    guess: false,
                });
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tagger_adds_places_no_rule_finds() {
        let text = "Flooding closed roads in Ottertail and Wabasha counties on Monday.";
        let toks = crate::tokens::tokenize(text);
        let got = |mode| -> Vec<(String, &str)> {
            find_with(text, &toks, mode)
                .into_iter()
                .map(|f| (text[f.start..f.end].to_string(), f.label))
                .collect()
        };
        assert!(got(Mode::Rules).is_empty(), "{:?}", got(Mode::Rules));
        let both = got(DEFAULT_MODE);
        assert!(both.contains(&("Ottertail".to_string(), "PLACE")), "{both:?}");
        assert!(both.contains(&("Wabasha".to_string(), "PLACE")), "{both:?}");
    }

    use super::*;
    use crate::tokens::tokenize;

    #[test]
    fn every_listed_word_is_found_with_its_flag_and_no_other() {
        // The search by eight-byte prefixes must find each word among the
        // others that share them ("international", "internationally", …).
        for line in COMMON_WORDS.lines().filter(|l| !l.starts_with('#')) {
            let (w, never_a_name) = line.strip_suffix('*').map_or((line, true), |w| (w, false));
            assert_eq!(english_word(w), Some(never_a_name), "{w}");
            let mut capitalised = w[..1].to_ascii_uppercase();
            capitalised.push_str(&w[1..]);
            assert_eq!(english_word(&capitalised), Some(never_a_name), "{capitalised}");
        }
        for w in [
            "internationalx",
            "internationa",
            "interna",
            "zzzzzzzzzz",
            "",
            "é",
            "Ünternational",
        ] {
            assert_eq!(english_word(w), None, "{w}");
        }
    }

    #[test]
    fn an_epithet_links_to_the_person_the_text_names() {
        let text = "\u{201c}There was a direct order from the\u{a0}Highest Dignity\u{a0}that a struggle was needed,\u{201d} the source said, using an honorific term to refer to North Korean leader Kim Jong Un.";
        let found = find(text, &tokenize(text));
        let e = found
            .iter()
            .find(|f| text[f.start..f.end].contains("Dignity"))
            .expect("epithet");
        let (s, t) = e.refers_to.expect("linked");
        assert_eq!(&text[s..t], "Kim Jong Un");
    }

    fn labelled(text: &str) -> Vec<(String, &'static str)> {
        find(text, &tokenize(text))
            .iter()
            .map(|f| (text[f.start..f.end].to_string(), f.label))
            .collect()
    }

    #[test]
    fn a_phrase_ending_in_a_common_word_is_not_a_person() {
        let found = labelled("Historians compared it to the Black Death in a report. The deal was announced by LG Electronics in a filing.");
        assert!(!found.iter().any(|(t, _)| t == "Black Death"), "{found:?}");
        assert!(found.contains(&("LG Electronics".to_string(), "ORG")), "{found:?}");
        // A surname that is also a word is still a name when the text uses it as one.
        let found = labelled("The court heard from Dylann Roof on Monday. Lawyers for Roof did not comment.");
        assert!(found.contains(&("Dylann Roof".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn people_in_shapes_no_cue_word_announces() {
        let found = labelled("The court heard that Patrick W. Carlineo Jr. called the office. Kisha Rivera, a wheelchair attendant, earns little.");
        assert!(
            found.contains(&("Patrick W. Carlineo Jr.".to_string(), "PERSON")),
            "{found:?}"
        );
        assert!(found.contains(&("Kisha Rivera".to_string(), "PERSON")), "{found:?}");
        // Family name first, mentioned later by it; a title abbreviation splits the run.
        let found =
            labelled("He met Pakistan PM Imran Khan and Xi Jinping in the capital. Xi said the corridor was vital.");
        assert!(found.contains(&("Imran Khan".to_string(), "PERSON")), "{found:?}");
        assert_eq!(
            found.iter().filter(|(t, l)| t == "Xi" && *l == "PERSON").count(),
            1,
            "{found:?}"
        );
        // A common word opening the sentence is not part of the name.
        let found = labelled("Welcome Jose Mourinho to the club.");
        assert!(found.contains(&("Jose Mourinho".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn a_title_after_a_title_is_no_person() {
        let found = labelled("The lawsuit was filed by the New York State Attorney General on Monday.");
        assert!(!found.iter().any(|(_, l)| *l == "PERSON"), "{found:?}");
    }

    #[test]
    fn demonyms_in_compounds_and_of_continents() {
        let found = labelled("The Australian-born Assange met European leaders and Ecuadorean diplomats.");
        assert!(found.contains(&("Australian".to_string(), "GROUP")), "{found:?}");
        assert!(found.contains(&("European".to_string(), "GROUP")), "{found:?}");
        assert!(found.contains(&("Ecuadorean".to_string(), "GROUP")), "{found:?}");
    }

    #[test]
    fn a_bare_word_a_company_is_said_of_is_that_company_in_every_mention() {
        for (text, org) in [
            (
                "Exports to Quorvex, the embattled telecoms company, resumed. Quorvex declined to comment.",
                "Quorvex",
            ),
            (
                "The dollar slipped, said Dana Reyes, an analyst at Brindlay. Brindlay expects more.",
                "Brindlay",
            ),
            ("Talvaro's shares fell 4%. Talvaro makes chips.", "Talvaro"),
        ] {
            let found = labelled(text);
            let mentions = found.iter().filter(|(t, l)| t == org && *l == "ORG").count();
            assert_eq!(mentions, 2, "{org}: {found:?}");
        }
        // A person set beside a kind of organisation that only qualifies
        // another word is still a person.
        let found = labelled("Kovane, a former bank manager, said it was late. Kovane is 51.");
        assert!(!found.iter().any(|(t, l)| t == "Kovane" && *l == "ORG"), "{found:?}");
        // A person's spokesman and a person named in full keep the person.
        let found =
            labelled("Marta Kovane said it was late. Kovane's spokesman, a former analyst at Brindlay, agreed.");
        assert!(found.contains(&("Kovane".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn market_indices_and_their_tickers_are_no_entities() {
        let found = labelled(
            "South Korea's Kospi Index (KOSPI) fell 0.5%, the Dow Jones Industrial Average rose, and the \
             MSCI Asia Pacific Index added 0.4 percent while the Shanghai Composite (SHCOMP) slipped. \
             The Stoxx Europe 600 Index added 0.9 percent.",
        );
        for part in ["Index", "KOSPI", "Average", "SHCOMP", "Composite"] {
            assert!(!found.iter().any(|(t, _)| t.contains(part)), "{part}: {found:?}");
        }
        assert!(found.contains(&("South Korea".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn an_unknown_name_the_text_calls_a_place_is_one() {
        let found = labelled(
            "Shelling hit the Varnostri area on Monday. A patient from Kelbruvo in Inner Mongolia was ill. \
             Troops left Ostrevin district. Quorvex employs 200 people.",
        );
        for place in ["Varnostri", "Kelbruvo", "Ostrevin"] {
            assert!(found.contains(&(place.to_string(), "PLACE")), "{place}: {found:?}");
        }
        assert!(!found.contains(&("Quorvex".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn a_surname_alone_is_the_person_named_in_full() {
        let found = labelled(
            "Harlan W. Brevik Jr., 55, was charged on Monday. Lawyers for Brevik disclosed the plan, and the \
             court told Brevik to wait. Vice Premier Liu He met them. He has left. The Brevik Show ended.",
        );
        let brevik = found.iter().filter(|(t, l)| t == "Brevik" && *l == "PERSON").count();
        assert_eq!(brevik, 2, "{found:?}");
        assert!(found.contains(&("Liu He".to_string(), "PERSON")), "{found:?}");
        assert!(!found.iter().any(|(t, _)| t == "He"), "{found:?}");
    }

    #[test]
    fn peoples_of_nations_regions_and_faiths_are_groups() {
        let found = labelled(
            "Scottish voters, Welsh farmers and Texan ranchers met Congolese soldiers. \
             Evangelicals and Native Americans marched past Islamist banners.",
        );
        for group in [
            "Scottish",
            "Welsh",
            "Texan",
            "Congolese",
            "Evangelicals",
            "Native Americans",
            "Islamist",
        ] {
            assert!(found.contains(&(group.to_string(), "GROUP")), "{group}: {found:?}");
        }
    }

    #[test]
    fn a_demonym_naming_a_language_is_no_group() {
        let found = labelled(
            "She speaks French fluently. The memo was written in English. Welsh speakers objected. \
             The town fell into Chinese hands. The English-Speaking Union met.",
        );
        for language in ["French", "English", "Welsh"] {
            assert!(!found.iter().any(|(t, _)| t == language), "{language}: {found:?}");
        }
        assert!(found.contains(&("Chinese".to_string(), "GROUP")), "{found:?}");
        assert!(
            found.contains(&("English-Speaking Union".to_string(), "ORG")),
            "{found:?}"
        );
    }

    #[test]
    fn a_title_opens_a_bodys_name_and_a_competitions_name_holds_nothing() {
        let found = labelled(
            "He spoke at the UN General Assembly in 2019. Tom Namako, Deputy News Director at Buzzfeed, spoke. \
             He won the English Premier League twice and sang at the American Music Awards.",
        );
        assert!(found.contains(&("UN General Assembly".to_string(), "ORG")), "{found:?}");
        // A competition, which the conventions leave untagged.
        assert!(
            !found
                .iter()
                .any(|(t, _)| t.contains("League") || t == "English" || t == "American"),
            "{found:?}"
        );
        assert!(!found.iter().any(|(t, _)| t.contains("Deputy")), "{found:?}");
    }

    #[test]
    fn a_demonym_starting_an_organisations_name_is_part_of_it() {
        let found =
            labelled("The Indian Council of Medical Research said Afghan Taliban fighters met Chinese diplomats.");
        assert!(
            found.contains(&("Indian Council of Medical Research".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(found.contains(&("Afghan Taliban".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Chinese".to_string(), "GROUP")), "{found:?}");
    }

    #[test]
    fn streets_and_features_named_with_common_words_are_places() {
        let found = labelled(
            "Residents of Jolinda Drive were moved to 2134 Caldwell Place. Snow covered the Tibetan Plateau. He was taken to the Ecuadorean Embassy.",
        );
        for place in [
            "Jolinda Drive",
            "Caldwell Place",
            "Tibetan Plateau",
            "Ecuadorean Embassy",
        ] {
            assert!(found.contains(&(place.to_string(), "PLACE")), "{place}: {found:?}");
        }
        assert!(!found.iter().any(|(n, _)| n.starts_with("Residents")), "{found:?}");
        assert!(!found.contains(&("Ecuadorean".to_string(), "GROUP")), "{found:?}");
    }

    #[test]
    fn a_person_named_in_full_is_that_person_when_named_again() {
        let found = labelled(
            "After Fiona Hill left the council, Tim Morrison took over. He asked about concerns his predecessor, \
             Fiona Hill, might have had. Anthony Davis scored 30 points. \"Amazing,\" Davis said. Jordan closed \
             its border on Monday, and Michael Jordan did not comment.",
        );
        let hills: Vec<&str> = found
            .iter()
            .filter(|(n, _)| n == "Fiona Hill")
            .map(|(_, l)| *l)
            .collect();
        assert_eq!(hills, ["PERSON", "PERSON"], "{found:?}");
        let davis: Vec<&str> = found.iter().filter(|(n, _)| n == "Davis").map(|(_, l)| *l).collect();
        assert_eq!(davis, ["PERSON"], "{found:?}");
        // A country keeps its reading beside a namesake.
        assert!(found.contains(&("Jordan".to_string(), "PLACE")), "{found:?}");
        // A surname that is also a town's name.
        let found = labelled("Sarah Harper runs the shelter. Harper opened it in 2010 with a grant.");
        assert!(found.contains(&("Harper".to_string(), "PERSON")), "{found:?}");
        // A town that is no one's surname in the text stays the town.
        let found = labelled("Anthony Smith flew to Davis on Monday.");
        assert!(found.contains(&("Davis".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn a_persons_name_before_of_and_a_place_is_two_names() {
        let found =
            labelled("In the doubles, Yasutaka Uchiyama of Japan beat Raven Klaasen of South Africa on Friday.");
        for (name, label) in [
            ("Yasutaka Uchiyama", "PERSON"),
            ("Japan", "PLACE"),
            ("Raven Klaasen", "PERSON"),
            ("South Africa", "PLACE"),
        ] {
            assert!(found.contains(&(name.to_string(), label)), "{name}: {found:?}");
        }
        // A surname that a town shares ("Olgin" is Holguín's) after a given
        // name that a place shares ("Alexandra").
        let found = labelled("Roof stood, reported Alexandra Olgin of South Carolina Public Radio, who was there.");
        assert!(found.contains(&("Alexandra Olgin".to_string(), "PERSON")), "{found:?}");
        assert!(
            found.contains(&("South Carolina Public Radio".to_string(), "ORG")),
            "{found:?}"
        );
        // After a given name, a surname that is also an English word.
        assert_eq!(
            labelled("John Brown of Kingston was arrested."),
            [("John Brown".to_string(), "PERSON"), ("Kingston".to_string(), "PLACE")]
        );
        // Organisations' and features' names with "of" stay whole.
        let found = labelled("The Bank of England watched oil prices in the Gulf of Mexico.");
        assert!(found.contains(&("Bank of England".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Gulf of Mexico".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn a_headline_in_capitals_keeps_only_its_names() {
        let found =
            labelled("KAZAKHSTAN WINS AGAIN\n\nAUSTRALIA AHEAD\n\nGET OUT NOW\n\nThe WORLD BANK lent more to Chile.");
        assert!(found.contains(&("KAZAKHSTAN".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("AUSTRALIA".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("WORLD BANK".to_string(), "ORG")), "{found:?}");
        for word in ["WINS", "AHEAD", "GET"] {
            assert!(!found.iter().any(|(n, _)| n.contains(word)), "{word}: {found:?}");
        }
    }

    #[test]
    fn a_holiday_is_no_name() {
        let found = labelled(
            "Shoppers queued before Black Friday, and turnout on Election Day was high, Maria Kowalczyk said.",
        );
        assert!(
            !found.iter().any(|(n, _)| n.contains("Friday") || n.contains("Day")),
            "{found:?}"
        );
        assert!(found.contains(&("Maria Kowalczyk".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn products_and_contractions_are_no_names() {
        let found = labelled(
            "Shoppers bought the Dell G3 and AirPods Pro. \u{201c}Meth. We\u{2019}re On It\u{201d} is the slogan, \
             Kristi Noem said.",
        );
        for not_a_name in ["Dell G3", "AirPods Pro", "We\u{2019}re", "We\u{2019}re On It"] {
            assert!(
                !found.iter().any(|(n, l)| n == not_a_name && *l == "PERSON"),
                "{not_a_name}: {found:?}"
            );
        }
        assert!(found.contains(&("Kristi Noem".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn more_titles_before_names() {
        let found = labelled(
            "NASA Administrator Jim Bridenstine met Defenseman Jonas Brodin and Cmdr. Sean Robertson on Monday.",
        );
        for person in ["Jim Bridenstine", "Jonas Brodin", "Sean Robertson"] {
            assert!(found.contains(&(person.to_string(), "PERSON")), "{person}: {found:?}");
        }
    }

    #[test]
    fn a_name_spoken_of_as_it_is_an_organisation() {
        let found = labelled(
            "The engine is more powerful, yet Nissan says its new model will use less fuel. Instacart said \
             sales rose. Instacart, which delivers food, hired. Anthony Davis scored 30. Davis said its rim was \
             loose. Halvorsen said it was late.",
        );
        assert!(found.contains(&("Nissan".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Instacart".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Davis".to_string(), "PERSON")), "{found:?}");
        assert!(!found.contains(&("Halvorsen".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn a_name_never_runs_over_a_line_break() {
        let found = labelled("The team is based in Golden, Colorado\nSpaceX launched a rocket on Monday.");
        assert!(found.contains(&("Colorado".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("SpaceX".to_string(), "ORG")), "{found:?}");
        assert!(!found.iter().any(|(n, _)| n.contains('\n')), "{found:?}");
    }

    #[test]
    fn a_company_before_a_product_is_named_alone() {
        let found = labelled(
            "The airline ordered 50 Airbus A350-900 jets and gave staff Apple AirPods. Fans lined up for the \
             Ford Explorer. The Ford Foundation paid. Bridgestone Arena was full.",
        );
        for company in ["Airbus", "Apple", "Ford"] {
            assert!(found.contains(&(company.to_string(), "ORG")), "{company}: {found:?}");
        }
        for product in ["Airbus A350-900", "Apple AirPods", "Ford Explorer"] {
            assert!(!found.iter().any(|(n, _)| n == product), "{product}: {found:?}");
        }
        assert!(found.contains(&("Ford Foundation".to_string(), "ORG")), "{found:?}");
        assert!(!found.contains(&("Bridgestone".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn events_competitions_and_model_codes_are_no_entities() {
        let found = labelled(
            "Spain won the Davis Cup in Madrid after the ATP Finals. Visitors at the Los Angeles Auto Show saw \
             the RAV4 and the HL7 standard. Group C plays on Monday. Leaders of the G20 met.",
        );
        for name in [
            "Davis Cup",
            "ATP Finals",
            "Los Angeles Auto Show",
            "Los Angeles",
            "RAV4",
            "HL7",
            "Group C",
        ] {
            assert!(!found.iter().any(|(n, _)| n == name), "{name}: {found:?}");
        }
        assert!(found.contains(&("Madrid".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("G20".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn halls_for_shows_are_places() {
        let found = labelled(
            "The band plays the Riverbend Music Center in June and in July. Visitors came to Jeongdong Theater to watch a play. The \
             Center for Environmental Politics disagreed.",
        );
        assert!(
            found.contains(&("Riverbend Music Center".to_string(), "PLACE")),
            "{found:?}"
        );
        assert!(found.contains(&("Jeongdong Theater".to_string(), "PLACE")), "{found:?}");
        // By the rules alone too: the tagger reads some theatres as places.
        let text = "Visitors came to Jeongdong Theater to watch a play.";
        let rules = find_with(text, &tokenize(text), Mode::Rules);
        assert!(
            rules
                .iter()
                .any(|f| &text[f.start..f.end] == "Jeongdong Theater" && f.label == "PLACE"),
            "{rules:?}"
        );
        assert!(
            found.contains(&("Center for Environmental Politics".to_string(), "ORG")),
            "{found:?}"
        );
    }

    #[test]
    fn a_place_joined_by_a_hyphen_is_still_the_place() {
        let found = labelled(
            "A London-based designer and a New York-born chef discussed US-China trade. Guinea-Bissau voted. \
             Bush-era rules and Siri-enabled speakers were not discussed.",
        );
        for place in ["London", "New York", "US", "China", "Guinea-Bissau"] {
            assert!(found.contains(&(place.to_string(), "PLACE")), "{place}: {found:?}");
        }
        for name in ["Bush", "Siri", "Guinea"] {
            assert!(
                !found.iter().any(|(n, l)| n == name && *l == "PLACE"),
                "{name}: {found:?}"
            );
        }
    }

    #[test]
    fn large_companies_named_bare_are_organisations() {
        let found = labelled(
            "Comcast said on Tuesday that profits fell. Shares of Home Depot rose while Airbus delivered jets. \
             Demand for Ford trucks grew.",
        );
        for company in ["Comcast", "Home Depot", "Airbus", "Ford"] {
            assert!(found.contains(&(company.to_string(), "ORG")), "{company}: {found:?}");
        }
        // A person this text names, after a title or in full, keeps the name.
        let found = labelled("Harrison Ford starred again. Ford said the film was his last. Then Mr. Intel spoke.");
        assert!(found.contains(&("Ford".to_string(), "PERSON")), "{found:?}");
        assert!(!found.iter().any(|(n, l)| n == "Intel" && *l == "ORG"), "{found:?}");
        // An English word with an article is not the company.
        let found = labelled("Storms crossed the Southwest on Monday.");
        assert!(!found.iter().any(|(n, l)| n == "Southwest" && *l == "ORG"), "{found:?}");
    }

    #[test]
    fn given_names_from_many_countries_and_surnames_that_are_words() {
        // Given names the American census lists lack, and surnames that are
        // English words, after a given name.
        let found = labelled(
            "The deal was a concession to Chinedu Okonkwo at the summit. Fans cheered when Kyleigh Trout scored. \
             The singer was not Alicia Keys, nor was the podcast host David Law. LVMH CFO Tomasz Wrobel spoke.",
        );
        for person in [
            "Chinedu Okonkwo",
            "Kyleigh Trout",
            "Alicia Keys",
            "David Law",
            "Tomasz Wrobel",
        ] {
            assert!(found.contains(&(person.to_string(), "PERSON")), "{person}: {found:?}");
        }
        // No one: an English word or a large place before the word, or a
        // place's kind after a name.
        let found = labelled(
            "Investors in Georgia Power were calm. The team played at Heinz Field on Sunday. \
             Critics of the Marshall Plan spoke.",
        );
        for phrase in ["Georgia Power", "Heinz Field", "Marshall Plan"] {
            assert!(!found.contains(&(phrase.to_string(), "PERSON")), "{phrase}: {found:?}");
        }
    }

    #[test]
    fn two_names_joined_by_and_stay_two() {
        let found = labelled(
            "Officials at the IRS and Treasury Department agreed. Ministers met the International Monetary Fund \
             and World Bank in Washington. Its banks, Gilead Sciences Inc. and Oracle Corp. declined to comment.",
        );
        for org in [
            "IRS",
            "Treasury Department",
            "International Monetary Fund",
            "World Bank",
            "Gilead Sciences Inc.",
            "Oracle Corp.",
        ] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
        // A common word before "and" is inside the name.
        let found = labelled(
            "The Food and Drug Administration and the Department of Health and Human Services spoke to the \
             Securities and Exchange Commission.",
        );
        for org in [
            "Food and Drug Administration",
            "Department of Health and Human Services",
            "Securities and Exchange Commission",
        ] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
    }

    #[test]
    fn a_stop_word_joined_by_an_ampersand_opens_the_name() {
        let found = labelled(
            "Analysts said AT&T lost customers. Later AT&T Entertainment CEO Ruth Okafor spoke, and AT&T's \
             rival paid.",
        );
        let atts = found.iter().filter(|f| *f == &("AT&T".to_string(), "ORG")).count();
        assert_eq!(atts, 3, "{found:?}");
        assert!(!found.iter().any(|(t, _)| t == "AT" || t.starts_with('T')), "{found:?}");
    }

    #[test]
    fn a_kind_of_organisation_names_the_one_after_it() {
        let found = labelled(
            "The forecast came from the research firm Quelvane in a note. The Spanish bank Santander grew, and \
             the fact-checking website True Ledger objected. The company Dana Whitfield founded closed.",
        );
        for org in ["Quelvane", "Santander", "True Ledger"] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
        assert!(found.contains(&("Dana Whitfield".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn english_words_acting_as_a_body_are_an_organisation() {
        let found = labelled(
            "The move was welcomed when the Federal Reserve said rates would hold. A Border Patrol spokesman \
             declined, the coach told Sky Sports, and the study was first published on Live Science and seen \
             by The Open Ledger, according to Plain Facts.",
        );
        for org in [
            "Federal Reserve",
            "Border Patrol",
            "Sky Sports",
            "Live Science",
            "Open Ledger",
            "Plain Facts",
        ] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
        // Without such a cue they name nothing.
        let found = labelled("The talks happened at Open Ledger and near Plain Facts last year.");
        assert!(!found.iter().any(|(_, l)| *l == "ORG"), "{found:?}");
    }

    #[test]
    fn a_town_before_a_clubs_word_is_the_club_and_the_fed_is_a_bank() {
        let found = labelled(
            "He was sacked by Manchester United in May and joined Bristol Rovers. The Fed held rates, and \
             the Kansas City Fed agreed. Fed up with waiting, fans left.",
        );
        for org in ["Manchester United", "Bristol Rovers", "Kansas City Fed"] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
        let feds = found.iter().filter(|f| *f == &("Fed".to_string(), "ORG")).count();
        assert_eq!(feds, 1, "{found:?}");
    }

    #[test]
    fn the_white_house_acts_as_an_office_and_stands_as_a_building() {
        let found = labelled(
            "The White House said no, and White House Press Secretary Mara Quist agreed at a White House \
             briefing held at the White House.",
        );
        assert!(!found.iter().any(|(t, _)| t.contains("Press")), "{found:?}");
        let orgs = found
            .iter()
            .filter(|f| *f == &("White House".to_string(), "ORG"))
            .count();
        let places = found
            .iter()
            .filter(|f| *f == &("White House".to_string(), "PLACE"))
            .count();
        assert_eq!((orgs, places), (3, 1), "{found:?}");
        assert!(found.contains(&("Mara Quist".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn party_words_used_as_names_are_organisations() {
        let found = labelled(
            "Republican President-elect Dana Voss spoke, and an Iowa Republican said the Democratic efforts \
             failed, as a Liberal Democrat said. The Republican National Committee and the Democratic Republic of the Congo were named.",
        );
        for (name, label) in [
            ("Republican", "ORG"),
            ("Dana Voss", "PERSON"),
            ("Iowa", "PLACE"),
            ("Democratic", "ORG"),
            ("Republican National Committee", "ORG"),
            ("Liberal Democrat", "ORG"),
        ] {
            assert!(found.contains(&(name.to_string(), label)), "{name}: {found:?}");
        }
        let republicans = found
            .iter()
            .filter(|f| *f == &("Republican".to_string(), "ORG"))
            .count();
        assert_eq!(republicans, 2, "{found:?}");
        assert!(
            !found
                .iter()
                .any(|(t, _)| t.starts_with("Democratic Republic") && t.len() < 20),
            "{found:?}"
        );
    }

    #[test]
    fn co_ends_a_company_name() {
        let found =
            labelled("Banks such as JPMorgan Chase & Co. said so, and Broadhead Co. came up with the campaign.");
        for org in ["JPMorgan Chase & Co.", "Broadhead Co."] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
    }

    #[test]
    fn account_names_hashtags_and_links_are_no_names() {
        let found = labelled(
            "Follow her on Twitter @TatianaSophiaPT and the office at @WhiteHouse or Facebook.com/WhiteHouse. \
             The lights went out at @STN_Airport, see pic.twitter.com/Q8FFsT2ITu and https://t.co/Nc0nKoXGBP. \
             #Browns Greedy Williams was solid. #BlackLivesMatter spread.",
        );
        for word in [
            "TatianaSophiaPT",
            "WhiteHouse",
            "STN",
            "Airport",
            "Q8FFsT2ITu",
            "Nc0nKoXGBP",
            "Browns",
        ] {
            assert!(!found.iter().any(|(n, _)| n.contains(word)), "{word}: {found:?}");
        }
        assert!(!found.iter().any(|(n, _)| n == "BlackLivesMatter"), "{found:?}");
        assert!(found.contains(&("Greedy Williams".to_string(), "PERSON")), "{found:?}");
        // Names in a list with slashes, or after initials, stay names.
        let found = labelled("Flights to Bulgaria/Israel/Hungary resumed, and U.S./Canada trade grew.");
        for place in ["Bulgaria", "Israel", "Hungary", "Canada"] {
            assert!(found.contains(&(place.to_string(), "PLACE")), "{place}: {found:?}");
        }
    }

    #[test]
    fn english_words_and_things_in_capitals_are_no_organisations() {
        let found = labelled(
            "GET OUT and VOTE on Tuesday. UPDATE: The road reopened. The laptop has 32GB of RAM and an HDMI port, \
             and the match began at 19:02 IST. The Shiromani Akali Dal (SAD) left the alliance. The SAD said so.",
        );
        for word in ["VOTE", "UPDATE", "RAM", "HDMI", "IST"] {
            assert!(!found.iter().any(|(n, _)| n == word), "{word}: {found:?}");
        }
        assert!(found.contains(&("SAD".to_string(), "ORG")), "{found:?}");
        let found = labelled("Officials from the WHO and the IAEA met.");
        for org in ["WHO", "IAEA"] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
    }

    #[test]
    fn an_office_is_no_entity_but_the_name_it_holds_is() {
        let found = labelled(
            "Satya Nadella, the Microsoft CEO, spoke. The US President said so. He was Prime Minister of Egypt \
             then. Michael Reed, the CEO of New Media Investment Group, added more. The Department of Justice declined.",
        );
        for (name, label) in [
            ("Microsoft", "ORG"),
            ("US", "PLACE"),
            ("Egypt", "PLACE"),
            ("New Media Investment Group", "ORG"),
        ] {
            assert!(found.contains(&(name.to_string(), label)), "{name}: {found:?}");
        }
        for phrase in [
            "Microsoft CEO",
            "US President",
            "Prime Minister of Egypt",
            "CEO of New Media Investment Group",
        ] {
            assert!(!found.iter().any(|(n, _)| n == phrase), "{phrase}: {found:?}");
        }
        assert!(
            found.contains(&("Department of Justice".to_string(), "ORG")),
            "{found:?}"
        );
        // A person named after the office and its field is that person.
        let found = labelled(
            "The Minister of National Security Horace Chang spoke. Commissioner of Police Antony Anderson agreed.",
        );
        for person in ["Horace Chang", "Antony Anderson"] {
            assert!(found.contains(&(person.to_string(), "PERSON")), "{person}: {found:?}");
        }
    }

    #[test]
    fn a_capitalised_run_of_any_length_stays_shallow() {
        // Each "Chief CEO of" split off the run was once one more level of
        // classify_chunk: 5,000 of them overflow this half-megabyte stack.
        let text = "Chief CEO of ".repeat(5000) + "Acme.";
        let found = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || labelled(&text))
            .unwrap()
            .join()
            .unwrap();
        assert!(
            found
                .iter()
                .all(|(n, _)| n.split_whitespace().count() <= MAX_NAME_TOKENS),
            "{:?}",
            found
                .iter()
                .find(|(n, _)| n.split_whitespace().count() > MAX_NAME_TOKENS)
        );
    }

    #[test]
    fn peoples_without_one_country_and_groups_written_small() {
        let found =
            labelled("Korean workers joined Tibetan monks. The mujahideen fought on, and neo-Nazis marched in Berlin.");
        for group in ["Korean", "Tibetan", "mujahideen", "neo-Nazis"] {
            assert!(found.contains(&(group.to_string(), "GROUP")), "{group}: {found:?}");
        }
    }

    #[test]
    fn states_abbreviated_after_a_town_or_a_party_letter_are_places() {
        let found = labelled(
            "The Orange County, Calif., sheriff met Rep. Ilhan Omar, D-Minn., and Rep. David McKinley, R-W.Va., \
             in Lansing, Mich. Miss. Nguyen did not attend.",
        );
        for state in ["Calif.", "Minn.", "W.Va.", "Mich."] {
            assert!(found.contains(&(state.to_string(), "PLACE")), "{state}: {found:?}");
        }
        assert!(!found.iter().any(|(n, _)| n.starts_with("Miss")), "{found:?}");
    }

    #[test]
    fn a_country_run_into_a_personal_name_is_two_names() {
        let found = labelled("China's ambassador to Britain Liu Xiaming said trade would grow.");
        assert!(found.contains(&("Britain".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("Liu Xiaming".to_string(), "PERSON")), "{found:?}");
        // English words after the country are part of one name.
        let found = labelled("They flew with China Southern Airlines.");
        assert!(!found.iter().any(|(n, _)| n == "Southern Airlines"), "{found:?}");
    }

    #[test]
    fn a_given_name_and_a_surname_are_a_person() {
        assert!(given_name("Austin") && given_name("FIONA") && !given_name("Kong") && !given_name(""));
        let found = labelled(
            "Austin Dillon and Paul Menard finished ahead of the field. The adviser was Fiona Hill. \
             Flights from Hong Kong landed near the Jordan River.",
        );
        for person in ["Austin Dillon", "Paul Menard", "Fiona Hill"] {
            assert!(found.contains(&(person.to_string(), "PERSON")), "{person}: {found:?}");
        }
        for place in ["Hong Kong", "Jordan River"] {
            assert!(found.contains(&(place.to_string(), "PLACE")), "{place}: {found:?}");
        }
    }

    #[test]
    fn agencies_named_in_their_own_language_are_organisations() {
        let found = labelled("The report was confirmed to Agence France-Presse and Agenzia Nova on Monday.");
        for org in ["Agence France-Presse", "Agenzia Nova"] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
    }

    #[test]
    fn a_possessive_inside_a_streets_name_is_part_of_it() {
        let found = labelled("Water reached Cooper's Lane and Tanner's Yard, and Britain's Foreign Office sent help.");
        for street in ["Cooper's Lane", "Tanner's Yard"] {
            assert!(found.contains(&(street.to_string(), "PLACE")), "{street}: {found:?}");
        }
        assert!(found.contains(&("Britain".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("Foreign Office".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn clubs_named_after_their_towns_are_organisations() {
        let found = labelled(
            "He has managed FC Porto, Inter Milan, Chelsea and Manchester United. Porto won in 2004, and he lived in Porto.",
        );
        for club in ["FC Porto", "Inter Milan", "Chelsea", "Manchester United"] {
            assert!(found.contains(&(club.to_string(), "ORG")), "{club}: {found:?}");
        }
        let portos: Vec<&str> = found.iter().filter(|(n, _)| n == "Porto").map(|(_, l)| *l).collect();
        assert_eq!(portos, ["ORG", "PLACE"], "{found:?}");
        // Without a club in the text, or after a locative word, towns stay places.
        let found = labelled(
            "Flights from Lisbon, Porto and Faro resumed; prices rose in Madrid and Manchester United fans cheered.",
        );
        for town in ["Lisbon", "Porto", "Faro", "Madrid"] {
            assert!(found.contains(&(town.to_string(), "PLACE")), "{town}: {found:?}");
        }
    }

    #[test]
    fn job_titles_before_a_name_are_not_part_of_it() {
        let found = labelled("Public Ombudsman Nadia Cruz spoke. Realtor Samir Ghulam said prices fell.");
        assert!(found.contains(&("Nadia Cruz".to_string(), "PERSON")), "{found:?}");
        assert!(found.contains(&("Samir Ghulam".to_string(), "PERSON")), "{found:?}");
        assert!(
            !found
                .iter()
                .any(|(n, _)| n.contains("Ombudsman") || n.contains("Realtor")),
            "{found:?}"
        );
    }

    #[test]
    fn a_ministrys_portfolios_and_a_universitys_campus_are_part_of_the_name() {
        let found = labelled(
            "The Ministry of Trade, Industry and Energy met researchers of the University of California, Berkeley on Monday.",
        );
        assert!(
            found.contains(&("Ministry of Trade, Industry and Energy".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(
            found.contains(&("University of California, Berkeley".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(!found.iter().any(|(n, _)| n == "Berkeley"), "{found:?}");
        // A name after the comma that is not a portfolio list ends it.
        let found = labelled("The Ministry of Defence, Reuters reported, denied it.");
        assert!(found.contains(&("Ministry of Defence".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Reuters".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn the_agency_of_a_dateline_is_an_organisation() {
        let found = labelled("SEOUL, Aug. 20 (Zentrax) -- The newspaper blasted the drills (again) - it said.");
        assert!(found.contains(&("Zentrax".to_string(), "ORG")), "{found:?}");
        assert!(!found.iter().any(|(n, _)| n == "again"), "{found:?}");
        assert!(labelled("The law (Section 5) - passed in 2019 - applies.").is_empty());
    }

    #[test]
    fn common_acronyms_are_no_organisations() {
        let found = labelled("The CEO said the IPO would lift GDP, the OECD said.");
        assert!(
            !found.iter().any(|(n, _)| n == "CEO" || n == "IPO" || n == "GDP"),
            "{found:?}"
        );
        assert!(found.contains(&("OECD".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn a_possessive_inside_an_organisations_name() {
        let found = labelled(
            "The Bartholomew County Sheriff's Department said Britain's Foreign Office and the People's Liberation Army were told.",
        );
        assert!(
            found.contains(&("Bartholomew County Sheriff's Department".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(
            found.contains(&("People's Liberation Army".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(found.contains(&("Britain".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("Foreign Office".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn camel_case_names_are_companies_and_structures_are_places() {
        let found =
            labelled("Investors in WeWork and SoftBank met Senator McCain at Chicago O'Hare International Airport.");
        assert!(found.contains(&("WeWork".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("SoftBank".to_string(), "ORG")), "{found:?}");
        assert!(!found.contains(&("McCain".to_string(), "ORG")), "{found:?}");
        assert!(
            found.contains(&("Chicago O'Hare International Airport".to_string(), "PLACE")),
            "{found:?}"
        );
        // Venues are where a show happens, not who puts it on.
        let found =
            labelled("The tour stops at the Ryman Auditorium, then the Ak-Chin Pavilion and Charlotte Motor Speedway.");
        for venue in ["Ryman Auditorium", "Ak-Chin Pavilion", "Charlotte Motor Speedway"] {
            assert!(found.contains(&(venue.to_string(), "PLACE")), "{venue}: {found:?}");
        }
    }

    #[test]
    fn ampersands_and_and_inside_organisation_names() {
        let found = labelled("Shares of PG&E fell. The Securities and Exchange Commission and Pacific Gas & Electric Co. spoke. Britain and France agreed.");
        assert!(found.contains(&("PG&E".to_string(), "ORG")), "{found:?}");
        assert!(
            found.contains(&("Securities and Exchange Commission".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(t, l)| t.starts_with("Pacific Gas & Electric Co") && *l == "ORG"),
            "{found:?}"
        );
        assert!(found.contains(&("Britain".to_string(), "PLACE")), "{found:?}");
        assert!(found.contains(&("France".to_string(), "PLACE")), "{found:?}");
        let found = labelled("Democrats and Republicans argued.");
        assert!(found.contains(&("Democrats".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Republicans".to_string(), "ORG")), "{found:?}");
        // A town's name before "and" is whole: no body runs over it.
        let found = labelled("Residents of Gordon Town and Mavis Bank were cut off.");
        assert!(found.contains(&("Gordon Town".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn a_surname_that_speaks_opens_a_sentence() {
        let found = labelled("Prices rose. Obstfeld said the rise would last. Officials said nothing.");
        assert!(found.contains(&("Obstfeld".to_string(), "PERSON")), "{found:?}");
        assert!(!found.iter().any(|(t, _)| t == "Officials"), "{found:?}");
    }

    #[test]
    fn an_adjective_is_not_the_region_it_names() {
        let found =
            labelled("Western diplomats met officials in Western on Monday. The North has also carried out tests.");
        assert_eq!(
            found.iter().filter(|(t, l)| t == "Western" && *l == "PLACE").count(),
            1,
            "{found:?}"
        );
        assert!(found.contains(&("North".to_string(), "PLACE")), "{found:?}");
    }

    #[test]
    fn a_place_with_a_direction_or_a_common_noun() {
        let found = labelled("Fires spread across Southern California while veterans of the Vietnam War watched.");
        assert!(
            found.contains(&("Southern California".to_string(), "PLACE")),
            "{found:?}"
        );
        assert!(!found.iter().any(|(t, _)| t.contains("War")), "{found:?}");
    }

    #[test]
    fn a_bare_institution_word_refers_back() {
        let found = labelled(
            "The Columbus Police Department made arrests. The Department said the Conservatives and the Navy agreed.",
        );
        assert!(
            found.contains(&("Columbus Police Department".to_string(), "ORG")),
            "{found:?}"
        );
        assert!(!found.iter().any(|(t, _)| t == "Department"), "{found:?}");
        assert!(found.contains(&("Conservatives".to_string(), "ORG")), "{found:?}");
        assert!(found.contains(&("Navy".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn a_party_tag_with_the_state_in_full_is_the_place() {
        let found = labelled("Sen. Ted Cruz, R-Texas, and Rep. Grace Meng, D-New York, spoke on Monday.");
        for state in ["Texas", "New York"] {
            assert!(found.contains(&(state.to_string(), "PLACE")), "{state}: {found:?}");
        }
        assert!(
            !found.iter().any(|(n, _)| n.starts_with("R-") || n.starts_with("D-")),
            "{found:?}"
        );
    }

    #[test]
    fn laws_and_treaties_are_no_entities() {
        let found = labelled("He cited the Logan Act and the Farm Services Act before the vote.");
        assert!(
            !found.iter().any(|(n, _)| n.contains("Act") || n == "Logan"),
            "{found:?}"
        );
    }

    #[test]
    fn a_title_and_its_department_before_a_person_are_no_name() {
        let found = labelled("U.S. Secretary of State Hillary Rodham Clinton said the talks would go on.");
        assert!(
            found.contains(&("Hillary Rodham Clinton".to_string(), "PERSON")),
            "{found:?}"
        );
        assert!(found.contains(&("U.S.".to_string(), "PLACE")), "{found:?}");
        let found = labelled("It is a point Florida Emergency Manager Jared Moskowitz made on Monday.");
        assert!(found.contains(&("Jared Moskowitz".to_string(), "PERSON")), "{found:?}");
        assert!(found.contains(&("Florida".to_string(), "PLACE")), "{found:?}");
        // A heading's title before words that are no name names no one.
        let found = labelled("PRODUCER OF THE YEAR\n\nBuddy Cannon\nDann Huff");
        assert!(!found.iter().any(|(n, _)| n.contains("YEAR")), "{found:?}");
        assert!(found.contains(&("Buddy Cannon".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn the_tagger_settles_a_given_name_before_an_english_word() {
        // The rules alone read these as companies ("Austin Energy").
        let found =
            labelled("It was a joke that my mother and Muriel Spark's great fictional creation shared a birthday.");
        assert!(found.contains(&("Muriel Spark".to_string(), "PERSON")), "{found:?}");
        let found = labelled("Kosmos is a group co-founded by the soccer player Gerard Pique.");
        assert!(found.contains(&("Gerard Pique".to_string(), "PERSON")), "{found:?}");
        let found = labelled("Power was back on Tuesday, Austin Energy said.");
        assert!(found.contains(&("Austin Energy".to_string(), "ORG")), "{found:?}");
    }

    #[test]
    fn a_lone_word_cited_as_a_source_is_an_organisation() {
        let text =
            "He told Mashable on Monday that it was over. Mashable later confirmed it, and Kestrix reported the same.";
        let found = labelled(text);
        assert_eq!(
            found.iter().filter(|f| **f == ("Mashable".to_string(), "ORG")).count(),
            2,
            "{found:?}"
        );
        assert!(found.contains(&("Kestrix".to_string(), "ORG")), "{found:?}");
        // A person read by the rules stays one; a condition is no reporter.
        let found =
            labelled("Chancellor Scholz spoke. Later, he told Scholz to leave. People with BED reported worse sleep.");
        assert!(!found.iter().any(|(_, l)| *l == "ORG"), "{found:?}");
    }

    #[test]
    fn wars_and_storms_name_no_one() {
        let found = labelled(
            "President Roosevelt led during World War I. Then came the Cold War. In 2018, Hurricane Michael hit Florida.",
        );
        assert!(found.contains(&("Roosevelt".to_string(), "PERSON")), "{found:?}");
        assert!(found.contains(&("Florida".to_string(), "PLACE")), "{found:?}");
        assert_eq!(found.len(), 2, "{found:?}");
        let found = labelled("Spending per student has tripled since World War II, the report said.");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn abbreviated_and_compound_titles_are_no_part_of_the_name() {
        let found = labelled(
            "Verizon executive VP Marni Walden spoke. Lawmakers grilled Lt Col Alexander Vindman. \
             Co-founders Patrick and John Collison worked on.",
        );
        for person in ["Marni Walden", "Alexander Vindman", "Patrick", "John Collison"] {
            assert!(found.contains(&(person.to_string(), "PERSON")), "{person}: {found:?}");
        }
    }

    #[test]
    fn a_name_with_a_possessive_inside_is_no_person() {
        let found = labelled("The kitchen got Invoxia's Triby, a portable speaker, last year.");
        assert!(
            !found.iter().any(|(n, l)| *l == "PERSON" && n.contains("Triby")),
            "{found:?}"
        );
    }

    #[test]
    fn a_lone_small_town_nothing_points_to_is_no_place() {
        // Obama is a town in Fukui, Japan; Tina one in Ecuador.
        let found = labelled("Obama also recently declared the treaty a success. Newt and Tina track them down.");
        assert!(!found.iter().any(|(_, l)| *l == "PLACE"), "{found:?}");
        // A preposition of place, or the country named, keeps it.
        let found = labelled("He grew up in Obama, a port on the Sea of Japan. Obama has a fish market.");
        assert_eq!(
            found.iter().filter(|(n, l)| n == "Obama" && *l == "PLACE").count(),
            2,
            "{found:?}"
        );
    }

    #[test]
    fn and_joins_the_fields_a_body_is_of() {
        let found = labelled(
            "The Ministry of Labour and Social Security met the Bureau of Alcohol, Tobacco, Firearms and \
             Explosives and the Centers for Disease Control and Prevention in Kingston.",
        );
        for name in [
            "Ministry of Labour and Social Security",
            "Bureau of Alcohol, Tobacco, Firearms and Explosives",
            "Centers for Disease Control and Prevention",
        ] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        // A name or a title after "and" starts something else.
        let found = labelled(
            "The Bank of England and Barclays met. The Ministry of Health and Education Minister Ruel Reid spoke.",
        );
        for name in ["Bank of England", "Barclays", "Ministry of Health"] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        assert!(found.contains(&("Ruel Reid".to_string(), "PERSON")), "{found:?}");
        // A field opening with a letter of two bytes ("Évaluation").
        let found = labelled("The Ministry of Health and Évaluation met.");
        assert!(
            found.contains(&("Ministry of Health and Évaluation".to_string(), "ORG")),
            "{found:?}"
        );
    }

    #[test]
    fn agencies_named_for_two_fields_are_one_name() {
        let found = labelled(
            "Officials at Customs and Border Protection and Immigration and Customs Enforcement declined to comment.",
        );
        assert_eq!(
            found,
            vec![
                ("Customs and Border Protection".to_string(), "ORG"),
                ("Immigration and Customs Enforcement".to_string(), "ORG")
            ]
        );
    }

    #[test]
    fn forces_and_company_forms_name_bodies() {
        let found = labelled(
            "The Jamaica Constabulary Force and the Barbados Defence Force said Apex Holdings LLC and Brandt GmbH \
             paid. He flew on Air Force One to see Force Majeure.",
        );
        for name in [
            "Jamaica Constabulary Force",
            "Barbados Defence Force",
            "Apex Holdings LLC",
            "Brandt GmbH",
        ] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        // An aircraft's call sign and a film are no body.
        assert!(
            !found
                .iter()
                .any(|(t, l)| t.contains("One") || *l == "ORG" && t.contains("Majeure")),
            "{found:?}"
        );
    }

    #[test]
    fn a_lone_word_after_the_that_speaks_is_a_body() {
        for (text, name) in [
            ("Later, the Kremlin said it would respond.", "Kremlin"),
            ("On Monday the Treasury said it would act.", "Treasury"),
            ("Four months ago the House acted.", "House"),
        ] {
            assert_eq!(labelled(text), vec![(name.to_string(), "ORG")], "{text}");
        }
        // A side in court, a role and an organisation's common word are no name.
        for text in [
            "But the Defence said it would appeal.",
            "Later, the Coroner said it was an accident.",
            "On Monday the Ministry said it would act.",
        ] {
            assert_eq!(labelled(text), vec![], "{text}");
        }
    }

    #[test]
    fn family_name_particles_stay_in_the_name() {
        let found = labelled(
            "Ursula von der Leyen met Erik ten Hag. Later Louis van Gaal and Joost van Hoof of the university spoke.",
        );
        for name in [
            "Ursula von der Leyen",
            "Erik ten Hag",
            "Louis van Gaal",
            "Joost van Hoof",
        ] {
            assert!(found.contains(&(name.to_string(), "PERSON")), "{name}: {found:?}");
        }
    }

    #[test]
    fn countries_named_with_and_are_one_place() {
        let found = labelled(
            "The leaders of Trinidad and Tobago, Antigua and Barbuda and Saint Vincent and the Grenadines met. \
             Bosnia and Herzegovina's team and Britain and France did not.",
        );
        for name in [
            "Trinidad and Tobago",
            "Antigua and Barbuda",
            "Saint Vincent and the Grenadines",
            "Bosnia and Herzegovina",
            "Britain",
            "France",
        ] {
            assert!(found.contains(&(name.to_string(), "PLACE")), "{name}: {found:?}");
        }
        assert_eq!(found.len(), 6, "{found:?}");
    }

    #[test]
    fn titles_before_a_force_or_a_county_are_no_name() {
        for (text, person) in [
            ("Assistant Commissioner of Police Fitz Bailey said so.", "Fitz Bailey"),
            ("Deputy Commissioner of Police Fitz Bailey said so.", "Fitz Bailey"),
            ("Chief Cabinet Secretary Hirokazu Matsuno said so.", "Hirokazu Matsuno"),
        ] {
            assert_eq!(labelled(text), vec![(person.to_string(), "PERSON")], "{text}");
        }
        let found = labelled("Los Angeles County Supervisor Hilda Solis said so.");
        assert_eq!(
            found,
            vec![
                ("Los Angeles County".to_string(), "PLACE"),
                ("Hilda Solis".to_string(), "PERSON")
            ]
        );
    }

    #[test]
    fn a_place_or_a_people_before_a_newspapers_word_is_the_paper() {
        let found = labelled(
            "According to the Jamaica Observer and the Philadelphia Inquirer, the Barbados Advocate and the \
             Irish Independent agreed.",
        );
        for name in [
            "Jamaica Observer",
            "Philadelphia Inquirer",
            "Barbados Advocate",
            "Irish Independent",
        ] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        // A small town's name or an English word is no paper's place.
        let found = labelled("He won a Golden Globe. That is our North Star, he said.");
        assert!(!found.iter().any(|(_, l)| *l == "ORG"), "{found:?}");
    }

    #[test]
    fn a_body_run_into_the_person_after_it_splits() {
        let found = labelled("A letter from the Department of Justice Thomas Smith arrived.");
        assert_eq!(
            found,
            vec![
                ("Department of Justice".to_string(), "ORG"),
                ("Thomas Smith".to_string(), "PERSON")
            ]
        );
    }

    #[test]
    fn a_river_named_first_is_a_place() {
        let found = labelled("Flood warnings were issued along the River Severn.");
        assert_eq!(found, vec![("River Severn".to_string(), "PLACE")]);
    }

    #[test]
    fn a_month_word_opening_a_places_name_stays_in_it() {
        let found = labelled("He was stabbed during an argument in May Pen, Clarendon.");
        assert_eq!(
            found,
            vec![("May Pen".to_string(), "PLACE"), ("Clarendon".to_string(), "PLACE")]
        );
        // Alone, the month is no place (a town in England is called March).
        assert_eq!(labelled("The plant will open in March."), vec![]);
    }

    #[test]
    fn bodies_news_names_bare_are_organisations_wherever_they_stand() {
        let found = labelled(
            "The Federal Reserve raised rates. The Bundestag approved the law, the Commons voted, and \
             Samsung unveiled a phone while Toyota recalled cars. Instagram said it would remove the \
             posts, Aramco declined to comment and Oxfam warned of hunger. Komeito said it had won, \
             and Ofcom said the broadcaster had breached the code.",
        );
        for org in [
            "Federal Reserve",
            "Bundestag",
            "Commons",
            "Samsung",
            "Toyota",
            "Instagram",
            "Aramco",
            "Oxfam",
            "Komeito",
            "Ofcom",
        ] {
            assert!(found.contains(&(org.to_string(), "ORG")), "{org}: {found:?}");
        }
        // Listed with the typewriter's apostrophe, printed with the typographer's.
        assert_eq!(
            labelled("The Ba\u{2019}ath ruled Iraq until 2003."),
            [("Ba\u{2019}ath".to_string(), "ORG"), ("Iraq".to_string(), "PLACE")]
        );
        // After a preposition of place, a body named like a town is the town.
        assert_eq!(
            labelled("A plant in Toyota, Aichi, closed."),
            [("Toyota".to_string(), "PLACE"), ("Aichi".to_string(), "PLACE")]
        );
    }

    #[test]
    fn a_companys_own_possessive_is_part_of_its_name() {
        for (text, org) in [
            ("Moody\u{2019}s said the outlook was stable.", "Moody\u{2019}s"),
            ("Rival Lowe's was also lower.", "Lowe's"),
            (
                "said an analyst at Moody\u{2019}s Investors Service.",
                "Moody\u{2019}s Investors Service",
            ),
            // Before its product, the company alone.
            ("Prices of the McDonald\u{2019}s Happy Meal rose.", "McDonald\u{2019}s"),
        ] {
            assert_eq!(labelled(text), [(org.to_string(), "ORG")], "{text}");
        }
        // The possessive of a person the text names is the person's.
        let text = "Michael McDonald sang. Simmons teed up McDonald\u{2019}s cameo.";
        let found = labelled(text);
        assert_eq!(found.last(), Some(&("McDonald".to_string(), "PERSON")), "{found:?}");
    }

    #[test]
    fn an_age_in_apposition_follows_a_person() {
        for text in ["O'Brien, 45, was charged.", "Smith (45) was charged with murder."] {
            let found = labelled(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].1, "PERSON", "{text}: {found:?}");
        }
        // Not a town's count, nor a street's number before its town.
        assert_eq!(
            labelled("Kingston, 12, and Portmore, 3, reported cases."),
            [("Kingston".to_string(), "PLACE"), ("Portmore".to_string(), "PLACE")]
        );
        assert!(!labelled("Flos Showroom\ncorso Monforte, 15, Milan\n9.30 A.M.")
            .iter()
            .any(|(_, l)| *l == "PERSON"));
    }

    #[test]
    fn an_area_is_not_the_town_once_called_by_its_name() {
        // The place of "X County" or "X Province", by the name of the place the gazetteer resolves.
        let resolved = |text: &str| {
            let g = Gazetteer::get();
            find(text, &tokenize(text))
                .iter()
                .filter(|f| f.label == "PLACE")
                .map(|f| f.place.map(|p| g.places[p as usize].name.clone()))
                .collect::<Vec<_>>()
        };
        // GeoNames lists "Sonoma" among the other names of Ennis, Texas.
        assert_eq!(
            resolved("The wildfire has burned 20,000 acres in Sonoma County."),
            [None]
        );
        // A town that is the area's namesake, or a region, still resolves.
        assert_eq!(
            resolved("Rain fell across Ryanggang Province."),
            [Some("Ryanggang".to_string())]
        );
        assert_eq!(
            resolved("Two men were arrested in Los Angeles County."),
            [Some("Los Angeles".to_string())]
        );
    }

    #[test]
    fn a_plural_opening_the_sentence_is_no_part_of_the_name_after_of() {
        assert_eq!(
            labelled("Leaders of Trinidad and Tobago met on Monday."),
            vec![("Trinidad and Tobago".to_string(), "PLACE")]
        );
        assert_eq!(
            labelled("Hundreds of Amazon workers walked out."),
            vec![("Amazon".to_string(), "ORG")]
        );
        assert_eq!(
            labelled("Most of Britain will see rain."),
            vec![("Britain".to_string(), "PLACE")]
        );
        // A body's word before "of" is the body's name.
        assert_eq!(
            labelled("Bank of England officials met."),
            vec![("Bank of England".to_string(), "ORG")]
        );
    }

    #[test]
    fn a_lone_word_after_the_that_reports_is_a_paper() {
        assert_eq!(
            labelled("The Yomiuri reported that the minister resigned."),
            vec![("Yomiuri".to_string(), "ORG")]
        );
        // A paper's English word too.
        assert_eq!(
            labelled("He said the Observer revealed the plan."),
            vec![("Observer".to_string(), "ORG")]
        );
        // Also one that names a kind of body elsewhere ("the Times", "the Journal").
        for paper in ["Times", "Journal", "Telegraph"] {
            assert_eq!(
                labelled(&format!("On Monday the {paper} reported the deal.")),
                vec![(paper.to_string(), "ORG")]
            );
        }
        // Not an office or a body's common word.
        assert_eq!(labelled("The Coroner reported the findings."), vec![]);
        assert_eq!(labelled("The Ministry reported the findings."), vec![]);
    }

    #[test]
    fn a_bodys_word_of_the_and_a_name_is_one_body() {
        assert_eq!(
            labelled("She was taken to the University Hospital of the West Indies."),
            vec![("University Hospital of the West Indies".to_string(), "ORG")]
        );
        assert_eq!(
            labelled("The Bank of the Philippine Islands reported profits."),
            vec![("Bank of the Philippine Islands".to_string(), "ORG")]
        );
        // A title's "of the" is no body ("President of the United States").
        assert_eq!(
            labelled("He met the President of the United States."),
            vec![("United States".to_string(), "PLACE")]
        );
    }

    #[test]
    fn sides_no_rule_named_are_clubs_in_a_result() {
        let found = labelled(
            "Spurs beat Arsenal 2-1 on Sunday, and Everton drew 1-1 with Wolves. The Lakers beat the \
             Celtics 110-102.",
        );
        for name in ["Spurs", "Arsenal", "Everton", "Wolves", "Lakers", "Celtics"] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        // Sets or a set's score: the sides are players, whom no rule names here.
        assert_eq!(labelled("Federer beat Nadal 6-4, 6-3."), vec![]);
        let games = labelled("Zhendong beat Moregard 11-9, 11-7, 11-5.");
        assert!(games.iter().all(|(_, label)| *label != "ORG"), "{games:?}");
        assert_eq!(labelled("He beat Smith 6-3 in the final."), vec![]);
    }

    #[test]
    fn a_town_before_a_role_only_a_club_has_is_the_club() {
        assert_eq!(
            labelled("The Liverpool manager said the team would recover."),
            [("Liverpool".to_string(), "ORG")]
        );
        // A town's own office keeps the town.
        assert_eq!(
            labelled("The Liverpool mayor welcomed him."),
            [("Liverpool".to_string(), "PLACE")]
        );
        // A club no town names, listed, opens a sentence as a name.
        assert_eq!(
            labelled("Arsenal signed the striker."),
            [("Arsenal".to_string(), "ORG")]
        );
    }

    #[test]
    fn places_in_a_matchs_result_are_its_sides() {
        let found = labelled("Liverpool beat Chelsea 2-0 on Saturday, while Burnley lost 3-1 to West Ham in London.");
        for name in ["Liverpool", "Chelsea", "Burnley", "West Ham"] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        assert!(found.contains(&("London".to_string(), "PLACE")), "{found:?}");
        // No score, no match: places stay places; a disease is no one.
        assert!(labelled("Patients with Small Cell Lung Cancer were treated.").is_empty());
        let found = labelled("Flights from Liverpool to Chelsea were cancelled.");
        assert!(found.iter().all(|(_, l)| *l == "PLACE"), "{found:?}");
    }

    #[test]
    fn a_lone_word_before_a_bodys_staff_is_that_body() {
        let found =
            labelled("Keidanren chairman Masakazu Tokura spoke. Tepco said so, Tepco officials agreed and Caltrans employees left.");
        for name in ["Keidanren", "Caltrans"] {
            assert!(found.contains(&(name.to_string(), "ORG")), "{name}: {found:?}");
        }
        // Every mention of the body, also one that speaks.
        assert_eq!(
            found.iter().filter(|f| **f == ("Tepco".to_string(), "ORG")).count(),
            2,
            "{found:?}"
        );
        // People have spokesmen.
        let found = labelled("Pelosi spokesman Drew Hammill said so.");
        assert!(!found.iter().any(|(_, l)| *l == "ORG"), "{found:?}");
        // "The Fresno Bee" is a paper.
        assert_eq!(
            labelled("The Fresno Bee reported it."),
            vec![("Fresno Bee".to_string(), "ORG")]
        );
    }

    #[test]
    fn a_party_members_word_before_a_person_is_the_party() {
        let found = labelled("Florida Democrat Val Demings debated Republican Ted Cruz.");
        assert_eq!(
            found,
            vec![
                ("Florida".to_string(), "PLACE"),
                ("Democrat".to_string(), "ORG"),
                ("Val Demings".to_string(), "PERSON"),
                ("Republican".to_string(), "ORG"),
                ("Ted Cruz".to_string(), "PERSON")
            ]
        );
    }
}
