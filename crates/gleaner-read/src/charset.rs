//! Charset detection without HTTP headers: BOM (or the zero bytes of UTF-16
//! and UTF-32), then the page's own declaration, then content sniffing, with
//! the declaration distrusted when the bytes contradict it.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used (WHATWG name).
    pub encoding: &'static str,
    /// Whether some bytes were malformed in that encoding and replaced by U+FFFD.
    pub had_errors: bool,
}

/// How far into a page to look for a `<meta charset>` declaration. Browsers
/// look at 1024 bytes; real pages put long `<script>`s first, so we look further.
const PRESCAN_BYTES: usize = 8192;

/// Decodes bytes to text.
///
/// Order: a byte-order mark wins, and so do the zero bytes that UTF-16 and
/// UTF-32 put beside every ASCII character (the XML spec's autodetection,
/// applied to any text); then a declaration (`<meta charset>`, `http-equiv`
/// content type, XML declaration), unless the bytes are valid UTF-8
/// containing non-ASCII, which a legacy single-byte page practically never
/// is; then UTF-8 if valid; then a statistical guess (chardetng), or
/// windows-1252 when the guess is weak (see [`guess`]). A declared encoding
/// that produces errors where the guess does not is treated as wrong.
///
/// C1 control characters (U+0080–U+009F) in the result are windows-1252
/// bytes that went through the wrong door (UTF-8-encoded, or written as
/// `&#146;`): they become the characters windows-1252 gives them (`’`).
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_with_hint(bytes, None)
}

/// [`decode`] with a charset from outside the page (an HTTP `Content-Type`
/// header): it ranks like the page's own declaration, above it, and is
/// distrusted the same way when the bytes contradict it.
pub fn decode_with_hint(bytes: &[u8], hint: Option<&str>) -> Decoded {
    if let Some(wide) = detect_wide(bytes) {
        return decode_wide(wide, bytes);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..]);
    }
    // Validated once: the UTF-8 outcomes below reuse it rather than have
    // encoding_rs validate the whole page a second time (issue 16).
    let utf8 = std::str::from_utf8(bytes).ok();
    let declared = hint
        .and_then(|h| Encoding::for_label(h.trim().as_bytes()))
        .or_else(|| declared_encoding(&bytes[..bytes.len().min(PRESCAN_BYTES)]));
    if let Some(enc) = declared {
        // A page cannot really be UTF-16 when its declaration was readable as ASCII.
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        };
        if let Some(text) = utf8 {
            if enc == UTF_8 || !text.is_ascii() {
                return utf8_text(text);
            }
        }
        let decoded = finish(enc, bytes);
        if !decoded.had_errors {
            return decoded;
        }
        let guessed = guess(bytes);
        if guessed != enc {
            let alt = finish(guessed, bytes);
            if !alt.had_errors {
                return alt;
            }
        }
        return decoded;
    }
    if let Some(text) = utf8 {
        return utf8_text(text);
    }
    finish(guess(bytes), bytes)
}

/// What [`finish`] makes of bytes already validated as UTF-8.
fn utf8_text(text: &str) -> Decoded {
    Decoded {
        text: fix_c1(Cow::Borrowed(text)).into_owned(),
        encoding: UTF_8.name(),
        had_errors: false,
    }
}

/// Fewer non-ASCII bytes than this are too little evidence to choose
/// between single-byte encodings.
const FEW_NON_ASCII: usize = 4;

/// chardetng's guess, except between single-byte encodings on too little
/// evidence: when the guess is weak (chardetng says no better than another
/// candidate) or rests on fewer than [`FEW_NON_ASCII`] non-ASCII bytes, it is
/// windows-1252, the most common legacy encoding and the web's default. One
/// "£" in an ASCII feed otherwise reads as windows-1250's "Ł". A multi-byte
/// guess decoded its byte sequences without errors, which is evidence of
/// its own, and stands.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    // A sample is enough for the statistics and keeps 20 MB pages cheap.
    let sample = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(sample, sample.len() == bytes.len());
    let (enc, confident) = det.guess_assess(None, true);
    let few = sample.iter().filter(|b| !b.is_ascii()).take(FEW_NON_ASCII).count() < FEW_NON_ASCII;
    if enc.is_single_byte() && (!confident || few) {
        WINDOWS_1252
    } else {
        enc
    }
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: fix_c1(text).into_owned(),
        encoding: enc.name(),
        had_errors,
    }
}

