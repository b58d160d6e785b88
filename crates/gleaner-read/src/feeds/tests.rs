use super::*;
use proptest::prelude::*;

fn pages(items: &[Item]) -> Vec<&RawPage> {
    items
        .iter()
        .filter_map(|i| if let Item::Page(p) = i { Some(p) } else { None })
        .collect()
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
<title>The Millbrook Ledger</title>
<link>https://ledger.example/</link>
<item>
  <title>Bridge reopens &amp; traffic returns</title>
  <link>https://ledger.example/2024/bridge</link>
  <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
  <description>Short teaser.</description>
  <media:content url="https://ledger.example/bridge.jpg"/>
  <content:encoded><![CDATA[<p>The Elm Street bridge reopened on Monday.</p><p>Drivers&nbsp;cheered.</p>]]></content:encoded>
</item>
<item>
  <title>Council meets</title>
  <guid isPermaLink="true">https://ledger.example/2024/council</guid>
  <dc:date>2024-03-06T18:00:00Z</dc:date>
  <description>The council meets on Thursday.</description>
</item>
<item>
  <title>Long description</title>
  <atom:link rel="alternate" href="https://ledger.example/2024/long"/>
  <description>&lt;p&gt;A full story in the description.&lt;/p&gt;</description>
</item>
  </channel>
</rss>"#;

#[test]
fn rss_content_encoded_and_description_only() {
    let items = read_feed(RSS.as_bytes()).expect("feed");
    assert_eq!(items.len(), 3, "{items:?}");
    let Item::Page(p) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(p.url.as_deref(), Some("https://ledger.example/2024/bridge"));
    assert_eq!(p.title.as_deref(), Some("Bridge reopens & traffic returns"));
    assert_eq!(p.published.as_deref(), Some("2024-03-05"));
    assert_eq!(p.kind, Some(DocKind::Html));
    assert_eq!(
        String::from_utf8_lossy(&p.bytes),
        "<p>The Elm Street bridge reopened on Monday.</p><p>Drivers&nbsp;cheered.</p>"
    );
    assert_eq!((p.offset, p.next_offset), (0, 1));
    let Item::Pending(u) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(u.url, "https://ledger.example/2024/council");
    assert_eq!(u.title.as_deref(), Some("Council meets"));
    assert_eq!(u.date.as_deref(), Some("2024-03-06"));
    assert_eq!((u.offset, u.next_offset), (1, 2));
    let Item::Page(p) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(p.url.as_deref(), Some("https://ledger.example/2024/long"));
    assert_eq!(
        String::from_utf8_lossy(&p.bytes),
        "<p>A full story in the description.</p>"
    );
}

#[test]
fn rss1_rdf() {
    let feed = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://gazette.example/"><title>Gazette</title>
<items><rdf:Seq><rdf:li rdf:resource="https://gazette.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://gazette.example/a">
<title>Harbour dredging starts</title>
<dc:date>2023-11-02</dc:date>
  </item>
</rdf:RDF>"#;
    let items = read_feed(feed.as_bytes()).expect("feed");
    assert_eq!(
        items,
        vec![Item::Pending(PendingUrl {
            url: "https://gazette.example/a".into(),
            title: Some("Harbour dredging starts".into()),
            date: Some("2023-11-02".into()),
            offset: 0,
            next_offset: 1,
        })]
    );
}

#[test]
fn atom_content_and_summary() {
    let long_summary = "word ".repeat(120);
    let feed = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <entry>
<title type="html">Flood &lt;em&gt;warning&lt;/em&gt;</title>
<link rel="self" href="https://courier.example/feed/1"/>
<link rel="alternate" type="text/html" href="https://courier.example/flood"/>
<id>tag:courier.example,2024:1</id>
<published>2024-04-01T07:00:00-05:00</published>
<updated>2024-04-02T07:00:00Z</updated>
<author><name>R. Okafor</name></author>
<content type="html">&lt;p&gt;Rivers rose overnight.&lt;/p&gt;</content>
  </entry>
  <entry>
<title>Inline XHTML</title>
<link href="https://courier.example/xhtml"/>
<updated>2024-04-03T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b> &amp; bye</p></div></content>
  </entry>
  <entry>
<title>Short summary</title>
<link href="https://courier.example/short"/>
<summary>Just a teaser.</summary>
  </entry>
  <entry>
<title>Long summary</title>
<id>https://courier.example/long</id>
<summary>{long_summary}</summary>
  </entry>
  <entry>
<title>Out of line</title>
<link href="https://courier.example/ool"/>
<content src="https://courier.example/ool.html" type="text/html"/>
  </entry>
</feed>"#
    );
    let items = read_feed(feed.as_bytes()).expect("feed");
    assert_eq!(items.len(), 5, "{items:?}");
    let Item::Page(p) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(p.url.as_deref(), Some("https://courier.example/flood"));
    assert_eq!(p.published.as_deref(), Some("2024-04-01"));
    assert_eq!(p.kind, Some(DocKind::Html));
    assert_eq!(String::from_utf8_lossy(&p.bytes), "<p>Rivers rose overnight.</p>");
    assert_eq!(p.title.as_deref(), Some("Flood warning"));
    assert_eq!(strip_tags("a < b <b>bold</b>\n x"), "a < b bold x");
    let Item::Page(p) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(p.published.as_deref(), Some("2024-04-03"));
    assert_eq!(
        String::from_utf8_lossy(&p.bytes),
        r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b> &amp; bye</p></div>"#
    );
    let Item::Pending(u) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(u.url, "https://courier.example/short");
    let Item::Page(p) = &items[3] else {
        panic!("{:?}", items[3])
    };
    // A plain-text body becomes paragraphs: its first line is no headline.
    assert_eq!(p.kind, Some(DocKind::Html));
    assert!(String::from_utf8_lossy(&p.bytes).starts_with("<p>word word"));
    assert_eq!(p.url.as_deref(), Some("https://courier.example/long"));
    assert!(matches!(&items[4], Item::Pending(u) if u.url == "https://courier.example/ool"));
}

