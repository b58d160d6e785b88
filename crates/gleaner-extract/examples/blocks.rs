//! Tuning aid: every block of a page with its weight inputs and ancestry.
//! `cargo run --release -p gleaner-extract --example blocks -- page.html`
use gleaner_extract::html::{AttrName, Dom, Tag, NONE};

fn main() {
    let path = std::env::args().nth(1).expect("usage: blocks PAGE.html");
    let html = String::from_utf8_lossy(&std::fs::read(path).expect("readable file")).into_owned();
    let dom = Dom::parse(&html);
    let body = dom.elements(Tag::Body).next().unwrap_or(0);
    let seg = gleaner_extract::blocks::segment(&dom, body);
    for b in &seg.blocks {
        let mut chain = Vec::new();
        let mut i = b.owner;
        while i != NONE && chain.len() < 4 {
            let c = dom.attr(i, AttrName::Class).unwrap_or("");
            chain.push(format!(
                "{}.{}",
                dom.node(i).tag.name(),
                c.split(' ').next().unwrap_or("")
            ));
            i = dom.node(i).parent;
        }
        let t: String = b.text.chars().take(60).collect();
        println!(
            "{:>5} {:>4} ld={:.2} neg={} {} | {t}",
            b.owner,
            b.chars,
            b.link_density(),
            b.neg != NONE,
            chain.join("<")
        );
    }
}
