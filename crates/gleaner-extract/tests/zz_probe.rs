use gleaner_extract::{extract, PageKind, html::Dom};
use std::time::Instant;

fn t(s: &str) -> String { extract(s, PageKind::Html, None).text() }
const LONG: &str = "This sentence is long enough to count as real article text.";

#[test]
fn probe() {
    for s in [format!("<span>{LONG}</span>"), format!("{LONG}<br>"), format!("{LONG}<img>"), format!("<p>{LONG}</p><p>{LONG}</p>"),
              format!("<body><p>{LONG}</p><p>{LONG}</p>"), format!("<html><p>{LONG}</p><p>{LONG}</p>"),
              "<p>Some words here.</p><p></p>".into(), "<body><p>Some words here.</p><p></p>".into(), "<body><p>Some words here.</p><b></b>".into(),
              "<p>Some words here.</p>".into(), "<p>Some words here.</p><br>".into(), "<b>x</b>".into(), "x<b></b>".into(), "x<br>".into()] {
        println!("{s:?} => {:?}", t(&s));
    }
    for open in ["<span>", "<b>", "<div>", "<li>", "<table><tr><td>", "<p>"] {
        let s = open.repeat(200_000) + "<p>Some words here.</p>";
        let st = Instant::now();
        let d = Dom::parse(&s);
        let p = st.elapsed();
        let ok = d.subtree_text(0).contains("Some words here.");
        let st = Instant::now();
        let x = t(&s);
        println!("200k {open}: parse {p:?} extract {:?} dom-ok {ok} text {x:?}", st.elapsed());
        let s = "<body>".to_string() + &open.repeat(200_000) + "<p>" + LONG + "</p>";
        println!("   body+long => {:?}", t(&s));
    }
    let s = "<body>".to_string() + &"<p>word word word.</p>".repeat(47_000);
    let st = Instant::now();
    println!("flat body 47k short => {} paras {:?}", t(&s).split("\n\n").count(), st.elapsed());
    let s = "<body>".to_string() + &format!("<p>{LONG}</p>").repeat(15_000);
    let st = Instant::now();
    println!("flat body long => {} paras {:?}", t(&s).split("\n\n").count(), st.elapsed());
    for (a, m) in [(50_000usize, 25_000usize), (100_000, 50_000)] {
        let s = "<i>".repeat(a) + &"<head>".repeat(m);
        let st = Instant::now();
        let _ = Dom::parse(&s);
        println!("late head {}KB: {:?}", s.len() / 1000, st.elapsed());
    }
}