#[test]
fn json_feed_html_and_text() {
    let feed = r#"{
  "version": "https:\/\/jsonfeed.org\/version\/1.1",
  "title": "Orchard Post",
  "items": [
{"id": "1", "url": "https://post.example/a", "title": "Apples", "content_html": "<p>Harvest is early.</p>",
 "date_published": "2024-09-10T08:00:00+02:00"},
{"id": "https://post.example/b", "content_text": "Pears are late this year.", "date_modified": "2024-09-11T00:00:00Z"},
{"id": "3", "external_url": "https://elsewhere.example/c", "title": "Plums", "summary": "teaser"},
{"id": "4"},
7
  ]
}"#;
    assert_eq!(crate::sniff(feed.as_bytes(), None).ok(), Some(crate::SourceKind::Feed));
    let items = read_feed(feed.as_bytes()).expect("feed");
    assert_eq!(items.len(), 5);
    let Item::Page(p) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(
        (p.url.as_deref(), p.kind),
        (Some("https://post.example/a"), Some(DocKind::Html))
    );
    assert_eq!(p.published.as_deref(), Some("2024-09-10"));
    let Item::Page(p) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(
        (p.url.as_deref(), p.kind),
        (Some("https://post.example/b"), Some(DocKind::Html))
    );
    assert_eq!(p.bytes, b"<p>Pears are late this year.</p>");
    assert_eq!(p.published.as_deref(), Some("2024-09-11"));
    assert!(matches!(&items[2], Item::Pending(u) if u.url == "https://elsewhere.example/c"));
    assert!(matches!(&items[3], Item::Error(e) if e.category == "bad feed" && e.offset == 3));
    assert!(matches!(&items[4], Item::Error(e) if e.category == "bad feed" && e.offset == 4));
    let not_feed = read_feed(br#"{"version": "2", "items": []}"#).expect("read");
    assert!(matches!(&not_feed[..], [Item::Error(e)] if e.category == "bad feed"));
}

#[test]
fn malformed_xml_keeps_earlier_entries() {
    let feed = "<rss><channel>\
        <item><title>One</title><link>https://a.example/1</link></item>\
        <item><title>Two</title><link>https://a.example/2</link></itme>\
        <item><title>Three</title><link>https://a.example/3</link></item>";
    let items = read_feed(feed.as_bytes()).expect("feed");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[0], Item::Pending(u) if u.url == "https://a.example/1"));
    let Item::Error(e) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!((e.category, e.offset), ("bad feed", 1));

    // Cut short mid-entry: the complete entries survive, then an error.
    let cut = &RSS[..RSS.find("<title>Council").expect("fixture")];
    let items = read_feed(cut.as_bytes()).expect("feed");
    assert_eq!(pages(&items).len(), 1);
    assert!(matches!(items.last(), Some(Item::Error(e)) if e.reason.contains("truncated")));

    let html = read_feed(b"<!DOCTYPE html><html><body><p>hi</p></body></html>").expect("read");
    assert!(matches!(&html[..], [Item::Error(e)] if e.category == "bad feed"));
    assert!(matches!(read_feed(b"  \n"), Err(ReadError::Empty)));
}

