//! Regression tests, one per extraction bug found while tuning on real pages.
//! Each page is a small reconstruction of the markup that triggered the bug
//! (written for this test, not copied from the site).

use gleaner_extract::{extract, PageKind};

const P1: &str = "Residents of the valley town said the water rose faster than anyone could remember, covering the main road before dawn.";
const P2: &str = "Emergency crews moved families to the school gym, where volunteers handed out blankets and hot food through the night.";
const P3: &str = "Officials expect the river to fall by Friday, but warned that more rain in the hills could push it back up over the weekend.";

fn text(html: &str) -> String {
    extract(html, PageKind::Html, None).text()
}

fn article(paras: &[&str]) -> String {
    paras.iter().map(|p| format!("<p>{p}</p>")).collect()
}

/// WordPress puts `tag-*` and `category-*` classes on the article element;
/// the word `tag` made the article look like boilerplate, so a page whose
/// story starts outside the `<article>` lost the part inside it.
#[test]
fn wordpress_taxonomy_classes_do_not_mark_the_article_as_boilerplate() {
    let lede = "The flood warning was raised overnight for every district along the lower river, the first such warning in a decade.";
    let html = format!(
        "<body><nav><a href=/>Home</a><a href=/n>News</a></nav><main>\
         <div class=\"lede\"><p>{lede}</p><p>{lede}</p><p>{lede}</p></div>\
         <article class=\"post-7 post type-post tag-floods category-news has-post-thumbnail\">{}</article>\
         </main></body>",
        article(&[P1, P2])
    );
    let t = text(&html);
    assert!(t.contains(lede), "{t}");
    assert!(t.contains(P1) && t.contains(P2), "{t}");
}

/// A HubSpot-style body wrapper (`<span class="hs_cos_wrapper_meta_field">`)
/// holding every paragraph was judged boilerplate by the word `meta`, and the
/// page came out empty.
#[test]
fn rich_text_wrapper_named_meta_field_keeps_its_paragraphs() {
    let html = format!(
        "<body><div class=\"post\"><span id=\"hs_cos_wrapper_post_body\" class=\"hs_cos_wrapper hs_cos_wrapper_meta_field\">{}</span></div></body>",
        article(&[P1, P2, P3])
    );
    let t = text(&html);
    assert!(t.contains(P1) && t.contains(P2) && t.contains(P3), "{t}");
}

/// Page builders nest the body in `…widget…` containers; a widget holding
/// nearly all of the container's text is a wrapper, not a widget.
#[test]
fn misnamed_widget_wrapper_inside_the_container_is_kept() {
    let html = format!(
        "<body><div class=\"elementor-widget-theme-post-content\"><div class=\"elementor-widget-container\">{}</div>\
         <div class=\"share-buttons\"><a href=#>Share on Facebook</a></div></div></body>",
        article(&[P1, P2, P3])
    );
    let t = text(&html);
    assert!(t.contains(P1) && t.contains(P3), "{t}");
    assert!(!t.contains("Share on Facebook"));
}

/// A `<div class="content">` inside each reader comment scored higher than
/// the article because nothing below it looked like boilerplate.
#[test]
fn text_inside_a_comment_thread_does_not_win() {
    let comment = "I have lived here for thirty years and I have never seen the river like this, it is frightening to watch from the bridge.";
    let comments: String = (0..6)
        .map(|_| format!("<div class=\"comment_content\"><div class=\"content\">{comment} {comment}</div></div>"))
        .collect();
    let html = format!("<body><div class=\"article\"><div class=\"content\">{P1}<br>{P2}<br>{P3}</div></div><div id=\"comments\">{comments}</div></body>");
    let t = text(&html);
    assert!(t.contains("Residents of the valley"), "{t}");
    assert!(!t.contains("thirty years"), "{t}");
}

/// A list whose items each start with a linked headline (a digest) was
/// penalised as a link list even though half of each item is plain text.
#[test]
fn digest_list_items_with_leading_links_are_kept() {
    let items: String = [P1, P2, P3]
        .iter()
        .map(|p| format!("<li><strong><a href=\"/x\">A linked headline about the floods here</a>.</strong> {p}</li>"))
        .collect();
    let html = format!("<body><div class=\"post-content\"><p>Good morning! Here is what you need to know today.</p><ol>{items}</ol></div></body>");
    let t = text(&html);
    assert!(t.contains(P1) && t.contains(P3), "{t}");
    assert!(t.contains("A linked headline"), "{t}");
}