/// Replaces C1 control characters (U+0080–U+009F) by what windows-1252 makes
/// of the same byte (`U+0092` → `’`); the five bytes windows-1252 leaves
/// undefined stay as they are. Text that holds them is windows-1252 that was
/// decoded as Latin-1, re-encoded as UTF-8 or written as numeric character
/// references (`&#146;`): nobody writes these controls on purpose.
pub(crate) fn fix_c1(text: Cow<'_, str>) -> Cow<'_, str> {
    // In UTF-8 every C1 character starts with the byte 0xC2 (then 0x80–0x9F).
    let has_c1 = memchr::memchr_iter(0xC2, text.as_bytes())
        .any(|i| text.as_bytes().get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)));
    if !has_c1 {
        return text;
    }
    let fixed = text
        .chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(b @ 0x80..=0x9F) => WINDOWS_1252
                .decode_without_bom_handling(&[b])
                .0
                .chars()
                .next()
                .unwrap_or(c),
            _ => c,
        })
        .collect();
    Cow::Owned(fixed)
}

/// The wide Unicode encodings: UTF-16 and UTF-32 in both byte orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    fn unit(self) -> usize {
        match self {
            Wide::Utf16Le | Wide::Utf16Be => 2,
            Wide::Utf32Le | Wide::Utf32Be => 4,
        }
    }
}

/// How many leading bytes to look at for the zero-byte pattern.
const WIDE_SAMPLE: usize = 4096;

/// UTF-16 or UTF-32, by byte-order mark or, without one, by where the zero
/// bytes are: text that is mostly ASCII has a zero in every high byte, which
/// no 8-bit encoding produces (the XML spec's autodetection, applied to a
/// sample rather than to the first four bytes only, so that it also works for
/// text that does not start with `<`). Returns the encoding and the length of
/// its byte-order mark (0 when detected by the zero bytes).
pub(crate) fn detect_wide(bytes: &[u8]) -> Option<(Wide, usize)> {
    // UTF-32LE's mark starts with UTF-16LE's, so it is tested first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some((Wide::Utf32Le, 4));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((Wide::Utf32Be, 4));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some((Wide::Utf16Le, 2));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some((Wide::Utf16Be, 2));
    }
    let sample = &bytes[..bytes.len().min(WIDE_SAMPLE)];
    if sample.len() < 4 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    // Zero bytes by position modulo 4.
    let mut zeros = [0usize; 4];
    let mut total = [0usize; 4];
    for (i, b) in sample.iter().enumerate() {
        total[i % 4] += 1;
        if *b == 0 {
            zeros[i % 4] += 1;
        }
    }
    let mostly = |i: usize| zeros[i] * 10 >= total[i] * 9;
    let rarely = |i: usize| zeros[i] * 10 <= total[i];
    // UTF-32 first: its pattern would also pass for UTF-16 in one byte order.
    if mostly(1) && mostly(2) && mostly(3) && rarely(0) {
        return Some((Wide::Utf32Le, 0));
    }
    if mostly(0) && mostly(1) && mostly(2) && rarely(3) {
        return Some((Wide::Utf32Be, 0));
    }
    // UTF-16: zeros at odd (LE) or even (BE) offsets, in both halves of
    // every four bytes (binary data can have a zero every fourth byte).
    // Text with some non-Latin letters has fewer zero high bytes, so this
    // asks for a majority, not nearly all.
    let half = |i: usize| zeros[i] * 2 >= total[i];
    let rare = |i: usize| zeros[i] * 20 <= total[i];
    if half(1) && half(3) && rare(0) && rare(2) {
        return Some((Wide::Utf16Le, 0));
    }
    if half(0) && half(2) && rare(1) && rare(3) {
        return Some((Wide::Utf16Be, 0));
    }
    None
}