#[test]
fn unknown_prefix_and_latin1() {
    // Undeclared content: prefix, windows-1252 bytes, an HTML entity in a title.
    let mut feed = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><item>\
        <title>Caf\xe9&nbsp;news</title><link> https://b.example/x </link>\
        <content:encoded>&lt;p&gt;Cr\xe8me&lt;/p&gt;</content:encoded></item></channel></rss>"
        .to_vec();
    feed.extend_from_slice(b"\n<!-- trailing junk after the root is ignored --> & <");
    let items = read_feed(&feed).expect("feed");
    assert_eq!(items.len(), 1, "{items:?}");
    let Item::Page(p) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(
        p.title.as_deref(),
        Some("Caf\u{e9} news"),
        "a no-break space in a title is a space"
    );
    assert_eq!(p.url.as_deref(), Some("https://b.example/x"));
    assert_eq!(String::from_utf8_lossy(&p.bytes), "<p>Cr\u{e8}me</p>");
}

#[test]
fn dates() {
    assert_eq!(
        normalise_date("Tue, 05 Mar 2024 09:30:00 GMT").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(normalise_date("5 March 2024").as_deref(), Some("2024-03-05"));
    assert_eq!(
        normalise_date("Sat, Dec 16 2023 02:02:33 PM").as_deref(),
        Some("2023-12-16")
    );
    assert_eq!(
        normalise_date("Sat, 1 Jan 99 00:00:00 EST").as_deref(),
        Some("1999-01-01")
    );
    assert_eq!(normalise_date("2024-02-29T10:00:00Z").as_deref(), Some("2024-02-29"));
    assert_eq!(normalise_date("2023-02-29").as_deref(), None);
    assert_eq!(normalise_date("2024-13-01"), None);
    assert_eq!(normalise_date("yesterday"), None);
    assert_eq!(normalise_date(""), None);
}

/// Fragments that steer random documents into the parser's deeper states.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<rss>",
            "<feed>",
            "<channel>",
            "<item>",
            "</item>",
            "<entry>",
            "</entry>",
            "<title>",
            "</title>",
            "<link>",
            "</link>",
            "<link href='https://x.example/'/>",
            "<content type='xhtml'>",
            "</content>",
            "<content:encoded>",
            "</content:encoded>",
            "<description>",
            "</description>",
            "<![CDATA[<p>",
            "]]>",
            "&amp;",
            "&nbsp;",
            "&#xD800;",
            "&",
            "<",
            ">",
            "<summary>",
            "</summary>",
            "<guid>",
            "<urlset>",
            "<url>",
            "<loc>",
            "</loc>",
            "</url>",
            "<news:title>",
            "<sitemap>",
            "<lastmod>",
            "</lastmod>",
            "\u{feff}",
            "\"",
            "<?xml version='1.0'?>",
            "<!--",
            "-->",
            "<!DOCTYPE x>",
        ])
        .prop_map(str::to_string),
        "[a-z <>/&;:\"'=]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_feed(&bytes);
        let _ = crate::read_sitemap(&bytes);
        let _ = crate::sniff(&bytes, None);
    }

    #[test]
    fn xmlish_documents_never_panic(parts in prop::collection::vec(fragment(), 0..40)) {
        let doc = parts.concat();
        if let Ok(items) = read_feed(doc.as_bytes()) {
            for (i, it) in items.iter().enumerate() {
                prop_assert!(it.offset() <= i as u64);
                prop_assert_eq!(it.next_offset(), it.offset() + 1);
            }
        }
        let _ = crate::read_sitemap(doc.as_bytes());
        let _ = crate::sniff(doc.as_bytes(), None);
    }
}

#[test]
fn rss_090_and_default_namespaces_are_rss() {
    // RSS 0.90: items beside the channel, in the 0.90 namespace as default.
    let rss090 = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://channel.netscape.com/rdf/simple/0.9/">
  <channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link></channel>
  <item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item>
  <item><title>Bugzilla Reorganized</title><link>http://www.mozilla.org/bugs/</link></item>
</rdf:RDF>"#;
    let items = read_feed(rss090.as_bytes()).expect("feed");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[1], Item::Pending(u) if u.url == "http://www.mozilla.org/bugs/" && u.title.as_deref() == Some("Bugzilla Reorganized"))
    );
    // RSS 2.0 under an unknown default namespace.
    let ns = r#"<rss xmlns="http://backend.userland.com/rss2.1"><channel>
<item><title>One</title><link>https://a.example/1</link></item></channel></rss>"#;
    let items = read_feed(ns.as_bytes()).expect("feed");
    assert!(
        matches!(&items[..], [Item::Pending(u)] if u.url == "https://a.example/1"),
        "{items:?}"
    );
    // Pre-1.0 Atom namespaces.
    let atom = r#"<feed version="0.3" xmlns="http://purl.org/echo/"><entry><title>T</title>
<link rel="alternate" href="https://a.example/e"/></entry></feed>"#;
    let items = read_feed(atom.as_bytes()).expect("feed");
    assert!(
        matches!(&items[..], [Item::Pending(u)] if u.url == "https://a.example/e"),
        "{items:?}"
    );
    // An empty feed has no items, and is no error.
    assert!(
        read_feed(b"<rss xmlns='http://backend.userland.com/rss'><channel/></rss>")
            .expect("feed")
            .is_empty()
    );
}