/// Tables of figures score as data, not as short widget lines.
#[test]
fn a_standings_table_is_the_article() {
    let rows: String = (1..=20)
        .map(|i| {
            format!(
                "<tr><td>{i}</td><td>Driver Number{i}</td><td>{}</td></tr>",
                5000 - i * 17
            )
        })
        .collect();
    let html = format!(
        "<body><div class=\"menu\"><a href=/>Home</a> <a href=/a>Standings</a></div>\
         <div class=\"page\"><p>Standings after the final race of the season.</p><table>{rows}</table></div></body>"
    );
    let t = text(&html);
    assert!(
        t.contains("Driver Number1 | 4983") && t.contains("Driver Number20"),
        "{t}"
    );
}

/// Widget labels inside the article ("Advertisement", "Comments") are cut.
#[test]
fn widget_label_lines_are_cut() {
    let html = format!(
        "<body><div class=\"story\"><p>{P1}</p><p>Advertisement</p><p>{P2}</p><h3>Comments</h3><p>{P3}</p></div></body>"
    );
    let a = extract(&html, PageKind::Html, None);
    let t = a.text();
    assert!(!t.contains("Advertisement") && !t.contains("Comments"), "{t}");
    assert!(a.removed.iter().any(|r| r == "Advertisement"));
}

/// A story split into two same-class parts around an ad keeps both parts.
#[test]
fn story_split_around_an_ad_keeps_both_parts() {
    let html = format!(
        "<body><div class=\"wrap\"><h1>Flood</h1><div class=\"story-part\">{}</div>\
         <div class=\"ad-slot\"><p>Story continues below advertisement</p></div>\
         <div class=\"story-part\">{}</div><div class=\"related\"><a href=/r>Related: more floods</a></div></div></body>",
        article(&[P1, P2]),
        article(&[P3])
    );
    let t = text(&html);
    assert!(t.contains(P1) && t.contains(P3), "{t}");
    assert!(!t.contains("Story continues"));
}

/// Words inside a paragraph were dropped when they sat in an inline element
/// with a boilerplate-looking class (an auto-linked tag, a ticker symbol) or
/// in an unknown element: "protesters in has risen", "when President shared".
#[test]
fn inline_content_is_part_of_its_paragraph() {
    let html = format!(
        "<body><article>\
         <p>Police violence against protesters in <a href=/t/nd data-component=\"auto-linked-tag\" class=\"tag\">North Dakota</a> has risen to extraordinary levels, observers said on Sunday.</p>\
         <p>Twitter erupted Monday morning when President <person><a href=/p/dt class=\"related-person\">Donald Trump</a></person> shared his plans, and shares of <span class=\"ticker\">ACME</span> fell.</p>\
         {}</article>\
         <div class=\"tags\"><a class=\"tag\" href=/a>Floods</a>, <a class=\"tag\" href=/b>Rivers</a></div></body>",
        article(&[P1, P2])
    );
    let t = text(&html);
    assert!(t.contains("protesters in North Dakota has risen"), "{t}");
    assert!(t.contains("when President Donald Trump shared his plans"), "{t}");
    assert!(t.contains("shares of ACME fell"), "{t}");
    assert!(!t.contains("Floods"), "a tag list is not running text: {t}");
}

/// Unknown elements used as containers (they hold blocks) still split text
/// into blocks, and one standing alone between blocks is its own block.
#[test]
fn unknown_elements_holding_blocks_stay_containers() {
    let html = format!(
        "<body><story-body><story-head>A headline of the story</story-head><story-text>{}</story-text></story-body></body>",
        article(&[P1, P2, P3])
    );
    let t = text(&html);
    assert!(t.contains(&format!("{P1}\n\n{P2}")), "{t}");
    assert!(!t.contains("story{P1}"), "{t}");
}

/// Article paragraphs marked `class="paywall"` (the text behind the paywall)
/// were taken for a paywall prompt: the story lost its lead paragraph.
#[test]
fn paragraphs_behind_a_paywall_are_the_article() {
    let html = format!(
        "<body><article><div class=\"body\"><p class=\"has-dropcap\">{P1}</p><p class=\"paywall\">{P2}</p>\
         <p class=\"paywall\">{P3}</p></div></article></body>"
    );
    let t = text(&html);
    assert!(t.starts_with(P1) && t.contains(P3), "{t}");
}