/// Decodes UTF-16 (with encoding_rs) or UTF-32 (which encoding_rs does not
/// know, being absent from the web's encodings: by hand, each invalid unit
/// becoming U+FFFD).
fn decode_wide((wide, bom): (Wide, usize), bytes: &[u8]) -> Decoded {
    let body = &bytes[bom..];
    match wide {
        Wide::Utf16Le => finish(encoding_rs::UTF_16LE, body),
        Wide::Utf16Be => finish(encoding_rs::UTF_16BE, body),
        Wide::Utf32Le | Wide::Utf32Be => {
            let mut had_errors = !body.len().is_multiple_of(wide.unit());
            let mut text = String::with_capacity(body.len() / 4);
            for unit in body.chunks_exact(4) {
                let arr = [unit[0], unit[1], unit[2], unit[3]];
                let v = if wide == Wide::Utf32Le {
                    u32::from_le_bytes(arr)
                } else {
                    u32::from_be_bytes(arr)
                };
                text.push(char::from_u32(v).unwrap_or_else(|| {
                    had_errors = true;
                    '\u{fffd}'
                }));
            }
            Decoded {
                text: fix_c1(Cow::Owned(text)).into_owned(),
                encoding: if wide == Wide::Utf32Le { "UTF-32LE" } else { "UTF-32BE" },
                had_errors,
            }
        }
    }
}

/// Finds a charset declared in the first bytes of a page.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") {
        if let Some(end) = memchr::memmem::find(&lower, b"?>") {
            if let Some(enc) = attr_label(&lower[..end], b"encoding").and_then(Encoding::for_label) {
                return Some(enc);
            }
        }
    }
    let mut pos = 0;
    while let Some(i) = memchr::memmem::find(&lower[pos..], b"<meta") {
        let start = pos + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        if let Some(enc) = attr_label(&lower[start..end], b"charset").and_then(Encoding::for_label) {
            return Some(enc);
        }
        pos = end.max(start + 5);
    }
    None
}

