//! Charset detection without HTTP headers: BOM, then the page's own
//! declaration, then content sniffing, with the declaration distrusted when
//! the bytes contradict it.

use encoding_rs::{Encoding, UTF_8};

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
/// Order: a byte-order mark wins; then a declaration (`<meta charset>`,
/// `http-equiv` content type, XML declaration), unless the bytes are valid
/// UTF-8 containing non-ASCII, which a legacy single-byte page practically
/// never is; then UTF-8 if valid; then a statistical guess (chardetng).
/// A declared encoding that produces errors where the guess does not is
/// treated as wrong.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_with_hint(bytes, None)
}

/// [`decode`] with a charset from outside the page (an HTTP `Content-Type`
/// header): it ranks like the page's own declaration, above it, and is
/// distrusted the same way when the bytes contradict it.
pub fn decode_with_hint(bytes: &[u8], hint: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..]);
    }
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
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
        if enc == UTF_8 && utf8_ok {
            return finish(UTF_8, bytes);
        }
        if enc != UTF_8 && utf8_ok && !bytes.is_ascii() {
            return finish(UTF_8, bytes);
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
    if utf8_ok {
        return finish(UTF_8, bytes);
    }
    finish(guess(bytes), bytes)
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    // A sample is enough for the statistics and keeps 20 MB pages cheap.
    let sample = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(sample, sample.len() == bytes.len());
    det.guess(None, true)
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        had_errors,
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

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)) {
            let _ = decode(&bytes);
        }
    }
}