#[test]
fn relative_links_resolve_against_xml_base_then_the_feed() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="/blog/"/><link rel="self" href="https://example.com/blog/feed.xml"/>
  <entry><title>Robots</title><link href="/blog/2003/12/13/atom03"/><summary>Some text.</summary></entry>
  <entry xml:base="https://other.example/posts/"><title>Based</title><link href="two"/></entry>
  <entry><title>Absolute</title><link href="https://third.example/x"/></entry>
</feed>"#;
    let items = read_feed(atom.as_bytes()).expect("feed");
    let urls: Vec<String> = items
        .iter()
        .map(|i| match i {
            Item::Page(p) => p.url.clone().unwrap_or_default(),
            Item::Pending(u) => u.url.clone(),
            Item::Error(e) => panic!("{e:?}"),
        })
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.com/blog/2003/12/13/atom03",
            "https://other.example/posts/two",
            "https://third.example/x"
        ]
    );
    // RSS: against the channel's link.
    let rss = r#"<rss><channel><link>https://site.example/news/</link>
<item><title>A</title><link>a.html</link></item></channel></rss>"#;
    assert!(
        matches!(&read_feed(rss.as_bytes()).expect("feed")[..], [Item::Pending(u)] if u.url == "https://site.example/news/a.html")
    );
}

#[test]
fn entry_fields_travel_with_the_page() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom">
  <author><name>Feed Author</name></author>
  <entry><title>Atom-Powered Robots Run Amok</title><id>urn:uuid:1</id>
    <published>2003-12-13T18:30:02Z</published><author><name>Mark Pilgrim</name></author>
    <source><author><name>Not This One</name></author></source>
    <summary>Some text.</summary></entry>
  <entry><title>Inherits</title><link href="https://a.example/2"/><content>Body text here.</content></entry>
</feed>"#;
    let items = read_feed(atom.as_bytes()).expect("feed");
    let ps = pages(&items);
    assert_eq!(ps.len(), 2, "{items:?}");
    // No link: the short summary is all there is, so it is the page.
    assert_eq!(ps[0].title.as_deref(), Some("Atom-Powered Robots Run Amok"));
    assert_eq!(ps[0].published.as_deref(), Some("2003-12-13"));
    assert_eq!(ps[0].authors, ["Mark Pilgrim"]);
    assert_eq!(String::from_utf8_lossy(&ps[0].bytes), "<p>Some text.</p>");
    assert_eq!(ps[1].authors, ["Feed Author"], "Atom entries inherit the feed's author");
    let rss = r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><description>Only a description.</description><author>f8dy@example.com (Mark Pilgrim)</author></item>
<item><description>Another.</description><dc:creator>Jane Roe</dc:creator><author>bare@example.com</author></item>
<item><title>don&#146;t</title><link>https://a.example/3</link></item>
</channel></rss>"#;
    let items = read_feed(rss.as_bytes()).expect("feed");
    let ps = pages(&items);
    assert_eq!(ps.len(), 2, "{items:?}");
    assert_eq!(ps[0].authors, ["Mark Pilgrim"]);
    assert_eq!(ps[1].authors, ["Jane Roe"]);
    assert!(matches!(&items[2], Item::Pending(u) if u.title.as_deref() == Some("don\u{2019}t")));
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "authors": [{"name": "Feed Person"}],
 "items": [{"id": "1", "content_text": "Words.", "authors": [{"name": "Item Person"}]},
           {"id": "2", "content_text": "More words."}]}"#;
    let items = read_feed(json.as_bytes()).expect("feed");
    let ps = pages(&items);
    assert_eq!(
        (ps[0].authors.as_slice(), ps[1].authors.as_slice()),
        (&["Item Person".to_string()][..], &["Feed Person".to_string()][..])
    );
}

#[test]
fn atom_entry_document_is_one_entry() {
    let doc = r#"<entry xmlns="http://www.w3.org/2005/Atom"><title>Specifications</title>
<id>urn:uuid:988EF5C55CDEA24EDE1251744888912</id><content type="text">The text of the entry.</content></entry>"#;
    let items = read_feed(doc.as_bytes()).expect("feed");
    let ps = pages(&items);
    assert_eq!(ps.len(), 1, "{items:?}");
    assert_eq!(ps[0].title.as_deref(), Some("Specifications"));
}

#[test]
fn text_bodies_become_paragraphs() {
    assert_eq!(
        text_as_html("Line one\r\nline two & <more>\n\n\nSecond paragraph."),
        "<p>Line one<br>line two &amp; &lt;more&gt;</p><p>Second paragraph.</p>"
    );
}
