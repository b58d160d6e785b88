//! Tuning aid: prints the best-scoring containers of a page and the chosen blocks.
//! `cargo run --release -p gleaner-extract --example explain -- page.html`
fn main() {
    let path = std::env::args().nth(1).expect("usage: explain PAGE.html");
    let html = String::from_utf8_lossy(&std::fs::read(path).expect("readable file")).into_owned();
    let dom = gleaner_extract::html::Dom::parse(&html);
    for (i, s, desc) in gleaner_extract::main_text::explain(&dom, 8) {
        println!("{s:>9.1}  #{i:<6} {desc}");
    }
    let main = gleaner_extract::main_text::extract(&dom);
    for b in main.blocks.iter().take(40) {
        let t: String = b.text.chars().take(90).collect();
        println!("  [{:?} ld={:.2} own={}] {t}", b.kind, b.link_density(), b.owner);
    }
    for r in main.removed.iter().take(10) {
        println!("  REMOVED {r}");
    }
}