/// A story laid out in two rows, each with its own copy of the text
/// container: the first row (the lead) was left out.
#[test]
fn a_story_split_across_layout_rows_keeps_every_row() {
    let html = format!(
        "<body><main><div class=\"row\"><div class=\"story-text\"><aside class=\"share\"><a href=#>Share</a></aside><p>{P1}</p></div></div>\
         <div class=\"row\"><div class=\"ad\">Advertisement</div></div>\
         <div class=\"row\"><div class=\"story-text\">{}</div></div></main>\
         <div class=\"more\"><div class=\"story-text\"><p>Another story teaser that is long enough to be a paragraph of text on its own.</p></div></div></body>",
        article(&[P2, P3, P2])
    );
    let t = text(&html);
    assert!(t.starts_with(P1) && t.contains(P3), "{t}");
    assert!(!t.contains("Another story"), "{t}");
}

/// The introduction repeated for another screen size came out twice; a
/// question repeated for each interviewee must stay.
#[test]
fn a_repeated_run_of_paragraphs_comes_out_once() {
    let q = "What do you like to cook at home when nobody is watching and there is no deadline to meet?";
    let html = format!(
        "<body><section class=\"intro\"><div class=\"text\"><p>{P1}</p><p>{P2}</p></div></section>\
         <div class=\"column\"><div class=\"text\"><p>{P1}</p><p>{P2}</p></div>\
         <div class=\"qa\"><p>{q}</p><p>{P3}</p></div><div class=\"qa\"><p>{q}</p><p>{P2} And more.</p></div></div></body>"
    );
    let t = text(&html);
    assert_eq!(t.matches(P1).count(), 1, "{t}");
    assert_eq!(t.matches(q).count(), 2, "{t}");
}

/// A standings table whose rows are named for what they hold
/// (`class="oddrow player-2020-580"`): the word `player` (a media player
/// elsewhere) marked every row as boilerplate, the table counted against the
/// article, and a one-line comment notice won instead.
#[test]
fn rows_of_a_data_table_are_data_whatever_their_class() {
    let rows: String = (1..=12)
        .map(|i| {
            format!(
                "<tr class=\"{} player-{i}\"><td>{i}</td><td>Driver Number{i}</td><td>{}</td><td>{}</td></tr>",
                if i % 2 == 0 { "evenrow" } else { "oddrow" },
                5000 - i * 7,
                i % 4
            )
        })
        .collect();
    let html = format!(
        "<body><div class=\"articleBody\" itemprop=\"articleBody\"><h1>Championship standings</h1>\
         <p>Standings after the final race of the season:</p>\
         <table class=\"tablehead\"><tbody><tr class=\"colhead\"><td>Pos.</td><td>Driver</td><td>Points</td><td>Wins</td></tr>{rows}</tbody></table></div>\
         <div class=\"comments\"><p>Comments that insult other readers will not be approved by the moderator.</p></div></body>"
    );
    let t = text(&html);
    assert!(t.contains("Driver Number1") && t.contains("Driver Number12"), "{t}");
    assert!(!t.contains("moderator"), "{t}");
}

/// The exemption is for data tables only: a layout table's few rows keep
/// their boilerplate names, so a sidebar cell stays out.
#[test]
fn a_layout_tables_sidebar_cell_is_still_boilerplate() {
    let html = format!(
        "<body><table><tr><td class=\"header\">Site name</td></tr><tr><td class=\"content\">{}</td>\
         <td class=\"sidebar\"><p>Most read this week: the mayor's garden, a lost dog found in the park, and more stories.</p></td></tr></table></body>",
        article(&[P1, P2, P3])
    );
    let t = text(&html);
    assert!(t.contains(P1) && t.contains(P3), "{t}");
    assert!(!t.contains("Most read"), "{t}");
}

/// Newsroom furniture named in Spanish: a byline `<p class="firma">` and a
/// `metadata` block with the update time came out as the article's first
/// lines, pushing its opening down.
#[test]
fn bylines_and_metadata_blocks_named_in_other_languages_stay_out() {
    let html = format!(
        "<body><div class=\"noticia\"><h1>Crecida del río</h1>\
         <div class=\"metadata_noticia\"><p class=\"firma\"><em>Ana Ruiz</em> | Madrid</p>\
         <div class=\"update\">Actualizado domingo 28/10/2012 03:21 horas</div></div>{}</div></body>",
        article(&[P1, P2, P3])
    );
    let t = text(&html);
    assert!(t.starts_with(P1), "{t}");
    assert!(!t.contains("Ana Ruiz") && !t.contains("Actualizado"), "{t}");
}
