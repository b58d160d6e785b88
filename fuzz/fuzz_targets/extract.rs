//! Bytes → charset decoding → kind sniffing → extraction as HTML and as plain
//! text → both renderings. Nothing on this path may panic or hang.
#![no_main]

use gleaner_extract::{extract, PageKind};
use gleaner_read::{decode, sniff_kind, DocKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = decode(data);
    let text = decoded.text.as_str();
    // A first line that looks like an address is also passed as the page URL,
    // so the URL-based date and publisher code is fuzzed too.
    let first_line = text.lines().next().unwrap_or("");
    let url = first_line.starts_with("http").then_some(first_line);
    // sniff_kind refuses empty and binary-looking text; extraction must cope
    // with those anyway, so both kinds run whatever it says.
    let sniffed = match sniff_kind(text, None) {
        Ok(DocKind::Text) => PageKind::Text,
        Ok(DocKind::Html) | Err(_) => PageKind::Html,
    };
    let other = if sniffed == PageKind::Html {
        PageKind::Text
    } else {
        PageKind::Html
    };
    for kind in [sniffed, other] {
        let article = extract(text, kind, url);
        let _ = article.text();
        let _ = article.markdown();
    }
});