/// The value after `key` `=` (quoted or not) inside a tag's bytes.
fn attr_label<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let i = memchr::memmem::find(tag, key)?;
    let rest = &tag[i + key.len()..];
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_declaration_is_used() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("<meta charset=\"windows-1252\"><p>caf\u{e9} \u{201c}quoted\u{201d}</p>");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("caf\u{e9} \u{201c}quoted\u{201d}"));
    }

    #[test]
    fn http_equiv_and_euc_kr() {
        let html = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\"><p>\u{c11c}\u{c6b8} \u{c2dc}\u{c7a5}</p>";
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(html);
        let d = decode(&bytes);
        assert_eq!(d.encoding, "EUC-KR");
        assert!(d.text.contains("\u{c11c}\u{c6b8}"));
    }

    #[test]
    fn wrong_declaration_latin1_but_utf8() {
        let html = "<meta charset=iso-8859-1><p>M\u{fc}nchen stra\u{df}e</p>";
        let d = decode(html.as_bytes());
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("M\u{fc}nchen stra\u{df}e"));
    }

    #[test]
    fn wrong_declaration_utf8_but_legacy() {
        let body = "<meta charset=utf-8><p>".to_string()
            + &"Gr\u{fc}\u{df}e aus M\u{fc}nchen und K\u{f6}ln. ".repeat(40)
            + "</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&body);
        let d = decode(&bytes);
        assert!(!d.had_errors, "decoded as {}", d.encoding);
        assert!(d.text.contains("Gr\u{fc}\u{df}e aus M\u{fc}nchen"));
    }

    #[test]
    fn undeclared_shift_jis_is_sniffed() {
        let text = "<p>".to_string() + &"\u{65e5}\u{672c}\u{8a9e}\u{306e}\u{8a18}\u{4e8b}\u{3067}\u{3059}\u{3002}\u{6771}\u{4eac}\u{306e}\u{5929}\u{6c17}\u{306f}\u{6674}\u{308c}\u{3067}\u{3057}\u{305f}\u{3002}".repeat(20);
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let d = decode(&bytes);
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.text.contains("\u{65e5}\u{672c}\u{8a9e}"));
    }

    #[test]
    fn http_hint_is_used_and_distrusted_like_a_declaration() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("<p>caf\u{e9}</p>");
        assert_eq!(decode_with_hint(&bytes, Some("windows-1252")).text, "<p>caf\u{e9}</p>");
        // A header claiming latin-1 for real UTF-8 loses to the bytes.
        assert_eq!(
            decode_with_hint("<p>M\u{fc}nchen</p>".as_bytes(), Some("iso-8859-1")).text,
            "<p>M\u{fc}nchen</p>"
        );
        assert_eq!(decode_with_hint(b"<p>x</p>", Some("no-such-charset")).encoding, "UTF-8");
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<p>hi</p>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).text, "<p>hi</p>");
    }

    #[test]
    fn utf16_and_utf32_without_a_mark() {
        let text = "<?xml version=\"1.0\"?><rss><title>Caf\u{e9} \u{20ac}5</title></rss>";
        let le16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le32: Vec<u8> = text.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        let be32: Vec<u8> = text.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        for (bytes, enc) in [
            (le16, "UTF-16LE"),
            (be16, "UTF-16BE"),
            (le32, "UTF-32LE"),
            (be32, "UTF-32BE"),
        ] {
            let d = decode(&bytes);
            assert_eq!((d.text.as_str(), d.encoding, d.had_errors), (text, enc, false));
        }
        // With marks too, and plain text that does not start with '<'.
        let mut bom32 = vec![0xFF, 0xFE, 0, 0];
        bom32.extend("Hello".chars().flat_map(|c| (c as u32).to_le_bytes()));
        assert_eq!(decode(&bom32).text, "Hello");
        let plain16: Vec<u8> = "User-agent: *\nDisallow: /\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&plain16).text, "User-agent: *\nDisallow: /\n");
        // Zero bytes in binary data are no UTF-16: not all zeros, nor a zero
        // every fourth byte among random ones.
        assert!(detect_wide(&[0u8; 64]).is_none());
        let every_fourth: Vec<u8> = (0..4096u32)
            .map(|i| {
                if i % 4 == 1 {
                    0
                } else {
                    (i.wrapping_mul(2654435761) >> 13) as u8 | 1
                }
            })
            .collect();
        assert!(detect_wide(&every_fourth).is_none());
    }

    #[test]
    fn undeclared_windows_1252_with_few_accents() {
        // One pound sign in ASCII XML: too little for statistics, and
        // windows-1250/ISO-8859-2 would read it as "\u{141}".
        let (bytes, _, _) = WINDOWS_1252
            .encode("<?xml version=\"1.0\"?><rss><channel><item><title>Tickets \u{a3}5</title></item></channel></rss>");
        assert!(
            decode(&bytes).text.contains("Tickets \u{a3}5"),
            "{}",
            decode(&bytes).text
        );
        let (bytes, _, _) = WINDOWS_1252.encode("<p>Don\u{2019}t pay \u{a3}10 for caf\u{e9}</p>");
        assert!(decode(&bytes).text.contains("Don\u{2019}t pay \u{a3}10 for caf\u{e9}"));
    }

    #[test]
    fn c1_controls_are_windows_1252() {
        // UTF-8-encoded U+0092, as feedparser's demoronize test has it.
        assert_eq!(decode("don\u{92}t".as_bytes()).text, "don\u{2019}t");
        // The raw windows-1252 byte, undeclared, in otherwise ASCII text.
        assert_eq!(decode(b"<p>Don\x92t pay</p>").text, "<p>Don\u{2019}t pay</p>");
        assert_eq!(
            fix_c1(Cow::Borrowed("\u{80}5 \u{93}q\u{94} \u{81}")),
            "\u{20ac}5 \u{201c}q\u{201d} \u{81}"
        );
        assert!(matches!(fix_c1(Cow::Borrowed("plain caf\u{e9}")), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)) {
            let _ = decode(&bytes);
        }
    }
}
